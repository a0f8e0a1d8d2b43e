//! The occupancy calendar with guest names: click a stay to move it to a free room.

use hotel_shared::{Booking, BookingStatus, Date};
use leptos::prelude::*;

use super::{StaffOnly, stay_summary};
use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::{CALENDAR_NIGHTS, add_days, day_label, movable_range};
use crate::widgets::{LoadFailed, Loading, MoveTargetSelect, Outcome, OutcomeText, report};

/// The stay holding `room` on `night` as the desk sees it: booked, in house or gone.
fn desk_stay_on(stays: &[Booking], room: u32, night: Date) -> Option<&Booking> {
    stays.iter().find(|b| {
        matches!(
            b.status,
            BookingStatus::Booked | BookingStatus::CheckedIn | BookingStatus::CheckedOut
        ) && b.room_number == room
            && b.check_in <= night
            && night < b.check_out
    })
}

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
            let blocks = api::blocks().await?;
            // Guests whose stay ended on paper but who have not checked out hold no night, yet
            // are in the room: the desk's board lists them.
            let in_house = api::front_desk(None).await?.in_house;
            Ok::<_, api::ApiError>((rooms, stays.bookings, blocks, in_house))
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
            <p class="legend">
                <span><span class="swatch booked"></span>"Booked"</span>
                <span><span class="swatch checked_in"></span>"In house"</span>
                <span><span class="swatch checked_out"></span>"Checked out"</span>
                <span><span class="swatch blocked"></span>"Out of service"</span>
                <span><span class="swatch free"></span>"Free"</span>
            </p>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => {
                    let text = ctx.explain(&e);
                    view! { <LoadFailed text=text retry=Callback::new(move |_| data.refetch())/> }.into_any()
                }
                Some(Ok((rooms, stays, blocks, in_house))) => {
                    let start = from.get_untracked();
                    let end = add_days(start, i64::from(CALENDAR_NIGHTS));
                    let nights: Vec<Date> = start.nights_until(end).collect();
                    let columns = nights.len() + 1;
                    view! {
                        <div class="calendar-wrap">
                            <table class="calendar desk">
                                <caption class="muted">"Rooms down, nights across; a stay is one bar. Choose a stay to move it."</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Room"</th>
                                        {nights.iter().map(|d| view! { <th scope="col">{day_label(*d)}</th> }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {rooms.into_iter().filter(|r| !r.retired).map(|room| {
                                        let number = room.number;
                                        let mut cells = Vec::new();
                                        let mut i = 0;
                                        while i < nights.len() {
                                            let night = nights[i];
                                            if let Some(b) = desk_stay_on(&stays, number, night) {
                                                // One cell across every night of the stay in view.
                                                let span = nights[i..]
                                                    .iter()
                                                    .take_while(|n| **n < b.check_out)
                                                    .count()
                                                    .max(1);
                                                cells.push(stay_cell(b.clone(), number, span, selected, outcome));
                                                i += span;
                                                continue;
                                            }
                                            let blocked = room.out_of_service.is_some()
                                                || blocks.iter().any(|k| k.room_number == number && k.from <= night && night < k.to);
                                            let (class, text) = if blocked {
                                                ("blocked", "out of service")
                                            } else {
                                                ("free", "free")
                                            };
                                            let label = format!("Room {number}, night of {}: {text}", super::day(night));
                                            cells.push(view! { <td class=class title=label.clone() aria-label=label></td> }.into_any());
                                            i += 1;
                                        }
                                        let overdue = in_house
                                            .iter()
                                            .find(|b| b.room_number == number && b.check_out <= today)
                                            .map(|b| format!(
                                                "{} is still in, due out {}",
                                                super::who(b),
                                                super::day(b.check_out)
                                            ));
                                        let chosen_here = move || selected.get().filter(|b| b.room_number == number);
                                        view! {
                                            <tr>
                                                <th scope="row">{number}<span class="room-type">{room.room_type.clone()}</span>
                                                    {overdue.map(|text| view! { <span class="badge warn overdue">{text}</span> })}
                                                </th>
                                                {cells}
                                            </tr>
                                            {move || chosen_here().map(|b| view! {
                                                <tr class="move-row"><td colspan=columns.to_string()>
                                                    <MovePanel booking=b selected=selected outcome=outcome/>
                                                </td></tr>
                                            })}
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
    .into_any()
}

/// One stay as a bar across `span` nights, coloured by its status; choosing it opens the move
/// panel under its room.
fn stay_cell(
    b: Booking,
    number: u32,
    span: usize,
    selected: RwSignal<Option<Booking>>,
    outcome: Outcome,
) -> AnyView {
    let label = format!("Room {number}: {}", stay_summary(&b));
    let name = super::who(&b);
    let id = b.id;
    let class = format!("stay {}", b.status.as_str());
    view! {
        <td class=class colspan=span.to_string()>
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
