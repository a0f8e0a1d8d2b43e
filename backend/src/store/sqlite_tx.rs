//! An operation's view of a SQLite connection: the `Tx` the ops are written against, over
//! rusqlite, with `$1` placeholders and rows by column name.

use std::borrow::Cow;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use hotel_shared::Date;
use rusqlite::Connection;
use rusqlite::types::{ToSqlOutput, ValueRef};

use super::StoreResult;
use super::catalog::{Catalog, CatalogCache};
use super::night_index::{NightIndex, WriterIndex, lock};
use super::ops::catalog::catalog_through;
use super::sql::{SqlRow, Tx, Value, params, values_sql};

/// An operation's view of a SQLite connection, inside the writer's batch or on a reader.
pub(super) struct SqliteTx<'c> {
    pub(super) conn: &'c Connection,
    pub(super) currency: &'c str,
    /// The shared catalog, or `None` to read it afresh.
    pub(super) catalog: Option<&'c CatalogCache>,
    /// The writer's count of `acquired`; `None` elsewhere (reads from the table).
    pub(super) acquired: Option<&'c AtomicI64>,
    /// The rooms held each night, in memory: the writer's own (with its batch's changes) or
    /// the committed ones; `None` while the hotel is set up, before they are read.
    pub(super) held: Option<Held<'c>>,
}

#[derive(Clone, Copy)]
pub(super) enum Held<'c> {
    Writer(&'c Mutex<WriterIndex>),
    Committed(&'c RwLock<NightIndex>),
}

impl Held<'_> {
    fn read<R>(self, f: impl FnOnce(&NightIndex) -> R) -> R {
        match self {
            Held::Writer(w) => f(lock(w).index()),
            Held::Committed(c) => f(&c.read().unwrap_or_else(PoisonError::into_inner)),
        }
    }
}

impl SqliteTx<'_> {
    /// Runs one statement. SQLite undoes a failed statement's rows by itself, without telling
    /// the triggers, so the writer's index takes back what they recorded meanwhile.
    fn statement<R>(&self, run: impl FnOnce() -> StoreResult<R>) -> StoreResult<R> {
        let Some(Held::Writer(writer)) = self.held else {
            return run();
        };
        let mark = lock(writer).mark();
        let result = run();
        if result.is_err() {
            lock(writer).undo_to(mark);
        }
        result
    }

    fn query_now(&self, sql: &str, params: Vec<Value>) -> StoreResult<Vec<SqlRow>> {
        let kept = kept(sql);
        let mut stmt = self.conn.prepare_cached(&kept.sql)?;
        let columns = stmt.column_count();
        let names = match kept.names {
            Some(names) => names,
            None => keep_names(sql, &stmt),
        };
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(match row.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(f) => Value::Int(f as i64),
                    ValueRef::Text(t) => Value::Text(match std::str::from_utf8(t) {
                        Ok(text) => text.to_owned(),
                        Err(_) => String::from_utf8_lossy(t).into_owned(),
                    }),
                    ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
                });
            }
            out.push(SqlRow::new(Arc::clone(&names), values));
        }
        Ok(out)
    }
}

/// Operations are written with PostgreSQL's `$1`; SQLite reads `?1` the same way.
fn sqlite_sql(sql: &str) -> Cow<'_, str> {
    if sql.contains('$') {
        Cow::Owned(sql.replace('$', "?"))
    } else {
        Cow::Borrowed(sql)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(rusqlite::types::Value::Null),
            Value::Int(v) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*v)),
            Value::Bool(b) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(i64::from(*b))),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Date(d) => ToSqlOutput::Owned(rusqlite::types::Value::Text(d.to_string())),
            Value::Timestamp(t) => ToSqlOutput::Owned(rusqlite::types::Value::Text(t.to_string())),
            Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

/// Statements a thread keeps at most (every statement the ops write fits).
const KEPT_STATEMENTS: usize = 512;

/// What a thread keeps of a statement it ran: the text SQLite reads (`?1` for `$1`) and, once
/// it has been read, its column names.
#[derive(Clone)]
struct Kept {
    sql: Arc<str>,
    names: Option<Arc<[String]>>,
}

thread_local! {
    /// By the ops' own text. Rewriting the placeholders and building the column names (a
    /// string per column) on every run, each keyed by a slow hash of the rewritten text, was a
    /// seventh of the instructions of a query in the writer; a statement's text and names never
    /// change once it is prepared.
    static KEPT: std::cell::RefCell<foldhash::HashMap<String, Kept>> =
        std::cell::RefCell::new(foldhash::HashMap::default());
}

fn kept(sql: &str) -> Kept {
    KEPT.with_borrow_mut(|kept| {
        if let Some(statement) = kept.get(sql) {
            return statement.clone();
        }
        if kept.len() >= KEPT_STATEMENTS {
            kept.clear();
        }
        let statement = Kept {
            sql: Arc::from(sqlite_sql(sql).as_ref()),
            names: None,
        };
        kept.insert(sql.to_string(), statement.clone());
        statement
    })
}

fn keep_names(sql: &str, stmt: &rusqlite::Statement<'_>) -> Arc<[String]> {
    let names: Arc<[String]> = stmt.column_names().map(|n| n.to_string()).collect();
    KEPT.with_borrow_mut(|kept| {
        if let Some(statement) = kept.get_mut(sql) {
            statement.names = Some(Arc::clone(&names));
        }
    });
    names
}

impl Tx for SqliteTx<'_> {
    async fn query(&mut self, sql: &str, params: Vec<Value>) -> StoreResult<Vec<SqlRow>> {
        self.statement(|| self.query_now(sql, params))
    }

    async fn execute(&mut self, sql: &str, params: Vec<Value>) -> StoreResult<u64> {
        self.statement(|| {
            let mut stmt = self.conn.prepare_cached(&kept(sql).sql)?;
            Ok(stmt.execute(rusqlite::params_from_iter(params.iter()))? as u64)
        })
    }

    /// Not `RETURNING id`: SQLite collects returned rows in a temporary b-tree with its own
    /// page cache, whose memory the allocator handed back to the kernel and took again on
    /// every booking (a third of the writer's time in some runs).
    async fn insert_id(&mut self, sql: &str, params: Vec<Value>) -> StoreResult<i64> {
        self.execute(sql, params).await?;
        Ok(self.conn.last_insert_rowid())
    }

    /// One statement per row: with triggers on the table, SQLite copies the rows of a
    /// multi-row `VALUES` into a temporary b-tree before inserting them, which cost more than
    /// running a prepared one-row statement again.
    async fn insert_rows(
        &mut self,
        insert: &str,
        width: usize,
        values: Vec<Value>,
    ) -> StoreResult<()> {
        let sql = values_sql(insert, width, 1);
        let mut values = values.into_iter();
        loop {
            let row: Vec<Value> = values.by_ref().take(width.max(1)).collect();
            if row.is_empty() {
                return Ok(());
            }
            self.execute(&sql, row).await?;
        }
    }

    /// Night by night through the primary key: SQLite deletes one row found by a unique key
    /// in one pass, but collects the keys of a delete that may match several rows into a
    /// temporary b-tree first (`room_nights` has triggers and foreign keys), which cost a
    /// cancellation more than the rows themselves.
    async fn release_nights(
        &mut self,
        booking: i64,
        room: u32,
        from: Date,
        to: Date,
    ) -> StoreResult<()> {
        for night in from.nights_until(to) {
            self.execute(
                "DELETE FROM room_nights WHERE room = $1 AND night = $2 AND booking_id = $3",
                params![room, night, booking],
            )
            .await?;
        }
        let elsewhere = self
            .query(
                "SELECT 1 AS held FROM room_nights WHERE booking_id = $1 LIMIT 1",
                params![booking],
            )
            .await?;
        if !elsewhere.is_empty() {
            self.execute(
                "DELETE FROM room_nights WHERE booking_id = $1",
                params![booking],
            )
            .await?;
        }
        Ok(())
    }

    async fn lock_nights(&mut self, _from: Date, _to: Date) -> StoreResult<()> {
        // One writer thread makes every change: they take turns already.
        Ok(())
    }

    async fn lock_guest(&mut self, _user_id: i64) -> StoreResult<()> {
        // One writer thread makes every change: they take turns already.
        Ok(())
    }

    async fn lock_events(&mut self) -> StoreResult<()> {
        Ok(())
    }

    async fn next_event_position(&mut self) -> StoreResult<Option<i64>> {
        // Inside `BEGIN IMMEDIATE`: no other write, of this process or another, runs until
        // this one commits or rolls back.
        Ok(Some(
            self.conn
                .prepare_cached(
                    "SELECT COALESCE(MAX(position), 0) + 1 FROM events WHERE position IS NOT NULL",
                )?
                .query_row([], |r| r.get(0))?,
        ))
    }

    async fn notify(&mut self, _channel: &str, _payload: &str) -> StoreResult<()> {
        // One process is the only instance: there is nobody else to tell.
        Ok(())
    }

    async fn next_acquired(&mut self) -> StoreResult<i64> {
        if let Some(counter) = self.acquired {
            return Ok(counter.fetch_add(1, Ordering::AcqRel) + 1);
        }
        Ok(self
            .conn
            .prepare_cached("SELECT COALESCE(MAX(acquired), 0) + 1 FROM bookings")?
            .query_row([], |r| r.get(0))?)
    }

    fn currency(&self) -> &str {
        self.currency
    }

    async fn catalog(&mut self) -> StoreResult<Arc<Catalog>> {
        let cache = self.catalog;
        catalog_through(cache, self).await
    }

    fn held_words(&self, from: Date, to: Date) -> Option<Vec<(i64, u64)>> {
        self.held
            .map(|h| h.read(|index| index.held_words(from, to)))
    }

    fn held_nights(&self, from: Date, to: Date) -> Option<Vec<(u32, Date)>> {
        self.held.map(|h| h.read(|index| index.held(from, to)))
    }
}
