//! Bookings made for a booking site through the API: the site's name, its reference and the
//! price agreed there kept on the booking; a site's booking sent twice booked once; and the
//! bookings changed since a moment, for a program that catches up.

use hotel_shared::staff::BookingList;
use hotel_shared::{BookResponse, Booking};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

fn sale(today: hotel_shared::Date, reference: &str) -> Value {
    json!({"guest": "otto", "room_number": 3,
           "check_in": day_after(today, 5), "check_out": day_after(today, 8),
           "channel": "booking.com", "external_reference": reference, "nightly_price": 8900})
}

async fn channel_key(app: &TestApp, staff: &str) -> String {
    let made = app
        .send_as(
            staff,
            Method::POST,
            "/staff/api-keys",
            Some(json!({"name": "channel-manager", "scopes": ["read", "bookings"]})),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    made.body["secret"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_site_booking_keeps_its_reference_and_price_and_is_not_booked_twice() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let key = channel_key(&app, &staff).await;
    let today = app.today().await;
    let made = app
        .send_as(
            &key,
            Method::POST,
            "/staff/bookings",
            Some(sale(today, "4012345678")),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let booking = made.parsed::<BookResponse>().bookings.remove(0);
    assert_eq!(booking.channel.as_deref(), Some("booking.com"));
    assert_eq!(booking.external_reference.as_deref(), Some("4012345678"));
    assert_eq!(booking.total, 3 * 8900);
    assert!(
        booking.night_prices.iter().all(|n| n.amount == 8900),
        "{booking:?}"
    );
    // Found by the site's reference, as read back from the database.
    let found: BookingList = app
        .send_as(
            &key,
            Method::GET,
            "/staff/bookings?channel=booking.com&external_reference=4012345678",
            None,
        )
        .await
        .parsed();
    assert_eq!(found.bookings.len(), 1);
    assert_eq!(found.bookings[0].id, booking.id);
    assert_eq!(found.bookings[0].total, 3 * 8900);
    assert_eq!(
        found.bookings[0].external_reference.as_deref(),
        Some("4012345678")
    );
    // Sent again (without an idempotency key, as a site resends): refused, naming the booking.
    let again = app
        .send_as(
            &key,
            Method::POST,
            "/staff/bookings",
            Some(sale(today, "4012345678")),
        )
        .await;
    again.assert(409, "code", "external_reference_exists");
    assert!(
        again.error().contains(&booking.id.to_string()),
        "{:?}",
        again.body
    );
    // Once it is cancelled, the site may sell the reference again.
    let cancelled = app
        .send_as(
            &key,
            Method::POST,
            &format!("/staff/bookings/{}/cancel", booking.id),
            None,
        )
        .await;
    assert_eq!(cancelled.status, 200, "{:?}", cancelled.body);
    let rebooked = app
        .send_as(
            &key,
            Method::POST,
            "/staff/bookings",
            Some(sale(today, "4012345678")),
        )
        .await;
    assert_eq!(rebooked.status, 201, "{:?}", rebooked.body);
}

#[tokio::test]
async fn bookings_changed_since_a_moment_are_listed() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let first = app
        .book_dates("ann", 1, &day_after(today, 2), &day_after(today, 4))
        .await
        .parsed::<BookResponse>()
        .bookings
        .remove(0);
    let second = app
        .book_dates("bob", 1, &day_after(today, 3), &day_after(today, 5))
        .await
        .parsed::<BookResponse>()
        .bookings
        .remove(0);
    let made_first: jiff::Timestamp = first.updated_at.as_deref().unwrap().parse().unwrap();
    let made_second: jiff::Timestamp = second.updated_at.as_deref().unwrap().parse().unwrap();
    assert!(made_second >= made_first);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let cancelled = app
        .send_as(
            &staff,
            Method::POST,
            &format!("/staff/bookings/{}/cancel", first.id),
            None,
        )
        .await;
    assert_eq!(cancelled.status, 200, "{:?}", cancelled.body);
    let just_after = made_second + jiff::SignedDuration::from_millis(1);
    let changed: BookingList = app
        .send_as(
            &staff,
            Method::GET,
            &format!("/staff/bookings?updated_since={just_after}"),
            None,
        )
        .await
        .parsed();
    let ids: Vec<i64> = changed.bookings.iter().map(|b| b.id).collect();
    assert_eq!(ids, vec![first.id], "{changed:?}");
    let now: &Booking = &changed.bookings[0];
    let cancelled_at: jiff::Timestamp = now.updated_at.as_deref().unwrap().parse().unwrap();
    assert!(
        cancelled_at > made_second,
        "{cancelled_at} after {made_second}"
    );
    // From the first booking's moment on, both.
    let both: BookingList = app
        .send_as(
            &staff,
            Method::GET,
            &format!("/staff/bookings?updated_since={made_first}"),
            None,
        )
        .await
        .parsed();
    assert_eq!(both.bookings.len(), 2);
    app.send_as(
        &staff,
        Method::GET,
        "/staff/bookings?updated_since=yesterday",
        None,
    )
    .await
    .assert(400, "code", "invalid_request");
}

#[tokio::test]
async fn bad_sale_fields_are_refused() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let base = sale(today, "R-1");
    for (field, value) in [
        ("channel", json!("Booking.com")),
        ("channel", json!("")),
        ("external_reference", json!("has space")),
        ("external_reference", json!("x".repeat(101))),
        ("nightly_price", json!(-1)),
        ("nightly_price", json!(100_000_001)),
    ] {
        let mut body = base.clone();
        body[field] = value.clone();
        let reply = app
            .send_as(&staff, Method::POST, "/staff/bookings", Some(body))
            .await;
        assert_eq!(reply.status, 400, "{field}={value}: {:?}", reply.body);
    }
    let mut orphan = base.clone();
    orphan.as_object_mut().unwrap().remove("channel");
    app.send_as(&staff, Method::POST, "/staff/bookings", Some(orphan))
        .await
        .assert(400, "code", "invalid_request");
    // Nothing was booked by any of them.
    let all: BookingList = app
        .send_as(&staff, Method::GET, "/staff/bookings", None)
        .await
        .parsed();
    assert!(all.bookings.is_empty(), "{all:?}");
}
