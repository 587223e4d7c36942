//! Render: the model plus the schedule into an in-memory output tree.
//!
//! Every page is a job (`PageJob`: its path, its template, its typed view);
//! jobs are listed first, then rendered in parallel with rayon. Markdown is
//! rendered inside the job, once per document and language. Templates see
//! typed view structs only: they never compute dates or statuses, and every
//! UI word comes from the theme's i18n strings.

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::base::time::SpanStatus;
use crate::markdown::Markdown;
use crate::model::*;
use crate::msg;
use crate::schedule::{Schedule, StageStatus};
use crate::theme::{fill, Strings, Theme};
use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::emit::{Bytes, Output};

/// Figures for the build report.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// lang → number of HTML pages.
    pub pages: BTreeMap<String, usize>,
    /// Pages rendered by this build (the others were kept from before).
    pub rendered: usize,
    /// The files under `files/` that published pages link to (names
    /// relative to `files/`): the only ones published.
    pub attachments: std::collections::BTreeSet<String>,
}

// ---------------------------------------------------------------- views

#[derive(Serialize, Clone)]
struct Link {
    href: String,
    label: String,
}

#[derive(Serialize, Clone)]
struct NavItem {
    href: String,
    label: String,
    current: bool,
}

#[derive(Serialize, Clone)]
struct Alternate {
    lang: String,
    tag: String,
    name: String,
    /// Relative link, for the language switcher.
    href: String,
    /// Absolute URL, for `hreflang`.
    abs: String,
}

#[derive(Serialize, Clone)]
struct ContactView {
    name: String,
    people: String,
    phones: Vec<Link>,
    email: Option<String>,
    address: String,
}

#[derive(Serialize, Clone)]
struct SiteView {
    id: String,
    name: String,
    short_name: String,
    organizer: String,
    co_organizers: Vec<String>,
    theme: String,
    example: bool,
    registration_url: Option<String>,
    contacts: Vec<ContactView>,
    filing: Option<Filing>,
    /// The host of the base URL (`SiteDomain`).
    domain: String,
    /// The digits of the 公网安备号, for the link to its record.
    police_code: String,
}

/// What every page has: identity, navigation, languages.
#[derive(Serialize)]
struct PageMeta {
    title: String,
    /// `<title>`: page title and site name.
    head_title: String,
    description: String,
    /// Relative path to the site root ("../../"), or an absolute path on 404.
    root: String,
    /// Root of this language ("../../en/").
    home: String,
    css: String,
    css_integrity: String,
    canonical: String,
    section: String,
    nav: Vec<NavItem>,
    languages: Vec<Alternate>,
    x_default: String,
    feeds: Vec<Alternate>,
    /// The content is the default language's: no translation exists.
    fallback: bool,
    content_lang: String,
    breadcrumbs: Vec<Link>,
    /// `ColumnName`: the section's name.
    column: String,
    /// `ArticleTitle`, `PubDate`, `ContentSource` on article pages.
    article: Option<ArticleMeta>,
    /// Deferred scripts of this page (static files, with SRI).
    scripts: Vec<ScriptRef>,
}

#[derive(Serialize)]
struct ScriptRef {
    src: String,
    integrity: String,
}

#[derive(Serialize)]
struct ArticleMeta {
    title: String,
    pub_date: String,
    source: String,
}

#[derive(Serialize)]
struct Ctx<'a, D: Serialize> {
    lang: &'a str,
    lang_tag: &'a str,
    t: &'a Strings,
    site: &'a SiteView,
    page: PageMeta,
    data: D,
}

#[derive(Serialize, Clone)]
struct StageView {
    id: String,
    name: String,
    kind: String,
    date: String,
    status: &'static str,
    status_text: String,
    description: String,
    current: bool,
    /// For the countdown script (`static/countdown.js`), exact stages only:
    /// the instants the stage begins and ends (exclusive) in the site's
    /// time zone, its first and last day, and the instant shown as its
    /// deadline (`<time datetime>`: the start while upcoming, else the
    /// last second).
    opens: String,
    closes: String,
    first_day: String,
    last_day: String,
    deadline: String,
    /// "Starts in 3 days", for the next stage.
    starts_text: String,
}

#[derive(Serialize, Clone)]
struct NoticeRef {
    title: String,
    href: String,
    date: String,
    date_iso: String,
    doc_number: Option<String>,
    summary: Option<String>,
    category: String,
}

#[derive(Serialize, Clone)]
struct PublicityRef {
    title: String,
    href: String,
    kind: String,
    window: String,
    status: &'static str,
    status_text: String,
}

#[derive(Serialize)]
struct HomeView {
    intro: String,
    current_stage: Option<StageView>,
    next_stage: Option<StageView>,
    approx_stages: Vec<StageView>,
    /// Every exact stage, for the countdown script to pick the current and
    /// next one when the browser's clock says a boundary has passed.
    exact_stages: Vec<StageView>,
    countdown: CountdownView,
    open_publicity: Vec<PublicityRef>,
    latest: Vec<NoticeRef>,
    sections: Vec<Link>,
}

#[derive(Serialize)]
struct NoticeListView {
    notices: Vec<NoticeRef>,
}

#[derive(Serialize)]
struct AttachmentView {
    href: String,
    title: String,
    kind: String,
    size: String,
}

#[derive(Serialize)]
struct NoticeView {
    notice: NoticeRef,
    issuers: Vec<String>,
    /// "Issued jointly by 26 bodies": shown instead of a long list on screen.
    issuers_summary: String,
    attachments: Vec<AttachmentView>,
    body: String,
}

#[derive(Serialize, Clone)]
struct TopicRef {
    number: String,
    title: String,
    href: String,
}

#[derive(Serialize)]
struct TrackRef {
    number: String,
    name: String,
    href: String,
    guiding_unit: String,
    topics: usize,
    topics_text: String,
}

#[derive(Serialize)]
struct TracksView {
    tracks: Vec<TrackRef>,
    topics_total: String,
}

#[derive(Serialize)]
struct GroupView {
    id: String,
    name: String,
    intro: String,
    topics: Vec<TopicRef>,
}

#[derive(Serialize)]
struct TrackView {
    number: String,
    name: String,
    guiding_unit: String,
    intro: String,
    groups: Vec<GroupView>,
    awards: Vec<Link>,
}

#[derive(Serialize)]
struct TopicView {
    track: Link,
    group: String,
    number: String,
    title: String,
    body: String,
    prev: Option<TopicRef>,
    next: Option<TopicRef>,
}

#[derive(Serialize)]
struct TimelineView {
    stages: Vec<StageView>,
    today: String,
    today_iso: String,
    countdown: CountdownView,
    /// This language's `timeline.ics`.
    calendar: String,
}

/// What the countdown script needs besides the stages: the build's "now"
/// (a browser clock behind it is wrong, and is not believed), the site's
/// time zone, and the words, in the page's language.
#[derive(Serialize)]
struct CountdownView {
    now: String,
    time_zone: String,
    months: String,
}

#[derive(Serialize)]
struct SearchTrack {
    id: String,
    number: String,
    name: String,
    href: String,
    topics: Vec<TopicRef>,
}

#[derive(Serialize)]
struct SearchView {
    tracks: Vec<SearchTrack>,
    /// `index.json?v=<hash>`, relative to the search page.
    index: String,
    /// The search pages of the other languages ("Search in English", in
    /// that language), for a query that finds nothing here.
    elsewhere: Vec<Alternate>,
}

/// One file on the data page.
#[derive(Serialize)]
struct DataFileView {
    href: String,
    name: String,
    description: String,
    format: String,
    size: String,
    /// The file's JSON Schema, if it has one.
    schema: Option<String>,
}

#[derive(Serialize)]
struct DataView {
    files: Vec<DataFileView>,
    calendar: DataFileView,
    updated: String,
}

#[derive(Serialize)]
struct AwardRow {
    track: Link,
    counts: Vec<u32>,
}

#[derive(Serialize)]
struct SpecialView {
    name: String,
    count: String,
    description: String,
}

#[derive(Serialize)]
struct AwardsView {
    levels: Vec<String>,
    rows: Vec<AwardRow>,
    special: Vec<SpecialView>,
    national_final: String,
    prose_title: String,
    prose: String,
}

#[derive(Serialize)]
struct Cell {
    text: String,
    description: String,
    rowspan: usize,
    weight: String,
}

#[derive(Serialize)]
struct CriteriaView {
    columns: Vec<String>,
    rows: Vec<Vec<Cell>>,
    has_weight: bool,
    prose_title: String,
    prose: String,
}

#[derive(Serialize)]
struct ExpectedView {
    name: String,
    date: String,
    status_text: String,
}

#[derive(Serialize)]
struct PublicityIndexView {
    lists: Vec<PublicityRef>,
    expected: Vec<ExpectedView>,
}

#[derive(Serialize)]
struct EntryView {
    level: String,
    project: String,
    entrant: String,
}

#[derive(Serialize)]
struct EntryGroup {
    track: String,
    entries: Vec<EntryView>,
}

#[derive(Serialize)]
struct PublicityView {
    list: PublicityRef,
    intro: String,
    objection: String,
    objection_email: Option<String>,
    objection_phone: Option<String>,
    deadline: String,
    groups: Vec<EntryGroup>,
    count: usize,
}

#[derive(Serialize)]
struct DocView {
    body: String,
}

#[derive(Serialize)]
struct Empty {}

// ---------------------------------------------------------------- helpers

/// Everything a page of one language needs to know about the site.
struct LangCx<'a> {
    site: &'a Site,
    sched: &'a Schedule,
    lang: &'a str,
    default: &'a str,
    t: &'a Strings,
    tag: String,
    prefix: String,
    view: SiteView,
    markdown: &'a Markdown,
    /// lang → (tag for `lang`/`hreflang`, the language's own name).
    names: &'a BTreeMap<String, (String, String)>,
    /// Static files by name (`style.css`) → fingerprinted path and SRI.
    assets: &'a BTreeMap<String, crate::outputs::assets::Asset>,
    /// This language's `search/index.json`: the link to it, with its
    /// fingerprint, so a cache never serves an old index. (No SRI: the
    /// index is fetched from the page's own origin, and a cache that
    /// ignored the query would turn a stale index into a broken search.)
    search_index: String,
    /// This language's calendar and open data files: output path → bytes
    /// (made before the pages, which show their sizes).
    data_files: BTreeMap<String, Vec<u8>>,
}

impl LangCx<'_> {
    fn s(&self, key: &str) -> String {
        self.t.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(&self.s(key), args)
    }

    fn text(&self, t: &Text) -> String {
        t.show(self.lang, self.default)
    }

    fn opt(&self, t: &Option<Text>) -> String {
        t.as_ref().map(|t| self.text(t)).unwrap_or_default()
    }

    fn md(&self, src: &str) -> String {
        self.markdown.render(src, self.site.allow_html)
    }

    /// An optional prose document (awards, criteria): its title and HTML,
    /// marking the page as a fallback when it is the default language's.
    fn prose(&self, t: &Translations<Doc>, fallback: &mut bool) -> (String, String) {
        t.get(self.lang, self.default)
            .map(|(d, fb)| {
                *fallback |= fb;
                (d.title.clone(), self.md(&d.body))
            })
            .unwrap_or_default()
    }

    fn md_opt(&self, t: &Option<Text>) -> String {
        t.as_ref().map(|t| self.md(&self.text(t))).unwrap_or_default()
    }

    fn date(&self, d: Date) -> String {
        format_date(d, self.t)
    }

    fn span(&self, start: Date, end: Date) -> String {
        if start == end {
            self.date(start)
        } else {
            self.f("date_range", &[("start", &self.date(start)), ("end", &self.date(end))])
        }
    }

    fn days(&self, key: &str, n: i64) -> String {
        let k = if n == 1 { format!("{key}_one") } else { format!("{key}_other") };
        self.f(&k, &[("n", &n.to_string())])
    }

    /// Relative link from a page whose key is `from` to the page `to` of
    /// language `lang` (both language-neutral keys like `notices/x/`).
    fn link(&self, root: &str, lang: &str, to: &str) -> String {
        format!("{root}{}{to}", lang_prefix(self.site, lang))
    }

    fn stage_view(&self, i: usize) -> StageView {
        let st = &self.site.stages[i];
        let status = self.sched.stages[i];
        let (key, text) = match status {
            StageStatus::Upcoming { .. } => ("upcoming", self.s("stage_upcoming")),
            StageStatus::Current { days_left } => ("current", self.days("stage_days_left", days_left)),
            StageStatus::Done => ("done", self.s("stage_done")),
            StageStatus::Approximate => ("approximate", self.s("stage_approximate")),
        };
        let date = match &st.when {
            When::Exact(s) => self.span(s.start, s.end),
            When::Approx(a) => self.text(a),
        };
        let tz = &self.site.time_zone;
        let instant = |t: jiff::Timestamp| t.to_zoned(tz.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
        let (opens, closes, first_day, last_day, deadline) = match &st.when {
            When::Exact(s) => {
                let closes = s.closes(tz);
                let deadline = match status {
                    StageStatus::Upcoming { .. } => s.opens(tz),
                    _ => closes - jiff::SignedDuration::from_secs(1),
                };
                (
                    instant(s.opens(tz)),
                    instant(closes),
                    s.start.to_string(),
                    s.end.to_string(),
                    instant(deadline),
                )
            }
            When::Approx(_) => Default::default(),
        };
        let starts_text = match status {
            StageStatus::Upcoming { days_until } => self.days("stage_starts_in", days_until),
            _ => String::new(),
        };
        StageView {
            id: st.id.clone(),
            name: self.text(&st.name),
            kind: self.s(&format!("stage_kind_{}", kind_key(st.kind))),
            date,
            status: key,
            status_text: text,
            description: self.md_opt(&st.description),
            current: self.sched.current_stage == Some(i),
            opens,
            closes,
            first_day,
            last_day,
            deadline,
            starts_text,
        }
    }

    fn countdown(&self) -> CountdownView {
        CountdownView {
            now: self
                .sched
                .now
                .to_zoned(self.site.time_zone.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
            time_zone: self.site.time_zone_name.clone(),
            months: (1..=12).map(|m| self.s(&format!("month_{m}"))).collect::<Vec<_>>().join("|"),
        }
    }

    /// The deferred script `static/<name>`, linked from a page at `root`.
    fn script(&self, root: &str, name: &str) -> Vec<ScriptRef> {
        self.assets
            .get(name)
            .map(|a| ScriptRef {
                src: format!("{root}{}", a.path),
                integrity: a.integrity.clone(),
            })
            .into_iter()
            .collect()
    }

    fn notice_ref(&self, root: &str, n: &Notice) -> NoticeRef {
        let (t, _) = n.text.get(self.lang, self.default).expect("default language present");
        NoticeRef {
            title: t.title.clone(),
            href: self.link(root, self.lang, &format!("notices/{}/", n.slug)),
            date: self.date(n.date),
            date_iso: n.date.to_string(),
            doc_number: n.doc_number.clone(),
            summary: t.summary.clone(),
            category: self.s(&format!("category_{}", category_key(n.category))),
        }
    }

    fn publicity_ref(&self, root: &str, i: usize) -> Option<PublicityRef> {
        let p = &self.site.publicity[i];
        let status = self.sched.publicity[i]?;
        let (key, text) = window_status(self, status);
        Some(PublicityRef {
            title: self.text(&p.title),
            href: self.link(root, self.lang, &format!("publicity/{}/", p.slug)),
            kind: self.s(&format!("publicity_kind_{}", publicity_key(p.kind))),
            window: self.span(p.window.start, p.window.end),
            status: key,
            status_text: text,
        })
    }

    fn track_name(&self, id: &str) -> String {
        self.site
            .tracks
            .iter()
            .find(|t| t.id == id)
            .map(|t| self.text(&t.name))
            .unwrap_or_else(|| id.to_string())
    }
}

fn window_status(cx: &LangCx, s: SpanStatus) -> (&'static str, String) {
    match s {
        SpanStatus::Upcoming { .. } => ("upcoming", cx.s("window_upcoming")),
        SpanStatus::Open { days_left } => ("open", cx.days("window_days_left", days_left)),
        SpanStatus::Closed => ("closed", cx.s("window_closed")),
    }
}

pub fn format_date(d: Date, t: &Strings) -> String {
    let month_name = t.get(&format!("month_{}", d.month())).cloned().unwrap_or_default();
    fill(
        t.get("date_format").map(String::as_str).unwrap_or("{year}-{month}-{day}"),
        &[
            ("year", &d.year().to_string()),
            ("month", &d.month().to_string()),
            ("month_name", &month_name),
            ("day", &d.day().to_string()),
        ],
    )
}

fn kind_key(k: StageKind) -> &'static str {
    match k {
        StageKind::Registration => "registration",
        StageKind::Review => "review",
        StageKind::Verification => "verification",
        StageKind::Publicity => "publicity",
        StageKind::Final => "final",
        StageKind::Ceremony => "ceremony",
        StageKind::Other => "other",
    }
}

fn category_key(c: NoticeCategory) -> &'static str {
    match c {
        NoticeCategory::Notice => "notice",
        NoticeCategory::Announcement => "announcement",
        NoticeCategory::Result => "result",
        NoticeCategory::Other => "other",
    }
}

fn publicity_key(k: PublicityKind) -> &'static str {
    match k {
        PublicityKind::Finalists => "finalists",
        PublicityKind::Winners => "winners",
        PublicityKind::Other => "other",
    }
}

/// `""` for the default language, `"en/"` for the others.
pub fn lang_prefix(site: &Site, lang: &str) -> String {
    if lang == site.default_lang() {
        String::new()
    } else {
        format!("{lang}/")
    }
}

/// "../" once per folder level of the output path `path`.
fn root_for(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The `lang` attribute value for a language code, from its own strings.
pub fn lang_tag(theme: &Theme, lang: &str) -> String {
    theme
        .i18n
        .get(lang)
        .and_then(|s| s.get("lang_tag"))
        .cloned()
        .unwrap_or_else(|| lang.to_string())
}

fn language_names(site: &Site, theme: &Theme) -> BTreeMap<String, (String, String)> {
    site.languages
        .iter()
        .map(|l| {
            let name = theme
                .i18n
                .get(l)
                .and_then(|s| s.get("language_name"))
                .cloned()
                .unwrap_or_else(|| l.clone());
            (l.clone(), (lang_tag(theme, l), name))
        })
        .collect()
}

/// The path part of the base URL ("/" or "/sjj/ln/").
pub fn base_path(site: &Site) -> String {
    let after_scheme = site.base_url.split_once("://").map(|(_, r)| r).unwrap_or("");
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

// ---------------------------------------------------------------- jobs

/// What a page is, independent of language.
#[derive(Clone)]
enum Kind {
    Home,
    Notices,
    Notice(usize),
    Tracks,
    Track(usize),
    Topic(usize, usize),
    Timeline,
    Awards,
    Criteria,
    PublicityIndex,
    Publicity(usize),
    Page(usize),
    Search,
    Data,
    NotFound,
}

struct PageJob {
    kind: Kind,
    /// Language-neutral key: "" for home, "notices/x/" …, "404.html".
    key: String,
}

fn jobs(site: &Site, sched: &Schedule) -> Vec<PageJob> {
    let mut v = vec![
        PageJob {
            kind: Kind::Home,
            key: String::new(),
        },
        PageJob {
            kind: Kind::Notices,
            key: "notices/".into(),
        },
        PageJob {
            kind: Kind::Tracks,
            key: "tracks/".into(),
        },
        PageJob {
            kind: Kind::Timeline,
            key: "timeline/".into(),
        },
        PageJob {
            kind: Kind::PublicityIndex,
            key: "publicity/".into(),
        },
        PageJob {
            kind: Kind::Search,
            key: "search/".into(),
        },
        PageJob {
            kind: Kind::Data,
            key: "data/".into(),
        },
        PageJob {
            kind: Kind::NotFound,
            key: "404.html".into(),
        },
    ];
    for (i, n) in site.notices.iter().enumerate() {
        if sched.notice_published[i] {
            v.push(PageJob {
                kind: Kind::Notice(i),
                key: format!("notices/{}/", n.slug),
            });
        }
    }
    for (i, t) in site.tracks.iter().enumerate() {
        v.push(PageJob {
            kind: Kind::Track(i),
            key: format!("tracks/{}/", t.id),
        });
        for (j, tp) in t.topics.iter().enumerate() {
            v.push(PageJob {
                kind: Kind::Topic(i, j),
                key: format!("tracks/{}/{}/", t.id, tp.id),
            });
        }
    }
    if site.awards.is_some() {
        v.push(PageJob {
            kind: Kind::Awards,
            key: "awards/".into(),
        });
    }
    if site.criteria.is_some() {
        v.push(PageJob {
            kind: Kind::Criteria,
            key: "criteria/".into(),
        });
    }
    for (i, p) in site.publicity.iter().enumerate() {
        if sched.publicity[i].is_some() {
            v.push(PageJob {
                kind: Kind::Publicity(i),
                key: format!("publicity/{}/", p.slug),
            });
        }
    }
    for (i, p) in site.pages.iter().enumerate() {
        if sched.page_published[i] {
            v.push(PageJob {
                kind: Kind::Page(i),
                key: format!("{}/", p.slug),
            });
        }
    }
    v
}

/// The output file of a key.
fn out_path(prefix: &str, key: &str) -> String {
    if key.ends_with(".html") {
        format!("{prefix}{key}")
    } else {
        format!("{prefix}{key}index.html")
    }
}

// ---------------------------------------------------------------- render

/// Pages of a previous output that a rebuild may keep: the output, and
/// which page keys (`notices/x/`, `""` for home…) must be rendered anew.
pub type Reuse<'a> = (&'a Output, &'a (dyn Fn(&str) -> bool + Sync));

pub fn render_site(site: &Site, sched: &Schedule, theme: &Theme, markdown: &Markdown) -> Result<(Output, Stats), Diagnostics> {
    render_site_reusing(site, sched, theme, markdown, None)
}

/// [`render_site`], taking from `reuse` every page it does not mark for
/// rendering (a `serve` rebuild after an edit that touches few pages).
pub fn render_site_reusing(
    site: &Site,
    sched: &Schedule,
    theme: &Theme,
    markdown: &Markdown,
    reuse: Option<Reuse>,
) -> Result<(Output, Stats), Diagnostics> {
    render_site_to(site, sched, theme, markdown, reuse, None)
}

/// Takes each page as soon as it is rendered (its output path and bytes),
/// so that a build writes pages to disk instead of holding them all. On
/// failure it says what went wrong — or `None` when that was said already
/// (a full disk fails every page; the editor needs to hear it once).
/// After a failure no more pages are rendered.
pub type PageSink<'a> = &'a (dyn Fn(&str, &[u8]) -> Result<(), Option<Diagnostic>> + Sync);

/// [`render_site_reusing`]; with a `sink`, the pages go to it as they are
/// rendered and the output holds only the other files.
pub fn render_site_to(
    site: &Site,
    sched: &Schedule,
    theme: &Theme,
    markdown: &Markdown,
    reuse: Option<Reuse>,
    sink: Option<PageSink>,
) -> Result<(Output, Stats), Diagnostics> {
    let default = site.default_lang();
    let job_list = jobs(site, sched);
    let names = language_names(site, theme);
    // Static files first: pages refer to them by fingerprinted name.
    let mut statics: BTreeMap<String, Vec<u8>> = theme.static_files.clone();
    let css = statics.entry("style.css".to_string()).or_default();
    css.extend_from_slice(b"\n/* code highlighting */\n");
    css.extend_from_slice(markdown.highlighter.css().as_bytes());
    let assets: BTreeMap<String, crate::outputs::assets::Asset> = statics
        .iter()
        .map(|(n, b)| (n.clone(), crate::outputs::assets::fingerprint(n, b)))
        .collect();
    // The search index of each language, before the pages: the search page
    // names it with its fingerprint.
    // (bytes, link with the fingerprint), each language on a thread.
    let search: BTreeMap<&str, (Vec<u8>, String)> = site
        .languages
        .par_iter()
        .map(|l| {
            let bytes = crate::outputs::search::index_json(site, sched, l, &|md| markdown.plain(md), markdown.search_entries());
            let v = crate::base::digest::sha256_hex(&bytes)[..10].to_string();
            (l.as_str(), (bytes, format!("index.json?v={v}")))
        })
        .collect();
    let contexts: Vec<LangCx> = site
        .languages
        .iter()
        .map(|lang| {
            let t = &theme.i18n[lang];
            let view = site_view(site, lang, default);
            let prefix = lang_prefix(site, lang);
            let mut data_files = BTreeMap::new();
            data_files.insert(
                format!("{prefix}timeline.ics"),
                crate::outputs::calendar::calendar(site, sched, lang, t).into_bytes(),
            );
            for (name, bytes) in crate::outputs::opendata::files(site, sched, lang) {
                data_files.insert(format!("{prefix}data/{name}"), bytes);
            }
            LangCx {
                site,
                sched,
                lang,
                default,
                t,
                tag: lang_tag(theme, lang),
                prefix: lang_prefix(site, lang),
                view,
                markdown,
                names: &names,
                assets: &assets,
                search_index: search[lang.as_str()].1.clone(),
                data_files,
            }
        })
        .collect();
    // Page by page, each in every language: rayon splits the list into
    // halves, so the threads work on different pages, and a page's
    // languages (which share their code blocks) meet on one thread, where
    // the second finds the first's highlighting done.
    let work: Vec<(&LangCx, &PageJob)> = job_list.iter().flat_map(|j| contexts.iter().map(move |cx| (cx, j))).collect();
    // (rendered now, not kept; the page's path and bytes, unless a sink
    // took them; the attachments it links to)
    // (A page is `Err(None)` when it was not written because an earlier
    // write failed: that failure is reported once, not once per page.)
    type Page = (bool, Result<(String, Option<Bytes>), Option<Diagnostic>>, Vec<String>);
    let base = base_path(site);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let results: Vec<Page> = work
        .par_iter()
        .map(|(cx, job)| {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                return (false, Err(None), Vec::new());
            }
            if let Some((previous, rerender)) = reuse {
                let path = out_path(&cx.prefix, &job.key);
                if !rerender(&job.key) {
                    if let Some(bytes) = previous.files.get(&path) {
                        let refs = crate::check::links::attachments(&path, bytes, &base);
                        return (false, Ok((path, Some(bytes.clone()))), refs);
                    }
                }
            }
            let mut refs = Vec::new();
            let page = render_job(cx, job, theme).map_err(Some).and_then(|(p, b)| {
                refs = crate::check::links::attachments(&p, &b, &base);
                match sink {
                    Some(sink) => sink(&p, &b).map(|()| (p, None)).inspect_err(|_| {
                        stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    }),
                    None => Ok((p, Some(b.into()))),
                }
            });
            (true, page, refs)
        })
        .collect();
    let mut out = Output::default();
    let mut diags = Diagnostics::default();
    let mut stats = Stats::default();
    for ((rendered, r, refs), (cx, _)) in results.into_iter().zip(&work) {
        stats.rendered += usize::from(rendered);
        stats.attachments.extend(refs);
        match r {
            Ok((path, bytes)) => {
                *stats.pages.entry(cx.lang.to_string()).or_default() += 1;
                if let Some(bytes) = bytes {
                    out.files.insert(path, bytes);
                }
            }
            Err(Some(d)) => diags.push(d),
            Err(None) => {}
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    // Site-wide files.
    for (name, bytes) in statics {
        out.files.insert(assets[&name].path.clone(), bytes.into());
    }
    // Only the attachments a published page links to: the annex of a
    // draft, of a notice before its `publish_at`, or a file nothing
    // mentions stays out (`check` names the last kind).
    for name in &stats.attachments {
        let Some(path) = site.files.get(name) else { continue };
        match std::fs::read(path) {
            Ok(b) => {
                out.files.insert(format!("files/{name}"), b.into());
            }
            Err(e) => diags.push(Diagnostic::error(path, msg!("cannot_read_attachment", e = e))),
        }
    }
    for (lang, (bytes, _)) in search {
        out.files
            .insert(format!("{}search/index.json", lang_prefix(site, lang)), bytes.into());
    }
    for cx in &contexts {
        out.files.insert(
            format!("{}atom.xml", cx.prefix),
            crate::outputs::feed::atom(site, sched, cx.lang, cx.t).into_bytes().into(),
        );
        out.files.extend(cx.data_files.iter().map(|(k, v)| (k.clone(), v.clone().into())));
    }
    for (name, text) in crate::outputs::opendata::SCHEMAS {
        out.files.insert(format!("data/schema/{name}"), text.as_bytes().to_vec().into());
    }
    let keys: Vec<&str> = job_list
        .iter()
        .filter(|j| !matches!(j.kind, Kind::NotFound))
        .map(|j| j.key.as_str())
        .collect();
    out.files.insert(
        "sitemap.xml".into(),
        crate::outputs::feed::sitemap(site, &keys, |l| lang_tag(theme, l))
            .into_bytes()
            .into(),
    );
    out.files.insert(
        "robots.txt".into(),
        format!("User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n", site.base_url)
            .into_bytes()
            .into(),
    );
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((out, stats))
}

fn site_view(site: &Site, lang: &str, default: &str) -> SiteView {
    let show = |t: &Text| t.show(lang, default);
    SiteView {
        id: site.id.clone(),
        name: show(&site.name),
        short_name: show(&site.short_name),
        organizer: site.organizer.as_ref().map(show).unwrap_or_default(),
        co_organizers: site.co_organizers.iter().map(show).collect(),
        theme: site.theme.as_ref().map(show).unwrap_or_default(),
        example: site.example,
        registration_url: site.registration_url.clone().filter(|u| crate::base::safety::is_safe_url(u)),
        contacts: site
            .contacts
            .iter()
            .map(|c| ContactView {
                name: c.name.as_ref().map(show).unwrap_or_default(),
                people: c.people.as_ref().map(show).unwrap_or_default(),
                phones: c
                    .phone
                    .iter()
                    .map(|p| Link {
                        href: format!("tel:{}", tel(p)),
                        label: p.clone(),
                    })
                    .collect(),
                email: c.email.clone(),
                address: c.address.as_ref().map(show).unwrap_or_default(),
            })
            .collect(),
        filing: site.filing.clone(),
        domain: site
            .base_url
            .split_once("://")
            .map(|(_, r)| r.split('/').next().unwrap_or(""))
            .unwrap_or("")
            .to_string(),
        police_code: site
            .filing
            .as_ref()
            .and_then(|f| f.police.as_ref())
            .map(|p| p.chars().filter(char::is_ascii_digit).collect())
            .unwrap_or_default(),
    }
}

fn render_job(cx: &LangCx, job: &PageJob, theme: &Theme) -> Result<(String, Vec<u8>), Diagnostic> {
    let site = cx.site;
    let path = out_path(&cx.prefix, &job.key);
    let not_found = matches!(job.kind, Kind::NotFound);
    // The 404 page is served at any depth: its links are absolute paths.
    let root = if not_found { base_path(site) } else { root_for(&path) };
    let section = match &job.kind {
        Kind::Home => "home",
        Kind::Notices | Kind::Notice(_) => "notices",
        Kind::Tracks | Kind::Track(_) | Kind::Topic(..) => "tracks",
        Kind::Timeline => "timeline",
        Kind::Awards => "awards",
        Kind::Criteria => "criteria",
        Kind::PublicityIndex | Kind::Publicity(_) => "publicity",
        Kind::Page(i) => site.pages[*i].slug.as_str(),
        Kind::Search => "search",
        Kind::Data => "data",
        Kind::NotFound => "",
    };
    let mut meta = page_meta(cx, &root, &job.key, section);
    let home = meta.home.clone();
    let crumb = |key: &str, label: String| Link {
        href: format!("{home}{key}"),
        label,
    };
    let html = match &job.kind {
        Kind::Home => {
            meta.title = cx.view.name.clone();
            let intro = cx.site.home.get(cx.lang, cx.default).map(|(d, fb)| {
                meta.fallback |= fb;
                cx.md(&d.body)
            });
            let latest = site
                .notices
                .iter()
                .enumerate()
                .filter(|(i, _)| cx.sched.notice_published[*i])
                .take(5)
                .map(|(_, n)| cx.notice_ref(&root, n))
                .collect();
            let open_publicity = (0..site.publicity.len())
                .filter(|i| matches!(cx.sched.publicity[*i], Some(SpanStatus::Open { .. })))
                .filter_map(|i| cx.publicity_ref(&root, i))
                .collect();
            meta.scripts = cx.script(&root, "countdown.js");
            let data = HomeView {
                intro: intro.unwrap_or_default(),
                current_stage: cx.sched.current_stage.map(|i| cx.stage_view(i)),
                next_stage: cx.sched.next_stage.map(|i| cx.stage_view(i)),
                approx_stages: (0..site.stages.len())
                    .filter(|i| cx.sched.stages[*i] == StageStatus::Approximate)
                    .map(|i| cx.stage_view(i))
                    .collect(),
                exact_stages: (0..site.stages.len())
                    .filter(|i| cx.sched.stages[*i] != StageStatus::Approximate)
                    .map(|i| cx.stage_view(i))
                    .collect(),
                countdown: cx.countdown(),
                open_publicity,
                latest,
                sections: meta
                    .nav
                    .iter()
                    .skip(1)
                    .map(|n| Link {
                        href: n.href.clone(),
                        label: n.label.clone(),
                    })
                    .collect(),
            };
            render(theme, "home.html", cx, meta, data)?
        }
        Kind::Notices => {
            meta.title = cx.s("notices");
            let notices = site
                .notices
                .iter()
                .enumerate()
                .filter(|(i, _)| cx.sched.notice_published[*i])
                .map(|(_, n)| cx.notice_ref(&root, n))
                .collect();
            render(theme, "notices.html", cx, meta, NoticeListView { notices })?
        }
        Kind::Notice(i) => {
            let n = &site.notices[*i];
            let (t, fb) = n.text.get(cx.lang, cx.default).expect("default language present");
            meta.fallback = fb;
            meta.title = t.title.clone();
            meta.description = t.summary.clone().unwrap_or_default();
            meta.article = Some(ArticleMeta {
                title: t.title.clone(),
                pub_date: n.date.to_string(),
                source: if t.issuers.is_empty() {
                    cx.view.organizer.clone()
                } else {
                    t.issuers.join(" ")
                },
            });
            meta.breadcrumbs.push(crumb("notices/", cx.s("notices")));
            let attachments = n
                .attachments
                .iter()
                .zip(&t.attachment_titles)
                .map(|(file, title)| AttachmentView {
                    href: format!("{root}files/{}", file),
                    title: title.clone().unwrap_or_else(|| file.clone()),
                    kind: file.rsplit_once('.').map(|(_, e)| e.to_uppercase()).unwrap_or_default(),
                    size: site
                        .files
                        .get(file)
                        .and_then(|p| std::fs::metadata(p).ok())
                        .map(|m| human_size(m.len()))
                        .unwrap_or_default(),
                })
                .collect();
            let data = NoticeView {
                notice: cx.notice_ref(&root, n),
                issuers: t.issuers.clone(),
                issuers_summary: cx.f(
                    "issued_jointly",
                    &[
                        ("first", t.issuers.first().map(String::as_str).unwrap_or("")),
                        ("n", &t.issuers.len().to_string()),
                    ],
                ),
                attachments,
                body: cx.md(&t.body),
            };
            render(theme, "notice.html", cx, meta, data)?
        }
        Kind::Tracks => {
            meta.title = cx.s("tracks");
            let total: usize = site.tracks.iter().map(|t| t.topics.len()).sum();
            let tracks = site
                .tracks
                .iter()
                .map(|t| TrackRef {
                    number: cx.f("track_number", &[("n", &t.number.to_string())]),
                    name: cx.text(&t.name),
                    href: cx.link(&root, cx.lang, &format!("tracks/{}/", t.id)),
                    guiding_unit: cx.opt(&t.guiding_unit),
                    topics: t.topics.len(),
                    topics_text: cx.f(
                        if t.topics.len() == 1 {
                            "topics_count_one"
                        } else {
                            "topics_count_other"
                        },
                        &[("n", &t.topics.len().to_string())],
                    ),
                })
                .collect();
            let data = TracksView {
                tracks,
                topics_total: cx.f(
                    "tracks_total",
                    &[("tracks", &site.tracks.len().to_string()), ("topics", &total.to_string())],
                ),
            };
            render(theme, "tracks.html", cx, meta, data)?
        }
        Kind::Track(i) => {
            let t = &site.tracks[*i];
            meta.title = cx.text(&t.name);
            meta.breadcrumbs.push(crumb("tracks/", cx.s("tracks")));
            let topic_ref = |tp: &Topic| TopicRef {
                number: cx.f("topic_number", &[("n", &tp.number.to_string())]),
                title: tp.text.get(cx.lang, cx.default).map(|(d, _)| d.title.clone()).unwrap_or_default(),
                href: cx.link(&root, cx.lang, &format!("tracks/{}/{}/", t.id, tp.id)),
            };
            let groups = if t.groups.is_empty() {
                vec![GroupView {
                    id: String::new(),
                    name: String::new(),
                    intro: String::new(),
                    topics: t.topics.iter().map(topic_ref).collect(),
                }]
            } else {
                t.groups
                    .iter()
                    .map(|g| GroupView {
                        id: g.id.clone(),
                        name: cx.text(&g.name),
                        intro: cx.md_opt(&g.intro),
                        topics: t
                            .topics
                            .iter()
                            .filter(|tp| tp.group.as_deref() == Some(&g.id))
                            .map(topic_ref)
                            .collect(),
                    })
                    .collect()
            };
            let awards = site
                .awards
                .as_ref()
                .map(|a| {
                    let counts = &a.counts[&t.id];
                    a.levels
                        .iter()
                        .zip(counts)
                        .filter(|(_, c)| **c > 0)
                        .map(|(l, c)| Link {
                            href: String::new(),
                            label: cx.f("award_places", &[("level", &cx.text(&l.name)), ("n", &c.to_string())]),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let data = TrackView {
                number: cx.f("track_number", &[("n", &t.number.to_string())]),
                name: cx.text(&t.name),
                guiding_unit: cx.opt(&t.guiding_unit),
                intro: cx.md_opt(&t.intro),
                groups,
                awards,
            };
            render(theme, "track.html", cx, meta, data)?
        }
        Kind::Topic(ti, pi) => {
            let t = &site.tracks[*ti];
            let tp = &t.topics[*pi];
            let (doc, fb) = tp.text.get(cx.lang, cx.default).expect("default language present");
            meta.fallback = fb;
            meta.title = doc.title.clone();
            meta.breadcrumbs.push(crumb("tracks/", cx.s("tracks")));
            meta.breadcrumbs.push(crumb(&format!("tracks/{}/", t.id), cx.text(&t.name)));
            let tref = |tp: &Topic| TopicRef {
                number: cx.f("topic_number", &[("n", &tp.number.to_string())]),
                title: tp.text.get(cx.lang, cx.default).map(|(d, _)| d.title.clone()).unwrap_or_default(),
                href: cx.link(&root, cx.lang, &format!("tracks/{}/{}/", t.id, tp.id)),
            };
            let data = TopicView {
                track: Link {
                    href: cx.link(&root, cx.lang, &format!("tracks/{}/", t.id)),
                    label: cx.text(&t.name),
                },
                group: tp
                    .group
                    .as_ref()
                    .and_then(|g| t.groups.iter().find(|x| &x.id == g))
                    .map(|g| cx.text(&g.name))
                    .unwrap_or_default(),
                number: cx.f("topic_number", &[("n", &tp.number.to_string())]),
                title: doc.title.clone(),
                body: cx.md(&doc.body),
                prev: pi.checked_sub(1).map(|j| tref(&t.topics[j])),
                next: t.topics.get(pi + 1).map(tref),
            };
            render(theme, "topic.html", cx, meta, data)?
        }
        Kind::Timeline => {
            meta.title = cx.s("timeline");
            meta.scripts = cx.script(&root, "countdown.js");
            let data = TimelineView {
                stages: (0..site.stages.len()).map(|i| cx.stage_view(i)).collect(),
                today: cx.date(cx.sched.today),
                today_iso: cx.sched.today.to_string(),
                countdown: cx.countdown(),
                calendar: format!("{root}{}timeline.ics", cx.prefix),
            };
            render(theme, "timeline.html", cx, meta, data)?
        }
        Kind::Awards => {
            let a = site.awards.as_ref().expect("awards page only when awards exist");
            meta.title = cx.s("awards");
            let (prose_title, prose) = cx.prose(&a.prose, &mut meta.fallback);
            let data = AwardsView {
                levels: a.levels.iter().map(|l| cx.text(&l.name)).collect(),
                rows: site
                    .tracks
                    .iter()
                    .map(|t| AwardRow {
                        track: Link {
                            href: cx.link(&root, cx.lang, &format!("tracks/{}/", t.id)),
                            label: cx.text(&t.name),
                        },
                        counts: a.counts[&t.id].clone(),
                    })
                    .collect(),
                special: a
                    .special
                    .iter()
                    .map(|s| SpecialView {
                        name: cx.text(&s.name),
                        count: match (s.count, &s.count_text) {
                            (Some(n), _) => cx.f("places", &[("n", &n.to_string())]),
                            (None, Some(t)) => cx.text(t),
                            (None, None) => String::new(),
                        },
                        description: cx.md_opt(&s.description),
                    })
                    .collect(),
                national_final: a
                    .national_final
                    .as_ref()
                    .map(|(n, note)| {
                        let base = cx.f("national_final_places", &[("n", &n.to_string())]);
                        match note {
                            Some(note) => format!("{base}{}{}", cx.s("note_separator"), cx.text(note)),
                            None => base,
                        }
                    })
                    .unwrap_or_default(),
                prose_title,
                prose,
            };
            render(theme, "awards.html", cx, meta, data)?
        }
        Kind::Criteria => {
            let c = site.criteria.as_ref().expect("criteria page only when criteria exist");
            meta.title = cx.s("criteria");
            let (prose_title, prose) = cx.prose(&c.prose, &mut meta.fallback);
            let columns = c
                .column_names
                .get(cx.lang)
                .or_else(|| c.column_names.get(cx.default))
                .cloned()
                .unwrap_or_else(|| vec![cx.s("criteria_level_1"), cx.s("criteria_level_2"), cx.s("criteria_level_3")]);
            let depth = criteria_depth(&c.items);
            let has_weight = criteria_have_weight(&c.items);
            let mut rows = Vec::new();
            criteria_rows(cx, &c.items, depth, 0, &mut Vec::new(), &mut rows);
            let data = CriteriaView {
                columns: columns.into_iter().take(depth).collect(),
                rows,
                has_weight,
                prose_title,
                prose,
            };
            render(theme, "criteria.html", cx, meta, data)?
        }
        Kind::PublicityIndex => {
            meta.title = cx.s("publicity");
            let lists: Vec<PublicityRef> = (0..site.publicity.len()).filter_map(|i| cx.publicity_ref(&root, i)).collect();
            // Publicity stages of the timeline whose list is not out yet.
            let expected = site
                .stages
                .iter()
                .enumerate()
                .filter(|(_, s)| s.kind == StageKind::Publicity)
                .filter(|(_, s)| {
                    !site
                        .publicity
                        .iter()
                        .enumerate()
                        .any(|(j, p)| p.stage.as_deref() == Some(&s.id) && cx.sched.publicity[j].is_some())
                })
                .map(|(i, s)| {
                    let v = cx.stage_view(i);
                    ExpectedView {
                        name: cx.text(&s.name),
                        date: v.date,
                        status_text: v.status_text,
                    }
                })
                .collect();
            render(theme, "publicity_index.html", cx, meta, PublicityIndexView { lists, expected })?
        }
        Kind::Publicity(i) => {
            let p = &site.publicity[*i];
            meta.title = cx.text(&p.title);
            meta.breadcrumbs.push(crumb("publicity/", cx.s("publicity")));
            let list = cx.publicity_ref(&root, *i).expect("published");
            let level_name = |id: &Option<String>| {
                id.as_ref()
                    .and_then(|id| {
                        site.awards
                            .as_ref()
                            .and_then(|a| a.levels.iter().find(|l| &l.id == id))
                            .map(|l| cx.text(&l.name))
                    })
                    .unwrap_or_default()
            };
            let level_rank = |id: &Option<String>| {
                id.as_ref()
                    .and_then(|id| site.awards.as_ref().and_then(|a| a.levels.iter().position(|l| &l.id == id)))
                    .unwrap_or(usize::MAX)
            };
            // Entries by track (in track order), then by award level.
            let mut groups: Vec<EntryGroup> = Vec::new();
            let mut order: Vec<(usize, usize, usize, &Entry)> = p
                .entries
                .iter()
                .enumerate()
                .map(|(k, e)| {
                    let tpos = e
                        .track
                        .as_ref()
                        .and_then(|t| site.tracks.iter().position(|x| &x.id == t))
                        .unwrap_or(usize::MAX);
                    (tpos, level_rank(&e.level), k, e)
                })
                .collect();
            order.sort_by_key(|(t, l, k, _)| (*t, *l, *k));
            for (_, _, _, e) in order {
                let track = e.track.as_ref().map(|t| cx.track_name(t)).unwrap_or_else(|| cx.s("no_track"));
                if groups.last().map(|g| g.track != track).unwrap_or(true) {
                    groups.push(EntryGroup {
                        track: track.clone(),
                        entries: Vec::new(),
                    });
                }
                if let Some(g) = groups.last_mut() {
                    g.entries.push(EntryView {
                        level: level_name(&e.level),
                        project: cx.text(&e.project),
                        entrant: cx.text(&e.entrant),
                    });
                }
            }
            let data = PublicityView {
                list,
                intro: cx.md_opt(&p.intro),
                objection: p.objection.as_ref().map(|o| cx.md_opt(&o.text)).unwrap_or_default(),
                objection_email: p.objection.as_ref().and_then(|o| o.email.clone()),
                objection_phone: p.objection.as_ref().and_then(|o| o.phone.clone()),
                deadline: cx.f("objection_deadline", &[("date", &cx.date(p.window.end))]),
                groups,
                count: p.entries.len(),
            };
            render(theme, "publicity.html", cx, meta, data)?
        }
        Kind::Page(i) => {
            let p = &site.pages[*i];
            let (doc, fb) = p.text.get(cx.lang, cx.default).expect("default language present");
            meta.fallback = fb;
            meta.title = doc.title.clone();
            render(theme, "page.html", cx, meta, DocView { body: cx.md(&doc.body) })?
        }
        Kind::Search => {
            meta.title = cx.s("search");
            meta.scripts = cx.script(&root, "search.js");
            let tracks = site
                .tracks
                .iter()
                .map(|t| SearchTrack {
                    id: t.id.clone(),
                    number: cx.f("track_number", &[("n", &t.number.to_string())]),
                    name: cx.text(&t.name),
                    href: cx.link(&root, cx.lang, &format!("tracks/{}/", t.id)),
                    topics: t
                        .topics
                        .iter()
                        .map(|tp| TopicRef {
                            number: cx.f("topic_number", &[("n", &tp.number.to_string())]),
                            title: tp.text.get(cx.lang, cx.default).map(|(d, _)| d.title.clone()).unwrap_or_default(),
                            href: cx.link(&root, cx.lang, &format!("tracks/{}/{}/", t.id, tp.id)),
                        })
                        .collect(),
                })
                .collect();
            let data = SearchView {
                tracks,
                index: cx.search_index.clone(),
                elsewhere: site
                    .languages
                    .iter()
                    .filter(|l| *l != cx.lang)
                    .map(|l| Alternate {
                        lang: l.clone(),
                        tag: cx.view_tag(l),
                        name: theme
                            .i18n
                            .get(l)
                            .and_then(|t| t.get("search_elsewhere"))
                            .cloned()
                            .unwrap_or_default(),
                        href: cx.link(&root, l, "search/"),
                        abs: String::new(),
                    })
                    .collect(),
            };
            render(theme, "search.html", cx, meta, data)?
        }
        Kind::Data => {
            meta.title = cx.s("open_data");
            let file = |path: &str, description: String, schema: Option<String>| {
                let name = path.rsplit('/').next().unwrap_or(path);
                DataFileView {
                    href: format!("{root}{path}"),
                    name: name.to_string(),
                    description,
                    format: match name.rsplit_once('.').map(|(_, e)| e) {
                        Some("ics") => "iCalendar".to_string(),
                        Some(e) => e.to_uppercase(),
                        None => String::new(),
                    },
                    size: human_size(cx.data_files.get(path).map_or(0, |b| b.len() as u64)),
                    schema,
                }
            };
            let files = crate::outputs::opendata::NAMES
                .iter()
                .map(|name| {
                    let stem = name.replace('.', "_");
                    let schema = name.strip_suffix(".json").map(|s| format!("{root}data/schema/{s}.schema.json"));
                    file(&format!("{}data/{name}", cx.prefix), cx.s(&format!("data_file_{stem}")), schema)
                })
                .collect();
            let data = DataView {
                files,
                calendar: file(&format!("{}timeline.ics", cx.prefix), cx.s("data_file_timeline_ics"), None),
                updated: cx.date(cx.sched.today),
            };
            render(theme, "data.html", cx, meta, data)?
        }
        Kind::NotFound => {
            meta.title = cx.s("not_found_title");
            render(theme, "404.html", cx, meta, Empty {})?
        }
    };
    Ok((path, html.into_bytes()))
}

fn criteria_depth(items: &[Criterion]) -> usize {
    items.iter().map(|c| 1 + criteria_depth(&c.children)).max().unwrap_or(0)
}

fn criteria_have_weight(items: &[Criterion]) -> bool {
    items.iter().any(|c| c.weight.is_some() || criteria_have_weight(&c.children))
}

fn leaves(c: &Criterion) -> usize {
    if c.children.is_empty() {
        1
    } else {
        c.children.iter().map(leaves).sum()
    }
}

/// Flattens the criteria tree into table rows: a cell spans the rows of its
/// leaves; a row starts with the cells that begin on it.
fn criteria_rows(cx: &LangCx, items: &[Criterion], depth: usize, level: usize, pending: &mut Vec<Cell>, rows: &mut Vec<Vec<Cell>>) {
    for c in items {
        let weight = c
            .weight
            .map(|w| if w.fract() == 0.0 { format!("{}", w as i64) } else { w.to_string() })
            .unwrap_or_default();
        pending.push(Cell {
            text: cx.text(&c.name),
            description: cx.md_opt(&c.description),
            rowspan: leaves(c),
            weight,
        });
        if c.children.is_empty() {
            // A leaf above the last level fills the empty columns to its right.
            for _ in level + 1..depth {
                pending.push(Cell {
                    text: String::new(),
                    description: String::new(),
                    rowspan: 1,
                    weight: String::new(),
                });
            }
            rows.push(std::mem::take(pending));
        } else {
            criteria_rows(cx, &c.children, depth, level + 1, pending, rows);
        }
    }
}

/// A `tel:` number: digits and a leading `+` only (`024—83988582` → `02483988582`).
fn tel(written: &str) -> String {
    written.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()
}

fn human_size(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / 1024.0 / 1024.0)
    } else if n >= 1024 {
        format!("{:.0} KB", (n as f64 / 1024.0).ceil())
    } else {
        format!("{n} B")
    }
}

fn page_meta(cx: &LangCx, root: &str, key: &str, section: &str) -> PageMeta {
    let site = cx.site;
    let home = format!("{root}{}", cx.prefix);
    let mut nav = vec![NavItem {
        href: home.clone(),
        label: cx.s("home"),
        current: section == "home",
    }];
    // The sections every site has, and those it has when it has the data
    // (the same rule as `jobs`).
    let has = |k: &str| match k {
        "awards/" => site.awards.is_some(),
        "criteria/" => site.criteria.is_some(),
        _ => true,
    };
    for (k, label) in [
        ("notices", "notices"),
        ("tracks", "tracks"),
        ("timeline", "timeline"),
        ("awards", "awards"),
        ("criteria", "criteria"),
        ("publicity", "publicity"),
    ] {
        if has(&format!("{k}/")) {
            nav.push(NavItem {
                href: format!("{home}{k}/"),
                label: cx.s(label),
                current: section == k,
            });
        }
        // Search right after the tracks it mostly finds: on a phone the
        // menu is one row that scrolls, and the first few items show.
        if k == "tracks" {
            nav.push(NavItem {
                href: format!("{home}search/"),
                label: cx.s("search"),
                current: section == "search",
            });
        }
    }
    for (i, p) in site.pages.iter().enumerate() {
        if p.menu.is_some() && cx.sched.page_published[i] {
            let title = p.text.get(cx.lang, cx.default).map(|(d, _)| d.title.clone()).unwrap_or_default();
            nav.push(NavItem {
                href: format!("{home}{}/", p.slug),
                label: title,
                current: section == p.slug,
            });
        }
    }
    let abs = |lang: &str| {
        let k = if key == "404.html" { "" } else { key };
        format!("{}{}{}", site.base_url, lang_prefix(site, lang), k)
    };
    let languages = site
        .languages
        .iter()
        .map(|l| Alternate {
            lang: l.clone(),
            tag: cx.view_tag(l),
            name: cx.lang_name(l),
            href: format!("{root}{}{}", lang_prefix(site, l), if key == "404.html" { "" } else { key }),
            abs: abs(l),
        })
        .collect();
    let feeds = site
        .languages
        .iter()
        .map(|l| Alternate {
            lang: l.clone(),
            tag: cx.view_tag(l),
            name: cx.lang_name(l),
            href: format!("{root}{}atom.xml", lang_prefix(site, l)),
            abs: String::new(),
        })
        .collect();
    PageMeta {
        title: String::new(),
        head_title: String::new(),
        description: String::new(),
        root: root.to_string(),
        home: home.clone(),
        css: cx.assets.get("style.css").map(|a| format!("{root}{}", a.path)).unwrap_or_default(),
        css_integrity: cx.assets.get("style.css").map(|a| a.integrity.clone()).unwrap_or_default(),
        canonical: abs(cx.lang),
        section: section.to_string(),
        nav,
        languages,
        x_default: abs(cx.default),
        feeds,
        fallback: false,
        content_lang: cx.view_tag(cx.default),
        breadcrumbs: vec![Link {
            href: home,
            label: cx.s("home"),
        }],
        column: match section {
            "home" => cx.s("home"),
            "" => String::new(),
            s if ["notices", "tracks", "timeline", "awards", "criteria", "publicity", "search"].contains(&s) => cx.s(s),
            "data" => cx.s("open_data"),
            slug => site
                .pages
                .iter()
                .find(|p| p.slug == slug)
                .and_then(|p| p.text.get(cx.lang, cx.default))
                .map(|(d, _)| d.title.clone())
                .unwrap_or_default(),
        },
        article: None,
        scripts: Vec::new(),
    }
}

impl LangCx<'_> {
    fn view_tag(&self, lang: &str) -> String {
        self.names.get(lang).map(|n| n.0.clone()).unwrap_or_else(|| lang.to_string())
    }

    fn lang_name(&self, lang: &str) -> String {
        self.names.get(lang).map(|n| n.1.clone()).unwrap_or_else(|| lang.to_string())
    }
}

fn render<D: Serialize>(theme: &Theme, template: &str, cx: &LangCx, mut meta: PageMeta, data: D) -> Result<String, Diagnostic> {
    meta.head_title = if meta.title == cx.view.name {
        meta.title.clone()
    } else {
        format!("{} - {}", meta.title, cx.view.short_name)
    };
    if meta.description.is_empty() {
        meta.description = cx.view.name.clone();
    }
    let ctx = Ctx {
        lang: cx.lang,
        lang_tag: &cx.tag,
        t: cx.t,
        site: &cx.view,
        page: meta,
        data,
    };
    let context = tera::Context::from_serialize(&ctx).map_err(|e| Diagnostic::error(template, msg!("cannot_prepare_page", e = e)))?;
    theme.tera.render(template, &context).map_err(|e| {
        Diagnostic::error(
            theme.dir.join("templates").join(template),
            msg!("template_failed", arg0 = crate::theme::error_chain(&e)),
        )
    })
}
