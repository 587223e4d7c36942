//! Tracks and topics: the list of tracks, a track with its groups, topics
//! and places per award level, and a topic with its guide.

use super::frame::{finish, Frame};
use super::views::{topic_ref, Link, TopicRef};
use crate::base::diag::Diagnostic;
use crate::model::{Topic, Track};
use serde::Serialize;

#[derive(Serialize)]
struct TrackRef {
    number: String,
    name: String,
    href: String,
    guiding_unit: String,
    topics: usize,
    topics_text: String,
}

#[derive(Serialize)]
struct TracksView {
    tracks: Vec<TrackRef>,
    topics_total: String,
}

#[derive(Serialize)]
struct GroupView {
    id: String,
    name: String,
    intro: String,
    topics: Vec<TopicRef>,
}

#[derive(Serialize)]
struct TrackView {
    number: String,
    name: String,
    guiding_unit: String,
    intro: String,
    groups: Vec<GroupView>,
    awards: Vec<Link>,
}

#[derive(Serialize)]
struct TopicView {
    track: Link,
    group: String,
    number: String,
    title: String,
    body: String,
    prev: Option<TopicRef>,
    next: Option<TopicRef>,
}

pub fn list(mut f: Frame) -> Result<String, Diagnostic> {
    let lx = f.pc.lx;
    let site = lx.site;
    f.meta.title = lx.words.s("tracks");
    let total: usize = site.tracks.iter().map(|t| t.topics.len()).sum();
    let tracks = site
        .tracks
        .iter()
        .map(|t| {
            let n = t.topics.len();
            TrackRef {
                number: lx.words.f("track_number", &[("n", &t.number.to_string())]),
                name: lx.text(&t.name),
                href: lx.link(&f.root, lx.lang, &format!("tracks/{}/", t.id)),
                guiding_unit: lx.opt(&t.guiding_unit),
                topics: n,
                topics_text: lx.words.f(
                    if n == 1 { "topics_count_one" } else { "topics_count_other" },
                    &[("n", &n.to_string())],
                ),
            }
        })
        .collect();
    let data = TracksView {
        tracks,
        topics_total: lx.words.f(
            "tracks_total",
            &[("tracks", &site.tracks.len().to_string()), ("topics", &total.to_string())],
        ),
    };
    finish(f.pc, "tracks.html", f.meta, data)
}

pub fn track(mut f: Frame, t: &Track) -> Result<String, Diagnostic> {
    let lx = f.pc.lx;
    f.meta.title = lx.text(&t.name);
    f.crumb("tracks/", lx.words.s("tracks"));
    let root = &f.root;
    let groups = if t.groups.is_empty() {
        vec![GroupView {
            id: String::new(),
            name: String::new(),
            intro: String::new(),
            topics: t.topics.iter().map(|tp| topic_ref(lx, root, t, tp)).collect(),
        }]
    } else {
        t.groups
            .iter()
            .map(|g| GroupView {
                id: g.id.clone(),
                name: lx.text(&g.name),
                intro: lx.md_opt(&g.intro),
                topics: t
                    .topics
                    .iter()
                    .filter(|tp| tp.group.as_deref() == Some(&g.id))
                    .map(|tp| topic_ref(lx, root, t, tp))
                    .collect(),
            })
            .collect()
    };
    let awards = lx
        .site
        .awards
        .as_ref()
        .map(|a| {
            let counts = a.counts.get(&t.id).map(Vec::as_slice).unwrap_or_default();
            a.levels
                .iter()
                .zip(counts)
                .filter(|(_, c)| **c > 0)
                .map(|(l, c)| Link {
                    href: String::new(),
                    label: lx.words.f("award_places", &[("level", &lx.text(&l.name)), ("n", &c.to_string())]),
                })
                .collect()
        })
        .unwrap_or_default();
    let data = TrackView {
        number: lx.words.f("track_number", &[("n", &t.number.to_string())]),
        name: lx.text(&t.name),
        guiding_unit: lx.opt(&t.guiding_unit),
        intro: lx.md_opt(&t.intro),
        groups,
        awards,
    };
    finish(f.pc, "track.html", f.meta, data)
}

pub fn topic(mut f: Frame, t: &Track, tp: &Topic) -> Result<String, Diagnostic> {
    let lx = f.pc.lx;
    let (title, body, fallback) = match tp.text.get(lx.lang, lx.default) {
        Some((doc, fallback)) => (doc.title.clone(), lx.md(&doc.body), fallback),
        None => Default::default(),
    };
    f.meta.fallback = fallback;
    f.meta.title = title.clone();
    f.crumb("tracks/", lx.words.s("tracks"));
    f.crumb(&format!("tracks/{}/", t.id), lx.text(&t.name));
    let root = &f.root;
    let at = t.topics.iter().position(|x| x.id == tp.id).unwrap_or(0);
    let data = TopicView {
        track: Link {
            href: lx.link(root, lx.lang, &format!("tracks/{}/", t.id)),
            label: lx.text(&t.name),
        },
        group: tp
            .group
            .as_ref()
            .and_then(|g| t.groups.iter().find(|x| &x.id == g))
            .map(|g| lx.text(&g.name))
            .unwrap_or_default(),
        number: lx.words.f("topic_number", &[("n", &tp.number.to_string())]),
        title,
        body,
        prev: at.checked_sub(1).map(|j| topic_ref(lx, root, t, &t.topics[j])),
        next: t.topics.get(at + 1).map(|x| topic_ref(lx, root, t, x)),
    };
    finish(f.pc, "topic.html", f.meta, data)
}
