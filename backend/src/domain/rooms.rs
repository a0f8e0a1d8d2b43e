//! Which rooms a booking gets.

use hotel_shared::Date;
use hotel_shared::staff::{BlockInput, RoomInput, RoomTypeInput};

use super::DomainError;
use super::stay::MAX_DAYS_AHEAD;

/// A room type of a new hotel.
pub struct DefaultRoomType {
    pub name: &'static str,
    pub description: &'static str,
    pub capacity: u32,
    /// Minor units of the hotel's currency.
    pub rate: i64,
}

/// What an empty database starts with; the staff rename and reprice them as they like.
pub const DEFAULT_ROOM_TYPES: &[DefaultRoomType] = &[
    DefaultRoomType {
        name: "Standard",
        description: "Double bed and shower, for one or two.",
        capacity: 2,
        rate: 9_500,
    },
    DefaultRoomType {
        name: "Family",
        description: "Two double beds, for up to four.",
        capacity: 4,
        rate: 14_500,
    },
    DefaultRoomType {
        name: "Suite",
        description: "Bedroom, living room and bath, for up to three.",
        capacity: 3,
        rate: 22_000,
    },
];

/// Type (index into `DEFAULT_ROOM_TYPES`) and floor of room `position` (1-based) of `total`:
/// six tenths standard rooms, three tenths family rooms, the top tenth suites, five rooms to a
/// floor in a small hotel.
pub fn default_layout(position: u32, total: u32) -> (usize, i32) {
    let (p, n) = (u64::from(position), u64::from(total.max(1)));
    let kind = if p * 10 <= (6 * n).max(10) {
        0
    } else if p * 10 <= 9 * n {
        1
    } else {
        2
    };
    let per_floor = (n.div_ceil(20)).max(5);
    let floor = i32::try_from((p.saturating_sub(1)) / per_floor + 1).unwrap_or(i32::MAX);
    (kind, floor)
}

pub const MAX_CAPACITY: u32 = 20;
/// A nightly rate above this (in minor units) is surely a typing mistake.
pub const MAX_RATE: i64 = 100_000_000;
pub const MAX_ROOM_NUMBER: u32 = 1_000_000;

/// A party size as asked for (`None` when not given, which means one guest).
pub fn check_guests(asked: Option<i64>) -> Result<u32, String> {
    match asked {
        None => Ok(1),
        Some(n) if (1..=i64::from(MAX_CAPACITY)).contains(&n) => Ok(n as u32),
        Some(_) => Err(format!(
            "guests must be a whole number from 1 to {MAX_CAPACITY}."
        )),
    }
}

/// Cleans up a room type from a form; the error says what is wrong.
pub fn check_room_type(mut input: RoomTypeInput) -> Result<RoomTypeInput, String> {
    input.name = input.name.trim().to_string();
    input.description = input.description.trim().to_string();
    let len = input.name.chars().count();
    if len == 0 || len > 64 || input.name.chars().any(char::is_control) {
        return Err("name must be 1 to 64 characters.".into());
    }
    if input.description.chars().count() > 500 {
        return Err("description must be at most 500 characters.".into());
    }
    if !(1..=MAX_CAPACITY).contains(&input.capacity) {
        return Err(format!("capacity must be 1 to {MAX_CAPACITY} guests."));
    }
    if !(0..=MAX_RATE).contains(&input.rate) {
        return Err(format!(
            "rate must be 0 to {MAX_RATE}, in minor units (cents)."
        ));
    }
    Ok(input)
}

/// Cleans up a room from a form: a blank out-of-service reason means in service.
pub fn check_room(mut input: RoomInput) -> Result<RoomInput, String> {
    if !(-10..=500).contains(&input.floor) {
        return Err("floor must be -10 to 500.".into());
    }
    input.out_of_service = match input.out_of_service.map(|r| r.trim().to_string()) {
        Some(r) if r.is_empty() => None,
        Some(r) if r.chars().count() > 200 => {
            return Err("out_of_service must be at most 200 characters.".into());
        }
        other => other,
    };
    Ok(input)
}

/// Checks an out-of-service range from a form: a reason, some nights not yet over, and no
/// longer than a stay may be booked ahead.
pub fn check_block(mut input: BlockInput, today: Date) -> Result<BlockInput, String> {
    input.reason = input.reason.trim().to_string();
    if input.reason.is_empty() || input.reason.chars().count() > 200 {
        return Err("reason must be 1 to 200 characters.".into());
    }
    if input.to <= input.from {
        return Err("to must be after from.".into());
    }
    if input.to <= today {
        return Err("The range is already over.".into());
    }
    if input.from.days_until(input.to) > i64::from(MAX_DAYS_AHEAD) + 1 {
        return Err(format!(
            "A range can be at most {} nights.",
            MAX_DAYS_AHEAD + 1
        ));
    }
    Ok(input)
}

pub fn check_room_number(number: u32) -> Result<u32, String> {
    if (1..=MAX_ROOM_NUMBER).contains(&number) {
        Ok(number)
    } else {
        Err(format!("room number must be 1 to {MAX_ROOM_NUMBER}."))
    }
}

/// The lowest-numbered `wanted` rooms of `free` (sorted ascending), all or nothing.
pub fn pick_lowest(free: &[u32], wanted: u32) -> Result<Vec<u32>, DomainError> {
    let available = u32::try_from(free.len()).unwrap_or(u32::MAX);
    if available == 0 {
        return Err(DomainError::NoRoomsAvailable);
    }
    if available < wanted {
        return Err(DomainError::NotEnoughRooms {
            requested: wanted,
            available,
        });
    }
    Ok(free[..wanted as usize].to_vec())
}

/// Room numbers in the order their guest acquired them, each once.
pub fn in_acquired_order(rooms: impl IntoIterator<Item = u32>) -> Vec<u32> {
    let mut seen = Vec::new();
    for room in rooms {
        if !seen.contains(&room) {
            seen.push(room);
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowest_free_rooms_are_taken() {
        assert_eq!(pick_lowest(&[2, 5, 7, 9], 2), Ok(vec![2, 5]));
    }

    #[test]
    fn booking_is_all_or_nothing() {
        assert_eq!(
            pick_lowest(&[2, 5, 7], 6),
            Err(DomainError::NotEnoughRooms {
                requested: 6,
                available: 3
            })
        );
        assert_eq!(pick_lowest(&[], 1), Err(DomainError::NoRoomsAvailable));
    }

    #[test]
    fn default_hotel_has_six_standard_three_family_one_suite() {
        let kinds: Vec<usize> = (1..=10).map(|p| default_layout(p, 10).0).collect();
        assert_eq!(kinds, vec![0, 0, 0, 0, 0, 0, 1, 1, 1, 2]);
        assert_eq!(default_layout(5, 10).1, 1);
        assert_eq!(default_layout(6, 10).1, 2);
        assert_eq!(default_layout(1, 1).0, 0);
    }

    #[test]
    fn party_sizes_are_one_to_twenty() {
        assert_eq!(check_guests(None), Ok(1));
        assert_eq!(check_guests(Some(20)), Ok(20));
        assert!(check_guests(Some(0)).is_err());
        assert!(check_guests(Some(21)).is_err());
    }

    #[test]
    fn room_type_forms_are_checked() {
        let ok = RoomTypeInput {
            name: " Loft ".into(),
            description: String::new(),
            capacity: 2,
            rate: 12_000,
            tax_rate_id: None,
        };
        assert_eq!(
            check_room_type(ok.clone()).map(|t| t.name),
            Ok("Loft".into())
        );
        assert!(
            check_room_type(RoomTypeInput {
                capacity: 0,
                ..ok.clone()
            })
            .is_err()
        );
        assert!(
            check_room_type(RoomTypeInput {
                rate: -1,
                ..ok.clone()
            })
            .is_err()
        );
        assert!(
            check_room_type(RoomTypeInput {
                name: "  ".into(),
                ..ok
            })
            .is_err()
        );
    }

    #[test]
    fn acquired_order_keeps_first_occurrence() {
        assert_eq!(in_acquired_order([2, 3, 2, 8]), vec![2, 3, 8]);
    }
}
