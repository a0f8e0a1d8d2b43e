//! The staff section: front-desk board, occupancy calendar, rooms and rates, reports, audit
//! log. Guests never see it (and the server refuses them anyway).

mod audit;
mod board;
mod calendar;
mod reports;
mod rooms;

pub use audit::AuditPage;
pub use board::DeskPage;
pub use calendar::DeskCalendarPage;
pub use reports::ReportsPage;
pub use rooms::DeskRoomsPage;

use hotel_shared::Booking;
use leptos::prelude::*;
use leptos_router::components::{A, Redirect};

use crate::app::use_ctx;

/// What a page of this section shows anyone who is not staff.
#[component]
fn StaffOnly() -> impl IntoView {
    let ctx = use_ctx();
    view! {
        {move || ctx.user().is_none().then(|| view! { <Redirect path="/signin"/> })}
        <h1>"Front desk"</h1>
        <p class="message error" role="alert">"This is for hotel staff only."</p>
    }
}

#[component]
fn DeskNav() -> impl IntoView {
    view! {
        <nav class="subnav" aria-label="Front desk">
            <A href="/desk" exact=true>"Today"</A>
            <A href="/desk/calendar">"Calendar"</A>
            <A href="/desk/rooms">"Rooms and rates"</A>
            <A href="/desk/reports">"Reports"</A>
            <A href="/desk/audit">"Audit log"</A>
        </nav>
    }
}

/// A stay in one line, as the desk reads it.
fn stay_summary(b: &Booking) -> String {
    format!(
        "{} · room {} ({}) · {} {} · {} → {} · {}",
        b.guest,
        b.room_number,
        b.room_type,
        b.guests,
        if b.guests == 1 { "guest" } else { "guests" },
        b.check_in,
        b.check_out,
        b.status.label()
    )
}
