//! Accepting connections on every port the server listens on: HTTP/1.1, or over TLS HTTP/2
//! or 1.1 by ALPN, each connection watched so that none outlives its use.
//!
//! A connection is closed when it has had no exchange open for the header timeout (idle
//! HTTP/1.1 keep-alive and idle HTTP/2 alike: HTTP/2 gets a GOAWAY first), and when it has
//! exchanges open but has moved no data for the stall timeout (a peer that stopped reading
//! its answers, or vanished). A request body that stops arriving fails after the header
//! timeout ([`TimedBody`]). Each port has its own cap on open connections, taken from one
//! descriptor budget, so that no port can starve another.
//!
//! `watch.rs` is what each connection is watched by; `body.rs` the request body that times
//! out.

mod body;
mod watch;

pub use body::{BodyStalled, TimedBody, is_stalled_body};

use hotel_shared::ErrorCode;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch as signal};
use tower::Service;

use watch::{Activity, Answer, Exchange, Metered, Registry, watch_connection};

/// Settings of the connection layer of one port.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// From the moment a connection has no exchange open (new, or idle after an answer)
    /// until the next request's headers are complete; also how long a request body may
    /// pause. hyper starts this clock for HTTP/1.1 while it waits for the first byte; the
    /// connection's watch does the same for HTTP/2.
    pub header_timeout: Duration,
    /// How long a connection with exchanges open may move no data: longer than any handler
    /// may take (the request timeout) plus a body's pause, so only a peer that stopped
    /// reading, or vanished, meets it.
    pub stall_timeout: Duration,
    pub max_connections: usize,
    /// How long shutting down waits for requests in flight.
    pub drain: Duration,
    /// The largest request body, which sizes HTTP/2's flow-control windows: a client may
    /// send that much before the server reads it, and no more.
    pub body_limit: usize,
}

impl Limits {
    /// Limits for a side port (the HTTP redirect, metrics): the main port's timeouts, its
    /// own small cap.
    pub fn side_port(&self, max_connections: usize) -> Limits {
        Limits {
            max_connections,
            body_limit: 16 * 1024,
            ..*self
        }
    }
}

/// How the descriptor budget is split: the redirect port and the metrics port get these
/// many connections each, the main port the rest.
pub const REDIRECT_PORT_CONNECTIONS: usize = 256;
pub const METRICS_PORT_CONNECTIONS: usize = 32;

/// Concurrent exchanges one HTTP/2 connection may have: a browser loads the app's files a
/// few at a time, and each exchange holds memory until it ends.
const STREAMS_PER_CONNECTION: u32 = 32;

/// How many connections over the cap may wait at once for an idle one to make room (or be
/// told to come back); beyond that a connection over the cap is simply closed.
const WAITING_AT_ONCE: usize = 1024;

/// How long a connection over the cap waits for room before it is told to come back.
const WAIT_FOR_ROOM: Duration = Duration::from_secs(1);

/// Serves `router` on `listener` until `shutdown` resolves, then lets requests in flight
/// finish (for at most `limits.drain`).
pub async fn run(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        // Headers and read-ahead; bodies are handed on as they come.
        .max_buf_size(64 * 1024);
    let window = u32::try_from(limits.body_limit)
        .unwrap_or(u32::MAX)
        .clamp(65_535, 1024 * 1024);
    let mut http2 = hyper::server::conn::http2::Builder::new(TokioExecutor::new());
    http2
        .timer(TokioTimer::new())
        .max_concurrent_streams(STREAMS_PER_CONNECTION)
        .initial_stream_window_size(window)
        .initial_connection_window_size(window.saturating_mul(4))
        .keep_alive_interval(limits.header_timeout)
        .keep_alive_timeout(limits.header_timeout);
    let tls = tls.map(tokio_rustls::TlsAcceptor::from);
    // Every connection holds a receiver; shutting down sends on it, then waits until all
    // of them are dropped.
    let (stop, stopped) = signal::channel(());
    let port = Arc::new(Port {
        router,
        http,
        http2,
        tls,
        limits,
        stopped,
        open: Registry::default(),
    });
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let waiting = Arc::new(Semaphore::new(WAITING_AT_ONCE));
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors, or a connection reset before it was accepted: pause
                    // briefly rather than spin, and go on.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        if let Ok(slot) = slots.clone().try_acquire_owned() {
            tokio::spawn(serve_connection(port.clone(), stream, peer, slot));
            continue;
        }
        // At the cap: an idle connection makes room for the new client, which waits a moment
        // for it; beyond that it is told to come back (over TLS there is no plain HTTP to
        // answer in, and the connection is closed). Clients waiting are bounded too.
        let Ok(turn) = waiting.clone().try_acquire_owned() else {
            continue;
        };
        let (port, slots) = (port.clone(), slots.clone());
        tokio::spawn(async move {
            port.open.evict_an_idle_one();
            match tokio::time::timeout(WAIT_FOR_ROOM, slots.acquire_owned()).await {
                Ok(Ok(slot)) => {
                    drop(turn);
                    serve_connection(port, stream, peer, slot).await;
                }
                _ => {
                    if port.tls.is_none() {
                        refuse(stream).await;
                    }
                    drop(turn);
                }
            }
        });
    }
    drop(listener);
    drop(port);
    let _ = stop.send(());
    if tokio::time::timeout(limits.drain, stop.closed())
        .await
        .is_err()
    {
        tracing::warn!(
            "stopped waiting for connections still open after {:?}",
            limits.drain
        );
    }
    Ok(())
}

/// What every connection of one port shares.
struct Port {
    router: Router,
    http: hyper::server::conn::http1::Builder,
    http2: hyper::server::conn::http2::Builder<TokioExecutor>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    limits: Limits,
    stopped: signal::Receiver<()>,
    open: Registry,
}

/// Serves one accepted connection, holding its slot until it closes.
async fn serve_connection(
    port: Arc<Port>,
    stream: TcpStream,
    peer: std::net::SocketAddr,
    slot: tokio::sync::OwnedSemaphorePermit,
) {
    let limits = port.limits;
    let activity = Arc::new(Activity::new());
    let _listed = port.open.enter(&activity);
    let service = exchange_service(
        port.router.clone(),
        peer,
        port.tls.is_some(),
        &activity,
        limits,
    );
    let stopped = port.stopped.clone();
    match &port.tls {
        None => {
            let io = TokioIo::new(Metered::new(stream, activity.clone()));
            let connection = port.http.serve_connection(io, service);
            watch_connection(connection, &activity, limits, stopped).await;
        }
        // Boxed: a TLS session and an HTTP/2 connection are kilobytes, which every plain
        // connection's task would otherwise set aside too.
        Some(acceptor) => {
            Box::pin(serve_tls(
                acceptor, &port, stream, service, &activity, stopped,
            ))
            .await;
        }
    }
    drop(slot);
}

/// The TLS handshake, then HTTP/2 or HTTP/1.1 as the client chose by ALPN.
async fn serve_tls<S>(
    acceptor: &tokio_rustls::TlsAcceptor,
    port: &Port,
    stream: TcpStream,
    service: S,
    activity: &Arc<Activity>,
    stopped: signal::Receiver<()>,
) where
    S: hyper::service::HttpService<Incoming, ResBody = Body> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let limits = port.limits;
    // The handshake counts against the same deadline as a request's headers, and a
    // connection still shaking hands is idle enough to make room for another.
    let handshake = tokio::time::timeout(limits.header_timeout, acceptor.accept(stream));
    let stream = tokio::select! {
        shaken = handshake => match shaken {
            Ok(Ok(stream)) => stream,
            _ => return,
        },
        () = activity.evicted.notified() => return,
    };
    let h2 = stream.get_ref().1.alpn_protocol() == Some(b"h2".as_slice());
    let io = TokioIo::new(Metered::new(stream, activity.clone()));
    if h2 {
        let connection = port.http2.serve_connection(io, service);
        watch_connection(connection, activity, limits, stopped).await;
    } else {
        let connection = port.http.serve_connection(io, service);
        watch_connection(connection, activity, limits, stopped).await;
    }
}
/// The service of one connection: each request gets the peer's address, a body that fails
/// when it stops arriving, and is counted as open until its answer has been sent.
fn exchange_service(
    router: Router,
    peer: std::net::SocketAddr,
    over_tls: bool,
    activity: &Arc<Activity>,
    limits: Limits,
) -> impl hyper::service::Service<
    hyper::Request<Incoming>,
    Response = hyper::Response<Body>,
    Error = std::convert::Infallible,
    Future = impl Future<Output = Result<hyper::Response<Body>, std::convert::Infallible>>
             + Send
             + 'static,
> + Clone
+ 'static {
    let activity = activity.clone();
    hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let exchange = Exchange::begin(activity.clone());
        let mut request = request.map(|body| TimedBody::new(body, limits.header_timeout));
        request.extensions_mut().insert(ConnectInfo(peer));
        if over_tls {
            request.extensions_mut().insert(crate::tls::OverTls);
        }
        let answered = router.clone().call(request);
        async move {
            let response = answered.await?;
            // The exchange stays open until its answer's body has been sent (or dropped).
            Ok(response.map(|body| {
                Body::new(Answer {
                    body,
                    _exchange: exchange,
                })
            }))
        }
    })
}
/// Tells a client over the cap to come back, in HTTP it understands, then closes.
async fn refuse(mut stream: TcpStream) {
    // The body every error has, written by hand only because no request was read.
    let body = serde_json::to_string(&hotel_shared::ErrorBody {
        error:
            "The hotel's server is at its limit of open connections; please try again in a moment."
                .into(),
        code: ErrorCode::TooManyConnections,
        available: None,
        restriction: None,
    })
    .unwrap_or_default();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         retry-after: 1\r\ncache-control: no-store\r\nconnection: close\r\n\
         content-length: {}\r\n\r\n{body}",
        body.len()
    );
    // Briefly: a refusal that waited on a silent client for long would hold its turn.
    let _ = tokio::time::timeout(Duration::from_millis(500), async {
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await?;
        // Read what the client sent until it closes, so closing does not reset the
        // connection and throw away the answer before the client reads it.
        let mut sink = [0u8; 4096];
        while stream.read(&mut sink).await? > 0 {}
        Ok::<(), std::io::Error>(())
    })
    .await;
}

/// How many connections the process may hold in all, its descriptor budget: 10,000, or
/// fewer when the open-files limit (after raising it as far as allowed) leaves less room
/// beside the database, files and refusals.
pub fn descriptor_budget() -> usize {
    let soft = rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft);
    let room = usize::try_from(soft.saturating_sub(256)).unwrap_or(usize::MAX);
    room.clamp(16, 10_000)
}

/// The main port's cap when none is configured: the descriptor budget less what the side
/// ports may hold, so that they cannot starve it nor it them.
pub fn default_max_connections() -> usize {
    descriptor_budget()
        .saturating_sub(REDIRECT_PORT_CONNECTIONS + METRICS_PORT_CONNECTIONS)
        .max(16)
}

/// Raises the open-files limit to the most the system allows this process, once at start.
pub fn raise_open_files_limit() -> Option<u64> {
    rlimit::increase_nofile_limit(u64::MAX).ok()
}
