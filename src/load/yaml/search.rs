//! Where words are written in a YAML text, found by searching it: for a
//! text the position-keeping parser could not read (spans.rs is the first
//! choice), and for places named by words rather than by a path (the key
//! serde calls unknown).

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

/// Where `key:` is written, nearest to the line the parser named.
pub(super) fn locate_key_near(text: &str, key: &str, around: usize) -> Option<(usize, usize)> {
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
pub(super) fn locate_value_near(text: &str, value: &str, around: usize) -> Option<(usize, usize)> {
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

/// The 1-based line and column of the first occurrence of `needle`.
pub(super) fn find_text(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .find_map(|(i, l)| l.find(needle).map(|b| (i + 1, l[..b].chars().count() + 1)))
}
