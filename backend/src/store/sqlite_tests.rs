//! The SQLite engine against a real file: migrating a hotel made by an older version keeps its
//! data and every reference, and the rooms held in the writer's memory follow what SQLite keeps.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

/// A hotel made before housekeeping (migration 7 rebuilds `users`) keeps its accounts,
/// sessions and bookings, with every reference intact.
#[test]
fn migrating_an_older_hotel_keeps_accounts_and_what_refers_to_them() {
    let (_dir, mut conn) = hotel_file_at(6);
    conn.execute_batch(
        "INSERT INTO rooms (number, floor) VALUES (1, 1);
         INSERT INTO users (id, username, password_hash, role, created_at, email)
             VALUES (7, 'ann', 'x', 'staff', '2026-01-01', 'ann@example.com');
         INSERT INTO sessions VALUES (x'01', 7, 0, 99);
         INSERT INTO bookings (id, user_id, room, check_in, check_out, acquired, created_at)
             VALUES (1, 7, 1, '2026-01-01', '2026-01-02', 1, '2026-01-01');",
    )
    .unwrap();

    migrate(&mut conn).unwrap();

    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, MIGRATIONS.len() as i64);
    let fk: i64 = conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1, "foreign keys are on again");
    let (role, email): (String, String) = conn
        .query_row("SELECT role, email FROM users WHERE id = 7", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        (role.as_str(), email.as_str()),
        ("staff", "ann@example.com")
    );
    let broken: Option<String> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .optional()
        .unwrap();
    assert_eq!(broken, None);
    // Bookings still refer to the account, and the new role is allowed.
    conn.execute("UPDATE users SET role = 'housekeeper' WHERE id = 7", [])
        .unwrap();
    assert!(
        conn.execute("DELETE FROM users WHERE id = 7", []).is_err(),
        "bookings refer to the account"
    );
    let taken = conn.execute(
        "INSERT INTO users (username, password_hash, created_at, email) \
         VALUES ('bob', 'x', '2026-01-01', 'ANN@example.com')",
        [],
    );
    assert!(taken.is_err(), "one account per e-mail address still");
}

/// Migration 15 rebuilds `bookings` (a CHECK without an IN list): a hotel made before it keeps
/// its stays, what refers to them and what the table refuses.
#[test]
fn rebuilding_bookings_keeps_stays_their_references_and_their_rules() {
    let (_dir, mut conn) = hotel_file_at(14);
    conn.execute_batch(
        "INSERT INTO rooms (number, floor) VALUES (1, 1);
         INSERT INTO users (id, username, password_hash, role, created_at)
             VALUES (7, 'ann', 'x', 'guest', '2026-01-01');
         INSERT INTO bookings (id, user_id, room, check_in, check_out, status, acquired,
                 created_at, reference, prices)
             VALUES (3, 7, 1, '2026-01-01', '2026-01-03', 'booked', 1, '2026-01-01', 'ABC', '[100,120]');
         INSERT INTO room_nights (room, night, booking_id, amount)
             VALUES (1, '2026-01-01', 3, 100), (1, '2026-01-02', 3, 120);
         INSERT INTO postings (booking_id, kind, description, amount, posted_on, posted_at, actor)
             VALUES (3, 'charge', 'Breakfast', 1500, '2026-01-01', '2026-01-01T08:00:00Z', 'desk');",
    )
    .unwrap();

    migrate(&mut conn).unwrap();

    let (reference, prices, status): (String, String, String) = conn
        .query_row(
            "SELECT reference, prices, status FROM bookings WHERE id = 3",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (reference.as_str(), prices.as_str(), status.as_str()),
        ("ABC", "[100,120]", "booked")
    );
    let broken: Option<String> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .optional()
        .unwrap();
    assert_eq!(broken, None);
    assert!(
        conn.execute("DELETE FROM bookings WHERE id = 3", [])
            .is_err(),
        "its nights and its bill still refer to the stay"
    );
    assert!(
        conn.execute("UPDATE bookings SET status = 'lost' WHERE id = 3", [])
            .is_err(),
        "an unknown status is refused"
    );
    conn.execute("UPDATE bookings SET status = 'cancelled' WHERE id = 3", [])
        .unwrap();
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'bookings' AND sql IS NOT NULL ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        indexes,
        [
            "bookings_active",
            "bookings_by_channel",
            "bookings_in_house"
        ]
    );
}

/// A new database file in a directory of its own (gone when the guard drops), migrated up to
/// and including migration `last` as that version of the server left it.
fn hotel_file_at(last: usize) -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hotel.db");
    let mut conn = open_connection(path.to_str().unwrap(), false).unwrap();
    conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
    run_migrations_until(&mut conn, last);
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    (dir, conn)
}

fn run_migrations_until(conn: &mut Connection, last: usize) {
    for sql in &MIGRATIONS[..last] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", last as i64)
        .unwrap();
}

/// A current hotel file with rooms 1 and 2 and the guest 7, then `stays`: bookings and their
/// nights.
fn hotel_with_stays(stays: &str) -> (tempfile::TempDir, Connection) {
    let (dir, conn) = hotel_file_at(MIGRATIONS.len());
    conn.execute_batch(
        "INSERT INTO rooms (number, floor) VALUES (1, 1), (2, 1);
         INSERT INTO users (id, username, password_hash, role, created_at)
             VALUES (7, 'ann', 'x', 'guest', '2026-01-01');",
    )
    .unwrap();
    conn.execute_batch(stays).unwrap();
    (dir, conn)
}

/// `conn` as an op sees it on the writer, whose rooms held are `held`.
fn writer_tx<'c>(conn: &'c Connection, held: &'c HeldRooms) -> SqliteTx<'c> {
    SqliteTx {
        conn,
        currency: "EUR",
        catalog: None,
        acquired: None,
        held: Some(Held::Writer(&held.writer)),
    }
}

/// The writer's rooms held follow what SQLite keeps: a statement that fails half-way, a job
/// rolled back to its savepoint, a batch that commits (and only then do readers see it).
#[test]
fn the_rooms_held_follow_failed_statements_rolled_back_jobs_and_commits() {
    use super::super::night_index::NightIndex;
    use super::super::sql::Tx;

    let (_dir, mut conn) = hotel_with_stays(
        "INSERT INTO bookings (id, user_id, room, check_in, check_out, acquired, created_at)
             VALUES (1, 7, 1, '2026-01-01', '2026-01-09', 1, '2026-01-01');
         INSERT INTO room_nights (room, night, booking_id) VALUES (1, '2026-01-02', 1);",
    );
    let held = HeldRooms::follow(&mut conn).unwrap();
    let rows = |conn: &Connection| NightIndex::read(conn).unwrap();
    let writer = |held: &HeldRooms| lock(&held.writer).index().clone();
    let committed = |held: &HeldRooms| held.committed.read().unwrap().clone();
    assert_eq!(writer(&held), rows(&conn), "read from the rows at start");
    let before = rows(&conn);

    // Its second row breaks the primary key: SQLite takes the first one back, so must the index.
    conn.execute_batch("BEGIN").unwrap();
    let mut tx = writer_tx(&conn, &held);
    let failed = block_now(tx.execute(
        "INSERT INTO room_nights (room, night, booking_id) \
         VALUES (2, '2026-01-05', 1), (1, '2026-01-02', 1)",
        Vec::new(),
    ))
    .unwrap();
    assert!(failed.is_err(), "the primary key refuses the second row");
    assert_eq!(writer(&held), rows(&conn));
    conn.execute_batch("ROLLBACK").unwrap();

    let job = |keep: bool, night: &'static str| -> Box<dyn Job> {
        let (reply, _answer) = oneshot::channel();
        Box::new(WriteJob {
            work: Some(move |conn: &Connection| -> StoreResult<()> {
                conn.execute(
                    "INSERT INTO room_nights (room, night, booking_id) VALUES (2, ?1, 1)",
                    [night],
                )?;
                conn.execute("DELETE FROM room_nights WHERE room = 1", [])?;
                if keep {
                    Ok(())
                } else {
                    Err(StoreError::Database("refused".into()))
                }
            }),
            changes_answers: true,
            result: None,
            reply,
        })
    };
    // The refused job's changes go; the kept one's are committed, and readers get them.
    let mut batch = vec![job(false, "2026-01-06"), job(true, "2026-01-07")];
    assert_eq!(run_batch(&conn, &mut batch, &held), Ok(true));
    assert_eq!(writer(&held), rows(&conn));
    assert_eq!(committed(&held), rows(&conn));
    assert_ne!(rows(&conn), before, "the kept job changed the rows");
    assert_eq!(
        rows(&conn).held_words("2026-01-01".parse().unwrap(), "2026-01-09".parse().unwrap()),
        vec![(0, 1 << 2)],
        "room 2 on the 7th and nothing else"
    );
}

/// Releasing a stay night by night frees the nights it holds in its own room, leaves another
/// stay's night in that room alone, and still finds a night it holds in another room.
#[test]
fn releasing_a_stay_frees_its_nights_in_every_room_and_no_other_stays() {
    use super::super::night_index::NightIndex;
    use super::super::sql::Tx;

    let (_dir, mut conn) = hotel_with_stays(
        "INSERT INTO bookings (id, user_id, room, check_in, check_out, acquired, created_at)
             VALUES (1, 7, 1, '2026-01-01', '2026-01-04', 1, '2026-01-01'),
                    (2, 7, 1, '2026-01-03', '2026-01-04', 2, '2026-01-01');
         INSERT INTO room_nights (room, night, booking_id) VALUES
             (1, '2026-01-01', 1), (1, '2026-01-02', 1), (2, '2026-01-03', 1),
             (1, '2026-01-03', 2);",
    );
    let held = HeldRooms::follow(&mut conn).unwrap();
    let mut tx = writer_tx(&conn, &held);
    let from = "2026-01-01".parse().unwrap();
    let to = "2026-01-04".parse().unwrap();
    block_now(tx.release_nights(1, 1, from, to))
        .unwrap()
        .unwrap();

    let left: Vec<(u32, String, i64)> = conn
        .prepare("SELECT room, night, booking_id FROM room_nights ORDER BY room, night")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(left, vec![(1, "2026-01-03".to_string(), 2)]);
    assert_eq!(
        lock(&held.writer).index().clone(),
        NightIndex::read(&conn).unwrap()
    );

    // Rows given to `insert_rows` all land, each night once.
    block_now(tx.insert_rows(
        "INSERT INTO room_nights (room, night, booking_id)",
        3,
        super::super::sql::params![2, "2026-01-01", 1, 2, "2026-01-02", 1],
    ))
    .unwrap()
    .unwrap();
    let count: i64 = conn
        .query_row("SELECT COUNT(*) FROM room_nights WHERE room = 2", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(count, 2);
}
