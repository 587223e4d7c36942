//! `awards.yaml` → award levels, how many of each per track, special awards
//! and the national final.
//!
//! The counts name levels and tracks: every name is checked (all problems
//! reported) before anything is built, and the counts are then spelt out
//! per track, in level order, so nothing later looks names up again.

use super::raw::{RawAwards, RawLevel, RawNationalFinal, RawSpecial};
use super::read::load_yaml;
use super::refs::Broken;
use super::yaml::Source;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use std::collections::BTreeMap;
use std::path::Path;

/// The awards of `path`; `None` if a count names an unknown level or track.
pub(super) fn load_awards(site: &Site, path: &Path, broken: &Broken, diags: &mut Diagnostics) -> Option<Awards> {
    let (raw, source) = load_yaml::<RawAwards>(path, diags)?;
    let RawAwards {
        levels,
        counts,
        track_counts,
        special,
        national_final,
    } = raw;
    let level_ids: Vec<String> = levels.iter().map(|l| l.id.clone()).collect();
    let track_ids: Vec<String> = site.tracks.iter().map(|t| t.id.clone()).collect();
    let file = (path, &source);
    let mut ok = levels_known(&counts, "counts", &level_ids, file, diags);
    for (t, m) in &track_counts {
        let at = format!("track_counts.{t}");
        // Counts of a track that failed to load are no problem of this
        // file: they wait for the track.
        ok &= broken.tracks.contains(t) || broken.track_ok(t, &track_ids, path, diags, |d| source.at_key(d, &at));
        ok &= levels_known(m, &at, &level_ids, file, diags);
    }
    if !ok {
        return None;
    }
    let mut per_track = BTreeMap::new();
    for t in &track_ids {
        let m = track_counts.get(t).unwrap_or(&counts);
        per_track.insert(t.clone(), level_ids.iter().map(|l| m.get(l).copied().unwrap_or(0)).collect());
    }
    Some(Awards {
        levels: levels.into_iter().map(level).collect(),
        counts: per_track,
        special: special.into_iter().map(special_award).collect(),
        national_final: national_final.map(|n| {
            let RawNationalFinal { places, note } = n;
            (places, note)
        }),
        prose: Translations::default(),
    })
}

/// Does every level a count (at `at` of the file) names exist? An error
/// at each that does not.
fn levels_known(
    counts: &BTreeMap<String, u32>,
    at: &str,
    level_ids: &[String],
    (path, source): (&Path, &Source),
    diags: &mut Diagnostics,
) -> bool {
    let mut fine = true;
    for k in counts.keys() {
        if !level_ids.contains(k) {
            let hint = crate::base::text::suggestion(k, level_ids);
            let d = Diagnostic::error(path, msg!("award_level_not_defined", level = k)).hint(hint);
            diags.push(source.at_key(d, &format!("{at}.{k}")));
            fine = false;
        }
    }
    fine
}

fn level(raw: RawLevel) -> AwardLevel {
    let RawLevel { id, name } = raw;
    AwardLevel { id, name }
}

fn special_award(raw: RawSpecial) -> SpecialAward {
    let RawSpecial {
        name,
        count,
        count_text,
        description,
    } = raw;
    SpecialAward {
        name,
        count,
        count_text,
        description,
    }
}
