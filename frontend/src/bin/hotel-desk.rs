//! The front desk (staff only), served under `/desk`.

fn main() {
    leptos::mount::mount_to_body(hotel_frontend::desk::DeskApp);
}
