//! Putting sites into the output folder: never over the sources, all or
//! nothing, whole after a kill at any point, one message for a full disk,
//! and a report that cannot break the build.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const NOW: &str = "2025-08-25T12:00:00+08:00";

fn podium(root: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_podium"));
    c.arg("--lang")
        .arg("en")
        .arg("build")
        .arg("--now")
        .arg(NOW)
        .arg("--root")
        .arg(root)
        .arg("--themes")
        .arg(repo().join("themes"))
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("PODIUM_FAULT");
    c
}

fn run(c: &mut Command) -> (Option<i32>, String, String) {
    let o = c.output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

/// A project with two sites, `basic` and `other` (a copy of it).
fn project(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    copy_dir(&repo().join("tests/fixtures/clean"), &dir);
    copy_dir(&dir.join("content/basic"), &dir.join("content/other"));
    copy_dir(&dir.join("sites/basic"), &dir.join("sites/other"));
    dir
}

/// Changes the text of both sites' home pages, so a build differs.
fn edit(dir: &Path, word: &str) {
    for id in ["basic", "other"] {
        let p = dir.join(format!("content/{id}/home.zh.md"));
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, format!("{text}\n{word}\n")).unwrap();
    }
}

/// A mistake an editor makes: the build fails on content.
fn break_content(dir: &Path) {
    std::fs::write(
        dir.join("content/basic/tracks/alpha/one.zh.md"),
        "---\ntitel: 第一题\n---\n甲一。\n",
    )
    .unwrap();
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    read_tree(dir)
}

/// Nothing of a build is left beside or inside the output.
fn no_leftovers(out: &Path) {
    let names: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "hidden leftovers in the output: {names:?}"
    );
    let staging = out.parent().unwrap().join(".podium-staging");
    assert!(
        !staging.exists(),
        "staging left behind: {:?}",
        read_tree(&staging).keys().collect::<Vec<_>>()
    );
}

#[test]
fn an_output_folder_over_the_sources_is_refused_with_nothing_touched() {
    let dir = project("out-sources");
    std::fs::create_dir_all(dir.join(".podium-cache")).unwrap();
    std::fs::write(dir.join(".podium-cache/keep"), "x").unwrap();
    let before = tree(&dir);
    for out in [
        ".",
        "content",
        "sites",
        "themes",
        ".podium-cache",
        "content/basic",
        "content/new",
        "sites/basic/public",
        "public/../content",
        "..",
    ] {
        let (code, _, err) = run(podium(&dir).arg("--out").arg(dir.join(out)));
        assert_eq!(code, Some(1), "--out {out} is refused:\n{err}");
        assert!(err.contains("would write over the project's own files"), "--out {out}:\n{err}");
        assert!(err.contains("hint:"), "{err}");
        assert_eq!(tree(&dir), before, "--out {out} touched the project");
    }
    // The default, public/, is fine.
    let (code, _, err) = run(&mut podium(&dir));
    assert_eq!(code, Some(0), "{err}");
    assert!(dir.join("public/basic/index.html").is_file());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_kill_between_the_two_renames_is_repaired_by_the_next_build_even_one_that_fails() {
    let dir = project("kill-between");
    let out = dir.join("public");
    let (code, _, err) = run(&mut podium(&dir));
    assert_eq!(code, Some(0), "{err}");
    let v1 = tree(&out.join("basic"));
    edit(&dir, "第二版");
    // The two-rename swap (where the atomic exchange is missing), killed
    // between its renames: the site is gone from the output.
    let (code, _, _) = run(podium(&dir).env("PODIUM_FAULT", "no-exchange,kill-between-renames"));
    assert_ne!(code, Some(0));
    assert!(!out.join("basic").exists(), "the fault did not hit between the renames");
    // The next build meets an editor's mistake, and still puts it back.
    break_content(&dir);
    let (code, _, err) = run(&mut podium(&dir));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("public/basic: warning: this site was missing"), "{err}");
    assert_eq!(tree(&out.join("basic")), v1, "the site as it was before is back");
    no_leftovers(&out);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_kill_right_after_a_swap_leaves_every_site_whole() {
    let dir = project("kill-after");
    let out = dir.join("public");
    assert_eq!(run(&mut podium(&dir)).0, Some(0));
    let v1 = tree(&out);
    edit(&dir, "第二版");
    let (code, _, _) = run(podium(&dir).env("PODIUM_FAULT", "kill-after-swap:basic"));
    assert_ne!(code, Some(0));
    // basic is new, other still old: each whole.
    let now = tree(&out);
    let home = |t: &BTreeMap<String, Vec<u8>>, id: &str| String::from_utf8_lossy(&t[&format!("{id}/index.html")]).to_string();
    assert!(home(&now, "basic").contains("第二版"));
    assert_eq!(home(&now, "other"), home(&v1, "other"));
    break_content(&dir);
    assert_eq!(run(&mut podium(&dir)).0, Some(1));
    assert_eq!(tree(&out), now, "a failing build changes nothing");
    no_leftovers(&out);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn when_one_site_cannot_be_written_no_site_is_replaced_and_it_is_said_once() {
    let dir = project("all-or-nothing");
    let out = dir.join("public");
    assert_eq!(run(&mut podium(&dir)).0, Some(0));
    let v1 = tree(&out);
    edit(&dir, "第二版");
    for fault in ["read-only:other", "full-disk:other", "full-disk:basic"] {
        let (code, stdout, err) = run(podium(&dir).env("PODIUM_FAULT", fault));
        assert_eq!(code, Some(1), "{fault}:\n{err}");
        assert_eq!(
            err.matches("error: cannot write the output file").count(),
            1,
            "{fault}: one error:\n{err}"
        );
        assert!(err.contains("published site was left as it was"), "{fault}: a hint:\n{err}");
        assert!(stdout.is_empty(), "{fault}: nothing reported as built:\n{stdout}");
        assert_eq!(tree(&out), v1, "{fault}: no site replaced");
        no_leftovers(&out);
    }
    // Without a fault the same build goes through.
    assert_eq!(run(&mut podium(&dir)).0, Some(0));
    assert!(String::from_utf8_lossy(&tree(&out)["other/index.html"]).contains("第二版"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_closed_or_full_stdout_never_panics_and_never_stops_the_swap() {
    let dir = project("stdout");
    let out = dir.join("public");
    // > /dev/full
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let (code, _, err) = run(podium(&dir).stdout(full));
    assert_eq!(code, Some(3), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for id in ["basic", "other"] {
        assert!(out.join(id).join("index.html").is_file(), "{id} is swapped in");
    }
    // | head -1, the reader gone before the first line.
    edit(&dir, "第二版");
    let mut child = podium(&dir).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for id in ["basic", "other"] {
        let home = std::fs::read_to_string(out.join(id).join("index.html")).unwrap();
        assert!(home.contains("第二版"), "{id} is swapped in");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_operators_report_is_written_outside_the_output_only() {
    let dir = project("report");
    let out = dir.join("public");
    let report = dir.join("report.json");
    let (code, _, err) = run(podium(&dir).arg("--report").arg(&report));
    assert_eq!(code, Some(0), "{err}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(json["sites"]["basic"]["next_change"], "2025-08-26T00:00:00+08:00");
    let notices = json["sites"]["basic"]["notices"].as_array().unwrap();
    assert!(notices
        .iter()
        .any(|n| n["slug"] == "scheduled" && n["publish_at"] == "2025-09-01T09:00:00+08:00"));
    let public = std::fs::read_to_string(out.join("basic/build.json")).unwrap();
    assert!(!public.contains("scheduled") && !public.contains("next_change"), "{public}");
    let (code, _, err) = run(podium(&dir).arg("--report").arg(out.join("basic/report.json")));
    assert_eq!(code, Some(2), "a report inside the output is refused:\n{err}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Kills real builds at random moments (both swaps: the atomic exchange
/// and the two renames): after each kill, and after the next build that
/// fails on content, every site is exactly one of the versions built.
#[test]
fn a_kill_at_any_moment_leaves_the_old_site_or_the_new_one() {
    let dir = project("kill-any");
    let out = dir.join("public");
    // The two versions, built where nothing is killed.
    let mut versions = Vec::new();
    for (i, word) in ["第一版", "第二版"].iter().enumerate() {
        edit(&dir, word);
        let reference = dir.join(format!("ref{i}"));
        assert_eq!(run(podium(&dir).arg("--out").arg(&reference)).0, Some(0));
        versions.push(tree(&reference.join("basic")));
        std::fs::remove_dir_all(&reference).unwrap();
    }
    let v1_source = std::fs::read_to_string(dir.join("content/basic/home.zh.md")).unwrap();
    let v0_source = v1_source.replace("\n第二版\n", "");
    let home = dir.join("content/basic/home.zh.md");
    let other_home = dir.join("content/other/home.zh.md");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut kills_mid_build = 0;
    let mut published = false;
    for round in 0..24 {
        let source = if round % 2 == 0 { &v0_source } else { &v1_source };
        std::fs::write(&home, source).unwrap();
        std::fs::write(&other_home, source).unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = std::time::Duration::from_millis(seed % 160);
        let mut c = podium(&dir);
        if round % 3 == 0 {
            c.env("PODIUM_FAULT", "no-exchange");
        }
        let mut child = c.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(delay);
        let killed = child.try_wait().unwrap().is_none();
        let _ = child.kill();
        let _ = child.wait();
        kills_mid_build += usize::from(killed);
        let whole = |why: &str| {
            if out.join("basic").exists() {
                let t = tree(&out.join("basic"));
                assert!(versions.contains(&t), "round {round} ({why}): public/basic is neither version");
            }
        };
        whole("after the kill");
        // A build that fails on content repairs a half-done swap.
        let saved = std::fs::read(dir.join("content/basic/tracks/alpha/one.zh.md")).unwrap();
        break_content(&dir);
        assert_eq!(run(&mut podium(&dir)).0, Some(1));
        std::fs::write(dir.join("content/basic/tracks/alpha/one.zh.md"), saved).unwrap();
        if published {
            assert!(out.join("basic").exists(), "round {round}: the site is missing after a repair");
        }
        published |= out.join("basic").exists();
        whole("after the next failing build");
    }
    assert!(kills_mid_build >= 4, "only {kills_mid_build} kills hit a running build");
    let _ = std::fs::remove_dir_all(dir);
}

/// A real full disk (a small tmpfs; needs the right to mount, which CI's
/// root has): one error with its hint, the published sites unchanged.
#[test]
fn a_real_full_disk_is_one_error_and_changes_nothing() {
    let dir = project("full-disk");
    let disk = dir.join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=8m", "tmpfs"])
        .arg(&disk)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("not run: this machine does not allow mounting a tmpfs (the injected full disk above covers the logic)");
        return;
    }
    let out = disk.join("public");
    let result = std::panic::catch_unwind(|| {
        assert_eq!(run(podium(&dir).arg("--out").arg(&out).arg("--no-cache")).0, Some(0));
        let before = tree(&out);
        // Fill the disk but for a few kilobytes.
        let free = {
            let o = Command::new("df").args(["--output=avail", "-B1"]).arg(&disk).output().unwrap();
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .nth(1)
                .unwrap()
                .trim()
                .parse::<u64>()
                .unwrap()
        };
        std::fs::write(disk.join("filler"), vec![0u8; (free - 16 * 1024) as usize]).unwrap();
        edit(&dir, "第二版");
        let (code, _, err) = run(podium(&dir).arg("--out").arg(&out).arg("--no-cache"));
        assert_eq!(code, Some(1), "{err}");
        assert_eq!(err.matches("error: cannot write the output file").count(), 1, "one error:\n{err}");
        assert!(err.contains("No space left on device"), "{err}");
        assert_eq!(tree(&out), before, "the published sites are unchanged");
        no_leftovers(&out);
    });
    let _ = Command::new("umount").arg(&disk).status();
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// The same all-or-nothing promise, through the library as `main` calls it.
#[test]
fn the_library_builds_to_disk_all_or_nothing() {
    use podium::build::{build_to_disk, Caches, Destination};
    let dir = project("library");
    let out = dir.join("public");
    let mut opts = options(&dir, NOW);
    opts.themes = repo().join("themes");
    let dest = |faults: &str| Destination {
        out: out.clone(),
        cache_dir: dir.join(".podium-cache"),
        use_cache: true,
        faults: podium::emit::faults::Faults::parse(faults),
    };
    let (built, diags) = build_to_disk(&opts, &Caches::default(), &dest(""));
    assert!(!diags.has_errors(), "{:?}", diags.sorted());
    assert_eq!(built.len(), 2);
    let v1 = tree(&out);
    edit(&dir, "第二版");
    let (built, diags) = build_to_disk(&opts, &Caches::default(), &dest("read-only:other"));
    assert!(built.is_empty() && diags.has_errors());
    assert_eq!(tree(&out), v1, "nothing replaced");
    let (built, _) = build_to_disk(&opts, &Caches::default(), &dest(""));
    assert_eq!(built.len(), 2);
    assert!(String::from_utf8_lossy(&tree(&out)["basic/index.html"]).contains("第二版"));
    no_leftovers(&out);
    let _ = std::fs::remove_dir_all(dir);
}
