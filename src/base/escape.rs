//! Escaping, each kind written once: text into HTML and XML, JSON that is
//! never markup, percent-decoding of paths.

/// Text for HTML or XML, in an element or a quoted attribute. Forbidden
/// characters (see [`crate::base::safety`]) are dropped: content checks
/// refuse them, and this keeps anything that slipped past out of a feed.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if crate::base::safety::is_forbidden(c) => {}
            _ => out.push(c),
        }
    }
    out
}

/// JSON with `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`
/// (the same strings to a JSON reader), so a file that a browser sniffs as
/// HTML, or that someone pastes into a page, never carries live markup.
/// By bytes: the three are ASCII, and no UTF-8 sequence holds an ASCII byte.
pub fn json_for_html(json: Vec<u8>) -> Vec<u8> {
    if !json.iter().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return json;
    }
    let mut out = Vec::with_capacity(json.len() + 64);
    let mut from = 0;
    for (i, b) in json.iter().enumerate() {
        let escaped: &[u8] = match b {
            b'<' => b"\\u003c",
            b'>' => b"\\u003e",
            b'&' => b"\\u0026",
            _ => continue,
        };
        out.extend_from_slice(&json[from..i]);
        out.extend_from_slice(escaped);
        from = i + 1;
    }
    out.extend_from_slice(&json[from..]);
    out
}

/// Decodes `%XX` escapes. `None` when an escape is not two hex digits or
/// the result is not UTF-8 (a request path that cannot be served).
pub fn percent_decode_strict(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let v = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())?;
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Decodes `%XX` escapes, keeping a malformed one as written and showing
/// bytes that are not UTF-8 as U+FFFD: for links, which are only compared.
pub fn percent_decode(s: &str) -> String {
    if let Some(d) = percent_decode_strict(s) {
        return d;
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_markup_and_loses_control_characters() {
        assert_eq!(
            html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(html("通知\u{0}\u{1b}红"), "通知红");
    }

    #[test]
    fn json_never_carries_markup() {
        assert_eq!(
            json_for_html(br#"{"t":"<script>&"}"#.to_vec()),
            br#"{"t":"\u003cscript\u003e\u0026"}"#.to_vec()
        );
        assert_eq!(json_for_html("\"中文\"".as_bytes().to_vec()), "\"中文\"".as_bytes().to_vec());
    }

    #[test]
    fn percent_decoding_strict_and_lenient() {
        assert_eq!(percent_decode_strict("/a%20b/%E4%B8%AD"), Some("/a b/中".into()));
        assert_eq!(percent_decode_strict("%zz"), None);
        assert_eq!(percent_decode_strict("%ff%fe"), None);
        assert_eq!(percent_decode_strict("%e4%b8"), None);
        assert_eq!(percent_decode("100%zz%20x"), "100%zz x");
        assert_eq!(percent_decode("%e4%b8%ad%"), "中%");
    }
}
