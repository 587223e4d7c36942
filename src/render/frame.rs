//! What every page has around its content: title, navigation, the
//! language switcher and `hreflang` alternates, breadcrumbs, the column
//! name — and the call into the theme's template with all of it.

use super::context::PageCx;
use super::views::{Alternate, Link, NavItem, SiteView};
use crate::base::diag::Diagnostic;
use crate::msg;
use crate::theme::Strings;
use serde::Serialize;

/// What every page has: identity, navigation, languages.
#[derive(Serialize)]
pub struct PageMeta {
    pub title: String,
    /// `<title>`: page title and site name.
    pub head_title: String,
    pub description: String,
    /// Relative path to the site root ("../../"), or an absolute path on 404.
    pub root: String,
    /// Root of this language ("../../en/").
    pub home: String,
    pub css: String,
    pub css_integrity: String,
    pub canonical: String,
    pub section: String,
    pub nav: Vec<NavItem>,
    pub languages: Vec<Alternate>,
    pub x_default: String,
    pub feeds: Vec<Alternate>,
    /// The content is the default language's: no translation exists.
    pub fallback: bool,
    pub content_lang: String,
    pub breadcrumbs: Vec<Link>,
    /// `ColumnName`: the section's name.
    pub column: String,
    /// `ArticleTitle`, `PubDate`, `ContentSource` on article pages.
    pub article: Option<ArticleMeta>,
    /// Deferred scripts of this page (static files, with SRI).
    pub scripts: Vec<ScriptRef>,
    /// On pages with day counts: what the script needs to keep them right.
    pub clock: Option<ClockView>,
}

/// The page's clock: the build's "now" and day (stamps, see
/// `outputs::stamps`), the site's time zone, and the instant until which
/// nothing but day counts changes on the page (its next change of state;
/// after it the script says the page may be out of date).
#[derive(Serialize)]
pub struct ClockView {
    pub now: String,
    pub today: String,
    pub today_iso: String,
    pub time_zone: String,
    pub valid_until: String,
    /// Month names for the date format, `|`-separated.
    pub months: String,
    /// "This page shows the status as of …", shown once the page is past
    /// its next change of state.
    pub stale: String,
}

/// The clock of a page of `lx`, and its day counting script.
pub fn with_clock(pc: &PageCx, meta: &mut PageMeta, root: &str) {
    let lx = pc.lx;
    meta.clock = Some(ClockView {
        now: lx.instant(lx.sched.now),
        today: lx.date(lx.sched.today),
        today_iso: lx.sched.today.to_string(),
        time_zone: lx.site.time_zone_name.clone(),
        valid_until: lx.sched.next_state_change.map(|t| lx.instant(t)).unwrap_or_default(),
        months: (1..=12).map(|m| lx.words.s(&format!("month_{m}"))).collect::<Vec<_>>().join("|"),
        stale: lx.words.f("page_may_be_stale", &[("date", &lx.date(lx.sched.today))]),
    });
    meta.scripts = script(pc, root, "countdown.js");
}

#[derive(Serialize)]
pub struct ScriptRef {
    pub src: String,
    pub integrity: String,
}

#[derive(Serialize)]
pub struct ArticleMeta {
    pub title: String,
    pub pub_date: String,
    pub source: String,
}

/// The whole context a template sees.
#[derive(Serialize)]
struct TemplateCx<'a, D: Serialize> {
    lang: &'a str,
    lang_tag: &'a str,
    t: &'a Strings,
    site: &'a SiteView,
    page: PageMeta,
    data: D,
}

/// The sections of the main menu, in order, with their i18n key; search
/// right after the tracks it mostly finds (on a phone the first few items
/// show without scrolling). Awards and criteria only when the site has
/// them.
const SECTIONS: [&str; 7] = ["notices", "tracks", "search", "timeline", "awards", "criteria", "publicity"];

/// "../" once per folder level of the output path `path`.
pub fn root_for(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// The frame of the page `key` (language-neutral: `""`, `notices/x/`,
/// `404.html`) in section `section`, for a page at `root`.
pub fn meta(pc: &PageCx, root: &str, key: &str, section: &str) -> PageMeta {
    let lx = pc.lx;
    let site = lx.site;
    let home = format!("{root}{}", lx.prefix);
    let key = if key == "404.html" { "" } else { key };
    let abs = |lang: &str| format!("{}{}{key}", site.base_url, site.lang_prefix(lang));
    let alternate = |l: &String, href: String, abs: String| Alternate {
        lang: l.clone(),
        tag: pc.tag_of(l),
        name: pc.name_of(l),
        href,
        abs,
    };
    let css = pc.assets.get("style.css");
    PageMeta {
        title: String::new(),
        head_title: String::new(),
        description: String::new(),
        root: root.to_string(),
        home: home.clone(),
        css: css.map(|a| format!("{root}{}", a.path)).unwrap_or_default(),
        css_integrity: css.map(|a| a.integrity.clone()).unwrap_or_default(),
        canonical: abs(lx.lang),
        section: section.to_string(),
        nav: nav(pc, &home, section),
        languages: site
            .languages
            .iter()
            .map(|l| alternate(l, format!("{root}{}{key}", site.lang_prefix(l)), abs(l)))
            .collect(),
        x_default: abs(lx.default),
        feeds: site
            .languages
            .iter()
            .map(|l| alternate(l, format!("{root}{}atom.xml", site.lang_prefix(l)), String::new()))
            .collect(),
        fallback: false,
        content_lang: pc.tag_of(lx.default),
        breadcrumbs: vec![Link {
            href: home,
            label: lx.words.s("home"),
        }],
        column: column(pc, section),
        article: None,
        scripts: Vec::new(),
        clock: None,
    }
}

/// The main menu: home, the sections the site has, the free pages that ask
/// for a place in it.
fn nav(pc: &PageCx, home: &str, section: &str) -> Vec<NavItem> {
    let lx = pc.lx;
    let site = lx.site;
    let has = |k: &str| match k {
        "awards" => site.awards.is_some(),
        "criteria" => site.criteria.is_some(),
        _ => true,
    };
    let item = |href: String, label: String, key: &str| NavItem {
        href,
        label,
        current: section == key,
    };
    let mut nav = vec![item(home.to_string(), lx.words.s("home"), "home")];
    nav.extend(
        SECTIONS
            .iter()
            .filter(|k| has(k))
            .map(|k| item(format!("{home}{k}/"), lx.words.s(k), k)),
    );
    for p in lx.sched.pages(site).filter(|p| p.menu.is_some()) {
        let title = p.text.get(lx.lang, lx.default).map(|(d, _)| d.title.clone()).unwrap_or_default();
        nav.push(item(format!("{home}{}/", p.slug), title, &p.slug));
    }
    nav
}

/// `ColumnName`: the name of the section a page belongs to.
fn column(pc: &PageCx, section: &str) -> String {
    let lx = pc.lx;
    match section {
        "" => String::new(),
        "data" => lx.words.s("open_data"),
        s if s == "home" || SECTIONS.contains(&s) => lx.words.s(s),
        slug => lx
            .site
            .pages
            .iter()
            .find(|p| p.slug == slug)
            .and_then(|p| p.text.get(lx.lang, lx.default))
            .map(|(d, _)| d.title.clone())
            .unwrap_or_default(),
    }
}

/// The deferred script `static/<name>`, linked from a page at `root`.
pub fn script(pc: &PageCx, root: &str, name: &str) -> Vec<ScriptRef> {
    pc.assets
        .get(name)
        .map(|a| ScriptRef {
            src: format!("{root}{}", a.path),
            integrity: a.integrity.clone(),
        })
        .into_iter()
        .collect()
}

/// The page: `data` in `template`, inside the frame `meta`.
pub fn finish<D: Serialize>(pc: &PageCx, template: &str, mut meta: PageMeta, data: D) -> Result<String, Diagnostic> {
    meta.head_title = if meta.title == pc.view.name {
        meta.title.clone()
    } else {
        format!("{} - {}", meta.title, pc.view.short_name)
    };
    if meta.description.is_empty() {
        meta.description = pc.view.name.clone();
    }
    let cx = TemplateCx {
        lang: pc.lx.lang,
        lang_tag: &pc.lx.tag,
        t: pc.lx.words.strings,
        site: &pc.view,
        page: meta,
        data,
    };
    let theme = pc.theme;
    let context = tera::Context::from_serialize(&cx).map_err(|e| Diagnostic::error(template, msg!("cannot_prepare_page", e = e)))?;
    theme.tera.render(template, &context).map_err(|e| {
        Diagnostic::error(
            theme.dir.join("templates").join(template),
            msg!("template_failed", arg0 = crate::theme::error_chain(&e)),
        )
    })
}

/// What a page's content is given: the context, its frame, and its way to
/// the site root.
pub struct Frame<'p, 'a> {
    pub pc: &'p PageCx<'a>,
    pub meta: PageMeta,
    /// The relative way to the site root ("../../"), or the base path on
    /// the 404 page, which is served at any depth.
    pub root: String,
}

impl Frame<'_, '_> {
    /// A breadcrumb to the section `key` of this language.
    pub fn crumb(&mut self, key: &str, label: String) {
        self.meta.breadcrumbs.push(Link {
            href: format!("{}{key}", self.meta.home),
            label,
        });
    }
}
