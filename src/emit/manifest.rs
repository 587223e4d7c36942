//! What a CDN needs beyond the files: a deploy manifest (path, size,
//! SHA-256) so an operator uploads only what changed, and precompressed
//! copies. Both a pure function of the bytes: same bytes, same manifest,
//! same `.gz`.

use crate::emit::{Bytes, Listed};
use std::collections::BTreeMap;
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

/// Adds `<file>.gz` beside every text file (gzip, level 9, no timestamp
/// or name in the header, so the bytes depend on the content only).
pub fn precompress(files: &mut BTreeMap<String, Bytes>) {
    let gz: Vec<(String, Bytes)> = files
        .iter()
        .filter(|(p, _)| is_text(p))
        .map(|(p, b)| (format!("{p}.gz"), gzip(b).into()))
        .collect();
    files.extend(gz);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precompressed_copies_are_deterministic_and_decompress() {
        let mut f = BTreeMap::new();
        f.insert("index.html".to_string(), b"<p>hello hello hello</p>".to_vec().into());
        f.insert("a.png".to_string(), vec![1, 2, 3].into());
        let mut g = f.clone();
        precompress(&mut f);
        precompress(&mut g);
        assert_eq!(f, g);
        assert!(f.contains_key("index.html.gz") && !f.contains_key("a.png.gz"));
        let mut d = flate2::read::GzDecoder::new(&f["index.html.gz"][..]);
        let mut s = String::new();
        std::io::Read::read_to_string(&mut d, &mut s).unwrap();
        assert_eq!(s, "<p>hello hello hello</p>");
    }
}
