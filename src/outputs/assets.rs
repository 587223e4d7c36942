//! The theme's static files as the site publishes them: the stylesheet
//! with the code highlighting's rules appended, and every file under its
//! fingerprinted name (`static/style.3f2a1b9c0d.css`), which the pages
//! name, with Subresource Integrity.

use crate::base::digest::{fingerprint, Asset};
use crate::theme::Theme;
use std::collections::BTreeMap;

/// The static files: their bytes and their published names, by name.
pub struct Statics {
    pub files: BTreeMap<String, Vec<u8>>,
    pub assets: BTreeMap<String, Asset>,
}

pub fn statics(theme: &Theme, highlight_css: &str) -> Statics {
    let mut files = theme.static_files.clone();
    let css = files.entry("style.css".to_string()).or_default();
    css.extend_from_slice(b"\n/* code highlighting */\n");
    css.extend_from_slice(highlight_css.as_bytes());
    let assets = files.iter().map(|(n, b)| (n.clone(), fingerprint(n, b))).collect();
    Statics { files, assets }
}
