//! The pipeline, one stage a function: load → schedule → render → write
//! (a [`DiskSink`], into a temporary folder swapped in whole).
//!
//! `build`, `check` and `serve` share everything up to the output tree and
//! differ only in what they do with it. Nothing here reads the clock: "now"
//! arrives as an argument.

use crate::content;
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::Markdown;
use crate::model::{Site, When};
use crate::msg;
use crate::render::{self, Output, Stats};
use crate::schedule::{self, Schedule, StageStatus};
use crate::theme;
use crate::time::SpanStatus;
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
    pub notices: content::NoticeCache,
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
    let all = content::site_ids(&opts.root);
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
                let hint = crate::yaml::suggestion(s, &all);
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
/// [`DiskSink::finish`].
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
    let mut site = content::load_site_cached(&opts.root, id, diags, notices)?;
    if let Some(b) = &opts.base_url {
        match content::normalize_base_url(b) {
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
                let put = |rel: &str, bytes: &[u8]| {
                    sink.put(rel, bytes).map_err(|e| {
                        // Named where it was to go, not by the hidden
                        // temporary folder.
                        Diagnostic::error(sink.out_dir.join(&sink.id).join(rel), msg!("cannot_write_output", e = e))
                            .hint(msg!("check_output_folder_writable"))
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
                    crate::assets::precompress(&mut output.files);
                }
                // Last: it lists every other file (and the pages a sink
                // took).
                let written = sink.map(|s| s.written()).unwrap_or_default();
                let manifest = crate::assets::manifest_with(&output.files, &written);
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

/// `build.json`: the statuses the build computed and when they next change,
/// for operators' schedulers and for people reading what a page says.
pub fn build_json(site: &Site, sched: &Schedule, stats: &Stats) -> String {
    use serde_json::json;
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
            }
            v
        })
        .collect();
    let notices: Vec<_> = site
        .notices
        .iter()
        .zip(&sched.notice_published)
        .map(|(n, p)| json!({"slug": n.slug, "date": n.date.to_string(), "published": p, "publish_at": n.publish_at.map(|t| ts(t, site))}))
        .collect();
    let v = json!({
        "site": site.id,
        "now": ts(sched.now, site),
        "time_zone": site.time_zone_name,
        "today": sched.today.to_string(),
        "current_stage": sched.current_stage.map(|i| site.stages[i].id.clone()),
        "next_stage": sched.next_stage.map(|i| site.stages[i].id.clone()),
        "next_change": sched.next_change.map(|t| ts(t, site)),
        "pages": stats.pages,
        "stages": stages,
        "publicity": publicity,
        "notices": notices,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

/// A site's output on its way to `out_dir/<id>/`: written into a temporary
/// folder beside it, then swapped in with two renames, so the live output
/// is never half old and half new, and a failed build leaves it as it was.
///
/// With a `spare` folder (in the project's `.podium-cache/`, never beside
/// the output, where it could be uploaded), the output two builds back is
/// kept there instead of deleted, and the next build starts its temporary
/// folder from it: only files whose bytes differ are written and files no
/// longer built are removed, so an unchanged site costs reads, not writes.
pub struct DiskSink {
    out_dir: PathBuf,
    id: String,
    tmp: PathBuf,
    spare: Option<PathBuf>,
    /// The temporary folder is the spare (files may already be there).
    reused: bool,
    /// Also write `<file>.gz` beside every text file.
    precompress: bool,
    /// What [`DiskSink::put`] wrote: path, size, SHA-256, for the manifest.
    written: Mutex<Vec<(String, u64, String)>>,
}

impl DiskSink {
    /// Prepares the temporary folder: the spare if there is one (claimed
    /// with a rename, so two builds at once cannot both get it), else a
    /// new, empty one.
    pub fn claim(out_dir: &Path, id: &str, spare: Option<&Path>, precompress: bool) -> std::io::Result<DiskSink> {
        std::fs::create_dir_all(out_dir)?;
        remove_leftovers(out_dir, id);
        let tmp = out_dir.join(format!(".{id}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        let reused = spare.is_some_and(|s| s.is_dir() && std::fs::rename(s, &tmp).is_ok());
        if !reused {
            std::fs::create_dir_all(&tmp)?;
        }
        Ok(DiskSink {
            out_dir: out_dir.to_path_buf(),
            id: id.to_string(),
            tmp,
            spare: spare.map(Path::to_path_buf),
            reused,
            precompress,
            written: Mutex::new(Vec::new()),
        })
    }

    /// Writes one file (and its `.gz`, when precompressing) unless the
    /// spare already holds exactly these bytes.
    /// The file is listed (path, size, SHA-256) for the manifest.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let mut listed = vec![self.put_one(rel, bytes)?];
        if self.precompress && crate::assets::is_text(rel) {
            let gz = crate::assets::gzip(bytes);
            listed.push(self.put_one(&format!("{rel}.gz"), &gz)?);
        }
        self.written.lock().unwrap_or_else(|e| e.into_inner()).extend(listed);
        Ok(())
    }

    /// Writes one file; returns its manifest entry.
    fn put_one(&self, rel: &str, bytes: &[u8]) -> std::io::Result<(String, u64, String)> {
        self.write(rel, bytes)?;
        Ok((rel.to_string(), bytes.len() as u64, crate::assets::sha256_hex(bytes)))
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let p = self.tmp.join(rel);
        if !(self.reused && same_file(&p, bytes)) {
            if self.reused {
                make_way(&self.tmp, &p)?;
            }
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&p, bytes)?;
        }
        Ok(())
    }

    /// Path, size and SHA-256 of every file [`DiskSink::put`] wrote.
    pub fn written(&self) -> Vec<(String, u64, String)> {
        self.written.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Writes `output` (the files that did not go through [`DiskSink::put`];
    /// its manifest already lists them, hashed once), removes whatever else
    /// the folder holds, and swaps it in.
    pub fn finish(self, output: &Output) -> std::io::Result<()> {
        use rayon::prelude::*;
        let result = (|| {
            output.files.par_iter().try_for_each(|(rel, bytes)| self.write(rel, bytes))?;
            if self.reused {
                let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
                let keep: std::collections::HashSet<&str> = written
                    .iter()
                    .map(|w| w.0.as_str())
                    .chain(output.files.keys().map(String::as_str))
                    .collect();
                prune(&self.tmp, &keep)?;
            }
            self.swap()
        })();
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
        result
    }

    /// Gives up: the output is untouched, and the temporary folder is
    /// removed (or, if it was the spare, kept as the spare: whatever it
    /// holds, the next build compares it file by file).
    pub fn abandon(self) {
        if let Some(spare) = self.spare.as_deref().filter(|s| self.reused && !s.exists()) {
            if std::fs::rename(&self.tmp, spare).is_ok() {
                return;
            }
        }
        let _ = std::fs::remove_dir_all(&self.tmp);
    }

    fn swap(&self) -> std::io::Result<()> {
        let target = self.out_dir.join(&self.id);
        let old = self.out_dir.join(format!(".{}.old-{}", self.id, std::process::id()));
        if target.exists() {
            std::fs::rename(&target, &old)?;
            if let Err(e) = std::fs::rename(&self.tmp, &target) {
                let _ = std::fs::rename(&old, &target);
                return Err(e);
            }
            let kept = self.spare.as_deref().is_some_and(|s| {
                s.parent().is_some_and(|p| std::fs::create_dir_all(p).is_ok()) && !s.exists() && std::fs::rename(&old, s).is_ok()
            });
            if !kept {
                std::fs::remove_dir_all(&old)?;
            }
        } else {
            std::fs::rename(&self.tmp, &target)?;
        }
        Ok(())
    }
}

/// Removes the temporary folders (`.<id>.tmp-<pid>`, `.<id>.old-<pid>`)
/// that a build which was killed left beside the output, where an upload
/// of the whole output folder would take them. Only those of processes
/// that no longer run, and only where that can be known (`/proc`).
fn remove_leftovers(out_dir: &Path, id: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(out_dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let pid = [".tmp-", ".old-"]
            .iter()
            .find_map(|k| name.strip_prefix(&format!(".{id}{k}")))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid {
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

/// Whether `p` is a plain file holding exactly `bytes`. Read back in
/// pieces: comparing a big file (a search index) must not cost its size in
/// memory.
fn same_file(p: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    if !std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64) {
        return false;
    }
    let Ok(mut f) = std::fs::File::open(p) else { return false };
    let mut buf = [0u8; 64 * 1024];
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = rest.len().min(buf.len());
        if f.read_exact(&mut buf[..n]).is_err() || buf[..n] != rest[..n] {
            return false;
        }
        rest = &rest[n..];
    }
    // Nothing beyond: the file did not grow since its size was read.
    f.read(&mut buf[..1]).is_ok_and(|n| n == 0)
}

/// Clears the way for a file at `p` inside `dir`: a folder or a link where
/// the file goes, or a file where one of its folders goes.
fn make_way(dir: &Path, p: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(p)?,
        Ok(m) if !m.is_file() => std::fs::remove_file(p)?,
        _ => {}
    }
    let mut up = p.parent();
    while let Some(d) = up.filter(|d| *d != dir) {
        if std::fs::symlink_metadata(d).is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(d)?;
        }
        up = d.parent();
    }
    Ok(())
}

/// Removes every file under `dir` whose path is not in `keep`, then the
/// folders left empty (deepest first: walkdir's contents_first).
fn prune(dir: &Path, keep: &std::collections::HashSet<&str>) -> std::io::Result<()> {
    for e in walkdir::WalkDir::new(dir).min_depth(1).contents_first(true) {
        let e = e.map_err(std::io::Error::other)?;
        let rel = e.path().strip_prefix(dir).map_err(std::io::Error::other)?;
        let key = rel.to_string_lossy().replace('\\', "/");
        if e.file_type().is_dir() {
            if std::fs::read_dir(e.path())?.next().is_none() {
                std::fs::remove_dir(e.path())?;
            }
        } else if !keep.contains(key.as_str()) {
            std::fs::remove_file(e.path())?;
        }
    }
    Ok(())
}
