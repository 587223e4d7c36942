//! `timeline.ics`: the schedule as an iCalendar file (RFC 5545), one per
//! language, for participants to add to their calendars.
//!
//! Written by hand like the feeds: the format is small, and a writer we
//! control keeps the bytes deterministic. What is in it:
//!
//! - every stage with exact dates, as an all-day event (`DTSTART;VALUE=DATE`,
//!   `DTEND` the day after the last day: RFC 5545's end is exclusive).
//!   A stage known only approximately ("4月下旬启动") is an event on the
//!   last day its notice allows (`ends_by`, else `starts_by`), named with
//!   the notice's words and saying the date was not announced; without a
//!   bound it is left out (a calendar entry needs a day). The model has no
//!   times of day, so every event is all-day and none needs a `TZID`;
//! - every publicity list published at build time whose window is not
//!   already a stage of the timeline (a list tied to a stage with the same
//!   days only lends that stage its page address);
//! - a `VTIMEZONE` for the site's zone (when there are events), derived
//!   from jiff's tz database:
//!   the observance in force at the start of the first year an event falls
//!   in, then every transition up to the end of the last year, so a zone
//!   with daylight saving time is right for the years the events span.
//!
//! UIDs come from the site id and the stage id (or the list's slug), never
//! from the content or the clock, so an edit elsewhere leaves them alone and
//! a client updates its copy of an event in place. They are the same in
//! every language: the Chinese and English files describe the same events.
//! `DTSTAMP` is the build's "now" in UTC: with `METHOD:PUBLISH` it is the
//! time the calendar object was created, and it is deterministic (the same
//! `--now` gives the same bytes).

use crate::base::time::{add_days, start_of, DaySpan};
use crate::context::Lang;
use crate::model::{Publicity, StageKind, When};
use jiff::civil::Date;
use jiff::tz::{Dst, Offset, TimeZone};
use jiff::{Timestamp, ToSpan};

/// One all-day event: days `span.start` … `span.end` inclusive.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarEvent {
    pub uid: String,
    pub span: DaySpan,
    pub summary: String,
    pub description: String,
    pub category: String,
    pub url: String,
}

/// The events of one language's calendar, in timeline order then list order.
pub fn events(lx: &Lang) -> Vec<CalendarEvent> {
    let (site, sched) = (lx.site, lx.sched);
    let home = lx.home_url();
    let window_line = |span: &DaySpan| {
        lx.words.f(
            "calendar_publicity_window",
            &[("days", &span.days().to_string()), ("range", &lx.span(span.start, span.end))],
        )
    };
    let list_url = |slug: &str| format!("{home}publicity/{slug}/");
    // Published lists, and which of them a stage stands for.
    let published: Vec<&Publicity> = sched.lists(site).map(|(p, _)| p).collect();
    let list_of_stage = |id: &str, span: &DaySpan| {
        published
            .iter()
            .copied()
            .find(|p| p.stage.as_deref() == Some(id) && p.window == *span)
    };
    let mut out = Vec::new();
    let mut merged: Vec<&str> = Vec::new();
    for stage in &site.stages {
        let When::Exact(span) = &stage.when else {
            out.extend(approximate_event(lx, stage));
            continue;
        };
        let mut description = Vec::new();
        if stage.kind == StageKind::Publicity {
            description.push(window_line(span));
        }
        if let Some(d) = &stage.description {
            description.push(description_text(&lx.text(d)));
        }
        let list = list_of_stage(&stage.id, span);
        if let Some(p) = list {
            merged.push(&p.slug);
            description.push(lx.text(&p.title));
        }
        out.push(CalendarEvent {
            uid: format!("stage-{}@{}.podium", stage.id, site.id),
            span: *span,
            summary: lx.text(&stage.name),
            description: description.join("\n\n"),
            category: lx.words.stage_kind(stage.kind),
            url: match list {
                Some(p) => list_url(&p.slug),
                None => format!("{home}timeline/"),
            },
        });
    }
    for p in published.into_iter().filter(|p| !merged.contains(&p.slug.as_str())) {
        out.push(CalendarEvent {
            uid: format!("publicity-{}@{}.podium", p.slug, site.id),
            span: p.window,
            summary: lx.text(&p.title),
            description: window_line(&p.window),
            category: lx.words.stage_kind(StageKind::Publicity),
            url: list_url(&p.slug),
        });
    }
    out
}

/// A stage known only approximately, on the last day its notice allows
/// (its `ends_by`, else its `starts_by`), named with the notice's words:
/// what is known, and no more. None without a bound.
fn approximate_event(lx: &Lang, stage: &crate::model::Stage) -> Option<CalendarEvent> {
    let When::Approx(a) = &stage.when else { return None };
    let day = a.ends_by.or(a.starts_by)?;
    Some(CalendarEvent {
        uid: format!("stage-{}@{}.podium", stage.id, lx.site.id),
        span: DaySpan::new(day, day),
        summary: lx.words.f(
            "calendar_approx_summary",
            &[("name", &lx.text(&stage.name)), ("when", &lx.text(&a.text))],
        ),
        description: lx.words.s("calendar_approx_note"),
        category: lx.words.stage_kind(stage.kind),
        url: format!("{}timeline/", lx.home_url()),
    })
}

/// The whole `timeline.ics` of one language.
pub fn calendar(lx: &Lang) -> String {
    let (site, sched) = (lx.site, lx.sched);
    let events = events(lx);
    let tag = &lx.tag;
    let mut c = Lines::default();
    c.raw("BEGIN:VCALENDAR");
    c.raw(&format!(
        "PRODID:-//Podium//Podium {}//{}",
        env!("CARGO_PKG_VERSION"),
        tag.to_ascii_uppercase()
    ));
    c.raw("VERSION:2.0");
    c.raw("CALSCALE:GREGORIAN");
    c.raw("METHOD:PUBLISH");
    let name = crate::base::fill::fill(
        lx.words.strings.get("calendar_name").map(String::as_str).unwrap_or("{site}"),
        &[("site", &lx.text(&site.name))],
    );
    c.text("X-WR-CALNAME", &name);
    c.text("X-WR-TIMEZONE", &site.time_zone_name);
    // The years the events span; without events no zone is needed (and
    // none is written, so the file does not change with the build's day).
    let first = events.iter().map(|e| e.span.start).min();
    let last = events.iter().map(|e| add_days(e.span.end, 1)).max();
    if let (Some(first), Some(last)) = (first, last) {
        vtimezone(&mut c, &site.time_zone, &site.time_zone_name, first, last);
    }
    let stamp = sched.now.strftime("%Y%m%dT%H%M%SZ").to_string();
    for e in &events {
        c.raw("BEGIN:VEVENT");
        c.text("UID", &e.uid);
        c.raw(&format!("DTSTAMP:{stamp}"));
        c.raw(&format!("DTSTART;VALUE=DATE:{}", ical_date(e.span.start)));
        c.raw(&format!("DTEND;VALUE=DATE:{}", ical_date(add_days(e.span.end, 1))));
        c.text("SUMMARY", &e.summary);
        if !e.description.is_empty() {
            c.text("DESCRIPTION", &e.description);
        }
        c.text("CATEGORIES", &e.category);
        c.raw(&format!("URL:{}", e.url));
        c.raw("TRANSP:TRANSPARENT");
        c.raw("END:VEVENT");
    }
    c.raw("END:VCALENDAR");
    c.0
}

fn ical_date(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

/// Content lines, folded and ended with CRLF.
#[derive(Default)]
struct Lines(String);

impl Lines {
    /// A line whose value needs no escaping (dates, URIs, fixed words).
    fn raw(&mut self, line: &str) {
        self.0.push_str(&fold(line));
        self.0.push_str("\r\n");
    }

    /// A property with a TEXT value.
    fn text(&mut self, name: &str, value: &str) {
        self.raw(&format!("{name}:{}", escape_text(value)));
    }
}

/// RFC 5545 §3.1: a line longer than 75 octets is split, each continuation
/// starting with a space. Splits fall between characters, never inside a
/// UTF-8 sequence.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut octets = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if octets + n > 75 {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(ch);
        octets += n;
    }
    out
}

/// Undoes [`fold`] (and any folding with a tab): what a reader does first.
pub fn unfold(text: &str) -> String {
    text.replace("\r\n ", "").replace("\r\n\t", "")
}

/// RFC 5545 §3.3.11 TEXT: `\` `;` `,` escaped, line breaks as `\n`; other
/// control characters (not allowed in TEXT) dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if (c.is_control() && c != '\t') || crate::base::safety::is_forbidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Undoes [`escape_text`].
pub fn unescape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `+0800`, `-0430`, `+002017` (seconds only when there are some).
fn ical_offset(o: Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// The zone's observances from 1 January of `first`'s year to 1 January
/// after `last`: the one in force at the start, then every transition.
fn vtimezone(c: &mut Lines, tz: &TimeZone, tzid: &str, first: Date, last: Date) {
    let from = start_of(Date::new(first.year(), 1, 1).unwrap_or(first), tz);
    let until = Date::new(last.year().saturating_add(1), 1, 1)
        .map(|d| start_of(d, tz))
        .unwrap_or(Timestamp::MAX);
    let second = 1.second();
    let before = |t: Timestamp| tz.to_offset(t.checked_sub(second).unwrap_or(t));
    // (onset, offset before, offset after, abbreviation, daylight)
    let mut observances: Vec<(Option<Timestamp>, Offset, Offset, String, bool)> = Vec::new();
    let at_start = tz.preceding(from.checked_add(second).unwrap_or(from)).next();
    match &at_start {
        Some(tr) => observances.push((
            Some(tr.timestamp()),
            before(tr.timestamp()),
            tr.offset(),
            tr.abbreviation().to_string(),
            tr.dst() == Dst::Yes,
        )),
        None => {
            let info = tz.to_offset_info(from);
            observances.push((
                None,
                info.offset(),
                info.offset(),
                info.abbreviation().to_string(),
                info.dst() == Dst::Yes,
            ));
        }
    }
    let seen = at_start.map(|tr| tr.timestamp());
    for tr in tz.following(from) {
        if tr.timestamp() >= until {
            break;
        }
        if Some(tr.timestamp()) == seen {
            continue;
        }
        observances.push((
            Some(tr.timestamp()),
            before(tr.timestamp()),
            tr.offset(),
            tr.abbreviation().to_string(),
            tr.dst() == Dst::Yes,
        ));
    }
    c.raw("BEGIN:VTIMEZONE");
    c.text("TZID", tzid);
    for (onset, off_from, off_to, abbr, dst) in observances {
        let part = if dst { "DAYLIGHT" } else { "STANDARD" };
        c.raw(&format!("BEGIN:{part}"));
        // The onset in the local time in force just before it.
        let local = match onset {
            Some(t) => off_from.to_datetime(t).strftime("%Y%m%dT%H%M%S").to_string(),
            None => "19700101T000000".to_string(),
        };
        c.raw(&format!("DTSTART:{local}"));
        c.raw(&format!("TZOFFSETFROM:{}", ical_offset(off_from)));
        c.raw(&format!("TZOFFSETTO:{}", ical_offset(off_to)));
        if !abbr.is_empty() {
            c.text("TZNAME", &abbr);
        }
        c.raw(&format!("END:{part}"));
    }
    c.raw("END:VTIMEZONE");
}

/// Markdown as text for a calendar's DESCRIPTION: the words and the link
/// addresses, paragraphs separated by a blank line. (The search index's
/// [`crate::markdown::plain_text`] keeps neither.)
pub fn description_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::new();
    let mut link: Vec<(String, usize)> = Vec::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => out.push_str("- "),
            Event::Start(Tag::Link { dest_url, .. }) => link.push((dest_url.to_string(), out.len())),
            Event::End(TagEnd::Link) => {
                if let Some((url, at)) = link.pop() {
                    // An autolink's text is its address; otherwise add it.
                    if out[at..] != url && !url.starts_with('#') {
                        out.push_str(&format!(" ({url})"));
                    }
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Item) => {
                while out.ends_with('\n') {
                    out.pop();
                }
                out.push_str("\n\n");
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_characters_whole_and_lines_short() {
        let line = format!("DESCRIPTION:{}", "通过线上资格审核、第三方机构筛选，专家委员会评审".repeat(4));
        let folded = fold(&line);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert!(folded.contains("\r\n "));
        assert_eq!(unfold(&folded), line);
        // Exactly 75 octets stays on one line; 76 folds.
        let a75 = "a".repeat(75);
        assert_eq!(fold(&a75), a75);
        assert_eq!(fold(&format!("{a75}b")), format!("{a75}\r\n b"));
        // A three-octet character that would end at octet 76 moves down whole.
        let s = format!("{}中", "a".repeat(73));
        assert_eq!(fold(&s), format!("{}\r\n 中", "a".repeat(73)));
    }

    #[test]
    fn text_escaping_round_trips() {
        let s = "a\\b;c,d\ne\r\nf";
        assert_eq!(escape_text(s), "a\\\\b\\;c\\,d\\ne\\nf");
        assert_eq!(unescape_text(&escape_text(s)), "a\\b;c,d\ne\nf");
    }

    #[test]
    fn offsets_are_written_as_rfc5545_wants() {
        assert_eq!(ical_offset(Offset::from_seconds(8 * 3600).unwrap()), "+0800");
        assert_eq!(ical_offset(Offset::from_seconds(-(4 * 3600 + 30 * 60)).unwrap()), "-0430");
        assert_eq!(ical_offset(Offset::from_seconds(8 * 3600 + 5 * 60 + 43).unwrap()), "+080543");
    }

    fn zone(name: &str, first: Date, last: Date) -> String {
        let mut c = Lines::default();
        vtimezone(&mut c, &TimeZone::get(name).unwrap(), name, first, last);
        c.0
    }

    #[test]
    fn shanghai_has_one_standard_observance_at_plus_eight() {
        let z = zone("Asia/Shanghai", Date::new(2025, 6, 3).unwrap(), Date::new(2025, 8, 30).unwrap());
        assert_eq!(z.matches("BEGIN:STANDARD").count(), 1, "{z}");
        assert!(!z.contains("DAYLIGHT"), "{z}");
        assert!(z.contains("TZOFFSETTO:+0800\r\n"), "{z}");
        assert!(z.contains("TZID:Asia/Shanghai\r\n"));
    }

    #[test]
    fn a_zone_with_dst_gets_each_transition_of_the_years_spanned() {
        let z = zone(
            "America/Los_Angeles",
            Date::new(2025, 3, 1).unwrap(),
            Date::new(2026, 1, 10).unwrap(),
        );
        // in force on 1 Jan 2025 (PST since Nov 2024), then Mar/Nov 2025 and Mar/Nov 2026
        assert!(
            z.contains("DTSTART:20241103T020000\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0800\r\n"),
            "{z}"
        );
        assert!(
            z.contains("BEGIN:DAYLIGHT\r\nDTSTART:20250309T020000\r\nTZOFFSETFROM:-0800\r\nTZOFFSETTO:-0700\r\nTZNAME:PDT\r\n"),
            "{z}"
        );
        assert!(
            z.contains("DTSTART:20251102T020000\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0800\r\nTZNAME:PST\r\n"),
            "{z}"
        );
        assert!(z.contains("DTSTART:20261101T020000"), "{z}");
        assert!(!z.contains("DTSTART:2027"), "{z}");
        assert_eq!(z.matches("BEGIN:DAYLIGHT").count(), 2);
        assert_eq!(z.matches("BEGIN:STANDARD").count(), 3);
    }

    #[test]
    fn a_fixed_zone_has_a_single_observance() {
        let z = zone("UTC", Date::new(2025, 1, 1).unwrap(), Date::new(2025, 1, 2).unwrap());
        assert!(
            z.contains("BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\n"),
            "{z}"
        );
    }

    #[test]
    fn markdown_becomes_description_text() {
        assert_eq!(
            description_text("报名网址：<https://a.example/x>。\n\nSee [the guide](https://b.example/) *now*."),
            "报名网址：https://a.example/x。\n\nSee the guide (https://b.example/) now."
        );
    }
}
