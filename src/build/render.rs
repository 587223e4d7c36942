//! The one render path: a loaded, scheduled site into a sink — the files
//! the pages depend on first (static files under their fingerprints, the
//! search index, the calendar and open data), then every page in every
//! language in parallel, then the rest (attachments, feeds, sitemap,
//! `build.json`, and the manifest of all of it). What to render is every
//! page, or the pages an edit touches with the others taken from the
//! previous output; where it goes is the sink's business (memory, disk).

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::context::Lang;
use crate::emit::links::Checker;
use crate::emit::{Bytes, Output, Sink};
use crate::markdown::Markdown;
use crate::model::Site;
use crate::msg;
use crate::outputs::search::EntryCache;
use crate::outputs::{assets, calendar, feed, opendata, search, sitemap, status};
use crate::render::context::{Beside, PageCx};
use crate::render::pages::{self, Page};
use crate::schedule::Schedule;
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Figures for the build report.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// lang → number of HTML pages.
    pub pages: BTreeMap<String, usize>,
    /// Pages rendered by this build (the others were kept from before).
    pub rendered: usize,
    /// The files under `files/` that published pages link to (names
    /// relative to `files/`): the only ones published.
    pub attachments: BTreeSet<String>,
}

/// Which pages to render.
pub enum Selection<'a> {
    /// Every page.
    All,
    /// Only the pages with these keys (`notices/x/`, `""` for home…); the
    /// others are the previous output's, unchanged.
    Touched { previous: &'a Output, keys: BTreeSet<String> },
}

/// What a site is rendered from.
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub sched: &'a Schedule,
    pub theme: &'a Theme,
    pub markdown: &'a Markdown,
    /// Notices' search index entries kept between builds (`serve`).
    pub search_entries: Option<&'a EntryCache>,
    /// Write `manifest.json` (not in a preview).
    pub manifest: bool,
}

/// The files of one language that the pages name or measure.
struct LangFiles {
    index: Vec<u8>,
    calendar: Vec<u8>,
    data: Vec<(&'static str, Vec<u8>)>,
}

/// Renders the site into `sink`.
pub fn render_site(inp: &Inputs, selection: &Selection, sink: &dyn Sink) -> Result<Stats, Diagnostics> {
    let site = inp.site;
    let statics = assets::statics(inp.theme, inp.markdown.highlighter.css());
    let langs: Vec<Lang> = site
        .languages
        .iter()
        .map(|l| Lang::new(site, inp.sched, inp.theme, inp.markdown, l))
        .collect();
    // Each language on a thread.
    let files: Vec<LangFiles> = langs
        .par_iter()
        .map(|lx| LangFiles {
            index: search::index_json(site, inp.sched, lx.lang, &|md| inp.markdown.plain(md), inp.search_entries),
            calendar: calendar::calendar(lx).into_bytes(),
            data: opendata::files(lx),
        })
        .collect();
    let contexts: Vec<PageCx> = langs
        .iter()
        .zip(&files)
        .map(|(lx, f)| PageCx::new(lx, inp.theme, &statics.assets, beside(f)))
        .collect();
    let page_list = pages::list(site, inp.sched);
    let checker = Checker::new(known_paths(site, &langs, &statics, &page_list), &site.base_path());
    let stats = render_pages(&page_list, &contexts, selection, sink, &checker)?;
    let mut rest: Vec<(String, Vec<u8>)> = Vec::new();
    let mut diags = Diagnostics::default();
    for name in &stats.attachments {
        let Some(path) = site.files.get(name) else { continue };
        match std::fs::read(path) {
            Ok(b) => rest.push((format!("files/{name}"), b)),
            Err(e) => diags.push(Diagnostic::error(path, msg!("cannot_read_attachment", e = e))),
        }
    }
    for (name, bytes) in statics.files {
        rest.push((statics.assets[&name].path.clone(), bytes));
    }
    for (lx, f) in langs.iter().zip(files) {
        rest.push((format!("{}search/index.json", lx.prefix), f.index));
        rest.push((format!("{}timeline.ics", lx.prefix), f.calendar));
        rest.extend(f.data.into_iter().map(|(name, bytes)| (format!("{}data/{name}", lx.prefix), bytes)));
        rest.push((format!("{}atom.xml", lx.prefix), feed::atom(lx).into_bytes()));
    }
    rest.extend(
        opendata::SCHEMAS
            .iter()
            .map(|(name, text)| (format!("data/schema/{name}"), text.as_bytes().to_vec())),
    );
    let keys: Vec<&str> = page_list.iter().filter(|p| p.key != "404.html").map(|p| p.key.as_str()).collect();
    let tag = |l: &str| {
        contexts
            .iter()
            .find(|c| c.lx.lang == l)
            .map_or_else(|| l.to_string(), |c| c.lx.tag.clone())
    };
    rest.push(("sitemap.xml".into(), sitemap::sitemap(site, &keys, tag).into_bytes()));
    rest.push(("robots.txt".into(), sitemap::robots(site).into_bytes()));
    rest.push(("build.json".into(), status::build_json(site, inp.sched, &stats.pages).into_bytes()));
    put_all(sink, rest, &mut diags);
    if inp.manifest && !diags.has_errors() {
        // Last: it lists every other file.
        let manifest = crate::emit::manifest::manifest(&sink.listed()).into_bytes();
        put_all(sink, vec![("manifest.json".into(), manifest)], &mut diags);
    }
    if !sink.failed() {
        let broken = checker.finish(|p| sink.get(p));
        diags.extend(super::links::diagnostics(site, broken, &inp.theme.dir));
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(stats)
    }
}

/// Every path the site's output will have, known before a page is made:
/// what a link may lead to.
fn known_paths(site: &Site, langs: &[Lang], statics: &assets::Statics, page_list: &[Page]) -> HashSet<String> {
    let mut known: HashSet<String> = langs.iter().flat_map(|lx| page_list.iter().map(|p| p.path(&lx.prefix))).collect();
    known.extend(site.files.keys().map(|f| format!("files/{f}")));
    known.extend(statics.assets.values().map(|a| a.path.clone()));
    for lx in langs {
        let p = &lx.prefix;
        known.extend(["search/index.json", "timeline.ics", "atom.xml"].map(|f| format!("{p}{f}")));
        known.extend(opendata::NAMES.map(|f| format!("{p}data/{f}")));
    }
    known.extend(opendata::SCHEMAS.map(|(f, _)| format!("data/schema/{f}")));
    known.extend(["sitemap.xml", "robots.txt", "build.json", "manifest.json"].map(str::to_string));
    known
}

/// What the pages learn from a language's files: the index's address with
/// its hash, the sizes of the data files and the calendar.
fn beside(f: &LangFiles) -> Beside {
    Beside {
        search_index: format!("index.json?v={}", &crate::base::digest::sha256_hex(&f.index)[..10]),
        data_files: f.data.iter().map(|(n, b)| (n.to_string(), b.len() as u64)).collect(),
        calendar_size: f.calendar.len() as u64,
    }
}

/// Hands files to the sink, in parallel (a search index is megabytes to
/// hash and write); the first failure is the one reported.
fn put_all(sink: &dyn Sink, files: Vec<(String, Vec<u8>)>, diags: &mut Diagnostics) {
    let failure = std::sync::Mutex::new(None);
    files.into_par_iter().for_each(|(path, bytes)| {
        if sink.failed() {
            return;
        }
        if let Err(e) = sink.put(&path, bytes.into()) {
            failure
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(write_error(sink, &path, e));
        }
    });
    diags.extend_from(failure.into_inner().unwrap_or_else(|e| e.into_inner()));
}

fn write_error(sink: &dyn Sink, path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(sink.place(path), msg!("cannot_write_output", e = e)).hint(msg!("check_output_folder_writable"))
}

/// How one page in one language went.
enum Rendered {
    /// Put into the sink: (language, whether it was rendered now rather
    /// than kept, the attachments it links to).
    Done(bool, Vec<String>),
    Failed(Diagnostic),
    /// The sink refused it (a full disk): said once, by the first.
    NotWritten(Diagnostic),
    /// Not tried: the sink had already refused a page.
    Skipped,
}

/// Every page in every language, in parallel: page by page, each in every
/// language (rayon splits the list into halves, so the threads work on
/// different pages, and a page's languages — which share their code
/// blocks — meet on one thread, where the second finds the first's
/// highlighting done).
fn render_pages(
    page_list: &[Page],
    contexts: &[PageCx],
    selection: &Selection,
    sink: &dyn Sink,
    checker: &Checker,
) -> Result<Stats, Diagnostics> {
    let base = contexts.first().map(|c| c.lx.site.base_path()).unwrap_or_default();
    let work: Vec<(&PageCx, &Page)> = page_list.iter().flat_map(|p| contexts.iter().map(move |c| (c, p))).collect();
    let results: Vec<Rendered> = work
        .par_iter()
        .map(|(pc, page)| one_page(pc, page, selection, sink, &base, checker))
        .collect();
    let mut stats = Stats::default();
    let mut diags = Diagnostics::default();
    let mut write_failed = false;
    for (r, (pc, _)) in results.into_iter().zip(&work) {
        match r {
            Rendered::Done(now, refs) => {
                *stats.pages.entry(pc.lx.lang.to_string()).or_default() += 1;
                stats.rendered += usize::from(now);
                stats.attachments.extend(refs);
            }
            Rendered::Failed(d) => diags.push(d),
            Rendered::NotWritten(d) if !write_failed => {
                write_failed = true;
                diags.push(d);
            }
            Rendered::NotWritten(_) | Rendered::Skipped => {}
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(stats)
    }
}

fn one_page(pc: &PageCx, page: &Page, selection: &Selection, sink: &dyn Sink, base: &str, checker: &Checker) -> Rendered {
    if sink.failed() {
        return Rendered::Skipped;
    }
    if let Selection::Touched { previous, keys } = selection {
        let path = page.path(&pc.lx.prefix);
        if let (false, Some(bytes)) = (keys.contains(&page.key), previous.files.get(&path)) {
            return put_page(sink, &path, bytes.clone(), false, base, checker);
        }
    }
    match pages::render(pc, page) {
        Ok((path, bytes)) => put_page(sink, &path, bytes.into(), true, base, checker),
        Err(d) => Rendered::Failed(d),
    }
}

fn put_page(sink: &dyn Sink, path: &str, bytes: Bytes, now: bool, base: &str, checker: &Checker) -> Rendered {
    let refs = crate::emit::links::attachments(path, &bytes, base);
    checker.page(path, &bytes);
    match sink.put(path, bytes) {
        Ok(()) => Rendered::Done(now, refs),
        Err(e) => Rendered::NotWritten(write_error(sink, path, e)),
    }
}
