//! The guest portal: rooms, booking, calendar, my bookings, sign-in.

fn main() {
    leptos::mount::mount_to_body(hotel_frontend::app::App);
}
