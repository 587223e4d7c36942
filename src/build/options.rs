//! What a build is asked to do.

use jiff::Timestamp;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The project folder (holding `sites/` and `content/`).
    pub root: PathBuf,
    /// The folder holding the themes (usually `<root>/themes`).
    pub themes: PathBuf,
    /// Sites to build; empty for all.
    pub sites: Vec<String>,
    pub now: Timestamp,
    /// Overrides every site's `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Write `.gz` copies of text files.
    pub precompress: bool,
    /// A preview (`serve`): no deploy manifest, nothing for the CDN.
    pub preview: bool,
}

/// Where `podium build` puts the sites, and what it may keep.
#[derive(Debug, Clone)]
pub struct Destination {
    /// The output folder: each site goes to `<out>/<id>/`.
    pub out: PathBuf,
    /// The project's cache folder (`.podium-cache`): protected from
    /// `--out` always, used only when `use_cache`.
    pub cache_dir: PathBuf,
    /// Keep the output two builds back in `<cache>/spare/<id>`.
    pub use_cache: bool,
    /// Faults injected by tests (see [`crate::emit::faults::Faults`]).
    pub faults: crate::emit::faults::Faults,
}
