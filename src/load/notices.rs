//! `notices/<slug>.<lang>.md` → notices, read in parallel, with a cache
//! that `serve` keeps between loads.
//!
//! A notice's language-neutral fields (date, number, category, draft,
//! publish_at, attachments) come from its default-language file; another
//! language may repeat them but not contradict them.

use super::docs::{lang_files, require_default};
use super::fields::{at_key, parse_date_field, parse_publish_at};
use super::raw::RawNoticeFront;
use super::read::load_doc_with;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use jiff::civil::Date;
use jiff::Timestamp;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Notices an earlier load parsed, kept while their files are unchanged
/// (`serve` reloads a site after every save; its thousands of notices are
/// most of the reading and parsing, and an edit touches one).
#[derive(Default)]
pub struct NoticeCache {
    /// notices folder → slug → what loading the notice gave.
    entries: Mutex<HashMap<PathBuf, HashMap<String, Loaded>>>,
}

/// What loading a notice gave, and what it depended on.
type Loaded = (NoticeStamp, Option<Arc<Notice>>, Diagnostics);

/// What a notice's loading depends on: the site's settings that notices
/// use, and each of its files' size and modification time.
#[derive(PartialEq)]
struct NoticeStamp {
    /// Site id, languages, time zone, attachment names: one per load,
    /// shared by every notice's stamp.
    site: Arc<(String, Vec<String>, String, Vec<String>)>,
    files: Vec<(PathBuf, u64, Option<std::time::SystemTime>)>,
}

impl NoticeCache {
    /// Forgets the notices of these files, whatever their stamps say (a
    /// file saved twice within the file system's clock tick keeps its
    /// modification time).
    pub fn forget(&self, paths: &[PathBuf]) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        for notices in entries.values_mut() {
            notices.retain(|_, (stamp, _, _)| !stamp.files.iter().any(|(p, _, _)| paths.iter().any(|c| c == p)));
        }
    }
}

/// A notice's language-neutral fields, as its default-language file gives them:
/// date, document number, category, draft, publish_at, attachment files.
type NoticeNeutral = (Date, Option<String>, NoticeCategory, bool, Option<Timestamp>, Vec<String>);

pub(super) fn load_notices(site: &Site, dir: &Path, diags: &mut Diagnostics, cache: Option<&NoticeCache>) -> Vec<Arc<Notice>> {
    use rayon::prelude::*;
    // Notices are the bulk of a site: read them in parallel, each with its
    // own diagnostics, merged in the (sorted) order of the files.
    let groups: Vec<_> = lang_files(dir, &site.languages, diags).into_iter().collect();
    let settings = Arc::new((
        site.id.clone(),
        site.languages.clone(),
        site.time_zone_name.clone(),
        site.files.keys().cloned().collect::<Vec<_>>(),
    ));
    // Stamps name files by their canonical path, as the watcher does.
    let canonical_dir = cache.map(|_| std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()));
    let slugs: std::collections::HashSet<String> = groups.iter().map(|(slug, _)| slug.clone()).collect();
    let loaded: Vec<(Option<Arc<Notice>>, Diagnostics)> = groups
        .into_par_iter()
        .map(|(slug, files)| {
            let stamp = canonical_dir.as_ref().map(|cd| NoticeStamp {
                site: settings.clone(),
                files: files
                    .values()
                    .map(|p| {
                        let m = std::fs::metadata(p).ok();
                        let canon = p.file_name().map_or_else(|| p.clone(), |f| cd.join(f));
                        (canon, m.as_ref().map_or(0, |m| m.len()), m.and_then(|m| m.modified().ok()))
                    })
                    .collect(),
            });
            let key = slug.clone();
            if let (Some(cache), Some(stamp)) = (cache, &stamp) {
                let entries = cache.entries.lock().unwrap_or_else(|e| e.into_inner());
                if let Some((s, n, d)) = entries.get(dir).and_then(|m| m.get(&key)) {
                    if s == stamp {
                        return (n.clone(), d.clone());
                    }
                }
            }
            let mut d = Diagnostics::default();
            let n = load_notice(site, dir, slug, &files, &mut d).map(Arc::new);
            if let (Some(cache), Some(stamp)) = (cache, stamp) {
                cache
                    .entries
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .entry(dir.to_path_buf())
                    .or_default()
                    .insert(key, (stamp, n.clone(), d.clone()));
            }
            (n, d)
        })
        .collect();
    if let Some(cache) = cache {
        // Notices deleted since: forgotten.
        let mut entries = cache.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(notices) = entries.get_mut(dir) {
            notices.retain(|slug, _| slugs.contains(slug));
        }
    }
    let mut notices = Vec::new();
    for (n, d) in loaded {
        diags.extend(d);
        notices.extend(n);
    }
    // Newest first; ties by slug so the order never depends on the disk.
    notices.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    notices
}

/// One notice from its files (language → path); `None` if it has errors.
fn load_notice(site: &Site, dir: &Path, slug: String, files: &BTreeMap<String, PathBuf>, diags: &mut Diagnostics) -> Option<Notice> {
    let langs = &site.languages;
    let default = &langs[0];
    {
        let mut texts = Translations::default();
        let mut neutral: Option<NoticeNeutral> = None;
        // Default language first: it holds the language-neutral fields.
        let mut order: Vec<&String> = files.keys().collect();
        order.sort_by_key(|l| *l != default);
        let mut ok = true;
        for lang in order {
            let path = &files[lang];
            let Some((front, body, text)) = load_doc_with::<RawNoticeFront>(path, diags) else {
                ok = false;
                // The other languages take their dates from this file:
                // checking them now would only repeat its problem.
                if lang == default {
                    break;
                }
                continue;
            };
            let RawNoticeFront {
                title,
                date,
                doc_number,
                issuers,
                category,
                summary,
                attachments,
                draft,
                publish_at,
            } = front;
            if title.trim().is_empty() {
                diags.push(at_key(
                    Diagnostic::error(path, msg!("title_empty")).hint(msg!("write_notice_s_title_after")),
                    &text,
                    "title",
                    "",
                ));
                ok = false;
            }
            let date_written = date.is_some();
            let date = match &date {
                Some(d) => parse_date_field(d, path, &text, "date", diags),
                None => None,
            };
            let publish_at = publish_at
                .as_deref()
                .and_then(|p| parse_publish_at(p, &site.time_zone, path, &text, diags));
            let files_named: Vec<String> = attachments.iter().map(|a| a.file.clone()).collect();
            for a in &attachments {
                if !site.files.contains_key(&a.file) {
                    diags.push(at_key(
                        Diagnostic::error(path, msg!("attachment_not_files_folder", arg0 = a.file))
                            .hint(msg!("put_file_into_content_files_correct", arg0 = site.id)),
                        &text,
                        "file",
                        &a.file,
                    ));
                    ok = false;
                }
            }
            if !ok && lang == default {
                // The other languages lean on this file: fix it first.
                break;
            }
            let this = NoticeText {
                title,
                summary,
                issuers,
                attachment_titles: attachments.into_iter().map(|a| a.title).collect(),
                body,
                path: path.clone(),
            };
            match &neutral {
                None => {
                    let Some(date) = date else {
                        // A date written wrongly was reported where it is written.
                        if !date_written {
                            diags.push(
                                Diagnostic::error(path, msg!("notice_has_no_date"))
                                    .at_in(&text, 2, 1)
                                    .hint(msg!("add_line_such_front_matter")),
                            );
                        }
                        ok = false;
                        break;
                    };
                    neutral = Some((
                        date,
                        doc_number,
                        category.unwrap_or(NoticeCategory::Notice),
                        draft.unwrap_or(false),
                        publish_at,
                        files_named,
                    ));
                }
                Some((d0, n0, c0, dr0, p0, f0)) => {
                    let clash = |what: &str| {
                        Diagnostic::error(path, msg!("differs_from_version_notice", what = what, default = default)).hint(msg!(
                            "write_once_md_remove_here",
                            what = what,
                            slug = slug,
                            default = default
                        ))
                    };
                    if date.is_some_and(|d| d != *d0) {
                        diags.push(at_key(clash("date"), &text, "date", ""));
                        ok = false;
                    }
                    if doc_number.as_ref().is_some_and(|n| Some(n) != n0.as_ref()) {
                        diags.push(at_key(clash("doc_number"), &text, "doc_number", ""));
                        ok = false;
                    }
                    if category.is_some_and(|c| c != *c0) {
                        diags.push(at_key(clash("category"), &text, "category", ""));
                        ok = false;
                    }
                    if draft.is_some_and(|d| d != *dr0) {
                        diags.push(at_key(clash("draft"), &text, "draft", ""));
                        ok = false;
                    }
                    if publish_at.is_some() && publish_at != *p0 {
                        diags.push(at_key(clash("publish_at"), &text, "publish_at", ""));
                        ok = false;
                    }
                    if !files_named.is_empty() && files_named != *f0 {
                        diags.push(at_key(clash("attachments"), &text, "attachments", ""));
                        ok = false;
                    }
                }
            }
            texts.by_lang.insert(lang.clone(), this);
        }
        if !ok || !require_default(&texts, default, &slug, dir, diags) {
            return None;
        }
        let (date, doc_number, category, draft, publish_at, attachments) = neutral?;
        // A translation that names no attachments gets the default's, untitled.
        for t in texts.by_lang.values_mut() {
            t.attachment_titles.resize(attachments.len(), None);
        }
        Some(Notice {
            slug,
            date,
            doc_number,
            category,
            draft,
            publish_at,
            attachments,
            text: texts,
        })
    }
}
