//! `criteria.yaml` → the judging criteria, a table at most three levels
//! deep.

use super::raw::{RawCriteria, RawCriterion};
use super::read::load_yaml;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use std::path::Path;

pub(super) fn load_criteria(path: &Path, diags: &mut Diagnostics) -> Option<Criteria> {
    let (raw, source) = load_yaml::<RawCriteria>(path, diags)?;
    let RawCriteria { levels, items } = raw;
    if let Some(at) = too_deep(&items, "items", 1) {
        let d = Diagnostic::error(path, msg!("criteria_go_deeper_than_three_levels"));
        diags.push(source.at_key(d, &at).hint(msg!("criteria_table_has_at_most_three")));
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

/// The path of the first criterion below the third level (`items.0.children.1.children.0.children`),
/// if one is: the list of `items` at `at` is on level `level`.
fn too_deep(items: &[RawCriterion], at: &str, level: usize) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    if level > 3 {
        return Some(at.to_string());
    }
    items
        .iter()
        .enumerate()
        .find_map(|(i, c)| too_deep(&c.children, &format!("{at}.{i}.children"), level + 1))
}
