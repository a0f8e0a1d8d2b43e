//! Accepting connections: HTTP/1.1 with a deadline for each request's headers, and a cap on
//! open connections so that clients who hold connections without using them cannot take
//! every descriptor the process has.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::Service;

/// Settings of the connection layer.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// From the moment a connection is ready for a request (new, or idle after an answer)
    /// until the request's headers are complete. Covers both slow senders and idle
    /// keep-alive connections: hyper starts this clock while it waits for the first byte.
    pub header_timeout: Duration,
    pub max_connections: usize,
    /// How long shutting down waits for requests in flight.
    pub drain: Duration,
}

/// How many connections a refusal may hold at once (each briefly, to be answered cleanly);
/// beyond that a connection over the cap is simply closed.
const REFUSALS_AT_ONCE: usize = 1024;

/// Serves `router` on `listener` until `shutdown` resolves, then lets requests in flight
/// finish (for at most `limits.drain`).
pub async fn run(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    tls: Option<Arc<rustls::ServerConfig>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let mut http2 = hyper::server::conn::http2::Builder::new(TokioExecutor::new());
    http2.timer(TokioTimer::new());
    let tls = tls.map(tokio_rustls::TlsAcceptor::from);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let refusals = Arc::new(Semaphore::new(REFUSALS_AT_ONCE));
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
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            // Over TLS there is no plain HTTP to answer in: the connection is closed.
            if tls.is_none()
                && let Ok(turn) = refusals.clone().try_acquire_owned()
            {
                tokio::spawn(async move {
                    refuse(stream).await;
                    drop(turn);
                });
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let over_tls = tls.is_some();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            if over_tls {
                request.extensions_mut().insert(crate::tls::OverTls);
            }
            router.clone().call(request)
        });
        let Some(acceptor) = &tls else {
            let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
            tokio::spawn(async move {
                // A connection ends by a timeout, a reset or a finished exchange: none of them
                // is the server's error, and hyper has already answered whatever could be.
                let _ = connection.await;
                drop(slot);
            });
            continue;
        };
        let (acceptor, http, http2, watcher) = (
            acceptor.clone(),
            http.clone(),
            http2.clone(),
            graceful.watcher(),
        );
        let handshake_deadline = limits.header_timeout;
        tokio::spawn(async move {
            // The handshake counts against the same deadline as a request's headers.
            let Ok(Ok(stream)) =
                tokio::time::timeout(handshake_deadline, acceptor.accept(stream)).await
            else {
                drop(slot);
                return;
            };
            let h2 = stream.get_ref().1.alpn_protocol() == Some(b"h2".as_slice());
            let io = TokioIo::new(stream);
            if h2 {
                let _ = watcher.watch(http2.serve_connection(io, service)).await;
            } else {
                let _ = watcher.watch(http.serve_connection(io, service)).await;
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.drain, graceful.shutdown())
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

/// Tells a client over the cap to come back, in HTTP it understands, then closes.
async fn refuse(mut stream: TcpStream) {
    // The body every error has, written by hand only because no request was read.
    let body = serde_json::to_string(&hotel_shared::ErrorBody {
        error:
            "The hotel's server is at its limit of open connections; please try again in a moment."
                .into(),
        code: "too_many_connections".into(),
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

/// The connection cap when none is configured: 10,000, or fewer when the open-files limit
/// (after raising it as far as allowed) leaves less room beside the database and files.
pub fn default_max_connections() -> usize {
    let soft = rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft);
    let room = usize::try_from(soft.saturating_sub(256)).unwrap_or(usize::MAX);
    room.clamp(16, 10_000)
}

/// Raises the open-files limit to the most the system allows this process, once at start.
pub fn raise_open_files_limit() -> Option<u64> {
    rlimit::increase_nofile_limit(u64::MAX).ok()
}
