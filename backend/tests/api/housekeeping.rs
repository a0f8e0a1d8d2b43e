//! Housekeeping: rooms turn dirty when guests leave, housekeepers clean them and see nothing
//! else, and the desk needs an override to give a guest a dirty room.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// The housekeeping entry of `room`, as `token` reads the list.
async fn room_state(app: &TestApp, token: &str, room: u64) -> Value {
    let list = app
        .send_as(token, Method::GET, "/housekeeping?limit=1000", None)
        .await;
    assert_eq!(list.status, 200, "{:?}", list.body);
    list.body["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["number"] == json!(room))
        .cloned()
        .unwrap_or_else(|| panic!("room {room} not listed: {:?}", list.body))
}

/// Ann's stay from today for `nights`, in room 1: its id.
async fn stay_from_today(app: &TestApp, nights: i64) -> i64 {
    let today = app.today().await;
    let stay = app
        .book_dates("ann", 1, &day_after(today, 0), &day_after(today, nights))
        .await;
    assert_eq!(stay.status, 200, "{:?}", stay.body);
    assert_eq!(stay.body["rooms"], json!([1]));
    stay.body["bookings"][0]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn checking_out_makes_the_room_dirty_and_a_housekeeper_cleans_it() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let maria = app.housekeeper("maria").await;
    let id = stay_from_today(&app, 2).await;
    let before = room_state(&app, &maria, 1).await;
    assert_eq!(before["condition"], json!("clean"));
    assert_eq!(before["occupancy"], json!("arrival"));

    let path = format!("/staff/bookings/{id}/check-in");
    assert_eq!(
        app.send_as(&desk, Method::POST, &path, None).await.status,
        200
    );
    let path = format!("/staff/bookings/{id}/check-out");
    assert_eq!(
        app.send_as(&desk, Method::POST, &path, None).await.status,
        200
    );
    let after = room_state(&app, &maria, 1).await;
    assert_eq!(after["condition"], json!("dirty"));
    // Left on the arrival day: nobody slept there, nobody will tonight.
    assert_eq!(after["occupancy"], json!("vacant"));

    let cleaned = app
        .send_as(
            &maria,
            Method::PUT,
            "/housekeeping/1",
            Some(json!({"condition": "clean"})),
        )
        .await;
    assert_eq!(cleaned.status, 200, "{:?}", cleaned.body);
    assert_eq!(cleaned.body["number"], json!(1));
    assert_eq!(cleaned.body["condition"], json!("clean"));
    let inspected = app
        .send_as(
            &desk,
            Method::PUT,
            "/housekeeping/1",
            Some(json!({"condition": "inspected"})),
        )
        .await;
    assert_eq!(inspected.body["condition"], json!("inspected"));
    // The desk's list of rooms shows it too.
    let rooms = app
        .send_as(&desk, Method::GET, "/staff/rooms", None)
        .await
        .body;
    assert_eq!(rooms["rooms"][0]["condition"], json!("inspected"));

    let log = app
        .send_as(
            &desk,
            Method::GET,
            "/staff/audit?action=room.housekeeping",
            None,
        )
        .await;
    let entries: Vec<(String, String, String)> = log.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_string(),
                e["action"].as_str().unwrap().to_string(),
                e["after"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        vec![
            (
                "desk".into(),
                "room.housekeeping".into(),
                r#"{"condition":"inspected"}"#.into()
            ),
            (
                "maria".into(),
                "room.housekeeping".into(),
                r#"{"condition":"clean"}"#.into()
            ),
            (
                "desk".into(),
                "room.housekeeping".into(),
                r#"{"condition":"dirty"}"#.into()
            ),
        ]
    );
}

#[tokio::test]
async fn checking_a_guest_into_a_dirty_room_needs_an_override() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let id = stay_from_today(&app, 1).await;
    app.send_as(
        &desk,
        Method::PUT,
        "/housekeeping/1",
        Some(json!({"condition": "dirty"})),
    )
    .await;
    let board = app
        .send_as(&desk, Method::GET, "/staff/front-desk", None)
        .await;
    assert_eq!(board.body["rooms_not_ready"], json!([1]));

    let path = format!("/staff/bookings/{id}/check-in");
    let refused = app.send_as(&desk, Method::POST, &path, None).await;
    assert_eq!(refused.status, 409);
    assert_eq!(refused.body["code"], json!("room_not_clean"));
    assert!(
        refused.error().contains("Room 1 has not been cleaned"),
        "{:?}",
        refused.body
    );
    let refused = app
        .send_as(
            &desk,
            Method::POST,
            &path,
            Some(json!({"override_housekeeping": false})),
        )
        .await;
    assert_eq!(refused.status, 409);

    let taken = app
        .send_as(
            &desk,
            Method::POST,
            &path,
            Some(json!({"override_housekeeping": true})),
        )
        .await;
    assert_eq!(taken.status, 200, "{:?}", taken.body);
    assert_eq!(taken.body["booking"]["status"], json!("checked_in"));
    let actions = app.audit_actions(&desk).await;
    assert_eq!(
        actions.last().map(String::as_str),
        Some("booking.check_in_room_not_clean")
    );
    let board = app
        .send_as(&desk, Method::GET, "/staff/front-desk", None)
        .await;
    assert_eq!(board.body["rooms_not_ready"], json!([]));
}

#[tokio::test]
async fn moving_a_guest_in_house_leaves_the_old_room_dirty() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let id = stay_from_today(&app, 2).await;
    let path = format!("/staff/bookings/{id}/check-in");
    assert_eq!(
        app.send_as(&desk, Method::POST, &path, None).await.status,
        200
    );
    let moved = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{id}/move"),
            Some(json!({"room_number": 2})),
        )
        .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    assert_eq!(
        room_state(&app, &desk, 1).await["condition"],
        json!("dirty")
    );
    assert_eq!(
        room_state(&app, &desk, 2).await["condition"],
        json!("clean")
    );
    assert_eq!(
        room_state(&app, &desk, 2).await["occupancy"],
        json!("arrival")
    );
}

#[tokio::test]
async fn housekeepers_reach_no_guest_data_and_no_money() {
    let app = spawn_app().await;
    let maria = app.housekeeper("maria").await;
    let guest = app.guest("gina").await;
    stay_from_today(&app, 2).await;

    for (method, path) in [
        (Method::GET, "/staff/bookings"),
        (Method::GET, "/staff/front-desk"),
        (Method::GET, "/staff/report?from=2099-01-01&to=2099-01-02"),
        (Method::GET, "/staff/audit"),
        (Method::GET, "/staff/rooms"),
        (Method::POST, "/staff/bookings/1/check-out"),
        (Method::GET, "/staff/bookings/1/bill"),
        (Method::GET, "/staff/extras"),
    ] {
        let reply = app.send_as(&maria, method.clone(), path, None).await;
        assert_eq!(reply.status, 403, "{method} {path}: {:?}", reply.body);
    }
    // The staff calendar feed would name every guest: a housekeeper gets only their own.
    let feed = app
        .client
        .get(app.url("/calendar.ics"))
        .bearer_auth(&maria)
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status().as_u16(), 200);
    let feed = feed.text().await.unwrap();
    assert!(!feed.contains("ann"), "{feed}");

    let list = app
        .send_as(&maria, Method::GET, "/housekeeping", None)
        .await;
    assert_eq!(list.status, 200);
    let text = list.body.to_string();
    for secret in ["ann", "rate", "total", "guest", "EUR"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }

    let refused = app
        .send_as(&guest, Method::GET, "/housekeeping", None)
        .await;
    assert_eq!(refused.status, 403);
    let refused = app
        .send_as(
            &guest,
            Method::PUT,
            "/housekeeping/1",
            Some(json!({"condition": "clean"})),
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(app.get("/housekeeping").await.status, 401);
}

#[tokio::test]
async fn housekeeping_answers_bad_input_with_clear_errors() {
    let app = spawn_app().await;
    let maria = app.housekeeper("maria").await;
    let bad = app
        .send_as(
            &maria,
            Method::PUT,
            "/housekeeping/1",
            Some(json!({"condition": "sparkling"})),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.error()
            .contains("expected one of `clean`, `dirty`, `inspected`"),
        "{:?}",
        bad.body
    );
    let missing = app
        .send_as(&maria, Method::PUT, "/housekeeping/1", Some(json!({})))
        .await;
    assert_eq!(missing.status, 400);
    let unknown = app
        .send_as(
            &maria,
            Method::PUT,
            "/housekeeping/999",
            Some(json!({"condition": "clean"})),
        )
        .await;
    unknown.assert(404, "error", "Room 999 not found.");
    for query in ["cursor=zz", "cursor=", "limit=0", "limit=x"] {
        let reply = app
            .send_as(&maria, Method::GET, &format!("/housekeeping?{query}"), None)
            .await;
        assert_eq!(reply.status, 400, "{query}: {:?}", reply.body);
    }
}

#[tokio::test]
async fn housekeeping_list_pages_through_every_room_once() {
    let app = spawn_app().await;
    let maria = app.housekeeper("maria").await;
    let all = app
        .send_as(&maria, Method::GET, "/housekeeping", None)
        .await;
    let total = all.body["rooms"].as_array().unwrap().len();
    assert!(total > 3, "{:?}", all.body);
    assert_eq!(all.body.get("next_cursor"), None);

    let mut seen = Vec::new();
    let mut path = "/housekeeping?limit=3".to_string();
    loop {
        let page = app.send_as(&maria, Method::GET, &path, None).await;
        assert_eq!(page.status, 200, "{:?}", page.body);
        for room in page.body["rooms"].as_array().unwrap() {
            seen.push(room["number"].as_u64().unwrap());
        }
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/housekeeping?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(seen, sorted, "order or repeats");
    assert_eq!(seen.len(), total);
}

/// A day passes on paper for the one-night stay `id` begun today: it ends today and its
/// night is no longer held, while its guest is still checked in.
async fn a_day_passes(app: &TestApp, id: i64, today: hotel_shared::Date) {
    let yesterday = day_after(today, -1);
    for sql in [
        format!("DELETE FROM room_nights WHERE booking_id = {id}"),
        format!(
            "UPDATE bookings SET check_in = '{yesterday}', check_out = '{today}' WHERE id = {id}"
        ),
    ] {
        app.db.try_execute(&sql).await.expect("a day passes");
    }
}

/// Ann was due out of room 1 yesterday and never checked out (the desk stopped at her open
/// balance); Bea arrives for room 1 today. The desk must not give Bea the key while Ann is in.
#[tokio::test]
async fn checking_a_guest_into_a_room_whose_guest_has_not_left_is_refused() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let ann = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/bookings",
            Some(
                json!({"guest": "ann", "room_number": 1, "check_out": day_after(today, 1),
                        "check_in_now": true}),
            ),
        )
        .await;
    assert_eq!(ann.status, 201, "{:?}", ann.body);
    let ann: hotel_shared::BookResponse = ann.parsed();
    // A day passes on paper: her stay ended today, her night is no longer held.
    let id = ann.bookings[0].id;
    a_day_passes(&app, id, today).await;
    let bea = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/bookings",
            Some(json!({"guest": "bea", "room_number": 1, "check_out": day_after(today, 1)})),
        )
        .await;
    assert_eq!(
        bea.status, 201,
        "the room is for sale tonight: {:?}",
        bea.body
    );
    let bea: hotel_shared::BookResponse = bea.parsed();
    // Housekeeping sees a guest still in room 1, though no night of it is held.
    let rooms: hotel_shared::housekeeping::HousekeepingList = app
        .send_as(&desk, Method::GET, "/housekeeping", None)
        .await
        .parsed();
    let in_use: Vec<u32> = rooms
        .rooms
        .iter()
        .filter(|r| r.occupied)
        .map(|r| r.number)
        .collect();
    assert_eq!(in_use, [1]);
    let path = format!("/staff/bookings/{}/check-in", bea.bookings[0].id);
    // Fresh from the night before, room 1 is not clean either: let it pass here.
    let housekeeping_only = json!({"override_housekeeping": true});
    let refused = app
        .send_as(&desk, Method::POST, &path, Some(housekeeping_only.clone()))
        .await;
    refused.assert(409, "code", "room_not_vacated");
    assert!(refused.error().contains("ann"), "{:?}", refused.body);
    assert_eq!(
        app.audit_actions(&desk).await.last().map(String::as_str),
        Some("booking.create"),
        "a refused check-in changes nothing"
    );
    let overridden = app
        .send_as(
            &desk,
            Method::POST,
            &path,
            Some(json!({"override_housekeeping": true, "override_occupied": true})),
        )
        .await;
    assert_eq!(overridden.status, 200, "{:?}", overridden.body);
    assert_eq!(
        app.audit_actions(&desk).await.last().map(String::as_str),
        Some("booking.check_in_room_occupied")
    );
}

#[tokio::test]
async fn once_the_departing_guest_checks_out_the_next_one_gets_the_room() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let ann: hotel_shared::BookResponse = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/bookings",
            Some(
                json!({"guest": "ann", "room_number": 1, "check_out": day_after(today, 1),
                        "check_in_now": true}),
            ),
        )
        .await
        .parsed();
    let id = ann.bookings[0].id;
    a_day_passes(&app, id, today).await;
    let bea: hotel_shared::BookResponse = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/bookings",
            Some(json!({"guest": "bea", "room_number": 1, "check_out": day_after(today, 1)})),
        )
        .await
        .parsed();
    let out = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{id}/check-out"),
            Some(json!({"leave_balance_open": true})),
        )
        .await;
    assert_eq!(out.status, 200, "{:?}", out.body);
    let path = format!("/staff/bookings/{}/check-in", bea.bookings[0].id);
    let taken = app
        .send_as(
            &desk,
            Method::POST,
            &path,
            Some(json!({"override_housekeeping": true})),
        )
        .await;
    assert_eq!(taken.status, 200, "{:?}", taken.body);
}
