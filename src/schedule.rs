//! The only stage that knows the time: `(&Site, now) → Schedule`.
//!
//! Everything that depends on "now" is decided here, once: each stage's and
//! each publicity window's status, which notices and lists are published,
//! the current stage, and the next instant at which any of that changes (so
//! operators know when to rebuild). Rendering only reads the result.

use crate::model::{Site, When};
use crate::time::{self, SpanStatus};
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
    /// Parallel to `site.publicity`: window status, `None` if not published.
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
            changes.extend(p.publish_at);
            if published(p.draft, p.publish_at, now, drafts) {
                changes.extend(p.window.change_points(tz));
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
