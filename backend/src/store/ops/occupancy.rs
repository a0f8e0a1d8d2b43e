//! Which rooms are taken. SQLite's engine keeps the rooms held each night in memory
//! (`store/night_index.rs`); PostgreSQL, where several servers share the database, reads
//! `night_rooms` (migration 0013): 1,024 rooms to a row, kept by triggers in the statement that
//! changes `room_nights`. Either way a search looks at one set of bits per night (of a hotel up
//! to 1,024 rooms), however many rooms are sold, so a full hotel answers as fast as an empty
//! one.

use std::sync::LazyLock;

use hotel_shared::Date;

use crate::store::StoreResult;
use crate::store::catalog::CatalogRoom;
use crate::store::sql::{SqlRow, Tx, params};

/// Rooms that cannot be sold on some night of a range: held by a stay, or out of service
/// for a while. Room `r` is bit `r & 63` of word `r >> 6` (word `i` of a row is column
/// `w{i % 16}` of block `i / 16`).
#[derive(Debug, Default)]
pub(crate) struct TakenRooms {
    /// (word, bits), ascending by word, each word once.
    words: Vec<(i64, u64)>,
}

impl TakenRooms {
    fn from_words(mut words: Vec<(i64, u64)>) -> TakenRooms {
        words.sort_unstable_by_key(|w| w.0);
        // Equal words are merged into the first of them (the one kept).
        words.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 |= later.1;
            }
            same
        });
        TakenRooms { words }
    }

    pub fn contains(&self, room: u32) -> bool {
        self.word_of(room) & (1 << (room & 63)) != 0
    }

    /// The taken bits of the 64 rooms `room` shares a word with.
    fn word_of(&self, room: u32) -> u64 {
        let word = i64::from(room >> 6);
        self.words
            .binary_search_by_key(&word, |w| w.0)
            .map_or(0, |i| self.words[i].1)
    }

    /// The rooms of `rooms` (ascending by number) that are not taken. Where all 64 rooms of
    /// a word are taken it skips them at once, so on a full hotel the search for the lowest
    /// free room does not visit every sold one.
    pub fn free_among<'a>(
        &'a self,
        rooms: &'a [CatalogRoom],
    ) -> impl Iterator<Item = &'a CatalogRoom> + 'a {
        let mut i = 0;
        std::iter::from_fn(move || {
            while let Some(room) = rooms.get(i) {
                let bits = self.word_of(room.number);
                if bits == u64::MAX {
                    let next = (room.number | 63).saturating_add(1);
                    i += rooms[i..].partition_point(|r| r.number < next).max(1);
                    continue;
                }
                i += 1;
                if bits & (1 << (room.number & 63)) == 0 {
                    return Some(room);
                }
            }
            None
        })
    }
}

/// Words to a row of `night_rooms`: 1,024 rooms.
const WORDS: usize = 16;

/// Taken rooms as rows of words: `night_rooms` over `$1..$2` (a row a night and block), then
/// the rooms out of service then (a row each).
static ROWS_SQL: LazyLock<String> = LazyLock::new(|| {
    let blocked: Vec<String> = (0..WORDS)
        .map(|i| format!("CASE WHEN (room >> 6) & 15 = {i} THEN CAST(1 AS BIGINT) << (room & 63) ELSE 0 END AS w{i}"))
        .collect();
    format!(
        "SELECT block, {} FROM night_rooms WHERE night >= $1 AND night < $2 \
         UNION ALL SELECT room >> 10 AS block, {} FROM room_blocks \
         WHERE start_date < $2 AND end_date > $1",
        word_columns(),
        blocked.join(", ")
    )
});

/// The same, each word ORed by the database, one row per block: a month's quote gets one row
/// back however many rooms are sold.
static TAKEN_SQL: LazyLock<String> = LazyLock::new(|| {
    let ored: Vec<String> = (0..WORDS)
        .map(|i| format!("bit_or(w{i}) AS w{i}"))
        .collect();
    format!(
        "SELECT block, {} FROM ({}) AS taken GROUP BY block",
        ored.join(", "),
        *ROWS_SQL
    )
});

/// Stays up to this many nights read the rows (`ROWS_SQL`) and OR them here: for a few rows
/// that is cheaper than sixteen aggregates in the database, which took a quarter of a
/// booking's instructions in the writer. Longer ranges have them merged by the database
/// (`TAKEN_SQL`): for 30 nights the two measured the same on SQLite, and PostgreSQL sends one
/// row instead of thirty.
const SHORT_STAY: i64 = 7;

static HELD_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT block, {}, night FROM night_rooms WHERE night >= $1 AND night < $2",
        word_columns()
    )
});

/// `w0, w1, …, w15`: a row's words in order, which `words_of` reads by position.
fn word_columns() -> String {
    (0..WORDS)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The words of one row: (word, bits) for those with a room taken.
fn words_of(row: &SqlRow) -> StoreResult<impl Iterator<Item = (i64, u64)>> {
    let block = row.int("block")?;
    let mut words = [0u64; WORDS];
    // Columns w0 to w15 follow the block in every query here: read by position, not name.
    for (i, word) in words.iter_mut().enumerate() {
        *word = bits_of(row.int_at(i + 1)?);
    }
    Ok((0i64..)
        .zip(words)
        .filter(|(_, bits)| *bits != 0)
        .map(move |(i, bits)| (block * WORDS as i64 + i, bits)))
}

/// Rooms held by a stay, or out of service in a range, on any night of `from..to`.
pub(crate) async fn unavailable<T: Tx>(
    tx: &mut T,
    from: Date,
    to: Date,
) -> StoreResult<TakenRooms> {
    if let Some(mut words) = tx.held_words(from, to) {
        // A short statement: the long one with a column per word cost a booking more to hash,
        // look up and rewrite than to run, on a table that is mostly empty.
        let blocked = tx
            .query(
                "SELECT room FROM room_blocks WHERE start_date < $2 AND end_date > $1",
                params![from, to],
            )
            .await?;
        for row in &blocked {
            let room = row.u32("room")?;
            words.push((i64::from(room >> 6), 1 << (room & 63)));
        }
        return Ok(TakenRooms::from_words(words));
    }
    let sql = if from.days_until(to) <= SHORT_STAY {
        &ROWS_SQL
    } else {
        &TAKEN_SQL
    };
    let rows = tx.query(sql, params![from, to]).await?;
    let mut words = Vec::new();
    for row in &rows {
        words.extend(words_of(row)?);
    }
    Ok(TakenRooms::from_words(words))
}

/// Every (room, night) held by a stay from `from` until before `to`.
pub(crate) async fn held_room_nights<T: Tx>(
    tx: &mut T,
    from: Date,
    to: Date,
) -> StoreResult<Vec<(u32, Date)>> {
    if let Some(held) = tx.held_nights(from, to) {
        return Ok(held);
    }
    let rows = tx.query(&HELD_SQL, params![from, to]).await?;
    let mut held = Vec::new();
    for row in &rows {
        let night = row.date("night")?;
        for (word, bits) in words_of(row)? {
            held.extend(rooms_in(word, bits).map(|room| (room, night)));
        }
    }
    Ok(held)
}

/// The database keeps a word as a signed 64-bit integer; room 63 of it is the sign bit.
fn bits_of(stored: i64) -> u64 {
    u64::from_ne_bytes(stored.to_ne_bytes())
}

pub(crate) fn rooms_in(word: i64, bits: u64) -> impl Iterator<Item = u32> {
    (0..64u32)
        .filter(move |b| bits & (1 << b) != 0)
        .filter_map(move |b| u32::try_from(word * 64 + i64::from(b)).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taken_rooms_merge_words_and_find_each_room() {
        let taken = TakenRooms::from_words(vec![(1, 1 << 3), (0, 1 << 5), (1, bits_of(i64::MIN))]);
        assert!(taken.contains(5));
        assert!(taken.contains(64 + 3));
        assert!(taken.contains(127), "bit 63 is the sign bit as stored");
        assert!(!taken.contains(4));
        assert!(!taken.contains(64 + 4));
        assert!(!taken.contains(200));
    }

    fn room(number: u32) -> CatalogRoom {
        CatalogRoom {
            number,
            type_id: Some(1),
            room_type: String::new(),
            capacity: 2,
            rate: 0,
            out_of_service: false,
            retired: false,
        }
    }

    #[test]
    fn free_among_skips_full_words_and_finds_every_free_room() {
        let rooms: Vec<CatalogRoom> = (1..=200).map(room).collect();
        // Rooms 64 to 127 all taken (a full word), 130 and 1 taken.
        let taken = TakenRooms::from_words(vec![(1, u64::MAX), (2, 1 << 2), (0, 1 << 1)]);
        let free: Vec<u32> = taken.free_among(&rooms).map(|r| r.number).collect();
        let expected: Vec<u32> = (1..=200)
            .filter(|n| !(64..128).contains(n) && *n != 130 && *n != 1)
            .collect();
        assert_eq!(free, expected);
        let none = TakenRooms::default();
        assert_eq!(none.free_among(&rooms).count(), 200);
    }

    #[test]
    fn rooms_in_a_word_are_its_set_bits() {
        let rooms: Vec<u32> = rooms_in(2, (1 << 0) | (1 << 63)).collect();
        assert_eq!(rooms, vec![128, 191]);
    }
}
