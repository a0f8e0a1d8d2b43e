//! Stays with dates: availability over ranges, and every date rule.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn stays_on_different_dates_share_a_room() {
    let app = spawn_app_with(|c| c.rooms = 1).await;
    let today = app.today().await;
    let (d1, d3, d5) = (
        day_after(today, 1),
        day_after(today, 3),
        day_after(today, 5),
    );

    let first = app.book_dates("pia", 1, &d1, &d3).await;
    first.assert(200, "message", "Rooms booked successfully: [1]");
    assert_eq!(first.body["bookings"][0]["nights"], json!(2));
    assert_eq!(first.body["bookings"][0]["check_in"], json!(d1));
    assert_eq!(first.body["bookings"][0]["check_out"], json!(d3));

    // Departure morning is free for the next arrival.
    app.book_dates("quin", 1, &d3, &d5).await.assert(
        200,
        "message",
        "Rooms booked successfully: [1]",
    );
    // An overlapping stay is refused.
    app.book_dates("rosa", 1, &day_after(today, 2), &day_after(today, 4))
        .await
        .assert(409, "error", "No rooms available.");
    // Tonight is still free: nobody's stay covers it.
    assert!(app.occupied_rooms().await.is_empty());
    let night2 = app
        .get(&format!("/rooms?date={}", day_after(today, 2)))
        .await;
    assert_eq!(night2.body["rooms"][0]["is_occupied"], json!(true));
    assert_eq!(night2.body["date"], json!(day_after(today, 2)));
    assert_eq!(night2.body["free"], json!(0));
}

#[tokio::test]
async fn availability_lists_rooms_free_for_the_whole_range() {
    let app = spawn_app_with(|c| c.rooms = 4).await;
    let today = app.today().await;
    app.book_dates("sam", 1, &day_after(today, 2), &day_after(today, 3))
        .await;
    app.book_dates("tia", 1, &day_after(today, 0), &day_after(today, 1))
        .await;

    let range = app
        .get(&format!(
            "/availability?check_in={}&check_out={}",
            day_after(today, 1),
            day_after(today, 4)
        ))
        .await;
    assert_eq!(range.status, 200);
    assert_eq!(range.body["rooms"], json!([2, 3, 4]));
    assert_eq!(range.body["nights"], json!(3));
    assert_eq!(range.body["available"], json!(3));

    let tonight = app
        .get(&format!(
            "/availability?check_in={}&check_out={}",
            day_after(today, 0),
            day_after(today, 1)
        ))
        .await;
    assert_eq!(tonight.body["rooms"], json!([2, 3, 4]));
}

#[tokio::test]
async fn bad_dates_say_which_rule_failed() {
    let app = spawn_app().await;
    let today = app.today().await;
    let cases = [
        (json!("next week"), json!(null), "check_in must be a date"),
        (json!("2026-02-30"), json!(null), "check_in must be a date"),
        (json!(20261201), json!(null), "check_in must be a date"),
        (
            json!(day_after(today, 1)),
            json!("soon"),
            "check_out must be a date",
        ),
        (
            json!(day_after(today, 3)),
            json!(day_after(today, 3)),
            "check_out must be after check_in",
        ),
        (
            json!(day_after(today, 3)),
            json!(day_after(today, 1)),
            "check_out must be after check_in",
        ),
        (
            json!(day_after(today, -1)),
            json!(day_after(today, 1)),
            "in the past",
        ),
        (
            json!(day_after(today, 1)),
            json!(day_after(today, 60)),
            "at most 30 nights",
        ),
        (
            json!(day_after(today, 400)),
            json!(day_after(today, 401)),
            "at most 365 days ahead",
        ),
    ];
    for (check_in, check_out, expected) in cases {
        let reply = app
            .send(
                Method::POST,
                "/book",
                Some(
                    json!({"username": "uma", "password": PASSWORD, "num_rooms": 1,
                            "check_in": check_in, "check_out": check_out}),
                ),
            )
            .await;
        assert_eq!(
            reply.status, 400,
            "{check_in} {check_out}: {:?}",
            reply.body
        );
        assert!(
            reply.error().contains(expected),
            "{expected}: {}",
            reply.error()
        );
    }
    let bad_night = app.get("/rooms?date=yesterday").await;
    assert_eq!(bad_night.status, 400);
    assert!(bad_night.error().contains("date must be a date"));
    let missing = app.get("/availability?check_in=2030-01-01").await;
    missing.assert(400, "error", "check_in and check_out are required.");
    let past = app
        .get(&format!(
            "/availability?check_in={}&check_out={}",
            day_after(today, -2),
            day_after(today, 1)
        ))
        .await;
    assert_eq!(past.status, 400);
    assert!(app.occupied_rooms().await.is_empty());
}

#[tokio::test]
async fn checkout_ends_stays_in_progress_but_keeps_future_ones() {
    let app = spawn_app().await;
    let today = app.today().await;
    app.book("vic", 1).await;
    app.book_dates("vic", 1, &day_after(today, 5), &day_after(today, 7))
        .await;
    app.query("vic")
        .await
        .assert(200, "message", "Your booked rooms: [1]");

    let out = app.checkout("vic").await;
    out.assert(
        200,
        "message",
        "Checked out successfully. Released rooms: [1]",
    );
    let left = app.query("vic").await;
    left.assert(200, "message", "Your booked rooms: [1]");
    assert_eq!(
        left.body["bookings"][0]["check_in"],
        json!(day_after(today, 5))
    );
    assert!(app.occupied_rooms().await.is_empty());
}

#[tokio::test]
async fn update_checks_the_new_room_for_the_stays_own_dates() {
    let app = spawn_app_with(|c| c.rooms = 2).await;
    let today = app.today().await;
    app.book_dates("wes", 1, &day_after(today, 1), &day_after(today, 3))
        .await;
    // Room 2 is taken on the second night of wes's stay only.
    app.book_dates("xia", 2, &day_after(today, 2), &day_after(today, 3))
        .await
        .assert(
            409,
            "error",
            "Only 1 room is available; you asked for 2. Nothing was booked.",
        );
    app.book_dates("xia", 1, &day_after(today, 2), &day_after(today, 3))
        .await;
    app.update("wes", json!(2))
        .await
        .assert(409, "error", "Room 2 is already occupied.");
    // Tonight nobody is in room 2, but a move is judged by the stay's dates, not tonight's.
    assert!(app.occupied_rooms().await.is_empty());
}

#[tokio::test]
async fn every_date_a_request_carries_lies_in_the_window() {
    let app = spawn_app().await;
    let staff = app.staff("rates").await;
    let today = app.today().await;
    // A year mistyped (9026 for 2026) and a night in 1900, in a query, a body and deep in one.
    for path in [
        "/availability?check_in=9026-01-01&check_out=9026-01-02".to_string(),
        "/rooms?date=1900-01-01".to_string(),
        // Written with escapes, as a client may.
        "/availability?check_in=9026%2D01%2D01&check_out=9026%2D01%2D02".to_string(),
    ] {
        let reply = app.get(&path).await;
        reply.assert(400, "code", "date_out_of_range");
        assert!(
            reply.error().contains("ten years back, five ahead"),
            "{}",
            reply.error()
        );
    }
    app.send(
        Method::POST,
        "/book",
        Some(
            json!({"username": "far", "password": PASSWORD, "num_rooms": 1,
                    "check_in": "9999-12-30", "check_out": "9999-12-31"}),
        ),
    )
    .await
    .assert(400, "code", "date_out_of_range");
    for (from, to) in [("1900-01-01", "1900-01-02"), ("9999-12-30", "9999-12-31")] {
        app.send_as(
            &staff,
            Method::PUT,
            "/staff/rate-calendar",
            Some(json!({"room_type_id": 1, "from": from, "to": to, "amount": 100})),
        )
        .await
        .assert(400, "code", "date_out_of_range");
    }
    app.send_as(
        &staff,
        Method::GET,
        "/staff/report?from=2001-01-01&to=2001-02-01",
        None,
    )
    .await
    .assert(400, "code", "date_out_of_range");
    // The edges of the window are fine: five years ahead, ten back.
    let last = day_after(today, 1827);
    let edge = app
        .send_as(
            &staff,
            Method::PUT,
            "/staff/rate-calendar",
            Some(json!({"room_type_id": 1, "from": day_after(today, 1826), "to": last, "amount": 100})),
        )
        .await;
    assert_eq!(edge.status, 200, "{:?}", edge.body);
    let first = day_after(today, -3653);
    let report = app
        .send_as(
            &staff,
            Method::GET,
            &format!("/staff/report?from={first}&to={}", day_after(today, -3650)),
            None,
        )
        .await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    assert!(app.db.held_room_nights().await.is_empty());
}
