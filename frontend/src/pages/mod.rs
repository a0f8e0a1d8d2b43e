//! One module per page, each reachable by its own URL (`hotel_shared::paths::PAGES`).

mod bookings;
mod calendar;
mod rooms;
mod signin;

pub use bookings::BookingsPage;
pub use calendar::CalendarPage;
pub use rooms::RoomsPage;
pub use signin::SignInPage;

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"There is no such page"</h1>
        <p><A href="/">"See the rooms"</A></p>
    }
}
