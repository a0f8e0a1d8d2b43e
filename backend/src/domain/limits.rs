//! The limits a hotel sets so that one client cannot take the whole hotel: how many
//! room-nights one booking and one guest may hold, and how fast one address or account may
//! sign up and book. Staff and the desk are not limited.

/// A number of requests in a fixed window of time, counted per subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// What is counted; the counters of different limits never mix.
    pub scope: &'static str,
    /// Most requests per window; 0 turns the limit off.
    pub max: u32,
    pub window_secs: i64,
}

impl RateLimit {
    pub const fn signups_per_hour(max: u32) -> RateLimit {
        RateLimit {
            scope: "signup_address",
            max,
            window_secs: 3600,
        }
    }

    pub const fn bookings_per_minute_by_address(max: u32) -> RateLimit {
        RateLimit {
            scope: "booking_address",
            max,
            window_secs: 60,
        }
    }

    pub const fn bookings_per_minute_by_account(max: u32) -> RateLimit {
        RateLimit {
            scope: "booking_account",
            max,
            window_secs: 60,
        }
    }

    pub fn is_on(&self) -> bool {
        self.max > 0
    }
}

/// How much of the hotel one guest may hold. 0 turns a limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuestLimits {
    pub room_nights_per_booking: u32,
    pub open_room_nights: u32,
}

impl GuestLimits {
    pub const OFF: GuestLimits = GuestLimits {
        room_nights_per_booking: 0,
        open_room_nights: 0,
    };
}

/// Room-nights of `rooms` rooms for `nights` nights, without overflow.
pub fn room_nights(rooms: u32, nights: i64) -> u64 {
    u64::from(rooms).saturating_mul(nights.max(0).unsigned_abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_nights_multiply_and_never_overflow() {
        assert_eq!(room_nights(6, 1), 6);
        assert_eq!(room_nights(3, 20), 60);
        assert_eq!(room_nights(u32::MAX, i64::MAX), u64::MAX);
        assert_eq!(room_nights(2, -1), 0);
    }

    #[test]
    fn zero_turns_a_rate_limit_off() {
        assert!(!RateLimit::signups_per_hour(0).is_on());
        assert!(RateLimit::bookings_per_minute_by_address(60).is_on());
    }
}
