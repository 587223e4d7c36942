// The search and countdown scripts of the theme, run under Node against the
// built sites: the very files the browser loads (themes/default/static/
// search.js and countdown.js, evaluated in a context without a DOM, where
// they export their cores on globalThis), over the very indexes the build
// wrote (DIR/<site>/[en/]search/index.json).
//
//   node tests/search/run.mjs DIR      DIR holds one folder per site
//
// Prints each query and its top results; exits 1 on any failed expectation.
import vm from "node:vm";
import fs from "node:fs";
import path from "node:path";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node tests/search/run.mjs DIR");
  process.exit(2);
}
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function load(file, name) {
  const context = vm.createContext({});
  vm.runInContext(fs.readFileSync(path.join(repo, "themes/default/static", file), "utf8"), context, { filename: file });
  assert.ok(context[name], `${file} does not export ${name}`);
  return context[name];
}
// Values made in the scripts' context have that context's prototypes:
// compare them as plain data.
const plain = (x) => JSON.parse(JSON.stringify(x));
const S = load("search.js", "PodiumSearch");
const C = load("countdown.js", "PodiumCountdown");

const indexes = {};
function index(site, lang) {
  const key = `${site}/${lang}`;
  if (!indexes[key]) {
    const file = path.join(dir, site, lang === "zh" ? "" : lang, "search", "index.json");
    indexes[key] = S.prepare(JSON.parse(fs.readFileSync(file, "utf8")));
  }
  return indexes[key];
}

let failures = 0;
let checked = 0;
function check(name, fn) {
  checked++;
  try {
    fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}\n     ${String(e.message).split("\n").join("\n     ")}`);
  }
}

/// Runs a query; returns [{type, title, href, track}] best first.
function q(site, lang, query, track = "") {
  return S.search(index(site, lang), query, track).map((r) => ({ type: r.doc.type, title: r.doc.title, href: r.doc.href, track: r.doc.track, doc: r.doc }));
}
const show = (rs) => rs.slice(0, 6).map((r) => `${r.type} ${r.title} (${r.href})`).join("\n");

// ---- Chinese: no spaces between words ---------------------------------------
for (const [site, track, management] of [
  ["heilongjiang", "healthcare", "tracks/healthcare/insurance-management/"],
  ["liaoning", "medical-security", "tracks/medical-security/management/"],
]) {
  check(`${site} zh: 医保 finds 提升医保数据赋能管理水平 first, the other 医保 topics next`, () => {
    const rs = q(site, "zh", "医保");
    assert.equal(rs[0].title, "提升医保数据赋能管理水平", show(rs));
    assert.equal(rs[0].href, management);
    const top = rs.slice(0, 5);
    assert.ok(top.every((r) => r.type === "topic" && r.track === track && r.title.includes("医保")), show(rs));
    // Matches in the body only (the notice) come after every title match.
    const firstBodyOnly = rs.findIndex((r) => !r.title.includes("医保"));
    assert.ok(firstBodyOnly === -1 || rs.slice(firstBodyOnly).every((r) => !r.title.includes("医保")), show(rs));
    assert.deepEqual(plain(S.highlight(rs[0].doc, "医保")), [["提升", false], ["医保", true], ["数据赋能管理水平", false]]);
  });
  check(`${site} zh: 气象 灾害 (both words) finds the weather-disaster topics`, () => {
    const rs = q(site, "zh", "气象 灾害");
    assert.equal(rs[0].title, "提高气象防灾减灾能力", show(rs));
    assert.equal(rs[0].track, "meteorology");
    assert.ok(rs.some((r) => r.title === "提升自然灾害监测评估能力"), show(rs));
    for (const r of rs) {
      const all = r.doc.nTitle + r.doc.nTrack + r.doc.nText;
      assert.ok(all.includes("气象") && all.includes("灾害"), `${r.title} lacks a term`);
    }
    // One word alone finds more: the query is an AND.
    assert.ok(q(site, "zh", "气象").length > rs.length);
  });
  check(`${site} zh: a track narrows the results`, () => {
    const all = q(site, "zh", "数据");
    const rs = q(site, "zh", "数据", "meteorology");
    assert.ok(rs.length > 0 && rs.length < all.length, `${rs.length} of ${all.length}`);
    assert.ok(rs.every((r) => r.track === "meteorology"), show(rs));
    assert.equal(q(site, "zh", "医保", "meteorology").length, 0);
  });
  check(`${site} zh: full-width letters and spaces are the same as half-width`, () => {
    const rs = q(site, "zh", "ＡＩＳ");
    assert.deepEqual(rs.map((r) => r.href), q(site, "zh", "ais").map((r) => r.href));
    assert.ok(rs[0].title.includes("AIS"), show(rs));
    assert.deepEqual(
      plain(S.highlight(rs[0].doc, "ＡＩＳ").filter((p) => p[1])),
      [["AIS", true]]
    );
    const spaced = q(site, "zh", "数据　要素"); // U+3000 ideographic space
    assert.ok(spaced.length > 0 && spaced[0].title.includes("数据要素"), show(spaced));
  });
  check(`${site}: a word found nowhere finds nothing; an empty query finds nothing`, () => {
    assert.equal(q(site, "zh", "不存在的词语").length, 0);
    assert.equal(q(site, "en", "xyzzy").length, 0);
    assert.equal(q(site, "zh", "   ").length, 0);
  });
}

// ---- English -----------------------------------------------------------------
check("heilongjiang en: Meteorological finds the track first, then its topics", () => {
  const rs = q("heilongjiang", "en", "Meteorological");
  assert.equal(rs[0].type, "track", show(rs));
  assert.equal(rs[0].title, "Meteorological Services");
  assert.equal(rs[1].href, "tracks/meteorology/disaster-prevention/", show(rs));
});
check("heilongjiang en: medical insurance (two words) ranks the titles holding both first", () => {
  const rs = q("heilongjiang", "en", "medical insurance");
  const top = rs.slice(0, 5);
  assert.ok(top.every((r) => r.track === "healthcare" && /medical/i.test(r.title) && /insurance/i.test(r.title)), show(rs));
});
check("heilongjiang en: weather disaster finds disaster prevention", () => {
  const rs = q("heilongjiang", "en", "weather disaster");
  assert.equal(rs[0].href, "tracks/meteorology/disaster-prevention/", show(rs));
});
check("liaoning en: MEDICAL SECURITY in capitals finds the track, then its topics", () => {
  const rs = q("liaoning", "en", "MEDICAL SECURITY");
  assert.equal(rs[0].type, "track", show(rs));
  assert.equal(rs[0].title, "Medical Security");
  assert.ok(rs.slice(1, 6).every((r) => r.track === "medical-security"), show(rs));
});
check("liaoning en: tourism narrowed to culture-tourism", () => {
  const rs = q("liaoning", "en", "tourism", "culture-tourism");
  assert.ok(rs.length > 3 && rs.every((r) => r.track === "culture-tourism"), show(rs));
});

// ---- the countdown's arithmetic, at the edges (as src/render/views.rs) -----
check("countdown: day counts at 23:59:59 and 00:00 on each side of a midnight", () => {
  const left = (s) => C.countAt("left", "2025-08-28", Date.parse(s), "Asia/Shanghai");
  const until = (s) => C.countAt("until", "2025-08-22", Date.parse(s), "Asia/Shanghai");
  assert.equal(left("2025-08-22T00:00:00+08:00"), 7);
  assert.equal(left("2025-08-25T12:00:00+08:00"), 4);
  assert.equal(left("2025-08-27T23:59:59+08:00"), 2);
  assert.equal(left("2025-08-28T00:00:00+08:00"), 1);
  assert.equal(left("2025-08-28T23:59:59+08:00"), 1);
  assert.equal(until("2025-08-20T12:00:00+08:00"), 2);
  assert.equal(until("2025-08-21T00:00:00+08:00"), 1);
  assert.equal(until("2025-08-21T23:59:59+08:00"), 1);
  // Never below one: on the day itself the page has changed state anyway.
  assert.equal(until("2025-08-22T09:00:00+08:00"), 1);
  // The same instant written in UTC; the machine's zone does not matter.
  assert.equal(left("2025-08-27T16:00:00Z"), 1);
  assert.equal(C.localDay(Date.parse("2025-08-24T16:30:00Z"), "Asia/Shanghai"), "2025-08-25");
});

console.log(`\nsearch: ${checked} checks, ${failures} failed`);
process.exit(failures ? 1 : 0);
