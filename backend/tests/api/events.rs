//! Every audited change is announced as an event, placed in commit order by a worker: readers
//! that go on from the last position they read never miss one, also with several instances.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::helpers::*;

/// (position, action) of every placed event, in order.
async fn placed(db: &TestDb) -> Vec<(i64, String)> {
    db.rows(
        "SELECT position::text, action FROM events WHERE position IS NOT NULL ORDER BY position",
    )
    .await
    .into_iter()
    .map(|(p, a)| (p.parse().expect("position"), a))
    .collect()
}

async fn unplaced(db: &TestDb) -> usize {
    db.rows("SELECT id::text, action FROM events WHERE position IS NULL")
        .await
        .len()
}

async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never happened: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_booking_is_announced_and_placed_after_what_came_before() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    app.book("ann", 2)
        .await
        .assert(200, "message", "Rooms booked successfully: [1, 2]");
    eventually("the bookings' events are placed", async || {
        unplaced(&app.db).await == 0
            && placed(&app.db)
                .await
                .iter()
                .filter(|e| e.1 == "booking.create")
                .count()
                == 2
    })
    .await;
    let events = placed(&app.db).await;
    let positions: Vec<i64> = events.iter().map(|e| e.0).collect();
    assert_eq!(positions, (1..=events.len() as i64).collect::<Vec<_>>());
    // The staff member was made before the bookings, and is placed before them.
    let grant = events
        .iter()
        .position(|e| e.1 == "role.grant")
        .expect("role.grant");
    let first_booking = events
        .iter()
        .position(|e| e.1 == "booking.create")
        .expect("booking");
    assert!(grant < first_booking, "{events:?}");
    // What each event carries is the booking as it is after the change.
    let data = app
        .db
        .rows("SELECT action, data FROM events WHERE action = 'booking.create' ORDER BY position")
        .await;
    let booking: hotel_shared::Booking = serde_json::from_str(&data[0].1).expect("a booking");
    assert_eq!((booking.guest.as_str(), booking.room_number), ("ann", 1));
    drop(staff);
}

#[tokio::test]
async fn a_refused_change_announces_nothing() {
    let app = spawn_app().await;
    app.book("ann", 10).await.assert(
        200,
        "message",
        "Rooms booked successfully: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]",
    );
    eventually("the bookings are placed", async || {
        unplaced(&app.db).await == 0
    })
    .await;
    let before = placed(&app.db).await;
    app.book("bob", 1)
        .await
        .assert(409, "error", "No rooms available.");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = placed(&app.db).await;
    assert_eq!(
        after.iter().filter(|e| e.1.starts_with("booking.")).count(),
        before
            .iter()
            .filter(|e| e.1.starts_with("booking."))
            .count()
    );
    assert_eq!(unplaced(&app.db).await, 0);
}

#[tokio::test]
async fn stopping_places_every_event_written_before_it() {
    let app = spawn_app().await;
    app.book("ann", 3)
        .await
        .assert(200, "message", "Rooms booked successfully: [1, 2, 3]");
    let db = app.stop().await;
    assert_eq!(unplaced(&db).await, 0);
    assert_eq!(
        placed(&db)
            .await
            .iter()
            .filter(|e| e.1 == "booking.create")
            .count(),
        3
    );
}

fn skip_without_postgres() -> bool {
    if on_postgres() {
        return false;
    }
    eprintln!(
        "event order across instances needs PostgreSQL (HOTEL_TEST_ENGINE=postgres); skipped"
    );
    true
}

/// A transaction that took a smaller id but commits after others were placed is placed after
/// them: a reader that read up to their positions still finds it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_committed_late_comes_after_those_placed_before_it() {
    if skip_without_postgres() {
        return;
    }
    let a = spawn_app().await;
    let b = spawn_app_on(TestDb::existing(&a.db), |_| {}).await;
    let mut slow = pg_connect(&a.db.url).await;
    let slow = slow.transaction().await.expect("begin");
    let slow_id: i64 = slow
        .query_one(
            "INSERT INTO events (at, action, entity, entity_id) \
             VALUES ('2026-01-01T00:00:00Z', 'hotel.update', 'hotel', '1') RETURNING id",
            &[],
        )
        .await
        .expect("insert")
        .get(0);
    a.book("ann", 1)
        .await
        .assert(200, "message", "Rooms booked successfully: [1]");
    b.book("bob", 1)
        .await
        .assert(200, "message", "Rooms booked successfully: [2]");
    let mut read_up_to = 0;
    eventually("both bookings are placed", async || {
        let events = placed(&a.db).await;
        read_up_to = events.last().map_or(0, |e| e.0);
        events.iter().filter(|e| e.1 == "booking.create").count() == 2
    })
    .await;
    slow.commit().await.expect("commit");
    eventually("the late event is placed", async || {
        !a.db
            .rows(&format!(
                "SELECT position::text, action FROM events WHERE id = {slow_id} AND position IS NOT NULL"
            ))
            .await
            .is_empty()
    })
    .await;
    let late: Vec<_> = placed(&a.db)
        .await
        .into_iter()
        .filter(|e| e.1 == "hotel.update")
        .collect();
    assert_eq!(late.len(), 1);
    assert!(
        late[0].0 > read_up_to,
        "placed at {} although {read_up_to} was read",
        late[0].0
    );
}

/// Guests book on two instances at once while a reader follows the events from its last
/// position: it sees every event exactly once, in positions without a gap.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reader_following_two_busy_instances_misses_nothing() {
    if skip_without_postgres() {
        return;
    }
    let a = spawn_app_with(without_limits).await;
    let b = spawn_app_on(TestDb::existing(&a.db), without_limits).await;
    let url = a.db.url.clone();
    let (done, mut finished) = tokio::sync::watch::channel(false);
    let reader = tokio::spawn(async move {
        let client = pg_connect(&url).await;
        let mut seen: BTreeMap<i64, i64> = BTreeMap::new();
        let mut last = 0_i64;
        loop {
            let stop = *finished.borrow_and_update();
            for row in client
                .query(
                    "SELECT position, id FROM events WHERE position > $1 ORDER BY position",
                    &[&last],
                )
                .await
                .expect("read")
            {
                let (position, id): (i64, i64) = (row.get(0), row.get(1));
                assert!(
                    seen.insert(position, id).is_none(),
                    "position {position} twice"
                );
                last = position;
            }
            if stop {
                return seen;
            }
            tokio::time::sleep(Duration::from_millis(3)).await;
        }
    });
    let (winners, losers) = race_for_rooms(&[&a, &b], 60).await;
    assert_eq!((winners.len(), losers), (10, 50));
    eventually("every event is placed", async || unplaced(&a.db).await == 0).await;
    let _ = done.send(true);
    let seen = reader.await.expect("reader");
    let all = placed(&a.db).await;
    assert_eq!(seen.len(), all.len(), "the reader missed events");
    assert_eq!(
        seen.keys().copied().collect::<Vec<_>>(),
        (1..=all.len() as i64).collect::<Vec<_>>()
    );
    assert_eq!(all.iter().filter(|e| e.1 == "booking.create").count(), 10);
}
