//! One module per page, each reachable by its own URL (`hotel_shared::paths::PAGES`, and a
//! booking's at `/bookings/{reference}`).

mod book;
mod bookings;
mod home;
mod password;
mod reservation;
mod reset;
mod signin;

pub use book::BookPage;
pub use bookings::BookingsPage;
pub use home::HomePage;
pub use reservation::ReservationPage;
pub use reset::{ConfirmEmailPage, ResetPasswordPage};
pub use signin::SignInPage;

use leptos::prelude::*;

use crate::app::use_ctx;

#[component]
pub fn NotFound() -> impl IntoView {
    let ctx = use_ctx();
    ctx.title(ctx.tr("Page not found", "Seite nicht gefunden"));
    view! {
        <h1 tabindex="-1">{ctx.tr("There is no such page", "Diese Seite gibt es nicht")}</h1>
        <p><a href="/">{ctx.tr("Search for a room", "Zimmer suchen")}</a></p>
    }
}
