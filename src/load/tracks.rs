//! `tracks/<id>/track.yaml` and its topics' `<topic>.<lang>.md` → tracks
//! with their groups and topics.
//!
//! A track is read in steps, each its own function: the folder, the groups,
//! the topics (id, group, number, texts), the topic files nobody lists;
//! then the tracks are sorted and checked against each other. A topic's
//! checks need the file, its groups and its folder's Markdown at once, so
//! those travel together as a [`TrackFile`].

use super::docs::{lang_files, load_docs};
use super::fields::{id_problem, suggest_id, valid_id};
use super::raw::{RawGroup, RawTitleFront, RawTopicRef, RawTrack};
use super::read::{load_yaml, sorted_entries};
use super::yaml::Source;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A loaded track, with its track.yaml's path and source (to point at its
/// number if another track has it too).
type Loaded = (Track, PathBuf, Source);

/// Every track of `dir` (one folder each), by number then id.
pub(super) fn load_tracks(site: &Site, dir: &Path, diags: &mut Diagnostics) -> Vec<Track> {
    let mut tracks: Vec<Loaded> = Vec::new();
    for e in sorted_entries(dir).into_iter().filter(|e| e.path().is_dir()) {
        let id = e.file_name().to_string_lossy().to_string();
        tracks.extend(load_track(id, e.path(), &site.languages, diags));
    }
    tracks.sort_by_key(|(t, _, _)| (t.number, t.id.clone()));
    warn_shared_numbers(&tracks, diags);
    tracks.into_iter().map(|(t, _, _)| t).collect()
}

/// One track from its folder `tdir`; `None` if the folder or its
/// track.yaml cannot be used (a broken group or topic is left out instead).
fn load_track(id: String, tdir: PathBuf, langs: &[String], diags: &mut Diagnostics) -> Option<Loaded> {
    let ypath = tdir.join("track.yaml");
    if !valid_id(&id) {
        diags.push(
            Diagnostic::error(&tdir, msg!("track_folder_name_cannot_used_web", id = id))
                .hint(msg!("rename_folder", arg0 = suggest_id(&id))),
        );
        return None;
    }
    if !ypath.is_file() {
        diags.push(Diagnostic::error(&tdir, msg!("track_folder_has_no_track_yaml")).hint(msg!("add_track_yaml_with_track_s")));
        return None;
    }
    let (raw, source) = load_yaml::<RawTrack>(&ypath, diags)?;
    let RawTrack {
        number,
        name,
        guiding_unit,
        intro,
        groups,
        topics,
    } = raw;
    let (groups, group_ids) = resolve_groups(groups, &ypath, &source, diags);
    let file = TrackFile {
        path: &ypath,
        source: &source,
        group_ids,
        md: lang_files(&tdir, langs, diags),
        default: &langs[0],
    };
    let (topics, listed) = file.resolve_topics(topics, diags);
    file.report_unlisted(&listed, diags);
    let track = Track {
        id,
        number,
        name,
        guiding_unit,
        intro,
        groups,
        topics,
    };
    Some((track, ypath, source))
}

/// The groups with a usable, unrepeated id, and those ids.
fn resolve_groups(raw: Vec<RawGroup>, path: &Path, source: &Source, diags: &mut Diagnostics) -> (Vec<Group>, Vec<String>) {
    let mut ids = Vec::new();
    let mut groups = Vec::new();
    for (i, g) in raw.into_iter().enumerate() {
        let RawGroup { id, name, intro } = g;
        let at = format!("groups.{i}.id");
        if !valid_id(&id) {
            diags.push(id_problem(path, source, &at, &id));
            continue;
        }
        if ids.contains(&id) {
            diags.push(source.at(Diagnostic::error(path, msg!("group_id_used_twice", gid = id)), &at));
            continue;
        }
        ids.push(id.clone());
        groups.push(Group { id, name, intro });
    }
    (groups, ids)
}

/// A track.yaml whose topics are being resolved, with what they are
/// checked against.
struct TrackFile<'a> {
    path: &'a Path,
    source: &'a Source,
    /// The track's (usable) groups.
    group_ids: Vec<String>,
    /// The topic files of the track's folder: slug → language → path.
    md: BTreeMap<String, BTreeMap<String, PathBuf>>,
    default: &'a str,
}

impl TrackFile<'_> {
    /// `d`, pointed at `key` of the topic at `topic` (`topics.3`).
    fn at(&self, d: Diagnostic, topic: &str, key: &str) -> Diagnostic {
        self.source.at(d, &format!("{topic}.{key}"))
    }

    /// The topics that pass their checks, and the slugs the file lists
    /// (whose files are not orphans, even when their topic failed).
    fn resolve_topics(&self, raw: Vec<RawTopicRef>, diags: &mut Diagnostics) -> (Vec<Topic>, BTreeSet<String>) {
        let mut listed = BTreeSet::new();
        let mut numbers = BTreeSet::new();
        let mut topics = Vec::new();
        for (i, t) in raw.into_iter().enumerate() {
            let RawTopicRef { id, number, group } = t;
            let at = format!("topics.{i}");
            if !valid_id(&id) {
                diags.push(id_problem(self.path, self.source, &format!("{at}.id"), &id));
                // Its files are those of the id once corrected: not orphans.
                listed.insert(suggest_id(&id));
                continue;
            }
            if !listed.insert(id.clone()) {
                let d = Diagnostic::error(self.path, msg!("topic_id_used_twice_track", tid = id));
                diags.push(self.at(d, &at, "id").hint(msg!("give_each_topic_own_id")));
                continue;
            }
            if !self.group_ok(group.as_ref(), &id, &at, diags) {
                continue;
            }
            if !numbers.insert((group.clone(), number)) {
                let d = Diagnostic::warning(self.path, msg!("topic_number_used_twice", tnum = number));
                diags.push(self.at(d, &at, "number").hint(msg!("topics_are_numbered_1_2_3")));
            }
            if let Some(text) = self.topic_texts(&id, &at, diags) {
                topics.push(Topic { id, number, group, text });
            }
        }
        (topics, listed)
    }

    /// A topic names one of the track's groups if it has any, and none
    /// if it has none.
    fn group_ok(&self, group: Option<&String>, id: &str, at: &str, diags: &mut Diagnostics) -> bool {
        match group {
            Some(g) if !self.group_ids.contains(g) => {
                let hint = if self.group_ids.is_empty() {
                    msg!("hint_no_groups")
                } else {
                    crate::base::text::suggestion(g, &self.group_ids)
                };
                let d = Diagnostic::error(self.path, msg!("group_does_not_exist_track", g = g)).hint(hint);
                diags.push(self.at(d, at, "group"));
                false
            }
            None if !self.group_ids.is_empty() => {
                let d = Diagnostic::error(self.path, msg!("topic_names_no_group", tid = id));
                let hint = msg!("track_has_groups_add_with_one", arg0 = self.group_ids.join(", "));
                diags.push(self.at(d, at, "id").hint(hint));
                false
            }
            _ => true,
        }
    }

    /// A topic's texts, from `<id>.<lang>.md`; `None` without the default
    /// language's.
    fn topic_texts(&self, id: &str, at: &str, diags: &mut Diagnostics) -> Option<Translations<Doc>> {
        let files = self.md.get(id).into_iter().flatten().map(|(lang, p)| (lang, p.clone()));
        let text = load_docs(files, diags, |_, front, _, _, _| {
            let RawTitleFront { title } = front;
            Some(title)
        });
        if text.by_lang.contains_key(self.default) {
            return Some(text);
        }
        let default = self.default;
        let d = Diagnostic::error(self.path, msg!("topic_has_no_file_md", tid = id, default = default));
        diags.push(
            self.at(d, at, "id")
                .hint(msg!("add_md_folder_with_topic_s", tid = id, default = default)),
        );
        None
    }

    /// Topic files that the track.yaml does not list: an error at each.
    fn report_unlisted(&self, listed: &BTreeSet<String>, diags: &mut Diagnostics) {
        for (slug, files) in self.md.iter().filter(|(slug, _)| !listed.contains(*slug)) {
            for p in files.values() {
                diags.push(
                    Diagnostic::error(p, msg!("topic_not_listed_track_yaml", slug = slug))
                        .hint(msg!("add_under_track_yaml_remove_file", slug = slug)),
                );
            }
        }
    }
}

/// Two tracks with one number (sorted, so they are neighbours): a warning
/// at the second.
fn warn_shared_numbers(tracks: &[Loaded], diags: &mut Diagnostics) {
    for w in tracks.windows(2) {
        let ((first, _, _), (second, path, source)) = (&w[0], &w[1]);
        if first.number == second.number {
            let d = Diagnostic::warning(path, msg!("track_number_also_used_by", arg0 = second.number, arg1 = first.id));
            diags.push(source.at(d, "number").hint(msg!("number_tracks_1_2_3")));
        }
    }
}
