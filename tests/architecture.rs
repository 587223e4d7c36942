//! The code's shape, held by a test: imports run one way. Every module
//! (file) of `src/` may use only modules below it; a cycle between two
//! files, or between two top-level folders (`render` ↔ `outputs`), fails
//! here with the path of the cycle. `docs/architecture.md` draws the
//! layers; this test is what keeps the drawing true.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path of a source file: `src/render/home.rs` → `render::home`,
/// `src/emit/mod.rs` → `emit`, `src/lib.rs` → `` (the crate root).
fn module_of(rel: &str) -> Option<String> {
    let rel = rel.strip_suffix(".rs")?;
    if rel == "main" || rel.starts_with("bin/") {
        return None;
    }
    let rel = rel.strip_suffix("/mod").unwrap_or(rel);
    Some(if rel == "lib" { String::new() } else { rel.replace('/', "::") })
}

/// The text without comments and string or char literals (a path named in
/// a doc comment or a message is no dependency).
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        if src[i..].starts_with("//") {
            i += src[i..].find('\n').unwrap_or(src.len() - i);
        } else if src[i..].starts_with("/*") {
            i += src[i..].find("*/").map_or(src.len() - i, |j| j + 2);
        } else if src[i..].starts_with("r#\"") {
            i += 3 + src[i + 3..].find("\"#").map_or(src.len() - i - 3, |j| j + 2);
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
        } else if b[i] == b'\''
            && src[i..].len() >= 3
            && (b[i + 2] == b'\'' || (b[i + 1] == b'\\' && src[i + 2..].find('\'').is_some_and(|j| j < 10)))
        {
            // A char literal ('a', '\n', '\u{1F}'); a lifetime has no closing quote near.
            i += 1 + src[i + 1..].find('\'').map_or(0, |j| j + 1);
        } else {
            let c = src[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Every module path a file's code names: `crate::a::b::C`, grouped
/// `use crate::{a::X, b}`, `super::x`, `self::x`. Relative ones resolved
/// against `me` (a `mod.rs` is its folder's module, so its `self::x` is
/// a child).
fn named_paths(code: &str, me: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let words: Vec<char> = code.chars().collect();
    let text: String = words.iter().collect();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(pos) = text[from..].find(start) {
            let at = from + pos;
            from = at + start.len();
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut base: Vec<String> = match start {
                "crate::" => Vec::new(),
                "self::" => split(me, false),
                _ => split(me, true),
            };
            let mut paths = Vec::new();
            read_path(&text[from..], &mut base, &mut paths);
            found.extend(paths);
        }
    }
    found
}

/// Paths that start with a child module the file declares (`mod http;`
/// then `http::serve()` or `pub use http::Limits`), which Rust resolves
/// without `self::`.
fn child_paths(code: &str, me: &str) -> Vec<Vec<String>> {
    let children: Vec<String> = code
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "))
                .or_else(|| l.strip_prefix("pub(crate) mod "))?;
            rest.strip_suffix(';').map(str::to_owned)
        })
        .collect();
    let mut found = Vec::new();
    for child in &children {
        let start = format!("{child}::");
        let mut from = 0;
        while let Some(pos) = code[from..].find(&start) {
            let at = from + pos;
            from = at + start.len();
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut base = split(me, false);
            base.push(child.clone());
            read_path(&code[from..], &mut base, &mut found);
        }
    }
    found
}

/// `me` as segments, for `self::` (the module itself) or `super::` (its
/// parent).
fn split(me: &str, parent: bool) -> Vec<String> {
    let mut v: Vec<String> = me.split("::").filter(|s| !s.is_empty()).map(str::to_owned).collect();
    if parent {
        v.pop();
    }
    v
}

/// Reads `a::b::{c, d::e}` after a prefix; pushes every full path.
fn read_path(rest: &str, base: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut s = rest;
    let depth = base.len();
    loop {
        let ident: String = s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if ident.is_empty() {
            if let Some(group) = s.strip_prefix('{') {
                // A group: each comma-separated item at this level.
                let mut level = 0;
                let mut item_start = 0;
                let g: Vec<char> = group.chars().collect();
                let mut items = Vec::new();
                for (i, c) in g.iter().enumerate() {
                    match c {
                        '{' => level += 1,
                        '}' if level == 0 => {
                            items.push(g[item_start..i].iter().collect::<String>());
                            break;
                        }
                        '}' => level -= 1,
                        ',' if level == 0 => {
                            items.push(g[item_start..i].iter().collect::<String>());
                            item_start = i + 1;
                        }
                        _ => {}
                    }
                }
                for item in items {
                    let item = item.trim();
                    if item == "self" || item.is_empty() {
                        out.push(base.clone());
                        continue;
                    }
                    let mut b = base.clone();
                    read_path(item, &mut b, out);
                }
            } else {
                out.push(base.clone());
            }
            base.truncate(depth);
            return;
        }
        s = &s[ident.len()..];
        base.push(ident);
        match s.strip_prefix("::") {
            Some(r) => s = r,
            None => {
                out.push(base.clone());
                base.truncate(depth);
                return;
            }
        }
    }
}

/// The module graph of a set of files (relative path → source): for each
/// module, the modules it names (the longest known prefix of each path).
fn graph(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = files.keys().filter_map(|f| module_of(f)).collect();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, src) in files {
        let Some(me) = module_of(file) else { continue };
        // A file's unit tests (at its end, by clippy's rule) are not part
        // of the shape: `use super::*` there names the file itself.
        let src = src.split("#[cfg(test)]").next().unwrap_or(src);
        let code = code_only(src);
        let edges = g.entry(me.clone()).or_default();
        for path in named_paths(&code, &me).into_iter().chain(child_paths(&code, &me)) {
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].join("::"))
                .find(|m| modules.contains(m))
                .unwrap_or_default();
            // The crate root holds only `mod` lines and the `msg!` macro.
            // A child naming its parent (`super::X`) counts: a `mod.rs`
            // is either the face of its folder or its base, not both.
            if !target.is_empty() && target != me {
                edges.insert(target);
            }
        }
    }
    g
}

/// A cycle of the graph, as the modules on it, if there is one.
fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(n.to_string(), Mark::Open);
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            match marks.get(m.as_str()).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let from = stack.iter().position(|s| s == m).unwrap_or(0);
                    let mut c = stack[from..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                Mark::New => {
                    if let Some(c) = visit(m, g, marks, stack) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks.insert(n.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for n in g.keys() {
        if marks.get(n.as_str()).copied().unwrap_or(Mark::New) == Mark::New {
            if let Some(c) = visit(n, g, &mut marks, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

/// The same graph between top-level modules (folders and lone files).
fn top_level(g: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<String, BTreeSet<String>> {
    let top = |m: &str| m.split("::").next().unwrap_or("").to_string();
    let mut t: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in g {
        let e = t.entry(top(from)).or_default();
        e.extend(tos.iter().map(|m| top(m)).filter(|m| *m != top(from)));
    }
    t
}

fn sources(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "rs") {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            files.insert(rel, std::fs::read_to_string(e.path()).unwrap());
        }
    }
    files
}

#[test]
fn imports_run_one_way_between_files_and_between_folders() {
    let g = graph(&sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src")));
    assert!(g.len() > 15, "the source tree was not read: {g:?}");
    if let Some(c) = cycle(&g) {
        panic!("a cycle between files: {}", c.join(" → "));
    }
    if let Some(c) = cycle(&top_level(&g)) {
        panic!("a cycle between folders: {}", c.join(" → "));
    }
}

#[test]
fn a_planted_cycle_is_found() {
    let files =
        |pairs: &[(&str, &str)]| -> BTreeMap<String, String> { pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect() };
    // Between two folders, through files that do not form a cycle themselves.
    let planted = files(&[
        ("lib.rs", "pub mod render;\npub mod outputs;\n"),
        ("render/mod.rs", "pub mod page;\npub mod context;\n"),
        ("render/page.rs", "use crate::outputs::feed::atom;\n"),
        ("render/context.rs", "pub struct Context;\n"),
        ("outputs/mod.rs", "pub mod feed;\n"),
        (
            "outputs/feed.rs",
            "use crate::render::context::Context; // a comment naming crate::nothing\n",
        ),
    ]);
    let g = graph(&planted);
    assert!(cycle(&g).is_none(), "no cycle between files: {g:?}");
    assert_eq!(
        cycle(&top_level(&g)),
        Some(vec!["outputs".into(), "render".into(), "outputs".into()])
    );
    // Between two files, through a grouped import and `super::`.
    let planted = files(&[
        ("lib.rs", "pub mod load;\n"),
        ("load/mod.rs", "pub mod read;\nuse self::read::{decode, Text};\n"),
        ("load/read.rs", "fn f() { super::load_site(); let s = \"crate::x\"; }\n"),
    ]);
    assert_eq!(
        cycle(&graph(&planted)),
        Some(vec!["load".into(), "load::read".into(), "load".into()])
    );
    // A mod.rs naming a child plainly, the child naming its parent.
    let planted = files(&[
        ("lib.rs", "pub mod serve;\n"),
        ("serve/mod.rs", "mod http;\npub use http::Limits;\npub struct Live;\n"),
        (
            "serve/http.rs",
            "use super::Live;\npub struct Limits;\n#[cfg(test)]\nmod tests { use super::*; }\n",
        ),
    ]);
    assert_eq!(
        cycle(&graph(&planted)),
        Some(vec!["serve".into(), "serve::http".into(), "serve".into()])
    );
    // `use super::*` in a file's tests names the file, not its parent.
    let tests_only = files(&[
        ("lib.rs", "pub mod serve;\n"),
        ("serve/mod.rs", "mod http;\npub use http::Limits;\n"),
        ("serve/http.rs", "pub struct Limits;\n#[cfg(test)]\nmod tests { use super::*; }\n"),
    ]);
    assert!(cycle(&graph(&tests_only)).is_none());
    // Named only in comments and strings: no edge.
    let clean = files(&[
        ("lib.rs", "pub mod a;\npub mod b;\n"),
        ("a.rs", "use crate::b::X;\n"),
        ("b.rs", "/// see [`crate::a`]\nconst S: &str = \"crate::a\"; // crate::a\n"),
    ]);
    assert!(cycle(&graph(&clean)).is_none());
}
