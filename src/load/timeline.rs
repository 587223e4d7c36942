//! `timeline.yaml` → the competition's stages, each with exact dates or an
//! approximate time.
//!
//! Stages are resolved in file order by a [`Stages`] that remembers the ids
//! seen and the last start (a stage listed out of order is a warning), one
//! function per check: the id, which of start/end/approx are written, the
//! exact span and a publicity stage's length.

use super::fields::{id_problem, parse_date_field, valid_id};
use super::raw::{RawStage, RawTimeline};
use super::read::load_yaml;
use super::refs::Broken;
use super::yaml::Source;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::base::time::{self, DaySpan};
use crate::model::*;
use crate::msg;
use jiff::civil::Date;
use std::collections::BTreeSet;
use std::path::Path;

/// The stages of `path` that pass their checks, in file order.
/// (A publicity stage's length is not checked when the site's publicity
/// period is `broken`.)
pub(super) fn load_timeline(site: &Site, path: &Path, broken: &Broken, diags: &mut Diagnostics) -> Vec<Stage> {
    let Some((raw, source)) = load_yaml::<RawTimeline>(path, diags) else {
        return Vec::new();
    };
    let RawTimeline { stages } = raw;
    let mut resolver = Stages {
        publicity_days: (!broken.publicity_days).then_some(site.publicity_days),
        path,
        source: &source,
        index: 0,
        ids: BTreeSet::new(),
        last_start: None,
    };
    let mut out = Vec::new();
    for (i, s) in stages.into_iter().enumerate() {
        resolver.index = i;
        out.extend(resolver.stage(s, diags));
    }
    out
}

/// A timeline.yaml being resolved, stage after stage.
struct Stages<'a> {
    /// The site's publicity period, unless it is wrong.
    publicity_days: Option<i64>,
    path: &'a Path,
    source: &'a Source,
    /// The stage being resolved: its place in the list.
    index: usize,
    /// The ids of the stages so far.
    ids: BTreeSet<String>,
    /// The start of the last stage with exact dates, and its id.
    last_start: Option<(Date, String)>,
}

impl Stages<'_> {
    /// `d`, pointed at the stage's `key` (or at the stage, if it has none).
    fn at(&self, d: Diagnostic, key: &str) -> Diagnostic {
        self.source.at(d, &self.field(key))
    }

    /// The path of the stage's `key`: `stages.3.end`.
    fn field(&self, key: &str) -> String {
        format!("stages.{}.{key}", self.index)
    }

    /// One stage; `None` if it has a problem (reported).
    fn stage(&mut self, raw: RawStage, diags: &mut Diagnostics) -> Option<Stage> {
        let RawStage {
            id,
            kind,
            name,
            start,
            end,
            approx,
            starts_by,
            ends_by,
            description,
        } = raw;
        if !valid_id(&id) {
            diags.push(id_problem(self.path, self.source, &self.field("id"), &id));
            return None;
        }
        if !self.ids.insert(id.clone()) {
            diags.push(self.at(Diagnostic::error(self.path, msg!("stage_id_used_twice", id = id)), "id"));
            return None;
        }
        let bounds = starts_by.is_some() || ends_by.is_some();
        let when = match (start, end, approx) {
            (Some(_), _, None) if bounds => {
                let key = if starts_by.is_some() { "starts_by" } else { "ends_by" };
                let d = Diagnostic::error(self.path, msg!("bound_needs_approx", id = id, key = key));
                diags.push(self.at(d, key).hint(msg!("hint_bound_needs_approx", key = key)));
                return None;
            }
            (Some(st), en, None) => When::Exact(self.exact(&id, kind, &st, en.as_deref(), diags)?),
            (None, None, Some(text)) => When::Approx(self.approx(&id, text, starts_by, ends_by, diags)?),
            (st, en, _) => {
                diags.push(self.no_when(&id, st.is_some(), en.is_some()));
                return None;
            }
        };
        Some(Stage {
            id,
            kind,
            name,
            when,
            description,
        })
    }

    /// What is wrong when a stage has neither exact dates nor only an
    /// approximate time: an end without a start, both, or nothing.
    fn no_when(&self, id: &str, start: bool, end: bool) -> Diagnostic {
        let error = |m| Diagnostic::error(self.path, m);
        match (start, end) {
            (false, true) => self
                .at(error(msg!("stage_has_but_no", id = id)), "end")
                .hint(msg!("hint_add_start")),
            (true, _) => self
                .at(error(msg!("stage_has_both_exact_dates", id = id)), "approx")
                .hint(msg!("keep_when_dates_are_known_only")),
            (false, false) => self
                .at(error(msg!("stage_has_no_date", id = id)), "id")
                .hint(msg!("add_when_no_date_announced")),
        }
    }

    /// A stage's exact days: from `start` to `end` (a publicity stage
    /// without an end lasts the site's publicity period; another, a day).
    fn exact(&mut self, id: &str, kind: StageKind, start: &str, end: Option<&str>, diags: &mut Diagnostics) -> Option<DaySpan> {
        let sd = parse_date_field(start, self.path, self.source, &self.field("start"), diags)?;
        let ed = match end {
            Some(e) => parse_date_field(e, self.path, self.source, &self.field("end"), diags)?,
            None if kind == StageKind::Publicity => time::add_days(sd, self.publicity_days.unwrap_or(7) - 1),
            None => sd,
        };
        if ed < sd {
            let d = Diagnostic::error(self.path, msg!("stage_ends_before_starts", id = id, ed = ed, sd = sd));
            diags.push(self.at(d, "end").hint(msg!("check_two_dates_must_on_after")));
            return None;
        }
        let span = DaySpan::new(sd, ed);
        if kind == StageKind::Publicity && !self.publicity_length_ok(id, span, sd, end, diags) {
            return None;
        }
        self.check_order(id, sd, diags);
        Some(span)
    }

    /// An approximate stage and the bounds its notice gives: both dates,
    /// and the end not before the start.
    fn approx(&self, id: &str, text: Text, starts_by: Option<String>, ends_by: Option<String>, diags: &mut Diagnostics) -> Option<Approx> {
        let mut date = |key: &str, v: Option<String>| match v {
            Some(v) => parse_date_field(&v, self.path, self.source, &self.field(key), diags).map(Some),
            None => Some(None),
        };
        let (starts_by, ends_by) = (date("starts_by", starts_by)?, date("ends_by", ends_by)?);
        if let (Some(s), Some(e)) = (starts_by, ends_by) {
            if e < s {
                let d = Diagnostic::error(self.path, msg!("bound_end_before_start", id = id, ed = e, sd = s));
                diags.push(self.at(d, "ends_by").hint(msg!("hint_bound_end_before_start")));
                return None;
            }
        }
        Some(Approx { text, starts_by, ends_by })
    }

    /// A publicity stage lasts exactly the site's publicity period.
    fn publicity_length_ok(&self, id: &str, span: DaySpan, sd: Date, end: Option<&str>, diags: &mut Diagnostics) -> bool {
        let Some(days) = self.publicity_days else {
            return true;
        };
        if span.days() == days {
            return true;
        }
        let want = time::add_days(sd, days - 1);
        let d = Diagnostic::error(
            self.path,
            msg!("publicity_stage_lasts_days_but_publicity", id = id, arg0 = span.days(), arg1 = days),
        );
        let hint = msg!("day_period_starting_ends_on_write", arg0 = days, sd = sd, want = want);
        diags.push(self.at(d, if end.is_some() { "end" } else { "start" }).hint(hint));
        false
    }

    /// Stages are listed in the order they happen: a warning at a stage
    /// that starts before the one above it.
    fn check_order(&mut self, id: &str, sd: Date, diags: &mut Diagnostics) {
        if let Some((prev, prev_id)) = &self.last_start {
            if sd < *prev {
                let d = Diagnostic::warning(
                    self.path,
                    msg!("stage_starts_before_stage_listed_above", id = id, prev_id = prev_id),
                );
                diags.push(self.at(d, "start").hint(msg!("list_stages_order_they_happen")));
            }
        }
        self.last_start = Some((sd, id.to_string()));
    }
}
