//! Markdown documents in each language: the `<slug>.<lang>.md` files of a
//! folder, grouped by slug, and the rule that the default language's must
//! be there.

use super::fields::{suggest_id, valid_id};
use super::raw::RawOptionalTitleFront;
use super::read::load_doc_with;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `<slug>.<lang>.md` → (slug, lang).
pub(super) fn lang_file(name: &str) -> Option<(&str, &str)> {
    let stem = name.strip_suffix(".md")?;
    let (slug, lang) = stem.rsplit_once('.')?;
    Some((slug, lang))
}

/// Collects `<slug>.<lang>.md` files of a folder: slug → lang → path.
pub(super) fn lang_files(dir: &Path, langs: &[String], diags: &mut Diagnostics) -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let mut out: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir).into_iter().flatten().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        let p = e.path();
        // The entry's type costs no `stat` (a link is followed, though).
        let is_dir = || {
            e.file_type()
                .map_or_else(|_| p.is_dir(), |t| t.is_dir() || (t.is_symlink() && p.is_dir()))
        };
        if name.starts_with('.') || !name.ends_with(".md") || is_dir() {
            continue;
        }
        match lang_file(&name) {
            Some((slug, lang)) if langs.iter().any(|l| l == lang) => {
                if !valid_id(slug) {
                    diags.push(
                        Diagnostic::error(&p, msg!("file_name_cannot_used_web_address", name = name)).hint(msg!(
                            "rename_lowercase_letters_z_digits",
                            arg0 = suggest_id(slug),
                            lang = lang
                        )),
                    );
                    continue;
                }
                out.entry(slug.to_string()).or_default().insert(lang.to_string(), p);
            }
            _ => diags.push(
                Diagnostic::error(&p, msg!("does_not_say_language", name = name))
                    .hint(msg!("name_with_language_site", arg0 = langs.join(", "))),
            ),
        }
    }
    out
}

pub(super) fn load_optional_doc(dir: &Path, slug: &str, langs: &[String], diags: &mut Diagnostics) -> Translations<Doc> {
    let mut t = Translations::default();
    for lang in langs {
        let p = dir.join(format!("{slug}.{lang}.md"));
        if p.is_file() {
            if let Some((front, body, _)) = load_doc_with::<RawOptionalTitleFront>(&p, diags) {
                let RawOptionalTitleFront { title } = front;
                t.by_lang.insert(
                    lang.clone(),
                    Doc {
                        title: title.unwrap_or_default(),
                        body,
                        path: p,
                    },
                );
            }
        }
    }
    t
}

pub(super) fn require_default<T>(t: &Translations<T>, default: &str, slug: &str, dir: &Path, diags: &mut Diagnostics) -> bool {
    if t.by_lang.contains_key(default) {
        return true;
    }
    let p = dir.join(format!("{slug}.{default}.md"));
    // A default-language file that exists but failed has been reported.
    if !t.by_lang.is_empty() && !p.exists() {
        diags.push(
            Diagnostic::error(&p, msg!("has_no_text_site_s_default", slug = slug, default = default)).hint(msg!(
                "add_file_md_other_languages_fall",
                slug = slug,
                default = default
            )),
        );
    }
    false
}
