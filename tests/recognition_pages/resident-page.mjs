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
// Every request to another origin than "base" is refused and reported in "problems".
// Prints one JSON object {"browser", "results": [...]} on stdout; exits non-zero only when the script fails.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(new URL("../../interop/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));

function describeActive() {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: "body" };
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id || null, type: el.getAttribute("type"), name: el.getAttribute("name"),
    href: el.getAttribute("href"), role: el.querySelector("[role=alert]") ? "contains-alert" : el.getAttribute("role"),
    text: (el.innerText || el.value || "").trim().slice(0, 300), checked: el.checked ?? null,
    outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth, boxShadow: style.boxShadow,
  };
}

async function tabUntil(page, predicate, limit, trail) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press("Tab");
    const active = await page.evaluate(describeActive);
    trail.push(active.id || active.tag);
    if (predicate(active)) return active;
  }
  throw new Error(`focus never reached the wanted element after ${limit} Tab presses: ${trail.join(" → ")}`);
}

async function readPage(page) {
  return page.evaluate(() => ({
    url: location.pathname + location.search,
    lang: document.documentElement.lang,
    title: document.title,
    h1: document.querySelector("h1")?.innerText ?? null,
    state: document.querySelector("#etat")?.innerText ?? null,
    alert: document.querySelector("[role=alert]")?.innerText?.trim() ?? null,
    status: document.querySelector("[role=status]")?.innerText?.trim() ?? null,
    privateLink: document.querySelector(".private-link")?.innerText?.trim() ?? null,
    levelChecked: document.querySelector("input[name=level]:checked")?.value ?? null,
    contactChecked: document.querySelector("input[name=contact]:checked")?.value ?? null,
    name: document.querySelector("#name")?.value ?? null,
    filesChosen: document.querySelector("#evidence")?.files?.length ?? null,
    main: document.querySelector("main")?.innerText ?? "",
    errorBox: (() => {
      const box = document.querySelector("#erreur")?.getBoundingClientRect();
      return box ? { x: box.x, y: box.y, width: box.width, height: box.height } : null;
    })(),
    bodyFontSize: getComputedStyle(document.body).fontSize,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
}

async function pressAndLoad(page, key) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press(key)]);
  // autofocus applies at the page's first rendering update after load: wait for it (at most 3 s), as a person would
  await page.waitForFunction(() => document.activeElement && document.activeElement !== document.body, null,
    { timeout: 3000 }).catch(() => {});
  return response ? response.status() : null;
}

async function attachPhoto(page, trail) {
  const field = await tabUntil(page, (a) => a.id === "evidence", 30, trail);
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.keyboard.press("Space")]);
  await chooser.setFiles(config.photo);
  return field;
}

async function requestCase(page, test) {
  const trail = [];
  const steps = { focus: {} };
  const shot = (name) => page.screenshot({ path: join(test.screenshots, `${name}.png`) });
  await page.goto(`${config.base}${config.form}`, { waitUntil: "load" });
  steps.start = await readPage(page);
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
  steps.refused = await readPage(page);
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
  steps.sent = await readPage(page);
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
  steps.follow = await readPage(page);
  await shot("follow");
  steps.trail = trail;
  return steps;
}

const browser = await chromium.launchPersistentContext(config.userDataDir, {
  executablePath: config.executablePath, headless: true, args: FLAGS, deviceScaleFactor: 1, locale: "fr-FR",
  timeout: 20000,
});
const results = [];
try {
  for (const test of config.cases) {
    const page = await browser.newPage();
    await page.setViewportSize(test.viewport);
    page.setDefaultTimeout(15000);
    const problems = [];
    page.on("console", (m) => {
      // a refused form answers 422 on purpose: Chromium logs the page's own status; any other error counts
      const own = m.text().startsWith("Failed to load resource") && m.location().url === page.url();
      if (m.type() === "error" && !own) problems.push(`console: ${m.text()} (${m.location().url})`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.route((url) => url.origin !== new URL(config.base).origin, (route) => {
      problems.push(`request to another origin: ${route.request().url()}`);
      return route.abort();
    });
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    const started = Date.now();
    const steps = await requestCase(page, test);
    results.push({ name: test.name, ...steps, problems, ms: Date.now() - started });
    await page.close();
  }
} finally {
  const version = browser.browser()?.version() ?? null;
  await browser.close();
  process.stdout.write(`${JSON.stringify({ browser: version, results })}\n`);
}
