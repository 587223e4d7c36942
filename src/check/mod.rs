//! `podium check`: everything a build validates (broken links and
//! `#anchors` included: `build` refuses them too), plus what is missing in
//! a language and the files that no page links to. Nothing is written.

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::build::{build_all, BuildOptions, BuiltSite};
use crate::model::Site;
use crate::msg;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Builds in memory and checks. Returns the built sites and every problem.
pub fn check(opts: &BuildOptions) -> (Vec<BuiltSite>, Diagnostics) {
    let (built, mut diags) = build_all(opts);
    for b in &built {
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
