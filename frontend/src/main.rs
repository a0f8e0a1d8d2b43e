//! The guest portal: search, offers, booking, confirmation, my bookings, sign-in.

fn main() {
    leptos::mount::mount_to_body(hotel_frontend::app::App);
}
