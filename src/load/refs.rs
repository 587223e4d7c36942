//! References between kinds of content (a publicity list names a stage, a
//! track, an award level): what failed to load, so that a reference to it
//! is not reported again as a second problem.

/// Parts of a site that failed to load, whose names references may use.
#[derive(Default)]
pub(super) struct Broken {
    /// Track folders without a loaded track.
    pub(super) tracks: Vec<String>,
    pub(super) timeline: bool,
    pub(super) awards: bool,
}
