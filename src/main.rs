//! The `podium` command: parses arguments, reads the clock (the one place
//! that does), runs the library, prints diagnostics in the editor's
//! language and a report.

use clap::{Args, Parser, Subcommand};
use podium::base::diag::{display_path, Catalogue, Diagnostics};
use podium::build::{BuildOptions, Caches, Destination};
use podium::msg;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where `build` and `serve` keep highlighted code and the spare output
/// between runs.
const CACHE_DIR: &str = ".podium-cache";

#[derive(Parser)]
#[command(
    name = "podium",
    version,
    about = "Builds the bilingual competition websites from the files in sites/ and content/.",
    long_about = "Podium turns the Markdown and YAML files of each site (sites/<id>/site.yaml and content/<id>/) into a complete website in public/<id>/, in Chinese and English.\n\nRun it from the folder that holds sites/, content/ and themes/."
)]
struct Cli {
    /// Language of messages: zh or en (default: from LANG, else English)
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

/// What `build` and `check` share.
#[derive(Args)]
struct Common {
    /// Only this site (the folder name under sites/); repeat for several
    #[arg(long = "site", value_name = "ID")]
    sites: Vec<String>,
    /// The moment to build for, e.g. 2025-08-25T12:00:00+08:00 (default: SOURCE_DATE_EPOCH, else the clock)
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
    /// Publish at this address instead of the base_url in site.yaml
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include drafts (draft: true)
    #[arg(long)]
    drafts: bool,
    /// The project folder holding sites/, content/ and themes/
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// The folder holding the themes (default: themes/ in the project folder)
    #[arg(long, value_name = "DIR")]
    themes: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the sites into public/ (every site, or those named with --site)
    #[command(
        after_help = "Examples:\n  podium build                       build every site\n  podium build --site liaoning       build one site\n  podium build --now 2025-08-25T12:00:00+08:00\n                                     build as if it were that moment (to check what the site will say)\n\nNothing is replaced unless the whole site builds: a mistake in a file leaves the published output as it was."
    )]
    Build {
        #[command(flatten)]
        common: Common,
        /// Where to write the sites
        #[arg(long, value_name = "DIR", default_value = "public")]
        out: PathBuf,
        /// Also write a gzip copy (.gz) beside every text file, for the CDN to send as is
        #[arg(long)]
        precompress: bool,
        /// Do not read or write .podium-cache/ (highlighted code, and the previous output that lets a build write only what changed)
        #[arg(long)]
        no_cache: bool,
        /// Also write the operator's report here (JSON: statuses, the next change, and the drafts and scheduled notices that the public build.json leaves out). Must be outside --out
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
    },
    /// Check the sites without writing anything: every file, every link, every translation
    #[command(
        after_help = "Exit status: 0 when there are no errors (warnings are allowed unless --strict), 1 when there are errors, 2 when the command itself is wrong.\n\nExamples:\n  podium check                       check every site\n  podium check --site liaoning --strict\n  podium check --lang zh             messages in Chinese"
    )]
    Check {
        #[command(flatten)]
        common: Common,
        /// Treat warnings (such as a missing translation) as errors
        #[arg(long)]
        strict: bool,
    },
    /// Preview the sites in a browser; pages reload when a file is saved
    #[command(
        after_help = "Examples:\n  podium serve                       every site, at http://127.0.0.1:8080/<site>/\n  podium serve --site liaoning       one site, at http://127.0.0.1:8080/\n\nWhen a saved file has an error, the browser keeps the last good page and shows what is wrong."
    )]
    Serve {
        #[command(flatten)]
        common: Common,
        /// The address to listen on (127.0.0.1: this computer only)
        #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port (0: any free port)
        #[arg(long, value_name = "N", default_value_t = 8080)]
        port: u16,
        /// Do not read or write the highlighted-code cache (.podium-cache/)
        #[arg(long)]
        no_cache: bool,
    },
    /// Start a new notice, page or publicity list: writes its files in every language of the site
    #[command(
        after_help = "Examples:\n  podium new notice --site liaoning\n  podium new publicity --site liaoning --slug winners-2025\n\nThe new files are drafts (draft: true) dated today; nothing existing is overwritten."
    )]
    New {
        /// What to create
        #[arg(value_enum)]
        kind: NewKind,
        /// The site (the folder name under sites/)
        #[arg(long = "site", value_name = "ID")]
        site: String,
        /// The file name, without language and extension (lowercase letters, digits and -)
        #[arg(long, value_name = "NAME")]
        slug: Option<String>,
        /// The moment to date the files from (default: SOURCE_DATE_EPOCH, else the clock)
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
        /// The project folder holding sites/, content/ and themes/
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// The folder holding the themes (default: themes/ in the project folder)
        #[arg(long, value_name = "DIR")]
        themes: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum NewKind {
    Notice,
    Page,
    Publicity,
}

/// The build's "now": `--now`, else `SOURCE_DATE_EPOCH`, else the clock.
fn resolve_now(arg: Option<&str>) -> Result<jiff::Timestamp, String> {
    if let Some(s) = arg {
        return podium::base::time::parse_instant(s)
            .map_err(|e| format!("--now `{s}` is not a time: {e}; write it like 2025-08-25T12:00:00+08:00"));
    }
    if let Ok(s) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = s
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH `{s}` is not a number of seconds"))?;
        return jiff::Timestamp::from_second(secs).map_err(|e| e.to_string());
    }
    #[allow(clippy::disallowed_methods)]
    Ok(jiff::Timestamp::now())
}

/// `--lang`, else the locale of the environment (`LC_ALL`, `LC_MESSAGES`,
/// `LANG`): Chinese for `zh…`, English otherwise.
fn message_language(arg: Option<&str>) -> &'static str {
    let from_env = || {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
    };
    match arg.map(str::to_owned).or_else(from_env) {
        Some(l) if l.to_ascii_lowercase().starts_with("zh") => "zh",
        _ => "en",
    }
}

fn options(common: Common) -> Result<BuildOptions, String> {
    let Common {
        sites,
        now,
        base_url,
        drafts,
        root,
        themes,
    } = common;
    Ok(BuildOptions {
        themes: themes.unwrap_or_else(|| root.join("themes")),
        root,
        sites,
        now: resolve_now(now.as_deref())?,
        base_url,
        drafts,
        precompress: false,
        preview: false,
    })
}

/// Prints every diagnostic, paths relative to the project folder.
fn print_diagnostics(diags: &Diagnostics, root: &Path, cat: &Catalogue) {
    for text in diags.render_relative(root, cat) {
        say_err(&format!("{text}\n"));
    }
}

/// Writes a line to standard output; `false` when it cannot be written (a
/// closed pipe, a full disk). Never panics: the report is not the build.
fn say(line: &str) -> bool {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").and_then(|()| out.flush()).is_ok()
}

/// Writes a line to standard error, ignoring a closed one.
fn say_err(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// `podium build`: every chosen site into `out`, all or none; then the
/// report. Exit status: 0 published; 1 errors, nothing replaced; 3
/// published, but the report could not be written (stdout or `--report`).
fn build(opts: BuildOptions, out: PathBuf, no_cache: bool, report: Option<&Path>, cat: &Catalogue) -> ExitCode {
    let caches = if no_cache {
        Caches::default()
    } else {
        Caches::default().store_in(&opts.root.join(CACHE_DIR))
    };
    let out = if out.is_absolute() { out } else { opts.root.join(out) };
    if let Some(r) = report {
        let inside = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        if inside(r).starts_with(inside(&out)) {
            say_err(&format!(
                "error: --report {}: the report names unpublished notices; write it outside the output folder {}",
                r.display(),
                out.display()
            ));
            return ExitCode::from(2);
        }
    }
    let dest = Destination {
        out: out.clone(),
        cache_dir: opts.root.join(CACHE_DIR),
        use_cache: !no_cache,
        faults: std::env::var("PODIUM_FAULT")
            .map(|f| podium::emit::faults::Faults::parse(&f))
            .unwrap_or_default(),
    };
    let (built, diags) = podium::build::build_to_disk(&opts, &caches, &dest);
    caches.save();
    print_diagnostics(&diags, &opts.root, cat);
    let errors = diags.sorted().iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        say_err(&cat.text(&msg!("summary_build_failed", n = errors)));
        return ExitCode::from(1);
    }
    // Every site is in: what follows only tells about it.
    let mut told = true;
    for b in &built {
        let pages: Vec<String> = b.stats.pages.iter().map(|(l, n)| format!("{n} {l}")).collect();
        let next = match b.schedule.next_change {
            Some(t) => t.to_zoned(b.site.time_zone.clone()).strftime("%Y-%m-%d %H:%M %Z").to_string(),
            None => "none scheduled".to_string(),
        };
        told &= say(&format!(
            "{}: {} pages ({}), {} ms; next change: {} → {}",
            b.site.id,
            b.stats.pages.values().sum::<usize>(),
            pages.join(", "),
            b.elapsed.as_millis(),
            next,
            out.join(&b.site.id).display()
        ));
    }
    if let Some(r) = report {
        if let Err(e) = write_report(r, &built) {
            say_err(&format!("error: cannot write the report {}: {e}", r.display()));
            told = false;
        }
    }
    if told {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    }
}

/// The operator's report: every site's full status (drafts and scheduled
/// notices included) and the earliest next change, written whole or not
/// at all.
fn write_report(path: &Path, built: &[podium::build::BuiltSite]) -> std::io::Result<()> {
    use podium::outputs::status::{status_json, Audience};
    let sites: serde_json::Map<String, serde_json::Value> = built
        .iter()
        .map(|b| {
            (
                b.site.id.clone(),
                status_json(&b.site, &b.schedule, &b.stats.pages, Audience::Operator),
            )
        })
        .collect();
    let next = built.iter().filter_map(|b| b.schedule.next_change).min();
    let v = serde_json::json!({ "next_change": next.map(|t| t.to_string()), "sites": sites });
    let mut text = serde_json::to_string_pretty(&v).map_err(std::io::Error::other)?;
    text.push('\n');
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let cat = Catalogue::get(message_language(cli.lang.as_deref()));
    if let Some(l) = cli.lang.as_deref().filter(|l| !matches!(*l, "zh" | "en")) {
        say_err(&format!("error: --lang {l}: use zh or en"));
        return ExitCode::from(2);
    }
    let outcome = match cli.command {
        Command::Build {
            common,
            out,
            precompress,
            no_cache,
            report,
        } => options(common).map(|o| build(BuildOptions { precompress, ..o }, out, no_cache, report.as_deref(), &cat)),
        Command::New {
            kind,
            site,
            slug,
            now,
            root,
            themes,
        } => resolve_now(now.as_deref()).map(|now| new(kind, &site, slug.as_deref(), now, &root, themes, &cat)),
        Command::Serve {
            common,
            bind,
            port,
            no_cache,
        } => {
            let pinned = common.now.is_some() || std::env::var_os("SOURCE_DATE_EPOCH").is_some();
            options(common).map(|o| serve(o, pinned, bind, port, no_cache, &cat))
        }
        Command::Check { common, strict } => options(common).map(|o| check(&o, strict, &cat)),
    };
    outcome.unwrap_or_else(|e| {
        say_err(&format!("error: {e}"));
        ExitCode::from(2)
    })
}

/// `podium new`: the files, or what is wrong.
fn new(
    kind: NewKind,
    site: &str,
    slug: Option<&str>,
    now: jiff::Timestamp,
    root: &Path,
    themes: Option<PathBuf>,
    cat: &Catalogue,
) -> ExitCode {
    let kind = match kind {
        NewKind::Notice => podium::scaffold::Kind::Notice,
        NewKind::Page => podium::scaffold::Kind::Page,
        NewKind::Publicity => podium::scaffold::Kind::Publicity,
    };
    let themes = themes.unwrap_or_else(|| root.join("themes"));
    match podium::scaffold::new(root, &themes, site, kind, slug, now) {
        Ok(paths) => {
            let root_abs = std::fs::canonicalize(root).unwrap_or(root.to_path_buf());
            for p in paths {
                let shown = display_path(&root_abs, &std::fs::canonicalize(&p).unwrap_or(p.clone()));
                say(&cat.text(&msg!("new_written", path = shown.display())));
            }
            say(&cat.text(&msg!("new_next_steps")));
            ExitCode::SUCCESS
        }
        Err(diags) => {
            print_diagnostics(&diags, root, cat);
            ExitCode::from(1)
        }
    }
}

/// `podium serve`: runs until interrupted.
fn serve(build: BuildOptions, pinned: bool, bind: std::net::IpAddr, port: u16, no_cache: bool, cat: &Catalogue) -> ExitCode {
    let known = podium::load::site_ids(&build.root);
    if let Some(unknown) = build.sites.iter().find(|s| !known.contains(s)) {
        let d = podium::base::diag::Diagnostic::error(build.root.join("sites").join(unknown), msg!("there_no_site", s = unknown))
            .hint(podium::base::text::suggestion(unknown, &known));
        say_err(&d.render(cat));
        return ExitCode::from(2);
    }
    if !bind.is_loopback() {
        say_err(&format!("warning: {}", cat.text(&msg!("serve_not_loopback", addr = bind))));
    }
    // Without --now the preview follows the clock: this is where it is read.
    #[allow(clippy::disallowed_methods)]
    let clock = if pinned {
        podium::serve::Clock::Pinned
    } else {
        podium::serve::Clock::Live(std::sync::Arc::new(jiff::Timestamp::now))
    };
    let opts = podium::serve::ServeOptions {
        clock,
        bind,
        port,
        lang: cat.lang.to_string(),
        debounce: std::time::Duration::from_millis(30),
        cache_dir: (!no_cache).then(|| build.root.join(CACHE_DIR)),
        limits: podium::serve::Limits::default(),
        build,
    };
    match podium::serve::start(opts) {
        Ok(running) => {
            say(&cat.text(&msg!("serve_listening", url = format!("http://{}/", running.addr))));
            loop {
                std::thread::park();
            }
        }
        Err(e) => {
            say_err(&format!("error: cannot serve on {bind}:{port}: {e}"));
            ExitCode::from(1)
        }
    }
}

/// `podium check`: every problem, then the count.
fn check(opts: &BuildOptions, strict: bool, cat: &Catalogue) -> ExitCode {
    let (_, diags) = podium::check::check(opts);
    let diags = if strict { diags.strict() } else { diags };
    print_diagnostics(&diags, &opts.root, cat);
    // As printed: each problem once.
    let shown = diags.sorted();
    let errors = shown.iter().filter(|d| d.is_error()).count();
    let warnings = shown.len() - errors;
    let sites: Vec<String> = podium::load::site_ids(&opts.root)
        .into_iter()
        .filter(|s| opts.sites.is_empty() || opts.sites.contains(s))
        .collect();
    say_err(&cat.text(&msg!(
        "summary_check",
        errors = errors,
        warnings = warnings,
        sites = sites.join(", ")
    )));
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
