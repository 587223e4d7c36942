//! What a CDN needs beyond the pages: fingerprinted asset names with
//! Subresource Integrity, a deploy manifest (path, size, hash) so an
//! operator uploads only what changed, and precompressed copies.
//!
//! All of it is a pure function of the bytes, so output stays
//! deterministic: same bytes, same names, same manifest, same `.gz`.

use crate::render::Bytes;
use sha2::{Digest, Sha256, Sha384};
use std::collections::BTreeMap;
use std::io::Write;

/// A static file under its fingerprinted name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Output path, e.g. `static/style.3f2a1b9c0d.css`.
    pub path: String,
    /// The `integrity` attribute value, e.g. `sha384-…`.
    pub integrity: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Standard base64 with padding (RFC 4648 §4), as SRI wants.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16) | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8) | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `style.css` → `static/style.<10 hex of sha256>.css`, with its SRI hash.
pub fn fingerprint(name: &str, bytes: &[u8]) -> Asset {
    let h = &sha256_hex(bytes)[..10];
    let path = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("static/{stem}.{h}.{ext}"),
        None => format!("static/{name}.{h}"),
    };
    Asset {
        path,
        integrity: format!("sha384-{}", base64(&Sha384::digest(bytes))),
    }
}

/// Files worth compressing.
pub fn is_text(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    matches!(ext, "html" | "css" | "js" | "xml" | "json" | "txt" | "svg" | "csv" | "ics")
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
pub fn manifest(files: &BTreeMap<String, Bytes>) -> String {
    manifest_with(files, &[])
}

/// [`manifest`] of `files` and of files already written elsewhere (path,
/// size, SHA-256), in one list sorted by path.
pub fn manifest_with(files: &BTreeMap<String, Bytes>, written: &[(String, u64, String)]) -> String {
    use rayon::prelude::*;
    let list: Vec<(&String, &Bytes)> = files.iter().collect();
    let mut all: Vec<(&str, u64, String)> = list.par_iter().map(|(p, b)| (p.as_str(), b.len() as u64, sha256_hex(b))).collect();
    all.extend(written.iter().map(|(p, n, h)| (p.as_str(), *n, h.clone())));
    all.sort_by(|a, b| a.0.cmp(b.0));
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
    fn base64_matches_rfc_4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn fingerprint_names_and_integrity() {
        let a = fingerprint("style.css", b"body{}");
        assert!(a.path.starts_with("static/style.") && a.path.ends_with(".css") && a.path.len() == "static/style..css".len() + 10);
        // printf 'body{}' | openssl dgst -sha384 -binary | base64
        assert_eq!(
            a.integrity,
            "sha384-myyg/hQ74aSgjBBvVME/QXAXEkT4Y9dHbVQ5C0lIyGpldvNLJV2IWc5ElXbqLi06"
        );
        assert_ne!(fingerprint("style.css", b"body{ }").path, a.path);
    }

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
