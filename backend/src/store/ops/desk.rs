//! The desk's steps in a stay: booking for a guest at the desk, handing over the key and
//! taking it back.

use hotel_shared::AuditAction;
use hotel_shared::guests::GuestInput;
use hotel_shared::housekeeping::RoomCondition;
use hotel_shared::{Booking, BookingStatus, Date, money};
use jiff::Timestamp;

use super::bookings::{BookingRequest, book, changed, end_stay};
use super::folio::{bill_of, issue, post, post_fee};
use super::guests::{add_guest, guest_by_id};
use super::housekeeping::room_condition;
use super::people::create_account;
use super::taxes::{city_tax_rule, tax_book};
use super::{Actor, booking_by_id, bookings_where};
use crate::domain::DomainError;
use crate::domain::accounts::{NO_PASSWORD, Role};
use crate::domain::bookings::amounts;
use crate::domain::bookings::{may_check_in, may_check_out, may_no_show};
use crate::domain::city_tax::city_tax_postings;
use crate::domain::rates::fee;
use crate::store::StoreResult;
use crate::store::sql::{Op, Tx, params, query_opt};

/// A booking made at the desk, for a guest the hotel knows, a new one (added in the same
/// transaction, so a booking that fails adds nobody), or a username. A guest without an
/// account gets one without a password: it holds their bookings, and nobody can sign in with
/// it.
pub struct WalkIn {
    pub actor: Actor,
    pub guest: WalkInGuest,
    pub request: BookingRequest,
    /// Hand over the key at once (`today` must be the arrival day).
    pub check_in_now: Option<Date>,
}

/// Whom a desk booking is for.
pub enum WalkInGuest {
    /// A guest profile.
    Profile(i64),
    /// An account by username, made without a password when there is none.
    Username(String),
    /// A new guest profile (see `AddGuest`); `tail` makes its account's username unique.
    New { input: GuestInput, tail: String },
}

impl Op for WalkIn {
    type Out = Vec<Booking>;
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Booking>> {
        let (user_id, username, name) = match &self.guest {
            WalkInGuest::Profile(id) => {
                let (guest, user_id) = guest_by_id(tx, *id).await?;
                (user_id, guest.username, Some(guest.full_name))
            }
            WalkInGuest::Username(name) => {
                let existing = query_opt(
                    tx,
                    "SELECT id FROM users WHERE username = $1",
                    params![name],
                )
                .await?;
                let id = match existing {
                    Some(row) => row.int("id")?,
                    None => {
                        create_account(tx, Some(&self.actor), name, NO_PASSWORD, Role::Guest)
                            .await?
                            .id
                    }
                };
                (id, name.clone(), None)
            }
            WalkInGuest::New { input, tail } => {
                let guest = add_guest(tx, &self.actor, input, tail).await?;
                let (_, user_id) = guest_by_id(tx, guest.id).await?;
                (user_id, guest.username, Some(guest.full_name))
            }
        };
        let mut booked = book(tx, &self.actor, user_id, &username, &self.request).await?;
        for b in &mut booked {
            b.guest_name.clone_from(&name);
        }
        match self.check_in_now {
            Some(today) => {
                let mut keys = Vec::with_capacity(booked.len());
                for b in &booked {
                    let none = CheckInOverrides::default();
                    keys.push(check_in(tx, &self.actor, b.id, today, none, 0).await?);
                }
                Ok(keys)
            }
            None => Ok(booked),
        }
    }
}

/// The desk checks one stay out (also one whose guest never formally checked in).
pub struct DeskCheckOut {
    pub actor: Actor,
    pub id: i64,
    pub today: Date,
    /// Let the guest go with money still owed; otherwise an open balance refuses.
    pub leave_balance_open: bool,
    /// Whom the invoice is made out to, if not the guest at their address (checked).
    pub invoice_to: Option<hotel_shared::folio::InvoiceRecipient>,
}

impl Op for DeskCheckOut {
    type Out = Booking;
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Booking> {
        let b = booking_by_id(tx, self.id).await?.booking;
        may_check_out(&b, self.today)?;
        let after = end_stay(tx, &self.actor, &b, self.today).await?;
        // The bill as it stands after the nights not stayed were released.
        let bill = bill_of(tx, &after).await?;
        if bill.balance > 0 && !self.leave_balance_open {
            return Err(DomainError::BalanceOpen {
                id: after.id,
                balance: money::format(bill.balance, &bill.currency),
            }
            .into());
        }
        // A stay that cost something leaves with its invoice.
        if bill.charges > 0 {
            issue(
                tx,
                &self.actor,
                &after,
                self.today,
                self.invoice_to.as_ref(),
            )
            .await?;
        }
        Ok(after)
    }
}

/// Hands the guest the key: from the arrival day until the last night.
pub struct CheckIn {
    pub actor: Actor,
    pub id: i64,
    pub today: Date,
    pub overrides: CheckInOverrides,
    /// Children of the party young enough to pay no city tax.
    pub city_tax_exempt: u32,
}

/// What the desk lets pass at a check-in, each written to the audit log.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckInOverrides {
    /// The guest takes the room although it is still dirty.
    pub housekeeping: bool,
    /// The guest gets the key although a guest due out of the room has not checked out.
    pub occupied: bool,
}

impl Op for CheckIn {
    type Out = Booking;
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Booking> {
        check_in(
            tx,
            &self.actor,
            self.id,
            self.today,
            self.overrides,
            self.city_tax_exempt,
        )
        .await
    }
}

/// Hands the guest of booking `id` the key (refused in a dirty room unless `override_`), and
/// posts the hotel's city tax on the bill: once, as a stay is checked in once.
pub(crate) async fn check_in<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    id: i64,
    today: Date,
    overrides: CheckInOverrides,
    city_tax_exempt: u32,
) -> StoreResult<Booking> {
    let before = booking_by_id(tx, id).await?.booking;
    may_check_in(&before, today)?;
    // A stay that ended on paper but whose guest has not checked out still holds the room:
    // its nights are free for sale, its guest is not gone.
    let staying = query_opt(
        tx,
        "SELECT b.id, COALESCE(u.full_name, u.username) AS guest FROM bookings b \
         JOIN users u ON u.id = b.user_id WHERE b.room = $1 AND b.status = 'booked' \
         AND b.checked_in_at IS NOT NULL AND b.id <> $2",
        params![before.room_number, before.id],
    )
    .await?;
    if let Some(other) = &staying
        && !overrides.occupied
    {
        return Err(DomainError::RoomNotVacated {
            room: before.room_number,
            guest: other.text("guest")?,
            booking: other.int("id")?,
        }
        .into());
    }
    let ready = room_condition(tx, before.room_number)
        .await?
        .is_none_or(RoomCondition::is_ready);
    if !ready && !overrides.housekeeping {
        return Err(DomainError::RoomNotClean(before.room_number).into());
    }
    tx.execute(
        "UPDATE bookings SET checked_in_at = $1 WHERE id = $2 AND status = 'booked' AND checked_in_at IS NULL",
        params![Timestamp::now().to_string(), before.id],
    )
    .await?;
    if let Some(rule) = city_tax_rule(tx).await? {
        let room_rate = tax_book(tx, &before).await?.room_rate;
        let lines = city_tax_postings(
            &rule,
            before.guests,
            city_tax_exempt,
            &amounts(&before),
            room_rate,
        )?;
        for line in &lines {
            post(tx, actor, before.id, today, line).await?;
        }
    }
    let now = Booking {
        status: BookingStatus::CheckedIn,
        ..before.clone()
    };
    let action = if staying.is_some() {
        AuditAction::BookingCheckInRoomOccupied
    } else if ready {
        AuditAction::BookingCheckIn
    } else {
        AuditAction::BookingCheckInRoomNotClean
    };
    changed(tx, actor, action, &before, now).await
}

/// The guest never came: the nights from today on are released, the stay is remembered as a
/// no-show (nights already passed stay on its bill).
pub struct NoShow {
    pub actor: Actor,
    pub id: i64,
    pub today: Date,
}

impl Op for NoShow {
    /// The booking and the no-show fee charged.
    type Out = (Booking, i64);
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<(Booking, i64)> {
        let before = booking_by_id(tx, self.id).await?.booking;
        may_no_show(&before, self.today)?;
        tx.execute(
            "DELETE FROM room_nights WHERE booking_id = $1 AND night >= $2",
            params![before.id, self.today],
        )
        .await?;
        tx.execute(
            "UPDATE bookings SET status = 'cancelled', no_show = TRUE WHERE id = $1",
            params![before.id],
        )
        .await?;
        let now = Booking {
            status: BookingStatus::NoShow,
            ..before.clone()
        };
        let after = changed(tx, &self.actor, AuditAction::BookingNoShow, &before, now).await?;
        // Booked on terms: the fee replaces the nights that passed (they earned nothing).
        let fee = match &before.terms {
            Some(terms) => {
                tx.execute(
                    "UPDATE room_nights SET amount = 0 WHERE booking_id = $1",
                    params![before.id],
                )
                .await?;
                fee(terms.no_show_fee, &amounts(&before))
            }
            None => 0,
        };
        if fee > 0 {
            let plan = before.rate_plan.as_deref().unwrap_or("booked rate");
            post_fee(
                tx,
                &self.actor,
                before.id,
                self.today,
                "no_show",
                format!("No-show fee ({plan})"),
                fee,
            )
            .await?;
        }
        Ok((after, fee))
    }
}

/// What the board of `day` is made of: stays holding a room last night or tonight (arrivals,
/// departures, guests staying on), found through the nights' index, and every stay checked in
/// (through the in-house index), so the board costs the same whatever the hotel's history.
pub struct DeskDay {
    pub day: Date,
}

impl Op for DeskDay {
    type Out = (Vec<Booking>, Vec<Booking>);
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        let before = self.day.checked_add_days(-1).unwrap_or(self.day);
        // Room by room through the primary key of room_nights (there is no index by night).
        let around = bookings_where(
            tx,
            "b.id IN (SELECT n.booking_id FROM rooms r CROSS JOIN room_nights n \
             WHERE n.room = r.number AND n.night >= $1 AND n.night <= $2) \
             ORDER BY b.check_in, b.id",
            params![before, self.day],
        )
        .await?;
        let in_house = bookings_where(
            tx,
            "b.status = 'booked' AND b.checked_in_at IS NOT NULL ORDER BY b.check_in, b.id",
            params![],
        )
        .await?;
        let plain = |list: Vec<super::StoredBooking>| list.into_iter().map(|b| b.booking).collect();
        Ok((plain(around), plain(in_house)))
    }
}
