//! Moving a stay to another room: a guest their own, the desk any; the nights from the move on
//! priced at the new type's prices unless the desk keeps the booked ones.

use hotel_shared::{AuditAction, MessageKind};
use hotel_shared::{Booking, BookingStatus, Date};

use super::bookings::{active, changed};
use super::housekeeping::mark_dirty;
use super::limits::charge;
use super::mail::{Details, enqueue};
use super::rate_book::rate_book;
use super::{Actor, StoredBooking, booking_by_id, room_refusal};
use crate::domain::DomainError;
use crate::domain::bookings::amounts;
use crate::domain::bookings::{Requester, is_live, movable_from};
use crate::domain::limits::{GUEST_CHANGES_WINDOW_SECS, MAX_GUEST_CHANGES};
use crate::domain::rates::prices_text;
use crate::domain::stay::days_between;
use crate::store::sql::{Op, Tx, params, query_opt};
use crate::store::{MoveOutcome, MoveTarget, StoreResult};

/// The counter of a guest's own changes to each booking.
const GUEST_CHANGES_SCOPE: &str = "booking_changes";

/// Moves a stay to another room free for the rest of its nights: a guest their own stay, the
/// front desk any stay.
pub struct Move {
    pub actor: Actor,
    pub by: Requester,
    pub target: MoveTarget,
    pub new_room: u32,
    pub today: Date,
    /// The desk keeps the booked rate in a room of another type (an upgrade on the house);
    /// otherwise the nights from the move on are charged at the new type's rate.
    pub complimentary: bool,
}

impl Op for Move {
    type Out = MoveOutcome;
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<MoveOutcome> {
        let (new_room, today) = (self.new_room, self.today);
        let exists = query_opt(
            tx,
            "SELECT 1 FROM rooms WHERE number = $1 AND NOT retired",
            params![new_room],
        )
        .await?;
        if exists.is_none() {
            return Err(DomainError::InvalidRoom.into());
        }
        let owner = match self.by {
            Requester::Guest(user_id) => Some(user_id),
            Requester::Desk => None,
        };
        let current = match owner {
            Some(user_id) => active(tx, user_id, today).await?,
            None => Vec::new(),
        };
        let before = self.stay(tx, owner, &current).await?;
        let from = movable_from(&before, today);
        if before.room_number == new_room {
            return Ok(MoveOutcome::AlreadyHeld { booking: before });
        }
        tx.lock_nights(from, before.check_out).await?;
        if let Some(held) = self.held_already(tx, owner, current, &before, from).await? {
            return Ok(held);
        }
        if let Some(refusal) =
            room_refusal(tx, new_room, from, before.check_out, before.guests).await?
        {
            return Err(refusal.into());
        }
        if owner.is_some() {
            count_guest_change(tx, before.id).await?;
        }
        tx.execute(
            "UPDATE room_nights SET room = $1 WHERE booking_id = $2 AND night >= $3",
            params![new_room, before.id, from],
        )
        .await?;
        let acquired = tx.next_acquired().await?;
        let (prices, action) = self.reprice(tx, &before, from).await?;
        let first = prices.first().copied().unwrap_or(before.rate);
        tx.execute(
            "UPDATE bookings SET room = $1, acquired = $2, rate = $3, prices = $4 WHERE id = $5",
            params![new_room, acquired, first, prices_text(&prices), before.id],
        )
        .await?;
        if before.status == BookingStatus::CheckedIn || from > before.check_in {
            // Someone slept in the room left behind.
            mark_dirty(tx, &self.actor, before.room_number).await?;
        }
        // The room's type may differ: read the booking back as it now is.
        let now = booking_by_id(tx, before.id).await?;
        let after = changed(tx, &self.actor, action, &before, now.booking).await?;
        enqueue(
            tx,
            MessageKind::Change,
            now.user_id,
            &[&after],
            &Details::default(),
        )
        .await?;
        Ok(MoveOutcome::Moved {
            released: before.room_number,
            booking: after,
        })
    }
}

impl Move {
    /// The stay to move: a guest's own by target (`current` holds their live stays), or any
    /// live stay for the desk.
    async fn stay<T: Tx>(
        &self,
        tx: &mut T,
        owner: Option<i64>,
        current: &[StoredBooking],
    ) -> StoreResult<Booking> {
        let chosen = match (owner, self.target) {
            (Some(_), MoveTarget::FirstAcquired) => current
                .first()
                .cloned()
                .ok_or(DomainError::NoBookingToUpdate)?,
            (Some(_), MoveTarget::Booking(id)) => current
                .iter()
                .find(|b| b.booking.id == id)
                .cloned()
                .ok_or(DomainError::BookingNotFound(id))?,
            (None, MoveTarget::Booking(id)) => {
                let b = booking_by_id(tx, id).await?;
                if !is_live(&b.booking, self.today) {
                    return Err(DomainError::BookingNotActive(id).into());
                }
                b
            }
            (None, MoveTarget::FirstAcquired) => return Err(DomainError::NoBookingToUpdate.into()),
        };
        Ok(chosen.booking)
    }

    /// When the new room is held on those nights: by the guest's own stay, that stay (the
    /// original protocol answers it as done); by anyone else's, `RoomOccupied`.
    async fn held_already<T: Tx>(
        &self,
        tx: &mut T,
        owner: Option<i64>,
        current: Vec<StoredBooking>,
        before: &Booking,
        from: Date,
    ) -> StoreResult<Option<MoveOutcome>> {
        let holders = tx
            .query(
                "SELECT DISTINCT b.user_id, b.id FROM room_nights n JOIN bookings b ON b.id = n.booking_id \
                 WHERE n.room = $1 AND n.night >= $2 AND n.night < $3",
                params![self.new_room, from, before.check_out],
            )
            .await?;
        for holder in &holders {
            if Some(holder.int("user_id")?) == owner {
                let own = holder.int("id")?;
                let booking = current
                    .into_iter()
                    .find(|b| b.booking.id == own)
                    .map_or_else(|| before.clone(), |b| b.booking);
                return Ok(Some(MoveOutcome::AlreadyHeld { booking }));
            }
        }
        if holders.is_empty() {
            Ok(None)
        } else {
            Err(DomainError::RoomOccupied(self.new_room).into())
        }
    }

    /// The stay's night prices after the move, and how the audit log names it: nights from the
    /// move on cost the new type's prices (its base plan) unless the desk keeps the booked
    /// ones; nights already slept keep theirs.
    async fn reprice<T: Tx>(
        &self,
        tx: &mut T,
        before: &Booking,
        from: Date,
    ) -> StoreResult<(Vec<i64>, AuditAction)> {
        let types = tx
            .query(
                "SELECT r.number, r.type_id, t.rate FROM rooms r JOIN room_types t ON t.id = r.type_id \
                 WHERE r.number = $1 OR r.number = $2",
                params![before.room_number, self.new_room],
            )
            .await?;
        let mut old_type = None;
        let mut new_type = None;
        for row in &types {
            let kind = (row.int("type_id")?, row.int("rate")?);
            if row.u32("number")? == self.new_room {
                new_type = Some(kind);
            } else {
                old_type = Some(kind);
            }
        }
        let other_type = match (old_type, new_type) {
            (Some((old, _)), Some((new, rate))) if old != new => Some((new, rate)),
            _ => None,
        };
        let action = if other_type.is_some() && self.complimentary {
            AuditAction::BookingMoveComplimentary
        } else {
            AuditAction::BookingMove
        };
        let mut prices = amounts(before);
        if let Some((new_type, new_rate)) = other_type.filter(|_| !self.complimentary) {
            let catalog = tx.catalog().await?;
            let plan = catalog
                .base_plan(new_type)
                .ok_or(DomainError::UnknownRoomType(new_type))?;
            let book = rate_book(tx, from, Some(before.check_out), Some(new_type)).await?;
            let fresh = catalog.guest_prices(
                plan,
                before.guests,
                from,
                book.prices(plan, new_rate, from, before.check_out),
            );
            let offset = usize::try_from(days_between(before.check_in, from)).unwrap_or(0);
            for (night, (i, amount)) in from
                .nights_until(before.check_out)
                .zip(fresh.iter().enumerate())
            {
                if let Some(slot) = prices.get_mut(offset + i) {
                    *slot = *amount;
                }
                tx.execute(
                    "UPDATE room_nights SET amount = $1 WHERE booking_id = $2 AND night = $3",
                    params![*amount, before.id, night],
                )
                .await?;
            }
        }
        Ok((prices, action))
    }
}

/// Counts a guest's own change of a booking: each move is an audit entry nobody can delete,
/// so a guest makes only so many a day.
async fn count_guest_change<T: Tx>(tx: &mut T, booking_id: i64) -> StoreResult<()> {
    let (moves, wait_secs) = charge(
        tx,
        GUEST_CHANGES_SCOPE,
        &booking_id.to_string(),
        GUEST_CHANGES_WINDOW_SECS,
        jiff::Timestamp::now().as_second(),
        1,
    )
    .await?;
    if moves > i64::from(MAX_GUEST_CHANGES) {
        return Err(DomainError::TooManyChanges {
            limit: MAX_GUEST_CHANGES,
            wait_secs,
        }
        .into());
    }
    Ok(())
}
