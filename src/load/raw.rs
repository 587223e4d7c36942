//! The files as they are written: one serde struct per file (or front
//! matter), field for field.
//!
//! `deny_unknown_fields` makes a misspelt field an error with a suggestion.
//! The loaders destructure these structs without `..`, so a field added here
//! that no loader handles does not compile. They live together so that the
//! whole of what an editor may write can be read on one page.

use crate::model::*;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSite {
    pub(super) name: Text,
    pub(super) short_name: Option<Text>,
    pub(super) organizer: Option<Text>,
    #[serde(default)]
    pub(super) co_organizers: Vec<Text>,
    pub(super) theme: Option<Text>,
    pub(super) base_url: String,
    pub(super) languages: Vec<String>,
    pub(super) time_zone: Option<String>,
    pub(super) publicity_days: Option<i64>,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    pub(super) registration_url: Option<String>,
    #[serde(default)]
    pub(super) contacts: Vec<RawContact>,
    pub(super) filing: Option<Filing>,
    #[serde(default)]
    pub(super) example: bool,
    #[serde(default)]
    pub(super) allow_html: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawContact {
    pub(super) name: Option<Text>,
    pub(super) people: Option<Text>,
    #[serde(default)]
    pub(super) phone: OneOrMany,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    pub(super) email: Option<String>,
    pub(super) address: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNoticeFront {
    #[serde(deserialize_with = "crate::base::strict::text")]
    pub(super) title: String,
    pub(super) date: Option<String>,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    pub(super) doc_number: Option<String>,
    #[serde(default, deserialize_with = "crate::base::strict::texts")]
    pub(super) issuers: Vec<String>,
    pub(super) category: Option<NoticeCategory>,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    pub(super) summary: Option<String>,
    #[serde(default)]
    pub(super) attachments: Vec<RawAttachment>,
    pub(super) draft: Option<bool>,
    pub(super) publish_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAttachment {
    #[serde(deserialize_with = "crate::base::strict::text")]
    pub(super) file: String,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    pub(super) title: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTitleFront {
    #[serde(deserialize_with = "crate::base::strict::text")]
    pub(super) title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOptionalTitleFront {
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    pub(super) title: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPageFront {
    #[serde(deserialize_with = "crate::base::strict::text")]
    pub(super) title: String,
    pub(super) menu: Option<i32>,
    pub(super) draft: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTrack {
    pub(super) number: u32,
    pub(super) name: Text,
    pub(super) guiding_unit: Option<Text>,
    pub(super) intro: Option<Text>,
    #[serde(default)]
    pub(super) groups: Vec<RawGroup>,
    #[serde(default)]
    pub(super) topics: Vec<RawTopicRef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGroup {
    pub(super) id: String,
    pub(super) name: Text,
    pub(super) intro: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTopicRef {
    pub(super) id: String,
    pub(super) number: u32,
    pub(super) group: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTimeline {
    #[serde(default)]
    pub(super) stages: Vec<RawStage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStage {
    pub(super) id: String,
    pub(super) kind: StageKind,
    pub(super) name: Text,
    pub(super) start: Option<String>,
    pub(super) end: Option<String>,
    pub(super) approx: Option<Text>,
    pub(super) starts_by: Option<String>,
    pub(super) ends_by: Option<String>,
    pub(super) description: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAwards {
    pub(super) levels: Vec<RawLevel>,
    #[serde(default)]
    pub(super) counts: BTreeMap<String, u32>,
    #[serde(default)]
    pub(super) track_counts: BTreeMap<String, BTreeMap<String, u32>>,
    #[serde(default)]
    pub(super) special: Vec<RawSpecial>,
    pub(super) national_final: Option<RawNationalFinal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLevel {
    pub(super) id: String,
    pub(super) name: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSpecial {
    pub(super) name: Text,
    pub(super) count: Option<u32>,
    pub(super) count_text: Option<Text>,
    pub(super) description: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNationalFinal {
    pub(super) places: u32,
    pub(super) note: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCriteria {
    pub(super) levels: Option<BTreeMap<String, Vec<String>>>,
    pub(super) items: Vec<RawCriterion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCriterion {
    pub(super) name: Text,
    pub(super) description: Option<Text>,
    pub(super) weight: Option<f64>,
    #[serde(default)]
    pub(super) children: Vec<RawCriterion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPublicity {
    pub(super) kind: PublicityKind,
    pub(super) title: Text,
    pub(super) stage: Option<String>,
    pub(super) start: Option<String>,
    pub(super) end: Option<String>,
    pub(super) intro: Option<Text>,
    pub(super) objection: Option<RawObjection>,
    #[serde(default)]
    pub(super) entries: Vec<RawEntry>,
    pub(super) draft: Option<bool>,
    pub(super) publish_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawObjection {
    pub(super) text: Option<Text>,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    pub(super) email: Option<String>,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    pub(super) phone: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEntry {
    pub(super) track: Option<String>,
    pub(super) level: Option<String>,
    pub(super) project: Text,
    pub(super) entrant: Text,
}
