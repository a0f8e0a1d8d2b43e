//! Several server instances on one PostgreSQL database (run with HOTEL_TEST_ENGINE=postgres;
//! on SQLite, which one server owns, these say so and pass).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

fn skip_without_postgres() -> bool {
    if on_postgres() {
        return false;
    }
    eprintln!("multi-instance tests need PostgreSQL (HOTEL_TEST_ENGINE=postgres); skipped");
    true
}

/// A second server on the first one's database.
async fn second_instance(first: &TestApp) -> TestApp {
    let db = TestDb::existing(&first.db);
    spawn_app_on(db, |_| {}).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundred_guests_on_two_instances_get_exactly_the_free_rooms() {
    if skip_without_postgres() {
        return;
    }
    let a = spawn_app().await;
    let b = second_instance(&a).await;
    a.book("early", 6).await;
    let racers = (0..100).map(|i| {
        let app = if i % 2 == 0 { &a } else { &b };
        let client = app.client.clone();
        let url = app.url("/book");
        tokio::spawn(async move {
            let reply = client
                .post(url)
                .json(
                    &json!({"username": format!("racer{i}"), "password": PASSWORD, "num_rooms": 1}),
                )
                .send()
                .await
                .unwrap();
            let status = reply.status().as_u16();
            let body: serde_json::Value = reply.json().await.unwrap();
            (status, body)
        })
    });
    let mut winners = Vec::new();
    for racer in racers.collect::<Vec<_>>() {
        let (status, body) = racer.await.unwrap();
        match status {
            200 => winners.push(body["rooms"][0].as_u64().unwrap()),
            409 => assert_eq!(body["error"], "No rooms available."),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    winners.sort_unstable();
    assert_eq!(winners, vec![7, 8, 9, 10]);
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
async fn a_booking_on_one_instance_shows_on_the_others_cached_grid() {
    if skip_without_postgres() {
        return;
    }
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
async fn signing_out_on_one_instance_ends_the_session_on_all() {
    if skip_without_postgres() {
        return;
    }
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
async fn failed_sign_ins_count_on_every_instance() {
    if skip_without_postgres() {
        return;
    }
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
