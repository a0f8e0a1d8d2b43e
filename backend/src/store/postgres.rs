//! PostgreSQL engine: several server instances share one database.
//!
//! Every change to bookings is one transaction that first locks the nights it touches (an
//! advisory lock per night): overlapping stays take turns, stays that share no night commit
//! in parallel, on any instance. The primary key of `room_nights` makes a double booking
//! impossible whatever happens; should two bookings still collide on it, the loser rolls back
//! and picks again from what is free.
//! Committed changes are announced with NOTIFY, so every instance drops its cached answers,
//! and an ended session is announced so every instance forgets it at once.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::GenericClient;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio::sync::broadcast;
use tokio_postgres::NoTls;

use super::catalog::CatalogCache;
use super::ops::rooms::Seed;
use super::postgres_tasks::{CHANGES_CHANNEL, ROOMS_CHANNEL};
use super::postgres_tx::PgTx;
use super::sql::Op;
use super::{ChangeCounter, StoreError, StoreResult};

const MIGRATIONS: &[&str] = super::migrations::POSTGRES;
/// How often a booking retries after losing a room-night to a concurrent one. Each loss means
/// another guest got a room, so this bounds retries by what a hotel can sell at once.
const BOOKING_ATTEMPTS: usize = 64;
const MIGRATION_LOCK: i64 = 0x486f_7465_6c02;

/// How long the server waits for PostgreSQL at any step (a connection, an operation, a
/// commit). The server's own `statement_timeout` does not help when a backend is frozen or
/// the network drops packets: then only the client's clock ends the wait.
const CLIENT_DEADLINE: Duration = Duration::from_secs(6);

async fn within<F: std::future::Future>(work: F) -> Result<F::Output, StoreError> {
    tokio::time::timeout(CLIENT_DEADLINE, work)
        .await
        .map_err(|_| StoreError::Database("PostgreSQL did not answer in time".into()))
}

/// A connection that stopped answering is closed rather than handed to the next request.
fn discard(client: deadpool_postgres::Object) {
    drop(deadpool_postgres::Object::take(client));
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        StoreError::Database(format!("no database connection: {e}"))
    }
}

pub struct PgStore {
    pool: Pool,
    /// Where the pool connects, for the listening connection.
    config: tokio_postgres::Config,
    /// ISO 4217 code of the hotel's currency, as stored in the database.
    currency: Arc<str>,
    /// The hotel's IANA time zone, as stored in the database.
    timezone: Arc<str>,
    catalog: Arc<CatalogCache>,
    changes: Arc<ChangeCounter>,
    events: Arc<super::EventSignals>,
    ended_sessions: broadcast::Sender<[u8; 32]>,
}

/// Connection settings shared by the pool and the listener.
fn pg_config(url: &str) -> Result<tokio_postgres::Config, String> {
    let mut config =
        tokio_postgres::Config::from_str(url).map_err(|e| format!("bad PostgreSQL URL: {e}"))?;
    // A statement that hangs (a lock held elsewhere, a sick disk) fails instead of pinning a
    // connection and the request holding it.
    config.options("-c statement_timeout=5000 -c lock_timeout=5000");
    config.connect_timeout(Duration::from_secs(5));
    Ok(config)
}

impl PgStore {
    pub async fn open(
        url: &str,
        seed: Seed,
        pool_size: usize,
        create: bool,
    ) -> Result<PgStore, String> {
        let config = pg_config(url)?;
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(1))
            .wait_timeout(Some(Duration::from_secs(5)))
            .create_timeout(Some(Duration::from_secs(5)))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| format!("cannot make the connection pool: {e}"))?;
        let mut client = pool
            .get()
            .await
            .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
        migrate(&mut client, create).await?;
        let mut kept = None;
        // Two instances starting on a new database race to seed it; the loser sees the
        // winner's hotel on its next attempt.
        for _ in 0..3 {
            let tx = client
                .transaction()
                .await
                .map_err(|e| format!("cannot set up the hotel: {e}"))?;
            let mut handle = PgTx {
                client: &tx,
                currency: &seed.currency,
                catalog: None,
            };
            match seed.run(&mut handle).await {
                Ok(stored) => {
                    tx.commit()
                        .await
                        .map_err(|e| format!("cannot set up the hotel: {e}"))?;
                    kept = Some(stored);
                    break;
                }
                Err(StoreError::Collision) => continue,
                Err(e) => return Err(format!("cannot set up the hotel: {e:?}")),
            }
        }
        let kept = kept.ok_or("cannot set up the hotel: too many collisions")?;
        drop(client);
        let changes = Arc::new(ChangeCounter::default());
        let catalog = Arc::new(CatalogCache::default());
        let (ended_sessions, _) = broadcast::channel(1024);
        Ok(PgStore {
            pool,
            config,
            currency: Arc::from(kept.currency),
            timezone: Arc::from(kept.timezone),
            catalog,
            changes,
            events: Arc::default(),
            ended_sessions,
        })
    }

    /// The listening connection and the upkeep of `night_rooms`, for the workers to run.
    pub fn background(&self) -> Vec<(&'static str, futures_util::future::BoxFuture<'static, ()>)> {
        use futures_util::FutureExt;
        vec![
            (
                "postgres listener",
                super::postgres_tasks::listen(
                    self.config.clone(),
                    super::postgres_tasks::Listeners {
                        changes: Arc::clone(&self.changes),
                        catalog: Arc::clone(&self.catalog),
                        ended_sessions: self.ended_sessions.clone(),
                        events: Arc::clone(&self.events),
                    },
                )
                .boxed(),
            ),
            (
                "night_rooms vacuum",
                super::postgres_tasks::keep_night_rooms_lean(
                    self.pool.clone(),
                    Arc::clone(&self.changes),
                )
                .boxed(),
            ),
        ]
    }

    pub fn currency(&self) -> &str {
        &self.currency
    }

    pub fn timezone(&self) -> &str {
        &self.timezone
    }

    pub fn changes(&self) -> &ChangeCounter {
        &self.changes
    }

    pub fn events(&self) -> &Arc<super::EventSignals> {
        &self.events
    }

    /// Connections of the pool (in use, idle).
    pub fn pool_use(&self) -> (usize, usize) {
        let status = self.pool.status();
        (
            status.size.saturating_sub(status.available),
            status.available,
        )
    }

    /// Digests of sessions ended on any instance.
    pub fn ended_sessions(&self) -> broadcast::Receiver<[u8; 32]> {
        self.ended_sessions.subscribe()
    }

    pub async fn close(&self) {
        self.pool.close();
    }

    /// Runs an operation: a read on a pooled connection, a write in a transaction that is
    /// run again when it collides with a concurrent one (each collision means another change
    /// went through, so the retries are bounded by what actually happens at once).
    /// Rewrites the tables that hold guests' personal data, so rows an erasure replaced are
    /// gone from their files (the server's write-ahead log and its archives keep them until
    /// they are recycled).
    pub async fn compact(&self) -> StoreResult<()> {
        let client = within(self.pool.get()).await??;
        client
            .batch_execute(
                "VACUUM FULL guest_profiles, users, sessions, login_failures, postings, \
                 invoices, audit_log",
            )
            .await
            .map_err(|e| StoreError::Database(e.to_string()))
    }

    pub async fn run<O: Op>(&self, op: O) -> StoreResult<O::Out> {
        let mut client = within(self.pool.get()).await??;
        if !O::WRITES {
            let mut handle = PgTx {
                client: &client,
                currency: &self.currency,
                catalog: Some(&self.catalog),
            };
            return match within(op.run(&mut handle)).await {
                Ok(out) => out,
                Err(late) => {
                    discard(client);
                    Err(late)
                }
            };
        }
        for _ in 0..BOOKING_ATTEMPTS {
            let attempt = within(async {
                let tx = client.transaction().await?;
                let mut handle = PgTx {
                    client: &tx,
                    currency: &self.currency,
                    catalog: None,
                };
                match op.run(&mut handle).await {
                    Ok(out) => Ok(Some((tx, out))),
                    // Dropping the transaction rolls it back.
                    Err(StoreError::Collision) => Ok(None),
                    Err(e) => Err(e),
                }
            })
            .await;
            // Past the operation the change may have been made: a commit that does not
            // answer in time is unconfirmed, not failed. Either way the connection stopped
            // answering and is not reused.
            let stalled = match std::convert::identity(attempt) {
                Ok(Ok(Some((tx, out)))) => {
                    match within(self.commit(tx, O::CHANGES_CATALOG, O::CHANGES_ANSWERS)).await {
                        Ok(Ok(())) => return Ok(out),
                        Ok(Err(e)) => return Err(e),
                        Err(_) => StoreError::Unconfirmed,
                    }
                }
                Ok(Ok(None)) => continue,
                Ok(Err(e)) => return Err(e),
                Err(late) => late,
            };
            discard(client);
            return Err(stalled);
        }
        Err(StoreError::Database(
            "too many concurrent changes of the same rooms; please try again".into(),
        ))
    }

    async fn commit(
        &self,
        tx: deadpool_postgres::Transaction<'_>,
        rooms_changed: bool,
        answers_changed: bool,
    ) -> StoreResult<()> {
        let mut notices = Vec::new();
        if answers_changed {
            notices.push(format!("NOTIFY {CHANGES_CHANNEL}"));
        }
        if rooms_changed {
            notices.push(format!("NOTIFY {ROOMS_CHANNEL}"));
        }
        if !notices.is_empty() {
            tx.batch_execute(&notices.join("; ")).await?;
        }
        tx.commit().await?;
        if rooms_changed {
            self.catalog.invalidate();
        }
        if answers_changed {
            self.changes.bump();
        }
        Ok(())
    }
}

/// Brings the schema up to date. The server never creates a PostgreSQL database, so a lost
/// one cannot come back empty; an existing database gets the hotel's tables when it has no
/// tables at all (the first run) or when `create` asks, never beside someone else's.
async fn migrate(client: &mut deadpool_postgres::Object, create: bool) -> Result<(), String> {
    let failed = |e: tokio_postgres::Error| format!("cannot prepare the database: {e}");
    let tx = client.transaction().await.map_err(failed)?;
    let row = tx
        .query_one(
            "SELECT to_regclass('hotel_schema') IS NOT NULL AS hotel, \
                    (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()) AS tables",
            &[],
        )
        .await
        .map_err(failed)?;
    let (hotel, tables): (bool, i64) = (row.get(0), row.get(1));
    if !hotel && tables > 0 && !create {
        return Err(format!(
            "the database has {tables} tables but no hotel: --database names the wrong \
             database, or the hotel's tables were dropped (restore them from a backup). To add \
             a new, empty hotel to it anyway, start once with --create."
        ));
    }
    migrate_schema(tx).await
}

async fn migrate_schema(tx: deadpool_postgres::Transaction<'_>) -> Result<(), String> {
    let failed = |e: tokio_postgres::Error| format!("cannot prepare the database: {e}");
    // Two instances starting together must not both create the schema.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(failed)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS hotel_schema (version INTEGER NOT NULL)")
        .await
        .map_err(failed)?;
    let version: i32 = tx
        .query_opt("SELECT version FROM hotel_schema", &[])
        .await
        .map_err(failed)?
        .map_or(0, |r| r.get(0));
    super::migrations::refuse_newer(i64::from(version), MIGRATIONS.len())?;
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let target = index as i32 + 1;
        if target > version {
            tx.batch_execute(sql).await.map_err(failed)?;
            tx.execute("DELETE FROM hotel_schema", &[])
                .await
                .map_err(failed)?;
            tx.execute("INSERT INTO hotel_schema (version) VALUES ($1)", &[&target])
                .await
                .map_err(failed)?;
        }
    }
    tx.commit().await.map_err(failed)
}
