//! `timeline.yaml` → the competition's stages, each with exact dates or an
//! approximate time.

use super::fields::{at_key, id_problem, parse_date_field, valid_id};
use super::raw::{RawStage, RawTimeline};
use super::read::load_yaml;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::base::time::{self, DaySpan};
use crate::model::*;
use crate::msg;
use jiff::civil::Date;
use std::collections::BTreeSet;
use std::path::Path;

pub(super) fn load_timeline(site: &Site, path: &Path, diags: &mut Diagnostics) -> Vec<Stage> {
    let Some((raw, text)) = load_yaml::<RawTimeline>(path, diags) else {
        return Vec::new();
    };
    let mut stages = Vec::new();
    let mut ids = BTreeSet::new();
    let mut last_start: Option<(Date, String)> = None;
    for s in raw.stages {
        let RawStage {
            id,
            kind,
            name,
            start,
            end,
            approx,
            description,
        } = s;
        if !valid_id(&id) {
            diags.push(id_problem(path, Some(&text), "id", &id));
            continue;
        }
        if !ids.insert(id.clone()) {
            diags.push(at_key(
                Diagnostic::error(path, msg!("stage_id_used_twice", id = id)),
                &text,
                "id",
                &id,
            ));
            continue;
        }
        let when = match (start, end, approx) {
            (Some(st), en, None) => {
                let Some(sd) = parse_date_field(&st, path, &text, "start", diags) else {
                    continue;
                };
                let ed = match &en {
                    Some(e) => match parse_date_field(e, path, &text, "end", diags) {
                        Some(d) => d,
                        None => continue,
                    },
                    None if kind == StageKind::Publicity => time::add_days(sd, site.publicity_days - 1),
                    None => sd,
                };
                if ed < sd {
                    diags.push(
                        at_key(
                            Diagnostic::error(path, msg!("stage_ends_before_starts", id = id, ed = ed, sd = sd)),
                            &text,
                            "end",
                            en.as_deref().unwrap_or(""),
                        )
                        .hint(msg!("check_two_dates_must_on_after")),
                    );
                    continue;
                }
                let span = DaySpan::new(sd, ed);
                if kind == StageKind::Publicity && span.days() != site.publicity_days {
                    let want = time::add_days(sd, site.publicity_days - 1);
                    diags.push(
                        at_key(
                            Diagnostic::error(
                                path,
                                msg!(
                                    "publicity_stage_lasts_days_but_publicity",
                                    id = id,
                                    arg0 = span.days(),
                                    arg1 = site.publicity_days
                                ),
                            ),
                            &text,
                            "end",
                            en.as_deref().unwrap_or(""),
                        )
                        .hint(msg!(
                            "day_period_starting_ends_on_write",
                            arg0 = site.publicity_days,
                            sd = sd,
                            want = want
                        )),
                    );
                    continue;
                }
                if let Some((prev, prev_id)) = &last_start {
                    if sd < *prev {
                        diags.push(
                            at_key(
                                Diagnostic::warning(path, msg!("stage_starts_before_stage_listed_above", id = id, prev_id = prev_id)),
                                &text,
                                "start",
                                &st,
                            )
                            .hint(msg!("list_stages_order_they_happen")),
                        );
                    }
                }
                last_start = Some((sd, id.clone()));
                When::Exact(span)
            }
            (None, None, Some(a)) => When::Approx(a),
            (None, Some(_), _) => {
                diags.push(
                    at_key(Diagnostic::error(path, msg!("stage_has_but_no", id = id)), &text, "id", &id).hint(msg!("hint_add_start")),
                );
                continue;
            }
            (Some(_), _, Some(_)) => {
                diags.push(
                    at_key(
                        Diagnostic::error(path, msg!("stage_has_both_exact_dates", id = id)),
                        &text,
                        "approx",
                        "",
                    )
                    .hint(msg!("keep_when_dates_are_known_only")),
                );
                continue;
            }
            (None, None, None) => {
                diags.push(
                    at_key(Diagnostic::error(path, msg!("stage_has_no_date", id = id)), &text, "id", &id)
                        .hint(msg!("add_when_no_date_announced")),
                );
                continue;
            }
        };
        stages.push(Stage {
            id,
            kind,
            name,
            when,
            description,
        });
    }
    stages
}
