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

/// `a/b/../c` → `a/c`; `None` when the path climbs above the root
/// (`../../x` from a page one folder deep: under a sub-path base URL it
/// would leave the site).
pub fn normalize(p: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
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
        normalize(abs)?
    } else if target.starts_with('/') {
        return None;
    } else {
        normalize(&format!("{dir}{target}"))?
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
    let checker = Checker::new(files.keys().cloned().collect(), base_path);
    for (page, bytes) in files {
        checker.page(page, bytes);
    }
    checker.finish(|p| files.get(p).cloned())
}

/// Checks the links of pages one by one, as a build makes them (from any
/// thread), against the paths the output will have: a link to a path that
/// is not one, or that leaves the site, is broken at once; a `#fragment`
/// of the same page is looked up in it; one of another page waits for
/// [`Checker::finish`], which reads that page back.
pub struct Checker {
    known: std::collections::HashSet<String>,
    base: String,
    broken: std::sync::Mutex<Vec<BrokenLink>>,
    /// Links to a fragment of another page, to look up at the end.
    elsewhere: std::sync::Mutex<Vec<BrokenLink>>,
}

impl Checker {
    pub fn new(known: std::collections::HashSet<String>, base_path: &str) -> Self {
        Checker {
            known,
            base: base_path.to_string(),
            broken: Default::default(),
            elsewhere: Default::default(),
        }
    }

    /// The links of one output file (only HTML has any).
    pub fn page(&self, page: &str, bytes: &[u8]) {
        if !page.ends_with(".html") {
            return;
        }
        let html = String::from_utf8_lossy(bytes);
        let mut broken = Vec::new();
        let mut elsewhere = Vec::new();
        for href in links(&html).into_iter().filter(|h| !is_external(h)) {
            let (path, frag) = match href.split_once('#') {
                Some((p, f)) => (p, Some(percent_decode(f)).filter(|f| !f.is_empty())),
                None => (href.as_str(), None),
            };
            let link = |target: String, missing_fragment| BrokenLink {
                page: page.to_string(),
                href: href.clone(),
                target,
                missing_fragment,
            };
            match resolve(page, path, &self.base) {
                None => broken.push(link(format!("(outside the site) {path}"), None)),
                Some(t) if !self.known.contains(&t) => broken.push(link(t, None)),
                Some(t) => match frag {
                    Some(f) if t == page && !html.contains(&format!("id=\"{f}\"")) => broken.push(link(t, Some(f))),
                    Some(f) if t != page => elsewhere.push(link(t, Some(f))),
                    _ => {}
                },
            }
        }
        self.broken.lock().unwrap_or_else(|e| e.into_inner()).extend(broken);
        self.elsewhere.lock().unwrap_or_else(|e| e.into_inner()).extend(elsewhere);
    }

    /// Every broken link, fragments of other pages looked up through `get`.
    pub fn finish(self, get: impl Fn(&str) -> Option<crate::emit::Bytes>) -> Vec<BrokenLink> {
        let mut broken = self.broken.into_inner().unwrap_or_else(|e| e.into_inner());
        let elsewhere = self.elsewhere.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut pages: BTreeMap<String, Option<String>> = BTreeMap::new();
        for l in elsewhere {
            let html = pages
                .entry(l.target.clone())
                .or_insert_with(|| get(&l.target).map(|b| String::from_utf8_lossy(&b).into_owned()));
            let f = l.missing_fragment.clone().unwrap_or_default();
            if !html.as_ref().is_some_and(|h| h.contains(&format!("id=\"{f}\""))) {
                broken.push(l);
            }
        }
        broken.sort_by(|a, b| (&a.page, &a.href).cmp(&(&b.page, &b.href)));
        broken
    }
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
        assert!(b.iter().any(|l| l.href == "missing/" && l.missing_fragment.is_none()));
        assert!(b.iter().any(|l| l.href == "a/#no" && l.missing_fragment.as_deref() == Some("no")));
    }

    #[test]
    fn resolves_relative_and_absolute_links() {
        assert_eq!(
            resolve("en/notices/x/index.html", "../../tracks/", "/").as_deref(),
            Some("en/tracks/index.html")
        );
        assert_eq!(resolve("404.html", "/sjj/ln/en/", "/sjj/ln/").as_deref(), Some("en/index.html"));
        assert_eq!(resolve("404.html", "/elsewhere/", "/sjj/ln/"), None);
        // Climbing above the site's root leaves it (under a sub-path it
        // would reach another site), even when the path it lands on exists.
        assert_eq!(
            resolve("contact/index.html", "../tracks/", "/").as_deref(),
            Some("tracks/index.html")
        );
        assert_eq!(resolve("contact/index.html", "../../tracks/", "/"), None);
        assert_eq!(resolve("contact/index.html", "../../../tracks/", "/"), None);
        assert_eq!(normalize("a/../../b"), None);
        assert!(is_external("tel:123") && is_external("https://a/") && !is_external("a/b:c") && !is_external("#x"));
    }
}
