// Drive Debian's Chromium (headless, through playwright-core from interop/browser) through a resident's request for a
// badge, with the keyboard only: Tab to the levels, choose one with the arrow keys, type a first name, choose "no
// contact", attach a phone photo (Space on the file field opens the file chooser, which the script answers), send
// without the text of what was done; see where the focus is and what the title says; follow the summary's link to the
// text, type it, attach the photo again (files are not kept), send; read the private link on the confirmation page
// (and its print view); open the follow page. Screenshots of each step.
//
//   node tests/recognition_pages/resident-page.mjs CONFIG.json
//
// CONFIG: {"base": "http://localhost:PORT", "executablePath": "/usr/bin/chromium", "userDataDir": DIR,
//          "form": "/demander/SLUG/ID", "photo": FILE,
//          "cases": [{"name", "firstName", "narrative", "viewport": {"width", "height"}, "screenshots": DIR}]}
// Every request to another origin than "base" is refused and reported in "problems" (tests/browser/harness.mjs).
// Prints one JSON object {"browser", "results": [...]} on stdout; exits non-zero only when the script fails.

import {
  describeActive, press, readConfig, readPage, runCases, screenshots, tabUntil, waitForAutofocus,
} from "../browser/harness.mjs";

const config = readConfig();

// The request form's fields as they stand, the state and the private link (run in the page).
function requestFields() {
  return {
    state: document.querySelector("#etat")?.innerText ?? null,
    privateLink: document.querySelector(".private-link")?.innerText?.trim() ?? null,
    levelChecked: document.querySelector("input[name=level]:checked")?.value ?? null,
    contactChecked: document.querySelector("input[name=contact]:checked")?.value ?? null,
    name: document.querySelector("#name")?.value ?? null,
    filesChosen: document.querySelector("#evidence")?.files?.length ?? null,
    main: document.querySelector("main")?.innerText ?? "",
  };
}

const read = (page) => readPage(page, { extra: requestFields });

async function pressAndLoad(page, key) {
  const status = await press(page, key);
  await waitForAutofocus(page);
  return status;
}

// Headless Chromium now and then drops the first key press on a file field (no chooser opens): press again, Space
// then Enter (both open it), up to three times, always from the keyboard.
async function attachPhoto(page, trail) {
  const field = await tabUntil(page, (a) => a.id === "evidence", 30, trail);
  for (const [attempt, key] of ["Space", "Enter", "Space"].entries()) {
    try {
      const [chooser] = await Promise.all([page.waitForEvent("filechooser", { timeout: 5000 }),
        page.keyboard.press(key)]);
      await chooser.setFiles(config.photo);
      return { ...field, chooserAttempts: attempt + 1 };
    } catch (error) {
      if (attempt === 2 || error?.name !== "TimeoutError") throw error;
      const active = await page.evaluate(describeActive);
      if (active.id !== "evidence") throw new Error(`the focus left the file field: ${JSON.stringify(active)}`);
    }
  }
  throw new Error("unreachable");
}

async function requestCase(page, test) {
  const trail = [];
  const steps = { focus: {} };
  const shot = screenshots(page, test.screenshots);
  await page.goto(`${config.base}${config.form}`, { waitUntil: "load" });
  steps.start = await read(page);
  await shot("form");
  steps.focus.level = await tabUntil(page, (a) => a.name === "level", 20, trail);
  await page.keyboard.press("ArrowDown");  // the second level: « J'explore »
  steps.focus.levelChosen = await page.evaluate(describeActive);
  steps.focus.name = await tabUntil(page, (a) => a.id === "name", 10, trail);
  await page.keyboard.type(test.firstName);
  steps.focus.contact = await tabUntil(page, (a) => a.name === "contact", 10, trail);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");  // « Pas de contact »
  steps.focus.contactChosen = await page.evaluate(describeActive);
  steps.focus.file = await attachPhoto(page, trail);
  steps.filesBefore = await page.evaluate(() => document.querySelector("#evidence").files.length);
  steps.focus.submit = await tabUntil(page, (a) => a.tag === "button", 15, trail);
  steps.refusedStatus = await pressAndLoad(page, "Enter");
  steps.refused = await read(page);
  steps.refusedFocus = await page.evaluate(describeActive);
  await shot("refused");
  steps.focus.summaryLink = await tabUntil(page, (a) => a.tag === "a", 3, trail);
  await page.keyboard.press("Enter");  // the summary's link to the field
  steps.afterLink = await page.evaluate(describeActive);
  if (steps.afterLink.id !== "narrative") await tabUntil(page, (a) => a.id === "narrative", 5, trail);
  steps.focus.narrative = await page.evaluate(describeActive);
  await page.keyboard.type(test.narrative);
  await attachPhoto(page, trail);
  await tabUntil(page, (a) => a.tag === "button", 15, trail);
  steps.sentStatus = await pressAndLoad(page, "Enter");
  steps.sent = await read(page);
  steps.sentFocus = await page.evaluate(describeActive);
  await shot("sent");
  await page.emulateMedia({ media: "print" });
  steps.print = await page.evaluate(() => ({
    header: getComputedStyle(document.querySelector("header.top")).display,
    footer: getComputedStyle(document.querySelector("footer.foot")).display,
    link: getComputedStyle(document.querySelector(".private-link")).display,
  }));
  await shot("sent-print");
  await page.emulateMedia({ media: "screen" });
  await tabUntil(page, (a) => a.tag === "a" && a.text.startsWith("Voir ma demande"), 15, trail);
  steps.followStatus = await pressAndLoad(page, "Enter");
  steps.follow = await read(page);
  await shot("follow");
  steps.trail = trail;
  return steps;
}

await runCases(config, requestCase);
