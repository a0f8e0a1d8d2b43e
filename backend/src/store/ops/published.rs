//! The calendars the hotel publishes for booking sites: their addresses (derived from a key
//! kept with the hotel's data and a count of replacements, so none is stored) and the nights
//! each lists.

use std::collections::HashMap;

use hotel_shared::AuditAction;
use hotel_shared::Date;

use super::reads::room;
use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::channels::{ClosedNights, export_secret, sold_out};
use crate::store::sql::{Op, Tx, params, query_opt};
use crate::store::{StoreError, StoreResult};

/// What a published calendar shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Published {
    Room(u32),
    RoomType(i64),
}

impl Published {
    fn kind(self) -> &'static str {
        match self {
            Published::Room(_) => "room",
            Published::RoomType(_) => "type",
        }
    }

    fn target(self) -> i64 {
        match self {
            Published::Room(n) => i64::from(n),
            Published::RoomType(id) => id,
        }
    }

    fn secret(self, key: &str, generation: i64) -> String {
        export_secret(
            key,
            &format!("{}/{}", self.kind(), self.target()),
            generation,
        )
    }
}

async fn ical_key<T: Tx>(tx: &mut T) -> StoreResult<String> {
    query_opt(
        tx,
        "SELECT value FROM settings WHERE name = 'ical_key'",
        params![],
    )
    .await?
    .map(|row| row.text("value"))
    .transpose()?
    .ok_or_else(|| StoreError::Database("the calendar key is missing".into()))
}

/// The secret part of every published calendar's address, for rooms and types in use.
pub struct ExportSecrets;

impl Op for ExportSecrets {
    type Out = HashMap<Published, String>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        let key = ical_key(tx).await?;
        let generations: HashMap<(String, i64), i64> = tx
            .query(
                "SELECT kind, target, generation FROM ical_exports",
                params![],
            )
            .await?
            .iter()
            .map(|r| Ok(((r.text("kind")?, r.int("target")?), r.int("generation")?)))
            .collect::<StoreResult<_>>()?;
        let mut targets: Vec<Published> = tx
            .query("SELECT number FROM rooms WHERE NOT retired", params![])
            .await?
            .iter()
            .map(|r| r.u32("number").map(Published::Room))
            .collect::<StoreResult<_>>()?;
        for row in tx
            .query("SELECT id FROM room_types WHERE NOT retired", params![])
            .await?
        {
            targets.push(Published::RoomType(row.int("id")?));
        }
        Ok(targets
            .into_iter()
            .map(|t| {
                let generation = generations
                    .get(&(t.kind().to_string(), t.target()))
                    .copied()
                    .unwrap_or(0);
                (t, t.secret(&key, generation))
            })
            .collect())
    }
}

/// Gives a published calendar a new address: booking sites reading the old one get 404.
pub struct ReplaceAddress {
    pub actor: Actor,
    pub what: Published,
}

impl Op for ReplaceAddress {
    type Out = String;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<String> {
        let exists = match self.what {
            Published::Room(n) => room(tx, n).await?.is_some_and(|r| !r.retired),
            Published::RoomType(id) => query_opt(
                tx,
                "SELECT 1 FROM room_types WHERE id = $1 AND NOT retired",
                params![id],
            )
            .await?
            .is_some(),
        };
        if !exists {
            return Err(match self.what {
                Published::Room(n) => DomainError::RoomNotFound(n),
                Published::RoomType(id) => DomainError::UnknownRoomType(id),
            }
            .into());
        }
        let (kind, target) = (self.what.kind(), self.what.target());
        let generation = query_opt(
            tx,
            "INSERT INTO ical_exports (kind, target, generation) VALUES ($1, $2, 1) \
             ON CONFLICT (kind, target) DO UPDATE SET generation = ical_exports.generation + 1 \
             RETURNING generation",
            params![kind, target],
        )
        .await?
        .map(|r| r.int("generation"))
        .transpose()?
        .unwrap_or(1);
        let key = ical_key(tx).await?;
        audit(
            tx,
            &self.actor,
            AuditAction::IcalAddressReplace,
            "ical_export",
            format!("{kind}/{target}"),
            None::<&()>,
            Some(&serde_json::json!({ "kind": kind, "target": target })),
        )
        .await?;
        Ok(self.what.secret(&key, generation))
    }
}

/// The calendar an address's secret part names, if any.
pub struct FindPublished {
    pub secret: String,
}

impl Op for FindPublished {
    type Out = Option<Published>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Option<Published>> {
        let secrets = ExportSecrets.run(tx).await?;
        // Every address is compared whole, so the time taken tells nothing of a near miss.
        let mut found = None;
        for (what, secret) in secrets {
            if constant_time_eq(secret.as_bytes(), self.secret.as_bytes()) {
                found = Some(what);
            }
        }
        Ok(found)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The ranges a room cannot be sold in `from..to`: its stays, its blocks (entered by staff or
/// imported), and the rest of the window when it is out of service.
pub struct RoomCalendar {
    pub room: u32,
    pub from: Date,
    pub to: Date,
}

impl Op for RoomCalendar {
    type Out = Vec<ClosedNights>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<ClosedNights>> {
        room_ranges(tx, self.room, self.from, self.to).await
    }
}

async fn room_ranges<T: Tx>(
    tx: &mut T,
    number: u32,
    from: Date,
    to: Date,
) -> StoreResult<Vec<ClosedNights>> {
    let mut ranges = Vec::new();
    if let Some(r) = room(tx, number).await?
        && r.out_of_service.is_some()
    {
        ranges.push(ClosedNights {
            key: format!("room-{number}-out-of-service"),
            from,
            to,
        });
    }
    let stays = tx
        .query(
            "SELECT booking_id, MIN(night) AS first_night, MAX(night) AS last_night \
             FROM room_nights WHERE room = $1 AND night >= $2 AND night < $3 \
             GROUP BY booking_id ORDER BY first_night",
            params![number, from, to],
        )
        .await?;
    for row in &stays {
        let last = row.date("last_night")?;
        ranges.push(ClosedNights {
            key: format!("stay-{}", row.int("booking_id")?),
            from: row.date("first_night")?,
            to: last.checked_add_days(1).unwrap_or(last),
        });
    }
    let blocks = tx
        .query(
            "SELECT id, start_date, end_date FROM room_blocks \
             WHERE room = $1 AND start_date < $3 AND end_date > $2 ORDER BY start_date, id",
            params![number, from, to],
        )
        .await?;
    for row in &blocks {
        ranges.push(ClosedNights {
            key: format!("block-{}", row.int("id")?),
            from: row.date("start_date")?,
            to: row.date("end_date")?,
        });
    }
    Ok(ranges)
}

/// The nights in `from..to` on which no room of the type can be sold.
pub struct TypeCalendar {
    pub type_id: i64,
    pub from: Date,
    pub to: Date,
}

impl Op for TypeCalendar {
    type Out = Vec<ClosedNights>;
    const WRITES: bool = false;
    const LARGE: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<ClosedNights>> {
        let rooms: Vec<u32> = tx
            .query(
                "SELECT number FROM rooms WHERE type_id = $1 AND NOT retired ORDER BY number",
                params![self.type_id],
            )
            .await?
            .iter()
            .map(|r| r.u32("number"))
            .collect::<StoreResult<_>>()?;
        let nights = usize::try_from(self.from.days_until(self.to)).unwrap_or(0);
        let mut closed: HashMap<u32, Vec<bool>> = HashMap::new();
        for &number in &rooms {
            let mut taken = vec![false; nights];
            for range in room_ranges(tx, number, self.from, self.to).await? {
                let start = self.from.days_until(range.from).max(0);
                let end = self.from.days_until(range.to).min(nights as i64);
                for i in start..end {
                    if let Some(night) = usize::try_from(i).ok().and_then(|i| taken.get_mut(i)) {
                        *night = true;
                    }
                }
            }
            closed.insert(number, taken);
        }
        let counts: Vec<u32> = (0..nights)
            .map(|i| {
                closed
                    .values()
                    .filter(|t| t.get(i).copied().unwrap_or(false))
                    .count() as u32
            })
            .collect();
        let total = u32::try_from(rooms.len()).unwrap_or(u32::MAX);
        Ok(sold_out(self.from, &counts, total)
            .into_iter()
            .map(|(from, to)| ClosedNights {
                key: format!(
                    "type-{}-{:04}{:02}{:02}",
                    self.type_id,
                    from.year(),
                    from.month(),
                    from.day()
                ),
                from,
                to,
            })
            .collect())
    }
}
