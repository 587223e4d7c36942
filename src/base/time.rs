//! Calendar arithmetic in the site's time zone.
//!
//! Content holds calendar dates; the build holds one instant, "now". Every
//! question ("is this window open?") is answered by turning dates into the
//! instants at which they begin *in the site's time zone* (jiff carries its
//! own tz database, so the machine's `TZ` and zoneinfo never matter) and
//! comparing instants. A span of days D … E covers [D 00:00, E+1 00:00).

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// Why a date could not be read, with the ISO form to suggest when we can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Looks like a date in another notation; `suggest` is the ISO form.
    NotIso { suggest: Option<String> },
    /// ISO form, but no such day (2025-02-30).
    Impossible,
    /// A day so far ahead that counting a year on from it would leave the
    /// calendar (after [`LAST_DATE`]).
    TooLate,
    /// An instant whose offset from UTC no place on Earth uses (beyond
    /// ±14:00, such as `+25:00`).
    BadOffset { offset: String },
}

/// The last day content may name: windows and stages count up to a year
/// on from their dates, and the calendar ends on 9999-12-31.
pub const LAST_DATE: Date = jiff::civil::date(9998, 12, 31);

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<Date, DateError> {
    let t = s.trim();
    let b = t.as_bytes();
    let iso_shape = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && t.chars().filter(|c| c.is_ascii_digit()).count() == 8;
    if iso_shape {
        let y: i16 = t[0..4].parse().map_err(|_| DateError::Impossible)?;
        let m: i8 = t[5..7].parse().map_err(|_| DateError::Impossible)?;
        let d: i8 = t[8..10].parse().map_err(|_| DateError::Impossible)?;
        let date = Date::new(y, m, d).map_err(|_| DateError::Impossible)?;
        return if date > LAST_DATE { Err(DateError::TooLate) } else { Ok(date) };
    }
    Err(DateError::NotIso { suggest: suggest_iso(t) })
}

/// `2025年8月22日`, `2025/8/22`, `2025.8.22`, `2025-8-22` → `2025-08-22`.
fn suggest_iso(s: &str) -> Option<String> {
    let nums: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<Vec<_>>>()?;
    if nums.len() != 3 || !(1000..=9999).contains(&nums[0]) {
        return None;
    }
    let cand = format!("{:04}-{:02}-{:02}", nums[0], nums[1], nums[2]);
    Date::new(nums[0] as i16, nums[1] as i8, nums[2] as i8).ok().map(|_| cand)
}

/// Parses an instant: RFC 3339 (`2025-08-22T09:00:00+08:00`), with an
/// offset no larger than ±14:00 and a day no later than [`LAST_DATE`].
pub fn parse_instant(s: &str) -> Result<Timestamp, String> {
    let t = s.trim();
    let ts = t.parse::<Timestamp>().map_err(|e| e.to_string())?;
    if let Some(offset) = unreal_offset(t) {
        return Err(format!("the offset {offset} is beyond the ±14:00 that time zones use"));
    }
    if ts.to_zoned(TimeZone::UTC).date() > LAST_DATE {
        return Err(format!("it is after {LAST_DATE}, the last day a site can count from"));
    }
    Ok(ts)
}

/// The offset written at the end of an RFC 3339 instant when it is beyond
/// ±14:00 (jiff accepts up to ±25:59).
fn unreal_offset(t: &str) -> Option<String> {
    let time = &t[t.find(['T', 't', ' '])?..];
    let sign = time.rfind(['+', '-'])?;
    let offset = &time[sign..];
    let mut parts = offset[1..].split(':').map(|p| p.get(..2).and_then(|p| p.parse::<u32>().ok()));
    let hours = parts.next().flatten()?;
    let minutes = parts.next().flatten().unwrap_or(0);
    (hours * 60 + minutes > 14 * 60).then(|| offset.to_string())
}

/// An instant from `publish_at`: an RFC 3339 instant, or a date meaning
/// 00:00 of that day in the site's time zone.
pub fn parse_instant_or_date(s: &str, tz: &TimeZone) -> Result<Timestamp, DateError> {
    match parse_instant(s) {
        Ok(ts) => return Ok(ts),
        Err(_) if s.trim().parse::<Timestamp>().is_ok() => {
            return Err(match unreal_offset(s.trim()) {
                Some(offset) => DateError::BadOffset { offset },
                None => DateError::TooLate,
            })
        }
        Err(_) => {}
    }
    let d = parse_date(s)?;
    Ok(start_of(d, tz))
}

/// The instant at which day `d` begins in `tz`.
pub fn start_of(d: Date, tz: &TimeZone) -> Timestamp {
    // A day that does not begin at 00:00 (a DST gap at midnight) begins at the
    // first instant after the gap: jiff's compatible disambiguation does this.
    d.to_zoned(tz.clone()).map(|z| z.timestamp()).unwrap_or(Timestamp::MAX)
}

/// The calendar day it is at `now` in `tz`.
pub fn today(now: Timestamp, tz: &TimeZone) -> Date {
    now.to_zoned(tz.clone()).date()
}

pub fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(n.days()).unwrap_or(d)
}

/// Whole days from `a` to `b` (b − a).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| s.get_days() as i64).unwrap_or(0)
}

/// Days D … E inclusive, local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaySpan {
    pub start: Date,
    pub end: Date,
}

/// Where "now" stands relative to a span of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SpanStatus {
    /// Not begun; `days_until` whole calendar days until it starts (≥ 1).
    Upcoming {
        days_until: i64,
    },
    /// Running; `days_left` counts today as one (1 on the last day).
    Open {
        days_left: i64,
    },
    Closed,
}

impl SpanStatus {
    /// The status's word in machine-readable files and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            SpanStatus::Upcoming { .. } => "upcoming",
            SpanStatus::Open { .. } => "open",
            SpanStatus::Closed => "closed",
        }
    }
}

impl DaySpan {
    pub fn new(start: Date, end: Date) -> Self {
        DaySpan { start, end }
    }

    /// A publicity window of `days` days starting on `start`.
    pub fn window(start: Date, days: i64) -> Self {
        DaySpan {
            start,
            end: add_days(start, days - 1),
        }
    }

    pub fn days(&self) -> i64 {
        days_between(self.start, self.end) + 1
    }

    pub fn opens(&self, tz: &TimeZone) -> Timestamp {
        start_of(self.start, tz)
    }

    pub fn closes(&self, tz: &TimeZone) -> Timestamp {
        start_of(add_days(self.end, 1), tz)
    }

    pub fn status(&self, now: Timestamp, tz: &TimeZone) -> SpanStatus {
        let day = today(now, tz);
        if now < self.opens(tz) {
            SpanStatus::Upcoming {
                days_until: days_between(day, self.start).max(1),
            }
        } else if now < self.closes(tz) {
            SpanStatus::Open {
                days_left: days_between(day, self.end) + 1,
            }
        } else {
            SpanStatus::Closed
        }
    }

    /// The instants at which `status` changes: open, close, and each midnight
    /// in between (days left changes every day).
    pub fn change_points(&self, tz: &TimeZone) -> impl Iterator<Item = Timestamp> + '_ {
        let n = self.days();
        let tz = tz.clone();
        (0..=n).map(move |i| start_of(add_days(self.start, i), &tz))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    fn at(s: &str) -> Timestamp {
        parse_instant(s).unwrap()
    }

    #[test]
    fn seven_day_window_from_aug_22() {
        let w = DaySpan::window(Date::new(2025, 8, 22).unwrap(), 7);
        assert_eq!(w.end, Date::new(2025, 8, 28).unwrap());
        let tz = sh();
        let cases = [
            ("2025-08-21T23:59:59+08:00", SpanStatus::Upcoming { days_until: 1 }),
            ("2025-08-22T00:00:00+08:00", SpanStatus::Open { days_left: 7 }),
            ("2025-08-25T12:00:00+08:00", SpanStatus::Open { days_left: 4 }),
            ("2025-08-28T23:59:59+08:00", SpanStatus::Open { days_left: 1 }),
            ("2025-08-29T00:00:00+08:00", SpanStatus::Closed),
            // the same instants written in UTC
            ("2025-08-28T15:59:59Z", SpanStatus::Open { days_left: 1 }),
            ("2025-08-28T16:00:00Z", SpanStatus::Closed),
            ("2025-08-21T16:00:00Z", SpanStatus::Open { days_left: 7 }),
        ];
        for (now, want) in cases {
            assert_eq!(w.status(at(now), &tz), want, "at {now}");
        }
    }

    #[test]
    fn liaoning_windows_match_the_stated_end_dates() {
        assert_eq!(
            DaySpan::window(Date::new(2025, 8, 12).unwrap(), 7).end,
            Date::new(2025, 8, 18).unwrap()
        );
        assert_eq!(
            DaySpan::window(Date::new(2025, 8, 22).unwrap(), 7).end,
            Date::new(2025, 8, 28).unwrap()
        );
    }

    #[test]
    fn dates_in_other_notations_get_an_iso_suggestion() {
        assert_eq!(parse_date("2025-08-22"), Ok(Date::new(2025, 8, 22).unwrap()));
        assert_eq!(parse_date("2025-02-30"), Err(DateError::Impossible));
        assert_eq!(
            parse_date("2025年8月22日"),
            Err(DateError::NotIso {
                suggest: Some("2025-08-22".into())
            })
        );
        assert_eq!(
            parse_date("2025/8/22"),
            Err(DateError::NotIso {
                suggest: Some("2025-08-22".into())
            })
        );
        assert_eq!(parse_date("next week"), Err(DateError::NotIso { suggest: None }));
    }

    #[test]
    fn offsets_and_dates_beyond_the_calendar_are_refused() {
        assert!(parse_instant("2025-08-22T09:00:00+14:00").is_ok());
        assert!(parse_instant("2025-08-22T09:00:00-12:00").is_ok());
        assert!(parse_instant("2025-08-22T09:00:00Z").is_ok());
        for bad in ["2025-08-22T09:00:00+25:00", "2025-08-22T09:00:00-14:30", "2025-08-22T09:00:00+1500"] {
            assert!(parse_instant(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_instant_or_date("2025-08-22T09:00:00+25:00", &sh()),
            Err(DateError::BadOffset { offset: "+25:00".into() })
        );
        assert_eq!(parse_date("9998-12-31"), Ok(LAST_DATE));
        assert_eq!(parse_date("9999-12-28"), Err(DateError::TooLate));
        assert_eq!(parse_instant_or_date("9999-06-01", &sh()), Err(DateError::TooLate));
        assert_eq!(parse_instant_or_date("9999-06-01T00:00:00+08:00", &sh()), Err(DateError::TooLate));
        // A window starting on the last day ends inside the calendar.
        let w = DaySpan::window(LAST_DATE, 366);
        assert_eq!(w.days(), 366);
        assert!(w.closes(&sh()) < Timestamp::MAX);
    }

    #[test]
    fn publish_at_date_means_local_midnight() {
        let tz = sh();
        let t = parse_instant_or_date("2025-08-22", &tz).unwrap();
        assert_eq!(t, at("2025-08-21T16:00:00Z"));
    }

    #[test]
    fn a_zone_with_dst_keeps_day_edges_local() {
        let tz = TimeZone::get("America/Los_Angeles").unwrap();
        // 2025-03-09 is the spring-forward day in Los Angeles (23 hours long).
        let w = DaySpan::window(Date::new(2025, 3, 9).unwrap(), 1);
        assert_eq!(w.opens(&tz), at("2025-03-09T08:00:00Z"));
        assert_eq!(w.closes(&tz), at("2025-03-10T07:00:00Z"));
    }
}
