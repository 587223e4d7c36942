//! Results: the lists published for public comment (公示), with the
//! publicity stages whose list is not out yet, and each list by track and
//! award level with the channel for objections.

use super::frame::{finish, Frame};
use super::views::{publicity_ref, stage_view, PublicityRef};
use crate::base::diag::Diagnostic;
use crate::model::{Entry, Publicity, StageKind};
use serde::Serialize;

#[derive(Serialize)]
struct ExpectedView {
    name: String,
    date: String,
    status_text: String,
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
}

pub fn index(mut f: Frame) -> Result<String, Diagnostic> {
    let lx = f.pc.lx;
    let (site, sched) = (lx.site, lx.sched);
    f.meta.title = lx.words.s("publicity");
    let lists = sched.lists(site).filter_map(|(p, _)| publicity_ref(lx, &f.root, p)).collect();
    // Publicity stages of the timeline whose list is not out yet.
    let out = |stage: &str| sched.lists(site).any(|(p, _)| p.stage.as_deref() == Some(stage));
    let expected = site
        .stages
        .iter()
        .filter(|s| s.kind == StageKind::Publicity && !out(&s.id))
        .map(|s| {
            let v = stage_view(lx, s);
            ExpectedView {
                name: lx.text(&s.name),
                date: v.date,
                status_text: v.status_text,
            }
        })
        .collect();
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
    };
    finish(f.pc, "publicity.html", f.meta, data)
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
