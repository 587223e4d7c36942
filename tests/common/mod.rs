//! Helpers shared by the integration tests: building fixture projects,
//! reading output trees, walking links.
#![allow(dead_code)]

use podium::build::{build_all, BuildOptions, BuiltSite};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn instant(s: &str) -> jiff::Timestamp {
    podium::base::time::parse_instant(s).unwrap()
}

pub fn options(root: &Path, now: &str) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        themes: repo().join("themes"),
        sites: vec![],
        now: instant(now),
        base_url: None,
        drafts: false,
        precompress: false,
        preview: false,
    }
}

/// Builds every site of a project in memory; panics with the diagnostics if any.
pub fn build(root: &Path, now: &str) -> Vec<BuiltSite> {
    let (built, diags) = build_all(&options(root, now));
    let text: Vec<String> = diags.sorted().iter().map(|d| d.to_string()).collect();
    assert!(diags.is_empty(), "diagnostics:\n{}", text.join("\n"));
    built
}

/// Every file under `dir`: relative path → bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            m.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    m
}

pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("podium-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

#[allow(unused_imports)]
pub use podium::emit::links::links;

/// Every internal link and fragment of an output tree that leads nowhere,
/// one line each.
pub fn broken_links(tree: &BTreeMap<String, podium::emit::Bytes>, base_path: &str) -> Vec<String> {
    podium::emit::links::broken(tree, base_path)
        .into_iter()
        .map(|b| match b.missing_fragment {
            Some(f) => format!("{}: {} (no id {f} in {})", b.page, b.href, b.target),
            None => format!("{}: {} (no file {})", b.page, b.href, b.target),
        })
        .collect()
}
