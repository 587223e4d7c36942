//! Faults a test can inject into a real build.

/// What can be made to fail (the binary reads it from
/// `PODIUM_FAULT`): they stand for a full disk, a folder that refuses a
/// rename, or a kill at a chosen point. Never set in normal use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    /// Writing files of this site fails as on a full disk.
    pub full_disk: Option<String>,
    /// Swapping this site in fails as on a read-only folder.
    pub read_only: Option<String>,
    /// The process dies (abort, no cleanup) between the two renames of the
    /// fallback swap.
    pub kill_between_renames: bool,
    /// The process dies right after this site is swapped in.
    pub kill_after_swap: Option<String>,
    /// Use the two-rename swap even where the atomic exchange exists.
    pub no_exchange: bool,
}

impl Faults {
    /// Parses `PODIUM_FAULT`: comma-separated `full-disk:<id>`,
    /// `read-only:<id>`, `kill-between-renames`, `kill-after-swap:<id>`,
    /// `no-exchange`. Unknown words are ignored.
    pub fn parse(spec: &str) -> Faults {
        let mut f = Faults::default();
        for part in spec.split(',').map(str::trim) {
            match part.split_once(':') {
                Some(("full-disk", id)) => f.full_disk = Some(id.to_string()),
                Some(("read-only", id)) => f.read_only = Some(id.to_string()),
                Some(("kill-after-swap", id)) => f.kill_after_swap = Some(id.to_string()),
                _ if part == "kill-between-renames" => f.kill_between_renames = true,
                _ if part == "no-exchange" => f.no_exchange = true,
                _ => {}
            }
        }
        f
    }
}
