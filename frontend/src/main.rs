//! The Hotel web app: guests book and manage their stays; rendered in the browser (Leptos CSR).

mod api;
mod app;
mod logic;
mod pages;
mod widgets;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
