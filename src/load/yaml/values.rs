//! What a parsed YAML text holds that needs a word before it reaches a
//! page: labels that lack a language, control characters made by escapes,
//! links with unsafe addresses.

use super::search::{find_text, locate};
use crate::base::diag::Diagnostic;
use crate::msg;
use std::path::Path;

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
