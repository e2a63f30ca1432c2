// Drive Debian's Chromium (headless, through playwright-core from interop/browser) through the endorser's page with
// the keyboard only: open her private link, Tab to "Me connecter", Enter; on the sign-in page Tab to the address,
// type it, Enter; read the code from the message the service wrote to its outbox; Tab to the code field, type it,
// Enter: back on her link. Tab to her words and on to "Je recommande" without writing, Enter: see where the focus is
// and what the title says; Tab to the text area, type her words, Tab to the button, Enter: the thanks. Then Tab to
// "Voir le badge", Enter: the badge's public page. Screenshots of each.
//
//   node tests/endorsement_pages/endorsement-page.mjs CONFIG.json
//
// CONFIG: {"base": "http://localhost:PORT", "executablePath": "/usr/bin/chromium", "userDataDir": DIR,
//          "outbox": DIR, "cases": [{"name", "email", "words", "viewport": {"width", "height"}, "screenshots": DIR,
//          "linkPath"}]}
// Every request to another origin than "base" is refused and reported in "problems" (tests/browser/harness.mjs).
// Prints one JSON object {"browser", "results": [...]} on stdout; exits non-zero only when the script fails.

import {
  focusAfterLoad, imagesSettled, mainText, press, readConfig, readPage, runCases, screenshots, signIn, tabUntil,
} from "../browser/harness.mjs";

const config = readConfig();

// Who endorses the badge, and its image (run in the page).
function badgeFields() {
  const img = document.querySelector("img.badge-image");
  return {
    vouchers: [...document.querySelectorAll("#recommandations li")].map((li) => li.innerText.trim()),
    image: img ? { complete: img.complete, naturalWidth: img.naturalWidth } : null,
  };
}

const read = (page) => readPage(page, { statusBox: "#message", extra: badgeFields });

async function endorserCase(page, test) {
  const trail = [];
  const steps = {};
  const shot = screenshots(page, test.screenshots);
  await page.goto(`${config.base}${test.linkPath}`, { waitUntil: "load" });
  steps.link = await read(page);
  await shot("link");
  steps.signInButton = await tabUntil(page, (a) => a.id === "se-connecter", 20, trail);
  await press(page, "Enter");
  steps.start = await read(page);
  await signIn(page, { outbox: config.outbox, email: test.email, trail });
  steps.signedIn = await read(page);
  await shot("form");
  steps.emptyWords = await tabUntil(page, (a) => a.id === "comment", 25, trail);
  steps.button = await tabUntil(page, (a) => a.tag === "button", 2, trail);
  await press(page, "Enter");
  steps.refusedFocus = await focusAfterLoad(page);
  steps.refused = await read(page);
  await shot("refused");
  steps.retryFocus = await tabUntil(page, (a) => a.id === "comment", 6, trail);
  await page.keyboard.type(test.words);
  await tabUntil(page, (a) => a.tag === "button", 2, trail);
  await press(page, "Enter");
  steps.thanksFocus = await focusAfterLoad(page);
  steps.thanks = await read(page);
  steps.thanksText = await mainText(page);
  await shot("thanks");
  await shot("thanks-full", { fullPage: true });
  steps.badgeLink = await tabUntil(page, (a) => a.id === "voir-badge", 10, trail);
  await press(page, "Enter");
  await imagesSettled(page);
  steps.badge = await read(page);
  steps.badgeText = await mainText(page);
  await shot("badge");
  await shot("badge-full", { fullPage: true });
  steps.trail = trail;
  return steps;
}

await runCases(config, endorserCase, { clearCookies: true });  // each case signs in from scratch
