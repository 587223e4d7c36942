//! Markdown to HTML: CommonMark plus tables, footnotes and strikethrough,
//! headings with stable ids (for `#anchor` links), fenced code highlighted
//! with CSS classes (never inline styles), and raw HTML escaped unless the
//! site opts in.
//!
//! Syntax definitions load lazily, on the first code block a build meets:
//! a site without code never pays for them.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Class prefix of highlighted tokens; the stylesheet uses the same.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Highlights fenced code; shared by every page of a build, and by every
/// build of a `serve` session. Each block is highlighted once: the result
/// is kept under its language and text, so an unchanged block is never
/// highlighted again (the key holds the whole input, so a hit is exact).
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    done: Mutex<HashMap<(String, String), String>>,
    /// Blocks actually highlighted (cache misses), for tests and reports.
    pub misses: AtomicUsize,
    /// Remember nothing: the plain reference build of the equivalence test.
    pub forgetful: bool,
    css: OnceLock<String>,
}

impl Highlighter {
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
            return self.highlight_uncached(code, lang);
        }
        let key = (lang.to_string(), code.to_string());
        if let Some(html) = self.done.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return html.clone();
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let html = self.highlight_uncached(code, lang);
        self.done.lock().unwrap_or_else(|e| e.into_inner()).insert(key, html.clone());
        html
    }

    fn highlight_uncached(&self, code: &str, lang: &str) -> String {
        let lang = lang.split([',', ' ']).next().unwrap_or("").trim();
        let label = escape(lang);
        if lang.is_empty() {
            return format!("<pre class=\"code\"><code>{}</code></pre>\n", escape(code));
        }
        let ss = self.syntaxes();
        let Some(syntax) = ss.find_syntax_by_token(lang) else {
            return format!(
                "<pre class=\"code\"><code class=\"language-{label}\">{}</code></pre>\n",
                escape(code)
            );
        };
        let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, ss, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            if gen.parse_html_for_line_which_includes_newline(line).is_err() {
                return format!(
                    "<pre class=\"code\"><code class=\"language-{label}\">{}</code></pre>\n",
                    escape(code)
                );
            }
        }
        format!(
            "<pre class=\"code hl\"><code class=\"language-{label}\">{}</code></pre>\n",
            gen.finalize()
        )
    }
}

/// The CSS for highlighted code, from one of syntect's bundled themes.
pub fn highlight_css() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let theme = &themes.themes["InspiredGitHub"];
    syntect::html::css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default()
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
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
    done: Mutex<HashMap<(bool, String), String>>,
    /// Documents actually rendered (cache misses).
    pub misses: AtomicUsize,
    /// Keep rendered documents for later builds (`serve`). A one-off build
    /// does not: holding every page's HTML twice costs more memory than
    /// the few repeats it would save.
    pub remember: bool,
}

impl Markdown {
    pub fn render(&self, src: &str, allow_html: bool) -> String {
        if self.highlighter.forgetful || !self.remember {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return render(src, allow_html, &self.highlighter).html;
        }
        let key = (allow_html, src.to_string());
        if let Some(html) = self.done.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return html.clone();
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let html = render(src, allow_html, &self.highlighter).html;
        self.done.lock().unwrap_or_else(|e| e.into_inner()).insert(key, html.clone());
        html
    }
}

/// Rendered Markdown.
pub struct Rendered {
    pub html: String,
    pub has_code: bool,
}

pub fn render(md: &str, allow_html: bool, hl: &Highlighter) -> Rendered {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let parser = Parser::new_ext(md, opts);
    let mut events: Vec<Event> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut in_code: Option<String> = None;
    let mut code = String::new();
    let mut has_code = false;
    let mut heading: Option<(HeadingLevel, Option<CowStr>, Vec<Event>)> = None;
    for ev in parser {
        if let Some(lang) = &in_code {
            match ev {
                Event::Text(t) => code.push_str(&t),
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

fn escape_html_event(ev: Event, allow_html: bool) -> Event {
    if allow_html {
        return ev;
    }
    match ev {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        other => other,
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
}
