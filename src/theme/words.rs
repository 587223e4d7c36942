//! The words of one language: interface strings with their placeholders
//! filled, dates, day counts, and the name of every status and kind —
//! written once here for the pages, the feeds and the calendar alike.

use crate::base::fill::fill;
use crate::base::time::SpanStatus;
use crate::model::{NoticeCategory, PublicityKind, StageKind};
use crate::schedule::StageStatus;
use crate::theme::Strings;
use jiff::civil::Date;

/// One language's interface strings, with what is made of them.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub strings: &'a Strings,
}

impl<'a> Words<'a> {
    pub fn new(strings: &'a Strings) -> Self {
        Words { strings }
    }

    /// A string as written (its key when the theme lacks it, so a gap is
    /// visible rather than silent).
    pub fn s(&self, key: &str) -> String {
        self.strings.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    /// A string with its placeholders filled.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(&self.s(key), args)
    }

    /// A day, as the language writes it (`2025年8月22日`, `22 August 2025`).
    pub fn date(&self, d: Date) -> String {
        let month_name = self.strings.get(&format!("month_{}", d.month())).cloned().unwrap_or_default();
        fill(
            self.strings
                .get("date_format")
                .map(String::as_str)
                .unwrap_or("{year}-{month}-{day}"),
            &[
                ("year", &d.year().to_string()),
                ("month", &d.month().to_string()),
                ("month_name", &month_name),
                ("day", &d.day().to_string()),
            ],
        )
    }

    /// A span of days: one date, or `start – end`.
    pub fn span(&self, start: Date, end: Date) -> String {
        if start == end {
            self.date(start)
        } else {
            self.f("date_range", &[("start", &self.date(start)), ("end", &self.date(end))])
        }
    }

    /// A day count: `<key>_one` or `<key>_other` with `{n}`.
    pub fn days(&self, key: &str, n: i64) -> String {
        let k = if n == 1 { format!("{key}_one") } else { format!("{key}_other") };
        self.f(&k, &[("n", &n.to_string())])
    }

    /// The two forms of a day count (`<key>_one`, `<key>_other` with
    /// `{n}`), as written, for a script to fill.
    pub fn count_forms(&self, key: &str) -> (String, String) {
        (self.s(&format!("{key}_one")), self.s(&format!("{key}_other")))
    }

    /// How a stage stands, in words ("Under way, 4 days left").
    pub fn stage_status(&self, s: StageStatus) -> String {
        match s {
            StageStatus::Upcoming { .. } => self.s("stage_upcoming"),
            StageStatus::Current { days_left } => self.days("stage_days_left", days_left),
            StageStatus::Done => self.s("stage_done"),
            StageStatus::Approximate => self.s("stage_approximate"),
            StageStatus::Started => self.s("stage_started"),
        }
    }

    /// How a publicity window stands, in words ("Open, 4 days left").
    pub fn window_status(&self, s: SpanStatus) -> String {
        match s {
            SpanStatus::Upcoming { .. } => self.s("window_upcoming"),
            SpanStatus::Open { days_left } => self.days("window_days_left", days_left),
            SpanStatus::Closed => self.s("window_closed"),
        }
    }

    pub fn stage_kind(&self, k: StageKind) -> String {
        self.s(&format!("stage_kind_{}", k.key()))
    }

    pub fn category(&self, c: NoticeCategory) -> String {
        self.s(&format!("category_{}", c.key()))
    }

    pub fn list_kind(&self, k: PublicityKind) -> String {
        self.s(&format!("publicity_kind_{}", k.key()))
    }

    /// The `lang` attribute value of this language (`zh-CN`), else `lang`.
    pub fn tag(&self, lang: &str) -> String {
        self.strings.get("lang_tag").cloned().unwrap_or_else(|| lang.to_string())
    }
}
