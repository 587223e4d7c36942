//! Where the output goes: one [`Sink`] trait, two sinks. A build hands
//! every file to a sink as soon as it is made; the sink keeps it in memory
//! ([`memory::MemorySink`]: `serve`, `check`, tests) or writes it into a
//! staging folder on disk ([`disk::DiskSink`]: `podium build`), which
//! [`publish::publish`] swaps into the output folder, all sites or none.

pub mod disk;
pub mod faults;
pub mod links;
pub mod manifest;
pub mod memory;
pub mod publish;
pub mod staging;

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

/// A file as the manifest lists it: path, size, SHA-256 in hex.
pub type Listed = (String, u64, String);

/// Where a build puts its files, as it makes them (from several threads).
pub trait Sink: Sync {
    /// Takes one file. An error is the disk's (full, read-only); after one,
    /// every later file is refused.
    fn put(&self, path: &str, bytes: Bytes) -> std::io::Result<()>;

    /// Has a file been refused?
    fn failed(&self) -> bool;

    /// Every file taken so far (`.gz` copies included), for the manifest.
    fn listed(&self) -> Vec<Listed>;

    /// Where a file goes, to name it in a message (the published place,
    /// not a hidden staging folder).
    fn place(&self, path: &str) -> std::path::PathBuf {
        path.into()
    }

    /// A file taken, read back (to look up a link's `#fragment`).
    fn get(&self, path: &str) -> Option<Bytes>;
}
