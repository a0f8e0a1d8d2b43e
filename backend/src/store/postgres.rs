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

use bytes::{BufMut, BytesMut};
use deadpool_postgres::GenericClient;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use hotel_shared::Date;
use tokio::sync::broadcast;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type, accepts, to_sql_checked};
use tokio_postgres::{NoTls, Row};

use super::catalog::{Catalog, CatalogCache};
use super::ops::catalog::catalog_through;
use super::ops::rooms::Seed;
use super::postgres_tasks::{CHANGES_CHANNEL, ROOMS_CHANNEL};
use super::sql::{Op, SqlRow, Tx, Value, values_sql};
use super::{ChangeCounter, StoreError, StoreResult};

const MIGRATIONS: &[&str] = super::migrations::POSTGRES;
/// How often a booking retries after losing a room-night to a concurrent one. Each loss means
/// another guest got a room, so this bounds retries by what a hotel can sell at once.
const BOOKING_ATTEMPTS: usize = 64;
const MIGRATION_LOCK: i64 = 0x486f_7465_6c02;
/// First key of the two-key advisory locks on nights (the second is the day number).
const NIGHT_LOCKS: i32 = 0x486f_7465;
/// The advisory locks of guests' holdings, in a space of their own.
const GUEST_LOCKS: i32 = 0x4775_6573;
/// The advisory lock (one bigint key, a space apart from the two-key ones) that placing
/// events takes.
const EVENT_LOCK: i64 = 0x4576_656e_7473;

/// DATE travels as days since 2000-01-01; ours count from 1970-01-01.
const PG_EPOCH_OFFSET: i32 = 10_957;

#[derive(Debug)]
struct PgDate(Date);

impl ToSql for PgDate {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        out.put_i32(self.0.days_since_epoch() - PG_EPOCH_OFFSET);
        Ok(IsNull::No)
    }
    accepts!(DATE);
    to_sql_checked!();
}

impl<'a> FromSql<'a> for PgDate {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let days = i32::from_be_bytes(raw.try_into()?);
        Date::from_days_since_epoch(days + PG_EPOCH_OFFSET)
            .map(PgDate)
            .ok_or_else(|| "date outside the years 1 to 9999".into())
    }
    accepts!(DATE);
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        match e.code() {
            // A concurrent transaction got there first: the operation runs again.
            Some(&SqlState::UNIQUE_VIOLATION)
            | Some(&SqlState::T_R_SERIALIZATION_FAILURE)
            | Some(&SqlState::T_R_DEADLOCK_DETECTED) => StoreError::Collision,
            _ => StoreError::Database(e.to_string()),
        }
    }
}

/// Microseconds between the Unix epoch and PostgreSQL's (2000-01-01).
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => int_to_sql(*v, ty, out),
            Value::Bool(b) if *ty == Type::BOOL => b.to_sql(ty, out),
            Value::Bool(b) => int_to_sql(i64::from(*b), ty, out),
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Date(d) => PgDate(*d).to_sql(ty, out),
            Value::Bytes(b) => b.as_slice().to_sql(ty, out),
            Value::Timestamp(t) => {
                out.put_i64(t.as_microsecond() - PG_EPOCH_MICROS);
                Ok(IsNull::No)
            }
        }
    }

    fn accepts(_: &Type) -> bool {
        // The type is checked per value in `to_sql`, against what the statement expects.
        true
    }

    to_sql_checked!();
}

fn int_to_sql(
    v: i64,
    ty: &Type,
    out: &mut BytesMut,
) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
    match *ty {
        Type::INT2 => i16::try_from(v)?.to_sql(ty, out),
        Type::INT4 => i32::try_from(v)?.to_sql(ty, out),
        Type::INT8 => v.to_sql(ty, out),
        Type::BOOL => (v != 0).to_sql(ty, out),
        _ => Err(format!("an integer cannot be sent as {ty}").into()),
    }
}

fn pg_row(row: &Row, names: &Arc<[String]>) -> StoreResult<SqlRow> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = match *ty {
            Type::INT2 => row
                .try_get::<_, Option<i16>>(i)?
                .map(|v| Value::Int(v.into())),
            Type::INT4 => row
                .try_get::<_, Option<i32>>(i)?
                .map(|v| Value::Int(v.into())),
            Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
            Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map(Value::Bool),
            Type::DATE => row
                .try_get::<_, Option<PgDate>>(i)?
                .map(|d| Value::Date(d.0)),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                row.try_get::<_, Option<String>>(i)?.map(Value::Text)
            }
            Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Bytes),
            _ => {
                return Err(StoreError::Database(format!(
                    "column {i} has unexpected type {ty}"
                )));
            }
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(SqlRow::new(Arc::clone(names), values))
}

/// An operation's view of a pooled connection or of a transaction on one.
struct PgTx<'a, C> {
    client: &'a C,
    currency: &'a str,
    /// The shared catalog for reads; writes read it afresh inside their transaction.
    catalog: Option<&'a CatalogCache>,
}

impl<C: GenericClient + Sync> Tx for PgTx<'_, C> {
    async fn query(&mut self, sql: &str, params: Vec<Value>) -> StoreResult<Vec<SqlRow>> {
        let stmt = self.client.prepare_cached(sql).await?;
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        let names: Arc<[String]> = stmt
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        self.client
            .query(&stmt, &refs)
            .await?
            .iter()
            .map(|row| pg_row(row, &names))
            .collect()
    }

    async fn execute(&mut self, sql: &str, params: Vec<Value>) -> StoreResult<u64> {
        let stmt = self.client.prepare_cached(sql).await?;
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        Ok(self.client.execute(&stmt, &refs).await?)
    }

    async fn insert_id(&mut self, sql: &str, params: Vec<Value>) -> StoreResult<i64> {
        self.query(&format!("{sql} RETURNING id"), params)
            .await?
            .first()
            .ok_or_else(|| StoreError::Database("the insert returned no id".into()))?
            .int("id")
    }

    /// One statement for every row: one round trip.
    async fn insert_rows(
        &mut self,
        insert: &str,
        width: usize,
        values: Vec<Value>,
    ) -> StoreResult<()> {
        let rows = values.len() / width.max(1);
        self.execute(&values_sql(insert, width, rows), values)
            .await
            .map(drop)
    }

    async fn release_nights(&mut self, booking: i64, _: u32, _: Date, _: Date) -> StoreResult<()> {
        self.execute(
            "DELETE FROM room_nights WHERE booking_id = $1",
            vec![Value::from(booking)],
        )
        .await
        .map(drop)
    }

    /// Serialises the changes that touch any of these nights, on every instance: two bookings
    /// for overlapping stays take turns (and so both get the lowest rooms free at their turn),
    /// while stays that share no night go ahead in parallel. Nights are locked in ascending
    /// order, so two transactions cannot deadlock on them.
    async fn lock_nights(&mut self, from: Date, to: Date) -> StoreResult<()> {
        let stmt = self
            .client
            .prepare_cached(
                "SELECT pg_advisory_xact_lock($1, d) FROM generate_series($2::int, $3::int - 1) AS d ORDER BY d",
            )
            .await?;
        self.client
            .execute(
                &stmt,
                &[
                    &NIGHT_LOCKS,
                    &from.days_since_epoch(),
                    &to.days_since_epoch(),
                ],
            )
            .await?;
        Ok(())
    }

    async fn lock_guest(&mut self, user_id: i64) -> StoreResult<()> {
        let stmt = self
            .client
            .prepare_cached("SELECT pg_advisory_xact_lock($1, ($2::bigint % 2147483647)::int)")
            .await?;
        self.client
            .execute(&stmt, &[&GUEST_LOCKS, &user_id])
            .await?;
        Ok(())
    }

    async fn lock_events(&mut self) -> StoreResult<()> {
        let stmt = self
            .client
            .prepare_cached("SELECT pg_advisory_xact_lock($1::bigint)")
            .await?;
        self.client.execute(&stmt, &[&EVENT_LOCK]).await?;
        Ok(())
    }

    async fn next_event_position(&mut self) -> StoreResult<Option<i64>> {
        // Sequence values are not in commit order here: `PlaceEvents` places it after commit.
        Ok(None)
    }

    /// Delivered by PostgreSQL when the transaction commits, and not at all if it rolls back.
    async fn notify(&mut self, channel: &str, payload: &str) -> StoreResult<()> {
        let stmt = self
            .client
            .prepare_cached("SELECT pg_notify($1, $2)")
            .await?;
        self.client.execute(&stmt, &[&channel, &payload]).await?;
        Ok(())
    }

    async fn next_acquired(&mut self) -> StoreResult<i64> {
        let stmt = self
            .client
            .prepare_cached("SELECT nextval('bookings_acquired')")
            .await?;
        Ok(self.client.query_one(&stmt, &[]).await?.try_get(0)?)
    }

    fn currency(&self) -> &str {
        self.currency
    }

    async fn catalog(&mut self) -> StoreResult<Arc<Catalog>> {
        let cache = self.catalog;
        catalog_through(cache, self).await
    }
}

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
