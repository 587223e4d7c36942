//! Machine-readable outputs: an Atom feed per language, the sitemap with
//! language alternates. Written by hand: both formats are small, and a
//! writer we control keeps the bytes deterministic.

use crate::base::escape::html as escape;
use crate::model::Site;
use crate::render::{format_date, lang_prefix};
use crate::schedule::Schedule;
use crate::theme::Strings;
use jiff::Timestamp;
use std::fmt::Write;

fn rfc3339(t: Timestamp, site: &Site) -> String {
    t.to_zoned(site.time_zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

struct FeedEntry {
    title: String,
    href: String,
    updated: Timestamp,
    summary: String,
    category: &'static str,
}

/// The Atom feed of one language: published notices and publicity lists,
/// newest first. Ids are the entries' absolute URLs, stable across builds.
pub fn atom(site: &Site, sched: &Schedule, lang: &str, t: &Strings) -> String {
    let default = site.default_lang();
    let home = format!("{}{}", site.base_url, lang_prefix(site, lang));
    let tz = &site.time_zone;
    let mut entries = Vec::new();
    for (i, n) in site.notices.iter().enumerate() {
        if !sched.notice_published[i] {
            continue;
        }
        let (text, _) = n.text.get(lang, default).expect("default language present");
        let day = crate::base::time::start_of(n.date, tz);
        entries.push(FeedEntry {
            title: text.title.clone(),
            href: format!("{home}notices/{}/", n.slug),
            updated: n.publish_at.map_or(day, |p| p.max(day)),
            summary: text.summary.clone().unwrap_or_default(),
            category: "notice",
        });
    }
    for (i, p) in site.publicity.iter().enumerate() {
        if sched.publicity[i].is_none() {
            continue;
        }
        let opens = p.window.opens(tz);
        let window = format!("{} – {}", format_date(p.window.start, t), format_date(p.window.end, t));
        entries.push(FeedEntry {
            title: p.title.show(lang, default),
            href: format!("{home}publicity/{}/", p.slug),
            updated: p.publish_at.map_or(opens, |x| x.max(opens)),
            summary: window,
            category: "publicity",
        });
    }
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.href.cmp(&b.href)));
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or(sched.now);
    let tag = t.get("lang_tag").map(String::as_str).unwrap_or(lang);
    let name = site.name.show(lang, default);
    let author = site
        .organizer
        .as_ref()
        .map(|o| o.show(lang, default))
        .unwrap_or_else(|| name.clone());
    let mut s = String::new();
    let _ = writeln!(s, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    let _ = writeln!(s, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">", escape(tag));
    let _ = writeln!(s, "  <title>{}</title>", escape(&name));
    let _ = writeln!(
        s,
        "  <subtitle>{}</subtitle>",
        escape(t.get("feed_subtitle").map(String::as_str).unwrap_or(""))
    );
    let _ = writeln!(s, "  <id>{}atom.xml</id>", escape(&home));
    let _ = writeln!(
        s,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}atom.xml\"/>",
        escape(&home)
    );
    let _ = writeln!(
        s,
        "  <link rel=\"alternate\" type=\"text/html\" hreflang=\"{}\" href=\"{}\"/>",
        escape(tag),
        escape(&home)
    );
    let _ = writeln!(s, "  <updated>{}</updated>", rfc3339(updated, site));
    let _ = writeln!(s, "  <author><name>{}</name></author>", escape(&author));
    let _ = writeln!(s, "  <generator>Podium</generator>");
    for e in &entries {
        let _ = writeln!(s, "  <entry>");
        let _ = writeln!(s, "    <title>{}</title>", escape(&e.title));
        let _ = writeln!(s, "    <id>{}</id>", escape(&e.href));
        let _ = writeln!(
            s,
            "    <link rel=\"alternate\" type=\"text/html\" hreflang=\"{}\" href=\"{}\"/>",
            escape(tag),
            escape(&e.href)
        );
        let _ = writeln!(s, "    <updated>{}</updated>", rfc3339(e.updated, site));
        let _ = writeln!(s, "    <category term=\"{}\"/>", e.category);
        if !e.summary.is_empty() {
            let _ = writeln!(s, "    <summary>{}</summary>", escape(&e.summary));
        }
        let _ = writeln!(s, "  </entry>");
    }
    s.push_str("</feed>\n");
    s
}

/// `sitemap.xml`: every page in every language, each listing its
/// alternates (`xhtml:link rel="alternate" hreflang`).
pub fn sitemap(site: &Site, keys: &[&str], tag: impl Fn(&str) -> String) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    let mut keys: Vec<&str> = keys.to_vec();
    keys.sort();
    for key in keys {
        for lang in &site.languages {
            let _ = writeln!(
                s,
                "  <url>\n    <loc>{}{}{}</loc>",
                escape(&site.base_url),
                lang_prefix(site, lang),
                escape(key)
            );
            for alt in &site.languages {
                let _ = writeln!(
                    s,
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}{}{}\"/>",
                    escape(&tag(alt)),
                    escape(&site.base_url),
                    lang_prefix(site, alt),
                    escape(key)
                );
            }
            s.push_str("  </url>\n");
        }
    }
    s.push_str("</urlset>\n");
    s
}
