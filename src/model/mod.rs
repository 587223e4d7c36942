//! The resolved model: one validated [`Site`] per province.
//!
//! Raw structs (in `content`) mirror the files; these types are what the
//! rest of the build sees. Language-neutral facts (dates, numbers, ids) are
//! stored once; text that differs per language sits in [`Text`] (a label) or
//! [`Translations`] (a Markdown document per language).

use crate::base::time::DaySpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A human-readable label, per language: `{zh: 工业制造, en: Manufacturing}`.
/// A plain string is the same text in every language (a name, an e-mail).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub by_lang: BTreeMap<String, String>,
    pub any: Option<String>,
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text, or a text per language such as `{zh: 中文, en: English}`")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Text, E> {
                Ok(Text {
                    by_lang: BTreeMap::new(),
                    any: Some(s.to_string()),
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Text, A::Error> {
                let mut by_lang = BTreeMap::new();
                while let Some((k, v)) = m.next_entry::<String, crate::base::strict::Strict>()? {
                    by_lang.insert(k, v.0);
                }
                Ok(Text { by_lang, any: None })
            }
        }
        d.deserialize_any(V)
    }
}

impl Text {
    /// The text for `lang`, falling back to `default`. The flag is true when
    /// the fallback was used.
    pub fn get(&self, lang: &str, default: &str) -> Option<(&str, bool)> {
        if let Some(s) = &self.any {
            return Some((s, false));
        }
        if let Some(s) = self.by_lang.get(lang) {
            return Some((s, false));
        }
        self.by_lang.get(default).map(|s| (s.as_str(), lang != default))
    }

    /// The text for `lang` (or the default language's), empty if none.
    pub fn show(&self, lang: &str, default: &str) -> String {
        self.get(lang, default).map(|(s, _)| s.to_string()).unwrap_or_default()
    }
}

/// A value per language (a Markdown document, a notice's texts).
#[derive(Debug, Clone, PartialEq)]
pub struct Translations<T> {
    pub by_lang: BTreeMap<String, T>,
}

impl<T> Default for Translations<T> {
    fn default() -> Self {
        Translations { by_lang: BTreeMap::new() }
    }
}

impl<T> Translations<T> {
    /// The version for `lang`, falling back to `default` (flag true then).
    pub fn get(&self, lang: &str, default: &str) -> Option<(&T, bool)> {
        match self.by_lang.get(lang) {
            Some(t) => Some((t, false)),
            None => self.by_lang.get(default).map(|t| (t, lang != default)),
        }
    }
}

/// One Markdown document in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub title: String,
    pub body: String,
    pub path: PathBuf,
}

/// One value or a list of them: `phone: "024-1"` or `phone: ["024-1", "024-2"]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text or a list of texts such as `[\"024-1\", \"024-2\"]`")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![s.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut v = Vec::new();
                while let Some(s) = seq.next_element::<crate::base::strict::Strict>()? {
                    v.push(s.0);
                }
                Ok(OneOrMany(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub name: Option<Text>,
    pub people: Option<Text>,
    /// Phone numbers, each as written.
    pub phone: Vec<String>,
    pub email: Option<String>,
    pub address: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Filing {
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    pub website_code: Option<String>,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    pub icp: Option<String>,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    pub police: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub id: String,
    pub name: Text,
    pub short_name: Text,
    pub organizer: Option<Text>,
    pub co_organizers: Vec<Text>,
    pub theme: Option<Text>,
    /// Absolute, ending in `/`.
    pub base_url: String,
    /// The first is the default language.
    pub languages: Vec<String>,
    pub time_zone: TimeZone,
    pub time_zone_name: String,
    pub publicity_days: i64,
    pub registration_url: Option<String>,
    pub contacts: Vec<Contact>,
    pub filing: Option<Filing>,
    pub example: bool,
    pub allow_html: bool,
    pub home: Translations<Doc>,
    pub notices: Vec<std::sync::Arc<Notice>>,
    pub tracks: Vec<Track>,
    pub stages: Vec<Stage>,
    pub awards: Option<Awards>,
    pub criteria: Option<Criteria>,
    pub publicity: Vec<Publicity>,
    pub pages: Vec<Page>,
    /// Attachments: name in `/files/` → source path.
    pub files: BTreeMap<String, PathBuf>,
    /// `sites/<id>/site.yaml` and `content/<id>/`, for pointing at files.
    pub site_yaml: PathBuf,
    pub content_dir: PathBuf,
}

impl Site {
    pub fn default_lang(&self) -> &str {
        &self.languages[0]
    }

    /// Where a language's pages live: `""` for the default language,
    /// `"en/"` for the others.
    pub fn lang_prefix(&self, lang: &str) -> String {
        if lang == self.default_lang() {
            String::new()
        } else {
            format!("{lang}/")
        }
    }

    /// The path part of the base URL (`/` or `/sjj/ln/`).
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map(|(_, r)| r).unwrap_or("");
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".to_string(),
        }
    }

    pub fn track(&self, id: &str) -> Option<&Track> {
        self.tracks.iter().find(|t| t.id == id)
    }

    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// An award level by id, with its rank (0 for the highest).
    pub fn level(&self, id: &str) -> Option<(usize, &AwardLevel)> {
        self.awards.as_ref()?.levels.iter().enumerate().find(|(_, l)| l.id == id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeCategory {
    Notice,
    Announcement,
    Result,
    Other,
}

impl NoticeCategory {
    /// Its word as written in the files (and in i18n keys, CSS classes and
    /// machine-readable output).
    pub fn key(self) -> &'static str {
        match self {
            NoticeCategory::Notice => "notice",
            NoticeCategory::Announcement => "announcement",
            NoticeCategory::Result => "result",
            NoticeCategory::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoticeText {
    pub title: String,
    pub summary: Option<String>,
    pub issuers: Vec<String>,
    pub attachment_titles: Vec<Option<String>>,
    pub body: String,
    pub path: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub slug: String,
    pub date: Date,
    pub doc_number: Option<String>,
    pub category: NoticeCategory,
    pub draft: bool,
    pub publish_at: Option<Timestamp>,
    /// File names under `/files/`.
    pub attachments: Vec<String>,
    pub text: Translations<NoticeText>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: String,
    pub name: Text,
    pub intro: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub id: String,
    pub number: u32,
    pub group: Option<String>,
    pub text: Translations<Doc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    pub id: String,
    pub number: u32,
    pub name: Text,
    pub guiding_unit: Option<Text>,
    pub intro: Option<Text>,
    pub groups: Vec<Group>,
    pub topics: Vec<Topic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    Registration,
    Review,
    Verification,
    Publicity,
    Final,
    Ceremony,
    Other,
}

impl StageKind {
    /// Its word as written in the files (and in i18n keys, CSS classes and
    /// machine-readable output).
    pub fn key(self) -> &'static str {
        match self {
            StageKind::Registration => "registration",
            StageKind::Review => "review",
            StageKind::Verification => "verification",
            StageKind::Publicity => "publicity",
            StageKind::Final => "final",
            StageKind::Ceremony => "ceremony",
            StageKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum When {
    Exact(DaySpan),
    Approx(Approx),
}

/// A stage known only approximately ("4月下旬启动", "拟于9月底举办"), with
/// what the notice's own words bound: the last day by which it has begun,
/// the last day by which it is over. Once a bound has passed the site
/// stops saying "to be announced".
#[derive(Debug, Clone, PartialEq)]
pub struct Approx {
    pub text: Text,
    pub starts_by: Option<Date>,
    pub ends_by: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub id: String,
    pub kind: StageKind,
    pub name: Text,
    pub when: When,
    pub description: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AwardLevel {
    pub id: String,
    pub name: Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SpecialAward {
    pub name: Text,
    pub count: Option<u32>,
    pub count_text: Option<Text>,
    pub description: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Awards {
    pub levels: Vec<AwardLevel>,
    /// Places per level id for each track (overrides applied).
    pub counts: BTreeMap<String, Vec<u32>>,
    pub special: Vec<SpecialAward>,
    pub national_final: Option<(u32, Option<Text>)>,
    pub prose: Translations<Doc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    pub name: Text,
    pub description: Option<Text>,
    pub weight: Option<f64>,
    pub children: Vec<Criterion>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Criteria {
    pub column_names: BTreeMap<String, Vec<String>>,
    pub items: Vec<Criterion>,
    pub prose: Translations<Doc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicityKind {
    Finalists,
    Winners,
    Other,
}

impl PublicityKind {
    /// Its word as written in the files (and in i18n keys, CSS classes and
    /// machine-readable output).
    pub fn key(self) -> &'static str {
        match self {
            PublicityKind::Finalists => "finalists",
            PublicityKind::Winners => "winners",
            PublicityKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Objection {
    pub text: Option<Text>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub track: Option<String>,
    pub level: Option<String>,
    pub project: Text,
    pub entrant: Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Publicity {
    pub slug: String,
    pub kind: PublicityKind,
    pub title: Text,
    pub stage: Option<String>,
    pub window: DaySpan,
    pub intro: Option<Text>,
    pub objection: Option<Objection>,
    pub entries: Vec<Entry>,
    pub draft: bool,
    pub publish_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub slug: String,
    pub menu: Option<i32>,
    pub draft: bool,
    pub text: Translations<Doc>,
}
