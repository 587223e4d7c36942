//! `sites/<id>/site.yaml` → a [`Site`] with no content yet: each setting
//! checked (web addresses, time zone, languages, publicity period) and
//! given its default.

use super::fields::at_key;
use super::raw::{RawContact, RawSite};
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use jiff::tz::TimeZone;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub(super) fn resolve_site(id: &str, raw: RawSite, path: &Path, text: &str, diags: &mut Diagnostics) -> Site {
    let RawSite {
        name,
        short_name,
        organizer,
        co_organizers,
        theme,
        base_url,
        languages,
        time_zone,
        publicity_days,
        registration_url,
        contacts,
        filing,
        example,
        allow_html,
    } = raw;
    // The home page's main button: a web address, nothing else.
    let registration_url = registration_url.filter(|u| {
        let ok = matches!(crate::base::safety::scheme(u).as_deref(), Some("http" | "https"));
        if !ok {
            diags.push(at_key(
                Diagnostic::error(path, msg!("registration_url_not_web", url = u.escape_debug())).hint(msg!("hint_registration_url")),
                text,
                "registration_url",
                "",
            ));
        }
        ok
    });
    let tz_name = time_zone.unwrap_or_else(|| "Asia/Shanghai".to_string());
    let tz = match TimeZone::get(&tz_name) {
        Ok(tz) => tz,
        Err(_) => {
            diags.push(at_key(
                Diagnostic::error(path, msg!("not_known_time_zone", tz_name = tz_name)).hint(msg!("use_iana_name_such")),
                text,
                "time_zone",
                &tz_name,
            ));
            TimeZone::UTC
        }
    };
    let mut languages = languages;
    if languages.is_empty() {
        diags.push(at_key(
            Diagnostic::error(path, msg!("site_lists_no_languages")).hint(msg!("write_first_default")),
            text,
            "languages",
            "",
        ));
        languages.push("zh".into());
    }
    let mut seen = BTreeSet::new();
    for l in &languages {
        if !seen.insert(l.clone()) {
            diags.push(at_key(
                Diagnostic::error(path, msg!("language_listed_twice", l = l)),
                text,
                "languages",
                "",
            ));
        }
        if !(l.len() >= 2 && l.len() <= 8 && l.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')) {
            diags.push(at_key(
                Diagnostic::error(path, msg!("not_language_code", l = l)).hint(msg!("use_codes_such")),
                text,
                "languages",
                "",
            ));
        }
    }
    let base_url = normalize_base_url(&base_url).unwrap_or_else(|| {
        diags.push(at_key(
            Diagnostic::error(path, msg!("not_absolute_web_address", base_url = base_url)).hint(msg!("write_address_site_published_at")),
            text,
            "base_url",
            &base_url,
        ));
        "https://example.invalid/".to_string()
    });
    let publicity_days = publicity_days.unwrap_or(7);
    if !(1..=366).contains(&publicity_days) {
        diags.push(at_key(
            Diagnostic::error(path, msg!("publicity_period_days_not_possible", publicity_days = publicity_days))
                .hint(msg!("usual_period_7_days")),
            text,
            "publicity_days",
            "",
        ));
    }
    let contacts = contacts
        .into_iter()
        .map(|c| {
            let RawContact {
                name,
                people,
                phone,
                email,
                address,
            } = c;
            Contact {
                name,
                people,
                phone: phone.0,
                email,
                address,
            }
        })
        .collect();
    let short_name = short_name.unwrap_or_else(|| name.clone());
    Site {
        id: id.to_string(),
        name,
        short_name,
        organizer,
        co_organizers,
        theme,
        base_url,
        languages,
        time_zone: tz,
        time_zone_name: tz_name,
        publicity_days: publicity_days.clamp(1, 366),
        registration_url,
        contacts,
        filing,
        example,
        allow_html,
        home: Translations::default(),
        notices: Vec::new(),
        tracks: Vec::new(),
        stages: Vec::new(),
        awards: None,
        criteria: None,
        publicity: Vec::new(),
        pages: Vec::new(),
        files: BTreeMap::new(),
        site_yaml: path.to_path_buf(),
        content_dir: path
            .parent()
            .and_then(Path::parent)
            .and_then(Path::parent)
            .map(|r| r.join("content").join(id))
            .unwrap_or_default(),
    }
}

/// `https://host/path` → `https://host/path/`; `None` unless http(s).
pub fn normalize_base_url(s: &str) -> Option<String> {
    let s = s.trim();
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return None;
    }
    Some(if s.ends_with('/') { s.to_string() } else { format!("{s}/") })
}

#[cfg(test)]
mod tests {
    use crate::load::site::normalize_base_url;

    #[test]
    fn base_url_gets_a_trailing_slash() {
        assert_eq!(
            normalize_base_url("https://a.gov.cn/sjj/ln").as_deref(),
            Some("https://a.gov.cn/sjj/ln/")
        );
        assert_eq!(normalize_base_url("a.gov.cn"), None);
    }
}
