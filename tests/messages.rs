//! The message catalogues: both complete, nothing used that is missing,
//! nothing kept that is unused.

use podium::base::diag::Catalogue;
use std::collections::BTreeSet;

/// Keys the renderer uses directly, not through `msg!`.
const WORDS: &[&str] = &["hint", "severity_error", "severity_warning"];

fn used_keys() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for e in walkdir::WalkDir::new(src) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(e.path()).unwrap();
            for part in text.split("msg!(").skip(1) {
                let Some(part) = part.trim_start().strip_prefix('"') else {
                    continue;
                };
                let key: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                if part[key.len()..].starts_with('"') && key != "key" {
                    keys.insert(key);
                }
            }
            // Words of kinds, passed as `…_kind` placeholders (`"kind_list"`).
            for part in text.split("\"kind_").skip(1) {
                let rest: String = part.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if !rest.is_empty() && part[rest.len()..].starts_with('"') {
                    keys.insert(format!("kind_{rest}"));
                }
            }
        }
    }
    keys
}

#[test]
fn both_catalogues_have_the_same_messages() {
    let en: BTreeSet<String> = Catalogue::get("en").keys().cloned().collect();
    let zh: BTreeSet<String> = Catalogue::get("zh").keys().cloned().collect();
    assert!(en.len() > 100, "the English catalogue did not load");
    let only_en: Vec<_> = en.difference(&zh).collect();
    let only_zh: Vec<_> = zh.difference(&en).collect();
    assert!(
        only_en.is_empty() && only_zh.is_empty(),
        "only in en: {only_en:?}\nonly in zh: {only_zh:?}"
    );
}

#[test]
fn every_message_used_is_in_the_catalogue_and_every_entry_is_used() {
    let used = used_keys();
    let en: BTreeSet<String> = Catalogue::get("en").keys().cloned().collect();
    let missing: Vec<_> = used.difference(&en).collect();
    assert!(missing.is_empty(), "used in src/ but not in the catalogues: {missing:?}");
    let unused: Vec<_> = en.iter().filter(|k| !used.contains(*k) && !WORDS.contains(&k.as_str())).collect();
    assert!(unused.is_empty(), "in the catalogues but never used: {unused:?}");
}

#[test]
fn placeholders_match_between_languages() {
    let (en, zh) = (Catalogue::get("en"), Catalogue::get("zh"));
    let holes = |s: &str| -> BTreeSet<String> {
        s.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}'))
            .map(|(n, _)| n.to_string())
            .filter(|n| n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .collect()
    };
    for k in en.keys() {
        let m = podium::base::diag::Msg::new(Box::leak(k.clone().into_boxed_str()), vec![]);
        assert_eq!(holes(&en.text(&m)), holes(&zh.text(&m)), "placeholders of `{k}` differ");
    }
}
