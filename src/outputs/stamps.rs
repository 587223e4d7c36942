//! The stamps: what a build writes that tells *when it was built* rather
//! than what is true at that instant. Everything else in the output depends
//! on "now" only through the schedule, so it stays the same until the
//! schedule's `next_change`; the stamps move with every build. They are
//! declared here, and a build writes the build's instant nowhere else:
//!
//! - in pages, the clock's `data-now="…"` (the countdown script's floor),
//!   and every element marked `data-stamp`: the "status as of" day of the
//!   schedule page, the out-of-date note, the data page's "updated" day;
//! - in JSON (`build.json`, the open data files), the fields `now`,
//!   `today` and `generated`;
//! - in the calendar, `DTSTAMP` (RFC 5545 wants the time the object was
//!   made);
//! - in the Atom feed, the feed's own `<updated>` (the newest entry's time,
//!   or the build's when there is no entry);
//! - and so `manifest.json`, which lists the hash of every file, stamped
//!   ones included.
//!
//! [`mask`] blanks them, so two builds can be compared for everything else
//! (`tests/next_change.rs` does, at every instant it tries).

/// `bytes` of the output file `path` with every stamp blanked.
pub fn mask(path: &str, bytes: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    if path == "manifest.json" {
        return Vec::new();
    }
    let masked = match path.rsplit('.').next() {
        Some("html") => html(text),
        Some("json") => json(text),
        Some("ics") => text
            .split("\r\n")
            .filter(|l| !l.starts_with("DTSTAMP:"))
            .collect::<Vec<_>>()
            .join("\r\n"),
        Some("xml") if path.ends_with("atom.xml") => feed(text),
        _ => return bytes.to_vec(),
    };
    masked.into_bytes()
}

/// The value of every `name="…"` attribute blanked.
fn blank_attr(text: &str, name: &str) -> String {
    let key = format!(" {name}=\"");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(&key) {
        out.push_str(&rest[..i + key.len()]);
        rest = &rest[i + key.len()..];
        rest = &rest[rest.find('"').unwrap_or(0)..];
    }
    out.push_str(rest);
    out
}

fn html(text: &str) -> String {
    // Elements marked `data-stamp`: their text (up to the next tag) and
    // their `datetime`.
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(" data-stamp") {
        let Some(close) = rest[i..].find('>').map(|c| i + c + 1) else {
            break;
        };
        out.push_str(&blank_attr(&rest[..close], "datetime"));
        rest = &rest[close..];
        rest = &rest[rest.find('<').unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    blank_attr(&out, "data-now")
}

fn json(text: &str) -> String {
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            if ["\"now\":", "\"today\":", "\"generated\":"].iter().any(|k| t.starts_with(k)) {
                let indent = &l[..l.len() - t.len()];
                let key = &t[..t.find(':').unwrap_or(0)];
                format!("{indent}{key}: …{}", if t.ends_with(',') { "," } else { "" })
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn feed(text: &str) -> String {
    // The first `<updated>` is the feed's own (entries come after it).
    match (text.find("<updated>"), text.find("</updated>")) {
        (Some(a), Some(b)) if a < b => format!("{}<updated>…{}", &text[..a], &text[b..]),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_blanked_and_nothing_else() {
        let page = r#"<main data-clock data-now="2025-08-25T12:00:00+08:00" data-tz="Asia/Shanghai"><p data-stale data-stamp hidden>as of 25 August</p><time datetime="2025-08-25" data-today data-stamp>25 August</time><time datetime="2025-08-28">4 days</time>"#;
        let m = String::from_utf8(mask("index.html", page.as_bytes())).unwrap();
        assert_eq!(
            m,
            r#"<main data-clock data-now="" data-tz="Asia/Shanghai"><p data-stale data-stamp hidden></p><time datetime="" data-today data-stamp></time><time datetime="2025-08-28">4 days</time>"#
        );
        let json = "{\n  \"generated\": \"2025-08-25T12:00:00+08:00\",\n  \"today\": \"2025-08-25\",\n  \"x\": 1\n}";
        assert_eq!(
            String::from_utf8(mask("data/timeline.json", json.as_bytes())).unwrap(),
            "{\n  \"generated\": …,\n  \"today\": …,\n  \"x\": 1\n}"
        );
        let ics = "BEGIN:VEVENT\r\nDTSTAMP:20250825T040000Z\r\nUID:x\r\n";
        assert_eq!(
            String::from_utf8(mask("timeline.ics", ics.as_bytes())).unwrap(),
            "BEGIN:VEVENT\r\nUID:x\r\n"
        );
        let atom = "<feed><updated>2025-08-25T12:00:00+08:00</updated><entry><updated>2025-08-01T00:00:00+08:00</updated></entry></feed>";
        assert_eq!(
            String::from_utf8(mask("en/atom.xml", atom.as_bytes())).unwrap(),
            "<feed><updated>…</updated><entry><updated>2025-08-01T00:00:00+08:00</updated></entry></feed>"
        );
    }
}
