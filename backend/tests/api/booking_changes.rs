//! Changing a booking's dates, party, room type or plan in one step, as a booking site's
//! modification or a guest on the telephone asks: the booking keeps its id and reference,
//! is priced again, and a change that cannot be made changes nothing.

use hotel_shared::staff::BookingChanged;
use hotel_shared::{BookResponse, Booking};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::pricing::type_id;

async fn desk_booking(app: &TestApp, staff: &str, body: Value) -> Booking {
    let made = app
        .send_as(staff, Method::POST, "/staff/bookings", Some(body))
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    made.parsed::<BookResponse>().bookings.remove(0)
}

async fn change(app: &TestApp, staff: &str, id: i64, body: Value) -> Reply {
    app.send_as(
        staff,
        Method::PATCH,
        &format!("/staff/bookings/{id}"),
        Some(body),
    )
    .await
}

async fn read(app: &TestApp, staff: &str, id: i64) -> Booking {
    app.send_as(staff, Method::GET, &format!("/staff/bookings/{id}"), None)
        .await
        .parsed()
}

#[tokio::test]
async fn adding_a_night_keeps_the_reference_and_the_booked_prices() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let standard = type_id(&app, &staff, "Standard").await;
    let booked = desk_booking(
        &app,
        &staff,
        json!({"guest": "ann", "room_number": 3,
               "check_in": day_after(today, 5), "check_out": day_after(today, 8)}),
    )
    .await;
    assert_eq!(booked.total, 3 * 9500);
    // Prices go up after the booking: the nights booked keep theirs, the added one costs
    // today's price.
    let raised = app
        .send_as(
            &staff,
            Method::PUT,
            "/staff/rate-calendar",
            Some(
                json!({"room_type_id": standard, "from": day_after(today, 5),
                        "to": day_after(today, 9), "amount": 12000}),
            ),
        )
        .await;
    assert_eq!(raised.status, 200, "{:?}", raised.body);
    let changed = change(
        &app,
        &staff,
        booked.id,
        json!({"check_out": day_after(today, 9), "guests": 2}),
    )
    .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    let changed: BookingChanged = changed.parsed();
    assert_eq!(changed.previous_total, 3 * 9500);
    assert_eq!(changed.difference, 12000);
    let now = read(&app, &staff, booked.id).await;
    assert_eq!(now.reference, booked.reference);
    assert_eq!(now.room_number, 3, "kept in its room");
    assert_eq!(now.guests, 2);
    assert_eq!((now.check_in, now.nights), (booked.check_in, 4));
    assert_eq!(
        now.night_prices
            .iter()
            .map(|n| n.amount)
            .collect::<Vec<_>>(),
        vec![9500, 9500, 9500, 12000]
    );
    assert_eq!(now.total, 3 * 9500 + 12000);
    // Announced as a change, with the booking after it.
    // The feed shows an event once nothing before it can still commit: ask until it does.
    let mut last = Value::Null;
    for _ in 0..50 {
        let events = app
            .send_as(&staff, Method::GET, "/events?after=0&limit=100", None)
            .await;
        last = events.body["events"]
            .as_array()
            .and_then(|e| e.last())
            .cloned()
            .unwrap_or_default();
        if last["type"] == "booking.changed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(last["type"], "booking.changed", "{last}");
    assert_eq!(last["data"]["check_out"], json!(day_after(today, 9)));
    // Someone else may now not have room 3 on the added night.
    let taken = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/bookings",
            Some(json!({"guest": "bob", "room_number": 3,
                        "check_in": day_after(today, 8), "check_out": day_after(today, 9)})),
        )
        .await;
    taken.assert(409, "code", "room_occupied");
}

#[tokio::test]
async fn another_room_type_is_a_free_room_of_it_at_its_prices_and_frees_the_old_room() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let suite = type_id(&app, &staff, "Suite").await;
    let (from, to) = (day_after(today, 10), day_after(today, 12));
    let booked = desk_booking(
        &app,
        &staff,
        json!({"guest": "ann", "room_number": 2, "check_in": from, "check_out": to}),
    )
    .await;
    let changed = change(
        &app,
        &staff,
        booked.id,
        json!({"room_type_id": suite, "guests": 3}),
    )
    .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    let now = read(&app, &staff, booked.id).await;
    assert_eq!(now.room_type, "Suite");
    assert_ne!(now.room_number, 2);
    assert_eq!(now.total, 2 * 22000);
    assert_eq!(now.reference, booked.reference);
    // Room 2 is free again on those nights.
    desk_booking(
        &app,
        &staff,
        json!({"guest": "bob", "room_number": 2, "check_in": from, "check_out": to}),
    )
    .await;
    // The audit log says what changed.
    let audit = app
        .send_as(&staff, Method::GET, "/staff/audit?limit=5", None)
        .await;
    let entries = audit.body["entries"].as_array().cloned().unwrap();
    let entry = entries
        .iter()
        .find(|e| e["action"] == "booking.change")
        .unwrap_or_else(|| panic!("{entries:?}"));
    let before: Value = serde_json::from_str(entry["before"].as_str().unwrap()).unwrap();
    assert_eq!(before["room_number"], 2);
}

#[tokio::test]
async fn a_change_nothing_fits_is_refused_with_a_code_and_changes_nothing() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let (suite, standard) = (
        type_id(&app, &staff, "Suite").await,
        type_id(&app, &staff, "Standard").await,
    );
    let (from, to) = (day_after(today, 20), day_after(today, 23));
    desk_booking(
        &app,
        &staff,
        json!({"guest": "vip", "room_type_id": suite, "check_in": from, "check_out": to}),
    )
    .await;
    let booked = desk_booking(
        &app,
        &staff,
        json!({"guest": "ann", "room_number": 1, "check_in": from, "check_out": to}),
    )
    .await;
    let as_booked = read(&app, &staff, booked.id).await;
    // The only suite is taken.
    change(&app, &staff, booked.id, json!({"room_type_id": suite}))
        .await
        .assert(409, "code", "no_rooms_available");
    // Too many people for a standard room.
    change(&app, &staff, booked.id, json!({"guests": 4}))
        .await
        .assert(409, "code", "no_rooms_available");
    // The calendar asks for three nights from the arrival day.
    let set = app
        .send_as(
            &staff,
            Method::PUT,
            "/staff/rate-calendar",
            Some(json!({"room_type_id": standard, "from": from, "to": to, "min_stay": 3})),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    let short = change(
        &app,
        &staff,
        booked.id,
        json!({"check_out": day_after(today, 22)}),
    )
    .await;
    short.assert(409, "code", "min_stay");
    assert_eq!(short.body["restriction"]["min_stay"], json!(3));
    // Bad requests.
    for (body, why) in [
        (json!({}), "nothing to change"),
        (json!({"check_out": from}), "departure before arrival"),
        (json!({"check_in": day_after(today, -1)}), "in the past"),
        (json!({"guests": 0}), "no one"),
        (json!({"nightly_price": -1}), "a negative price"),
        (
            json!({"check_out": day_after(today, 400)}),
            "beyond the window",
        ),
    ] {
        let refused = change(&app, &staff, booked.id, body).await;
        assert_eq!(refused.status, 400, "{why}: {:?}", refused.body);
    }
    change(&app, &staff, 999_999, json!({"guests": 1}))
        .await
        .assert(404, "code", "booking_not_found");
    assert_eq!(
        read(&app, &staff, booked.id).await,
        as_booked,
        "refused changes left the booking as it was"
    );
    // The desk may override the calendar, and the audit log says so.
    let overridden = change(
        &app,
        &staff,
        booked.id,
        json!({"check_out": day_after(today, 22), "override_restrictions": true}),
    )
    .await;
    assert_eq!(overridden.status, 200, "{:?}", overridden.body);
    let audit = app
        .send_as(&staff, Method::GET, "/staff/audit?limit=5", None)
        .await;
    assert_eq!(
        audit.body["entries"][0]["action"],
        "booking.change_despite_restriction"
    );
    // A cancelled stay is not changed.
    let cancelled = app
        .send_as(
            &staff,
            Method::POST,
            &format!("/staff/bookings/{}/cancel", booked.id),
            None,
        )
        .await;
    assert_eq!(cancelled.status, 200, "{:?}", cancelled.body);
    change(&app, &staff, booked.id, json!({"guests": 2}))
        .await
        .assert(409, "code", "booking_not_active");
}

#[tokio::test]
async fn a_guest_in_the_house_may_stay_longer_but_keeps_arrival_and_room_type() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let suite = type_id(&app, &staff, "Suite").await;
    let stay = desk_booking(
        &app,
        &staff,
        json!({"guest": "ann", "room_number": 4, "check_out": day_after(today, 2),
               "check_in_now": true}),
    )
    .await;
    let longer = change(
        &app,
        &staff,
        stay.id,
        json!({"check_out": day_after(today, 3)}),
    )
    .await;
    assert_eq!(longer.status, 200, "{:?}", longer.body);
    let now = read(&app, &staff, stay.id).await;
    assert_eq!((now.room_number, now.nights), (4, 3));
    assert_eq!(now.status, hotel_shared::BookingStatus::CheckedIn);
    change(
        &app,
        &staff,
        stay.id,
        json!({"check_in": day_after(today, 1)}),
    )
    .await
    .assert(409, "code", "booking_already_started");
    change(&app, &staff, stay.id, json!({"room_type_id": suite}))
        .await
        .assert(409, "code", "booking_already_started");
    // Room 4 is sold from the new departure on: the stay cannot grow into it.
    desk_booking(
        &app,
        &staff,
        json!({"guest": "bob", "room_number": 4,
               "check_in": day_after(today, 3), "check_out": day_after(today, 5)}),
    )
    .await;
    change(
        &app,
        &staff,
        stay.id,
        json!({"check_out": day_after(today, 4)}),
    )
    .await
    .assert(409, "code", "room_occupied");
}

#[tokio::test]
async fn a_booking_site_changes_its_booking_with_a_key_at_the_agreed_price() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let made = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/api-keys",
            Some(json!({"name": "channel-manager", "scopes": ["read", "bookings"]})),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let key = made.body["secret"].as_str().unwrap().to_string();
    let booked = desk_booking(
        &app,
        &key,
        json!({"guest": "otto", "check_in": day_after(today, 5), "check_out": day_after(today, 7),
               "channel": "booking.com", "external_reference": "4012345678",
               "nightly_price": 8900}),
    )
    .await;
    let changed = change(
        &app,
        &key,
        booked.id,
        json!({"check_in": day_after(today, 6), "check_out": day_after(today, 9),
               "nightly_price": 9100}),
    )
    .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    let now = read(&app, &key, booked.id).await;
    assert_eq!(now.total, 3 * 9100);
    assert_eq!(now.external_reference.as_deref(), Some("4012345678"));
    assert_eq!(now.channel.as_deref(), Some("booking.com"));
    let moved =
        |b: &Booking| -> jiff::Timestamp { b.updated_at.as_deref().unwrap().parse().unwrap() };
    assert!(moved(&now) > moved(&booked), "{now:?}");
    // A key that only reads may not.
    let reader = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/api-keys",
            Some(json!({"name": "reader", "scopes": ["read"]})),
        )
        .await;
    let reader = reader.body["secret"].as_str().unwrap().to_string();
    change(&app, &reader, booked.id, json!({"guests": 2}))
        .await
        .assert(403, "code", "scope_missing");
    let audit = app
        .send_as(&staff, Method::GET, "/staff/audit?limit=5", None)
        .await;
    let entries = audit.body["entries"].as_array().cloned().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "booking.change" && e["actor"] == "API key channel-manager"),
        "{entries:?}"
    );
}
