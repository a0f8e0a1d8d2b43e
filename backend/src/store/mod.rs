//! The storage seam. Handlers talk to `Store`; SQL lives only in the operations (`ops`, written
//! once for both engines) and in the two engines.
//!
//! Every operation that changes data is one call here and one transaction in the engine, so a
//! request either happens entirely or not at all.

pub mod catalog;
pub(crate) mod migrations;
mod night_index;
pub mod ops;
mod postgres;
mod postgres_tasks;
mod postgres_tx;
pub mod sql;
mod sqlite;
mod sqlite_file;
mod sqlite_jobs;
mod sqlite_tx;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use hotel_shared::Booking;

use crate::domain::DomainError;
use sql::Op;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

#[derive(Debug)]
pub enum StoreError {
    /// A hotel rule refused the change; nothing was written.
    Domain(DomainError),
    /// The database failed; nothing was written.
    Database(String),
    /// The store is shutting down or its writer is gone.
    Unavailable,
    /// A concurrent transaction changed the same rows first; the operation may run again.
    Collision,
    /// The database file was deleted or replaced under the running server.
    Lost,
    /// The commit was sent but not confirmed in time: the change may or may not stand.
    Unconfirmed,
    /// Another request with the same `Idempotency-Key` made its change first (or is making
    /// it); nothing was written.
    KeyTaken,
}

impl From<DomainError> for StoreError {
    fn from(e: DomainError) -> Self {
        StoreError::Domain(e)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Database(e.to_string())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// What `/update` did.
#[derive(Debug, Clone)]
pub enum MoveOutcome {
    Moved { released: u32, booking: Booking },
    AlreadyHeld { booking: Booking },
}

/// Which stay `/update` moves.
#[derive(Debug, Clone, Copy)]
pub enum MoveTarget {
    FirstAcquired,
    Booking(i64),
}

/// Counts committed changes so caches of derived answers know when they are stale.
#[derive(Debug, Default)]
pub struct ChangeCounter(AtomicU64);

impl ChangeCounter {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

/// How the store tells its background work that events may be waiting: `written` after a
/// committed change that records events (it wakes whoever places them), `placed` with the last
/// position given, here or, on PostgreSQL, by any instance.
#[derive(Debug)]
pub struct EventSignals {
    pub written: tokio::sync::Notify,
    placed: tokio::sync::watch::Sender<i64>,
}

impl Default for EventSignals {
    fn default() -> Self {
        EventSignals {
            written: tokio::sync::Notify::new(),
            placed: tokio::sync::watch::Sender::new(0),
        }
    }
}

impl EventSignals {
    /// Events up to `position` are placed and may be read; the news only ever moves forward.
    pub fn placed(&self, position: i64) {
        self.placed.send_if_modified(|last| {
            let newer = position > *last;
            if newer {
                *last = position;
            }
            newer
        });
    }

    /// Changes whenever events are placed, holding the last position.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<i64> {
        self.placed.subscribe()
    }
}

/// The one store of a running server.
#[derive(Clone)]
pub enum Store {
    Sqlite(Arc<SqliteStore>),
    Postgres(Arc<PgStore>),
}

impl Store {
    /// Opens the database named by a `sqlite://PATH` or `postgres://…` URL and migrates it;
    /// creates the hotel only when `create` says this is its first run. An empty hotel gets
    /// the seed's rooms of the default types, and its currency and time zone for good.
    pub async fn open(
        url: &str,
        seed: ops::rooms::Seed,
        pool_size: usize,
        create: bool,
    ) -> Result<Store, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            let store = SqliteStore::open(path, seed, create).await?;
            Ok(Store::Sqlite(Arc::new(store)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let store = PgStore::open(url, seed, pool_size, create).await?;
            Ok(Store::Postgres(Arc::new(store)))
        } else {
            Err(format!(
                "unsupported database URL {:?}: expected sqlite://PATH or postgres://…",
                redacted_url(url)
            ))
        }
    }

    /// Why writes cannot be trusted to land right now, if they cannot (for `/healthz`).
    pub fn problem(&self) -> Option<String> {
        match self {
            Store::Sqlite(s) => s.problem(),
            Store::Postgres(_) => None,
        }
    }

    /// Digests of sessions ended by another server instance on the same database.
    pub fn ended_sessions(&self) -> Option<tokio::sync::broadcast::Receiver<[u8; 32]>> {
        match self {
            Store::Sqlite(_) => None,
            Store::Postgres(s) => Some(s.ended_sessions()),
        }
    }

    pub fn changes(&self) -> &ChangeCounter {
        match self {
            Store::Sqlite(s) => s.changes(),
            Store::Postgres(s) => s.changes(),
        }
    }

    pub fn events(&self) -> &Arc<EventSignals> {
        match self {
            Store::Sqlite(s) => s.events(),
            Store::Postgres(s) => s.events(),
        }
    }

    /// What keeps running beside the requests for this engine, each with its name, for the
    /// workers to start and stop (`crate::workers`).
    pub fn background(&self) -> Vec<(&'static str, futures_util::future::BoxFuture<'static, ()>)> {
        match self {
            Store::Sqlite(_) => Vec::new(),
            Store::Postgres(s) => s.background(),
        }
    }

    /// Sets the gauges that are a reading of the store now (for `/metrics`).
    pub fn read_gauges(&self) {
        match self {
            Store::Sqlite(s) => {
                metrics::gauge!(crate::metrics::WRITE_QUEUE).set(s.queued_writes() as f64);
            }
            Store::Postgres(s) => {
                let (in_use, idle) = s.pool_use();
                metrics::gauge!(crate::metrics::POOL, "state" => "in_use").set(in_use as f64);
                metrics::gauge!(crate::metrics::POOL, "state" => "idle").set(idle as f64);
            }
        }
    }

    /// Waits until every acknowledged write is on disk and stops the writer.
    pub async fn close(&self) {
        match self {
            Store::Sqlite(s) => s.close().await,
            Store::Postgres(s) => s.close().await,
        }
    }

    /// Whether the data is in a SQLite file (one server at a time).
    pub fn is_sqlite(&self) -> bool {
        matches!(self, Store::Sqlite(_))
    }

    /// The hotel's IANA time zone, kept with its data.
    pub fn timezone(&self) -> &str {
        match self {
            Store::Sqlite(s) => s.timezone(),
            Store::Postgres(s) => s.timezone(),
        }
    }

    /// ISO 4217 code of the hotel's currency.
    pub fn currency(&self) -> &str {
        match self {
            Store::Sqlite(s) => s.currency(),
            Store::Postgres(s) => s.currency(),
        }
    }

    /// Runs one operation (see `ops`) in one transaction.
    /// Rewrites the stored data so that nothing deleted or replaced can be read back from the
    /// files (after an erasure).
    pub async fn compact(&self) -> StoreResult<()> {
        match self {
            Store::Sqlite(s) => s.compact().await,
            Store::Postgres(s) => s.compact().await,
        }
    }

    pub async fn run<O: Op>(&self, op: O) -> StoreResult<O::Out> {
        // A request with an `Idempotency-Key` claims it in its first change's transaction.
        if O::RECORDS_EVENTS
            && let Some(request) = ops::idempotency::pending()
        {
            let claimed = ops::idempotency::Claimed::new(op, &request);
            let claim = claimed.claim();
            let out = self.run_once(claimed).await;
            request.ran(&claim, out.as_ref().map(|_| ()));
            return out;
        }
        self.run_once(op).await
    }

    async fn run_once<O: Op>(&self, op: O) -> StoreResult<O::Out> {
        let out = match self {
            Store::Sqlite(s) if O::LARGE => {
                let store = Arc::clone(s);
                let runtime = tokio::runtime::Handle::current();
                tokio::task::spawn_blocking(move || runtime.block_on(store.run(op)))
                    .await
                    .map_err(|e| StoreError::Database(format!("a large read failed: {e}")))?
            }
            Store::Sqlite(s) => s.run(op).await,
            // The PostgreSQL client waits without blocking; only the rows' decoding is work.
            Store::Postgres(s) => s.run(op).await,
        };
        if O::RECORDS_EVENTS && out.is_ok() {
            self.events().written.notify_one();
        }
        out
    }
}

/// Creates an empty file at `path` that only its owner may read and write (0600), or leaves
/// an existing one as it is: the database and its backups hold every guest's data, whatever
/// the umask of whoever started the server.
pub fn create_private_file(path: &std::path::Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(|_| ())
}

/// A database URL as it may be shown or logged: a password in it (`user:secret@`, or a
/// `password=` parameter) is replaced by `***`.
pub fn redacted_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => {
                        format!("{key}=***")
                    }
                    _ => pair.to_string(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_string(),
    };
    if scheme.is_empty() {
        format!("{authority}{tail}")
    } else {
        format!("{scheme}://{authority}{tail}")
    }
}

#[cfg(test)]
mod url_tests {
    use super::redacted_url;

    #[test]
    fn passwords_never_leave_a_database_url() {
        assert_eq!(
            redacted_url("postgres://hotel:s3cret@db:5432/hotel"),
            "postgres://hotel:***@db:5432/hotel"
        );
        assert_eq!(
            redacted_url("postgres://hotel@db/hotel?sslmode=require&password=s3cret"),
            "postgres://hotel@db/hotel?sslmode=require&password=***"
        );
        assert_eq!(
            redacted_url("sqlite:///var/lib/hotel/hotel.db"),
            "sqlite:///var/lib/hotel/hotel.db"
        );
        assert_eq!(redacted_url("sqlite://hotel.db"), "sqlite://hotel.db");
    }
}
