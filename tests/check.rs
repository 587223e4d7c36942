//! `podium check` on one mistake at a time: each folder of `tests/check/`
//! holds the files that differ from the clean fixture (`overlay/`, and
//! `remove` listing files to delete), the extra arguments (`args`), and
//! `expected.txt`: the exit status and the exact text an editor sees.
//! Re-bless after an intended change with `PODIUM_BLESS=1 cargo test --test check`.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

const NOW: &str = "2025-08-25T12:00:00+08:00";

fn run_check(project: &Path, args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_podium"))
        .arg("check")
        .arg("--root")
        .arg(project)
        .arg("--themes")
        .arg(repo().join("themes"))
        .arg("--now")
        .arg(NOW)
        .args(args)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert!(o.stdout.is_empty(), "check writes to stderr only");
    format!("exit: {}\n{}", o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn the_clean_fixture_checks_clean() {
    let out = run_check(&repo().join("tests/fixtures/clean"), &["--strict"]);
    assert_eq!(out, "exit: 0\ncheck: 0 error(s), 0 warning(s); sites checked: basic\n");
}

#[test]
fn each_mistake_gets_its_diagnostic() {
    let cases = repo().join("tests/check");
    let bless = std::env::var_os("PODIUM_BLESS").is_some();
    let mut failures = Vec::new();
    let mut n = 0;
    for e in std::fs::read_dir(&cases).unwrap() {
        let case = e.unwrap().path();
        if !case.is_dir() {
            continue;
        }
        n += 1;
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let project = temp_dir(&format!("check-{name}"));
        copy_dir(&repo().join("tests/fixtures/clean"), &project);
        let overlay = case.join("overlay");
        if overlay.is_dir() {
            for f in walkdir::WalkDir::new(&overlay)
                .into_iter()
                .flatten()
                .filter(|f| f.file_type().is_file())
            {
                let rel = f.path().strip_prefix(&overlay).unwrap();
                let dest = project.join(rel);
                let new = std::fs::read(f.path()).unwrap();
                assert!(
                    std::fs::read(&dest).ok().as_ref() != Some(&new),
                    "{name}: the overlay of {} changes nothing",
                    rel.display()
                );
                std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
                std::fs::write(dest, new).unwrap();
            }
        }
        if let Ok(list) = std::fs::read_to_string(case.join("remove")) {
            for rel in list.lines().filter(|l| !l.trim().is_empty()) {
                std::fs::remove_file(project.join(rel)).unwrap_or_else(|_| panic!("{name}: cannot remove {rel}"));
            }
        }
        let args_text = std::fs::read_to_string(case.join("args")).unwrap_or_default();
        let args: Vec<&str> = args_text.split_whitespace().collect();
        let actual = run_check(&project, &args);
        let _ = std::fs::remove_dir_all(&project);
        let expected_path = case.join("expected.txt");
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!("{name}:\n--- expected\n{expected}\n--- actual\n{actual}")),
            Err(_) => failures.push(format!("{name}: no expected.txt (run with PODIUM_BLESS=1)")),
        }
    }
    assert!(n >= 40, "only {n} cases found");
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
