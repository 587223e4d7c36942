//! `pages/<slug>.<lang>.md` → free pages, and the addresses they may not
//! take.

use super::docs::{lang_files, load_docs, require_default};
use super::raw::RawPageFront;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// Every free page of `dir`, in menu order (pages without a place in the
/// menu last), then by slug.
pub(super) fn load_pages(site: &Site, dir: &Path, diags: &mut Diagnostics) -> Vec<Page> {
    let langs = &site.languages;
    let mut pages = Vec::new();
    for (slug, files) in lang_files(dir, langs, diags) {
        if page_address_taken(&slug, langs) {
            for p in files.values() {
                diags.push(Diagnostic::error(p, msg!("page_cannot_called_that_address_used", slug = slug)).hint(msg!("rename_file")));
            }
            continue;
        }
        pages.extend(load_page(slug, &files, &langs[0], dir, diags));
    }
    pages.sort_by(|a, b| {
        a.menu
            .unwrap_or(i32::MAX)
            .cmp(&b.menu.unwrap_or(i32::MAX))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    pages
}

/// One page from its files (language → path). Its place in the menu is the
/// default language's, else the first language's that gives one; it is a
/// draft if any language says so.
fn load_page(slug: String, files: &BTreeMap<String, PathBuf>, default: &str, dir: &Path, diags: &mut Diagnostics) -> Option<Page> {
    let mut menu = None;
    let mut draft = false;
    let files = files.iter().map(|(lang, p)| (lang, p.clone()));
    let text = load_docs(files, diags, |lang, front, source, p, diags| {
        let RawPageFront { title, menu: m, draft: d } = front;
        if title.trim().is_empty() {
            let e = Diagnostic::error(p, msg!("title_empty")).hint(msg!("write_page_s_title_after"));
            diags.push(source.at(e, "title"));
            return None;
        }
        if lang == default || menu.is_none() {
            menu = m.or(menu);
        }
        draft |= d.unwrap_or(false);
        Some(title)
    });
    require_default(&text, default, &slug, dir, diags).then_some(Page { slug, menu, draft, text })
}
