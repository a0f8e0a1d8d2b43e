//! Which rooms stays hold on each night, kept in memory by the SQLite engine.
//!
//! Kept in a table (PostgreSQL's `night_rooms`, a row of bits per night kept by triggers), the
//! same bits cost a booking a row upserted per room-night taken, one updated per room-night
//! freed and a read of the stay's rows to find a free room: a third of the writer's
//! instructions. So the writer keeps them in memory, rebuilt from `room_nights` at start and
//! changed by triggers on every row of `room_nights` its connection inserts, deletes or moves:
//! the one place every change passes, whichever op makes it, so none can forget to. The
//! triggers are `TEMP` (they live in the writer's connection, not in the file, so anyone else
//! who opens the file writes it as before) and call `held_room`, a function of this module
//! that changes a bit in memory. The primary key of `room_nights` stays the final guard
//! against a double booking.
//!
//! Changes are logged until their batch commits, so that a statement that fails, a job
//! rolled back to its savepoint, or a batch that does not commit takes its bits back out. Reads
//! see the committed bits only: the writer copies each batch's changes into the shared
//! `NightIndex` after its commit and before anyone is told the batch succeeded.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use hotel_shared::Date;
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;

use super::ops::occupancy::rooms_in;

/// Rooms held on each night. Room `r` is bit `r & 63` of word `r >> 6`; a night keeps only
/// its words with a room held, ascending by word (room numbers go up to a million, so a dense
/// row per night would be large for a hotel that numbers its rooms by floor).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct NightIndex {
    nights: BTreeMap<Date, Vec<(u32, u64)>>,
}

impl NightIndex {
    /// Marks `room` held or free on `night`; says whether it was held before.
    pub fn set(&mut self, room: u32, night: Date, held: bool) -> bool {
        let (word, bit) = (room >> 6, 1u64 << (room & 63));
        let words = self.nights.entry(night).or_default();
        let was = match words.binary_search_by_key(&word, |w| w.0) {
            Ok(i) => {
                let was = words[i].1 & bit != 0;
                if held {
                    words[i].1 |= bit;
                } else {
                    words[i].1 &= !bit;
                    if words[i].1 == 0 {
                        words.remove(i);
                    }
                }
                was
            }
            Err(i) => {
                if held {
                    words.insert(i, (word, bit));
                }
                false
            }
        };
        if words.is_empty() {
            self.nights.remove(&night);
        }
        was
    }

    fn nights(&self, from: Date, to: Date) -> impl Iterator<Item = (&Date, &Vec<(u32, u64)>)> {
        // `range` panics on a reversed range; an empty one asks about no night.
        (from < to)
            .then(|| self.nights.range(from..to))
            .into_iter()
            .flatten()
    }

    /// (word, bits) of the rooms held on any night of `from..to`, a pair per night and word.
    pub fn held_words(&self, from: Date, to: Date) -> Vec<(i64, u64)> {
        self.nights(from, to)
            .flat_map(|(_, words)| words.iter().map(|&(w, bits)| (i64::from(w), bits)))
            .collect()
    }

    /// Every (room, night) held from `from` until before `to`.
    pub fn held(&self, from: Date, to: Date) -> Vec<(u32, Date)> {
        let mut held = Vec::new();
        for (&night, words) in self.nights(from, to) {
            for &(word, bits) in words {
                held.extend(rooms_in(i64::from(word), bits).map(|room| (room, night)));
            }
        }
        held
    }

    /// Every row of `room_nights`.
    pub fn read(conn: &Connection) -> rusqlite::Result<NightIndex> {
        let mut index = NightIndex::default();
        let mut stmt = conn.prepare("SELECT room, night FROM room_nights")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let night: String = row.get(1)?;
            let night = night.parse().map_err(|_| {
                rusqlite::Error::InvalidColumnType(1, "night".into(), rusqlite::types::Type::Text)
            })?;
            index.set(row.get(0)?, night, true);
        }
        Ok(index)
    }
}

/// One room-night that changed in the batch being written.
#[derive(Debug, Clone, Copy)]
struct Change {
    room: u32,
    night: Date,
    was: bool,
    now: bool,
}

/// The writer's bits: the committed ones with the open batch's changes, and the log that takes
/// them back out.
#[derive(Debug, Default)]
pub(super) struct WriterIndex {
    index: NightIndex,
    log: Vec<Change>,
    /// Where the running job's changes begin in `log`.
    job_start: usize,
}

impl WriterIndex {
    fn record(&mut self, room: u32, night: Date, now: bool) {
        let was = self.index.set(room, night, now);
        if was != now {
            self.log.push(Change {
                room,
                night,
                was,
                now,
            });
        }
    }

    /// A point to come back to if what follows fails.
    pub fn mark(&self) -> usize {
        self.log.len()
    }

    /// Takes back every change since `mark`, newest first.
    pub fn undo_to(&mut self, mark: usize) {
        while self.log.len() > mark {
            if let Some(c) = self.log.pop() {
                self.index.set(c.room, c.night, c.was);
            }
        }
        self.job_start = self.job_start.min(mark);
    }

    pub fn begin_job(&mut self) {
        self.job_start = self.log.len();
    }

    /// The job was rolled back to its savepoint.
    pub fn drop_job(&mut self) {
        self.undo_to(self.job_start);
    }

    /// The batch committed: readers get its changes.
    pub fn commit(&mut self, committed: &RwLock<NightIndex>) {
        if !self.log.is_empty() {
            let mut shared = committed.write().unwrap_or_else(PoisonError::into_inner);
            for c in &self.log {
                shared.set(c.room, c.night, c.now);
            }
        }
        self.log.clear();
        self.job_start = 0;
    }

    /// The batch rolled back as a whole.
    pub fn abort(&mut self) {
        self.undo_to(0);
    }

    pub fn index(&self) -> &NightIndex {
        &self.index
    }
}

/// The writer's bits and the committed ones, from the rows at start.
#[derive(Clone)]
pub(super) struct HeldRooms {
    pub writer: Arc<Mutex<WriterIndex>>,
    pub committed: Arc<RwLock<NightIndex>>,
}

impl HeldRooms {
    /// Reads `room_nights` and has `conn` (the writer's) keep the bits from now on.
    pub fn follow(conn: &mut Connection) -> rusqlite::Result<HeldRooms> {
        let index = NightIndex::read(conn)?;
        let held = HeldRooms {
            writer: Arc::new(Mutex::new(WriterIndex {
                index: index.clone(),
                ..WriterIndex::default()
            })),
            committed: Arc::new(RwLock::new(index)),
        };
        let writer = Arc::clone(&held.writer);
        // Not deterministic: each call changes the index, so SQLite must make every one.
        conn.create_scalar_function("held_room", 3, FunctionFlags::SQLITE_UTF8, move |ctx| {
            if let Some((room, night)) = key(ctx.get_raw(0), ctx.get_raw(1)) {
                lock(&writer).record(room, night, ctx.get::<bool>(2)?);
            }
            Ok(0)
        })?;
        conn.execute_batch(
            "CREATE TEMP TRIGGER held_room_take AFTER INSERT ON main.room_nights BEGIN
                 SELECT held_room(NEW.room, NEW.night, 1);
             END;
             CREATE TEMP TRIGGER held_room_free AFTER DELETE ON main.room_nights BEGIN
                 SELECT held_room(OLD.room, OLD.night, 0);
             END;
             CREATE TEMP TRIGGER held_room_move AFTER UPDATE OF room, night ON main.room_nights
             BEGIN
                 SELECT held_room(OLD.room, OLD.night, 0);
                 SELECT held_room(NEW.room, NEW.night, 1);
             END;",
        )?;
        Ok(held)
    }
}

pub(super) fn lock(writer: &Mutex<WriterIndex>) -> MutexGuard<'_, WriterIndex> {
    // The index is only changed through `record` and the log, which leave it whole; a panic
    // elsewhere while it was held does not make it wrong.
    writer.lock().unwrap_or_else(PoisonError::into_inner)
}

fn key(room: ValueRef<'_>, night: ValueRef<'_>) -> Option<(u32, Date)> {
    let parsed = match (room, night) {
        (ValueRef::Integer(r), ValueRef::Text(n)) => u32::try_from(r)
            .ok()
            .zip(std::str::from_utf8(n).ok().and_then(|n| n.parse().ok())),
        _ => None,
    };
    if parsed.is_none() {
        // The schema's types make this unreachable through the ops; a row put in by hand
        // with a night that is not a date cannot be booked or found by night either way.
        tracing::error!("a room-night that is not a room and a date was written");
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> Date {
        Date::new(2030, 1, d).unwrap_or_default()
    }

    #[test]
    fn set_keeps_only_held_words_and_says_what_was() {
        let mut index = NightIndex::default();
        assert!(!index.set(127, day(1), true));
        assert!(index.set(127, day(1), true));
        assert!(!index.set(1_000_000, day(2), true));
        assert_eq!(
            index.held(day(1), day(3)),
            vec![(127, day(1)), (1_000_000, day(2))]
        );
        assert_eq!(index.held_words(day(1), day(2)), vec![(1, 1 << 63)]);
        assert!(index.set(127, day(1), false));
        assert!(index.set(1_000_000, day(2), false));
        assert_eq!(
            index,
            NightIndex::default(),
            "no empty night is left behind"
        );
        assert!(
            index.held(day(3), day(1)).is_empty(),
            "a reversed range holds nothing"
        );
    }

    #[test]
    fn undo_and_abort_restore_what_was_before() {
        let committed = RwLock::new(NightIndex::default());
        let mut w = WriterIndex::default();
        w.record(5, day(1), true);
        w.commit(&committed);
        let before = w.index().clone();
        w.begin_job();
        w.record(5, day(1), false);
        w.record(6, day(1), true);
        w.drop_job();
        assert_eq!(*w.index(), before);
        w.begin_job();
        w.record(7, day(2), true);
        let mark = w.mark();
        w.record(8, day(2), true);
        w.undo_to(mark);
        w.abort();
        assert_eq!(*w.index(), before);
        assert_eq!(
            *committed.read().unwrap_or_else(PoisonError::into_inner),
            before
        );
    }
}
