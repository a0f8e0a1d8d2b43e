//! The limits a hotel sets so that one client cannot take the whole hotel: how many
//! room-nights one booking and one guest may hold, and how fast one address or account may
//! sign up and book. Staff and the desk are not limited.

use super::DomainError;

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

/// Room-nights guests from one client address may book in a day: `share_percent` of the
/// hotel's rooms for the next 30 nights, and never less than one guest may hold (`floor`),
/// so that one guest on a shared network can always book. 0 turns it off.
pub fn address_room_nights(rooms_in_hotel: usize, share_percent: u32, floor: u32) -> u64 {
    let month = u64::try_from(rooms_in_hotel)
        .unwrap_or(u64::MAX)
        .saturating_mul(30);
    (month.saturating_mul(u64::from(share_percent)) / 100).max(u64::from(floor))
}

/// Changes a guest may make to one booking in a day (moves to another room): each is an
/// audit entry kept for good, so one guest cannot grow the log without bound. The desk is
/// not limited.
pub const MAX_GUEST_CHANGES: u32 = 10;
pub const GUEST_CHANGES_WINDOW_SECS: i64 = 24 * 3600;

/// The window the address budget is counted in.
pub const ADDRESS_WINDOW_SECS: i64 = 24 * 3600;

/// What a limit counts one client by: its IPv4 address, or the /64 network of its IPv6
/// address (one household or server holds a whole /64, so single addresses cost nothing).
pub fn client_subject(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let network = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{network}/64")
            }
        },
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

    /// The room-nights of `rooms` rooms for `nights` nights; `BookingTooLarge` when one
    /// booking may not hold that many.
    pub fn booking_size(&self, rooms: u32, nights: i64) -> Result<u64, DomainError> {
        let asked = room_nights(rooms, nights);
        let limit = self.room_nights_per_booking;
        if limit > 0 && asked > u64::from(limit) {
            return Err(DomainError::BookingTooLarge { limit });
        }
        Ok(asked)
    }
}

/// Room-nights of `rooms` rooms for `nights` nights, without overflow.
pub fn room_nights(rooms: u32, nights: i64) -> u64 {
    u64::from(rooms).saturating_mul(nights.max(0).unsigned_abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_booking_may_hold_up_to_its_limit_of_room_nights() {
        let limits = GuestLimits {
            room_nights_per_booking: 60,
            open_room_nights: 0,
        };
        assert_eq!(limits.booking_size(3, 20), Ok(60));
        assert!(matches!(
            limits.booking_size(4, 16),
            Err(DomainError::BookingTooLarge { limit: 60 })
        ));
        assert_eq!(GuestLimits::OFF.booking_size(1000, 365).ok(), Some(365_000));
    }

    #[test]
    fn room_nights_multiply_and_never_overflow() {
        assert_eq!(room_nights(6, 1), 6);
        assert_eq!(room_nights(3, 20), 60);
        assert_eq!(room_nights(u32::MAX, i64::MAX), u64::MAX);
        assert_eq!(room_nights(2, -1), 0);
    }

    #[test]
    fn the_address_budget_is_a_share_of_the_hotel_and_never_below_one_guest() {
        // 20 rooms x 30 nights x 10 % = 60; 200 rooms: 600.
        assert_eq!(address_room_nights(20, 10, 60), 60);
        assert_eq!(address_room_nights(200, 10, 60), 600);
        assert_eq!(address_room_nights(5, 10, 60), 60);
        assert_eq!(address_room_nights(usize::MAX, 100, 0), u64::MAX / 100);
    }

    #[test]
    fn ipv6_clients_count_by_their_64_network() {
        let a: std::net::IpAddr = "2001:db8:1:2:aaaa::1"
            .parse()
            .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
        let b: std::net::IpAddr = "2001:db8:1:2:bbbb::9"
            .parse()
            .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
        let other: std::net::IpAddr = "2001:db8:1:3::1"
            .parse()
            .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
        assert_eq!(client_subject(a), "2001:db8:1:2::/64");
        assert_eq!(client_subject(a), client_subject(b));
        assert_ne!(client_subject(a), client_subject(other));
        let mapped: std::net::IpAddr = "::ffff:192.0.2.7"
            .parse()
            .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
        assert_eq!(client_subject(mapped), "192.0.2.7");
    }

    #[test]
    fn zero_turns_a_rate_limit_off() {
        assert!(!RateLimit::signups_per_hour(0).is_on());
        assert!(RateLimit::bookings_per_minute_by_address(60).is_on());
    }
}
