//! SQLite engine: one writer thread with group commit, and a pool of read connections.
//!
//! Durable commits are the expensive part of a booking (an fsync each with
//! `synchronous=FULL`). The writer takes every write waiting in its queue, runs each inside
//! its own savepoint (a failed one rolls back alone), commits them all at once, and only then
//! answers them: every acknowledged booking is on disk, and a burst costs one fsync, not one
//! per booking. Reads run on separate WAL connections and never wait for the writer.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use tokio::sync::{mpsc, oneshot};

use super::catalog::CatalogCache;
use super::night_index::{HeldRooms, lock};
use super::ops::rooms::{Kept, Seed};
use super::sql::Op;
use super::sqlite_file::{Checkpoint, FileWatch, check_not_lost, checkpoint};
use super::sqlite_jobs::{Compact, Job, Tick, WriteJob, compact};
use super::sqlite_tx::{Held, SqliteTx};
use super::{ChangeCounter, StoreError, StoreResult};

const MIGRATIONS: &[&str] = super::migrations::SQLITE;

/// Writes folded into one commit at most; bounds the latency of the first one in a burst.
const MAX_BATCH: usize = 512;
/// Writes waiting beyond this make callers wait for room in the queue (back-pressure).
const QUEUE_DEPTH: usize = 8192;
/// How often the writer looks at its files and, after commits, checkpoints the write-ahead
/// log into the database file: a commit stays only in the log for about this long.
const TICK: std::time::Duration = std::time::Duration::from_secs(1);

pub struct SqliteStore {
    jobs: Mutex<Option<mpsc::Sender<Box<dyn Job>>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    readers: Mutex<Vec<Connection>>,
    /// ISO 4217 code of the hotel's currency, as stored in the database.
    currency: Arc<str>,
    /// The hotel's IANA time zone, as stored in the database.
    timezone: Arc<str>,
    catalog: Arc<CatalogCache>,
    /// Set by a write that changes rooms, until its batch is committed: meanwhile the writer
    /// reads the catalog afresh, and readers keep the committed one.
    rooms_dirty: Arc<AtomicBool>,
    /// The last `acquired` handed out. Only the writer thread books, so it counts in memory
    /// (a rolled-back booking leaves a gap, which the order does not mind).
    acquired: Arc<AtomicI64>,
    /// Rooms held each night, in the writer's memory and as committed (`night_index.rs`).
    held: HeldRooms,
    path: String,
    changes: Arc<ChangeCounter>,
    events: Arc<super::EventSignals>,
    file: Arc<FileWatch>,
}

fn open_connection(path: &str, read_only: bool) -> rusqlite::Result<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Every statement of every operation stays prepared; the default keeps only 16.
    conn.set_prepared_statement_cache_capacity(256);
    // One plan per statement: SQLite would otherwise compile some statements again whenever a
    // parameter's value changes.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if !read_only {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: an acknowledged booking survives power loss, not only a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(conn)
}

/// Runs the migrations not yet applied. Foreign keys are off meanwhile, as SQLite's own recipe
/// for rebuilding a table asks (a `DROP TABLE` would otherwise fail on the rows that refer to
/// it), and each migration checks them before it commits.
fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version >= MIGRATIONS.len() as i64 {
        return Ok(());
    }
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let outcome = run_migrations(conn, version);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    outcome
}

fn run_migrations(conn: &mut Connection, version: i64) -> rusqlite::Result<()> {
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let target = index as i64 + 1;
        if target <= version {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        let broken: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?;
        if let Some(table) = broken {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(format!("migration {target} broke a foreign key in {table}")),
            ));
        }
        tx.pragma_update(None, "user_version", target)?;
        tx.commit()?;
    }
    Ok(())
}

impl SqliteStore {
    /// Opens the hotel at `path`, creating it on the first run. A database that is missing
    /// where one lived before (its marker file, `PATH.existed`, is still there) is lost, not
    /// new: the server refuses to start an empty hotel in its place unless `create` says so.
    pub async fn open(path: &str, seed: Seed, create: bool) -> Result<SqliteStore, String> {
        let path = path.to_string();
        let setup_path = path.clone();
        let (writer_conn, kept, last_acquired, held, file) =
            tokio::task::spawn_blocking(move || -> Result<_, String> {
                check_not_lost(&setup_path, create)?;
                if let Some(dir) = Path::new(&setup_path).parent()
                    && !dir.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                }
                // A new database is private to the server's user (SQLite gives its log and
                // shared-memory files the database's own mode).
                if !Path::new(&setup_path).exists() {
                    super::create_private_file(Path::new(&setup_path))
                        .map_err(|e| format!("cannot create {setup_path}: {e}"))?;
                }
                let mut conn = open_connection(&setup_path, false)
                    .map_err(|e| format!("cannot open {setup_path}: {e}"))?;
                let version: i64 = conn
                    .pragma_query_value(None, "user_version", |r| r.get(0))
                    .map_err(|e| format!("cannot read {setup_path}: {e}"))?;
                super::migrations::refuse_newer(version, MIGRATIONS.len())?;
                migrate(&mut conn).map_err(|e| format!("cannot migrate {setup_path}: {e}"))?;
                let kept = seed_hotel(&mut conn, &seed)
                    .map_err(|e| format!("cannot set up the hotel: {e:?}"))?;
                let last_acquired = conn
                    .query_row("SELECT COALESCE(MAX(acquired), 0) FROM bookings", [], |r| {
                        r.get(0)
                    })
                    .map_err(|e| format!("cannot read the bookings: {e}"))?;
                let held = HeldRooms::follow(&mut conn)
                    .map_err(|e| format!("cannot read the rooms held: {e}"))?;
                let file = FileWatch::opened(&setup_path)?;
                Ok((conn, kept, last_acquired, held, file))
            })
            .await
            .map_err(|e| format!("database set-up failed: {e}"))??;

        let changes = Arc::new(ChangeCounter::default());
        let catalog = Arc::new(CatalogCache::default());
        let rooms_dirty = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel(QUEUE_DEPTH);
        let ticks = tx.downgrade();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(TICK);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                every.tick().await;
                // The store is closed once its sender is gone.
                let Some(jobs) = ticks.upgrade() else { break };
                let _ = jobs.try_send(Box::new(Tick) as Box<dyn Job>);
            }
        });
        let writer_changes = Arc::clone(&changes);
        let writer_catalog = Arc::clone(&catalog);
        let writer_dirty = Arc::clone(&rooms_dirty);
        let file = Arc::new(file);
        let writer_file = Arc::clone(&file);
        let writer_held = held.clone();
        let writer = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let sinks = Sinks {
                    changes: &writer_changes,
                    file: &writer_file,
                    held: &writer_held,
                };
                writer_loop(writer_conn, rx, sinks, || {
                    if writer_dirty.swap(false, Ordering::AcqRel) {
                        writer_catalog.invalidate();
                    }
                })
            })
            .map_err(|e| format!("cannot start the database writer: {e}"))?;

        Ok(SqliteStore {
            jobs: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
            readers: Mutex::new(Vec::new()),
            currency: Arc::from(kept.currency),
            timezone: Arc::from(kept.timezone),
            catalog,
            rooms_dirty,
            acquired: Arc::new(AtomicI64::new(last_acquired)),
            held,
            file,
            path,
            changes,
            events: Arc::default(),
        })
    }

    /// Why writes cannot be trusted to land right now, if they cannot: the file is gone or
    /// replaced, or the last commit failed (a full disk, an I/O error).
    pub fn problem(&self) -> Option<String> {
        self.file.problem()
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

    /// Writes waiting for the writer.
    pub fn queued_writes(&self) -> usize {
        self.jobs
            .lock()
            .ok()
            .and_then(|jobs| {
                jobs.as_ref()
                    .map(|tx| tx.max_capacity().saturating_sub(tx.capacity()))
            })
            .unwrap_or(0)
    }

    pub async fn close(&self) {
        // Dropping the sender lets the writer drain its queue and stop.
        let sender = self.jobs.lock().ok().and_then(|mut s| s.take());
        drop(sender);
        let handle = self.writer.lock().ok().and_then(|mut h| h.take());
        if let Some(handle) = handle {
            let _ = tokio::task::spawn_blocking(move || handle.join()).await;
        }
    }

    async fn write<T, F>(&self, changes_answers: bool, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let sender = self
            .jobs
            .lock()
            .map_err(|_| StoreError::Unavailable)?
            .clone()
            .ok_or(StoreError::Unavailable)?;
        let (reply, answer) = oneshot::channel();
        let job = Box::new(WriteJob {
            work: Some(work),
            changes_answers,
            result: None,
            reply,
        });
        sender
            .send(job)
            .await
            .map_err(|_| StoreError::Unavailable)?;
        answer.await.map_err(|_| StoreError::Unavailable)?
    }

    /// Rewrites the file from its live rows and empties the write-ahead log ([`Compact`]).
    pub async fn compact(&self) -> StoreResult<()> {
        let sender = self
            .jobs
            .lock()
            .map_err(|_| StoreError::Unavailable)?
            .clone()
            .ok_or(StoreError::Unavailable)?;
        let (reply, answer) = oneshot::channel();
        sender
            .send(Box::new(Compact { reply: Some(reply) }))
            .await
            .map_err(|_| StoreError::Unavailable)?;
        answer.await.map_err(|_| StoreError::Unavailable)?
    }

    /// Runs a short read on a pooled connection. Reads are index lookups of microseconds, so
    /// they run in place rather than paying for a hop to the blocking pool.
    fn read<T, E: Into<StoreError>>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> StoreResult<T> {
        let pooled = self.readers.lock().ok().and_then(|mut pool| pool.pop());
        let conn = match pooled {
            Some(conn) => conn,
            None => open_connection(&self.path, true)?,
        };
        let result = work(&conn);
        if let Ok(mut pool) = self.readers.lock() {
            pool.push(conn);
        }
        result.map_err(Into::into)
    }

    /// Runs an operation: a write on the writer thread inside the next group commit, a read
    /// on a read connection.
    pub async fn run<O: Op>(&self, op: O) -> StoreResult<O::Out> {
        let currency = Arc::clone(&self.currency);
        if O::WRITES {
            let catalog = Arc::clone(&self.catalog);
            let dirty = Arc::clone(&self.rooms_dirty);
            let acquired = Arc::clone(&self.acquired);
            let held = Arc::clone(&self.held.writer);
            self.write(O::CHANGES_ANSWERS, move |conn| {
                if O::CHANGES_CATALOG {
                    dirty.store(true, Ordering::Release);
                }
                let shared = (!dirty.load(Ordering::Acquire)).then_some(&*catalog);
                let mut tx = SqliteTx {
                    conn,
                    currency: &currency,
                    catalog: shared,
                    acquired: Some(&acquired),
                    held: Some(Held::Writer(&held)),
                };
                block_now(op.run(&mut tx))?
            })
            .await
        } else {
            self.read(|conn| {
                let mut tx = SqliteTx {
                    conn,
                    currency: &currency,
                    catalog: Some(&self.catalog),
                    acquired: None,
                    held: Some(Held::Committed(&self.held.committed)),
                };
                block_now(op.run(&mut tx))?
            })
        }
    }
}

/// What the writer tells about each batch it commits.
struct Sinks<'a> {
    changes: &'a ChangeCounter,
    file: &'a FileWatch,
    held: &'a HeldRooms,
}

/// `after_batch` runs once each batch has committed or rolled back.
fn writer_loop(
    conn: Connection,
    mut jobs: mpsc::Receiver<Box<dyn Job>>,
    Sinks {
        changes,
        file,
        held,
    }: Sinks<'_>,
    after_batch: impl Fn(),
) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(MAX_BATCH);
    // Whether commits since the last checkpoint are only in the write-ahead log.
    let mut unsaved = false;
    while let Some(first) = jobs.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let ticks_only = batch.iter().all(|job| job.is_tick());
        let started = std::time::Instant::now();
        let commit = file
            .before_batch(|| checkpoint(&conn, Checkpoint::Everything))
            .and_then(|()| {
                if ticks_only {
                    Ok(false)
                } else {
                    run_batch(&conn, &mut batch, held)
                }
            });
        if !ticks_only {
            metrics::histogram!(crate::metrics::BATCH_JOBS).record(batch.len() as f64);
            metrics::histogram!(crate::metrics::COMMIT_SECONDS)
                .record(started.elapsed().as_secs_f64());
            file.after_batch(&commit);
            unsaved |= commit.is_ok();
        }
        if unsaved && commit.is_ok() && batch.iter().any(|job| job.is_tick()) {
            match checkpoint(&conn, Checkpoint::AsFarAsReadersAllow) {
                Ok(()) => unsaved = false,
                Err(e) => tracing::debug!("checkpoint postponed: {e}"),
            }
        }
        let compacted =
            (commit.is_ok() && batch.iter().any(|job| job.compacts())).then(|| compact(&conn));
        if compacted.is_some() {
            unsaved = false;
        }
        after_batch();
        if matches!(commit, Ok(true)) {
            changes.bump();
        }
        let commit = commit.map(|_| ());
        for job in batch.drain(..) {
            let outcome = match &compacted {
                Some(done) if job.compacts() => done.clone(),
                _ => commit.clone(),
            };
            job.finish(outcome);
        }
    }
    tracing::debug!("database writer stopped");
}

/// Runs every job of the batch in its own savepoint and commits once; the rooms held follow
/// (readers see the batch's once it is committed). Returns whether any job changed what
/// guests are shown.
fn run_batch(
    conn: &Connection,
    batch: &mut [Box<dyn Job>],
    held: &HeldRooms,
) -> Result<bool, String> {
    let outcome = run_jobs(conn, batch, held);
    let mut writer = lock(&held.writer);
    if outcome.is_ok() {
        writer.commit(&held.committed);
    } else {
        writer.abort();
    }
    outcome
}

fn run_jobs(
    conn: &Connection,
    batch: &mut [Box<dyn Job>],
    held: &HeldRooms,
) -> Result<bool, String> {
    conn.execute_batch("BEGIN IMMEDIATE")
        .map_err(|e| e.to_string())?;
    let mut changed = false;
    for job in batch.iter_mut() {
        if let Err(e) = run_cached(conn, "SAVEPOINT job") {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e.to_string());
        }
        lock(&held.writer).begin_job();
        let keep = catch_unwind(AssertUnwindSafe(|| job.run(conn))).unwrap_or_else(|_| {
            tracing::error!("a database write panicked; it was rolled back");
            false
        });
        let end = if keep {
            changed |= job.changes_answers();
            run_cached(conn, "RELEASE job")
        } else {
            lock(&held.writer).drop_job();
            run_cached(conn, "ROLLBACK TO job").and_then(|()| run_cached(conn, "RELEASE job"))
        };
        if let Err(e) = end {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e.to_string());
        }
    }
    match conn.execute_batch("COMMIT") {
        Ok(()) => Ok(changed),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            tracing::error!("commit failed: {e}");
            Err(e.to_string())
        }
    }
}

fn run_cached(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(|_| ())
}

/// Creates the hotel in a new database (or completes an older one), in one transaction.
fn seed_hotel(conn: &mut Connection, seed: &Seed) -> StoreResult<Kept> {
    let tx = conn.transaction()?;
    let kept = {
        let mut handle = SqliteTx {
            conn: &tx,
            currency: &seed.currency,
            catalog: None,
            acquired: None,
            held: None,
        };
        block_now(seed.run(&mut handle))??
    };
    tx.commit()?;
    Ok(kept)
}

/// SQLite calls never wait, so an operation's future is complete after one poll.
fn block_now<F: Future>(future: F) -> StoreResult<F::Output> {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => Ok(output),
        Poll::Pending => Err(StoreError::Database(
            "a SQLite operation tried to wait".into(),
        )),
    }
}

#[cfg(test)]
#[path = "sqlite_tests.rs"]
mod tests;
