//! The snapshot being served, and the browsers waiting for the next one:
//! long-polls parked without a thread each.
//!
//! A page's reload script asks `/__podium/wait?since=N` and gets an answer
//! only when the generation moves past N, or after the poll time. Holding
//! a worker (or a thread of its own, as before) that long would let a few
//! hundred open tabs, or one client opening sockets, take every thread. So
//! a worker that has read such a request parks the socket here and is free
//! at once: the sockets wait in a list under the same lock as the
//! generation (so a rebuild published while one is being parked cannot be
//! missed), and one thread answers them when the generation changes, when
//! their time is up, or when the server stops. Once a second it also drops
//! the sockets whose client has gone (a reloaded tab). The list is bounded
//! ([`super::http::Limits::waiters`]); beyond it a long-poll is answered at once
//! with the current generation, and the page asks again a second later.

use super::reply::Reply;
use super::snapshot::Snapshot;
use std::io::{ErrorKind, Write};
use std::net::TcpStream;
use std::sync::{Arc, MutexGuard};
use std::sync::{Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

/// The snapshot being served, and a signal for the long-polls.
#[derive(Default)]
pub struct Live {
    current: RwLock<Arc<Snapshot>>,
    signal: Mutex<Signal>,
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

/// How often the waiter looks at its sockets when nothing happens.
const TICK: Duration = Duration::from_secs(1);

/// A long-poll waiting for a generation after `since`.
pub(super) struct Parked {
    stream: TcpStream,
    since: u64,
    until: Instant,
}

/// The generation and what waits on it, under one lock.
#[derive(Default)]
pub(super) struct Signal {
    pub(super) generation: u64,
    parked: Vec<Parked>,
    stopped: bool,
}

impl Live {
    pub(super) fn signal(&self) -> MutexGuard<'_, Signal> {
        self.signal.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many long-polls are parked now.
    pub fn waiting(&self) -> usize {
        self.signal().parked.len()
    }

    /// Parks a long-poll until the generation moves past `since` or until
    /// `until`. Gives the socket back, to be answered at once, when the
    /// generation has moved already, when the server is stopping, or when
    /// `max` long-polls are waiting.
    pub(super) fn park(&self, stream: TcpStream, since: u64, until: Instant, max: usize) -> Result<(), TcpStream> {
        let mut s = self.signal();
        if s.stopped || s.generation != since || s.parked.len() >= max || stream.set_nonblocking(true).is_err() {
            return Err(stream);
        }
        s.parked.push(Parked { stream, since, until });
        Ok(())
    }

    /// Answers every parked long-poll and ends the waiter.
    pub(super) fn stop_waiting(&self) {
        self.signal().stopped = true;
        self.changed.notify_all();
    }
}

pub(super) fn spawn_waiter(live: Arc<Live>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("podium-wait".into())
        .spawn(move || waiter(&live))
        .map(|_| ())
}

/// The waiter's loop: wakes on a new generation, on stop, or every tick;
/// answers outside the lock, so that parking and publishing never wait on
/// a socket.
fn waiter(live: &Live) {
    let mut seen = live.signal().generation;
    loop {
        let (generation, stopped, parked) = {
            let s = live.signal();
            let (mut s, _) = live
                .changed
                .wait_timeout_while(s, TICK, |s| !s.stopped && s.generation == seen)
                .unwrap_or_else(|e| e.into_inner());
            (s.generation, s.stopped, std::mem::take(&mut s.parked))
        };
        seen = generation;
        let now = Instant::now();
        let mut keep = Vec::new();
        for p in parked {
            if stopped || p.since != generation || p.until <= now {
                answer(&p.stream, generation);
            } else if still_there(&p.stream) {
                keep.push(p);
            }
        }
        if stopped {
            return;
        }
        live.signal().parked.append(&mut keep);
    }
}

/// Sends the generation. The socket is non-blocking and the reply a few
/// hundred bytes, which fit in its empty send buffer; if they do not, the
/// client is not reading and is dropped.
fn answer(mut stream: &TcpStream, generation: u64) {
    let reply = Reply::text(200, &generation.to_string());
    let _ = stream.write_all(&[super::reply::head(&reply), reply.body].concat());
}

/// False when the client has closed or reset its connection.
fn still_there(stream: &TcpStream) -> bool {
    match stream.peek(&mut [0u8; 1]) {
        Ok(0) => false,
        Ok(_) => true,
        Err(e) => e.kind() == ErrorKind::WouldBlock,
    }
}
