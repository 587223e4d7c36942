//! `tracks/<id>/track.yaml` and its topics' `<topic>.<lang>.md` → tracks
//! with their groups and topics.

use super::docs::lang_files;
use super::fields::{at_key, id_problem, suggest_id, valid_id};
use super::raw::{RawGroup, RawTitleFront, RawTopicRef, RawTrack};
use super::read::{load_doc_with, load_yaml};
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub(super) fn load_tracks(site: &Site, dir: &Path, diags: &mut Diagnostics) -> Vec<Track> {
    let langs = &site.languages;
    let default = &langs[0];
    let mut tracks: Vec<(Track, PathBuf, String)> = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let id = e.file_name().to_string_lossy().to_string();
        let tdir = e.path();
        let ypath = tdir.join("track.yaml");
        if !valid_id(&id) {
            diags.push(
                Diagnostic::error(&tdir, msg!("track_folder_name_cannot_used_web", id = id))
                    .hint(msg!("rename_folder", arg0 = suggest_id(&id))),
            );
            continue;
        }
        if !ypath.is_file() {
            diags.push(Diagnostic::error(&tdir, msg!("track_folder_has_no_track_yaml")).hint(msg!("add_track_yaml_with_track_s")));
            continue;
        }
        let Some((raw, text)) = load_yaml::<RawTrack>(&ypath, diags) else {
            continue;
        };
        let RawTrack {
            number,
            name,
            guiding_unit,
            intro,
            groups,
            topics,
        } = raw;
        let mut group_ids = Vec::new();
        let groups: Vec<Group> = groups
            .into_iter()
            .filter_map(|g| {
                let RawGroup { id: gid, name, intro } = g;
                if !valid_id(&gid) {
                    diags.push(id_problem(&ypath, Some(&text), "id", &gid));
                    return None;
                }
                if group_ids.contains(&gid) {
                    diags.push(at_key(
                        Diagnostic::error(&ypath, msg!("group_id_used_twice", gid = gid)),
                        &text,
                        "id",
                        &gid,
                    ));
                    return None;
                }
                group_ids.push(gid.clone());
                Some(Group { id: gid, name, intro })
            })
            .collect();
        let md = lang_files(&tdir, langs, diags);
        let mut seen = BTreeSet::new();
        let mut seen_numbers = BTreeSet::new();
        let mut out_topics = Vec::new();
        for t in topics {
            let RawTopicRef {
                id: tid,
                number: tnum,
                group,
            } = t;
            if !valid_id(&tid) {
                diags.push(id_problem(&ypath, Some(&text), "id", &tid));
                // Its files are those of the id once corrected: not orphans.
                seen.insert(suggest_id(&tid));
                continue;
            }
            if !seen.insert(tid.clone()) {
                diags.push(
                    at_key(
                        Diagnostic::error(&ypath, msg!("topic_id_used_twice_track", tid = tid)),
                        &text,
                        "id",
                        &tid,
                    )
                    .hint(msg!("give_each_topic_own_id")),
                );
                continue;
            }
            match (&group, groups.is_empty()) {
                (Some(g), _) if !group_ids.contains(g) => {
                    let hint = if group_ids.is_empty() {
                        msg!("hint_no_groups")
                    } else {
                        crate::base::text::suggestion(g, &group_ids)
                    };
                    diags.push(at_key(
                        Diagnostic::error(&ypath, msg!("group_does_not_exist_track", g = g)).hint(hint),
                        &text,
                        "group",
                        g,
                    ));
                    continue;
                }
                (None, false) => {
                    diags.push(
                        at_key(
                            Diagnostic::error(&ypath, msg!("topic_names_no_group", tid = tid)),
                            &text,
                            "id",
                            &tid,
                        )
                        .hint(msg!("track_has_groups_add_with_one", arg0 = group_ids.join(", "))),
                    );
                    continue;
                }
                _ => {}
            }
            if !seen_numbers.insert((group.clone(), tnum)) {
                diags.push(
                    at_key(
                        Diagnostic::warning(&ypath, msg!("topic_number_used_twice", tnum = tnum)),
                        &text,
                        "number",
                        &tnum.to_string(),
                    )
                    .hint(msg!("topics_are_numbered_1_2_3")),
                );
            }
            let mut tr = Translations::default();
            if let Some(files) = md.get(&tid) {
                for (lang, p) in files {
                    if let Some((front, body, _)) = load_doc_with::<RawTitleFront>(p, diags) {
                        let RawTitleFront { title } = front;
                        tr.by_lang.insert(
                            lang.clone(),
                            Doc {
                                title,
                                body,
                                path: p.clone(),
                            },
                        );
                    }
                }
            }
            if !tr.by_lang.contains_key(default) {
                diags.push(
                    at_key(
                        Diagnostic::error(&ypath, msg!("topic_has_no_file_md", tid = tid, default = default)),
                        &text,
                        "id",
                        &tid,
                    )
                    .hint(msg!("add_md_folder_with_topic_s", tid = tid, default = default)),
                );
                continue;
            }
            out_topics.push(Topic {
                id: tid,
                number: tnum,
                group,
                text: tr,
            });
        }
        for (slug, files) in &md {
            if !seen.contains(slug) {
                for p in files.values() {
                    diags.push(
                        Diagnostic::error(p, msg!("topic_not_listed_track_yaml", slug = slug))
                            .hint(msg!("add_under_track_yaml_remove_file", slug = slug)),
                    );
                }
            }
        }
        tracks.push((
            Track {
                id,
                number,
                name,
                guiding_unit,
                intro,
                groups,
                topics: out_topics,
            },
            ypath,
            text,
        ));
    }
    tracks.sort_by_key(|(t, _, _)| (t.number, t.id.clone()));
    for w in tracks.windows(2) {
        if w[0].0.number == w[1].0.number {
            diags.push(
                at_key(
                    Diagnostic::warning(&w[1].1, msg!("track_number_also_used_by", arg0 = w[1].0.number, arg1 = w[0].0.id)),
                    &w[1].2,
                    "number",
                    "",
                )
                .hint(msg!("number_tracks_1_2_3")),
            );
        }
    }
    tracks.into_iter().map(|(t, _, _)| t).collect()
}
