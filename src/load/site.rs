//! `sites/<id>/site.yaml` → a [`Site`] with no content yet: each setting
//! checked (web addresses, time zone, languages, publicity period) and
//! given its default.
//!
//! One method per setting that can be wrong, each reporting its own
//! problem and returning a usable value anyway, so that the content can
//! still be checked against a site whose settings have mistakes.

use super::raw::{RawContact, RawSite};
use super::refs::Broken;
use super::yaml::Source;
use crate::base::diag::{Diagnostic, Diagnostics, Msg};
use crate::model::*;
use crate::msg;
use jiff::tz::TimeZone;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The site `id` as its site.yaml (`raw`, read from `source` at `path`)
/// describes it, with every setting checked; and the settings that are
/// wrong, whose echoes in the content are not reported again.
pub(super) fn resolve_site(id: &str, raw: RawSite, path: &Path, source: &Source, diags: &mut Diagnostics) -> (Site, Broken) {
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
    let file = SiteYaml { path, source };
    let registration_url = registration_url.filter(|u| file.web_address_ok(u, diags));
    let (time_zone, time_zone_name) = file.time_zone(time_zone, diags);
    let languages = file.languages(languages, diags);
    let base_url = file.base_url(base_url, diags);
    let (publicity_days, days_ok) = file.publicity_days(publicity_days.unwrap_or(7), diags);
    let broken = Broken {
        publicity_days: !days_ok,
        ..Broken::default()
    };
    let short_name = short_name.unwrap_or_else(|| name.clone());
    let site = Site {
        id: id.to_string(),
        name,
        short_name,
        organizer,
        co_organizers,
        theme,
        base_url,
        languages,
        time_zone,
        time_zone_name,
        publicity_days,
        registration_url,
        contacts: contacts.into_iter().map(contact).collect(),
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
        content_dir: content_dir(path, id),
    };
    (site, broken)
}

/// The site.yaml being resolved: where its problems are reported and
/// pointed at.
struct SiteYaml<'a> {
    path: &'a Path,
    source: &'a Source,
}

impl SiteYaml<'_> {
    /// An error with `message`, pointed at the value at `at`.
    fn error(&self, message: Msg, at: &str) -> Diagnostic {
        self.source.at(Diagnostic::error(self.path, message), at)
    }

    /// The home page's main button: a web address, nothing else.
    fn web_address_ok(&self, url: &str, diags: &mut Diagnostics) -> bool {
        let ok = matches!(crate::base::safety::scheme(url).as_deref(), Some("http" | "https"));
        if !ok {
            let message = msg!("registration_url_not_web", url = url.escape_debug());
            diags.push(self.error(message, "registration_url").hint(msg!("hint_registration_url")));
        }
        ok
    }

    /// The time zone named (Asia/Shanghai if none), and its name; UTC if
    /// the name is not known.
    fn time_zone(&self, name: Option<String>, diags: &mut Diagnostics) -> (TimeZone, String) {
        let name = name.unwrap_or_else(|| "Asia/Shanghai".to_string());
        let tz = match TimeZone::get(&name) {
            Ok(tz) => tz,
            Err(_) => {
                let d = self.error(msg!("not_known_time_zone", tz_name = name), "time_zone");
                diags.push(d.hint(msg!("use_iana_name_such")));
                TimeZone::UTC
            }
        };
        (tz, name)
    }

    /// At least one language (`zh` if none is listed), each a code, none
    /// twice.
    fn languages(&self, mut languages: Vec<String>, diags: &mut Diagnostics) -> Vec<String> {
        if languages.is_empty() {
            diags.push(
                self.error(msg!("site_lists_no_languages"), "languages")
                    .hint(msg!("write_first_default")),
            );
            languages.push("zh".into());
        }
        let mut seen = BTreeSet::new();
        for (i, l) in languages.iter().enumerate() {
            let at = format!("languages.{i}");
            if !seen.insert(l.clone()) {
                diags.push(self.error(msg!("language_listed_twice", l = l), &at));
            }
            if !(l.len() >= 2 && l.len() <= 8 && l.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')) {
                diags.push(self.error(msg!("not_language_code", l = l), &at).hint(msg!("use_codes_such")));
            }
        }
        languages
    }

    /// The address the site is published at, ending in `/`; a stand-in if
    /// it is not an absolute web address.
    fn base_url(&self, base_url: String, diags: &mut Diagnostics) -> String {
        normalize_base_url(&base_url).unwrap_or_else(|| {
            let d = self.error(msg!("not_absolute_web_address", base_url = base_url), "base_url");
            diags.push(d.hint(msg!("write_address_site_published_at")));
            "https://example.invalid/".to_string()
        })
    }

    /// The publicity period, 1 to 366 days, and whether it is; if not,
    /// it is reported, and the usual 7 days stand in for it.
    fn publicity_days(&self, days: i64, diags: &mut Diagnostics) -> (i64, bool) {
        if (1..=366).contains(&days) {
            return (days, true);
        }
        let d = self.error(msg!("publicity_period_days_not_possible", publicity_days = days), "publicity_days");
        diags.push(d.hint(msg!("usual_period_7_days")));
        (7, false)
    }
}

fn contact(raw: RawContact) -> Contact {
    let RawContact {
        name,
        people,
        phone,
        email,
        address,
    } = raw;
    Contact {
        name,
        people,
        phone: phone.0,
        email,
        address,
    }
}

/// `content/<id>/` beside the `sites/` folder that holds `site_yaml`.
fn content_dir(site_yaml: &Path, id: &str) -> std::path::PathBuf {
    site_yaml
        .parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .map(|r| r.join("content").join(id))
        .unwrap_or_default()
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
