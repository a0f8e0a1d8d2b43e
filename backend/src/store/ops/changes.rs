//! Changing a booking's dates, party, room type or rate plan in one step: the booking keeps
//! its id and reference (what the guest and the booking site quote), its nights are held
//! anew and priced again, and the change is one audit entry and one `booking.changed` event.

use hotel_shared::{AuditAction, Booking, BookingStatus, Date, MessageKind};

use super::bookings::{changed, hold_nights, still_sold};
use super::mail::{Details, enqueue};
use super::rate_book::rate_book;
use super::rates::plan_mismatch;
use super::{Actor, BookedTerms, booking_by_id, sellable_rooms};
use crate::domain::DomainError;
use crate::domain::bookings::is_live;
use crate::domain::changes::{BookingChange, changed_prices};
use crate::domain::rates::prices_text;
use crate::domain::stay::{Stay, days_between};
use crate::store::catalog::{Catalog, CatalogPlan};
use crate::store::sql::{Op, Tx, params};
use crate::store::{StoreError, StoreResult};

/// Changes one booking (one room of it) as `change` asks, all or nothing.
pub struct ChangeBooking {
    pub actor: Actor,
    pub id: i64,
    pub change: BookingChange,
    pub today: Date,
}

/// A booking before and after its change.
#[derive(Debug, Clone)]
pub struct BookingChangeOutcome {
    pub before: Booking,
    pub after: Booking,
}

impl Op for ChangeBooking {
    type Out = BookingChangeOutcome;
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<BookingChangeOutcome> {
        let stored = booking_by_id(tx, self.id).await?;
        let before = stored.booking;
        if !is_live(&before, self.today) {
            return Err(DomainError::BookingNotActive(self.id).into());
        }
        let in_house = before.status == BookingStatus::CheckedIn;
        let catalog = tx.catalog().await?;
        let room = catalog
            .rooms
            .iter()
            .find(|r| r.number == before.room_number)
            .ok_or(DomainError::InvalidRoom)?;
        let old_type = room.type_id.ok_or(DomainError::InvalidRoom)?;
        let stay = self.new_stay(&before, in_house)?;
        let (new_type, plan) = self.new_terms(tx, &catalog, &before, old_type).await?;
        // Asked for, not merely different: a stay booked before plans has none to keep.
        let new_terms = new_type != old_type
            || self
                .change
                .rate_plan
                .is_some_and(|p| Some(p) != before.rate_plan_id);
        if in_house && new_terms {
            return Err(DomainError::ChangeAfterArrival {
                id: self.id,
                what: "its room type and rate plan stay as booked (move it to another room instead)",
            }
            .into());
        }
        if new_type != old_type {
            still_sold(tx, new_type).await?;
        }
        let guests = self.change.guests.unwrap_or(before.guests);
        let same_stay = stay.check_in == before.check_in && stay.check_out == before.check_out;
        let same_terms = !new_terms;

        // The stay's own nights are free to it: let them go first, so that it may keep any.
        tx.lock_nights(stay.check_in.max(self.today), stay.check_out)
            .await?;
        tx.execute(
            "DELETE FROM room_nights WHERE booking_id = $1",
            params![self.id],
        )
        .await?;
        let book = rate_book(tx, stay.check_in, Some(stay.check_out), Some(new_type)).await?;
        let restricted = if in_house || (same_stay && same_terms) {
            // Only new dates or new terms are held to the calendar; a guest already in the
            // house is the desk's to keep.
            None
        } else {
            book.refusal(&plan, stay.check_in, stay.check_out, self.today)
        };
        let action = match restricted {
            Some(why) if !self.change.override_restrictions => return Err(why.into()),
            Some(_) => AuditAction::BookingChangeDespiteRestriction,
            None => AuditAction::BookingChange,
        };
        let free = sellable_rooms(
            tx,
            stay.check_in.max(self.today),
            stay.check_out,
            guests,
            Some(new_type),
            None,
        )
        .await?;
        // The booked room if it can take the new stay, so a guest keeps the room they were
        // told; otherwise (not for a guest in the house) the lowest free room of the type.
        let chosen = match free.iter().find(|s| s.number == before.room_number) {
            Some(same) => same,
            None if in_house => return Err(DomainError::RoomOccupied(before.room_number).into()),
            None => free.first().ok_or(DomainError::NoRoomsAvailable)?,
        };
        let nights = usize::try_from(days_between(stay.check_in, stay.check_out)).unwrap_or(0);
        let prices = match self.change.nightly_price {
            Some(agreed) => vec![agreed; nights],
            None => {
                let fresh = catalog.guest_prices(
                    &plan,
                    guests,
                    stay.check_in,
                    book.prices(&plan, chosen.rate, stay.check_in, stay.check_out),
                );
                changed_prices(
                    &before.night_prices,
                    same_terms,
                    stay.check_in,
                    stay.check_out,
                    &fresh,
                )
            }
        };
        hold_nights(tx, chosen.number, stay.check_in, &prices, self.id).await?;
        let first = prices.first().copied().unwrap_or(chosen.rate);
        tx.execute(
            "UPDATE bookings SET room = $1, check_in = $2, check_out = $3, guests = $4, rate = $5, \
             prices = $6 WHERE id = $7",
            params![
                chosen.number,
                stay.check_in,
                stay.check_out,
                guests,
                first,
                prices_text(&prices),
                self.id
            ],
        )
        .await?;
        if new_terms {
            // The terms (cancellation, no-show) are those of the plan now sold; a booking
            // that keeps its plan keeps the terms it was booked on.
            let terms = BookedTerms {
                plan: plan.name.clone(),
                terms: plan.terms.clone(),
            };
            let terms_text =
                serde_json::to_string(&terms).map_err(|e| StoreError::Database(e.to_string()))?;
            tx.execute(
                "UPDATE bookings SET rate_plan_id = $1, terms_json = $2 WHERE id = $3",
                params![plan.id, terms_text, self.id],
            )
            .await?;
        }
        if chosen.number != before.room_number {
            let acquired = tx.next_acquired().await?;
            tx.execute(
                "UPDATE bookings SET acquired = $1 WHERE id = $2",
                params![acquired, self.id],
            )
            .await?;
        }
        let now = booking_by_id(tx, self.id).await?;
        let after = changed(tx, &self.actor, action, &before, now.booking).await?;
        enqueue(
            tx,
            MessageKind::Change,
            now.user_id,
            &[&after],
            &Details::default(),
        )
        .await?;
        Ok(BookingChangeOutcome { before, after })
    }
}

impl ChangeBooking {
    /// The stay's new dates, held to the window every booking is: a stay checked in keeps
    /// its arrival day and ends after today.
    fn new_stay(&self, before: &Booking, in_house: bool) -> StoreResult<Stay> {
        let check_in = self.change.check_in.unwrap_or(before.check_in);
        let check_out = self.change.check_out.unwrap_or(before.check_out);
        if in_house {
            if check_in != before.check_in {
                return Err(DomainError::ChangeAfterArrival {
                    id: self.id,
                    what: "its arrival day stays as it was",
                }
                .into());
            }
            if check_out <= self.today {
                return Err(DomainError::BadChange(format!(
                    "check_out must be after today ({}); to end the stay today, check the guest out.",
                    self.today
                ))
                .into());
            }
            // Held to the stay's length from its arrival, not to today's window.
            return Stay::validate(check_in, check_out, check_in)
                .map_err(|e| DomainError::BadChange(e.message()).into());
        }
        Stay::validate(check_in, check_out, self.today)
            .map_err(|e| DomainError::BadChange(e.message()).into())
    }

    /// The room type and plan after the change: a plan named decides the type; a new type
    /// without a plan takes its base plan; otherwise the booked plan (its type's base plan
    /// if the booked one is gone).
    async fn new_terms<T: Tx>(
        &self,
        tx: &mut T,
        catalog: &Catalog,
        before: &Booking,
        old_type: i64,
    ) -> StoreResult<(i64, CatalogPlan)> {
        if let Some(id) = self.change.rate_plan {
            let plan = catalog
                .plan(id)
                .filter(|p| !p.retired)
                .ok_or(DomainError::RatePlanNotFound(id))?;
            if let Some(t) = self.change.room_type
                && t != plan.room_type_id
            {
                return Err(plan_mismatch(tx, id, t).await?.into());
            }
            return Ok((plan.room_type_id, plan.clone()));
        }
        let new_type = self.change.room_type.unwrap_or(old_type);
        let booked = before
            .rate_plan_id
            .and_then(|id| catalog.plan(id))
            .filter(|p| p.room_type_id == new_type);
        let plan = booked
            .or_else(|| catalog.base_plan(new_type))
            .ok_or(DomainError::UnknownRoomType(new_type))?;
        Ok((new_type, plan.clone()))
    }
}
