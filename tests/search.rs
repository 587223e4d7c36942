//! Search and countdown, as the build writes them: the index each search
//! page loads, the topic list the search page shows without JavaScript,
//! and the instants the countdown script reads. (The script itself runs in
//! tests/search/run.mjs under Node and in tests/search/browser.mjs in
//! Chromium.)

mod common;

use common::*;
use podium::build::BuiltSite;
use serde_json::Value;

fn get<'a>(built: &'a [BuiltSite], id: &str) -> &'a BuiltSite {
    built.iter().find(|b| b.site.id == id).unwrap()
}

fn file(b: &BuiltSite, path: &str) -> String {
    String::from_utf8(
        b.output
            .files
            .get(path)
            .unwrap_or_else(|| panic!("{}: no {path}", b.site.id))
            .to_vec(),
    )
    .unwrap()
}

fn prefix(b: &BuiltSite, lang: &str) -> String {
    b.site.lang_prefix(lang)
}

/// The start tag of the first element carrying `needle`, and what follows
/// up to the end of that line.
fn line_with<'a>(html: &'a str, needle: &str) -> &'a str {
    html.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle}"))
}

#[test]
fn the_index_is_the_same_bytes_every_build_and_holds_every_track_topic_and_notice() {
    let now = "2025-08-25T12:00:00+08:00";
    let a = build(&repo(), now);
    let b = build(&repo(), now);
    for id in ["heilongjiang", "liaoning", "example"] {
        let (x, y) = (get(&a, id), get(&b, id));
        for lang in &x.site.languages {
            let path = format!("{}search/index.json", prefix(x, lang));
            assert_eq!(
                x.output.files.get(&path),
                y.output.files.get(&path),
                "{id} {path} differs between builds"
            );
            let index: Value = serde_json::from_str(&file(x, &path)).unwrap();
            let s = &x.site;
            let topics: usize = s.tracks.iter().map(|t| t.topics.len()).sum();
            let notices = x.schedule.notices(&x.site).count();
            let docs = index["docs"].as_array().unwrap();
            let count = |kind: &str| docs.iter().filter(|d| d["type"] == kind).count();
            assert_eq!(index["lang"], lang.as_str());
            assert_eq!(index["tracks"].as_array().unwrap().len(), s.tracks.len(), "{id} {lang}");
            assert_eq!(
                (count("track"), count("topic"), count("notice")),
                (s.tracks.len(), topics, notices),
                "{id} {lang}"
            );
            // Every document links to a page of the site.
            for d in docs {
                let page = format!("{}{}index.html", prefix(x, lang), d["href"].as_str().unwrap());
                assert!(
                    x.output.files.contains_key(&page),
                    "{id}: index links to {page}, which is not built"
                );
                assert!(!d["title"].as_str().unwrap().is_empty());
            }
        }
    }
    // The documents, in the language of the index, text without markup.
    let ln = get(&a, "liaoning");
    let zh: Value = serde_json::from_str(&file(ln, "search/index.json")).unwrap();
    let topic = zh["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == "提升医保数据赋能管理水平")
        .expect("the topic 提升医保数据赋能管理水平");
    assert_eq!(topic["type"], "topic");
    assert_eq!(topic["href"], "tracks/medical-security/management/");
    assert_eq!(zh["tracks"][topic["track"].as_u64().unwrap() as usize]["name"], "医疗保障");
    let notice = zh["docs"].as_array().unwrap().iter().find(|d| d["type"] == "notice").unwrap();
    let text = notice["text"].as_str().unwrap();
    assert!(text.starts_with("辽数发〔2025〕3号 "), "{}", &text[..60]);
    assert!(text.contains("一、赛事名称") && !text.contains("## ") && !text.contains("**"));
    let en: Value = serde_json::from_str(&file(ln, "en/search/index.json")).unwrap();
    assert_eq!(en["lang"], "en");
    assert!(en["docs"].as_array().unwrap().iter().any(|d| d["title"] == "Medical Security"));
}

#[test]
fn markup_in_a_title_is_escaped_in_the_index() {
    let built = build(&repo().join("tests/fixtures/basic"), "2025-08-25T12:00:00+08:00");
    let b = get(&built, "basic");
    let raw = file(b, "search/index.json");
    assert!(!raw.contains('<') && raw.contains("\\u003cscript\\u003e"));
    let index: Value = serde_json::from_str(&raw).unwrap();
    assert!(index["docs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["title"].as_str().unwrap().contains("<script>")));
}

#[test]
fn the_search_page_lists_every_topic_by_track_without_javascript() {
    let built = build(&repo(), "2025-08-25T12:00:00+08:00");
    for b in &built {
        for lang in &b.site.languages {
            let p = prefix(b, lang);
            let html = file(b, &format!("{p}search/index.html"));
            let default = b.site.default_lang();
            // A plain form that works without the script, and the script.
            assert!(html.contains(r#"<form class="search-form" role="search" method="get""#));
            assert!(html.contains(r#"<label for="search-q">"#) && html.contains(r#"<input id="search-q" type="search" name="q""#));
            assert!(html.contains(r#"<select id="search-track" name="track">"#));
            assert!(html.contains(r#"role="status" aria-live="polite""#));
            let script = line_with(&html, "<script src=");
            assert!(script.contains("static/search.") && script.contains(r#"integrity="sha384-"#) && script.ends_with(" defer></script>"));
            let index = line_with(&html, "data-index=");
            // The index is named by its content: a new index, a new address.
            let hash = podium::base::digest::sha256_hex(file(b, &format!("{p}search/index.json")).as_bytes());
            assert!(index.contains(&format!(r#"data-index="index.json?v={}""#, &hash[..10])), "{index}");
            // Every track, in order, with every topic of it.
            let mut at = 0;
            for t in &b.site.tracks {
                let start = html[at..]
                    .find(&format!(r#"<section class="browse-track" data-track="{}""#, t.id))
                    .map(|i| at + i)
                    .unwrap_or_else(|| panic!("{} {lang}: track {} missing or out of order", b.site.id, t.id));
                let end = start + html[start..].find("</section>").unwrap();
                let section = &html[start..end];
                assert!(section.contains(&podium::base::escape::html(&t.name.show(lang, default))));
                assert!(
                    html[start..].find(&format!(r#"<option value="{}">"#, t.id)).is_none(),
                    "the track select comes before the list"
                );
                for tp in &t.topics {
                    let title = tp.text.get(lang, default).unwrap().0.title.clone();
                    let root = if p.is_empty() { "../" } else { "../../" };
                    let href = format!(r#"href="{root}{p}tracks/{}/{}/""#, t.id, tp.id);
                    assert!(section.contains(&href), "{} {lang}: {href} not under its track", b.site.id);
                    assert!(
                        section.contains(&podium::base::escape::html(&title)),
                        "{} {lang}: {title}",
                        b.site.id
                    );
                }
                assert!(html.contains(&format!(
                    r#"<option value="{}">{}</option>"#,
                    t.id,
                    podium::base::escape::html(&t.name.show(lang, default))
                )));
                at = end;
            }
            // Every page of the site links to the search page.
            let home = file(b, &format!("{p}index.html"));
            let up = if p.is_empty() { "" } else { "../" };
            assert!(
                home.contains(&format!(r#"<li><a href="{up}{p}search/">"#)),
                "{} {lang}: no search in the menu",
                b.site.id
            );
        }
    }
}

#[test]
fn every_day_count_carries_what_the_script_needs_and_the_page_its_clock() {
    // Liaoning on 20 August: the finalists' notice is over, the final is
    // tomorrow, the winners' notice opens on the 22nd.
    let built = build(&repo(), "2025-08-20T12:00:00+08:00");
    let b = get(&built, "liaoning");
    let tl = file(b, "timeline/index.html");
    let main = line_with(&tl, "<main ");
    assert!(
        main.contains(r#"data-clock data-now="2025-08-20T12:00:00+08:00" data-tz="Asia/Shanghai""#),
        "{main}"
    );
    // Nothing but day counts changes until the final begins.
    assert!(main.contains(r#"data-valid-until="2025-08-21T00:00:00+08:00""#), "{main}");
    assert!(tl.contains(r#"<time datetime="2025-08-20" data-today data-stamp>2025年8月20日</time>"#));
    assert!(tl.contains(
        r#"<time class="badge badge-upcoming" datetime="2025-08-21T00:00:00+08:00" data-days="until" data-day="2025-08-21" data-one="明天开始" data-other="{n}天后开始">明天开始</time>"#
    ));
    assert!(tl.contains(r#"data-days="until" data-day="2025-08-22" data-one="明天开始" data-other="{n}天后开始">2天后开始</time>"#));
    assert!(tl.contains(r#"<p class="stale-note" role="status" data-stale data-stamp hidden>本页显示的是2025年8月20日的状态"#));
    // On the 25th the winners' notice is under way with 4 days left, to
    // the last second of the 28th; the page holds until the 29th.
    let built = build(&repo(), "2025-08-25T12:00:00+08:00");
    let b = get(&built, "liaoning");
    let home = file(b, "en/index.html");
    let now = line_with(&home, r#"<p class="stage-now">"#);
    assert!(
        now.contains(r#"<time class="badge badge-current" datetime="2025-08-28T23:59:59+08:00" data-days="left" data-day="2025-08-28" data-one="Under way, last day today" data-other="Under way, {n} days left">Under way, 4 days left</time>"#),
        "{now}"
    );
    assert!(line_with(&home, "<main ").contains(r#"data-valid-until="2025-08-29T00:00:00+08:00""#));
    let script = line_with(&home, "<script src=");
    assert!(script.contains("static/countdown.") && script.contains("integrity=\"sha384-") && script.contains(" defer>"));
    // Heilongjiang has approximate dates only: nothing to count.
    let hl = get(&built, "heilongjiang");
    assert!(!file(hl, "timeline/index.html").contains("data-days="));
}

#[test]
fn the_index_put_together_from_kept_entries_is_the_index() {
    use podium::outputs::search::{index, index_json, plain_text, to_json, EntryCache};
    let mut built = build(&repo(), "2025-08-25T12:00:00+08:00");
    built.extend(build(&repo().join("tests/fixtures/basic"), "2025-08-25T12:00:00+08:00"));
    let cache = EntryCache::default();
    for b in &built {
        for lang in &b.site.languages {
            let whole = to_json(&index(&b.site, &b.schedule, lang, &plain_text));
            assert_eq!(file(b, &format!("{}search/index.json", prefix(b, lang))).as_bytes(), &whole[..]);
            assert_eq!(
                index_json(&b.site, &b.schedule, lang, &plain_text, None),
                whole,
                "{} {lang}",
                b.site.id
            );
            for round in ["empty", "kept"] {
                let json = index_json(&b.site, &b.schedule, lang, &plain_text, Some(&cache));
                assert_eq!(json, whole, "{} {lang}, cache {round}", b.site.id);
            }
        }
    }
}
