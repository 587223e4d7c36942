//! `publicity/<slug>.yaml` → publicity lists: a period of the site's
//! length, from its own start or its stage's, and entries that name
//! tracks and award levels.

use super::fields::{at_key, parse_date_field, parse_publish_at, suggest_id, valid_id};
use super::raw::{RawEntry, RawObjection, RawPublicity};
use super::read::load_yaml;
use super::refs::Broken;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::base::time::DaySpan;
use crate::model::*;
use crate::msg;
use std::path::Path;

pub(super) fn load_publicity(site: &Site, dir: &Path, broken: &Broken, diags: &mut Diagnostics) -> Vec<Publicity> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir).into_iter().flatten().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    let track_ids: Vec<String> = site.tracks.iter().map(|t| t.id.clone()).collect();
    for e in entries {
        let path = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let Some(slug) = name.strip_suffix(".yaml").map(str::to_owned) else {
            diags.push(Diagnostic::warning(&path, msg!("only_yaml_files_belong_publicity_folder")).hint(msg!("hint_publicity_file_name")));
            continue;
        };
        if !valid_id(&slug) {
            diags.push(
                Diagnostic::error(&path, msg!("file_name_cannot_used_web_address", name = name))
                    .hint(msg!("hint_rename_yaml", arg0 = suggest_id(&slug))),
            );
            continue;
        }
        let Some((raw, text)) = load_yaml::<RawPublicity>(&path, diags) else {
            continue;
        };
        let RawPublicity {
            kind,
            title,
            stage,
            start,
            end,
            intro,
            objection,
            entries,
            draft,
            publish_at,
        } = raw;
        let mut ok = true;
        let stage_span = match &stage {
            Some(sid) => match site.stages.iter().find(|s| &s.id == sid) {
                Some(s) => match &s.when {
                    When::Exact(span) => Some(*span),
                    When::Approx(_) => None,
                },
                None if broken.timeline => {
                    ok = false;
                    None
                }
                None => {
                    let ids: Vec<String> = site.stages.iter().map(|s| s.id.clone()).collect();
                    let hint = crate::base::text::suggestion(sid, &ids);
                    diags.push(at_key(
                        Diagnostic::error(&path, msg!("stage_does_not_exist", sid = sid)).hint(hint),
                        &text,
                        "stage",
                        sid,
                    ));
                    ok = false;
                    None
                }
            },
            None => None,
        };
        let start_date = match &start {
            Some(s) => parse_date_field(s, &path, &text, "start", diags),
            None => stage_span.map(|s| s.start),
        };
        let Some(start_date) = start_date else {
            if start.is_none() && ok {
                diags.push(
                    Diagnostic::error(&path, msg!("publicity_list_has_no_start_date"))
                        .at_in(&text, 1, 1)
                        .hint(msg!("add_first_day_publicity_period")),
                );
            }
            continue;
        };
        let window = DaySpan::window(start_date, site.publicity_days);
        if let Some(e) = &end {
            if let Some(ed) = parse_date_field(e, &path, &text, "end", diags) {
                if ed != window.end {
                    diags.push(
                        at_key(
                            Diagnostic::error(
                                &path,
                                msg!(
                                    "publicity_period_starting_lasts_days_ends",
                                    start_date = start_date,
                                    arg0 = site.publicity_days,
                                    arg1 = window.end,
                                    ed = ed
                                ),
                            ),
                            &text,
                            "end",
                            e,
                        )
                        .hint(msg!("write_correct", arg0 = window.end)),
                    );
                    ok = false;
                }
            } else {
                ok = false;
            }
        }
        let level_ids: Vec<String> = site
            .awards
            .as_ref()
            .map(|a| a.levels.iter().map(|l| l.id.clone()).collect())
            .unwrap_or_default();
        let mut out_entries = Vec::new();
        for en in entries {
            let RawEntry {
                track,
                level,
                project,
                entrant,
            } = en;
            if let Some(t) = &track {
                if broken.tracks.contains(t) {
                    ok = false;
                } else if !track_ids.contains(t) {
                    let hint = crate::base::text::suggestion(t, &track_ids);
                    diags.push(at_key(
                        Diagnostic::error(&path, msg!("track_does_not_exist", t = t)).hint(hint),
                        &text,
                        "track",
                        t,
                    ));
                    ok = false;
                }
            }
            if let Some(l) = &level {
                if broken.awards {
                    ok = false;
                } else if !level_ids.contains(l) {
                    let hint = if level_ids.is_empty() {
                        msg!("hint_define_levels")
                    } else {
                        crate::base::text::suggestion(l, &level_ids)
                    };
                    diags.push(at_key(
                        Diagnostic::error(&path, msg!("award_level_not_defined", level = l)).hint(hint),
                        &text,
                        "level",
                        l,
                    ));
                    ok = false;
                }
            }
            out_entries.push(Entry {
                track,
                level,
                project,
                entrant,
            });
        }
        let publish_at = publish_at
            .as_deref()
            .and_then(|p| parse_publish_at(p, &site.time_zone, &path, &text, diags));
        if !ok {
            continue;
        }
        out.push(Publicity {
            slug,
            kind,
            title,
            stage,
            window,
            intro,
            objection: objection.map(|o| {
                let RawObjection { text, email, phone } = o;
                Objection { text, email, phone }
            }),
            entries: out_entries,
            draft: draft.unwrap_or(false),
            publish_at,
        });
    }
    // Newest window first.
    out.sort_by(|a, b| b.window.start.cmp(&a.window.start).then_with(|| a.slug.cmp(&b.slug)));
    out
}
