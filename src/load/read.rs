//! A file's text, checked and parsed: UTF-8 (with a hint for GBK), control
//! characters, front matter, YAML, unsafe links.
//!
//! Every loader reads through here, so a file's encoding and the safety of
//! what it holds are checked once, the same way, wherever it is.

use super::yaml::{self, Source};
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::msg;
use std::path::Path;

/// A file's text, as the editor saved it, ready to parse: UTF-8 checked (with
/// a hint for GBK), a BOM dropped, CRLF turned into LF.
pub fn read_text(path: &Path, diags: &mut Diagnostics) -> Option<String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(path, msg!("cannot_read_file", e = e)));
            return None;
        }
    };
    let text = decode(&bytes, path).map_err(|d| diags.push(d)).ok()?;
    forbidden_in_file(&text, path, diags);
    Some(text)
}

/// Control characters written into a file as they are (copied from a
/// terminal or a word processor): an error at each line that has one.
fn forbidden_in_file(text: &str, path: &Path, diags: &mut Diagnostics) {
    const MOST: usize = 20;
    let found = crate::base::safety::forbidden_chars(text);
    let mut lines = std::collections::BTreeSet::new();
    for (offset, c) in &found {
        let (line, col) = crate::base::safety::position(text, *offset);
        if lines.insert(line) && lines.len() <= MOST {
            diags.push(
                Diagnostic::error(path, msg!("control_character", c = crate::base::safety::describe(*c)))
                    .at_in(text, line, col)
                    .hint(msg!("hint_control_character")),
            );
        }
    }
    if lines.len() > MOST {
        diags.push(Diagnostic::error(path, msg!("control_characters_more", n = lines.len() - MOST)).hint(msg!("hint_control_character")));
    }
}

/// Links in a Markdown body whose address is not safe, and character
/// references that make control characters: an error where each is
/// written (`body` is a part of the file's `text`).
pub fn unsafe_links_in(text: &str, body: &str, path: &Path, diags: &mut Diagnostics) {
    use crate::base::safety::MarkdownProblem;
    let start = (body.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    for (offset, problem) in crate::base::safety::markdown_problems(body) {
        let (line, col) = crate::base::safety::position(text, start + offset);
        let d = match problem {
            MarkdownProblem::UnsafeUrl(url) => {
                Diagnostic::error(path, msg!("unsafe_url", url = url.escape_debug())).hint(msg!("hint_unsafe_url"))
            }
            MarkdownProblem::Control(c) => {
                Diagnostic::error(path, msg!("control_reference", c = crate::base::safety::describe(c))).hint(msg!("hint_control_escape"))
            }
        };
        diags.push(d.at_in(text, line, col));
    }
}

/// A file's bytes → its text: a BOM dropped, CRLF and CR turned into LF;
/// not UTF-8 is an error at the first bad byte (saying so when it looks
/// like GBK, the usual other encoding of a Chinese editor's files).
pub fn decode(bytes: &[u8], path: &Path) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(if s.contains('\r') {
            s.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            s.to_string()
        }),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            let line = text.matches('\n').count() + 1;
            let col = text.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
            let gbk = looks_like_gbk(&bytes[e.valid_up_to()..]);
            let msg = if gbk { msg!("not_utf8_gbk") } else { msg!("not_utf8") };
            Err(Diagnostic::error(path, msg)
                .at(line, col)
                .hint(msg!("save_file_with_utf_8_encoding")))
        }
    }
}

/// GBK double-byte characters: lead byte 0x81–0xFE, trail byte 0x40–0xFE.
fn looks_like_gbk(rest: &[u8]) -> bool {
    let mut i = 0;
    let mut pairs = 0;
    while i + 1 < rest.len() && i < 64 {
        let (a, b) = (rest[i], rest[i + 1]);
        if a < 0x80 {
            i += 1;
            continue;
        }
        if (0x81..=0xFE).contains(&a) && (0x40..=0xFE).contains(&b) && b != 0x7F {
            pairs += 1;
            i += 2;
        } else {
            return false;
        }
    }
    pairs > 0
}

/// The entries of a folder, sorted by name (an unreadable or missing
/// folder has none), so that what is loaded never depends on the disk's
/// order.
pub(super) fn sorted_entries(dir: &Path) -> Vec<std::fs::DirEntry> {
    let mut entries: Vec<_> = std::fs::read_dir(dir).into_iter().flatten().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    entries
}

/// Reads and parses a whole YAML file; problems go to `diags`. Returns the
/// value and its source (for pointing at later problems).
pub(super) fn load_yaml<T: serde::de::DeserializeOwned>(path: &Path, diags: &mut Diagnostics) -> Option<(T, Source)> {
    let text = read_text(path, diags)?;
    let (value, source) = yaml::parse(&text, path, 1).map_err(|d| diags.extend_from(d)).ok()?;
    diags.extend_from(yaml::unsafe_values(&text, path, 1));
    Some((value, source))
}

/// A Markdown file split into its front matter and body.
pub struct FrontMatter<'a> {
    pub yaml: &'a str,
    /// Line of the file on which the YAML starts (1-based).
    pub yaml_line: usize,
    pub body: &'a str,
}

pub fn split_front_matter<'a>(text: &'a str, path: &Path) -> Result<FrontMatter<'a>, Diagnostic> {
    let Some(rest) = text.strip_prefix("---\n").or_else(|| if text == "---" { Some("") } else { None }) else {
        return Err(Diagnostic::error(path, msg!("file_does_not_start_with_front"))
            .at_in(text, 1, 1)
            .hint(msg!("start_file_with_line_fields_another")));
    };
    // The closing line is `---` alone; it may be the first line of `rest`.
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(FrontMatter { yaml, yaml_line: 2, body });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(path, msg!("front_matter_never_closed"))
        .at_in(text, 1, 1)
        .hint(msg!("add_line_after_last_field_before")))
}

/// A Markdown file read with its front matter parsed.
pub(super) struct Doc<T> {
    pub front: T,
    /// The front matter's source (for pointing at its fields).
    pub source: Source,
    pub body: String,
}

/// Reads a Markdown file with front matter; problems, unsafe links in the
/// body among them, go to `diags`.
pub(super) fn load_doc_with<T: serde::de::DeserializeOwned>(path: &Path, diags: &mut Diagnostics) -> Option<Doc<T>> {
    let text = read_text(path, diags)?;
    let fm = split_front_matter(&text, path).map_err(|d| diags.push(d)).ok()?;
    let (front, source) = yaml::parse::<T>(fm.yaml, path, fm.yaml_line)
        .map_err(|d| diags.extend_from(d))
        .ok()?;
    diags.extend_from(yaml::unsafe_values(fm.yaml, path, fm.yaml_line));
    unsafe_links_in(&text, fm.body, path, diags);
    let body = fm.body.to_string();
    Some(Doc { front, source, body })
}

#[cfg(test)]
mod tests {
    use crate::load::read::{decode, split_front_matter};
    use std::path::Path;

    #[test]
    fn front_matter_positions_are_file_lines() {
        let text = "---\ntitle: x\n---\nbody\n";
        let fm = split_front_matter(text, Path::new("a.md")).unwrap();
        assert_eq!(fm.yaml, "title: x\n");
        assert_eq!(fm.yaml_line, 2);
        assert_eq!(fm.body, "body\n");
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        let e = split_front_matter("---\ntitle: x\nbody\n", Path::new("a.md")).err().unwrap();
        assert_eq!(e.message.key, "front_matter_never_closed");
        let e = split_front_matter("---\n\n---", Path::new("a.md"));
        assert!(e.is_ok());
    }

    #[test]
    fn gbk_is_detected_and_bom_crlf_accepted() {
        // "标题" in GBK
        let gbk = b"title: \xb1\xea\xcc\xe2\n";
        let e = decode(gbk, Path::new("a.yaml")).unwrap_err();
        assert_eq!(e.message.key, "not_utf8_gbk");
        assert_eq!((e.line, e.col), (1, 8));
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1\r\nb: 2\r\n", Path::new("a")).unwrap(), "a: 1\nb: 2\n");
    }
}
