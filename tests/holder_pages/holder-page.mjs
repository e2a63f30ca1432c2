// Drive Debian's Chromium (headless, through playwright-core from interop/browser) through a holder's pages with the
// keyboard only. Phase "claim": open "Mes badges", Tab to "Taper mon code", Enter; Tab to the code, type the code
// printed on paper, Enter: the badge's page (the message has the focus); Tab to "Rendre ce badge public", Enter; Tab
// to the name, type the first name, Tab to "Afficher ce nom", Enter; Tab to the certificate's link, Enter: the PDF is
// saved as test.pdf. Phase "check" (a new browser session): open test.verifyUrl (what the test decoded from the
// PDF's QR code): the verification page; then come back with the code, make the badge private, and open
// test.verifyUrl again; open her CV page, then ask for erasure (keeping her badges valid). Screenshots of each step.
//
//   node tests/holder_pages/holder-page.mjs CONFIG.json
//
// CONFIG: {"base", "executablePath", "userDataDir", "phase": "claim" | "check",
//          "cases": [{"name", "viewport", "screenshots", "code", "firstName", "pdf", "verifyUrl"?}]}
// Prints one JSON object {"browser", "results": [...]} on stdout; exits non-zero only when the script fails.

import { focusAfterLoad, mainText, press, readConfig, readPage, runCases, screenshots, tabUntil }
  from "../browser/harness.mjs";

const config = readConfig();
const read = (page) => readPage(page, { statusBox: "#message" });

async function comeInWithTheCode(page, test, trail, steps, shot) {
  await page.goto(`${config.base}/mon-espace`, { waitUntil: "load" });
  steps.entry = await read(page);
  await shot("entry");
  await tabUntil(page, (a) => a.id === "entrer-code", 20, trail);
  await press(page, "Enter");
  steps.codePage = await read(page);
  await tabUntil(page, (a) => a.id === "code", 20, trail);
  await page.keyboard.type(test.code);
  await press(page, "Enter");
  steps.claimedFocus = await focusAfterLoad(page);
  steps.claimed = await read(page);
  await shot("claimed");
}

async function claim(page, test) {
  const trail = [];
  const steps = {};
  const shot = screenshots(page, test.screenshots);
  await comeInWithTheCode(page, test, trail, steps, shot);
  steps.publicButton = await tabUntil(page, (a) => a.id === "changer-visibilite", 30, trail);
  await press(page, "Enter");
  steps.madePublicFocus = await focusAfterLoad(page);
  steps.madePublic = await read(page);
  await shot("public");
  await tabUntil(page, (a) => a.id === "name", 40, trail);
  await page.keyboard.type(test.firstName);
  await tabUntil(page, (a) => a.id === "afficher-nom", 3, trail);
  await press(page, "Enter");
  steps.namedFocus = await focusAfterLoad(page);
  steps.named = await read(page);
  steps.namedText = await mainText(page);
  await shot("named");
  steps.pdfLink = await tabUntil(page, (a) => a.id === "attestation", 40, trail);
  const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  await download.saveAs(test.pdf);
  steps.pdfName = download.suggestedFilename();
  steps.trail = trail;
  return steps;
}

async function check(page, test) {
  const trail = [];
  const steps = {};
  const shot = screenshots(page, test.screenshots);
  await page.goto(test.verifyUrl, { waitUntil: "load" });
  steps.verifyPage = await read(page);
  steps.verifyText = await mainText(page);
  await shot("verify-public");
  await comeInWithTheCode(page, test, trail, steps, shot);
  await tabUntil(page, (a) => a.id === "changer-visibilite", 30, trail);
  await press(page, "Enter");
  steps.madePrivateFocus = await focusAfterLoad(page);
  steps.madePrivate = await read(page);
  await shot("private");
  await page.goto(test.verifyUrl, { waitUntil: "load" });
  steps.privatePage = await read(page);
  steps.privateText = await mainText(page);
  await shot("verify-private");
  // her CV: every badge ticked, then the erasure request, keeping her badges valid
  await page.goto(`${config.base}/mon-espace`, { waitUntil: "load" });
  await tabUntil(page, (a) => a.id === "cv", 30, trail);
  await press(page, "Enter");
  steps.cvPage = await read(page);
  steps.cvTicked = await page.evaluate(() => [...document.querySelectorAll("input[name=badge]")].map((i) => i.checked));
  await shot("cv");
  await page.goto(`${config.base}/mon-espace`, { waitUntil: "load" });
  await tabUntil(page, (a) => a.id === "effacer", 40, trail);
  await press(page, "Enter");
  steps.erasePage = await read(page);
  await shot("erase");
  steps.keepChoice = await tabUntil(page, (a) => a.id === "garder", 20, trail);
  await tabUntil(page, (a) => a.tag === "button", 3, trail);
  await press(page, "Enter");
  steps.askedFocus = await focusAfterLoad(page);
  steps.asked = await read(page);
  await shot("asked");
  steps.trail = trail;
  return steps;
}

await runCases(config, config.phase === "claim" ? claim : check, { clearCookies: true });
