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
    podium::time::parse_instant(s).unwrap()
}

pub fn options(root: &Path, now: &str) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        themes: repo().join("themes"),
        sites: vec![],
        now: instant(now),
        base_url: None,
        drafts: false,
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

pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The values of every `href="…"` and `src="…"` in an HTML text.
pub fn links(html: &str) -> Vec<String> {
    let mut v = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let before = rest[..i].chars().last();
            rest = &rest[i + attr.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '-') {
                continue;
            }
            if let Some(j) = rest.find('"') {
                v.push(rest[..j].replace("&amp;", "&"));
                rest = &rest[j..];
            }
        }
    }
    v
}

/// Checks every internal link and fragment of an output tree. `base_path`
/// is the path part of the site's base URL, for absolute links.
pub fn broken_links(tree: &BTreeMap<String, Vec<u8>>, base_path: &str) -> Vec<String> {
    let mut broken = Vec::new();
    for (path, bytes) in tree.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let dir = match path.rfind('/') {
            Some(i) => &path[..i + 1],
            None => "",
        };
        for link in links(&html) {
            if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") || link.starts_with("tel:") {
                continue;
            }
            let (target, frag) = match link.split_once('#') {
                Some((t, f)) => (t.to_string(), Some(percent_decode(f))),
                None => (link.clone(), None),
            };
            let target = percent_decode(&target);
            let resolved = if target.is_empty() {
                path.clone()
            } else if let Some(abs) = target.strip_prefix(base_path) {
                normalize(abs)
            } else if target.starts_with('/') {
                broken.push(format!("{path}: {link} (outside the site)"));
                continue;
            } else {
                normalize(&format!("{dir}{target}"))
            };
            let file = if resolved.is_empty() || resolved.ends_with('/') {
                format!("{resolved}index.html")
            } else {
                resolved
            };
            match tree.get(&file) {
                None => broken.push(format!("{path}: {link} (no file {file})")),
                Some(b) => {
                    if let Some(f) = frag {
                        let t = String::from_utf8_lossy(b);
                        if !f.is_empty() && !t.contains(&format!("id=\"{f}\"")) {
                            broken.push(format!("{path}: {link} (no id {f} in {file})"));
                        }
                    }
                }
            }
        }
    }
    broken
}

fn normalize(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}
