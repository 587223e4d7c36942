//! `podium check`: everything a build validates, plus what only a look at
//! the finished pages can tell — links and `#anchors` that lead nowhere —
//! and what is missing in a language. Nothing is written.
//!
//! Broken links are found in the generated HTML (so template links count
//! too) and reported at the place in the editor's file where the link is
//! written: the page's source files are searched for the link's text.

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::build::{build_all, BuildOptions, BuiltSite};
use crate::model::{Site, Translations};
use crate::msg;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Builds in memory and checks. Returns the built sites and every problem.
pub fn check(opts: &BuildOptions) -> (Vec<BuiltSite>, Diagnostics) {
    let (built, mut diags) = build_all(opts);
    for b in &built {
        diags.extend(check_links(b, &opts.themes));
        diags.extend(check_translations(&b.site));
        diags.extend(check_unreferenced_files(b, opts));
    }
    (built, diags)
}

/// Files under `files/` that no page links to, ever — not even a draft or
/// a notice still to be published: they are never published, and an
/// editor who put them there should know. (Attachments of unpublished
/// notices are referenced: they go out with their notice.)
fn check_unreferenced_files(b: &BuiltSite, opts: &BuildOptions) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let unlinked = |refs: &std::collections::BTreeSet<String>| -> Vec<String> {
        b.site.files.keys().filter(|f| !refs.contains(*f)).cloned().collect()
    };
    if unlinked(&b.stats.attachments).is_empty() {
        return diags;
    }
    // Everything published: drafts included, and a "now" after every
    // `publish_at`.
    let everything = BuildOptions {
        sites: vec![b.site.id.clone()],
        drafts: true,
        now: crate::base::time::parse_instant("9000-01-01T00:00:00Z").unwrap_or(opts.now),
        ..opts.clone()
    };
    let (all, _) = build_all(&everything);
    let Some(all) = all.first() else { return diags };
    for name in unlinked(&all.stats.attachments) {
        diags.push(
            Diagnostic::warning(&b.site.files[&name], msg!("file_not_linked", name = name)).hint(msg!("hint_file_not_linked", name = name)),
        );
    }
    diags
}

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

fn check_links(b: &BuiltSite, themes: &Path) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let mut texts: BTreeMap<PathBuf, Option<String>> = BTreeMap::new();
    for broken in crate::emit::links::broken(&b.output.files, &b.site.base_path()) {
        let message = match &broken.missing_fragment {
            Some(f) => msg!(
                "broken_anchor",
                href = crate::base::escape::percent_decode(&broken.href),
                anchor = f
            ),
            None => msg!("broken_link", href = crate::base::escape::percent_decode(&broken.href)),
        };
        let hint = match &broken.missing_fragment {
            Some(_) => msg!("hint_broken_anchor", target = broken.target),
            None => msg!("hint_broken_link", target = broken.target),
        };
        // The link as an editor wrote it: the page's text, or decoded.
        let candidates = [broken.href.clone(), crate::base::escape::percent_decode(&broken.href)];
        let mut placed = false;
        for src in sources_of(&b.site, &broken.page) {
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
                    themes.join("default").join("templates"),
                    msg!("broken_theme_link", href = broken.href, page = broken.page),
                )
                .hint(msg!("hint_broken_theme_link")),
            );
        }
    }
    diags
}

/// Pages, topics and labels missing in a language: warnings (errors under
/// `--strict`), at the file and line an editor would add them to.
pub fn check_translations(site: &Site) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let langs = &site.languages;
    let default = site.default_lang();
    let mut docs: Vec<(String, BTreeMap<&String, &PathBuf>)> = Vec::new();
    for n in &site.notices {
        docs.push((n.slug.clone(), n.text.by_lang.iter().map(|(l, t)| (l, &t.path)).collect()));
    }
    for p in &site.pages {
        docs.push((p.slug.clone(), p.text.by_lang.iter().map(|(l, d)| (l, &d.path)).collect()));
    }
    for t in &site.tracks {
        for tp in &t.topics {
            docs.push((tp.id.clone(), tp.text.by_lang.iter().map(|(l, d)| (l, &d.path)).collect()));
        }
    }
    let prose = [
        Some(&site.home),
        site.awards.as_ref().map(|a| &a.prose),
        site.criteria.as_ref().map(|c| &c.prose),
    ];
    for (name, t) in ["home", "awards", "criteria"].iter().zip(prose) {
        if let Some(t) = t.filter(|t| !t.by_lang.is_empty()) {
            docs.push((name.to_string(), t.by_lang.iter().map(|(l, d)| (l, &d.path)).collect()));
        }
    }
    for (slug, files) in docs {
        let Some(default_path) = files.get(&default.to_string()) else {
            continue;
        };
        for lang in langs.iter().filter(|l| !files.contains_key(l)) {
            diags.push(
                Diagnostic::warning(*default_path, msg!("missing_translation_file", slug = slug, lang = lang))
                    .at(1, 1)
                    .hint(msg!("hint_missing_translation_file", slug = slug, lang = lang)),
            );
        }
    }
    // Labels in every YAML file of the site.
    let mut yaml_files = vec![site.site_yaml.clone()];
    for e in walkdir::WalkDir::new(&site.content_dir).sort_by_file_name().into_iter().flatten() {
        if e.file_type().is_file()
            && e.path().extension().is_some_and(|x| x == "yaml")
            && !e.path().starts_with(site.content_dir.join("files"))
        {
            yaml_files.push(e.path().to_path_buf());
        }
    }
    for path in yaml_files {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for gap in crate::load::yaml::label_gaps(&text, langs) {
            // A text missing in one language falls back; one empty in all
            // shows nothing at all: that is an error.
            let d = if gap.text.is_empty() {
                Diagnostic::error(&path, msg!("empty_label")).hint(msg!("hint_empty_label", langs = gap.missing))
            } else {
                Diagnostic::warning(&path, msg!("missing_translation_label", text = gap.text, lang = gap.missing))
                    .hint(msg!("hint_missing_translation_label", lang = gap.missing))
            };
            diags.push(d.at_in(&text, gap.line, gap.col));
        }
    }
    diags
}
