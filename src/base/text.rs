//! Names close to a misspelt one: the hint "did you mean …?".

use crate::msg;

/// A hint for a name that does not exist: the nearest known one, if any is
/// close, and the list of known names.
pub fn suggestion(word: &str, known: &[String]) -> crate::base::diag::Msg {
    match nearest(word, known) {
        Some(best) => msg!("hint_did_you_mean", best = best, known = known.join(", ")),
        None => msg!("hint_known", known = known.join(", ")),
    }
}

/// The known name closest to `word` by edit distance, if it is close enough.
pub fn nearest<'a>(word: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(2) / 2).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_suggests_close_names_only() {
        let c: Vec<String> = ["title", "date", "summary"].iter().map(|s| s.to_string()).collect();
        assert_eq!(nearest("titel", &c), Some("title"));
        assert_eq!(nearest("xyzzyq", &c), None);
    }
}
