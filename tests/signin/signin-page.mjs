// Drive Debian's Chromium (headless, through playwright-core from interop/browser) through the savoirs sign-in
// pages with the keyboard only: Tab to the address, type it, Enter; read the code from the message the service
// wrote to its outbox; Tab to the code field, type a wrong code, Enter; see where the focus is and what the title
// says; Tab to the code field again, type the right code, Enter; land on the signed-in page. Screenshots of each.
//
//   node tests/signin/signin-page.mjs CONFIG.json
//
// CONFIG: {"base": "http://localhost:PORT", "executablePath": "/usr/bin/chromium", "userDataDir": DIR,
//          "outbox": DIR, "cases": [{"name", "email", "viewport": {"width", "height"}, "screenshots": DIR}]}
// Every request to another origin than "base" is refused and reported in "problems".
// Prints one JSON object {"browser", "results": [...]} on stdout; exits non-zero only when the script fails.

import { readdirSync, readFileSync, statSync } from "node:fs";
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
    role: el.querySelector("[role=alert]") ? "contains-alert" : el.getAttribute("role"),
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

// The 6 digits of the newest message to `email` in the outbox (written by the mail job once the answer is sent).
async function codeFor(email) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    let files = [];
    try {
      files = readdirSync(config.outbox).filter((f) => f.endsWith(".eml")).map((f) => join(config.outbox, f));
    } catch { /* not created yet */ }
    const mine = files.map((f) => ({ f, text: readFileSync(f, "latin1"), at: statSync(f).mtimeMs }))
      .filter((m) => m.text.includes(`To: ${email}`)).sort((a, b) => b.at - a.at);
    const found = mine.length ? /^ {4}(\d{3}) (\d{3})\s*$/m.exec(mine[0].text) : null;
    if (found) return found[1] + found[2];
    await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
  throw new Error(`no message to ${email} in ${config.outbox}`);
}

async function readPage(page) {
  return page.evaluate(() => ({
    url: location.pathname + location.search,
    lang: document.documentElement.lang,
    title: document.title,
    h1: document.querySelector("h1")?.innerText ?? null,
    alert: document.querySelector("[role=alert]")?.innerText?.trim() ?? null,
    errorBox: (() => {
      const box = document.querySelector("#erreur")?.getBoundingClientRect();
      return box ? { x: box.x, y: box.y, width: box.width, height: box.height } : null;
    })(),
    bodyFontSize: getComputedStyle(document.body).fontSize,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
}

async function submitWithEnter(page) {
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
}

async function signInCase(page, test) {
  const trail = [];
  const steps = {};
  await page.goto(`${config.base}/connexion`, { waitUntil: "load" });
  steps.start = await readPage(page);
  steps.emailFocus = await tabUntil(page, (a) => a.id === "email", 10, trail);
  await page.keyboard.type(test.email);
  await submitWithEnter(page);
  steps.sent = await readPage(page);
  await page.screenshot({ path: join(test.screenshots, "code.png") });
  const code = await codeFor(test.email);
  const wrong = code === "000000" ? "111111" : "000000";
  steps.codeFocus = await tabUntil(page, (a) => a.id === "code", 10, trail);
  await page.keyboard.type(wrong);
  await submitWithEnter(page);
  steps.refused = await readPage(page);
  // autofocus applies at the page's first rendering update after load: wait for it (at most 3 s), as a person would
  await page.waitForFunction(() => document.activeElement && document.activeElement !== document.body, null,
    { timeout: 3000 }).catch(() => {});
  steps.refusedFocus = await page.evaluate(describeActive);
  await page.screenshot({ path: join(test.screenshots, "refused.png") });
  steps.retryFocus = await tabUntil(page, (a) => a.id === "code", 6, trail);
  await page.keyboard.type(code);
  await submitWithEnter(page);
  steps.signedIn = await readPage(page);
  steps.signedInText = await page.evaluate(() => document.querySelector("main").innerText);
  await page.screenshot({ path: join(test.screenshots, "signed-in.png") });
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
      // a refused code answers 400 on purpose: Chromium logs the page's own status; any other error counts
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
    const steps = await signInCase(page, test);
    results.push({ name: test.name, ...steps, problems, ms: Date.now() - started });
    await page.close();
  }
} finally {
  const version = browser.browser()?.version() ?? null;
  await browser.close();
  process.stdout.write(`${JSON.stringify({ browser: version, results })}\n`);
}
