//! `content/<id>/` → the site's content, one kind after another in the
//! order their references need (attachments before notices, tracks before
//! awards, timeline and awards before publicity lists), and the files that
//! belong to no kind.

use super::awards::load_awards;
use super::criteria::load_criteria;
use super::docs::{lang_file, load_optional_doc};
use super::notices::{load_notices, NoticeCache};
use super::pages::load_pages;
use super::publicity::load_publicity;
use super::refs::Broken;
use super::timeline::load_timeline;
use super::tracks::load_tracks;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Loads everything under `dir` (the site's content folder) into `site`;
/// `broken` holds the settings that are wrong.
pub(super) fn load_content(site: &mut Site, mut broken: Broken, dir: &Path, diags: &mut Diagnostics, cache: Option<&NoticeCache>) {
    let langs = site.languages.clone();
    // Attachments first: notices refer to them.
    site.files = attachments(&dir.join("files"));
    site.home = load_optional_doc(dir, "home", &langs, diags);
    site.notices = load_notices(site, &dir.join("notices"), diags, cache);
    // What failed to load is still "known": references to it are not
    // reported again, so an editor sees one problem, not its echoes.
    site.tracks = load_tracks(site, &dir.join("tracks"), diags);
    broken.tracks = unloaded_tracks(&dir.join("tracks"), &site.tracks);
    let timeline = dir.join("timeline.yaml");
    if timeline.is_file() {
        let before = diags.len();
        site.stages = load_timeline(site, &timeline, &broken, diags);
        broken.timeline = diags.errors_since(before);
    }
    let awards = dir.join("awards.yaml");
    if awards.is_file() {
        let before = diags.len();
        site.awards = load_awards(site, &awards, &broken, diags);
        // Failed, or left out for what failed elsewhere: either way, levels
        // the lists name are not reported as unknown.
        broken.awards = diags.errors_since(before) || site.awards.is_none();
        if let Some(a) = &mut site.awards {
            a.prose = load_optional_doc(dir, "awards", &langs, diags);
        }
    }
    let criteria = dir.join("criteria.yaml");
    if criteria.is_file() {
        site.criteria = load_criteria(&criteria, diags);
        if let Some(c) = &mut site.criteria {
            c.prose = load_optional_doc(dir, "criteria", &langs, diags);
        }
    }
    site.publicity = load_publicity(site, &dir.join("publicity"), &broken, diags);
    site.pages = load_pages(site, &dir.join("pages"), diags);
    check_unexpected(dir, &langs, diags);
}

/// The attachments: every file under `files_dir`, by its name there
/// (`a/b.pdf`). Hidden files and folders (`.env`, `.git/`, an editor's
/// swap file) are never attachments.
fn attachments(files_dir: &Path) -> BTreeMap<String, PathBuf> {
    let mut files = BTreeMap::new();
    if !files_dir.is_dir() {
        return files;
    }
    let walk = walkdir::WalkDir::new(files_dir).sort_by_file_name().into_iter();
    let visible = walk.filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for e in visible.flatten() {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(files_dir).unwrap_or(e.path());
            let name = rel.to_string_lossy().replace('\\', "/");
            files.insert(name, e.path().to_path_buf());
        }
    }
    files
}

/// The entries of the tracks folder that gave no track: names that
/// references may use without being told the track does not exist.
fn unloaded_tracks(tracks_dir: &Path, loaded: &[Track]) -> Vec<String> {
    std::fs::read_dir(tracks_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|id| !loaded.iter().any(|t| &t.id == id))
        .collect()
}

/// Files in the content folder that Podium would silently ignore.
fn check_unexpected(dir: &Path, langs: &[String], diags: &mut Diagnostics) {
    let known_dirs = ["notices", "tracks", "publicity", "pages", "files"];
    let known_files = ["timeline.yaml", "awards.yaml", "criteria.yaml"];
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let p = e.path();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            if !known_dirs.contains(&name.as_str()) {
                diags.push(
                    Diagnostic::warning(&p, msg!("folder_not_part_site_s_content", name = name))
                        .hint(msg!("content_folders_are", arg0 = known_dirs.join(", "))),
                );
            }
            continue;
        }
        let doc_ok = lang_file(&name)
            .map(|(slug, lang)| ["home", "awards", "criteria"].contains(&slug) && langs.iter().any(|l| l == lang))
            .unwrap_or(false);
        if !doc_ok && !known_files.contains(&name.as_str()) {
            diags.push(
                Diagnostic::warning(&p, msg!("file_not_part_site_s_content", name = name)).hint(msg!("see_docs_content_md_for_files")),
            );
        }
    }
}
