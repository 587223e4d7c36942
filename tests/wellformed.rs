//! Whatever an editor writes, the output stays well-formed: every page
//! parses as HTML without a single parse error (html5ever, the parser of
//! Servo), every feed and sitemap as XML, every calendar as iCalendar
//! lines, every JSON file as JSON — or the build refuses the content with
//! an error that says where it is.

mod common;

use common::*;
use html5ever::tendril::TendrilSink;
use proptest::prelude::*;
use std::path::Path;

/// The parse errors html5ever reports for a page.
fn html_errors(bytes: &[u8]) -> Vec<String> {
    let dom = html5ever::parse_document(markup5ever_rcdom::RcDom::default(), Default::default())
        .from_utf8()
        .read_from(&mut &bytes[..])
        .unwrap();
    let errors = dom.errors.borrow();
    errors.iter().map(|e| e.to_string()).collect()
}

/// What is wrong with one output file, if anything.
fn malformed(path: &str, bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    // CSV and iCalendar end their lines with CRLF, as their RFCs say.
    let lines = text.replace("\r\n", "\n");
    if let Some(c) = lines.chars().find(|c| podium::base::safety::is_forbidden(*c)) {
        return Some(format!("{path}: holds U+{:04X}", c as u32));
    }
    if path.ends_with(".html") {
        let errors = html_errors(bytes);
        return (!errors.is_empty()).then(|| format!("{path}: {}", errors.join("; ")));
    }
    if path.ends_with(".xml") {
        return roxmltree::Document::parse(text).err().map(|e| format!("{path}: {e}"));
    }
    if path.ends_with(".json") {
        return serde_json::from_str::<serde_json::Value>(text)
            .err()
            .map(|e| format!("{path}: {e}"));
    }
    if path.ends_with(".ics") {
        let bad = text.split("\r\n").find(|l| l.len() > 75 || l.contains('\n') || l.contains('\r'));
        let framed = text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n");
        return (bad.is_some() || !framed).then(|| format!("{path}: not iCalendar lines ({bad:?})"));
    }
    None
}

fn malformed_files(root: &Path, now: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for b in build(root, now) {
        for (path, bytes) in &b.output.files {
            problems.extend(malformed(&format!("{}/{path}", b.site.id), bytes));
        }
    }
    problems
}

#[test]
fn the_real_sites_and_the_fixtures_are_well_formed() {
    let mut problems = malformed_files(&repo(), "2025-08-25T12:00:00+08:00");
    problems.extend(malformed_files(&repo().join("tests/fixtures/basic"), "2025-08-25T12:00:00+08:00"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Pieces an editor (or an attacker) might type: prose in both scripts,
/// Markdown and HTML syntax, entities, script addresses, quotes and
/// backslashes, control characters and noncharacters.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("通知".to_string()),
        Just("Notice ".to_string()),
        Just("“数据要素×”".to_string()),
        Just("**粗体**".to_string()),
        Just("*".to_string()),
        Just("[链接](../../tracks/)".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
        Just("<javascript:alert(1)>".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<b onclick=x>".to_string()),
        Just("&#27;".to_string()),
        Just("&#x85;".to_string()),
        Just("&#0;".to_string()),
        Just("&amp;&lt;".to_string()),
        Just("]]>".to_string()),
        Just("\"'\\".to_string()),
        Just("\n".to_string()),
        Just("\n\n# 标题\n".to_string()),
        Just("\n```\ncode\n```\n".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
        Just(":".to_string()),
        Just("{n}".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\u{7f}".to_string()),
        Just("\u{85}".to_string()),
        Just("\u{fffe}".to_string()),
        Just("\u{a0}\u{3000}".to_string()),
        Just("😀".to_string()),
        "[a-z一-龥 ]{0,8}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..8).prop_map(|v| v.concat())
}

/// A YAML scalar holding `s` exactly: double-quoted, with escapes for
/// what a double-quoted scalar cannot hold as it is.
fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{85}' || c == '\u{fffe}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_title_and_body_give_well_formed_output_or_a_located_error(
        title in text(),
        summary in text(),
        body in text(),
        raw_title in any::<bool>(),
    ) {
        let dir = temp_dir("wellformed");
        copy_dir(&repo().join("tests/fixtures/clean"), &dir);
        // The title either as YAML escapes or written raw (one line).
        let title_yaml = if raw_title && !title.contains(['\n', '"', '\\', ':', '#']) && !title.trim().is_empty() {
            title.clone()
        } else {
            yaml_quoted(&title)
        };
        let notice = format!(
            "---\ntitle: {title_yaml}\ndate: 2025-08-02\nsummary: {}\n---\n{body}\n",
            yaml_quoted(&summary)
        );
        for lang in ["zh", "en"] {
            std::fs::write(dir.join(format!("content/basic/notices/fuzzed.{lang}.md")), &notice).unwrap();
        }
        let (built, diags) = podium::build::build_all(&options(&dir, "2025-08-25T12:00:00+08:00"));
        let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
        if errors.is_empty() {
            let mut problems = Vec::new();
            for b in &built {
                for (path, bytes) in &b.output.files {
                    problems.extend(malformed(path, bytes));
                }
            }
            prop_assert!(problems.is_empty(), "{}\n--- notice:\n{notice}", problems.join("\n"));
        } else {
            for d in errors {
                prop_assert!(d.line > 0, "an error without a place: {d}\n--- notice:\n{notice}");
            }
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
