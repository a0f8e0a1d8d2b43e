//! Rooms to clean: a phone-sized list for housekeepers (and the desk). Dirty rooms first, each
//! with one button for its next state; nothing about guests or money.

use hotel_shared::housekeeping::{HousekeepingRoom, RoomCondition};
use leptos::prelude::*;

use super::StaffOnly;
use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::widgets::{LoadFailed, Loading, Outcome, OutcomeText, Task, report};

#[component]
pub fn HousekeepingPage() -> impl IntoView {
    let ctx = use_ctx();
    ctx.title("Rooms to clean");
    if !ctx.is_staff() && !ctx.is_housekeeper() {
        return view! { <StaffOnly/> }.into_any();
    }
    let list = Load::new(move || {
        ctx.changes.track();
        async move { api::housekeeping().await }
    });
    let outcome: Outcome = RwSignal::new(None);
    let task = Task::new();
    let set = move |room: u32, to: RoomCondition| {
        outcome.set(None);
        task.start(async move {
            report(ctx, outcome, api::set_condition(room, to).await, |r| {
                format!(
                    "Room {} is {}.",
                    r.number,
                    r.condition.label().to_lowercase()
                )
            });
        });
    };
    view! {
        <h1 tabindex="-1">"Rooms to clean"</h1>
        <OutcomeText outcome=outcome/>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => {
                let text = ctx.explain(&e);
                view! { <LoadFailed text=text retry=Callback::new(move |_| list.refetch())/> }.into_any()
            }
            Some(Ok(l)) => {
                let (dirty, clean): (Vec<HousekeepingRoom>, Vec<HousekeepingRoom>) =
                    l.rooms.into_iter().partition(|r| r.condition == RoomCondition::Dirty);
                // A clean room with a guest still in it is not ready for the next one.
                let (in_use, ready): (Vec<HousekeepingRoom>, Vec<HousekeepingRoom>) =
                    clean.into_iter().partition(|r| r.occupied);
                view! {
                    <p class="muted">{format!(
                        "{}: {} to clean, {} with a guest in, {} ready.",
                        super::day(l.date),
                        dirty.len(),
                        in_use.len(),
                        ready.len()
                    )}</p>
                    <section class="card" aria-labelledby="to-clean-title">
                        <h2 id="to-clean-title">{format!("To clean ({})", dirty.len())}</h2>
                        <RoomList rooms=dirty empty="Every room is clean." task=task set=set/>
                    </section>
                    <section class="card" aria-labelledby="in-use-title">
                        <h2 id="in-use-title">{format!("Guest in the room ({})", in_use.len())}</h2>
                        <RoomList rooms=in_use empty="No clean room has a guest in it." task=task set=set/>
                    </section>
                    <section class="card" aria-labelledby="ready-title">
                        <h2 id="ready-title">{format!("Ready ({})", ready.len())}</h2>
                        <RoomList rooms=ready empty="No room is ready yet." task=task set=set/>
                    </section>
                }
                .into_any()
            }
        }}
    }
    .into_any()
}

#[component]
fn RoomList(
    rooms: Vec<HousekeepingRoom>,
    empty: &'static str,
    task: Task,
    set: impl Fn(u32, RoomCondition) + Copy + 'static,
) -> impl IntoView {
    if rooms.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <ul class="rooms-to-clean">
            {rooms.into_iter().map(|r| {
                let number = r.number;
                // Each state's next steps: a dirty room gets cleaned, a clean one inspected.
                let steps: &[(RoomCondition, &str)] = match r.condition {
                    RoomCondition::Dirty => &[(RoomCondition::Clean, "Mark clean")],
                    RoomCondition::Clean => &[
                        (RoomCondition::Inspected, "Mark inspected"),
                        (RoomCondition::Dirty, "Mark dirty"),
                    ],
                    RoomCondition::Inspected => &[(RoomCondition::Dirty, "Mark dirty")],
                };
                view! {
                    <li data-room=number>
                        <div>
                            <strong>{format!("Room {number}")}</strong>
                            {format!(" · floor {} · {}", r.floor, r.room_type)}
                        </div>
                        <div class="muted">
                            {format!("{} · {}", r.condition.label(), r.occupancy.label())}
                            {r.out_of_order.then(|| view! { <span class="badge">"Out of order"</span> })}
                            {(r.occupied && r.condition == RoomCondition::Dirty).then(|| view! {
                                <span class="badge">"Guest still in"</span>
                            })}
                        </div>
                        <div class="actions">
                            {steps.iter().map(|&(to, label)| view! {
                                <button
                                    class=if to == RoomCondition::Dirty { "secondary" } else { "" }
                                    aria-label=format!("{label}: room {number}")
                                    disabled=move || task.running()
                                    on:click=move |_| set(number, to)
                                >
                                    {label}
                                </button>
                            }).collect_view()}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
