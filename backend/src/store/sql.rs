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
    Bytes(Vec<u8>),
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

impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Bytes(v.to_vec())
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

/// `insert` followed by `rows` rows of `width` placeholders: `… VALUES ($1, $2), ($3, $4)`.
pub(crate) fn values_sql(insert: &str, width: usize, rows: usize) -> String {
    let mut sql = format!("{insert} VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..width {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", row * width + column + 1));
        }
        sql.push(')');
    }
    sql
}

/// One result row, read by column name; getters check the type, so a schema mismatch is an
/// error, not a panic. A column that is an expression needs an `AS name` in the query.
#[derive(Debug, Clone)]
pub struct SqlRow {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

fn mismatch(column: &str, wanted: &str, got: &Value) -> StoreError {
    StoreError::Database(format!("column {column}: expected {wanted}, found {got:?}"))
}

impl SqlRow {
    /// `values` in the order of `columns` (shared by every row of one result).
    pub fn new(columns: Arc<[String]>, values: Vec<Value>) -> SqlRow {
        SqlRow { columns, values }
    }

    fn at(&self, column: &str) -> StoreResult<&Value> {
        self.columns
            .iter()
            .position(|c| c == column)
            .and_then(|i| self.values.get(i))
            .ok_or_else(|| StoreError::Database(format!("no column {column}")))
    }

    /// A column's value as it came, for types without a getter (bytes).
    pub fn value(&self, column: &str) -> StoreResult<&Value> {
        self.at(column)
    }

    pub fn int(&self, column: &str) -> StoreResult<i64> {
        match self.at(column)? {
            Value::Int(v) => Ok(*v),
            Value::Bool(b) => Ok(i64::from(*b)),
            other => Err(mismatch(column, "an integer", other)),
        }
    }

    /// The integer in the `index`th column, for rows read by position (no name to look up).
    pub fn int_at(&self, index: usize) -> StoreResult<i64> {
        match self.values.get(index) {
            Some(Value::Int(v)) => Ok(*v),
            Some(Value::Bool(b)) => Ok(i64::from(*b)),
            Some(other) => Err(mismatch(&format!("column {index}"), "an integer", other)),
            None => Err(StoreError::Database(format!("no column {index}"))),
        }
    }

    pub fn opt_int(&self, column: &str) -> StoreResult<Option<i64>> {
        match self.at(column)? {
            Value::Null => Ok(None),
            _ => self.int(column).map(Some),
        }
    }

    pub fn u32(&self, column: &str) -> StoreResult<u32> {
        let v = self.int(column)?;
        u32::try_from(v).map_err(|_| mismatch(column, "a count", &Value::Int(v)))
    }

    pub fn text(&self, column: &str) -> StoreResult<String> {
        match self.at(column)? {
            Value::Text(s) => Ok(s.clone()),
            other => Err(mismatch(column, "text", other)),
        }
    }

    pub fn opt_text(&self, column: &str) -> StoreResult<Option<String>> {
        match self.at(column)? {
            Value::Null => Ok(None),
            _ => self.text(column).map(Some),
        }
    }

    pub fn date(&self, column: &str) -> StoreResult<Date> {
        match self.at(column)? {
            Value::Date(d) => Ok(*d),
            Value::Text(s) => s
                .parse()
                .map_err(|_| mismatch(column, "a date", &Value::Text(s.clone()))),
            other => Err(mismatch(column, "a date", other)),
        }
    }

    pub fn bytes(&self, column: &str) -> StoreResult<&[u8]> {
        match self.at(column)? {
            Value::Bytes(b) => Ok(b),
            other => Err(mismatch(column, "bytes", other)),
        }
    }

    pub fn bool(&self, column: &str) -> StoreResult<bool> {
        match self.at(column)? {
            Value::Bool(b) => Ok(*b),
            Value::Int(v) => Ok(*v != 0),
            other => Err(mismatch(column, "a flag", other)),
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

    /// Inserts rows of `width` values each: `insert` is the statement up to its column list
    /// (`INSERT INTO t (a, b)`), `values` the rows one after another. Each engine sends them
    /// the way that costs it least.
    fn insert_rows(
        &mut self,
        insert: &str,
        width: usize,
        values: Vec<Value>,
    ) -> impl Future<Output = StoreResult<()>>;

    /// Releases every night `booking` holds. It is expected to hold `room` on the nights
    /// `from..to`, but any other night it holds (a stay moved part-way) is released as well.
    fn release_nights(
        &mut self,
        booking: i64,
        room: u32,
        from: Date,
        to: Date,
    ) -> impl Future<Output = StoreResult<()>>;

    /// Makes changes touching any of the nights `from..to` take turns, on every server
    /// instance. A no-op where one writer does everything anyway.
    fn lock_nights(&mut self, from: Date, to: Date) -> impl Future<Output = StoreResult<()>>;

    /// Makes changes to one guest's holdings take turns, on every server instance, so that
    /// what a booking counts of them is what it adds to. A no-op where one writer does
    /// everything anyway. Taken before any night's lock.
    fn lock_guest(&mut self, user_id: i64) -> impl Future<Output = StoreResult<()>>;

    /// Makes the placing of events take turns across server instances, until the transaction
    /// ends (`ops::events`). A no-op where one writer does everything anyway.
    fn lock_events(&mut self) -> impl Future<Output = StoreResult<()>>;

    /// Tells every other server instance on the same database something on `channel`, once
    /// this transaction commits. A no-op where there is only one instance (SQLite).
    fn notify(&mut self, channel: &str, payload: &str) -> impl Future<Output = StoreResult<()>>;

    /// The next value of the order in which guests acquire rooms.
    fn next_acquired(&mut self) -> impl Future<Output = StoreResult<i64>>;

    /// ISO 4217 code of the hotel's currency, fixed when the database was created.
    fn currency(&self) -> &str;

    /// Every room with its type, as this transaction sees them. Served from memory while no
    /// room or type changes: every availability question needs it.
    fn catalog(&mut self) -> impl Future<Output = StoreResult<Arc<Catalog>>>;

    /// (word, bits) of the rooms stays hold on any night of `from..to`, where the engine keeps
    /// them in memory (SQLite's `night_index`); `None` where they are read from `night_rooms`.
    fn held_words(&self, _from: Date, _to: Date) -> Option<Vec<(i64, u64)>> {
        None
    }

    /// Every (room, night) held from `from` until before `to`, from the same memory.
    fn held_nights(&self, _from: Date, _to: Date) -> Option<Vec<(u32, Date)>> {
        None
    }
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

/// One room type of the catalog.
#[derive(Debug, Clone)]
pub struct CatalogType {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub capacity: u32,
    pub rate: i64,
    pub retired: bool,
}

/// One rate plan of the catalog.
#[derive(Debug, Clone)]
pub struct CatalogPlan {
    pub id: i64,
    pub room_type_id: i64,
    pub name: String,
    pub base: bool,
    pub derivation: crate::domain::rates::Derivation,
    pub visible: bool,
    pub terms: hotel_shared::rates::Terms,
    pub retired: bool,
}

/// Every room, ascending by number, and every rate plan, by type then id; and, once a read
/// or a booking asks for it, the rates calendar from that day on
/// (`ops::rate_book::cached_rate_book`).
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub rooms: Vec<CatalogRoom>,
    /// Every room type, by rate then id.
    pub types: Vec<CatalogType>,
    pub plans: Vec<CatalogPlan>,
    pub(crate) rates: std::sync::OnceLock<Arc<crate::store::ops::rate_book::RateBook>>,
    /// Whether it came from a `CatalogCache`, and so outlives the operation that read it:
    /// only then is it worth keeping the whole calendar with it.
    pub(crate) kept: bool,
}

impl Catalog {
    /// Rooms that are part of the hotel (not retired).
    pub fn in_hotel(&self) -> impl Iterator<Item = &CatalogRoom> {
        self.rooms.iter().filter(|r| !r.retired)
    }

    pub fn plan(&self, id: i64) -> Option<&CatalogPlan> {
        self.plans.iter().find(|p| p.id == id)
    }

    /// The plan every booking of the type takes unless it names another.
    pub fn base_plan(&self, room_type_id: i64) -> Option<&CatalogPlan> {
        self.plans
            .iter()
            .find(|p| p.base && p.room_type_id == room_type_id)
    }

    /// Plans on sale for a type: the base plan first.
    pub fn plans_of(&self, room_type_id: i64) -> impl Iterator<Item = &CatalogPlan> {
        self.plans
            .iter()
            .filter(move |p| p.room_type_id == room_type_id && !p.retired)
    }
}

pub async fn load_catalog<T: Tx>(tx: &mut T) -> StoreResult<Catalog> {
    let rows = tx
        .query(
            "SELECT r.number, r.type_id, COALESCE(t.name, '') AS room_type, \
             COALESCE(t.capacity, 0) AS capacity, COALESCE(t.rate, 0) AS rate, \
             r.out_of_service IS NOT NULL AS out_of_service, r.retired FROM rooms r LEFT JOIN room_types t ON t.id = r.type_id ORDER BY r.number",
            Vec::new(),
        )
        .await?;
    let rooms = rows
        .iter()
        .map(|r| {
            Ok(CatalogRoom {
                number: r.u32("number")?,
                type_id: r.opt_int("type_id")?,
                room_type: r.text("room_type")?,
                capacity: r.u32("capacity")?,
                rate: r.int("rate")?,
                out_of_service: r.bool("out_of_service")?,
                retired: r.bool("retired")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    let types = tx
        .query(
            "SELECT id, name, description, capacity, rate, retired FROM room_types ORDER BY rate, id",
            Vec::new(),
        )
        .await?
        .iter()
        .map(|r| {
            Ok(CatalogType {
                id: r.int("id")?,
                name: r.text("name")?,
                description: r.text("description")?,
                capacity: r.u32("capacity")?,
                rate: r.int("rate")?,
                retired: r.bool("retired")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    let plans = tx
        .query(
            "SELECT id, room_type_id, name, base, derived_percent, derived_amount, visible, \
             terms_json, retired FROM rate_plans ORDER BY room_type_id, base DESC, id",
            Vec::new(),
        )
        .await?
        .iter()
        .map(plan_from)
        .collect::<StoreResult<_>>()?;
    Ok(Catalog {
        rooms,
        types,
        plans,
        rates: std::sync::OnceLock::new(),
        kept: false,
    })
}

pub(crate) fn plan_from(r: &SqlRow) -> StoreResult<CatalogPlan> {
    let terms = serde_json::from_str(&r.text("terms_json")?)
        .map_err(|e| StoreError::Database(format!("rate plan terms: {e}")))?;
    Ok(CatalogPlan {
        id: r.int("id")?,
        room_type_id: r.int("room_type_id")?,
        name: r.text("name")?,
        base: r.bool("base")?,
        derivation: crate::domain::rates::Derivation {
            percent: r
                .opt_int("derived_percent")?
                .map(|p| i32::try_from(p).unwrap_or(0)),
            amount: r.opt_int("derived_amount")?,
        },
        visible: r.bool("visible")?,
        terms,
        retired: r.bool("retired")?,
    })
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
        let catalog = Arc::new(Catalog {
            kept: true,
            ..load_catalog(tx).await?
        });
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
    /// Whether a committed change can alter what guests are shown (rooms, stays), so cached
    /// answers must be dropped. Accounts and sessions change nothing of that.
    const CHANGES_ANSWERS: bool = true;
    /// Whether a committed run may have written events (`ops::events`), which then wait to be
    /// placed in order. Only the ops that place or forget events themselves say no.
    const RECORDS_EVENTS: bool = Self::WRITES;
    fn run<T: Tx>(&self, tx: &mut T) -> impl Future<Output = StoreResult<Self::Out>>;
}
