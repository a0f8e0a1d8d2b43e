//! How each connection is watched: what it is doing (`Activity`, fed by its socket and by
//! each exchange), when it is idle, stalled or asked to make room, and the port's list of
//! open connections to ask.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use bytes::Bytes;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use hyper_util::server::graceful::GracefulConnection;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::watch;

use super::Limits;

/// Reads and writes this small move no data: an HTTP/2 PING or its answer (17 bytes), a
/// window update. A peer that only answers pings has not read anything.
const SMALLEST_DATA: usize = 17;

/// The open connections of a port, so that one idle can be asked to make room.
#[derive(Default)]
pub(super) struct Registry {
    next: AtomicU64,
    connections: std::sync::Mutex<std::collections::HashMap<u64, Arc<Activity>>>,
}

impl Registry {
    pub(super) fn enter(&self, activity: &Arc<Activity>) -> Listed<'_> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut connections) = self.connections.lock() {
            connections.insert(id, activity.clone());
        }
        Listed { registry: self, id }
    }

    /// Asks one connection without an exchange open to close, one idle for a while if there
    /// is one (a browser between two requests of a page is idle for a moment too).
    pub(super) fn evict_an_idle_one(&self) {
        let Ok(connections) = self.connections.lock() else {
            return;
        };
        let now = now_ms();
        let mut any = None;
        for activity in connections.values() {
            if activity.open.load(Ordering::Acquire) > 0
                || activity.evicting.load(Ordering::Acquire)
            {
                continue;
            }
            if now.saturating_sub(activity.idle_since.load(Ordering::Relaxed)) >= 1000 {
                any = Some(activity);
                break;
            }
            any = any.or(Some(activity));
        }
        if let Some(activity) = any {
            activity.evicting.store(true, Ordering::Release);
            activity.evicted.notify_one();
        }
    }
}

/// A connection's place in its port's registry, given up when it closes.
pub(super) struct Listed<'a> {
    registry: &'a Registry,
    id: u64,
}

impl Drop for Listed<'_> {
    fn drop(&mut self) {
        if let Ok(mut connections) = self.registry.connections.lock() {
            connections.remove(&self.id);
        }
    }
}
/// Drives one connection until it ends, closing it when it idles, stalls, or the server
/// stops.
pub(super) async fn watch_connection<C: GracefulConnection>(
    connection: C,
    activity: &Activity,
    limits: Limits,
    mut stopped: watch::Receiver<()>,
) {
    tokio::pin!(connection);
    // Once a graceful close has begun: when to look again, and whether that is the last
    // look (the server's drain, or the time given to an exchange begun while closing).
    let mut closing_by: Option<tokio::time::Instant> = None;
    let mut last_look = false;
    loop {
        let wake = closing_by.unwrap_or_else(|| activity.next_check(limits));
        tokio::select! {
            _ = connection.as_mut() => return,
            _ = stopped.changed(), if !last_look => {
                connection.as_mut().graceful_shutdown();
                last_look = true;
                closing_by = Some(tokio::time::Instant::now() + limits.drain);
            }
            () = activity.evicted.notified(), if closing_by.is_none() => {
                connection.as_mut().graceful_shutdown();
                closing_by = Some(tokio::time::Instant::now() + CLOSING_GRACE);
            }
            () = tokio::time::sleep_until(wake) => {
                if closing_by.is_some() {
                    // HTTP/2 waits for its peer to acknowledge the GOAWAY, which a peer
                    // that holds connections never does: an idle one is dropped now, one
                    // with an exchange begun meanwhile gets the header timeout to finish it.
                    if last_look || activity.open.load(Ordering::Acquire) == 0 {
                        return;
                    }
                    closing_by = Some(tokio::time::Instant::now() + limits.header_timeout);
                    last_look = true;
                    continue;
                }
                match activity.verdict(limits) {
                    Verdict::InUse => {}
                    Verdict::Idle => {
                        connection.as_mut().graceful_shutdown();
                        closing_by = Some(tokio::time::Instant::now() + CLOSING_GRACE);
                    }
                    Verdict::Stalled => return,
                }
            }
        }
    }
}

/// How long a connection asked to close (idle, or making room) has to do so by itself.
const CLOSING_GRACE: Duration = Duration::from_millis(500);

/// Milliseconds since the first connection: cheap to store in an atomic.
fn now_ms() -> u64 {
    u64::try_from(epoch().elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn instant_at(ms: u64) -> tokio::time::Instant {
    tokio::time::Instant::from_std(epoch() + Duration::from_millis(ms))
}

/// What a connection is doing, as its watch sees it.
pub(super) struct Activity {
    /// Exchanges begun whose answers have not been sent whole.
    pub(super) open: AtomicUsize,
    /// When the last exchange ended (or the connection opened), in [`now_ms`].
    idle_since: AtomicU64,
    /// When data last moved either way, or an exchange began or ended.
    moved_at: AtomicU64,
    /// Asked to close to make room for a new connection.
    pub(super) evicted: tokio::sync::Notify,
    evicting: AtomicBool,
}

enum Verdict {
    InUse,
    Idle,
    Stalled,
}

impl Activity {
    pub(super) fn new() -> Activity {
        let now = now_ms();
        Activity {
            open: AtomicUsize::new(0),
            idle_since: AtomicU64::new(now),
            moved_at: AtomicU64::new(now),
            evicted: tokio::sync::Notify::new(),
            evicting: AtomicBool::new(false),
        }
    }

    fn moved(&self) {
        self.moved_at.store(now_ms(), Ordering::Relaxed);
    }

    fn next_check(&self, limits: Limits) -> tokio::time::Instant {
        let due = if self.open.load(Ordering::Acquire) == 0 {
            self.idle_since.load(Ordering::Relaxed) + millis(limits.header_timeout)
        } else {
            self.moved_at.load(Ordering::Relaxed) + millis(limits.stall_timeout)
        };
        instant_at(due)
    }

    fn verdict(&self, limits: Limits) -> Verdict {
        let now = now_ms();
        if self.open.load(Ordering::Acquire) == 0 {
            let idle = now.saturating_sub(self.idle_since.load(Ordering::Relaxed));
            if idle >= millis(limits.header_timeout) {
                return Verdict::Idle;
            }
        } else {
            let still = now.saturating_sub(self.moved_at.load(Ordering::Relaxed));
            if still >= millis(limits.stall_timeout) {
                return Verdict::Stalled;
            }
        }
        Verdict::InUse
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// One request counted as open from its headers until its answer is sent or dropped (a
/// request the client gave up on is dropped with its future).
pub(super) struct Exchange(Arc<Activity>);

impl Exchange {
    pub(super) fn begin(activity: Arc<Activity>) -> Exchange {
        activity.open.fetch_add(1, Ordering::AcqRel);
        activity.moved();
        Exchange(activity)
    }
}

impl Drop for Exchange {
    fn drop(&mut self) {
        let now = now_ms();
        self.0.idle_since.store(now, Ordering::Relaxed);
        self.0.moved_at.store(now, Ordering::Relaxed);
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

/// An answer's body, which ends its exchange when it is dropped.
pub(super) struct Answer {
    pub(super) body: Body,
    pub(super) _exchange: Exchange,
}

impl HttpBody for Answer {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// The connection's socket (or its TLS stream), noting when data moves.
pub(super) struct Metered<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S> Metered<S> {
    pub(super) fn new(inner: S, activity: Arc<Activity>) -> Metered<S> {
        Metered { inner, activity }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Metered<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if buf.filled().len().saturating_sub(before) > SMALLEST_DATA {
            this.activity.moved();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Metered<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > SMALLEST_DATA) {
            this.activity.moved();
        }
        polled
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > SMALLEST_DATA) {
            this.activity.moved();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
