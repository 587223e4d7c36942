//! The home page: the introduction, where the competition stands (the
//! stage under way, the next one, or that it has ended and where its
//! results are), registration as the timeline has it, open publicity
//! windows, the latest notices, the sections.

use super::frame::{finish, with_clock, Frame};
use super::views::{days_left, days_until, notice_ref, publicity_ref, stage_view, DaysView, Link, NoticeRef, PublicityRef, StageView};
use crate::base::diag::Diagnostic;
use crate::base::time::SpanStatus;
use crate::context::Lang;
use crate::model::{StageKind, When};
use crate::schedule::StageStatus;
use serde::Serialize;

#[derive(Serialize)]
struct HomeView {
    intro: String,
    status: StatusView,
    registration: RegistrationView,
    open_publicity: Vec<PublicityRef>,
    latest: Vec<NoticeRef>,
    sections: Vec<Link>,
}

/// Where the competition stands.
#[derive(Serialize)]
struct StatusView {
    /// `current` (a stage is under way), `between` (none is, one is to
    /// come), `approximate` (none is, and no stage has dates yet), `ended`
    /// (every stage is over).
    state: &'static str,
    current: Option<StageView>,
    next: Option<StageView>,
    /// The stages whose dates are not announced and that have not begun.
    approx: Vec<StageView>,
    /// The results page, for "the competition has ended".
    results: String,
}

/// Registration, as the timeline has it.
#[derive(Serialize)]
struct RegistrationView {
    /// `upcoming`, `open`, `closed`, or `none` (no button, nothing to say).
    state: &'static str,
    /// The button's address, only while registration is open.
    url: Option<String>,
    /// "Registration opens on 3 June 2025", "Registration closed on …".
    sentence: String,
    count: Option<DaysView>,
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
    let data = HomeView {
        intro: intro.unwrap_or_default(),
        status: status(lx, root),
        registration: registration(lx),
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
    with_clock(pc, &mut f.meta, &f.root.clone());
    finish(pc, "home.html", f.meta, data)
}

fn status(lx: &Lang, root: &str) -> StatusView {
    let (site, sched) = (lx.site, lx.sched);
    let current = sched.current_stage(site).map(|s| stage_view(lx, s));
    // Nothing dated and nothing begun: all that is known is the notice's
    // words.
    let unknown = site.stages.iter().all(|s| sched.stage(s) == StageStatus::Approximate);
    let state = match (&current, sched.ended()) {
        (Some(_), _) => "current",
        (None, true) => "ended",
        (None, false) if unknown => "approximate",
        (None, false) => "between",
    };
    let next = sched.next_stage(site);
    StatusView {
        state,
        current,
        next: next.map(|s| stage_view(lx, s)),
        approx: site
            .stages
            .iter()
            .filter(|s| sched.stage(s) == StageStatus::Approximate && next.is_none_or(|n| n.id != s.id))
            .map(|s| stage_view(lx, s))
            .collect(),
        results: lx.link(root, lx.lang, "publicity/"),
    }
}

/// Registration follows its stage: before it opens, when it opens; while
/// open, the button and the days left; after, when it closed. A site whose
/// timeline has no dated registration stage keeps the button until the
/// competition has ended.
fn registration(lx: &Lang) -> RegistrationView {
    let (site, sched) = (lx.site, lx.sched);
    let url = site.registration_url.clone().filter(|u| crate::base::safety::is_safe_url(u));
    let none = |state, url| RegistrationView {
        state,
        url,
        sentence: String::new(),
        count: None,
    };
    let stage = site
        .stages
        .iter()
        .find(|s| s.kind == StageKind::Registration && matches!(s.when, When::Exact(_)));
    let Some((stage, When::Exact(span))) = stage.map(|s| (s, &s.when)) else {
        let open = url.is_some() && !sched.ended();
        return none(if open { "open" } else { "none" }, url.filter(|_| open));
    };
    let tz = &site.time_zone;
    match sched.stage(stage) {
        StageStatus::Upcoming { .. } => RegistrationView {
            state: "upcoming",
            url: None,
            sentence: lx.words.f("registration_opens_on", &[("date", &lx.date(span.start))]),
            count: Some(days_until(lx, "registration_opens_in", span.start, lx.instant(span.opens(tz)))),
        },
        StageStatus::Current { .. } => RegistrationView {
            state: "open",
            url,
            sentence: lx.words.f("registration_closes_on", &[("date", &lx.date(span.end))]),
            count: Some(days_left(
                lx,
                "registration_days_left",
                span.end,
                lx.instant(span.closes(tz) - jiff::SignedDuration::from_secs(1)),
            )),
        },
        _ => RegistrationView {
            state: "closed",
            url: None,
            sentence: lx.words.f("registration_closed_on", &[("date", &lx.date(span.end))]),
            count: None,
        },
    }
}
