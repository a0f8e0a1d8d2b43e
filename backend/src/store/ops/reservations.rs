//! A booking as the guest knows it: every room booked together, under one reference.

use hotel_shared::{Booking, MessageKind};

use super::cancel::cancel_one;
use super::mail::{Details, enqueue};
use super::{Actor, StoredBooking, booking_by_id, bookings_where};
use crate::domain::DomainError;
use crate::domain::bookings::CancelTime;
use crate::domain::bookings::{Requester, may_cancel};
use crate::store::StoreResult;
use crate::store::sql::{Op, Tx, params};

/// The rooms booked under `reference`, by room number; only `owner`'s when given. Unknown
/// and someone else's answer alike: nothing.
pub struct ReservationRooms {
    pub reference: String,
    pub owner: Option<i64>,
}

impl Op for ReservationRooms {
    type Out = Vec<Booking>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Booking>> {
        let found = match self.owner {
            Some(owner) => {
                bookings_where(
                    tx,
                    "b.reference = $1 AND b.user_id = $2 ORDER BY b.room, b.id",
                    params![&self.reference, owner],
                )
                .await?
            }
            None => {
                bookings_where(
                    tx,
                    "b.reference = $1 ORDER BY b.room, b.id",
                    params![&self.reference],
                )
                .await?
            }
        };
        Ok(found.into_iter().map(|b| b.booking).collect())
    }
}

/// Cancels every room of the booking that room-booking `id` belongs to, all or none: each
/// must be one `may_cancel` allows (rooms already cancelled are left as they are).
pub struct CancelReservation {
    pub actor: Actor,
    pub by: Requester,
    pub id: i64,
    pub at: CancelTime,
}

impl Op for CancelReservation {
    /// The rooms cancelled, and the fees charged for them together.
    type Out = (Vec<Booking>, i64);
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<(Vec<Booking>, i64)> {
        let first = booking_by_id(tx, self.id).await?;
        may_cancel(&first.booking, first.user_id, self.by, self.at.today)?;
        let rooms: Vec<StoredBooking> = bookings_where(
            tx,
            "b.reference = $1 AND b.user_id = $2 AND b.status = 'booked' ORDER BY b.room, b.id",
            params![&first.booking.reference, first.user_id],
        )
        .await?;
        let mut cancelled = Vec::with_capacity(rooms.len());
        let mut fees = 0i64;
        for room in rooms {
            may_cancel(&room.booking, room.user_id, self.by, self.at.today)?;
            let (booking, fee) = cancel_one(tx, &self.actor, room.booking, &self.at).await?;
            fees = fees.saturating_add(fee);
            cancelled.push(booking);
        }
        if cancelled.is_empty() {
            return Err(DomainError::BookingNotActive(self.id).into());
        }
        let rooms: Vec<&Booking> = cancelled.iter().collect();
        let details = Details {
            fee: Some(fees),
            ..Details::default()
        };
        enqueue(
            tx,
            MessageKind::Cancellation,
            first.user_id,
            &rooms,
            &details,
        )
        .await?;
        Ok((cancelled, fees))
    }
}
