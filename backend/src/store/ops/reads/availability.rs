//! Which rooms are free or taken, night by night.

use std::collections::HashSet;

use hotel_shared::rates::{Availability, NightAvailability, TypeAvailability};
use hotel_shared::{Date, RoomStatus};

use crate::domain::DomainError;
use crate::store::StoreResult;
use crate::store::ops::occupancy::held_room_nights;
use crate::store::ops::rate_book::rate_book;
use crate::store::ops::sellable_rooms;
use crate::store::sql::{Op, Tx, params};

/// Every room in the hotel on one night: held by a stay, out of service, or free.
pub struct RoomsOn {
    pub night: Date,
}

impl Op for RoomsOn {
    type Out = Vec<RoomStatus>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<RoomStatus>> {
        let catalog = tx.catalog().await?;
        // The last day a date can name has no next day, and no stays either.
        let next = self.night.checked_add_days(1).unwrap_or(self.night);
        let held: HashSet<u32> = held_room_nights(tx, self.night, next)
            .await?
            .into_iter()
            .map(|(room, _)| room)
            .collect();
        let blocked = rooms_of(
            tx,
            "SELECT room FROM room_blocks WHERE start_date <= $1 AND end_date > $1",
            self.night,
        )
        .await?;
        Ok(catalog
            .in_hotel()
            .map(|r| RoomStatus {
                room_number: r.number,
                is_occupied: held.contains(&r.number),
                out_of_service: r.out_of_service || blocked.contains(&r.number),
            })
            .collect())
    }
}

/// The rooms a one-parameter query lists.
async fn rooms_of<T: Tx>(tx: &mut T, sql: &str, night: Date) -> StoreResult<HashSet<u32>> {
    tx.query(sql, params![night])
        .await?
        .iter()
        .map(|r| r.u32("room"))
        .collect()
}

/// Rooms in service (ascending) and every (room, night) from `from` until before `to` on
/// which the room cannot be booked: held by a stay or out of service.
pub struct Occupancy {
    pub from: Date,
    pub to: Date,
}

impl Op for Occupancy {
    type Out = (Vec<u32>, Vec<(u32, Date)>);
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        let catalog = tx.catalog().await?;
        let mut numbers = Vec::with_capacity(catalog.rooms.len());
        let mut taken = Vec::new();
        for r in catalog.in_hotel() {
            numbers.push(r.number);
            if r.out_of_service {
                taken.extend(self.from.nights_until(self.to).map(|n| (r.number, n)));
            }
        }
        taken.extend(held_room_nights(tx, self.from, self.to).await?);
        for r in tx
            .query(
                "SELECT room, start_date, end_date FROM room_blocks WHERE start_date < $2 AND end_date > $1",
                params![self.from, self.to],
            )
            .await?
        {
            let (room, start, end) = (r.u32("room")?, r.date("start_date")?, r.date("end_date")?);
            taken.extend(
                start
                    .max(self.from)
                    .nights_until(end.min(self.to))
                    .map(|n| (room, n)),
            );
        }
        Ok((numbers, taken))
    }
}

/// Rooms that can be sold for a stay to `guests` people each, by number.
pub struct FreeRooms {
    pub from: Date,
    pub to: Date,
    pub guests: u32,
}

impl Op for FreeRooms {
    type Out = Vec<u32>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<u32>> {
        Ok(
            sellable_rooms(tx, self.from, self.to, self.guests, None, None)
                .await?
                .into_iter()
                .map(|s| s.number)
                .collect(),
        )
    }
}

/// What each room type (or one) has left to sell each night from `from` until before `to`,
/// and why a night cannot be sold: no room left, or the base plan closed that night.
pub struct TypeNights {
    pub from: Date,
    pub to: Date,
    pub room_type: Option<i64>,
}

impl Op for TypeNights {
    type Out = Availability;
    const WRITES: bool = false;
    const LARGE: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Availability> {
        let catalog = tx.catalog().await?;
        if let Some(t) = self.room_type
            && !catalog.types.iter().any(|ty| ty.id == t)
        {
            return Err(DomainError::UnknownRoomType(t).into());
        }
        let (_, taken) = Occupancy {
            from: self.from,
            to: self.to,
        }
        .run(tx)
        .await?;
        let book = rate_book(tx, self.from, Some(self.to), self.room_type).await?;
        let taken: HashSet<(u32, Date)> = taken.into_iter().collect();
        let nights: Vec<Date> = self.from.nights_until(self.to).collect();
        let mut room_types = Vec::new();
        for ty in catalog
            .types
            .iter()
            .filter(|ty| self.room_type.is_none_or(|t| t == ty.id))
        {
            let rooms: Vec<u32> = catalog
                .in_hotel()
                .filter(|r| r.type_id == Some(ty.id))
                .map(|r| r.number)
                .collect();
            let base = catalog.base_plan(ty.id);
            let nights = nights
                .iter()
                .map(|&date| {
                    let left = rooms
                        .iter()
                        .filter(|r| !taken.contains(&(**r, date)))
                        .count();
                    let available = u32::try_from(left).unwrap_or(u32::MAX);
                    let stopped = base.is_some_and(|p| book.of(p).restrictions(date).closed);
                    let closed = if available == 0 {
                        Some("sold_out".to_string())
                    } else if stopped {
                        Some("closed".to_string())
                    } else {
                        None
                    };
                    NightAvailability {
                        date,
                        available,
                        closed,
                    }
                })
                .collect();
            room_types.push(TypeAvailability {
                room_type_id: ty.id,
                room_type: ty.name.clone(),
                rooms: u32::try_from(rooms.len()).unwrap_or(u32::MAX),
                nights,
            });
        }
        Ok(Availability {
            from: self.from,
            to: self.to,
            room_types,
        })
    }
}
