//! The Hotel booking server as a library, so tests and tools can build it in-process.

pub mod admin;
pub mod api;
pub mod auth;
pub mod backup;
pub mod channels;
pub mod client;
pub mod config;
pub mod domain;
pub mod error;
pub mod extract;
pub mod mail;
pub mod metrics;
pub mod server;
pub mod state;
pub mod store;
pub mod tls;
pub mod web;
pub mod webhooks;
pub mod workers;

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;

pub use config::Config;
pub use state::AppState;

/// The whole HTTP application for a state.
pub fn app(state: AppState) -> Router {
    api::router(state)
}

/// Serves until `shutdown` resolves, then lets requests in flight finish and makes sure every
/// acknowledged write is on disk before returning.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_on(listener, state, None, shutdown).await
}

/// Serves the hotel on `listener`, over TLS with `tls`, until `shutdown` resolves.
pub async fn serve_on(
    listener: TcpListener,
    state: AppState,
    tls: Option<std::sync::Arc<rustls::ServerConfig>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The router first: it installs the metrics recorder the workers count into.
    let app = app(state.clone());
    let workers = workers::Workers::start(&state);
    let served = server::run(listener, app, state.limits, tls, shutdown).await;
    workers.stop().await;
    state.store.close().await;
    served
}

/// Runs the server described by `config` until SIGINT or SIGTERM.
pub async fn run(config: Config) -> Result<(), String> {
    let signalled = shutdown_signal()?;
    if let Some(limit) = server::raise_open_files_limit() {
        tracing::debug!("open-files limit: {limit}");
    }
    // Read before anything else starts, so that unusable files stop the server at once.
    let certificates = match (&config.tls_cert, &config.tls_key) {
        (Some(cert), Some(key)) => Some(tls::Certificates::load(cert, key)?),
        (None, None) => None,
        _ => return Err("--tls-cert and --tls-key go together: give both, or neither".into()),
    };
    if config.redirect_http.is_some() && certificates.is_none() {
        return Err(
            "--redirect-http sends plain HTTP to HTTPS: it needs --tls-cert and --tls-key".into(),
        );
    }
    // On SQLite one server owns the file: a second one, or a restore, waits until it stops.
    let _owner = match config.database.strip_prefix("sqlite://") {
        Some(path) => Some(backup::ServerLock::take(path)?),
        None => None,
    };
    let state = AppState::from_config(&config).await?;
    // The side ports stop with the main one: each waits for this to change.
    let (stopping, stopped) = tokio::sync::watch::channel(());
    let side_port_stop = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.changed().await;
        }
    };
    let mut side_ports = Vec::new();
    if let Some(address) = config.metrics_listen {
        let listener = TcpListener::bind(address)
            .await
            .map_err(|e| format!("cannot listen for metrics on {address}: {e}"))?;
        let scraped = state.clone();
        let router = axum::Router::new().route(
            "/metrics",
            axum::routing::get(move || {
                let state = scraped.clone();
                async move { api::exposition(&state).await }
            }),
        );
        tracing::info!("metrics at http://{address}/metrics");
        let limits = state.limits.side_port(server::METRICS_PORT_CONNECTIONS);
        let stop = side_port_stop();
        side_ports.push(tokio::spawn(async move {
            if let Err(e) = server::run(listener, router, limits, None, stop).await {
                tracing::error!("the metrics listener stopped: {e}");
            }
        }));
    }
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let scheme = if certificates.is_some() {
        "https"
    } else {
        "http"
    };
    if let (Some(redirect), Some(_)) = (config.redirect_http, &certificates) {
        let plain = TcpListener::bind(redirect)
            .await
            .map_err(|e| format!("cannot listen on {redirect}: {e}"))?;
        let router = tls::redirect_router(address.port());
        tracing::info!("plain HTTP on {redirect} is sent to HTTPS");
        let limits = state.limits.side_port(server::REDIRECT_PORT_CONNECTIONS);
        let stop = side_port_stop();
        side_ports.push(tokio::spawn(async move {
            if let Err(e) = server::run(plain, router, limits, None, stop).await {
                tracing::error!("the HTTP redirect listener stopped: {e}");
            }
        }));
    }
    // Every port is listening before the banner, which scripts take as the sign to start.
    println!(
        "Hotel is open at {scheme}://{address}/ (database {}, time zone {})",
        store::redacted_url(&config.database),
        state.clock.name()
    );
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        schema = store::migrations::SQLITE.len(),
        engine = if config.database.starts_with("postgres") { "postgresql" } else { "sqlite" },
        database = %store::redacted_url(&config.database),
        timezone = state.clock.name(),
        address = %address,
        "hotel-server started"
    );
    if state.mailer.sends() {
        tracing::info!("mail to guests: {}", state.mailer.described);
    } else {
        tracing::warn!("mail to guests: {}", state.mailer.described);
    }
    let tls = certificates.map(|certificates| {
        tokio::spawn(certificates.clone().watch());
        certificates.server_config()
    });
    match (&state.web_app, &config.static_dir) {
        (Some(app), _) => tracing::info!("web app: {}", app.origin()),
        // Logged, not printed: with --log-format json every line on stderr is JSON.
        (None, Some(dir)) => tracing::warn!(
            "no web app at {}: the API works, the page does not. \
             `cargo xtask web` builds one into frontend/dist.",
            dir.display()
        ),
        (None, None) if config.api_only => tracing::info!("serving the API only"),
        (None, None) => tracing::warn!(
            "this binary was built without the web app: the API works, the page \
             does not. `cargo xtask dist` builds a binary with it; --static-dir serves a \
             folder."
        ),
    }
    let shutdown = async move {
        signalled.await;
        let _ = stopping.send(());
    };
    serve_on(listener, state, tls, shutdown)
        .await
        .map_err(|e| format!("server error: {e}"))?;
    for port in side_ports {
        let _ = port.await;
    }
    tracing::info!("stopped; every acknowledged booking is on disk");
    Ok(())
}

/// Takes over SIGINT and SIGTERM at once, so that a signal arriving at any moment from here
/// on (during start-up too, before the accept loop first looks) stops the server gracefully;
/// the future resolves when one arrives.
fn shutdown_signal() -> Result<impl Future<Output = ()>, String> {
    #[cfg(unix)]
    let (mut interrupt, mut terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        let listen =
            |kind: SignalKind| signal(kind).map_err(|e| format!("cannot listen for signals: {e}"));
        (
            listen(SignalKind::interrupt())?,
            listen(SignalKind::terminate())?,
        )
    };
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    })
}
