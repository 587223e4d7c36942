//! What the build computed, for two readers: the public (`build.json` in
//! the output: statuses of what is published, nothing else) and the
//! operator (the terminal and `build --report`: everything, drafts and
//! scheduled content and the next change included).

use crate::base::time::SpanStatus;
use crate::model::{Site, When};
use crate::schedule::{Schedule, StageStatus};
use jiff::Timestamp;
use std::collections::BTreeMap;

fn ts(t: Timestamp, site: &Site) -> String {
    t.to_zoned(site.time_zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Who reads a status report: the public (`build.json` in the output) or
/// the operator (the terminal, `build --report`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Only what is published: no draft, no list or notice before its
    /// time, no `publish_at`, and no next change (it could be one).
    Public,
    /// Everything the schedule knows, embargoed content and the next
    /// change included: never written into the output.
    Operator,
}

/// The statuses the build computed: `build.json` in the output
/// ([`Audience::Public`]) and the operator's report ([`Audience::Operator`]).
pub fn status_json(site: &Site, sched: &Schedule, pages: &BTreeMap<String, usize>, audience: Audience) -> serde_json::Value {
    use serde_json::json;
    let operator = audience == Audience::Operator;
    let stages: Vec<_> = site.stages.iter().map(|s| stage_json(s, sched.stage(s))).collect();
    let publicity: Vec<_> = site
        .publicity
        .iter()
        .filter(|p| operator || sched.list(p).is_some())
        .map(|p| list_json(site, p, sched.list(p), operator))
        .collect();
    let notices: Vec<_> = site
        .notices
        .iter()
        .filter(|n| operator || sched.is_published(n))
        .map(|n| match audience {
            Audience::Public => json!({"slug": n.slug, "date": n.date.to_string()}),
            Audience::Operator => json!({
                "slug": n.slug,
                "date": n.date.to_string(),
                "published": sched.is_published(n),
                "draft": n.draft,
                "publish_at": n.publish_at.map(|t| ts(t, site)),
            }),
        })
        .collect();
    let mut v = json!({
        "site": site.id,
        "now": ts(sched.now, site),
        "time_zone": site.time_zone_name,
        "today": sched.today.to_string(),
        "current_stage": sched.current_stage(site).map(|s| s.id.clone()),
        "next_stage": sched.next_stage(site).map(|s| s.id.clone()),
        "pages": pages,
        "stages": stages,
        "publicity": publicity,
        "notices": notices,
    });
    if let (Audience::Operator, Some(o)) = (audience, v.as_object_mut()) {
        o.insert("next_change".into(), json!(sched.next_change.map(|t| ts(t, site))));
    }
    v
}

/// A stage: its dates and status, with the day count.
fn stage_json(s: &crate::model::Stage, st: StageStatus) -> serde_json::Value {
    use serde_json::json;
    let (start, end) = match &s.when {
        When::Exact(span) => (Some(span.start.to_string()), Some(span.end.to_string())),
        When::Approx(_) => (None, None),
    };
    let mut v = json!({"id": s.id, "kind": s.kind, "start": start, "end": end, "status": st.key()});
    if let Some(o) = v.as_object_mut() {
        match st {
            StageStatus::Upcoming { days_until } => drop(o.insert("days_until".into(), json!(days_until))),
            StageStatus::Current { days_left } => drop(o.insert("days_left".into(), json!(days_left))),
            StageStatus::Done | StageStatus::Approximate | StageStatus::Started => {}
        }
    }
    v
}

/// A results list: its window and status (`unpublished` only in the
/// operator's report, which also has `publish_at` and `draft`).
fn list_json(site: &Site, p: &crate::model::Publicity, st: Option<SpanStatus>, operator: bool) -> serde_json::Value {
    use serde_json::json;
    let mut v = json!({
        "slug": p.slug,
        "kind": p.kind,
        "start": p.window.start.to_string(),
        "end": p.window.end.to_string(),
        "opens": ts(p.window.opens(&site.time_zone), site),
        "closes": ts(p.window.closes(&site.time_zone), site),
        "status": st.map_or("unpublished", SpanStatus::key),
    });
    if let Some(o) = v.as_object_mut() {
        match st {
            Some(SpanStatus::Upcoming { days_until }) => drop(o.insert("days_until".into(), json!(days_until))),
            Some(SpanStatus::Open { days_left }) => drop(o.insert("days_left".into(), json!(days_left))),
            _ => {}
        }
        if operator {
            o.insert("publish_at".into(), json!(p.publish_at.map(|t| ts(t, site))));
            o.insert("draft".into(), json!(p.draft));
        }
    }
    v
}

/// `build.json`: the public statuses, pretty-printed.
pub fn build_json(site: &Site, sched: &Schedule, pages: &BTreeMap<String, usize>) -> String {
    let mut s = serde_json::to_string_pretty(&status_json(site, sched, pages, Audience::Public)).unwrap_or_default();
    s.push('\n');
    s
}
