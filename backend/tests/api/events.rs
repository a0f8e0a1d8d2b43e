//! Every audited change is announced as an event, placed in commit order by a worker: readers
//! that go on from the last position they read never miss one, also with several instances.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use hotel_backend::store::ops::events::EventsAfter;
use hotel_shared::AuditAction;
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

/// (position, action) of every placed event, in order.
async fn placed(db: &TestDb) -> Vec<(i64, String)> {
    db.rows(
        "SELECT e.position::text, a.action FROM events e JOIN audit_log a ON a.id = e.audit_id \
         WHERE e.position IS NOT NULL ORDER BY e.position",
    )
    .await
    .into_iter()
    .map(|(p, a)| (p.parse().expect("position"), a))
    .collect()
}

async fn unplaced(db: &TestDb) -> usize {
    db.rows("SELECT id::text, audit_id::text FROM events WHERE position IS NULL")
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
    // Read as a worker reads them: from position 0 on, through the store.
    let events = app
        .state
        .store
        .run(EventsAfter {
            after: 0,
            limit: 100,
        })
        .await
        .expect("events");
    let positions: Vec<i64> = events.iter().map(|e| e.position).collect();
    assert_eq!(positions, (1..=events.len() as i64).collect::<Vec<_>>());
    // The staff member was made before the bookings, and is placed before them.
    let at = |action: AuditAction| events.iter().position(|e| e.action == action);
    let grant = at(AuditAction::RoleGrant).expect("role.grant");
    let first_booking = at(AuditAction::BookingCreate).expect("booking.create");
    assert!(grant < first_booking, "{events:?}");
    // What each event carries is the booking as it is after the change.
    let booking: hotel_shared::Booking =
        serde_json::from_str(events[first_booking].data.as_deref().unwrap_or_default())
            .expect("a booking");
    assert_eq!((booking.guest.as_str(), booking.room_number), ("ann", 1));
    assert_eq!(events[first_booking].entity_id, booking.id.to_string());
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

/// A transaction that took a smaller id but commits after others were placed is placed after
/// them: a reader that read up to their positions still finds it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run with HOTEL_TEST_ENGINE=postgres, as cargo xtask test does"]
async fn an_event_committed_late_comes_after_those_placed_before_it() {
    needs_postgres();
    let a = spawn_app().await;
    let b = spawn_app_on(TestDb::existing(&a.db), |_| {}).await;
    let mut slow = pg_connect(&a.db.url).await;
    let slow = slow.transaction().await.expect("begin");
    // What an op does: the audit entry, then its event, left uncommitted for now.
    let audit_id: i64 = slow
        .query_one(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id) \
             VALUES ('2026-01-01T00:00:00Z', 'slow', 'hotel.update', 'hotel', '1') RETURNING id",
            &[],
        )
        .await
        .expect("insert the audit entry")
        .get(0);
    let slow_id: i64 = slow
        .query_one(
            "INSERT INTO events (audit_id) VALUES ($1) RETURNING id",
            &[&audit_id],
        )
        .await
        .expect("insert the event")
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
                "SELECT position::text, audit_id::text FROM events WHERE id = {slow_id} AND position IS NOT NULL"
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
#[ignore = "needs PostgreSQL: run with HOTEL_TEST_ENGINE=postgres, as cargo xtask test does"]
async fn a_reader_following_two_busy_instances_misses_nothing() {
    needs_postgres();
    let a = spawn_app_with(without_limits).await;
    let b = spawn_app_on(TestDb::existing(&a.db), without_limits).await;
    let token = b.staff("feed").await;
    let (done, mut finished) = tokio::sync::watch::channel(false);
    // The reader follows `/events` on the other instance, a few at a time, as an integrator
    // would.
    let (client, feed) = (b.client.clone(), b.url("/events"));
    let reader = tokio::spawn(async move {
        let mut seen: BTreeMap<i64, String> = BTreeMap::new();
        let mut last = 0_i64;
        loop {
            let stop = *finished.borrow_and_update();
            let page: serde_json::Value = client
                .get(format!("{feed}?after={last}&limit=7"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("read")
                .json()
                .await
                .expect("a page");
            let events = page["events"].as_array().expect("events").clone();
            for event in &events {
                let id = event["id"].as_i64().expect("id");
                let key = format!("{} {}", event["action"], event["entity_id"]);
                assert!(seen.insert(id, key).is_none(), "event {id} twice");
                last = id;
            }
            assert_eq!(page["next_after"], serde_json::json!(last), "{page}");
            if stop && !page["more"].as_bool().unwrap_or(true) {
                return seen;
            }
            if events.is_empty() {
                tokio::time::sleep(Duration::from_millis(3)).await;
            }
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

#[tokio::test]
async fn the_feed_names_each_change_and_pages_without_gaps() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    app.book("ann", 2).await;
    app.checkout("ann").await;
    eventually("the events are placed", async || {
        unplaced(&app.db).await == 0
    })
    .await;
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let page = app
            .send_as(
                &staff,
                Method::GET,
                &format!("/events?after={after}&limit=2"),
                None,
            )
            .await;
        assert_eq!(page.status, 200, "{:?}", page.body);
        let events = page.body["events"].as_array().expect("events").clone();
        assert!(events.len() <= 2);
        seen.extend(events);
        after = page.body["next_after"].as_i64().expect("next_after");
        if !page.body["more"].as_bool().expect("more") {
            break;
        }
    }
    let ids: Vec<i64> = seen.iter().map(|e| e["id"].as_i64().expect("id")).collect();
    assert_eq!(ids, (1..=seen.len() as i64).collect::<Vec<_>>());
    let types: Vec<&str> = seen
        .iter()
        .map(|e| e["type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        types.iter().filter(|t| **t == "booking.created").count(),
        2,
        "{types:?}"
    );
    assert_eq!(
        types
            .iter()
            .filter(|t| **t == "booking.checked_out")
            .count(),
        2,
        "{types:?}"
    );
    // Each carries the booking after the change, as an object.
    let created = seen
        .iter()
        .find(|e| e["type"] == "booking.created")
        .expect("created");
    assert_eq!(created["entity"], "booking");
    assert_eq!(created["data"]["guest"], "ann", "{created}");
    assert_eq!(created["data"]["room_number"], 1, "{created}");

    // Nothing new: the same position comes back, to ask again later.
    let idle = app
        .send_as(&staff, Method::GET, &format!("/events?after={after}"), None)
        .await;
    assert_eq!(idle.body["events"], json!([]));
    assert_eq!(idle.body["next_after"], json!(after));
}

#[tokio::test]
async fn the_feed_is_for_staff_and_says_when_it_forgot() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let guest = app.guest("ann").await;
    app.send_as(&guest, Method::GET, "/events", None)
        .await
        .assert(403, "code", "staff_only");
    app.get("/events")
        .await
        .assert(401, "code", "not_signed_in");
    app.send_as(&staff, Method::GET, "/events?after=-1", None)
        .await
        .assert(400, "code", "invalid_request");
    app.book("bea", 3).await;
    eventually("the bookings' events are placed", async || {
        unplaced(&app.db).await == 0
    })
    .await;
    // Events older than the hotel keeps are gone (the tidying forgets them after 30 days).
    app.db
        .try_execute("DELETE FROM events WHERE position <= 3")
        .await
        .expect("forget");
    app.send_as(&staff, Method::GET, "/events?after=1", None)
        .await
        .assert(410, "code", "events_forgotten");
    let again = app.send_as(&staff, Method::GET, "/events", None).await;
    assert_eq!(again.body["events"][0]["id"], json!(4), "{:?}", again.body);
}
