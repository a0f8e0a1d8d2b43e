//! A booking made at the desk for a guest in front of it (or on the telephone): the guest
//! found among the hotel's guests or added (the desk is told of a likely duplicate), the
//! price shown before booking, and the key handed over at once.

mod guest;
mod stay;

use hotel_shared::Date;
use hotel_shared::guests::{Guest, GuestInput};
use hotel_shared::staff::WalkInInput;
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::logic::add_days;
use crate::widgets::{Outcome, Task, report};
use guest::{NewGuest, WhoStays};
use stay::TheStay;

#[component]
pub fn WalkIn(today: Date, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let chosen: RwSignal<Option<Guest>> = RwSignal::new(None);
    let new_guest = NewGuest::new();
    let check_out = RwSignal::new(add_days(today, 1));
    let guests = RwSignal::new(1u32);
    // The room type and rate plan chosen (`None`: the cheapest free room on its base plan).
    let room_type = RwSignal::new(None::<(i64, i64)>);
    // The rates calendar's refusal in the server's words, until the clerk overrides it.
    let restricted = RwSignal::new(None::<String>);
    let override_restrictions = RwSignal::new(false);
    let send_confirmation = RwSignal::new(true);
    // Where the confirmation goes: the chosen guest's address, or the one being typed.
    let address = move || match chosen.get() {
        Some(g) => g.email,
        None => new_guest.email.get().trim().to_string(),
    };
    let task = Task::new();
    let book = move |check_in_now: bool| {
        outcome.set(None);
        new_guest.duplicate.set(None);
        let overriding =
            restricted.get_untracked().is_some() && override_restrictions.get_untracked();
        let existing = chosen.get_untracked();
        let typed = GuestInput {
            full_name: new_guest.name.get_untracked(),
            email: new_guest.email.get_untracked(),
            phone: new_guest.phone.get_untracked(),
            language: new_guest.language.get_untracked(),
            allow_duplicate: new_guest.allow_duplicate.get_untracked(),
            ..GuestInput::default()
        };
        let who = existing
            .as_ref()
            .map_or_else(|| typed.full_name.clone(), |g| g.full_name.clone());
        // A new guest is added by the booking itself: if no room is free, nobody is added.
        let request = WalkInInput {
            guest_id: existing.as_ref().map(|g| g.id),
            guest: String::new(),
            new_guest: existing.is_none().then_some(typed),
            check_in_now,
            check_in: Some(today),
            check_out: Some(check_out.get_untracked()),
            guests: Some(guests.get_untracked()),
            room_number: None,
            room_type_id: room_type.get_untracked().map(|(t, _)| t),
            rate_plan_id: room_type.get_untracked().map(|(_, p)| p),
            override_restrictions: overriding,
            send_confirmation: send_confirmation.get_untracked(),
            channel: None,
            external_reference: None,
            nightly_price: None,
        };
        restricted.set(None);
        override_restrictions.set(false);
        task.start(async move {
            let booked = api::walk_in(&request).await;
            if let Err(e) = &booked
                && e.code() == hotel_shared::ErrorCode::PossibleDuplicate
            {
                new_guest.duplicate.set(Some(e.to_string()));
                return;
            }
            if let Err(e) = &booked
                && e.code().is_restriction()
            {
                restricted.set(Some(e.to_string()));
                return;
            }
            let done = booked.is_ok();
            report(ctx, outcome, booked, |b| {
                let total: i64 = b.bookings.iter().map(|x| x.total).sum();
                let verb = if check_in_now {
                    "Booked and checked in"
                } else {
                    "Booked"
                };
                format!(
                    "{verb} {who}: room {}, {}.",
                    b.rooms.first().copied().unwrap_or_default(),
                    ctx.price(total)
                )
            });
            if !done {
                return;
            }
            chosen.set(None);
            new_guest.clear();
            send_confirmation.set(true);
        });
    };
    view! {
        <section class="card" aria-labelledby="walk-in-title">
            <h2 id="walk-in-title">"Walk-in or telephone booking"</h2>
            <WhoStays chosen new_guest outcome/>
            <TheStay today check_out guests room_type/>
            {move || restricted.get().map(|text| view! {
                <div class="confirm" role="alert" id="walk-in-restricted">
                    <p>{text}</p>
                    <label class="check">
                        <input type="checkbox" id="walk-in-override-restrictions"
                            on:change=move |ev| override_restrictions.set(event_target_checked(&ev))/>
                        "Book it anyway: the log will show that the rates calendar was overridden"
                    </label>
                </div>
            })}
            {move || {
                let to = address();
                if to.is_empty() {
                    view! {
                        <p class="muted" id="walk-in-no-email">
                            "No e-mail address for this guest: no confirmation will be sent."
                        </p>
                    }
                    .into_any()
                } else {
                    view! {
                        <label class="check">
                            <input type="checkbox" id="walk-in-send-confirmation"
                                prop:checked=move || send_confirmation.get()
                                on:change=move |ev| send_confirmation.set(event_target_checked(&ev))/>
                            {format!("Send the booking confirmation to {to}")}
                        </label>
                    }
                    .into_any()
                }
            }}
            <p class="actions">
                <button id="walk-in-check-in" disabled=move || task.running() on:click=move |_| book(true)>
                    "Book and check in"
                </button>
                <button id="walk-in-book" class="secondary" disabled=move || task.running() on:click=move |_| book(false)>
                    "Book only"
                </button>
            </p>
        </section>
    }
}
