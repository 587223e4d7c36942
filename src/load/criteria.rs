//! `criteria.yaml` → the judging criteria, a table at most three levels
//! deep.

use super::fields::at_key;
use super::raw::{RawCriteria, RawCriterion};
use super::read::load_yaml;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use std::path::Path;

pub(super) fn load_criteria(path: &Path, diags: &mut Diagnostics) -> Option<Criteria> {
    let (raw, text) = load_yaml::<RawCriteria>(path, diags)?;
    let RawCriteria { levels, items } = raw;
    fn depth(c: &RawCriterion) -> usize {
        1 + c.children.iter().map(depth).max().unwrap_or(0)
    }
    if items.iter().map(depth).max().unwrap_or(0) > 3 {
        diags.push(
            at_key(
                Diagnostic::error(path, msg!("criteria_go_deeper_than_three_levels")),
                &text,
                "children",
                "",
            )
            .hint(msg!("criteria_table_has_at_most_three")),
        );
        return None;
    }
    fn convert(c: RawCriterion) -> Criterion {
        let RawCriterion {
            name,
            description,
            weight,
            children,
        } = c;
        Criterion {
            name,
            description,
            weight,
            children: children.into_iter().map(convert).collect(),
        }
    }
    Some(Criteria {
        column_names: levels.unwrap_or_default(),
        items: items.into_iter().map(convert).collect(),
        prose: Translations::default(),
    })
}
