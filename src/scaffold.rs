//! `podium new`: the files for a new notice, page or publicity list, in
//! every language of the site, dated from the build clock, that pass
//! `check` as written. Nothing existing is ever overwritten.

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::Site;
use crate::msg;
use crate::theme::Strings;
use jiff::civil::Date;
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
    let paths = name(&site, &dir, kind, slug, today).map_err(|d| {
        diags.push(d);
        diags.clone()
    })?;
    let s = |lang: &str, key: &str| theme.i18n.get(lang).and_then(|t: &Strings| t.get(key)).cloned().unwrap_or_default();
    let files: BTreeMap<PathBuf, String> = match kind {
        Kind::Notice => documents(
            &site,
            &paths,
            &format!("date: {today}\ncategory: notice\ndraft: true\n"),
            "notice",
            &s,
        ),
        Kind::Page => documents(&site, &paths, "draft: true\n", "page", &s),
        Kind::Publicity => [(paths[0].clone(), publicity(&site, today, &s))].into_iter().collect(),
    };
    write(&dir, &files)?;
    Ok(paths)
}

/// The new files' paths: under the name given (refused if it is taken or
/// unusable), else a name from the kind and the day that is still free.
fn name(site: &Site, dir: &Path, kind: Kind, slug: Option<&str>, today: Date) -> Result<Vec<PathBuf>, Diagnostic> {
    let base = match (slug, kind) {
        (Some(s), _) => s.to_string(),
        (None, Kind::Notice) => format!("notice-{today}"),
        (None, Kind::Page) => "new-page".to_string(),
        (None, Kind::Publicity) => format!("results-{today}"),
    };
    if !load::valid_id(&base) {
        return Err(Diagnostic::error(dir.join(&base), msg!("cannot_used_id_becomes_part_web", id = base)).hint(msg!("hint_id_chars")));
    }
    if kind == Kind::Page && load::page_address_taken(&base, &site.languages) {
        return Err(
            Diagnostic::error(dir.join(&base), msg!("page_cannot_called_that_address_used", slug = base)).hint(msg!("hint_new_page_slug")),
        );
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
    match paths.iter().find(|p| p.exists()) {
        Some(p) => Err(Diagnostic::error(p, msg!("new_exists")).hint(msg!("hint_new_exists"))),
        None => Ok(paths),
    }
}

/// A Markdown document per language (`what`: `notice` or `page`), the
/// language-neutral fields (`neutral`) in the default language's only.
fn documents(site: &Site, paths: &[PathBuf], neutral: &str, what: &str, s: &dyn Fn(&str, &str) -> String) -> BTreeMap<PathBuf, String> {
    site.languages
        .iter()
        .zip(paths)
        .enumerate()
        .map(|(i, (lang, p))| {
            let neutral = if i == 0 { neutral } else { "" };
            let title = quote(&s(lang, &format!("new_{what}_title")));
            (
                p.clone(),
                format!("---\ntitle: {title}\n{neutral}---\n{}\n", s(lang, &format!("new_{what}_body"))),
            )
        })
        .collect()
}

/// A results list: a draft whose window starts today, with the entries'
/// form shown in a comment.
fn publicity(site: &Site, today: Date, s: &dyn Fn(&str, &str) -> String) -> String {
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
    format!(
        "# {}\nkind: winners\ntitle: {}\nstart: {today}\nend: {end}\ndraft: true\nobjection:\n  text: {}\nentries: []\n# entries:\n#   - track: {track}\n#     level: {level}\n#     project: {}\n#     entrant: {}\n",
        s(&site.languages[0], "new_publicity_comment"),
        label("new_publicity_title"),
        label("objection_default"),
        label("project"),
        label("entrant"),
    )
}

/// Writes the files, never over an existing one (even one that appeared
/// meanwhile).
fn write(dir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<(), Diagnostics> {
    let fail = |p: &Path, e: std::io::Error| {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error(p, msg!("cannot_read_file", e = e)));
        d
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
    for (p, text) in files {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(p)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            .map_err(|e| fail(p, e))?;
    }
    Ok(())
}

/// A YAML double-quoted string.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
