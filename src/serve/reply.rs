//! A request's answer, before it meets the socket: the page, file or
//! redirect a path asks for in the served snapshot, with the live-reload
//! script (and the error overlay) put into every page.

use super::snapshot::Snapshot;
use crate::base::escape::html as escape;

/// A response, before it meets the socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
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

    pub fn text(status: u16, body: &str) -> Reply {
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
    let pinned = snap
        .pinned_now
        .as_ref()
        .map(|t| format!(" data-podium-now=\"{}\"", escape(t)))
        .unwrap_or_default();
    let head = format!(
        "<link rel=\"stylesheet\" href=\"/__podium/live.css\"><script src=\"/__podium/live.js\" data-generation=\"{}\"{pinned} defer></script>",
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
pub fn wait_since(url: &str) -> Option<u64> {
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

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// The status line and headers of a reply, blank line included.
pub fn head(reply: &Reply) -> Vec<u8> {
    let mut h = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        // A value is never allowed to start a header of its own.
        if !value.contains(['\r', '\n']) {
            h.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    h.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", reply.body.len()));
    h.into_bytes()
}
