//! Discover and parse: files under `sites/<id>/` and `content/<id>/` into a
//! resolved [`Site`], collecting every problem on the way.
//!
//! Raw serde structs mirror the files field for field (`deny_unknown_fields`,
//! so a misspelt field is an error with a suggestion) and are destructured
//! without `..` when resolved, so a new field nobody handles does not compile.
//! Resolution never stops at the first problem: it records a diagnostic,
//! skips the broken piece, and carries on, so one run reports everything.

pub mod yaml;

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::base::time::{self, DateError, DaySpan};
use crate::model::*;
use crate::msg;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

// ---------------------------------------------------------------- raw files

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    name: Text,
    short_name: Option<Text>,
    organizer: Option<Text>,
    #[serde(default)]
    co_organizers: Vec<Text>,
    theme: Option<Text>,
    base_url: String,
    languages: Vec<String>,
    time_zone: Option<String>,
    publicity_days: Option<i64>,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    registration_url: Option<String>,
    #[serde(default)]
    contacts: Vec<RawContact>,
    filing: Option<Filing>,
    #[serde(default)]
    example: bool,
    #[serde(default)]
    allow_html: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContact {
    name: Option<Text>,
    people: Option<Text>,
    #[serde(default)]
    phone: OneOrMany,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    email: Option<String>,
    address: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNoticeFront {
    #[serde(deserialize_with = "crate::base::strict::text")]
    title: String,
    date: Option<String>,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    doc_number: Option<String>,
    #[serde(default, deserialize_with = "crate::base::strict::texts")]
    issuers: Vec<String>,
    category: Option<NoticeCategory>,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    summary: Option<String>,
    #[serde(default)]
    attachments: Vec<RawAttachment>,
    draft: Option<bool>,
    publish_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttachment {
    #[serde(deserialize_with = "crate::base::strict::text")]
    file: String,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    title: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTitleFront {
    #[serde(deserialize_with = "crate::base::strict::text")]
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOptionalTitleFront {
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    title: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPageFront {
    #[serde(deserialize_with = "crate::base::strict::text")]
    title: String,
    menu: Option<i32>,
    draft: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrack {
    number: u32,
    name: Text,
    guiding_unit: Option<Text>,
    intro: Option<Text>,
    #[serde(default)]
    groups: Vec<RawGroup>,
    #[serde(default)]
    topics: Vec<RawTopicRef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    id: String,
    name: Text,
    intro: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopicRef {
    id: String,
    number: u32,
    group: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeline {
    #[serde(default)]
    stages: Vec<RawStage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    id: String,
    kind: StageKind,
    name: Text,
    start: Option<String>,
    end: Option<String>,
    approx: Option<Text>,
    description: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAwards {
    levels: Vec<RawLevel>,
    #[serde(default)]
    counts: BTreeMap<String, u32>,
    #[serde(default)]
    track_counts: BTreeMap<String, BTreeMap<String, u32>>,
    #[serde(default)]
    special: Vec<RawSpecial>,
    national_final: Option<RawNationalFinal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    id: String,
    name: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpecial {
    name: Text,
    count: Option<u32>,
    count_text: Option<Text>,
    description: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNationalFinal {
    places: u32,
    note: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriteria {
    levels: Option<BTreeMap<String, Vec<String>>>,
    items: Vec<RawCriterion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    name: Text,
    description: Option<Text>,
    weight: Option<f64>,
    #[serde(default)]
    children: Vec<RawCriterion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublicity {
    kind: PublicityKind,
    title: Text,
    stage: Option<String>,
    start: Option<String>,
    end: Option<String>,
    intro: Option<Text>,
    objection: Option<RawObjection>,
    #[serde(default)]
    entries: Vec<RawEntry>,
    draft: Option<bool>,
    publish_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjection {
    text: Option<Text>,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    email: Option<String>,
    #[serde(default, deserialize_with = "crate::base::strict::opt_text")]
    phone: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    track: Option<String>,
    level: Option<String>,
    project: Text,
    entrant: Text,
}

// ---------------------------------------------------------------- reading

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

/// Reads and parses a whole YAML file; problems go to `diags`. Returns the
/// value and the text (for locating later problems).
fn load_yaml<T: serde::de::DeserializeOwned>(path: &Path, diags: &mut Diagnostics) -> Option<(T, String)> {
    let text = read_text(path, diags)?;
    let value = yaml::parse(&text, path, 1).map_err(|d| diags.push(d)).ok()?;
    diags.extend_from(yaml::unsafe_values(&text, path, 1));
    Some((value, text))
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

/// `<slug>.<lang>.md` → (slug, lang).
fn lang_file(name: &str) -> Option<(&str, &str)> {
    let stem = name.strip_suffix(".md")?;
    let (slug, lang) = stem.rsplit_once('.')?;
    Some((slug, lang))
}

/// Ids become URLs and folder names: lowercase ASCII, digits and `-`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

fn suggest_id(id: &str) -> String {
    let mut s = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_string()
}

fn id_problem(path: &Path, text: Option<&str>, key: &str, id: &str) -> Diagnostic {
    let pos = text.and_then(|t| yaml::locate(t, key, id));
    let mut d = Diagnostic::error(path, msg!("cannot_used_id_becomes_part_web", id = id));
    if let (Some(t), Some((l, c))) = (text, pos) {
        d = d.at_in(t, l, c);
    }
    let s = suggest_id(id);
    let hint = if s.is_empty() {
        msg!("hint_id_chars")
    } else {
        msg!("hint_rename_id", suggest = s)
    };
    d.hint(hint)
}

/// Where to point for a problem with `key: value` in a YAML text.
fn at_key(d: Diagnostic, text: &str, key: &str, value: &str) -> Diagnostic {
    match yaml::locate(text, key, value) {
        Some((l, c)) => d.at_in(text, l, c),
        None => d,
    }
}

fn date_problem(e: DateError, path: &Path, text: &str, key: &str, value: &str) -> Diagnostic {
    let d = match e {
        DateError::Impossible => {
            Diagnostic::error(path, msg!("not_day_calendar", value = value)).hint(msg!("check_month_day_february_has_28"))
        }
        DateError::NotIso { suggest: Some(s) } => {
            Diagnostic::error(path, msg!("date_not_form_yyyy_mm_dd", value = value)).hint(msg!("hint_write_iso_date", key = key, s = s))
        }
        DateError::NotIso { suggest: None } => {
            Diagnostic::error(path, msg!("not_date", value = value)).hint(msg!("write_date_yyyy_mm_dd_2025"))
        }
        DateError::TooLate => {
            Diagnostic::error(path, msg!("date_too_late", value = value, last = time::LAST_DATE)).hint(msg!("hint_date_too_late"))
        }
        DateError::BadOffset { offset } => {
            Diagnostic::error(path, msg!("offset_unreal", value = value, offset = offset)).hint(msg!("hint_offset_unreal"))
        }
    };
    at_key(d, text, key, value)
}

fn parse_date_field(value: &str, path: &Path, text: &str, key: &str, diags: &mut Diagnostics) -> Option<Date> {
    time::parse_date(value)
        .map_err(|e| diags.push(date_problem(e, path, text, key, value)))
        .ok()
}

fn parse_publish_at(value: &str, tz: &TimeZone, path: &Path, text: &str, diags: &mut Diagnostics) -> Option<Timestamp> {
    match time::parse_instant_or_date(value, tz) {
        Ok(t) => Some(t),
        Err(DateError::NotIso { suggest: None }) => {
            diags.push(at_key(
                Diagnostic::error(path, msg!("not_date_time", value = value)).hint(msg!("hint_write_publish_at")),
                text,
                "publish_at",
                value,
            ));
            None
        }
        Err(e) => {
            diags.push(date_problem(e, path, text, "publish_at", value));
            None
        }
    }
}

// ---------------------------------------------------------------- sites

/// Lists the site ids under `root/sites/`, sorted.
pub fn site_ids(root: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(root.join("sites"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("site.yaml").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

/// Loads one site. Returns `None` when it has errors (all in `diags`).
pub fn load_site(root: &Path, id: &str, diags: &mut Diagnostics) -> Option<Site> {
    load_site_cached(root, id, diags, None)
}

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

/// [`load_site`], reusing the notices of `cache` whose files are unchanged.
pub fn load_site_cached(root: &Path, id: &str, diags: &mut Diagnostics, cache: Option<&NoticeCache>) -> Option<Site> {
    let site_path = root.join("sites").join(id).join("site.yaml");
    let mut local = Diagnostics::default();
    if !valid_id(id) {
        local.push(
            Diagnostic::error(root.join("sites").join(id), msg!("site_folder_name_cannot_used_web", id = id))
                .hint(msg!("rename_folder", arg0 = suggest_id(id))),
        );
    }
    let Some(text) = read_text(&site_path, &mut local) else {
        diags.extend(local);
        return None;
    };
    let raw: RawSite = match yaml::parse(&text, &site_path, 1) {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            diags.extend(local);
            return None;
        }
    };
    local.extend_from(yaml::unsafe_values(&text, &site_path, 1));
    let mut site = resolve_site(id, raw, &site_path, &text, &mut local);
    let content = root.join("content").join(id);
    if !content.is_dir() {
        local.push(
            Diagnostic::error(&content, msg!("site_has_no_content_folder")).hint(msg!("create_folder_content_see_docs_content", id = id)),
        );
    } else {
        load_content(&mut site, &content, &mut local, cache);
    }
    let failed = local.has_errors();
    diags.extend(local);
    if failed {
        None
    } else {
        Some(site)
    }
}

fn resolve_site(id: &str, raw: RawSite, path: &Path, text: &str, diags: &mut Diagnostics) -> Site {
    let RawSite {
        name,
        short_name,
        organizer,
        co_organizers,
        theme,
        base_url,
        languages,
        time_zone,
        publicity_days,
        registration_url,
        contacts,
        filing,
        example,
        allow_html,
    } = raw;
    // The home page's main button: a web address, nothing else.
    let registration_url = registration_url.filter(|u| {
        let ok = matches!(crate::base::safety::scheme(u).as_deref(), Some("http" | "https"));
        if !ok {
            diags.push(at_key(
                Diagnostic::error(path, msg!("registration_url_not_web", url = u.escape_debug())).hint(msg!("hint_registration_url")),
                text,
                "registration_url",
                "",
            ));
        }
        ok
    });
    let tz_name = time_zone.unwrap_or_else(|| "Asia/Shanghai".to_string());
    let tz = match TimeZone::get(&tz_name) {
        Ok(tz) => tz,
        Err(_) => {
            diags.push(at_key(
                Diagnostic::error(path, msg!("not_known_time_zone", tz_name = tz_name)).hint(msg!("use_iana_name_such")),
                text,
                "time_zone",
                &tz_name,
            ));
            TimeZone::UTC
        }
    };
    let mut languages = languages;
    if languages.is_empty() {
        diags.push(at_key(
            Diagnostic::error(path, msg!("site_lists_no_languages")).hint(msg!("write_first_default")),
            text,
            "languages",
            "",
        ));
        languages.push("zh".into());
    }
    let mut seen = BTreeSet::new();
    for l in &languages {
        if !seen.insert(l.clone()) {
            diags.push(at_key(
                Diagnostic::error(path, msg!("language_listed_twice", l = l)),
                text,
                "languages",
                "",
            ));
        }
        if !(l.len() >= 2 && l.len() <= 8 && l.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')) {
            diags.push(at_key(
                Diagnostic::error(path, msg!("not_language_code", l = l)).hint(msg!("use_codes_such")),
                text,
                "languages",
                "",
            ));
        }
    }
    let base_url = normalize_base_url(&base_url).unwrap_or_else(|| {
        diags.push(at_key(
            Diagnostic::error(path, msg!("not_absolute_web_address", base_url = base_url)).hint(msg!("write_address_site_published_at")),
            text,
            "base_url",
            &base_url,
        ));
        "https://example.invalid/".to_string()
    });
    let publicity_days = publicity_days.unwrap_or(7);
    if !(1..=366).contains(&publicity_days) {
        diags.push(at_key(
            Diagnostic::error(path, msg!("publicity_period_days_not_possible", publicity_days = publicity_days))
                .hint(msg!("usual_period_7_days")),
            text,
            "publicity_days",
            "",
        ));
    }
    let contacts = contacts
        .into_iter()
        .map(|c| {
            let RawContact {
                name,
                people,
                phone,
                email,
                address,
            } = c;
            Contact {
                name,
                people,
                phone: phone.0,
                email,
                address,
            }
        })
        .collect();
    let short_name = short_name.unwrap_or_else(|| name.clone());
    Site {
        id: id.to_string(),
        name,
        short_name,
        organizer,
        co_organizers,
        theme,
        base_url,
        languages,
        time_zone: tz,
        time_zone_name: tz_name,
        publicity_days: publicity_days.clamp(1, 366),
        registration_url,
        contacts,
        filing,
        example,
        allow_html,
        home: Translations::default(),
        notices: Vec::new(),
        tracks: Vec::new(),
        stages: Vec::new(),
        awards: None,
        criteria: None,
        publicity: Vec::new(),
        pages: Vec::new(),
        files: BTreeMap::new(),
        site_yaml: path.to_path_buf(),
        content_dir: path
            .parent()
            .and_then(Path::parent)
            .and_then(Path::parent)
            .map(|r| r.join("content").join(id))
            .unwrap_or_default(),
    }
}

/// `https://host/path` → `https://host/path/`; `None` unless http(s).
pub fn normalize_base_url(s: &str) -> Option<String> {
    let s = s.trim();
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return None;
    }
    Some(if s.ends_with('/') { s.to_string() } else { format!("{s}/") })
}

// ---------------------------------------------------------------- content

fn load_content(site: &mut Site, dir: &Path, diags: &mut Diagnostics, cache: Option<&NoticeCache>) {
    let langs = site.languages.clone();
    // Attachments first: notices refer to them.
    let files_dir = dir.join("files");
    if files_dir.is_dir() {
        // Hidden files and folders (`.env`, `.git/`, an editor's swap
        // file) are never attachments.
        let walk = walkdir::WalkDir::new(&files_dir).sort_by_file_name().into_iter();
        let visible = walk.filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for e in visible.flatten() {
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(&files_dir).unwrap_or(e.path());
                let name = rel.to_string_lossy().replace('\\', "/");
                site.files.insert(name, e.path().to_path_buf());
            }
        }
    }
    site.home = load_optional_doc(dir, "home", &langs, diags);
    site.notices = load_notices(site, &dir.join("notices"), diags, cache);
    // What failed to load is still "known": references to it are not
    // reported again, so an editor sees one problem, not its echoes.
    let mut broken = Broken::default();
    site.tracks = load_tracks(site, &dir.join("tracks"), diags);
    broken.tracks = std::fs::read_dir(dir.join("tracks"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|id| !site.tracks.iter().any(|t| &t.id == id))
        .collect();
    let timeline = dir.join("timeline.yaml");
    if timeline.is_file() {
        let before = diags.len();
        site.stages = load_timeline(site, &timeline, diags);
        broken.timeline = diags.errors_since(before);
    }
    let awards = dir.join("awards.yaml");
    if awards.is_file() {
        let before = diags.len();
        site.awards = load_awards(site, &awards, &broken, diags);
        broken.awards = diags.errors_since(before);
        if let Some(a) = &mut site.awards {
            a.prose = load_optional_doc(dir, "awards", &langs, diags);
        }
    }
    let criteria = dir.join("criteria.yaml");
    if criteria.is_file() {
        site.criteria = load_criteria(&criteria, diags);
        if let Some(c) = &mut site.criteria {
            c.prose = load_optional_doc(dir, "criteria", &langs, diags);
        }
    }
    site.publicity = load_publicity(site, &dir.join("publicity"), &broken, diags);
    site.pages = load_pages(site, &dir.join("pages"), diags);
    check_unexpected(dir, &langs, diags);
}

/// Parts of a site that failed to load, whose names references may use.
#[derive(Default)]
struct Broken {
    /// Track folders without a loaded track.
    tracks: Vec<String>,
    timeline: bool,
    awards: bool,
}

/// Files in the content folder that Podium would silently ignore.
fn check_unexpected(dir: &Path, langs: &[String], diags: &mut Diagnostics) {
    let known_dirs = ["notices", "tracks", "publicity", "pages", "files"];
    let known_files = ["timeline.yaml", "awards.yaml", "criteria.yaml"];
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let p = e.path();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            if !known_dirs.contains(&name.as_str()) {
                diags.push(
                    Diagnostic::warning(&p, msg!("folder_not_part_site_s_content", name = name))
                        .hint(msg!("content_folders_are", arg0 = known_dirs.join(", "))),
                );
            }
            continue;
        }
        let doc_ok = lang_file(&name)
            .map(|(slug, lang)| ["home", "awards", "criteria"].contains(&slug) && langs.iter().any(|l| l == lang))
            .unwrap_or(false);
        if !doc_ok && !known_files.contains(&name.as_str()) {
            diags.push(
                Diagnostic::warning(&p, msg!("file_not_part_site_s_content", name = name)).hint(msg!("see_docs_content_md_for_files")),
            );
        }
    }
}

/// Collects `<slug>.<lang>.md` files of a folder: slug → lang → path.
fn lang_files(dir: &Path, langs: &[String], diags: &mut Diagnostics) -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let mut out: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir).into_iter().flatten().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        let p = e.path();
        // The entry's type costs no `stat` (a link is followed, though).
        let is_dir = || {
            e.file_type()
                .map_or_else(|_| p.is_dir(), |t| t.is_dir() || (t.is_symlink() && p.is_dir()))
        };
        if name.starts_with('.') || !name.ends_with(".md") || is_dir() {
            continue;
        }
        match lang_file(&name) {
            Some((slug, lang)) if langs.iter().any(|l| l == lang) => {
                if !valid_id(slug) {
                    diags.push(
                        Diagnostic::error(&p, msg!("file_name_cannot_used_web_address", name = name)).hint(msg!(
                            "rename_lowercase_letters_z_digits",
                            arg0 = suggest_id(slug),
                            lang = lang
                        )),
                    );
                    continue;
                }
                out.entry(slug.to_string()).or_default().insert(lang.to_string(), p);
            }
            _ => diags.push(
                Diagnostic::error(&p, msg!("does_not_say_language", name = name))
                    .hint(msg!("name_with_language_site", arg0 = langs.join(", "))),
            ),
        }
    }
    out
}

fn load_doc_with<T: serde::de::DeserializeOwned>(path: &Path, diags: &mut Diagnostics) -> Option<(T, String, String)> {
    let text = read_text(path, diags)?;
    let fm = split_front_matter(&text, path).map_err(|d| diags.push(d)).ok()?;
    let front: T = yaml::parse(fm.yaml, path, fm.yaml_line).map_err(|d| diags.push(d)).ok()?;
    diags.extend_from(yaml::unsafe_values(fm.yaml, path, fm.yaml_line));
    unsafe_links_in(&text, fm.body, path, diags);
    let body = fm.body.to_string();
    Some((front, body, text))
}

fn load_optional_doc(dir: &Path, slug: &str, langs: &[String], diags: &mut Diagnostics) -> Translations<Doc> {
    let mut t = Translations::default();
    for lang in langs {
        let p = dir.join(format!("{slug}.{lang}.md"));
        if p.is_file() {
            if let Some((front, body, _)) = load_doc_with::<RawOptionalTitleFront>(&p, diags) {
                let RawOptionalTitleFront { title } = front;
                t.by_lang.insert(
                    lang.clone(),
                    Doc {
                        title: title.unwrap_or_default(),
                        body,
                        path: p,
                    },
                );
            }
        }
    }
    t
}

fn require_default<T>(t: &Translations<T>, default: &str, slug: &str, dir: &Path, diags: &mut Diagnostics) -> bool {
    if t.by_lang.contains_key(default) {
        return true;
    }
    let p = dir.join(format!("{slug}.{default}.md"));
    // A default-language file that exists but failed has been reported.
    if !t.by_lang.is_empty() && !p.exists() {
        diags.push(
            Diagnostic::error(&p, msg!("has_no_text_site_s_default", slug = slug, default = default)).hint(msg!(
                "add_file_md_other_languages_fall",
                slug = slug,
                default = default
            )),
        );
    }
    false
}

/// A notice's language-neutral fields, as its default-language file gives them:
/// date, document number, category, draft, publish_at, attachment files.
type NoticeNeutral = (Date, Option<String>, NoticeCategory, bool, Option<Timestamp>, Vec<String>);

fn load_notices(site: &Site, dir: &Path, diags: &mut Diagnostics, cache: Option<&NoticeCache>) -> Vec<Arc<Notice>> {
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

fn load_tracks(site: &Site, dir: &Path, diags: &mut Diagnostics) -> Vec<Track> {
    let langs = &site.languages;
    let default = &langs[0];
    let mut tracks: Vec<(Track, PathBuf, String)> = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let id = e.file_name().to_string_lossy().to_string();
        let tdir = e.path();
        let ypath = tdir.join("track.yaml");
        if !valid_id(&id) {
            diags.push(
                Diagnostic::error(&tdir, msg!("track_folder_name_cannot_used_web", id = id))
                    .hint(msg!("rename_folder", arg0 = suggest_id(&id))),
            );
            continue;
        }
        if !ypath.is_file() {
            diags.push(Diagnostic::error(&tdir, msg!("track_folder_has_no_track_yaml")).hint(msg!("add_track_yaml_with_track_s")));
            continue;
        }
        let Some((raw, text)) = load_yaml::<RawTrack>(&ypath, diags) else {
            continue;
        };
        let RawTrack {
            number,
            name,
            guiding_unit,
            intro,
            groups,
            topics,
        } = raw;
        let mut group_ids = Vec::new();
        let groups: Vec<Group> = groups
            .into_iter()
            .filter_map(|g| {
                let RawGroup { id: gid, name, intro } = g;
                if !valid_id(&gid) {
                    diags.push(id_problem(&ypath, Some(&text), "id", &gid));
                    return None;
                }
                if group_ids.contains(&gid) {
                    diags.push(at_key(
                        Diagnostic::error(&ypath, msg!("group_id_used_twice", gid = gid)),
                        &text,
                        "id",
                        &gid,
                    ));
                    return None;
                }
                group_ids.push(gid.clone());
                Some(Group { id: gid, name, intro })
            })
            .collect();
        let md = lang_files(&tdir, langs, diags);
        let mut seen = BTreeSet::new();
        let mut seen_numbers = BTreeSet::new();
        let mut out_topics = Vec::new();
        for t in topics {
            let RawTopicRef {
                id: tid,
                number: tnum,
                group,
            } = t;
            if !valid_id(&tid) {
                diags.push(id_problem(&ypath, Some(&text), "id", &tid));
                // Its files are those of the id once corrected: not orphans.
                seen.insert(suggest_id(&tid));
                continue;
            }
            if !seen.insert(tid.clone()) {
                diags.push(
                    at_key(
                        Diagnostic::error(&ypath, msg!("topic_id_used_twice_track", tid = tid)),
                        &text,
                        "id",
                        &tid,
                    )
                    .hint(msg!("give_each_topic_own_id")),
                );
                continue;
            }
            match (&group, groups.is_empty()) {
                (Some(g), _) if !group_ids.contains(g) => {
                    let hint = if group_ids.is_empty() {
                        msg!("hint_no_groups")
                    } else {
                        crate::base::text::suggestion(g, &group_ids)
                    };
                    diags.push(at_key(
                        Diagnostic::error(&ypath, msg!("group_does_not_exist_track", g = g)).hint(hint),
                        &text,
                        "group",
                        g,
                    ));
                    continue;
                }
                (None, false) => {
                    diags.push(
                        at_key(
                            Diagnostic::error(&ypath, msg!("topic_names_no_group", tid = tid)),
                            &text,
                            "id",
                            &tid,
                        )
                        .hint(msg!("track_has_groups_add_with_one", arg0 = group_ids.join(", "))),
                    );
                    continue;
                }
                _ => {}
            }
            if !seen_numbers.insert((group.clone(), tnum)) {
                diags.push(
                    at_key(
                        Diagnostic::warning(&ypath, msg!("topic_number_used_twice", tnum = tnum)),
                        &text,
                        "number",
                        &tnum.to_string(),
                    )
                    .hint(msg!("topics_are_numbered_1_2_3")),
                );
            }
            let mut tr = Translations::default();
            if let Some(files) = md.get(&tid) {
                for (lang, p) in files {
                    if let Some((front, body, _)) = load_doc_with::<RawTitleFront>(p, diags) {
                        let RawTitleFront { title } = front;
                        tr.by_lang.insert(
                            lang.clone(),
                            Doc {
                                title,
                                body,
                                path: p.clone(),
                            },
                        );
                    }
                }
            }
            if !tr.by_lang.contains_key(default) {
                diags.push(
                    at_key(
                        Diagnostic::error(&ypath, msg!("topic_has_no_file_md", tid = tid, default = default)),
                        &text,
                        "id",
                        &tid,
                    )
                    .hint(msg!("add_md_folder_with_topic_s", tid = tid, default = default)),
                );
                continue;
            }
            out_topics.push(Topic {
                id: tid,
                number: tnum,
                group,
                text: tr,
            });
        }
        for (slug, files) in &md {
            if !seen.contains(slug) {
                for p in files.values() {
                    diags.push(
                        Diagnostic::error(p, msg!("topic_not_listed_track_yaml", slug = slug))
                            .hint(msg!("add_under_track_yaml_remove_file", slug = slug)),
                    );
                }
            }
        }
        tracks.push((
            Track {
                id,
                number,
                name,
                guiding_unit,
                intro,
                groups,
                topics: out_topics,
            },
            ypath,
            text,
        ));
    }
    tracks.sort_by_key(|(t, _, _)| (t.number, t.id.clone()));
    for w in tracks.windows(2) {
        if w[0].0.number == w[1].0.number {
            diags.push(
                at_key(
                    Diagnostic::warning(&w[1].1, msg!("track_number_also_used_by", arg0 = w[1].0.number, arg1 = w[0].0.id)),
                    &w[1].2,
                    "number",
                    "",
                )
                .hint(msg!("number_tracks_1_2_3")),
            );
        }
    }
    tracks.into_iter().map(|(t, _, _)| t).collect()
}

fn load_timeline(site: &Site, path: &Path, diags: &mut Diagnostics) -> Vec<Stage> {
    let Some((raw, text)) = load_yaml::<RawTimeline>(path, diags) else {
        return Vec::new();
    };
    let mut stages = Vec::new();
    let mut ids = BTreeSet::new();
    let mut last_start: Option<(Date, String)> = None;
    for s in raw.stages {
        let RawStage {
            id,
            kind,
            name,
            start,
            end,
            approx,
            description,
        } = s;
        if !valid_id(&id) {
            diags.push(id_problem(path, Some(&text), "id", &id));
            continue;
        }
        if !ids.insert(id.clone()) {
            diags.push(at_key(
                Diagnostic::error(path, msg!("stage_id_used_twice", id = id)),
                &text,
                "id",
                &id,
            ));
            continue;
        }
        let when = match (start, end, approx) {
            (Some(st), en, None) => {
                let Some(sd) = parse_date_field(&st, path, &text, "start", diags) else {
                    continue;
                };
                let ed = match &en {
                    Some(e) => match parse_date_field(e, path, &text, "end", diags) {
                        Some(d) => d,
                        None => continue,
                    },
                    None if kind == StageKind::Publicity => time::add_days(sd, site.publicity_days - 1),
                    None => sd,
                };
                if ed < sd {
                    diags.push(
                        at_key(
                            Diagnostic::error(path, msg!("stage_ends_before_starts", id = id, ed = ed, sd = sd)),
                            &text,
                            "end",
                            en.as_deref().unwrap_or(""),
                        )
                        .hint(msg!("check_two_dates_must_on_after")),
                    );
                    continue;
                }
                let span = DaySpan::new(sd, ed);
                if kind == StageKind::Publicity && span.days() != site.publicity_days {
                    let want = time::add_days(sd, site.publicity_days - 1);
                    diags.push(
                        at_key(
                            Diagnostic::error(
                                path,
                                msg!(
                                    "publicity_stage_lasts_days_but_publicity",
                                    id = id,
                                    arg0 = span.days(),
                                    arg1 = site.publicity_days
                                ),
                            ),
                            &text,
                            "end",
                            en.as_deref().unwrap_or(""),
                        )
                        .hint(msg!(
                            "day_period_starting_ends_on_write",
                            arg0 = site.publicity_days,
                            sd = sd,
                            want = want
                        )),
                    );
                    continue;
                }
                if let Some((prev, prev_id)) = &last_start {
                    if sd < *prev {
                        diags.push(
                            at_key(
                                Diagnostic::warning(path, msg!("stage_starts_before_stage_listed_above", id = id, prev_id = prev_id)),
                                &text,
                                "start",
                                &st,
                            )
                            .hint(msg!("list_stages_order_they_happen")),
                        );
                    }
                }
                last_start = Some((sd, id.clone()));
                When::Exact(span)
            }
            (None, None, Some(a)) => When::Approx(a),
            (None, Some(_), _) => {
                diags.push(
                    at_key(Diagnostic::error(path, msg!("stage_has_but_no", id = id)), &text, "id", &id).hint(msg!("hint_add_start")),
                );
                continue;
            }
            (Some(_), _, Some(_)) => {
                diags.push(
                    at_key(
                        Diagnostic::error(path, msg!("stage_has_both_exact_dates", id = id)),
                        &text,
                        "approx",
                        "",
                    )
                    .hint(msg!("keep_when_dates_are_known_only")),
                );
                continue;
            }
            (None, None, None) => {
                diags.push(
                    at_key(Diagnostic::error(path, msg!("stage_has_no_date", id = id)), &text, "id", &id)
                        .hint(msg!("add_when_no_date_announced")),
                );
                continue;
            }
        };
        stages.push(Stage {
            id,
            kind,
            name,
            when,
            description,
        });
    }
    stages
}

fn load_awards(site: &Site, path: &Path, broken: &Broken, diags: &mut Diagnostics) -> Option<Awards> {
    let (raw, text) = load_yaml::<RawAwards>(path, diags)?;
    let RawAwards {
        levels,
        counts,
        track_counts,
        special,
        national_final,
    } = raw;
    let level_ids: Vec<String> = levels.iter().map(|l| l.id.clone()).collect();
    let track_ids: Vec<String> = site.tracks.iter().map(|t| t.id.clone()).collect();
    let mut ok = true;
    let check_levels = |m: &BTreeMap<String, u32>, diags: &mut Diagnostics| -> bool {
        let mut fine = true;
        for k in m.keys() {
            if !level_ids.contains(k) {
                let hint = crate::base::text::suggestion(k, &level_ids);
                diags.push(at_key(
                    Diagnostic::error(path, msg!("award_level_not_defined", level = k)).hint(hint),
                    &text,
                    k,
                    "",
                ));
                fine = false;
            }
        }
        fine
    };
    ok &= check_levels(&counts, diags);
    for (t, m) in &track_counts {
        if broken.tracks.contains(t) {
            ok = false;
        } else if !track_ids.contains(t) {
            let hint = crate::base::text::suggestion(t, &track_ids);
            diags.push(at_key(
                Diagnostic::error(path, msg!("track_does_not_exist", t = t)).hint(hint),
                &text,
                t,
                "",
            ));
            ok = false;
        }
        ok &= check_levels(m, diags);
    }
    if !ok {
        return None;
    }
    let mut per_track = BTreeMap::new();
    for t in &track_ids {
        let m = track_counts.get(t).unwrap_or(&counts);
        per_track.insert(t.clone(), level_ids.iter().map(|l| m.get(l).copied().unwrap_or(0)).collect());
    }
    Some(Awards {
        levels: levels
            .into_iter()
            .map(|l| {
                let RawLevel { id, name } = l;
                AwardLevel { id, name }
            })
            .collect(),
        counts: per_track,
        special: special
            .into_iter()
            .map(|s| {
                let RawSpecial {
                    name,
                    count,
                    count_text,
                    description,
                } = s;
                SpecialAward {
                    name,
                    count,
                    count_text,
                    description,
                }
            })
            .collect(),
        national_final: national_final.map(|n| {
            let RawNationalFinal { places, note } = n;
            (places, note)
        }),
        prose: Translations::default(),
    })
}

fn load_criteria(path: &Path, diags: &mut Diagnostics) -> Option<Criteria> {
    let (raw, text) = load_yaml::<RawCriteria>(path, diags)?;
    let RawCriteria { levels, items } = raw;
    fn depth(c: &RawCriterion) -> usize {
        1 + c.children.iter().map(depth).max().unwrap_or(0)
    }
    if items.iter().map(depth).max().unwrap_or(0) > 3 {
        diags.push(
            at_key(
                Diagnostic::error(path, msg!("criteria_go_deeper_than_three_levels")),
                &text,
                "children",
                "",
            )
            .hint(msg!("criteria_table_has_at_most_three")),
        );
        return None;
    }
    fn convert(c: RawCriterion) -> Criterion {
        let RawCriterion {
            name,
            description,
            weight,
            children,
        } = c;
        Criterion {
            name,
            description,
            weight,
            children: children.into_iter().map(convert).collect(),
        }
    }
    Some(Criteria {
        column_names: levels.unwrap_or_default(),
        items: items.into_iter().map(convert).collect(),
        prose: Translations::default(),
    })
}

fn load_publicity(site: &Site, dir: &Path, broken: &Broken, diags: &mut Diagnostics) -> Vec<Publicity> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir).into_iter().flatten().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    let track_ids: Vec<String> = site.tracks.iter().map(|t| t.id.clone()).collect();
    for e in entries {
        let path = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let Some(slug) = name.strip_suffix(".yaml").map(str::to_owned) else {
            diags.push(Diagnostic::warning(&path, msg!("only_yaml_files_belong_publicity_folder")).hint(msg!("hint_publicity_file_name")));
            continue;
        };
        if !valid_id(&slug) {
            diags.push(
                Diagnostic::error(&path, msg!("file_name_cannot_used_web_address", name = name))
                    .hint(msg!("hint_rename_yaml", arg0 = suggest_id(&slug))),
            );
            continue;
        }
        let Some((raw, text)) = load_yaml::<RawPublicity>(&path, diags) else {
            continue;
        };
        let RawPublicity {
            kind,
            title,
            stage,
            start,
            end,
            intro,
            objection,
            entries,
            draft,
            publish_at,
        } = raw;
        let mut ok = true;
        let stage_span = match &stage {
            Some(sid) => match site.stages.iter().find(|s| &s.id == sid) {
                Some(s) => match &s.when {
                    When::Exact(span) => Some(*span),
                    When::Approx(_) => None,
                },
                None if broken.timeline => {
                    ok = false;
                    None
                }
                None => {
                    let ids: Vec<String> = site.stages.iter().map(|s| s.id.clone()).collect();
                    let hint = crate::base::text::suggestion(sid, &ids);
                    diags.push(at_key(
                        Diagnostic::error(&path, msg!("stage_does_not_exist", sid = sid)).hint(hint),
                        &text,
                        "stage",
                        sid,
                    ));
                    ok = false;
                    None
                }
            },
            None => None,
        };
        let start_date = match &start {
            Some(s) => parse_date_field(s, &path, &text, "start", diags),
            None => stage_span.map(|s| s.start),
        };
        let Some(start_date) = start_date else {
            if start.is_none() && ok {
                diags.push(
                    Diagnostic::error(&path, msg!("publicity_list_has_no_start_date"))
                        .at_in(&text, 1, 1)
                        .hint(msg!("add_first_day_publicity_period")),
                );
            }
            continue;
        };
        let window = DaySpan::window(start_date, site.publicity_days);
        if let Some(e) = &end {
            if let Some(ed) = parse_date_field(e, &path, &text, "end", diags) {
                if ed != window.end {
                    diags.push(
                        at_key(
                            Diagnostic::error(
                                &path,
                                msg!(
                                    "publicity_period_starting_lasts_days_ends",
                                    start_date = start_date,
                                    arg0 = site.publicity_days,
                                    arg1 = window.end,
                                    ed = ed
                                ),
                            ),
                            &text,
                            "end",
                            e,
                        )
                        .hint(msg!("write_correct", arg0 = window.end)),
                    );
                    ok = false;
                }
            } else {
                ok = false;
            }
        }
        let level_ids: Vec<String> = site
            .awards
            .as_ref()
            .map(|a| a.levels.iter().map(|l| l.id.clone()).collect())
            .unwrap_or_default();
        let mut out_entries = Vec::new();
        for en in entries {
            let RawEntry {
                track,
                level,
                project,
                entrant,
            } = en;
            if let Some(t) = &track {
                if broken.tracks.contains(t) {
                    ok = false;
                } else if !track_ids.contains(t) {
                    let hint = crate::base::text::suggestion(t, &track_ids);
                    diags.push(at_key(
                        Diagnostic::error(&path, msg!("track_does_not_exist", t = t)).hint(hint),
                        &text,
                        "track",
                        t,
                    ));
                    ok = false;
                }
            }
            if let Some(l) = &level {
                if broken.awards {
                    ok = false;
                } else if !level_ids.contains(l) {
                    let hint = if level_ids.is_empty() {
                        msg!("hint_define_levels")
                    } else {
                        crate::base::text::suggestion(l, &level_ids)
                    };
                    diags.push(at_key(
                        Diagnostic::error(&path, msg!("award_level_not_defined", level = l)).hint(hint),
                        &text,
                        "level",
                        l,
                    ));
                    ok = false;
                }
            }
            out_entries.push(Entry {
                track,
                level,
                project,
                entrant,
            });
        }
        let publish_at = publish_at
            .as_deref()
            .and_then(|p| parse_publish_at(p, &site.time_zone, &path, &text, diags));
        if !ok {
            continue;
        }
        out.push(Publicity {
            slug,
            kind,
            title,
            stage,
            window,
            intro,
            objection: objection.map(|o| {
                let RawObjection { text, email, phone } = o;
                Objection { text, email, phone }
            }),
            entries: out_entries,
            draft: draft.unwrap_or(false),
            publish_at,
        });
    }
    // Newest window first.
    out.sort_by(|a, b| b.window.start.cmp(&a.window.start).then_with(|| a.slug.cmp(&b.slug)));
    out
}

/// The addresses the site itself uses at its root: a free page cannot
/// have one of them (nor a language's, like `en`).
pub const RESERVED_PAGE_SLUGS: [&str; 12] = [
    "notices",
    "tracks",
    "timeline",
    "awards",
    "criteria",
    "publicity",
    "data",
    "files",
    "en",
    "static",
    "search",
    "404",
];

/// Would a free page called `slug` take an address the site already uses?
pub fn page_address_taken(slug: &str, langs: &[String]) -> bool {
    RESERVED_PAGE_SLUGS.contains(&slug) || langs.iter().any(|l| l == slug)
}

fn load_pages(site: &Site, dir: &Path, diags: &mut Diagnostics) -> Vec<Page> {
    let langs = &site.languages;
    let default = &langs[0];
    let mut pages = Vec::new();
    for (slug, files) in lang_files(dir, langs, diags) {
        if page_address_taken(&slug, langs) {
            for p in files.values() {
                diags.push(Diagnostic::error(p, msg!("page_cannot_called_that_address_used", slug = slug)).hint(msg!("rename_file")));
            }
            continue;
        }
        let mut tr = Translations::default();
        let mut menu = None;
        let mut draft = false;
        for (lang, p) in &files {
            if let Some((front, body, text)) = load_doc_with::<RawPageFront>(p, diags) {
                let RawPageFront { title, menu: m, draft: d } = front;
                if title.trim().is_empty() {
                    diags.push(at_key(
                        Diagnostic::error(p, msg!("title_empty")).hint(msg!("write_page_s_title_after")),
                        &text,
                        "title",
                        "",
                    ));
                    continue;
                }
                if lang == default || menu.is_none() {
                    menu = m.or(menu);
                }
                draft |= d.unwrap_or(false);
                tr.by_lang.insert(
                    lang.clone(),
                    Doc {
                        title,
                        body,
                        path: p.clone(),
                    },
                );
            }
        }
        if require_default(&tr, default, &slug, dir, diags) {
            pages.push(Page {
                slug,
                menu,
                draft,
                text: tr,
            });
        }
    }
    pages.sort_by(|a, b| {
        a.menu
            .unwrap_or(i32::MAX)
            .cmp(&b.menu.unwrap_or(i32::MAX))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn ids_must_be_url_safe() {
        assert!(valid_id("notice-2025-3"));
        for bad in ["", "../x", "a b", "Caps", "a/b", "-a", "中文"] {
            assert!(!valid_id(bad), "{bad:?}");
        }
        assert_eq!(suggest_id("My Notice"), "my-notice");
    }

    #[test]
    fn base_url_gets_a_trailing_slash() {
        assert_eq!(
            normalize_base_url("https://a.gov.cn/sjj/ln").as_deref(),
            Some("https://a.gov.cn/sjj/ln/")
        );
        assert_eq!(normalize_base_url("a.gov.cn"), None);
    }
}
