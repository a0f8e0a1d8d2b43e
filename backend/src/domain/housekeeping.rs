//! Housekeeping rules: what a stored state means, and who sleeps in a room around today.

use hotel_shared::Date;
use hotel_shared::housekeeping::{RoomCondition, RoomOccupancy};

/// A stored state; anything unexpected counts as dirty, so no guest is sent to a room nobody
/// vouched for.
pub fn condition(stored: &str) -> RoomCondition {
    RoomCondition::parse(stored).unwrap_or(RoomCondition::Dirty)
}

/// One held night of a room, with the stay that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldNight {
    pub night: Date,
    pub booking_id: i64,
}

/// Who sleeps in a room around `today`, from its held nights of yesterday and today (a stay
/// checked out early keeps the nights it used, so its departure still shows).
pub fn occupancy(today: Date, held: &[HeldNight]) -> RoomOccupancy {
    let yesterday = today.checked_add_days(-1);
    let last_night = held
        .iter()
        .find(|h| Some(h.night) == yesterday)
        .map(|h| h.booking_id);
    let tonight = held.iter().find(|h| h.night == today).map(|h| h.booking_id);
    match (last_night, tonight) {
        (None, None) => RoomOccupancy::Vacant,
        (None, Some(_)) => RoomOccupancy::Arrival,
        (Some(_), None) => RoomOccupancy::Departure,
        (Some(a), Some(b)) if a == b => RoomOccupancy::Stayover,
        (Some(_), Some(_)) => RoomOccupancy::DepartureAndArrival,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap_or_else(|_| panic!("bad date {s}"))
    }

    fn night(s: &str, booking_id: i64) -> HeldNight {
        HeldNight {
            night: day(s),
            booking_id,
        }
    }

    #[test]
    fn occupancy_tells_each_turn_of_a_room() {
        let today = day("2026-05-10");
        assert_eq!(occupancy(today, &[]), RoomOccupancy::Vacant);
        assert_eq!(
            occupancy(today, &[night("2026-05-10", 1)]),
            RoomOccupancy::Arrival
        );
        assert_eq!(
            occupancy(today, &[night("2026-05-09", 1)]),
            RoomOccupancy::Departure
        );
        assert_eq!(
            occupancy(today, &[night("2026-05-09", 1), night("2026-05-10", 1)]),
            RoomOccupancy::Stayover
        );
        assert_eq!(
            occupancy(today, &[night("2026-05-09", 1), night("2026-05-10", 2)]),
            RoomOccupancy::DepartureAndArrival
        );
    }

    #[test]
    fn an_unknown_stored_state_counts_as_dirty() {
        assert_eq!(condition("clean"), RoomCondition::Clean);
        assert_eq!(condition("inspected"), RoomCondition::Inspected);
        assert_eq!(condition("sparkling"), RoomCondition::Dirty);
    }
}
