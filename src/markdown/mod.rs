//! Markdown to HTML: CommonMark plus tables, footnotes and strikethrough,
//! headings with stable ids (for `#anchor` links), fenced code highlighted
//! with CSS classes (never inline styles), and raw HTML escaped unless the
//! site opts in.
//!
//! Syntax definitions load lazily, on the first code block a build meets:
//! a site without code never pays for them.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use syntect::highlighting::{Color, FontStyle, HighlightIterator, HighlightState, Style, Theme};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Highlights fenced code; shared by every page of a build, and by every
/// build of a `serve` session. Each block is highlighted once: the result
/// is kept under the SHA-256 of its language and text, and a block that
/// two threads meet at once is highlighted by one while the other waits.
///
/// With a store ([`Highlighter::with_store`]) the results also outlive
/// the process: a later build highlights only blocks it has never seen.
/// The store's header names the syntect and Oniguruma versions and the
/// theme, so a build with other ones ignores it.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    done: Mutex<HashMap<BlockKey, Arc<OnceLock<String>>>>,
    /// Blocks actually highlighted (cache misses), for tests and reports.
    pub misses: AtomicUsize,
    /// Blocks found in the store on disk.
    pub stored_hits: AtomicUsize,
    /// Remember nothing: the plain reference build of the equivalence test.
    pub forgetful: bool,
    css: OnceLock<String>,
    store: Option<PathBuf>,
    /// The store's blocks, read on the first block a build meets.
    stored: OnceLock<HashMap<BlockKey, String>>,
    /// Misses since the store was last written.
    unsaved: AtomicUsize,
}

type BlockKey = [u8; 32];

fn block_key(code: &str, lang: &str) -> BlockKey {
    let mut h = Sha256::new();
    h.update((lang.len() as u64).to_le_bytes());
    h.update(lang.as_bytes());
    h.update(code.as_bytes());
    h.finalize().into()
}

impl Highlighter {
    /// A highlighter that keeps its results in the file `path` too.
    pub fn with_store(path: PathBuf) -> Highlighter {
        Highlighter {
            store: Some(path),
            ..Highlighter::default()
        }
    }

    /// The stylesheet for highlighted code (made once: loading syntect's
    /// themes takes longer than rendering a page).
    pub fn css(&self) -> &str {
        self.css.get_or_init(highlight_css)
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines)
    }

    /// The highlighted HTML for `code` (a `<pre>` block), or an escaped
    /// plain block for an unknown or absent language.
    pub fn highlight(&self, code: &str, lang: &str) -> String {
        if self.forgetful {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return self.highlight_uncached(code, lang);
        }
        let key = block_key(code, lang);
        let cell = self.done.lock().unwrap_or_else(|e| e.into_inner()).entry(key).or_default().clone();
        cell.get_or_init(|| {
            if let Some(html) = self.stored().get(&key) {
                self.stored_hits.fetch_add(1, Ordering::Relaxed);
                return html.clone();
            }
            self.misses.fetch_add(1, Ordering::Relaxed);
            self.unsaved.fetch_add(1, Ordering::Relaxed);
            self.highlight_uncached(code, lang)
        })
        .clone()
    }

    fn stored(&self) -> &HashMap<BlockKey, String> {
        self.stored
            .get_or_init(|| self.store.as_deref().map(store::read).unwrap_or_default())
    }

    /// Writes the store if this process highlighted anything new: every
    /// block of this process, and as many older ones as fit under
    /// 256 MiB. A store that cannot be written is skipped: it is
    /// a cache, and the build's output does not depend on it.
    pub fn save(&self) {
        let Some(path) = &self.store else { return };
        if self.forgetful || self.unsaved.swap(0, Ordering::Relaxed) == 0 {
            return;
        }
        let done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        let mut blocks: Vec<(&BlockKey, &str)> = done.iter().filter_map(|(k, c)| c.get().map(|h| (k, h.as_str()))).collect();
        let mut size: usize = blocks.iter().map(|(_, h)| h.len() + 36).sum();
        let mut older: Vec<(&BlockKey, &String)> = self.stored().iter().filter(|(k, _)| !done.contains_key(*k)).collect();
        older.sort_by_key(|(k, _)| **k);
        for (k, h) in older {
            if size + h.len() + 36 > store::LIMIT {
                break;
            }
            size += h.len() + 36;
            blocks.push((k, h));
        }
        blocks.sort_by_key(|(k, _)| **k);
        let _ = store::write(path, &blocks);
    }

    fn highlight_uncached(&self, code: &str, lang: &str) -> String {
        let lang = lang.split([',', ' ']).next().unwrap_or("").trim();
        let label = crate::base::escape::html(lang);
        let plain = || {
            if lang.is_empty() {
                format!("<pre class=\"code\"><code>{}</code></pre>\n", crate::base::escape::html(code))
            } else {
                format!(
                    "<pre class=\"code\"><code class=\"language-{label}\">{}</code></pre>\n",
                    crate::base::escape::html(code)
                )
            }
        };
        if lang.is_empty() {
            return plain();
        }
        let ss = self.syntaxes();
        let Some(syntax) = ss.find_syntax_by_token(lang) else {
            return plain();
        };
        let theme = theme();
        let hl = syntect::highlighting::Highlighter::new(theme);
        let mut state = HighlightState::new(&hl, ScopeStack::new());
        let mut parse = ParseState::new(syntax);
        let mut html = String::with_capacity(code.len() * 3);
        // The open span's class, merged across tokens (and lines) of the
        // same style; unstyled text is written bare.
        let mut open: Option<String> = None;
        for line in LinesWithEndings::from(code) {
            let Ok(ops) = parse.parse_line(line, ss) else {
                return plain();
            };
            for (style, text) in HighlightIterator::new(&mut state, &ops, line, &hl) {
                let class = style_class(style, theme);
                if class != open {
                    if open.is_some() {
                        html.push_str("</span>");
                    }
                    if let Some(c) = &class {
                        html.push_str("<span class=\"");
                        html.push_str(c);
                        html.push_str("\">");
                    }
                    open = class;
                }
                html.push_str(&crate::base::escape::html(text));
            }
        }
        if open.is_some() {
            html.push_str("</span>");
        }
        format!("<pre class=\"code hl\"><code class=\"language-{label}\">{html}</code></pre>\n")
    }
}

/// The colour theme of highlighted code, one of syntect's bundled ones.
pub const THEME: &str = "InspiredGitHub";

fn theme() -> &'static Theme {
    static THEME_: OnceLock<Theme> = OnceLock::new();
    THEME_.get_or_init(|| {
        let mut set = syntect::highlighting::ThemeSet::load_defaults();
        set.themes.remove(THEME).unwrap_or_default()
    })
}

fn hex(c: Color) -> String {
    if c.a == 0xff {
        format!("{:02x}{:02x}{:02x}", c.r, c.g, c.b)
    } else {
        format!("{:02x}{:02x}{:02x}{:02x}", c.r, c.g, c.b, c.a)
    }
}

/// The classes of a token's style: its colour, background and font style
/// where they differ from the block's (`hl-d73a49`, `hl-bg-ffeef0`,
/// `hl-b`, `hl-i`, `hl-u`); `None` for text in the block's own style. A
/// class per style rather than per syntax scope keeps a highlighted block
/// several times smaller, and the stylesheet ([`highlight_css`]) has a
/// rule for every colour the theme can give.
fn style_class(style: Style, theme: &Theme) -> Option<String> {
    let mut classes: Vec<String> = Vec::new();
    if Some(style.foreground) != theme.settings.foreground {
        classes.push(format!("hl-{}", hex(style.foreground)));
    }
    if Some(style.background) != theme.settings.background {
        classes.push(format!("hl-bg-{}", hex(style.background)));
    }
    for (flag, name) in [
        (FontStyle::BOLD, "hl-b"),
        (FontStyle::ITALIC, "hl-i"),
        (FontStyle::UNDERLINE, "hl-u"),
    ] {
        if style.font_style.contains(flag) {
            classes.push(name.to_string());
        }
    }
    (!classes.is_empty()).then(|| classes.join(" "))
}

/// The CSS for highlighted code: a rule for each colour, background and
/// font style the theme's rules can give a token.
pub fn highlight_css() -> String {
    let theme = theme();
    // The block itself keeps the site's colours (`pre.code`): text in the
    // theme's default style has no class.
    let mut css = String::new();
    let mut fg = std::collections::BTreeSet::new();
    let mut bg = std::collections::BTreeSet::new();
    for item in &theme.scopes {
        fg.extend(item.style.foreground.map(hex));
        bg.extend(item.style.background.map(hex));
    }
    for c in fg {
        css.push_str(&format!(".hl-{c} {{ color: #{c}; }}\n"));
    }
    for c in bg {
        css.push_str(&format!(".hl-bg-{c} {{ background-color: #{c}; }}\n"));
    }
    css.push_str(".hl-b { font-weight: bold; }\n.hl-i { font-style: italic; }\n.hl-u { text-decoration: underline; }\n");
    css
}

/// A heading id from its text: letters (any script) and digits kept,
/// ASCII lowercased, everything else collapsed to `-`.
pub fn slugify(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() {
        "section".to_string()
    } else {
        s
    }
}

/// Renders Markdown documents, each distinct text once: the HTML is kept
/// under the document's text (and the raw-HTML switch), so a rebuild in
/// `serve` renders only the documents that changed, and the same text in
/// two places (a page falling back to its Chinese original) renders once.
#[derive(Default)]
pub struct Markdown {
    pub highlighter: Highlighter,
    /// Rendered documents by text, without and with raw HTML allowed.
    done: [Mutex<HashMap<String, String>>; 2],
    /// Documents actually rendered (cache misses).
    pub misses: AtomicUsize,
    /// Plain texts (for the search index), kept like rendered documents.
    plain: Mutex<HashMap<String, String>>,
    /// Keep rendered documents for later builds (`serve`). A one-off build
    /// does not: holding every page's HTML twice costs more memory than
    /// the few repeats it would save.
    pub remember: bool,
}

impl Markdown {
    pub fn render(&self, src: &str, allow_html: bool) -> String {
        let rendered = self.keeps().then_some(&self.done[usize::from(allow_html)]);
        memo(rendered, src, || {
            self.misses.fetch_add(1, Ordering::Relaxed);
            render(src, allow_html, &self.highlighter).html
        })
    }

    /// [`plain_text`], kept for later builds when rendered documents are.
    pub fn plain(&self, src: &str) -> String {
        memo(self.keeps().then_some(&self.plain), src, || plain_text(src))
    }

    /// Whether results are kept for later builds (`serve`, and never in
    /// the plain reference build).
    pub fn keeps(&self) -> bool {
        self.remember && !self.highlighter.forgetful
    }
}

/// `make()`, kept in `map` under `key` when there is a map.
fn memo(map: Option<&Mutex<HashMap<String, String>>>, key: &str, make: impl FnOnce() -> String) -> String {
    let Some(map) = map else { return make() };
    if let Some(v) = map.lock().unwrap_or_else(|e| e.into_inner()).get(key) {
        return v.clone();
    }
    let v = make();
    map.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_string(), v.clone());
    v
}

/// The text of a Markdown document without its markup: words of every
/// block, separated by one space; code kept, raw HTML dropped.
pub fn plain_text(md: &str) -> String {
    let mut out = String::new();
    let space = |out: &mut String| {
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    };
    for ev in Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES) {
        match ev {
            Event::Text(t) | Event::Code(t) => {
                if t.starts_with(char::is_whitespace) {
                    space(&mut out);
                }
                for (i, part) in t.split_whitespace().enumerate() {
                    if i > 0 {
                        space(&mut out);
                    }
                    out.push_str(part);
                }
                if t.ends_with(char::is_whitespace) {
                    space(&mut out);
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule => space(&mut out),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock | TagEnd::BlockQuote(_),
            ) => space(&mut out),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// Rendered Markdown.
pub struct Rendered {
    pub html: String,
    pub has_code: bool,
}

pub fn render(md: &str, allow_html: bool, hl: &Highlighter) -> Rendered {
    let parser = Parser::new_ext(md, crate::base::safety::markdown_options());
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut in_code: Option<String> = None;
    let mut code = String::new();
    let mut has_code = false;
    let mut heading: Option<(HeadingLevel, Option<CowStr>, Vec<Event>)> = None;
    for ev in parser {
        if let Some(lang) = &in_code {
            match ev {
                Event::Text(t) => code.push_str(&crate::base::safety::without_forbidden(&t)),
                Event::End(TagEnd::CodeBlock) => {
                    events.push(Event::Html(hl.highlight(&code, lang).into()));
                    code.clear();
                    in_code = None;
                }
                _ => {}
            }
            continue;
        }
        if let Some((_, _, inner)) = &mut heading {
            if let Event::End(TagEnd::Heading(level)) = ev {
                let (_, id, inner) = heading.take().unwrap_or((level, None, Vec::new()));
                let text: String = inner
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let base = id.map(|i| i.to_string()).unwrap_or_else(|| slugify(&text));
                let mut id = base.clone();
                let mut n = 1;
                while !used_ids.insert(id.clone()) {
                    n += 1;
                    id = format!("{base}-{n}");
                }
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(id.into()),
                    classes: vec![],
                    attrs: vec![],
                }));
                events.extend(inner);
                events.push(Event::End(TagEnd::Heading(level)));
            } else {
                inner.push(escape_html_event(ev, allow_html));
            }
            continue;
        }
        match ev {
            Event::Start(Tag::CodeBlock(kind)) => {
                has_code = true;
                in_code = Some(match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                });
            }
            Event::Start(Tag::Heading { level, id, .. }) => heading = Some((level, id, Vec::new())),
            other => events.push(escape_html_event(other, allow_html)),
        }
    }
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered { html, has_code }
}

/// The last guard before the HTML: raw HTML becomes text (unless the site
/// allows it), an unsafe link or image address becomes `#`, and text loses
/// control characters. `check` reports each of these at its place first;
/// this only makes sure that nothing that slipped past a check is
/// published.
fn escape_html_event(ev: Event, allow_html: bool) -> Event {
    use crate::base::safety::{is_safe_url, without_forbidden};
    match ev {
        Event::Html(h) | Event::InlineHtml(h) if !allow_html => Event::Text(h),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !is_safe_url(&dest_url) => Event::Start(Tag::Link {
            link_type,
            dest_url: "#".into(),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !is_safe_url(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: "#".into(),
            title,
            id,
        }),
        Event::Text(t) if !crate::base::safety::forbidden_chars(&t).is_empty() => Event::Text(without_forbidden(&t).into_owned().into()),
        Event::Code(t) if !crate::base::safety::forbidden_chars(&t).is_empty() => Event::Code(without_forbidden(&t).into_owned().into()),
        other => other,
    }
}

/// The highlight store on disk: a header line naming what the HTML depends
/// on, then records of a 32-byte key, a little-endian u32 length and the
/// HTML. Anything unreadable, foreign or cut short is ignored from that
/// point: the store is only ever a cache.
mod store {
    use super::BlockKey;
    use std::collections::HashMap;
    use std::io::Write;
    use std::path::Path;

    /// Largest store written, in bytes.
    pub const LIMIT: usize = 256 << 20;

    /// What the highlighted HTML depends on: the highlighter's and regex
    /// engine's versions (read from the lock file this binary was built
    /// with), the syntax set, the theme and how classes are named.
    pub fn header() -> String {
        let lock = include_str!("../../Cargo.lock");
        let version = |name: &str| {
            let pattern = format!("name = \"{name}\"\nversion = \"");
            let rest = &lock[lock.find(&pattern)? + pattern.len()..];
            Some(rest[..rest.find('"')?].to_string())
        };
        format!(
            "podium highlight store 2; syntect {}; onig {}; defaults-newlines; theme {}; classes by style\n",
            version("syntect").unwrap_or_else(|| "?".into()),
            version("onig").unwrap_or_else(|| "?".into()),
            super::THEME,
        )
    }

    pub fn read(path: &Path) -> HashMap<BlockKey, String> {
        let mut blocks = HashMap::new();
        let Ok(bytes) = std::fs::read(path) else { return blocks };
        let header = header();
        let Some(mut rest) = bytes.strip_prefix(header.as_bytes()) else {
            return blocks;
        };
        while rest.len() >= 36 {
            let (key, tail) = rest.split_at(32);
            let len = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]) as usize;
            let tail = &tail[4..];
            if tail.len() < len {
                break;
            }
            let Ok(html) = std::str::from_utf8(&tail[..len]) else { break };
            let mut k = [0u8; 32];
            k.copy_from_slice(key);
            blocks.insert(k, html.to_string());
            rest = &tail[len..];
        }
        blocks
    }

    /// Writes beside the store and renames over it, so a reader never sees
    /// half a store.
    pub fn write(path: &Path, blocks: &[(&BlockKey, &str)]) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        f.write_all(header().as_bytes())?;
        for (k, html) in blocks {
            f.write_all(&k[..])?;
            f.write_all(&(html.len() as u32).to_le_bytes())?;
            f.write_all(html.as_bytes())?;
        }
        // No fsync: after a crash the store may be cut short or empty,
        // which reading tolerates (it is only ever a cache).
        f.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&tmp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let hl = Highlighter::default();
        let r = render("hi <script>alert(1)</script>\n\n<div>x</div>\n", false, &hl);
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(!r.html.contains("<div>"));
        let r = render("<div>x</div>\n", true, &hl);
        assert!(r.html.contains("<div>x</div>"));
    }

    #[test]
    fn headings_get_unique_ids() {
        let hl = Highlighter::default();
        let r = render(
            "## 一、赛事名称\n\n## Rules & Terms\n\n## Rules & Terms\n\n## Custom {#own}\n",
            false,
            &hl,
        );
        assert!(r.html.contains("<h2 id=\"一-赛事名称\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"rules-terms\">"));
        assert!(r.html.contains("<h2 id=\"rules-terms-2\">"));
        assert!(r.html.contains("<h2 id=\"own\">"));
    }

    #[test]
    fn code_is_highlighted_with_classes_only() {
        let hl = Highlighter::default();
        let r = render("```yaml\nkey: value\n```\n", false, &hl);
        assert!(r.has_code);
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        assert!(!r.html.contains("style="));
        let r = render("```nosuchlang\n<b>\n```\n", false, &hl);
        assert!(r.html.contains("&lt;b&gt;"));
    }

    #[test]
    fn a_block_met_by_many_threads_is_highlighted_once() {
        let hl = Highlighter::default();
        let code = "a: 1\nb: [x, y]\n";
        let html: Vec<String> = std::thread::scope(|s| {
            (0..4)
                .map(|_| s.spawn(|| hl.highlight(code, "yaml")))
                .collect::<Vec<_>>()
                .into_iter()
                .map(|h| h.join().unwrap())
                .collect()
        });
        assert!(html.windows(2).all(|w| w[0] == w[1]));
        assert_eq!(hl.misses.load(Ordering::Relaxed), 1);
        hl.highlight(code, "yml");
        assert_eq!(hl.misses.load(Ordering::Relaxed), 2, "the language is part of the key");
    }

    #[test]
    fn the_store_outlives_the_process_and_ignores_what_is_not_its_own() {
        let dir = std::env::temp_dir().join(format!("podium-hl-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("highlight.bin");
        let blocks = [("k: v\n", "yaml"), ("fn main() {}\n", "rust"), ("plain\n", "")];
        let first = Highlighter::with_store(path.clone());
        let want: Vec<String> = blocks.iter().map(|(c, l)| first.highlight(c, l)).collect();
        assert_eq!(first.misses.load(Ordering::Relaxed), 3);
        first.save();
        assert!(store::read(&path).len() == 3);

        // A new process: every block comes from the store, byte for byte.
        let second = Highlighter::with_store(path.clone());
        let got: Vec<String> = blocks.iter().map(|(c, l)| second.highlight(c, l)).collect();
        assert_eq!(got, want);
        assert_eq!(second.misses.load(Ordering::Relaxed), 0);
        assert_eq!(second.stored_hits.load(Ordering::Relaxed), 3);

        // Cut short: the whole records before the cut are kept.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert_eq!(store::read(&path).len(), 2);

        // Written by another syntect (another header): nothing is used.
        let foreign = String::from_utf8_lossy(&bytes).replacen("syntect ", "syntect 0.0.0-", 1);
        std::fs::write(&path, foreign.as_bytes()).unwrap();
        assert!(store::read(&path).is_empty());
        let third = Highlighter::with_store(path.clone());
        assert_eq!(third.highlight("k: v\n", "yaml"), want[0]);
        assert_eq!(third.misses.load(Ordering::Relaxed), 1);

        // Garbage is no store.
        std::fs::write(&path, b"\xff\x00garbage").unwrap();
        assert!(store::read(&path).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_store_header_names_the_versions_the_html_depends_on() {
        let h = store::header();
        assert!(h.contains("syntect 5."), "{h}");
        assert!(h.contains("onig 6."), "{h}");
        assert!(h.contains("theme InspiredGitHub"), "{h}");
    }

    /// The text of highlighted HTML: tags dropped, entities decoded.
    fn text_of(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn highlighting_keeps_every_character_of_the_code() {
        let hl = Highlighter::default();
        for (code, lang) in [
            ("key: value\nlist: [1, 2]", "yaml"),
            ("key: value\nlist: [1, 2]\n", "yaml"),
            ("# 注释\nname: \"<b>&'\"\n", "yaml"),
            ("fn main() { println!(\"{}\", 1 < 2); }\n", "rust"),
            ("SELECT * FROM t WHERE a <> 'x';\n", "sql"),
        ] {
            let html = hl.highlight(code, lang);
            assert!(html.contains("<pre class=\"code hl\">"), "{lang}: {html}");
            assert_eq!(text_of(html.strip_suffix('\n').unwrap_or(&html)), code, "{html}");
            assert_eq!(html.matches("<span").count(), html.matches("</span>").count(), "{html}");
        }
    }

    #[test]
    fn every_class_a_block_uses_has_a_rule() {
        let hl = Highlighter::default();
        let html = hl.highlight("# c\nfn main() { let x = \"s\"; 1 + 2; }\n", "rust") + &hl.highlight("a: [1, true, \"x\"] # c\n", "yaml");
        let css = highlight_css();
        let mut seen = 0;
        for class in html.split("class=\"").skip(1).filter_map(|r| r.split('"').next()) {
            for c in class.split(' ').filter(|c| c.starts_with("hl-")) {
                seen += 1;
                assert!(css.contains(&format!(".{c} {{")), "no rule for {c}");
            }
        }
        assert!(seen > 5, "{html}");
    }
}
