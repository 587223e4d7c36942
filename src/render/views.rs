//! The views several pages share — a link, a stage, a notice in a list, a
//! list of results — and the site's identity as every page shows it.
//! Views are plain structs of strings: templates never compute dates or
//! statuses, they print what is here.

use crate::base::time::{self, SpanStatus};
use crate::context::Lang;
use crate::model::{Filing, Notice, Publicity, Site, Stage, When};
use crate::schedule::StageStatus;
use jiff::civil::Date;
use serde::Serialize;

#[derive(Serialize, Clone)]
pub struct Link {
    pub href: String,
    pub label: String,
}

#[derive(Serialize, Clone)]
pub struct NavItem {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// Another language's version of something (a page, a feed).
#[derive(Serialize, Clone)]
pub struct Alternate {
    pub lang: String,
    pub tag: String,
    pub name: String,
    /// Relative link, for the language switcher.
    pub href: String,
    /// Absolute URL, for `hreflang`.
    pub abs: String,
}

#[derive(Serialize, Clone)]
pub struct ContactView {
    pub name: String,
    pub people: String,
    pub phones: Vec<Link>,
    pub email: Option<String>,
    pub address: String,
}

/// The site as every page shows it (header, footer, contacts).
#[derive(Serialize, Clone)]
pub struct SiteView {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub organizer: String,
    pub co_organizers: Vec<String>,
    pub theme: String,
    pub example: bool,
    pub registration_url: Option<String>,
    pub contacts: Vec<ContactView>,
    pub filing: Option<Filing>,
    /// The host of the base URL (`SiteDomain`).
    pub domain: String,
    /// The digits of the 公网安备号, for the link to its record.
    pub police_code: String,
}

/// A day count, which moves at every local midnight: "4 days left", "starts
/// tomorrow". Its forms ride along so that the script (`countdown.js`) can
/// keep it right, by the same rule, until the page's next change of state.
#[derive(Serialize, Clone)]
pub struct DaysView {
    pub text: String,
    /// `left`: days up to `day` inclusive, today counting as one; `until`:
    /// whole days until `day` (at least one).
    pub kind: &'static str,
    /// The day counted to (ISO).
    pub day: String,
    /// The forms for one and for `{n}`.
    pub one: String,
    pub other: String,
    /// The instant the count is about (`<time datetime>`).
    pub datetime: String,
}

/// Days left up to `last` (today counts as one), in the words of `key`.
pub fn days_left(lx: &Lang, key: &str, last: Date, datetime: String) -> DaysView {
    let n = time::days_between(lx.sched.today, last) + 1;
    count(lx, key, "left", last, n, datetime)
}

/// Days until `first` (at least one), in the words of `key`.
pub fn days_until(lx: &Lang, key: &str, first: Date, datetime: String) -> DaysView {
    let n = time::days_between(lx.sched.today, first).max(1);
    count(lx, key, "until", first, n, datetime)
}

fn count(lx: &Lang, key: &str, kind: &'static str, day: Date, n: i64, datetime: String) -> DaysView {
    let (one, other) = lx.words.count_forms(key);
    DaysView {
        text: lx.words.days(key, n),
        kind,
        day: day.to_string(),
        one,
        other,
        datetime,
    }
}

#[derive(Serialize, Clone)]
pub struct StageView {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub date: String,
    pub status: &'static str,
    pub status_text: String,
    pub description: String,
    pub current: bool,
    /// For the countdown script (`static/countdown.js`), exact stages only:
    /// the instants the stage begins and ends (exclusive) in the site's
    /// time zone, its first and last day, and the instant shown as its
    /// deadline (`<time datetime>`: the start while upcoming, else the
    /// last second).
    pub opens: String,
    pub closes: String,
    pub first_day: String,
    pub last_day: String,
    pub deadline: String,
    /// "Under way, 4 days left", for a stage under way with exact dates.
    pub count: Option<DaysView>,
    /// "Starts in 3 days", for a stage to come with exact dates.
    pub starts: Option<DaysView>,
}

#[derive(Serialize, Clone)]
pub struct NoticeRef {
    pub title: String,
    pub href: String,
    pub date: String,
    pub date_iso: String,
    pub doc_number: Option<String>,
    pub summary: Option<String>,
    pub category: String,
}

#[derive(Serialize, Clone)]
pub struct PublicityRef {
    pub title: String,
    pub href: String,
    pub kind: String,
    pub window: String,
    pub status: &'static str,
    pub status_text: String,
    /// "Open, 4 days left", while the window is open.
    pub count: Option<DaysView>,
}

#[derive(Serialize, Clone)]
pub struct TopicRef {
    pub number: String,
    pub title: String,
    pub href: String,
}

/// The site's identity in one language.
pub fn site_view(site: &Site, lang: &str) -> SiteView {
    let default = site.default_lang();
    let show = |t: &crate::model::Text| t.show(lang, default);
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

/// A `tel:` number: digits and a leading `+` only (`024—83988582` → `02483988582`).
fn tel(written: &str) -> String {
    written.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()
}

/// A stage as the pages show it.
pub fn stage_view(lx: &Lang, st: &Stage) -> StageView {
    let status = lx.sched.stage(st);
    let date = match &st.when {
        When::Exact(s) => lx.span(s.start, s.end),
        When::Approx(a) => lx.text(&a.text),
    };
    let tz = &lx.site.time_zone;
    let (opens, closes, first_day, last_day, deadline) = match &st.when {
        When::Exact(s) => {
            let closes = s.closes(tz);
            let deadline = match status {
                StageStatus::Upcoming { .. } => s.opens(tz),
                _ => closes - jiff::SignedDuration::from_secs(1),
            };
            (
                lx.instant(s.opens(tz)),
                lx.instant(closes),
                s.start.to_string(),
                s.end.to_string(),
                lx.instant(deadline),
            )
        }
        When::Approx(_) => Default::default(),
    };
    let (count, starts) = match (&st.when, status) {
        (When::Exact(s), StageStatus::Current { .. }) => (Some(days_left(lx, "stage_days_left", s.end, deadline.clone())), None),
        (When::Exact(s), StageStatus::Upcoming { .. }) => (None, Some(days_until(lx, "stage_starts_in", s.start, opens.clone()))),
        _ => (None, None),
    };
    StageView {
        id: st.id.clone(),
        name: lx.text(&st.name),
        kind: lx.words.stage_kind(st.kind),
        date,
        status: status.key(),
        status_text: lx.words.stage_status(status),
        description: lx.md_opt(&st.description),
        current: lx.sched.is_current(st),
        opens,
        closes,
        first_day,
        last_day,
        deadline,
        count,
        starts,
    }
}

/// A notice in a list, linked from a page at `root`.
pub fn notice_ref(lx: &Lang, root: &str, n: &Notice) -> NoticeRef {
    let t = n.text.get(lx.lang, lx.default).map(|(t, _)| t);
    NoticeRef {
        title: t.map(|t| t.title.clone()).unwrap_or_default(),
        href: lx.link(root, lx.lang, &format!("notices/{}/", n.slug)),
        date: lx.date(n.date),
        date_iso: n.date.to_string(),
        doc_number: n.doc_number.clone(),
        summary: t.and_then(|t| t.summary.clone()),
        category: lx.words.category(n.category),
    }
}

/// A published results list, linked from a page at `root`; `None` while
/// it is not published.
pub fn publicity_ref(lx: &Lang, root: &str, p: &Publicity) -> Option<PublicityRef> {
    let st = lx.sched.list(p)?;
    let (status, status_text) = lx.window(st);
    let last_second = p.window.closes(&lx.site.time_zone) - jiff::SignedDuration::from_secs(1);
    Some(PublicityRef {
        title: lx.text(&p.title),
        href: lx.link(root, lx.lang, &format!("publicity/{}/", p.slug)),
        kind: lx.words.list_kind(p.kind),
        window: lx.span(p.window.start, p.window.end),
        status,
        status_text,
        count: matches!(st, SpanStatus::Open { .. }).then(|| days_left(lx, "window_days_left", p.window.end, lx.instant(last_second))),
    })
}

/// A topic in a list, linked from a page at `root`.
pub fn topic_ref(lx: &Lang, root: &str, track: &crate::model::Track, tp: &crate::model::Topic) -> TopicRef {
    TopicRef {
        number: lx.words.f("topic_number", &[("n", &tp.number.to_string())]),
        title: tp.text.get(lx.lang, lx.default).map(|(d, _)| d.title.clone()).unwrap_or_default(),
        href: lx.link(root, lx.lang, &format!("tracks/{}/{}/", track.id, tp.id)),
    }
}

/// A file's size as people read it.
pub fn human_size(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / 1024.0 / 1024.0)
    } else if n >= 1024 {
        format!("{:.0} KB", (n as f64 / 1024.0).ceil())
    } else {
        format!("{n} B")
    }
}
