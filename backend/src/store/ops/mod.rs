//! Every hotel operation on stored data, written once for both engines (see `sql.rs`).
//! Rules that need no data (what is a valid name, who may do what) live in `domain`.

pub mod accounts;
pub mod api_keys;
pub mod audit;
pub mod bookings;
pub mod cancel;
pub mod catalog;
pub mod changes;
pub mod channels;
pub mod corrections;
pub mod desk;
pub mod events;
pub mod extras;
pub mod folio;
pub mod guests;
pub mod hotel;
pub mod housekeeping;
pub mod idempotency;
pub mod invoices;
pub mod limits;
pub mod mail;
pub mod messages;
pub mod moves;
pub mod occupancy;
pub mod passwords;
pub mod people;
pub mod previews;
pub mod privacy;
pub mod published;
pub mod rate_book;
pub mod rates;
pub mod reads;
pub mod reminders;
pub mod reservations;
pub mod resets;
pub mod restore;
pub mod rooms;
pub mod taxes;
pub mod templates;
pub mod verification;
pub mod webhooks;

use hotel_shared::{AuditAction, Booking, BookingStatus, Date};
use jiff::Timestamp;
use serde::Serialize;

use super::sql::{SqlRow, Tx, Value, params, query_opt};
use super::{StoreError, StoreResult};
use crate::domain::DomainError;
use crate::domain::bookings::stay_prices;
use crate::domain::rates::{night_prices, parse_prices};
use hotel_shared::rates::Terms;
pub(crate) use occupancy::unavailable;

/// Who made a change, as the audit log names them.
#[derive(Debug, Clone)]
pub struct Actor(pub String);

impl Actor {
    /// Changes made with `hotel-server` on the command line.
    pub fn command_line() -> Actor {
        Actor("hotel-server".into())
    }
}

/// The columns `booking_from` reads.
pub(crate) const BOOKING_SELECT: &str = "SELECT b.id, b.room, b.check_in, b.check_out, b.status, \
     b.checked_in_at, b.no_show, b.guests, b.rate, b.adjustment, b.reference, u.username, COALESCE(t.name, '') AS room_type, b.user_id, \
     u.full_name AS guest_name, b.prices, b.rate_plan_id, b.terms_json, b.updated_at, \
     b.channel, b.external_reference \
     FROM bookings b JOIN users u ON u.id = b.user_id JOIN rooms r ON r.number = b.room \
     LEFT JOIN room_types t ON t.id = r.type_id";

/// A booking and the account it belongs to.
#[derive(Debug, Clone)]
pub struct StoredBooking {
    pub booking: Booking,
    pub user_id: i64,
}

/// Unix seconds as RFC 3339 (UTC).
pub(crate) fn seconds_text(secs: i64) -> String {
    jiff::Timestamp::from_second(secs).map_or_else(|_| String::new(), |t| t.to_string())
}

/// Unix milliseconds as RFC 3339 (UTC), always with three decimals, so that the texts sort
/// as the times do (`…:33.890Z` before `…:33.894Z`).
pub(crate) fn millis_text(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map_or_else(
        |_| String::new(),
        |t| t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    )
}

#[cfg(test)]
mod millis_tests {
    #[test]
    fn times_to_the_millisecond_sort_as_text() {
        assert_eq!(
            super::millis_text(1_796_651_733_890),
            "2026-12-07T13:55:33.890Z"
        );
        assert_eq!(
            super::millis_text(1_796_651_733_000),
            "2026-12-07T13:55:33.000Z"
        );
        assert!(super::millis_text(1_796_651_733_890) < super::millis_text(1_796_651_733_894));
    }
}

pub(crate) fn booking_from(row: &SqlRow, currency: &str) -> StoreResult<StoredBooking> {
    let status_text = row.text("status")?;
    let checked_in = row.opt_text("checked_in_at")?.is_some();
    let status = match BookingStatus::parse(&status_text) {
        Some(BookingStatus::Booked) if checked_in => BookingStatus::CheckedIn,
        Some(BookingStatus::Cancelled) if row.bool("no_show")? => BookingStatus::NoShow,
        Some(status) => status,
        None => {
            return Err(StoreError::Database(format!(
                "unknown booking status {status_text:?}"
            )));
        }
    };
    let check_in = row.date("check_in")?;
    let check_out = row.date("check_out")?;
    let stored = row.opt_text("prices")?;
    let prices = stay_prices(
        check_in,
        check_out,
        row.int("rate")?,
        stored.as_deref().and_then(parse_prices).as_deref(),
    );
    let nights = u32::try_from(prices.len()).unwrap_or(u32::MAX);
    let rate = prices.first().copied().unwrap_or(row.int("rate")?);
    let total = prices
        .iter()
        .sum::<i64>()
        .saturating_add(row.int("adjustment")?);
    let booked = row
        .opt_text("terms_json")?
        .map(|t| serde_json::from_str::<BookedTerms>(&t))
        .transpose()
        .map_err(|e| StoreError::Database(format!("booking terms: {e}")))?;
    let (rate_plan, terms) = match booked {
        Some(b) => (Some(b.plan), Some(b.terms)),
        None => (None, None),
    };
    Ok(StoredBooking {
        booking: Booking {
            id: row.int("id")?,
            room_number: row.u32("room")?,
            check_in,
            check_out,
            nights,
            status,
            guest: row.text("username")?,
            guest_name: row.opt_text("guest_name")?,
            guests: row.u32("guests")?,
            room_type: row.text("room_type")?,
            rate,
            total,
            night_prices: night_prices(check_in, &prices),
            rate_plan_id: row.opt_int("rate_plan_id")?,
            cancel_fee: None,
            rate_plan,
            terms,
            currency: currency.to_string(),
            reference: row.text("reference")?,
            updated_at: row.opt_int("updated_at")?.map(millis_text),
            channel: row.opt_text("channel")?,
            external_reference: row.opt_text("external_reference")?,
        },
        user_id: row.int("user_id")?,
    })
}

pub(crate) async fn bookings_where<T: Tx>(
    tx: &mut T,
    condition: &str,
    params: Vec<Value>,
) -> StoreResult<Vec<StoredBooking>> {
    let sql = format!("{BOOKING_SELECT} WHERE {condition}");
    let currency = tx.currency().to_string();
    tx.query(&sql, params)
        .await?
        .iter()
        .map(|r| booking_from(r, &currency))
        .collect()
}

pub(crate) async fn booking_by_id<T: Tx>(tx: &mut T, id: i64) -> StoreResult<StoredBooking> {
    bookings_where(tx, "b.id = $1", params![id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| DomainError::BookingNotFound(id).into())
}

/// Writes one entry of the audit log and the event that announces the change, in the same
/// transaction as the change: a change that commits is recorded and announced, one that rolls
/// back leaves neither. The event is read with the entry: the object after the change (before
/// it, for a removal).
pub(crate) async fn audit<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    action: AuditAction,
    entity: &str,
    entity_id: impl ToString,
    before: Option<&impl Serialize>,
    after: Option<&impl Serialize>,
) -> StoreResult<()> {
    let (before, after) = (to_json(before)?, to_json(after)?);
    let id = tx
        .insert_id(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, before_json, after_json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            params![
                Timestamp::now().to_string(),
                &actor.0,
                action.as_str(),
                entity,
                entity_id.to_string(),
                before,
                after
            ],
        )
        .await?;
    idempotency::claim_in(tx).await?;
    events::record(tx, id).await
}

fn to_json(value: Option<&impl Serialize>) -> StoreResult<Option<String>> {
    value
        .map(|v| serde_json::to_string(v).map_err(|e| StoreError::Database(e.to_string())))
        .transpose()
}

/// A room that can be sold, with its type's name and nightly rate.
#[derive(Debug, Clone)]
pub(crate) struct Sellable {
    pub number: u32,
    pub type_id: i64,
    pub rate: i64,
    pub room_type: String,
}

/// Rooms that may be sold for every night of `from..to` to `guests` people per room,
/// ascending; at most `limit` of them.
pub(crate) async fn sellable_rooms<T: Tx>(
    tx: &mut T,
    from: Date,
    to: Date,
    guests: u32,
    room_type: Option<i64>,
    limit: Option<u32>,
) -> StoreResult<Vec<Sellable>> {
    let catalog = tx.catalog().await?;
    let taken = unavailable(tx, from, to).await?;
    Ok(taken
        .free_among(&catalog.rooms)
        .filter(|r| {
            !r.retired
                && !r.out_of_service
                && r.type_id.is_some()
                && r.capacity >= guests
                && room_type.is_none_or(|t| r.type_id == Some(t))
        })
        .take(limit.map_or(usize::MAX, |l| l as usize))
        .map(|r| Sellable {
            number: r.number,
            type_id: r.type_id.unwrap_or_default(),
            rate: r.rate,
            room_type: r.room_type.clone(),
        })
        .collect())
}

/// The plan's name and terms as a booking keeps them.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub(crate) struct BookedTerms {
    pub plan: String,
    pub terms: Terms,
}

/// Why `room` cannot take a stay of `from..to` for `guests` people (other stays aside).
pub(crate) async fn room_refusal<T: Tx>(
    tx: &mut T,
    room: u32,
    from: Date,
    to: Date,
    guests: u32,
) -> StoreResult<Option<DomainError>> {
    let Some(row) = query_opt(
        tx,
        "SELECT r.retired, r.out_of_service, t.capacity FROM rooms r \
         JOIN room_types t ON t.id = r.type_id WHERE r.number = $1",
        params![room],
    )
    .await?
    else {
        return Ok(Some(DomainError::InvalidRoom));
    };
    if row.bool("retired")? {
        return Ok(Some(DomainError::InvalidRoom));
    }
    if row.opt_text("out_of_service")?.is_some() {
        return Ok(Some(DomainError::RoomOutOfService(room)));
    }
    let capacity = row.u32("capacity")?;
    if capacity < guests {
        return Ok(Some(DomainError::RoomTooSmall { room, capacity }));
    }
    let blocked = query_opt(
        tx,
        "SELECT 1 FROM room_blocks WHERE room = $1 AND start_date < $3 AND end_date > $2",
        params![room, from, to],
    )
    .await?;
    if blocked.is_some() {
        return Ok(Some(DomainError::RoomOutOfService(room)));
    }
    Ok(None)
}
