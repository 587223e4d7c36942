//! Every YAML call of Podium lives here.
//!
//! serde_yaml is archived upstream; the dependency points at its maintained
//! drop-in fork (`serde_norway`), which gives the typed values. A second
//! parser that keeps positions (saphyr-parser, in `spans`) says where each
//! node is written, so that every problem is shown where it is in the
//! editor's file: parse errors (`explain`), keys written twice, and
//! problems found after parsing ([`Source::at`]). Keeping all YAML in one
//! module means a swap of parser touches one folder. Callers pass the line
//! at which the YAML text starts (front matter starts on line 2 of a
//! Markdown file).

pub mod explain;
pub mod search;
pub mod spans;
pub mod values;

use crate::base::diag::Diagnostic;
use crate::msg;
use serde::de::DeserializeOwned;
use spans::{Pos, Spans};
use std::path::Path;

pub use search::locate;
pub use values::{label_gaps, unsafe_values, LabelGap};

/// An editor's YAML text (a whole file, or the front matter of a Markdown
/// file) and where each of its nodes is written.
#[derive(Debug)]
pub struct Source {
    text: String,
    /// The line of the file on which the text starts.
    first_line: usize,
    spans: Spans,
}

impl Source {
    /// `text`, which starts on line `first_line` of its file, indexed. A
    /// text the indexer cannot read has no places (problems in it are
    /// then found by searching the text).
    pub fn new(text: &str, first_line: usize) -> Source {
        Source {
            text: text.to_string(),
            first_line,
            spans: Spans::build(text).unwrap_or_default(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// `d`, pointed at the value of the node at `path` (`entries.3.track`),
    /// or at the nearest node above it that is written.
    pub fn at(&self, d: Diagnostic, path: &str) -> Diagnostic {
        match self.spans.nearest(path) {
            (_, Some(p)) => self.place(d, p),
            (_, None) => self.searched(d, path),
        }
    }

    /// `d`, pointed at the key of the node at `path` (where it is named).
    pub fn at_key(&self, d: Diagnostic, path: &str) -> Diagnostic {
        match self.spans.key(path) {
            Some(p) => self.place(d, p),
            None => self.at(d, path),
        }
    }

    /// Without places: where the last part of the path is written as a
    /// key, else the text's start.
    fn searched(&self, d: Diagnostic, path: &str) -> Diagnostic {
        let key = path.rsplit('.').next().unwrap_or(path);
        let (line, col) = locate(&self.text, key, "").unwrap_or((1, 1));
        self.place(d, Pos { line, col })
    }

    /// `d` at `p` of this text, as a place in the file, with its line shown.
    pub fn place(&self, d: Diagnostic, p: Pos) -> Diagnostic {
        let mut d = d.at(p.line + self.first_line - 1, p.col);
        d.source_line = self.text.lines().nth(p.line.saturating_sub(1)).map(str::to_owned);
        d
    }

    /// Keys written twice, and a second document: an error at each, in
    /// the editor's words (serde says these at the start of the mapping,
    /// or not at all).
    fn structure_problems(&self, path: &Path) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for dup in &self.spans.duplicates {
            let first = dup.first.line + self.first_line - 1;
            let d = Diagnostic::error(path, msg!("yaml_duplicate_key", key = dup.key, line = first)).hint(msg!(
                "hint_yaml_duplicate_key",
                key = dup.key,
                line = first
            ));
            out.push(self.place(d, dup.second));
        }
        if let Some(p) = self.spans.second_document {
            let d = Diagnostic::error(path, msg!("yaml_second_document")).hint(msg!("hint_yaml_second_document"));
            out.push(self.place(d, p));
        }
        out
    }
}

/// Parses `text`, which starts on line `first_line` of the file at `path`:
/// its value and its places, or its problems (none when the problem is a
/// control character, which reading the file reported where it is).
pub fn parse<T: DeserializeOwned>(text: &str, path: &Path, first_line: usize) -> Result<(T, Source), Vec<Diagnostic>> {
    let source = Source::new(text, first_line);
    let problems = source.structure_problems(path);
    if !problems.is_empty() {
        return Err(problems);
    }
    // An empty document is an empty mapping, so optional fields all default.
    let text_or_empty = if text.trim().is_empty() { "{}" } else { text };
    match serde_yaml::from_str(text_or_empty) {
        Ok(v) => Ok((v, source)),
        Err(e) => Err(to_diagnostic(&e, &source, path).into_iter().collect()),
    }
}

/// The parser's error, where it is and in the editor's words; `None` for a
/// control character written in the text (reported by `read_text`, at
/// its place, with what it is).
fn to_diagnostic(e: &serde_yaml::Error, source: &Source, path: &Path) -> Option<Diagnostic> {
    let raw = e.to_string();
    if raw.starts_with("control characters are not allowed") && !crate::base::safety::forbidden_chars(&source.text).is_empty() {
        return None;
    }
    let at = e.location().map_or(Pos { line: 1, col: 1 }, |l| Pos {
        line: l.line(),
        col: l.column().max(1),
    });
    let (at, message, hint) = explain::explain(&source.text, &explain::Raw::new(&raw, at));
    // Past the end (an unexpected end of the text): the last line.
    let lines = source.text.lines().count().max(1);
    let at = if at.line > lines {
        let last = source.text.lines().last().unwrap_or("");
        Pos {
            line: lines,
            col: last.chars().count() + 1,
        }
    } else {
        at
    };
    Some(source.place(Diagnostic::error(path, message).hint(hint), at))
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
        let e = parse::<Front>(text, Path::new("x.md"), 2).unwrap_err().remove(0);
        assert!(e.line >= 3, "line {} should be offset by the front-matter start", e.line);
    }

    #[test]
    fn misspelt_field_gets_a_suggestion() {
        let text = "titel: a\n";
        let e = parse::<Front>(text, Path::new("x.md"), 2).unwrap_err().remove(0);
        assert_eq!(e.message, msg!("unknown_field", field = "titel"));
        assert_eq!((e.line, e.col), (2, 1));
        let hint = e.hint.unwrap();
        assert_eq!(hint.key, "hint_did_you_mean_field");
        assert_eq!(hint.arg("best"), Some("title"));
    }

    #[test]
    fn full_width_colon_is_named() {
        let text = "title： 标题\n";
        let e = parse::<BTreeMap<String, String>>(text, Path::new("x.yaml"), 1)
            .unwrap_err()
            .remove(0);
        assert_eq!(e.message.key, "full_width_colon");
        assert_eq!((e.line, e.col), (1, 6));
    }

    #[test]
    fn colon_inside_a_value_gets_a_quoting_hint() {
        let text = "title: Topic 1: data\n";
        let e = parse::<BTreeMap<String, String>>(text, Path::new("x.md"), 2).unwrap_err().remove(0);
        assert_eq!(e.line, 2);
        assert_eq!(e.hint.unwrap().key, "hint_quote_value");
    }

    #[test]
    fn tab_indentation_is_named() {
        let text = "a:\n\tb: 1\n";
        let e = parse::<BTreeMap<String, String>>(text, Path::new("x.yaml"), 1)
            .unwrap_err()
            .remove(0);
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
