use hotel_shared::{Date, room_list};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::{MAX_GUESTS, add_days, clamp_rooms, nights_label, stay_for};
use crate::widgets::{LoadFailed, Loading, Outcome, OutcomeText};

fn parse_date(text: &str) -> Option<Date> {
    text.parse().ok()
}

#[component]
pub fn RoomsPage() -> impl IntoView {
    let ctx = use_ctx();
    let today = ctx.today.get_untracked().unwrap_or_default();

    // The grid: every room on one night.
    let night = RwSignal::new(today);
    let rooms = Load::new(move || {
        let night = night.get();
        ctx.changes.track();
        async move { api::rooms(night).await }
    });

    // The booking form.
    let check_in = RwSignal::new(today);
    let check_out = RwSignal::new(add_days(today, 1));
    let wanted = RwSignal::new(1u32);
    let guests = RwSignal::new(1u32);
    let room_type = RwSignal::new(None::<i64>);
    let stay = Memo::new(move |_| stay_for(check_in.get(), check_out.get(), today));
    let free = Load::new(move || {
        let stay = stay.get();
        let guests = guests.get();
        ctx.changes.track();
        async move {
            match stay {
                Ok(s) => Some(api::availability(s.check_in, s.check_out, guests).await),
                Err(_) => None,
            }
        }
    });
    // Prices per room type, before anything is booked.
    let quote = Load::new(move || {
        let stay = stay.get();
        let guests = guests.get();
        ctx.changes.track();
        async move {
            match stay {
                Ok(s) => api::quote(s.check_in, s.check_out, guests).await.ok(),
                Err(_) => None,
            }
        }
    });
    let available = move || match (room_type.get(), quote.get(), free.get()) {
        (Some(t), Some(Some(q)), _) => q
            .options
            .iter()
            .find(|o| o.room_type_id == t)
            .map_or(0, |o| o.available),
        (None, _, Some(Some(Ok(a)))) => a.available,
        _ => 0,
    };

    let outcome: Outcome = RwSignal::new(None);
    let book = Action::new_local(move |input: &(u32, Date, Date, u32, Option<i64>)| {
        let (n, check_in, check_out, guests, room_type) = *input;
        async move {
            let said = match api::book(n, check_in, check_out, guests, room_type).await {
                Ok(b) => {
                    ctx.changed();
                    let dates = b
                        .bookings
                        .first()
                        .map(|f| {
                            let total: i64 = b.bookings.iter().map(|b| b.total).sum();
                            format!(
                                " from {} to {} ({}), {} in all.",
                                f.check_in,
                                f.check_out,
                                nights_label(f.nights),
                                ctx.money(total)
                            )
                        })
                        .unwrap_or_default();
                    Ok(format!("{}{dates}", b.message))
                }
                Err(e) => Err(ctx.explain(&e)),
            };
            outcome.set(Some(said));
        }
    });
    let do_book = move |_| {
        if book.pending().get_untracked() {
            return;
        }
        if let Ok(s) = stay.get_untracked() {
            let n = clamp_rooms(wanted.get_untracked(), u32::MAX);
            outcome.set(None);
            book.dispatch((
                n,
                s.check_in,
                s.check_out,
                guests.get_untracked(),
                room_type.get_untracked(),
            ));
        }
    };

    view! {
        <h1>"Rooms"</h1>
        <div class="columns">
            <section class="card" aria-labelledby="grid-title">
                <h2 id="grid-title">"Who is in which room"</h2>
                <label for="night">"Night of"</label>
                <input
                    id="night"
                    type="date"
                    prop:value=move || night.get().to_string()
                    on:change=move |ev| {
                        if let Some(d) = parse_date(&event_target_value(&ev)) {
                            night.set(d);
                        }
                    }
                />
                {move || match rooms.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) => view! {
                        <LoadFailed text=e.to_string() retry=Callback::new(move |_| rooms.refetch())/>
                    }.into_any(),
                    Some(Ok(r)) => view! {
                        <p role="status" id="free-count">
                            <strong>{r.free}</strong> " of " {r.total} " rooms free on the night of " {r.date.to_string()}
                        </p>
                        <ul class="tiles" aria-label="Rooms">
                            {r.rooms.into_iter().map(|room| {
                                let state = if room.is_occupied {
                                    "occupied"
                                } else if room.out_of_service {
                                    "out of service"
                                } else {
                                    "free"
                                };
                                view! {
                                    <li
                                        class=if room.is_occupied || room.out_of_service { "tile taken" } else { "tile free" }
                                        aria-label=format!("Room {}, {state}", room.room_number)
                                        data-room=room.room_number
                                    >
                                        <span class="number">{room.room_number}</span>
                                        <span class="state">{state}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </section>

            <section class="card" aria-labelledby="book-title">
                <h2 id="book-title">"Book a stay"</h2>
                <div class="row">
                    <div>
                        <label for="check-in">"Check-in"</label>
                        <input
                            id="check-in"
                            type="date"
                            min=today.to_string()
                            prop:value=move || check_in.get().to_string()
                            on:change=move |ev| {
                                if let Some(d) = parse_date(&event_target_value(&ev)) {
                                    check_in.set(d);
                                    if check_out.get_untracked() <= d {
                                        check_out.set(add_days(d, 1));
                                    }
                                }
                            }
                        />
                    </div>
                    <div>
                        <label for="check-out">"Check-out"</label>
                        <input
                            id="check-out"
                            type="date"
                            min=move || add_days(check_in.get(), 1).to_string()
                            prop:value=move || check_out.get().to_string()
                            on:change=move |ev| {
                                if let Some(d) = parse_date(&event_target_value(&ev)) {
                                    check_out.set(d);
                                }
                            }
                        />
                    </div>
                    <div>
                        <label for="guests">"Guests per room"</label>
                        <input
                            id="guests"
                            type="number"
                            min="1"
                            max=MAX_GUESTS.to_string()
                            prop:value=move || guests.get().to_string()
                            on:input=move |ev| {
                                let n = event_target_value(&ev).trim().parse::<u32>().unwrap_or(1);
                                guests.set(n.clamp(1, MAX_GUESTS));
                                room_type.set(None);
                            }
                        />
                    </div>
                    <div>
                        <label for="room-count">"Rooms"</label>
                        <input
                            id="room-count"
                            type="number"
                            min="1"
                            max=move || available().max(1).to_string()
                            prop:value=move || wanted.get().to_string()
                            on:input=move |ev| {
                                let n = event_target_value(&ev).trim().parse::<u32>().unwrap_or(1);
                                wanted.set(clamp_rooms(n, u32::MAX));
                            }
                        />
                    </div>
                </div>
                <p role="status" id="availability">
                    {move || match (stay.get(), free.get()) {
                        (Err(problem), _) => problem,
                        (Ok(_), None) => "Checking…".to_string(),
                        (Ok(s), Some(Some(Ok(a)))) if a.available == 0 => {
                            format!("No rooms are free for all {}.", nights_label(s.nights()))
                        }
                        (Ok(s), Some(Some(Ok(a)))) => format!(
                            "{} free for all {}: {}",
                            if a.available == 1 { "1 room".to_string() } else { format!("{} rooms", a.available) },
                            nights_label(s.nights()),
                            room_list(&a.rooms)
                        ),
                        (Ok(_), Some(Some(Err(e)))) => e.to_string(),
                        (Ok(_), Some(None)) => String::new(),
                    }}
                </p>
                {move || quote.get().flatten().map(|q| {
                    let nights = q.nights;
                    view! {
                        <label for="room-type">"Room type and price"</label>
                        <select
                            id="room-type"
                            on:change=move |ev| room_type.set(event_target_value(&ev).parse().ok())
                            prop:value=move || room_type.get().map(|t| t.to_string()).unwrap_or_default()
                        >
                            <option value="">"Any type that fits"</option>
                            {q.options.into_iter().map(|o| view! {
                                <option value=o.room_type_id.to_string() disabled=o.available == 0>
                                    {format!(
                                        "{} (sleeps {}): {} a night, {} for {}, {} free",
                                        o.room_type,
                                        o.capacity,
                                        ctx.money(o.rate),
                                        ctx.money(o.total),
                                        nights_label(nights),
                                        o.available
                                    )}
                                </option>
                            }).collect_view()}
                        </select>
                    }
                })}
                {move || match ctx.user() {
                    Some(_) => view! {
                        <button
                            id="book"
                            disabled=move || {
                                book.pending().get() || stay.get().is_err() || available() == 0
                                    || wanted.get() > available()
                            }
                            on:click=do_book
                        >
                            {move || if book.pending().get() { "Booking…" } else { "Book" }}
                        </button>
                    }.into_any(),
                    None => view! {
                        <p><A href="/signin">"Sign in to book"</A></p>
                    }.into_any(),
                }}
                <OutcomeText outcome=outcome/>
            </section>
        </div>
    }
}
