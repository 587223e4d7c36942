//! Every YAML call of Podium lives here.
//!
//! serde_yaml is archived upstream; the dependency points at its maintained
//! drop-in fork (`serde_norway`). Keeping all YAML in one module means a swap
//! of parser touches one file. Errors are turned into [`Diagnostic`]s whose
//! line numbers are in the editor's file: callers pass the line at which the
//! YAML text starts (front matter starts on line 2 of a Markdown file).

use crate::base::diag::{Diagnostic, Msg};
use crate::base::text::{nearest, suggestion};
use crate::msg;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Parses `text`, which starts on line `first_line` of the file at `path`.
pub fn parse<T: DeserializeOwned>(text: &str, path: &Path, first_line: usize) -> Result<T, Diagnostic> {
    // An empty document is an empty mapping, so optional fields all default.
    let text_or_empty = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text_or_empty).map_err(|e| to_diagnostic(&e, text, path, first_line))
}

fn to_diagnostic(e: &serde_yaml::Error, text: &str, path: &Path, first_line: usize) -> Diagnostic {
    let raw = e.to_string();
    // serde_yaml appends " at line L column C" to the message; we show the
    // position in front instead.
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let (line, col) = match e.location() {
        Some(loc) => (loc.line(), loc.column()),
        None => (1, 1),
    };
    let (line, col, message, hint) = explain(text, line, col, &message);
    let file_text_line = line + first_line - 1;
    let mut d = Diagnostic::error(path, message).at(file_text_line, col).hint(hint);
    d.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
    d
}

/// Turns the parser's words into an editor's: finds the slips editors make
/// (full-width colon, tabs, misspelt fields) and says what to do.
fn explain(text: &str, line: usize, col: usize, message: &str) -> (usize, usize, Msg, Msg) {
    // A tab anywhere in indentation is the most common cause of confusing errors.
    for (i, l) in text.lines().enumerate() {
        let indent: String = l.chars().take_while(|c| c.is_whitespace()).collect();
        if let Some(c) = indent.chars().position(|c| c == '\t') {
            return (i + 1, c + 1, msg!("tab_indentation"), msg!("hint_tab_indentation"));
        }
        if let Some(c) = indent.chars().position(|c| c == '\u{3000}') {
            return (i + 1, c + 1, msg!("full_width_space_indentation"), msg!("hint_full_width_space"));
        }
    }
    if let Some(field) = quoted_after(message, "unknown field `") {
        let expected = expected_fields(message);
        let hint = match nearest(&field, &expected) {
            Some(best) => msg!("hint_did_you_mean_field", best = best, known = expected.join(", ")),
            None => msg!("hint_known_fields", known = expected.join(", ")),
        };
        // The parser points after the key; point at the key itself.
        let (l, c) = locate_key_near(text, &field, line).unwrap_or((line, col));
        return (l, c, msg!("unknown_field", field = field), hint);
    }
    if let Some(value) = quoted_after(message, "unknown variant `") {
        let expected = expected_fields(message);
        let (l, c) = locate_value_near(text, &value, line).unwrap_or((line, col));
        return (l, c, msg!("unknown_value", value = value), suggestion(&value, &expected));
    }
    // A full-width colon used as the key separator: `title： 标题`, on the
    // line the parser names or above it.
    for (i, l) in text.lines().enumerate().take(line.max(1)).collect::<Vec<_>>().into_iter().rev() {
        if let Some(c) = full_width_key_colon(l) {
            return (i + 1, c, msg!("full_width_colon"), msg!("hint_full_width_colon"));
        }
    }
    if let Some(field) = quoted_after(message, "missing field `") {
        return (
            line,
            col.max(1),
            msg!("missing_field", field = field),
            msg!("hint_missing_field", field = field),
        );
    }
    if message.contains("mapping values are not allowed") {
        return (line, col.max(1), msg!("yaml_error", detail = message), msg!("hint_quote_value"));
    }
    if message.ends_with("expected text") {
        // `title: ~`, `summary: false`, `phone: 0241234`: the value as written.
        let written: String = text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| {
                l.chars()
                    .skip(col.saturating_sub(1))
                    .take_while(|c| !matches!(c, ',' | '}' | ']' | '#'))
                    .collect()
            })
            .unwrap_or_default();
        let written = written.trim();
        return (
            line,
            col.max(1),
            msg!("not_text", value = written),
            msg!("hint_not_text", value = written),
        );
    }
    if message.contains("invalid type") || message.contains("expected a") {
        return (line, col.max(1), msg!("invalid_value", detail = message), msg!("hint_invalid_type"));
    }
    (
        line,
        col.max(1),
        msg!("yaml_error", detail = message),
        msg!("hint_check_indentation"),
    )
}

/// The column of a full-width colon that ends a would-be key at the start of
/// the line (`title：…`), when the line has no half-width `: ` key.
fn full_width_key_colon(line: &str) -> Option<usize> {
    let trimmed = line.trim_start_matches([' ', '-']);
    let lead = line.chars().count() - trimmed.chars().count();
    let key: String = trimmed.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    if key.is_empty() {
        return None;
    }
    let rest = &trimmed[key.len()..];
    if rest.starts_with('：') {
        Some(lead + key.chars().count() + 1)
    } else {
        None
    }
}

/// The name between backquotes after `prefix` in a parser message.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.split(prefix).nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

fn expected_fields(message: &str) -> Vec<String> {
    let Some(i) = message.find("expected") else { return Vec::new() };
    message[i..].split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

fn locate_key_near(text: &str, key: &str, around: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut best: Option<(usize, usize)> = None;
    for (i, l) in lines.iter().enumerate() {
        if let Some(c) = key_column(l, key) {
            let cand = (i + 1, c);
            best = match best {
                Some(b) if b.0.abs_diff(around) <= cand.0.abs_diff(around) => Some(b),
                _ => Some(cand),
            };
        }
    }
    best
}

/// Where a value is written, nearest to the line the parser named.
fn locate_value_near(text: &str, value: &str, around: usize) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| l.find(value).map(|b| (i + 1, l[..b].chars().count() + 1)))
        .min_by_key(|(l, _)| l.abs_diff(around))
}

/// The 1-based column at which `key:` starts on this line, if it does.
fn key_column(line: &str, key: &str) -> Option<usize> {
    let trimmed = line.trim_start_matches([' ', '-']);
    let rest = trimmed.strip_prefix(key)?;
    if rest.starts_with(':') {
        Some(line.chars().count() - trimmed.chars().count() + 1)
    } else {
        None
    }
}

/// Finds where `key: value` is written in a YAML text, for problems found
/// after parsing (an unknown track id, a date out of range). Returns the
/// 1-based line and the column of the value; the first match wins, the
/// first `key:` without a matching value otherwise.
pub fn locate(text: &str, key: &str, value: &str) -> Option<(usize, usize)> {
    let mut fallback = None;
    for (i, l) in text.lines().enumerate() {
        // flow maps: `{first: 1, …}` and plain `key: value` lines
        let mut from = 0;
        while let Some(pos) = l[from..].find(key) {
            let at = from + pos;
            let before_ok = at == 0 || !l.as_bytes()[at - 1].is_ascii_alphanumeric() && l.as_bytes()[at - 1] != b'_';
            let after = &l[at + key.len()..];
            if before_ok && after.starts_with(':') {
                let v = after[1..].trim_start();
                let vcol = l[..l.len() - v.len()].chars().count() + 1;
                let v_unquoted = v.trim_start_matches(['"', '\'']);
                if value.is_empty() || v_unquoted.starts_with(value) {
                    return Some((i + 1, vcol));
                }
                if fallback.is_none() {
                    fallback = Some((i + 1, l[..at].chars().count() + 1));
                }
            }
            from = at + key.len();
        }
        if !value.is_empty() && fallback.is_none() && l.trim_start_matches([' ', '-']).trim_matches(['"', '\'']) == value {
            fallback = Some((i + 1, l.chars().count() - l.trim_start_matches([' ', '-']).chars().count() + 1));
        }
    }
    fallback
}

/// A label (`{zh: …, en: …}`) that lacks a language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelGap {
    pub line: usize,
    pub col: usize,
    pub missing: String,
    /// The label's text in a language it has.
    pub text: String,
}

/// Every label of a YAML text that lacks one of `langs`. A label is a
/// mapping whose keys are all language codes of the site.
pub fn label_gaps(text: &str, langs: &[String]) -> Vec<LabelGap> {
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        return Vec::new();
    };
    let mut gaps = Vec::new();
    walk_labels(&value, text, langs, &mut gaps);
    gaps
}

fn walk_labels(v: &serde_yaml::Value, text: &str, langs: &[String], gaps: &mut Vec<LabelGap>) {
    match v {
        serde_yaml::Value::Mapping(m) => {
            let keys: Vec<Option<&str>> = m.keys().map(|k| k.as_str()).collect();
            // A label: keys that are all language codes, values that are all
            // texts (a map of lists per language, like column names, is not).
            let is_label = !keys.is_empty()
                && keys.iter().all(|k| k.is_some_and(|k| langs.iter().any(|l| l == k)))
                && m.values().all(|v| v.is_string() || v.is_null());
            if is_label {
                let filled = |l: &String| m.get(l.as_str()).and_then(|v| v.as_str()).filter(|t| !t.trim().is_empty());
                let Some((lang, t)) = langs.iter().find_map(|l| filled(l).map(|t| (l, t))) else {
                    // Empty in every language: one gap, where `lang: ""` is written.
                    let lang = langs.iter().find(|l| m.contains_key(l.as_str())).unwrap_or(&langs[0]);
                    let (line, col) = ["\"\"", "''"]
                        .iter()
                        .find_map(|q| find_text(text, &format!("{lang}: {q}")))
                        .unwrap_or((0, 0));
                    gaps.push(LabelGap {
                        line,
                        col,
                        missing: langs.join(", "),
                        text: String::new(),
                    });
                    return;
                };
                let probe: String = t.chars().take(24).collect();
                let (line, col) = locate(text, lang, probe.trim()).unwrap_or((0, 0));
                for l in langs.iter().filter(|l| filled(l).is_none()) {
                    gaps.push(LabelGap {
                        line,
                        col,
                        missing: l.clone(),
                        text: t.to_string(),
                    });
                }
                return;
            }
            for (_, child) in m {
                walk_labels(child, text, langs, gaps);
            }
        }
        serde_yaml::Value::Sequence(items) => {
            for child in items {
                walk_labels(child, text, langs, gaps);
            }
        }
        _ => {}
    }
}

/// The 1-based line and column of the first occurrence of `needle`.
fn find_text(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .find_map(|(i, l)| l.find(needle).map(|b| (i + 1, l[..b].chars().count() + 1)))
}

/// What a parsed YAML text holds that may not reach a page, found in its
/// values: control characters made by escapes (`"\0"`, `"\e"`, `"\x85"`),
/// and links with unsafe addresses in text rendered as Markdown. `text`
/// starts on line `first_line` of `path`. (Control characters written as
/// they are were reported when the file was read.)
pub fn unsafe_values(text: &str, path: &Path, first_line: usize) -> Vec<Diagnostic> {
    let has_escape = text.contains('\\');
    if !has_escape && !crate::base::safety::may_hold_unsafe_url(text) {
        return Vec::new();
    }
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        return Vec::new();
    };
    let mut strings = Vec::new();
    collect_strings(&value, &mut strings);
    let at = |d: Diagnostic, line: usize, col: usize| {
        let mut d = d.at(line + first_line - 1, col);
        d.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        d
    };
    let mut out = Vec::new();
    if has_escape && strings.iter().any(|s| !crate::base::safety::forbidden_chars(s).is_empty()) {
        let escapes = forbidden_escapes(text);
        if escapes.is_empty() {
            out.push(Diagnostic::error(path, msg!("control_character", c = "?")).hint(msg!("hint_control_escape")));
        }
        for (offset, written, c) in escapes {
            let (line, col) = crate::base::safety::position(text, offset);
            let d = Diagnostic::error(path, msg!("control_escape", escape = written, c = crate::base::safety::describe(c)));
            out.push(at(d.hint(msg!("hint_control_escape")), line, col));
        }
    }
    for s in &strings {
        for (_, url) in crate::base::safety::unsafe_markdown_urls(s) {
            let (line, col) = find_url(text, &url).unwrap_or((1, 1));
            let d = Diagnostic::error(path, msg!("unsafe_url", url = url.escape_debug())).hint(msg!("hint_unsafe_url"));
            out.push(at(d, line, col));
        }
    }
    out
}

fn collect_strings<'a>(v: &'a serde_yaml::Value, out: &mut Vec<&'a str>) {
    match v {
        serde_yaml::Value::String(s) => out.push(s),
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|i| collect_strings(i, out)),
        serde_yaml::Value::Mapping(m) => m.iter().for_each(|(k, v)| {
            collect_strings(k, out);
            collect_strings(v, out);
        }),
        serde_yaml::Value::Tagged(t) => collect_strings(&t.value, out),
        _ => {}
    }
}

/// Escapes of double-quoted YAML that make a forbidden character: (byte
/// offset, the escape as written, the character).
fn forbidden_escapes(text: &str) -> Vec<(usize, String, char)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let hex = |n: usize| {
            text.get(i + 2..i + 2 + n)
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
                .map(|c| (2 + n, c))
        };
        let found = match b[i + 1] {
            b'0' => Some((2, '\0')),
            b'a' => Some((2, '\u{7}')),
            b'b' => Some((2, '\u{8}')),
            b'e' => Some((2, '\u{1b}')),
            b'f' => Some((2, '\u{c}')),
            b'v' => Some((2, '\u{b}')),
            b'r' => Some((2, '\r')),
            b'N' => Some((2, '\u{85}')),
            b'x' => hex(2),
            b'u' => hex(4),
            b'U' => hex(8),
            // `\\` is a backslash: skip both.
            b'\\' => {
                i += 2;
                continue;
            }
            _ => None,
        };
        match found {
            Some((len, c)) if crate::base::safety::is_forbidden(c) => {
                out.push((i, text[i..i + len].to_string(), c));
                i += len;
            }
            _ => i += 1,
        }
    }
    out
}

/// Where an address is written in a YAML text: as it is, else where its
/// scheme's name is (it may be written with entities or escapes).
fn find_url(text: &str, url: &str) -> Option<(usize, usize)> {
    let at = text.find(url).or_else(|| {
        let scheme = crate::base::safety::scheme(url)?;
        let head: String = scheme.chars().take(4).collect();
        text.to_ascii_lowercase().find(&head)
    })?;
    Some(crate::base::safety::position(text, at))
}

#[cfg(test)]
mod tests {
    // Not `super::*`: tests/architecture.rs reads `super` as the file's
    // parent, `load`, and this file would seem to name its parent.
    use crate::load::yaml::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Front {
        title: String,
        date: Option<String>,
    }

    #[test]
    fn error_lines_are_counted_in_the_file() {
        let text = "title: a\ndate: [\n";
        let e = parse::<Front>(text, Path::new("x.md"), 2).unwrap_err();
        assert!(e.line >= 3, "line {} should be offset by the front-matter start", e.line);
    }

    #[test]
    fn misspelt_field_gets_a_suggestion() {
        let text = "titel: a\n";
        let e = parse::<Front>(text, Path::new("x.md"), 2).unwrap_err();
        assert_eq!(e.message, msg!("unknown_field", field = "titel"));
        assert_eq!((e.line, e.col), (2, 1));
        let hint = e.hint.unwrap();
        assert_eq!(hint.key, "hint_did_you_mean_field");
        assert_eq!(hint.arg("best"), Some("title"));
    }

    #[test]
    fn full_width_colon_is_named() {
        let text = "title： 标题\n";
        let e = parse::<BTreeMap<String, String>>(text, Path::new("x.yaml"), 1).unwrap_err();
        assert_eq!(e.message.key, "full_width_colon");
        assert_eq!((e.line, e.col), (1, 6));
    }

    #[test]
    fn colon_inside_a_value_gets_a_quoting_hint() {
        let text = "title: Topic 1: data\n";
        let e = parse::<BTreeMap<String, String>>(text, Path::new("x.md"), 2).unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(e.hint.unwrap().key, "hint_quote_value");
    }

    #[test]
    fn tab_indentation_is_named() {
        let text = "a:\n\tb: 1\n";
        let e = parse::<BTreeMap<String, String>>(text, Path::new("x.yaml"), 1).unwrap_err();
        assert_eq!((e.line, e.col), (2, 1));
        assert_eq!(e.message.key, "tab_indentation");
    }

    #[test]
    fn locate_finds_value_in_block_and_flow_maps() {
        let text = "entries:\n  - track: foo\n    level: first\n  - {track: bar, level: x}\n";
        assert_eq!(locate(text, "track", "foo"), Some((2, 12)));
        assert_eq!(locate(text, "track", "bar"), Some((4, 13)));
        assert_eq!(locate(text, "level", "x"), Some((4, 25)));
    }

    #[test]
    fn label_gaps_are_found_with_their_line() {
        let langs = vec!["zh".to_string(), "en".to_string()];
        let text = "levels: {zh: [一级], en: [Level 1]}\nname: {zh: 工业, en: Industry}\ngroups:\n  - id: a\n    name: {zh: 商贸}\n  - name:\n      zh: 金融\n  - name: {zh: 绿色, en: \"\"}\n";
        let gaps = label_gaps(text, &langs);
        assert_eq!(gaps.len(), 3, "{gaps:?}");
        assert_eq!((gaps[2].line, gaps[2].missing.as_str()), (8, "en"));
        assert_eq!((gaps[0].line, gaps[0].missing.as_str(), gaps[0].text.as_str()), (5, "en", "商贸"));
        assert_eq!(gaps[1].line, 7);
    }
}
