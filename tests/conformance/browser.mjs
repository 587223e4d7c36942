// Checks that need a real browser, in the system Chromium (no download):
//   node browser.mjs axe DIR  — axe-core, WCAG 2.1 A and AA, every page kind
//                               of every site, both languages, 1280 and 320 px
//   node browser.mjs csp DIR  — every page served with
//                               Content-Security-Policy: default-src 'self':
//                               no violation, no request leaving the site
// DIR holds one folder per site. Prints each finding; exits 1 on any.
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [mode, dir] = process.argv.slice(2);
if (!["axe", "csp"].includes(mode) || !dir) {
  console.error("usage: node browser.mjs axe|csp DIR");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(dir);
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".xml": "application/xml; charset=utf-8", ".json": "application/json; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png", ".pdf": "application/pdf" };

function serve() {
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
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

function htmlFiles(d) {
  const out = [];
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) out.push(...htmlFiles(p));
    else if (e.name.endsWith(".html")) out.push(p);
  }
  return out.sort();
}

/// One page of each kind, per site and language: what axe checks.
function pageKinds() {
  const pages = [];
  const sites = fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && fs.existsSync(path.join(root, e.name, "index.html")));
  for (const s of sites) {
    const site = path.join(root, s.name);
    const langs = [""].concat(fs.readdirSync(site, { withFileTypes: true }).filter((e) => e.isDirectory() && fs.existsSync(path.join(site, e.name, "index.html")) && fs.existsSync(path.join(site, e.name, "atom.xml"))).map((e) => e.name + "/"));
    for (const l of langs) {
      const base = path.join(site, l);
      const first = (sub, depth = 1) => {
        const d = path.join(base, sub);
        if (!fs.existsSync(d)) return null;
        const kids = fs.readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
        for (const k of kids) {
          if (depth === 1 && fs.existsSync(path.join(d, k, "index.html"))) return path.join(sub, k, "index.html");
          if (depth === 2) { const f = first(path.join(sub, k), 1); if (f) return f; }
        }
        return null;
      };
      const sections = new Set(["notices", "tracks", "timeline", "awards", "criteria", "publicity", "data", "static", "files", "en", "search"]);
      const freePage = fs.readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory() && !sections.has(e.name) && fs.existsSync(path.join(base, e.name, "index.html")) && !fs.existsSync(path.join(base, e.name, "atom.xml"))).map((e) => path.join(e.name, "index.html")).sort()[0];
      const kinds = ["index.html", "notices/index.html", first("notices"), "tracks/index.html", first("tracks"), first("tracks", 2), "timeline/index.html", "awards/index.html", "criteria/index.html", "publicity/index.html", first("publicity"), "data/index.html", freePage, "search/index.html", "404.html"];
      for (const k of kinds) if (k && fs.existsSync(path.join(base, k))) pages.push(path.join(s.name, l, k));
    }
  }
  return pages;
}

const server = await serve();
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const findings = [];
let checked = 0;
try {
  if (mode === "axe") {
    const axe = fs.readFileSync(path.join(here, "node_modules/axe-core/axe.min.js"), "utf8");
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    for (const rel of pageKinds()) {
      for (const width of [1280, 320]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${origin}/${rel.split(path.sep).join("/")}`, { waitUntil: "load" });
        await page.evaluate(axe);
        const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
        checked++;
        for (const v of result.violations) {
          for (const n of v.nodes) findings.push(`axe: ${rel} @${width}px: ${v.id} (${v.impact}): ${n.target.join(" ")} — ${v.help}`);
        }
      }
    }
  } else {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP-VIOLATION ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
    const page = await context.newPage();
    let current = "";
    page.on("console", (m) => { if (m.text().startsWith("CSP-VIOLATION") || m.text().includes("Content Security Policy")) findings.push(`csp: ${current}: ${m.text()}`); });
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(origin + "/") || url.startsWith("data:")) return route.continue();
      findings.push(`csp: ${current}: a request leaves the site: ${url}`);
      return route.abort();
    });
    for (const file of htmlFiles(root)) {
      current = path.relative(root, file);
      await page.goto(`${origin}/${current.split(path.sep).join("/")}`, { waitUntil: "load" });
      checked++;
    }
  }
} finally {
  await browser.close();
  server.close();
}
for (const f of findings) console.log(f);
console.log(`${mode}: ${checked} page loads checked, ${findings.length} finding(s)`);
process.exit(findings.length ? 1 : 0);
