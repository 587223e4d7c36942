//! The YAML parser's words turned into an editor's: where the mistake is
//! written (not where the parser gave up), what it is, and what to do, in
//! the editor's language. The common kinds of problem have messages of
//! their own; the rest are quoted as the parser words them.

use super::spans::Pos;
use crate::base::diag::Msg;
use crate::base::text::{nearest, suggestion};
use crate::msg;

/// A parser's error taken apart. serde_yaml words libyaml's errors as
/// `{problem} at line L column C, {context} at line L2 column C2`, and its
/// own as `{path}: {problem}`.
pub(super) struct Raw<'a> {
    pub problem: &'a str,
    /// Where the parser stopped.
    pub at: Pos,
    /// What it was reading (`while scanning a quoted scalar`), and where
    /// that started.
    pub context: Option<(&'a str, Option<Pos>)>,
}

impl<'a> Raw<'a> {
    pub fn new(raw: &'a str, at: Pos) -> Raw<'a> {
        let (head, context) = match raw.find(", while ") {
            Some(i) => {
                let c = &raw[i + 2..];
                let (words, mark) = split_mark(c);
                (&raw[..i], Some((words, mark)))
            }
            None => (raw, None),
        };
        let (problem, _) = split_mark(head);
        // `topics[0]: invalid type: …`: the path is shown by the position.
        let problem = match problem.split_once(": ") {
            Some((path, rest)) if !path.contains(' ') && !path.is_empty() => rest,
            _ => problem,
        };
        Raw { problem, at, context }
    }

    fn context_is(&self, words: &str) -> Option<Option<Pos>> {
        self.context.filter(|(c, _)| c.contains(words)).map(|(_, p)| p)
    }
}

/// `words at line L column C` → the words and the place.
fn split_mark(s: &str) -> (&str, Option<Pos>) {
    for sep in [" at line ", " at position "] {
        if let Some(i) = s.find(sep) {
            let rest = &s[i + sep.len()..];
            let mut nums = rest.split(" column ").map(|n| n.trim().parse::<usize>().ok());
            let pos = match (sep, nums.next().flatten(), nums.next().flatten()) {
                (" at line ", Some(line), Some(col)) => Some(Pos { line, col }),
                _ => None,
            };
            return (&s[..i], pos);
        }
    }
    (s, None)
}

/// Where the mistake is, what it is, and what to do about it.
pub(super) fn explain(text: &str, raw: &Raw) -> (Pos, Msg, Msg) {
    if let Some(found) = indentation_slip(text, raw.at) {
        return found;
    }
    if let Some(found) = field_slip(text, raw) {
        return found;
    }
    if let Some(found) = unclosed(text, raw) {
        return found;
    }
    if let Some(found) = limits(text, raw) {
        return found;
    }
    if let Some(found) = wrong_type(text, raw) {
        return found;
    }
    syntax(text, raw)
}

/// A tab or a full-width space in the indentation of the line the parser
/// stopped at, or of one of the two lines above it. (A tab further away,
/// inside a block of text, is no slip.)
fn indentation_slip(text: &str, at: Pos) -> Option<(Pos, Msg, Msg)> {
    let lines: Vec<&str> = text.lines().collect();
    let last = at.line.min(lines.len());
    for i in (last.saturating_sub(3)..last).rev() {
        let l = lines[i];
        let indent: String = l.chars().take_while(|c| c.is_whitespace() || *c == '-').collect();
        if let Some(c) = indent.chars().position(|c| c == '\t') {
            return Some((pos(i + 1, c + 1), msg!("tab_indentation"), msg!("hint_tab_indentation")));
        }
        if let Some(c) = indent.chars().position(|c| c == '\u{3000}') {
            return Some((
                pos(i + 1, c + 1),
                msg!("full_width_space_indentation"),
                msg!("hint_full_width_space"),
            ));
        }
    }
    None
}

/// Fields: misspelt, missing, an unknown value, a full-width colon.
fn field_slip(text: &str, raw: &Raw) -> Option<(Pos, Msg, Msg)> {
    let (message, at) = (raw.problem, raw.at);
    if let Some(field) = quoted_after(message, "unknown field `") {
        let expected = expected_fields(message);
        let hint = match nearest(&field, &expected) {
            Some(best) => msg!("hint_did_you_mean_field", best = best, known = expected.join(", ")),
            None => msg!("hint_known_fields", known = expected.join(", ")),
        };
        // The parser points after the key; point at the key itself.
        let p = super::search::locate_key_near(text, &field, at.line).map_or(at, |(l, c)| pos(l, c));
        return Some((p, msg!("unknown_field", field = field), hint));
    }
    if let Some(value) = quoted_after(message, "unknown variant `") {
        let expected = expected_fields(message);
        let p = super::search::locate_value_near(text, &value, at.line).map_or(at, |(l, c)| pos(l, c));
        return Some((p, msg!("unknown_value", value = value), suggestion(&value, &expected)));
    }
    // A full-width colon used as the key separator: `title： 标题`, on the
    // line the parser names or above it.
    for (i, l) in text.lines().enumerate().take(at.line.max(1)).collect::<Vec<_>>().into_iter().rev() {
        if let Some(c) = full_width_key_colon(l) {
            return Some((pos(i + 1, c), msg!("full_width_colon"), msg!("hint_full_width_colon")));
        }
    }
    if let Some(field) = quoted_after(message, "missing field `") {
        return Some((at, msg!("missing_field", field = field), msg!("hint_missing_field", field = field)));
    }
    None
}

/// Something opened and never closed: a quoted text, a `{…}` or `[…]`.
fn unclosed(text: &str, raw: &Raw) -> Option<(Pos, Msg, Msg)> {
    if let Some(start) = raw
        .context_is("quoted scalar")
        .filter(|_| raw.problem.starts_with("found unexpected"))
    {
        let start = start.unwrap_or(raw.at);
        let quote = char_at(text, start).filter(|c| matches!(c, '"' | '\'')).unwrap_or('"');
        return Some((
            start,
            msg!("yaml_unclosed_quote", quote = quote),
            msg!("hint_unclosed_quote", quote = quote),
        ));
    }
    for (open, close, context) in [('{', '}', "flow mapping"), ('[', ']', "flow sequence")] {
        let Some(start) = raw.context_is(context) else { continue };
        let line = text.lines().nth(raw.at.line.saturating_sub(1)).unwrap_or("");
        if let Some(c) = full_width_comma_before_key(line) {
            return Some((pos(raw.at.line, c), msg!("yaml_full_width_comma"), msg!("hint_full_width_comma")));
        }
        let opened = start.map_or(raw.at.line, |p| p.line);
        return Some((
            raw.at,
            msg!("yaml_unclosed_flow", open = open, close = close, line = opened),
            msg!("hint_unclosed_flow", open = open, close = close, line = opened),
        ));
    }
    None
}

/// Limits that protect the build: nesting, aliases, more documents.
fn limits(text: &str, raw: &Raw) -> Option<(Pos, Msg, Msg)> {
    let p = raw.problem;
    if p.starts_with("recursion limit exceeded") {
        return Some((raw.at, msg!("yaml_too_deep"), msg!("hint_yaml_too_deep")));
    }
    if p.starts_with("repetition limit exceeded") {
        // No place given: the first alias.
        let at = text
            .lines()
            .enumerate()
            .find_map(|(i, l)| {
                l.find(" *")
                    .or_else(|| l.find("[*"))
                    .map(|b| pos(i + 1, l[..b].chars().count() + 2))
            })
            .unwrap_or(raw.at);
        return Some((at, msg!("yaml_too_many_aliases"), msg!("hint_yaml_too_many_aliases")));
    }
    if p.starts_with("unknown anchor") || p.starts_with("found undefined alias") {
        return Some((raw.at, msg!("yaml_unknown_alias"), msg!("hint_yaml_alias")));
    }
    if p.contains("more than one document") {
        let line = text
            .lines()
            .enumerate()
            .skip(1)
            .find(|(_, l)| l.trim_end() == "---" || l.starts_with("--- "))
            .map_or(1, |(i, _)| i + 1);
        return Some((pos(line, 1), msg!("yaml_second_document"), msg!("hint_yaml_second_document")));
    }
    if p.starts_with("control characters are not allowed") {
        return Some((raw.at, msg!("yaml_control_character"), msg!("hint_control_character")));
    }
    None
}

/// A value of the wrong kind (a list where a text belongs, …).
fn wrong_type(text: &str, raw: &Raw) -> Option<(Pos, Msg, Msg)> {
    let p = raw.problem;
    if p.ends_with("expected text") {
        // `title: ~`, `summary: false`, `phone: 0241234`: the value as written.
        let written: String = text
            .lines()
            .nth(raw.at.line.saturating_sub(1))
            .map(|l| {
                l.chars()
                    .skip(raw.at.col.saturating_sub(1))
                    .take_while(|c| !matches!(c, ',' | '}' | ']' | '#'))
                    .collect()
            })
            .unwrap_or_default();
        let written = written.trim();
        return Some((raw.at, msg!("not_text", value = written), msg!("hint_not_text", value = written)));
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = p.strip_prefix(prefix) {
            let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
            return Some((
                raw.at,
                msg!(
                    "yaml_wrong_type",
                    found_kind = kind_word(found),
                    expected_kind = kind_word(expected)
                ),
                msg!("hint_invalid_type"),
            ));
        }
    }
    None
}

/// The kind of a value as serde words it → a word of the catalogues
/// (`kind_list`), or the parser's words when it is not a kind we name.
fn kind_word(serde_words: &str) -> String {
    let w = serde_words.trim();
    let key = if w.contains("text per language") {
        "kind_label"
    } else if w.contains("list of texts") {
        "kind_texts"
    } else if w.starts_with("sequence") || w.starts_with("a sequence") || w.starts_with("tuple") {
        "kind_list"
    } else if w.starts_with("map") || w.starts_with("struct") || w.starts_with("a map") {
        "kind_mapping"
    } else if w.starts_with("string") || w.starts_with("a string") || w == "text" || w.starts_with("a date") {
        "kind_text"
    } else if ["integer", "u32", "u64", "usize", "i64", "floating point", "f64"]
        .iter()
        .any(|n| w.contains(n))
    {
        "kind_number"
    } else if w.starts_with("boolean") || w.starts_with("a boolean") {
        "kind_yes_no"
    } else if w.starts_with("unit") || w == "null" {
        "kind_empty"
    } else if w.starts_with("enum") || w.starts_with("variant") {
        "kind_choice"
    } else {
        return w.to_string();
    };
    key.to_string()
}

/// The parser's other problems with the form of the text.
fn syntax(text: &str, raw: &Raw) -> (Pos, Msg, Msg) {
    let p = raw.problem;
    let at = raw.at;
    let started = |words: &str| raw.context_is(words).flatten().map_or(at.line, |s| s.line);
    if p.contains("mapping values are not allowed") {
        return (at, msg!("yaml_colon_in_value"), msg!("hint_quote_value"));
    }
    if p.starts_with("did not find expected key") {
        let line = started("block mapping");
        return (
            at,
            msg!("yaml_expected_key", line = line),
            msg!("hint_yaml_expected_key", line = line),
        );
    }
    if p.starts_with("did not find expected '-' indicator") {
        let line = started("block collection");
        return (
            at,
            msg!("yaml_expected_dash", line = line),
            msg!("hint_yaml_expected_dash", line = line),
        );
    }
    if p.starts_with("block sequence entries are not allowed") {
        return (at, msg!("yaml_dash_not_allowed"), msg!("hint_yaml_dash_not_allowed"));
    }
    if p.starts_with("found character that cannot start any token") {
        if char_at(text, at) == Some('\t') {
            return (at, msg!("tab_indentation"), msg!("hint_tab_indentation"));
        }
        let c = char_at(text, at).unwrap_or('?');
        return (at, msg!("yaml_cannot_start", c = c), msg!("hint_yaml_quote_start", c = c));
    }
    if p.starts_with("did not find expected alphabetic or numeric character") || p.contains("tag") {
        let c = char_at(text, raw.context.and_then(|(_, s)| s).unwrap_or(at)).unwrap_or('?');
        return (at, msg!("yaml_cannot_start", c = c), msg!("hint_yaml_quote_start", c = c));
    }
    if p.starts_with("could not find expected ':'") {
        let start = raw.context_is("simple key").flatten().unwrap_or(at);
        return (start, msg!("yaml_expected_colon"), msg!("hint_yaml_expected_colon"));
    }
    if p.contains("unknown escape character") || p.contains("hexadecimal number") || p.contains("Unicode character escape") {
        return (at, msg!("yaml_bad_escape"), msg!("hint_yaml_bad_escape"));
    }
    if p.starts_with("did not find expected comment or line break") {
        return (at, msg!("yaml_trailing_text"), msg!("hint_yaml_trailing_text"));
    }
    if p.starts_with("did not find expected node content") {
        return (at, msg!("yaml_expected_value"), msg!("hint_check_indentation"));
    }
    if p.starts_with("found unexpected end of stream") || p.starts_with("EOF while parsing") {
        return (at, msg!("yaml_unexpected_end"), msg!("hint_check_indentation"));
    }
    let detail = match raw.context {
        Some((c, _)) => format!("{p} ({c})"),
        None => p.to_string(),
    };
    (at, msg!("yaml_error", detail = detail), msg!("hint_check_indentation"))
}

fn pos(line: usize, col: usize) -> Pos {
    Pos { line, col }
}

/// The character written at `p`.
fn char_at(text: &str, p: Pos) -> Option<char> {
    text.lines().nth(p.line.checked_sub(1)?)?.chars().nth(p.col.checked_sub(1)?)
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

/// The column of a full-width comma `，` written between two items of a
/// `{…}` (`{zh: 甲，en: A}`): followed by a field name and a colon.
fn full_width_comma_before_key(line: &str) -> Option<usize> {
    for (i, (b, c)) in line.char_indices().enumerate() {
        if c != '，' {
            continue;
        }
        let rest = line[b + c.len_utf8()..].trim_start();
        let key: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !key.is_empty() && rest[key.len()..].starts_with(':') {
            return Some(i + 1);
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use crate::load::yaml::explain::*;

    #[test]
    fn a_libyaml_error_is_taken_apart() {
        let r = Raw::new(
            "found unexpected end of stream at line 4 column 1, while scanning a quoted scalar at line 1 column 8",
            pos(4, 1),
        );
        assert_eq!(r.problem, "found unexpected end of stream");
        assert_eq!(r.context, Some(("while scanning a quoted scalar", Some(pos(1, 8)))));
        let r = Raw::new(
            "topics[0]: invalid type: sequence, expected struct RawTopicRef at line 3 column 10",
            pos(3, 10),
        );
        assert_eq!(r.problem, "invalid type: sequence, expected struct RawTopicRef");
        assert_eq!(r.context, None);
    }

    #[test]
    fn full_width_comma_between_items_is_found() {
        assert_eq!(full_width_comma_before_key("name: {zh: 甲赛道，en: Track}"), Some(15));
        assert_eq!(full_width_comma_before_key("name: {zh: 甲，乙, en: A}"), None);
    }
}
