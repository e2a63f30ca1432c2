// Drive Debian's Chromium (headless, through playwright-core from interop/browser) through the savoirs sign-in
// pages with the keyboard only: Tab to the address, type it, Enter; read the code from the message the service
// wrote to its outbox; Tab to the code field, type a wrong code, Enter; see where the focus is and what the title
// says; Tab to the code field again, type the right code, Enter; land on the signed-in page. Screenshots of each.
//
//   node tests/signin/signin-page.mjs CONFIG.json
//
// CONFIG: {"base": "http://localhost:PORT", "executablePath": "/usr/bin/chromium", "userDataDir": DIR,
//          "outbox": DIR, "cases": [{"name", "email", "viewport": {"width", "height"}, "screenshots": DIR}]}
// Every request to another origin than "base" is refused and reported in "problems" (tests/browser/harness.mjs).
// Prints one JSON object {"browser", "results": [...]} on stdout; exits non-zero only when the script fails.

import {
  codeFor, focusAfterLoad, mainText, press, readConfig, readPage, runCases, screenshots, tabUntil,
} from "../browser/harness.mjs";

const config = readConfig();

async function signInCase(page, test) {
  const trail = [];
  const steps = {};
  const shot = screenshots(page, test.screenshots);
  await page.goto(`${config.base}/connexion`, { waitUntil: "load" });
  steps.start = await readPage(page);
  steps.emailFocus = await tabUntil(page, (a) => a.id === "email", 10, trail);
  await page.keyboard.type(test.email);
  await press(page, "Enter");
  steps.sent = await readPage(page);
  await shot("code");
  const code = await codeFor(config.outbox, test.email);
  const wrong = code === "000000" ? "111111" : "000000";
  steps.codeFocus = await tabUntil(page, (a) => a.id === "code", 10, trail);
  await page.keyboard.type(wrong);
  await press(page, "Enter");
  steps.refused = await readPage(page);
  steps.refusedFocus = await focusAfterLoad(page);
  await shot("refused");
  steps.retryFocus = await tabUntil(page, (a) => a.id === "code", 6, trail);
  await page.keyboard.type(code);
  await press(page, "Enter");
  steps.signedIn = await readPage(page);
  steps.signedInText = await mainText(page);
  await shot("signed-in");
  steps.trail = trail;
  return steps;
}

await runCases(config, signInCase);
