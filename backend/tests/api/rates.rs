//! Room types, rates, quotes, party sizes and the hotel's own time zone.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn quote_prices_every_room_type_that_sleeps_the_party() {
    let app = spawn_app().await;
    let today = app.today().await;
    let (d1, d4) = (day_after(today, 1), day_after(today, 4));
    app.book_dates("ann", 1, &d1, &d4).await; // room 1, a Standard room

    let quote = app
        .get(&format!("/quote?check_in={d1}&check_out={d4}"))
        .await;
    assert_eq!(quote.status, 200, "{:?}", quote.body);
    assert_eq!(quote.body["nights"], json!(3));
    assert_eq!(quote.body["currency"], json!("EUR"));
    let options = quote.body["options"].as_array().unwrap();
    let summary: Vec<_> = options
        .iter()
        .map(|o| {
            (
                o["room_type"].clone(),
                o["rate"].clone(),
                o["total"].clone(),
                o["available"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (json!("Standard"), json!(9_500), json!(28_500), json!(5)),
            (json!("Family"), json!(14_500), json!(43_500), json!(3)),
            (json!("Suite"), json!(22_000), json!(66_000), json!(1)),
        ]
    );
    let party = app
        .get(&format!("/quote?check_in={d1}&check_out={d4}&guests=3"))
        .await;
    let names: Vec<_> = party.body["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["room_type"].clone())
        .collect();
    assert_eq!(names, vec![json!("Family"), json!("Suite")]);
    app.get(&format!("/quote?check_in={d1}&check_out={d4}&guests=0"))
        .await
        .assert(400, "error", "guests must be a whole number from 1 to 20.");
    app.get("/quote")
        .await
        .assert(400, "error", "check_in and check_out are required.");
}

#[tokio::test]
async fn bookings_keep_the_rate_they_were_made_at() {
    let app = spawn_app().await;
    let staff = app.staff("boss").await;
    let today = app.today().await;
    let (d1, d4) = (day_after(today, 1), day_after(today, 4));
    let first = app.book_dates("ann", 1, &d1, &d4).await;
    let booking = &first.body["bookings"][0];
    assert_eq!(
        (
            booking["room_type"].clone(),
            booking["rate"].clone(),
            booking["total"].clone(),
            booking["currency"].clone()
        ),
        (json!("Standard"), json!(9_500), json!(28_500), json!("EUR"))
    );
    let raised = app
        .send_as(&staff, Method::PUT, "/staff/room-types/1",
            Some(json!({"name": "Standard", "description": "Renovated", "capacity": 2, "rate": 12_000})))
        .await;
    assert_eq!(raised.body["rate"], json!(12_000));
    let again = app.query("ann").await;
    assert_eq!(again.body["bookings"][0]["rate"], json!(9_500));
    assert_eq!(again.body["bookings"][0]["total"], json!(28_500));
    let second = app.book_dates("bob", 1, &d1, &d4).await;
    assert_eq!(second.body["bookings"][0]["rate"], json!(12_000));
    assert_eq!(second.body["bookings"][0]["total"], json!(36_000));
    // Moving to another room of the type keeps the agreed price, though the type's rate
    // rose (into another type, see `guest_site`, the nights are charged at that type's).
    let moved = app.update("ann", json!(3)).await;
    assert_eq!(moved.body["booking"]["room_type"], json!("Standard"));
    assert_eq!(moved.body["booking"]["total"], json!(28_500));
    // The audit log kept the old and the new rate.
    let log = app
        .send_as(&staff, Method::GET, "/staff/audit?limit=5", None)
        .await;
    let change = log.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == json!("room_type.update"))
        .expect("rate change audited");
    assert!(change["before"].as_str().unwrap().contains("\"rate\":9500"));
    assert!(change["after"].as_str().unwrap().contains("\"rate\":12000"));
}

#[tokio::test]
async fn rooms_too_small_for_the_party_are_not_offered() {
    let app = spawn_app().await;
    let today = app.today().await;
    let (d1, d2) = (day_after(today, 1), day_after(today, 2));
    let big = app
        .get(&format!(
            "/availability?check_in={d1}&check_out={d2}&guests=4"
        ))
        .await;
    assert_eq!(big.body["rooms"], json!([7, 8, 9]));
    assert_eq!(big.body["guests"], json!(4));
    let too_many = app
        .send(
            Method::POST,
            "/book",
            Some(json!({"username": "ann", "password": PASSWORD,
            "num_rooms": 4, "guests": 4, "check_in": d1, "check_out": d2})),
        )
        .await;
    too_many.assert(
        409,
        "error",
        "Only 3 rooms are available; you asked for 4. Nothing was booked.",
    );
    let family = app
        .send(
            Method::POST,
            "/book",
            Some(json!({"username": "ann", "password": PASSWORD,
            "num_rooms": 1, "guests": 3, "check_in": d1, "check_out": d2})),
        )
        .await;
    family.assert(200, "message", "Rooms booked successfully: [7]");
    assert_eq!(family.body["bookings"][0]["guests"], json!(3));
    let suite = app
        .send(
            Method::POST,
            "/book",
            Some(json!({"username": "bob", "password": PASSWORD,
            "num_rooms": 1, "room_type_id": 3, "check_in": d1, "check_out": d2})),
        )
        .await;
    suite.assert(200, "message", "Rooms booked successfully: [10]");
    // A guest cannot squeeze a party of three into a double by moving.
    app.update("ann", json!(2))
        .await
        .assert(400, "error", "Room 2 sleeps at most 2 guests.");
    let bad = app
        .send(
            Method::POST,
            "/book",
            Some(json!({"username": "cid", "password": PASSWORD,
            "num_rooms": 1, "guests": "many"})),
        )
        .await;
    bad.assert(400, "error", "guests must be a whole number from 1 to 20.");
}

/// "Tonight" is the hotel's night, whatever the server's or the guest's clock says.
async fn tonight_follows_the_hotel_time_zone(zone: &'static str) {
    let app = spawn_app_with(|c| c.timezone = Some(zone.into())).await;
    let local_today = jiff::Timestamp::now().in_tz(zone).unwrap().date();
    let health = app.get("/healthz").await;
    assert_eq!(health.body["timezone"], json!(zone));
    assert_eq!(health.body["today"], json!(local_today.to_string()));
    let booked = app.book("ann", 1).await;
    assert_eq!(
        booked.body["bookings"][0]["check_in"],
        json!(local_today.to_string())
    );
    assert_eq!(
        booked.body["bookings"][0]["check_out"],
        json!(local_today.tomorrow().unwrap().to_string())
    );
    assert_eq!(app.occupied_rooms().await, vec![1]);
    // The hotel's today may be booked by date even where UTC is still on yesterday, and the
    // hotel's yesterday may not, even where UTC is already on it.
    let yesterday = local_today.yesterday().unwrap().to_string();
    app.book_dates(
        "bob",
        1,
        &local_today.to_string(),
        &local_today.tomorrow().unwrap().to_string(),
    )
    .await
    .assert(200, "message", "Rooms booked successfully: [2]");
    app.book_dates("cid", 1, &yesterday, &local_today.to_string())
        .await
        .assert(400, "error", "check_in cannot be in the past.");
    let staff = app.staff("desk").await;
    let desk = app
        .send_as(&staff, Method::GET, "/staff/front-desk", None)
        .await;
    assert_eq!(desk.body["date"], json!(local_today.to_string()));
    assert_eq!(desk.body["arrivals"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_hotel_in_auckland_gets_tonight_right() {
    tonight_follows_the_hotel_time_zone("Pacific/Auckland").await;
}

#[tokio::test]
async fn a_hotel_in_los_angeles_gets_tonight_right() {
    tonight_follows_the_hotel_time_zone("America/Los_Angeles").await;
}

#[tokio::test]
async fn an_existing_hotel_keeps_its_currency() {
    let app = spawn_app_with(|c| c.currency = "JPY".into()).await;
    let db = app.stop().await;
    let app = spawn_app_on(db, |c| c.currency = "USD".into()).await;
    let health = app.get("/healthz").await;
    assert_eq!(health.body["currency"], json!("JPY"));
}
