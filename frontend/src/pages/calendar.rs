use hotel_shared::Booking;
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::{CALENDAR_NIGHTS, Cell, add_days, cell, day_label};
use crate::widgets::{LoadFailed, Loading};

#[component]
pub fn CalendarPage() -> impl IntoView {
    let ctx = use_ctx();
    let today = ctx.today.get_untracked().unwrap_or_default();
    let from = RwSignal::new(today);
    let grid = Load::new(move || {
        let from = from.get();
        ctx.changes.track();
        async move { api::occupancy(from, CALENDAR_NIGHTS).await }
    });
    let mine = Load::new(move || {
        ctx.changes.track();
        let signed_in = ctx.user().is_some();
        async move {
            if signed_in {
                api::my_bookings()
                    .await
                    .map(|q| q.bookings)
                    .unwrap_or_default()
            } else {
                Vec::<Booking>::new()
            }
        }
    });

    view! {
        <h1>"Calendar"</h1>
        <section class="card">
            <div class="actions">
                <button
                    class="secondary"
                    disabled=move || from.get() <= today
                    on:click=move |_| from.update(|f| *f = add_days(*f, -7).max(today))
                >
                    "← Earlier"
                </button>
                <button class="secondary" on:click=move |_| from.update(|f| *f = add_days(*f, 7))>
                    "Later →"
                </button>
            </div>
            {move || match grid.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! {
                    <LoadFailed text=e.to_string() retry=Callback::new(move |_| grid.refetch())/>
                }.into_any(),
                Some(Ok(occupancy)) => {
                    let mine = mine.get().unwrap_or_default();
                    let end = add_days(occupancy.from, i64::from(occupancy.days));
                    let nights: Vec<_> = occupancy.from.nights_until(end).collect();
                    let last = nights.last().copied().unwrap_or(occupancy.from);
                    view! {
                        <div class="calendar-wrap">
                            <table class="calendar">
                                <caption class="muted">
                                    {format!("Each room, night by night, from {} to {}", occupancy.from, last)}
                                </caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Room"</th>
                                        {nights.iter().map(|d| view! { <th scope="col">{day_label(*d)}</th> }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {occupancy.rooms.into_iter().map(|room| {
                                        let cells = nights.iter().zip(room.taken.iter()).map(|(night, taken)| {
                                            let state = cell(room.room_number, *night, *taken, &mine);
                                            let (class, text, mark) = match state {
                                                Cell::Free => ("free", "free", ""),
                                                Cell::Taken => ("taken", "taken", ""),
                                                Cell::Mine => ("mine", "your stay", "●"),
                                            };
                                            view! {
                                                <td
                                                    class=class
                                                    title=format!("Room {}, night of {night}: {text}", room.room_number)
                                                    aria-label=format!("Room {}, night of {night}: {text}", room.room_number)
                                                >
                                                    {mark}
                                                </td>
                                            }
                                        }).collect_view();
                                        view! {
                                            <tr>
                                                <th scope="row">{room.room_number}</th>
                                                {cells}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <p class="legend">
                            <span><span class="swatch free"></span>"Free"</span>
                            <span><span class="swatch taken"></span>"Taken"</span>
                            <span><span class="swatch mine"></span>"Your stay"</span>
                        </p>
                    }.into_any()
                }
            }}
        </section>
    }
}
