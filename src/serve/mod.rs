//! `podium serve`: a live preview for editors.
//!
//! The sites are built into memory, never to disk, and served from there:
//! each rebuild produces a new immutable [`Snapshot`] that replaces the old
//! one in a single pointer swap, so a request sees the old pages or the new
//! ones, never a half-written tree; and because every response is looked up
//! in that map, no request can reach a file outside the output, whatever
//! its path says.
//!
//! A file watcher (notify, debounced) rebuilds only the sites whose files
//! changed, reusing the compiled theme and every highlighted code block
//! ([`Caches`]). Pages served carry a small script that long-polls
//! `/__podium/wait` and reloads when the generation changes; `build` output
//! never contains it. When a rebuild fails, the last good pages stay up and
//! every page shows the diagnostics in an overlay until the error is fixed.
//!
//! The HTTP server is our own (`http.rs`), because every resource a client
//! can make it spend must be bounded, and a library that reads a request
//! before we see it cannot bound that. The bounds ([`Limits`], defaults):
//!
//! - a request head (request line and headers) of at most 16 KiB
//!   ([`MAX_HEADERS`]) and 100 header lines, enforced while reading: the
//!   server stops reading there and answers 431 (414 for a request line
//!   alone that long);
//! - 10 s for the whole head to arrive, counted from the accept (408, or a
//!   silent close if nothing came), so that however many slow clients came
//!   first, a request waits about 10 s at most for a worker; 60 s to send
//!   a response; one request per connection (`Connection: close`), so no
//!   idle connection holds a worker;
//! - 16 worker threads, fed through a queue of 64 accepted connections;
//!   beyond that a connection gets 503 at once;
//! - at most 512 parked long-polls, held by one thread whatever their
//!   number (`wait.rs`), each answered within 25 s; beyond 512 a long-poll
//!   is answered at once with the current generation;
//! - GET and HEAD only (405 otherwise); 400 for a malformed head, for
//!   HTTP/1.1 without exactly one `Host`, and for a path that is not UTF-8
//!   or not validly percent-encoded; `/__podium/` holds exactly
//!   `live.js`, `live.css` and `wait` (with only a query after it).
//!
//! So the server holds at most 16 + 64 + 512 sockets and 16 head buffers
//! of 16 KiB, whatever clients send; what a response costs is the size of
//! the file it sends.
use crate::base::diag::Catalogue;

use crate::build::{build_in_memory, BuildOptions, Caches};

use crate::msg;
use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod http;
mod live;
mod reply;
mod snapshot;

pub use http::{Limits, MAX_HEADERS};
pub use live::Live;
pub use reply::{content_type, parse_path, respond, Reply, MAX_URL};
pub use snapshot::Snapshot;

/// Which instant the preview shows.
#[derive(Clone)]
pub enum Clock {
    /// `--now` (or `SOURCE_DATE_EPOCH`): always `build.now`, and the
    /// pages' scripts read it instead of the browser's clock.
    Pinned,
    /// The clock, read through this function (which `main` gives: the one
    /// place that reads the clock). The preview rebuilds at every next
    /// change, so a notice appears at its `publish_at` and day counts turn
    /// at midnight without an edit.
    Live(Arc<dyn Fn() -> jiff::Timestamp + Send + Sync>),
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Clock::Pinned => "Pinned",
            Clock::Live(_) => "Live",
        })
    }
}

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub clock: Clock,
    pub bind: IpAddr,
    /// 0 for any free port.
    pub port: u16,
    /// Messages in this language (`en`, `zh`).
    pub lang: String,
    /// Debounce for file events.
    pub debounce: Duration,
    /// Where to keep highlighted code between sessions (`None`: nowhere).
    pub cache_dir: Option<PathBuf>,
    /// What any one client may make the server spend.
    pub limits: Limits,
}

/// A running server: its address and its shared state.
pub struct Running {
    pub addr: SocketAddr,
    pub live: Arc<Live>,
    stop: Arc<AtomicBool>,
}

impl Running {
    /// Stops serving and watching: parked long-polls are answered, the
    /// listening socket is closed, and the threads end (a worker busy with
    /// a connection ends when that connection does).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.live.stop_waiting();
        // The accept loop sleeps in accept(): a connection wakes it.
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let _ = TcpStream::connect_timeout(&SocketAddr::new(ip, self.addr.port()), Duration::from_secs(1));
    }
}

/// Rebuilds the given sites (all when `only` is empty) into a new snapshot
/// that keeps the last good output of every site that failed.
fn rebuild(
    opts: &ServeOptions,
    addr: SocketAddr,
    caches: &Caches,
    previous: &Snapshot,
    only: &BTreeSet<String>,
    changed: &[PathBuf],
    cat: &Catalogue,
) -> Snapshot {
    let all = crate::load::site_ids(&opts.build.root);
    let wanted: Vec<String> = all
        .iter()
        .filter(|id| opts.build.sites.is_empty() || opts.build.sites.contains(id))
        .filter(|id| only.is_empty() || only.contains(*id))
        .cloned()
        .collect();
    let root_site = if opts.build.sites.len() == 1 {
        Some(opts.build.sites[0].clone())
    } else {
        None
    };
    let now = match &opts.clock {
        Clock::Pinned => opts.build.now,
        Clock::Live(clock) => clock(),
    };
    let mut sites = previous.sites.clone();
    let mut next_change = previous.next_change.clone();
    let mut diags = crate::base::diag::Diagnostics::default();
    for id in &wanted {
        let base = match &root_site {
            Some(_) => format!("http://{addr}/"),
            None => format!("http://{addr}/{id}/"),
        };
        let o = BuildOptions {
            sites: vec![id.clone()],
            base_url: Some(base),
            preview: true,
            now,
            ..opts.build.clone()
        };
        // After an edit, pages the edit cannot touch are kept (build_site).
        let edit = previous.sites.get(id).filter(|_| !changed.is_empty()).map(|out| (&**out, changed));
        if let Some(b) = build_in_memory(&o, caches, id, edit, &mut diags) {
            match b.schedule.next_change {
                Some(t) => next_change.insert(id.clone(), t),
                None => next_change.remove(id),
            };
            sites.insert(b.site.id.clone(), Arc::new(b.output));
        }
    }
    // A site whose folder is gone stops being served.
    sites.retain(|id, _| all.contains(id));
    next_change.retain(|id, _| all.contains(id));
    let problems = diags
        .has_errors()
        .then(|| diags.render_relative(&opts.build.root, cat).join("\n\n"));
    if let Some(p) = &problems {
        tell(&format!("{p}\n"));
    }
    Snapshot {
        generation: previous.generation + 1,
        sites,
        problems,
        root_site,
        problems_title: cat.text(&msg!("serve_overlay_title")),
        next_change,
        pinned_now: matches!(opts.clock, Clock::Pinned)
            .then(|| now.to_zoned(jiff::tz::TimeZone::UTC).strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
    }
}

/// Which sites a changed path concerns; `None` means every site (a theme
/// file). Also says whether compiled themes must be dropped.
fn affected(root: &Path, path: &Path) -> (Option<String>, bool) {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
    match parts.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["content", id, ..] => (Some(id.to_string()), false),
        ["sites", id, sub, ..] if ["templates", "i18n", "static"].contains(sub) => (Some(id.to_string()), true),
        ["sites", id, ..] => (Some(id.to_string()), false),
        _ => (None, true),
    }
}

/// Builds, starts serving and watching; returns at once. The server runs
/// until [`Running::stop`].
pub fn start(opts: ServeOptions) -> std::io::Result<Running> {
    let cat = Catalogue::get(&opts.lang);
    let listener = TcpListener::bind(SocketAddr::new(opts.bind, opts.port))?;
    let addr = listener.local_addr()?;
    let live = Arc::new(Live::default());
    let caches = Arc::new(match &opts.cache_dir {
        Some(dir) => Caches::for_serve().store_in(dir),
        None => Caches::for_serve(),
    });
    let first = rebuild(&opts, addr, &caches, &Snapshot::default(), &BTreeSet::new(), &[], &cat);
    live.publish(first);
    caches.save();
    let root = std::fs::canonicalize(&opts.build.root)?;
    let themes = std::fs::canonicalize(&opts.build.themes).unwrap_or(opts.build.themes.clone());
    let (watcher, events) = watcher(&root, &themes)?;
    let running = Running {
        addr,
        live: live.clone(),
        stop: Arc::new(AtomicBool::new(false)),
    };
    let stop = running.stop.clone();
    let watching = Watching {
        root,
        themes,
        opts,
        addr,
        caches,
        cat,
    };
    let started = http::spawn(listener, live.clone(), watching.opts.limits.clone(), stop.clone()).and_then(|()| {
        std::thread::Builder::new().name("podium-watch".into()).spawn(move || {
            let _keep = watcher;
            watching.run(&events, &live, &stop);
        })
    });
    if let Err(e) = started {
        running.stop();
        return Err(e);
    }
    Ok(running)
}

/// A watcher on the sources, and the paths it reports changed. Only
/// changes count, not the reads a rebuild itself makes.
fn watcher(root: &Path, themes: &Path) -> std::io::Result<(notify::RecommendedWatcher, std::sync::mpsc::Receiver<PathBuf>)> {
    let (tx, rx) = std::sync::mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            if matches!(
                ev.kind,
                notify::EventKind::Create(_) | notify::EventKind::Modify(_) | notify::EventKind::Remove(_)
            ) {
                for p in ev.paths {
                    let _ = tx.send(p);
                }
            }
        }
    })
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    for dir in [root.join("sites"), root.join("content"), themes.to_path_buf()] {
        if dir.is_dir() {
            notify::Watcher::watch(&mut watcher, &dir, notify::RecursiveMode::Recursive)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
        }
    }
    Ok((watcher, rx))
}

/// What the rebuild loop needs.
struct Watching {
    opts: ServeOptions,
    root: PathBuf,
    themes: PathBuf,
    addr: SocketAddr,
    caches: Arc<Caches>,
    cat: Catalogue,
}

impl Watching {
    /// A burst of changes (an editor's save is often several) is gathered
    /// for `debounce` after the first, then rebuilt once.
    fn run(&self, events: &std::sync::mpsc::Receiver<PathBuf>, live: &Live, stop: &AtomicBool) {
        while !stop.load(Ordering::SeqCst) {
            let Ok(first) = events.recv_timeout(Duration::from_millis(300)) else {
                if self.time_has_come(live) {
                    self.rebuild(&[], live);
                }
                continue;
            };
            let mut paths = vec![first];
            let until = Instant::now() + self.opts.debounce;
            while let Some(left) = until.checked_duration_since(Instant::now()) {
                match events.recv_timeout(left) {
                    Ok(p) => paths.push(p),
                    Err(_) => break,
                }
            }
            self.rebuild(&paths, live);
        }
    }

    /// Following the clock, has a served site's next change come?
    fn time_has_come(&self, live: &Live) -> bool {
        let Clock::Live(clock) = &self.opts.clock else { return false };
        live.snapshot().next_change().is_some_and(|t| clock() >= t)
    }

    fn rebuild(&self, paths: &[PathBuf], live: &Live) {
        let (only, forget) = self.sites_of(paths);
        if forget {
            self.caches.forget_themes();
        }
        let started = Instant::now();
        // A theme change redraws everything: no page can be kept.
        let changed = if forget { Vec::new() } else { paths.to_vec() };
        let next = rebuild(&self.opts, self.addr, &self.caches, &live.snapshot(), &only, &changed, &self.cat);
        let ok = next.problems.is_none();
        live.publish(next);
        self.caches.save();
        let which = if only.is_empty() {
            "all sites".to_string()
        } else {
            only.iter().cloned().collect::<Vec<_>>().join(", ")
        };
        tell(&format!(
            "rebuilt {which} in {} ms{}",
            started.elapsed().as_millis(),
            if ok { "" } else { " (with errors: serving the last good version)" }
        ));
    }

    /// The sites the changed paths concern (empty: all of them), and
    /// whether compiled themes must be dropped.
    fn sites_of(&self, paths: &[PathBuf]) -> (BTreeSet<String>, bool) {
        let mut only = BTreeSet::new();
        let mut all = false;
        let mut forget = false;
        for p in paths {
            let p = std::fs::canonicalize(p).unwrap_or(p.clone());
            let (site, themes_changed) = if p.starts_with(&self.themes) {
                (None, true)
            } else {
                affected(&self.root, &p)
            };
            forget |= themes_changed;
            match site {
                Some(id) => {
                    only.insert(id);
                }
                None => all = true,
            }
        }
        if all {
            only.clear();
        }
        (only, forget)
    }
}

/// A line for the editor's terminal; a closed one is no reason to stop
/// serving.
fn tell(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::reply::wait_since;
    use super::*;
    use crate::emit::Output;
    use std::collections::BTreeMap;

    fn snap() -> Snapshot {
        let mut out = Output::default();
        out.files
            .insert("index.html".into(), b"<html><head></head><body>home</body></html>".to_vec().into());
        out.files.insert(
            "notices/index.html".into(),
            b"<html><head></head><body>notices</body></html>".to_vec().into(),
        );
        out.files
            .insert("404.html".into(), b"<html><head></head><body>lost</body></html>".to_vec().into());
        out.files.insert("static/style.css".into(), b"body{}".to_vec().into());
        out.files.insert("files/a b.txt".into(), b"attachment".to_vec().into());
        let mut sites = BTreeMap::new();
        sites.insert("ln".to_string(), Arc::new(out));
        Snapshot {
            generation: 3,
            sites,
            problems: None,
            root_site: None,
            problems_title: "errors".into(),
            ..Snapshot::default()
        }
    }

    #[test]
    fn pages_folders_and_types() {
        let s = snap();
        let r = respond(&s, "GET", "/ln/");
        assert_eq!(r.status, 200);
        assert!(String::from_utf8_lossy(&r.body).contains("data-generation=\"3\""));
        assert_eq!(respond(&s, "GET", "/ln").status, 301);
        let r = respond(&s, "GET", "/ln/notices");
        assert_eq!(
            (r.status, r.headers.iter().find(|h| h.0 == "Location").map(|h| h.1.as_str())),
            (301, Some("/ln/notices/"))
        );
        let r = respond(&s, "GET", "/ln/static/style.css");
        assert_eq!(r.headers[0].1, "text/css; charset=utf-8");
        assert_eq!(r.body, b"body{}");
        assert_eq!(respond(&s, "GET", "/ln/files/a%20b.txt").body, b"attachment");
        let r = respond(&s, "GET", "/ln/nothing/");
        assert_eq!(r.status, 404);
        assert!(String::from_utf8_lossy(&r.body).contains("lost"), "the site's own 404 page");
        assert!(String::from_utf8_lossy(&respond(&s, "GET", "/").body).contains("href=\"/ln/\""));
        assert_eq!(respond(&s, "POST", "/ln/").status, 405);
        assert_eq!(respond(&s, "DELETE", "/ln/").status, 405);
    }

    #[test]
    fn traversal_in_every_form_is_refused() {
        let s = snap();
        for url in [
            "/ln/../../etc/passwd",
            "/ln/%2e%2e/%2e%2e/etc/passwd",
            "/ln/%2E%2E/secret",
            "/ln/..%2f..%2fetc%2fpasswd",
            "/ln/static%2fstyle.css",
            "/ln/..\\..\\etc\\passwd",
            "/ln/%5c..%5cetc",
            "//etc/passwd",
            "/ln//etc/passwd",
            "/ln/./index.html",
            "/ln/%00",
            "/ln/%zz",
            "/ln/%c0%ae%c0%ae/",
            "http://evil.example/ln/",
            "etc/passwd",
        ] {
            let r = respond(&s, "GET", url);
            assert!(r.status == 400 || r.status == 404, "{url}: {}", r.status);
            let body = String::from_utf8_lossy(&r.body);
            assert!(!body.contains("root:"), "{url}");
        }
        assert_eq!(respond(&s, "GET", "/etc/passwd").status, 404);
        assert_eq!(respond(&s, "GET", &format!("/ln/{}", "a".repeat(MAX_URL))).status, 400);
    }

    #[test]
    fn podium_endpoints_are_exact() {
        let s = snap();
        let wait = respond(&s, "GET", "/__podium/wait?since=1");
        assert_eq!((wait.status, wait.body.as_slice()), (200, &b"3"[..]), "answered at once");
        assert_eq!(respond(&s, "GET", "/__podium/wait").body, b"3");
        assert_eq!(wait_since("/__podium/wait?x=1&since=7"), Some(7));
        assert_eq!(wait_since("/__podium/wait?since=x"), Some(0));
        assert_eq!(respond(&s, "GET", "/__podium/live.js?v=1").status, 200);
        for url in [
            "/__podium/wait/../../etc/passwd",
            "/__podium/waitx",
            "/__podium/wait/",
            "/__podium/live.js/",
            "/__podium/%6Cive.js",
            "/%5F_podium/live.js",
            "/__podium/",
        ] {
            assert_eq!(respond(&s, "GET", url).status, 404, "{url}");
            assert_eq!(wait_since(url), None, "{url}");
        }
    }

    #[test]
    fn a_redirect_is_percent_encoded() {
        let mut s = snap();
        let out = Arc::get_mut(s.sites.get_mut("ln").unwrap()).unwrap();
        out.files.insert("中文 %/index.html".into(), b"<html></html>".to_vec().into());
        let r = respond(&s, "GET", "/ln/%E4%B8%AD%E6%96%87%20%25");
        let location = r.headers.iter().find(|h| h.0 == "Location").map(|h| h.1.as_str());
        assert_eq!((r.status, location), (301, Some("/ln/%E4%B8%AD%E6%96%87%20%25/")));
    }

    #[test]
    fn failed_rebuild_shows_an_overlay_on_every_page() {
        let mut s = snap();
        s.problems = Some("content/x.md:2:1: error: <bad>".into());
        let body = String::from_utf8_lossy(&respond(&s, "GET", "/ln/notices/").body).to_string();
        assert!(body.contains("<body><div class=\"podium-overlay\""), "{body}");
        assert!(body.contains("content/x.md:2:1: error: &lt;bad&gt;"));
        assert!(body.contains("notices"), "the last good page is still there");
    }

    #[test]
    fn one_site_at_the_root() {
        let mut s = snap();
        s.root_site = Some("ln".into());
        assert!(String::from_utf8_lossy(&respond(&s, "GET", "/").body).contains("home"));
        assert_eq!(respond(&s, "GET", "/notices").status, 301);
    }

    #[test]
    fn changed_paths_name_their_site() {
        let root = Path::new("/p");
        assert_eq!(
            affected(root, Path::new("/p/content/ln/notices/a.zh.md")),
            (Some("ln".into()), false)
        );
        assert_eq!(affected(root, Path::new("/p/sites/ln/site.yaml")), (Some("ln".into()), false));
        assert_eq!(
            affected(root, Path::new("/p/sites/ln/templates/base.html")),
            (Some("ln".into()), true)
        );
        assert_eq!(affected(root, Path::new("/p/themes/default/templates/base.html")), (None, true));
    }
}
