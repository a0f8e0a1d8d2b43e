//! The one seam between hotel operations and the two database engines.
//!
//! An operation (`Op`) is written once against `Tx`, in the SQL both engines understand:
//! `$1`-style placeholders, no engine-only functions, values as `Value`. SQLite runs it on its
//! single writer thread (or a read connection), PostgreSQL inside a transaction that is
//! retried when a concurrent one took the same row first.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use hotel_shared::Date;
use jiff::Timestamp;

use super::{StoreError, StoreResult};

/// A parameter or a column value, in the types the schema uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Date(Date),
    Bool(bool),
    Timestamp(Timestamp),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(i64::from(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}

impl From<Date> for Value {
    fn from(v: Date) -> Self {
        Value::Date(v)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl From<Timestamp> for Value {
    fn from(v: Timestamp) -> Self {
        Value::Timestamp(v)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Builds a `Vec<Value>` from values of mixed types.
macro_rules! params {
    ($($v:expr),* $(,)?) => { vec![$($crate::store::sql::Value::from($v)),*] };
}
pub(crate) use params;

/// One result row; getters check the type, so a schema mismatch is an error, not a panic.
#[derive(Debug, Clone)]
pub struct SqlRow(pub Vec<Value>);

fn mismatch(index: usize, wanted: &str, got: &Value) -> StoreError {
    StoreError::Database(format!("column {index}: expected {wanted}, found {got:?}"))
}

impl SqlRow {
    fn at(&self, index: usize) -> StoreResult<&Value> {
        self.0
            .get(index)
            .ok_or_else(|| StoreError::Database(format!("no column {index}")))
    }

    pub fn int(&self, index: usize) -> StoreResult<i64> {
        match self.at(index)? {
            Value::Int(v) => Ok(*v),
            Value::Bool(b) => Ok(i64::from(*b)),
            other => Err(mismatch(index, "an integer", other)),
        }
    }

    pub fn opt_int(&self, index: usize) -> StoreResult<Option<i64>> {
        match self.at(index)? {
            Value::Null => Ok(None),
            _ => self.int(index).map(Some),
        }
    }

    pub fn u32(&self, index: usize) -> StoreResult<u32> {
        let v = self.int(index)?;
        u32::try_from(v).map_err(|_| mismatch(index, "a count", &Value::Int(v)))
    }

    pub fn text(&self, index: usize) -> StoreResult<String> {
        match self.at(index)? {
            Value::Text(s) => Ok(s.clone()),
            other => Err(mismatch(index, "text", other)),
        }
    }

    pub fn opt_text(&self, index: usize) -> StoreResult<Option<String>> {
        match self.at(index)? {
            Value::Null => Ok(None),
            _ => self.text(index).map(Some),
        }
    }

    pub fn date(&self, index: usize) -> StoreResult<Date> {
        match self.at(index)? {
            Value::Date(d) => Ok(*d),
            Value::Text(s) => s
                .parse()
                .map_err(|_| mismatch(index, "a date", &Value::Text(s.clone()))),
            other => Err(mismatch(index, "a date", other)),
        }
    }

    pub fn bool(&self, index: usize) -> StoreResult<bool> {
        match self.at(index)? {
            Value::Bool(b) => Ok(*b),
            Value::Int(v) => Ok(*v != 0),
            other => Err(mismatch(index, "a flag", other)),
        }
    }
}

/// What an operation may do with the database. Everything runs in one transaction.
pub trait Tx {
    fn query(
        &mut self,
        sql: &str,
        params: Vec<Value>,
    ) -> impl Future<Output = StoreResult<Vec<SqlRow>>>;

    fn execute(&mut self, sql: &str, params: Vec<Value>) -> impl Future<Output = StoreResult<u64>>;

    /// Runs an `INSERT` of one row into a table keyed by an integer `id` and gives that id.
    fn insert_id(
        &mut self,
        sql: &str,
        params: Vec<Value>,
    ) -> impl Future<Output = StoreResult<i64>>;

    /// Makes changes touching any of the nights `from..to` take turns, on every server
    /// instance. A no-op where one writer does everything anyway.
    fn lock_nights(&mut self, from: Date, to: Date) -> impl Future<Output = StoreResult<()>>;

    /// The next value of the order in which guests acquire rooms.
    fn next_acquired(&mut self) -> impl Future<Output = StoreResult<i64>>;

    /// ISO 4217 code of the hotel's currency, fixed when the database was created.
    fn currency(&self) -> &str;

    /// Every room with its type, as this transaction sees them. Served from memory while no
    /// room or type changes: every availability question needs it.
    fn catalog(&mut self) -> impl Future<Output = StoreResult<Arc<Catalog>>>;
}

/// One room of the catalog.
#[derive(Debug, Clone)]
pub struct CatalogRoom {
    pub number: u32,
    pub type_id: Option<i64>,
    pub room_type: String,
    pub capacity: u32,
    pub rate: i64,
    /// Out of service until further notice.
    pub out_of_service: bool,
    pub retired: bool,
}

/// Every room, ascending by number.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub rooms: Vec<CatalogRoom>,
}

impl Catalog {
    /// Rooms that are part of the hotel (not retired).
    pub fn in_hotel(&self) -> impl Iterator<Item = &CatalogRoom> {
        self.rooms.iter().filter(|r| !r.retired)
    }
}

pub async fn load_catalog<T: Tx>(tx: &mut T) -> StoreResult<Catalog> {
    let rows = tx
        .query(
            "SELECT r.number, r.type_id, COALESCE(t.name, ''), COALESCE(t.capacity, 0), \
             COALESCE(t.rate, 0), r.out_of_service IS NOT NULL, r.retired \
             FROM rooms r LEFT JOIN room_types t ON t.id = r.type_id ORDER BY r.number",
            Vec::new(),
        )
        .await?;
    let rooms = rows
        .iter()
        .map(|r| {
            Ok(CatalogRoom {
                number: r.u32(0)?,
                type_id: r.opt_int(1)?,
                room_type: r.text(2)?,
                capacity: r.u32(3)?,
                rate: r.int(4)?,
                out_of_service: r.bool(5)?,
                retired: r.bool(6)?,
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok(Catalog { rooms })
}

/// The catalog kept between requests. Whatever changes rooms or types invalidates it; a
/// catalog read while an invalidation happened is not kept, so a stale one never sticks.
#[derive(Default)]
pub struct CatalogCache {
    generation: AtomicU64,
    slot: Mutex<Option<(u64, Arc<Catalog>)>>,
}

impl CatalogCache {
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The catalog from `cache` when it holds a current one, else read by `tx` (and kept
    /// when nothing changed meanwhile). Without a cache, always read by `tx`.
    pub async fn through<T: Tx>(cache: Option<&Self>, tx: &mut T) -> StoreResult<Arc<Catalog>> {
        let Some(cache) = cache else {
            return Ok(Arc::new(load_catalog(tx).await?));
        };
        let seen = cache.generation.load(Ordering::Acquire);
        if let Ok(slot) = cache.slot.lock()
            && let Some((generation, catalog)) = slot.as_ref()
            && *generation == seen
        {
            return Ok(Arc::clone(catalog));
        }
        let catalog = Arc::new(load_catalog(tx).await?);
        if let Ok(mut slot) = cache.slot.lock()
            && cache.generation.load(Ordering::Acquire) == seen
        {
            *slot = Some((seen, Arc::clone(&catalog)));
        }
        Ok(catalog)
    }
}

/// The first row, if any.
pub async fn query_opt<T: Tx>(
    tx: &mut T,
    sql: &str,
    params: Vec<Value>,
) -> StoreResult<Option<SqlRow>> {
    Ok(tx.query(sql, params).await?.into_iter().next())
}

/// One database operation, written once for both engines. `run` may be called again when the
/// engine retries after a collision with a concurrent transaction.
pub trait Op: Send + Sync + 'static {
    type Out: Send + 'static;
    /// Whether it changes data: writes go through the writer and announce a change.
    const WRITES: bool;
    /// Whether it changes rooms or room types (and so the catalog).
    const CHANGES_ROOMS: bool = false;
    fn run<T: Tx>(&self, tx: &mut T) -> impl Future<Output = StoreResult<Self::Out>>;
}
