//! Markdown documents in each language: the `<slug>.<lang>.md` files of a
//! folder grouped by slug, each language's file parsed into a [`Doc`], and
//! the rule that the default language's must be there.
//!
//! Topics, pages and the optional prose (home, awards, criteria) all go
//! from files to docs the same way, through [`load_docs`]; only what their
//! front matter holds differs. Notices, whose languages share fields, have
//! their own loop.

use super::fields::{suggest_id, valid_id};
use super::raw::RawOptionalTitleFront;
use super::read::{load_doc_with, sorted_entries};
use super::yaml::Source;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `<slug>.<lang>.md` → (slug, lang).
pub(super) fn lang_file(name: &str) -> Option<(&str, &str)> {
    let stem = name.strip_suffix(".md")?;
    let (slug, lang) = stem.rsplit_once('.')?;
    Some((slug, lang))
}

/// A name an editor could give a file of `dir`, for a hint.
fn example_slug(dir: &Path) -> &'static str {
    match dir.file_name().and_then(|n| n.to_str()) {
        Some("notices") => "notice-2025-1",
        Some("pages") => "contact",
        _ => "topic-1",
    }
}

/// Collects `<slug>.<lang>.md` files of a folder: slug → lang → path.
pub(super) fn lang_files(dir: &Path, langs: &[String], diags: &mut Diagnostics) -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let mut out: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for e in sorted_entries(dir) {
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
                    let suggest = suggest_id(slug);
                    let hint = if suggest.is_empty() {
                        // `通知.zh.md`: nothing of the name can stay.
                        msg!("hint_rename_latin", example = example_slug(dir), lang = lang)
                    } else {
                        msg!("rename_lowercase_letters_z_digits", arg0 = suggest, lang = lang)
                    };
                    diags.push(Diagnostic::error(&p, msg!("file_name_cannot_used_web_address", name = name)).hint(hint));
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

/// Each language's file of one document (language → path, in that order)
/// parsed into a [`Doc`]: `title_of` takes its front matter to the doc's
/// title, or to `None` to leave that language out (having said why).
pub(super) fn load_docs<'a, T: DeserializeOwned>(
    files: impl IntoIterator<Item = (&'a String, PathBuf)>,
    diags: &mut Diagnostics,
    mut title_of: impl FnMut(&str, T, &Source, &Path, &mut Diagnostics) -> Option<String>,
) -> Translations<Doc> {
    let mut t = Translations::default();
    for (lang, path) in files {
        let Some(super::read::Doc { front, source, body, .. }) = load_doc_with::<T>(&path, diags) else {
            continue;
        };
        if let Some(title) = title_of(lang, front, &source, &path, diags) {
            t.by_lang.insert(lang.clone(), Doc { title, body, path });
        }
    }
    t
}

/// `<slug>.<lang>.md` in `dir` for each language that has one: prose that
/// a site may add to a page (home, awards, criteria), its title optional.
pub(super) fn load_optional_doc(dir: &Path, slug: &str, langs: &[String], diags: &mut Diagnostics) -> Translations<Doc> {
    let files = langs
        .iter()
        .map(|lang| (lang, dir.join(format!("{slug}.{lang}.md"))))
        .filter(|(_, p)| p.is_file());
    load_docs(files, diags, |_, front, _, _, _| {
        let RawOptionalTitleFront { title } = front;
        Some(title.unwrap_or_default())
    })
}

/// Does the document have its default-language text? If not, and it has
/// other languages' files, that is an error at the missing file.
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
