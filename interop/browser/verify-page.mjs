// Drive Debian's Chromium (headless, through playwright-core) through the savoirs verification page, with the
// keyboard only: Tab to the file field, Space opens the file chooser, Tab to the button, Enter submits. Then read
// what a person would see (the verdict, its colours, the page language) and take a screenshot.
//
//   node interop/browser/verify-page.mjs CONFIG.json
//
// CONFIG: {"base": "http://localhost:PORT", "executablePath": "/usr/bin/chromium", "userDataDir": DIR,
//          "viewport": {"width": W, "height": H}, "cases": [CASE…]}
// CASE:   {"name", "kind": "upload", "file": PATH, "screenshot": PATH}   the /verify form, keyboard only
//         {"name", "kind": "open", "url": URL, "screenshot": PATH,       a page opened directly (credential page,
//          "waitFor": CSS?, "viewport": {…}?}                            home page, API docs), once CSS shows
// Every request to another origin than "base" is refused and reported in "problems": the pages work offline.
// Prints one JSON object {"browser", "results": [...]} on stdout; exits non-zero only when the script fails.

import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));

function describeActive() {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: "body" };
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id || null, type: el.getAttribute("type"),
    text: (el.innerText || el.value || "").trim().slice(0, 80),
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
  return page.evaluate(() => {
    const verdict = document.querySelector(".verdict");
    const status = document.querySelector("[role=status]");
    const box = verdict ? verdict.getBoundingClientRect() : null;
    const style = verdict ? getComputedStyle(verdict) : null;
    const link = (text) => [...document.querySelectorAll("a")].find((a) => a.textContent.includes(text));
    const href = (a) => (a ? a.getAttribute("href") : null);
    return {
      lang: document.documentElement.lang,
      title: document.title,
      h1: document.querySelector("h1")?.innerText ?? null,
      verdict: status ? status.innerText.trim() : null,
      verdictClass: verdict ? verdict.className : null,
      verdictBox: box && { x: box.x, y: box.y, width: box.width, height: box.height },
      verdictBackground: style?.backgroundColor ?? null,
      verdictColor: style?.color ?? null,
      bodyFontSize: getComputedStyle(document.body).fontSize,
      badgeName: document.querySelector(".badge-name")?.innerText ?? null,
      issuer: document.querySelector(".issuer")?.innerText ?? null,
      images: [...document.querySelectorAll("img")].map((img) => ({
        complete: img.complete, naturalWidth: img.naturalWidth, referrerPolicy: img.referrerPolicy })),
      links: {
        linkedin: href(link("LinkedIn")), png: href(link("(PNG)")), svg: href(link("(SVG)")),
        english: href(link("English")), verify: href(link("rifier un badge")), docs: href(link("API")),
      },
      docsTitle: document.querySelector(".swagger-ui .info .title")?.innerText ?? null,
      operations: document.querySelectorAll(".swagger-ui .opblock").length,
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    };
  });
}

async function uploadCase(page, test) {
  const trail = [];
  const keyboard = {};
  await page.goto(`${config.base}/verify`, { waitUntil: "load" });
  const file = await tabUntil(page, (a) => a.id === "file", 12, trail);
  keyboard.fileFocus = file;
  for (let attempt = 1; attempt <= 3 && !keyboard.fileChooser; attempt += 1) {
    try { // on a loaded machine the chooser can take seconds to open: wait, and press again if it did not
      const [chooser] = await Promise.all([
        page.waitForEvent("filechooser", { timeout: 8000 }), page.keyboard.press("Space")]);
      await chooser.setFiles(test.file);
      keyboard.fileChooser = "space";
      keyboard.spaceAttempts = attempt;
    } catch {
      await page.locator("#file").focus();
    }
  }
  if (!keyboard.fileChooser) {
    await page.locator("#file").setInputFiles(test.file); // the chooser did not open from the keyboard
    keyboard.fileChooser = "setInputFiles";
  }
  keyboard.submitFocus = await tabUntil(page, (a) => a.tag === "button", 4, trail);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/verify"),
    page.waitForNavigation({ waitUntil: "load" }),
    page.keyboard.press("Enter"),
  ]);
  keyboard.submittedWith = "Enter";
  keyboard.trail = trail;
  return { status: response.status(), keyboard };
}

async function openCase(page, test) {
  if (test.viewport) await page.setViewportSize(test.viewport);
  const response = await page.goto(test.url, { waitUntil: "load" });
  if (test.waitFor) await page.waitForSelector(test.waitFor);
  return { status: response.status(), contentType: response.headers()["content-type"] ?? null };
}

const browser = await chromium.launchPersistentContext(config.userDataDir, {
  executablePath: config.executablePath,
  headless: true,
  args: FLAGS,
  viewport: config.viewport,
  deviceScaleFactor: 1,
  locale: "fr-FR",
  timeout: 20000,
});
const results = [];
try {
  for (const test of config.cases) {
    const page = await browser.newPage();
    page.setDefaultTimeout(10000);
    const problems = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.route((url) => url.origin !== new URL(config.base).origin, (route) => {
      problems.push(`request to another origin: ${route.request().url()}`);
      return route.abort();
    });
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    const started = Date.now();
    const outcome = test.kind === "upload" ? await uploadCase(page, test) : await openCase(page, test);
    const seen = await readPage(page);
    await page.screenshot({ path: test.screenshot, fullPage: Boolean(test.fullPage) });
    results.push({ name: test.name, ...outcome, ...seen, problems, screenshot: test.screenshot,
      ms: Date.now() - started });
    await page.close();
  }
} finally {
  const version = browser.browser()?.version() ?? null;
  await browser.close();
  process.stdout.write(`${JSON.stringify({ browser: version, results })}\n`);
}
