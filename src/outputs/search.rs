//! The search index: one JSON file per site and language, read by
//! `static/search.js` in the browser (and by `tests/search/run.mjs`).
//!
//! Chinese has no spaces between words, so a word index would need a
//! segmenter and a dictionary. The documents here are few (a province has
//! ~100 tracks and topics and a handful of notices), so the index simply
//! holds each document's text as written; the script normalises it once
//! (NFKC, lower case: full-width letters and digits become half-width) and
//! matches every query term as a substring. That finds `医保` inside
//! 提升医保数据赋能管理水平 and `disaster` inside "disasters", costs no
//! dictionary, and stays far under the 200 KB (gzipped) budget.
//!
//! The bytes are a pure function of the site: documents come in site order
//! (tracks, then each track's topics, then notices newest first), and
//! serde_json writes struct fields in declaration order.

use crate::model::{Notice, Site, Track};
use crate::schedule::Schedule;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A document's text is cut after this many characters: enough for the
/// whole of every notice the provinces have published (the longest is about
/// 6,000), a bound for a notice that pastes in a whole regulation.
pub const TEXT_CAP: usize = 20_000;

/// The index format's version, for the script.
pub const INDEX_VERSION: u32 = 1;

#[derive(Serialize, Debug, PartialEq)]
pub struct Index {
    /// Format version, for the script.
    pub version: u32,
    pub lang: String,
    pub tracks: Vec<IndexTrack>,
    pub docs: Vec<IndexDoc>,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct IndexTrack {
    pub id: String,
    pub name: String,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct IndexDoc {
    /// `track`, `topic` or `notice`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    /// Plain text: description, summary and body, without markup.
    pub text: String,
    /// Position in `tracks`, for tracks and topics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub track: Option<usize>,
    /// Relative to the language's home (`tracks/x/y/`).
    pub href: String,
}

pub use crate::markdown::plain_text;

fn cap(mut s: String) -> String {
    if s.len() <= TEXT_CAP {
        return s; // no more characters than bytes
    }
    if let Some((i, _)) = s.char_indices().nth(TEXT_CAP) {
        s.truncate(i);
    }
    s
}

fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The index of one language: every track and topic, and every notice
/// published at the schedule's "now".
///
/// `plain` gives a Markdown document's text ([`plain_text`], or a cache
/// of it such as [`crate::markdown::Markdown::plain`]).
pub fn index(site: &Site, sched: &Schedule, lang: &str, plain: &(dyn Fn(&str) -> String + Sync)) -> Index {
    use rayon::prelude::*;
    let default = site.default_lang();
    let (tracks, mut docs) = tracks_and_topics(site, lang, plain);
    // Notices are most of a big site's index: their text in parallel.
    let notices: Vec<&Notice> = sched.notices(site).map(|n| &**n).collect();
    docs.par_extend(notices.par_iter().filter_map(|n| notice_doc(n, lang, default, plain)));
    Index {
        version: INDEX_VERSION,
        lang: lang.to_string(),
        tracks,
        docs,
    }
}

/// The index's track list, and the documents of every track and topic.
fn tracks_and_topics(site: &Site, lang: &str, plain: &(dyn Fn(&str) -> String + Sync)) -> (Vec<IndexTrack>, Vec<IndexDoc>) {
    let default = site.default_lang();
    let text = |t: &crate::model::Text| t.show(lang, default);
    let tracks: Vec<IndexTrack> = site
        .tracks
        .iter()
        .map(|t| IndexTrack {
            id: t.id.clone(),
            name: text(&t.name),
        })
        .collect();
    let mut docs = Vec::new();
    for (ti, t) in site.tracks.iter().enumerate() {
        docs.push(IndexDoc {
            kind: "track",
            title: text(&t.name),
            text: cap(join(&[
                &t.guiding_unit.as_ref().map(text).unwrap_or_default(),
                &t.intro.as_ref().map(|i| plain(&text(i))).unwrap_or_default(),
            ])),
            track: Some(ti),
            href: format!("tracks/{}/", t.id),
        });
    }
    for (ti, t) in site.tracks.iter().enumerate() {
        for tp in &t.topics {
            let Some((doc, _)) = tp.text.get(lang, default) else { continue };
            docs.push(IndexDoc {
                kind: "topic",
                title: doc.title.clone(),
                text: cap(join(&[&group_name(t, tp.group.as_deref(), lang, default), &plain(&doc.body)])),
                track: Some(ti),
                href: format!("tracks/{}/{}/", t.id, tp.id),
            });
        }
    }
    (tracks, docs)
}

fn notice_doc(n: &Notice, lang: &str, default: &str, plain: &(dyn Fn(&str) -> String + Sync)) -> Option<IndexDoc> {
    let (t, _) = n.text.get(lang, default)?;
    Some(IndexDoc {
        kind: "notice",
        title: t.title.clone(),
        text: cap(join(&[
            n.doc_number.as_deref().unwrap_or(""),
            t.summary.as_deref().unwrap_or(""),
            &plain(&t.body),
        ])),
        track: None,
        href: format!("notices/{}/", n.slug),
    })
}

/// A notice (kept alive) and its index entry as escaped JSON.
type Entry = (Arc<Notice>, Arc<[u8]>);

/// Notices' entries as JSON, kept between the builds of one process
/// (`serve`), where an edit changes one notice of thousands. The key is
/// the notice's shared `Arc` (held by the entry, so its address cannot be
/// reused while the entry lives) and the language: a notice whose files
/// changed is loaded into a new `Arc`, so it never meets an old entry.
#[derive(Default)]
pub struct EntryCache {
    entries: Mutex<HashMap<(usize, String), Entry>>,
}

/// [`to_json`] of [`index`], the same bytes, put together from each
/// notice's entry, taken from `cache` when it has it (and kept there).
pub fn index_json(
    site: &Site,
    sched: &Schedule,
    lang: &str,
    plain: &(dyn Fn(&str) -> String + Sync),
    cache: Option<&EntryCache>,
) -> Vec<u8> {
    use rayon::prelude::*;
    let default = site.default_lang();
    let (tracks, docs) = tracks_and_topics(site, lang, plain);
    let notices: Vec<&Arc<Notice>> = sched.notices(site).collect();
    let key = |n: &Arc<Notice>| (Arc::as_ptr(n) as usize, lang.to_string());
    let entries: Vec<Option<Arc<[u8]>>> = notices
        .par_iter()
        .map(|n| {
            if let Some(cache) = cache {
                if let Some((_, json)) = cache.entries.lock().unwrap_or_else(|e| e.into_inner()).get(&key(n)) {
                    return Some(json.clone());
                }
            }
            // Each entry serialized on its own: the whole index never
            // exists as documents, JSON and escaped JSON at once.
            let json: Arc<[u8]> =
                crate::base::escape::json_for_html(serde_json::to_vec(&notice_doc(n, lang, default, plain)?).unwrap_or_default()).into();
            if let Some(cache) = cache {
                cache
                    .entries
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key(n), ((*n).clone(), json.clone()));
            }
            Some(json)
        })
        .collect();
    if let Some(cache) = cache {
        // Entries of notices no longer in the site (or changed) go.
        let live: std::collections::HashSet<(usize, String)> = notices.iter().map(|n| key(n)).collect();
        cache
            .entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|k, _| k.1 != lang || live.contains(k));
    }
    // `{"version":1,"lang":…,"tracks":[…],"docs":[…]}`, as serde writes
    // `Index` (`tests/search.rs` compares); escaping is byte by byte, so
    // escaping the parts is escaping the whole.
    let mut out = format!(r#"{{"version":{INDEX_VERSION},"lang":"#).into_bytes();
    out.extend(crate::base::escape::json_for_html(serde_json::to_vec(lang).unwrap_or_default()));
    out.extend_from_slice(br#","tracks":"#);
    out.extend(crate::base::escape::json_for_html(serde_json::to_vec(&tracks).unwrap_or_default()));
    out.extend_from_slice(br#","docs":["#);
    let docs: Vec<Arc<[u8]>> = docs
        .iter()
        .map(|d| crate::base::escape::json_for_html(serde_json::to_vec(d).unwrap_or_default()).into())
        .collect();
    out.reserve(docs.iter().chain(entries.iter().flatten()).map(|j| j.len() + 1).sum::<usize>() + 4);
    let mut first = true;
    for json in docs.into_iter().chain(entries.into_iter().flatten()) {
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(&json);
    }
    out.extend_from_slice(b"]}\n");
    out
}

fn group_name(t: &Track, group: Option<&str>, lang: &str, default: &str) -> String {
    group
        .and_then(|g| t.groups.iter().find(|x| x.id == g))
        .map(|g| g.name.show(lang, default))
        .unwrap_or_default()
}

/// The index as the bytes of `search/index.json`. `<`, `>` and `&` are
/// written as `\u003c`… (the same JSON): a title such as `<script>` is
/// never markup in the file, whatever a server or a browser sniffs it as.
pub fn to_json(index: &Index) -> Vec<u8> {
    let mut out = crate::base::escape::json_for_html(serde_json::to_vec(index).unwrap_or_default());
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_markup_and_keeps_words() {
        assert_eq!(
            plain_text("## 一、赛事名称\n\n2025年“数据要素×”大赛（**分赛**）\n\n- a [link](https://x.example/)\n- `code`\n\n<div>\nraw block\n</div>\n\n<b>inline</b> tags"),
            "一、赛事名称 2025年“数据要素×”大赛（分赛） a link code inline tags"
        );
        assert_eq!(plain_text("line one\nline two"), "line one line two");
        assert_eq!(plain_text(""), "");
    }

    #[test]
    fn text_is_capped_on_a_character_boundary() {
        let long = "数".repeat(TEXT_CAP + 10);
        assert_eq!(cap(long).chars().count(), TEXT_CAP);
        assert_eq!(cap("short".into()), "short");
    }
}
