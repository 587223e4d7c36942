//! The schedule: every stage with its dates and status, the countdown, and
//! the calendar to subscribe to.

use super::frame::{finish, script, Frame};
use super::views::{countdown, stage_view, CountdownView, StageView};
use crate::base::diag::Diagnostic;
use serde::Serialize;

#[derive(Serialize)]
struct TimelineView {
    stages: Vec<StageView>,
    today: String,
    today_iso: String,
    countdown: CountdownView,
    /// This language's `timeline.ics`.
    calendar: String,
}

pub fn render(mut f: Frame) -> Result<String, Diagnostic> {
    let lx = f.pc.lx;
    f.meta.title = lx.words.s("timeline");
    f.meta.scripts = script(f.pc, &f.root, "countdown.js");
    let data = TimelineView {
        stages: lx.site.stages.iter().map(|s| stage_view(lx, s)).collect(),
        today: lx.date(lx.sched.today),
        today_iso: lx.sched.today.to_string(),
        countdown: countdown(lx),
        calendar: format!("{}{}timeline.ics", f.root, lx.prefix),
    };
    finish(f.pc, "timeline.html", f.meta, data)
}
