//! The occupancy calendar with guest names: click a stay to move it to a free room.

use hotel_shared::Booking;
use leptos::prelude::*;

use super::{StaffOnly, stay_summary};
use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::{CALENDAR_NIGHTS, add_days, day_label, movable_range, stay_on};
use crate::widgets::{LoadFailed, Loading, MoveTargetSelect, Outcome, OutcomeText, report};

#[component]
pub fn DeskCalendarPage() -> impl IntoView {
    let ctx = use_ctx();
    if !ctx.is_staff() {
        return view! { <StaffOnly/> }.into_any();
    }
    let today = ctx.today.get_untracked().unwrap_or_default();
    let from = RwSignal::new(today);
    let data = Load::new(move || {
        let from = from.get();
        ctx.changes.track();
        async move {
            let to = add_days(from, i64::from(CALENDAR_NIGHTS));
            let rooms = api::staff_rooms().await?;
            let stays = api::staff_bookings(from, to).await?;
            Ok::<_, api::ApiError>((rooms, stays.bookings))
        }
    });
    let selected = RwSignal::new(None::<Booking>);
    let outcome: Outcome = RwSignal::new(None);

    view! {
        <h1>"Occupancy calendar"</h1>
        <OutcomeText outcome=outcome/>
        <section class="card">
            <div class="actions">
                <button class="secondary" on:click=move |_| from.update(|f| *f = add_days(*f, -7))>
                    "← Earlier"
                </button>
                <button class="secondary" on:click=move |_| from.set(today)>"Today"</button>
                <button class="secondary" on:click=move |_| from.update(|f| *f = add_days(*f, 7))>
                    "Later →"
                </button>
            </div>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => {
                    let text = ctx.explain(&e);
                    view! { <LoadFailed text=text retry=Callback::new(move |_| data.refetch())/> }.into_any()
                }
                Some(Ok((rooms, stays))) => {
                    let start = from.get_untracked();
                    let end = add_days(start, i64::from(CALENDAR_NIGHTS));
                    let nights: Vec<_> = start.nights_until(end).collect();
                    view! {
                        <div class="calendar-wrap">
                            <table class="calendar desk">
                                <caption class="muted">"Rooms down, nights across. Choose a stay to move it."</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Room"</th>
                                        {nights.iter().map(|d| view! { <th scope="col">{day_label(*d)}</th> }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {rooms.into_iter().filter(|r| !r.retired).map(|room| {
                                        let number = room.number;
                                        let cells = nights.iter().map(|night| {
                                            let night = *night;
                                            match stay_on(&stays, number, night) {
                                                Some(b) => {
                                                    let b = b.clone();
                                                    let first = b.check_in == night || night == start;
                                                    let label = format!("Room {number}, night of {night}: {}", stay_summary(&b));
                                                    let name = if first { b.guest.clone() } else { String::new() };
                                                    let id = b.id;
                                                    view! {
                                                        <td class="taken stay">
                                                            <button
                                                                class="cell"
                                                                data-booking=id
                                                                title=label.clone()
                                                                aria-label=label
                                                                on:click=move |_| {
                                                                    outcome.set(None);
                                                                    selected.set(Some(b.clone()));
                                                                }
                                                            >
                                                                {name}
                                                            </button>
                                                        </td>
                                                    }.into_any()
                                                }
                                                None => {
                                                    let (class, text) = if room.out_of_service.is_some() {
                                                        ("blocked", "out of service")
                                                    } else {
                                                        ("free", "free")
                                                    };
                                                    let label = format!("Room {number}, night of {night}: {text}");
                                                    view! { <td class=class title=label.clone() aria-label=label></td> }.into_any()
                                                }
                                            }
                                        }).collect_view();
                                        view! {
                                            <tr>
                                                <th scope="row" title=room.room_type.clone()>{number}</th>
                                                {cells}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
        </section>
        {move || selected.get().map(|b| view! { <MovePanel booking=b selected=selected outcome=outcome/> })}
    }
    .into_any()
}

/// The chosen stay and the rooms it can move to.
#[component]
fn MovePanel(
    booking: Booking,
    selected: RwSignal<Option<Booking>>,
    outcome: Outcome,
) -> impl IntoView {
    let ctx = use_ctx();
    let today = ctx.today.get_untracked().unwrap_or_default();
    let (from, to) = movable_range(&booking, today);
    let (id, current, guests) = (booking.id, booking.room_number, booking.guests);
    let targets = Load::new(move || async move { api::availability(from, to, guests).await });
    let chosen = RwSignal::new(String::new());
    let on_the_house = RwSignal::new(false);
    let move_room = Action::new_local(move |room: &u32| {
        let room = *room;
        async move {
            let result = api::move_to(id, room, on_the_house.get_untracked()).await;
            let moved = result.is_ok();
            report(ctx, outcome, result, |a| a.message);
            if moved {
                selected.set(None);
            }
        }
    });
    view! {
        <section class="card" id="move-panel" aria-labelledby="move-title">
            <h2 id="move-title">{format!("Booking {id}")}</h2>
            <p>{stay_summary(&booking)}</p>
            <div class="actions">
                <div>
                    <label for="move-target">"Move to room"</label>
                    <MoveTargetSelect id="move-target" targets=targets current=current chosen=chosen/>
                </div>
                // Into another room type the rest of the stay costs that type's rate, unless
                // the hotel gives the upgrade (the audit log records it as such).
                <label class="check">
                    <input type="checkbox" id="move-complimentary" bind:checked=on_the_house/>
                    " Upgrade on the house (keep the booked rate)"
                </label>
                <button
                    id="move-submit"
                    disabled=move || move_room.pending().get() || chosen.get().is_empty()
                    on:click=move |_| {
                        if let Ok(room) = chosen.get_untracked().parse::<u32>()
                            && !move_room.pending().get_untracked()
                        {
                            move_room.dispatch(room);
                        }
                    }
                >
                    {move || if move_room.pending().get() { "Moving…" } else { "Move" }}
                </button>
                <button class="secondary" on:click=move |_| selected.set(None)>"Close"</button>
            </div>
        </section>
    }
}
