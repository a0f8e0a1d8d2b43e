use hotel_shared::{Booking, Date, room_list};
use leptos::prelude::*;
use leptos_router::components::{A, Redirect};

use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::{can_cancel, in_progress, movable_range, nights_label};
use crate::widgets::{LoadFailed, Loading, MoveTargetSelect, Outcome, OutcomeText, report};

#[component]
pub fn BookingsPage() -> impl IntoView {
    let ctx = use_ctx();
    let today = ctx.today.get_untracked().unwrap_or_default();
    let list = Load::new(move || {
        ctx.changes.track();
        async move { api::my_bookings().await }
    });
    let outcome: Outcome = RwSignal::new(None);
    let checkout = Action::new_local(move |_: &()| async move {
        report(ctx, outcome, api::checkout().await, |c| c.message);
    });

    view! {
        {move || ctx.user().is_none().then(|| view! { <Redirect path="/signin"/> })}
        <h1>"My bookings"</h1>
        <OutcomeText outcome=outcome/>
        <section class="card">
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => {
                    let text = if e.is_unauthorized() { ctx.explain(&e) } else { e.to_string() };
                    view! { <LoadFailed text=text retry=Callback::new(move |_| list.refetch())/> }.into_any()
                }
                Some(Ok(q)) if q.bookings.is_empty() => view! {
                    <p>"You have no current or upcoming stays. " <A href="/">"Book a room"</A></p>
                }.into_any(),
                Some(Ok(q)) => {
                    let here: Vec<u32> = q.bookings.iter()
                        .filter(|b| in_progress(b, today))
                        .map(|b| b.room_number)
                        .collect();
                    view! {
                        <p id="my-rooms">{q.message.clone()}</p>
                        {(!here.is_empty()).then(|| view! {
                            <p>
                                <button
                                    id="checkout"
                                    disabled=move || checkout.pending().get()
                                    on:click=move |_| {
                                        if !checkout.pending().get_untracked() {
                                            outcome.set(None);
                                            checkout.dispatch(());
                                        }
                                    }
                                >
                                    {move || if checkout.pending().get() { "Checking out…".to_string() } else {
                                        format!("Check out of {}", room_list(&here))
                                    }}
                                </button>
                            </p>
                        })}
                        <ul class="stays" aria-label="Your stays">
                            {q.bookings.into_iter()
                                .map(|b| view! { <Stay booking=b today=today outcome=outcome/> })
                                .collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// One stay, with the changes a guest can make to it.
#[component]
fn Stay(booking: Booking, today: Date, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let id = booking.id;
    let (from, to) = movable_range(&booking, today);
    let current = booking.room_number;
    let guests = booking.guests;
    let targets = Load::new(move || async move { api::availability(from, to, guests).await });
    let chosen = RwSignal::new(String::new());
    let move_room = Action::new_local(move |input: &(i64, u32)| {
        let (id, room) = *input;
        async move {
            report(ctx, outcome, api::move_booking(id, room).await, |u| {
                u.message
            });
        }
    });
    let cancel = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            report(ctx, outcome, api::cancel(id).await, |c| c.message);
        }
    });
    let confirming = RwSignal::new(false);
    let cancellable = can_cancel(&booking, today);
    let select_id = format!("move-{id}");

    view! {
        <li data-booking=id>
            <div class="stay-head">
                {format!(
                    "Room {} ({}) · {} → {} · {} · {} · {}",
                    booking.room_number,
                    booking.room_type,
                    booking.check_in,
                    booking.check_out,
                    nights_label(booking.nights),
                    hotel_shared::money::format(booking.total, &booking.currency),
                    booking.status.label()
                )}
            </div>
            <div class="actions">
                <div>
                    <label for=select_id.clone()>"Move to room"</label>
                    <MoveTargetSelect id=select_id targets=targets current=current chosen=chosen/>
                </div>
                <button
                    class="secondary move"
                    disabled=move || move_room.pending().get() || chosen.get().is_empty()
                    on:click=move |_| {
                        if move_room.pending().get_untracked() {
                            return;
                        }
                        if let Ok(room) = chosen.get_untracked().parse::<u32>() {
                            outcome.set(None);
                            move_room.dispatch((id, room));
                        }
                    }
                >
                    {move || if move_room.pending().get() { "Moving…" } else { "Move" }}
                </button>
                {cancellable.then(|| view! {
                    <Show
                        when=move || confirming.get()
                        fallback=move || view! {
                            <button class="danger" on:click=move |_| confirming.set(true)>"Cancel stay"</button>
                        }
                    >
                        <button
                            class="danger"
                            disabled=move || cancel.pending().get()
                            on:click=move |_| {
                                if !cancel.pending().get_untracked() {
                                    outcome.set(None);
                                    cancel.dispatch(id);
                                }
                            }
                        >
                            {move || if cancel.pending().get() { "Cancelling…" } else { "Yes, cancel it" }}
                        </button>
                        <button class="secondary" on:click=move |_| confirming.set(false)>"Keep it"</button>
                    </Show>
                })}
            </div>
        </li>
    }
}
