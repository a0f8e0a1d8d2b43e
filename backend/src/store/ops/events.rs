//! The event every audited change announces, and how events get their order.
//!
//! `ops::audit` writes the audit entry and, in the same transaction, a row here that points
//! at it. Readers read by position, and a position is only ever given in commit order:
//!
//! - on SQLite, at insert (`Tx::next_event_position`): writes take turns on the database (the
//!   writer's `BEGIN IMMEDIATE`, across processes too), so the largest position plus one is
//!   also the last to commit;
//! - on PostgreSQL, after commit, by `PlaceEvents`: it gives positions to the events committed
//!   by then, oldest id first, numbering on from the largest position given, one run at a time
//!   under an advisory lock, whichever instance runs it. Ids come from a sequence at insert, so
//!   a transaction holding id 7 may commit after the one holding id 8; it is then placed by a
//!   later run, after everything placed before it.
//!
//! Either way a reader that has read up to a position never finds a new event at or below
//! it. The newest placed event is never forgotten, so positions never go back.

use hotel_shared::AuditAction;
use hotel_shared::events::Event;

use crate::store::StoreResult;
use crate::store::sql::{Op, SqlRow, Tx, params};

/// Events placed by one run at most, so that a backlog never makes one long transaction.
const PLACE_AT_ONCE: i64 = 1_000;

/// The channel on which PostgreSQL tells every instance that events were placed.
pub const EVENTS_CHANNEL: &str = "hotel_events";

/// Announces the audit entry `audit_id`, in the transaction that wrote it.
pub(super) async fn record<T: Tx>(tx: &mut T, audit_id: i64) -> StoreResult<()> {
    let position = tx.next_event_position().await?;
    tx.execute(
        "INSERT INTO events (position, audit_id) VALUES ($1, $2)",
        params![position, audit_id],
    )
    .await?;
    Ok(())
}

pub(super) async fn last_position<T: Tx>(tx: &mut T) -> StoreResult<i64> {
    Ok(tx
        .query(
            // The condition lets both engines read the maximum from the partial index.
            "SELECT COALESCE(MAX(position), 0) AS last FROM events WHERE position IS NOT NULL",
            vec![],
        )
        .await?
        .first()
        .map(|row| row.int("last"))
        .transpose()?
        .unwrap_or(0))
}

/// Gives the events committed so far without a position theirs, oldest id first; answers the
/// last position given (by this run or an earlier one, on any instance).
pub struct PlaceEvents;

impl Op for PlaceEvents {
    type Out = i64;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<i64> {
        tx.lock_events().await?;
        let last = last_position(tx).await?;
        let placed = tx
            .execute(
                "UPDATE events SET position = $1 + waiting.n FROM \
                 (SELECT id, row_number() OVER (ORDER BY id) AS n FROM events \
                  WHERE position IS NULL ORDER BY id LIMIT $2) AS waiting \
                 WHERE events.id = waiting.id",
                params![last, PLACE_AT_ONCE],
            )
            .await?;
        if placed == 0 {
            return Ok(last);
        }
        let last = last + i64::try_from(placed).unwrap_or(i64::MAX);
        tx.notify(EVENTS_CHANNEL, &last.to_string()).await?;
        Ok(last)
    }
}

/// Placed events after position `after`, in order, at most `limit`.
pub struct EventsAfter {
    pub after: i64,
    pub limit: u32,
}

impl Op for EventsAfter {
    type Out = Vec<Event>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Event>> {
        tx.query(
            "SELECT e.position, a.at, a.action, a.entity, a.entity_id, \
             COALESCE(a.after_json, a.before_json) AS data \
             FROM events e JOIN audit_log a ON a.id = e.audit_id \
             WHERE e.position > $1 ORDER BY e.position LIMIT $2",
            params![self.after, self.limit],
        )
        .await?
        .iter()
        .map(event_from)
        .collect()
    }
}

fn event_from(row: &SqlRow) -> StoreResult<Event> {
    Ok(Event {
        position: row.int("position")?,
        at: row.text("at")?,
        action: AuditAction::parse(&row.text("action")?),
        entity: row.text("entity")?,
        entity_id: row.text("entity_id")?,
        data: row.opt_text("data")?,
    })
}

/// Forgets placed events of changes before `before` (RFC 3339), all but the newest: whoever
/// follows the events has had them, and the audit log keeps what happened.
pub struct ForgetEvents {
    pub before: String,
}

impl Op for ForgetEvents {
    type Out = u64;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<u64> {
        let last = last_position(tx).await?;
        tx.execute(
            "DELETE FROM events WHERE position IS NOT NULL AND position < $1 \
             AND audit_id IN (SELECT id FROM audit_log WHERE at < $2)",
            params![last, &self.before],
        )
        .await
    }
}
