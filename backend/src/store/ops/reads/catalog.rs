//! The hotel's rooms, room types and out-of-service ranges as the desk lists them.

use hotel_shared::staff::{Room, RoomBlock, RoomType};

use hotel_shared::Date;

use crate::store::StoreResult;
use crate::store::sql::{Op, SqlRow, Tx, params};

/// Rooms in the hotel (not retired); also proves the database answers.
pub struct RoomCount;

impl Op for RoomCount {
    type Out = u32;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<u32> {
        match tx
            .query(
                "SELECT COUNT(*) AS rooms FROM rooms WHERE NOT retired",
                params![],
            )
            .await?
            .first()
        {
            Some(row) => row.u32("rooms"),
            None => Ok(0),
        }
    }
}

fn room_type_from(r: &SqlRow, currency: &str) -> StoreResult<RoomType> {
    Ok(RoomType {
        id: r.int("id")?,
        name: r.text("name")?,
        description: r.text("description")?,
        capacity: r.u32("capacity")?,
        rate: r.int("rate")?,
        currency: currency.to_string(),
        retired: r.bool("retired")?,
        ical_url: None,
        tax_rate_id: r.opt_int("tax_rate_id")?,
    })
}

pub(crate) async fn room_type<T: Tx>(tx: &mut T, id: i64) -> StoreResult<Option<RoomType>> {
    let currency = tx.currency().to_string();
    tx.query(
        "SELECT id, name, description, capacity, rate, retired, tax_rate_id FROM room_types WHERE id = $1",
        params![id],
    )
    .await?
    .first()
    .map(|r| room_type_from(r, &currency))
    .transpose()
}

pub struct ListRoomTypes;

impl Op for ListRoomTypes {
    type Out = Vec<RoomType>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<RoomType>> {
        let currency = tx.currency().to_string();
        tx.query(
            "SELECT id, name, description, capacity, rate, retired, tax_rate_id FROM room_types ORDER BY retired, rate, id",
            params![],
        )
        .await?
        .iter()
        .map(|r| room_type_from(r, &currency))
        .collect()
    }
}

const ROOM_SELECT: &str = "SELECT r.number, r.type_id, COALESCE(t.name, '') AS room_type, \
     r.floor, COALESCE(t.capacity, 0) AS capacity, COALESCE(t.rate, 0) AS rate, \
     r.out_of_service, r.retired, r.housekeeping \
     FROM rooms r LEFT JOIN room_types t ON t.id = r.type_id";

fn room_from(r: &SqlRow) -> StoreResult<Room> {
    Ok(Room {
        number: r.u32("number")?,
        room_type_id: r.opt_int("type_id")?.unwrap_or(0),
        room_type: r.text("room_type")?,
        floor: i32::try_from(r.int("floor")?).unwrap_or(0),
        capacity: r.u32("capacity")?,
        rate: r.int("rate")?,
        out_of_service: r.opt_text("out_of_service")?,
        retired: r.bool("retired")?,
        condition: crate::domain::housekeeping::condition(&r.text("housekeeping")?),
        ical_url: None,
    })
}

pub(crate) async fn room<T: Tx>(tx: &mut T, number: u32) -> StoreResult<Option<Room>> {
    tx.query(
        &format!("{ROOM_SELECT} WHERE r.number = $1"),
        params![number],
    )
    .await?
    .first()
    .map(room_from)
    .transpose()
}

pub struct ListRooms;

impl Op for ListRooms {
    type Out = Vec<Room>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Room>> {
        tx.query(
            &format!("{ROOM_SELECT} ORDER BY r.retired, r.number"),
            params![],
        )
        .await?
        .iter()
        .map(room_from)
        .collect()
    }
}

pub(crate) fn block_from(r: &SqlRow) -> StoreResult<RoomBlock> {
    Ok(RoomBlock {
        id: r.int("id")?,
        room_number: r.u32("room")?,
        from: r.date("start_date")?,
        to: r.date("end_date")?,
        reason: r.text("reason")?,
        feed_id: r.opt_int("feed_id")?,
    })
}

/// Out-of-service ranges that end after `since`.
pub struct ListBlocks {
    pub since: Date,
}

impl Op for ListBlocks {
    type Out = Vec<RoomBlock>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<RoomBlock>> {
        tx.query(
            "SELECT id, room, start_date, end_date, reason, feed_id FROM room_blocks \
             WHERE end_date > $1 ORDER BY start_date, room",
            params![self.since],
        )
        .await?
        .iter()
        .map(block_from)
        .collect()
    }
}
