//! The HTTP/1.1 server of `podium serve`, on `std::net` alone.
//!
//! It replaces tiny_http, which reads a request's whole head before its
//! caller sees the request: no limit could apply while reading, and one
//! 64 MB header cost 115 MB of memory. This one needs to do little (GET and
//! HEAD of files held in memory, no request bodies, one request per
//! connection), so it is small, and every resource a client can make it
//! spend is bounded by [`Limits`]:
//!
//! - threads: a fixed pool of workers, fed by the accept loop through a
//!   bounded queue; when the queue is full the connection gets 503 at once;
//! - memory: a request head is read into a buffer that never grows past
//!   the head limit, and reading stops there (431, or 414 for a request
//!   line alone that long);
//! - time: the whole head must arrive within the head time, counted from
//!   the accept (408), so slow clients ahead in the queue cannot make a
//!   request wait much longer than that for a worker; a response must be
//!   sent within the send time; a connection carries one request
//!   (`Connection: close`), so no idle client keeps a worker;
//! - long-polls are parked without a thread (see `live.rs`).
//!
//! Errors of the client (the socket closed, reset, or too slow) end its
//! connection and nothing else; a panic in a handler is caught so that it
//! costs one connection, not a worker.

use super::live::Live;
use super::reply::{head, reason, respond, wait_since, Reply};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The most header bytes we accept in one request (request line and
/// headers together): the default of [`Limits::head_bytes`].
pub const MAX_HEADERS: usize = 16 * 1024;

/// The bounds `podium serve` holds every client to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of the request line and headers together, blank line included.
    pub head_bytes: usize,
    /// Header lines in one request.
    pub header_count: usize,
    /// Time for the whole request head to arrive, from when the
    /// connection is accepted (a worker that takes it later still reads
    /// what has arrived, for [`GRACE`]).
    pub head_time: Duration,
    /// Time to send one response.
    pub send_time: Duration,
    /// Threads that read requests and send responses.
    pub workers: usize,
    /// Accepted connections waiting for a worker; beyond it, 503.
    pub queue: usize,
    /// Long-polls waiting for the next rebuild; beyond it, one is answered
    /// at once with the current generation.
    pub waiters: usize,
    /// How long a long-poll waits before it is answered unchanged.
    pub poll_time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            head_bytes: MAX_HEADERS,
            header_count: 100,
            head_time: Duration::from_secs(10),
            send_time: Duration::from_secs(60),
            workers: 16,
            queue: 64,
            waiters: 512,
            poll_time: Duration::from_secs(25),
        }
    }
}

/// How long a worker reads a connection whose head time ran out while it
/// waited in the queue: enough to take a head that has arrived, not for a
/// slow one to keep the worker. So a connection ahead in the queue holds a
/// worker at most until its own head time ends, and none waits much more
/// than the head time for a worker, however many slow clients came first.
const GRACE: Duration = Duration::from_millis(200);

/// After an error reply, how much of what the client still sends is read
/// and dropped, and for how long, before the socket is closed (see
/// [`linger`]).
const LINGER_BYTES: usize = 256 * 1024;
const LINGER_TIME: Duration = Duration::from_millis(500);

/// Starts the workers, the long-poll waiter and the accept loop. They run
/// until `stop` is set and the accept loop is woken (by a connection).
pub(super) fn spawn(listener: TcpListener, live: Arc<Live>, limits: Limits, stop: Arc<AtomicBool>) -> std::io::Result<()> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<(TcpStream, Instant)>(limits.queue);
    let rx = Arc::new(Mutex::new(rx));
    for i in 0..limits.workers.max(1) {
        let (rx, live, limits) = (rx.clone(), live.clone(), limits.clone());
        std::thread::Builder::new()
            .name(format!("podium-http-{i}"))
            .spawn(move || worker(&rx, &live, &limits))?;
    }
    super::live::spawn_waiter(live)?;
    std::thread::Builder::new()
        .name("podium-accept".into())
        .spawn(move || accept_loop(&listener, &tx, &stop))?;
    Ok(())
}

/// Accepts connections and queues them for the workers. Never blocks on a
/// client: a full queue is answered 503 with a non-blocking write.
fn accept_loop(listener: &TcpListener, tx: &SyncSender<(TcpStream, Instant)>, stop: &AtomicBool) {
    loop {
        let conn = listener.accept();
        if stop.load(Ordering::SeqCst) {
            return;
        }
        match conn {
            Ok((stream, _)) => {
                // Each response is written in one or two writes and the
                // socket closed: nothing to gain from Nagle's delay.
                let _ = stream.set_nodelay(true);
                if let Err(TrySendError::Full((stream, _))) = tx.try_send((stream, Instant::now())) {
                    let mut busy = Reply::text(503, "busy, try again\n");
                    busy.headers.push(("Retry-After", "1".to_string()));
                    let _ = stream.set_nonblocking(true);
                    let _ = (&stream).write_all(&[head(&busy), busy.body].concat());
                }
            }
            // Out of descriptors, or a connection gone before it was
            // accepted: pause rather than spin.
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

fn worker(rx: &Mutex<Receiver<(TcpStream, Instant)>>, live: &Live, limits: &Limits) {
    loop {
        let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok((stream, accepted)) = next else {
            return; // the accept loop has ended
        };
        let deadline = (accepted + limits.head_time).max(Instant::now() + GRACE);
        // A bug costs one connection, not a worker.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| connection(stream, deadline, live, limits)));
    }
}

/// Why reading a request head stopped short.
#[derive(Debug, PartialEq, Eq)]
enum Cut {
    /// The client closed or reset the connection, or sent nothing in time.
    Gone,
    /// The head did not arrive in time.
    Slow,
    /// The request line alone passed the head limit.
    LineTooLong,
    /// The head passed the head limit or the header count.
    TooLarge,
}

/// Serves one connection: one request, one response, then close.
fn connection(mut stream: TcpStream, deadline: Instant, live: &Live, limits: &Limits) {
    let refused = match read_head(&mut stream, limits, deadline) {
        Err(Cut::Gone) => return,
        Err(Cut::Slow) => 408,
        Err(Cut::LineTooLong) => 414,
        Err(Cut::TooLarge) => 431,
        Ok(head) => match parse_head(&head, limits) {
            Err(status) => status,
            Ok(rq) => return answer(stream, live, limits, &rq),
        },
    };
    send(&mut stream, &Reply::text(refused, &format!("{}\n", reason(refused))), false, limits);
    // A client that timed out has had all it sent read: no need to wait
    // for it (and a slow client must not hold the worker longer).
    linger(stream, if refused == 408 { Duration::ZERO } else { LINGER_TIME });
}

/// Answers a well-formed request: parks a long-poll, or sends what
/// [`respond`] says.
fn answer(mut stream: TcpStream, live: &Live, limits: &Limits, rq: &Request) {
    if rq.method == "GET" {
        if let Some(since) = wait_since(&rq.target) {
            match live.park(stream, since, Instant::now() + limits.poll_time, limits.waiters) {
                Ok(()) => return,
                // Changed already, or too many waiting: `respond` answers
                // at once with the current generation.
                Err(s) => stream = s,
            }
        }
    }
    let reply = respond(&live.snapshot(), &rq.method, &rq.target);
    send(&mut stream, &reply, rq.method == "HEAD", limits);
    if reply.status == 405 {
        // The request may have a body we will not read.
        linger(stream, LINGER_TIME);
    }
}

/// Reads a request head (up to and including its blank line) within the
/// limits: never more than one byte past the head limit, never past the
/// deadline.
fn read_head(stream: &mut TcpStream, limits: &Limits, deadline: Instant) -> Result<Vec<u8>, Cut> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let mut lines = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let slow = if head.is_empty() { Cut::Gone } else { Cut::Slow };
        if left.is_zero() {
            return Err(slow);
        }
        stream.set_read_timeout(Some(left)).map_err(|_| Cut::Gone)?;
        let room = limits.head_bytes.saturating_add(1).saturating_sub(head.len()).min(chunk.len());
        let n = match stream.read(&mut chunk[..room]) {
            Ok(0) => return Err(Cut::Gone),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => return Err(slow),
            Err(_) => return Err(Cut::Gone),
        };
        let from = head.len().saturating_sub(2);
        head.extend_from_slice(&chunk[..n]);
        if let Some(end) = end_of_head(&head[from..]) {
            head.truncate(from + end);
            return Ok(head);
        }
        lines += chunk[..n].iter().filter(|b| **b == b'\n').count();
        if head.len() > limits.head_bytes {
            return Err(if lines == 0 { Cut::LineTooLong } else { Cut::TooLarge });
        }
        if lines > limits.header_count.saturating_add(1) {
            return Err(Cut::TooLarge);
        }
    }
}

/// Where the head ends in `b`: just after the first blank line (`\r\n` or
/// a bare `\n`), but not one that opens the head (RFC 9112 lets a server
/// skip empty lines before the request line).
fn end_of_head(b: &[u8]) -> Option<usize> {
    (0..b.len()).find_map(|i| {
        let rest = &b[i..];
        if rest.starts_with(b"\n\r\n") {
            Some(i + 3)
        } else if rest.starts_with(b"\n\n") {
            Some(i + 2)
        } else {
            None
        }
    })
}

/// A request, as far as this server cares.
#[derive(Debug, PartialEq, Eq)]
struct Request {
    method: String,
    target: String,
}

/// Checks a request head; the error is the status to answer with.
fn parse_head(head: &[u8], limits: &Limits) -> Result<Request, u16> {
    let start = head.iter().position(|b| !matches!(b, b'\r' | b'\n')).unwrap_or(head.len());
    let mut lines = head[start..]
        .split(|b| *b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .take_while(|l| !l.is_empty());
    let (method, target, http11) = request_line(lines.next().unwrap_or_default())?;
    let (mut count, mut hosts) = (0, 0);
    for line in lines {
        count += 1;
        let name = &line[..line.iter().position(|b| *b == b':').ok_or(400u16)?];
        // Also refuses obsolete line folding (a line that opens with a space).
        if name.is_empty() || !name.iter().all(|b| is_token(*b)) {
            return Err(400);
        }
        if name.eq_ignore_ascii_case(b"host") {
            hosts += 1;
        }
    }
    if count > limits.header_count {
        return Err(431);
    }
    // RFC 9112 §3.2: HTTP/1.1 needs exactly one Host; no request has two.
    if hosts > 1 || (http11 && hosts == 0) {
        return Err(400);
    }
    Ok(Request { method, target })
}

/// `METHOD TARGET HTTP/1.x`: the method, the target (UTF-8, no spaces or
/// control characters) and whether it is HTTP/1.1.
fn request_line(line: &[u8]) -> Result<(String, String, bool), u16> {
    let mut parts = line.split(|b| *b == b' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(400);
    };
    let http11 = match version {
        b"HTTP/1.1" => true,
        b"HTTP/1.0" => false,
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor] if major.is_ascii_digit() && minor.is_ascii_digit() => return Err(505),
        _ => return Err(400),
    };
    if method.is_empty() || !method.iter().all(|b| is_token(*b)) {
        return Err(400);
    }
    let target = std::str::from_utf8(target).map_err(|_| 400u16)?;
    if target.is_empty() || target.chars().any(|c| c.is_control() || c == ' ') {
        return Err(400);
    }
    let method = String::from_utf8_lossy(method).into_owned();
    Ok((method, target.to_string(), http11))
}

/// A `tchar` of RFC 9110: what a method or a header name is made of.
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Sends a reply within the send time; a client that does not read it in
/// time, or has gone, is simply dropped.
fn send(stream: &mut TcpStream, reply: &Reply, head_only: bool, limits: &Limits) {
    let deadline = Instant::now() + limits.send_time;
    let mut head = head(reply);
    // A small body goes in the same segment as the head.
    if !head_only && reply.body.len() <= 16 * 1024 {
        head.extend_from_slice(&reply.body);
        write_by(stream, &head, deadline);
    } else if write_by(stream, &head, deadline) && !head_only {
        write_by(stream, &reply.body, deadline);
    }
}

/// Writes all of `buf` before `deadline`; false if it could not.
fn write_by(stream: &mut TcpStream, mut buf: &[u8], deadline: Instant) -> bool {
    while !buf.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_write_timeout(Some(left)).is_err() {
            return false;
        }
        match stream.write(buf) {
            Ok(0) => return false,
            Ok(n) => buf = &buf[n..],
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    true
}

/// Closes a connection whose request was not read to its end (refused, or
/// with a body) without losing the reply: closing a socket with unread
/// data resets the connection, and the client may then lose the reply
/// before reading it. So the write side is shut first and what the client
/// still sends is read and dropped, at most [`LINGER_BYTES`] for at most
/// `wait` (zero: only what has arrived), until it closes its side.
fn linger(mut stream: TcpStream, wait: Duration) {
    let _ = stream.shutdown(Shutdown::Write);
    let until = Instant::now() + wait;
    let mut buf = [0u8; 8192];
    let mut left = LINGER_BYTES;
    if wait.is_zero() && stream.set_nonblocking(true).is_err() {
        return;
    }
    while left > 0 {
        let time = until.saturating_duration_since(Instant::now());
        if !wait.is_zero() && (time.is_zero() || stream.set_read_timeout(Some(time)).is_err()) {
            return;
        }
        match stream.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => left = left.saturating_sub(n),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(head: &[u8]) -> Result<Request, u16> {
        parse_head(head, &Limits::default())
    }

    #[test]
    fn request_heads() {
        let ok = parse(b"GET /a?b HTTP/1.1\r\nHost: x\r\nX-Y: z\r\n\r\n").unwrap();
        assert_eq!((ok.method.as_str(), ok.target.as_str()), ("GET", "/a?b"));
        assert!(
            parse(b"\r\nGET / HTTP/1.0\n\n").is_ok(),
            "bare LF, a leading empty line, no Host in 1.0"
        );
        for (head, status) in [
            (&b"GET / HTTP/1.1\r\n\r\n"[..], 400),
            (b"GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400),
            (b"GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            (b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            (b"GET /a\x01 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            (b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505),
            (b"GET / HTTX/1.1\r\nHost: x\r\n\r\n", 400),
            (b"GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            (b"GET\r\n\r\n", 400),
            (b"G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: x\r\n: empty name\r\n\r\n", 400),
            (b"\x00\xff\xfe\r\n\r\n", 400),
            (b"", 400),
        ] {
            assert_eq!(parse(head), Err(status), "{:?}", String::from_utf8_lossy(head));
        }
        let many = format!("GET / HTTP/1.1\r\nHost: x\r\n{}\r\n", "A: b\r\n".repeat(100));
        assert_eq!(parse(many.as_bytes()), Err(431));
    }

    #[test]
    fn the_end_of_a_head() {
        assert_eq!(end_of_head(b"GET / HTTP/1.0\r\n\r\nbody"), Some(18));
        assert_eq!(end_of_head(b"GET / HTTP/1.0\n\nbody"), Some(16));
        assert_eq!(end_of_head(b"GET / HTTP/1.0\r\nHost: x\r\n"), None);
    }

    #[test]
    fn reply_heads() {
        let mut r = Reply::text(301, "moved\n");
        r.headers.push(("Location", "/a\r\nSet-Cookie: x".to_string()));
        let h = String::from_utf8(head(&r)).unwrap();
        assert!(h.starts_with("HTTP/1.1 301 Moved Permanently\r\n"), "{h}");
        assert!(!h.contains("Set-Cookie"), "a header value cannot add a header");
        assert!(h.ends_with("Content-Length: 6\r\nConnection: close\r\n\r\n"), "{h}");
    }
}
