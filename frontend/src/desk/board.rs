//! Today at the desk: arrivals, departures and in-house guests with check-in, check-out and
//! cancellation (each asks first when it cannot be undone), and walk-in bookings.

use hotel_shared::housekeeping::CheckInInput;
use hotel_shared::{Booking, Date, ErrorCode};
use leptos::prelude::*;

use super::confirm::Confirm;
use super::find::Find;
use super::walk_in::WalkIn;
use super::{StaffOnly, day, stay_summary, who};
use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::add_days;
use crate::widgets::{LoadFailed, Loading, Outcome, OutcomeText, report};

/// What a row's button does.
#[derive(Clone, Copy, PartialEq)]
enum Step {
    CheckIn,
    /// Check in although the room is not clean yet (asked first).
    CheckInAnyway,
    /// Check in although the guest due out of the room is still checked in (asked first, in
    /// the server's words or the board's).
    CheckInOccupied,
    CheckOut,
    /// Check out although the bill is not settled (asked first, in the server's words).
    CheckOutOwing,
    NoShow,
    Cancel,
}

/// A step waiting for the clerk's yes: the booking and what would be done to it.
type Asking = RwSignal<Option<(i64, Step)>>;

/// The server's sentence about a bill still open at check-out, for that booking.
type Owing = RwSignal<Option<(i64, String)>>;

/// The server's sentence about a room whose last guest is still in it, for that booking (a
/// type of its own: the context holds one value per type, and `Owing` has this shape).
#[derive(Clone, Copy)]
struct Occupied(RwSignal<Option<(i64, String)>>);

#[component]
pub fn DeskPage() -> impl IntoView {
    let ctx = use_ctx();
    if !ctx.is_staff() {
        return view! { <StaffOnly/> }.into_any();
    }
    let today = ctx.today.get_untracked().unwrap_or_default();
    let shown = RwSignal::new(today);
    let desk = Load::new(move || {
        ctx.changes.track();
        let day = shown.get();
        async move { api::front_desk(Some(day)).await }
    });
    let outcome: Outcome = RwSignal::new(None);
    let asking: Asking = RwSignal::new(None);
    let owing: Owing = RwSignal::new(None);
    let occupied = Occupied(RwSignal::new(None));
    let act = Action::new_local(move |input: &(i64, Step)| {
        let (id, step) = *input;
        async move {
            let overrides = CheckInInput {
                override_housekeeping: matches!(step, Step::CheckInAnyway | Step::CheckInOccupied),
                override_occupied: step == Step::CheckInOccupied,
                city_tax_exempt: 0,
            };
            let result = match step {
                Step::CheckIn | Step::CheckInAnyway | Step::CheckInOccupied => {
                    api::check_in(id, &overrides).await
                }
                Step::CheckOut => api::check_out(id, false).await,
                Step::CheckOutOwing => api::check_out(id, true).await,
                Step::NoShow => api::no_show(id).await,
                Step::Cancel => api::staff_cancel(id).await,
            };
            // An open bill: the server says how much; the clerk settles it or lets the guest go.
            if let Err(e) = &result
                && e.code() == hotel_shared::ErrorCode::BalanceOpen
            {
                owing.set(Some((id, e.to_string())));
                asking.set(Some((id, Step::CheckOutOwing)));
                return;
            }
            // The room changed since the board was read: ask as the board would have.
            if let Err(e) = &result {
                let ask = match e.code() {
                    ErrorCode::RoomNotVacated => {
                        occupied.0.set(Some((id, e.to_string())));
                        Some(Step::CheckInOccupied)
                    }
                    ErrorCode::RoomNotClean if step == Step::CheckIn => Some(Step::CheckInAnyway),
                    _ => None,
                };
                if let Some(ask) = ask {
                    asking.set(Some((id, ask)));
                    return;
                }
            }
            report(ctx, outcome, result, |a| a.message);
        }
    });
    provide_context(owing);
    provide_context(occupied);

    let step_day = move |days: i64| shown.update(|d| *d = add_days(*d, days));
    view! {
        <h1>"Front desk"</h1>
        <div class="row day-picker" id="desk-day">
            <button class="secondary" on:click=move |_| step_day(-1)>"Previous day"</button>
            <div>
                <label for="desk-day-input">"Day"</label>
                <input id="desk-day-input" type="date" prop:value=move || shown.get().to_string()
                    on:change=move |ev| {
                        if let Ok(d) = event_target_value(&ev).parse() {
                            shown.set(d);
                        }
                    }/>
            </div>
            <button class="secondary" on:click=move |_| step_day(1)>"Next day"</button>
            <button class="secondary" disabled=move || shown.get() == today
                on:click=move |_| shown.set(today)>"Back to today"</button>
        </div>
        <Find/>
        <OutcomeText outcome=outcome/>
        {move || match desk.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => {
                let text = ctx.explain(&e);
                view! { <LoadFailed text=text retry=Callback::new(move |_| desk.refetch())/> }.into_any()
            }
            Some(Ok(d)) => {
                let not_ready = d.rooms_not_ready.clone();
                let clashes = d.calendar_conflicts.clone();
                // Guests still in, by room: an arrival in one of them waits for the check-out.
                let still_in: Vec<Booking> = d.in_house.clone();
                // Those leaving today are under departures, not twice.
                let staying: Vec<Booking> = d
                    .in_house
                    .iter()
                    .filter(|b| !d.departures.iter().any(|l| l.id == b.id))
                    .cloned()
                    .collect();
                let nobody_stays = if d.in_house.is_empty() {
                    "No guest is checked in."
                } else {
                    "Every guest in house leaves today (see departures)."
                };
                // Another day's lists are to read: arrivals are checked in on their day.
                let is_today = d.date == today;
                let (arriving, leaving): (&'static [Step], &'static [Step]) = if is_today {
                    (&[Step::CheckIn, Step::NoShow, Step::Cancel], &[Step::CheckOut])
                } else {
                    (&[], &[])
                };
                view! {
                    <p class="muted" id="desk-date">{
                        if is_today {
                            format!("Today, {}", day(d.date))
                        } else {
                            format!("{}: the lists only; the desk acts on the day itself.", day(d.date))
                        }
                    }</p>
                    {(!clashes.is_empty()).then(|| view! { <Clashes clashes=clashes/> })}
                    <div class="board">
                        <StayList id="arrivals" title="Arrivals" empty="Nobody else is due."
                            stays=d.arrivals steps=arriving today=d.date
                            not_ready=not_ready still_in=still_in act=act asking=asking/>
                        <StayList id="departures" title="Departures" empty="Nobody else leaves."
                            stays=d.departures steps=leaving today=d.date
                            not_ready=Vec::new() still_in=Vec::new() act=act asking=asking/>
                        <StayList id="in-house" title="In house" empty=nobody_stays
                            stays=staying steps=leaving today=d.date
                            not_ready=Vec::new() still_in=Vec::new() act=act asking=asking/>
                    </div>
                }
                .into_any()
            }
        }}
        <WalkIn today=today outcome=outcome/>
    }
    .into_any()
}

/// Stays a booking site's calendar holds on nights the hotel sold in the same room: the
/// clerk moves one of them.
#[component]
fn Clashes(clashes: Vec<hotel_shared::channels::CalendarConflict>) -> impl IntoView {
    view! {
        <section class="message error" id="calendar-conflicts" aria-labelledby="calendar-conflicts-title">
            <h2 id="calendar-conflicts-title">"Double bookings with booking sites"</h2>
            <ul>
                {clashes.into_iter().map(|c| view! {
                    <li>{format!(
                        "Room {}, {} to {}: a booking site has sold these nights (\"{}\"), and so has the hotel (booking {}). Move the hotel's guest or ask the site to move theirs.",
                        c.room_number, day(c.from), day(c.to), c.summary, c.reference
                    )}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// What the clerk is asked before `step` on `b`, and the button that says yes; `None` when the
/// step needs no question.
fn question(b: &Booking, step: Step, today: Date) -> Option<(String, &'static str)> {
    match step {
        Step::CheckIn => None,
        Step::CheckInAnyway => Some((
            format!(
                "Room {} has not been cleaned since its last guest left. Give {} the key anyway?",
                b.room_number,
                who(b)
            ),
            "Check in anyway",
        )),
        Step::CheckInOccupied => {
            let said = use_context::<Occupied>()
                .and_then(|o| o.0.get_untracked())
                .filter(|(id, _)| *id == b.id)
                .map(|(_, text)| text)
                .unwrap_or_else(|| {
                    format!(
                        "A guest due out of room {} has not checked out yet.",
                        b.room_number
                    )
                });
            Some((
                format!(
                    "{said} Give {} the key to room {} anyway? Two guests will be checked in to one room.",
                    who(b),
                    b.room_number
                ),
                "Check in anyway",
            ))
        }
        Step::CheckOut => {
            let left = today.nights_until(b.check_out).count();
            let early = if left > 0 {
                format!(
                    " The stay was booked until {}: {left} {} from tonight on will be released for sale.",
                    day(b.check_out),
                    if left == 1 { "night" } else { "nights" }
                )
            } else {
                String::new()
            };
            Some((
                format!(
                    "Check out {} from room {}?{early} The room will be marked dirty.",
                    who(b),
                    b.room_number
                ),
                "Check out",
            ))
        }
        Step::CheckOutOwing => {
            let owing = use_context::<Owing>().and_then(|o| o.get_untracked());
            let said = owing
                .filter(|(id, _)| *id == b.id)
                .map(|(_, text)| text)
                .unwrap_or_default();
            Some((
                format!("{said} Let {} go with the balance open?", who(b)),
                "Check out, balance open",
            ))
        }
        Step::NoShow => Some((
            format!(
                "Note {} as a no-show? Room {} is released from tonight, the stay is listed as a no-show, and its plan's no-show fee is charged on its bill.",
                who(b),
                b.room_number
            ),
            "No-show",
        )),
        Step::Cancel => Some((
            format!(
                "Cancel the stay of {} in room {} ({} to {})? Its nights will be released for sale.",
                who(b),
                b.room_number,
                day(b.check_in),
                day(b.check_out)
            ),
            "Cancel the stay",
        )),
    }
}

/// What cancelling a stay now costs under its terms, asked of the server.
#[component]
fn CancelFee(id: i64) -> impl IntoView {
    let ctx = use_ctx();
    let preview = Load::new(move || async move { api::staff_cancellation(id).await });
    view! {
        <p class="muted" id="cancel-fee">{move || match preview.get() {
            None => "Checking the cancellation terms…".to_string(),
            Some(Ok(p)) if p.fee == 0 => "Cancelling now is free of charge under its terms.".to_string(),
            Some(Ok(p)) => format!(
                "Under its terms, cancelling now costs {}, charged on its bill (you can let the guest off in the API with waive_fee).",
                ctx.price(p.fee)
            ),
            Some(Err(e)) => ctx.explain(&e),
        }}</p>
    }
}

#[component]
fn StayList(
    id: &'static str,
    title: &'static str,
    empty: &'static str,
    stays: Vec<Booking>,
    steps: &'static [Step],
    today: Date,
    not_ready: Vec<u32>,
    /// Guests checked in and not yet gone: an arrival in one of their rooms must wait.
    still_in: Vec<Booking>,
    act: Action<(i64, Step), ()>,
    asking: Asking,
) -> impl IntoView {
    let ctx = use_ctx();
    let heading = format!("{id}-title");
    let labelled_by = heading.clone();
    let count = stays.len();
    view! {
        <section class="card" id=id aria-labelledby=labelled_by>
            <h2 id=heading>{format!("{title} ({count})")}</h2>
            {if stays.is_empty() {
                view! { <p class="muted">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="stays">
                        {stays.into_iter().map(|b| {
                            let booking = b.id;
                            let total = ctx.price(b.total);
                            let dirty = not_ready.contains(&b.room_number);
                            let due_out = still_in
                                .iter()
                                .find(|o| o.room_number == b.room_number && o.id != b.id)
                                .map(|o| format!(
                                    "Room {} is still occupied: {} is due out on {} and has not checked out",
                                    o.room_number,
                                    who(o),
                                    day(o.check_out)
                                ));
                            let blocked = due_out.is_some();
                            let buttons = steps.iter().map(|&step| {
                                let step = match step {
                                    Step::CheckIn if blocked => Step::CheckInOccupied,
                                    Step::CheckIn if dirty => Step::CheckInAnyway,
                                    other => other,
                                };
                                let (label, class) = match step {
                                    Step::CheckIn | Step::CheckInAnyway | Step::CheckInOccupied => ("Check in", "check-in"),
                                    Step::CheckOut | Step::CheckOutOwing => ("Check out", "check-out"),
                                    Step::NoShow => ("No-show", "no-show secondary"),
                                    Step::Cancel => ("Cancel", "cancel secondary"),
                                };
                                let needs_question = question(&b, step, today).is_some();
                                view! {
                                    <button
                                        class=class
                                        data-booking=booking
                                        disabled=move || act.pending().get()
                                        on:click=move |_| {
                                            if act.pending().get_untracked() {
                                                return;
                                            }
                                            if needs_question {
                                                asking.set(Some((booking, step)));
                                            } else {
                                                act.dispatch((booking, step));
                                            }
                                        }
                                    >
                                        {label}
                                    </button>
                                }
                            }).collect_view();
                            let summary = stay_summary(&b);
                            view! {
                                <li data-booking=booking>
                                    <div class="stay-head">{summary}</div>
                                    {due_out.map(|text| view! {
                                        <p class="badge warn occupied">{text}</p>
                                    })}
                                    {(dirty && !blocked).then(|| view! {
                                        <p class="badge warn">{format!("Room {} is not clean yet", b.room_number)}</p>
                                    })}
                                    <div class="actions">
                                        <span class="muted">{format!("Booking {booking}, reference {} · {total}", b.reference)}</span>
                                        <a class="button secondary" href=format!("/desk/bill?booking={booking}")
                                            aria-label=format!("Bill of booking {booking}")>"Bill"</a>
                                        {buttons}
                                    </div>
                                    {move || match asking.get() {
                                        Some((id, step)) if id == booking => {
                                            question(&b, step, today).map(|(text, yes)| view! {
                                                {(step == Step::Cancel).then(|| view! { <CancelFee id=booking/> })}
                                                <Confirm
                                                    text=text
                                                    yes=yes.to_string()
                                                    on_yes=Callback::new(move |_| {
                                                        asking.set(None);
                                                        act.dispatch((booking, step));
                                                    })
                                                    on_no=Callback::new(move |_| asking.set(None))
                                                />
                                            })
                                        }
                                        _ => None,
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
