//! Discover and parse: files under `sites/<id>/` and `content/<id>/` into a
//! resolved [`Site`], collecting every problem on the way.
//!
//! One file per kind of content (`site`, `notices`, `tracks`, `timeline`,
//! `awards`, `criteria`, `publicity`, `pages`), put together by `content`;
//! below them what they share: `raw` (the files' shapes), `read` (a file's
//! text, checked and parsed), `docs` (Markdown in each language), `fields`
//! (ids, dates, positions) and `refs` (what failed to load). Children name
//! only their siblings; this file names only its children.
//!
//! Raw serde structs mirror the files field for field (`deny_unknown_fields`,
//! so a misspelt field is an error with a suggestion) and are destructured
//! without `..` when resolved, so a new field nobody handles does not compile.
//! Resolution never stops at the first problem: it records a diagnostic,
//! skips the broken piece, and carries on, so one run reports everything.

pub mod awards;
pub mod content;
pub mod criteria;
pub mod docs;
pub mod fields;
pub mod notices;
pub mod pages;
pub mod publicity;
pub mod raw;
pub mod read;
pub mod refs;
pub mod site;
pub mod timeline;
pub mod tracks;
pub mod yaml;

// Children are named with `self::`, which tests/architecture.rs reads: a
// child naming this file back would show there as a cycle.
pub use self::fields::valid_id;
pub use self::notices::NoticeCache;
pub use self::pages::{page_address_taken, RESERVED_PAGE_SLUGS};
pub use self::read::{decode, read_text, split_front_matter, unsafe_links_in, FrontMatter};
pub use self::site::normalize_base_url;

use self::content::load_content;
use self::fields::suggest_id;
use self::raw::RawSite;
use self::site::resolve_site;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::msg;
use std::path::Path;

/// Lists the site ids under `root/sites/`, sorted.
pub fn site_ids(root: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(root.join("sites"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("site.yaml").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

/// Loads one site. Returns `None` when it has errors (all in `diags`).
pub fn load_site(root: &Path, id: &str, diags: &mut Diagnostics) -> Option<Site> {
    load_site_cached(root, id, diags, None)
}

/// [`load_site`], reusing the notices of `cache` whose files are unchanged.
pub fn load_site_cached(root: &Path, id: &str, diags: &mut Diagnostics, cache: Option<&NoticeCache>) -> Option<Site> {
    match load_site_as_far_as_it_goes(root, id, diags, cache)? {
        (site, false) => Some(site),
        (_, true) => None,
    }
}

/// The site with what failed to load left out, and whether anything did
/// (all problems in `diags`); `None` when its site.yaml cannot be read.
/// Not for publishing: for finding what else is wrong (its links).
pub fn load_site_as_far_as_it_goes(root: &Path, id: &str, diags: &mut Diagnostics, cache: Option<&NoticeCache>) -> Option<(Site, bool)> {
    let site_path = root.join("sites").join(id).join("site.yaml");
    let mut local = Diagnostics::default();
    if !valid_id(id) {
        local.push(
            Diagnostic::error(root.join("sites").join(id), msg!("site_folder_name_cannot_used_web", id = id))
                .hint(msg!("rename_folder", arg0 = suggest_id(id))),
        );
    }
    let Some(text) = read_text(&site_path, &mut local) else {
        diags.extend(local);
        return None;
    };
    let (raw, source) = match yaml::parse::<RawSite>(&text, &site_path, 1) {
        Ok(r) => r,
        Err(d) => {
            diags.extend_from(d);
            diags.extend(local);
            return None;
        }
    };
    local.extend_from(yaml::unsafe_values(&text, &site_path, 1));
    let (mut site, broken) = resolve_site(id, raw, &site_path, &source, &mut local);
    let content_dir = root.join("content").join(id);
    if !content_dir.is_dir() {
        local.push(
            Diagnostic::error(&content_dir, msg!("site_has_no_content_folder"))
                .hint(msg!("create_folder_content_see_docs_content", id = id)),
        );
    } else {
        load_content(&mut site, broken, &content_dir, &mut local, cache);
    }
    let failed = local.has_errors();
    diags.extend(local);
    Some((site, failed))
}
