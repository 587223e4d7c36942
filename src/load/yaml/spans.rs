//! Where each node of a YAML text is written: the line and column of its
//! key and of its value, by the node's path (`entries.3.track`), read from
//! the events of a parser that keeps positions (saphyr-parser).
//!
//! serde gives typed values without positions; a problem found after
//! parsing (an unknown track in the fourth entry) must still be shown where
//! it is written, and not where the same words first occur in the text.
//! Keys written twice are found here too: serde reports them at the start
//! of the mapping, or not at all.
//!
//! Only the first document is indexed; aliases are not followed (a node's
//! place is where it is written, and an alias cannot multiply the work).

use saphyr_parser::{Event, Parser};
use std::collections::HashMap;

/// A place in the YAML text: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    key: Option<Pos>,
    value: Pos,
}

/// A key written twice in one mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub key: String,
    pub first: Pos,
    pub second: Pos,
}

/// A text the position-keeping parser could not read: where, and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub at: Pos,
    pub info: String,
}

/// The places of a YAML text's nodes.
#[derive(Debug, Default)]
pub struct Spans {
    nodes: HashMap<String, Node>,
    pub duplicates: Vec<Duplicate>,
    /// Where a second document starts (a `---` after the first one).
    pub second_document: Option<Pos>,
}

/// What the builder is inside of.
enum Frame {
    /// A mapping; `key` is the key just read, whose value comes next.
    Map {
        path: String,
        key: Option<(String, Pos)>,
        seen: HashMap<String, Pos>,
    },
    Seq {
        path: String,
        next: usize,
    },
    /// A mapping or list used as a key (`? [a, b]: c`): not indexed, only
    /// counted through (`depth` collections open).
    Skip {
        depth: usize,
    },
}

/// What an event makes: a leaf, or the start of a collection.
enum Made<'a> {
    Scalar(&'a str),
    Alias,
    Collection,
}

impl Spans {
    /// The places of `text`'s nodes; the parser's error if it cannot read it.
    pub fn build(text: &str) -> Result<Spans, SyntaxError> {
        let mut spans = Spans::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut documents = 0;
        for next in Parser::new_from_str(text) {
            let (event, span) = next.map_err(|e| SyntaxError {
                at: pos(e.marker().line(), e.marker().col()),
                info: e.info().to_string(),
            })?;
            let at = pos(span.start.line(), span.start.col());
            match event {
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents == 2 {
                        spans.second_document = Some(at);
                        break;
                    }
                }
                Event::Scalar(v, ..) => spans.node(&mut stack, at, Made::Scalar(&v)),
                Event::Alias(_) => spans.node(&mut stack, at, Made::Alias),
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let open = matches!(event, Event::MappingStart(..));
                    spans.open(&mut stack, at, open);
                }
                Event::MappingEnd | Event::SequenceEnd => close(&mut stack),
                _ => {}
            }
        }
        Ok(spans)
    }

    /// A collection starts at `at`: indexed as a node, then entered.
    fn open(&mut self, stack: &mut Vec<Frame>, at: Pos, mapping: bool) {
        if let Some(Frame::Skip { depth }) = stack.last_mut() {
            *depth += 1;
            return;
        }
        let Some(path) = self.node_path(stack, at, Made::Collection) else {
            stack.push(Frame::Skip { depth: 1 });
            return;
        };
        stack.push(if mapping {
            Frame::Map {
                path,
                key: None,
                seen: HashMap::new(),
            }
        } else {
            Frame::Seq { path, next: 0 }
        });
    }

    fn node(&mut self, stack: &mut [Frame], at: Pos, made: Made) {
        if !matches!(stack.last(), Some(Frame::Skip { .. })) {
            self.node_path(stack, at, made);
        }
    }

    /// Records a node that starts at `at` under the innermost frame, and
    /// returns its path; `None` when the node is a key that is a
    /// collection (it is skipped).
    fn node_path(&mut self, stack: &mut [Frame], at: Pos, made: Made) -> Option<String> {
        let (path, key) = match stack.last_mut() {
            None => (String::new(), None),
            Some(Frame::Map { path, key, seen }) => match key.take() {
                Some((k, kpos)) => (join(path, &k), Some(kpos)),
                None => {
                    // This node is a key.
                    let name = match made {
                        Made::Scalar(s) => s.to_string(),
                        Made::Alias => "*".to_string(),
                        Made::Collection => {
                            *key = Some(("?".to_string(), at));
                            return None;
                        }
                    };
                    if let Some(first) = seen.get(&name) {
                        self.duplicates.push(Duplicate {
                            key: name.clone(),
                            first: *first,
                            second: at,
                        });
                    } else {
                        seen.insert(name.clone(), at);
                    }
                    *key = Some((name, at));
                    return None;
                }
            },
            Some(Frame::Seq { path, next }) => {
                *next += 1;
                (join(path, &(*next - 1).to_string()), None)
            }
            Some(Frame::Skip { .. }) => return None,
        };
        self.nodes.entry(path.clone()).or_insert(Node { key, value: at });
        Some(path)
    }

    /// Where the value of the node at `path` is written.
    pub fn value(&self, path: &str) -> Option<Pos> {
        self.nodes.get(path).map(|n| n.value)
    }

    /// Where the node at `path` is named: its key, or its value when it
    /// has none (an item of a list).
    pub fn key(&self, path: &str) -> Option<Pos> {
        self.nodes.get(path).map(|n| n.key.unwrap_or(n.value))
    }

    /// The nearest written node at or above `path`: `entries.3.level`
    /// when written, else `entries.3`, `entries`, the whole text.
    pub fn nearest<'p>(&self, mut path: &'p str) -> (&'p str, Option<Pos>) {
        loop {
            if let Some(p) = self.value(path) {
                return (path, Some(p));
            }
            match path.rfind('.') {
                Some(i) => path = &path[..i],
                None if !path.is_empty() => path = "",
                None => return (path, None),
            }
        }
    }
}

/// A key finished with: the collection under the innermost frame ended.
fn close(stack: &mut Vec<Frame>) {
    match stack.last_mut() {
        Some(Frame::Skip { depth }) if *depth > 1 => *depth -= 1,
        _ => {
            stack.pop();
        }
    }
}

/// `parent.child`, or `child` at the root.
pub fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}.{child}")
    }
}

/// saphyr counts lines from 1 and columns from 0.
fn pos(line: usize, col: usize) -> Pos {
    Pos {
        line: line.max(1),
        col: col + 1,
    }
}

#[cfg(test)]
mod tests {
    use crate::load::yaml::spans::*;

    fn at(line: usize, col: usize) -> Option<Pos> {
        Some(Pos { line, col })
    }

    #[test]
    fn nodes_are_found_by_path_in_block_and_flow_style() {
        let text = "title: 甲\nentries:\n  - track: foo\n    level: first\n  - {track: foo, level: x}\n";
        let s = Spans::build(text).unwrap();
        assert_eq!(s.value("title"), at(1, 8));
        assert_eq!(s.key("title"), at(1, 1));
        assert_eq!(s.value("entries.0.track"), at(3, 12));
        assert_eq!(s.value("entries.1.track"), at(5, 13));
        assert_eq!(s.value("entries.1.level"), at(5, 25));
        assert_eq!(s.key("entries.1"), at(5, 5));
        assert_eq!(s.nearest("entries.1.project.zh"), ("entries.1", at(5, 5)));
    }

    #[test]
    fn a_key_written_twice_is_found_at_its_second_place() {
        let s = Spans::build("title: a\ndate: 2025-01-01\ntitle: b\nx: {a: 1, a: 2}\n").unwrap();
        let d: Vec<_> = s.duplicates.iter().map(|d| (d.key.as_str(), d.first, d.second)).collect();
        assert_eq!(
            d,
            vec![
                ("title", Pos { line: 1, col: 1 }, Pos { line: 3, col: 1 }),
                ("a", Pos { line: 4, col: 5 }, Pos { line: 4, col: 11 })
            ]
        );
        // The same key in two mappings is no duplicate.
        assert!(Spans::build("- {a: 1}\n- {a: 2}\n").unwrap().duplicates.is_empty());
    }

    #[test]
    fn a_second_document_is_found() {
        let s = Spans::build("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(s.second_document, at(2, 1));
        assert_eq!(Spans::build("---\na: 1\n").unwrap().second_document, None);
    }

    #[test]
    fn complex_keys_and_aliases_are_passed_over() {
        let s = Spans::build("? [a, b]\n: c\nd: &x [1, 2]\ne: *x\nf: 3\n").unwrap();
        assert_eq!(s.value("f"), at(5, 4));
        assert_eq!(s.value("e"), at(4, 4));
        assert_eq!(s.value("d.1"), at(3, 11));
    }

    #[test]
    fn an_unclosed_quote_is_a_syntax_error() {
        assert!(Spans::build("title: \"abc\ndate: 1\n").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(Spans::build(&text).unwrap().value("a.0.0.0").is_some());
        let text = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        assert!(Spans::build(&text).is_err());
    }
}
