//! The schedule: every stage with its dates and status, the countdown, and
//! the calendar to subscribe to.

use super::frame::{finish, with_clock, Frame};
use super::views::{stage_view, StageView};
use crate::base::diag::Diagnostic;
use serde::Serialize;

#[derive(Serialize)]
struct TimelineView {
    stages: Vec<StageView>,
    /// This language's `timeline.ics`.
    calendar: String,
}

pub fn render(mut f: Frame) -> Result<String, Diagnostic> {
    let lx = f.pc.lx;
    f.meta.title = lx.words.s("timeline");
    with_clock(f.pc, &mut f.meta, &f.root.clone());
    let data = TimelineView {
        stages: lx.site.stages.iter().map(|s| stage_view(lx, s)).collect(),
        calendar: format!("{}{}timeline.ics", f.root, lx.prefix),
    };
    finish(f.pc, "timeline.html", f.meta, data)
}
