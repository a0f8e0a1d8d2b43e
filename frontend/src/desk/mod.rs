//! The front desk: today's board, the occupancy calendar, rooms and rates, reports, the audit
//! log. A download of its own under `/desk`, so guests never load it (and the server refuses
//! its data to them anyway).

mod audit;
mod audit_words;
mod bill;
mod board;
mod calendar;
mod channels;
mod confirm;
mod extras;
mod find;
mod guests;
mod hotel;
mod housekeeping;
mod invoicing;
mod keys;
mod letters;
mod messages;
mod plans;
mod rates;
mod reports;
mod revenue;
mod rooms;
mod taxes;
mod walk_in;
mod webhooks;

pub use audit::AuditPage;
pub use bill::BillPage;
pub use board::DeskPage;
pub use calendar::DeskCalendarPage;
pub use guests::GuestsPage;
pub use hotel::HotelPage;
pub use housekeeping::HousekeepingPage;
pub use letters::LettersPage;
pub use messages::MessagesPage;
pub use rates::RatesPage;
pub use reports::ReportsPage;
pub use rooms::DeskRoomsPage;

use hotel_shared::Booking;
use leptos::prelude::*;

use crate::api;
use crate::app::{Shell, routed, use_ctx};
use crate::logic::Page;
use crate::nav::MenuLink;

/// Leaves the front desk for a page of the guest portal (another download).
fn go_to(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(path);
    }
}

#[component]
pub fn DeskApp() -> impl IntoView {
    view! {
        <Shell what="the front desk" header=DeskHeader>
            <DeskPages/>
        </Shell>
    }
}

#[component]
fn DeskPages() -> impl IntoView {
    routed(|page| match page {
        Page::Desk => view! { <DeskPage/> }.into_any(),
        Page::DeskCalendar => view! { <DeskCalendarPage/> }.into_any(),
        Page::DeskRooms => view! { <DeskRoomsPage/> }.into_any(),
        Page::DeskReports => view! { <ReportsPage/> }.into_any(),
        Page::DeskAudit => view! { <AuditPage/> }.into_any(),
        Page::DeskHotel => view! { <HotelPage/> }.into_any(),
        Page::DeskHousekeeping => view! { <HousekeepingPage/> }.into_any(),
        Page::DeskBill => view! { <BillPage/> }.into_any(),
        Page::DeskGuests => view! { <GuestsPage/> }.into_any(),
        Page::DeskRates => view! { <RatesPage/> }.into_any(),
        Page::DeskMessages => view! { <MessagesPage/> }.into_any(),
        Page::DeskLetters => view! { <LettersPage/> }.into_any(),
        _ => view! {
            <h1>"There is no such page"</h1>
            <p><a href="/desk">"Back to the front desk"</a></p>
        }
        .into_any(),
    })
}

#[component]
fn DeskHeader() -> impl IntoView {
    let ctx = use_ctx();
    let sign_out = Action::new_local(move |_: &()| async move {
        let _ = api::logout().await;
        ctx.signed_in(None);
        go_to("/signin");
    });
    view! {
        <header class="top">
            <span class="brand">
                {move || if ctx.is_housekeeper() { "Hotel · Housekeeping" } else { "Hotel · Front desk" }}
            </span>
            <nav aria-label="Front desk">
                <Show when=move || ctx.is_staff()>
                    <MenuLink href="/desk" exact=true>"Today"</MenuLink>
                    <MenuLink href="/desk/guests">"Guests"</MenuLink>
                    <MenuLink href="/desk/calendar">"Calendar"</MenuLink>
                    <MenuLink href="/desk/rooms">"Rooms and rates"</MenuLink>
                    <MenuLink href="/desk/rates">"Rates calendar"</MenuLink>
                    <MenuLink href="/desk/reports">"Reports"</MenuLink>
                    <MenuLink href="/desk/audit">"Audit log"</MenuLink>
                    <MenuLink href="/desk/messages">"Messages"</MenuLink>
                    <MenuLink href="/desk/letters">"Letters"</MenuLink>
                    <MenuLink href="/desk/housekeeping">"Housekeeping"</MenuLink>
                    <MenuLink href="/desk/hotel">"Hotel profile"</MenuLink>
                </Show>
                <Show when=move || ctx.is_housekeeper()>
                    <MenuLink href="/desk/housekeeping">"Rooms to clean"</MenuLink>
                </Show>
                <a href="/" rel="external">"Guest site"</a>
                {move || ctx.user().map(|me| view! {
                    <span class="who">"Signed in as " <strong>{me.username}</strong></span>
                    <button
                        id="signout"
                        class="secondary"
                        disabled=move || sign_out.pending().get()
                        on:click=move |_| { sign_out.dispatch(()); }
                    >
                        "Sign out"
                    </button>
                })}
            </nav>
        </header>
    }
}

/// What a page of the front desk shows anyone who is not staff.
#[component]
fn StaffOnly() -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <h1>"Front desk"</h1>
        <p class="message error" role="alert">"This is for hotel staff only."</p>
        {move || ctx.user().is_none().then(|| view! {
            <p><a href="/signin" rel="external">"Sign in with a staff account"</a></p>
        })}
    }
}

/// An amount as a clerk types it into a field: the figure without the currency ("95.50").
fn amount_text(minor: i64, currency: &str) -> String {
    let text = hotel_shared::money::format(minor, currency);
    text.split_once(' ')
        .map_or(text.clone(), |(_, figure)| figure.to_string())
}

/// A day as the desk reads it: "Mon 30 Nov 2026".
fn day(d: hotel_shared::Date) -> String {
    crate::i18n::date(crate::i18n::Lang::En, d)
}

/// Who a stay is for, as the desk calls them: their name when the hotel knows it.
fn who(b: &Booking) -> String {
    b.guest_name.clone().unwrap_or_else(|| b.guest.clone())
}

/// A stay in one line, as the desk reads it.
fn stay_summary(b: &Booking) -> String {
    // A booking site's sale says which site and under what reference the guest knows it.
    let through = match (&b.channel, &b.external_reference) {
        (Some(site), Some(reference)) => format!(" · via {site} ({reference})"),
        (Some(site), None) => format!(" · via {site}"),
        _ => String::new(),
    };
    format!(
        "{} · room {} ({}) · {} {} · {} → {} · {}{through}",
        who(b),
        b.room_number,
        b.room_type,
        b.guests,
        if b.guests == 1 { "guest" } else { "guests" },
        day(b.check_in),
        day(b.check_out),
        b.status.label()
    )
}

/// The language the hotel writes to a guest in, to pick.
#[component]
pub fn LanguageSelect(
    id: &'static str,
    language: RwSignal<hotel_shared::Language>,
) -> impl IntoView {
    view! {
        <select id=id on:change=move |ev| {
            if let Some(l) = hotel_shared::Language::parse(&event_target_value(&ev)) {
                language.set(l);
            }
        }>
            {hotel_shared::Language::ALL.iter().map(|l| {
                let l = *l;
                view! {
                    <option value=l.as_str() selected=move || language.get() == l>{l.name()}</option>
                }
            }).collect_view()}
        </select>
    }
}
