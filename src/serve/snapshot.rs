//! What is served: one generation of every site's last good output.

use crate::emit::Output;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One generation of what is served.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub generation: u64,
    /// The last good output of each site.
    pub sites: BTreeMap<String, Arc<Output>>,
    /// The diagnostics of the last rebuild, as `check` prints them, when it
    /// had errors.
    pub problems: Option<String>,
    /// `--site`: that site is served at `/`.
    pub root_site: Option<String>,
    /// The overlay's heading, in the editor's language.
    pub problems_title: String,
    /// When each site's output next changes by itself (the schedule's
    /// next change): `serve` following the clock rebuilds then.
    pub next_change: BTreeMap<String, jiff::Timestamp>,
    /// `serve --now`: the pinned instant, which the pages' scripts read
    /// instead of the browser's clock.
    pub pinned_now: Option<String>,
}

impl Snapshot {
    /// The earliest instant at which a served site changes by itself.
    pub fn next_change(&self) -> Option<jiff::Timestamp> {
        self.next_change.values().min().copied()
    }
}
