//! What one process keeps between builds.

use crate::base::diag::Diagnostics;
use crate::load;
use crate::markdown::Markdown;
use crate::theme;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What one process keeps between builds (`serve` rebuilds many times):
/// compiled themes and highlighted code. A one-off build starts empty.
#[derive(Default)]
pub struct Caches {
    pub markdown: Markdown,
    /// Parsed notices, in `serve` (see [`Caches::for_serve`]).
    pub notices: load::NoticeCache,
    /// Compiled themes: the shared one (key `None`) and those of sites
    /// that override it (key: the site's folder).
    themes: Mutex<BTreeMap<Option<PathBuf>, Arc<theme::Theme>>>,
    /// Themes actually compiled (cache misses).
    pub theme_loads: std::sync::atomic::AtomicUsize,
    /// Notices' search index entries, kept like rendered Markdown.
    pub search_entries: crate::outputs::search::EntryCache,
}

impl Caches {
    /// Caches for a process that builds again and again (`serve`): rendered
    /// Markdown is kept too.
    pub fn for_serve() -> Caches {
        let mut c = Caches::default();
        c.markdown.remember = true;
        c
    }

    /// Caches that remember nothing (every block highlighted, every
    /// document rendered, each time): the plain build that the optimized
    /// one must equal.
    pub fn forgetful() -> Caches {
        let mut c = Caches::default();
        c.markdown.highlighter.forgetful = true;
        c
    }

    /// Keeps highlighted code in `dir` (usually `<project>/.podium-cache`)
    /// too, so that a later process highlights only blocks it has not seen.
    pub fn store_in(mut self, dir: &Path) -> Caches {
        let mut hl = crate::markdown::Highlighter::with_store(dir.join("highlight.bin"));
        hl.forgetful = self.markdown.highlighter.forgetful;
        self.markdown.highlighter = hl;
        self
    }

    /// Writes what the caches keep on disk (see [`Caches::store_in`]).
    pub fn save(&self) {
        self.markdown.highlighter.save();
    }

    /// The compiled theme for a site, compiling it on first use.
    pub fn theme(&self, theme_dir: &Path, site_dir: &Path, diags: &mut Diagnostics) -> Option<Arc<theme::Theme>> {
        let key = theme::has_overrides(site_dir).then(|| site_dir.to_path_buf());
        let mut themes = self.themes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = themes.get(&key) {
            return Some(t.clone());
        }
        self.theme_loads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match theme::load(theme_dir, key.as_deref()) {
            Ok(t) => {
                let t = Arc::new(t);
                themes.insert(key, t.clone());
                Some(t)
            }
            Err(d) => {
                diags.extend(d);
                None
            }
        }
    }

    /// Drops the compiled themes: a template, string or static file changed.
    pub fn forget_themes(&self) {
        self.themes.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The search entries to keep, when rendered documents are kept.
    pub fn search_entries(&self) -> Option<&crate::outputs::search::EntryCache> {
        self.markdown.keeps().then_some(&self.search_entries)
    }
}
