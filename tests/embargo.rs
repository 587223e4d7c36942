//! Only what is published goes out: a draft, a notice before its
//! `publish_at`, their attachments and every file under `files/` that no
//! published page references leave no trace in any byte of the output —
//! pages, feeds, sitemap, search index, open data, calendar, `build.json`,
//! `manifest.json` and the `.gz` copies.

mod common;

use common::*;
use std::io::Read;
use std::path::Path;
use std::process::Command;

/// Words and names that must never be published before their time.
const DRAFT_WORD: &str = "zqxdraftbodyword";
const LATER_WORD: &str = "zqxlaterbodyword";
const LATER_TITLE: &str = "zqxlatertitle";
const DRAFT_SLUG: &str = "zqx-draft-notice";
const LATER_SLUG: &str = "zqx-later-notice";
const DRAFT_FILE: &str = "zqx-draft-annex.pdf";
const LATER_FILE: &str = "zqx-later-annex.pdf";
const LATER_LINKED: &str = "zqx-later-linked.pdf";
const ENV_SECRET: &str = "zqxenvsecret";
const GIT_SECRET: &str = "zqxgitsecret";
const STRAY_FILE: &str = "zqx-stray-plan.docx";
const LIST_SLUG: &str = "zqx-draft-list";
const LIST_WORD: &str = "zqxlistentrant";
const PAGE_SLUG: &str = "zqx-draft-page";
const PAGE_WORD: &str = "zqxpagebody";
const PUBLISH_AT: &str = "2025-09-01T09:00:00+08:00";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The clean fixture with a draft, a scheduled notice, a draft list, a
/// draft page and stray files planted in it.
fn planted(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    copy_dir(&repo().join("tests/fixtures/clean"), &dir);
    let c = "content/basic/";
    for lang in ["zh", "en"] {
        write(
            &dir,
            &format!("{c}notices/{DRAFT_SLUG}.{lang}.md"),
            &format!("---\ntitle: 草稿 {DRAFT_WORD}\ndate: 2025-08-21\ndraft: true\nattachments:\n  - file: {DRAFT_FILE}\n---\n正文 {DRAFT_WORD}。\n"),
        );
        write(
            &dir,
            &format!("{c}notices/{LATER_SLUG}.{lang}.md"),
            &format!(
                "---\ntitle: 获奖名单 {LATER_TITLE}\ndate: 2025-08-21\npublish_at: {PUBLISH_AT}\nsummary: 摘要 {LATER_WORD}\nattachments:\n  - file: {LATER_FILE}\n---\n正文 {LATER_WORD}，见[附件]({up}../../files/{LATER_LINKED})。\n",
                // One folder deeper under /en/.
                up = if lang == "en" { "../" } else { "" }
            ),
        );
        write(
            &dir,
            &format!("{c}pages/{PAGE_SLUG}.{lang}.md"),
            &format!("---\ntitle: 草稿页 {PAGE_WORD}\ndraft: true\nmenu: 9\n---\n{PAGE_WORD}\n"),
        );
    }
    write(
        &dir,
        &format!("{c}publicity/{LIST_SLUG}.yaml"),
        &format!(
            "kind: finalists\ntitle: {{zh: 入围名单 {LIST_WORD}, en: Finalists {LIST_WORD}}}\nstart: 2025-08-12\nend: 2025-08-18\ndraft: true\nentries:\n  - {{track: alpha, project: {{zh: 项目 {LIST_WORD}, en: P {LIST_WORD}}}, entrant: {{zh: {LIST_WORD}, en: {LIST_WORD}}}}}\n"
        ),
    );
    write(&dir, &format!("{c}files/{DRAFT_FILE}"), "%PDF draft annex\n");
    write(&dir, &format!("{c}files/{LATER_FILE}"), "%PDF winners list\n");
    write(&dir, &format!("{c}files/{LATER_LINKED}"), "%PDF linked from the body\n");
    write(&dir, &format!("{c}files/.env"), &format!("TOKEN={ENV_SECRET}\n"));
    write(&dir, &format!("{c}files/.git/config"), &format!("[remote] url = {GIT_SECRET}\n"));
    write(&dir, &format!("{c}files/drafts/{STRAY_FILE}"), "stray\n");
    dir
}

fn build(root: &Path, out: &Path, now: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["build", "--precompress", "--no-cache", "--now", now, "--root"])
        .arg(root)
        .arg("--themes")
        .arg(repo().join("themes"))
        .arg("--out")
        .arg(out)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

/// Every file of the output, `.gz` copies decompressed: (path, text).
fn every_byte(out: &Path) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for e in walkdir::WalkDir::new(out).sort_by_file_name() {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e.path().strip_prefix(out).unwrap().to_string_lossy().to_string();
        let mut bytes = std::fs::read(e.path()).unwrap();
        if rel.ends_with(".gz") {
            let mut plain = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut plain).unwrap();
            bytes = plain;
        }
        v.push((rel, String::from_utf8_lossy(&bytes).to_lowercase()));
    }
    v
}

/// Where any needle is found: a path, or a path and the needle inside.
fn traces(out: &Path, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (rel, text) in every_byte(out) {
        for n in needles {
            let n = n.to_lowercase();
            if rel.to_lowercase().contains(&n) {
                found.push(format!("file {rel} is named after {n}"));
            }
            if text.contains(&n) {
                found.push(format!("{rel} contains {n}"));
            }
        }
    }
    found
}

#[test]
fn nothing_unpublished_is_in_any_byte_of_the_output_until_its_time() {
    let dir = planted("embargo");
    let out = dir.join("public");
    let o = build(&dir, &out, "2025-08-25T12:00:00+08:00");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("basic/index.html.gz").is_file(), "precompressed copies are written");
    let never = [
        DRAFT_WORD, DRAFT_SLUG, DRAFT_FILE, ENV_SECRET, GIT_SECRET, ".env", ".git", STRAY_FILE, LIST_SLUG, LIST_WORD, PAGE_SLUG, PAGE_WORD,
    ];
    let not_yet = [LATER_WORD, LATER_TITLE, LATER_SLUG, LATER_FILE, LATER_LINKED, "2025-09-01T09:00"];
    let all: Vec<&str> = never.iter().chain(&not_yet).copied().collect();
    let found = traces(&out, &all);
    assert!(found.is_empty(), "unpublished content in the output:\n{}", found.join("\n"));
    // The published attachment of the fixture is still there.
    assert!(out.join("basic/files/guide.txt").is_file());

    // The day before: publish_at is the very next change, and no file
    // may tell it (open data's timeline, build.json).
    let eve = dir.join("eve");
    let o = build(&dir, &eve, "2025-08-31T12:00:00+08:00");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let found = traces(&eve, &all);
    assert!(found.is_empty(), "unpublished content the day before:\n{}", found.join("\n"));

    // After publish_at: the notice, its attachment and the file its body
    // links to are published; the draft and the stray files still are not.
    let later = dir.join("later");
    let o = build(&dir, &later, "2025-09-01T09:00:00+08:00");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in [LATER_FILE, LATER_LINKED] {
        assert!(later.join("basic/files").join(f).is_file(), "{f} is published with its notice");
    }
    let page = std::fs::read_to_string(later.join(format!("basic/notices/{LATER_SLUG}/index.html"))).unwrap();
    assert!(page.contains(LATER_WORD));
    let found = traces(&later, &never);
    assert!(found.is_empty(), "unpublished content in the output:\n{}", found.join("\n"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn check_warns_about_a_file_nothing_references() {
    let dir = planted("embargo-check");
    let o = Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["check", "--lang", "en", "--now", "2025-08-25T12:00:00+08:00", "--root"])
        .arg(&dir)
        .arg("--themes")
        .arg(repo().join("themes"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("content/basic/files/drafts/{STRAY_FILE}: warning:")),
        "the stray file is named:\n{err}"
    );
    // Attachments of a draft or a scheduled notice are referenced: they go
    // out with their notice, so no warning.
    for f in [DRAFT_FILE, LATER_FILE, LATER_LINKED] {
        assert!(!err.contains(f), "{f} is referenced, no warning:\n{err}");
    }
    // Hidden files are never published and never mentioned.
    assert!(!err.contains(".env"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}
