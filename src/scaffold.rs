//! `podium new`: the files for a new notice, page or publicity list, in
//! every language of the site, dated from the build clock, that pass
//! `check` as written. Nothing existing is ever overwritten.

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::load;
use crate::msg;
use crate::theme::Strings;
use jiff::Timestamp;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Notice,
    Page,
    Publicity,
}

/// Writes the new files; returns their paths.
pub fn new(root: &Path, themes: &Path, site_id: &str, kind: Kind, slug: Option<&str>, now: Timestamp) -> Result<Vec<PathBuf>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let Some(site) = load::load_site(root, site_id, &mut diags) else {
        if diags.is_empty() {
            diags.push(Diagnostic::error(
                root.join("sites").join(site_id),
                msg!("there_no_site", s = site_id),
            ));
        }
        return Err(diags);
    };
    let theme = crate::theme::load(&themes.join("default"), Some(&root.join("sites").join(site_id)))?;
    let today = crate::base::time::today(now, &site.time_zone);
    let dir = site.content_dir.join(match kind {
        Kind::Notice => "notices",
        Kind::Page => "pages",
        Kind::Publicity => "publicity",
    });
    let base = match (slug, kind) {
        (Some(s), _) => s.to_string(),
        (None, Kind::Notice) => format!("notice-{today}"),
        (None, Kind::Page) => "new-page".to_string(),
        (None, Kind::Publicity) => format!("results-{today}"),
    };
    if !load::valid_id(&base) {
        diags.push(Diagnostic::error(dir.join(&base), msg!("cannot_used_id_becomes_part_web", id = base)).hint(msg!("hint_id_chars")));
        return Err(diags);
    }
    if kind == Kind::Page && load::page_address_taken(&base, &site.languages) {
        diags.push(
            Diagnostic::error(dir.join(&base), msg!("page_cannot_called_that_address_used", slug = base)).hint(msg!("hint_new_page_slug")),
        );
        return Err(diags);
    }
    let paths_for = |slug: &str| -> Vec<PathBuf> {
        match kind {
            Kind::Publicity => vec![dir.join(format!("{slug}.yaml"))],
            _ => site.languages.iter().map(|l| dir.join(format!("{slug}.{l}.md"))).collect(),
        }
    };
    // With --slug the name is the editor's: refuse rather than rename.
    let slug = if slug.is_some() {
        base.clone()
    } else {
        (1..)
            .map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") })
            .find(|s| paths_for(s).iter().all(|p| !p.exists()))
            .unwrap_or(base.clone())
    };
    let paths = paths_for(&slug);
    if let Some(p) = paths.iter().find(|p| p.exists()) {
        diags.push(Diagnostic::error(p, msg!("new_exists")).hint(msg!("hint_new_exists")));
        return Err(diags);
    }
    let s = |lang: &str, key: &str| theme.i18n.get(lang).and_then(|t: &Strings| t.get(key)).cloned().unwrap_or_default();
    let mut files: BTreeMap<PathBuf, String> = BTreeMap::new();
    match kind {
        Kind::Notice => {
            for (i, lang) in site.languages.iter().enumerate() {
                let neutral = if i == 0 {
                    format!("date: {today}\ncategory: notice\ndraft: true\n")
                } else {
                    String::new()
                };
                files.insert(
                    paths[i].clone(),
                    format!(
                        "---\ntitle: {}\n{neutral}---\n{}\n",
                        quote(&s(lang, "new_notice_title")),
                        s(lang, "new_notice_body")
                    ),
                );
            }
        }
        Kind::Page => {
            for (i, lang) in site.languages.iter().enumerate() {
                let neutral = if i == 0 { "draft: true\n" } else { "" };
                files.insert(
                    paths[i].clone(),
                    format!(
                        "---\ntitle: {}\n{neutral}---\n{}\n",
                        quote(&s(lang, "new_page_title")),
                        s(lang, "new_page_body")
                    ),
                );
            }
        }
        Kind::Publicity => {
            let label = |key: &str| {
                let parts: Vec<String> = site.languages.iter().map(|l| format!("{l}: {}", quote(&s(l, key)))).collect();
                format!("{{{}}}", parts.join(", "))
            };
            let end = crate::base::time::add_days(today, site.publicity_days - 1);
            let track = site.tracks.first().map(|t| t.id.as_str()).unwrap_or("TRACK-ID");
            let level = site
                .awards
                .as_ref()
                .and_then(|a| a.levels.first())
                .map(|l| l.id.as_str())
                .unwrap_or("LEVEL-ID");
            files.insert(
                paths[0].clone(),
                format!(
                    "# {}\nkind: winners\ntitle: {}\nstart: {today}\nend: {end}\ndraft: true\nobjection:\n  text: {}\nentries: []\n# entries:\n#   - track: {track}\n#     level: {level}\n#     project: {}\n#     entrant: {}\n",
                    s(&site.languages[0], "new_publicity_comment"),
                    label("new_publicity_title"),
                    label("objection_default"),
                    label("project"),
                    label("entrant"),
                ),
            );
        }
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        diags.push(Diagnostic::error(&dir, msg!("cannot_read_file", e = e)));
        return Err(diags);
    }
    for (p, text) in &files {
        // create_new: never overwrite, even if a file appeared meanwhile.
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(p)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
        if let Err(e) = written {
            diags.push(Diagnostic::error(p, msg!("cannot_read_file", e = e)));
            return Err(diags);
        }
    }
    Ok(paths)
}

/// A YAML double-quoted string.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
