//! Changes to the hotel itself: room types and rates, rooms, out-of-service ranges.

use hotel_shared::AuditAction;
use hotel_shared::Date;
use hotel_shared::staff::{BlockInput, Room, RoomBlock, RoomInput, RoomType, RoomTypeInput};

use super::reads::{block_from, room, room_type};
use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::rooms::{DEFAULT_ROOM_TYPES, default_layout};
use crate::store::sql::{Op, Tx, params, query_opt};
use crate::store::{StoreError, StoreResult};

/// Makes an empty database a hotel: its currency, the default room types, and rooms
/// 1..=`rooms`. A database from before room types gets the types, and its bookings the rate
/// of their room's type. Returns the hotel's currency, which never changes once set.
pub struct Seed {
    pub rooms: u32,
    pub currency: String,
    /// The IANA time zone a new hotel keeps; one that has a zone keeps its own.
    pub timezone: String,
}

/// What a hotel keeps from the day it is created, as stored.
#[derive(Debug, Clone)]
pub struct Kept {
    pub currency: String,
    pub timezone: String,
}

impl Op for Seed {
    type Out = Kept;
    const WRITES: bool = true;
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Kept> {
        let currency = match query_opt(
            tx,
            "SELECT value FROM settings WHERE name = 'currency'",
            params![],
        )
        .await?
        {
            Some(row) => row.text("value")?,
            None => {
                tx.execute(
                    "INSERT INTO settings (name, value) VALUES ('currency', $1)",
                    params![&self.currency],
                )
                .await?;
                self.currency.clone()
            }
        };
        let timezone = match query_opt(
            tx,
            "SELECT value FROM settings WHERE name = 'timezone'",
            params![],
        )
        .await?
        {
            Some(row) => row.text("value")?,
            // A new hotel, or one from before the zone was kept: the zone it opens with now.
            None => {
                tx.execute(
                    "INSERT INTO settings (name, value) VALUES ('timezone', $1)",
                    params![&self.timezone],
                )
                .await?;
                self.timezone.clone()
            }
        };
        let mut type_ids: Vec<i64> = tx
            .query("SELECT id FROM room_types ORDER BY id", params![])
            .await?
            .iter()
            .map(|r| r.int("id"))
            .collect::<StoreResult<_>>()?;
        if type_ids.is_empty() {
            for t in DEFAULT_ROOM_TYPES {
                let input = RoomTypeInput {
                    name: t.name.into(),
                    description: t.description.into(),
                    capacity: t.capacity,
                    rate: t.rate,
                    tax_rate_id: None,
                };
                type_ids.push(insert_room_type(tx, &input).await?);
            }
        }
        let existing: Vec<(u32, bool)> = tx
            .query(
                "SELECT number, type_id IS NULL AS untyped FROM rooms ORDER BY number",
                params![],
            )
            .await?
            .iter()
            .map(|r| Ok((r.u32("number")?, r.bool("untyped")?)))
            .collect::<StoreResult<_>>()?;
        let kind = |index: usize| type_ids.get(index).or(type_ids.first()).copied();
        if existing.is_empty() {
            let numbers: Vec<u32> = (1..=self.rooms).collect();
            for chunk in numbers.chunks(200) {
                let mut sql =
                    String::from("INSERT INTO rooms (number, type_id, floor, retired) VALUES ");
                let mut values = Vec::with_capacity(chunk.len() * 3);
                for (i, &number) in chunk.iter().enumerate() {
                    let (index, floor) = default_layout(number, self.rooms);
                    if i > 0 {
                        sql.push_str(", ");
                    }
                    let p = values.len();
                    sql.push_str(&format!("(${}, ${}, ${}, FALSE)", p + 1, p + 2, p + 3));
                    values.extend(params![number, kind(index), floor]);
                }
                tx.execute(&sql, values).await?;
            }
        } else {
            let total = u32::try_from(existing.len()).unwrap_or(u32::MAX);
            for (position, (number, untyped)) in (1..).zip(existing) {
                if untyped {
                    let (index, floor) = default_layout(position, total);
                    tx.execute(
                        "UPDATE rooms SET type_id = $1, floor = $2 WHERE number = $3",
                        params![kind(index), floor, number],
                    )
                    .await?;
                }
            }
            tx.execute(
                "UPDATE bookings SET rate = (SELECT t.rate FROM rooms r JOIN room_types t \
                 ON t.id = r.type_id WHERE r.number = bookings.room) WHERE rate = 0",
                params![],
            )
            .await?;
        }
        Ok(Kept { currency, timezone })
    }
}

/// A new type comes with its base plan, priced by the calendar and the type's rate.
async fn insert_room_type<T: Tx>(tx: &mut T, t: &RoomTypeInput) -> StoreResult<i64> {
    let id = tx
        .insert_id(
            "INSERT INTO room_types (name, description, capacity, rate, retired, tax_rate_id) \
             VALUES ($1, $2, $3, $4, FALSE, $5)",
            params![
                &t.name,
                &t.description,
                t.capacity,
                t.rate,
                t.tax_rate_id.flatten()
            ],
        )
        .await?;
    super::rates::insert_base_plan(tx, id).await?;
    Ok(id)
}

async fn name_taken<T: Tx>(tx: &mut T, name: &str, except: Option<i64>) -> StoreResult<bool> {
    let found = query_opt(
        tx,
        "SELECT id FROM room_types WHERE LOWER(name) = LOWER($1) AND id <> $2",
        params![name, except.unwrap_or(-1)],
    )
    .await?;
    Ok(found.is_some())
}

pub struct CreateRoomType {
    pub actor: Actor,
    pub input: RoomTypeInput,
}

impl Op for CreateRoomType {
    type Out = RoomType;
    const WRITES: bool = true;
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<RoomType> {
        let i = &self.input;
        if name_taken(tx, &i.name, None).await? {
            return Err(DomainError::RoomTypeNameTaken(i.name.clone()).into());
        }
        super::taxes::check_tax_rate(tx, i.tax_rate_id).await?;
        let id = insert_room_type(tx, i).await?;
        let created = room_type(tx, id)
            .await?
            .ok_or(DomainError::UnknownRoomType(id))?;
        audit(
            tx,
            &self.actor,
            AuditAction::RoomTypeCreate,
            "room_type",
            id,
            None::<&RoomType>,
            Some(&created),
        )
        .await?;
        Ok(created)
    }
}

/// A new rate applies to bookings made from now on; existing ones keep theirs.
pub struct UpdateRoomType {
    pub actor: Actor,
    pub id: i64,
    pub input: RoomTypeInput,
}

impl Op for UpdateRoomType {
    type Out = RoomType;
    const WRITES: bool = true;
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<RoomType> {
        let i = &self.input;
        let before = room_type(tx, self.id)
            .await?
            .filter(|t| !t.retired)
            .ok_or(DomainError::UnknownRoomType(self.id))?;
        if name_taken(tx, &i.name, Some(self.id)).await? {
            return Err(DomainError::RoomTypeNameTaken(i.name.clone()).into());
        }
        super::taxes::check_tax_rate(tx, i.tax_rate_id).await?;
        tx.execute(
            "UPDATE room_types SET name = $1, description = $2, capacity = $3, rate = $4 WHERE id = $5",
            params![&i.name, &i.description, i.capacity, i.rate, self.id],
        )
        .await?;
        if let Some(tax_rate) = i.tax_rate_id {
            tx.execute(
                "UPDATE room_types SET tax_rate_id = $1 WHERE id = $2",
                params![tax_rate, self.id],
            )
            .await?;
        }
        let after = room_type(tx, self.id)
            .await?
            .ok_or(DomainError::UnknownRoomType(self.id))?;
        audit(
            tx,
            &self.actor,
            AuditAction::RoomTypeUpdate,
            "room_type",
            self.id,
            Some(&before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

/// Stops selling a type. Its rooms must move to another type first.
pub struct RetireRoomType {
    pub actor: Actor,
    pub id: i64,
}

impl Op for RetireRoomType {
    type Out = RoomType;
    const WRITES: bool = true;
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<RoomType> {
        let before = room_type(tx, self.id)
            .await?
            .filter(|t| !t.retired)
            .ok_or(DomainError::UnknownRoomType(self.id))?;
        let in_use = tx
            .query(
                "SELECT number FROM rooms WHERE type_id = $1 AND NOT retired ORDER BY number",
                params![self.id],
            )
            .await?
            .iter()
            .map(|r| r.u32("number"))
            .collect::<StoreResult<Vec<u32>>>()?;
        if !in_use.is_empty() {
            return Err(DomainError::RoomTypeInUse {
                name: before.name,
                rooms: in_use,
            }
            .into());
        }
        tx.execute(
            "UPDATE room_types SET retired = TRUE WHERE id = $1",
            params![self.id],
        )
        .await?;
        let after = RoomType {
            retired: true,
            ..before.clone()
        };
        audit(
            tx,
            &self.actor,
            AuditAction::RoomTypeRetire,
            "room_type",
            self.id,
            Some(&before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

async fn sold_type<T: Tx>(tx: &mut T, id: i64) -> StoreResult<()> {
    match room_type(tx, id).await? {
        Some(t) if !t.retired => Ok(()),
        _ => Err(DomainError::UnknownRoomType(id).into()),
    }
}

pub struct CreateRoom {
    pub actor: Actor,
    pub number: u32,
    pub input: RoomInput,
}

impl Op for CreateRoom {
    type Out = Room;
    const WRITES: bool = true;
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Room> {
        if room(tx, self.number).await?.is_some() {
            return Err(DomainError::RoomExists(self.number).into());
        }
        sold_type(tx, self.input.room_type_id).await?;
        tx.execute(
            "INSERT INTO rooms (number, type_id, floor, out_of_service, retired) \
             VALUES ($1, $2, $3, $4, FALSE)",
            params![
                self.number,
                self.input.room_type_id,
                self.input.floor,
                self.input.out_of_service.clone()
            ],
        )
        .await?;
        let created = room(tx, self.number)
            .await?
            .ok_or(DomainError::RoomNotFound(self.number))?;
        audit(
            tx,
            &self.actor,
            AuditAction::RoomCreate,
            "room",
            self.number,
            None::<&Room>,
            Some(&created),
        )
        .await?;
        Ok(created)
    }
}

/// Changes a room's type or floor, or takes it out of service (or back) until further notice.
/// Stays already booked in it keep their room and rate; the desk moves them if need be.
pub struct UpdateRoom {
    pub actor: Actor,
    pub number: u32,
    pub input: RoomInput,
    /// The hotel's today: taking a room out of service until further notice is refused
    /// while stays hold it from tonight on, as it is for a range of nights.
    pub today: Date,
}

impl Op for UpdateRoom {
    type Out = Room;
    const WRITES: bool = true;
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Room> {
        let before = room(tx, self.number)
            .await?
            .filter(|r| !r.retired)
            .ok_or(DomainError::RoomNotFound(self.number))?;
        sold_type(tx, self.input.room_type_id).await?;
        if before.out_of_service.is_none() && self.input.out_of_service.is_some() {
            let stays = stays_in(tx, self.number, self.today, None).await?;
            if !stays.is_empty() {
                return Err(DomainError::RoomHasStays {
                    room: self.number,
                    bookings: stays,
                }
                .into());
            }
        }
        tx.execute(
            "UPDATE rooms SET type_id = $1, floor = $2, out_of_service = $3 WHERE number = $4",
            params![
                self.input.room_type_id,
                self.input.floor,
                self.input.out_of_service.clone(),
                self.number
            ],
        )
        .await?;
        let after = room(tx, self.number)
            .await?
            .ok_or(DomainError::RoomNotFound(self.number))?;
        audit(
            tx,
            &self.actor,
            AuditAction::RoomUpdate,
            "room",
            self.number,
            Some(&before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

/// Rooms with stays to come cannot go; their past bookings keep them.
pub struct RetireRoom {
    pub actor: Actor,
    pub number: u32,
    pub today: Date,
}

impl Op for RetireRoom {
    type Out = Room;
    const WRITES: bool = true;
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Room> {
        let before = room(tx, self.number)
            .await?
            .filter(|r| !r.retired)
            .ok_or(DomainError::RoomNotFound(self.number))?;
        let stays = stays_in(tx, self.number, self.today, None).await?;
        if !stays.is_empty() {
            return Err(DomainError::RoomHasStays {
                room: self.number,
                bookings: stays,
            }
            .into());
        }
        tx.execute(
            "UPDATE rooms SET retired = TRUE WHERE number = $1",
            params![self.number],
        )
        .await?;
        let after = Room {
            retired: true,
            ..before.clone()
        };
        audit(
            tx,
            &self.actor,
            AuditAction::RoomRetire,
            "room",
            self.number,
            Some(&before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

/// Bookings holding `room` on a night from `from` (until before `to`).
async fn stays_in<T: Tx>(
    tx: &mut T,
    room: u32,
    from: Date,
    to: Option<Date>,
) -> StoreResult<Vec<i64>> {
    let rows = match to {
        Some(to) => {
            tx.query(
                "SELECT DISTINCT booking_id FROM room_nights WHERE room = $1 AND night >= $2 AND night < $3 ORDER BY booking_id",
                params![room, from, to],
            )
            .await?
        }
        None => {
            tx.query(
                "SELECT DISTINCT booking_id FROM room_nights WHERE room = $1 AND night >= $2 ORDER BY booking_id",
                params![room, from],
            )
            .await?
        }
    };
    rows.iter().map(|r| r.int("booking_id")).collect()
}

/// Takes a room out of service for some nights. Nights already sold must be moved first.
pub struct AddBlock {
    pub actor: Actor,
    pub input: BlockInput,
}

impl Op for AddBlock {
    type Out = RoomBlock;
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<RoomBlock> {
        let i = &self.input;
        room(tx, i.room_number)
            .await?
            .filter(|r| !r.retired)
            .ok_or(DomainError::RoomNotFound(i.room_number))?;
        tx.lock_nights(i.from, i.to).await?;
        let stays = stays_in(tx, i.room_number, i.from, Some(i.to)).await?;
        if !stays.is_empty() {
            return Err(DomainError::RoomHasStays {
                room: i.room_number,
                bookings: stays,
            }
            .into());
        }
        let row = query_opt(
            tx,
            "INSERT INTO room_blocks (room, start_date, end_date, reason) VALUES ($1, $2, $3, $4) \
             RETURNING id, room, start_date, end_date, reason, feed_id",
            params![i.room_number, i.from, i.to, &i.reason],
        )
        .await?
        .ok_or_else(|| StoreError::Database("the insert returned no row".into()))?;
        let block = block_from(&row)?;
        audit(
            tx,
            &self.actor,
            AuditAction::BlockCreate,
            "block",
            block.id,
            None::<&RoomBlock>,
            Some(&block),
        )
        .await?;
        Ok(block)
    }
}

pub struct RemoveBlock {
    pub actor: Actor,
    pub id: i64,
}

impl Op for RemoveBlock {
    type Out = RoomBlock;
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<RoomBlock> {
        let row = query_opt(
            tx,
            "SELECT id, room, start_date, end_date, reason, feed_id FROM room_blocks WHERE id = $1",
            params![self.id],
        )
        .await?
        .ok_or(DomainError::BlockNotFound(self.id))?;
        let block = block_from(&row)?;
        tx.execute("DELETE FROM room_blocks WHERE id = $1", params![self.id])
            .await?;
        audit(
            tx,
            &self.actor,
            AuditAction::BlockRemove,
            "block",
            self.id,
            Some(&block),
            None::<&RoomBlock>,
        )
        .await?;
        Ok(block)
    }
}
