//! References between kinds of content (awards and publicity lists name
//! tracks; publicity lists name stages and award levels): what failed to
//! load, so that a reference to it is not reported again as a second
//! problem, and the check of a named track that both make.

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::msg;
use std::path::Path;

/// Parts of a site that failed to load, whose names references may use.
#[derive(Default)]
pub(super) struct Broken {
    /// Track folders without a loaded track.
    pub(super) tracks: Vec<String>,
    pub(super) timeline: bool,
    pub(super) awards: bool,
    /// site.yaml's `publicity_days` is not a possible period: lengths of
    /// publicity periods are not checked against it.
    pub(super) publicity_days: bool,
}

impl Broken {
    /// Is `t` the id of a loaded track (one of `track_ids`)? If no track
    /// has that name, an error at `path`, placed by `at`; if its track
    /// failed to load, nothing more is said (that failure was reported).
    pub(super) fn track_ok(
        &self,
        t: &str,
        track_ids: &[String],
        path: &Path,
        diags: &mut Diagnostics,
        at: impl FnOnce(Diagnostic) -> Diagnostic,
    ) -> bool {
        if self.tracks.iter().any(|b| b == t) {
            return false;
        }
        if track_ids.iter().any(|id| id == t) {
            return true;
        }
        let hint = crate::base::text::suggestion(t, track_ids);
        diags.push(at(Diagnostic::error(path, msg!("track_does_not_exist", t = t)).hint(hint)));
        false
    }
}
