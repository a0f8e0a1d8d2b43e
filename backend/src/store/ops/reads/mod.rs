//! Questions about the hotel that change nothing, by what they ask about.

mod availability;
mod bookings;
mod catalog;
mod quote;
mod report;
mod sessions;

pub use availability::{FreeRooms, Occupancy, RoomsOn, TypeNights};
pub(crate) use bookings::not_sold_before;
pub use bookings::{BookingById, BookingFilter, FeedBookings, SearchBookings};
pub use catalog::{ListBlocks, ListRoomTypes, ListRooms, RoomCount};
pub(crate) use catalog::{block_from, room, room_type};
pub use quote::Quote;
pub use report::ReportData;
pub use sessions::LiveSessions;
