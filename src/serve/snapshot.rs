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
}
