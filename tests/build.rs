//! Whole builds of fixture projects, checked as a user would check them.

mod common;

use common::*;
use std::collections::BTreeMap;

const NOW: &str = "2025-08-25T12:00:00+08:00";

/// Compares a build of `tests/fixtures/<case>` with the checked-in tree in
/// `tests/fixtures/<case>/expected/`. Run with `PODIUM_BLESS=1` to rewrite
/// the expected tree after an intended change (and review the diff).
fn golden(case: &str) {
    let root = repo().join("tests/fixtures").join(case);
    let expected_dir = root.join("expected");
    let mut actual = BTreeMap::new();
    for b in build(&root, NOW) {
        for (p, bytes) in &b.output.files {
            actual.insert(format!("{}/{p}", b.site.id), bytes.clone());
        }
    }
    if std::env::var_os("PODIUM_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&expected_dir);
        for (p, bytes) in &actual {
            let f = expected_dir.join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, &bytes[..]).unwrap();
        }
        return;
    }
    let expected = read_tree(&expected_dir);
    let mut problems = Vec::new();
    for p in expected.keys().filter(|p| !actual.contains_key(*p)) {
        problems.push(format!("expected but no longer produced: {p}"));
    }
    for p in actual.keys().filter(|p| !expected.contains_key(*p)) {
        problems.push(format!("produced but not expected: {p}"));
    }
    for (p, a) in &actual {
        if let Some(e) = expected.get(p) {
            if a[..] != e[..] {
                let a = String::from_utf8_lossy(a);
                let e = String::from_utf8_lossy(e);
                let line = a
                    .lines()
                    .zip(e.lines())
                    .position(|(x, y)| x != y)
                    .unwrap_or(a.lines().count().min(e.lines().count()));
                problems.push(format!(
                    "differs: {p} at line {}\n  expected: {}\n  actual:   {}",
                    line + 1,
                    e.lines().nth(line).unwrap_or("<end>"),
                    a.lines().nth(line).unwrap_or("<end>")
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) against {}; re-bless with PODIUM_BLESS=1 if intended:\n{}",
        problems.len(),
        expected_dir.display(),
        problems.join("\n")
    );
}

#[test]
fn basic_fixture_matches_expected_output() {
    golden("basic");
}

fn site<'a>(built: &'a [podium::build::BuiltSite], id: &str) -> &'a podium::build::BuiltSite {
    built.iter().find(|b| b.site.id == id).unwrap()
}

fn page(b: &podium::build::BuiltSite, path: &str) -> String {
    String::from_utf8(b.output.files.get(path).unwrap_or_else(|| panic!("no {path}")).to_vec()).unwrap()
}

#[test]
fn script_in_titles_is_text_everywhere() {
    let built = build(&repo().join("tests/fixtures/basic"), NOW);
    let b = site(&built, "basic");
    // CSV and iCalendar files carry the text as written: they are not
    // markup, and no reader runs them (JSON writes `<` as `\u003c`).
    for (path, bytes) in b.output.files.iter().filter(|(p, _)| !p.ends_with(".csv") && !p.ends_with(".ics")) {
        let text = String::from_utf8_lossy(bytes);
        for n in 1..=4 {
            assert!(
                !text.contains(&format!("<script>alert({n})")),
                "{path} carries a live <script> from content"
            );
        }
        assert!(!text.contains("<img src=x"), "{path} passes raw HTML from Markdown through");
        assert!(!text.contains("<b>不加粗"), "{path} passes HTML in a summary through");
    }
    let notice = page(b, "notices/xss/index.html");
    assert!(
        notice.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; 通知"),
        "title element: {}",
        notice.lines().find(|l| l.contains("<title>")).unwrap()
    );
    assert!(notice.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt; 通知</h1>"));
    assert!(notice.contains("正文 &lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(page(b, "notices/index.html").contains("&lt;script&gt;alert(1)"));
    assert!(page(b, "atom.xml").contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; 通知</title>"));
    assert!(page(b, "publicity/winners/index.html").contains("获奖公示 &lt;script&gt;alert(4)"));
    // A site that opts in passes raw HTML through.
    let raw = site(&built, "rawhtml");
    assert!(page(raw, "notices/raw/index.html").contains("<div class=\"kept\">保留</div>"));
}

#[test]
fn publicity_window_status_at_its_edges() {
    let root = repo().join("tests/fixtures/basic");
    let cases = [
        ("2025-08-21T23:59:59+08:00", "unpublished", None),
        ("2025-08-22T00:00:00+08:00", "open", Some(7)),
        ("2025-08-25T12:00:00+08:00", "open", Some(4)),
        ("2025-08-28T23:59:59+08:00", "open", Some(1)),
        ("2025-08-29T00:00:00+08:00", "closed", None),
    ];
    for (now, status, days_left) in cases {
        let built = build(&root, now);
        let b = site(&built, "basic");
        // The operator's report: the public build.json leaves out a list
        // before its window.
        let json = podium::outputs::status::status_json(&b.site, &b.schedule, &b.stats.pages, podium::outputs::status::Audience::Operator);
        let public: serde_json::Value = serde_json::from_slice(&b.output.files["build.json"]).unwrap();
        assert_eq!(
            public["publicity"].as_array().unwrap().len(),
            usize::from(status != "unpublished"),
            "at {now}"
        );
        let w = &json["publicity"][0];
        assert_eq!(w["status"], status, "at {now}");
        assert_eq!(w["days_left"].as_i64(), days_left, "at {now}");
        let want = match (status, days_left) {
            ("open", Some(1)) => "Open, last day today".to_string(),
            ("open", Some(n)) => format!("Open, {n} days left"),
            ("closed", _) => "Closed".to_string(),
            _ => {
                assert!(
                    !b.output.files.contains_key("en/publicity/winners/index.html"),
                    "results shown before their window at {now}"
                );
                continue;
            }
        };
        let html = page(b, "en/publicity/winners/index.html");
        assert!(html.contains(&want), "at {now} the page should say {want:?}");
    }
    // The home page shows the open window with its days left.
    let built = build(&root, NOW);
    let home = page(site(&built, "basic"), "index.html");
    assert!(home.contains("公示中，还剩4天"), "home page lacks the open publicity window");
}

#[test]
fn topic_without_translation_falls_back_visibly() {
    let built = build(&repo().join("tests/fixtures/basic"), NOW);
    let b = site(&built, "basic");
    let en = page(b, "en/tracks/alpha/two/index.html");
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("class=\"fallback-note\""), "no visible fallback note");
    assert!(
        en.contains("<h1 lang=\"zh-CN\">第二题</h1>"),
        "the Chinese title is not marked as Chinese"
    );
    assert!(
        en.contains("<div class=\"prose\" lang=\"zh-CN\">"),
        "the Chinese text is not marked as Chinese"
    );
    assert!(en.contains("甲二，无英文。"));
    let translated = page(b, "en/tracks/alpha/one/index.html");
    assert!(!translated.contains("fallback-note"));
}

#[test]
fn every_page_links_its_translations_with_absolute_hreflang() {
    let built = build(&repo().join("tests/fixtures/basic"), NOW);
    let b = site(&built, "basic");
    for (path, bytes) in b.output.files.iter().filter(|(p, _)| p.ends_with("index.html")) {
        let html = String::from_utf8_lossy(bytes);
        let key = path.trim_start_matches("en/").trim_end_matches("index.html");
        for (tag, prefix) in [("zh-CN", ""), ("en", "en/")] {
            let want = format!("<link rel=\"alternate\" hreflang=\"{tag}\" href=\"https://cdn.example.gov.cn/sjj/test/{prefix}{key}\">");
            assert!(html.contains(&want), "{path} lacks {want}");
        }
        // The switcher lands on the same page in the other language.
        let other = if path.starts_with("en/") {
            key.to_string()
        } else {
            format!("en/{key}")
        };
        let depth = path.matches('/').count();
        let rel = format!("{}{}", "../".repeat(depth), other);
        assert!(html.contains(&format!("href=\"{rel}\"")), "{path}: switcher does not link {rel}");
    }
}

#[test]
fn drafts_and_scheduled_notices_stay_out_until_due() {
    let root = repo().join("tests/fixtures/basic");
    let built = build(&root, NOW);
    let b = site(&built, "basic");
    assert!(!b.output.files.contains_key("notices/draft/index.html"));
    assert!(!b.output.files.contains_key("notices/scheduled/index.html"));
    assert!(!page(b, "atom.xml").contains("scheduled"));
    assert!(!page(b, "sitemap.xml").contains("scheduled"));
    let built = build(&root, "2025-09-01T09:00:00+08:00");
    let b = site(&built, "basic");
    assert!(b.output.files.contains_key("notices/scheduled/index.html"));
    assert!(!b.output.files.contains_key("notices/draft/index.html"));
    let mut opts = options(&root, NOW);
    opts.drafts = true;
    let (built, _) = podium::build::build_all(&opts);
    assert!(site(&built, "basic").output.files.contains_key("notices/draft/index.html"));
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", name)))
}

#[test]
fn feeds_are_well_formed_atom_with_required_elements() {
    let built = build(&repo().join("tests/fixtures/basic"), NOW);
    let b = site(&built, "basic");
    for (path, prefix) in [("atom.xml", ""), ("en/atom.xml", "en/")] {
        let text = page(b, path);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path} is not well-formed XML: {e}"));
        let feed = doc.root_element();
        let atom = "http://www.w3.org/2005/Atom";
        assert_eq!(feed.tag_name().namespace(), Some(atom));
        assert_eq!(feed.tag_name().name(), "feed");
        for required in ["id", "title", "updated", "author"] {
            assert!(child(feed, required).is_some(), "{path}: feed lacks <{required}>");
        }
        let self_link = feed
            .children()
            .find(|c| c.has_tag_name((atom, "link")) && c.attribute("rel") == Some("self"))
            .unwrap();
        assert_eq!(
            self_link.attribute("href"),
            Some(format!("https://cdn.example.gov.cn/sjj/test/{prefix}atom.xml").as_str())
        );
        let entries: Vec<_> = feed.children().filter(|c| c.has_tag_name((atom, "entry"))).collect();
        assert_eq!(entries.len(), 2, "{path}: one notice and one publicity list");
        let mut last = None;
        for e in &entries {
            for required in ["id", "title", "updated", "link"] {
                assert!(child(*e, required).is_some(), "{path}: entry lacks <{required}>");
            }
            let href = child(*e, "link").unwrap().attribute("href").unwrap();
            assert!(href.starts_with(&format!("https://cdn.example.gov.cn/sjj/test/{prefix}")), "{href}");
            let updated = child(*e, "updated").unwrap().text().unwrap();
            let t = podium::base::time::parse_instant(updated).unwrap_or_else(|_| panic!("{updated} is not RFC 3339"));
            if let Some(prev) = last {
                assert!(t <= prev, "entries are not newest first");
            }
            last = Some(t);
        }
    }
}

#[test]
fn sitemap_lists_every_page_with_alternates() {
    let built = build(&repo().join("tests/fixtures/basic"), NOW);
    let b = site(&built, "basic");
    let text = page(b, "sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let urls: Vec<_> = doc.root_element().children().filter(|c| c.has_tag_name((ns, "url"))).collect();
    let pages = b.output.files.keys().filter(|p| p.ends_with("index.html")).count();
    assert_eq!(urls.len(), pages, "one <url> per page");
    for u in urls {
        let alts = u
            .children()
            .filter(|c| c.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
            .count();
        assert_eq!(alts, 2);
    }
    assert!(page(b, "robots.txt").contains("Sitemap: https://cdn.example.gov.cn/sjj/test/sitemap.xml"));
}

#[test]
fn internal_links_of_the_fixture_resolve() {
    let built = build(&repo().join("tests/fixtures/basic"), NOW);
    for b in &built {
        let broken = broken_links(&b.output.files, &b.site.base_path());
        assert!(broken.is_empty(), "{}:\n{}", b.site.id, broken.join("\n"));
    }
}

#[test]
fn link_checker_catches_a_broken_link() {
    let mut tree = BTreeMap::new();
    tree.insert(
        "index.html".to_string(),
        b"<a href=\"missing/\">x</a><a href=\"#nope\">y</a>".to_vec().into(),
    );
    let broken = broken_links(&tree, "/");
    assert_eq!(broken.len(), 2, "{broken:?}");
}

#[test]
fn the_themes_string_catalogues_have_the_same_keys() {
    let dir = repo().join("themes/default/i18n");
    let load = |lang: &str| -> std::collections::BTreeSet<String> {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.yaml"))).unwrap();
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
            .filter_map(|l| l.split_once(':').map(|(k, _)| k.to_string()))
            .collect()
    };
    let (zh, en) = (load("zh"), load("en"));
    assert!(zh.len() > 50);
    assert_eq!(
        zh.symmetric_difference(&en).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "keys in one catalogue only"
    );
}

#[test]
fn the_stylesheet_is_fingerprinted_with_integrity_and_the_manifest_lists_every_file() {
    let built = build(&repo().join("tests/fixtures/basic"), NOW);
    let b = site(&built, "basic");
    let home = page(b, "index.html");
    let link = home.lines().find(|l| l.contains("rel=\"stylesheet\"")).unwrap();
    let href = link.split("href=\"").nth(1).unwrap().split('"').next().unwrap();
    let integrity = link.split("integrity=\"").nth(1).unwrap().split('"').next().unwrap();
    let css = &b.output.files[href];
    let digest = <sha2::Sha384 as sha2::Digest>::digest(&css[..]);
    assert_eq!(
        integrity,
        format!("sha384-{}", podium::base::digest::base64(&digest)),
        "SRI hash of {href}"
    );
    assert!(
        href.starts_with("static/style.") && href.len() > "static/style.css".len() + 5,
        "{href} carries a content hash"
    );
    let manifest: serde_json::Value = serde_json::from_slice(&b.output.files["manifest.json"]).unwrap();
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = b
        .output
        .files
        .keys()
        .map(String::as_str)
        .filter(|p| *p != "manifest.json")
        .collect();
    assert_eq!(listed, expected);
    for f in manifest["files"].as_array().unwrap() {
        let bytes = &b.output.files[f["path"].as_str().unwrap()];
        assert_eq!(f["size"].as_u64().unwrap() as usize, bytes.len());
        assert_eq!(f["sha256"].as_str().unwrap(), podium::base::digest::sha256_hex(bytes));
    }
}
