//! Results: the lists published for public comment (公示), with the
//! publicity stages whose list is not out yet, and each list by track and
//! award level with the channel for objections.

use super::frame::{finish, with_clock, Frame};
use super::views::{days_left, publicity_ref, DaysView, PublicityRef};
use crate::base::diag::Diagnostic;
use crate::context::Lang;
use crate::model::{Entry, Publicity, Stage, StageKind, When};
use crate::schedule::StageStatus;
use serde::Serialize;

/// A publicity stage of the timeline whose list is not on the site: one
/// sentence for where it stands.
#[derive(Serialize)]
struct ExpectedView {
    name: String,
    sentence: String,
    count: Option<DaysView>,
}

#[derive(Serialize)]
struct PublicityIndexView {
    lists: Vec<PublicityRef>,
    expected: Vec<ExpectedView>,
}

#[derive(Serialize)]
struct EntryView {
    level: String,
    project: String,
    entrant: String,
}

#[derive(Serialize)]
struct EntryGroup {
    track: String,
    entries: Vec<EntryView>,
}

#[derive(Serialize)]
struct PublicityView {
    list: PublicityRef,
    intro: String,
    objection: String,
    objection_email: Option<String>,
    objection_phone: Option<String>,
    deadline: String,
    groups: Vec<EntryGroup>,
    count: usize,
    /// Whether the entries have award levels (a winners list); a
    /// finalists list has no such column.
    levels: bool,
}

pub fn index(mut f: Frame) -> Result<String, Diagnostic> {
    let lx = f.pc.lx;
    let (site, sched) = (lx.site, lx.sched);
    f.meta.title = lx.words.s("publicity");
    let lists = sched.lists(site).filter_map(|(p, _)| publicity_ref(lx, &f.root, p)).collect();
    // Publicity stages of the timeline whose list is not out.
    let out = |stage: &str| sched.lists(site).any(|(p, _)| p.stage.as_deref() == Some(stage));
    let expected = site
        .stages
        .iter()
        .filter(|s| s.kind == StageKind::Publicity && !out(&s.id))
        .map(|s| expected(lx, s))
        .collect();
    with_clock(f.pc, &mut f.meta, &f.root.clone());
    finish(f.pc, "publicity_index.html", f.meta, PublicityIndexView { lists, expected })
}

pub fn list(mut f: Frame, p: &Publicity) -> Result<String, Diagnostic> {
    let lx = f.pc.lx;
    f.meta.title = lx.text(&p.title);
    f.crumb("publicity/", lx.words.s("publicity"));
    let Some(list) = publicity_ref(lx, &f.root, p) else {
        return Err(Diagnostic::error(
            &lx.site.content_dir,
            crate::msg!("cannot_prepare_page", e = &p.slug),
        ));
    };
    let data = PublicityView {
        list,
        intro: lx.md_opt(&p.intro),
        objection: p.objection.as_ref().map(|o| lx.md_opt(&o.text)).unwrap_or_default(),
        objection_email: p.objection.as_ref().and_then(|o| o.email.clone()),
        objection_phone: p.objection.as_ref().and_then(|o| o.phone.clone()),
        deadline: lx.words.f("objection_deadline", &[("date", &lx.date(p.window.end))]),
        groups: groups(&f, p),
        count: p.entries.len(),
        levels: p.entries.iter().any(|e| e.level.is_some()),
    };
    with_clock(f.pc, &mut f.meta, &f.root.clone());
    finish(f.pc, "publicity.html", f.meta, data)
}

/// Where a publicity stage without its list stands, in one sentence: the
/// list will be posted here during its days; the period is under way (the
/// list is not on this site); the period has ended. For a stage without
/// dates, what the notice says, and whether that time has come.
fn expected(lx: &Lang, s: &Stage) -> ExpectedView {
    let status = lx.sched.stage(s);
    let (sentence, count) = match &s.when {
        When::Exact(span) => {
            let range = lx.span(span.start, span.end);
            let key = match status {
                StageStatus::Upcoming { .. } => "results_will_appear",
                StageStatus::Current { .. } => "results_window_open_no_list",
                _ => "results_window_closed",
            };
            let count = matches!(status, StageStatus::Current { .. }).then(|| {
                let last = span.closes(&lx.site.time_zone) - jiff::SignedDuration::from_secs(1);
                days_left(lx, "window_days_left", span.end, lx.instant(last))
            });
            (lx.words.f(key, &[("range", &range)]), count)
        }
        When::Approx(a) => {
            let key = match status {
                StageStatus::Done => "results_approx_over",
                StageStatus::Started => "results_approx_started",
                _ => "results_approx",
            };
            (lx.words.f(key, &[("when", &lx.text(&a.text))]), None)
        }
    };
    ExpectedView {
        name: lx.text(&s.name),
        sentence,
        count,
    }
}

/// The entries by track (in track order), then by award level, each group
/// headed by its track's name.
fn groups(f: &Frame, p: &Publicity) -> Vec<EntryGroup> {
    let lx = f.pc.lx;
    let site = lx.site;
    let rank = |e: &Entry| {
        let track = e.track.as_ref().and_then(|t| site.tracks.iter().position(|x| &x.id == t));
        let level = e.level.as_ref().and_then(|l| site.level(l)).map(|(rank, _)| rank);
        (track.unwrap_or(usize::MAX), level.unwrap_or(usize::MAX))
    };
    let mut order: Vec<(usize, usize, usize, &Entry)> = p
        .entries
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let (t, l) = rank(e);
            (t, l, k, e)
        })
        .collect();
    order.sort_by_key(|(t, l, k, _)| (*t, *l, *k));
    let mut groups: Vec<EntryGroup> = Vec::new();
    for (_, _, _, e) in order {
        let track = e.track.as_ref().map(|t| lx.track_name(t)).unwrap_or_else(|| lx.words.s("no_track"));
        if groups.last().is_none_or(|g| g.track != track) {
            groups.push(EntryGroup {
                track: track.clone(),
                entries: Vec::new(),
            });
        }
        if let Some(g) = groups.last_mut() {
            g.entries.push(EntryView {
                level: e.level.as_ref().and_then(|l| lx.level_name(l)).unwrap_or_default(),
                project: lx.text(&e.project),
                entrant: lx.text(&e.entrant),
            });
        }
    }
    groups
}
