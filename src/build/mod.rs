//! The pipeline, one stage a function: load → schedule → render → write
//! (a [`DiskSink`], into a staging folder swapped in whole: see
//! [`crate::emit::publish`]).
//!
//! `build`, `check` and `serve` share everything up to the output tree and
//! differ only in what they do with it. Nothing here reads the clock: "now"
//! arrives as an argument.

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::base::time::SpanStatus;
use crate::emit::publish::DiskSink;
use crate::load;
use crate::markdown::Markdown;
use crate::model::{Site, When};
use crate::msg;
use crate::render::{self, Output, Stats};
use crate::schedule::{self, Schedule, StageStatus};
use crate::theme;
use jiff::Timestamp;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The project folder (holding `sites/` and `content/`).
    pub root: PathBuf,
    /// The folder holding the themes (usually `<root>/themes`).
    pub themes: PathBuf,
    /// Sites to build; empty for all.
    pub sites: Vec<String>,
    pub now: Timestamp,
    /// Overrides every site's `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Write `.gz` copies of text files.
    pub precompress: bool,
    /// A preview (`serve`): no deploy manifest, nothing for the CDN.
    pub preview: bool,
}

/// One site, built in memory.
pub struct BuiltSite {
    pub site: Site,
    pub schedule: Schedule,
    pub output: Output,
    pub stats: Stats,
    pub elapsed: std::time::Duration,
}

/// What one process keeps between builds (`serve` rebuilds many times):
/// compiled themes and highlighted code. A one-off build starts empty.
#[derive(Default)]
pub struct Caches {
    pub markdown: Markdown,
    /// Parsed notices, in `serve` (see [`Caches::for_serve`]).
    pub notices: load::NoticeCache,
    /// Compiled themes: the shared one (key `None`) and those of sites
    /// that override it (key: the site's folder).
    themes: Mutex<BTreeMap<Option<PathBuf>, Arc<theme::Theme>>>,
    /// Themes actually compiled (cache misses).
    pub theme_loads: std::sync::atomic::AtomicUsize,
}

impl Caches {
    /// Caches for a process that builds again and again (`serve`): rendered
    /// Markdown is kept too.
    pub fn for_serve() -> Caches {
        let mut c = Caches::default();
        c.markdown.remember = true;
        c
    }

    /// Caches that remember nothing (every block highlighted, every
    /// document rendered, each time): the plain build that the optimized
    /// one must equal.
    pub fn forgetful() -> Caches {
        let mut c = Caches::default();
        c.markdown.highlighter.forgetful = true;
        c
    }

    /// Keeps highlighted code in `dir` (usually `<project>/.podium-cache`)
    /// too, so that a later process highlights only blocks it has not seen.
    pub fn store_in(mut self, dir: &Path) -> Caches {
        let mut hl = crate::markdown::Highlighter::with_store(dir.join("highlight.bin"));
        hl.forgetful = self.markdown.highlighter.forgetful;
        self.markdown.highlighter = hl;
        self
    }

    /// Writes what the caches keep on disk (see [`Caches::store_in`]).
    pub fn save(&self) {
        self.markdown.highlighter.save();
    }

    /// The compiled theme for a site, compiling it on first use.
    fn theme(&self, theme_dir: &Path, site_dir: &Path, diags: &mut Diagnostics) -> Option<Arc<theme::Theme>> {
        let key = theme::has_overrides(site_dir).then(|| site_dir.to_path_buf());
        let mut themes = self.themes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = themes.get(&key) {
            return Some(t.clone());
        }
        self.theme_loads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match theme::load(theme_dir, key.as_deref()) {
            Ok(t) => {
                let t = Arc::new(t);
                themes.insert(key, t.clone());
                Some(t)
            }
            Err(d) => {
                diags.extend(d);
                None
            }
        }
    }

    /// Drops the compiled themes: a template, string or static file changed.
    pub fn forget_themes(&self) {
        self.themes.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// Loads, schedules and renders the chosen sites. Returns every built site
/// and all diagnostics; a site with errors is left out of the result.
pub fn build_all(opts: &BuildOptions) -> (Vec<BuiltSite>, Diagnostics) {
    build_with(opts, &Caches::default())
}

/// [`build_all`] with caches that outlive the build.
pub fn build_with(opts: &BuildOptions, caches: &Caches) -> (Vec<BuiltSite>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut built = Vec::new();
    for id in chosen_sites(opts, &mut diags) {
        built.extend(build_site(opts, caches, &id, None, &mut diags));
    }
    (built, diags)
}

/// The sites `opts` asks for (all, or those named), each named one that
/// does not exist reported with the nearest name.
pub fn chosen_sites(opts: &BuildOptions, diags: &mut Diagnostics) -> Vec<String> {
    let all = load::site_ids(&opts.root);
    let ids: Vec<String> = if opts.sites.is_empty() {
        if all.is_empty() {
            diags.push(
                Diagnostic::error(opts.root.join("sites"), msg!("there_are_no_sites_build"))
                    .hint(msg!("create_sites_id_site_yaml_content")),
            );
        }
        all.clone()
    } else {
        for s in &opts.sites {
            if !all.contains(s) {
                let hint = crate::base::text::suggestion(s, &all);
                diags.push(Diagnostic::error(opts.root.join("sites").join(s), msg!("there_no_site", s = s)).hint(hint));
            }
        }
        opts.sites.iter().filter(|s| all.contains(s)).cloned().collect()
    };
    ids
}

/// What an edit changed, for a rebuild that keeps the pages it cannot
/// affect: the previous output and the files that changed.
pub type Edit<'a> = (&'a Output, &'a [PathBuf]);

/// Builds one site. With an [`Edit`] whose changed files are all notices,
/// and when the same notices are published as before, only those notices'
/// pages, the notice list, the home page and the data page are rendered again; every
/// other page is the previous output's (they do not show notices). The
/// result is the same as a full build's (`tests/serve.rs` compares).
pub fn build_site(opts: &BuildOptions, caches: &Caches, id: &str, edit: Option<Edit>, diags: &mut Diagnostics) -> Option<BuiltSite> {
    build_site_to(opts, caches, id, edit, None, diags)
}

/// [`build_site`], writing the pages into `sink` as they are rendered
/// (`podium build`): the result's output then holds every other file, and
/// its manifest lists the pages too. Nothing is swapped in here: see
/// [`crate::emit::publish::publish`].
pub fn build_site_to(
    opts: &BuildOptions,
    caches: &Caches,
    id: &str,
    edit: Option<Edit>,
    sink: Option<&DiskSink>,
    diags: &mut Diagnostics,
) -> Option<BuiltSite> {
    let started = Instant::now();
    // `serve` keeps parsed notices; an edit's files are read again even
    // if their size and time look the same.
    let notices = (caches.markdown.remember && !caches.markdown.highlighter.forgetful).then_some(&caches.notices);
    if let (Some(cache), Some((_, changed))) = (notices, edit) {
        let changed: Vec<PathBuf> = changed
            .iter()
            .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
            .collect();
        cache.forget(&changed);
    }
    let mut site = load::load_site_cached(&opts.root, id, diags, notices)?;
    if let Some(b) = &opts.base_url {
        match load::normalize_base_url(b) {
            Some(b) => site.base_url = b,
            None => {
                diags.push(
                    Diagnostic::error("--base-url", msg!("not_absolute_web_address", base_url = b)).hint(msg!("write_https_host_path")),
                );
                return None;
            }
        }
    }
    let site_dir = opts.root.join("sites").join(id);
    let theme = caches.theme(&opts.themes.join("default"), &site_dir, diags)?;
    let lang_problems = theme.check_languages(&site.languages, &site_dir.join("site.yaml"));
    if lang_problems.has_errors() {
        diags.extend(lang_problems);
        return None;
    }
    let sched = schedule::schedule(&site, opts.now, opts.drafts);
    let rerender = edit.and_then(|(previous, changed)| notice_only_edit(&site, &sched, previous, changed).map(|keys| (previous, keys)));
    let result = match &rerender {
        Some((previous, keys)) => {
            let pick = |key: &str| keys.iter().any(|k| k == key);
            render::render_site_reusing(&site, &sched, &theme, &caches.markdown, Some((previous, &pick)))
        }
        None => match sink {
            Some(sink) => {
                let reported = std::sync::atomic::AtomicBool::new(false);
                let put = |rel: &str, bytes: &[u8]| {
                    sink.put(rel, bytes).map_err(|e| {
                        // The first failure only; named where it was to
                        // go, not by the hidden temporary folder.
                        (!reported.swap(true, std::sync::atomic::Ordering::Relaxed)).then(|| {
                            Diagnostic::error(sink.out_dir.join(&sink.id).join(rel), msg!("cannot_write_output", e = e))
                                .hint(msg!("check_output_folder_writable"))
                        })
                    })
                };
                render::render_site_to(&site, &sched, &theme, &caches.markdown, None, Some(&put))
            }
            None => render::render_site(&site, &sched, &theme, &caches.markdown),
        },
    };
    match result {
        Ok((mut output, stats)) => {
            output
                .files
                .insert("build.json".into(), build_json(&site, &sched, &stats).into_bytes().into());
            if !opts.preview {
                if opts.precompress {
                    crate::emit::manifest::precompress(&mut output.files);
                }
                // Last: it lists every other file (and the pages a sink
                // took).
                let written = sink.map(|s| s.written()).unwrap_or_default();
                let manifest = crate::emit::manifest::manifest_with(&output.files, &written);
                output.files.insert("manifest.json".into(), manifest.into_bytes().into());
            }
            Some(BuiltSite {
                site,
                schedule: sched,
                output,
                stats,
                elapsed: started.elapsed(),
            })
        }
        Err(d) => {
            diags.extend(d);
            None
        }
    }
}

/// The page keys to render again when `changed` holds only notice files
/// and the published notices are the ones `previous` has; `None` otherwise.
fn notice_only_edit(site: &Site, sched: &Schedule, previous: &Output, changed: &[PathBuf]) -> Option<Vec<String>> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let notices_dir = canonical(&site.content_dir.join("notices"));
    // Files beside the notices that are not Markdown (an editor's swap or
    // temporary file) are no content: they change nothing.
    let changed: Vec<PathBuf> = changed
        .iter()
        .map(|p| canonical(p))
        .filter(|p| !(p.starts_with(&notices_dir) && p.extension().is_none_or(|e| e != "md")))
        .collect();
    if changed.is_empty() || !changed.iter().all(|p| p.starts_with(&notices_dir)) {
        return None;
    }
    let published: Vec<&str> = site
        .notices
        .iter()
        .zip(&sched.notice_published)
        .filter(|(_, p)| **p)
        .map(|(n, _)| n.slug.as_str())
        .collect();
    let before = previous
        .files
        .keys()
        .filter_map(|k| k.strip_prefix("notices/")?.strip_suffix("/index.html"))
        .filter(|s| !s.contains('/'))
        .count();
    if before != published.len()
        || !published
            .iter()
            .all(|s| previous.files.contains_key(&format!("notices/{s}/index.html")))
    {
        return None;
    }
    // The search page names the index by its hash, and the index holds
    // the notices; the data page shows the size of `data/notices.json`.
    let mut keys = vec![String::new(), "notices/".to_string(), "search/".to_string(), "data/".to_string()];
    for n in &site.notices {
        let slug_dot = format!("{}.", n.slug);
        if changed
            .iter()
            .any(|c| c.file_name().and_then(|f| f.to_str()).is_some_and(|f| f.starts_with(&slug_dot)))
        {
            keys.push(format!("notices/{}/", n.slug));
        }
    }
    Some(keys)
}

fn ts(t: Timestamp, site: &Site) -> String {
    t.to_zoned(site.time_zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Who reads a status report: the public (`build.json` in the output) or
/// the operator (the terminal, `build --report`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Only what is published: no draft, no list or notice before its
    /// time, no `publish_at`, and no next change (it could be one).
    Public,
    /// Everything the schedule knows, embargoed content and the next
    /// change included: never written into the output.
    Operator,
}

/// The statuses the build computed: `build.json` in the output
/// ([`Audience::Public`]) and the operator's report ([`Audience::Operator`]).
pub fn status_json(site: &Site, sched: &Schedule, stats: &Stats, audience: Audience) -> serde_json::Value {
    use serde_json::json;
    let operator = audience == Audience::Operator;
    let stages: Vec<_> = site
        .stages
        .iter()
        .zip(&sched.stages)
        .map(|(s, st)| {
            let (start, end) = match &s.when {
                When::Exact(span) => (Some(span.start.to_string()), Some(span.end.to_string())),
                When::Approx(_) => (None, None),
            };
            let (status, days) = match st {
                StageStatus::Upcoming { days_until } => ("upcoming", json!({"days_until": days_until})),
                StageStatus::Current { days_left } => ("current", json!({"days_left": days_left})),
                StageStatus::Done => ("done", json!({})),
                StageStatus::Approximate => ("approximate", json!({})),
            };
            let mut v = json!({"id": s.id, "kind": s.kind, "start": start, "end": end, "status": status});
            if let (Some(o), Some(d)) = (v.as_object_mut(), days.as_object()) {
                o.extend(d.clone());
            }
            v
        })
        .collect();
    let publicity: Vec<_> = site
        .publicity
        .iter()
        .zip(&sched.publicity)
        .filter(|(_, st)| operator || st.is_some())
        .map(|(p, st)| {
            let mut v = json!({
                "slug": p.slug,
                "kind": p.kind,
                "start": p.window.start.to_string(),
                "end": p.window.end.to_string(),
                "opens": ts(p.window.opens(&site.time_zone), site),
                "closes": ts(p.window.closes(&site.time_zone), site),
            });
            let (status, extra) = match st {
                None => ("unpublished", json!({})),
                Some(SpanStatus::Upcoming { days_until }) => ("upcoming", json!({"days_until": days_until})),
                Some(SpanStatus::Open { days_left }) => ("open", json!({"days_left": days_left})),
                Some(SpanStatus::Closed) => ("closed", json!({})),
            };
            if let Some(o) = v.as_object_mut() {
                o.insert("status".into(), json!(status));
                if let Some(e) = extra.as_object() {
                    o.extend(e.clone());
                }
                if operator {
                    o.insert("publish_at".into(), json!(p.publish_at.map(|t| ts(t, site))));
                    o.insert("draft".into(), json!(p.draft));
                }
            }
            v
        })
        .collect();
    let notices: Vec<_> = site
        .notices
        .iter()
        .zip(&sched.notice_published)
        .filter(|(_, p)| operator || **p)
        .map(|(n, p)| match audience {
            Audience::Public => json!({"slug": n.slug, "date": n.date.to_string()}),
            Audience::Operator => json!({
                "slug": n.slug,
                "date": n.date.to_string(),
                "published": p,
                "draft": n.draft,
                "publish_at": n.publish_at.map(|t| ts(t, site)),
            }),
        })
        .collect();
    let mut v = json!({
        "site": site.id,
        "now": ts(sched.now, site),
        "time_zone": site.time_zone_name,
        "today": sched.today.to_string(),
        "current_stage": sched.current_stage.map(|i| site.stages[i].id.clone()),
        "next_stage": sched.next_stage.map(|i| site.stages[i].id.clone()),
        "pages": stats.pages,
        "stages": stages,
        "publicity": publicity,
        "notices": notices,
    });
    if let (Audience::Operator, Some(o)) = (audience, v.as_object_mut()) {
        o.insert("next_change".into(), json!(sched.next_change.map(|t| ts(t, site))));
    }
    v
}

/// `build.json`: the public statuses, pretty-printed.
pub fn build_json(site: &Site, sched: &Schedule, stats: &Stats) -> String {
    let mut s = serde_json::to_string_pretty(&status_json(site, sched, stats, Audience::Public)).unwrap_or_default();
    s.push('\n');
    s
}

/// Where `podium build` puts the sites, and what it may keep.
#[derive(Debug, Clone)]
pub struct Destination {
    /// The output folder: each site goes to `<out>/<id>/`.
    pub out: PathBuf,
    /// The project's cache folder (`.podium-cache`): protected from
    /// `--out` always, used only when `use_cache`.
    pub cache_dir: PathBuf,
    /// Keep the output two builds back in `<cache>/spare/<id>`.
    pub use_cache: bool,
    /// Faults injected by tests (see [`crate::emit::publish::Faults`]).
    pub faults: crate::emit::publish::Faults,
}

/// Builds the chosen sites and puts them into the output folder, all or
/// none: pages go to disk as they are rendered, into staging folders that
/// are swapped in only when every site built and was written whole. A
/// site left half-swapped by a killed build is repaired first, whatever
/// happens next. Returns the sites published (empty when any failed) and
/// every diagnostic.
pub fn build_to_disk(opts: &BuildOptions, caches: &Caches, dest: &Destination) -> (Vec<BuiltSite>, Diagnostics) {
    let mut diags = Diagnostics::default();
    if let Err(d) = crate::emit::publish::check_out_dir(&opts.root, &opts.themes, &dest.cache_dir, &dest.out) {
        diags.push(d);
        return (Vec::new(), diags);
    }
    let result = build_and_publish(opts, caches, dest, diags);
    crate::emit::publish::tidy(&dest.out);
    result
}

fn build_and_publish(opts: &BuildOptions, caches: &Caches, dest: &Destination, mut diags: Diagnostics) -> (Vec<BuiltSite>, Diagnostics) {
    for id in crate::emit::publish::recover(&dest.out) {
        diags.push(Diagnostic::warning(dest.out.join(&id), msg!("restored_after_kill")).hint(msg!("hint_restored_after_kill")));
    }
    let mut built: Vec<(BuiltSite, DiskSink)> = Vec::new();
    for id in chosen_sites(opts, &mut diags) {
        let spare = dest.use_cache.then(|| dest.cache_dir.join("spare").join(&id));
        let sink = match DiskSink::claim(&dest.out, &id, spare.as_deref(), opts.precompress, &dest.faults) {
            Ok(s) => s,
            Err(e) => {
                diags.push(
                    Diagnostic::error(dest.out.join(&id), msg!("cannot_write_output", e = e)).hint(msg!("check_output_folder_writable")),
                );
                break;
            }
        };
        match build_site_to(opts, caches, &id, None, Some(&sink), &mut diags) {
            Some(b) => built.push((b, sink)),
            None => {
                // A disk that refused a page refuses the next site too:
                // said once is enough.
                let disk_failed = sink.failed();
                sink.abandon();
                if disk_failed {
                    break;
                }
            }
        }
    }
    if diags.has_errors() {
        built.into_iter().for_each(|(_, s)| s.abandon());
        return (Vec::new(), diags);
    }
    let (sites, sinks): (Vec<BuiltSite>, Vec<DiskSink>) = built.into_iter().unzip();
    let ready = sinks
        .into_iter()
        .zip(&sites)
        .map(|(sink, b)| crate::emit::publish::Ready { sink, output: &b.output })
        .collect();
    if let Err(d) = crate::emit::publish::publish(ready) {
        diags.push(d);
        return (Vec::new(), diags);
    }
    (sites, diags)
}
