//! What a page of one language needs beyond the shared [`Lang`]: the
//! theme, the static files under their fingerprinted names, the names of
//! the languages, and two facts about the files beside the pages (the
//! search index's address, the data files' sizes) that are made first.

use super::views::{site_view, SiteView};
use crate::base::digest::Asset;
use crate::context::Lang;
use crate::theme::Theme;
use std::collections::BTreeMap;

pub struct PageCx<'a> {
    pub lx: &'a Lang<'a>,
    pub theme: &'a Theme,
    /// Static files by name (`style.css`) → fingerprinted path and SRI.
    pub assets: &'a BTreeMap<String, Asset>,
    /// lang → (tag for `lang`/`hreflang`, the language's own name).
    pub names: BTreeMap<String, (String, String)>,
    pub view: SiteView,
    /// This language's `search/index.json`: the link to it, with its
    /// fingerprint, so a cache never serves an old index. (No SRI: the
    /// index is fetched from the page's own origin, and a cache that
    /// ignored the query would turn a stale index into a broken search.)
    pub search_index: String,
    /// This language's open data files (name under `data/`, size) in the
    /// order the data page lists them, and the calendar's size.
    pub data_files: Vec<(String, u64)>,
    pub calendar_size: u64,
}

/// What the files beside the pages tell the pages (they are made first).
#[derive(Default)]
pub struct Beside {
    /// `index.json?v=<hash>`.
    pub search_index: String,
    /// Open data files: name under `data/`, size, in the data page's order.
    pub data_files: Vec<(String, u64)>,
    /// The size of `timeline.ics`.
    pub calendar_size: u64,
}

impl<'a> PageCx<'a> {
    pub fn new(lx: &'a Lang<'a>, theme: &'a Theme, assets: &'a BTreeMap<String, Asset>, beside: Beside) -> Self {
        let names = lx
            .site
            .languages
            .iter()
            .map(|l| {
                let strings = theme.i18n.get(l);
                let get = |k: &str| strings.and_then(|s| s.get(k)).cloned().unwrap_or_else(|| l.clone());
                (l.clone(), (get("lang_tag"), get("language_name")))
            })
            .collect();
        PageCx {
            lx,
            theme,
            assets,
            names,
            view: site_view(lx.site, lx.lang),
            search_index: beside.search_index,
            data_files: beside.data_files,
            calendar_size: beside.calendar_size,
        }
    }

    /// The `lang` attribute value of a language of the site.
    pub fn tag_of(&self, lang: &str) -> String {
        self.names.get(lang).map(|n| n.0.clone()).unwrap_or_else(|| lang.to_string())
    }

    /// A language's name in itself ("English", "中文").
    pub fn name_of(&self, lang: &str) -> String {
        self.names.get(lang).map(|n| n.1.clone()).unwrap_or_else(|| lang.to_string())
    }
}
