//! Open data: the site's own facts as JSON and CSV files, per language,
//! under `<lang prefix>data/` (documented in `docs/open-data.md`, with a
//! JSON Schema per file in `docs/schema/`).
//!
//! Each JSON file is one typed struct serialized with serde, so the field
//! order (and so the bytes) is fixed; every file names its schema, the
//! site, the language and the build's "now" (`generated`). What depends on
//! "now" (statuses, what is published) comes from the schedule, like the
//! pages. CSV files start with a UTF-8 byte order mark (so Excel reads
//! Chinese correctly) and follow RFC 4180: CRLF line ends, a field quoted
//! when it holds a comma, a quote or a line break, quotes doubled.

use crate::base::time::SpanStatus;
use crate::context::Lang;
use crate::model::{NoticeCategory, PublicityKind, Site, StageKind, When};
use crate::schedule::{Schedule, StageStatus};
use serde::Serialize;

/// The files of one language: name under `data/` → bytes, in the order the
/// data page lists them.
pub fn files(lx: &Lang) -> Vec<(&'static str, Vec<u8>)> {
    let cx = Cx::new(lx.site, lx.sched, lx.lang);
    vec![
        ("tracks.json", json(&tracks(&cx))),
        ("topics.csv", topics_csv(&cx)),
        ("timeline.json", json(&timeline(&cx))),
        ("publicity.json", json(&publicity(&cx))),
        ("publicity.csv", publicity_csv(&cx)),
        ("notices.json", json(&notices(&cx))),
    ]
}

/// The files under `data/`, in the order [`files`] returns them.
pub const NAMES: [&str; 6] = [
    "tracks.json",
    "topics.csv",
    "timeline.json",
    "publicity.json",
    "publicity.csv",
    "notices.json",
];

/// The JSON Schemas (`docs/schema/`), shipped with every site under
/// `data/schema/`.
pub const SCHEMAS: [(&str, &str); 4] = [
    ("tracks.schema.json", include_str!("../../docs/schema/tracks.schema.json")),
    ("timeline.schema.json", include_str!("../../docs/schema/timeline.schema.json")),
    ("publicity.schema.json", include_str!("../../docs/schema/publicity.schema.json")),
    ("notices.schema.json", include_str!("../../docs/schema/notices.schema.json")),
];

/// The schema identifier of a file: `urn:podium:open-data:<name>:1`, the
/// `$id` of its JSON Schema.
pub fn schema_id(name: &str) -> String {
    format!("urn:podium:open-data:{name}:{VERSION}")
}

/// Bumped when a field changes meaning or goes away (adding one does not).
pub const VERSION: u32 = 1;

struct Cx<'a> {
    site: &'a Site,
    sched: &'a Schedule,
    lang: &'a str,
    default: &'a str,
    home: String,
}

impl<'a> Cx<'a> {
    fn new(site: &'a Site, sched: &'a Schedule, lang: &'a str) -> Self {
        Cx {
            site,
            sched,
            lang,
            default: site.default_lang(),
            home: format!("{}{}", site.base_url, site.lang_prefix(lang)),
        }
    }

    fn text(&self, t: &crate::model::Text) -> String {
        t.show(self.lang, self.default)
    }

    fn opt(&self, t: &Option<crate::model::Text>) -> Option<String> {
        t.as_ref().map(|t| self.text(t))
    }

    fn head(&self, name: &str) -> Head<'a> {
        Head {
            schema: schema_id(name),
            site: &self.site.id,
            language: self.lang,
            generated: self
                .sched
                .now
                .to_zoned(self.site.time_zone.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
        }
    }

    fn track_name(&self, id: &str) -> Option<String> {
        self.site.tracks.iter().find(|t| t.id == id).map(|t| self.text(&t.name))
    }

    fn level_name(&self, id: &str) -> Option<String> {
        self.site
            .awards
            .as_ref()
            .and_then(|a| a.levels.iter().find(|l| l.id == id))
            .map(|l| self.text(&l.name))
    }
}

/// Pretty JSON with `<`, `>` and `&` written as `\u003c` … (the same
/// strings to a JSON reader), so a file that a browser sniffs as HTML, or
/// that someone pastes into a page, never carries live markup.
fn json<T: Serialize>(v: &T) -> Vec<u8> {
    let mut out = crate::base::escape::json_for_html(serde_json::to_vec_pretty(v).unwrap_or_default());
    out.push(b'\n');
    out
}

/// What every JSON file starts with.
#[derive(Serialize)]
struct Head<'a> {
    schema: String,
    site: &'a str,
    language: &'a str,
    generated: String,
}

// ---------------------------------------------------------------- tracks

#[derive(Serialize)]
struct TracksFile<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    tracks: Vec<TrackData<'a>>,
}

#[derive(Serialize)]
struct TrackData<'a> {
    id: &'a str,
    number: u32,
    name: String,
    guiding_unit: Option<String>,
    intro: Option<String>,
    url: String,
    groups: Vec<GroupData<'a>>,
    topics: Vec<TopicData<'a>>,
}

#[derive(Serialize)]
struct GroupData<'a> {
    id: &'a str,
    name: String,
}

#[derive(Serialize)]
struct TopicData<'a> {
    id: &'a str,
    number: u32,
    group: Option<&'a str>,
    title: String,
    /// The title is the default language's: no translation exists.
    fallback: bool,
    url: String,
}

fn tracks<'a>(cx: &Cx<'a>) -> TracksFile<'a> {
    let site = cx.site;
    TracksFile {
        head: cx.head("tracks"),
        tracks: site
            .tracks
            .iter()
            .map(|t| TrackData {
                id: &t.id,
                number: t.number,
                name: cx.text(&t.name),
                guiding_unit: cx.opt(&t.guiding_unit),
                intro: cx.opt(&t.intro),
                url: format!("{}tracks/{}/", cx.home, t.id),
                groups: t
                    .groups
                    .iter()
                    .map(|g| GroupData {
                        id: &g.id,
                        name: cx.text(&g.name),
                    })
                    .collect(),
                topics: t
                    .topics
                    .iter()
                    .map(|tp| {
                        let (title, fallback) = tp
                            .text
                            .get(cx.lang, cx.default)
                            .map(|(d, fb)| (d.title.clone(), fb))
                            .unwrap_or_default();
                        TopicData {
                            id: &tp.id,
                            number: tp.number,
                            group: tp.group.as_deref(),
                            title,
                            fallback,
                            url: format!("{}tracks/{}/{}/", cx.home, t.id, tp.id),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The columns of `topics.csv`.
pub const TOPICS_CSV_COLUMNS: &[&str] = &[
    "track_id",
    "track_number",
    "track_name",
    "group_id",
    "group_name",
    "topic_id",
    "topic_number",
    "title",
    "url",
];

fn topics_csv(cx: &Cx) -> Vec<u8> {
    let file = tracks(cx);
    let mut rows = Vec::new();
    for t in &file.tracks {
        for tp in &t.topics {
            let group_name = tp
                .group
                .and_then(|g| t.groups.iter().find(|x| x.id == g))
                .map(|g| g.name.clone())
                .unwrap_or_default();
            rows.push(vec![
                t.id.to_string(),
                t.number.to_string(),
                t.name.clone(),
                tp.group.unwrap_or("").to_string(),
                group_name,
                tp.id.to_string(),
                tp.number.to_string(),
                tp.title.clone(),
                tp.url.clone(),
            ]);
        }
    }
    csv(TOPICS_CSV_COLUMNS, &rows)
}

// ---------------------------------------------------------------- timeline

#[derive(Serialize)]
struct TimelineFile<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    time_zone: &'a str,
    today: String,
    current_stage: Option<&'a str>,
    next_stage: Option<&'a str>,
    next_change: Option<String>,
    calendar: String,
    stages: Vec<StageData<'a>>,
}

#[derive(Serialize)]
struct StageData<'a> {
    id: &'a str,
    kind: StageKind,
    name: String,
    start: Option<String>,
    end: Option<String>,
    approximate: Option<String>,
    starts_by: Option<String>,
    ends_by: Option<String>,
    description: Option<String>,
    status: &'static str,
    days_until: Option<i64>,
    days_left: Option<i64>,
}

fn ts(cx: &Cx, t: jiff::Timestamp) -> String {
    t.to_zoned(cx.site.time_zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

fn timeline<'a>(cx: &Cx<'a>) -> TimelineFile<'a> {
    let site = cx.site;
    let sched = cx.sched;
    TimelineFile {
        head: cx.head("timeline"),
        time_zone: &site.time_zone_name,
        today: sched.today.to_string(),
        current_stage: sched.current_stage(site).map(|s| s.id.as_str()),
        next_stage: sched.next_stage(site).map(|s| s.id.as_str()),
        next_change: sched.next_public_change.map(|t| ts(cx, t)),
        calendar: format!("{}timeline.ics", cx.home),
        stages: site
            .stages
            .iter()
            .map(|s| {
                let st = sched.stage(s);
                let (start, end, approximate, bounds) = match &s.when {
                    When::Exact(span) => (Some(span.start.to_string()), Some(span.end.to_string()), None, (None, None)),
                    When::Approx(a) => (None, None, Some(cx.text(&a.text)), (a.starts_by, a.ends_by)),
                };
                let (days_until, days_left) = match st {
                    StageStatus::Upcoming { days_until } => (Some(days_until), None),
                    StageStatus::Current { days_left } => (None, Some(days_left)),
                    StageStatus::Done | StageStatus::Approximate | StageStatus::Started => (None, None),
                };
                let status = st.key();
                StageData {
                    id: &s.id,
                    kind: s.kind,
                    name: cx.text(&s.name),
                    start,
                    end,
                    approximate,
                    starts_by: bounds.0.map(|d| d.to_string()),
                    ends_by: bounds.1.map(|d| d.to_string()),
                    description: cx.opt(&s.description),
                    status,
                    days_until,
                    days_left,
                }
            })
            .collect(),
    }
}

// ---------------------------------------------------------------- publicity

#[derive(Serialize)]
struct PublicityFile<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    lists: Vec<ListData<'a>>,
}

#[derive(Serialize)]
struct ListData<'a> {
    slug: &'a str,
    kind: PublicityKind,
    title: String,
    stage: Option<&'a str>,
    start: String,
    end: String,
    days: i64,
    opens: String,
    closes: String,
    status: &'static str,
    days_until: Option<i64>,
    days_left: Option<i64>,
    url: String,
    intro: Option<String>,
    objection: Option<ObjectionData>,
    entries: Vec<EntryData<'a>>,
}

#[derive(Serialize)]
struct ObjectionData {
    text: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Serialize)]
struct EntryData<'a> {
    track: Option<&'a str>,
    track_name: Option<String>,
    level: Option<&'a str>,
    level_name: Option<String>,
    project: String,
    entrant: String,
}

fn publicity<'a>(cx: &Cx<'a>) -> PublicityFile<'a> {
    let site = cx.site;
    let tz = &site.time_zone;
    let lists = site
        .publicity
        .iter()
        .filter_map(|p| {
            let st = cx.sched.list(p)?;
            let (days_until, days_left) = match st {
                SpanStatus::Upcoming { days_until } => (Some(days_until), None),
                SpanStatus::Open { days_left } => (None, Some(days_left)),
                SpanStatus::Closed => (None, None),
            };
            let status = st.key();
            Some(ListData {
                slug: &p.slug,
                kind: p.kind,
                title: cx.text(&p.title),
                stage: p.stage.as_deref(),
                start: p.window.start.to_string(),
                end: p.window.end.to_string(),
                days: p.window.days(),
                opens: ts(cx, p.window.opens(tz)),
                closes: ts(cx, p.window.closes(tz)),
                status,
                days_until,
                days_left,
                url: format!("{}publicity/{}/", cx.home, p.slug),
                intro: cx.opt(&p.intro),
                objection: p.objection.as_ref().map(|o| ObjectionData {
                    text: cx.opt(&o.text),
                    email: o.email.clone(),
                    phone: o.phone.clone(),
                }),
                entries: p
                    .entries
                    .iter()
                    .map(|e| EntryData {
                        track: e.track.as_deref(),
                        track_name: e.track.as_deref().and_then(|t| cx.track_name(t)),
                        level: e.level.as_deref(),
                        level_name: e.level.as_deref().and_then(|l| cx.level_name(l)),
                        project: cx.text(&e.project),
                        entrant: cx.text(&e.entrant),
                    })
                    .collect(),
            })
        })
        .collect();
    PublicityFile {
        head: cx.head("publicity"),
        lists,
    }
}

/// The columns of `publicity.csv`.
pub const PUBLICITY_CSV_COLUMNS: &[&str] = &[
    "list_slug",
    "list_title",
    "list_kind",
    "start",
    "end",
    "track_id",
    "track_name",
    "level_id",
    "level_name",
    "project",
    "entrant",
];

fn publicity_csv(cx: &Cx) -> Vec<u8> {
    let file = publicity(cx);
    let mut rows = Vec::new();
    for l in &file.lists {
        for e in &l.entries {
            rows.push(vec![
                l.slug.to_string(),
                l.title.clone(),
                crate::model::PublicityKind::key(l.kind).to_string(),
                l.start.clone(),
                l.end.clone(),
                e.track.unwrap_or("").to_string(),
                e.track_name.clone().unwrap_or_default(),
                e.level.unwrap_or("").to_string(),
                e.level_name.clone().unwrap_or_default(),
                e.project.clone(),
                e.entrant.clone(),
            ]);
        }
    }
    csv(PUBLICITY_CSV_COLUMNS, &rows)
}

// ---------------------------------------------------------------- notices

#[derive(Serialize)]
struct NoticesFile<'a> {
    #[serde(flatten)]
    head: Head<'a>,
    notices: Vec<NoticeData<'a>>,
}

#[derive(Serialize)]
struct NoticeData<'a> {
    slug: &'a str,
    title: String,
    date: String,
    category: NoticeCategory,
    doc_number: Option<&'a str>,
    url: String,
}

fn notices<'a>(cx: &Cx<'a>) -> NoticesFile<'a> {
    NoticesFile {
        head: cx.head("notices"),
        notices: cx
            .site
            .notices
            .iter()
            .filter(|n| cx.sched.is_published(n))
            .map(|n| NoticeData {
                slug: &n.slug,
                title: n.text.get(cx.lang, cx.default).map(|(t, _)| t.title.clone()).unwrap_or_default(),
                date: n.date.to_string(),
                category: n.category,
                doc_number: n.doc_number.as_deref(),
                url: format!("{}notices/{}/", cx.home, n.slug),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------- CSV

/// A CSV file: BOM, header, rows; CRLF after every record (RFC 4180).
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut s = String::from("\u{feff}");
    let line = |fields: &mut dyn Iterator<Item = &str>, s: &mut String| {
        let v: Vec<String> = fields.map(csv_field).collect();
        s.push_str(&v.join(","));
        s.push_str("\r\n");
    };
    line(&mut header.iter().copied(), &mut s);
    for r in rows {
        line(&mut r.iter().map(String::as_str), &mut s);
    }
    s.into_bytes()
}

/// One field, quoted when it must be.
fn csv_field(f: &str) -> String {
    if f.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_what_needs_it() {
        let out = csv(
            &["a", "b"],
            &[vec!["x,y".into(), "say \"hi\"\nbye".into()], vec!["plain".into(), String::new()]],
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\u{feff}a,b\r\n\"x,y\",\"say \"\"hi\"\"\nbye\"\r\nplain,\r\n"
        );
    }
}
