// Drive Debian's Chromium (headless, through playwright-core from interop/browser) through the committee's pages
// with the keyboard only: open the committee's page, land on the sign-in page for the committee, Tab to the address,
// type it, Enter; read the code from the message the service wrote to its outbox; Tab to the code field, type it,
// Enter; back on the committee's page, Tab to the request, Enter; Tab to the vote's first choice, arrow down to
// "Demander plus d'informations", Tab past the empty comment to the button, Enter: see where the focus is and what
// the title says; Tab to the comment, type it, Tab to the button, Enter: the vote is counted. Screenshots of each.
//
//   node tests/committee_pages/committee-page.mjs CONFIG.json
//
// CONFIG: {"base": "http://localhost:PORT", "executablePath": "/usr/bin/chromium", "userDataDir": DIR,
//          "outbox": DIR, "comment": TEXT, "cases": [{"name", "email", "viewport": {"width", "height"},
//          "screenshots": DIR, "listPath", "requestPath", "requestId"}]}
// Every request to another origin than "base" is refused and reported in "problems" (tests/browser/harness.mjs).
// Prints one JSON object {"browser", "results": [...]} on stdout; exits non-zero only when the script fails.

import {
  describeActive, focusAfterLoad, imagesSettled, mainText, press, readConfig, readPage, runCases, screenshots,
  signIn, tabUntil,
} from "../browser/harness.mjs";

const config = readConfig();

// The request's thumbnails (run in the page).
function thumbnails() {
  return {
    thumbs: [...document.querySelectorAll("img.thumb")].map((img) => ({
      complete: img.complete, naturalWidth: img.naturalWidth, alt: img.alt })),
  };
}

const read = (page) => readPage(page, { statusBox: "#resultat", extra: thumbnails });

async function committeeCase(page, test) {
  const trail = [];
  const steps = {};
  const shot = screenshots(page, test.screenshots);
  await page.goto(`${config.base}${test.listPath}`, { waitUntil: "load" });
  steps.start = await read(page);
  steps.sent = await signIn(page, { outbox: config.outbox, email: test.email, trail, read });
  steps.list = await read(page);
  await shot("list");
  steps.link = await tabUntil(page, (a) => a.id === `demande-${test.requestId}`, 15, trail);
  await press(page, "Enter");
  await imagesSettled(page, "img.thumb");  // the thumbnails are loaded lazily
  steps.request = await read(page);
  await shot("request");
  await shot("request-full", { fullPage: true });
  steps.firstChoice = await tabUntil(page, (a) => a.id === "choice-accept", 25, trail);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  steps.choice = await page.evaluate(describeActive);
  steps.emptyComment = await tabUntil(page, (a) => a.id === "comment", 2, trail);
  steps.button = await tabUntil(page, (a) => a.tag === "button", 2, trail);
  await press(page, "Enter");
  steps.refusedFocus = await focusAfterLoad(page);
  steps.refused = await read(page);
  await shot("refused");
  steps.retryFocus = await tabUntil(page, (a) => a.id === "comment", 4, trail);
  await page.keyboard.type(config.comment);
  await tabUntil(page, (a) => a.tag === "button", 2, trail);
  await press(page, "Enter");
  steps.votedFocus = await focusAfterLoad(page);
  steps.voted = await read(page);
  steps.votedText = await mainText(page);
  await shot("voted");
  await shot("voted-full", { fullPage: true });
  steps.trail = trail;
  return steps;
}

await runCases(config, committeeCase, { clearCookies: true });  // each case signs in from scratch
