//! The search page: a form the script (`static/search.js`) answers from
//! the language's index, and, for readers without JavaScript, every topic
//! by track.

use super::frame::{finish, script, Frame};
use super::views::{topic_ref, Alternate, TopicRef};
use crate::base::diag::Diagnostic;
use serde::Serialize;

#[derive(Serialize)]
struct SearchTrack {
    id: String,
    number: String,
    name: String,
    href: String,
    topics: Vec<TopicRef>,
}

#[derive(Serialize)]
struct SearchView {
    tracks: Vec<SearchTrack>,
    /// `index.json?v=<hash>`, relative to the search page.
    index: String,
    /// The search pages of the other languages ("Search in English", in
    /// that language), for a query that finds nothing here.
    elsewhere: Vec<Alternate>,
}

pub fn render(mut f: Frame) -> Result<String, Diagnostic> {
    let pc = f.pc;
    let lx = pc.lx;
    f.meta.title = lx.words.s("search");
    f.meta.scripts = script(pc, &f.root, "search.js");
    let root = &f.root;
    let tracks = lx
        .site
        .tracks
        .iter()
        .map(|t| SearchTrack {
            id: t.id.clone(),
            number: lx.words.f("track_number", &[("n", &t.number.to_string())]),
            name: lx.text(&t.name),
            href: lx.link(root, lx.lang, &format!("tracks/{}/", t.id)),
            topics: t.topics.iter().map(|tp| topic_ref(lx, root, t, tp)).collect(),
        })
        .collect();
    let elsewhere = lx
        .site
        .languages
        .iter()
        .filter(|l| *l != lx.lang)
        .map(|l| Alternate {
            lang: l.clone(),
            tag: pc.tag_of(l),
            name: pc
                .theme
                .i18n
                .get(l)
                .and_then(|t| t.get("search_elsewhere"))
                .cloned()
                .unwrap_or_default(),
            href: lx.link(root, l, "search/"),
            abs: String::new(),
        })
        .collect();
    let data = SearchView {
        tracks,
        index: pc.search_index.clone(),
        elsewhere,
    };
    finish(pc, "search.html", f.meta, data)
}
