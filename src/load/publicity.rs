//! `publicity/<slug>.yaml` → publicity lists: a period of the site's
//! length, from its own start or its stage's, and entries that name
//! tracks and award levels.
//!
//! A list is resolved by a [`ListFile`], one method per field group (the
//! stage, the end, the entries). A name that points at something broken
//! (a track or the awards that failed to load, a stage of a broken
//! timeline) drops the list without a second report.

use super::fields::{parse_date_field, parse_publish_at, suggest_id, valid_id};
use super::raw::{RawEntry, RawObjection, RawPublicity};
use super::read::{load_yaml, sorted_entries};
use super::refs::Broken;
use super::yaml::Source;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::base::time::DaySpan;
use crate::model::*;
use crate::msg;
use jiff::civil::Date;
use std::path::Path;

/// Every publicity list of `dir`, the newest period first.
pub(super) fn load_publicity(site: &Site, dir: &Path, broken: &Broken, diags: &mut Diagnostics) -> Vec<Publicity> {
    let mut out = Vec::new();
    for e in sorted_entries(dir) {
        let path = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        if let Some(slug) = list_slug(&name, &path, diags) {
            out.extend(load_list(site, slug, &path, broken, diags));
        }
    }
    // Newest window first.
    out.sort_by(|a, b| b.window.start.cmp(&a.window.start).then_with(|| a.slug.cmp(&b.slug)));
    out
}

/// The slug a file's name gives a list (`<slug>.yaml`); `None`, having
/// said why, for a file that is not YAML or whose name cannot be an
/// address.
fn list_slug(name: &str, path: &Path, diags: &mut Diagnostics) -> Option<String> {
    let Some(slug) = name.strip_suffix(".yaml").map(str::to_owned) else {
        diags.push(Diagnostic::warning(path, msg!("only_yaml_files_belong_publicity_folder")).hint(msg!("hint_publicity_file_name")));
        return None;
    };
    if !valid_id(&slug) {
        diags.push(
            Diagnostic::error(path, msg!("file_name_cannot_used_web_address", name = name)).hint(match suggest_id(&slug) {
                s if s.is_empty() => msg!("hint_rename_latin_yaml"),
                s => msg!("hint_rename_yaml", arg0 = s),
            }),
        );
        return None;
    }
    Some(slug)
}

/// One list; `None` if it has a problem (reported) or names something
/// broken.
fn load_list(site: &Site, slug: String, path: &Path, broken: &Broken, diags: &mut Diagnostics) -> Option<Publicity> {
    let (raw, source) = load_yaml::<RawPublicity>(path, diags)?;
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
    let list = ListFile {
        site,
        path,
        source: &source,
        broken,
    };
    let (stage_span, mut ok) = list.stage_span(stage.as_deref(), diags);
    let start_date = match &start {
        Some(s) => parse_date_field(s, path, &source, "start", diags),
        None => stage_span.map(|s| s.start),
    };
    let Some(start_date) = start_date else {
        if start.is_none() && ok {
            let d = Diagnostic::error(path, msg!("publicity_list_has_no_start_date"));
            diags.push(source.at(d, "").hint(msg!("add_first_day_publicity_period")));
        }
        return None;
    };
    let window = DaySpan::window(start_date, site.publicity_days);
    ok &= list.end_ok(end.as_deref(), window, diags);
    ok &= list.start_matches_stage(stage.as_deref(), stage_span, start.is_some(), start_date, diags);
    let (entries, entries_ok) = list.entries(entries, kind, diags);
    let publish_at = publish_at
        .as_deref()
        .and_then(|p| parse_publish_at(p, &site.time_zone, path, &source, diags));
    if !ok || !entries_ok {
        return None;
    }
    Some(Publicity {
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
        entries,
        draft: draft.unwrap_or(false),
        publish_at,
    })
}

/// A publicity list's file being resolved, and what its names refer to.
struct ListFile<'a> {
    site: &'a Site,
    path: &'a Path,
    source: &'a Source,
    broken: &'a Broken,
}

impl ListFile<'_> {
    /// `d`, pointed at the value at `at` (`entries.3.track`) in the list's file.
    fn at(&self, d: Diagnostic, at: &str) -> Diagnostic {
        self.source.at(d, at)
    }

    /// The days of the stage the list names, if it names one with exact
    /// dates; and whether the name is usable (false for an unknown stage,
    /// reported, or any stage of a broken timeline).
    fn stage_span(&self, stage: Option<&str>, diags: &mut Diagnostics) -> (Option<DaySpan>, bool) {
        let Some(sid) = stage else {
            return (None, true);
        };
        match self.site.stages.iter().find(|s| s.id == sid) {
            Some(s) => match &s.when {
                When::Exact(span) => (Some(*span), true),
                When::Approx(_) => (None, true),
            },
            None if self.broken.timeline => (None, false),
            None => {
                let ids: Vec<String> = self.site.stages.iter().map(|s| s.id.clone()).collect();
                let hint = crate::base::text::suggestion(sid, &ids);
                let d = Diagnostic::error(self.path, msg!("stage_does_not_exist", sid = sid)).hint(hint);
                diags.push(self.at(d, "stage"));
                (None, false)
            }
        }
    }

    /// A list tied to a dated stage starts when that stage does: a list
    /// that says otherwise contradicts the timeline (one of them is wrong).
    fn start_matches_stage(&self, stage: Option<&str>, span: Option<DaySpan>, written: bool, start: Date, diags: &mut Diagnostics) -> bool {
        let (Some(sid), Some(span), true) = (stage, span, written) else {
            return true;
        };
        if span.start == start {
            return true;
        }
        let d = Diagnostic::error(
            self.path,
            msg!("list_start_not_stage", start = start, sid = sid, stage_start = span.start),
        );
        let hint = msg!("hint_list_start_not_stage", sid = sid, stage_start = span.start);
        diags.push(self.at(d.hint(hint), "start"));
        false
    }

    /// A written end must be the period's last day (the period's length is
    /// the site's; not checked when the site's is wrong).
    fn end_ok(&self, end: Option<&str>, window: DaySpan, diags: &mut Diagnostics) -> bool {
        let Some(e) = end else {
            return true;
        };
        let Some(ed) = parse_date_field(e, self.path, self.source, "end", diags) else {
            return false;
        };
        if ed == window.end || self.broken.publicity_days {
            return true;
        }
        let days = self.site.publicity_days;
        let d = Diagnostic::error(
            self.path,
            msg!(
                "publicity_period_starting_lasts_days_ends",
                start_date = window.start,
                arg0 = days,
                arg1 = window.end,
                ed = ed
            ),
        );
        diags.push(self.at(d, "end").hint(msg!("write_correct", arg0 = window.end)));
        false
    }

    /// The entries, each checked for the track and level it names; and
    /// whether all of them passed. (More winners of a level in a track
    /// than awards.yaml gives it is a warning.)
    fn entries(&self, raw: Vec<RawEntry>, kind: PublicityKind, diags: &mut Diagnostics) -> (Vec<Entry>, bool) {
        let track_ids: Vec<String> = self.site.tracks.iter().map(|t| t.id.clone()).collect();
        let level_ids: Vec<String> = self
            .site
            .awards
            .as_ref()
            .map(|a| a.levels.iter().map(|l| l.id.clone()).collect())
            .unwrap_or_default();
        let mut ok = true;
        let mut entries = Vec::new();
        let mut places = Places::default();
        for (i, en) in raw.into_iter().enumerate() {
            let RawEntry {
                track,
                level,
                project,
                entrant,
            } = en;
            let at = format!("entries.{i}");
            let mut fine = true;
            if let Some(t) = &track {
                fine &= self
                    .broken
                    .track_ok(t, &track_ids, self.path, diags, |d| self.at(d, &format!("{at}.track")));
            }
            if let Some(l) = &level {
                fine &= self.level_ok(l, &level_ids, &at, diags);
            }
            fine &= self.level_fits_kind(kind, level.as_deref(), &project, &at, &level_ids, diags);
            if let (true, Some(t), Some(l)) = (fine, &track, &level) {
                self.count_place(&mut places, t, l, &at, diags);
            }
            ok &= fine;
            entries.push(Entry {
                track,
                level,
                project,
                entrant,
            });
        }
        (entries, ok)
    }

    /// Counts an entry of level `l` in track `t` (at `at`); a warning at
    /// the first entry beyond the places awards.yaml gives.
    fn count_place(&self, places: &mut Places, t: &str, l: &str, at: &str, diags: &mut Diagnostics) {
        let Some(awards) = &self.site.awards else { return };
        let Some(li) = awards.levels.iter().position(|x| x.id == l) else {
            return;
        };
        let Some(allowed) = awards.counts.get(t).and_then(|c| c.get(li)).copied() else {
            return;
        };
        let n = places.entry((t.to_string(), l.to_string())).or_insert(0);
        *n += 1;
        if *n == allowed as usize + 1 {
            let d = Diagnostic::warning(self.path, msg!("more_winners_than_places", track = t, level = l, allowed = allowed));
            diags.push(self.at(
                d.hint(msg!("hint_more_winners_than_places", track = t, level = l)),
                &format!("{at}.level"),
            ));
        }
    }

    /// A winners list gives each entry (at `at`) its award level; a
    /// finalists list gives none (the final decides them).
    fn level_fits_kind(
        &self,
        kind: PublicityKind,
        level: Option<&str>,
        project: &Text,
        at: &str,
        level_ids: &[String],
        diags: &mut Diagnostics,
    ) -> bool {
        match (kind, level) {
            (PublicityKind::Winners, None) => {
                let lang = &self.site.languages[0];
                let name = project.show(lang, lang);
                let d = Diagnostic::error(self.path, msg!("winner_without_level", project = name));
                let hint = msg!("hint_winner_without_level", known = level_ids.join(", "));
                // Where the project's name is written (`zh: 项目甲`).
                diags.push(self.at(d.hint(hint), &format!("{at}.project.{lang}")));
                false
            }
            (PublicityKind::Finalists, Some(l)) => {
                let d = Diagnostic::error(self.path, msg!("finalist_with_level", level = l));
                diags.push(self.at(d.hint(msg!("hint_finalist_with_level")), &format!("{at}.level")));
                false
            }
            _ => true,
        }
    }

    /// Is `l` (the level of the entry at `at`) one of the site's award
    /// levels? Nothing is said when the awards failed to load (that was
    /// reported).
    fn level_ok(&self, l: &str, level_ids: &[String], at: &str, diags: &mut Diagnostics) -> bool {
        if self.broken.awards {
            return false;
        }
        if level_ids.iter().any(|id| id == l) {
            return true;
        }
        let hint = if level_ids.is_empty() {
            msg!("hint_define_levels")
        } else {
            crate::base::text::suggestion(l, level_ids)
        };
        let d = Diagnostic::error(self.path, msg!("award_level_not_defined", level = l)).hint(hint);
        diags.push(self.at(d, &format!("{at}.level")));
        false
    }
}

/// Entries counted so far, by track and level.
type Places = std::collections::BTreeMap<(String, String), usize>;
