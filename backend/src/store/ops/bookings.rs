//! Changes to bookings: by guests through the original protocol, and by staff at the desk.

use hotel_shared::folio::LineKind;
use hotel_shared::{AuditAction, MessageKind};
use hotel_shared::{Booking, BookingStatus, Date};
use jiff::Timestamp;

use super::folio::{keep_invoice_true, post};
use super::housekeeping::mark_dirty;
use super::limits::charge;
use super::mail::{Details, enqueue};
use super::rate_book::stay_rate_book;
use super::rates::plan_mismatch;
use super::{
    Actor, BookedTerms, Sellable, StoredBooking, audit, bookings_where, room_refusal,
    sellable_rooms,
};
use crate::domain::DomainError;
use crate::domain::bookings::{
    departure_on_check_out, early_departure, is_in_progress, with_dates,
};
use crate::domain::folio::NewPosting;
use crate::domain::limits::{ADDRESS_WINDOW_SECS, GuestLimits, address_room_nights};
use crate::domain::rates::{night_prices, prices_text};
use crate::domain::rooms::pick_lowest;
use crate::domain::stay::{Stay, days_between};
use crate::store::catalog::{Catalog, CatalogPlan};
use crate::store::sql::{Op, Tx, params, query_opt};
use crate::store::{StoreError, StoreResult};

pub use crate::domain::channels::ChannelSale;

/// What a new booking asks for.
#[derive(Debug, Clone)]
pub struct BookingRequest {
    pub rooms: u32,
    pub stay: Stay,
    /// People per room.
    pub guests: u32,
    pub room_type: Option<i64>,
    /// One particular room (desk bookings only).
    pub room: Option<u32>,
    /// The rate plan; each room's type's base plan otherwise.
    pub rate_plan: Option<i64>,
    /// Guests see only visible plans; the desk sells hidden ones too.
    pub by_guest: bool,
    /// The desk books although the calendar's restrictions close the stay (audited as
    /// `booking.create_despite_restriction`); everyone else is held to them.
    pub override_restrictions: bool,
    /// The hotel's day the booking is made (for the advance restrictions).
    pub today: Date,
    /// Queue the confirmation to the guest's e-mail address (the desk may leave it out).
    pub send_confirmation: bool,
    /// Who sold it, for bookings made through the API.
    pub sale: ChannelSale,
}

/// Books the lowest-numbered rooms that suit the request, all or nothing, at today's rates.
pub struct Book {
    pub actor: Actor,
    pub user_id: i64,
    /// The guest's username.
    pub guest: String,
    pub request: BookingRequest,
    /// What the guest may hold (`GuestLimits::OFF` for staff).
    pub limits: GuestLimits,
    /// The daily room-night budget of the client's address (guests only).
    pub address: Option<AddressBudget>,
}

/// Room-nights guests from one client address may book in a day, as a share of the hotel.
#[derive(Debug, Clone)]
pub struct AddressBudget {
    /// The client, as limits count it (`client_subject`).
    pub subject: String,
    pub share_percent: u32,
    /// Unix seconds.
    pub now: i64,
}

impl Op for Book {
    type Out = Vec<Booking>;
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Booking>> {
        let asked = self.limits.booking_size(
            self.request.rooms,
            days_between(self.request.stay.check_in, self.request.stay.check_out),
        )?;
        let open = self.limits.open_room_nights;
        if open > 0 {
            // In the booking's own transaction, and one booking of the guest at a time on
            // every instance: what it counts is what it adds to.
            tx.lock_guest(self.user_id).await?;
            let held = query_opt(
                tx,
                "SELECT COUNT(*) AS held FROM room_nights n JOIN bookings b ON b.id = n.booking_id \
                 WHERE b.user_id = $1 AND b.status = 'booked'",
                params![self.user_id],
            )
            .await?
            .map_or(Ok(0), |r| r.int("held"))?
            .unsigned_abs();
            if held.saturating_add(asked) > u64::from(open) {
                return Err(DomainError::GuestLimitReached { limit: open, held }.into());
            }
        }
        if let Some(budget) = &self.address {
            charge_address(tx, budget, asked, open).await?;
        }
        book(tx, &self.actor, self.user_id, &self.guest, &self.request).await
    }
}

/// Adds a booking's room-nights to its address's count of the day, in the booking's own
/// transaction (a refused booking counts nothing); refused past the hotel's share.
async fn charge_address<T: Tx>(
    tx: &mut T,
    budget: &AddressBudget,
    asked: u64,
    floor: u32,
) -> StoreResult<()> {
    if budget.share_percent == 0 {
        return Ok(());
    }
    let rooms = tx.catalog().await?.in_hotel().count();
    let limit = address_room_nights(rooms, budget.share_percent, floor);
    let asked = i64::try_from(asked).unwrap_or(i64::MAX);
    let (total, wait_secs) = charge(
        tx,
        ADDRESS_SCOPE,
        &budget.subject,
        ADDRESS_WINDOW_SECS,
        budget.now,
        asked,
    )
    .await?;
    if total.unsigned_abs() > limit {
        return Err(DomainError::AddressLimitReached { limit, wait_secs }.into());
    }
    Ok(())
}

/// The counter of room-nights booked per client address.
const ADDRESS_SCOPE: &str = "room_nights_address";

/// Books `request` for account `user_id` (`guest`): picks the rooms, prices each night from
/// the calendar, holds the nights and writes each room's booking and its audit entry.
pub(super) async fn book<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    user_id: i64,
    guest: &str,
    request: &BookingRequest,
) -> StoreResult<Vec<Booking>> {
    let Stay {
        check_in,
        check_out,
    } = request.stay;
    tx.lock_nights(check_in, check_out).await?;
    // Before the rooms: the sale's first booking holds them, and saying so is the answer.
    super::reads::not_sold_before(tx, &request.sale).await?;
    let catalog = tx.catalog().await?;
    let chosen_plan = chosen_plan(tx, &catalog, request).await?;
    let room_type = request
        .room_type
        .or(chosen_plan.as_ref().map(|p| p.room_type_id));
    if let Some(room_type) = room_type {
        still_sold(tx, room_type).await?;
    }
    let book = stay_rate_book(tx, &catalog, request.today, check_in, check_out, room_type).await?;
    // The plan each type's rooms are sold on.
    let plan_of = |type_id: i64| -> Option<&CatalogPlan> {
        match &chosen_plan {
            Some(p) => Some(p),
            None => catalog.base_plan(type_id),
        }
    };
    let refusal = |type_id: i64| -> Option<DomainError> {
        plan_of(type_id).and_then(|p| book.refusal(p, check_in, check_out, request.today))
    };
    let picked = match request.room {
        Some(room) => {
            let room = the_room(tx, request, chosen_plan.as_ref(), room).await?;
            match refusal(room.type_id) {
                Some(why) if !request.override_restrictions => return Err(why.into()),
                _ => vec![room],
            }
        }
        None => {
            let refused =
                |type_id: i64| refusal(type_id).filter(|_| !request.override_restrictions);
            lowest_rooms(tx, &catalog, request, room_type, refused).await?
        }
    };
    let new = NewBookings {
        user_id,
        guest,
        request,
        created_at: Timestamp::now(),
        // One reference for every room of this booking; chosen per attempt, so a retried
        // transaction simply picks another.
        reference: crate::domain::bookings::new_reference().map_err(StoreError::Database)?,
    };
    let mut booked = Vec::with_capacity(picked.len());
    for room in picked {
        let plan = plan_of(room.type_id).ok_or(DomainError::UnknownRoomType(room.type_id))?;
        let prices = match request.sale.nightly_price {
            Some(agreed) => {
                vec![agreed; usize::try_from(days_between(check_in, check_out)).unwrap_or(0)]
            }
            None => catalog.guest_prices(
                plan,
                request.guests,
                check_in,
                book.prices(plan, room.rate, check_in, check_out),
            ),
        };
        // Without the override a restriction has refused already; only then is it asked.
        let action = if request.override_restrictions && refusal(room.type_id).is_some() {
            AuditAction::BookingCreateDespiteRestriction
        } else {
            AuditAction::BookingCreate
        };
        booked.push(new.write(tx, actor, action, room, plan, prices).await?);
    }
    if request.send_confirmation {
        let rooms: Vec<&Booking> = booked.iter().collect();
        enqueue(
            tx,
            MessageKind::Confirmation,
            user_id,
            &rooms,
            &Details::default(),
        )
        .await?;
    }
    Ok(booked)
}

/// The plan the request names, if it names one a guest (or the desk) may book.
async fn chosen_plan<T: Tx>(
    tx: &mut T,
    catalog: &Catalog,
    request: &BookingRequest,
) -> StoreResult<Option<CatalogPlan>> {
    let Some(id) = request.rate_plan else {
        return Ok(None);
    };
    let plan = catalog
        .plan(id)
        .filter(|p| !p.retired && (p.visible || !request.by_guest))
        .ok_or(DomainError::RatePlanNotFound(id))?;
    if let Some(t) = request.room_type
        && t != plan.room_type_id
    {
        return Err(plan_mismatch(tx, id, t).await?.into());
    }
    Ok(Some(plan.clone()))
}

/// Refuses a room type that is retired or unknown.
pub(super) async fn still_sold<T: Tx>(tx: &mut T, room_type: i64) -> StoreResult<()> {
    let sold = query_opt(
        tx,
        "SELECT 1 FROM room_types WHERE id = $1 AND NOT retired",
        params![room_type],
    )
    .await?;
    match sold {
        Some(_) => Ok(()),
        None => Err(DomainError::UnknownRoomType(room_type).into()),
    }
}

/// The one room the desk asked for, if it can take the stay.
async fn the_room<T: Tx>(
    tx: &mut T,
    request: &BookingRequest,
    chosen_plan: Option<&CatalogPlan>,
    room: u32,
) -> StoreResult<Sellable> {
    let Stay {
        check_in,
        check_out,
    } = request.stay;
    if let Some(refusal) = room_refusal(tx, room, check_in, check_out, request.guests).await? {
        return Err(refusal.into());
    }
    let taken = query_opt(
        tx,
        "SELECT 1 FROM room_nights WHERE room = $1 AND night >= $2 AND night < $3",
        params![room, check_in, check_out],
    )
    .await?;
    if taken.is_some() {
        return Err(DomainError::RoomOccupied(room).into());
    }
    let kind = query_opt(
        tx,
        "SELECT t.rate, t.name, t.id AS type_id FROM rooms r JOIN room_types t ON t.id = r.type_id WHERE r.number = $1",
        params![room],
    )
    .await?
    .ok_or(DomainError::InvalidRoom)?;
    let type_id = kind.int("type_id")?;
    if let Some(plan) = chosen_plan
        && plan.room_type_id != type_id
    {
        return Err(plan_mismatch(tx, plan.id, type_id).await?.into());
    }
    Ok(Sellable {
        number: room,
        type_id,
        rate: kind.int("rate")?,
        room_type: kind.text("name")?,
    })
}

/// The lowest-numbered free rooms that suit the request, of the types `refused` lets sell;
/// when none is left because of a restriction, that restriction is the answer.
async fn lowest_rooms<T: Tx>(
    tx: &mut T,
    catalog: &Catalog,
    request: &BookingRequest,
    room_type: Option<i64>,
    refused: impl Fn(i64) -> Option<DomainError>,
) -> StoreResult<Vec<Sellable>> {
    let mut first_refusal = None;
    let mut allowed = Vec::new();
    for t in catalog
        .in_hotel()
        .filter_map(|r| r.type_id)
        .filter(|t| room_type.is_none_or(|wanted| wanted == *t))
    {
        if allowed.contains(&t) {
            continue;
        }
        match refused(t) {
            Some(why) => {
                first_refusal.get_or_insert(why);
            }
            None => allowed.push(t),
        }
    }
    // Only when a type is closed must the search see past the lowest rooms.
    let limit = first_refusal.is_none().then_some(request.rooms);
    let Stay {
        check_in,
        check_out,
    } = request.stay;
    let free: Vec<Sellable> =
        sellable_rooms(tx, check_in, check_out, request.guests, room_type, limit)
            .await?
            .into_iter()
            .filter(|s| allowed.contains(&s.type_id))
            .take(request.rooms as usize)
            .collect();
    if free.is_empty()
        && let Some(why) = first_refusal
    {
        return Err(why.into());
    }
    let numbers: Vec<u32> = free.iter().map(|s| s.number).collect();
    pick_lowest(&numbers, request.rooms)?;
    Ok(free)
}

/// What every room of one booking shares.
struct NewBookings<'a> {
    user_id: i64,
    guest: &'a str,
    request: &'a BookingRequest,
    created_at: Timestamp,
    reference: String,
}

impl NewBookings<'_> {
    /// Writes one room's booking at `prices` on `plan`, holds its nights and audits it.
    async fn write<T: Tx>(
        &self,
        tx: &mut T,
        actor: &Actor,
        action: AuditAction,
        room: Sellable,
        plan: &CatalogPlan,
        prices: Vec<i64>,
    ) -> StoreResult<Booking> {
        let Stay {
            check_in,
            check_out,
        } = self.request.stay;
        let first = prices.first().copied().unwrap_or(room.rate);
        let terms = BookedTerms {
            plan: plan.name.clone(),
            terms: plan.terms.clone(),
        };
        let terms_text =
            serde_json::to_string(&terms).map_err(|e| StoreError::Database(e.to_string()))?;
        let acquired = tx.next_acquired().await?;
        let id = tx.insert_id(
            "INSERT INTO bookings (user_id, room, check_in, check_out, status, acquired, created_at, guests, rate, reference, rate_plan_id, prices, terms_json, updated_at, channel, external_reference) \
             VALUES ($1, $2, $3, $4, 'booked', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            params![self.user_id, room.number, check_in, check_out, acquired, self.created_at, self.request.guests, first, &self.reference, plan.id, prices_text(&prices), terms_text, self.created_at.as_millisecond(), self.request.sale.channel.clone(), self.request.sale.external_reference.clone()],
        )
        .await?;
        hold_nights(tx, room.number, check_in, &prices, id).await?;
        let booking = Booking {
            id,
            room_number: room.number,
            check_in,
            check_out,
            nights: u32::try_from(prices.len()).unwrap_or(u32::MAX),
            status: BookingStatus::Booked,
            guest: self.guest.to_string(),
            // Read back with the booking when asked; the booking path does not look it up.
            guest_name: None,
            guests: self.request.guests,
            room_type: room.room_type,
            rate: first,
            total: prices.iter().sum(),
            night_prices: night_prices(check_in, &prices),
            rate_plan_id: Some(plan.id),
            cancel_fee: None,
            rate_plan: Some(terms.plan),
            terms: Some(terms.terms),
            currency: tx.currency().to_string(),
            reference: self.reference.clone(),
            updated_at: Some(super::millis_text(self.created_at.as_millisecond())),
            channel: self.request.sale.channel.clone(),
            external_reference: self.request.sale.external_reference.clone(),
        };
        audit(
            tx,
            actor,
            action,
            "booking",
            id,
            None::<&Booking>,
            Some(&booking),
        )
        .await?;
        Ok(booking)
    }
}

/// One row per night, with what the room earns that night: the primary key refuses a second
/// stay in the room on any of them.
pub(super) async fn hold_nights<T: Tx>(
    tx: &mut T,
    room: u32,
    from: Date,
    prices: &[i64],
    booking_id: i64,
) -> StoreResult<()> {
    let mut values = Vec::with_capacity(prices.len() * 4);
    let nights = (0i64..).map_while(|i| from.checked_add_days(i));
    for (night, amount) in nights.zip(prices) {
        values.extend(params![room, night, booking_id, *amount]);
    }
    if !values.is_empty() {
        tx.insert_rows(
            "INSERT INTO room_nights (room, night, booking_id, amount)",
            4,
            values,
        )
        .await?;
    }
    Ok(())
}

/// Current and upcoming stays of a guest, in the order their rooms were acquired.
pub struct ActiveBookings {
    pub user_id: i64,
    pub today: Date,
}

impl Op for ActiveBookings {
    type Out = Vec<Booking>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Booking>> {
        Ok(active(tx, self.user_id, self.today)
            .await?
            .into_iter()
            .map(|b| b.booking)
            .collect())
    }
}

pub(super) async fn active<T: Tx>(
    tx: &mut T,
    user_id: i64,
    today: Date,
) -> StoreResult<Vec<StoredBooking>> {
    bookings_where(
        tx,
        "b.user_id = $1 AND b.status = 'booked' AND b.check_out > $2 ORDER BY b.acquired",
        params![user_id, today],
    )
    .await
}

/// Writes a change of a booking to the audit log and returns the booking as it is now.
pub(super) async fn changed<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    action: AuditAction,
    before: &Booking,
    after: Booking,
) -> StoreResult<Booking> {
    keep_invoice_true(tx, &after).await?;
    audit(
        tx,
        actor,
        action,
        "booking",
        before.id,
        Some(before),
        Some(&after),
    )
    .await?;
    Ok(after)
}

/// Ends a stay in progress: nights from `today` are released, and a stay cut short records
/// the day the guest actually left.
pub(super) async fn end_stay<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    before: &Booking,
    today: Date,
) -> StoreResult<Booking> {
    tx.execute(
        "DELETE FROM room_nights WHERE booking_id = $1 AND night >= $2",
        params![before.id, today],
    )
    .await?;
    let check_out = departure_on_check_out(before, today);
    tx.execute(
        "UPDATE bookings SET status = 'checked_out', check_out = $2 WHERE id = $1",
        params![before.id, check_out],
    )
    .await?;
    let now = Booking {
        status: BookingStatus::CheckedOut,
        ..with_dates(before, before.check_in, check_out)
    };
    let after = changed(tx, actor, AuditAction::BookingCheckOut, before, now).await?;
    mark_dirty(tx, actor, before.room_number).await?;
    if let Some(words) = early_departure(before, today) {
        let note = NewPosting {
            kind: LineKind::Note,
            description: words,
            quantity: 1,
            amount: 0,
            extra_id: None,
            method: None,
            tax_rate_id: None,
            category: None,
            words: None,
        };
        post(tx, actor, before.id, today, &note).await?;
    }
    Ok(after)
}

/// The original protocol's `/checkout`: a guest ends every one of their stays in progress.
pub struct GuestCheckout {
    pub actor: Actor,
    pub user_id: i64,
    pub today: Date,
}

impl Op for GuestCheckout {
    type Out = Vec<Booking>;
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Booking>> {
        let in_progress: Vec<Booking> = active(tx, self.user_id, self.today)
            .await?
            .into_iter()
            .map(|b| b.booking)
            .filter(|b| is_in_progress(b, self.today))
            .collect();
        if in_progress.is_empty() {
            return Err(DomainError::NoBookedRooms.into());
        }
        let mut done = Vec::with_capacity(in_progress.len());
        for b in &in_progress {
            done.push(end_stay(tx, &self.actor, b, self.today).await?);
        }
        Ok(done)
    }
}
