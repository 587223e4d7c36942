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
use crate::base::escape::html as escape;
use crate::build::{build_site, BuildOptions, Caches};
use crate::emit::Output;
use crate::msg;
use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

mod http;
mod wait;

pub use http::Limits;

/// One generation of what is served.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub generation: u64,
    /// The last good output of each site.
    pub sites: BTreeMap<String, Arc<Output>>,
    /// The diagnostics of the last rebuild, as `check` prints them, when it
    /// had errors.
    pub problems: Option<String>,
    /// `--site`: that site is served at `/`.
    pub root_site: Option<String>,
    /// The overlay's heading, in the editor's language.
    pub problems_title: String,
}

/// The snapshot being served, and a signal for the long-polls.
#[derive(Default)]
pub struct Live {
    current: RwLock<Arc<Snapshot>>,
    signal: Mutex<wait::Signal>,
    changed: Condvar,
}

impl Live {
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Publishes a new snapshot and wakes every waiting browser.
    pub fn publish(&self, snap: Snapshot) {
        let generation = snap.generation;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snap);
        self.signal().generation = generation;
        self.changed.notify_all();
    }

    /// Waits until the generation differs from `since`, at most `timeout`.
    pub fn wait(&self, since: u64, timeout: Duration) -> u64 {
        let s = self.signal();
        let (s, _) = self
            .changed
            .wait_timeout_while(s, timeout, |s| s.generation == since)
            .unwrap_or_else(|e| e.into_inner());
        s.generation
    }
}

/// A response, before it meets the socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    fn new(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-store".to_string()),
                ("X-Content-Type-Options", "nosniff".to_string()),
            ],
            body,
        }
    }

    fn text(status: u16, body: &str) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", body.as_bytes().to_vec())
    }

    /// A redirect to a path given decoded; it is sent percent-encoded.
    fn redirect(path: String) -> Reply {
        let mut r = Reply::text(301, "moved\n");
        r.headers.push(("Location", encode_path(&path)));
        r
    }
}

/// Percent-encodes a decoded path for a `Location` header: every byte but
/// the unreserved and sub-delimiter characters, `:`, `@` and `/`.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `Content-Type` of a file, with a charset for text.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "zip" => "application/zip",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// The longest request target we accept.
pub const MAX_URL: usize = 2048;

/// A request path, checked and split: the segments (percent-decoded) and
/// whether it ends in `/`. `None` is a bad request: a segment `.` or `..`,
/// an encoded `/` or `\`, a backslash, an empty segment (`//`), a NUL,
/// broken percent-encoding, or a target that is not a path.
pub fn parse_path(url: &str) -> Option<(Vec<String>, bool)> {
    if url.len() > MAX_URL || !url.starts_with('/') || url.contains('\\') {
        return None;
    }
    let path = url.split(['?', '#']).next().unwrap_or("");
    let trailing = path.ends_with('/');
    let inner = path.trim_start_matches('/').trim_end_matches('/');
    if path.starts_with("//") || inner.contains("//") {
        return None;
    }
    let mut segments = Vec::new();
    for raw in inner.split('/').filter(|s| !s.is_empty()) {
        let seg = crate::base::escape::percent_decode_strict(raw)?;
        if seg == "." || seg == ".." || seg.contains(['/', '\\', '\0']) || seg.chars().any(char::is_control) {
            return None;
        }
        segments.push(seg);
    }
    let trailing = trailing || segments.is_empty();
    Some((segments, trailing))
}

const LIVE_JS: &str = r#"(function () {
  var me = document.currentScript;
  var generation = me ? me.getAttribute("data-generation") : "0";
  function poll() {
    var asked = Date.now();
    fetch("/__podium/wait?since=" + generation, { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (g) {
        if (g.trim() !== generation) { location.reload(); }
        // Answered at once (the server has too many waiting): ask again later.
        else { setTimeout(poll, Date.now() - asked < 1000 ? 1000 : 0); }
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"#;

const LIVE_CSS: &str = r#".podium-overlay { position: fixed; inset: 0; z-index: 2147483647; overflow: auto; background: rgba(20, 22, 28, 0.94); color: #f3f4f6; padding: 1.5rem; font: 14px/1.5 ui-monospace, Menlo, Consolas, "Noto Sans Mono CJK SC", monospace; }
.podium-overlay h2 { color: #ff8a80; font: 600 1.1rem/1.4 system-ui, sans-serif; margin: 0 0 1rem; }
.podium-overlay pre { white-space: pre-wrap; margin: 0; }
"#;

/// Adds the reload script (and the overlay, if the last rebuild failed)
/// to an HTML page.
fn inject(html: &[u8], snap: &Snapshot) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let head = format!(
        "<link rel=\"stylesheet\" href=\"/__podium/live.css\"><script src=\"/__podium/live.js\" data-generation=\"{}\" defer></script>",
        snap.generation
    );
    let mut out = match text.find("</head>") {
        Some(i) => format!("{}{head}{}", &text[..i], &text[i..]),
        None => format!("{head}{text}"),
    };
    if let Some(problems) = &snap.problems {
        let overlay = format!(
            "<div class=\"podium-overlay\" role=\"alert\" id=\"podium-problems\"><h2>{}</h2><pre>{}</pre></div>",
            escape(&snap.problems_title),
            escape(problems)
        );
        match out.find("<body>") {
            Some(i) => out.insert_str(i + "<body>".len(), &overlay),
            None => out.push_str(&overlay),
        }
    }
    out.into_bytes()
}

/// The page that lists the sites, when several are served.
fn site_index(snap: &Snapshot) -> Reply {
    let mut html = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Podium preview</title></head><body><h1>Podium preview</h1><ul>\n");
    for id in snap.sites.keys() {
        html.push_str(&format!("<li><a href=\"/{0}/\">{0}</a></li>\n", escape(id)));
    }
    html.push_str("</ul></body></html>\n");
    let mut r = Reply::new(200, "text/html; charset=utf-8", Vec::new());
    r.body = inject(html.as_bytes(), snap);
    r
}

/// The `since` of a long-poll: `Some` when `url` is exactly
/// `/__podium/wait`, with nothing after it but a query (`since` is 0 when
/// the query lacks it).
fn wait_since(url: &str) -> Option<u64> {
    let rest = url.strip_prefix("/__podium/wait")?;
    if !rest.is_empty() && !rest.starts_with('?') {
        return None;
    }
    let since = rest.get(1..).unwrap_or("").split('&').find_map(|kv| kv.strip_prefix("since="));
    Some(since.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Podium's own addresses, under `/__podium/`, matched exactly on the raw
/// target (a query allowed) before anything else reads the path: nothing
/// under that prefix falls through to a site or passes for another
/// endpoint. The long-poll is answered at once here; the server parks it
/// before it comes to this.
fn podium_endpoint(snap: &Snapshot, url: &str) -> Option<Reply> {
    let rest = url.strip_prefix("/__podium/")?;
    if wait_since(url).is_some() {
        return Some(Reply::text(200, &snap.generation.to_string()));
    }
    Some(match rest.split('?').next().unwrap_or("") {
        "live.js" => Reply::new(200, "text/javascript; charset=utf-8", LIVE_JS.as_bytes().to_vec()),
        "live.css" => Reply::new(200, "text/css; charset=utf-8", LIVE_CSS.as_bytes().to_vec()),
        _ => Reply::text(404, "not found\n"),
    })
}

/// Answers one request from a snapshot. Pure: the tests call it directly.
pub fn respond(snap: &Snapshot, method: &str, url: &str) -> Reply {
    if method != "GET" && method != "HEAD" {
        let mut r = Reply::text(405, "only GET and HEAD\n");
        r.headers.push(("Allow", "GET, HEAD".to_string()));
        return r;
    }
    if let Some(reply) = podium_endpoint(snap, url) {
        return reply;
    }
    let Some((segments, trailing)) = parse_path(url) else {
        return Reply::text(400, "bad request\n");
    };
    match segments.first().map(String::as_str) {
        // `/__podium/` spelt with escapes: never a site.
        Some("__podium") => return Reply::text(404, "not found\n"),
        None if snap.root_site.is_none() => return site_index(snap),
        _ => {}
    }
    // Which site, and the path inside it.
    let (site_id, rest, prefix) = match &snap.root_site {
        Some(id) => (id.as_str(), &segments[..], String::from("/")),
        None => (segments[0].as_str(), &segments[1..], format!("/{}/", segments[0])),
    };
    let Some(output) = snap.sites.get(site_id) else {
        return Reply::text(404, "not found\n");
    };
    if rest.is_empty() && !trailing {
        return Reply::redirect(prefix);
    }
    let joined = rest.join("/");
    let key = if trailing || rest.is_empty() {
        if joined.is_empty() {
            "index.html".to_string()
        } else {
            format!("{joined}/index.html")
        }
    } else {
        joined.clone()
    };
    let serve_file = |status: u16, key: &str, bytes: &[u8]| {
        let ct = content_type(key);
        let body = if ct.starts_with("text/html") {
            inject(bytes, snap)
        } else {
            bytes.to_vec()
        };
        Reply::new(status, ct, body)
    };
    if let Some(bytes) = output.files.get(&key) {
        return serve_file(200, &key, bytes);
    }
    // A folder asked for without its slash.
    if !trailing && output.files.contains_key(&format!("{joined}/index.html")) {
        return Reply::redirect(format!("{prefix}{joined}/"));
    }
    match output.files.get("404.html") {
        Some(bytes) => serve_file(404, "404.html", bytes),
        None => Reply::text(404, "not found\n"),
    }
}

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
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
    let mut sites = previous.sites.clone();
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
            ..opts.build.clone()
        };
        // After an edit, pages the edit cannot touch are kept (build_site).
        let edit = previous.sites.get(id).filter(|_| !changed.is_empty()).map(|out| (&**out, changed));
        if let Some(b) = build_site(&o, caches, id, edit, &mut diags) {
            sites.insert(b.site.id.clone(), Arc::new(b.output));
        }
    }
    // A site whose folder is gone stops being served.
    sites.retain(|id, _| all.contains(id));
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

/// The most header bytes we accept in one request (request line and
/// headers together): the default of [`Limits::head_bytes`].
pub const MAX_HEADERS: usize = 16 * 1024;

/// A line for the editor's terminal; a closed one is no reason to stop
/// serving.
fn tell(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

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
