//! Stay rules are shared with the clients, so they are defined once, in `hotel_shared`.

pub use hotel_shared::stay::*;
