//! A booking's own page, `/bookings/{reference}`: the confirmation right after booking, and
//! the booking's details any time later.

use crate::nav::use_location;
use hotel_shared::{BookingStatus, Reservation, paths};
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::Search;
use crate::pages::book::Summary;
use crate::widgets::{LoadFailed, Loading, require_sign_in};

#[component]
pub fn ReservationPage() -> impl IntoView {
    let ctx = use_ctx();
    ctx.title(ctx.tr("Your booking", "Ihre Buchung"));
    let path = use_location().pathname.get_untracked();
    let reference = path.trim_start_matches("/bookings/").to_string();
    let asked = reference.clone();
    require_sign_in(path.clone());
    let found = Load::new(move || {
        let reference = asked.clone();
        async move { api::reservation(&reference).await }
    });
    view! {
        {move || match found.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! {
                <h1 tabindex="-1">{ctx.tr("Your booking", "Ihre Buchung")}</h1>
                <LoadFailed text=ctx.explain(&e) retry=Callback::new(move |_| found.refetch())/>
            }.into_any(),
            Some(Ok(r)) => view! { <Details reservation=r/> }.into_any(),
        }}
    }
}

#[component]
fn Details(reservation: Reservation) -> impl IntoView {
    let ctx = use_ctx();
    let live: Vec<_> = reservation
        .bookings
        .iter()
        .filter(|b| b.status != BookingStatus::Cancelled)
        .cloned()
        .collect();
    let heading = if live.is_empty() {
        ctx.tr("This booking is cancelled", "Diese Buchung ist storniert")
    } else {
        ctx.tr("Your booking is confirmed", "Ihre Buchung ist bestätigt")
    };
    let first = reservation.bookings.first().cloned();
    let search = first.as_ref().map(|b| Search {
        check_in: b.check_in,
        check_out: b.check_out,
        adults: live.iter().map(|b| b.guests).sum::<u32>().max(1),
        rooms: u32::try_from(live.len()).unwrap_or(1).max(1),
    });
    let hotel = ctx.hotel.get_untracked().map(|h| h.details);
    // Drawn once the booking has loaded: its heading is where the guest continues.
    crate::app::focus_first("main h1");
    let rooms: Vec<String> = live
        .iter()
        .map(|b| {
            format!(
                "{} {} · {}",
                ctx.tr("Room", "Zimmer"),
                b.room_number,
                b.room_type
            )
        })
        .collect();
    view! {
        <h1 tabindex="-1">{heading}</h1>
        <section class="card summary" aria-labelledby="reference-label">
            <p class="reference">
                <span id="reference-label">{ctx.tr("Booking reference", "Buchungsnummer")}</span>
                <strong id="reference">{reservation.reference.clone()}</strong>
            </p>
            {search.map(|s| view! { <Summary ctx=ctx search=s times=hotel.clone()/> })}
            <ul class="plain" aria-label=ctx.tr("Rooms", "Zimmer")>
                {rooms.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
            </ul>
            <p class="total-line">
                {ctx.tr("Total", "Gesamtpreis")} ": " <strong id="total">{ctx.price(reservation.total)}</strong>
            </p>
            <p id="taxes">{ctx.taxes(reservation.city_tax, reservation.city_tax_included)}</p>
            <p id="cancellation">{match (&reservation.terms, reservation.free_cancellation_until) {
                (Some(terms), _) => ctx.cancellation(terms),
                (None, Some(day)) => format!(
                    "{} {}.",
                    ctx.tr("Free cancellation online until", "Kostenlose Stornierung online bis"),
                    ctx.day(day)
                ),
                (None, None) => ctx.tr(
                    "This booking can no longer be cancelled online.",
                    "Diese Buchung kann online nicht mehr storniert werden.",
                ).to_string(),
            }}</p>
            <p class="actions">
                <a class="button secondary" href=paths::reservation_ics(&reservation.reference) download="booking.ics" rel="external">
                    {ctx.tr("Add to calendar", "Zum Kalender hinzufügen")}
                </a>
                <a href="/my-bookings">{ctx.tr("Change or cancel in My bookings", "Ändern oder stornieren unter Meine Buchungen")}</a>
            </p>
            {hotel.map(|h| view! {
                <p class="muted">{format!("{} · {} · {}", h.address, h.phone, h.email)}</p>
            })}
        </section>
    }
}
