//! The home page: the introduction, the stage the competition is in and
//! the next one (with the countdown), open publicity windows, the latest
//! notices, the sections.

use super::frame::{finish, script, Frame};
use super::views::{countdown, notice_ref, publicity_ref, stage_view, CountdownView, Link, NoticeRef, PublicityRef, StageView};
use crate::base::diag::Diagnostic;
use crate::base::time::SpanStatus;
use crate::schedule::StageStatus;
use serde::Serialize;

#[derive(Serialize)]
struct HomeView {
    intro: String,
    current_stage: Option<StageView>,
    next_stage: Option<StageView>,
    approx_stages: Vec<StageView>,
    /// Every exact stage, for the countdown script to pick the current and
    /// next one when the browser's clock says a boundary has passed.
    exact_stages: Vec<StageView>,
    countdown: CountdownView,
    open_publicity: Vec<PublicityRef>,
    latest: Vec<NoticeRef>,
    sections: Vec<Link>,
}

pub fn render(mut f: Frame) -> Result<String, Diagnostic> {
    let pc = f.pc;
    let lx = pc.lx;
    let (site, sched) = (lx.site, lx.sched);
    f.meta.title = pc.view.name.clone();
    let intro = site.home.get(lx.lang, lx.default).map(|(d, fallback)| {
        f.meta.fallback |= fallback;
        lx.md(&d.body)
    });
    let root = &f.root;
    let approximate = |st: &&crate::model::Stage| sched.stage(st) == StageStatus::Approximate;
    let data = HomeView {
        intro: intro.unwrap_or_default(),
        current_stage: sched.current_stage(site).map(|s| stage_view(lx, s)),
        next_stage: sched.next_stage(site).map(|s| stage_view(lx, s)),
        approx_stages: site.stages.iter().filter(approximate).map(|s| stage_view(lx, s)).collect(),
        exact_stages: site.stages.iter().filter(|s| !approximate(s)).map(|s| stage_view(lx, s)).collect(),
        countdown: countdown(lx),
        open_publicity: sched
            .lists(site)
            .filter(|(_, st)| matches!(st, SpanStatus::Open { .. }))
            .filter_map(|(p, _)| publicity_ref(lx, root, p))
            .collect(),
        latest: sched.notices(site).take(5).map(|n| notice_ref(lx, root, n)).collect(),
        sections: f
            .meta
            .nav
            .iter()
            .skip(1)
            .map(|n| Link {
                href: n.href.clone(),
                label: n.label.clone(),
            })
            .collect(),
    };
    f.meta.scripts = script(pc, root, "countdown.js");
    finish(pc, "home.html", f.meta, data)
}
