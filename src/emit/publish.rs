//! Putting built sites into the output folder without ever losing one.
//!
//! The promises, and how they are kept:
//!
//! - **The output is never the sources.** [`super::staging::check_out_dir`] refuses an
//!   `--out` that is, contains or lies inside the project's sources
//!   (`sites/`, `content/`, `themes/`, the cache, `.git`) before anything is
//!   written.
//! - **Temporary folders are never uploaded.** Each site is written into
//!   a staging folder beside the output folder, not inside it
//!   (`<parent>/.podium-staging/<out-name>/`), on the same disk so that the
//!   swap is a rename.
//! - **All or nothing.** [`publish`] first finishes writing every site,
//!   then swaps them in one by one; if any step fails, the sites already
//!   swapped are swapped back and nothing is replaced.
//! - **A kill loses nothing.** On Linux the swap is one atomic
//!   `renameat2(RENAME_EXCHANGE)`: `out/<id>` is the old site or the new
//!   one at every instant. Where that call is missing, the swap is two
//!   renames (`out/<id>` → `<id>.old-<pid>`, then the new one in); a build
//!   killed between them leaves `out/<id>` missing, and the next build's
//!   [`super::staging::recover`] — run before it reads any content, so even a build that
//!   then fails on an editor's mistake repairs it — puts the old site back.
//! - **One failure, one message.** A full disk or a folder that cannot be
//!   written stops the writing at the first failure.

use super::disk::{DiskSink, Swapped};
use crate::base::diag::Diagnostic;
use crate::msg;

/// Puts every site in, or none: each is completed first (whatever its
/// folder holds that this build did not write is removed), then all are
/// swapped; when one fails, those already swapped go back. The error names
/// the folder that failed.
pub fn publish(sites: Vec<DiskSink>) -> Result<(), Diagnostic> {
    let failure = |sink: &DiskSink, e: std::io::Error| {
        Diagnostic::error(sink.out_dir.join(&sink.id), msg!("cannot_write_output", e = e)).hint(msg!("check_output_folder_writable"))
    };
    if let Some((i, e)) = sites.iter().enumerate().find_map(|(i, s)| s.complete().err().map(|e| (i, e))) {
        let d = failure(&sites[i], e);
        sites.into_iter().for_each(DiskSink::abandon);
        return Err(d);
    }
    let mut swapped: Vec<(DiskSink, Swapped)> = Vec::new();
    let mut waiting = sites.into_iter();
    for sink in waiting.by_ref() {
        match sink.swap_in() {
            Ok(how) => {
                if sink.faults.kill_after_swap.as_deref() == Some(sink.id.as_str()) {
                    std::process::abort();
                }
                swapped.push((sink, how));
            }
            Err(e) => {
                let d = failure(&sink, e);
                for (s, how) in swapped.into_iter().rev() {
                    // Best effort: a folder that took a rename a moment
                    // ago takes this one too.
                    let _ = s.swap_back(how);
                    s.abandon();
                }
                sink.abandon();
                waiting.for_each(DiskSink::abandon);
                return Err(d);
            }
        }
    }
    for (sink, how) in swapped {
        sink.retire(how);
    }
    Ok(())
}
