//! `podium serve` over a real socket: pages, live reload, errors in the
//! browser, requests that try to leave the output, and the limits every
//! client is held to.
//!
//! The server runs in the test process, so the tests of its limits measure
//! this process (its memory, its threads): they take [`alone`], and every
//! other test [`shared`], so that nothing else runs meanwhile.

mod common;

use common::*;
use podium::serve::{start, Limits, ServeOptions, Snapshot};
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

static PROCESS: RwLock<()> = RwLock::new(());

/// For a test that measures the process: no other test runs meanwhile.
fn alone() -> RwLockWriteGuard<'static, ()> {
    PROCESS.write().unwrap_or_else(|e| e.into_inner())
}

/// For every other test: runs beside the others, not beside `alone`.
fn shared() -> RwLockReadGuard<'static, ()> {
    PROCESS.read().unwrap_or_else(|e| e.into_inner())
}

/// One raw HTTP/1.1 exchange; returns (status, head, body). The target is
/// sent exactly as given, so nothing normalizes `..` on the way.
fn raw(addr: SocketAddr, request: &[u8]) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    // Long enough for a long-poll (the server answers those within 25 s).
    s.set_read_timeout(Some(Duration::from_secs(if request.starts_with(b"GET /__podium/wait") {
        30
    } else {
        5
    })))
    .unwrap();
    let _ = s.write_all(request);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4).unwrap_or(buf.len());
    let head = String::from_utf8_lossy(&buf[..split]).to_string();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head, buf[split..].to_vec())
}

fn get(addr: SocketAddr, target: &str) -> (u16, String, String) {
    let (s, h, b) = raw(
        addr,
        format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    (s, h, String::from_utf8_lossy(&b).to_string())
}

fn serve_copy(name: &str) -> (std::path::PathBuf, podium::serve::Running) {
    serve_with(name, Limits::default())
}

fn serve_with(name: &str, limits: Limits) -> (std::path::PathBuf, podium::serve::Running) {
    let dir = temp_dir(name);
    copy_dir(&repo().join("tests/fixtures/clean"), &dir);
    let mut build = options(&dir, "2025-08-25T12:00:00+08:00");
    build.sites = vec![];
    let running = start(ServeOptions {
        build,
        clock: podium::serve::Clock::Pinned,
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        lang: "en".into(),
        debounce: Duration::from_millis(50),
        cache_dir: None,
        limits,
    })
    .unwrap();
    (dir, running)
}

/// Waits (long-poll, like the browser) for the next generation after `since`.
fn wait_reload(addr: SocketAddr, since: u64) -> u64 {
    let (_, _, body) = get(addr, &format!("/__podium/wait?since={since}"));
    body.trim().parse().unwrap()
}

fn generation(page: &str) -> u64 {
    page.split("data-generation=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .and_then(|g| g.parse().ok())
        .expect("the reload script")
}

fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let p = dir.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn an_edit_reloads_a_broken_edit_shows_the_error_and_a_fix_clears_it() {
    let _shared = shared();
    let (dir, server) = serve_copy("live");
    let addr = server.addr;
    let (status, head, page) = get(addr, "/basic/notices/first/");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/html; charset=utf-8"), "{head}");
    assert!(page.contains("关于举办测试分赛的通知"));
    assert!(page.contains("/__podium/live.js"), "the reload script is injected");
    let g0 = generation(&page);

    // A good edit: the reload signal, then the new text.
    let t = Instant::now();
    let waiter = std::thread::spawn(move || wait_reload(addr, g0));
    std::thread::sleep(Duration::from_millis(200));
    edit(
        &dir,
        "content/basic/notices/first.zh.md",
        "关于举办测试分赛的通知",
        "关于举办测试分赛的补充通知",
    );
    let g1 = waiter.join().unwrap();
    assert!(g1 > g0);
    let (_, _, page) = get(addr, "/basic/notices/first/");
    assert!(page.contains("关于举办测试分赛的补充通知"), "new content after the reload signal");
    assert!(!page.contains("podium-overlay"));
    eprintln!(
        "save → reload signal → new page: {} ms (including the 200 ms pause)",
        t.elapsed().as_millis()
    );

    // A broken edit: the old page stays, with the error over it.
    let waiter = std::thread::spawn(move || wait_reload(addr, g1));
    std::thread::sleep(Duration::from_millis(200));
    edit(&dir, "content/basic/notices/first.zh.md", "title:", "titel:");
    let g2 = waiter.join().unwrap();
    let (status, _, page) = get(addr, "/basic/notices/first/");
    assert_eq!(status, 200);
    assert!(page.contains("关于举办测试分赛的补充通知"), "the last good page is still served");
    assert!(page.contains("class=\"podium-overlay\""), "the error is shown");
    assert!(
        page.contains("content/basic/notices/first.zh.md:2:1: error: unknown field `titel`"),
        "the same text check prints"
    );
    let (_, _, other) = get(addr, "/basic/tracks/");
    assert!(other.contains("podium-overlay"), "every page shows it");

    // The fix clears it.
    let waiter = std::thread::spawn(move || wait_reload(addr, g2));
    std::thread::sleep(Duration::from_millis(200));
    edit(&dir, "content/basic/notices/first.zh.md", "titel:", "title:");
    waiter.join().unwrap();
    let (_, _, page) = get(addr, "/basic/notices/first/");
    assert!(!page.contains("podium-overlay"), "fixed: no overlay");
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn serving_rules() {
    let _shared = shared();
    let (dir, server) = serve_copy("rules");
    let addr = server.addr;
    let (s, _, body) = get(addr, "/");
    assert_eq!(s, 200);
    assert!(body.contains("href=\"/basic/\""), "an index of the sites");
    assert_eq!(get(addr, "/basic").0, 301);
    let home = get(addr, "/basic/").2;
    let css = home
        .split("href=\"static/style.")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a fingerprinted stylesheet");
    let (s, head, _) = get(addr, &format!("/basic/static/style.{css}"));
    assert_eq!(s, 200);
    assert!(head.contains("Content-Type: text/css; charset=utf-8"));
    let (s, head, _) = get(addr, "/basic/atom.xml");
    assert_eq!(s, 200);
    assert!(head.contains("charset=utf-8"));
    let (s, _, body) = get(addr, "/basic/no/such/page/");
    assert_eq!(s, 404);
    assert!(
        body.contains("Page not found") || body.contains("页面不存在"),
        "the site's own 404 page"
    );
    // HEAD: the headers, no body.
    let (s, head, body) = raw(addr, b"HEAD /basic/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_eq!(s, 200);
    assert!(head.contains("Content-Type: text/html"));
    assert!(body.is_empty());
    // Other methods.
    for m in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let (s, head, _) = raw(
            addr,
            format!("{m} /basic/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert_eq!(s, 405, "{m}");
        assert!(head.contains("Allow: GET, HEAD"));
    }
    // The build output has no reload script.
    let (built, _) = podium::build::build_all(&options(&dir, "2025-08-25T12:00:00+08:00"));
    assert!(built[0]
        .output
        .files
        .values()
        .all(|b| !String::from_utf8_lossy(b).contains("__podium")));
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn traversal_and_malformed_requests_never_leave_the_output() {
    let _shared = shared();
    // A file outside the output that a traversal would reach.
    let (dir, server) = serve_copy("traversal");
    std::fs::write(dir.join("SECRET.txt"), "secret-outside-the-output").unwrap();
    #[cfg(unix)]
    {
        // A symlink out of the content: the server serves only what was built.
        let _ = std::os::unix::fs::symlink(dir.join("SECRET.txt"), dir.join("content/basic/files/link.txt"));
    }
    let addr = server.addr;
    let targets = [
        "/basic/../SECRET.txt",
        "/basic/../../SECRET.txt",
        "/../../../../etc/passwd",
        "/basic/%2e%2e/%2e%2e/SECRET.txt",
        "/basic/%2E%2E/SECRET.txt",
        "/basic/..%2fSECRET.txt",
        "/basic/%2f..%2f..%2fetc%2fpasswd",
        "/basic/..\\..\\SECRET.txt",
        "/basic/%5c..%5cSECRET.txt",
        "//etc/passwd",
        "/basic//etc/passwd",
        "/etc/passwd",
        "/basic/./index.html",
        "/basic/%00",
        "/basic/%c0%ae%c0%ae/SECRET.txt",
        "http://127.0.0.1/../SECRET.txt",
        "/basic/files/../../SECRET.txt",
    ];
    for t in targets {
        let (s, _, body) = get(addr, t);
        assert!(s == 400 || s == 404 || s == 301, "{t}: status {s}");
        assert!(!body.contains("secret-outside") && !body.contains("root:x:"), "{t} leaked a file");
    }
    // Malformed and oversized requests get 400 (or a closed connection), never a crash.
    let long = format!(
        "GET /basic/{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "a".repeat(100_000)
    );
    let huge_header = format!(
        "GET /basic/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: {}\r\n\r\n",
        "b".repeat(1_000_000)
    );
    let bad: Vec<Vec<u8>> = vec![
        b"GARBAGE\r\n\r\n".to_vec(),
        b"GET\r\n\r\n".to_vec(),
        b"GET /basic/ HTTP/9.9\r\n\r\n".to_vec(),
        b"\x00\xff\xfe\r\n\r\n".to_vec(),
        long.into_bytes(),
        huge_header.into_bytes(),
    ];
    for req in &bad {
        let (s, _, body) = raw(addr, req);
        assert!(
            s == 400 || s == 0 || s == 505 || s == 431 || s == 414,
            "status {s} for {:?}",
            String::from_utf8_lossy(&req[..req.len().min(40)])
        );
        assert!(!String::from_utf8_lossy(&body).contains("secret-outside"));
    }
    // Still serving.
    assert_eq!(get(addr, "/basic/").0, 200);
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_notice_edit_recompiles_no_theme_and_highlights_no_code_again() {
    let _shared = shared();
    use std::sync::atomic::Ordering::Relaxed;
    let dir = temp_dir("incremental");
    copy_dir(&repo().join("sites"), &dir.join("sites"));
    copy_dir(&repo().join("content"), &dir.join("content"));
    let mut opts = options(&dir, "2025-08-25T12:00:00+08:00");
    opts.sites = vec!["example".into()];
    let caches = podium::build::Caches::for_serve();
    let (built, diags) = podium::build::build_with(&opts, &caches);
    assert!(!diags.has_errors() && built.len() == 1);
    let themes = caches.theme_loads.load(Relaxed);
    let highlighted = caches.markdown.highlighter.misses.load(Relaxed);
    let rendered = caches.markdown.misses.load(Relaxed);
    assert!(highlighted > 0, "the example has code to highlight");
    // Edit the text of a notice (not its code block).
    let notice = dir.join("content/example/notices/finalists-2025.zh.md");
    let text = std::fs::read_to_string(&notice).unwrap();
    std::fs::write(&notice, format!("{text}\n补充一句。\n")).unwrap();
    let (built, _) = podium::build::build_with(&opts, &caches);
    assert!(String::from_utf8_lossy(&built[0].output.files["notices/finalists-2025/index.html"]).contains("补充一句"));
    assert_eq!(caches.theme_loads.load(Relaxed), themes, "the theme was compiled again");
    assert_eq!(
        caches.markdown.highlighter.misses.load(Relaxed),
        highlighted,
        "code was highlighted again"
    );
    assert_eq!(
        caches.markdown.misses.load(Relaxed),
        rendered + 1,
        "only the edited document is rendered again"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn concurrent_requests_during_rebuilds_all_get_whole_pages() {
    let _shared = shared();
    let (dir, server) = serve_copy("load");
    let addr = server.addr;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut workers = Vec::new();
    for _ in 0..6 {
        let stop = stop.clone();
        workers.push(std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let (s, head, body) = get(addr, "/basic/notices/first/");
                assert_eq!(s, 200, "{head}");
                let len: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("Content-Length: "))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap();
                assert_eq!(len, body.len(), "a response cut short");
                assert!(body.trim_end().ends_with("</html>"), "a page cut short");
                assert!(
                    body.contains("测试分赛的通知") || body.contains("测试分赛的更正通知"),
                    "a mix of two versions"
                );
                n += 1;
            }
            n
        }));
    }
    // Rebuild ten times, alternating two versions of the notice.
    for i in 0..10 {
        let (from, to) = if i % 2 == 0 {
            ("测试分赛的通知", "测试分赛的更正通知")
        } else {
            ("测试分赛的更正通知", "测试分赛的通知")
        };
        let g = generation(&get(addr, "/basic/").2);
        edit(&dir, "content/basic/notices/first.zh.md", from, to);
        wait_reload(addr, g);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let total: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert!(total > 50, "only {total} requests");
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_notice_edit_renders_only_the_pages_it_touches_and_equals_a_full_build() {
    let _shared = shared();
    let dir = temp_dir("partial");
    copy_dir(&repo().join("sites"), &dir.join("sites"));
    copy_dir(&repo().join("content"), &dir.join("content"));
    let mut opts = options(&dir, "2025-08-25T12:00:00+08:00");
    opts.preview = true;
    let caches = podium::build::Caches::default();
    let mut diags = podium::base::diag::Diagnostics::default();
    let before = podium::build::build_in_memory(&opts, &caches, "example", None, &mut diags).unwrap();
    let notice = dir.join("content/example/notices/finalists-2025.en.md");
    edit(
        &dir,
        "content/example/notices/finalists-2025.en.md",
        "title: ",
        "title: Corrected – ",
    );
    // An editor's temporary file beside it changes nothing.
    std::fs::write(dir.join("content/example/notices/.finalists-2025.en.md.swp"), "x").unwrap();
    let changed = vec![notice, dir.join("content/example/notices/.finalists-2025.en.md.swp")];
    let partial = podium::build::build_in_memory(&opts, &caches, "example", Some((&before.output, &changed)), &mut diags);
    let partial = partial.unwrap_or_else(|| panic!("{:?}", diags.sorted().iter().map(|d| d.to_string()).collect::<Vec<_>>()));
    assert!(diags.is_empty());
    let full = podium::build::build_in_memory(&opts, &podium::build::Caches::default(), "example", None, &mut diags).unwrap();
    assert_eq!(partial.output, full.output, "a partial rebuild differs from a full build");
    let pages: usize = full.stats.pages.values().sum();
    // The notice, the notice list, the home page, the search page (it
    // names the index, which holds the notices, by its hash) and the data
    // page (it shows the size of notices.json), in both languages.
    assert_eq!(partial.stats.rendered, 10, "rendered {} of {pages} pages", partial.stats.rendered);
    assert!(String::from_utf8_lossy(&partial.output.files["en/notices/index.html"]).contains("Corrected – "));
    // Anything else (here, a topic) is a full rebuild.
    let topic = dir.join("content/example/tracks/manufacturing/track.yaml");
    let again = podium::build::build_in_memory(&opts, &caches, "example", Some((&partial.output, &[topic])), &mut diags).unwrap();
    assert_eq!(again.stats.rendered, pages);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn parsed_notices_are_kept_only_while_their_files_are_unchanged() {
    let _shared = shared();
    let dir = temp_dir("notice-cache");
    copy_dir(&repo().join("sites"), &dir.join("sites"));
    copy_dir(&repo().join("content"), &dir.join("content"));
    let mut opts = options(&dir, "2025-08-25T12:00:00+08:00");
    opts.preview = true;
    let caches = podium::build::Caches::for_serve();
    let mut diags = podium::base::diag::Diagnostics::default();
    let mut build = |edit: Option<(&podium::emit::Output, &[std::path::PathBuf])>| {
        podium::build::build_in_memory(&opts, &caches, "example", edit, &mut diags).unwrap()
    };
    let fresh = |opts: &podium::build::BuildOptions| {
        let mut d = podium::base::diag::Diagnostics::default();
        podium::build::build_in_memory(opts, &podium::build::Caches::default(), "example", None, &mut d).unwrap()
    };
    let first = build(None);
    let rel = "content/example/notices/finalists-2025.en.md";
    let path = dir.join(rel);
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();

    // The same size and modification time, told by the watcher: read again.
    let text = std::fs::read_to_string(&path).unwrap();
    let same_size = text.replacen("Finalists", "FINALISTS", 1);
    assert_eq!(same_size.len(), text.len());
    assert_ne!(same_size, text);
    std::fs::write(&path, &same_size).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let told = build(Some((&first.output, std::slice::from_ref(&path))));
    assert_eq!(told.output, fresh(&opts).output);
    assert!(String::from_utf8_lossy(&told.output.files["en/notices/index.html"]).contains("FINALISTS"));

    // Not told (a full rebuild), but the size changed: read again.
    edit(&dir, rel, "FINALISTS", "Finalists of the year");
    let untold = build(None);
    assert_eq!(untold.output, fresh(&opts).output);
    assert!(String::from_utf8_lossy(&untold.output.files["en/notices/index.html"]).contains("Finalists of the year"));

    // A notice deleted is gone, in both languages.
    for lang in ["zh", "en"] {
        let _ = std::fs::remove_file(dir.join(format!("content/example/notices/finalists-2025.{lang}.md")));
    }
    let gone = build(None);
    assert!(!gone.output.files.contains_key("notices/finalists-2025/index.html"));
    assert_eq!(gone.output, fresh(&opts).output);
    let _ = std::fs::remove_dir_all(dir);
}

// The limits. Each test below fails if its limit is taken away.

/// The status of a raw response (0: none).
fn status_of(response: &[u8]) -> u16 {
    let head = String::from_utf8_lossy(&response[..response.len().min(64)]).to_string();
    head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// This process's resident memory, in bytes.
fn resident() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kib * 1024
}

/// This process's threads.
fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let t = Instant::now();
    while !done() {
        assert!(t.elapsed() < Duration::from_secs(20), "still waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Publishes a new generation (the same pages), as a rebuild would.
fn bump(server: &podium::serve::Running) -> u64 {
    let snap = server.live.snapshot();
    server.live.publish(Snapshot {
        generation: snap.generation + 1,
        sites: snap.sites.clone(),
        problems: None,
        root_site: snap.root_site.clone(),
        problems_title: snap.problems_title.clone(),
        ..Snapshot::default()
    });
    snap.generation + 1
}

/// Opens a long-poll and leaves it waiting.
fn open_poll(addr: SocketAddr, since: u64) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(format!("GET /__podium/wait?since={since} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .unwrap();
    s
}

/// The generation a waiting long-poll is answered with.
fn answer_of(mut poll: TcpStream) -> Option<u64> {
    poll.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut buf = Vec::new();
    let _ = poll.read_to_end(&mut buf);
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    (status_of(&buf) == 200).then_some(())?;
    String::from_utf8_lossy(&buf[split..]).trim().parse().ok()
}

/// Sends a request whose one header is 64 MB, 64 KiB at a time, until the
/// server ends the connection. Returns the header bytes the connection
/// took (the server's reads plus what the two kernels buffer), how the
/// sending ended (`None`: all was sent) and the status answered (0: closed
/// without one).
fn send_64_mb_header(addr: SocketAddr) -> (usize, Option<ErrorKind>, u16) {
    let chunk = [b'b'; 64 * 1024];
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(20))).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(b"GET /basic/ HTTP/1.1\r\nHost: x\r\nX-Big: ").unwrap();
    let mut sent = 0;
    let end = loop {
        if sent >= 64 << 20 {
            break None;
        }
        match s.write(&chunk) {
            Ok(n) => sent += n,
            Err(e) => break Some(e.kind()),
        }
    };
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    (sent, end, status_of(&buf))
}

#[test]
fn a_64_mb_header_is_cut_off_and_memory_stays_bounded() {
    let _alone = alone();
    let (dir, server) = serve_copy("big-header");
    let addr = server.addr;
    assert_eq!(get(addr, "/basic/").0, 200);
    let before = resident();
    let clients: Vec<_> = (0..8).map(|_| std::thread::spawn(move || send_64_mb_header(addr))).collect();
    let mut peak = before;
    while !clients.iter().all(|c| c.is_finished()) {
        peak = peak.max(resident());
        std::thread::sleep(Duration::from_millis(2));
    }
    let results: Vec<_> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    let growth = peak.saturating_sub(before);
    eprintln!("8 concurrent 64 MB headers: resident memory +{} KiB at the peak", growth / 1024);
    assert!(growth < 16 << 20, "memory grew by {} KiB", growth / 1024);
    for (sent, end, status) in results {
        eprintln!("64 MB header: cut off after {} KiB, status {status}", sent / 1024);
        assert!(
            matches!(end, Some(ErrorKind::BrokenPipe | ErrorKind::ConnectionReset)),
            "the server did not end the connection: {end:?} after {sent} bytes"
        );
        // The server reads 16 KiB, then at most 256 KiB more while it
        // closes; the rest of this is what the two kernels buffer on
        // loopback (about 4 MB here).
        assert!(sent < 24 << 20, "the server read on: {sent} bytes taken");
        assert!(status == 431 || status == 0, "status {status}");
    }
    assert_eq!(get(addr, "/basic/").0, 200, "still serving");
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_slow_header_is_cut_off_after_the_head_time() {
    let _shared = shared();
    let limits = Limits {
        head_time: Duration::from_secs(1),
        ..Limits::default()
    };
    let (dir, server) = serve_with("slow-header", limits);
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let t = Instant::now();
    s.write_all(b"GET /basic/ HTTP/1.1\r\nHost: x\r\nX-Slow: ").unwrap();
    // A byte every 200 ms, for at most 6 s, until the server has answered
    // and closed.
    let mut got = Vec::new();
    let ended = loop {
        if t.elapsed() > Duration::from_secs(6) {
            break None;
        }
        let _ = s.write(b"z");
        let mut buf = [0u8; 1024];
        match s.read(&mut buf) {
            Ok(0) => break Some(t.elapsed()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break Some(t.elapsed()),
        }
    };
    let ended = ended.expect("the slow header was never cut off");
    eprintln!("slow header cut off after {} ms", ended.as_millis());
    assert!(ended >= Duration::from_millis(900) && ended < Duration::from_secs(3), "{ended:?}");
    assert_eq!(status_of(&got), 408, "{}", String::from_utf8_lossy(&got));
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn slow_clients_ahead_in_the_queue_delay_a_request_by_the_head_time_at_most() {
    let _shared = shared();
    let limits = Limits {
        workers: 2,
        head_time: Duration::from_secs(1),
        ..Limits::default()
    };
    let (dir, server) = serve_with("slow-queue", limits);
    let addr = server.addr;
    let t = Instant::now();
    // Three times as many slow heads as workers, then a request.
    let slow: Vec<TcpStream> = (0..6)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET /basic/ HTTP/1.1\r\n").unwrap();
            s
        })
        .collect();
    let (s, head, _) = get(addr, "/basic/");
    eprintln!("a request behind 6 slow heads and 2 workers: {} ms", t.elapsed().as_millis());
    assert_eq!(s, 200, "{head}");
    // Counted from when a worker takes each, the head times would add up
    // to 3 s here.
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    drop(slow);
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn http_1_1_needs_a_host() {
    let _shared = shared();
    let (dir, server) = serve_copy("host");
    let addr = server.addr;
    let (s, head, _) = raw(addr, b"GET /basic/ HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(s, 400, "{head}");
    assert_eq!(raw(addr, b"GET /basic/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").0, 400);
    assert_eq!(raw(addr, b"GET /basic/ HTTP/1.0\r\n\r\n").0, 200, "HTTP/1.0 needs none");
    assert_eq!(raw(addr, b"GET /basic/ HTTP/1.1\r\nhost: x\r\n\r\n").0, 200);
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn undecodable_paths_get_400_with_a_status_line() {
    let _shared = shared();
    let (dir, server) = serve_copy("undecodable");
    let addr = server.addr;
    for target in [&b"/\xff\xfe"[..], b"/basic/\xc3", b"/basic/%zz", b"/basic/%ff%fe", b"/basic/%e4%b8"] {
        let request = [&b"GET "[..], target, b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"].concat();
        let (s, head, _) = raw(addr, &request);
        assert_eq!(s, 400, "{:?}", String::from_utf8_lossy(target));
        assert!(head.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{head}");
    }
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_reload_endpoint_is_matched_exactly() {
    let _shared = shared();
    let (dir, server) = serve_copy("endpoint");
    let addr = server.addr;
    let g = server.live.snapshot().generation;
    for target in [
        "/__podium/wait/../../etc/passwd",
        "/__podium/waitx",
        "/__podium/wait/",
        "/__podium/wait/x?since=0",
        "/__podium/nothing",
        "/__podium/live.js/x",
        "/__podium/",
    ] {
        let (s, _, body) = get(addr, target);
        assert_eq!(s, 404, "{target}: {body}");
    }
    // Before the generation: answered at once with it.
    let (s, _, body) = get(addr, "/__podium/wait?since=0");
    assert_eq!((s, body.trim()), (200, g.to_string().as_str()));
    assert_eq!(get(addr, "/__podium/live.js").0, 200);
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_post_gets_405() {
    let _shared = shared();
    let (dir, server) = serve_copy("post");
    let (s, head, _) = raw(
        server.addr,
        b"POST /basic/ HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello=world",
    );
    assert_eq!(s, 405, "{head}");
    assert!(head.contains("Allow: GET, HEAD\r\n"), "{head}");
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn two_thousand_waiting_long_polls_hold_no_thread_each() {
    const POLLS: usize = 2000;
    let _alone = alone();
    // Two descriptors a long-poll (both ends are in this process).
    let want = (2 * POLLS + 512) as libc::rlim_t;
    let mut files = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: a valid resource and a pointer to a live rlimit.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut files);
        if files.rlim_cur < want {
            files.rlim_cur = want.min(files.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &files);
        }
    }
    assert!(files.rlim_cur >= want, "cannot open {want} files here");
    let limits = Limits {
        waiters: 4096,
        queue: 256,
        ..Limits::default()
    };
    let (dir, server) = serve_with("long-polls", limits);
    let addr = server.addr;
    let g = server.live.snapshot().generation;
    let idle = threads();
    let mut polls = Vec::with_capacity(POLLS);
    for i in 0..POLLS {
        polls.push(open_poll(addr, g));
        // In batches, so that the accept queue never fills.
        if (i + 1) % 50 == 0 {
            wait_for("the long-polls to be parked", || server.live.waiting() == i + 1);
        }
    }
    let busy = threads();
    eprintln!("{POLLS} waiting long-polls: {busy} threads in the process ({idle} before)");
    assert!(busy < 64, "{busy} threads for {POLLS} long-polls");
    // A new generation reaches every one of them.
    let t = Instant::now();
    let next = bump(&server);
    let told = polls
        .into_iter()
        .filter(|p| answer_of(p.try_clone().unwrap()) == Some(next))
        .count();
    eprintln!("{told} long-polls told of generation {next} in {} ms", t.elapsed().as_millis());
    assert_eq!(told, POLLS);
    assert_eq!(server.live.waiting(), 0);
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn long_polls_beyond_the_bound_are_answered_at_once() {
    let _shared = shared();
    let limits = Limits {
        waiters: 3,
        ..Limits::default()
    };
    let (dir, server) = serve_with("poll-bound", limits);
    let addr = server.addr;
    let g = server.live.snapshot().generation;
    let polls: Vec<TcpStream> = (0..3).map(|_| open_poll(addr, g)).collect();
    wait_for("three parked long-polls", || server.live.waiting() == 3);
    let t = Instant::now();
    let (s, _, body) = get(addr, &format!("/__podium/wait?since={g}"));
    assert_eq!((s, body.trim()), (200, g.to_string().as_str()), "the current generation");
    assert!(t.elapsed() < Duration::from_secs(2), "answered at once, not after the poll time");
    let next = bump(&server);
    for p in polls {
        assert_eq!(answer_of(p), Some(next));
    }
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_full_queue_is_answered_503_at_once() {
    let _shared = shared();
    let limits = Limits {
        workers: 1,
        queue: 1,
        ..Limits::default()
    };
    let (dir, server) = serve_with("queue", limits);
    let addr = server.addr;
    // One connection holds the only worker (its head never ends) ...
    let mut holding = TcpStream::connect(addr).unwrap();
    holding.write_all(b"GET /basic/ HTTP/1.1\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // ... and one waits in the queue.
    let mut queued = TcpStream::connect(addr).unwrap();
    queued
        .write_all(b"GET /basic/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let t = Instant::now();
    let (s, head, _) = get(addr, "/basic/");
    assert_eq!(s, 503, "{head}");
    assert!(head.contains("Retry-After: 1\r\n"));
    assert!(t.elapsed() < Duration::from_secs(1));
    // The worker free again, the queued one is served.
    drop(holding);
    queued.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = Vec::new();
    let _ = queued.read_to_end(&mut buf);
    assert_eq!(status_of(&buf), 200);
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}

/// Without `--now` the preview follows the clock: a notice whose
/// `publish_at` is two seconds ahead appears by itself, and the page
/// reloads — no edit, no restart.
#[test]
fn following_the_clock_a_notice_appears_at_its_publish_at() {
    let _whole = shared();
    let dir = temp_dir("serve-clock");
    copy_dir(&repo().join("tests/fixtures/clean"), &dir);
    let start_at = instant("2025-08-25T12:00:00+08:00");
    let started = Instant::now();
    let clock = move || start_at + jiff::SignedDuration::try_from(started.elapsed()).unwrap_or_default();
    let publish_at = start_at + jiff::SignedDuration::from_secs(2);
    for lang in ["zh", "en"] {
        std::fs::write(
            dir.join(format!("content/basic/notices/soon.{lang}.md")),
            format!("---\ntitle: 即将发布\ndate: 2025-08-25\npublish_at: {publish_at}\n---\n正文。\n"),
        )
        .unwrap();
    }
    let mut build = options(&dir, "2025-08-25T12:00:00+08:00");
    build.sites = vec!["basic".into()];
    let running = start(ServeOptions {
        build,
        clock: podium::serve::Clock::Live(std::sync::Arc::new(clock)),
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        lang: "en".into(),
        debounce: Duration::from_millis(50),
        cache_dir: None,
        limits: podium::serve::Limits::default(),
    })
    .unwrap();
    let addr = running.addr;
    let (status, _, home) = get(addr, "/notices/soon/");
    assert_eq!(status, 404, "not yet published");
    let before = generation(&get(addr, "/").2);
    // The long-poll a page makes: answered when the clock passes publish_at.
    let after = wait_reload(addr, before);
    assert!(after > before);
    let (status, _, page) = get(addr, "/notices/soon/");
    assert_eq!(status, 200, "published by the clock alone");
    assert!(page.contains("即将发布"));
    assert!(started.elapsed() >= Duration::from_secs(2) && started.elapsed() < Duration::from_secs(15));
    // The pinned clock is not written into a page that follows the clock.
    assert!(!home.contains("data-podium-now"));
    running.stop();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn serve_now_pins_the_instant_the_pages_read() {
    let _whole = shared();
    let (dir, running) = serve_copy("serve-pinned");
    let (_, _, page) = get(running.addr, "/basic/");
    assert!(
        page.contains("data-podium-now=\"2025-08-25T04:00:00Z\""),
        "the live script names the pinned instant"
    );
    running.stop();
    let _ = std::fs::remove_dir_all(dir);
}
