//! What a CDN needs beyond the files: a deploy manifest (path, size,
//! SHA-256) so an operator uploads only what changed, and precompressed
//! copies. Both a pure function of the bytes: same bytes, same manifest,
//! same `.gz`.

use crate::emit::Listed;
use std::io::Write;

/// Files worth compressing.
pub fn is_text(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    matches!(ext, "html" | "css" | "js" | "xml" | "json" | "txt" | "svg" | "csv" | "ics")
}

/// Does this file get a `.gz` copy (with `--precompress`)? Every text
/// file but the manifest, which lists every other file and would not list
/// its own copy.
pub fn gets_gz(path: &str) -> bool {
    is_text(path) && path != "manifest.json"
}

/// Gzip, level 9, no timestamp or name in the header.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::best());
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

/// `manifest.json`: every file of the site with its size and SHA-256, sorted
/// by path, so an operator syncs only what changed.
pub fn manifest(files: &[Listed]) -> String {
    let mut all: Vec<&Listed> = files.iter().collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let entries: Vec<serde_json::Value> = all
        .iter()
        .map(|(p, n, h)| serde_json::json!({"path": p, "size": n, "sha256": h}))
        .collect();
    let mut s = serde_json::to_string_pretty(&serde_json::json!({ "files": entries })).unwrap_or_default();
    s.push('\n');
    s
}
