//! The reminder a few days before arrival (`--reminder-days` at `--reminder-time`, hotel
//! time): found due by the tidying worker and queued once per booking, whichever instance
//! finds it and however often the server restarts (`reminders_sent`). A booking made after its
//! reminder was due gets none: its confirmation has just said it all.

use hotel_shared::{Date, MessageKind};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::mail::{Details, enqueue_to};
use crate::domain::mail::reminder_due;
use crate::store::StoreResult;
use crate::store::sql::{Op, Tx, params, query_opt};

/// A booking whose reminder is due: its reference, its account and its rooms' bookings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub reference: String,
    pub user_id: i64,
    pub ids: Vec<i64>,
}

/// Bookings whose reminder is due at `now` and not queued yet. Arrivals from `today` on, so
/// one missed while the server was down still goes.
pub struct DueReminders {
    pub now: Timestamp,
    pub today: Date,
    pub days: u32,
    pub at: (i8, i8),
    pub tz: TimeZone,
}

impl Op for DueReminders {
    type Out = Vec<Due>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        let mut due: Vec<Due> = Vec::new();
        for ahead in 0..=i64::from(self.days) {
            let Some(arrival) = self.today.checked_add_days(ahead) else {
                continue;
            };
            let Some(due_at) = reminder_due(arrival, self.days, self.at, &self.tz) else {
                continue;
            };
            if self.now < due_at {
                continue;
            }
            // Room by room through the primary key of room_nights (no index by night).
            let rows = tx
                .query(
                    "SELECT b.id, b.reference, b.user_id FROM bookings b \
                     WHERE b.id IN (SELECT n.booking_id FROM rooms r CROSS JOIN room_nights n \
                                    WHERE n.room = r.number AND n.night = $1) \
                     AND b.check_in = $1 AND b.status = 'booked' AND b.checked_in_at IS NULL \
                     AND b.created_at < $2 \
                     AND NOT EXISTS (SELECT 1 FROM reminders_sent s WHERE s.reference = b.reference) \
                     ORDER BY b.room, b.id",
                    params![arrival, due_at],
                )
                .await?;
            for row in rows {
                let (id, reference) = (row.int("id")?, row.text("reference")?);
                match due.iter_mut().find(|d| d.reference == reference) {
                    Some(d) => d.ids.push(id),
                    None => due.push(Due {
                        reference,
                        user_id: row.int("user_id")?,
                        ids: vec![id],
                    }),
                }
            }
        }
        Ok(due)
    }
}

/// Queues the reminders `DueReminders` found, each once.
pub struct QueueReminders {
    pub due: Vec<Due>,
    pub now: Timestamp,
}

impl Op for QueueReminders {
    type Out = u64;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<u64> {
        let mut queued = 0;
        for Due {
            reference,
            user_id,
            ids,
        } in &self.due
        {
            let sent = query_opt(
                tx,
                "SELECT 1 AS sent FROM reminders_sent WHERE reference = $1",
                params![reference],
            )
            .await?;
            if sent.is_some() {
                continue;
            }
            // Two instances at once: the second's insert meets the key, its transaction runs
            // again, and finds the reminder queued above.
            tx.execute(
                "INSERT INTO reminders_sent (reference, queued_at) VALUES ($1, $2)",
                params![reference, self.now.as_second()],
            )
            .await?;
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            enqueue_to(
                tx,
                MessageKind::Reminder,
                *user_id,
                reference,
                &ids.join(","),
                &Details::default(),
            )
            .await?;
            queued += 1;
        }
        Ok(queued)
    }
}
