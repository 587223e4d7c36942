//! The views several pages share — a link, a stage, a notice in a list, a
//! list of results — and the site's identity as every page shows it.
//! Views are plain structs of strings: templates never compute dates or
//! statuses, they print what is here.

use crate::context::Lang;
use crate::model::{Filing, Notice, Publicity, Site, Stage, When};
use crate::schedule::StageStatus;
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
    /// "Starts in 3 days", for the next stage.
    pub starts_text: String,
}

/// What the countdown script needs besides the stages: the build's "now"
/// (a browser clock behind it is wrong, and is not believed), the site's
/// time zone, and the words, in the page's language.
#[derive(Serialize)]
pub struct CountdownView {
    pub now: String,
    pub time_zone: String,
    pub months: String,
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
        When::Approx(a) => lx.text(a),
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
    let starts_text = match status {
        StageStatus::Upcoming { days_until } => lx.words.days("stage_starts_in", days_until),
        _ => String::new(),
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
        starts_text,
    }
}

pub fn countdown(lx: &Lang) -> CountdownView {
    CountdownView {
        now: lx.instant(lx.sched.now),
        time_zone: lx.site.time_zone_name.clone(),
        months: (1..=12).map(|m| lx.words.s(&format!("month_{m}"))).collect::<Vec<_>>().join("|"),
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
    let (status, status_text) = lx.window(lx.sched.list(p)?);
    Some(PublicityRef {
        title: lx.text(&p.title),
        href: lx.link(root, lx.lang, &format!("publicity/{}/", p.slug)),
        kind: lx.words.list_kind(p.kind),
        window: lx.span(p.window.start, p.window.end),
        status,
        status_text,
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
