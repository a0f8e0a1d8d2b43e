//! The one seam between hotel operations and the two database engines.
//!
//! An operation (`Op`) is written once against `Tx`, in the SQL both engines understand:
//! `$1`-style placeholders, no engine-only functions, values as `Value`. SQLite runs it on its
//! single writer thread (or a read connection), PostgreSQL inside a transaction that is
//! retried when a concurrent one took the same row first.

use std::future::Future;
use std::sync::Arc;

use hotel_shared::Date;
use jiff::Timestamp;

use super::catalog::Catalog;
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

    /// The position of an event written now, where writes commit in the order they run
    /// (SQLite); `None` where it is given after commit (PostgreSQL: `ops::events`).
    fn next_event_position(&mut self) -> impl Future<Output = StoreResult<Option<i64>>>;

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
    /// Whether it changes what the hotel sells: rooms, room types, rate plans or the rates
    /// calendar (`store::catalog`), which is then read afresh.
    const CHANGES_CATALOG: bool = false;
    /// Whether it may read a great deal (a year of stays, a report's nights): the store runs
    /// it on a blocking thread, so that it does not hold up the requests sharing its async
    /// worker.
    const LARGE: bool = false;
    /// Whether a committed change can alter what guests are shown (rooms, stays), so cached
    /// answers must be dropped. Accounts and sessions change nothing of that.
    const CHANGES_ANSWERS: bool = true;
    /// Whether a committed run may have written events (`ops::events`), which then wait to be
    /// placed in order. Only the ops that place or forget events themselves say no.
    const RECORDS_EVENTS: bool = Self::WRITES;
    fn run<T: Tx>(&self, tx: &mut T) -> impl Future<Output = StoreResult<Self::Out>>;
}
