//! Broken links as an editor meets them: each is reported at the place in
//! the editor's file where the link is written (the page's source files
//! are searched for the link's text), or, when no content file has it, as
//! a link of the theme. Found while pages are made
//! ([`crate::emit::links::Checker`]); `build` and `check` refuse them alike.

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::{Site, Translations};
use crate::msg;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The source files whose Markdown makes up an output page.
fn sources_of(site: &Site, page: &str) -> Vec<PathBuf> {
    let default = site.default_lang();
    let (lang, key) = match site.languages.iter().skip(1).find(|l| page.starts_with(&format!("{l}/"))) {
        Some(l) => (l.as_str(), &page[l.len() + 1..]),
        None => (default, page),
    };
    let doc = |t: &Translations<crate::model::Doc>| t.get(lang, default).map(|(d, _)| d.path.clone());
    let dir = &site.content_dir;
    let parts: Vec<&str> = key.trim_end_matches("index.html").trim_end_matches('/').split('/').collect();
    let mut v: Vec<PathBuf> = Vec::new();
    match parts.as_slice() {
        [""] => v.extend(doc(&site.home)),
        ["notices", slug] => v.extend(
            site.notices
                .iter()
                .find(|n| n.slug == *slug)
                .and_then(|n| n.text.get(lang, default))
                .map(|(t, _)| t.path.clone()),
        ),
        ["tracks", t] => v.push(dir.join("tracks").join(t).join("track.yaml")),
        ["tracks", t, p] => {
            v.push(dir.join("tracks").join(t).join("track.yaml"));
            v.extend(
                site.tracks
                    .iter()
                    .find(|x| x.id == *t)
                    .and_then(|x| x.topics.iter().find(|y| y.id == *p))
                    .and_then(|y| doc(&y.text)),
            );
        }
        ["timeline"] => v.push(dir.join("timeline.yaml")),
        ["awards"] => {
            v.push(dir.join("awards.yaml"));
            v.extend(site.awards.as_ref().and_then(|a| doc(&a.prose)));
        }
        ["criteria"] => {
            v.push(dir.join("criteria.yaml"));
            v.extend(site.criteria.as_ref().and_then(|c| doc(&c.prose)));
        }
        ["publicity", slug] => v.push(dir.join("publicity").join(format!("{slug}.yaml"))),
        [slug] => v.extend(site.pages.iter().find(|p| p.slug == *slug).and_then(|p| doc(&p.text))),
        _ => {}
    }
    v.push(site.site_yaml.clone());
    v
}

/// Where `needle` is written in a file: 1-based line and column.
fn find_in(text: &str, needle: &str) -> Option<(usize, usize)> {
    let at = text.find(needle)?;
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    Some((line, col))
}

pub fn diagnostics(site: &Site, broken: Vec<crate::emit::links::BrokenLink>, theme_dir: &Path) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let mut texts: BTreeMap<PathBuf, Option<String>> = BTreeMap::new();
    for broken in broken {
        let href = crate::base::escape::percent_decode(&broken.href);
        let leaves = broken.target.starts_with("(outside the site)");
        let (message, hint) = match &broken.missing_fragment {
            Some(f) => (
                msg!("broken_anchor", href = href, anchor = f),
                msg!("hint_broken_anchor", target = broken.target),
            ),
            None if leaves => (
                msg!("link_leaves_site", href = href),
                msg!("hint_link_leaves_site", page = broken.page),
            ),
            None => (msg!("broken_link", href = href), msg!("hint_broken_link", target = broken.target)),
        };
        // The link as an editor wrote it: the page's text, or decoded.
        let candidates = [broken.href.clone(), crate::base::escape::percent_decode(&broken.href)];
        let mut placed = false;
        for src in sources_of(site, &broken.page) {
            let text = texts.entry(src.clone()).or_insert_with(|| std::fs::read_to_string(&src).ok());
            let Some(text) = text else { continue };
            if let Some((l, c)) = candidates.iter().find_map(|n| find_in(text, n)) {
                diags.push(Diagnostic::error(&src, message.clone()).at_in(text, l, c).hint(hint.clone()));
                placed = true;
                break;
            }
        }
        if !placed {
            diags.push(
                Diagnostic::error(
                    theme_dir.join("templates"),
                    msg!("broken_theme_link", href = broken.href, page = broken.page),
                )
                .hint(msg!("hint_broken_theme_link")),
            );
        }
    }
    diags
}
