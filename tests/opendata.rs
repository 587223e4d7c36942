//! The calendar (`timeline.ics`) and the open data files (`data/*.json`,
//! `data/*.csv`) of the real sites and of edited copies, read back the way
//! a client would: unfolded and unescaped, parsed, counted.

mod common;

use common::*;
use podium::build::BuiltSite;
use podium::model::When;
use std::path::Path;

const NOW: &str = "2025-08-25T12:00:00+08:00";

fn get<'a>(built: &'a [BuiltSite], id: &str) -> &'a BuiltSite {
    built.iter().find(|b| b.site.id == id).unwrap_or_else(|| panic!("no site {id}"))
}

fn file<'a>(b: &'a BuiltSite, path: &str) -> &'a [u8] {
    b.output.files.get(path).unwrap_or_else(|| panic!("{}: no {path}", b.site.id))
}

fn text(b: &BuiltSite, path: &str) -> String {
    String::from_utf8(file(b, path).to_vec()).unwrap_or_else(|_| panic!("{path} is not UTF-8"))
}

fn json(b: &BuiltSite, path: &str) -> serde_json::Value {
    serde_json::from_slice(file(b, path)).unwrap_or_else(|e| panic!("{}: {path}: {e}", b.site.id))
}

// ---------------------------------------------------------------- iCalendar

/// One content line of an unfolded calendar: name (with parameters), value.
fn props(ics: &str) -> Vec<(String, String)> {
    podium::outputs::calendar::unfold(ics)
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap_or_else(|| panic!("no colon in {l:?}"));
            (n.to_string(), v.to_string())
        })
        .collect()
}

/// The VEVENTs, each as its properties.
fn events(ics: &str) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut cur: Option<Vec<(String, String)>> = None;
    for (n, v) in props(ics) {
        match (n.as_str(), v.as_str()) {
            ("BEGIN", "VEVENT") => cur = Some(Vec::new()),
            ("END", "VEVENT") => out.extend(cur.take()),
            _ => {
                if let Some(c) = cur.as_mut() {
                    c.push((n, v));
                }
            }
        }
    }
    out
}

fn prop<'a>(ev: &'a [(String, String)], name: &str) -> Option<&'a str> {
    ev.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

fn uids(ics: &str) -> Vec<String> {
    events(ics)
        .iter()
        .map(|e| prop(e, "UID").expect("every event has a UID").to_string())
        .collect()
}

fn ics_paths(b: &BuiltSite) -> Vec<String> {
    b.site
        .languages
        .iter()
        .map(|l| format!("{}timeline.ics", b.site.lang_prefix(l)))
        .collect()
}

#[test]
fn every_calendar_is_crlf_folded_at_75_octets_and_well_formed() {
    let built = build(&repo(), NOW);
    for b in &built {
        for path in ics_paths(b) {
            let ics = text(b, &path);
            let at = format!("{}/{path}", b.site.id);
            assert!(ics.ends_with("\r\n"), "{at}: does not end with CRLF");
            for (i, line) in ics.split("\r\n").enumerate() {
                assert!(!line.contains('\n') && !line.contains('\r'), "{at}:{}: a bare line break", i + 1);
                assert!(line.len() <= 75, "{at}:{}: {} octets: {line}", i + 1, line.len());
            }
            let p = props(&ics);
            assert_eq!(p.first().map(|x| x.1.as_str()), Some("VCALENDAR"), "{at}");
            assert_eq!(p.last().map(|x| (x.0.as_str(), x.1.as_str())), Some(("END", "VCALENDAR")), "{at}");
            for (name, want) in [
                ("VERSION", Some("2.0")),
                ("CALSCALE", Some("GREGORIAN")),
                ("METHOD", Some("PUBLISH")),
            ] {
                assert_eq!(prop(&p, name), want, "{at}: {name}");
            }
            assert!(prop(&p, "PRODID").is_some_and(|v| v.starts_with("-//Podium//")), "{at}");
            assert!(prop(&p, "X-WR-CALNAME").is_some_and(|v| !v.is_empty()), "{at}");
            assert_eq!(prop(&p, "TZID"), Some(b.site.time_zone_name.as_str()), "{at}: VTIMEZONE");
            assert!(ics.contains("BEGIN:VTIMEZONE\r\n") && ics.contains("TZOFFSETTO:+0800\r\n"), "{at}");
            for ev in events(&ics) {
                for name in ["UID", "DTSTAMP", "DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "SUMMARY", "URL"] {
                    assert!(prop(&ev, name).is_some(), "{at}: an event without {name}: {ev:?}");
                }
                assert_eq!(prop(&ev, "DTSTAMP"), Some("20250825T040000Z"), "{at}: DTSTAMP is the build's now");
                let url = prop(&ev, "URL").unwrap();
                assert!(url.starts_with(&b.site.base_url), "{at}: {url}");
            }
        }
    }
}

#[test]
fn liaoning_calendar_has_every_stage_as_an_all_day_event_with_an_exclusive_end() {
    let built = build(&repo(), NOW);
    let ln = get(&built, "liaoning");
    for path in ics_paths(ln) {
        let ics = text(ln, &path);
        let evs = events(&ics);
        assert_eq!(evs.len(), 7, "{path}: the seven dated stages");
        for (stage, ev) in ln.site.stages.iter().zip(&evs) {
            let When::Exact(span) = &stage.when else { unreachable!() };
            assert_eq!(prop(ev, "UID"), Some(format!("stage-{}@liaoning.podium", stage.id).as_str()));
            assert_eq!(
                prop(ev, "DTSTART;VALUE=DATE"),
                Some(span.start.strftime("%Y%m%d").to_string().as_str())
            );
            let day_after = podium::base::time::add_days(span.end, 1);
            assert_eq!(
                prop(ev, "DTEND;VALUE=DATE"),
                Some(day_after.strftime("%Y%m%d").to_string().as_str())
            );
        }
        // The final is one day: 21 August, ending (exclusively) on the 22nd.
        let fin = evs.iter().find(|e| prop(e, "UID") == Some("stage-final@liaoning.podium")).unwrap();
        assert_eq!(prop(fin, "DTSTART;VALUE=DATE"), Some("20250821"));
        assert_eq!(prop(fin, "DTEND;VALUE=DATE"), Some("20250822"));
        // The two 7-day publicity windows end on 18 and 28 August.
        let ends: Vec<&str> = evs
            .iter()
            .filter(|e| prop(e, "UID").unwrap().contains("publicity"))
            .map(|e| prop(e, "DTEND;VALUE=DATE").unwrap())
            .collect();
        assert_eq!(ends, ["20250819", "20250829"]);
    }
    let zh = events(&text(ln, "timeline.ics"));
    assert_eq!(prop(&zh[0], "SUMMARY"), Some("启动报名"));
    let en = events(&text(ln, "en/timeline.ics"));
    assert_eq!(prop(&en[0], "SUMMARY"), Some("Registration"));
    assert_eq!(prop(&en[0], "URL"), Some("https://podium.example/liaoning/en/timeline/"));
}

#[test]
fn a_folded_chinese_description_unfolds_to_the_text_of_the_content() {
    let built = build(&repo(), NOW);
    let ln = get(&built, "liaoning");
    let ics = text(ln, "timeline.ics");
    let stage = ln.site.stages.iter().find(|s| s.id == "preliminary-review").unwrap();
    let want = stage.description.as_ref().unwrap().show("zh", "zh");
    assert!(want.len() > 75 && !want.is_ascii(), "a long Chinese text: {want}");
    // It is folded in the file…
    let raw_start = ics.find("DESCRIPTION:通过线上资格审核").expect("the description");
    let raw = &ics[raw_start..];
    let raw = &raw[..raw.find("\r\nCATEGORIES").unwrap()];
    assert!(raw.contains("\r\n "), "not folded: {raw}");
    // …and comes back whole, every character intact.
    let ev = events(&ics)
        .into_iter()
        .find(|e| prop(e, "UID") == Some("stage-preliminary-review@liaoning.podium"))
        .unwrap();
    assert_eq!(podium::outputs::calendar::unescape_text(prop(&ev, "DESCRIPTION").unwrap()), want);
}

#[test]
fn approximate_stages_are_on_their_last_day_or_left_out() {
    let built = build(&repo(), NOW);
    let hlj = get(&built, "heilongjiang");
    assert!(hlj.site.stages.iter().all(|s| matches!(s.when, When::Approx(_))));
    // Heilongjiang's stages carry the bounds of the notice's words: each is
    // an event on its last day, named with those words.
    for path in ics_paths(hlj) {
        let ics = text(hlj, &path);
        let evs = events(&ics);
        let days: Vec<&str> = evs.iter().filter_map(|e| prop(e, "DTSTART;VALUE=DATE")).collect();
        assert_eq!(days, ["20250430", "20250930", "20251007"], "heilongjiang/{path}");
        assert!(ics.contains("BEGIN:VTIMEZONE"));
    }
    let zh = events(&text(hlj, "timeline.ics"));
    assert_eq!(prop(&zh[1], "SUMMARY"), Some("决赛（拟于2025年9月底举办）"));
    assert!(prop(&zh[1], "DESCRIPTION").is_some_and(|d| d.contains("具体日期未公布")));
    // A stage without a bound has no day: it is left out, and a calendar
    // with no event has no time zone either (nothing in it depends on the
    // day it was built).
    let mut ex = get(&built, "example").site.clone();
    ex.stages.retain(|s| matches!(s.when, When::Approx(_)));
    ex.publicity.clear();
    for s in &mut ex.stages {
        if let When::Approx(a) = &mut s.when {
            a.starts_by = None;
            a.ends_by = None;
        }
    }
    let sched = podium::schedule::schedule(&ex, instant(NOW), false);
    let theme = podium::theme::load(&repo().join("themes/default"), None).ok().unwrap();
    let md = podium::markdown::Markdown::default();
    let lx = podium::context::Lang::new(&ex, &sched, &theme, &md, "zh");
    let ics = podium::outputs::calendar::calendar(&lx);
    assert!(events(&ics).is_empty() && !ics.contains("VTIMEZONE"), "{ics}");
}

/// A copy of the repository's Liaoning site in a temporary project.
fn liaoning_copy(name: &str) -> std::path::PathBuf {
    let root = temp_dir(name);
    for part in ["sites/liaoning", "content/liaoning"] {
        std::fs::create_dir_all(root.join(part)).unwrap();
        copy_dir(&repo().join(part), &root.join(part));
    }
    root
}

fn edit(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

#[test]
fn uids_stay_the_same_across_builds_and_edits() {
    let root = liaoning_copy("uids");
    let zh = |now: &str| text(&build(&root, now)[0], "timeline.ics");
    let before = zh(NOW);
    // The same inputs and --now: the same bytes.
    assert_eq!(zh(NOW), before);
    // Another --now: the same UIDs (only DTSTAMP moves).
    let june = zh("2025-06-10T10:00:00+08:00");
    assert_eq!(uids(&june), uids(&before));
    assert_eq!(june.replace("DTSTAMP:20250610T020000Z", "DTSTAMP:20250825T040000Z"), before);
    // An edit that does not touch the timeline: the calendar is unchanged.
    let topic = root.join("content/liaoning/tracks/manufacturing/rd-innovation.zh.md");
    edit(&topic, "提升创新研发能力", "提升创新研发能力（已修改）");
    let notice = std::fs::read_dir(root.join("content/liaoning/notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".zh.md"))
        .unwrap();
    edit(&notice, "title:", "title: 修改后");
    assert_eq!(zh(NOW), before);
    // Editing the timeline moves dates, not identities.
    let timeline = root.join("content/liaoning/timeline.yaml");
    edit(&timeline, "start: 2025-08-21", "start: 2025-08-20");
    edit(&timeline, "name: {zh: 决赛评审", "name: {zh: 决赛路演评审");
    let after = zh(NOW);
    assert_ne!(after, before);
    assert_eq!(uids(&after), uids(&before));
    let fin = events(&after)
        .into_iter()
        .find(|e| prop(e, "UID") == Some("stage-final@liaoning.podium"))
        .unwrap();
    assert_eq!(prop(&fin, "DTSTART;VALUE=DATE"), Some("20250820"));
    assert_eq!(prop(&fin, "SUMMARY"), Some("决赛路演评审"));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn the_timeline_page_links_its_calendar() {
    let built = build(&repo(), NOW);
    for b in &built {
        for (lang, page) in [("", "timeline/index.html"), ("en/", "en/timeline/index.html")] {
            let html = text(b, page);
            let root = "../".repeat(page.matches('/').count());
            assert!(
                html.contains(&format!("href=\"{root}{lang}timeline.ics\"")),
                "{}/{page}: no link to the calendar",
                b.site.id
            );
            assert!(
                html.contains("<link rel=\"alternate\" type=\"text/calendar\""),
                "{}/{page}: no calendar autodiscovery",
                b.site.id
            );
            assert!(b.output.files.contains_key(&format!("{lang}timeline.ics")));
        }
    }
}

// ---------------------------------------------------------------- JSON

#[test]
fn json_files_parse_and_count_what_the_provinces_have() {
    let built = build(&repo(), NOW);
    for (id, tracks, topics) in [("heilongjiang", 12, 81), ("liaoning", 10, 81)] {
        let b = get(&built, id);
        for (lang, prefix) in [("zh", ""), ("en", "en/")] {
            for name in ["tracks", "timeline", "publicity", "notices"] {
                let v = json(b, &format!("{prefix}data/{name}.json"));
                assert_eq!(v["schema"], format!("urn:podium:open-data:{name}:1"));
                assert_eq!(v["site"], id);
                assert_eq!(v["language"], lang);
                assert_eq!(v["generated"], NOW, "generated is the build's now");
            }
            let t = json(b, &format!("{prefix}data/tracks.json"));
            let list = t["tracks"].as_array().unwrap();
            assert_eq!(list.len(), tracks, "{id} {lang}");
            let n: usize = list.iter().map(|t| t["topics"].as_array().unwrap().len()).sum();
            assert_eq!(n, topics, "{id} {lang}");
            assert!(list
                .iter()
                .flat_map(|t| t["topics"].as_array().unwrap())
                .all(|tp| tp["fallback"] == false));
            // Notices: exactly the published ones.
            let notices = json(b, &format!("{prefix}data/notices.json"));
            let published = b.schedule.notices(&b.site).count();
            assert_eq!(notices["notices"].as_array().unwrap().len(), published);
            // No results have been published in the provinces.
            assert_eq!(json(b, &format!("{prefix}data/publicity.json"))["lists"], serde_json::json!([]));
        }
    }
    let ln = get(&built, "liaoning");
    let t = json(ln, "data/tracks.json");
    assert_eq!(t["tracks"][9]["groups"].as_array().unwrap().len(), 5, "综合赛道's five groups");
    assert_eq!(t["tracks"][0]["name"], "工业制造");
    assert_eq!(json(ln, "en/data/tracks.json")["tracks"][0]["name"], "Manufacturing");
}

fn statuses(now: &str) -> Vec<(String, String)> {
    let built = build(&repo(), now);
    let v = json(get(&built, "liaoning"), "data/timeline.json");
    assert_eq!(v["generated"], now);
    v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap().to_string(), s["status"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn timeline_statuses_follow_now() {
    let st = |now| statuses(now).into_iter().map(|(_, s)| s).collect::<Vec<_>>();
    assert_eq!(st("2025-05-01T10:00:00+08:00"), ["upcoming"; 7]);
    assert_eq!(
        st("2025-06-10T10:00:00+08:00"),
        ["current", "upcoming", "upcoming", "upcoming", "upcoming", "upcoming", "upcoming"]
    );
    assert_eq!(st(NOW), ["done", "done", "done", "done", "done", "current", "upcoming"]);
    assert_eq!(st("2025-12-01T10:00:00+08:00"), ["done"; 7]);
    let built = build(&repo(), NOW);
    let v = json(get(&built, "liaoning"), "data/timeline.json");
    assert_eq!(v["current_stage"], "winners-publicity");
    assert_eq!(v["stages"][5]["days_left"], 4);
    assert_eq!(v["stages"][6]["days_until"], 4);
    // Heilongjiang's approximate stages by their bounds: the preliminary
    // round has begun by 30 April; the final is not known to have begun.
    let hlj = json(get(&built, "heilongjiang"), "data/timeline.json");
    let st: Vec<&str> = hlj["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(st, ["started", "approximate", "approximate"]);
    assert!(hlj["stages"].as_array().unwrap().iter().all(|s| s["start"].is_null()));
}

#[test]
fn publicity_json_has_only_published_lists() {
    // The basic fixture's winners list opens on 22 August.
    let root = repo().join("tests/fixtures/basic");
    let lists = |now: &str| {
        let built = build(&root, now);
        json(get(&built, "basic"), "data/publicity.json")["lists"].clone()
    };
    assert_eq!(lists("2025-08-21T23:59:59+08:00"), serde_json::json!([]));
    let open = lists(NOW);
    assert_eq!(open[0]["slug"], "winners");
    assert_eq!(open[0]["status"], "open");
    assert_eq!(open[0]["days_left"], 4);
    assert_eq!(open[0]["entries"].as_array().unwrap().len(), 2);
    assert_eq!(lists("2025-09-01T00:00:00+08:00")[0]["status"], "closed");
}

#[test]
fn open_data_bytes_depend_only_on_inputs_and_now() {
    let a = build(&repo(), NOW);
    let b = build(&repo(), NOW);
    for (x, y) in a.iter().zip(&b) {
        for (p, bytes) in x.output.files.iter().filter(|(p, _)| p.contains("data/") || p.ends_with(".ics")) {
            assert_eq!(Some(bytes), y.output.files.get(p), "{}/{p}", x.site.id);
        }
    }
}

// ---------------------------------------------------------------- CSV

/// RFC 4180, as a strict reader: records end with CRLF; a quoted field may
/// hold commas, doubled quotes and line breaks.
fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let s = std::str::from_utf8(bytes).unwrap();
    let s = s.strip_prefix('\u{feff}').expect("starts with a byte order mark");
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            '"' => panic!("a quote inside an unquoted field"),
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            '\n' => panic!("a bare LF ends a record"),
            c => field.push(c),
        }
    }
    assert!(field.is_empty() && row.is_empty(), "the last record has no CRLF");
    rows
}

#[test]
fn csv_files_have_a_bom_the_columns_and_a_row_per_item() {
    let built = build(&repo(), NOW);
    for (id, topics) in [("heilongjiang", 81), ("liaoning", 81)] {
        let b = get(&built, id);
        for prefix in ["", "en/"] {
            let raw = file(b, &format!("{prefix}data/topics.csv"));
            assert!(raw.starts_with(b"\xEF\xBB\xBF"), "{id}: no BOM");
            let rows = parse_csv(raw);
            assert_eq!(rows[0], podium::outputs::opendata::TOPICS_CSV_COLUMNS);
            assert_eq!(rows.len() - 1, topics, "{id} {prefix}topics.csv");
            assert!(rows.iter().all(|r| r.len() == rows[0].len()));
            let p = parse_csv(file(b, &format!("{prefix}data/publicity.csv")));
            assert_eq!(
                p,
                [podium::outputs::opendata::PUBLICITY_CSV_COLUMNS
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()]
            );
        }
    }
    let ln = get(&built, "liaoning");
    let rows = parse_csv(file(ln, "data/topics.csv"));
    let comp: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "comprehensive").collect();
    assert_eq!(comp.len(), 24);
    assert!(comp.iter().all(|r| !r[3].is_empty() && !r[4].is_empty()), "groups named");
    // The example's published lists: one row per entry.
    let ex = get(&built, "example");
    let entries: usize = ex.schedule.lists(&ex.site).map(|(p, _)| p.entries.len()).sum();
    assert!(entries > 0);
    assert_eq!(parse_csv(file(ex, "data/publicity.csv")).len() - 1, entries);
}

#[test]
fn a_csv_field_with_a_comma_a_quote_and_a_line_break_round_trips() {
    let root = temp_dir("csv-quoting");
    copy_dir(&repo().join("tests/fixtures/basic"), &root);
    let _ = std::fs::remove_dir_all(root.join("expected"));
    let tricky = "项目, \"乙\"\n第二行";
    edit(
        &root.join("content/basic/publicity/winners.yaml"),
        "project: {zh: 项目乙,",
        "project: {zh: \"项目, \\\"乙\\\"\\n第二行\",",
    );
    let built = build(&root, NOW);
    let b = get(&built, "basic");
    let rows = parse_csv(file(b, "data/publicity.csv"));
    let col = podium::outputs::opendata::PUBLICITY_CSV_COLUMNS
        .iter()
        .position(|c| *c == "project")
        .unwrap();
    assert!(rows.iter().any(|r| r[col] == tricky), "{rows:?}");
    // JSON carries the same text.
    let v = json(b, "data/publicity.json");
    assert!(v["lists"][0]["entries"].as_array().unwrap().iter().any(|e| e["project"] == tricky));
    let _ = std::fs::remove_dir_all(&root);
}

// ---------------------------------------------------------------- data page

#[test]
fn the_data_page_lists_every_file_with_its_size_in_both_languages() {
    let built = build(&repo(), NOW);
    for b in &built {
        for prefix in ["", "en/"] {
            let page = text(b, &format!("{prefix}data/index.html"));
            let root = "../".repeat(1 + prefix.len() / 3);
            for name in podium::outputs::opendata::NAMES {
                let href = format!("href=\"{root}{prefix}data/{name}\"");
                assert!(page.contains(&href), "{}: {prefix}data/ does not link {name}", b.site.id);
                let size = file(b, &format!("{prefix}data/{name}")).len();
                let shown = if size >= 1024 {
                    format!("{} KB", size.div_ceil(1024))
                } else {
                    format!("{size} B")
                };
                assert!(page.contains(&shown), "{}: {prefix}data/: {name} is {shown}", b.site.id);
            }
            assert!(
                page.contains(&format!("href=\"{root}{prefix}timeline.ics\"")),
                "{}: no calendar link",
                b.site.id
            );
            for s in ["tracks", "timeline", "publicity", "notices"] {
                let href = format!("{root}data/schema/{s}.schema.json");
                assert!(page.contains(&format!("href=\"{href}\"")), "{}: {prefix}: no {href}", b.site.id);
            }
        }
    }
}
