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
use hotel_shared::{Booking, BookingStatus, Date, RoomStatus};
use jiff::Timestamp;
use tokio::sync::broadcast;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type, accepts, to_sql_checked};
use tokio_postgres::{AsyncMessage, NoTls, Row};

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
    include_str!("../../migrations/postgres/0001_init.sql"),
    include_str!("../../migrations/postgres/0002_login_failures.sql"),
];
/// How often a booking retries after losing a room-night to a concurrent one. Each loss means
/// another guest got a room, so this bounds retries by what a hotel can sell at once.
const BOOKING_ATTEMPTS: usize = 64;
const MIGRATION_LOCK: i64 = 0x486f_7465_6c02;
/// First key of the two-key advisory locks on nights (the second is the day number).
const NIGHT_LOCKS: i32 = 0x486f_7465;
const CHANGES_CHANNEL: &str = "hotel_changes";
const SESSIONS_CHANNEL: &str = "hotel_sessions";

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
        StoreError::Database(e.to_string())
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        StoreError::Database(format!("no database connection: {e}"))
    }
}

pub struct PgStore {
    pool: Pool,
    rooms: Arc<Vec<u32>>,
    changes: Arc<ChangeCounter>,
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
    pub async fn open(url: &str, rooms: u32, pool_size: usize) -> Result<PgStore, String> {
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
        migrate(&mut client, rooms)
            .await
            .map_err(|e| format!("cannot prepare the database: {e}"))?;
        let numbers: Vec<u32> = client
            .query("SELECT number FROM rooms ORDER BY number", &[])
            .await
            .map_err(|e| e.to_string())?
            .iter()
            .map(|r| r.get::<_, i32>(0) as u32)
            .collect();
        drop(client);
        let changes = Arc::new(ChangeCounter::default());
        let (ended_sessions, _) = broadcast::channel(1024);
        tokio::spawn(listen(config, Arc::clone(&changes), ended_sessions.clone()));
        Ok(PgStore {
            pool,
            rooms: Arc::new(numbers),
            changes,
            ended_sessions,
        })
    }

    pub fn changes(&self) -> &ChangeCounter {
        &self.changes
    }

    /// Digests of sessions ended on any instance.
    pub fn ended_sessions(&self) -> broadcast::Receiver<[u8; 32]> {
        self.ended_sessions.subscribe()
    }

    pub async fn close(&self) {
        self.pool.close();
    }

    pub async fn room_count(&self) -> StoreResult<u32> {
        let client = self.pool.get().await?;
        let row = client.query_one("SELECT COUNT(*) FROM rooms", &[]).await?;
        Ok(row.get::<_, i64>(0) as u32)
    }

    pub async fn rooms_on(&self, night: Date) -> StoreResult<Vec<RoomStatus>> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached("SELECT room FROM room_nights WHERE night = $1")
            .await?;
        let taken: Vec<u32> = client
            .query(&stmt, &[&PgDate(night)])
            .await?
            .iter()
            .map(|r| r.get::<_, i32>(0) as u32)
            .collect();
        Ok(room_statuses(&self.rooms, &taken))
    }

    pub async fn occupancy(
        &self,
        from: Date,
        to: Date,
    ) -> StoreResult<(Vec<u32>, Vec<(u32, Date)>)> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached("SELECT room, night FROM room_nights WHERE night >= $1 AND night < $2")
            .await?;
        let held = client
            .query(&stmt, &[&PgDate(from), &PgDate(to)])
            .await?
            .iter()
            .map(|r| (r.get::<_, i32>(0) as u32, r.get::<_, PgDate>(1).0))
            .collect();
        Ok((self.rooms.as_ref().clone(), held))
    }

    pub async fn free_rooms(&self, stay: Stay) -> StoreResult<Vec<u32>> {
        let client = self.pool.get().await?;
        free_rooms(&client, &self.rooms, stay).await
    }

    pub async fn account(&self, username: &str) -> StoreResult<Option<Account>> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached(
                "SELECT id, username, role, password_hash FROM users WHERE username = $1",
            )
            .await?;
        Ok(client
            .query_opt(&stmt, &[&username])
            .await?
            .map(|r| Account {
                user: user_from(&r),
                password_hash: r.get(3),
            }))
    }

    pub async fn create_account(&self, username: &str, password_hash: String) -> StoreResult<User> {
        let client = self.pool.get().await?;
        let inserted = client
            .query_one(
                "INSERT INTO users (username, password_hash) VALUES ($1, $2) RETURNING id, username, role",
                &[&username, &password_hash],
            )
            .await;
        match inserted {
            Ok(row) => Ok(user_from(&row)),
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                Err(DomainError::UsernameTaken.into())
            }
            Err(e) => Err(e.into()),
        }
    }

    pub async fn create_session(
        &self,
        user_id: i64,
        token_hash: [u8; 32],
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        let client = self.pool.get().await?;
        let now = Timestamp::now().as_second();
        client
            .execute("DELETE FROM sessions WHERE expires_at <= $1", &[&now])
            .await?;
        client
            .execute(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                &[&token_hash.as_slice(), &user_id, &now, &expires_at.as_second()],
            )
            .await?;
        Ok(())
    }

    pub async fn session_user(
        &self,
        token_hash: [u8; 32],
    ) -> StoreResult<Option<(User, Timestamp)>> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached(
                "SELECT u.id, u.username, u.role, s.expires_at FROM sessions s \
                 JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
            )
            .await?;
        let now = Timestamp::now().as_second();
        Ok(client
            .query_opt(&stmt, &[&token_hash.as_slice(), &now])
            .await?
            .map(|r| {
                let expires = Timestamp::from_second(r.get(3)).unwrap_or(Timestamp::MIN);
                (user_from(&r), expires)
            }))
    }

    pub async fn delete_session(&self, token_hash: [u8; 32]) -> StoreResult<()> {
        let client = self.pool.get().await?;
        client
            .execute(
                "DELETE FROM sessions WHERE token_hash = $1",
                &[&token_hash.as_slice()],
            )
            .await?;
        let notice = format!("NOTIFY {SESSIONS_CHANNEL}, '{}'", hex::encode(token_hash));
        client.batch_execute(&notice).await?;
        Ok(())
    }

    pub async fn login_failures(
        &self,
        username: &str,
        ip: &str,
    ) -> StoreResult<Option<(u32, i64)>> {
        let client = self.pool.get().await?;
        let stmt = client
            .prepare_cached(
                "SELECT failures, first_at FROM login_failures WHERE username = $1 AND ip = $2",
            )
            .await?;
        Ok(client
            .query_opt(&stmt, &[&username, &ip])
            .await?
            .map(|r| (r.get::<_, i32>(0) as u32, r.get(1))))
    }

    pub async fn record_login_failure(
        &self,
        username: &str,
        ip: &str,
        now: i64,
    ) -> StoreResult<()> {
        let client = self.pool.get().await?;
        let expired = now - FAILURE_WINDOW_SECS;
        client
            .execute(
                "DELETE FROM login_failures WHERE first_at <= $1",
                &[&expired],
            )
            .await?;
        client
            .execute("INSERT INTO login_failures (username, ip, failures, first_at) VALUES ($1, $2, 1, $3) \
                 ON CONFLICT (username, ip) DO UPDATE SET \
                 failures = CASE WHEN login_failures.first_at <= $4 THEN 1 ELSE login_failures.failures + 1 END, \
                 first_at = CASE WHEN login_failures.first_at <= $4 THEN $3 ELSE login_failures.first_at END",
                &[&username, &ip, &now, &expired],
            )
            .await?;
        Ok(())
    }

    pub async fn clear_login_failures(&self, username: &str, ip: &str) -> StoreResult<()> {
        let client = self.pool.get().await?;
        client
            .execute(
                "DELETE FROM login_failures WHERE username = $1 AND ip = $2",
                &[&username, &ip],
            )
            .await?;
        Ok(())
    }

    /// Books without a global lock: concurrent bookings of different rooms or nights commit
    /// in parallel. Two that pick the same room-night collide on the primary key; the loser
    /// rolls back and picks again from what is now free.
    pub async fn book(&self, user_id: i64, rooms: u32, stay: Stay) -> StoreResult<Vec<Booking>> {
        let mut client = self.pool.get().await?;
        for _ in 0..BOOKING_ATTEMPTS {
            if let Some(booked) = self.try_book(&mut client, user_id, rooms, stay).await? {
                return Ok(booked);
            }
        }
        Err(StoreError::Database(
            "too many concurrent bookings of the same rooms; please try again".into(),
        ))
    }

    /// `None` when a concurrent booking took one of the picked room-nights first.
    async fn try_book(
        &self,
        client: &mut deadpool_postgres::Object,
        user_id: i64,
        rooms: u32,
        stay: Stay,
    ) -> StoreResult<Option<Vec<Booking>>> {
        let tx = client.transaction().await?;
        lock_nights(&tx, stay.check_in, stay.check_out).await?;
        let free = free_rooms(&tx, &self.rooms, stay).await?;
        let picked = pick_lowest(&free, rooms)?;
        let mut booked = Vec::with_capacity(picked.len());
        for room in picked {
            let row = tx
                .query_one(
                    "INSERT INTO bookings (user_id, room, check_in, check_out) VALUES ($1, $2, $3, $4) RETURNING id",
                    &[&user_id, &(room as i32), &PgDate(stay.check_in), &PgDate(stay.check_out)],
                )
                .await?;
            let id: i64 = row.get(0);
            let held = tx
                .execute(
                    "INSERT INTO room_nights (room, night, booking_id) \
                     SELECT $1, d::date, $2 FROM generate_series($3::date, $4::date - 1, interval '1 day') AS d",
                    &[&(room as i32), &id, &PgDate(stay.check_in), &PgDate(stay.check_out)],
                )
                .await;
            match held {
                Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => return Ok(None),
                Err(e) => return Err(e.into()),
                Ok(_) => {}
            }
            booked.push(booking(
                id,
                room,
                stay.check_in,
                stay.check_out,
                BookingStatus::Booked,
            ));
        }
        self.commit(tx).await?;
        Ok(Some(booked))
    }

    async fn commit(&self, tx: deadpool_postgres::Transaction<'_>) -> StoreResult<()> {
        tx.batch_execute(&format!("NOTIFY {CHANGES_CHANNEL}"))
            .await?;
        tx.commit().await?;
        self.changes.bump();
        Ok(())
    }

    pub async fn active_bookings(&self, user_id: i64, today: Date) -> StoreResult<Vec<Booking>> {
        let client = self.pool.get().await?;
        active_bookings(&client, user_id, today).await
    }

    pub async fn move_booking(
        &self,
        user_id: i64,
        target: MoveTarget,
        new_room: u32,
        today: Date,
    ) -> StoreResult<MoveOutcome> {
        if !self.rooms.contains(&new_room) {
            return Err(DomainError::InvalidRoom.into());
        }
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let current = active_bookings(&tx, user_id, today).await?;
        let chosen = match target {
            MoveTarget::FirstAcquired => current
                .first()
                .cloned()
                .ok_or(DomainError::NoBookingToUpdate)?,
            MoveTarget::Booking(id) => current
                .iter()
                .find(|b| b.id == id)
                .cloned()
                .ok_or(DomainError::BookingNotFound(id))?,
        };
        let from = chosen.check_in.max(today);
        if chosen.room_number == new_room {
            return Ok(MoveOutcome::AlreadyHeld { booking: chosen });
        }
        lock_nights(&tx, from, chosen.check_out).await?;
        let holders: Vec<(i64, i64)> = tx
            .query(
                "SELECT DISTINCT b.user_id, b.id FROM room_nights n JOIN bookings b ON b.id = n.booking_id \
                 WHERE n.room = $1 AND n.night >= $2 AND n.night < $3",
                &[&(new_room as i32), &PgDate(from), &PgDate(chosen.check_out)],
            )
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        if let Some(&(_, own)) = holders.iter().find(|(holder, _)| *holder == user_id) {
            let booking = current.into_iter().find(|b| b.id == own).unwrap_or(chosen);
            return Ok(MoveOutcome::AlreadyHeld { booking });
        }
        if !holders.is_empty() {
            return Err(DomainError::RoomOccupied(new_room).into());
        }
        let moved = tx
            .execute(
                "UPDATE room_nights SET room = $1 WHERE booking_id = $2 AND night >= $3",
                &[&(new_room as i32), &chosen.id, &PgDate(from)],
            )
            .await;
        match moved {
            // A concurrent booking took one of those nights after we looked.
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                return Err(DomainError::RoomOccupied(new_room).into());
            }
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
        tx.execute(
            "UPDATE bookings SET room = $1, acquired = nextval('bookings_acquired') WHERE id = $2",
            &[&(new_room as i32), &chosen.id],
        )
        .await?;
        self.commit(tx).await?;
        Ok(MoveOutcome::Moved {
            released: chosen.room_number,
            booking: Booking {
                room_number: new_room,
                ..chosen
            },
        })
    }

    pub async fn checkout(&self, user_id: i64, today: Date) -> StoreResult<Vec<Booking>> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let in_progress: Vec<Booking> = active_bookings(&tx, user_id, today)
            .await?
            .into_iter()
            .filter(|b| b.check_in <= today)
            .collect();
        if in_progress.is_empty() {
            return Err(DomainError::NoBookedRooms.into());
        }
        let mut done = Vec::with_capacity(in_progress.len());
        for b in in_progress {
            tx.execute(
                "DELETE FROM room_nights WHERE booking_id = $1 AND night >= $2",
                &[&b.id, &PgDate(today)],
            )
            .await?;
            let check_out = if today > b.check_in {
                today
            } else {
                b.check_out
            };
            tx.execute(
                "UPDATE bookings SET status = 'checked_out', check_out = $2 WHERE id = $1",
                &[&b.id, &PgDate(check_out)],
            )
            .await?;
            done.push(booking(
                b.id,
                b.room_number,
                b.check_in,
                check_out,
                BookingStatus::CheckedOut,
            ));
        }
        self.commit(tx).await?;
        Ok(done)
    }

    pub async fn cancel(&self, user_id: i64, booking_id: i64, today: Date) -> StoreResult<Booking> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let found = tx
            .query_opt(
                "SELECT id, room, check_in, check_out, status FROM bookings WHERE id = $1 AND user_id = $2",
                &[&booking_id, &user_id],
            )
            .await?;
        let b = match found {
            Some(row) => booking_from_row(&row)?,
            None => return Err(DomainError::BookingNotFound(booking_id).into()),
        };
        if b.status != BookingStatus::Booked || b.check_out <= today {
            return Err(DomainError::BookingNotActive(booking_id).into());
        }
        if b.check_in < today {
            return Err(DomainError::BookingAlreadyStarted(booking_id).into());
        }
        tx.execute("DELETE FROM room_nights WHERE booking_id = $1", &[&b.id])
            .await?;
        tx.execute(
            "UPDATE bookings SET status = 'cancelled' WHERE id = $1",
            &[&b.id],
        )
        .await?;
        self.commit(tx).await?;
        Ok(Booking {
            status: BookingStatus::Cancelled,
            ..b
        })
    }
}

async fn migrate(
    client: &mut deadpool_postgres::Object,
    rooms: u32,
) -> Result<(), tokio_postgres::Error> {
    let tx = client.transaction().await?;
    // Two instances starting together must not both create the schema.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS hotel_schema (version INTEGER NOT NULL)")
        .await?;
    let version: i32 = tx
        .query_opt("SELECT version FROM hotel_schema", &[])
        .await?
        .map_or(0, |r| r.get(0));
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let target = index as i32 + 1;
        if target > version {
            tx.batch_execute(sql).await?;
            tx.execute("DELETE FROM hotel_schema", &[]).await?;
            tx.execute("INSERT INTO hotel_schema (version) VALUES ($1)", &[&target])
                .await?;
        }
    }
    let existing: i64 = tx
        .query_one("SELECT COUNT(*) FROM rooms", &[])
        .await?
        .get(0);
    if existing == 0 {
        tx.execute(
            "INSERT INTO rooms (number) SELECT generate_series(1, $1)",
            &[&(rooms as i32)],
        )
        .await?;
    }
    tx.commit().await
}

/// Keeps one connection LISTENing, reconnecting after failures. Whenever notifications may
/// have been missed, every cached answer is treated as stale.
async fn listen(
    config: tokio_postgres::Config,
    changes: Arc<ChangeCounter>,
    ended_sessions: broadcast::Sender<[u8; 32]>,
) {
    loop {
        if let Ok((client, mut connection)) = config.connect(NoTls).await {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            let pump = tokio::spawn(async move {
                let mut messages =
                    futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                while let Some(message) = futures_util::StreamExt::next(&mut messages).await {
                    match message {
                        Ok(AsyncMessage::Notification(n)) => {
                            if tx
                                .send((n.channel().to_string(), n.payload().to_string()))
                                .is_err()
                            {
                                break;
                            }
                        }
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
            });
            let listening = client
                .batch_execute(&format!(
                    "LISTEN {CHANGES_CHANNEL}; LISTEN {SESSIONS_CHANNEL}"
                ))
                .await;
            if listening.is_ok() {
                changes.bump();
                while let Some((channel, payload)) = rx.recv().await {
                    if channel == CHANGES_CHANNEL {
                        changes.bump();
                    } else if let Ok(bytes) = hex::decode(&payload)
                        && let Ok(digest) = <[u8; 32]>::try_from(bytes.as_slice())
                    {
                        let _ = ended_sessions.send(digest);
                    }
                }
            }
            pump.abort();
            drop(client);
            tracing::warn!("lost the PostgreSQL notification connection; reconnecting");
        }
        changes.bump();
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Serialises the changes that touch any of these nights, on every instance: two bookings
/// for overlapping stays take turns (and so both get the lowest rooms free at their turn),
/// while stays that share no night go ahead in parallel. Nights are locked in ascending
/// order, so two transactions cannot deadlock on them.
async fn lock_nights(
    tx: &deadpool_postgres::Transaction<'_>,
    from: Date,
    to: Date,
) -> StoreResult<()> {
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, d) FROM generate_series($2::int, $3::int - 1) AS d ORDER BY d",
        &[&NIGHT_LOCKS, &from.days_since_epoch(), &to.days_since_epoch()],
    )
    .await?;
    Ok(())
}

async fn free_rooms(
    client: &impl GenericClient,
    rooms: &[u32],
    stay: Stay,
) -> StoreResult<Vec<u32>> {
    let taken: std::collections::HashSet<u32> = client
        .query(
            "SELECT DISTINCT room FROM room_nights WHERE night >= $1 AND night < $2",
            &[&PgDate(stay.check_in), &PgDate(stay.check_out)],
        )
        .await?
        .iter()
        .map(|r| r.get::<_, i32>(0) as u32)
        .collect();
    Ok(rooms
        .iter()
        .copied()
        .filter(|r| !taken.contains(r))
        .collect())
}

async fn active_bookings(
    client: &impl GenericClient,
    user_id: i64,
    today: Date,
) -> StoreResult<Vec<Booking>> {
    client
        .query(
            "SELECT id, room, check_in, check_out, status FROM bookings \
             WHERE user_id = $1 AND status = 'booked' AND check_out > $2 ORDER BY acquired",
            &[&user_id, &PgDate(today)],
        )
        .await?
        .iter()
        .map(booking_from_row)
        .collect()
}

fn user_from(r: &Row) -> User {
    User {
        id: r.get(0),
        username: r.get(1),
        role: Role::parse(r.get::<_, &str>(2)),
    }
}

fn booking_from_row(r: &Row) -> StoreResult<Booking> {
    let status_text: &str = r.try_get(4)?;
    let status = BookingStatus::parse(status_text)
        .ok_or_else(|| StoreError::Database(format!("unknown booking status {status_text:?}")))?;
    Ok(booking(
        r.try_get(0)?,
        r.try_get::<_, i32>(1)? as u32,
        r.try_get::<_, PgDate>(2)?.0,
        r.try_get::<_, PgDate>(3)?.0,
        status,
    ))
}
