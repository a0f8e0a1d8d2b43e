//! The Hotel web app, rendered in the browser (Leptos CSR), as two downloads: the guest portal
//! (`hotel-frontend`: search, offers, booking, confirmation, my bookings, sign-in) that every visitor loads,
//! and the front desk (`hotel-desk`, under `/desk`) that only staff load. They share this
//! library: the API calls, the page rules and the small widgets.

pub mod api;
pub mod app;
pub mod desk;
pub mod i18n;
pub mod load;
pub mod logic;
pub mod nav;
pub mod pages;
pub mod widgets;
