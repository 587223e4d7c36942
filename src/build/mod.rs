//! The pipeline, one stage a function: load → schedule → render (the pages
//! and the files beside them, into a sink) → publish.
//!
//! `build`, `check` and `serve` share everything up to the sink and differ
//! only in which sink they give: `serve` and `check` keep the files in
//! memory, `build` writes them into a staging folder that is swapped in
//! whole ([`build_to_disk`]). Nothing here reads the clock: "now" arrives
//! as an argument.

pub mod caches;
pub mod edit;
pub mod links;
pub mod options;
pub mod partial;
pub mod render;

pub use caches::Caches;
pub use options::{BuildOptions, Destination};
pub use render::Stats;

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::emit::disk::DiskSink;
use crate::emit::memory::MemorySink;
use crate::emit::{Output, Sink};
use crate::load;
use crate::model::Site;
use crate::msg;
use crate::schedule::{self, Schedule};
use std::path::PathBuf;
use std::time::Instant;

/// One site, built.
pub struct BuiltSite {
    pub site: Site,
    pub schedule: Schedule,
    /// The files, when built into memory (empty when they went to disk).
    pub output: Output,
    pub stats: Stats,
    pub elapsed: std::time::Duration,
}

/// Loads, schedules and renders the chosen sites into memory. Returns
/// every built site and all diagnostics; a site with errors is left out.
pub fn build_all(opts: &BuildOptions) -> (Vec<BuiltSite>, Diagnostics) {
    build_with(opts, &Caches::default())
}

/// [`build_all`] with caches that outlive the build.
pub fn build_with(opts: &BuildOptions, caches: &Caches) -> (Vec<BuiltSite>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut built = Vec::new();
    for id in chosen_sites(opts, &mut diags) {
        built.extend(build_in_memory(opts, caches, &id, None, &mut diags));
    }
    (built, diags)
}

/// The sites `opts` asks for (all, or those named), each named one that
/// does not exist reported with the nearest name.
pub fn chosen_sites(opts: &BuildOptions, diags: &mut Diagnostics) -> Vec<String> {
    let all = load::site_ids(&opts.root);
    if opts.sites.is_empty() {
        if all.is_empty() {
            diags.push(
                Diagnostic::error(opts.root.join("sites"), msg!("there_are_no_sites_build"))
                    .hint(msg!("create_sites_id_site_yaml_content")),
            );
        }
        return all;
    }
    for s in opts.sites.iter().filter(|s| !all.contains(s)) {
        let hint = crate::base::text::suggestion(s, &all);
        diags.push(Diagnostic::error(opts.root.join("sites").join(s), msg!("there_no_site", s = s)).hint(hint));
    }
    opts.sites.iter().filter(|s| all.contains(s)).cloned().collect()
}

/// What an edit changed, for a rebuild that keeps the pages it cannot
/// affect: the previous output and the files that changed.
pub type Edit<'a> = (&'a Output, &'a [PathBuf]);

/// [`build_site`] into memory: the result holds the files.
pub fn build_in_memory(opts: &BuildOptions, caches: &Caches, id: &str, edit: Option<Edit>, diags: &mut Diagnostics) -> Option<BuiltSite> {
    let sink = MemorySink::new(opts.precompress && !opts.preview);
    let built = build_site(opts, caches, id, edit, &sink, diags);
    built.map(|b| BuiltSite {
        output: sink.into_output(),
        ..b
    })
}

/// Builds one site into `sink`. With an [`Edit`], only the pages it can
/// touch are rendered again ([`edit::touched`]); the others are the
/// previous output's.
pub fn build_site(
    opts: &BuildOptions,
    caches: &Caches,
    id: &str,
    edit: Option<Edit>,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> Option<BuiltSite> {
    let started = Instant::now();
    let (site, failed) = load_for_build(opts, caches, id, edit.map(|(_, changed)| changed), diags)?;
    let site_dir = opts.root.join("sites").join(id);
    let theme = caches.theme(&opts.themes.join("default"), &site_dir, diags)?;
    let lang_problems = theme.check_languages(&site.languages, &site_dir.join("site.yaml"));
    if lang_problems.has_errors() {
        diags.extend(lang_problems);
        return None;
    }
    let sched = schedule::schedule(&site, opts.now, opts.drafts);
    if failed {
        // Not to publish: to say, with the other problems, what is wrong
        // with the links of what did load.
        let inputs = render::Inputs {
            site: &site,
            sched: &sched,
            theme: &theme,
            markdown: &caches.markdown,
            search_entries: caches.search_entries(),
            manifest: false,
        };
        let links = partial::link_problems(&inputs, diags);
        diags.extend(links);
        return None;
    }
    let selection = edit
        .and_then(|(previous, changed)| Some((previous, edit::touched(&site, &sched, previous, changed)?)))
        .map_or(render::Selection::All, |(previous, keys)| render::Selection::Touched {
            previous,
            keys,
        });
    let inputs = render::Inputs {
        site: &site,
        sched: &sched,
        theme: &theme,
        markdown: &caches.markdown,
        search_entries: caches.search_entries(),
        manifest: !opts.preview,
    };
    match render::render_site(&inputs, &selection, sink) {
        Ok(stats) => Some(BuiltSite {
            site,
            schedule: sched,
            output: Output::default(),
            stats,
            elapsed: started.elapsed(),
        }),
        Err(d) => {
            diags.extend(d);
            None
        }
    }
}

/// Loads a site, with the base URL `--base-url` gives, and whether parts
/// of it failed to load. `serve` keeps parsed notices; an edit's files are
/// read again even if their size and time look the same.
fn load_for_build(
    opts: &BuildOptions,
    caches: &Caches,
    id: &str,
    changed: Option<&[PathBuf]>,
    diags: &mut Diagnostics,
) -> Option<(Site, bool)> {
    let notices = caches.markdown.keeps().then_some(&caches.notices);
    if let (Some(cache), Some(changed)) = (notices, changed) {
        let changed: Vec<PathBuf> = changed
            .iter()
            .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
            .collect();
        cache.forget(&changed);
    }
    let (mut site, failed) = load::load_site_as_far_as_it_goes(&opts.root, id, diags, notices)?;
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
    Some((site, failed))
}

/// Builds the chosen sites and puts them into the output folder, all or
/// none: pages go to disk as they are rendered, into staging folders that
/// are swapped in only when every site built and was written whole. A
/// site left half-swapped by a killed build is repaired first, whatever
/// happens next. Returns the sites published (empty when any failed) and
/// every diagnostic.
pub fn build_to_disk(opts: &BuildOptions, caches: &Caches, dest: &Destination) -> (Vec<BuiltSite>, Diagnostics) {
    use crate::emit::staging;
    let mut diags = Diagnostics::default();
    if let Err(d) = staging::check_out_dir(&opts.root, &opts.themes, &dest.cache_dir, &dest.out) {
        diags.push(d);
        return (Vec::new(), diags);
    }
    for id in staging::recover(&dest.out) {
        diags.push(Diagnostic::warning(dest.out.join(&id), msg!("restored_after_kill")).hint(msg!("hint_restored_after_kill")));
    }
    let result = build_and_publish(opts, caches, dest, diags);
    staging::tidy(&dest.out);
    result
}

fn build_and_publish(opts: &BuildOptions, caches: &Caches, dest: &Destination, mut diags: Diagnostics) -> (Vec<BuiltSite>, Diagnostics) {
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
        match build_site(opts, caches, &id, None, &sink, &mut diags) {
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
    if let Err(d) = crate::emit::publish::publish(sinks) {
        diags.push(d);
        return (Vec::new(), diags);
    }
    (sites, diags)
}
