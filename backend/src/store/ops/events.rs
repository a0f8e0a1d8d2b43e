//! The events every audited change writes, and how they get their order.
//!
//! An op inserts its event with no position, in its own transaction (`record`). Positions are
//! given afterwards by `PlaceEvents`, one run at a time (PostgreSQL: under an advisory lock,
//! whichever instance runs it), to the events committed by then, each run numbering on from
//! the last position any run gave. So positions follow commit order even where ids do not: on
//! PostgreSQL a transaction may take id 7 and commit after the one that took id 8, but it is
//! placed in a later run than id 8 if it committed later, and a reader that has read up to a
//! position never finds a new event at or below it.

use hotel_shared::AuditAction;
use hotel_shared::events::Event;

use crate::store::StoreResult;
use crate::store::sql::{Op, SqlRow, Tx, params};

/// Events placed by one run at most, so that a backlog never makes one long transaction.
const PLACE_AT_ONCE: u32 = 1_000;

pub(super) async fn record<T: Tx>(
    tx: &mut T,
    at: &str,
    action: AuditAction,
    entity: &str,
    entity_id: &str,
    data: Option<String>,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO events (at, action, entity, entity_id, data) VALUES ($1, $2, $3, $4, $5)",
        params![at, action.as_str(), entity, entity_id, data],
    )
    .await?;
    Ok(())
}

/// Gives the events committed so far their positions, oldest id first; answers the last
/// position given (by this run or an earlier one).
pub struct PlaceEvents;

impl Op for PlaceEvents {
    type Out = i64;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<i64> {
        tx.lock_events().await?;
        let last = tx
            .query("SELECT last FROM event_positions WHERE id = 1", vec![])
            .await?
            .first()
            .map(|row| row.int("last"))
            .transpose()?
            .unwrap_or(0);
        let waiting = tx
            .query(
                "SELECT id FROM events WHERE position IS NULL ORDER BY id LIMIT $1",
                params![PLACE_AT_ONCE],
            )
            .await?;
        if waiting.is_empty() {
            return Ok(last);
        }
        let mut position = last;
        for row in &waiting {
            position += 1;
            tx.execute(
                "UPDATE events SET position = $1 WHERE id = $2",
                params![position, row.int("id")?],
            )
            .await?;
        }
        tx.execute(
            "UPDATE event_positions SET last = $1 WHERE id = 1",
            params![position],
        )
        .await?;
        tx.notify(EVENTS_CHANNEL, &position.to_string()).await?;
        Ok(position)
    }
}

/// The channel on which PostgreSQL tells every instance that events were placed.
pub const EVENTS_CHANNEL: &str = "hotel_events";

/// Placed events after `after`, in order, at most `limit`.
pub struct EventsAfter {
    pub after: i64,
    pub limit: u32,
}

impl Op for EventsAfter {
    type Out = Vec<Event>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Event>> {
        tx.query(
            "SELECT position, at, action, entity, entity_id, data FROM events \
             WHERE position > $1 ORDER BY position LIMIT $2",
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

/// Forgets placed events older than `before` (RFC 3339): they hold guests' data, and whoever
/// needed them has had them. Unplaced ones stay whatever their age.
pub struct ForgetEvents {
    pub before: String,
}

impl Op for ForgetEvents {
    type Out = u64;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<u64> {
        tx.execute(
            "DELETE FROM events WHERE position IS NOT NULL AND at < $1",
            params![&self.before],
        )
        .await
    }
}
