//! Questions about the hotel that change nothing.

use hotel_shared::staff::{
    BillFigures, NotOffered, QuoteOption, Room, RoomBlock, RoomType, RoomTypeFigures,
};
use std::collections::HashSet;

use hotel_shared::{Booking, BookingStatus, Date, RoomStatus};

use super::occupancy::held_room_nights;
use super::rate_book::cached_rate_book;
use super::{bookings_where, sellable_rooms, unavailable};
use crate::domain::rates::{Deadline, deadline, night_prices, stay_terms_by};
use crate::domain::report::ReportFacts;
use crate::store::StoreResult;
use crate::store::sql::{Op, SqlRow, Tx, Value, params};

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

/// What a stay costs in each room type that sleeps `guests` on each of its plans, and how
/// many rooms of each type are free; the offers the restrictions close, and why.
pub struct Quote {
    pub from: Date,
    pub to: Date,
    pub guests: u32,
    pub today: Date,
    pub now: jiff::Timestamp,
    pub tz: jiff::tz::TimeZone,
    /// Hidden plans too, and no restrictions (the desk).
    pub all_plans: bool,
}

impl Op for Quote {
    type Out = (String, Vec<QuoteOption>, Vec<NotOffered>);
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        let catalog = tx.catalog().await?;
        let taken = unavailable(tx, self.from, self.to).await?;
        // Free rooms as (type, number): what sellable_rooms finds, without naming each room.
        let free: Vec<(i64, u32)> = catalog
            .in_hotel()
            .filter(|r| !r.out_of_service && r.capacity >= self.guests && !taken.contains(r.number))
            .filter_map(|r| Some((r.type_id?, r.number)))
            .collect();
        let types = catalog
            .types
            .iter()
            .filter(|t| !t.retired && t.capacity >= self.guests);
        let book = cached_rate_book(tx, self.today, self.from, self.to).await?;
        let currency = tx.currency().to_string();
        let mut options = Vec::new();
        let mut not_offered = Vec::new();
        // Plans mostly share their terms: each distinct deadline is worked out once.
        let mut deadlines: Vec<(hotel_shared::rates::Terms, Option<Deadline>)> = Vec::new();
        for t in types {
            let id = t.id;
            let rooms: Vec<u32> = free
                .iter()
                .filter(|(t, _)| *t == id)
                .map(|(_, n)| *n)
                .collect();
            let available = u32::try_from(rooms.len()).unwrap_or(u32::MAX);
            let (mut rooms, mut first) = (rooms, true);
            let rate = t.rate;
            for plan in catalog.plans_of(id).filter(|p| p.visible || self.all_plans) {
                let rates = book.of(plan);
                if !self.all_plans
                    && let Some(why) = rates.refusal(self.from, self.to, self.today)
                {
                    not_offered.push(NotOffered {
                        room_type_id: id,
                        rate_plan_id: plan.id,
                        code: why.code().to_string(),
                        message: why.message(),
                    });
                    continue;
                }
                let prices = rates.prices(rate, self.from, self.to);
                let known = deadlines.iter().find(|(t, _)| {
                    t.refundable == plan.terms.refundable
                        && t.free_until_days == plan.terms.free_until_days
                        && t.free_until_time == plan.terms.free_until_time
                });
                let deadline = match known {
                    Some((_, d)) => d.clone(),
                    None => {
                        let d = deadline(&plan.terms, self.from, &self.tz, self.now);
                        deadlines.push((plan.terms.clone(), d.clone()));
                        d
                    }
                };
                options.push(QuoteOption {
                    room_type_id: id,
                    room_type: t.name.clone(),
                    description: t.description.clone(),
                    capacity: t.capacity,
                    rate_plan_id: plan.id,
                    rate_plan: plan.name.clone(),
                    base: plan.base,
                    rate: prices.first().copied().unwrap_or(rate),
                    total: prices.iter().sum(),
                    nights: night_prices(self.from, &prices),
                    currency: currency.clone(),
                    terms: stay_terms_by(&plan.terms, &prices, deadline, &currency),
                    available,
                    // The type's free rooms once, on its first offer: the same for every plan.
                    rooms: if first {
                        std::mem::take(&mut rooms)
                    } else {
                        Vec::new()
                    },
                });
                first = false;
            }
        }
        Ok((currency, options, not_offered))
    }
}

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

/// Sign-ins that have neither ended nor expired at `now` (Unix seconds).
pub struct LiveSessions {
    pub now: i64,
}

impl Op for LiveSessions {
    type Out = u64;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<u64> {
        match tx
            .query(
                "SELECT COUNT(*) AS sessions FROM sessions WHERE expires_at > $1",
                params![self.now],
            )
            .await?
            .first()
        {
            Some(row) => Ok(u64::try_from(row.int("sessions")?).unwrap_or(0)),
            None => Ok(0),
        }
    }
}

/// What the staff search bookings by; every field narrows the result.
#[derive(Debug, Clone, Default)]
pub struct BookingFilter {
    /// Part of the guest's username, any case.
    pub guest: Option<String>,
    pub user_id: Option<i64>,
    pub room: Option<u32>,
    /// Stays with at least one night on or after this day…
    pub from: Option<Date>,
    /// …and before this one.
    pub to: Option<Date>,
    pub status: Option<BookingStatus>,
    /// The booking reference, normalised.
    pub reference: Option<String>,
    /// Only stays neither cancelled nor checked out.
    pub active: bool,
    /// Only stays after this one in the list's order (arrival day, then id): the key of the
    /// last stay of the page before.
    pub after: Option<(Date, i64)>,
    pub limit: u32,
}

pub struct SearchBookings(pub BookingFilter);

impl Op for SearchBookings {
    type Out = Vec<Booking>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Booking>> {
        let f = &self.0;
        let mut conditions: Vec<String> = vec!["1 = 1".into()];
        let mut values: Vec<Value> = Vec::new();
        let mut push = |condition: &str, value: Value| {
            values.push(value);
            conditions.push(condition.replace('?', &format!("${}", values.len())));
        };
        if let Some(guest) = &f.guest {
            let pattern = format!("%{}%", guest.to_lowercase().replace(['%', '_', '\\'], ""));
            push(
                "(LOWER(u.username) LIKE ? OR LOWER(COALESCE(u.full_name, '')) LIKE ?)",
                pattern.into(),
            );
        }
        if let Some(user_id) = f.user_id {
            push("b.user_id = ?", user_id.into());
        }
        if let Some(reference) = &f.reference {
            push("b.reference = ?", reference.clone().into());
        }
        if let Some(room) = f.room {
            push("b.room = ?", room.into());
        }
        if let Some(from) = f.from {
            push("b.check_out > ?", from.into());
        }
        if let Some(to) = f.to {
            push("b.check_in < ?", to.into());
        }
        match f.status {
            Some(BookingStatus::CheckedIn) => {
                conditions.push("b.status = 'booked' AND b.checked_in_at IS NOT NULL".into());
            }
            Some(BookingStatus::Booked) => {
                conditions.push("b.status = 'booked' AND b.checked_in_at IS NULL".into());
            }
            Some(BookingStatus::Cancelled) => {
                conditions.push("b.status = 'cancelled' AND NOT b.no_show".into());
            }
            Some(BookingStatus::NoShow) => {
                conditions.push("b.status = 'cancelled' AND b.no_show".into());
            }
            Some(other) => push("b.status = ?", other.as_str().into()),
            None => {}
        }
        if f.active {
            conditions.push("b.status = 'booked'".into());
        }
        if let Some((check_in, id)) = f.after {
            values.push(check_in.into());
            values.push(id.into());
            let (day, id) = (values.len() - 1, values.len());
            conditions.push(format!(
                "(b.check_in > ${day} OR (b.check_in = ${day} AND b.id > ${id}))"
            ));
        }
        let condition = format!(
            // A stable order whose keys never change: a move changes the room, not these.
            "{} ORDER BY b.check_in, b.id LIMIT {}",
            conditions.join(" AND "),
            f.limit.max(1)
        );
        Ok(bookings_where(tx, &condition, values)
            .await?
            .into_iter()
            .map(|b| b.booking)
            .collect())
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
    })
}

pub(crate) async fn room_type<T: Tx>(tx: &mut T, id: i64) -> StoreResult<Option<RoomType>> {
    let currency = tx.currency().to_string();
    tx.query(
        "SELECT id, name, description, capacity, rate, retired FROM room_types WHERE id = $1",
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
            "SELECT id, name, description, capacity, rate, retired FROM room_types ORDER BY retired, rate, id",
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
            "SELECT id, room, start_date, end_date, reason FROM room_blocks \
             WHERE end_date > $1 ORDER BY start_date, room",
            params![self.since],
        )
        .await?
        .iter()
        .map(block_from)
        .collect()
    }
}

/// The raw material of a report for nights `from..to`.
pub struct ReportData {
    pub from: Date,
    pub to: Date,
}

impl Op for ReportData {
    type Out = ReportFacts;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<ReportFacts> {
        let rooms_in_service = match tx
            .query(
                "SELECT COUNT(*) AS rooms FROM rooms WHERE NOT retired AND out_of_service IS NULL",
                params![],
            )
            .await?
            .first()
        {
            Some(r) => r.u32("rooms")?,
            None => 0,
        };
        // Summed by the database: a year of a 200-room hotel is 73,000 room-nights. Read room
        // by room through the primary key (room, night): there is no index by night
        // (migration 0014), and CROSS JOIN keeps SQLite's outer loop on the rooms.
        let sold = tx
            .query(
                "SELECT n.night, COUNT(*) AS sold, CAST(SUM(n.amount) AS BIGINT) AS revenue \
                 FROM rooms r CROSS JOIN room_nights n \
                 WHERE n.room = r.number AND n.night >= $1 AND n.night < $2 GROUP BY n.night",
                params![self.from, self.to],
            )
            .await?
            .iter()
            .map(|r| Ok((r.date("night")?, r.u32("sold")?, r.int("revenue")?)))
            .collect::<StoreResult<Vec<_>>>()?;
        let blocks = tx
            .query(
                "SELECT k.room, k.start_date, k.end_date FROM room_blocks k JOIN rooms r ON r.number = k.room \
                 WHERE NOT r.retired AND r.out_of_service IS NULL AND k.start_date < $2 AND k.end_date > $1",
                params![self.from, self.to],
            )
            .await?
            .iter()
            .map(|r| Ok((r.u32("room")?, r.date("start_date")?, r.date("end_date")?)))
            .collect::<StoreResult<Vec<_>>>()?;
        let by_room_type = tx
            .query(
                "SELECT COALESCE(t.name, '') AS room_type, COUNT(*) AS sold, \
                 CAST(SUM(n.amount) AS BIGINT) AS revenue \
                 FROM rooms r CROSS JOIN room_nights n LEFT JOIN room_types t ON t.id = r.type_id \
                 WHERE n.room = r.number AND n.night >= $1 AND n.night < $2 \
                 GROUP BY t.name ORDER BY t.name",
                params![self.from, self.to],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(RoomTypeFigures {
                    room_type: r.text("room_type")?,
                    sold: r.u32("sold")?,
                    revenue: r.int("revenue")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let mut bills = BillFigures::default();
        for r in tx
            .query(
                "SELECT kind, fee IS NOT NULL AS fee, CAST(SUM(amount) AS BIGINT) AS total \
                 FROM postings WHERE posted_on >= $1 AND posted_on < $2 GROUP BY kind, fee IS NOT NULL",
                params![self.from, self.to],
            )
            .await?
        {
            let total = r.int("total")?;
            match r.text("kind")?.as_str() {
                "charge" if r.bool("fee")? => bills.fees += total,
                "charge" => bills.extras += total,
                "discount" => bills.discounts += total,
                "payment" => bills.payments += total,
                "refund" => bills.payments -= total,
                _ => {}
            }
        }
        Ok(ReportFacts {
            currency: tx.currency().to_string(),
            rooms_in_service,
            sold,
            blocks,
            by_room_type,
            bills,
        })
    }
}
