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
// the endorser also received the request itself, without a code).
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
      statusBox: box("#message"),
      vouchers: [...document.querySelectorAll("#recommandations li")].map((li) => li.innerText.trim()),
      image: (() => {
        const img = document.querySelector("img.badge-image");
        return img ? { complete: img.complete, naturalWidth: img.naturalWidth } : null;
      })(),
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

async function endorserCase(page, test) {
  const trail = [];
  const steps = {};
  await page.goto(`${config.base}${test.linkPath}`, { waitUntil: "load" });
  steps.link = await readPage(page);
  await page.screenshot({ path: join(test.screenshots, "link.png") });
  steps.signInButton = await tabUntil(page, (a) => a.id === "se-connecter", 20, trail);
  await press(page, "Enter");
  steps.start = await readPage(page);
  await tabUntil(page, (a) => a.id === "email", 10, trail);
  await page.keyboard.type(test.email);
  await press(page, "Enter");
  const code = await codeFor(test.email);
  await tabUntil(page, (a) => a.id === "code", 10, trail);
  await page.keyboard.type(code);
  await press(page, "Enter");
  steps.signedIn = await readPage(page);
  await page.screenshot({ path: join(test.screenshots, "form.png") });
  steps.emptyWords = await tabUntil(page, (a) => a.id === "comment", 25, trail);
  steps.button = await tabUntil(page, (a) => a.tag === "button", 2, trail);
  await press(page, "Enter");
  steps.refusedFocus = await focusAfterLoad(page);
  steps.refused = await readPage(page);
  await page.screenshot({ path: join(test.screenshots, "refused.png") });
  steps.retryFocus = await tabUntil(page, (a) => a.id === "comment", 6, trail);
  await page.keyboard.type(test.words);
  await tabUntil(page, (a) => a.tag === "button", 2, trail);
  await press(page, "Enter");
  steps.thanksFocus = await focusAfterLoad(page);
  steps.thanks = await readPage(page);
  steps.thanksText = await page.evaluate(() => document.querySelector("main").innerText);
  await page.screenshot({ path: join(test.screenshots, "thanks.png") });
  await page.screenshot({ path: join(test.screenshots, "thanks-full.png"), fullPage: true });
  steps.badgeLink = await tabUntil(page, (a) => a.id === "voir-badge", 10, trail);
  await press(page, "Enter");
  await page.waitForFunction(() => [...document.querySelectorAll("img")].every((img) => img.complete), null,
    { timeout: 5000 }).catch(() => {});
  steps.badge = await readPage(page);
  steps.badgeText = await page.evaluate(() => document.querySelector("main").innerText);
  await page.screenshot({ path: join(test.screenshots, "badge.png") });
  await page.screenshot({ path: join(test.screenshots, "badge-full.png"), fullPage: true });
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
      // words refused for being empty answer 422 on purpose: Chromium logs the page's own status
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
    const steps = await endorserCase(page, test);
    results.push({ name: test.name, ...steps, problems, ms: Date.now() - started });
    await page.close();
  }
} finally {
  const version = browser.browser()?.version() ?? null;
  await browser.close();
  process.stdout.write(`${JSON.stringify({ browser: version, results })}\n`);
}
