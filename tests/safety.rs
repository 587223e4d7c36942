//! What may not reach a page, one editor's file at a time: each unsafe
//! address (from Markdown and from YAML), each control character, each
//! YAML value that is not text, each impossible time. Every one is an
//! error at the place it is written, and `build` refuses it too.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

const NOW: &str = "2025-08-25T12:00:00+08:00";

fn podium(project: &Path, cmd: &str) -> (i32, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_podium"));
    c.args(["--lang", "en", cmd, "--now", NOW, "--root"])
        .arg(project)
        .arg("--themes")
        .arg(repo().join("themes"));
    if cmd == "build" {
        c.arg("--no-cache").arg("--out").arg(project.join("public"));
    }
    let o = c.env_remove("SOURCE_DATE_EPOCH").output().unwrap();
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).to_string())
}

const FAQ: &str = "content/basic/pages/faq.zh.md";

/// A page whose body is `body` (front matter on lines 1–4, body from 5).
fn page(body: &str) -> String {
    format!("---\ntitle: 常见问题\nmenu: 1\n---\n{body}\n")
}

/// (what, file, its new text, what the error must say, at `file:line:col`)
fn cases() -> Vec<(&'static str, &'static str, String, &'static str, &'static str)> {
    let site_yaml = std::fs::read_to_string(repo().join("tests/fixtures/clean/sites/basic/site.yaml")).unwrap();
    let notice = |front: &str| format!("---\n{front}\ndate: 2025-08-01\nattachments:\n  - file: guide.txt\n---\n正文。\n");
    let unsafe_url = "error: the link address";
    vec![
        ("inline link", FAQ, page("见[链接](javascript:alert(1))。"), unsafe_url, "5:2"),
        ("mixed case", FAQ, page("见[链接](JaVaScRiPt:alert(1))。"), unsafe_url, "5:2"),
        ("entity-encoded", FAQ, page("见[链接](&#106;avascript:alert(1))。"), unsafe_url, "5:2"),
        ("escaped colon", FAQ, page("见[链接](javascript\\:alert(1))。"), unsafe_url, "5:2"),
        ("autolink", FAQ, page("见 <javascript:alert(1)> 。"), unsafe_url, "5:3"),
        ("reference definition", FAQ, page("见[链接][r]。\n\n[r]: javascript:alert(1)"), unsafe_url, "7:1"),
        ("image", FAQ, page("![图](javascript:alert(1))"), unsafe_url, "5:1"),
        ("vbscript", FAQ, page("[a](vbscript:msgbox(1))"), unsafe_url, "5:1"),
        ("data", FAQ, page("[a](data:text/html;base64,PHNjcmlwdD4=)"), unsafe_url, "5:1"),
        ("tab inside the scheme", FAQ, page("[a](<java\tscript:alert(1)>)"), unsafe_url, "5:1"),
        ("character reference to ESC", FAQ, page("红&#27;[31m字"), "makes a control character (U+001B)", "5:2"),
        (
            "registration_url",
            "sites/basic/site.yaml",
            site_yaml.replace("registration_url: https://register.example/", "registration_url: \"javascript:alert(1)\""),
            "error: registration_url `javascript:alert(1)` is not a web address",
            "6:1",
        ),
        (
            "registration_url as data",
            "sites/basic/site.yaml",
            site_yaml.replace("registration_url: https://register.example/", "registration_url: data:text/html,x"),
            "is not a web address",
            "6:1",
        ),
        (
            "a track's intro",
            "content/basic/tracks/alpha/track.yaml",
            "number: 1\nname: {zh: 甲赛道, en: Track Alpha}\nintro: {zh: \"见[说明](javascript:alert(1))\", en: See}\ntopics:\n  - {id: one, number: 1}\n  - {id: two, number: 2}\n".into(),
            unsafe_url,
            "3:",
        ),
        (
            "a stage's description",
            "content/basic/timeline.yaml",
            "stages:\n  - {id: registration, kind: registration, name: {zh: 报名, en: Registration}, start: 2025-06-03, end: 2025-07-18,\n     description: \"<VBScript:x>\"}\n  - {id: final, kind: final, name: {zh: 决赛, en: Final}, start: 2025-08-21}\n  - {id: winners, kind: publicity, name: {zh: 获奖公示, en: Winners publicity}, start: 2025-08-22, end: 2025-08-28}\n".into(),
            unsafe_url,
            "3:",
        ),
        (
            "escapes making NUL and ESC in a title",
            "content/basic/notices/first.zh.md",
            notice("title: \"通知\\0零\\e[31m红\""),
            "error: the escape `\\0` makes a control character (U+0000)",
            "2:11",
        ),
        ("NEL escape", "content/basic/notices/first.zh.md", notice("title: \"通知\\N\""), "the escape `\\N`", "2:11"),
        (
            "a raw NUL in a body",
            "content/basic/notices/first.zh.md",
            "---\ntitle: 通知\ndate: 2025-08-01\nattachments:\n  - file: guide.txt\n---\n正文\u{0}零。\n".into(),
            "error: a control character (U+0000) is in the text",
            "7:3",
        ),
        (
            "a raw ESC in a title",
            "content/basic/notices/first.zh.md",
            notice("title: 通知\u{1b}[31m红"),
            "a control character (U+001B)",
            "2:10",
        ),
        ("title: ~", "content/basic/notices/first.zh.md", notice("title: ~"), "error: `~` is not text here", "2:8"),
        ("title: null", "content/basic/notices/first.zh.md", notice("title: null"), "error: `null` is not text here", "2:8"),
        (
            "summary: false",
            "content/basic/notices/first.zh.md",
            notice("title: 通知\nsummary: false"),
            "error: `false` is not text here",
            "3:10",
        ),
        ("title: 2025", "content/basic/notices/first.zh.md", notice("title: 2025"), "error: `2025` is not text here", "2:8"),
        (
            "an e-mail as true",
            "sites/basic/site.yaml",
            site_yaml.replace("email: office@example.invalid", "email: true"),
            "error: `true` is not text here",
            "10:12",
        ),
        (
            "an offset of +25:00",
            "content/basic/notices/first.zh.md",
            notice("title: 通知\npublish_at: 2025-08-22T09:00:00+25:00"),
            "has the offset +25:00, which no time zone uses",
            "3:13",
        ),
        (
            "a stage near the end of the calendar",
            "content/basic/timeline.yaml",
            "stages:\n  - {id: registration, kind: registration, name: {zh: 报名, en: Registration}, start: 9999-12-28, end: 9999-12-31}\n".into(),
            "error: `9999-12-28` is too far ahead: dates go up to 9998-12-31",
            "2:",
        ),
    ]
}

#[test]
fn each_unsafe_input_is_an_error_where_it_is_written_and_build_refuses_it() {
    let mut failures = Vec::new();
    for (i, (what, file, text, says, at)) in cases().into_iter().enumerate() {
        let project = temp_dir(&format!("safety-{i}"));
        copy_dir(&repo().join("tests/fixtures/clean"), &project);
        std::fs::write(project.join(file), &text).unwrap();
        let (code, err) = podium(&project, "check");
        let located = err.lines().any(|l| l.starts_with(&format!("{file}:{at}")) && l.contains(says));
        if code != 1 || !located {
            failures.push(format!("{what}: expected `{file}:{at}…{says}`, exit 1; got exit {code}:\n{err}"));
        }
        let (code, err) = podium(&project, "build");
        if code != 1 || !err.contains(says) {
            failures.push(format!("{what}: build must refuse it; got exit {code}:\n{err}"));
        }
        assert!(!project.join("public").exists(), "{what}: nothing written");
        let _ = std::fs::remove_dir_all(project);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn messages_say_what_to_do_in_chinese_too() {
    let project = temp_dir("safety-zh");
    copy_dir(&repo().join("tests/fixtures/clean"), &project);
    std::fs::write(project.join(FAQ), page("见[链接](javascript:alert(1))。")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["--lang", "zh", "check", "--root"])
        .arg(&project)
        .arg("--themes")
        .arg(repo().join("themes"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("{FAQ}:5:2: 错误: 不允许使用链接地址 `javascript:alert(1)`")),
        "{err}"
    );
    assert!(err.contains("请写完整的网址"), "{err}");
    let _ = std::fs::remove_dir_all(project);
}
