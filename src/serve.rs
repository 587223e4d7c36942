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

use crate::build::{build_site, BuildOptions, Caches};
use crate::diag::Catalogue;
use crate::markdown::escape;
use crate::msg;
use crate::render::Output;
use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

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
    generation: Mutex<u64>,
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
        *self.generation.lock().unwrap_or_else(|e| e.into_inner()) = generation;
        self.changed.notify_all();
    }

    /// Waits until the generation differs from `since`, at most `timeout`.
    pub fn wait(&self, since: u64, timeout: Duration) -> u64 {
        let g = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        let (g, _) = self
            .changed
            .wait_timeout_while(g, timeout, |g| *g == since)
            .unwrap_or_else(|e| e.into_inner());
        *g
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

    fn redirect(location: String) -> Reply {
        let mut r = Reply::text(301, "moved\n");
        r.headers.push(("Location", location));
        r
    }
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
        let seg = percent_decode_strict(raw)?;
        if seg == "." || seg == ".." || seg.contains(['/', '\\', '\0']) || seg.chars().any(char::is_control) {
            return None;
        }
        segments.push(seg);
    }
    let trailing = trailing || segments.is_empty();
    Some((segments, trailing))
}

/// Percent-decoding that refuses broken escapes and non-UTF-8.
fn percent_decode_strict(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

const LIVE_JS: &str = r#"(function () {
  var me = document.currentScript;
  var generation = me ? me.getAttribute("data-generation") : "0";
  function poll() {
    fetch("/__podium/wait?since=" + generation, { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (g) { if (g.trim() !== generation) { location.reload(); } else { poll(); } })
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

/// Answers one request from a snapshot. Pure: the tests call it directly.
pub fn respond(snap: &Snapshot, method: &str, url: &str) -> Reply {
    if method != "GET" && method != "HEAD" {
        let mut r = Reply::text(405, "only GET and HEAD\n");
        r.headers.push(("Allow", "GET, HEAD".to_string()));
        return r;
    }
    let Some((segments, trailing)) = parse_path(url) else {
        return Reply::text(400, "bad request\n");
    };
    match segments.first().map(String::as_str) {
        Some("__podium") => {
            return match segments.get(1).map(String::as_str) {
                Some("live.js") if segments.len() == 2 => Reply::new(200, "text/javascript; charset=utf-8", LIVE_JS.as_bytes().to_vec()),
                Some("live.css") if segments.len() == 2 => Reply::new(200, "text/css; charset=utf-8", LIVE_CSS.as_bytes().to_vec()),
                _ => Reply::text(404, "not found\n"),
            };
        }
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
}

/// A running server: its address and its shared state.
pub struct Running {
    pub addr: SocketAddr,
    pub live: Arc<Live>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    server: Arc<tiny_http::Server>,
}

impl Running {
    pub fn stop(&self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        self.server.unblock();
        self.live.changed.notify_all();
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
    let all = crate::content::site_ids(&opts.build.root);
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
    let mut diags = crate::diag::Diagnostics::default();
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
        eprintln!("{p}\n");
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

/// Turns Nagle's algorithm off for every connection the listener accepts
/// (Linux copies the option to accepted sockets). tiny_http writes a
/// response's head and body separately and offers no switch of its own:
/// with Nagle on, each response after the first on a kept-alive connection
/// waits ~40 ms for the client's delayed ACK.
fn no_delay(listener: &std::net::TcpListener) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let one: libc::c_int = 1;
        // SAFETY: a valid socket descriptor owned by `listener`, a pointer
        // to a live c_int and its exact size; setsockopt reads nothing else.
        unsafe {
            libc::setsockopt(
                listener.as_raw_fd(),
                libc::IPPROTO_TCP,
                libc::TCP_NODELAY,
                (&one as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
        }
    }
}

/// Builds, starts serving and watching; returns at once. The server runs
/// until [`Running::stop`].
pub fn start(opts: ServeOptions) -> std::io::Result<Running> {
    let cat = Catalogue::get(&opts.lang);
    let listener = std::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port))?;
    no_delay(&listener);
    let server = tiny_http::Server::from_listener(listener, None).map_err(|e| std::io::Error::other(e.to_string()))?;
    let addr = server.server_addr().to_ip().ok_or_else(|| std::io::Error::other("no IP address"))?;
    let server = Arc::new(server);
    let live = Arc::new(Live::default());
    let caches = Arc::new(match &opts.cache_dir {
        Some(dir) => Caches::for_serve().store_in(dir),
        None => Caches::for_serve(),
    });
    let first = rebuild(&opts, addr, &caches, &Snapshot::default(), &BTreeSet::new(), &[], &cat);
    live.publish(first);
    caches.save();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));

    // Request workers: short requests here, long-polls on their own thread.
    for _ in 0..4 {
        let (server, live, stop) = (server.clone(), live.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let Ok(Some(rq)) = server.recv_timeout(Duration::from_millis(500)) else {
                    continue;
                };
                handle(rq, &live, &stop);
            }
        });
    }

    // The watcher. Only changes count (not the reads a rebuild itself
    // makes); a burst of them — an editor's save is often several — is
    // gathered for `debounce` after the first, then rebuilt once.
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
    let root = std::fs::canonicalize(&opts.build.root)?;
    let themes = std::fs::canonicalize(&opts.build.themes).unwrap_or(opts.build.themes.clone());
    for dir in [root.join("sites"), root.join("content"), themes.clone()] {
        if dir.is_dir() {
            notify::Watcher::watch(&mut watcher, &dir, notify::RecursiveMode::Recursive)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
        }
    }
    {
        let (live, stop) = (live.clone(), stop.clone());
        std::thread::spawn(move || {
            let _keep = watcher;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let Ok(first) = rx.recv_timeout(Duration::from_millis(300)) else {
                    continue;
                };
                let mut paths = vec![first];
                let until = Instant::now() + opts.debounce;
                while let Some(left) = until.checked_duration_since(Instant::now()) {
                    match rx.recv_timeout(left) {
                        Ok(p) => paths.push(p),
                        Err(_) => break,
                    }
                }
                let mut only = BTreeSet::new();
                let mut all = false;
                let mut forget = false;
                for p in &paths {
                    let p = std::fs::canonicalize(p).unwrap_or(p.clone());
                    let (site, themes_changed) = if p.starts_with(&themes) {
                        (None, true)
                    } else {
                        affected(&root, &p)
                    };
                    forget |= themes_changed;
                    match site {
                        Some(id) => {
                            only.insert(id);
                        }
                        None => all = true,
                    }
                }
                if forget {
                    caches.forget_themes();
                }
                if all {
                    only.clear();
                }
                let started = Instant::now();
                // A theme change redraws everything: no page can be kept.
                let changed = if forget { Vec::new() } else { paths.clone() };
                let next = rebuild(&opts, addr, &caches, &live.snapshot(), &only, &changed, &cat);
                let ok = next.problems.is_none();
                live.publish(next);
                caches.save();
                let which = if only.is_empty() {
                    "all sites".to_string()
                } else {
                    only.iter().cloned().collect::<Vec<_>>().join(", ")
                };
                eprintln!(
                    "rebuilt {which} in {} ms{}",
                    started.elapsed().as_millis(),
                    if ok { "" } else { " (with errors: serving the last good version)" }
                );
            }
        });
    }
    Ok(Running { addr, live, stop, server })
}

/// The most header bytes we accept in one request.
pub const MAX_HEADERS: usize = 16 * 1024;

fn handle(rq: tiny_http::Request, live: &Arc<Live>, stop: &Arc<std::sync::atomic::AtomicBool>) {
    let method = rq.method().as_str().to_string();
    let url = rq.url().to_string();
    let header_bytes: usize = rq
        .headers()
        .iter()
        .map(|h| h.field.as_str().as_str().len() + h.value.as_str().len() + 4)
        .sum();
    if header_bytes > MAX_HEADERS {
        send(rq, Reply::text(400, "request headers too large\n"));
        return;
    }
    if (method == "GET" || method == "HEAD") && url.starts_with("/__podium/wait") {
        let since: u64 = url
            .split_once("since=")
            .and_then(|(_, v)| v.split('&').next()?.parse().ok())
            .unwrap_or(0);
        let live = live.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            let g = if stop.load(std::sync::atomic::Ordering::SeqCst) {
                since
            } else {
                live.wait(since, Duration::from_secs(25))
            };
            send(rq, Reply::text(200, &g.to_string()));
        });
        return;
    }
    let reply = respond(&live.snapshot(), &method, &url);
    send(rq, reply);
}

fn send(rq: tiny_http::Request, reply: Reply) {
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    for (k, v) in reply.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            response.add_header(h);
        }
    }
    let _ = rq.respond(response);
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
