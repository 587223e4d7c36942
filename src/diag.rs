//! Diagnostics: every problem found in an editor's file, with the place it is.
//!
//! Loading never stops at the first problem: each stage pushes into a
//! [`Diagnostics`] collection, and the binary prints them all, sorted by file
//! and line, as `path:line:col: error: message` followed by a `hint:`.
//! Positions are always in the editor's file (1-based), never inside a
//! front-matter block or a YAML sub-document.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    pub severity: Severity,
    pub message: String,
    pub hint: Option<String>,
    /// The offending source line, shown under the message with a caret.
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: 0,
            col: 0,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.line = line;
        self.col = col;
        self
    }

    /// Sets the position and remembers the line's text from `source`.
    pub fn at_in(mut self, source: &str, line: usize, col: usize) -> Self {
        self.line = line;
        self.col = col;
        if line > 0 {
            self.source_line = source.lines().nth(line - 1).map(str::to_owned);
        }
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col.max(1))?;
        }
        write!(f, ": {kind}: {}", self.message)?;
        if let Some(src) = &self.source_line {
            let gutter = self.line.to_string();
            write!(f, "\n {gutter} | {src}")?;
            let pad: String = src
                .chars()
                .take(self.col.saturating_sub(1))
                .map(|c| {
                    if c == '\t' {
                        '\t'
                    } else if is_wide(c) {
                        '\u{3000}'
                    } else {
                        ' '
                    }
                })
                .collect();
            write!(f, "\n {} | {pad}^", " ".repeat(gutter.len()))?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// Characters that take two columns in a terminal, so the caret lines up.
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// Every problem of one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Sorted by file, then line and column, duplicates removed.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.clone();
        v.sort_by(|a, b| (&a.path, a.line, a.col, a.severity, &a.message).cmp(&(&b.path, b.line, b.col, b.severity, &b.message)));
        v.dedup();
        v
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// Makes a path relative to `root` for display, if it lies under it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}
