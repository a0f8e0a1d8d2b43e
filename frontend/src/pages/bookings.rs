//! My bookings: one entry per booking with its rooms together; cancel all or one room, and
//! move a room, seeing first what a move into another room type costs.

use hotel_shared::Booking;
use leptos::prelude::*;

use crate::api;
use crate::app::{Ctx, use_ctx};
use crate::i18n;
use crate::load::Load;
use crate::logic::{can_cancel, movable_range};
use crate::widgets::{LoadFailed, Loading, Outcome, OutcomeText, Task, report, require_sign_in};

/// The bookings of a list grouped by reference, in the order each first appears.
pub fn by_reference(bookings: Vec<Booking>) -> Vec<Vec<Booking>> {
    let mut groups: Vec<Vec<Booking>> = Vec::new();
    for b in bookings {
        match groups.iter_mut().find(|g| g[0].reference == b.reference) {
            Some(group) => group.push(b),
            None => groups.push(vec![b]),
        }
    }
    groups
}

#[component]
pub fn BookingsPage() -> impl IntoView {
    let ctx = use_ctx();
    ctx.title(ctx.tr("My bookings", "Meine Buchungen"));
    let list = Load::new(move || {
        ctx.changes.track();
        async move { api::my_bookings().await }
    });
    let outcome: Outcome = RwSignal::new(None);
    let resend = Task::new();
    require_sign_in("/my-bookings".into());
    view! {
        <h1 tabindex="-1">{ctx.tr("My bookings", "Meine Buchungen")}</h1>
        <OutcomeText outcome=outcome/>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! {
                <LoadFailed text=ctx.explain(&e) retry=Callback::new(move |_| list.refetch())/>
            }.into_any(),
            Some(Ok(q)) if q.bookings.is_empty() => view! {
                <p class="card">
                    {ctx.tr("You have no current or upcoming stays. ", "Sie haben keine aktuellen oder kommenden Aufenthalte. ")}
                    <a href="/">{ctx.tr("Book a stay", "Zimmer buchen")}</a>
                </p>
            }.into_any(),
            Some(Ok(q)) => view! {
                <ul class="plain" aria-label=ctx.tr("Your bookings", "Ihre Buchungen")>
                    {by_reference(q.bookings).into_iter()
                        .map(|rooms| view! { <Entry rooms=rooms outcome=outcome/> })
                        .collect_view()}
                </ul>
            }.into_any(),
        }}
        {move || ctx.user().filter(|me| me.email.is_some() && !me.email_verified).map(|_| view! {
            <p class="card" id="confirm-email-note">
                {ctx.tr(
                    "Please confirm your e-mail address with the link we sent you. ",
                    "Bitte bestätigen Sie Ihre E-Mail-Adresse mit dem Link, den wir Ihnen gesendet haben. ",
                )}
                <button class="secondary" id="email-link-again" disabled=move || resend.running() on:click=move |_| {
                    resend.start(async move {
                        let done = api::mail_email_link().await.map(|_| {
                            ctx.tr(
                                "A new link is on its way to your e-mail address.",
                                "Ein neuer Link ist an Ihre E-Mail-Adresse unterwegs.",
                            )
                            .to_string()
                        });
                        outcome.set(Some(done.map_err(|e| ctx.explain(&e))));
                    });
                }>
                    {ctx.tr("Send the link again", "Link erneut senden")}
                </button>
            </p>
        })}
        {move || ctx.user().is_some().then(|| view! {
            <super::password::ChangePassword/>
            <section class="card" aria-labelledby="my-data-title">
                <h2 id="my-data-title">{ctx.tr("Your data", "Ihre Daten")}</h2>
                <p>
                    {ctx.tr(
                        "Everything the hotel keeps about you, as a file: ",
                        "Alles, was das Hotel über Sie speichert, als Datei: ",
                    )}
                    <a id="my-data" href=hotel_shared::paths::ME_EXPORT download="my-data.json">
                        {ctx.tr("download your data", "Ihre Daten herunterladen")}
                    </a>
                    {ctx.tr(
                        ". To have it erased, ask the hotel.",
                        ". Um sie löschen zu lassen, wenden Sie sich an das Hotel.",
                    )}
                </p>
            </section>
        })}
    }
}

/// One booking: its dates, party, rooms and total, and what the guest may change.
#[component]
fn Entry(rooms: Vec<Booking>, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let today = ctx.today.get_untracked().unwrap_or_default();
    let first = rooms[0].clone();
    let total: i64 = rooms.iter().map(|b| b.total).sum();
    let guests: u32 = rooms.iter().map(|b| b.guests).sum();
    let several = rooms.len() > 1;
    let cancellable = rooms.iter().all(|b| can_cancel(b, today));
    let confirming = RwSignal::new(false);
    let fee: i64 = rooms.iter().filter_map(|b| b.cancel_fee).sum();
    let cancel_all = Task::new();
    let first_id = first.id;
    let do_cancel_all = move |_| {
        cancel_all.start(async move {
            report(ctx, outcome, api::cancel(first_id, true).await, |_| {
                ctx.tr("Your booking is cancelled.", "Ihre Buchung ist storniert.")
                    .into()
            });
            crate::app::focus_first(".message");
        })
    };
    let heading = format!("{} – {}", ctx.day(first.check_in), ctx.day(first.check_out));
    let heading_id = format!("booking-{}", first.reference);
    view! {
        <li class="card booking" data-reference=first.reference.clone() aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{heading}</h2>
            <p>
                {format!(
                    "{} · {} · {} {} · {} ",
                    i18n::nights(ctx.lang(), first.nights),
                    i18n::adults(ctx.lang(), guests),
                    ctx.tr("Booking", "Buchung"),
                    first.reference,
                    ctx.tr("Total", "Gesamt"),
                )}
                <strong>{ctx.price(total)}</strong>
                " "
                <a href=hotel_shared::paths::reservation(&first.reference)>{ctx.tr("Details", "Details")}</a>
            </p>
            <ul class="plain rooms">
                {rooms.into_iter().map(|b| view! { <RoomLine booking=b several=several outcome=outcome/> }).collect_view()}
            </ul>
            {cancellable.then_some(move || if !confirming.get() {
                view! {
                    <button class="danger" on:click=move |_| confirming.set(true)>
                        {ctx.tr("Cancel booking", "Buchung stornieren")}
                    </button>
                }.into_any()
            } else {
                view! {
                    <p role="alert">{fee_question(ctx, ctx.tr("Cancel the whole booking?", "Die ganze Buchung stornieren?"), fee)}</p>
                    <button
                        class="danger"
                        disabled=move || cancel_all.running()
                        on:click=do_cancel_all
                    >
                        {ctx.tr("Yes, cancel it", "Ja, stornieren")}
                    </button>
                    <button class="secondary" on:click=move |_| confirming.set(false)>
                        {ctx.tr("Keep it", "Behalten")}
                    </button>
                }.into_any()
            })}
        </li>
    }
}

/// The question before a cancellation, with what it costs under the booking's terms now
/// (the server says so with each booking).
fn fee_question(ctx: Ctx, question: &str, fee: i64) -> String {
    if fee == 0 {
        format!(
            "{question} {}",
            ctx.tr("This is free of charge.", "Das ist kostenlos.")
        )
    } else {
        format!(
            "{question} {} {}.",
            ctx.tr(
                "Under your booking's terms, cancelling now costs",
                "Nach den Bedingungen Ihrer Buchung kostet die Stornierung jetzt"
            ),
            ctx.price(fee)
        )
    }
}

/// One room of a booking: cancel it alone, or move it (the price difference shown first).
#[component]
fn RoomLine(booking: Booking, several: bool, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let today = ctx.today.get_untracked().unwrap_or_default();
    let id = booking.id;
    let (from, to) = movable_range(&booking, today);
    let remaining = u32::try_from(from.days_until(to)).unwrap_or(0);
    let (guests, rate, current_room, current_type) = (
        booking.guests,
        booking.rate,
        booking.room_number,
        booking.room_type.clone(),
    );
    let opened = RwSignal::new(false);
    let chosen = RwSignal::new(None::<(u32, String)>);
    let targets = Load::new(move || {
        let open = opened.get();
        async move {
            if open {
                Some(api::quote(from, to, guests, 1).await)
            } else {
                None
            }
        }
    });
    let busy = Task::new();
    let move_room = move |room: u32| {
        busy.start(async move {
            report(ctx, outcome, api::move_booking(id, room).await, |_| {
                format!("{} {room}.", ctx.tr("Moved to room", "Umgezogen in Zimmer"))
            });
            crate::app::focus_first(".message");
        })
    };
    let confirming = RwSignal::new(false);
    let fee = booking.cancel_fee.unwrap_or(0);
    let cancel_one = move |_| {
        busy.start(async move {
            report(ctx, outcome, api::cancel(id, false).await, |_| {
                ctx.tr("The room is cancelled.", "Das Zimmer ist storniert.")
                    .into()
            });
            crate::app::focus_first(".message");
        })
    };
    // What the remaining nights cost now, and more (or less) in a room of another type at
    // that type's prices for those nights.
    let booked: i64 = booking
        .night_prices
        .iter()
        .filter(|n| n.date >= from)
        .map(|n| n.amount)
        .sum();
    let booked = if booking.night_prices.is_empty() {
        rate.saturating_mul(i64::from(remaining))
    } else {
        booked
    };
    let difference = move |new_total: i64, same_type: bool| {
        if same_type { 0 } else { new_total - booked }
    };
    let select_id = StoredValue::new(format!("move-{id}"));
    let line = format!(
        "{} {} · {}",
        ctx.tr("Room", "Zimmer"),
        current_room,
        current_type
    );
    let current_type = StoredValue::new(current_type);
    view! {
        <li data-booking=id>
            <span class="room">{line}</span>
            " "
            <button class="link" aria-expanded=move || opened.get().to_string() on:click=move |_| opened.update(|o| *o = !*o)>
                {ctx.tr("Move to another room", "In ein anderes Zimmer umziehen")}
            </button>
            {(several && can_cancel(&booking, today)).then(|| view! {
                " "
                <button class="link danger" disabled=move || busy.running() on:click=move |_| confirming.set(true)>
                    {ctx.tr("Cancel this room", "Dieses Zimmer stornieren")}
                </button>
                {move || confirming.get().then(|| view! {
                    <p role="alert">{fee_question(ctx, ctx.tr("Cancel this room?", "Dieses Zimmer stornieren?"), fee)}</p>
                    <button class="danger" disabled=move || busy.running() on:click=cancel_one>
                        {ctx.tr("Yes, cancel this room", "Ja, Zimmer stornieren")}
                    </button>
                    <button class="secondary" on:click=move |_| confirming.set(false)>
                        {ctx.tr("Keep it", "Behalten")}
                    </button>
                })}
            })}
            {move || opened.get().then(|| view! {
                <div class="move">
                    <label for=select_id.get_value()>{ctx.tr("New room", "Neues Zimmer")}</label>
                    // Each room with what the rest of the stay costs more or less in it.
                    <select
                        id=select_id.get_value()
                        on:change=move |ev| chosen.set(event_target_value(&ev).split_once('|').map(|(r, p)| (r.parse().unwrap_or(0), p.to_string())))
                    >
                        <option value="">{ctx.tr("Choose…", "Bitte wählen…")}</option>
                        {move || targets.get().flatten().and_then(Result::ok).map(|q| {
                            let current_type = current_type.get_value();
                            // Rooms once each: a move is priced on the base plan.
                            q.options.into_iter().filter(|o| o.base).flat_map(|o| {
                                let extra = difference(o.total, o.room_type == current_type);
                                let price = match extra {
                                    0 => ctx.tr("same price", "gleicher Preis").to_string(),
                                    n if n > 0 => format!("+{}", ctx.price(n)),
                                    n => ctx.price(n),
                                };
                                let kind = o.room_type;
                                o.rooms.into_iter().filter(|r| *r != current_room).map(move |r| {
                                    let text = format!("{} {r} · {kind} · {price}", ctx.tr("Room", "Zimmer"));
                                    view! { <option value=format!("{r}|{price}")>{text}</option> }
                                }).collect::<Vec<_>>()
                            }).collect_view()
                        })}
                    </select>
                    {move || chosen.get().map(|(room, price)| view! {
                        <button
                            class="move"
                            disabled=move || busy.running()
                            on:click=move |_| move_room(room)
                        >
                            {format!("{} {room} ({price})", ctx.tr("Move to room", "Umziehen in Zimmer"))}
                        </button>
                    })}
                </div>
            })}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rooms_booked_together_are_one_entry() {
        let a = Booking {
            id: 1,
            room_number: 1,
            check_in: hotel_shared::date::date(2026, 12, 1),
            check_out: hotel_shared::date::date(2026, 12, 3),
            nights: 2,
            status: hotel_shared::BookingStatus::Booked,
            guest: "ann".into(),
            guest_name: None,
            guests: 2,
            room_type: "Standard".into(),
            rate: 9500,
            total: 19000,
            night_prices: Vec::new(),
            cancel_fee: None,
            rate_plan_id: None,
            rate_plan: None,
            terms: None,
            currency: "EUR".into(),
            reference: "A".into(),
            updated_at: None,
            channel: None,
            external_reference: None,
        };
        let mut b = a.clone();
        b.id = 2;
        let mut c = a.clone();
        c.id = 3;
        c.reference = "C".into();
        let groups = by_reference(vec![a, c, b]);
        let ids: Vec<Vec<i64>> = groups
            .iter()
            .map(|g| g.iter().map(|b| b.id).collect())
            .collect();
        assert_eq!(ids, vec![vec![1, 2], vec![3]]);
    }
}
