//! `sitemap.xml` (every page in every language, each listing its
//! alternates) and `robots.txt`, which points at it.

use crate::base::escape::html as escape;
use crate::model::Site;
use std::fmt::Write;

/// `sitemap.xml` of the pages `keys` (language-neutral: `""`,
/// `notices/x/`); `tag` gives a language's `hreflang` value.
pub fn sitemap(site: &Site, keys: &[&str], tag: impl Fn(&str) -> String) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    let mut keys: Vec<&str> = keys.to_vec();
    keys.sort();
    let base = escape(&site.base_url);
    for key in keys {
        let key = escape(key);
        for lang in &site.languages {
            let _ = writeln!(s, "  <url>\n    <loc>{base}{}{key}</loc>", site.lang_prefix(lang));
            for alt in &site.languages {
                let _ = writeln!(
                    s,
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{base}{}{key}\"/>",
                    escape(&tag(alt)),
                    site.lang_prefix(alt),
                );
            }
            s.push_str("  </url>\n");
        }
    }
    s.push_str("</urlset>\n");
    s
}

pub fn robots(site: &Site) -> String {
    format!("User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n", site.base_url)
}
