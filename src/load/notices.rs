//! `notices/<slug>.<lang>.md` → notices, read in parallel, with a cache
//! that `serve` keeps between loads.
//!
//! A notice's language-neutral fields (date, number, category, draft,
//! publish_at, attachments) come from its default-language file; another
//! language may repeat them but not contradict them. So each file is first
//! read on its own ([`NoticeFile`]: its text, and the neutral fields as it
//! writes them), then the first file gives the [`Neutral`] fields and the
//! others are held to them.

use super::docs::{lang_files, require_default};
use super::fields::{parse_date_field, parse_publish_at};
use super::raw::RawNoticeFront;
use super::read::load_doc_with;
use super::yaml::Source;
use crate::base::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use jiff::civil::Date;
use jiff::Timestamp;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

// ---------------------------------------------------------------- the cache

/// Notices an earlier load parsed, kept while their files are unchanged
/// (`serve` reloads a site after every save; its thousands of notices are
/// most of the reading and parsing, and an edit touches one).
#[derive(Default)]
pub struct NoticeCache {
    /// notices folder → slug → what loading the notice gave.
    entries: Mutex<HashMap<PathBuf, HashMap<String, Cached>>>,
}

/// What loading a notice gave: the notice, if it has no errors, and the
/// problems found.
type Loaded = (Option<Arc<Notice>>, Diagnostics);

/// What loading a notice gave, and what it depended on.
type Cached = (NoticeStamp, Option<Arc<Notice>>, Diagnostics);

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
        for notices in self.lock().values_mut() {
            notices.retain(|_, (stamp, _, _)| !stamp.files.iter().any(|(p, _, _)| paths.iter().any(|c| c == p)));
        }
    }

    /// The entries, even if a thread panicked while holding them.
    fn lock(&self) -> MutexGuard<'_, HashMap<PathBuf, HashMap<String, Cached>>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What loading the notice `slug` of `dir` gave, if its stamp is still
    /// `stamp`.
    fn get(&self, dir: &Path, slug: &str, stamp: &NoticeStamp) -> Option<Loaded> {
        let entries = self.lock();
        let (s, n, d) = entries.get(dir)?.get(slug)?;
        (s == stamp).then(|| (n.clone(), d.clone()))
    }

    fn put(&self, dir: &Path, slug: String, cached: Cached) {
        self.lock().entry(dir.to_path_buf()).or_default().insert(slug, cached);
    }

    /// Forgets the notices of `dir` that are no longer there.
    fn keep_only(&self, dir: &Path, slugs: &HashSet<String>) {
        if let Some(notices) = self.lock().get_mut(dir) {
            notices.retain(|slug, _| slugs.contains(slug));
        }
    }
}

/// Makes the stamps of one load's notices.
struct Stamper {
    site: Arc<(String, Vec<String>, String, Vec<String>)>,
    /// The notices folder, canonical: stamps name files by their canonical
    /// path, as the watcher does.
    dir: PathBuf,
}

impl Stamper {
    fn new(site: &Site, dir: &Path) -> Self {
        let settings = (
            site.id.clone(),
            site.languages.clone(),
            site.time_zone_name.clone(),
            site.files.keys().cloned().collect::<Vec<_>>(),
        );
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        Stamper {
            site: Arc::new(settings),
            dir,
        }
    }

    fn stamp(&self, files: &BTreeMap<String, PathBuf>) -> NoticeStamp {
        let file_stamp = |p: &PathBuf| {
            let m = std::fs::metadata(p).ok();
            let canon = p.file_name().map_or_else(|| p.clone(), |f| self.dir.join(f));
            (canon, m.as_ref().map_or(0, |m| m.len()), m.and_then(|m| m.modified().ok()))
        };
        NoticeStamp {
            site: self.site.clone(),
            files: files.values().map(file_stamp).collect(),
        }
    }
}

// ---------------------------------------------------------------- loading

/// Every notice of `dir`, newest first; from `cache` those whose files
/// have not changed.
pub(super) fn load_notices(site: &Site, dir: &Path, diags: &mut Diagnostics, cache: Option<&NoticeCache>) -> Vec<Arc<Notice>> {
    use rayon::prelude::*;
    // Notices are the bulk of a site: read them in parallel, each with its
    // own diagnostics, merged in the (sorted) order of the files.
    let groups: Vec<_> = lang_files(dir, &site.languages, diags).into_iter().collect();
    let slugs: HashSet<String> = groups.iter().map(|(slug, _)| slug.clone()).collect();
    let cache = cache.map(|c| (c, Stamper::new(site, dir)));
    let loaded: Vec<Loaded> = groups
        .into_par_iter()
        .map(|(slug, files)| match &cache {
            Some((cache, stamper)) => load_or_reuse(site, dir, slug, &files, cache, stamper),
            None => load_fresh(site, dir, slug, &files),
        })
        .collect();
    if let Some((cache, _)) = cache {
        // Notices deleted since: forgotten.
        cache.keep_only(dir, &slugs);
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

/// A notice as the cache has it, if its files are unchanged; else loaded,
/// and kept in the cache.
fn load_or_reuse(
    site: &Site,
    dir: &Path,
    slug: String,
    files: &BTreeMap<String, PathBuf>,
    cache: &NoticeCache,
    stamper: &Stamper,
) -> Loaded {
    let stamp = stamper.stamp(files);
    if let Some(hit) = cache.get(dir, &slug, &stamp) {
        return hit;
    }
    let key = slug.clone();
    let (n, d) = load_fresh(site, dir, slug, files);
    cache.put(dir, key, (stamp, n.clone(), d.clone()));
    (n, d)
}

fn load_fresh(site: &Site, dir: &Path, slug: String, files: &BTreeMap<String, PathBuf>) -> Loaded {
    let mut d = Diagnostics::default();
    let n = load_notice(site, dir, slug, files, &mut d).map(Arc::new);
    (n, d)
}

/// One notice from its files (language → path); `None` if it has errors.
fn load_notice(site: &Site, dir: &Path, slug: String, files: &BTreeMap<String, PathBuf>, diags: &mut Diagnostics) -> Option<Notice> {
    let default = &site.languages[0];
    let (mut texts, neutral) = read_languages(site, &slug, files, diags)?;
    if !require_default(&texts, default, &slug, dir, diags) {
        return None;
    }
    let Neutral {
        date,
        doc_number,
        category,
        draft,
        publish_at,
        attachments,
    } = neutral?;
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

/// Each language's file of a notice, the default language's first: the
/// texts, and the neutral fields the first file gives; `None` if a file
/// has a problem.
fn read_languages(
    site: &Site,
    slug: &str,
    files: &BTreeMap<String, PathBuf>,
    diags: &mut Diagnostics,
) -> Option<(Translations<NoticeText>, Option<Neutral>)> {
    let default = &site.languages[0];
    let mut texts = Translations::default();
    let mut neutral: Option<Neutral> = None;
    // Default language first: it holds the language-neutral fields.
    let mut order: Vec<&String> = files.keys().collect();
    order.sort_by_key(|l| *l != default);
    let mut ok = true;
    for lang in order {
        let path = &files[lang];
        let Some(file) = read_notice_file(site, path, diags) else {
            ok = false;
            // The other languages take their dates from this file:
            // checking them now would only repeat its problem.
            if lang == default {
                break;
            }
            continue;
        };
        let NoticeFile {
            text,
            written,
            source,
            fine,
        } = file;
        ok &= fine;
        if !ok && lang == default {
            // The other languages lean on this file: fix it first.
            break;
        }
        match &neutral {
            None => {
                let Some(n) = written.into_neutral(path, &source, diags) else {
                    ok = false;
                    break;
                };
                neutral = Some(n);
            }
            Some(n) => ok &= written.agrees_with(n, path, &source, slug, default, diags),
        }
        texts.by_lang.insert(lang.clone(), text);
    }
    ok.then_some((texts, neutral))
}

/// One language's file of a notice, read and checked on its own.
struct NoticeFile {
    text: NoticeText,
    written: Written,
    /// The file's whole text, for pointing at its fields.
    source: Source,
    /// No problem with its title or attachments.
    fine: bool,
}

/// A notice's language-neutral fields, as its first file (the default
/// language's) gives them.
struct Neutral {
    date: Date,
    doc_number: Option<String>,
    category: NoticeCategory,
    draft: bool,
    publish_at: Option<Timestamp>,
    /// The attachments' file names.
    attachments: Vec<String>,
}

/// The language-neutral fields as one file writes them (any may be left
/// out, or be written wrongly and already reported).
struct Written {
    date: Option<Date>,
    /// A date is written, well or not.
    date_written: bool,
    doc_number: Option<String>,
    category: Option<NoticeCategory>,
    draft: Option<bool>,
    publish_at: Option<Timestamp>,
    attachments: Vec<String>,
}

/// Reads one language's file of a notice and checks what it can on its
/// own; `None` if it cannot be read or parsed.
fn read_notice_file(site: &Site, path: &Path, diags: &mut Diagnostics) -> Option<NoticeFile> {
    let super::read::Doc { front, source, body, .. } = load_doc_with::<RawNoticeFront>(path, diags)?;
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
    let mut fine = true;
    if title.trim().is_empty() {
        let d = Diagnostic::error(path, msg!("title_empty")).hint(msg!("write_notice_s_title_after"));
        diags.push(source.at(d, "title"));
        fine = false;
    }
    let date_written = date.is_some();
    let date = date.and_then(|d| parse_date_field(&d, path, &source, "date", diags));
    let publish_at = publish_at.and_then(|p| parse_publish_at(&p, &site.time_zone, path, &source, diags));
    for (i, a) in attachments.iter().enumerate().filter(|(_, a)| !site.files.contains_key(&a.file)) {
        let d = Diagnostic::error(path, msg!("attachment_not_files_folder", arg0 = a.file))
            .hint(msg!("put_file_into_content_files_correct", arg0 = site.id));
        diags.push(source.at(d, &format!("attachments.{i}.file")));
        fine = false;
    }
    let written = Written {
        date,
        date_written,
        doc_number,
        category,
        draft,
        publish_at,
        attachments: attachments.iter().map(|a| a.file.clone()).collect(),
    };
    let text = NoticeText {
        title,
        summary,
        issuers,
        attachment_titles: attachments.into_iter().map(|a| a.title).collect(),
        body,
        path: path.to_path_buf(),
    };
    Some(NoticeFile {
        text,
        written,
        source,
        fine,
    })
}

impl Written {
    /// The first file's fields become the notice's; it must have a date.
    fn into_neutral(self, path: &Path, source: &Source, diags: &mut Diagnostics) -> Option<Neutral> {
        let Written {
            date,
            date_written,
            doc_number,
            category,
            draft,
            publish_at,
            attachments,
        } = self;
        let Some(date) = date else {
            // A date written wrongly was reported where it is written.
            if !date_written {
                let d = Diagnostic::error(path, msg!("notice_has_no_date")).hint(msg!("add_line_such_front_matter"));
                diags.push(source.at(d, ""));
            }
            return None;
        };
        Some(Neutral {
            date,
            doc_number,
            category: category.unwrap_or(NoticeCategory::Notice),
            draft: draft.unwrap_or(false),
            publish_at,
            attachments,
        })
    }

    /// Another language's file may leave the neutral fields out or repeat
    /// them, not contradict them: an error at each that differs.
    fn agrees_with(&self, n: &Neutral, path: &Path, source: &Source, slug: &str, default: &str, diags: &mut Diagnostics) -> bool {
        let differs = [
            ("date", self.date.is_some_and(|d| d != n.date)),
            (
                "doc_number",
                self.doc_number.as_ref().is_some_and(|d| Some(d) != n.doc_number.as_ref()),
            ),
            ("category", self.category.is_some_and(|c| c != n.category)),
            ("draft", self.draft.is_some_and(|d| d != n.draft)),
            ("publish_at", self.publish_at.is_some() && self.publish_at != n.publish_at),
            ("attachments", !self.attachments.is_empty() && self.attachments != n.attachments),
        ];
        let mut fine = true;
        for (what, _) in differs.into_iter().filter(|(_, differs)| *differs) {
            let d = Diagnostic::error(path, msg!("differs_from_version_notice", what = what, default = default)).hint(msg!(
                "write_once_md_remove_here",
                what = what,
                slug = slug,
                default = default
            ));
            diags.push(source.at(d, what));
            fine = false;
        }
        fine
    }
}
