//! Where the output goes: files by path, kept in memory or written to
//! disk and swapped in whole.

pub mod manifest;
pub mod publish;

use std::collections::BTreeMap;

/// The finished site: output path (relative, `/`-separated) → bytes.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Output {
    /// Path → bytes. Shared: a `serve` rebuild keeps most pages of the
    /// previous output without copying them.
    pub files: BTreeMap<String, Bytes>,
}

/// A file's bytes, shared between outputs.
pub type Bytes = std::sync::Arc<Vec<u8>>;
