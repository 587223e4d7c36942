//! What every output of one language knows: the site, the schedule, the
//! language's words and address prefix, Markdown. The pages (`render`)
//! and the files beside them (`outputs`) are siblings that share it.

use crate::base::time::SpanStatus;
use crate::markdown::Markdown;
use crate::model::{Doc, Site, Text, Translations};
use crate::schedule::Schedule;
use crate::theme::words::Words;
use crate::theme::Theme;
use jiff::civil::Date;
use jiff::Timestamp;

/// One language of one site at one instant.
pub struct Lang<'a> {
    pub site: &'a Site,
    pub sched: &'a Schedule,
    pub markdown: &'a Markdown,
    /// This language's code (`zh`, `en`) and the site's default one.
    pub lang: &'a str,
    pub default: &'a str,
    pub words: Words<'a>,
    /// The `lang` attribute value (`zh-CN`).
    pub tag: String,
    /// Where this language's pages live: `""` or `"en/"`.
    pub prefix: String,
}

impl<'a> Lang<'a> {
    /// The context of `lang`, whose strings `theme` has (checked when the
    /// site was loaded).
    pub fn new(site: &'a Site, sched: &'a Schedule, theme: &'a Theme, markdown: &'a Markdown, lang: &'a str) -> Self {
        static NONE: std::sync::OnceLock<crate::theme::Strings> = std::sync::OnceLock::new();
        let strings = theme.i18n.get(lang).unwrap_or_else(|| NONE.get_or_init(Default::default));
        let words = Words::new(strings);
        Lang {
            site,
            sched,
            markdown,
            lang,
            default: site.default_lang(),
            tag: words.tag(lang),
            words,
            prefix: site.lang_prefix(lang),
        }
    }

    /// A label in this language (or the default one's).
    pub fn text(&self, t: &Text) -> String {
        t.show(self.lang, self.default)
    }

    pub fn opt(&self, t: &Option<Text>) -> String {
        t.as_ref().map(|t| self.text(t)).unwrap_or_default()
    }

    /// Markdown as HTML, by the site's rule for raw HTML.
    pub fn md(&self, src: &str) -> String {
        self.markdown.render(src, self.site.allow_html)
    }

    pub fn md_opt(&self, t: &Option<Text>) -> String {
        t.as_ref().map(|t| self.md(&self.text(t))).unwrap_or_default()
    }

    /// An optional prose document (awards, criteria): its title and HTML,
    /// and whether it is the default language's text standing in.
    pub fn prose(&self, t: &Translations<Doc>) -> (String, String, bool) {
        t.get(self.lang, self.default)
            .map(|(d, fallback)| (d.title.clone(), self.md(&d.body), fallback))
            .unwrap_or_default()
    }

    pub fn date(&self, d: Date) -> String {
        self.words.date(d)
    }

    pub fn span(&self, start: Date, end: Date) -> String {
        self.words.span(start, end)
    }

    /// An instant in the site's time zone, RFC 3339.
    pub fn instant(&self, t: Timestamp) -> String {
        t.to_zoned(self.site.time_zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }

    /// The absolute address of this language's home (`https://…/en/`).
    pub fn home_url(&self) -> String {
        format!("{}{}", self.site.base_url, self.prefix)
    }

    /// A link from a page whose way to the site root is `root` to the page
    /// `to` (a language-neutral key like `notices/x/`) of language `lang`.
    pub fn link(&self, root: &str, lang: &str, to: &str) -> String {
        format!("{root}{}{to}", self.site.lang_prefix(lang))
    }

    /// A track's name in this language, else its id.
    pub fn track_name(&self, id: &str) -> String {
        self.site.track(id).map(|t| self.text(&t.name)).unwrap_or_else(|| id.to_string())
    }

    /// An award level's name in this language.
    pub fn level_name(&self, id: &str) -> Option<String> {
        self.site.level(id).map(|(_, l)| self.text(&l.name))
    }

    /// A publicity window's status word and words.
    pub fn window(&self, s: SpanStatus) -> (&'static str, String) {
        (s.key(), self.words.window_status(s))
    }
}
