//! The `podium` command: parses arguments, reads the clock (the one place
//! that does), runs the library, prints diagnostics and a report.

use clap::{Parser, Subcommand};
use podium::build::{build_all, emit, BuildOptions};
use podium::diag::display_path;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "podium",
    version,
    about = "Builds the bilingual competition websites from the files in sites/ and content/.",
    long_about = "Podium turns the Markdown and YAML files of each site (sites/<id>/site.yaml and content/<id>/) into a complete website in public/<id>/, in Chinese and English.\n\nRun it from the folder that holds sites/, content/ and themes/."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the sites into public/ (every site, or those named with --site)
    #[command(
        after_help = "Examples:\n  podium build                       build every site\n  podium build --site liaoning       build one site\n  podium build --now 2025-08-25T12:00:00+08:00\n                                     build as if it were that moment (to check what the site will say)\n\nNothing is replaced unless the whole site builds: a mistake in a file leaves the published output as it was."
    )]
    Build {
        /// Build only this site (the folder name under sites/); repeat for several
        #[arg(long = "site", value_name = "ID")]
        sites: Vec<String>,
        /// Where to write the sites
        #[arg(long, value_name = "DIR", default_value = "public")]
        out: PathBuf,
        /// The moment the site is built for, e.g. 2025-08-25T12:00:00+08:00 (default: SOURCE_DATE_EPOCH, else the clock)
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
    },
}

/// The build's "now": `--now`, else `SOURCE_DATE_EPOCH`, else the clock.
fn resolve_now(arg: Option<&str>) -> Result<jiff::Timestamp, String> {
    if let Some(s) = arg {
        return podium::time::parse_instant(s)
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

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match cli.command {
        Command::Build {
            sites,
            out,
            now,
            base_url,
            drafts,
            root,
            themes,
        } => {
            let now = match resolve_now(now.as_deref()) {
                Ok(n) => n,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let opts = BuildOptions {
                root: root.clone(),
                themes: themes.unwrap_or_else(|| root.join("themes")),
                sites,
                now,
                base_url,
                drafts,
            };
            let (built, diags) = build_all(&opts);
            let root_abs = std::fs::canonicalize(&root).unwrap_or(root.clone());
            for d in diags.sorted() {
                let mut d = d;
                d.path = display_path(&root_abs, &std::fs::canonicalize(&d.path).unwrap_or(d.path.clone()));
                eprintln!("{d}\n");
            }
            if diags.has_errors() {
                let n = diags.sorted().iter().filter(|d| d.is_error()).count();
                eprintln!("{n} error(s): nothing was written; the published sites are unchanged.");
                return ExitCode::from(1);
            }
            let out = if out.is_absolute() { out } else { root.join(out) };
            for b in &built {
                if let Err(e) = emit(&b.output, &out, &b.site.id) {
                    eprintln!("error: cannot write {}: {e}", out.join(&b.site.id).display());
                    return ExitCode::from(1);
                }
                let pages: Vec<String> = b.stats.pages.iter().map(|(l, n)| format!("{n} {l}")).collect();
                let next = match b.schedule.next_change {
                    Some(t) => t.to_zoned(b.site.time_zone.clone()).strftime("%Y-%m-%d %H:%M %Z").to_string(),
                    None => "none scheduled".to_string(),
                };
                println!(
                    "{}: {} pages ({}), {} ms; next change: {} → {}",
                    b.site.id,
                    b.stats.pages.values().sum::<usize>(),
                    pages.join(", "),
                    b.elapsed.as_millis(),
                    next,
                    out.join(&b.site.id).display()
                );
            }
            ExitCode::SUCCESS
        }
    }
}
