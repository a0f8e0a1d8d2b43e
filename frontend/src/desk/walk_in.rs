//! A booking made at the desk for a guest in front of it (or on the telephone): the guest
//! found among the hotel's guests or added (the desk is told of a likely duplicate), the
//! price shown before booking, and the key handed over at once.

use hotel_shared::Date;
use hotel_shared::guests::{Guest, GuestInput};
use hotel_shared::staff::{QuoteOption, WalkInInput};
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::{MAX_GUESTS, add_days};
use crate::widgets::{Outcome, Task, report};

#[component]
pub fn WalkIn(today: Date, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let find = RwSignal::new(String::new());
    let found: RwSignal<Vec<Guest>> = RwSignal::new(Vec::new());
    let chosen: RwSignal<Option<Guest>> = RwSignal::new(None);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let allow_duplicate = RwSignal::new(false);
    let duplicate = RwSignal::new(None::<String>);
    let check_out = RwSignal::new(add_days(today, 1));
    let guests = RwSignal::new(1u32);
    // The room type and rate plan chosen (`None`: the cheapest free room on its base plan).
    let room_type = RwSignal::new(None::<(i64, i64)>);
    let task = Task::new();
    let quote = Load::new(move || {
        let (out, party) = (check_out.get(), guests.get());
        async move { api::staff_quote(today, out, party).await }
    });
    let search = move |_| {
        let q = find.get_untracked();
        task.start(async move {
            match api::guests(&q).await {
                Ok(list) => found.set(list.guests),
                Err(e) => outcome.set(Some(Err(ctx.explain(&e)))),
            }
        });
    };
    let book = move |check_in_now: bool| {
        outcome.set(None);
        duplicate.set(None);
        let existing = chosen.get_untracked();
        let new_guest = GuestInput {
            full_name: name.get_untracked(),
            email: email.get_untracked(),
            phone: phone.get_untracked(),
            allow_duplicate: allow_duplicate.get_untracked(),
            ..GuestInput::default()
        };
        let who = existing
            .as_ref()
            .map_or_else(|| new_guest.full_name.clone(), |g| g.full_name.clone());
        // A new guest is added by the booking itself: if no room is free, nobody is added.
        let request = WalkInInput {
            guest_id: existing.as_ref().map(|g| g.id),
            guest: String::new(),
            new_guest: existing.is_none().then_some(new_guest),
            check_in_now,
            check_in: Some(today),
            check_out: Some(check_out.get_untracked()),
            guests: Some(guests.get_untracked()),
            room_number: None,
            room_type_id: room_type.get_untracked().map(|(t, _)| t),
            rate_plan_id: room_type.get_untracked().map(|(_, p)| p),
        };
        task.start(async move {
            let booked = api::walk_in(&request).await;
            if let Err(e) = &booked
                && e.code() == hotel_shared::ErrorCode::PossibleDuplicate
            {
                duplicate.set(Some(e.to_string()));
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
            name.set(String::new());
            email.set(String::new());
            phone.set(String::new());
            allow_duplicate.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="walk-in-title">
            <h2 id="walk-in-title">"Walk-in or telephone booking"</h2>
            <div class="row">
                <div>
                    <label for="walk-in-find">"Find the guest (name, e-mail or telephone)"</label>
                    <input id="walk-in-find" prop:value=move || find.get()
                        on:input=move |ev| find.set(event_target_value(&ev))/>
                </div>
                <div><button class="secondary" type="button" on:click=search disabled=move || task.running()>
                    "Find guest"
                </button></div>
            </div>
            {move || {
                let list = found.get();
                (!list.is_empty()).then(|| view! {
                    <fieldset>
                        <legend>"Guests the hotel knows"</legend>
                        {list.into_iter().map(|g| {
                            let id = format!("walk-in-guest-{}", g.id);
                            let label_for = id.clone();
                            let label = [g.full_name.clone(), g.email.clone(), g.phone.clone()]
                                .into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
                            let pick = g.clone();
                            let gid = g.id;
                            view! {
                                <label class="check" for=label_for>
                                    <input type="radio" name="walk-in-guest" id=id
                                        prop:checked=move || chosen.get().is_some_and(|c| c.id == gid)
                                        on:change=move |_| chosen.set(Some(pick.clone()))/>
                                    {label}
                                </label>
                            }
                        }).collect_view()}
                        <label class="check" for="walk-in-new">
                            <input type="radio" name="walk-in-guest" id="walk-in-new"
                                prop:checked=move || chosen.get().is_none()
                                on:change=move |_| chosen.set(None)/>
                            "Someone new"
                        </label>
                    </fieldset>
                })
            }}
            <Show when=move || chosen.get().is_none()>
                <div class="row">
                    <div>
                        <label for="walk-in-name">"Full name"</label>
                        <input id="walk-in-name" autocomplete="off" prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev))/>
                    </div>
                    <div>
                        <label for="walk-in-email">"E-mail (optional)"</label>
                        <input id="walk-in-email" type="email" autocomplete="off" prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev))/>
                    </div>
                    <div>
                        <label for="walk-in-phone">"Telephone (optional)"</label>
                        <input id="walk-in-phone" type="tel" autocomplete="off" prop:value=move || phone.get()
                            on:input=move |ev| phone.set(event_target_value(&ev))/>
                    </div>
                </div>
            </Show>
            {move || duplicate.get().map(|text| view! {
                <div class="confirm" role="alert">
                    <p>{text}</p>
                    <label class="check">
                        <input type="checkbox" id="walk-in-allow-duplicate"
                            on:change=move |ev| allow_duplicate.set(event_target_checked(&ev))/>
                        "This is someone else: add them anyway"
                    </label>
                </div>
            })}
            <div class="row">
                <div>
                    <label for="walk-in-out">"Leaves on"</label>
                    <input id="walk-in-out" type="date" min=add_days(today, 1).to_string()
                        prop:value=move || check_out.get().to_string()
                        on:change=move |ev| {
                            if let Ok(d) = event_target_value(&ev).parse() {
                                check_out.set(d);
                            }
                        }/>
                </div>
                <div>
                    <label for="walk-in-guests">"Guests"</label>
                    <input id="walk-in-guests" type="number" min="1" max=MAX_GUESTS.to_string()
                        prop:value=move || guests.get().to_string()
                        on:input=move |ev| {
                            let n = event_target_value(&ev).trim().parse::<u32>().unwrap_or(1);
                            guests.set(n.clamp(1, MAX_GUESTS));
                        }/>
                </div>
                <div>
                    <label for="walk-in-type">"Room"</label>
                    <select id="walk-in-type" on:change=move |ev| room_type.set(
                        event_target_value(&ev)
                            .split_once(':')
                            .and_then(|(t, p)| Some((t.parse().ok()?, p.parse().ok()?))),
                    )>
                        <option value="">"Cheapest free"</option>
                        {move || match quote.get() {
                            Some(Ok(q)) => q.options.into_iter()
                                .filter(|o| o.available > 0)
                                .map(|o: QuoteOption| {
                                    let label = format!("{} · {}: {} for {} ({} free)", o.room_type, o.rate_plan,
                                        ctx.price(o.total), crate::i18n::nights(crate::i18n::Lang::En, q.nights), o.available);
                                    view! { <option value=format!("{}:{}", o.room_type_id, o.rate_plan_id)>{label}</option> }
                                })
                                .collect_view()
                                .into_any(),
                            _ => ().into_any(),
                        }}
                    </select>
                </div>
            </div>
            <p id="walk-in-price" class="muted">{move || match quote.get() {
                Some(Ok(q)) => match q.options.iter().filter(|o| o.available > 0 && o.base).min_by_key(|o| o.total) {
                    Some(o) => format!("From {} for the stay.", ctx.price(o.total)),
                    None => "No room is free for these nights.".to_string(),
                },
                Some(Err(e)) => ctx.explain(&e),
                None => String::new(),
            }}</p>
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
