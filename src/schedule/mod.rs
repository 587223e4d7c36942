//! The only stage that knows the time: `(&Site, now) → Schedule`.
//!
//! Everything that depends on "now" is decided here, once: each stage's and
//! each publicity window's status, which notices, lists and pages are
//! published, the current stage, and the next instant at which any of that
//! changes (so operators know when to rebuild). Rendering only reads the
//! result, and reads it by the content's ids — never by a position in a
//! list — so reordering the site's vectors cannot move a status.

use crate::base::time::{self, SpanStatus};
use crate::model::{Notice, Page, Publicity, Site, Stage, When};
use jiff::civil::Date;
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

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
    /// Only an approximate date is known, and it has not begun as far as
    /// the notice's words tell.
    Approximate,
    /// Only an approximate date is known; its `starts_by` day has passed,
    /// its end is not known.
    Started,
}

impl StageStatus {
    /// The status's word in machine-readable files (`build.json`, open
    /// data) and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            StageStatus::Upcoming { .. } => "upcoming",
            StageStatus::Current { .. } => "current",
            StageStatus::Done => "done",
            StageStatus::Approximate => "approximate",
            StageStatus::Started => "started",
        }
    }
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

/// What is true at one instant, by id.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub now: Timestamp,
    pub today: Date,
    /// Stage id → status.
    stages: BTreeMap<String, StageStatus>,
    /// The stage running now (the last one started, if several overlap).
    current_stage: Option<String>,
    /// The first exact stage still to come.
    next_stage: Option<String>,
    /// Slugs of the published notices.
    notices: BTreeSet<String>,
    /// Published lists (slug → window status). A list is published when
    /// its window opens, or at its `publish_at`.
    lists: BTreeMap<String, SpanStatus>,
    /// Slugs of the published free pages.
    pages: BTreeSet<String>,
    /// The next instant at which any output changes (for the operator:
    /// it may be a draft's or a scheduled notice's moment).
    pub next_change: Option<Timestamp>,
    /// The next instant at which what is already published changes (a
    /// stage starting, a day count): the only next change the site itself
    /// may tell, since the next change of all may be an embargo's end.
    pub next_public_change: Option<Timestamp>,
    /// The next instant at which a status of what is published changes
    /// (not only a day count): until then a page's day counts are all that
    /// moves, which a script can follow (`static/countdown.js`).
    pub next_state_change: Option<Timestamp>,
}

impl Schedule {
    /// A stage's status (approximate for a stage this schedule was not
    /// made for).
    pub fn stage(&self, s: &Stage) -> StageStatus {
        self.stages.get(&s.id).copied().unwrap_or(StageStatus::Approximate)
    }

    pub fn is_current(&self, s: &Stage) -> bool {
        self.current_stage.as_deref() == Some(s.id.as_str())
    }

    /// The stage running now.
    pub fn current_stage<'a>(&self, site: &'a Site) -> Option<&'a Stage> {
        let id = self.current_stage.as_deref()?;
        site.stages.iter().find(|s| s.id == id)
    }

    /// The first exact stage still to come.
    pub fn next_stage<'a>(&self, site: &'a Site) -> Option<&'a Stage> {
        let id = self.next_stage.as_deref()?;
        site.stages.iter().find(|s| s.id == id)
    }

    pub fn is_published(&self, n: &Notice) -> bool {
        self.notices.contains(&n.slug)
    }

    /// The published notices, newest first.
    pub fn notices<'a>(&'a self, site: &'a Site) -> impl Iterator<Item = &'a Arc<Notice>> + 'a {
        site.notices.iter().filter(|n| self.is_published(n))
    }

    /// A list's window status; `None` while it is not published.
    pub fn list(&self, p: &Publicity) -> Option<SpanStatus> {
        self.lists.get(&p.slug).copied()
    }

    /// The published lists with their status, newest window first.
    pub fn lists<'a>(&'a self, site: &'a Site) -> impl Iterator<Item = (&'a Publicity, SpanStatus)> + 'a {
        site.publicity.iter().filter_map(|p| Some((p, self.list(p)?)))
    }

    /// Is every stage over (and is there any)? The competition has ended.
    pub fn ended(&self) -> bool {
        !self.stages.is_empty() && self.stages.values().all(|s| *s == StageStatus::Done)
    }

    pub fn page_published(&self, p: &Page) -> bool {
        self.pages.contains(&p.slug)
    }

    /// The published free pages.
    pub fn pages<'a>(&'a self, site: &'a Site) -> impl Iterator<Item = &'a Page> + 'a {
        site.pages.iter().filter(|p| self.page_published(p))
    }
}

/// Is this piece of content out at `now`?
fn published(draft: bool, publish_at: Option<Timestamp>, now: Timestamp, drafts: bool) -> bool {
    (drafts || !draft) && publish_at.is_none_or(|t| t <= now)
}

pub fn schedule(site: &Site, now: Timestamp, drafts: bool) -> Schedule {
    let tz = &site.time_zone;
    let today = time::today(now, tz);
    // Instants at which a status of what is published changes, and those
    // at which something is published.
    let mut changes: Vec<Timestamp> = Vec::new();
    let mut embargoed: Vec<Timestamp> = Vec::new();
    let stages = stage_statuses(site, now, &mut changes);
    let (current_stage, next_stage) = current_and_next(site, &stages);
    let notices = site
        .notices
        .iter()
        .filter(|n| {
            // A draft changes nothing until it is no draft.
            if drafts || !n.draft {
                embargoed.extend(n.publish_at);
            }
            published(n.draft, n.publish_at, now, drafts)
        })
        .map(|n| n.slug.clone())
        .collect();
    let mut lists = BTreeMap::new();
    for p in &site.publicity {
        // A list goes out when its window opens, unless `publish_at`
        // says otherwise: results must not show before their day.
        let out_at = p.publish_at.unwrap_or_else(|| p.window.opens(tz));
        if published(p.draft, Some(out_at), now, drafts) {
            changes.extend([p.window.opens(tz), p.window.closes(tz)]);
            lists.insert(p.slug.clone(), p.window.status(now, tz));
        } else if drafts || !p.draft {
            // Nothing of it shows before it is out; from then on its
            // window's instants are the published list's.
            embargoed.push(out_at);
        }
    }
    let pages = site.pages.iter().filter(|p| drafts || !p.draft).map(|p| p.slug.clone()).collect();
    // While a day is counted (a stage or window to come or under way), the
    // count changes at every local midnight.
    let counting = stages
        .values()
        .any(|s| matches!(s, StageStatus::Upcoming { .. } | StageStatus::Current { .. }))
        || lists
            .values()
            .any(|s| matches!(s, SpanStatus::Upcoming { .. } | SpanStatus::Open { .. }));
    let midnight = counting.then(|| time::start_of(time::add_days(today, 1), tz));
    let later = |ts: &[Timestamp]| ts.iter().copied().filter(|t| *t > now).min();
    let next_state_change = later(&changes);
    let next_public_change = midnight.into_iter().chain(next_state_change).min();
    let next_change = next_public_change.into_iter().chain(later(&embargoed)).min();
    Schedule {
        now,
        today,
        stages,
        current_stage,
        next_stage,
        notices,
        lists,
        pages,
        next_change,
        next_public_change,
        next_state_change,
    }
}

/// Every stage's status. An exact stage counts its days; an approximate
/// one has begun once its `starts_by` day has passed, and is over once its
/// `ends_by` day has passed or a later stage has begun.
fn stage_statuses(site: &Site, now: Timestamp, changes: &mut Vec<Timestamp>) -> BTreeMap<String, StageStatus> {
    let tz = &site.time_zone;
    let after = |d: Date| time::start_of(time::add_days(d, 1), tz);
    let begun: Vec<bool> = site
        .stages
        .iter()
        .map(|s| match &s.when {
            When::Exact(span) => now >= span.opens(tz),
            When::Approx(a) => a.starts_by.into_iter().chain(a.ends_by).any(|d| now >= after(d)),
        })
        .collect();
    let mut out = BTreeMap::new();
    for (i, stage) in site.stages.iter().enumerate() {
        let status = match &stage.when {
            When::Exact(span) => {
                changes.extend([span.opens(tz), span.closes(tz)]);
                span.status(now, tz).into()
            }
            When::Approx(a) => {
                changes.extend(a.starts_by.into_iter().chain(a.ends_by).map(after));
                let over = a.ends_by.is_some_and(|d| now >= after(d)) || begun[i + 1..].iter().any(|b| *b);
                if over {
                    StageStatus::Done
                } else if begun[i] {
                    StageStatus::Started
                } else {
                    StageStatus::Approximate
                }
            }
        };
        out.insert(stage.id.clone(), status);
    }
    out
}

/// The stage under way (the last begun of those not over) and the next one
/// (the first exact stage to come, else the first approximate one not yet
/// begun).
fn current_and_next(site: &Site, stages: &BTreeMap<String, StageStatus>) -> (Option<String>, Option<String>) {
    let status = |s: &Stage| stages.get(&s.id).copied().unwrap_or(StageStatus::Approximate);
    let current = site
        .stages
        .iter()
        .rev()
        .find(|s| matches!(status(s), StageStatus::Current { .. } | StageStatus::Started));
    let next = site
        .stages
        .iter()
        .find(|s| matches!(status(s), StageStatus::Upcoming { .. }))
        .or_else(|| site.stages.iter().find(|s| status(s) == StageStatus::Approximate));
    (current.map(|s| s.id.clone()), next.map(|s| s.id.clone()))
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
                    When::Approx(Approx {
                        text: Text {
                            by_lang: BTreeMap::new(),
                            any: Some("10月".into()),
                        },
                        starts_by: None,
                        ends_by: None,
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
        let st = site().stages;
        let s = at("2025-06-02T23:59:59+08:00");
        assert_eq!(s.stage(&st[0]), StageStatus::Upcoming { days_until: 1 });
        assert_eq!(s.current_stage(&site()).map(|s| s.id.as_str()), None);
        assert_eq!(s.next_stage(&site()).map(|s| s.id.as_str()), Some("registration"));
        assert_eq!(s.next_change, Some(parse_instant("2025-06-03T00:00:00+08:00").unwrap()));
        let s = at("2025-06-03T00:00:00+08:00");
        assert_eq!(s.stage(&st[0]), StageStatus::Current { days_left: 46 });
        assert_eq!(s.current_stage(&site()).map(|s| s.id.as_str()), Some("registration"));
        let s = at("2025-07-18T23:59:59+08:00");
        assert_eq!(s.stage(&st[0]), StageStatus::Current { days_left: 1 });
        let s = at("2025-07-19T00:00:00+08:00");
        assert_eq!(s.stage(&st[0]), StageStatus::Done);
        assert_eq!(s.current_stage(&site()).map(|s| s.id.as_str()), None);
        assert_eq!(s.next_stage(&site()).map(|s| s.id.as_str()), Some("final"));
        // A one-day stage is current for exactly that local day.
        assert_eq!(
            at("2025-08-20T23:59:59+08:00").stage(&st[1]),
            StageStatus::Upcoming { days_until: 1 }
        );
        assert_eq!(at("2025-08-21T00:00:00+08:00").stage(&st[1]), StageStatus::Current { days_left: 1 });
        assert_eq!(at("2025-08-21T23:59:59+08:00").stage(&st[1]), StageStatus::Current { days_left: 1 });
        assert_eq!(at("2025-08-22T00:00:00+08:00").stage(&st[1]), StageStatus::Done);
        assert_eq!(at("2025-08-22T00:00:00+08:00").stage(&st[2]), StageStatus::Approximate);
    }

    #[test]
    fn publicity_window_and_publish_at_edges() {
        // Without publish_at a list is out from the moment its window opens.
        assert_eq!(at("2025-08-21T23:59:59+08:00").list(&site().publicity[0]), None);
        assert_eq!(
            at("2025-08-22T00:00:00+08:00").list(&site().publicity[0]),
            Some(SpanStatus::Open { days_left: 7 })
        );
        let s = at("2025-08-25T12:00:00+08:00");
        assert_eq!(s.list(&site().publicity[0]), Some(SpanStatus::Open { days_left: 4 }));
        assert_eq!(s.next_change, Some(parse_instant("2025-08-26T00:00:00+08:00").unwrap()));
        assert_eq!(
            at("2025-08-28T23:59:59+08:00").list(&site().publicity[0]),
            Some(SpanStatus::Open { days_left: 1 })
        );
        assert_eq!(at("2025-08-29T00:00:00+08:00").list(&site().publicity[0]), Some(SpanStatus::Closed));
        // publish_at: out from that instant on, and it is a change point —
        // for the operator; the public is not told it.
        let s = at("2025-08-22T08:59:59+08:00");
        assert!(!s.is_published(&site().notices[0]));
        assert_eq!(s.next_change, Some(parse_instant("2025-08-22T09:00:00+08:00").unwrap()));
        assert_eq!(s.next_public_change, Some(parse_instant("2025-08-23T00:00:00+08:00").unwrap()));
        // Before a list is out, its window's instants are not public; a
        // draft's are no change at all.
        let mut later = site();
        later.stages.clear();
        later.notices.clear();
        later.publicity[0].publish_at = Some(parse_instant("2025-08-24T10:00:00+08:00").unwrap());
        let s = schedule(&later, parse_instant("2025-08-23T12:00:00+08:00").unwrap(), false);
        assert_eq!(s.next_change, Some(parse_instant("2025-08-24T10:00:00+08:00").unwrap()));
        assert_eq!(s.next_public_change, None);
        later.publicity[0].draft = true;
        let s = schedule(&later, parse_instant("2025-08-23T12:00:00+08:00").unwrap(), false);
        assert_eq!((s.next_change, s.next_public_change), (None, None));
        assert!(at("2025-08-22T09:00:00+08:00").is_published(&site().notices[0]));
        // The same instants written in UTC give the same answers.
        assert!(!at("2025-08-22T00:59:59Z").is_published(&site().notices[0]));
        assert!(at("2025-08-22T01:00:00Z").is_published(&site().notices[0]));
        assert_eq!(at("2025-08-28T16:00:00Z").list(&site().publicity[0]), Some(SpanStatus::Closed));
    }

    #[test]
    fn nothing_left_means_no_next_change() {
        let s = at("2026-01-01T00:00:00+08:00");
        assert_eq!(s.next_change, None);
        assert_eq!(s.current_stage(&site()).map(|s| s.id.as_str()), None);
        // An approximate stage without a bound is always still to come, and
        // the competition never ends.
        assert_eq!(s.next_stage(&site()).map(|s| s.id.as_str()), Some("national"));
        assert!(!s.ended());
    }

    #[test]
    fn approximate_stages_pass_their_bounds() {
        let mut site = site();
        let bound = |d| Some(d);
        if let When::Approx(a) = &mut site.stages[2].when {
            a.starts_by = bound(date(2025, 10, 10));
            a.ends_by = bound(date(2025, 10, 31));
        }
        let at = |s: &str| schedule(&site, parse_instant(s).unwrap(), false);
        let national = site.stages[2].clone();
        let s = at("2025-10-10T23:59:59+08:00");
        assert_eq!(s.stage(&national), StageStatus::Approximate);
        assert_eq!(s.next_change, Some(parse_instant("2025-10-11T00:00:00+08:00").unwrap()));
        let s = at("2025-10-11T00:00:00+08:00");
        assert_eq!(s.stage(&national), StageStatus::Started);
        assert_eq!(s.current_stage(&site).map(|s| s.id.as_str()), Some("national"));
        assert_eq!(s.next_change, Some(parse_instant("2025-11-01T00:00:00+08:00").unwrap()));
        let s = at("2025-11-01T00:00:00+08:00");
        assert_eq!(s.stage(&national), StageStatus::Done);
        assert!(s.ended());
        assert_eq!(s.next_change, None);
        // A later stage that has begun ends an earlier approximate one.
        let mut site2 = site.clone();
        site2.stages.swap(1, 2);
        let s = schedule(&site2, parse_instant("2025-08-21T12:00:00+08:00").unwrap(), false);
        assert_eq!(s.stage(&site2.stages[1]), StageStatus::Done);
    }

    #[test]
    fn drafts_are_out_unless_asked_for() {
        let mut site = site();
        let n = std::sync::Arc::make_mut(&mut site.notices[0]);
        n.draft = true;
        n.publish_at = None;
        let now = parse_instant("2025-08-25T12:00:00+08:00").unwrap();
        assert!(!schedule(&site, now, false).is_published(&site.notices[0]));
        assert!(schedule(&site, now, true).is_published(&site.notices[0]));
    }

    #[test]
    fn reordering_the_content_moves_no_status() {
        let now = parse_instant("2025-07-01T12:00:00+08:00").unwrap();
        let a = site();
        let mut b = site();
        b.stages.reverse();
        b.publicity.reverse();
        b.notices.reverse();
        let (sa, sb) = (schedule(&a, now, false), schedule(&b, now, false));
        // (An approximate stage's status depends on the stages after it in
        // the timeline, by design: it is over once a later one has begun.)
        for st in a.stages.iter().filter(|s| matches!(s.when, When::Exact(_))) {
            assert_eq!(sa.stage(st), sb.stage(st), "{}", st.id);
        }
        for (p, n) in a.publicity.iter().zip(&a.notices) {
            assert_eq!((sa.list(p), sa.is_published(n)), (sb.list(p), sb.is_published(n)));
        }
        assert_eq!(sa.current_stage(&a).map(|s| &s.id), sb.current_stage(&b).map(|s| &s.id));
        assert_eq!(sa.current_stage(&a).map(|s| s.id.as_str()), Some("registration"));
    }
}
