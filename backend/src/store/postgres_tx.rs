//! The `Tx` the ops see on a PostgreSQL connection or transaction: statements prepared once
//! per connection, rows read by column name, dates and values in PostgreSQL's wire forms, and
//! the advisory locks that make stays sharing a night, a guest's holdings and the placing of
//! events take turns across instances.

use std::sync::Arc;

use bytes::{BufMut, BytesMut};
use deadpool_postgres::GenericClient;
use hotel_shared::Date;
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type, accepts, to_sql_checked};

use super::catalog::{Catalog, CatalogCache};
use super::ops::catalog::catalog_through;
use super::sql::{SqlRow, Tx, Value, values_sql};
use super::{StoreError, StoreResult};

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
pub(super) struct PgTx<'a, C> {
    pub(super) client: &'a C,
    pub(super) currency: &'a str,
    /// The shared catalog for reads; writes read it afresh inside their transaction.
    pub(super) catalog: Option<&'a CatalogCache>,
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
