//! Checks of single fields that every kind of content has: ids (they become
//! web addresses and folder names) and dates.

use super::yaml::Source;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::base::time::{self, DateError};
use crate::msg;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use std::path::Path;

/// Ids become URLs and folder names: lowercase ASCII, digits and `-`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

pub(super) fn suggest_id(id: &str) -> String {
    let mut s = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_string()
}

/// An id that cannot be part of a web address, written at `at` of `source`.
pub(super) fn id_problem(path: &Path, source: &Source, at: &str, id: &str) -> Diagnostic {
    let d = source.at(Diagnostic::error(path, msg!("cannot_used_id_becomes_part_web", id = id)), at);
    let s = suggest_id(id);
    let hint = if s.is_empty() {
        msg!("hint_id_chars")
    } else {
        msg!("hint_rename_id", suggest = s)
    };
    d.hint(hint)
}

/// What is wrong with the date `value` written at `at` of `source`.
pub(super) fn date_problem(e: DateError, path: &Path, source: &Source, at: &str, value: &str) -> Diagnostic {
    let key = at.rsplit('.').next().unwrap_or(at);
    let d = match e {
        DateError::Impossible => {
            Diagnostic::error(path, msg!("not_day_calendar", value = value)).hint(msg!("check_month_day_february_has_28"))
        }
        DateError::NotIso { suggest: Some(s) } => {
            Diagnostic::error(path, msg!("date_not_form_yyyy_mm_dd", value = value)).hint(msg!("hint_write_iso_date", key = key, s = s))
        }
        DateError::NotIso { suggest: None } => {
            Diagnostic::error(path, msg!("not_date", value = value)).hint(msg!("write_date_yyyy_mm_dd_2025"))
        }
        DateError::TooLate => {
            Diagnostic::error(path, msg!("date_too_late", value = value, last = time::LAST_DATE)).hint(msg!("hint_date_too_late"))
        }
        DateError::BadOffset { offset } => {
            Diagnostic::error(path, msg!("offset_unreal", value = value, offset = offset)).hint(msg!("hint_offset_unreal"))
        }
    };
    source.at(d, at)
}

/// The date `value` written at `at` of `source`; `None` if it is not one
/// (reported).
pub(super) fn parse_date_field(value: &str, path: &Path, source: &Source, at: &str, diags: &mut Diagnostics) -> Option<Date> {
    time::parse_date(value)
        .map_err(|e| diags.push(date_problem(e, path, source, at, value)))
        .ok()
}

/// The instant `publish_at: value` of `source` names, in the site's time
/// zone `tz`; `None` if it names none (reported).
pub(super) fn parse_publish_at(value: &str, tz: &TimeZone, path: &Path, source: &Source, diags: &mut Diagnostics) -> Option<Timestamp> {
    match time::parse_instant_or_date(value, tz) {
        Ok(t) => Some(t),
        Err(DateError::NotIso { suggest: None }) => {
            let d = Diagnostic::error(path, msg!("not_date_time", value = value)).hint(msg!("hint_write_publish_at"));
            diags.push(source.at(d, "publish_at"));
            None
        }
        Err(e) => {
            diags.push(date_problem(e, path, source, "publish_at", value));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::load::fields::{suggest_id, valid_id};

    #[test]
    fn ids_must_be_url_safe() {
        assert!(valid_id("notice-2025-3"));
        for bad in ["", "../x", "a b", "Caps", "a/b", "-a", "中文"] {
            assert!(!valid_id(bad), "{bad:?}");
        }
        assert_eq!(suggest_id("My Notice"), "my-notice");
    }
}
