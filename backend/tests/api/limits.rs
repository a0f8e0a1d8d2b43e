//! Limits a hotel sets so that one client cannot take the whole hotel: room-nights per
//! booking and per guest, sign-ups per address, bookings per address and account.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

async fn book_for(app: &TestApp, user: &str, rooms: u32, nights: i64) -> Reply {
    let today = app.today().await;
    app.book_dates(user, rooms, &today.to_string(), &day_after(today, nights))
        .await
}

#[tokio::test]
async fn one_booking_may_not_hold_more_room_nights_than_the_hotel_allows() {
    let app = spawn_app().await;
    let reply = book_for(&app, "hoarder", 10, 7).await;
    reply.assert(409, "code", "booking_too_large");
    assert!(
        reply.error().contains("at most 60 room-nights"),
        "{}",
        reply.error()
    );
    assert!(app.db.held_room_nights().await.is_empty());
    // Exactly the limit is fine.
    book_for(&app, "hoarder", 6, 10).await.assert(
        200,
        "message",
        "Rooms booked successfully: [1, 2, 3, 4, 5, 6]",
    );
}

#[tokio::test]
async fn a_guest_may_not_hold_more_open_room_nights_than_the_hotel_allows() {
    // The address's own budget is another test's.
    let app = spawn_app_with(|c| c.address_share = 0).await;
    book_for(&app, "amy", 5, 10).await.assert(
        200,
        "message",
        "Rooms booked successfully: [1, 2, 3, 4, 5]",
    );
    let more = book_for(&app, "amy", 2, 6).await;
    more.assert(409, "code", "guest_limit_reached");
    assert!(
        more.error().contains("You already hold 50 room-nights"),
        "{}",
        more.error()
    );
    // Someone else is not affected, and a cancelled stay frees its room-nights.
    book_for(&app, "bob", 1, 1)
        .await
        .assert(200, "message", "Rooms booked successfully: [6]");
    let listed = app.query("amy").await;
    let first = listed.body["bookings"][0]["id"].as_i64().unwrap();
    let cancel = app
        .send(
            Method::DELETE,
            &format!("/bookings/{first}"),
            Some(json!({"username": "amy", "password": PASSWORD})),
        )
        .await;
    assert_eq!(cancel.status, 200, "{:?}", cancel.body);
    book_for(&app, "amy", 2, 6)
        .await
        .assert(200, "message", "Rooms booked successfully: [1, 7]");
}

#[tokio::test]
async fn the_desk_is_not_limited() {
    let app = spawn_app_with(|c| c.rooms = 20).await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    // Three rooms for a month for one guest: 90 room-nights, over a guest's 60.
    for _ in 0..3 {
        let walk_in = app
            .send_as(
                &staff,
                Method::POST,
                "/staff/bookings",
                Some(json!({"guest": "long stay", "check_out": day_after(today, 30)})),
            )
            .await;
        assert_eq!(walk_in.status, 201, "{:?}", walk_in.body);
    }
    // Staff booking through the guest endpoint for themselves are not limited either.
    let own = app
        .send_as(
            &staff,
            Method::POST,
            "/book",
            Some(json!({"num_rooms": 10, "check_in": today.to_string(), "check_out": day_after(today, 30)})),
        )
        .await;
    assert_eq!(own.status, 200, "{:?}", own.body);
}

#[tokio::test]
async fn one_address_may_create_only_so_many_accounts_an_hour_even_across_restarts() {
    let app = spawn_app_with(|c| c.signup_rate_limit = 3).await;
    for name in ["s1", "s2"] {
        assert_eq!(app.register(name, PASSWORD).await.status, 201);
    }
    // A first booking under a new name makes an account too.
    app.book("s3", 1)
        .await
        .assert(200, "message", "Rooms booked successfully: [1]");
    let refused = app.register("s4", PASSWORD).await;
    refused.assert(429, "code", "too_many_signups");
    let wait: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    app.book("s5", 1)
        .await
        .assert(429, "code", "too_many_signups");

    // Counted in the database: a restart does not reset it, and old accounts still book.
    let db = app.stop().await;
    let again = spawn_app_on(db, |c| c.signup_rate_limit = 3).await;
    again
        .register("s6", PASSWORD)
        .await
        .assert(429, "code", "too_many_signups");
    again
        .book("s1", 1)
        .await
        .assert(200, "message", "Rooms booked successfully: [2]");
}

#[tokio::test]
async fn bookings_are_limited_per_minute_by_address_and_by_account() {
    let app = spawn_app_with(|c| c.booking_rate_limit = 3).await;
    for room in 1..=3 {
        app.book("fast", 1).await.assert(
            200,
            "message",
            &format!("Rooms booked successfully: [{room}]"),
        );
    }
    let refused = app.book("fast", 1).await;
    refused.assert(429, "code", "too_many_bookings");
    let wait: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // The address is used up for everyone on it; nothing was booked.
    app.book("other", 1)
        .await
        .assert(429, "code", "too_many_bookings");
    assert_eq!(app.occupied_rooms().await, vec![1, 2, 3]);
}

#[tokio::test]
async fn zero_turns_the_rate_limits_off() {
    let app = spawn_app_with(|c| {
        c.signup_rate_limit = 0;
        c.booking_rate_limit = 0;
    })
    .await;
    for i in 0..25 {
        assert_eq!(
            app.register(&format!("many{i}"), PASSWORD).await.status,
            201
        );
    }
}

#[tokio::test]
async fn concurrent_bookings_of_one_guest_never_pass_the_guest_limit() {
    let app = spawn_app_with(|c| {
        c.rooms = 40;
        c.address_share = 0;
        c.booking_rate_limit = 0;
    })
    .await;
    app.register("eager", PASSWORD).await;
    // Ten bookings of 15 room-nights at once: four fit in a guest's 60.
    let attempts = (0..10).map(|_| book_for(&app, "eager", 1, 15));
    let replies = futures_util::future::join_all(attempts).await;
    let booked = replies.iter().filter(|r| r.status == 200).count();
    let refused = replies
        .iter()
        .filter(|r| r.status == 409 && r.body["code"] == json!("guest_limit_reached"))
        .count();
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!((booked, refused), (4, 6), "{statuses:?}");
    assert_eq!(app.db.held_room_nights().await.len(), 60);
}

/// Books `rooms` rooms for 30 nights from today as a new guest `user` whose requests come
/// from `address` (the server trusts this machine as its proxy).
async fn book_month_from(app: &TestApp, user: &str, rooms: u32, address: &str) -> Reply {
    let today = app.today().await;
    let body = json!({
        "username": user, "password": PASSWORD, "num_rooms": rooms,
        "check_in": today.to_string(), "check_out": day_after(today, 30),
    });
    let address = address.to_string();
    app.send_with(Method::POST, "/book", Some(body), move |r| {
        r.header("x-forwarded-for", address)
    })
    .await
}

#[tokio::test]
async fn one_address_books_only_its_share_of_the_hotel_a_day_under_any_names() {
    let app = spawn_app_with(|c| {
        c.rooms = 20;
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    // 20 rooms x 30 nights x 10 %: 60 room-nights a day from one address.
    book_month_from(&app, "hoarder0", 2, "198.51.100.7")
        .await
        .assert(200, "message", "Rooms booked successfully: [1, 2]");
    let refused = book_month_from(&app, "hoarder1", 2, "198.51.100.7").await;
    refused.assert(429, "code", "too_many_room_nights");
    assert!(refused.headers.contains_key("retry-after"));
    assert_eq!(app.db.held_room_nights().await.len(), 60);

    // An IPv6 client counts by its /64: another address of the same network is refused too.
    book_month_from(&app, "six0", 2, "2001:db8:0:1::1")
        .await
        .assert(200, "message", "Rooms booked successfully: [3, 4]");
    book_month_from(&app, "six1", 1, "2001:db8:0:1:ffff::2")
        .await
        .assert(429, "code", "too_many_room_nights");
    // Guests elsewhere book as ever.
    book_month_from(&app, "neighbour", 2, "2001:db8:0:2::1")
        .await
        .assert(200, "message", "Rooms booked successfully: [5, 6]");
    book_month_from(&app, "traveller", 1, "203.0.113.9")
        .await
        .assert(200, "message", "Rooms booked successfully: [7]");
}

#[tokio::test]
async fn a_guest_changes_one_booking_at_most_ten_times_a_day_and_the_desk_still_can() {
    let app = spawn_app().await;
    app.book("mover", 1)
        .await
        .assert(200, "message", "Rooms booked successfully: [1]");
    let id = app.query("mover").await.body["bookings"][0]["id"]
        .as_i64()
        .unwrap();
    for n in 0..10 {
        let room = if n % 2 == 0 { 2 } else { 1 };
        let moved = app.update("mover", json!(room)).await;
        assert_eq!(moved.status, 200, "move {n}: {:?}", moved.body);
    }
    let refused = app.update("mover", json!(3)).await;
    refused.assert(429, "code", "too_many_changes");
    assert!(refused.headers.contains_key("retry-after"));
    assert_eq!(app.occupied_rooms().await, vec![1]);
    // Staying put changes nothing and is not refused.
    app.update("mover", json!(1))
        .await
        .assert(200, "message", "You already have room 1.");
    let staff = app.staff("desk").await;
    let moved = app
        .send_as(
            &staff,
            Method::POST,
            &format!("/staff/bookings/{id}/move"),
            Some(json!({"room_number": 4})),
        )
        .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
}
