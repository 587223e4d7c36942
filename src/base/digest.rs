//! Digests and their spellings: SHA-256 in hex (manifests, fingerprints),
//! base64 for Subresource Integrity.

use sha2::{Digest, Sha256, Sha384};

pub fn hex(bytes: &[u8]) -> String {
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

/// A static file under its fingerprinted name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Output path, e.g. `static/style.3f2a1b9c0d.css`.
    pub path: String,
    /// The `integrity` attribute value, e.g. `sha384-…`.
    pub integrity: String,
}

/// `style.css` → `static/style.<10 hex of sha256>.css`, with its SRI hash:
/// a pure function of the bytes, so the file can be cached forever and a
/// changed one gets a new name.
pub fn fingerprint(name: &str, bytes: &[u8]) -> Asset {
    let h = &sha256_hex(bytes)[..10];
    let path = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("static/{stem}.{h}.{ext}"),
        None => format!("static/{name}.{h}"),
    };
    Asset {
        path,
        integrity: sri(bytes),
    }
}

/// The `integrity` attribute value of some bytes: `sha384-…`.
pub fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", base64(&Sha384::digest(bytes)))
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
}
