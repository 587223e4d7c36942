//! The only stage that knows the time: `(&Site, now) → Schedule`.
//!
//! Everything that depends on "now" is decided here, once: each stage's and
//! each publicity window's status, which notices and lists are published,
//! the current stage, and the next instant at which any of that changes (so
//! operators know when to rebuild). Rendering only reads the result.

use crate::base::time::{self, SpanStatus};
use crate::model::{Site, When};
use jiff::civil::Date;
use jiff::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum StageStatus {
    Upcoming {
        days_until: i64,
    },
    Current {
        days_left: i64,
    },
    Done,
    /// Only an approximate date is known; no status can be computed.
    Approximate,
}

impl From<SpanStatus> for StageStatus {
    fn from(s: SpanStatus) -> Self {
        match s {
            SpanStatus::Upcoming { days_until } => StageStatus::Upcoming { days_until },
            SpanStatus::Open { days_left } => StageStatus::Current { days_left },
            SpanStatus::Closed => StageStatus::Done,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub now: Timestamp,
    pub today: Date,
    /// Parallel to `site.stages`.
    pub stages: Vec<StageStatus>,
    /// The stage running now (the last one started, if several overlap).
    pub current_stage: Option<usize>,
    /// The first exact stage still to come.
    pub next_stage: Option<usize>,
    /// Parallel to `site.notices`.
    pub notice_published: Vec<bool>,
    /// Parallel to `site.publicity`: window status, `None` if not published
    /// (a list is published when its window opens, or at its `publish_at`).
    pub publicity: Vec<Option<SpanStatus>>,
    /// Parallel to `site.pages`.
    pub page_published: Vec<bool>,
    pub next_change: Option<Timestamp>,
}

/// Is this piece of content out at `now`?
fn published(draft: bool, publish_at: Option<Timestamp>, now: Timestamp, drafts: bool) -> bool {
    (drafts || !draft) && publish_at.is_none_or(|t| t <= now)
}

pub fn schedule(site: &Site, now: Timestamp, drafts: bool) -> Schedule {
    let tz = &site.time_zone;
    let mut changes: Vec<Timestamp> = Vec::new();
    let mut stages = Vec::with_capacity(site.stages.len());
    let mut current_stage = None;
    let mut next_stage = None;
    for (i, stage) in site.stages.iter().enumerate() {
        let status = match &stage.when {
            When::Exact(span) => {
                changes.extend(span.change_points(tz));
                let st: StageStatus = span.status(now, tz).into();
                match st {
                    StageStatus::Current { .. } => current_stage = Some(i),
                    StageStatus::Upcoming { .. } if next_stage.is_none() => next_stage = Some(i),
                    _ => {}
                }
                st
            }
            When::Approx(_) => StageStatus::Approximate,
        };
        stages.push(status);
    }
    let notice_published = site
        .notices
        .iter()
        .map(|n| {
            changes.extend(n.publish_at);
            published(n.draft, n.publish_at, now, drafts)
        })
        .collect();
    let publicity = site
        .publicity
        .iter()
        .map(|p| {
            // A list goes out when its window opens, unless `publish_at`
            // says otherwise: results must not show before their day.
            let out_at = p.publish_at.unwrap_or_else(|| p.window.opens(tz));
            changes.push(out_at);
            changes.extend(p.window.change_points(tz));
            if published(p.draft, Some(out_at), now, drafts) {
                Some(p.window.status(now, tz))
            } else {
                None
            }
        })
        .collect();
    let page_published = site.pages.iter().map(|p| drafts || !p.draft).collect();
    let next_change = changes.into_iter().filter(|t| *t > now).min();
    Schedule {
        now,
        today: time::today(now, tz),
        stages,
        current_stage,
        next_stage,
        notice_published,
        publicity,
        page_published,
        next_change,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::time::{parse_instant, DaySpan};
    use crate::model::*;
    use jiff::civil::date;
    use jiff::tz::TimeZone;
    use std::collections::BTreeMap;

    fn site() -> Site {
        let stage = |id: &str, kind, when| Stage {
            id: id.into(),
            kind,
            name: Text::default(),
            when,
            description: None,
        };
        Site {
            id: "t".into(),
            name: Text::default(),
            short_name: Text::default(),
            organizer: None,
            co_organizers: vec![],
            theme: None,
            base_url: "https://x.example/".into(),
            languages: vec!["zh".into(), "en".into()],
            time_zone: TimeZone::get("Asia/Shanghai").unwrap(),
            time_zone_name: "Asia/Shanghai".into(),
            publicity_days: 7,
            registration_url: None,
            contacts: vec![],
            filing: None,
            example: false,
            allow_html: false,
            home: Translations::default(),
            notices: vec![std::sync::Arc::new(Notice {
                slug: "later".into(),
                date: date(2025, 8, 20),
                doc_number: None,
                category: NoticeCategory::Notice,
                draft: false,
                publish_at: Some(parse_instant("2025-08-22T09:00:00+08:00").unwrap()),
                attachments: vec![],
                text: Translations::default(),
            })],
            tracks: vec![],
            stages: vec![
                stage(
                    "registration",
                    StageKind::Registration,
                    When::Exact(DaySpan::new(date(2025, 6, 3), date(2025, 7, 18))),
                ),
                stage(
                    "final",
                    StageKind::Final,
                    When::Exact(DaySpan::new(date(2025, 8, 21), date(2025, 8, 21))),
                ),
                stage(
                    "national",
                    StageKind::Other,
                    When::Approx(Text {
                        by_lang: BTreeMap::new(),
                        any: Some("10月".into()),
                    }),
                ),
            ],
            awards: None,
            criteria: None,
            publicity: vec![Publicity {
                slug: "winners".into(),
                kind: PublicityKind::Winners,
                title: Text::default(),
                stage: None,
                window: DaySpan::window(date(2025, 8, 22), 7),
                intro: None,
                objection: None,
                entries: vec![],
                draft: false,
                publish_at: None,
            }],
            pages: vec![],
            files: BTreeMap::new(),
            site_yaml: Default::default(),
            content_dir: Default::default(),
        }
    }

    fn at(s: &str) -> Schedule {
        schedule(&site(), parse_instant(s).unwrap(), false)
    }

    #[test]
    fn stage_statuses_at_their_edges() {
        let s = at("2025-06-02T23:59:59+08:00");
        assert_eq!(s.stages[0], StageStatus::Upcoming { days_until: 1 });
        assert_eq!(s.current_stage, None);
        assert_eq!(s.next_stage, Some(0));
        assert_eq!(s.next_change, Some(parse_instant("2025-06-03T00:00:00+08:00").unwrap()));
        let s = at("2025-06-03T00:00:00+08:00");
        assert_eq!(s.stages[0], StageStatus::Current { days_left: 46 });
        assert_eq!(s.current_stage, Some(0));
        let s = at("2025-07-18T23:59:59+08:00");
        assert_eq!(s.stages[0], StageStatus::Current { days_left: 1 });
        let s = at("2025-07-19T00:00:00+08:00");
        assert_eq!(s.stages[0], StageStatus::Done);
        assert_eq!(s.current_stage, None);
        assert_eq!(s.next_stage, Some(1));
        // A one-day stage is current for exactly that local day.
        assert_eq!(at("2025-08-20T23:59:59+08:00").stages[1], StageStatus::Upcoming { days_until: 1 });
        assert_eq!(at("2025-08-21T00:00:00+08:00").stages[1], StageStatus::Current { days_left: 1 });
        assert_eq!(at("2025-08-21T23:59:59+08:00").stages[1], StageStatus::Current { days_left: 1 });
        assert_eq!(at("2025-08-22T00:00:00+08:00").stages[1], StageStatus::Done);
        assert_eq!(at("2025-08-22T00:00:00+08:00").stages[2], StageStatus::Approximate);
    }

    #[test]
    fn publicity_window_and_publish_at_edges() {
        // Without publish_at a list is out from the moment its window opens.
        assert_eq!(at("2025-08-21T23:59:59+08:00").publicity[0], None);
        assert_eq!(
            at("2025-08-22T00:00:00+08:00").publicity[0],
            Some(SpanStatus::Open { days_left: 7 })
        );
        let s = at("2025-08-25T12:00:00+08:00");
        assert_eq!(s.publicity[0], Some(SpanStatus::Open { days_left: 4 }));
        assert_eq!(s.next_change, Some(parse_instant("2025-08-26T00:00:00+08:00").unwrap()));
        assert_eq!(
            at("2025-08-28T23:59:59+08:00").publicity[0],
            Some(SpanStatus::Open { days_left: 1 })
        );
        assert_eq!(at("2025-08-29T00:00:00+08:00").publicity[0], Some(SpanStatus::Closed));
        // publish_at: out from that instant on, and it is a change point.
        let s = at("2025-08-22T08:59:59+08:00");
        assert!(!s.notice_published[0]);
        assert_eq!(s.next_change, Some(parse_instant("2025-08-22T09:00:00+08:00").unwrap()));
        assert!(at("2025-08-22T09:00:00+08:00").notice_published[0]);
        // The same instants written in UTC give the same answers.
        assert!(!at("2025-08-22T00:59:59Z").notice_published[0]);
        assert!(at("2025-08-22T01:00:00Z").notice_published[0]);
        assert_eq!(at("2025-08-28T16:00:00Z").publicity[0], Some(SpanStatus::Closed));
    }

    #[test]
    fn nothing_left_means_no_next_change() {
        let s = at("2026-01-01T00:00:00+08:00");
        assert_eq!(s.next_change, None);
        assert_eq!(s.current_stage, None);
        assert_eq!(s.next_stage, None);
    }

    #[test]
    fn drafts_are_out_unless_asked_for() {
        let mut site = site();
        let n = std::sync::Arc::make_mut(&mut site.notices[0]);
        n.draft = true;
        n.publish_at = None;
        let now = parse_instant("2025-08-25T12:00:00+08:00").unwrap();
        assert!(!schedule(&site, now, false).notice_published[0]);
        assert!(schedule(&site, now, true).notice_published[0]);
    }
}
