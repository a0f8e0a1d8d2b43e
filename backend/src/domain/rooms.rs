//! Which rooms a booking gets.

use super::DomainError;

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
    fn acquired_order_keeps_first_occurrence() {
        assert_eq!(in_acquired_order([2, 3, 2, 8]), vec![2, 3, 8]);
    }
}
