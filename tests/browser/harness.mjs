// What the page tests share when they drive Debian's Chromium (headless, through playwright-core from
// interop/browser) with the keyboard only: reading the script's CONFIG, launching the browser, running each case in
// its own page (every request to another origin than "base" refused and, with any script error, console error or
// failed request, reported in "problems"), moving the focus with Tab, reading a sign-in code from the outbox, reading
// what a person sees on a page, and screenshots. Each script (tests/*/…-page.mjs) keeps only its own steps:
//
//   import { readConfig, runCases, … } from "../browser/harness.mjs";
//   const config = readConfig();
//   await runCases(config, async (page, test) => ({ …steps }));
//
// CONFIG: {"base": "http://localhost:PORT", "executablePath": "/usr/bin/chromium", "userDataDir": DIR,
//          "otherOrigins"?: ["http://localhost:PORT2"], "cases": [{"name", "viewport": {"width", "height"},
//          "screenshots": DIR, …}], …}
// runCases prints one JSON object {"browser", "results": [{"name", …steps, "problems", "ms"}]} on stdout; the script
// exits non-zero only when it fails.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(new URL("../../interop/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");

export const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

// The CONFIG file named on the command line.
export function readConfig() {
  return JSON.parse(readFileSync(process.argv[2], "utf8"));
}

// The element that has the focus, as the tests read it (run in the page). `role` says whether it contains the
// error summary (role=alert) or a result (role=status); `checked` is null for what is not a checkbox or radio.
export function describeActive() {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: "body" };
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id || null, type: el.getAttribute("type"), name: el.getAttribute("name"),
    href: el.getAttribute("href"), checked: typeof el.checked === "boolean" ? el.checked : null,
    role: el.querySelector("[role=alert]") ? "contains-alert"
      : el.querySelector("[role=status]") ? "contains-status" : el.getAttribute("role"),
    text: (el.innerText || el.value || "").trim().slice(0, 300),
    outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth, boxShadow: style.boxShadow,
  };
}

// Press Tab until `predicate` holds for the focused element (at most `limit` times); each stop is added to `trail`.
export async function tabUntil(page, predicate, limit, trail) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press("Tab");
    const active = await page.evaluate(describeActive);
    trail.push(active.id || active.tag);
    if (predicate(active)) return active;
  }
  throw new Error(`focus never reached the wanted element after ${limit} Tab presses: ${trail.join(" → ")}`);
}

// Press `key` and wait for the page it leads to: its HTTP status (null without a response).
export async function press(page, key) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press(key)]);
  return response ? response.status() : null;
}

// autofocus applies at the page's first rendering update after load: wait for it (at most 3 s), as a person would
export async function waitForAutofocus(page) {
  await page.waitForFunction(() => document.activeElement && document.activeElement !== document.body, null,
    { timeout: 3000 }).catch(() => {});
}

// The focused element once the page's autofocus applied.
export async function focusAfterLoad(page) {
  await waitForAutofocus(page);
  return page.evaluate(describeActive);
}

// Wait (at most `timeout` ms) until every image matching `selector` is either loaded or failed.
export async function imagesSettled(page, selector = "img", timeout = 5000) {
  await page.waitForFunction((css) => [...document.querySelectorAll(css)].every((img) => img.complete), selector,
    { timeout }).catch(() => {});
}

// The text of the page's <main>, as a person reads it.
export async function mainText(page) {
  return page.evaluate(() => document.querySelector("main").innerText);
}

// The 6 digits of the newest sign-in message to `email` in `outbox` (written by the mail job once the answer is
// sent; a person may also receive other messages, without a code). Waits for it at most 15 s.
export async function codeFor(outbox, email) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    let files = [];
    try {
      files = readdirSync(outbox).filter((f) => f.endsWith(".eml")).map((f) => join(outbox, f));
    } catch { /* not created yet */ }
    const codes = files.map((f) => ({ text: readFileSync(f, "latin1"), at: statSync(f).mtimeMs }))
      .filter((m) => m.text.includes(`To: ${email}`))
      .map((m) => ({ found: /^ {4}(\d{3}) (\d{3})\s*$/m.exec(m.text), at: m.at }))
      .filter((m) => m.found).sort((a, b) => b.at - a.at);
    if (codes.length) return codes[0].found[1] + codes[0].found[2];
    await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
  throw new Error(`no sign-in message to ${email} in ${outbox}`);
}

// Sign in as a person would, from the sign-in page: Tab to the address, type it, Enter; read the code from the
// message in `outbox`; Tab to the code field, type it, Enter. Returns what `read` saw once the address was sent.
export async function signIn(page, { outbox, email, trail, read = readPage }) {
  await tabUntil(page, (a) => a.id === "email", 10, trail);
  await page.keyboard.type(email);
  await press(page, "Enter");
  const sent = await read(page);
  const code = await codeFor(outbox, email);
  await tabUntil(page, (a) => a.id === "code", 10, trail);
  await page.keyboard.type(code);
  await press(page, "Enter");
  return sent;
}

// What a person sees on the page: its address, language, title, first heading, error summary (role=alert) and
// result (role=status), where the error box (#erreur) is (and the result box, given its selector as `statusBox`),
// the body's font size and whether the page is wider than the screen; plus what `extra` (run in the page) returns.
export async function readPage(page, { statusBox = null, extra = null } = {}) {
  const seen = await page.evaluate((statusSelector) => {
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
      ...(statusSelector ? { statusBox: box(statusSelector) } : {}),
      bodyFontSize: getComputedStyle(document.body).fontSize,
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    };
  }, statusBox);
  return extra ? { ...seen, ...(await page.evaluate(extra)) } : seen;
}

// A function that saves the page's screenshot as DIR/NAME.png (the whole page with {fullPage: true}).
export function screenshots(page, dir) {
  return (name, { fullPage = false } = {}) => page.screenshot({ path: join(dir, `${name}.png`), fullPage });
}

// Collect in the returned list what goes wrong on `page`: script errors, console errors (but Chromium's own line for
// the page's status: a refused form answers 4xx on purpose), failed requests, and any request to another origin
// than `base` (and the `others` a case travels between, such as a second service), which is refused.
export async function watch(page, base, others = []) {
  const problems = [];
  page.on("console", (m) => {
    const own = m.text().startsWith("Failed to load resource") && m.location().url === page.url();
    if (m.type() === "error" && !own) problems.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  const allowed = new Set([base, ...others].map((address) => new URL(address).origin));
  await page.route((url) => !allowed.has(url.origin), (route) => {
    problems.push(`request to another origin: ${route.request().url()}`);
    return route.abort();
  });
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  return problems;
}

// Chromium with its own profile (config.userDataDir), in French, one device pixel per CSS pixel.
export async function launch(config) {
  return chromium.launchPersistentContext(config.userDataDir, {
    executablePath: config.executablePath, headless: true, args: FLAGS, deviceScaleFactor: 1, locale: "fr-FR",
    timeout: 20000,
  });
}

// Run `runCase(page, test)` for each of config.cases, each in a new page at its viewport (signed out first with
// `clearCookies`), and print {"browser", "results"}: each case's steps, its problems and how long it took.
export async function runCases(config, runCase, { clearCookies = false } = {}) {
  const browser = await launch(config);
  const results = [];
  try {
    for (const test of config.cases) {
      if (clearCookies) await browser.clearCookies();
      const page = await browser.newPage();
      await page.setViewportSize(test.viewport);
      page.setDefaultTimeout(15000);
      const problems = await watch(page, config.base, config.otherOrigins ?? []);
      const started = Date.now();
      const steps = await runCase(page, test);
      results.push({ name: test.name, ...steps, problems, ms: Date.now() - started });
      await page.close();
    }
  } finally {
    const version = browser.browser()?.version() ?? null;
    await browser.close();
    process.stdout.write(`${JSON.stringify({ browser: version, results })}\n`);
  }
}
