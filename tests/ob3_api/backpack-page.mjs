// Drive Debian's Chromium (headless, through playwright-core from interop/browser) with the keyboard only: a holder
// sends her badge from one savoirs (config.base) to her backpack, another savoirs (config.backpack). She signs in at
// the first (the code read from its outbox) and lands on her badge's page; Tab to the backpack's address, type it, Tab
// to "Envoyer ce badge", Enter: a page names the backpack (its message has the focus); Tab to "Continuer sur …",
// Enter. The backpack asks her to sign in there (its own outbox), then shows its consent page:
// Tab to "Autoriser", Enter. She is back on her badge's page, whose message has the focus. Then she opens her space
// at the backpack: the badge is there, with its verdict. Screenshots of the consent page, the message and the space.
//
//   node tests/ob3_api/backpack-page.mjs CONFIG.json
//
// CONFIG: {"base", "backpack", "otherOrigins": [backpack], "outbox", "backpackOutbox", "executablePath",
//          "userDataDir", "cases": [{"name", "viewport", "screenshots", "email", "award"}]}
// Prints one JSON object {"browser", "results": [...]} on stdout; exits non-zero only when the script fails.

import { focusAfterLoad, imagesSettled, mainText, press, readConfig, readPage, runCases, screenshots, signIn,
  tabUntil } from "../browser/harness.mjs";

const config = readConfig();

async function send(page, test) {
  const trail = [];
  const steps = {};
  const shot = screenshots(page, test.screenshots);
  const next = encodeURIComponent(`/mon-espace/badges/${test.award}`);
  await page.goto(`${config.base}/connexion?next=${next}`, { waitUntil: "load" });
  await signIn(page, { outbox: config.outbox, email: test.email, trail });
  steps.badge = await readPage(page);
  await tabUntil(page, (a) => a.id === "address", 80, trail);
  await page.keyboard.type(config.backpack);
  steps.sendButton = await tabUntil(page, (a) => a.id === "envoyer-sac", 3, trail);
  await press(page, "Enter");
  steps.goFocus = await focusAfterLoad(page);
  steps.go = await readPage(page, { statusBox: "#message" });
  await shot("go");
  steps.goLink = await tabUntil(page, (a) => a.id === "continuer", 10, trail);
  await press(page, "Enter");
  steps.backpackSignIn = await readPage(page);
  await signIn(page, { outbox: config.backpackOutbox, email: test.email, trail });
  steps.consent = await readPage(page);
  steps.consentText = await mainText(page);
  await imagesSettled(page);
  await shot("consent");
  steps.allowButton = await tabUntil(page, (a) => a.id === "autoriser", 30, trail);
  await press(page, "Enter");
  steps.sentFocus = await focusAfterLoad(page);
  steps.sent = await readPage(page, { statusBox: "#message" });
  await shot("sent");
  await page.goto(`${config.backpack}/mon-espace`, { waitUntil: "load" });
  steps.space = await readPage(page);
  steps.spaceText = await mainText(page);
  await shot("space");
  steps.trail = trail;
  return steps;
}

await runCases(config, send, { clearCookies: true });
