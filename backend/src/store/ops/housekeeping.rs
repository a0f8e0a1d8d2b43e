//! Housekeeping: the list of rooms to clean, a room's state set by a housekeeper or the desk,
//! and the room a guest leaves turning dirty.

use hotel_shared::AuditAction;
use std::collections::HashMap;

use hotel_shared::Date;
use hotel_shared::housekeeping::{HousekeepingRoom, RoomCondition};
use serde::Serialize;

use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::housekeeping::{HeldNight, condition, occupancy};
use crate::store::StoreResult;
use crate::store::sql::{Op, Tx, params, query_opt};

/// What the audit log keeps of a room's housekeeping state.
#[derive(Serialize)]
struct ConditionRecord {
    condition: RoomCondition,
}

/// Rooms in service after room `after`, by number, at most `limit`, with who sleeps in them
/// around `today`.
pub struct ListHousekeeping {
    pub today: Date,
    pub after: u32,
    pub limit: u32,
}

impl Op for ListHousekeeping {
    type Out = Vec<HousekeepingRoom>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<HousekeepingRoom>> {
        list(tx, self.today, self.after, self.limit).await
    }
}

async fn list<T: Tx>(
    tx: &mut T,
    today: Date,
    after: u32,
    limit: u32,
) -> StoreResult<Vec<HousekeepingRoom>> {
    let rooms = tx
            .query(
                "SELECT r.number, r.floor, COALESCE(t.name, '') AS room_type, r.housekeeping, \
                 (r.out_of_service IS NOT NULL OR EXISTS (SELECT 1 FROM room_blocks k \
                   WHERE k.room = r.number AND k.start_date <= $2 AND k.end_date > $2)) AS out_of_order \
                 FROM rooms r LEFT JOIN room_types t ON t.id = r.type_id \
                 WHERE NOT r.retired AND r.number > $1 ORDER BY r.number LIMIT $3",
                params![after, today, i64::from(limit)],
            )
            .await?;
    let (Some(first), Some(last)) = (rooms.first(), rooms.last()) else {
        return Ok(Vec::new());
    };
    let (first, last) = (first.u32("number")?, last.u32("number")?);
    let yesterday = today.checked_add_days(-1).unwrap_or(today);
    let mut held: HashMap<u32, Vec<HeldNight>> = HashMap::new();
    // Room by room through the primary key (room, night): there is no index by night
    // (migration 0014), and CROSS JOIN keeps SQLite's outer loop on the rooms.
    for row in tx
        .query(
            "SELECT n.room, n.night, n.booking_id FROM rooms r CROSS JOIN room_nights n \
                 WHERE n.room = r.number AND r.number >= $3 AND r.number <= $4 \
                 AND n.night >= $1 AND n.night <= $2",
            params![yesterday, today, first, last],
        )
        .await?
    {
        held.entry(row.u32("room")?).or_default().push(HeldNight {
            night: row.date("night")?,
            booking_id: row.int("booking_id")?,
        });
    }
    // Through the small index of stays in house.
    let occupied_rooms = tx
        .query(
            "SELECT room FROM bookings WHERE status = 'booked' AND checked_in_at IS NOT NULL \
             AND room >= $1 AND room <= $2",
            params![first, last],
        )
        .await?
        .iter()
        .map(|row| row.u32("room"))
        .collect::<Result<Vec<u32>, _>>()?;
    rooms
        .iter()
        .map(|r| {
            let number = r.u32("number")?;
            Ok(HousekeepingRoom {
                number,
                floor: i32::try_from(r.int("floor")?).unwrap_or(0),
                room_type: r.text("room_type")?,
                condition: condition(&r.text("housekeeping")?),
                occupancy: occupancy(
                    today,
                    held.get(&number).map(Vec::as_slice).unwrap_or_default(),
                ),
                out_of_order: r.bool("out_of_order")?,
                occupied: occupied_rooms.contains(&number),
            })
        })
        .collect()
}

/// Rooms in the hotel waiting to be cleaned, by number.
pub struct DirtyRooms;

impl Op for DirtyRooms {
    type Out = Vec<u32>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<u32>> {
        tx.query(
            "SELECT number FROM rooms WHERE housekeeping = 'dirty' AND NOT retired ORDER BY number",
            params![],
        )
        .await?
        .iter()
        .map(|r| r.u32("number"))
        .collect()
    }
}

/// A housekeeper (or the desk) says how a room is; the room as the list now shows it.
pub struct SetCondition {
    pub actor: Actor,
    pub number: u32,
    pub condition: RoomCondition,
    pub today: Date,
}

impl Op for SetCondition {
    type Out = HousekeepingRoom;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<HousekeepingRoom> {
        set_condition(tx, &self.actor, self.number, self.condition).await?;
        list(tx, self.today, self.number.saturating_sub(1), 1)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| DomainError::RoomNotFound(self.number).into())
    }
}

/// Sets a room's state, with its audit entry when it changes; a retired or unknown room is
/// not found.
pub(crate) async fn set_condition<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    number: u32,
    to: RoomCondition,
) -> StoreResult<()> {
    let before = room_condition(tx, number)
        .await?
        .ok_or(DomainError::RoomNotFound(number))?;
    change(tx, actor, number, before, to).await
}

/// A guest left the room (checked out, or moved to another): it needs cleaning. A room retired
/// meanwhile is left alone.
pub(crate) async fn mark_dirty<T: Tx>(tx: &mut T, actor: &Actor, number: u32) -> StoreResult<()> {
    match room_condition(tx, number).await? {
        Some(before) => change(tx, actor, number, before, RoomCondition::Dirty).await,
        None => Ok(()),
    }
}

async fn change<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    number: u32,
    before: RoomCondition,
    to: RoomCondition,
) -> StoreResult<()> {
    if before == to {
        return Ok(());
    }
    tx.execute(
        "UPDATE rooms SET housekeeping = $1 WHERE number = $2",
        params![to.as_str(), number],
    )
    .await?;
    audit(
        tx,
        actor,
        AuditAction::RoomHousekeeping,
        "room",
        number,
        Some(&ConditionRecord { condition: before }),
        Some(&ConditionRecord { condition: to }),
    )
    .await
}

/// A room's housekeeping state; `None` for a retired or unknown room.
pub(crate) async fn room_condition<T: Tx>(
    tx: &mut T,
    number: u32,
) -> StoreResult<Option<RoomCondition>> {
    query_opt(
        tx,
        "SELECT housekeeping FROM rooms WHERE number = $1 AND NOT retired",
        params![number],
    )
    .await?
    .map(|row| Ok(condition(&row.text("housekeeping")?)))
    .transpose()
}
