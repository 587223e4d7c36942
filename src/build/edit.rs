//! After an edit in `serve`: which pages it can touch. An edit of notice
//! files only, that leaves the same notices published, touches those
//! notices' pages and the pages that show which notices are published
//! ([`Page::shows_notices`]); every other page is the previous output's.
//! Any other edit touches everything. (A rebuild that keeps pages equals a
//! full build: `tests/serve.rs` compares.)

use crate::emit::Output;
use crate::model::Site;
use crate::render::pages::{self, Page};
use crate::schedule::Schedule;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The keys of the pages to render again, or `None` for all of them.
pub fn touched(site: &Site, sched: &Schedule, previous: &Output, changed: &[PathBuf]) -> Option<BTreeSet<String>> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let notices_dir = canonical(&site.content_dir.join("notices"));
    // Files beside the notices that are not Markdown (an editor's swap or
    // temporary file) are no content: they change nothing.
    let changed: Vec<PathBuf> = changed
        .iter()
        .map(|p| canonical(p))
        .filter(|p| !(p.starts_with(&notices_dir) && p.extension().is_none_or(|e| e != "md")))
        .collect();
    if changed.is_empty() || !changed.iter().all(|p| p.starts_with(&notices_dir)) || !same_notices(site, sched, previous) {
        return None;
    }
    let edited = |n: &crate::model::Notice| {
        let slug_dot = format!("{}.", n.slug);
        changed
            .iter()
            .any(|c| c.file_name().and_then(|f| f.to_str()).is_some_and(|f| f.starts_with(&slug_dot)))
    };
    let keys = pages::list(site, sched)
        .into_iter()
        .filter(|p: &Page| p.shows_notices() || p.notice().is_some_and(edited))
        .map(|p| p.key)
        .collect();
    Some(keys)
}

/// Does the previous output have exactly the notices published now?
fn same_notices(site: &Site, sched: &Schedule, previous: &Output) -> bool {
    let published: Vec<&str> = sched.notices(site).map(|n| n.slug.as_str()).collect();
    let before = previous
        .files
        .keys()
        .filter_map(|k| k.strip_prefix("notices/")?.strip_suffix("/index.html"))
        .filter(|s| !s.contains('/'))
        .count();
    before == published.len()
        && published
            .iter()
            .all(|s| previous.files.contains_key(&format!("notices/{s}/index.html")))
}
