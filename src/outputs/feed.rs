//! The Atom feed of each language: published notices and publicity lists,
//! newest first. Written by hand: the format is small, and a writer we
//! control keeps the bytes deterministic. Ids are the entries' absolute
//! URLs, stable across builds.

use crate::base::escape::html as escape;
use crate::base::time::start_of;
use crate::context::Lang;
use jiff::Timestamp;
use std::fmt::Write;

struct FeedEntry {
    title: String,
    href: String,
    updated: Timestamp,
    summary: String,
    category: &'static str,
}

/// The entries: each published notice (updated when it was dated or
/// published, whichever is later) and each published list (when its
/// window opened or it was published).
fn entries(lx: &Lang) -> Vec<FeedEntry> {
    let (site, sched) = (lx.site, lx.sched);
    let home = lx.home_url();
    let tz = &site.time_zone;
    let mut entries = Vec::new();
    for n in sched.notices(site) {
        let Some((text, _)) = n.text.get(lx.lang, lx.default) else {
            continue;
        };
        let day = start_of(n.date, tz);
        entries.push(FeedEntry {
            title: text.title.clone(),
            href: format!("{home}notices/{}/", n.slug),
            updated: n.publish_at.map_or(day, |p| p.max(day)),
            summary: text.summary.clone().unwrap_or_default(),
            category: "notice",
        });
    }
    for (p, _) in sched.lists(site) {
        let opens = p.window.opens(tz);
        let window = format!("{} – {}", lx.date(p.window.start), lx.date(p.window.end));
        entries.push(FeedEntry {
            title: lx.text(&p.title),
            href: format!("{home}publicity/{}/", p.slug),
            updated: p.publish_at.map_or(opens, |x| x.max(opens)),
            summary: window,
            category: "publicity",
        });
    }
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.href.cmp(&b.href)));
    entries
}

/// `atom.xml` of one language.
pub fn atom(lx: &Lang) -> String {
    let site = lx.site;
    let entries = entries(lx);
    let home = escape(&lx.home_url());
    let tag = escape(&lx.tag);
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or(lx.sched.now);
    let name = lx.text(&site.name);
    let author = site.organizer.as_ref().map(|o| lx.text(o)).unwrap_or_else(|| name.clone());
    let mut s = String::new();
    let _ = writeln!(s, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    let _ = writeln!(s, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{tag}\">");
    let _ = writeln!(s, "  <title>{}</title>", escape(&name));
    let _ = writeln!(
        s,
        "  <subtitle>{}</subtitle>",
        escape(lx.words.strings.get("feed_subtitle").map(String::as_str).unwrap_or(""))
    );
    let _ = writeln!(s, "  <id>{home}atom.xml</id>");
    let _ = writeln!(s, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{home}atom.xml\"/>");
    let _ = writeln!(
        s,
        "  <link rel=\"alternate\" type=\"text/html\" hreflang=\"{tag}\" href=\"{home}\"/>"
    );
    let _ = writeln!(s, "  <updated>{}</updated>", lx.instant(updated));
    let _ = writeln!(s, "  <author><name>{}</name></author>", escape(&author));
    let _ = writeln!(s, "  <generator>Podium</generator>");
    for e in &entries {
        let href = escape(&e.href);
        let _ = writeln!(s, "  <entry>");
        let _ = writeln!(s, "    <title>{}</title>", escape(&e.title));
        let _ = writeln!(s, "    <id>{href}</id>");
        let _ = writeln!(
            s,
            "    <link rel=\"alternate\" type=\"text/html\" hreflang=\"{tag}\" href=\"{href}\"/>"
        );
        let _ = writeln!(s, "    <updated>{}</updated>", lx.instant(e.updated));
        let _ = writeln!(s, "    <category term=\"{}\"/>", e.category);
        if !e.summary.is_empty() {
            let _ = writeln!(s, "    <summary>{}</summary>", escape(&e.summary));
        }
        let _ = writeln!(s, "  </entry>");
    }
    s.push_str("</feed>\n");
    s
}
