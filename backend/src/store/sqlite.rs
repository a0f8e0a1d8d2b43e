//! SQLite engine: one writer thread with group commit, and a pool of read connections.
//!
//! Durable commits are the expensive part of a booking (an fsync each with
//! `synchronous=FULL`). The writer takes every write waiting in its queue, runs each inside
//! its own savepoint (a failed one rolls back alone), commits them all at once, and only then
//! answers them: every acknowledged booking is on disk, and a burst costs one fsync, not one
//! per booking. Reads run on separate WAL connections and never wait for the writer.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use hotel_shared::Date;
use hotel_shared::{Booking, BookingStatus, RoomStatus};
use jiff::Timestamp;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};
use tokio::sync::{mpsc, oneshot};

use super::{
    Account, ChangeCounter, MoveOutcome, MoveTarget, StoreError, StoreResult, booking,
    room_statuses,
};
use crate::auth::FAILURE_WINDOW_SECS;
use crate::domain::DomainError;
use crate::domain::accounts::{Role, User};
use crate::domain::rooms::pick_lowest;
use crate::domain::stay::Stay;

const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_init.sql"),
    include_str!("../../migrations/sqlite/0002_login_failures.sql"),
];

/// Writes folded into one commit at most; bounds the latency of the first one in a burst.
const MAX_BATCH: usize = 512;
/// Writes waiting beyond this make callers wait for room in the queue (back-pressure).
const QUEUE_DEPTH: usize = 8192;

pub struct SqliteStore {
    jobs: Mutex<Option<mpsc::Sender<Box<dyn Job>>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    readers: Mutex<Vec<Connection>>,
    /// Room numbers, ascending. Rooms change rarely; every availability question needs them.
    rooms: Arc<Vec<u32>>,
    path: String,
    changes: Arc<ChangeCounter>,
}

/// One queued write: `run` inside the batch transaction, `finish` once its fate is known.
trait Job: Send {
    /// Returns whether the job's changes should be kept.
    fn run(&mut self, conn: &Connection) -> bool;
    fn finish(self: Box<Self>, commit: Result<(), String>);
}

struct WriteJob<T, F> {
    work: Option<F>,
    result: Option<StoreResult<T>>,
    reply: oneshot::Sender<StoreResult<T>>,
}

impl<T, F> Job for WriteJob<T, F>
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        let result = work(conn);
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn finish(self: Box<Self>, commit: Result<(), String>) {
        let outcome = match (self.result, commit) {
            // A refusal wrote nothing, so it stands whatever happened to the batch.
            (Some(Err(e)), _) => Err(e),
            (Some(Ok(value)), Ok(())) => Ok(value),
            (Some(Ok(_)), Err(e)) => Err(StoreError::Database(e)),
            (None, Err(e)) => Err(StoreError::Database(e)),
            (None, Ok(())) => Err(StoreError::Database("the write did not run".into())),
        };
        // The caller may have gone away (timeout, closed connection); the write stands.
        let _ = self.reply.send(outcome);
    }
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
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if !read_only {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: an acknowledged booking survives power loss, not only a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let target = index as i64 + 1;
        if target <= version {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", target)?;
        tx.commit()?;
    }
    Ok(())
}

fn seed_rooms(conn: &mut Connection, rooms: u32) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    let existing: u32 = tx.query_row("SELECT COUNT(*) FROM rooms", [], |r| r.get(0))?;
    if existing == 0 {
        let mut insert = tx.prepare("INSERT INTO rooms (number) VALUES (?1)")?;
        for number in 1..=rooms {
            insert.execute([number])?;
        }
        drop(insert);
    }
    tx.commit()
}

impl SqliteStore {
    pub async fn open(path: &str, rooms: u32) -> Result<SqliteStore, String> {
        let path = path.to_string();
        let setup_path = path.clone();
        let (writer_conn, room_numbers) =
            tokio::task::spawn_blocking(move || -> Result<(Connection, Vec<u32>), String> {
                if let Some(dir) = Path::new(&setup_path).parent()
                    && !dir.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                }
                let mut conn = open_connection(&setup_path, false)
                    .map_err(|e| format!("cannot open {setup_path}: {e}"))?;
                migrate(&mut conn).map_err(|e| format!("cannot migrate {setup_path}: {e}"))?;
                seed_rooms(&mut conn, rooms).map_err(|e| format!("cannot add rooms: {e}"))?;
                let numbers = conn
                    .prepare("SELECT number FROM rooms ORDER BY number")
                    .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
                    .map_err(|e| format!("cannot read rooms: {e}"))?;
                Ok((conn, numbers))
            })
            .await
            .map_err(|e| format!("database set-up failed: {e}"))??;

        let changes = Arc::new(ChangeCounter::default());
        let (tx, rx) = mpsc::channel(QUEUE_DEPTH);
        let writer_changes = Arc::clone(&changes);
        let writer = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer_loop(writer_conn, rx, &writer_changes))
            .map_err(|e| format!("cannot start the database writer: {e}"))?;

        Ok(SqliteStore {
            jobs: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
            readers: Mutex::new(Vec::new()),
            rooms: Arc::new(room_numbers),
            path,
            changes,
        })
    }

    pub fn changes(&self) -> &ChangeCounter {
        &self.changes
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

    async fn write<T, F>(&self, work: F) -> StoreResult<T>
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
            result: None,
            reply,
        });
        sender
            .send(job)
            .await
            .map_err(|_| StoreError::Unavailable)?;
        answer.await.map_err(|_| StoreError::Unavailable)?
    }

    /// Runs a short read on a pooled connection. Reads are index lookups of microseconds, so
    /// they run in place rather than paying for a hop to the blocking pool.
    fn read<T>(&self, work: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> StoreResult<T> {
        let pooled = self.readers.lock().ok().and_then(|mut pool| pool.pop());
        let conn = match pooled {
            Some(conn) => conn,
            None => open_connection(&self.path, true)?,
        };
        let result = work(&conn);
        if let Ok(mut pool) = self.readers.lock() {
            pool.push(conn);
        }
        Ok(result?)
    }

    pub async fn room_count(&self) -> StoreResult<u32> {
        // Also proves the database still answers: this is what /healthz reports.
        self.read(|c| c.query_row("SELECT COUNT(*) FROM rooms", [], |r| r.get(0)))
    }

    pub async fn rooms_on(&self, night: Date) -> StoreResult<Vec<RoomStatus>> {
        let taken = self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT room FROM room_nights WHERE night = ?1")?;
            let rows = stmt.query_map([night.to_string()], |r| r.get::<_, u32>(0))?;
            rows.collect::<rusqlite::Result<Vec<u32>>>()
        })?;
        Ok(room_statuses(&self.rooms, &taken))
    }

    pub async fn occupancy(
        &self,
        from: Date,
        to: Date,
    ) -> StoreResult<(Vec<u32>, Vec<(u32, Date)>)> {
        let held = self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT room, night FROM room_nights WHERE night >= ?1 AND night < ?2",
            )?;
            let rows = stmt.query_map([from.to_string(), to.to_string()], |r| {
                Ok((r.get::<_, u32>(0)?, parse_day(r, 1)?))
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })?;
        Ok((self.rooms.as_ref().clone(), held))
    }

    pub async fn free_rooms(&self, stay: Stay) -> StoreResult<Vec<u32>> {
        self.read(|c| free_rooms(c, &self.rooms, stay))
    }

    pub async fn account(&self, username: &str) -> StoreResult<Option<Account>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT id, username, role, password_hash FROM users WHERE username = ?1",
            )?
            .query_row([username], |r| {
                Ok(Account {
                    user: User {
                        id: r.get(0)?,
                        username: r.get(1)?,
                        role: Role::parse(&r.get::<_, String>(2)?),
                    },
                    password_hash: r.get(3)?,
                })
            })
            .optional()
        })
    }

    pub async fn create_account(&self, username: &str, password_hash: String) -> StoreResult<User> {
        let username = username.to_string();
        self.write(move |c| {
            let inserted = c
                .prepare_cached(
                    "INSERT INTO users (username, password_hash, role, created_at) \
                     VALUES (?1, ?2, 'guest', ?3)",
                )?
                .execute(params![
                    username,
                    password_hash,
                    Timestamp::now().to_string()
                ]);
            match inserted {
                Ok(_) => Ok(User {
                    id: c.last_insert_rowid(),
                    username,
                    role: Role::Guest,
                }),
                Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
                    Err(DomainError::UsernameTaken.into())
                }
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    pub async fn create_session(
        &self,
        user_id: i64,
        token_hash: [u8; 32],
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        self.write(move |c| {
            let now = Timestamp::now().as_second();
            // Expired sessions are useless; sweeping them here keeps the table small.
            c.prepare_cached("DELETE FROM sessions WHERE expires_at <= ?1")?
                .execute([now])?;
            c.prepare_cached(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                token_hash.as_slice(),
                user_id,
                now,
                expires_at.as_second()
            ])?;
            Ok(())
        })
        .await
    }

    pub async fn session_user(
        &self,
        token_hash: [u8; 32],
    ) -> StoreResult<Option<(User, Timestamp)>> {
        let now = Timestamp::now().as_second();
        self.read(|c| {
            c.prepare_cached(
                "SELECT u.id, u.username, u.role, s.expires_at FROM sessions s \
                 JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            )?
            .query_row(params![token_hash.as_slice(), now], |r| {
                let user = User {
                    id: r.get(0)?,
                    username: r.get(1)?,
                    role: Role::parse(&r.get::<_, String>(2)?),
                };
                let expires = Timestamp::from_second(r.get(3)?).unwrap_or(Timestamp::MIN);
                Ok((user, expires))
            })
            .optional()
        })
    }

    pub async fn delete_session(&self, token_hash: [u8; 32]) -> StoreResult<()> {
        self.write(move |c| {
            c.prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")?
                .execute([token_hash.as_slice()])?;
            Ok(())
        })
        .await
    }

    pub async fn login_failures(
        &self,
        username: &str,
        ip: &str,
    ) -> StoreResult<Option<(u32, i64)>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT failures, first_at FROM login_failures WHERE username = ?1 AND ip = ?2",
            )?
            .query_row([username, ip], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
        })
    }

    pub async fn record_login_failure(
        &self,
        username: &str,
        ip: &str,
        now: i64,
    ) -> StoreResult<()> {
        let (username, ip) = (username.to_string(), ip.to_string());
        let expired = now - FAILURE_WINDOW_SECS;
        self.write(move |c| {
            c.prepare_cached("DELETE FROM login_failures WHERE first_at <= ?1")?
                .execute([expired])?;
            c.prepare_cached("INSERT INTO login_failures (username, ip, failures, first_at) VALUES (?1, ?2, 1, ?3) \
                 ON CONFLICT (username, ip) DO UPDATE SET \
                 failures = CASE WHEN login_failures.first_at <= ?4 THEN 1 ELSE login_failures.failures + 1 END, \
                 first_at = CASE WHEN login_failures.first_at <= ?4 THEN ?3 ELSE login_failures.first_at END")?
            .execute(params![username, ip, now, expired])?;
            Ok(())
        })
        .await
    }

    pub async fn clear_login_failures(&self, username: &str, ip: &str) -> StoreResult<()> {
        let (username, ip) = (username.to_string(), ip.to_string());
        self.write(move |c| {
            c.prepare_cached("DELETE FROM login_failures WHERE username = ?1 AND ip = ?2")?
                .execute([username, ip])?;
            Ok(())
        })
        .await
    }

    pub async fn book(&self, user_id: i64, rooms: u32, stay: Stay) -> StoreResult<Vec<Booking>> {
        let all_rooms = Arc::clone(&self.rooms);
        self.write(move |c| {
            let free = free_rooms(c, &all_rooms, stay)?;
            let picked = pick_lowest(&free, rooms)?;
            let first_acquired = next_acquired(c)?;
            let created_at = Timestamp::now().to_string();
            let mut insert_booking = c.prepare_cached(
                "INSERT INTO bookings (user_id, room, check_in, check_out, status, acquired, created_at) \
                 VALUES (?1, ?2, ?3, ?4, 'booked', ?5, ?6)",
            )?;
            let mut insert_night = c.prepare_cached(
                "INSERT INTO room_nights (room, night, booking_id) VALUES (?1, ?2, ?3)",
            )?;
            let mut booked = Vec::with_capacity(picked.len());
            for (acquired, room) in (first_acquired..).zip(picked) {
                insert_booking.execute(params![
                    user_id,
                    room,
                    stay.check_in.to_string(),
                    stay.check_out.to_string(),
                    acquired,
                    created_at
                ])?;
                let id = c.last_insert_rowid();
                for night in stay.each_night() {
                    insert_night.execute(params![room, night.to_string(), id])?;
                }
                booked.push(booking(id, room, stay.check_in, stay.check_out, BookingStatus::Booked));
            }
            Ok(booked)
        })
        .await
    }

    pub async fn active_bookings(&self, user_id: i64, today: Date) -> StoreResult<Vec<Booking>> {
        self.read(|c| active_bookings(c, user_id, today))
    }

    pub async fn move_booking(
        &self,
        user_id: i64,
        target: MoveTarget,
        new_room: u32,
        today: Date,
    ) -> StoreResult<MoveOutcome> {
        self.write(move |c| {
            let exists: bool = c
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM rooms WHERE number = ?1)")?
                .query_row([new_room], |r| r.get(0))?;
            if !exists {
                return Err(DomainError::InvalidRoom.into());
            }
            let current = active_bookings(c, user_id, today)?;
            let chosen = match target {
                MoveTarget::FirstAcquired => current
                    .into_iter()
                    .next()
                    .ok_or(DomainError::NoBookingToUpdate)?,
                MoveTarget::Booking(id) => match current.into_iter().find(|b| b.id == id) {
                    Some(b) => b,
                    None => return Err(DomainError::BookingNotFound(id).into()),
                },
            };
            // Nights already spent stay where they were; only tonight onwards can move.
            let from = chosen.check_in.max(today);
            if chosen.room_number == new_room {
                return Ok(MoveOutcome::AlreadyHeld { booking: chosen });
            }
            // (holder, booking) of every stay that has the new room on one of these nights.
            let holders: Vec<(i64, i64)> = c
                .prepare_cached(
                    "SELECT DISTINCT b.user_id, b.id FROM room_nights n JOIN bookings b ON b.id = n.booking_id \
                     WHERE n.room = ?1 AND n.night >= ?2 AND n.night < ?3",
                )?
                .query_map(
                    params![new_room, from.to_string(), chosen.check_out.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?
                .collect::<rusqlite::Result<_>>()?;
            if let Some(&(_, own)) = holders.iter().find(|(holder, _)| *holder == user_id) {
                let booking = active_bookings(c, user_id, today)?
                    .into_iter()
                    .find(|b| b.id == own)
                    .unwrap_or(chosen);
                return Ok(MoveOutcome::AlreadyHeld { booking });
            }
            if !holders.is_empty() {
                return Err(DomainError::RoomOccupied(new_room).into());
            }
            c.prepare_cached(
                "UPDATE room_nights SET room = ?1 WHERE booking_id = ?2 AND night >= ?3",
            )?
            .execute(params![new_room, chosen.id, from.to_string()])?;
            let acquired = next_acquired(c)?;
            c.prepare_cached("UPDATE bookings SET room = ?1, acquired = ?2 WHERE id = ?3")?
                .execute(params![new_room, acquired, chosen.id])?;
            Ok(MoveOutcome::Moved {
                released: chosen.room_number,
                booking: Booking {
                    room_number: new_room,
                    ..chosen
                },
            })
        })
        .await
    }

    pub async fn checkout(&self, user_id: i64, today: Date) -> StoreResult<Vec<Booking>> {
        self.write(move |c| {
            let in_progress: Vec<Booking> = active_bookings(c, user_id, today)?
                .into_iter()
                .filter(|b| b.check_in <= today)
                .collect();
            if in_progress.is_empty() {
                return Err(DomainError::NoBookedRooms.into());
            }
            let mut release =
                c.prepare_cached("DELETE FROM room_nights WHERE booking_id = ?1 AND night >= ?2")?;
            let mut close = c.prepare_cached(
                "UPDATE bookings SET status = 'checked_out', check_out = ?2 WHERE id = ?1",
            )?;
            let mut done = Vec::with_capacity(in_progress.len());
            for b in in_progress {
                release.execute(params![b.id, today.to_string()])?;
                // A stay ended early records when the guest actually left.
                let check_out = if today > b.check_in {
                    today
                } else {
                    b.check_out
                };
                close.execute(params![b.id, check_out.to_string()])?;
                done.push(booking(
                    b.id,
                    b.room_number,
                    b.check_in,
                    check_out,
                    BookingStatus::CheckedOut,
                ));
            }
            Ok(done)
        })
        .await
    }

    pub async fn cancel(&self, user_id: i64, booking_id: i64, today: Date) -> StoreResult<Booking> {
        self.write(move |c| {
            let found = c
                .prepare_cached(
                    "SELECT id, room, check_in, check_out, status FROM bookings \
                     WHERE id = ?1 AND user_id = ?2",
                )?
                .query_row(params![booking_id, user_id], booking_from_row)
                .optional()?;
            // Someone else's booking is reported exactly like a missing one.
            let b = found.ok_or(DomainError::BookingNotFound(booking_id))?;
            if b.status != BookingStatus::Booked || b.check_out <= today {
                return Err(DomainError::BookingNotActive(booking_id).into());
            }
            if b.check_in < today {
                return Err(DomainError::BookingAlreadyStarted(booking_id).into());
            }
            c.prepare_cached("DELETE FROM room_nights WHERE booking_id = ?1")?
                .execute([b.id])?;
            c.prepare_cached("UPDATE bookings SET status = 'cancelled' WHERE id = ?1")?
                .execute([b.id])?;
            Ok(Booking {
                status: BookingStatus::Cancelled,
                ..b
            })
        })
        .await
    }
}

fn writer_loop(conn: Connection, mut jobs: mpsc::Receiver<Box<dyn Job>>, changes: &ChangeCounter) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = jobs.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let commit = run_batch(&conn, &mut batch);
        if matches!(commit, Ok(true)) {
            changes.bump();
        }
        let commit = commit.map(|_| ());
        for job in batch.drain(..) {
            job.finish(commit.clone());
        }
    }
    tracing::debug!("database writer stopped");
}

/// Runs every job of the batch in its own savepoint and commits once.
/// Returns whether any job changed anything.
fn run_batch(conn: &Connection, batch: &mut [Box<dyn Job>]) -> Result<bool, String> {
    conn.execute_batch("BEGIN IMMEDIATE")
        .map_err(|e| e.to_string())?;
    let mut changed = false;
    for job in batch.iter_mut() {
        if let Err(e) = run_cached(conn, "SAVEPOINT job") {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e.to_string());
        }
        let keep = catch_unwind(AssertUnwindSafe(|| job.run(conn))).unwrap_or_else(|_| {
            tracing::error!("a database write panicked; it was rolled back");
            false
        });
        let end = if keep {
            changed = true;
            run_cached(conn, "RELEASE job")
        } else {
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

/// Rooms (of `rooms`, ascending) with no stay on any night of `stay`.
fn free_rooms(c: &Connection, rooms: &[u32], stay: Stay) -> rusqlite::Result<Vec<u32>> {
    let mut stmt =
        c.prepare_cached("SELECT DISTINCT room FROM room_nights WHERE night >= ?1 AND night < ?2")?;
    let taken = stmt
        .query_map(
            [stay.check_in.to_string(), stay.check_out.to_string()],
            |r| r.get::<_, u32>(0),
        )?
        .collect::<rusqlite::Result<std::collections::HashSet<u32>>>()?;
    Ok(rooms
        .iter()
        .copied()
        .filter(|r| !taken.contains(r))
        .collect())
}

fn next_acquired(c: &Connection) -> rusqlite::Result<i64> {
    c.prepare_cached("SELECT COALESCE(MAX(acquired), 0) + 1 FROM bookings")?
        .query_row([], |r| r.get(0))
}

fn active_bookings(c: &Connection, user_id: i64, today: Date) -> rusqlite::Result<Vec<Booking>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, room, check_in, check_out, status FROM bookings \
         WHERE user_id = ?1 AND status = 'booked' AND check_out > ?2 ORDER BY acquired",
    )?;
    let rows = stmt.query_map(params![user_id, today.to_string()], booking_from_row)?;
    rows.collect()
}

fn booking_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Booking> {
    let check_in = parse_day(r, 2)?;
    let check_out = parse_day(r, 3)?;
    let status_text: String = r.get(4)?;
    let status = BookingStatus::parse(&status_text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            4,
            rusqlite::types::Type::Text,
            format!("unknown booking status {status_text:?}").into(),
        )
    })?;
    Ok(booking(r.get(0)?, r.get(1)?, check_in, check_out, status))
}

fn parse_day(r: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Date> {
    let text: String = r.get(index)?;
    text.parse()
        .map_err(|e: hotel_shared::date::DateParseError| {
            rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
        })
}
