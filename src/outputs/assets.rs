//! Static files under fingerprinted names with Subresource Integrity: a
//! pure function of the bytes (same bytes, same name), so they can be
//! cached forever and a changed file gets a new name.

/// A static file under its fingerprinted name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Output path, e.g. `static/style.3f2a1b9c0d.css`.
    pub path: String,
    /// The `integrity` attribute value, e.g. `sha384-…`.
    pub integrity: String,
}

/// `style.css` → `static/style.<10 hex of sha256>.css`, with its SRI hash.
pub fn fingerprint(name: &str, bytes: &[u8]) -> Asset {
    let h = &crate::base::digest::sha256_hex(bytes)[..10];
    let path = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("static/{stem}.{h}.{ext}"),
        None => format!("static/{name}.{h}"),
    };
    Asset {
        path,
        integrity: crate::base::digest::sri(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
