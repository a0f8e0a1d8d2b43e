//! Bookings found by what the desk searches for.

use hotel_shared::{Booking, BookingStatus, Date};

use crate::domain::DomainError;
use crate::domain::channels::ChannelSale;
use crate::store::StoreResult;
use crate::store::ops::bookings_where;
use crate::store::sql::{Op, Tx, Value, params, query_opt};

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
    /// Sold through this channel, under that site's reference.
    pub channel: Option<String>,
    pub external_reference: Option<String>,
    /// Changed at or after this moment (unix milliseconds).
    pub updated_since: Option<i64>,
    /// Only stays neither cancelled nor checked out.
    pub active: bool,
    /// Only stays after this one in the list's order (arrival day, then id): the key of the
    /// last stay of the page before.
    pub after: Option<(Date, i64)>,
    pub limit: u32,
}

pub struct SearchBookings(pub BookingFilter);

/// One booking by id, whoever holds it.
pub struct BookingById(pub i64);

impl Op for BookingById {
    type Out = Booking;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Booking> {
        crate::store::ops::booking_by_id(tx, self.0)
            .await
            .map(|stored| stored.booking)
    }
}

/// `SearchBookings` for a calendar feed: up to a year of the hotel's stays at once.
pub struct FeedBookings(pub BookingFilter);

impl Op for FeedBookings {
    type Out = Vec<Booking>;
    const WRITES: bool = false;
    const LARGE: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Booking>> {
        SearchBookings(self.0.clone()).run(tx).await
    }
}

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
        if let Some(channel) = &f.channel {
            push("b.channel = ?", channel.clone().into());
        }
        if let Some(reference) = &f.external_reference {
            push("b.external_reference = ?", reference.clone().into());
        }
        if let Some(since) = f.updated_since {
            push("b.updated_at >= ?", since.into());
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

/// Refuses a sale whose channel and reference a standing booking has already: a booking site
/// that sends a booking twice books once. (A unique index stands behind this, for two at
/// once.)
pub(crate) async fn not_sold_before<T: Tx>(tx: &mut T, sale: &ChannelSale) -> StoreResult<()> {
    let (Some(channel), Some(reference)) = (&sale.channel, &sale.external_reference) else {
        return Ok(());
    };
    let standing = query_opt(
        tx,
        "SELECT id FROM bookings WHERE channel = $1 AND external_reference = $2 \
         AND status <> 'cancelled'",
        params![channel, reference],
    )
    .await?;
    match standing {
        Some(row) => Err(DomainError::ExternalReferenceExists {
            channel: channel.clone(),
            reference: reference.clone(),
            booking: row.int("id")?,
        }
        .into()),
        None => Ok(()),
    }
}
