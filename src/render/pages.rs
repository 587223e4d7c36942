//! Which pages a site has at an instant, and the rendering of one: each
//! kind of page is a file of this folder with its own view.
//!
//! A page refers to what it shows (a notice, a track and a topic) by
//! reference, never by a position in the site's lists.

use super::context::PageCx;
use super::frame::{meta, root_for, Frame};
use super::{awards, criteria, data, free, home, notices, results, search, timeline, tracks};
use crate::base::diag::Diagnostic;
use crate::model::{Notice, Page as FreePage, Publicity, Site, Topic, Track};
use crate::schedule::Schedule;
use std::sync::Arc;

/// What a page shows, independent of language.
#[derive(Clone, Copy)]
pub enum Kind<'a> {
    Home,
    Notices,
    Notice(&'a Arc<Notice>),
    Tracks,
    Track(&'a Track),
    Topic(&'a Track, &'a Topic),
    Timeline,
    Awards,
    Criteria,
    PublicityIndex,
    Publicity(&'a Publicity),
    Free(&'a FreePage),
    Search,
    Data,
    NotFound,
}

/// One page, in every language.
pub struct Page<'a> {
    pub kind: Kind<'a>,
    /// Language-neutral key: `""` for home, `notices/x/` …, `404.html`.
    pub key: String,
}

impl Page<'_> {
    /// The output file of this page in the language whose prefix is given.
    pub fn path(&self, prefix: &str) -> String {
        if self.key.ends_with(".html") {
            format!("{prefix}{}", self.key)
        } else {
            format!("{prefix}{}index.html", self.key)
        }
    }

    /// Does this page show which notices are published (a list of them,
    /// or a fact about all of them)? An edit that changes one notice
    /// re-renders these pages and that notice's own, nothing else.
    pub fn shows_notices(&self) -> bool {
        // The home page lists the latest; the search page names the index
        // by its hash, and the index holds the notices; the data page
        // shows the size of `data/notices.json`.
        matches!(self.kind, Kind::Home | Kind::Notices | Kind::Search | Kind::Data)
    }

    /// Is this the page of a notice?
    pub fn notice(&self) -> Option<&Notice> {
        match self.kind {
            Kind::Notice(n) => Some(n),
            _ => None,
        }
    }

    /// The section the page belongs to in the main menu.
    fn section(&self) -> &str {
        match self.kind {
            Kind::Home => "home",
            Kind::Notices | Kind::Notice(_) => "notices",
            Kind::Tracks | Kind::Track(_) | Kind::Topic(..) => "tracks",
            Kind::Timeline => "timeline",
            Kind::Awards => "awards",
            Kind::Criteria => "criteria",
            Kind::PublicityIndex | Kind::Publicity(_) => "publicity",
            Kind::Free(p) => p.slug.as_str(),
            Kind::Search => "search",
            Kind::Data => "data",
            Kind::NotFound => "",
        }
    }
}

/// Every page of the site at the schedule's instant: what is published,
/// and the sections the site has.
pub fn list<'a>(site: &'a Site, sched: &'a Schedule) -> Vec<Page<'a>> {
    let page = |kind: Kind<'a>, key: String| Page { kind, key };
    let mut v: Vec<Page<'a>> = [
        (Kind::Home, ""),
        (Kind::Notices, "notices/"),
        (Kind::Tracks, "tracks/"),
        (Kind::Timeline, "timeline/"),
        (Kind::PublicityIndex, "publicity/"),
        (Kind::Search, "search/"),
        (Kind::Data, "data/"),
        (Kind::NotFound, "404.html"),
    ]
    .into_iter()
    .map(|(k, key)| page(k, key.to_string()))
    .collect();
    v.extend(sched.notices(site).map(|n| page(Kind::Notice(n), format!("notices/{}/", n.slug))));
    for t in &site.tracks {
        v.push(page(Kind::Track(t), format!("tracks/{}/", t.id)));
        v.extend(
            t.topics
                .iter()
                .map(|tp| page(Kind::Topic(t, tp), format!("tracks/{}/{}/", t.id, tp.id))),
        );
    }
    if site.awards.is_some() {
        v.push(page(Kind::Awards, "awards/".into()));
    }
    if site.criteria.is_some() {
        v.push(page(Kind::Criteria, "criteria/".into()));
    }
    v.extend(
        sched
            .lists(site)
            .map(|(p, _)| page(Kind::Publicity(p), format!("publicity/{}/", p.slug))),
    );
    v.extend(sched.pages(site).map(|p| page(Kind::Free(p), format!("{}/", p.slug))));
    v
}

/// One page in one language: its output path and bytes.
pub fn render(pc: &PageCx, page: &Page) -> Result<(String, Vec<u8>), Diagnostic> {
    let path = page.path(&pc.lx.prefix);
    let root = match page.kind {
        Kind::NotFound => pc.lx.site.base_path(),
        _ => root_for(&path),
    };
    let f = Frame {
        pc,
        meta: meta(pc, &root, &page.key, page.section()),
        root,
    };
    let html = match page.kind {
        Kind::Home => home::render(f)?,
        Kind::Notices => notices::list(f)?,
        Kind::Notice(n) => notices::notice(f, n)?,
        Kind::Tracks => tracks::list(f)?,
        Kind::Track(t) => tracks::track(f, t)?,
        Kind::Topic(t, tp) => tracks::topic(f, t, tp)?,
        Kind::Timeline => timeline::render(f)?,
        Kind::Awards => awards::render(f)?,
        Kind::Criteria => criteria::render(f)?,
        Kind::PublicityIndex => results::index(f)?,
        Kind::Publicity(p) => results::list(f, p)?,
        Kind::Free(p) => free::page(f, p)?,
        Kind::Search => search::render(f)?,
        Kind::Data => data::render(f)?,
        Kind::NotFound => free::not_found(f)?,
    };
    Ok((path, html.into_bytes()))
}
