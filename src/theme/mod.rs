//! A theme: Tera templates compiled once, UI strings per language, static
//! files. A site may override any of the three from `sites/<id>/templates/`,
//! `sites/<id>/i18n/` and `sites/<id>/static/`.
//!
//! Tera 1 rather than Tera 2: Tera 2 (June 2026) moved the built-in filters
//! into a separate crate and is months old; Tera 1 is what the ecosystem and
//! our references (Zola) run. Its one weakness — stringly typed contexts —
//! we avoid by giving every template a typed view struct, and templates are
//! compiled and checked when the theme loads, before any page renders.

pub mod words;

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::load::yaml;
use crate::msg;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// UI strings of one language: key → text with `{placeholders}`.
pub type Strings = BTreeMap<String, String>;

pub struct Theme {
    pub tera: tera::Tera,
    /// lang → strings.
    pub i18n: BTreeMap<String, Strings>,
    /// Path under `static/` → bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Where the theme lives, for diagnostics.
    pub dir: PathBuf,
}

/// Template names every theme provides.
pub const TEMPLATES: &[&str] = &[
    "home.html",
    "notices.html",
    "notice.html",
    "tracks.html",
    "track.html",
    "topic.html",
    "timeline.html",
    "awards.html",
    "criteria.html",
    "publicity_index.html",
    "publicity.html",
    "page.html",
    "search.html",
    "404.html",
];

fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut v = Vec::new();
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
                if !rel.split('/').any(|p| p.starts_with('.')) {
                    v.push((rel, e.path().to_path_buf()));
                }
            }
        }
    }
    v
}

/// Does this site override anything of the theme?
pub fn has_overrides(site_dir: &Path) -> bool {
    ["templates", "i18n", "static"].iter().any(|d| site_dir.join(d).is_dir())
}

/// Loads the theme at `theme_dir`, with the overrides of `site_dir` if given.
/// Interface strings are loaded for every language the theme (or the site)
/// has; [`Theme::check_languages`] says which a site lacks.
pub fn load(theme_dir: &Path, site_dir: Option<&Path>) -> Result<Theme, Diagnostics> {
    let mut diags = Diagnostics::default();
    let dirs = |sub: &str| -> Vec<PathBuf> {
        let mut v = vec![theme_dir.join(sub)];
        if let Some(s) = site_dir {
            v.push(s.join(sub));
        }
        v
    };
    let mut templates: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
    for dir in dirs("templates") {
        for (name, path) in files_under(&dir) {
            match std::fs::read_to_string(&path) {
                Ok(t) => {
                    templates.insert(name, (path, t));
                }
                Err(e) => diags.push(Diagnostic::error(&path, msg!("cannot_read_template", e = e))),
            }
        }
    }
    for name in TEMPLATES {
        if !templates.contains_key(*name) {
            diags.push(
                Diagnostic::error(theme_dir.join("templates").join(name), msg!("theme_lacks_template"))
                    .hint(msg!("every_theme_provides_templates_listed_src")),
            );
        }
    }
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera escapes `/` too (`&#x2F;`); links read better without that.
    tera.set_escape_fn(crate::base::escape::html);
    let list: Vec<(String, String)> = templates.iter().map(|(n, (_, t))| (n.clone(), t.clone())).collect();
    if let Err(e) = tera.add_raw_templates(list) {
        let msg = error_chain(&e);
        // Tera names the template in its message; point at that file.
        let path = templates
            .iter()
            .find(|(n, _)| msg.contains(n.as_str()))
            .map(|(_, (p, _))| p.clone())
            .unwrap_or_else(|| theme_dir.join("templates"));
        diags.push(Diagnostic::error(path, msg!("template_does_not_compile", msg = msg)));
    }

    let i18n = strings(&dirs("i18n"), &mut diags);
    let static_files = statics(&dirs("static"), &mut diags);
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(Theme {
            tera,
            i18n,
            static_files,
            dir: theme_dir.to_path_buf(),
        })
    }
}

/// The interface strings of every language, a site's over the theme's.
fn strings(dirs: &[PathBuf], diags: &mut Diagnostics) -> BTreeMap<String, Strings> {
    let mut i18n: BTreeMap<String, Strings> = BTreeMap::new();
    for dir in dirs {
        for (name, p) in files_under(dir) {
            let Some(lang) = name.strip_suffix(".yaml") else { continue };
            let Some(text) = crate::load::read_text(&p, diags) else {
                continue;
            };
            match yaml::parse::<Strings>(&text, &p, 1) {
                Ok((s, _)) => i18n.entry(lang.to_string()).or_default().extend(s),
                Err(d) => diags.extend_from(d),
            }
        }
    }
    i18n
}

/// The static files, a site's over the theme's.
fn statics(dirs: &[PathBuf], diags: &mut Diagnostics) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for dir in dirs {
        for (name, path) in files_under(dir) {
            match std::fs::read(&path) {
                Ok(b) => {
                    files.insert(name, b);
                }
                Err(e) => diags.push(Diagnostic::error(&path, msg!("cannot_read_file", e = e))),
            }
        }
    }
    files
}

impl Theme {
    /// Problems with the interface strings for a site's languages: a
    /// language without strings, or a key the first language has and
    /// another lacks.
    pub fn check_languages(&self, languages: &[String], site_yaml: &Path) -> Diagnostics {
        let mut diags = Diagnostics::default();
        for lang in languages {
            if !self.i18n.contains_key(lang) {
                diags.push(
                    Diagnostic::error(site_yaml, msg!("theme_has_no_interface_strings_for", lang = lang))
                        .hint(msg!("add_i18n_yaml_theme_site_s", lang = lang)),
                );
            }
        }
        if let Some(base) = languages.first().and_then(|l| self.i18n.get(l)) {
            for lang in languages.iter().skip(1) {
                if let Some(s) = self.i18n.get(lang) {
                    for k in base.keys().filter(|k| !s.contains_key(*k)) {
                        diags.push(
                            Diagnostic::error(
                                self.dir.join("i18n").join(format!("{lang}.yaml")),
                                msg!("interface_string_missing", k = k),
                            )
                            .hint(msg!("add_with_text", k = k, lang = lang)),
                        );
                    }
                }
            }
        }
        diags
    }
}

/// An error and its causes, one sentence: Tera puts the useful part (which
/// variable, which line) in the causes.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}
