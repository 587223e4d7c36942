// Search and countdown in the system Chromium, as a reader meets them:
// pages served over HTTP with Content-Security-Policy: default-src 'self'.
//
//   node search.mjs DIR    DIR: the sites built with --now 2025-08-20T12:00:00+08:00
//
// - types 医保 into Liaoning's search page and sees 提升医保数据赋能管理水平
//   first, with 医保 marked, the count announced and the query in the URL;
//   narrows to a track; opens a ?q= link; a query that finds nothing;
// - reads the build of 20 August without JavaScript; opens home and
//   timeline built on 23 August with the browser's clock on later days
//   (day counts follow until the page's next change of state, then the
//   page says it may be out of date) and on an earlier one (not believed);
//   and the preview of `podium serve --now`, read at the pinned instant;
// - no console error, page error or CSP violation on any of these pages;
//   axe-core finds nothing on the search page once it shows results.
// Prints each check; exits 1 on any failure.
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import assert from "node:assert/strict";

const dir = process.argv[2];
// Optional: sites built on 2025-08-23 at noon (the day counts), and the
// address of `podium serve --site liaoning --now 2025-08-23T12:00:00+08:00`.
const clockDir = process.argv[3];
const serveOrigin = process.argv[4];
if (!dir) {
  console.error("usage: node search.mjs DIR [CLOCK_DIR [SERVE_URL]]");
  process.exit(2);
}
const root = path.resolve(dir);
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".json": "application/json; charset=utf-8" };

function serve(root) {
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    // The site has no icon; the browser asks for one anyway.
    if (p === "/favicon.ico") { res.writeHead(204); return res.end(); }
    let file = path.join(root, p);
    if (!file.startsWith(root)) { res.writeHead(400); return res.end(); }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    const headers = { "Content-Security-Policy": "default-src 'self'", "X-Content-Type-Options": "nosniff" };
    if (!fs.existsSync(file)) { res.writeHead(404, headers); return res.end("not found"); }
    headers["Content-Type"] = TYPES[path.extname(file)] || "application/octet-stream";
    res.writeHead(200, headers);
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

// The build's own text, before any script: what a reader without JavaScript sees.
const built = (rel) => fs.readFileSync(path.join(root, rel), "utf8");

const server = await serve(root);
const origin = `http://127.0.0.1:${server.address().port}`;
const clockServer = clockDir ? await serve(path.resolve(clockDir)) : null;
const clockOrigin = clockServer ? `http://127.0.0.1:${clockServer.address().port}` : null;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

let failures = 0;
let checked = 0;
async function check(name, fn) {
  checked++;
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}\n     ${String(e.message).split("\n").join("\n     ")}`);
  }
}

/// A fresh page whose clock reads `now` (if given), recording every
/// console error, page error and CSP violation.
async function open(url, now) {
  return openAt(origin, url, now);
}

async function openAt(base, url, now) {
  const context = await browser.newContext();
  const problems = [];
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP-VIOLATION ${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error" || m.text().includes("Content Security Policy")) problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  if (now) await page.clock.setFixedTime(new Date(now));
  await page.goto(base + url, { waitUntil: "load" });
  return { page, problems, close: () => context.close() };
}

try {
  await check("liaoning zh: typing 医保 finds 提升医保数据赋能管理水平 first, marked, counted, kept in the URL", async () => {
    const { page, problems, close } = await open("/liaoning/search/");
    await page.locator("#search-q").fill("医保");
    await page.locator("#search-results li").first().waitFor();
    const first = page.locator("#search-results li").first();
    assert.equal(await first.locator("a").textContent(), "提升医保数据赋能管理水平");
    assert.equal(await first.locator("mark").textContent(), "医保");
    assert.match(await first.locator("a").getAttribute("href"), /^\.\.\/tracks\/medical-security\/management\/$/);
    assert.equal(await first.locator(".result-type").textContent(), "赛题");
    assert.equal(await first.locator(".result-in").textContent(), "医疗保障");
    assert.equal(await page.locator("#search-status").textContent(), "找到6条结果");
    assert.equal(await page.locator("#search-browse").isHidden(), true, "the topic list gives way to the results");
    assert.equal(await page.locator("[data-nojs]").isHidden(), true);
    assert.equal(new URL(page.url()).searchParams.get("q"), "医保");
    // Narrowed to a track: the notice (no track) drops out.
    await page.locator("#search-track").selectOption("medical-security");
    await page.waitForFunction(() => document.querySelector("#search-status").textContent === "找到5条结果");
    assert.equal(new URL(page.url()).searchParams.get("track"), "medical-security");
    // The result link leads to the topic.
    await first.locator("a").click();
    await page.waitForURL(/\/liaoning\/tracks\/medical-security\/management\/$/);
    assert.equal(await page.locator("h1").textContent(), "提升医保数据赋能管理水平");
    assert.deepEqual(problems, []);
    await close();
  });

  await check("liaoning en: a ?q= link searches on arrival; nothing found offers the Chinese site", async () => {
    const { page, problems, close } = await open("/liaoning/en/search/?q=medical%20security");
    await page.locator("#search-results li").first().waitFor();
    assert.equal(await page.locator("#search-q").inputValue(), "medical security");
    const first = page.locator("#search-results li").first();
    assert.equal(await first.locator(".result-type").textContent(), "Track");
    assert.equal(await first.locator("a").textContent(), "Medical Security");
    assert.deepEqual(await first.locator("mark").allTextContents(), ["Medical", "Security"]);
    await page.locator("#search-q").fill("医保");
    await page.waitForFunction(() => document.querySelector("#search-status").textContent.startsWith("Nothing found"));
    assert.equal(await page.locator("#search-status").textContent(), "Nothing found for “医保”.");
    const other = page.locator("[data-elsewhere] a");
    assert.equal(await other.isVisible(), true);
    assert.equal(await other.textContent(), "用中文搜索");
    await other.click();
    await page.locator("#search-results li").first().waitFor();
    assert.equal(await page.locator("#search-results li a").first().textContent(), "提升医保数据赋能管理水平");
    assert.deepEqual(problems, []);
    await close();
  });

  await check("heilongjiang zh: 气象 灾害 typed with a full-width space, and the keyboard alone", async () => {
    const { page, problems, close } = await open("/heilongjiang/search/");
    await page.keyboard.press("Tab"); // skip link
    await page.locator("#search-q").focus();
    await page.keyboard.type("气象　灾害");
    await page.keyboard.press("Enter");
    await page.locator("#search-results li").first().waitFor();
    assert.equal(await page.locator("#search-results li a").first().textContent(), "提高气象防灾减灾能力");
    assert.equal(page.url().startsWith(origin + "/heilongjiang/search/?q="), true, "Enter does not leave the page");
    assert.deepEqual(problems, []);
    await close();
  });

  await check("axe-core finds nothing on the search page with results shown (390 and 1280 px)", async () => {
    const axe = fs.readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const found = [];
    for (const [url, query] of [["/liaoning/search/", "医保"], ["/liaoning/en/search/", "data"]]) {
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${origin}${url}?q=${encodeURIComponent(query)}`, { waitUntil: "load" });
        await page.locator("#search-results li").first().waitFor();
        await page.evaluate(axe);
        const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
        for (const v of r.violations) for (const n of v.nodes) found.push(`${url}?q=${query} @${width}: ${v.id}: ${n.target.join(" ")}`);
      }
    }
    await context.close();
    assert.deepEqual(found, []);
  });

  // Liaoning was built on 20 August: no stage under way, the final tomorrow,
  // the winners' notice from the 22nd to the 28th.
  await check("the build of 20 August says so without JavaScript", async () => {
    const home = built("liaoning/index.html");
    assert.match(home, /<p>当前不在任何赛程阶段内。<\/p>/);
    assert.match(home, /data-days="until" data-day="2025-08-21"[^>]*>明天开始<\/time>/);
    assert.match(home, /data-valid-until="2025-08-21T00:00:00\+08:00"/);
    const tl = built("liaoning/en/timeline/index.html");
    assert.match(tl, /data-days="until" data-day="2025-08-22"[^>]*>Starts in 2 days<\/time>/);
  });

  if (clockDir) {
    const clockPage = (url, now) => openAt(clockOrigin, url, now);
    // Built on 23 August at noon: the winners' notice under way (6 days
    // left), the ceremony on the 29th; nothing but day counts changes
    // until the 29th at 00:00, the page's next change of state.
    await check("home built 23 August, browser clock on 25 August: every day count follows, nothing else moves", async () => {
      const { page, problems, close } = await clockPage("/liaoning/", "2025-08-25T12:00:00+08:00");
      assert.equal(await page.locator(".stage-now strong").textContent(), "决赛公示");
      assert.equal(await page.locator(".stage-now time").textContent(), "进行中，还剩4天");
      assert.equal(await page.locator(".stage-next time").textContent(), "4天后开始");
      assert.equal(await page.locator("[data-stale]").isHidden(), true);
      assert.deepEqual(problems, []);
      await close();
    });
    await check("timeline (en) built 23 August, clock on the last second of the 28th: last day, starts tomorrow, today's date", async () => {
      const { page, problems, close } = await clockPage("/liaoning/en/timeline/", "2025-08-28T23:59:59+08:00");
      const counts = await page.locator("li.stage time[data-days]").allTextContents();
      assert.deepEqual(counts, ["Under way, last day today", "Starts tomorrow"]);
      assert.equal(await page.locator("time[data-today]").textContent(), "28 August 2025");
      assert.equal(await page.locator("[data-stale]").isHidden(), true);
      assert.deepEqual(problems, []);
      await close();
    });
    await check("at the page's next change (29 August 00:00) the page says it may be out of date and invents nothing", async () => {
      const { page, problems, close } = await clockPage("/liaoning/", "2025-08-29T00:00:00+08:00");
      assert.equal(await page.locator("[data-stale]").isVisible(), true);
      assert.match(await page.locator("[data-stale]").textContent(), /2025年8月23日的状态/);
      assert.equal(await page.locator(".stage-now time").textContent(), "进行中，还剩6天", "the build's own words stay");
      assert.equal(await page.locator(".stage-now strong").textContent(), "决赛公示");
      assert.deepEqual(problems, []);
      await close();
    });
    await check("a browser clock behind the build is not believed", async () => {
      const { page, close } = await clockPage("/liaoning/", "2025-08-01T12:00:00+08:00");
      assert.equal(await page.locator(".stage-now time").textContent(), "进行中，还剩6天");
      assert.equal(await page.locator("[data-stale]").isHidden(), true);
      await close();
    });
  }

  if (serveOrigin) {
    // `podium serve --now 2025-08-23T12:00:00+08:00`: the preview is read
    // at the pinned instant, whatever the browser's clock says.
    await check("under serve --now, the pinned instant is the clock, later and earlier browser clocks alike", async () => {
      for (const browserNow of ["2025-09-30T12:00:00+08:00", "2025-08-01T12:00:00+08:00"]) {
        const { page, close } = await openAt(serveOrigin, "/", browserNow);
        assert.equal(await page.locator(".stage-now time").textContent(), "进行中，还剩6天", browserNow);
        assert.equal(await page.locator("[data-stale]").isHidden(), true, browserNow);
        await close();
      }
    });
  }
} finally {
  await browser.close();
  server.close();
  if (clockServer) clockServer.close();
}
console.log(`\nsearch (browser): ${checked} checks, ${failures} failed`);
process.exit(failures ? 1 : 0);
