//! The storage seam. Handlers and domain code talk to `Store`; only the engine modules know SQL.
//!
//! Every operation that changes data is one call here and one transaction in the engine, so a
//! request either happens entirely or not at all.

mod postgres;
mod sqlite;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use hotel_shared::Date;
use hotel_shared::{Booking, BookingStatus, RoomStatus};
use jiff::Timestamp;

use crate::domain::DomainError;
use crate::domain::accounts::User;
use crate::domain::stay::Stay;

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

/// An account with the secret needed to check its password.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: User,
    pub password_hash: String,
}

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

/// A booking as the API shows it; nights are derived from the dates.
fn booking(id: i64, room: u32, check_in: Date, check_out: Date, status: BookingStatus) -> Booking {
    Booking {
        id,
        room_number: room,
        check_in,
        check_out,
        nights: u32::try_from(crate::domain::stay::days_between(check_in, check_out)).unwrap_or(0),
        status,
    }
}

/// Every room (ascending) and whether it is among the `taken` ones.
fn room_statuses(rooms: &[u32], taken: &[u32]) -> Vec<RoomStatus> {
    rooms
        .iter()
        .map(|&room_number| RoomStatus {
            room_number,
            is_occupied: taken.contains(&room_number),
        })
        .collect()
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

/// The one store of a running server.
#[derive(Clone)]
pub enum Store {
    Sqlite(Arc<SqliteStore>),
    Postgres(Arc<PgStore>),
}

impl Store {
    /// Opens the database named by a `sqlite://PATH` URL, creating and migrating it as needed,
    /// and gives an empty hotel `rooms` rooms.
    pub async fn open(url: &str, rooms: u32, pool_size: usize) -> Result<Store, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            let store = SqliteStore::open(path, rooms).await?;
            Ok(Store::Sqlite(Arc::new(store)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let store = PgStore::open(url, rooms, pool_size).await?;
            Ok(Store::Postgres(Arc::new(store)))
        } else {
            Err(format!(
                "unsupported database URL {url:?}: expected sqlite://PATH or postgres://…"
            ))
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

    /// Waits until every acknowledged write is on disk and stops the writer.
    pub async fn close(&self) {
        match self {
            Store::Sqlite(s) => s.close().await,
            Store::Postgres(s) => s.close().await,
        }
    }

    pub async fn room_count(&self) -> StoreResult<u32> {
        match self {
            Store::Sqlite(s) => s.room_count().await,
            Store::Postgres(s) => s.room_count().await,
        }
    }

    pub async fn rooms_on(&self, night: Date) -> StoreResult<Vec<RoomStatus>> {
        match self {
            Store::Sqlite(s) => s.rooms_on(night).await,
            Store::Postgres(s) => s.rooms_on(night).await,
        }
    }

    /// Room numbers, ascending, and every (room, night) held from `from` until before `to`.
    pub async fn occupancy(
        &self,
        from: Date,
        to: Date,
    ) -> StoreResult<(Vec<u32>, Vec<(u32, Date)>)> {
        match self {
            Store::Sqlite(s) => s.occupancy(from, to).await,
            Store::Postgres(s) => s.occupancy(from, to).await,
        }
    }

    pub async fn free_rooms(&self, stay: Stay) -> StoreResult<Vec<u32>> {
        match self {
            Store::Sqlite(s) => s.free_rooms(stay).await,
            Store::Postgres(s) => s.free_rooms(stay).await,
        }
    }

    pub async fn account(&self, username: &str) -> StoreResult<Option<Account>> {
        match self {
            Store::Sqlite(s) => s.account(username).await,
            Store::Postgres(s) => s.account(username).await,
        }
    }

    /// Fails with `UsernameTaken` when the name exists.
    pub async fn create_account(&self, username: &str, password_hash: String) -> StoreResult<User> {
        match self {
            Store::Sqlite(s) => s.create_account(username, password_hash).await,
            Store::Postgres(s) => s.create_account(username, password_hash).await,
        }
    }

    pub async fn create_session(
        &self,
        user_id: i64,
        token_hash: [u8; 32],
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        match self {
            Store::Sqlite(s) => s.create_session(user_id, token_hash, expires_at).await,
            Store::Postgres(s) => s.create_session(user_id, token_hash, expires_at).await,
        }
    }

    /// The user of a live session, and when the session ends.
    pub async fn session_user(
        &self,
        token_hash: [u8; 32],
    ) -> StoreResult<Option<(User, Timestamp)>> {
        match self {
            Store::Sqlite(s) => s.session_user(token_hash).await,
            Store::Postgres(s) => s.session_user(token_hash).await,
        }
    }

    pub async fn delete_session(&self, token_hash: [u8; 32]) -> StoreResult<()> {
        match self {
            Store::Sqlite(s) => s.delete_session(token_hash).await,
            Store::Postgres(s) => s.delete_session(token_hash).await,
        }
    }

    /// Failed sign-ins recorded for this username and address: how many, and since when.
    pub async fn login_failures(
        &self,
        username: &str,
        ip: &str,
    ) -> StoreResult<Option<(u32, i64)>> {
        match self {
            Store::Sqlite(s) => s.login_failures(username, ip).await,
            Store::Postgres(s) => s.login_failures(username, ip).await,
        }
    }

    /// Counts one more failure, starting a new window when the last one has passed.
    pub async fn record_login_failure(
        &self,
        username: &str,
        ip: &str,
        now: i64,
    ) -> StoreResult<()> {
        match self {
            Store::Sqlite(s) => s.record_login_failure(username, ip, now).await,
            Store::Postgres(s) => s.record_login_failure(username, ip, now).await,
        }
    }

    pub async fn clear_login_failures(&self, username: &str, ip: &str) -> StoreResult<()> {
        match self {
            Store::Sqlite(s) => s.clear_login_failures(username, ip).await,
            Store::Postgres(s) => s.clear_login_failures(username, ip).await,
        }
    }

    /// Books the lowest-numbered `rooms` rooms free for the whole stay, all or nothing.
    pub async fn book(&self, user_id: i64, rooms: u32, stay: Stay) -> StoreResult<Vec<Booking>> {
        match self {
            Store::Sqlite(s) => s.book(user_id, rooms, stay).await,
            Store::Postgres(s) => s.book(user_id, rooms, stay).await,
        }
    }

    /// Current and upcoming stays, in the order their rooms were acquired.
    pub async fn active_bookings(&self, user_id: i64, today: Date) -> StoreResult<Vec<Booking>> {
        match self {
            Store::Sqlite(s) => s.active_bookings(user_id, today).await,
            Store::Postgres(s) => s.active_bookings(user_id, today).await,
        }
    }

    pub async fn move_booking(
        &self,
        user_id: i64,
        target: MoveTarget,
        new_room: u32,
        today: Date,
    ) -> StoreResult<MoveOutcome> {
        match self {
            Store::Sqlite(s) => s.move_booking(user_id, target, new_room, today).await,
            Store::Postgres(s) => s.move_booking(user_id, target, new_room, today).await,
        }
    }

    /// Ends every stay in progress, releasing tonight and later nights.
    pub async fn checkout(&self, user_id: i64, today: Date) -> StoreResult<Vec<Booking>> {
        match self {
            Store::Sqlite(s) => s.checkout(user_id, today).await,
            Store::Postgres(s) => s.checkout(user_id, today).await,
        }
    }

    /// Cancels one stay that has not begun.
    pub async fn cancel(&self, user_id: i64, booking_id: i64, today: Date) -> StoreResult<Booking> {
        match self {
            Store::Sqlite(s) => s.cancel(user_id, booking_id, today).await,
            Store::Postgres(s) => s.cancel(user_id, booking_id, today).await,
        }
    }
}
