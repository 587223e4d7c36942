//! `pages/<slug>.<lang>.md` → free pages, and the addresses they may not
//! take.

use super::docs::{lang_files, require_default};
use super::fields::at_key;
use super::raw::RawPageFront;
use super::read::load_doc_with;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use std::path::Path;

/// The addresses the site itself uses at its root: a free page cannot
/// have one of them (nor a language's, like `en`).
pub const RESERVED_PAGE_SLUGS: [&str; 12] = [
    "notices",
    "tracks",
    "timeline",
    "awards",
    "criteria",
    "publicity",
    "data",
    "files",
    "en",
    "static",
    "search",
    "404",
];

/// Would a free page called `slug` take an address the site already uses?
pub fn page_address_taken(slug: &str, langs: &[String]) -> bool {
    RESERVED_PAGE_SLUGS.contains(&slug) || langs.iter().any(|l| l == slug)
}

pub(super) fn load_pages(site: &Site, dir: &Path, diags: &mut Diagnostics) -> Vec<Page> {
    let langs = &site.languages;
    let default = &langs[0];
    let mut pages = Vec::new();
    for (slug, files) in lang_files(dir, langs, diags) {
        if page_address_taken(&slug, langs) {
            for p in files.values() {
                diags.push(Diagnostic::error(p, msg!("page_cannot_called_that_address_used", slug = slug)).hint(msg!("rename_file")));
            }
            continue;
        }
        let mut tr = Translations::default();
        let mut menu = None;
        let mut draft = false;
        for (lang, p) in &files {
            if let Some((front, body, text)) = load_doc_with::<RawPageFront>(p, diags) {
                let RawPageFront { title, menu: m, draft: d } = front;
                if title.trim().is_empty() {
                    diags.push(at_key(
                        Diagnostic::error(p, msg!("title_empty")).hint(msg!("write_page_s_title_after")),
                        &text,
                        "title",
                        "",
                    ));
                    continue;
                }
                if lang == default || menu.is_none() {
                    menu = m.or(menu);
                }
                draft |= d.unwrap_or(false);
                tr.by_lang.insert(
                    lang.clone(),
                    Doc {
                        title,
                        body,
                        path: p.clone(),
                    },
                );
            }
        }
        if require_default(&tr, default, &slug, dir, diags) {
            pages.push(Page {
                slug,
                menu,
                draft,
                text: tr,
            });
        }
    }
    pages.sort_by(|a, b| {
        a.menu
            .unwrap_or(i32::MAX)
            .cmp(&b.menu.unwrap_or(i32::MAX))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    pages
}
