//! API tests: a real server on a random port, a fresh SQLite file each, real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod back_office;
mod catalog;
mod concurrency;
mod dates;
mod durability;
mod folio;
mod guest_site;
mod guests;
mod hardening;
mod helpers;
mod housekeeping;
mod instances;
mod limits;
mod no_show;
mod paging;
mod protocol;
mod rates;
mod restore;
mod routes;
mod sessions;
mod staff;
mod transport;
mod web;
