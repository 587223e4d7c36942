//! `awards.yaml` → award levels, how many of each per track, special awards
//! and the national final.

use super::fields::at_key;
use super::raw::{RawAwards, RawLevel, RawNationalFinal, RawSpecial};
use super::read::load_yaml;
use super::refs::Broken;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use std::collections::BTreeMap;
use std::path::Path;

pub(super) fn load_awards(site: &Site, path: &Path, broken: &Broken, diags: &mut Diagnostics) -> Option<Awards> {
    let (raw, text) = load_yaml::<RawAwards>(path, diags)?;
    let RawAwards {
        levels,
        counts,
        track_counts,
        special,
        national_final,
    } = raw;
    let level_ids: Vec<String> = levels.iter().map(|l| l.id.clone()).collect();
    let track_ids: Vec<String> = site.tracks.iter().map(|t| t.id.clone()).collect();
    let mut ok = true;
    let check_levels = |m: &BTreeMap<String, u32>, diags: &mut Diagnostics| -> bool {
        let mut fine = true;
        for k in m.keys() {
            if !level_ids.contains(k) {
                let hint = crate::base::text::suggestion(k, &level_ids);
                diags.push(at_key(
                    Diagnostic::error(path, msg!("award_level_not_defined", level = k)).hint(hint),
                    &text,
                    k,
                    "",
                ));
                fine = false;
            }
        }
        fine
    };
    ok &= check_levels(&counts, diags);
    for (t, m) in &track_counts {
        if broken.tracks.contains(t) {
            ok = false;
        } else if !track_ids.contains(t) {
            let hint = crate::base::text::suggestion(t, &track_ids);
            diags.push(at_key(
                Diagnostic::error(path, msg!("track_does_not_exist", t = t)).hint(hint),
                &text,
                t,
                "",
            ));
            ok = false;
        }
        ok &= check_levels(m, diags);
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
        levels: levels
            .into_iter()
            .map(|l| {
                let RawLevel { id, name } = l;
                AwardLevel { id, name }
            })
            .collect(),
        counts: per_track,
        special: special
            .into_iter()
            .map(|s| {
                let RawSpecial {
                    name,
                    count,
                    count_text,
                    description,
                } = s;
                SpecialAward {
                    name,
                    count,
                    count_text,
                    description,
                }
            })
            .collect(),
        national_final: national_final.map(|n| {
            let RawNationalFinal { places, note } = n;
            (places, note)
        }),
        prose: Translations::default(),
    })
}
