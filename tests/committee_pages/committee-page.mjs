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
// Every request to another origin than "base" is refused and reported in "problems".
// Prints one JSON object {"browser", "results": [...]} on stdout; exits non-zero only when the script fails.

import { readdirSync, readFileSync } from "node:fs";
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
    tag: el.tagName.toLowerCase(), id: el.id || null, type: el.getAttribute("type"),
    checked: typeof el.checked === "boolean" ? el.checked : null,
    role: el.querySelector("[role=alert]") ? "contains-alert"
      : el.querySelector("[role=status]") ? "contains-status" : el.getAttribute("role"),
    text: (el.innerText || el.value || "").trim().slice(0, 300),
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

// The 6 digits of a sign-in message to `email` in the outbox (written by the mail job once the answer is sent;
// members also receive other messages, without a code).
async function codeFor(email) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    let files = [];
    try {
      files = readdirSync(config.outbox).filter((f) => f.endsWith(".eml")).map((f) => join(config.outbox, f));
    } catch { /* not created yet */ }
    for (const file of files) {
      const text = readFileSync(file, "latin1");
      const found = text.includes(`To: ${email}`) ? /^ {4}(\d{3}) (\d{3})\s*$/m.exec(text) : null;
      if (found) return found[1] + found[2];
    }
    await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
  throw new Error(`no sign-in message to ${email} in ${config.outbox}`);
}

async function readPage(page) {
  return page.evaluate(() => {
    const box = (selector) => {
      const found = document.querySelector(selector)?.getBoundingClientRect();
      return found ? { x: found.x, y: found.y, width: found.width, height: found.height } : null;
    };
    return {
      url: location.pathname + location.search,
      lang: document.documentElement.lang,
      title: document.title,
      h1: document.querySelector("h1")?.innerText ?? null,
      alert: document.querySelector("[role=alert]")?.innerText?.trim() ?? null,
      status: document.querySelector("[role=status]")?.innerText?.trim() ?? null,
      errorBox: box("#erreur"),
      statusBox: box("#resultat"),
      thumbs: [...document.querySelectorAll("img.thumb")].map((img) => ({
        complete: img.complete, naturalWidth: img.naturalWidth, alt: img.alt })),
      bodyFontSize: getComputedStyle(document.body).fontSize,
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    };
  });
}

async function press(page, key) {
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press(key)]);
}

// autofocus applies at the page's first rendering update after load: wait for it (at most 3 s), as a person would
async function focusAfterLoad(page) {
  await page.waitForFunction(() => document.activeElement && document.activeElement !== document.body, null,
    { timeout: 3000 }).catch(() => {});
  return page.evaluate(describeActive);
}

async function committeeCase(page, test) {
  const trail = [];
  const steps = {};
  await page.goto(`${config.base}${test.listPath}`, { waitUntil: "load" });
  steps.start = await readPage(page);
  await tabUntil(page, (a) => a.id === "email", 10, trail);
  await page.keyboard.type(test.email);
  await press(page, "Enter");
  steps.sent = await readPage(page);
  const code = await codeFor(test.email);
  await tabUntil(page, (a) => a.id === "code", 10, trail);
  await page.keyboard.type(code);
  await press(page, "Enter");
  steps.list = await readPage(page);
  await page.screenshot({ path: join(test.screenshots, "list.png") });
  steps.link = await tabUntil(page, (a) => a.id === `demande-${test.requestId}`, 15, trail);
  await press(page, "Enter");
  // the thumbnails are loaded lazily: wait until every one is either loaded or failed
  await page.waitForFunction(() => [...document.querySelectorAll("img.thumb")].every((img) => img.complete), null,
    { timeout: 5000 }).catch(() => {});
  steps.request = await readPage(page);
  await page.screenshot({ path: join(test.screenshots, "request.png") });
  await page.screenshot({ path: join(test.screenshots, "request-full.png"), fullPage: true });
  steps.firstChoice = await tabUntil(page, (a) => a.id === "choice-accept", 25, trail);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  steps.choice = await page.evaluate(describeActive);
  steps.emptyComment = await tabUntil(page, (a) => a.id === "comment", 2, trail);
  steps.button = await tabUntil(page, (a) => a.tag === "button", 2, trail);
  await press(page, "Enter");
  steps.refusedFocus = await focusAfterLoad(page);
  steps.refused = await readPage(page);
  await page.screenshot({ path: join(test.screenshots, "refused.png") });
  steps.retryFocus = await tabUntil(page, (a) => a.id === "comment", 4, trail);
  await page.keyboard.type(config.comment);
  await tabUntil(page, (a) => a.tag === "button", 2, trail);
  await press(page, "Enter");
  steps.votedFocus = await focusAfterLoad(page);
  steps.voted = await readPage(page);
  steps.votedText = await page.evaluate(() => document.querySelector("main").innerText);
  await page.screenshot({ path: join(test.screenshots, "voted.png") });
  await page.screenshot({ path: join(test.screenshots, "voted-full.png"), fullPage: true });
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
    await browser.clearCookies(); // each case signs in from scratch
    const page = await browser.newPage();
    await page.setViewportSize(test.viewport);
    page.setDefaultTimeout(15000);
    const problems = [];
    page.on("console", (m) => {
      // a vote refused for its missing comment answers 422 on purpose: Chromium logs the page's own status
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
    const steps = await committeeCase(page, test);
    results.push({ name: test.name, ...steps, problems, ms: Date.now() - started });
    await page.close();
  }
} finally {
  const version = browser.browser()?.version() ?? null;
  await browser.close();
  process.stdout.write(`${JSON.stringify({ browser: version, results })}\n`);
}
