//! Links in generated HTML: finding them, resolving them inside an output
//! tree, and saying which lead nowhere. Used by `podium check` and by the
//! tests that walk whole sites.

use std::collections::BTreeMap;

/// A link of an output page that leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The output page carrying the link.
    pub page: String,
    /// The link as written in the page (entities decoded).
    pub href: String,
    /// The output file it leads to; the missing fragment, if the file exists.
    pub target: String,
    pub missing_fragment: Option<String>,
}

pub use crate::base::escape::percent_decode;

fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
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
                v.push(decode_entities(&rest[..j]));
                rest = &rest[j..];
            }
        }
    }
    v
}

/// Is this a link to somewhere else (another site, mail, phone)?
pub fn is_external(link: &str) -> bool {
    let scheme_end = link.find(':');
    let first_sep = link.find(['/', '?', '#']);
    matches!((scheme_end, first_sep), (Some(c), Some(s)) if c < s) || matches!((scheme_end, first_sep), (Some(_), None))
}

/// `a/b/../c` → `a/c`.
pub fn normalize(p: &str) -> String {
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

/// The output file a link of `page` leads to (`None`: leaves the site).
/// `base_path` is the path part of the base URL, for absolute links.
pub fn resolve(page: &str, target: &str, base_path: &str) -> Option<String> {
    let dir = match page.rfind('/') {
        Some(i) => &page[..i + 1],
        None => "",
    };
    let target = percent_decode(target.split('?').next().unwrap_or(""));
    let resolved = if target.is_empty() {
        page.to_string()
    } else if let Some(abs) = target.strip_prefix(base_path) {
        normalize(abs)
    } else if target.starts_with('/') {
        return None;
    } else {
        normalize(&format!("{dir}{target}"))
    };
    Some(if resolved.is_empty() || resolved.ends_with('/') {
        format!("{resolved}index.html")
    } else {
        resolved
    })
}

/// The attachments (names under `files/`) that an output page links to:
/// what decides which of the site's files are published.
pub fn attachments(page: &str, bytes: &[u8], base_path: &str) -> Vec<String> {
    const MARK: &[u8] = b"files/";
    if !bytes.windows(MARK.len()).any(|w| w == MARK) {
        return Vec::new();
    }
    let html = String::from_utf8_lossy(bytes);
    links(&html)
        .iter()
        .filter(|href| !is_external(href))
        .filter_map(|href| {
            let path = href.split('#').next().unwrap_or("");
            let target = resolve(page, path, base_path)?;
            target.strip_prefix("files/").map(str::to_owned)
        })
        .collect()
}

/// Every internal link and fragment of an output tree that leads nowhere.
pub fn broken(files: &BTreeMap<String, crate::emit::Bytes>, base_path: &str) -> Vec<BrokenLink> {
    let mut out = Vec::new();
    for (page, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for href in links(&html) {
            if is_external(&href) {
                continue;
            }
            let (path, frag) = match href.split_once('#') {
                Some((p, f)) => (p, Some(percent_decode(f))),
                None => (href.as_str(), None),
            };
            let target = resolve(page, path, base_path).unwrap_or_else(|| format!("(outside the site) {path}"));
            match files.get(&target) {
                None => out.push(BrokenLink {
                    page: page.clone(),
                    href: href.clone(),
                    target,
                    missing_fragment: None,
                }),
                Some(t) => {
                    if let Some(f) = frag.filter(|f| !f.is_empty()) {
                        if !String::from_utf8_lossy(t).contains(&format!("id=\"{f}\"")) {
                            out.push(BrokenLink {
                                page: page.clone(),
                                href: href.clone(),
                                target,
                                missing_fragment: Some(f),
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_files_and_fragments() {
        let mut files = BTreeMap::new();
        files.insert("index.html".to_string(), b"<a href=\"a/\">x</a><a href=\"missing/\">x</a><a href=\"a/#no\">y</a><a href=\"a/#%E9%97%AE\">z</a><a href=\"https://x.example/\">e</a><a href=\"mailto:a@b\">m</a>".to_vec().into());
        files.insert("a/index.html".to_string(), "<h2 id=\"问\">q</h2>".as_bytes().to_vec().into());
        let b = broken(&files, "/");
        assert_eq!(b.len(), 2, "{b:?}");
        assert_eq!(b[0].href, "missing/");
        assert_eq!(b[1].missing_fragment.as_deref(), Some("no"));
    }

    #[test]
    fn resolves_relative_and_absolute_links() {
        assert_eq!(
            resolve("en/notices/x/index.html", "../../tracks/", "/").as_deref(),
            Some("en/tracks/index.html")
        );
        assert_eq!(resolve("404.html", "/sjj/ln/en/", "/sjj/ln/").as_deref(), Some("en/index.html"));
        assert_eq!(resolve("404.html", "/elsewhere/", "/sjj/ln/"), None);
        assert!(is_external("tel:123") && is_external("https://a/") && !is_external("a/b:c") && !is_external("#x"));
    }
}
