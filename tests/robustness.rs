//! No input makes Podium panic: random bytes, and random edits of real
//! files (the slips a keyboard makes), fed through the whole loader and
//! checker. A panic fails the test; proptest shrinks it to a small input.

mod common;

use common::*;
use proptest::prelude::*;
use std::path::PathBuf;

/// Files of the clean fixture that editors touch, relative to its root.
const FILES: &[&str] = &[
    "sites/basic/site.yaml",
    "content/basic/notices/first.zh.md",
    "content/basic/notices/first.en.md",
    "content/basic/tracks/beta/track.yaml",
    "content/basic/tracks/alpha/one.zh.md",
    "content/basic/timeline.yaml",
    "content/basic/awards.yaml",
    "content/basic/criteria.yaml",
    "content/basic/publicity/winners.yaml",
    "content/basic/pages/faq.zh.md",
];

struct Project {
    root: PathBuf,
    originals: Vec<Vec<u8>>,
}

impl Project {
    fn new(name: &str) -> Project {
        let root = temp_dir(name);
        copy_dir(&repo().join("tests/fixtures/clean"), &root);
        let originals = FILES.iter().map(|f| std::fs::read(root.join(f)).unwrap()).collect();
        Project { root, originals }
    }

    /// Writes `bytes` into file `i`, checks the project, restores the file.
    fn check_with(&self, i: usize, bytes: &[u8]) {
        let path = self.root.join(FILES[i]);
        std::fs::write(&path, bytes).unwrap();
        let (_, diags) = podium::check::check(&options(&self.root, "2025-08-25T12:00:00+08:00"));
        // Every diagnostic renders in both languages without panicking.
        for d in diags.iter() {
            let _ = d.render(&podium::base::diag::Catalogue::get("zh"));
            let _ = d.to_string();
        }
        std::fs::write(&path, &self.originals[i]).unwrap();
    }
}

/// An edit: at a relative position, delete some bytes and insert others.
fn edit() -> impl Strategy<Value = (f64, usize, Vec<u8>)> {
    let pieces = prop_oneof![
        Just(b":".to_vec()),
        Just("：".as_bytes().to_vec()),
        Just(b"\t".to_vec()),
        Just("\u{3000}".as_bytes().to_vec()),
        Just(b"\n".to_vec()),
        Just(b"---\n".to_vec()),
        Just(b"- ".to_vec()),
        Just(b"{".to_vec()),
        Just(b"]".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"../".to_vec()),
        Just(b"2025-02-30".to_vec()),
        Just(b"\xb1\xea".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just("赛道".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..8),
    ];
    (0.0..1.0f64, 0usize..12, pieces)
}

fn apply(original: &[u8], edits: &[(f64, usize, Vec<u8>)]) -> Vec<u8> {
    let mut v = original.to_vec();
    for (at, del, ins) in edits {
        let pos = ((v.len() as f64) * at) as usize;
        let end = (pos + del).min(v.len());
        v.splice(pos..end, ins.iter().copied());
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_of_real_files_never_panic(i in 0..FILES.len(), edits in proptest::collection::vec(edit(), 1..6)) {
        thread_local!(static PROJECT: Project = Project::new("edits"));
        PROJECT.with(|p| {
            let bytes = apply(&p.originals[i], &edits);
            p.check_with(i, &bytes);
        });
    }

    #[test]
    fn random_bytes_never_panic(i in 0..FILES.len(), bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        thread_local!(static PROJECT: Project = Project::new("bytes"));
        PROJECT.with(|p| p.check_with(i, &bytes));
    }

    #[test]
    fn random_yaml_like_text_never_panics(i in 0..FILES.len(), text in "(---\n)?([a-z_]{1,8}[:：]? ?[-{}\\[\\]\"'a-z0-9年月日/：:, \t\u{3000}]{0,20}\n){0,12}(---\n)?.{0,40}") {
        thread_local!(static PROJECT: Project = Project::new("yaml"));
        PROJECT.with(|p| p.check_with(i, text.as_bytes()));
    }
}
