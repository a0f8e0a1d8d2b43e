//! Several server instances on one PostgreSQL database. Marked `#[ignore]`: on SQLite, which
//! one server owns, they are listed as not run; `cargo xtask test` runs them on PostgreSQL.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

/// A second server on the first one's database.
async fn second_instance(first: &TestApp) -> TestApp {
    let db = TestDb::existing(&first.db);
    spawn_app_on(db, |_| {}).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: run with HOTEL_TEST_ENGINE=postgres, as cargo xtask test does"]
async fn hundred_guests_on_two_instances_get_exactly_the_free_rooms() {
    needs_postgres();
    let a = spawn_app_with(without_limits).await;
    let b = spawn_app_on(TestDb::existing(&a.db), without_limits).await;
    a.book("early", 6).await;
    let (winners, losers) = race_for_rooms(&[&a, &b], 100).await;
    assert_eq!(winners, vec![7, 8, 9, 10]);
    assert_eq!(losers, 96);
    let held = a.db.held_room_nights().await;
    assert_eq!(held.len(), 10);
    assert_eq!(held.iter().collect::<HashSet<_>>().len(), 10);
}

async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "never happened: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run with HOTEL_TEST_ENGINE=postgres, as cargo xtask test does"]
async fn a_booking_on_one_instance_shows_on_the_others_cached_grid() {
    needs_postgres();
    let a = spawn_app().await;
    let b = second_instance(&a).await;
    // Both have tonight's grid cached now.
    assert!(a.occupied_rooms().await.is_empty());
    assert!(b.occupied_rooms().await.is_empty());
    a.book("kai", 2)
        .await
        .assert(200, "message", "Rooms booked successfully: [1, 2]");
    eventually("instance b sees the booking made on a", async || {
        b.occupied_rooms().await == vec![1, 2]
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run with HOTEL_TEST_ENGINE=postgres, as cargo xtask test does"]
async fn a_room_taken_out_of_service_on_one_instance_is_not_sold_by_the_other() {
    needs_postgres();
    let a = spawn_app().await;
    let b = second_instance(&a).await;
    let today = b.today().await;
    let stay = format!(
        "/availability?check_in={}&check_out={}",
        day_after(today, 1),
        day_after(today, 2)
    );
    // b knows the rooms now, and keeps them in memory.
    assert_eq!(b.get(&stay).await.body["available"], json!(10));
    let staff = a.staff("boss").await;
    let broken = a
        .send_as(
            &staff,
            Method::PUT,
            "/staff/rooms/1",
            Some(json!({"room_type_id": 1, "floor": 1, "out_of_service": "Flooded"})),
        )
        .await;
    assert_eq!(broken.status, 200, "{:?}", broken.body);
    eventually("instance b stops offering room 1", async || {
        b.get(&stay).await.body["rooms"][0] == json!(2)
    })
    .await;
    b.book("lou", 1)
        .await
        .assert(200, "message", "Rooms booked successfully: [2]");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run with HOTEL_TEST_ENGINE=postgres, as cargo xtask test does"]
async fn signing_out_on_one_instance_ends_the_session_on_all() {
    needs_postgres();
    let a = spawn_app().await;
    let b = second_instance(&a).await;
    a.register("lena", PASSWORD).await;
    let token = a.login("lena").await;
    let with_token = |r: reqwest::RequestBuilder| r.bearer_auth(&token);
    // Instance b has the session in its cache.
    assert_eq!(
        b.send_with(Method::GET, "/bookings", None, with_token)
            .await
            .status,
        200
    );
    a.send_with(Method::POST, "/logout", None, with_token).await;
    eventually("instance b refuses the ended session", async || {
        b.send_with(Method::GET, "/bookings", None, with_token)
            .await
            .status
            == 401
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run with HOTEL_TEST_ENGINE=postgres, as cargo xtask test does"]
async fn failed_sign_ins_count_on_every_instance() {
    needs_postgres();
    let a = spawn_app().await;
    let b = second_instance(&a).await;
    a.register("mona", PASSWORD).await;
    let wrong = json!({"username": "mona", "password": "wrong guess"});
    for i in 0..5 {
        let app = if i % 2 == 0 { &a } else { &b };
        app.send(Method::POST, "/login", Some(wrong.clone()))
            .await
            .assert(401, "error", "Invalid password.");
    }
    for app in [&a, &b] {
        let throttled = app.send(Method::POST, "/login", Some(wrong.clone())).await;
        assert_eq!(throttled.status, 429, "{:?}", throttled.body);
    }
}

/// Restarts the database server in the middle of a booking load. It disturbs every other
/// test on that server, so it is ignored in the normal run; `cargo xtask test` runs it on its
/// own when `HOTEL_TEST_POSTGRES_RESTART` holds the command that restarts PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "restarts PostgreSQL; run alone by cargo xtask test"]
async fn a_database_restart_during_load_loses_no_acknowledged_booking() {
    needs_postgres();
    let Ok(restart) = std::env::var("HOTEL_TEST_POSTGRES_RESTART") else {
        eprintln!("HOTEL_TEST_POSTGRES_RESTART is not set; skipped");
        return;
    };
    let app = spawn_app_with(|c| {
        without_limits(c);
        c.rooms = 200;
    })
    .await;
    let today = app.today().await;
    let guests = 16;
    for g in 0..guests {
        app.register(&format!("load{g}"), PASSWORD).await;
    }
    let deadline = Instant::now() + Duration::from_secs(6);
    let workers = (0..guests).map(|g| {
        let client = app.client.clone();
        let url = app.url("/book");
        tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let mut statuses = Vec::new();
            let mut n: i64 = 0;
            while Instant::now() < deadline {
                n += 1;
                let day = (g as i64 * 37 + n * 11) % 300;
                let check_in = today.checked_add_days(day).unwrap().to_string();
                let check_out = today.checked_add_days(day + 1).unwrap().to_string();
                let reply = client
                    .post(&url)
                    .json(
                        &json!({"username": format!("load{g}"), "password": PASSWORD,
                                  "num_rooms": 1, "check_in": check_in, "check_out": check_out}),
                    )
                    .send()
                    .await;
                let Ok(reply) = reply else {
                    statuses.push(0);
                    continue;
                };
                let status = reply.status().as_u16();
                statuses.push(status);
                if status == 200 {
                    let body: serde_json::Value = reply.json().await.unwrap();
                    acknowledged.push(body["bookings"][0]["id"].as_i64().unwrap());
                } else {
                    // While the database is away, answers must be quick and clean.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
            (acknowledged, statuses)
        })
    });
    let workers: Vec<_> = workers.collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let restarted = tokio::process::Command::new("sh")
        .args(["-c", &restart])
        .status()
        .await
        .unwrap();
    assert!(restarted.success(), "{restart}");
    let restarted_at = Instant::now();

    let mut acknowledged = Vec::new();
    let mut statuses = Vec::new();
    for w in workers {
        let (a, s) = w.await.unwrap();
        acknowledged.extend(a);
        statuses.extend(s);
    }
    assert!(
        statuses.iter().all(|s| [200, 409, 503].contains(s)),
        "only successes, taken rooms and clean 503s: {:?}",
        statuses
            .iter()
            .filter(|s| ![200, 409, 503].contains(*s))
            .collect::<Vec<_>>()
    );
    assert!(!acknowledged.is_empty());
    // The server recovered by itself: it books again after the restart.
    assert!(restarted_at.elapsed() < Duration::from_secs(30));
    let after = app.book("after-restart", 1).await;
    assert_eq!(after.status, 200, "{:?}", after.body);
    let stored: HashSet<i64> = app
        .db
        .rows("SELECT id::text, status FROM bookings")
        .await
        .into_iter()
        .filter(|(_, status)| status == "booked")
        .map(|(id, _)| id.parse().unwrap())
        .collect();
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|id| !stored.contains(id))
        .collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
}

/// Sends SIGCONT to the frozen backends when the test ends, however it ends.
struct Frozen(Vec<String>);

impl Frozen {
    /// Sends `signal` to every backend; whether each one got it.
    fn signal(&self, signal: &str) -> Vec<bool> {
        self.0
            .iter()
            .map(|pid| {
                std::process::Command::new("kill")
                    .args([signal, pid])
                    .status()
                    .is_ok_and(|s| s.success())
            })
            .collect()
    }
}

impl Drop for Frozen {
    fn drop(&mut self) {
        self.signal("-CONT");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run with HOTEL_TEST_ENGINE=postgres, as cargo xtask test does"]
async fn frozen_database_backends_do_not_hang_requests() {
    needs_postgres();
    let app = spawn_app().await;
    app.book("early", 1).await;
    // Every backend serving this hotel's database stops dead, as under a stuck disk or a
    // debugger; PostgreSQL's own statement timeout cannot fire inside a stopped process.
    let pids: Vec<String> = app
        .db
        .rows(
            "SELECT pid::text, pid::text FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .await
        .into_iter()
        .map(|(pid, _)| pid)
        .collect();
    assert!(!pids.is_empty());
    let frozen = Frozen(pids);
    assert!(
        frozen.signal("-STOP").iter().all(|stopped| *stopped),
        "cannot stop the backends {:?}",
        frozen.0
    );

    let started = Instant::now();
    let health = app.get("/healthz").await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "health took {:?}",
        started.elapsed()
    );
    assert!(
        health.status == 200 || health.status == 503,
        "{:?}",
        health.body
    );
    let started = Instant::now();
    let booked = app.book("late", 1).await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "a booking waited {:?}",
        started.elapsed()
    );
    assert!(
        booked.status == 200 || booked.status == 503,
        "{:?}",
        booked.body
    );
    drop(frozen);
}
