//! What may reach a page: safe addresses and text that is text.
//!
//! Two rules, each checked where the editor wrote the content (so the
//! error carries `path:line:col`) and enforced again where the output is
//! made (so nothing that slipped past a check reaches a reader):
//!
//! - **Only safe URLs** in `href` and `src`: `http`, `https`, `mailto`,
//!   `tel`, or a relative address. The scheme is read as a browser reads
//!   it (leading spaces and controls dropped, tabs and newlines removed,
//!   case ignored), after Markdown has decoded entities and escapes, so
//!   `JaVaScRiPt:`, `&#106;avascript:` and `java\tscript:` are all caught.
//! - **No control characters**: C0 except tab and newline, DEL, C1, and
//!   the noncharacters (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF), which XML
//!   forbids or HTML treats as parse errors.

use pulldown_cmark::{Event, Parser, Tag};

/// The schemes a link may use.
const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The scheme of a URL as a browser reads it (lower case), or `None` for
/// a relative address.
pub fn scheme(url: &str) -> Option<String> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let cleaned: String = trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let colon = cleaned.find(':')?;
    let s = &cleaned[..colon];
    let mut chars = s.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (first_is_letter && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))).then(|| s.to_ascii_lowercase())
}

/// May this address go into an `href` or `src`?
pub fn is_safe_url(url: &str) -> bool {
    scheme(url).is_none_or(|s| SAFE_SCHEMES.contains(&s.as_str()))
}

/// A fast look at a Markdown text: could any link in it have an unsafe
/// scheme? `false` only when every `:` follows an allowed scheme name (or
/// none) and nothing is escaped or entity-encoded, so the full parse can be
/// skipped for the vast majority of documents.
pub fn may_hold_unsafe_url(text: &str) -> bool {
    let b = text.as_bytes();
    if b.iter().any(|&c| c == b'&' || c == b'\\') {
        return true;
    }
    let is_scheme_byte = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.' | b'\t' | b'\n' | b'\r');
    b.iter().enumerate().filter(|(_, &c)| c == b':').any(|(i, _)| {
        let start = b[..i].iter().rposition(|&c| !is_scheme_byte(c)).map_or(0, |p| p + 1);
        let name: String = b[start..i]
            .iter()
            .filter(|c| !matches!(c, b'\t' | b'\n' | b'\r'))
            .map(|&c| c.to_ascii_lowercase() as char)
            .collect();
        !(name.is_empty() || SAFE_SCHEMES.contains(&name.as_str()) || name.starts_with(|c: char| !c.is_ascii_alphabetic()))
    })
}

/// The Markdown options Podium renders with: links are found with the same
/// ones, so what is checked is what is rendered.
pub fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    opts
}

/// What may not be published in a Markdown text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkdownProblem {
    /// A link, image, autolink or reference definition with this address.
    UnsafeUrl(String),
    /// A character reference (`&#27;`) that makes a forbidden character.
    Control(char),
}

/// Everything in a Markdown text that may not be published: (byte offset
/// in `md`, what). Control characters written as they are were reported
/// when the file was read; here are those made by character references.
pub fn markdown_problems(md: &str) -> Vec<(usize, MarkdownProblem)> {
    use pulldown_cmark::LinkType::{Autolink, Email, Inline};
    let references = md.contains("&#");
    if !references && !may_hold_unsafe_url(md) {
        return Vec::new();
    }
    let mut events = Parser::new_ext(md, markdown_options()).into_offset_iter();
    let mut found: Vec<(usize, MarkdownProblem)> = Vec::new();
    for (ev, range) in events.by_ref() {
        match ev {
            // A reference link is reported at its definition, below.
            Event::Start(Tag::Link { link_type, dest_url, .. } | Tag::Image { link_type, dest_url, .. })
                if matches!(link_type, Inline | Autolink | Email) && !is_safe_url(&dest_url) =>
            {
                found.push((range.start, MarkdownProblem::UnsafeUrl(dest_url.to_string())));
            }
            Event::Text(t) | Event::Code(t) if references => {
                found.extend(
                    forbidden_chars(&t)
                        .into_iter()
                        .map(|(_, c)| (range.start, MarkdownProblem::Control(c))),
                );
            }
            _ => {}
        }
    }
    // Every definition, used or not: an unused one is harmless today and
    // a trap tomorrow.
    found.extend(
        events
            .reference_definitions()
            .iter()
            .filter(|(_, def)| !is_safe_url(&def.dest))
            .map(|(_, def)| (def.span.start, MarkdownProblem::UnsafeUrl(def.dest.to_string()))),
    );
    found.sort();
    found.dedup();
    found
}

/// The unsafe addresses of a Markdown text: (byte offset, address).
pub fn unsafe_markdown_urls(md: &str) -> Vec<(usize, String)> {
    markdown_problems(md)
        .into_iter()
        .filter_map(|(o, p)| match p {
            MarkdownProblem::UnsafeUrl(u) => Some((o, u)),
            MarkdownProblem::Control(_) => None,
        })
        .collect()
}

/// Is this character forbidden in content (see the module's words)?
pub fn is_forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\t' && c != '\n') || (0x7F..=0x9F).contains(&u) || (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE
}

/// Every forbidden character of a text: (byte offset, character).
pub fn forbidden_chars(text: &str) -> Vec<(usize, char)> {
    // Most texts have none: a byte scan decides (every forbidden character
    // starts with a control byte, 0xC2 (C1), 0xEF (U+FDD0… U+FFFF) or 0xF0–0xF4).
    if !text
        .bytes()
        .any(|b| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7F || b == 0xC2 || b >= 0xEF)
    {
        return Vec::new();
    }
    text.char_indices().filter(|(_, c)| is_forbidden(*c)).collect()
}

/// `s` without forbidden characters: the last guard before XML and HTML,
/// for text that no check stood in front of.
pub fn without_forbidden(s: &str) -> std::borrow::Cow<'_, str> {
    if forbidden_chars(s).is_empty() {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.chars().filter(|c| !is_forbidden(*c)).collect())
    }
}

/// How a character is named in a message: `U+0000`, and what it is.
pub fn describe(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_as_a_browser_reads_them() {
        let table = [
            ("https://example.gov.cn/", Some("https")),
            ("HTTP://x", Some("http")),
            ("mailto:a@b.cn", Some("mailto")),
            ("tel:+86-24-1", Some("tel")),
            ("JaVaScRiPt:alert(1)", Some("javascript")),
            ("  javascript:alert(1)", Some("javascript")),
            ("\u{1}javascript:alert(1)", Some("javascript")),
            ("java\tscript:alert(1)", Some("javascript")),
            ("java\nscript:alert(1)", Some("javascript")),
            ("vbscript:msgbox", Some("vbscript")),
            ("data:text/html,<b>", Some("data")),
            ("../../files/a.pdf", None),
            ("/abs/path", None),
            ("#anchor", None),
            ("?q=a:b", None),
            ("files/a:b.pdf", None),
            ("1abc:x", None),
            ("", None),
        ];
        for (url, want) in table {
            assert_eq!(scheme(url).as_deref(), want, "{url:?}");
        }
        assert!(is_safe_url("https://a") && is_safe_url("../x") && is_safe_url("tel:1"));
        assert!(!is_safe_url("javascript:x") && !is_safe_url("data:text/html,x") && !is_safe_url("file:///etc/passwd"));
    }

    #[test]
    fn every_unsafe_markdown_form_is_found_where_it_is_written() {
        let cases = [
            "[a](javascript:alert(1))",
            "[a](JaVaScRiPt:alert(1))",
            "[a](&#106;avascript:alert(1))",
            "[a](javascript&#58;alert(1))",
            "[a](javascript&colon;alert(1))",
            "[a](javascript\\:alert(1))",
            "<javascript:alert(1)>",
            "![i](javascript:alert(1))",
            "[a](vbscript:msgbox(1))",
            "[a](data:text/html;base64,PHNjcmlwdD4=)",
            "[a](<java\tscript:alert(1)>)",
        ];
        for md in cases {
            let text = format!("第一行\n\n前文 {md} 后文\n");
            let found = unsafe_markdown_urls(&text);
            assert_eq!(found.len(), 1, "{md:?}: {found:?}");
            let (line, col) = position(&text, found[0].0);
            assert_eq!((line, col), (3, 4), "{md:?}");
        }
        // A reference: reported at its definition, used or not.
        let text = "见[甲][r]。\n\n[r]: javascript:alert(1)\n[s]: JAVASCRIPT:x\n";
        let at: Vec<(usize, usize)> = unsafe_markdown_urls(text).iter().map(|(o, _)| position(text, *o)).collect();
        assert_eq!(at, [(3, 1), (4, 1)]);
        for md in [
            "[a](https://x.cn/a:b)",
            "[a](../files/a.pdf)",
            "时间 9:30，地点：沈阳",
            "<https://x.cn>",
            "[m](mailto:a@b.cn)",
        ] {
            assert!(unsafe_markdown_urls(md).is_empty(), "{md:?}");
        }
        assert!(!may_hold_unsafe_url("时间 9:30 见 https://x.cn/a?b=c 与 mailto:a@b.cn"));
        let text = "正文\n\n甲&#27;乙 `&#x85;` &#0; &amp; &#65;\n";
        let found: Vec<_> = markdown_problems(text).into_iter().map(|(o, p)| (position(text, o), p)).collect();
        assert_eq!(
            found,
            [((3, 2), MarkdownProblem::Control('\u{1b}'))],
            "&#0; is U+FFFD, `&#x85;` is code"
        );
        assert!(may_hold_unsafe_url("见 java\thttps://x"));
    }

    #[test]
    fn control_characters_are_found_and_others_are_not() {
        let text = "a\tb\nc\u{0}d\u{1b}[31m\u{7f}\u{85}\u{9f}\u{fdd0}\u{fffe}\u{1fffe}中文“引号”😀\u{a0}";
        let found: Vec<char> = forbidden_chars(text).into_iter().map(|(_, c)| c).collect();
        assert_eq!(
            found,
            ['\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}', '\u{fdd0}', '\u{fffe}', '\u{1fffe}']
        );
        assert!(forbidden_chars("中文“引号”😀 tab\tand\nnewline").is_empty());
        assert_eq!(without_forbidden("a\u{0}b\u{1b}c"), "abc");
        assert_eq!(position("ab\n中文x", 9), (2, 3));
    }
}
