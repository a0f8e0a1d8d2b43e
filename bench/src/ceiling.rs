//! Reference ceilings measured on the same machine in the same run.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::header;
use axum::routing::get;

/// The least a server can do for `GET /rooms`: the same bytes, from memory, through axum.
pub async fn serve_static(listen: SocketAddr, body: Vec<u8>) -> Result<(), String> {
    // Leaked on purpose: the process serves these bytes until it is killed.
    let body: &'static [u8] = Box::leak(body.into_boxed_slice());
    let app = Router::new().route(
        "/rooms",
        get(move || async move { ([(header::CONTENT_TYPE, "application/json")], body) }),
    );
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("ceiling server at http://{addr}/");
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}

/// Commits per second of one SQLite transaction per write with `synchronous=FULL` in WAL
/// mode: what a server that commits each booking on its own could reach at best.
pub fn sqlite_commit_rate(dir: &Path, duration: Duration) -> Result<f64, String> {
    let path = dir.join("ceiling.db");
    let conn = rusqlite::Connection::open(&path).map_err(|e| e.to_string())?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| e.to_string())?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(|e| e.to_string())?;
    conn.execute_batch("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut commits = 0u64;
    while started.elapsed() < duration {
        conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO t (v) VALUES ('booking'); COMMIT")
            .map_err(|e| e.to_string())?;
        commits += 1;
    }
    let rate = commits as f64 / started.elapsed().as_secs_f64();
    drop(conn);
    let _ = std::fs::remove_file(&path);
    Ok(rate)
}
