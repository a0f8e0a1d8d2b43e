//! `Idempotency-Key`: a client that retries a change (a timeout, a dropped connection, a
//! crash on its side) gets the first answer, and the change is made once.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

async fn book_with_key(app: &TestApp, key: &str, body: Value) -> Reply {
    app.send_with(Method::POST, "/book", Some(body), |r| {
        r.header("Idempotency-Key", key)
    })
    .await
}

fn ann_books(rooms: u32) -> Value {
    json!({"username": "ann", "password": PASSWORD, "num_rooms": rooms})
}

fn replayed(reply: &Reply) -> bool {
    reply
        .headers
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true")
}

#[tokio::test]
async fn a_retried_booking_returns_the_first_answer_and_books_once() {
    let app = spawn_app().await;
    let first = book_with_key(&app, "4f1c-retry", ann_books(2)).await;
    first.assert(200, "message", "Rooms booked successfully: [1, 2]");
    assert!(!replayed(&first));

    let again = book_with_key(&app, "4f1c-retry", ann_books(2)).await;
    assert_eq!(again.status, first.status);
    assert_eq!(again.body, first.body);
    assert!(replayed(&again), "{:?}", again.headers);
    app.query("ann")
        .await
        .assert(200, "message", "Your booked rooms: [1, 2]");

    // Without a key, the same request is a new booking, as it always was.
    book_with_key(&app, "4f1c-other", ann_books(1))
        .await
        .assert(200, "message", "Rooms booked successfully: [3]");
}

#[tokio::test]
async fn ten_concurrent_bookings_with_one_key_make_one_booking_and_ten_identical_answers() {
    let app = spawn_app_with(without_limits).await;
    app.register("ann", PASSWORD).await;
    let attempts: Vec<_> = (0..10)
        .map(|_| book_with_key(&app, "same-ten", ann_books(1)))
        .collect();
    let replies = futures_util::future::join_all(attempts).await;
    for reply in &replies {
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        assert_eq!(reply.body, replies[0].body);
    }
    app.query("ann")
        .await
        .assert(200, "message", "Your booked rooms: [1]");
    assert_eq!(app.occupied_rooms().await, vec![1]);
}

#[tokio::test]
async fn a_key_reused_for_another_request_is_refused_with_422() {
    let app = spawn_app().await;
    book_with_key(&app, "k-1", ann_books(1)).await.assert(
        200,
        "message",
        "Rooms booked successfully: [1]",
    );
    let other = book_with_key(&app, "k-1", ann_books(3)).await;
    other.assert(422, "code", "idempotency_key_reused");
    assert_eq!(app.occupied_rooms().await, vec![1]);
}

#[tokio::test]
async fn a_refused_request_leaves_its_key_free() {
    let app = spawn_app().await;
    let refused = book_with_key(&app, "k-free", ann_books(11)).await;
    assert_eq!(refused.status, 409, "{:?}", refused.body);
    // Nothing was changed, so nothing was kept: the key serves the corrected request.
    book_with_key(&app, "k-free", ann_books(1)).await.assert(
        200,
        "message",
        "Rooms booked successfully: [1]",
    );
}

#[tokio::test]
async fn a_retried_cancellation_answers_as_the_first_did() {
    let app = spawn_app().await;
    let token = app.guest("bea").await;
    let booked = app
        .send_as(&token, Method::POST, "/book", Some(json!({"num_rooms": 1})))
        .await;
    assert_eq!(booked.status, 200, "{:?}", booked.body);
    let id = booked.body["bookings"][0]["id"].as_i64().expect("id");
    let path = format!("/bookings/{id}");
    let cancel = || {
        app.send_with(Method::DELETE, &path, None, |r| {
            r.bearer_auth(&token)
                .header("Idempotency-Key", "cancel-once")
        })
    };
    let first = cancel().await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    let again = cancel().await;
    assert_eq!((again.status, &again.body), (first.status, &first.body));
    assert!(replayed(&again));
}

#[tokio::test]
async fn keys_belong_to_the_caller_that_sent_them() {
    let app = spawn_app().await;
    let ann = app.guest("ann").await;
    let bob = app.guest("bob").await;
    let book = |token: &str| {
        let token = token.to_string();
        let app = &app;
        async move {
            app.send_with(Method::POST, "/book", Some(json!({"num_rooms": 1})), |r| {
                r.bearer_auth(token).header("Idempotency-Key", "my-first")
            })
            .await
        }
    };
    let for_ann = book(&ann).await;
    let for_bob = book(&bob).await;
    assert_eq!(
        (for_ann.status.as_u16(), for_bob.status.as_u16()),
        (200, 200)
    );
    assert!(!replayed(&for_bob));
    assert_eq!(app.occupied_rooms().await, vec![1, 2]);
}

#[tokio::test]
async fn a_malformed_key_is_refused_before_anything_happens() {
    let app = spawn_app().await;
    for key in ["", "with space", &"x".repeat(256)] {
        book_with_key(&app, key, ann_books(1))
            .await
            .assert(400, "code", "idempotency_key_invalid");
    }
    assert!(app.occupied_rooms().await.is_empty());
}

#[tokio::test]
async fn a_restart_between_attempt_and_retry_still_returns_the_kept_answer() {
    let app = spawn_app().await;
    let first = book_with_key(&app, "across-restart", ann_books(2)).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    let db = app.stop().await;

    let again = spawn_app_on(db, |_| {}).await;
    let retried = book_with_key(&again, "across-restart", ann_books(2)).await;
    assert_eq!((retried.status, &retried.body), (first.status, &first.body));
    assert!(replayed(&retried));
    assert_eq!(again.occupied_rooms().await, vec![1, 2]);
}

/// Two instances on one PostgreSQL database, the same retried request sent to each at once:
/// one booking, one answer.
#[tokio::test]
#[ignore = "several instances share PostgreSQL only"]
async fn the_same_key_on_two_instances_books_once() {
    needs_postgres();
    let a = spawn_app_with(without_limits).await;
    let b = spawn_app_on(TestDb::existing(&a.db), without_limits).await;
    a.register("ann", PASSWORD).await;
    let attempts: Vec<_> = (0..8)
        .map(|i| book_with_key(if i % 2 == 0 { &a } else { &b }, "two-doors", ann_books(1)))
        .collect();
    let replies = futures_util::future::join_all(attempts).await;
    for reply in &replies {
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        assert_eq!(reply.body, replies[0].body);
    }
    assert_eq!(a.occupied_rooms().await, vec![1]);
}

#[tokio::test]
async fn every_answer_names_its_request() {
    let app = spawn_app().await;
    let named = app
        .send_with(Method::GET, "/rooms", None, |r| {
            r.header("x-request-id", "lb-42")
        })
        .await;
    assert_eq!(named.headers["x-request-id"], "lb-42");
    let unnamed = app.get("/rooms").await;
    let made = unnamed.headers["x-request-id"].to_str().expect("text");
    assert!(!made.is_empty() && made != "lb-42", "{made}");
    let next = app.get("/rooms").await;
    assert_ne!(
        next.headers["x-request-id"],
        unnamed.headers["x-request-id"]
    );
}
