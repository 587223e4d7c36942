//! Every site of the repository and of the fixtures, built at five moments
//! of a competition's life, hashed tree by tree against
//! `tests/fixtures/tree-hashes.txt`. A change of behaviour anywhere shows
//! here (the golden fixture shows *what* changed, file by file); a
//! restructuring that changes nothing passes untouched. Re-bless after an
//! intended change with `PODIUM_BLESS=1 cargo test --test snapshots`.

mod common;

use common::*;
use sha2::{Digest, Sha256};

/// Before registration, registration open, a publicity window, after the
/// end, and a year later.
const INSTANTS: [&str; 5] = [
    "2025-05-01T09:00:00+08:00",
    "2025-06-15T12:00:00+08:00",
    "2025-08-15T12:00:00+08:00",
    "2025-10-15T12:00:00+08:00",
    "2026-12-03T12:00:00+08:00",
];

fn snapshot() -> String {
    let mut lines = Vec::new();
    for root in [repo(), repo().join("tests/fixtures/basic"), repo().join("tests/fixtures/clean")] {
        let name = root.strip_prefix(repo()).unwrap().display().to_string();
        for now in INSTANTS {
            for b in build(&root, now) {
                let mut h = Sha256::new();
                for (path, bytes) in &b.output.files {
                    h.update(path.as_bytes());
                    h.update([0]);
                    h.update((bytes.len() as u64).to_le_bytes());
                    h.update(&bytes[..]);
                }
                let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
                let root = if name.is_empty() { "." } else { name.as_str() };
                lines.push(format!("{root} {} {now} {} files {hex}", b.site.id, b.output.files.len()));
            }
        }
    }
    lines.join("\n") + "\n"
}

#[test]
fn every_site_at_five_moments_is_byte_for_byte_as_recorded() {
    let path = repo().join("tests/fixtures/tree-hashes.txt");
    let actual = snapshot();
    if std::env::var_os("PODIUM_BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    let differ: Vec<String> = actual
        .lines()
        .zip(expected.lines())
        .filter(|(a, e)| a != e)
        .map(|(a, e)| format!("  now:      {a}\n  recorded: {e}"))
        .collect();
    assert!(
        differ.is_empty() && actual.lines().count() == expected.lines().count(),
        "{} tree(s) differ from tests/fixtures/tree-hashes.txt (re-bless with PODIUM_BLESS=1 if intended):\n{}",
        differ.len(),
        differ.join("\n")
    );
}
