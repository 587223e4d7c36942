//! Placeholders in messages and interface strings: `{n} days left`.
//!
//! One pass over the template: a value is copied as it is, never searched
//! for placeholders itself, so a name such as "测试{n}局" stays as written
//! (substituting one placeholder after another would fill it again).

/// `template` with each `{name}` of `args` replaced by its value; unknown
/// placeholders and lone braces are kept.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .and_then(|close| args.iter().find(|(k, _)| *k == &after[..close]).map(|(_, v)| (close, v)));
        match value {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn placeholders_are_filled_once_and_values_are_kept_as_written() {
        assert_eq!(fill("{n} days left", &[("n", "4")]), "4 days left");
        assert_eq!(fill("还剩{n}天", &[("n", "4")]), "还剩4天");
        // A value that holds a placeholder is not filled again.
        assert_eq!(fill("{name}：第{n}局", &[("name", "测试{n}局"), ("n", "5")]), "测试{n}局：第5局");
        assert_eq!(fill("{a}{b}", &[("a", "{b}"), ("b", "x")]), "{b}x");
        // Unknown placeholders and stray braces stay.
        assert_eq!(fill("{x} {n} {", &[("n", "1")]), "{x} 1 {");
        assert_eq!(fill("{{n}}", &[("n", "1")]), "{1}");
        assert_eq!(fill("", &[]), "");
    }
}
