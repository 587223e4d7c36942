//! The promise of the schedule, on sites nobody here wrote: random valid
//! sites (stages exact and approximate, with and without bounds; results
//! lists with and without entries, some scheduled, some drafts; notices
//! with `publish_at`, drafts) at random instants, in three time zones, one
//! with daylight saving time. At every instant tried:
//!
//! - building one second before `next_change` gives the same output as
//!   building now, stamps aside (`podium::outputs::stamps`);
//! - building at `next_change` gives a different output;
//! - with no next change, a build a year later is the same.
//!
//! CI runs this again with the machine's zone set to UTC and to
//! America/Los_Angeles: the answers may not depend on it.

mod common;

use common::*;
use jiff::civil::{date, Date};
use jiff::{SignedDuration, Timestamp, ToSpan};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

#[derive(Debug, Clone)]
enum When {
    Exact { start: i64, days: i64 },
    Approx { starts_by: Option<i64>, ends_by: Option<i64> },
}

#[derive(Debug, Clone)]
struct StageSpec {
    kind: &'static str,
    when: When,
}

#[derive(Debug, Clone)]
struct ListSpec {
    start: i64,
    winners: bool,
    entries: usize,
    /// Seconds after the window's first midnight (may be before it).
    publish_at: Option<i64>,
    draft: bool,
}

#[derive(Debug, Clone)]
struct NoticeSpec {
    day: i64,
    publish_at: Option<i64>,
    draft: bool,
}

#[derive(Debug, Clone)]
struct SiteSpec {
    zone: &'static str,
    stages: Vec<StageSpec>,
    lists: Vec<ListSpec>,
    notices: Vec<NoticeSpec>,
    registration_url: bool,
}

/// Day 0 of every generated site; days are counted from it.
const DAY0: Date = date(2025, 6, 1);
const PUBLICITY_DAYS: i64 = 7;

fn day(n: i64) -> Date {
    DAY0.checked_add(n.days()).unwrap()
}

fn stage() -> impl Strategy<Value = StageSpec> {
    let kind = prop_oneof![
        Just("registration"),
        Just("review"),
        Just("publicity"),
        Just("final"),
        Just("ceremony")
    ];
    let exact = (0i64..120, 1i64..15).prop_map(|(start, days)| When::Exact { start, days });
    let approx = (prop::option::of(0i64..120), prop::option::of(0i64..60)).prop_map(|(s, extra)| When::Approx {
        starts_by: s,
        ends_by: match (s, extra) {
            (Some(s), Some(e)) => Some(s + e),
            (None, Some(e)) => Some(e * 2),
            _ => None,
        },
    });
    (kind, prop_oneof![3 => exact, 1 => approx]).prop_map(|(kind, when)| {
        let when = match (kind, when) {
            (_, When::Exact { start, .. }) if kind == "publicity" => When::Exact {
                start,
                days: PUBLICITY_DAYS,
            },
            (_, w) => w,
        };
        StageSpec { kind, when }
    })
}

fn site() -> impl Strategy<Value = SiteSpec> {
    let list = (
        0i64..150,
        any::<bool>(),
        0usize..3,
        prop::option::of(-5 * 86_400i64..9 * 86_400),
        prop::bool::weighted(0.15),
    )
        .prop_map(|(start, winners, entries, publish_at, draft)| ListSpec {
            start,
            winners,
            entries,
            publish_at,
            draft,
        });
    let notice = (0i64..150, prop::option::of(0i64..150 * 86_400), prop::bool::weighted(0.15))
        .prop_map(|(day, publish_at, draft)| NoticeSpec { day, publish_at, draft });
    (
        prop_oneof![Just("Asia/Shanghai"), Just("UTC"), Just("America/Los_Angeles")],
        prop::collection::vec(stage(), 0..6),
        prop::collection::vec(list, 0..3),
        prop::collection::vec(notice, 1..4),
        any::<bool>(),
    )
        .prop_map(|(zone, mut stages, lists, notices, registration_url)| {
            // In the order they happen, as the guide asks.
            stages.sort_by_key(|s| match s.when {
                When::Exact { start, .. } => start,
                When::Approx { starts_by, ends_by } => starts_by.or(ends_by).unwrap_or(200),
            });
            SiteSpec {
                zone,
                stages,
                lists,
                notices,
                registration_url,
            }
        })
}

/// The instant `secs` after day 0's midnight in the site's zone.
fn at(spec: &SiteSpec, secs: i64) -> Timestamp {
    let tz = jiff::tz::TimeZone::get(spec.zone).unwrap();
    DAY0.to_zoned(tz).unwrap().timestamp() + SignedDuration::from_secs(secs)
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The spec as a project in `root`: `sites/gen/` and `content/gen/`.
fn materialize(spec: &SiteSpec, root: &Path) {
    let mut site = format!(
        "name: {{zh: 生成的分赛, en: Generated}}\nbase_url: https://gen.example/\nlanguages: [zh, en]\ntime_zone: {}\npublicity_days: {PUBLICITY_DAYS}\n",
        spec.zone
    );
    if spec.registration_url {
        site.push_str("registration_url: https://gen.example/register/\n");
    }
    write(root, "sites/gen/site.yaml", &site);
    let c = "content/gen";
    write(
        root,
        &format!("{c}/tracks/t/track.yaml"),
        "number: 1\nname: {zh: 赛道, en: Track}\ntopics:\n  - {id: a, number: 1}\n",
    );
    for lang in ["zh", "en"] {
        write(root, &format!("{c}/tracks/t/a.{lang}.md"), "---\ntitle: 赛题\n---\n正文。\n");
    }
    write(
        root,
        &format!("{c}/awards.yaml"),
        "levels:\n  - {id: first, name: {zh: 一等奖, en: First}}\ncounts:\n  first: 3\n",
    );
    let mut tl = String::from("stages:\n");
    for (i, s) in spec.stages.iter().enumerate() {
        let _ = write!(tl, "  - id: s{i}\n    kind: {}\n    name: {{zh: 阶段{i}, en: Stage {i}}}\n", s.kind);
        match s.when {
            When::Exact { start, days } => {
                let _ = writeln!(tl, "    start: {}\n    end: {}", day(start), day(start + days - 1));
            }
            When::Approx { starts_by, ends_by } => {
                let _ = writeln!(tl, "    approx: {{zh: 待定, en: to be announced}}");
                if let Some(d) = starts_by {
                    let _ = writeln!(tl, "    starts_by: {}", day(d));
                }
                if let Some(d) = ends_by {
                    let _ = writeln!(tl, "    ends_by: {}", day(d));
                }
            }
        }
    }
    write(root, &format!("{c}/timeline.yaml"), &tl);
    for (i, l) in spec.lists.iter().enumerate() {
        let mut y = format!(
            "kind: {}\ntitle: {{zh: 名单{i}, en: List {i}}}\nstart: {}\n",
            if l.winners { "winners" } else { "finalists" },
            day(l.start)
        );
        if let Some(p) = l.publish_at {
            let t = at(spec, l.start * 86_400 + p);
            let _ = writeln!(y, "publish_at: {t}");
        }
        if l.draft {
            y.push_str("draft: true\n");
        }
        y.push_str("entries:\n");
        for e in 0..l.entries {
            let level = if l.winners { "level: first, " } else { "" };
            let _ = writeln!(
                y,
                "  - {{track: t, {level}project: {{zh: 项目{e}, en: P{e}}}, entrant: {{zh: 单位{e}, en: E{e}}}}}"
            );
        }
        if l.entries == 0 {
            y = y.replace("entries:\n", "entries: []\n");
        }
        write(root, &format!("{c}/publicity/l{i}.yaml"), &y);
    }
    for (i, n) in spec.notices.iter().enumerate() {
        for (lang, neutral) in [("zh", true), ("en", false)] {
            let mut f = format!("---\ntitle: 通知{i}\n");
            if neutral {
                let _ = writeln!(f, "date: {}", day(n.day));
                if let Some(p) = n.publish_at {
                    let _ = writeln!(f, "publish_at: {}", at(spec, p));
                }
                if n.draft {
                    f.push_str("draft: true\n");
                }
            }
            f.push_str("---\n正文。\n");
            write(root, &format!("{c}/notices/n{i}.{lang}.md"), &f);
        }
    }
}

/// The site's output at `now`, stamps blanked; and its next change.
fn output(root: &Path, now: Timestamp) -> (BTreeMap<String, Vec<u8>>, Option<Timestamp>) {
    let mut opts = options(root, "2025-06-01T00:00:00Z");
    opts.now = now;
    let (built, diags) = podium::build::build_all(&opts);
    let errors: Vec<String> = diags.sorted().iter().filter(|d| d.is_error()).map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "a generated site must be valid:\n{}", errors.join("\n"));
    let b = &built[0];
    let files = b
        .output
        .files
        .iter()
        .map(|(p, bytes)| (p.clone(), podium::outputs::stamps::mask(p, bytes)))
        .collect();
    (files, b.schedule.next_change)
}

/// The first file that differs, for the message.
fn first_difference(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> String {
    for (p, x) in a {
        match b.get(p) {
            None => return format!("{p} only in the first"),
            Some(y) if x != y => {
                let (x, y) = (String::from_utf8_lossy(x), String::from_utf8_lossy(y));
                let line = x.lines().zip(y.lines()).position(|(l, m)| l != m).unwrap_or(0);
                return format!(
                    "{p} line {}:\n  {}\n  {}",
                    line + 1,
                    x.lines().nth(line).unwrap_or(""),
                    y.lines().nth(line).unwrap_or("")
                );
            }
            _ => {}
        }
    }
    b.keys()
        .find(|p| !a.contains_key(*p))
        .map(|p| format!("{p} only in the second"))
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn nothing_changes_before_next_change_and_something_does_at_it(
        spec in site(),
        now_secs in -20 * 86_400i64..220 * 86_400,
    ) {
        let dir = temp_dir("next-change");
        materialize(&spec, &dir);
        let now = at(&spec, now_secs);
        let (here, next) = output(&dir, now);
        match next {
            Some(t) => {
                prop_assert!(t > now);
                let (before, _) = output(&dir, t - SignedDuration::from_secs(1));
                prop_assert!(here == before, "changed before next_change {t} (now {now}): {}\n{spec:?}", first_difference(&here, &before));
                let (after, _) = output(&dir, t);
                prop_assert!(here != after, "nothing changed at next_change {t} (now {now})\n{spec:?}");
            }
            None => {
                let (later, _) = output(&dir, now + SignedDuration::from_hours(24 * 400));
                prop_assert!(here == later, "no next change, yet a year later differs: {}\n{spec:?}", first_difference(&here, &later));
            }
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
