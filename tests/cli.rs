//! The `podium` binary as an operator runs it.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

fn podium(root: &Path, out: &Path, now: Option<&str>, tz: Option<&str>) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_podium"));
    c.arg("build")
        .arg("--root")
        .arg(root)
        .arg("--themes")
        .arg(repo().join("themes"))
        .arg("--out")
        .arg(out);
    if let Some(n) = now {
        c.arg("--now").arg(n);
    }
    // The fixture is part of the repository: keep the cache out of it
    // (`the_highlight_store_…` tests the cache in a copy).
    c.arg("--no-cache");
    c.env_remove("SOURCE_DATE_EPOCH");
    if let Some(tz) = tz {
        c.env("TZ", tz);
    }
    c.output().unwrap()
}

fn fixture() -> std::path::PathBuf {
    repo().join("tests/fixtures/basic")
}

#[test]
fn two_builds_give_byte_identical_trees() {
    let dir = temp_dir("determinism");
    let (a, b) = (dir.join("a"), dir.join("b"));
    for out in [&a, &b] {
        let o = podium(&fixture(), out, Some("2025-08-25T12:00:00+08:00"), None);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert!(ta.len() > 40);
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (p, bytes) in &ta {
        assert!(bytes == &tb[p], "{p} differs between two builds");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_highlight_store_is_kept_in_the_project_and_changes_no_byte() {
    let dir = temp_dir("store");
    let project = dir.join("project");
    copy_dir(&fixture(), &project);
    let build = |out: &Path, extra: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_podium"))
            .args(["build", "--now", "2025-08-25T12:00:00+08:00", "--themes"])
            .arg(repo().join("themes"))
            .arg("--root")
            .arg(&project)
            .arg("--out")
            .arg(out)
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let store = project.join(".podium-cache/highlight.bin");
    build(&dir.join("plain"), &["--no-cache"]);
    assert!(!project.join(".podium-cache").exists(), "--no-cache wrote a cache");
    build(&dir.join("cold"), &[]);
    let written = std::fs::read(&store).expect("the build keeps highlighted code in .podium-cache/");
    assert!(written.starts_with(b"podium highlight store"));
    build(&dir.join("warm"), &[]);
    let plain = read_tree(&dir.join("plain"));
    assert_eq!(read_tree(&dir.join("cold")), plain);
    assert_eq!(read_tree(&dir.join("warm")), plain, "output from the store differs");
    // A store that is damaged is ignored, not trusted.
    std::fs::write(&store, b"podium highlight store 1; garbage").unwrap();
    build(&dir.join("damaged"), &[]);
    assert_eq!(read_tree(&dir.join("damaged")), plain);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_rebuild_writes_only_what_changed_and_leaves_nothing_stale() {
    let dir = temp_dir("spare");
    let project = dir.join("project");
    copy_dir(&fixture(), &project);
    let out = dir.join("public");
    let build = |project: &Path, out: &Path, extra: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_podium"))
            .args(["build", "--now", "2025-08-25T12:00:00+08:00", "--themes"])
            .arg(repo().join("themes"))
            .arg("--root")
            .arg(project)
            .arg("--out")
            .arg(out)
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let mtime = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let kept = out.join("basic/tracks/index.html");
    build(&project, &out, &[]);
    let first = mtime(&kept);
    build(&project, &out, &[]);
    assert!(
        project.join(".podium-cache/spare/basic").is_dir(),
        "the previous output is kept as the spare"
    );
    assert!(
        std::fs::read_dir(&out)
            .unwrap()
            .all(|e| !e.unwrap().file_name().to_string_lossy().starts_with('.')),
        "nothing but the sites is left in the output folder"
    );
    // What a killed build left beside the output is cleared away.
    let leftover = out.join(format!(".basic.tmp-{}", u32::MAX));
    std::fs::create_dir_all(leftover.join("notices")).unwrap();
    // An edit, a notice removed, and a stray file and folder in the spare.
    let notices = project.join("content/basic/notices");
    let edited = std::fs::read_dir(&notices)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".zh.md") && !p.to_string_lossy().contains("xss"))
        .unwrap();
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replacen("\n---\n", "\n---\n\n新增的一段话。\n", 1)).unwrap();
    std::fs::remove_file(notices.join("xss.zh.md")).unwrap();
    let _ = std::fs::remove_file(notices.join("xss.en.md"));
    std::fs::write(project.join(".podium-cache/spare/basic/stray.html"), "x").unwrap();
    std::fs::create_dir_all(project.join(".podium-cache/spare/basic/stray/deeper")).unwrap();
    build(&project, &out, &[]);
    // Exactly what a fresh build gives…
    build(&project, &dir.join("fresh"), &["--no-cache"]);
    assert_eq!(read_tree(&out), read_tree(&dir.join("fresh")));
    assert!(!leftover.exists(), "a killed build's folder was left in the output");
    assert!(!out.join("basic/notices/xss").exists());
    // …with the unchanged page not written again (it is build 1's file).
    assert_eq!(mtime(&kept), first, "an unchanged page was written again");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn pages_written_as_they_are_rendered_equal_the_build_in_memory() {
    // `podium build` streams pages to disk; the golden tree is the
    // library's in-memory build. Both, manifest included, byte for byte.
    let dir = temp_dir("streamed");
    let o = podium(&fixture(), &dir, Some("2025-08-25T12:00:00+08:00"), None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let expected = read_tree(&fixture().join("expected"));
    let written = read_tree(&dir);
    assert!(written.len() > 40);
    assert_eq!(written.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>());
    for (p, bytes) in &written {
        assert!(bytes == &expected[p], "{p} differs from the in-memory build");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_machine_time_zone_changes_nothing() {
    let dir = temp_dir("tz");
    let instants = [
        ("2025-08-25T12:00:00+08:00", "open", Some(4)),
        ("2025-08-28T23:59:59+08:00", "open", Some(1)),
        ("2025-08-29T00:00:00+08:00", "closed", None),
    ];
    for (i, (now, status, days)) in instants.iter().enumerate() {
        let mut trees = Vec::new();
        for tz in ["UTC", "America/Los_Angeles", "Asia/Shanghai"] {
            let out = dir.join(format!("{i}-{}", tz.replace('/', "-")));
            let o = podium(&fixture(), &out, Some(now), Some(tz));
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("basic/build.json")).unwrap()).unwrap();
            assert_eq!(json["publicity"][0]["status"], *status, "TZ={tz} at {now}");
            assert_eq!(json["publicity"][0]["days_left"].as_i64(), *days, "TZ={tz} at {now}");
            trees.push(read_tree(&out));
        }
        assert!(
            trees.windows(2).all(|w| w[0] == w[1]),
            "output depends on the machine's TZ at {now}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn source_date_epoch_is_now_when_no_flag_is_given() {
    let dir = temp_dir("sde");
    // 2025-08-25T04:00:00Z = 12:00 in Shanghai
    let o = Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["build", "--no-cache", "--root"])
        .arg(fixture())
        .arg("--themes")
        .arg(repo().join("themes"))
        .arg("--out")
        .arg(&dir)
        .env("SOURCE_DATE_EPOCH", "1756094400")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("basic/build.json")).unwrap()).unwrap();
    assert_eq!(json["now"], "2025-08-25T12:00:00+08:00");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_report_names_pages_time_and_next_change() {
    let dir = temp_dir("report");
    let o = podium(&fixture(), &dir, Some("2025-08-25T12:00:00+08:00"), None);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let line = stdout.lines().find(|l| l.starts_with("basic:")).expect("a line per site");
    assert!(line.contains("38 pages (19 en, 19 zh)"), "{line}");
    assert!(line.contains(" ms;"), "{line}");
    assert!(line.contains("next change: 2025-08-26 00:00"), "{line}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_broken_edit_leaves_the_published_output_untouched() {
    let dir = temp_dir("atomic");
    let project = dir.join("project");
    copy_dir(&fixture(), &project);
    let out = dir.join("public");
    let o = podium(&project, &out, Some("2025-08-25T12:00:00+08:00"), None);
    assert!(o.status.success());
    let before = read_tree(&out);
    // A misspelt field in a topic file.
    std::fs::write(
        project.join("content/basic/tracks/alpha/one.zh.md"),
        "---\ntitel: 第一题\n---\n甲一。\n",
    )
    .unwrap();
    let o = podium(&project, &out, Some("2025-08-26T12:00:00+08:00"), None);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("one.zh.md:2:1: error: unknown field `titel`"), "{stderr}");
    assert!(stderr.contains("did you mean `title`"), "{stderr}");
    assert_eq!(read_tree(&out), before, "a failed build changed the output");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn help_and_usage_errors() {
    let o = Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["build", "--help"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout);
    for flag in ["--site", "--out", "--now", "--base-url"] {
        assert!(help.contains(flag), "help lacks {flag}");
    }
    let o = Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["build", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["build", "--now", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

fn podium_new(project: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_podium"))
        .arg("new")
        .args(args)
        .arg("--root")
        .arg(project)
        .arg("--themes")
        .arg(repo().join("themes"))
        .args(["--now", "2025-09-01T10:00:00+08:00"])
        .env("LANG", "C")
        .output()
        .unwrap()
}

#[test]
fn new_files_pass_check_as_written_and_nothing_is_overwritten() {
    let dir = temp_dir("new");
    let project = dir.join("project");
    copy_dir(&repo().join("tests/fixtures/clean"), &project);
    for kind in ["notice", "page", "publicity"] {
        let o = podium_new(&project, &[kind, "--site", "basic"]);
        assert!(o.status.success(), "{kind}: {}", String::from_utf8_lossy(&o.stderr));
    }
    let notices = project.join("content/basic/notices");
    for lang in ["zh", "en"] {
        assert!(notices.join(format!("notice-2025-09-01.{lang}.md")).is_file(), "no {lang} notice");
        assert!(project.join(format!("content/basic/pages/new-page.{lang}.md")).is_file());
    }
    let zh = std::fs::read_to_string(notices.join("notice-2025-09-01.zh.md")).unwrap();
    assert!(zh.contains("date: 2025-09-01"), "dated from the build clock: {zh}");
    assert!(project.join("content/basic/publicity/results-2025-09-01.yaml").is_file());
    // The new files pass check, strictly.
    let o = Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["check", "--strict", "--now", "2025-09-01T10:00:00+08:00", "--root"])
        .arg(&project)
        .arg("--themes")
        .arg(repo().join("themes"))
        .env("LANG", "C")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A second notice the same day gets a name of its own.
    assert!(podium_new(&project, &["notice", "--site", "basic"]).status.success());
    assert!(notices.join("notice-2025-09-01-2.zh.md").is_file());
    // An existing name given with --slug is refused and left as it was.
    let edited = "---\ntitle: Edited\n---\nEdited.\n";
    std::fs::write(notices.join("notice-2025-09-01.en.md"), edited).unwrap();
    let o = podium_new(&project, &["notice", "--site", "basic", "--slug", "notice-2025-09-01"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(notices.join("notice-2025-09-01.en.md")).unwrap(), edited);
    assert_eq!(std::fs::read_to_string(notices.join("notice-2025-09-01.zh.md")).unwrap(), zh);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_new_page_cannot_take_a_section_or_language_address() {
    let dir = temp_dir("new-reserved");
    copy_dir(&repo().join("tests/fixtures/clean"), &dir);
    for slug in ["notices", "en", "zh", "404", "search", "files"] {
        let o = podium_new(&dir, &["page", "--site", "basic", "--slug", slug]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{slug}: {err}");
        assert!(err.contains(&format!("a page cannot be called `{slug}`")), "{slug}: {err}");
        assert!(err.contains("hint: choose another name with --slug"), "{err}");
        assert!(
            !dir.join(format!("content/basic/pages/{slug}.zh.md")).exists(),
            "{slug}: nothing written"
        );
    }
    // A notice may be called `notices`: it lives under notices/.
    assert!(podium_new(&dir, &["notice", "--site", "basic", "--slug", "search"])
        .status
        .success());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn precompress_writes_gzip_beside_text_files() {
    let dir = temp_dir("gz");
    let o = Command::new(env!("CARGO_BIN_EXE_podium"))
        .args([
            "build",
            "--no-cache",
            "--precompress",
            "--now",
            "2025-08-25T12:00:00+08:00",
            "--root",
        ])
        .arg(fixture())
        .arg("--themes")
        .arg(repo().join("themes"))
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success());
    let tree = read_tree(&dir.join("basic"));
    for (p, bytes) in tree
        .iter()
        .filter(|(p, _)| p.ends_with(".html") || p.ends_with(".xml") || p.ends_with(".css"))
    {
        let gz = tree.get(&format!("{p}.gz")).unwrap_or_else(|| panic!("no {p}.gz"));
        let mut d = flate2::read::GzDecoder::new(&gz[..]);
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut d, &mut back).unwrap();
        assert_eq!(&back, bytes, "{p}.gz");
    }
    assert!(!tree.keys().any(|p| p.ends_with(".txt.gz.gz")));
    // The manifest lists exactly the files written, pages and copies too.
    let manifest: serde_json::Value = serde_json::from_slice(&tree["manifest.json"]).unwrap();
    let listed: std::collections::BTreeMap<String, (u64, String)> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = f["path"].as_str().unwrap().to_string();
            (p, (f["size"].as_u64().unwrap(), f["sha256"].as_str().unwrap().to_string()))
        })
        .collect();
    let on_disk: std::collections::BTreeMap<String, (u64, String)> = tree
        .iter()
        .filter(|(p, _)| *p != "manifest.json")
        .map(|(p, b)| (p.clone(), (b.len() as u64, podium::base::digest::sha256_hex(b))))
        .collect();
    assert_eq!(listed, on_disk);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn serve_refuses_a_site_that_does_not_exist() {
    let o = Command::new(env!("CARGO_BIN_EXE_podium"))
        .args(["serve", "--site", "basik", "--port", "0", "--root"])
        .arg(fixture())
        .env("LANG", "C")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("there is no site `basik`") && err.contains("did you mean `basic`?"),
        "{err}"
    );
}
