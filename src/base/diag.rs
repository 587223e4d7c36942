//! Diagnostics: every problem found in an editor's file, with the place it is.
//!
//! Loading never stops at the first problem: each stage pushes into a
//! [`Diagnostics`] collection, and the binary prints them all, sorted by file
//! and line, as `path:line:col: error: message` followed by a `hint:`.
//! Positions are always in the editor's file (1-based), never inside a
//! front-matter block or a YAML sub-document.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A message, by its key in the catalogues (`src/messages/<lang>.yaml`),
/// with the values of its `{placeholders}`. Library code never holds the
/// words themselves: the binary chooses the editor's language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(key: &'static str, args: Vec<(&'static str, String)>) -> Self {
        Msg { key, args }
    }

    /// The value of one placeholder, if set.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

/// `msg!("key", name = value, …)`: a [`Msg`] with its placeholder values.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::base::diag::Msg::new($key, vec![$((stringify!($name), ($value).to_string())),*])
    };
}

/// The messages of one language.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub lang: &'static str,
    texts: BTreeMap<String, String>,
}

/// The catalogues, embedded in the binary: (language, YAML text).
pub const CATALOGUES: &[(&str, &str)] = &[("en", include_str!("messages/en.yaml")), ("zh", include_str!("messages/zh.yaml"))];

impl Catalogue {
    /// The catalogue of `lang` (`en` or `zh`); English for any other.
    pub fn get(lang: &str) -> Catalogue {
        let (lang, text) = CATALOGUES.iter().find(|(l, _)| *l == lang).copied().unwrap_or(CATALOGUES[0]);
        // The catalogues are ours and flat (`key: "text"`): read directly,
        // not through `load`'s diagnostics, which are built from them.
        let texts = serde_yaml::from_str::<BTreeMap<String, String>>(text).unwrap_or_default();
        Catalogue { lang, texts }
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.texts.keys()
    }

    /// The words of a message, placeholders filled. An unknown key shows
    /// itself, so a missing entry is visible rather than silent. A
    /// placeholder named `…_kind` holds a word of the catalogue
    /// (`kind_list` → its text), or words shown as they are.
    pub fn text(&self, m: &Msg) -> String {
        let template = self.texts.get(m.key).map_or(m.key, String::as_str);
        let args: Vec<(&str, &str)> = m
            .args
            .iter()
            .map(|(k, v)| {
                let word = (k.ends_with("_kind") && v.starts_with("kind_"))
                    .then(|| self.texts.get(v))
                    .flatten();
                (*k, word.map_or(v.as_str(), String::as_str))
            })
            .collect();
        crate::base::fill::fill(template, &args)
    }

    fn word(&self, key: &str) -> String {
        self.texts.get(key).cloned().unwrap_or_else(|| key.to_string())
    }
}

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
    pub message: Msg,
    /// What to do about it (boxed: most diagnostics are carried, few printed).
    pub hint: Option<Box<Msg>>,
    /// The offending source line, shown under the message with a caret.
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: Msg) -> Self {
        Diagnostic {
            path: path.into(),
            line: 0,
            col: 0,
            severity: Severity::Error,
            message,
            hint: None,
            source_line: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: Msg) -> Self {
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

    pub fn hint(mut self, hint: Msg) -> Self {
        self.hint = Some(Box::new(hint));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// The text an editor sees, in the catalogue's language:
    /// `path:line:col: error: message`, the line with a caret, the hint.
    pub fn render(&self, cat: &Catalogue) -> String {
        let kind = match self.severity {
            Severity::Error => cat.word("severity_error"),
            Severity::Warning => cat.word("severity_warning"),
        };
        let mut f = self.path.display().to_string().replace('\\', "/");
        if self.line > 0 {
            f.push_str(&format!(":{}:{}", self.line, self.col.max(1)));
        }
        f.push_str(&format!(": {kind}: {}", cat.text(&self.message)));
        if let Some(src) = &self.source_line {
            let gutter = self.line.to_string();
            f.push_str(&format!("\n {gutter} | {src}"));
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
            f.push_str(&format!("\n {} | {pad}^", " ".repeat(gutter.len())));
        }
        if let Some(h) = &self.hint {
            f.push_str(&format!("\n  {}: {}", cat.word("hint"), cat.text(h)));
        }
        f
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&Catalogue::get("en")))
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

    pub fn extend_from(&mut self, items: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(items);
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

    /// Every warning made an error (`check --strict`).
    pub fn strict(self) -> Diagnostics {
        Diagnostics {
            items: self
                .items
                .into_iter()
                .map(|d| Diagnostic {
                    severity: Severity::Error,
                    ..d
                })
                .collect(),
        }
    }

    /// Has an error been added since the collection had `n` items?
    pub fn errors_since(&self, n: usize) -> bool {
        self.items.iter().skip(n).any(Diagnostic::is_error)
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

impl Diagnostics {
    /// Every diagnostic as an editor reads it, sorted, with paths relative
    /// to the project folder `root`: what `build`, `check` and the `serve`
    /// overlay show.
    pub fn render_relative(&self, root: &Path, cat: &Catalogue) -> Vec<String> {
        let root_abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        self.sorted()
            .into_iter()
            .map(|mut d| {
                d.path = display_path(&root_abs, &std::fs::canonicalize(&d.path).unwrap_or(d.path.clone()));
                d.render(cat)
            })
            .collect()
    }
}

/// Makes a path relative to `root` for display, if it lies under it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}
