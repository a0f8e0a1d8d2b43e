//! The front desk: roles, check-in and check-out, moves, walk-ins, search, bad input.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// Every staff endpoint, with a body that would be valid.
fn staff_endpoints() -> Vec<(Method, &'static str, Option<Value>)> {
    let block =
        json!({"room_number": 1, "from": "2099-01-01", "to": "2099-01-02", "reason": "paint"});
    vec![
        (Method::GET, "/staff/bookings", None),
        (
            Method::POST,
            "/staff/bookings",
            Some(json!({"guest": "walk"})),
        ),
        (Method::GET, "/staff/front-desk", None),
        (Method::GET, "/staff/bookings/1", None),
        (Method::GET, "/staff/feeds", None),
        (
            Method::POST,
            "/staff/rooms/1/feeds",
            Some(json!({"url": "https://example.org/cal.ics"})),
        ),
        (Method::POST, "/staff/feeds/1/sync", None),
        (Method::DELETE, "/staff/feeds/1", None),
        (Method::POST, "/staff/rooms/1/ical-address", None),
        (Method::GET, "/staff/api-keys", None),
        (
            Method::POST,
            "/staff/api-keys",
            Some(json!({"name": "locks", "scopes": ["read"]})),
        ),
        (Method::DELETE, "/staff/api-keys/1", None),
        (Method::GET, "/staff/webhooks", None),
        (
            Method::POST,
            "/staff/webhooks",
            Some(
                json!({"url": "https://example.org/hook", "events": ["*"], "secret": "0123456789abcdef"}),
            ),
        ),
        (Method::GET, "/staff/webhooks/1", None),
        (Method::DELETE, "/staff/webhooks/1", None),
        (Method::POST, "/staff/webhooks/1/resume", None),
        (Method::GET, "/staff/webhooks/1/deliveries", None),
        (Method::POST, "/staff/bookings/1/check-in", None),
        (Method::POST, "/staff/bookings/1/check-out", None),
        (
            Method::POST,
            "/staff/bookings/1/move",
            Some(json!({"room_number": 2})),
        ),
        (Method::POST, "/staff/bookings/1/cancel", None),
        (Method::POST, "/staff/bookings/1/no-show", None),
        (Method::GET, "/staff/room-types", None),
        (
            Method::POST,
            "/staff/room-types",
            Some(json!({"name": "Loft", "capacity": 2, "rate": 100})),
        ),
        (
            Method::PUT,
            "/staff/room-types/1",
            Some(json!({"name": "Loft", "capacity": 2, "rate": 100})),
        ),
        (Method::DELETE, "/staff/room-types/1", None),
        (Method::GET, "/staff/rooms", None),
        (
            Method::POST,
            "/staff/rooms",
            Some(json!({"number": 99, "room_type_id": 1})),
        ),
        (
            Method::PUT,
            "/staff/rooms/1",
            Some(json!({"room_type_id": 1})),
        ),
        (Method::DELETE, "/staff/rooms/1", None),
        (Method::GET, "/staff/blocks", None),
        (Method::POST, "/staff/blocks", Some(block)),
        (Method::DELETE, "/staff/blocks/1", None),
        (
            Method::GET,
            "/staff/report?from=2099-01-01&to=2099-01-02",
            None,
        ),
        (Method::GET, "/staff/audit", None),
        (
            Method::GET,
            "/staff/report.csv?from=2099-01-01&to=2099-01-02",
            None,
        ),
        (Method::GET, "/staff/bookings/1/bill", None),
        (
            Method::POST,
            "/staff/bookings/1/charges",
            Some(json!({"description": "Taxi", "unit_amount": 100})),
        ),
        (
            Method::POST,
            "/staff/bookings/1/payments",
            Some(json!({"method": "cash", "amount": 100})),
        ),
        (Method::POST, "/staff/bookings/1/invoice", None),
        (Method::GET, "/staff/bookings/1/invoice", None),
        (Method::GET, "/staff/extras", None),
        (Method::GET, "/staff/guests", None),
        (Method::GET, "/staff/guests/1", None),
        (
            Method::PUT,
            "/staff/guests/1",
            Some(json!({"full_name": "Ann"})),
        ),
        (
            Method::POST,
            "/staff/extras",
            Some(json!({"name": "Taxi", "price": 100})),
        ),
    ]
}

#[tokio::test]
async fn staff_endpoints_refuse_anonymous_callers_and_guests() {
    let app = spawn_app().await;
    let guest = app.guest("gina").await;
    for (method, path, body) in staff_endpoints() {
        let anonymous = app.send(method.clone(), path, body.clone()).await;
        assert_eq!(
            anonymous.status, 401,
            "{method} {path}: {:?}",
            anonymous.body
        );
        let as_guest = app.send_as(&guest, method.clone(), path, body).await;
        as_guest.assert(403, "error", "This is for hotel staff only.");
    }
    // Nothing was changed by any of them.
    let staff = app.staff("sam").await;
    assert_eq!(app.audit_actions(&staff).await, vec!["role.grant"]);
}

#[tokio::test]
async fn a_booking_is_read_by_its_id_whatever_its_status() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    app.register("ann", PASSWORD).await;
    app.book("ann", 1)
        .await
        .assert(200, "message", "Rooms booked successfully: [1]");
    let found = app
        .send_as(&staff, Method::GET, "/staff/bookings?limit=1", None)
        .await;
    let listed = found.body["bookings"][0].clone();
    let id = listed["id"].as_i64().expect("id");
    let one = app
        .send_as(&staff, Method::GET, &format!("/staff/bookings/{id}"), None)
        .await;
    assert_eq!(one.status, 200, "{:?}", one.body);
    assert_eq!(one.body, listed);
    app.send_as(
        &staff,
        Method::POST,
        &format!("/staff/bookings/{id}/cancel"),
        None,
    )
    .await;
    let cancelled = app
        .send_as(&staff, Method::GET, &format!("/staff/bookings/{id}"), None)
        .await;
    assert_eq!(cancelled.body["status"], "cancelled");
    let missing = app
        .send_as(&staff, Method::GET, "/staff/bookings/9999", None)
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["code"], "booking_not_found");
}

#[tokio::test]
async fn register_cannot_make_a_staff_account() {
    let app = spawn_app().await;
    let reply = app
        .send(
            Method::POST,
            "/register",
            Some(json!({"username": "eve", "password": PASSWORD, "role": "staff"})),
        )
        .await;
    assert_eq!(reply.status, 201);
    let token = app.login("eve").await;
    let me = app.send_as(&token, Method::GET, "/me", None).await;
    assert_eq!(me.body["role"], json!("guest"));
    let desk = app
        .send_as(&token, Method::GET, "/staff/front-desk", None)
        .await;
    assert_eq!(desk.status, 403);
}

#[tokio::test]
async fn staff_password_command_sets_a_new_password_and_ends_every_session() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let hash = "SELECT username, password_hash FROM users WHERE username = 'desk'";
    let before = app.db.rows(hash).await;
    let new_password = "a quite different passphrase 7";
    let out = hotel_server(
        &app.db.url,
        &["staff", "password", "desk"],
        Some(&format!("{new_password}\n")),
    );
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("desk has a new password; 1 session ended"),
        "{out:?}"
    );
    let sessions = app
        .db
        .rows("SELECT 'n', CAST(COUNT(*) AS TEXT) FROM sessions")
        .await;
    assert_eq!(sessions[0].1, "0");
    // A running server may still honour the old password it checked in the last 30 seconds
    // (the command says so); the stored hash is the new one.
    let after = app.db.rows(hash).await;
    assert_ne!(before[0].1, after[0].1);
    assert!(after[0].1.starts_with("$argon2id$"), "{after:?}");
    let fresh = app
        .send(
            Method::POST,
            "/login",
            Some(json!({"username": "desk", "password": new_password})),
        )
        .await;
    assert_eq!(fresh.status, 200, "{:?}", fresh.body);
    let token = fresh.body["token"].as_str().unwrap().to_string();
    let log = app.send_as(&token, Method::GET, "/staff/audit", None).await;
    let entry = log.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == json!("user.password_change"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(entry["actor"], json!("hotel-server"));
    assert!(!entry.to_string().contains(new_password));
    // A common password is refused, and an unknown account named.
    let weak = hotel_server(
        &app.db.url,
        &["staff", "password", "desk"],
        Some("password123\n"),
    );
    assert!(!weak.status.success());
    let nobody = hotel_server(
        &app.db.url,
        &["staff", "password", "nobody"],
        Some(&format!("{new_password}\n")),
    );
    assert!(!nobody.status.success());
    let _ = desk;
}

#[tokio::test]
async fn staff_create_command_makes_a_staff_account_with_a_hashed_password() {
    let app = spawn_app().await;
    let password = format!("{PASSWORD}\n");
    let out = hotel_server(&app.db.url, &["staff", "create", "olga"], Some(&password));
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "Created staff account olga."
    );
    let token = app.login("olga").await;
    let me = app.send_as(&token, Method::GET, "/me", None).await;
    assert_eq!(me.body["role"], json!("staff"));
    let stored = app
        .db
        .rows("SELECT username, password_hash FROM users WHERE username = 'olga'")
        .await;
    assert!(stored[0].1.starts_with("$argon2id$"), "{stored:?}");
    // A name that is taken, and a password that is too short, are refused.
    let again = hotel_server(&app.db.url, &["staff", "create", "olga"], Some(&password));
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already taken"));
    let short = hotel_server(&app.db.url, &["staff", "create", "pete"], Some("short\n"));
    assert!(!short.status.success());
    let unknown = hotel_server(&app.db.url, &["staff", "grant", "nobody"], None);
    assert!(!unknown.status.success());
    let log = app.send_as(&token, Method::GET, "/staff/audit", None).await;
    assert_eq!(log.body["entries"][0]["action"], json!("user.create"));
    assert_eq!(log.body["entries"][0]["actor"], json!("hotel-server"));
}

#[tokio::test]
async fn front_desk_checks_a_guest_in_and_out() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let stay = app
        .book_dates("ann", 1, &day_after(today, 0), &day_after(today, 2))
        .await;
    let id = stay.body["bookings"][0]["id"].as_i64().unwrap();
    let later = app
        .book_dates("bob", 1, &day_after(today, 1), &day_after(today, 2))
        .await;
    let later_id = later.body["bookings"][0]["id"].as_i64().unwrap();

    let desk = app
        .send_as(&staff, Method::GET, "/staff/front-desk", None)
        .await;
    assert_eq!(desk.status, 200);
    assert_eq!(desk.body["date"], json!(today.to_string()));
    assert_eq!(desk.body["arrivals"][0]["guest"], json!("ann"));
    assert_eq!(desk.body["arrivals"].as_array().unwrap().len(), 1);
    assert_eq!(desk.body["in_house"], json!([]));

    let path = format!("/staff/bookings/{id}/check-in");
    let checked_in = app.send_as(&staff, Method::POST, &path, None).await;
    assert_eq!(checked_in.status, 200, "{:?}", checked_in.body);
    assert_eq!(checked_in.body["booking"]["status"], json!("checked_in"));
    app.send_as(&staff, Method::POST, &path, None).await.assert(
        409,
        "error",
        &format!("Booking {id} is already checked in."),
    );
    app.send_as(
        &staff,
        Method::POST,
        &format!("/staff/bookings/{later_id}/check-in"),
        None,
    )
    .await
    .assert(
        409,
        "error",
        &format!(
            "Booking {later_id} starts on {}; not before then.",
            day_after(today, 1)
        ),
    );
    let desk = app
        .send_as(&staff, Method::GET, "/staff/front-desk", None)
        .await;
    assert_eq!(desk.body["arrivals"], json!([]));
    assert_eq!(desk.body["in_house"][0]["id"], json!(id));
    // The guest sees the new status too.
    assert_eq!(
        app.query("ann").await.body["bookings"][0]["status"],
        json!("checked_in")
    );
    // A checked-in stay cannot be cancelled, by the guest or the desk.
    app.send_as(
        &staff,
        Method::POST,
        &format!("/staff/bookings/{id}/cancel"),
        None,
    )
    .await
    .assert(
        409,
        "error",
        &format!("Booking {id} has already begun; check out instead of cancelling."),
    );

    let out = app
        .send_as(
            &staff,
            Method::POST,
            &format!("/staff/bookings/{id}/check-out"),
            None,
        )
        .await;
    out.assert(200, "message", "Checked out ann from room 1.");
    assert_eq!(out.body["booking"]["status"], json!("checked_out"));
    assert!(app.occupied_rooms().await.is_empty());
    assert_eq!(app.query("ann").await.body["bookings"], json!([]));
    app.send_as(
        &staff,
        Method::POST,
        &format!("/staff/bookings/{id}/check-out"),
        None,
    )
    .await
    .assert(
        409,
        "error",
        &format!("Booking {id} is already cancelled or checked out."),
    );
    app.send_as(&staff, Method::POST, "/staff/bookings/999/check-in", None)
        .await
        .assert(404, "error", "Booking 999 not found.");
    app.send_as(&staff, Method::POST, "/staff/bookings/abc/check-in", None)
        .await
        .assert(404, "error", "Booking abc not found.");
    assert_eq!(
        app.audit_actions(&staff).await,
        vec![
            "role.grant",
            "booking.create",
            "booking.create",
            "booking.check_in",
            "booking.check_out",
            "room.housekeeping",
            "folio.note"
        ]
    );
}

#[tokio::test]
async fn staff_move_a_stay_only_to_a_free_room() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let first = app.book("ann", 1).await;
    let id = first.body["bookings"][0]["id"].as_i64().unwrap();
    app.book("bob", 1).await; // room 2
    let path = format!("/staff/bookings/{id}/move");
    app.send_as(&staff, Method::POST, &path, Some(json!({"room_number": 2})))
        .await
        .assert(409, "error", "Room 2 is already occupied.");
    app.send_as(
        &staff,
        Method::POST,
        &path,
        Some(json!({"room_number": 77})),
    )
    .await
    .assert(400, "error", "Invalid room number.");
    app.send_as(
        &staff,
        Method::POST,
        &path,
        Some(json!({"room_number": "x"})),
    )
    .await;
    let bad = app
        .send_as(&staff, Method::POST, &path, Some(json!({})))
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.error().contains("room_number"), "{:?}", bad.body);
    let moved = app
        .send_as(&staff, Method::POST, &path, Some(json!({"room_number": 5})))
        .await;
    moved.assert(
        200,
        "message",
        &format!("Moved booking {id} from room 1 to room 5."),
    );
    assert_eq!(app.occupied_rooms().await, vec![2, 5]);
    let log = app.send_as(&staff, Method::GET, "/staff/audit", None).await;
    let entry = &log.body["entries"][0];
    assert_eq!(entry["action"], json!("booking.move"));
    assert_eq!(entry["actor"], json!("desk"));
    let before: Value = serde_json::from_str(entry["before"].as_str().unwrap()).unwrap();
    let after: Value = serde_json::from_str(entry["after"].as_str().unwrap()).unwrap();
    assert_eq!(
        (before["room_number"].clone(), after["room_number"].clone()),
        (json!(1), json!(5))
    );
}

#[tokio::test]
async fn walk_in_guests_get_a_booking_and_no_password() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let reply = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/bookings",
            Some(json!({"guest": "walter", "room_number": 7, "guests": 3,
                         "check_out": day_after(today, 2)})),
        )
        .await;
    reply.assert(201, "message", "Rooms booked successfully: [7]");
    let booking = &reply.body["bookings"][0];
    assert_eq!(booking["guest"], json!("walter"));
    assert_eq!(booking["guests"], json!(3));
    assert_eq!(booking["room_type"], json!("Family"));
    assert_eq!(booking["total"], json!(2 * 14_500));
    // The account holds the stay, but nobody can sign in with it.
    let login = app
        .send(
            Method::POST,
            "/login",
            Some(json!({"username": "walter", "password": ""})),
        )
        .await;
    assert_eq!(login.status, 400);
    let login = app
        .send(
            Method::POST,
            "/login",
            Some(json!({"username": "walter", "password": "!"})),
        )
        .await;
    login.assert(401, "error", "Invalid password.");
    // A room too small, taken, or unknown is refused.
    app.send_as(
        &staff,
        Method::POST,
        "/staff/bookings",
        Some(json!({"guest": "xena", "room_number": 1, "guests": 3})),
    )
    .await
    .assert(400, "error", "Room 1 sleeps at most 2 guests.");
    app.send_as(
        &staff,
        Method::POST,
        "/staff/bookings",
        Some(json!({"guest": "xena", "room_number": 7})),
    )
    .await
    .assert(409, "error", "Room 7 is already occupied.");
    app.send_as(
        &staff,
        Method::POST,
        "/staff/bookings",
        Some(json!({"guest": "xena", "room_type_id": 99})),
    )
    .await
    .assert(404, "error", "Room type 99 not found.");
    let found = app
        .send_as(&staff, Method::GET, "/staff/bookings?guest=WALT", None)
        .await;
    assert_eq!(found.body["bookings"].as_array().unwrap().len(), 1);
    let id = found.body["bookings"][0]["id"].as_i64().unwrap();
    let cancelled = app
        .send_as(
            &staff,
            Method::POST,
            &format!("/staff/bookings/{id}/cancel"),
            None,
        )
        .await;
    assert_eq!(cancelled.body["booking"]["status"], json!("cancelled"));
    assert!(app.occupied_rooms().await.is_empty());
}

#[tokio::test]
async fn staff_search_bookings_by_guest_room_dates_and_status() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    app.book_dates("ann", 1, &day_after(today, 1), &day_after(today, 3))
        .await; // room 1
    app.book_dates("bob", 2, &day_after(today, 5), &day_after(today, 6))
        .await; // rooms 1, 2
    let cancelled = app
        .book_dates("cid", 1, &day_after(today, 8), &day_after(today, 9))
        .await;
    let cid = cancelled.body["bookings"][0]["id"].as_i64().unwrap();
    app.send_as(
        &staff,
        Method::POST,
        &format!("/staff/bookings/{cid}/cancel"),
        None,
    )
    .await;

    let count = |reply: &Reply| reply.body["bookings"].as_array().map_or(0, Vec::len);
    let all = app
        .send_as(&staff, Method::GET, "/staff/bookings", None)
        .await;
    assert_eq!(count(&all), 4);
    let bob = app
        .send_as(&staff, Method::GET, "/staff/bookings?guest=bo", None)
        .await;
    assert_eq!(count(&bob), 2);
    let room2 = app
        .send_as(&staff, Method::GET, "/staff/bookings?room=2", None)
        .await;
    assert_eq!(room2.body["bookings"][0]["guest"], json!("bob"));
    let window = app
        .send_as(
            &staff,
            Method::GET,
            &format!(
                "/staff/bookings?from={}&to={}",
                day_after(today, 2),
                day_after(today, 6)
            ),
            None,
        )
        .await;
    assert_eq!(count(&window), 3);
    let gone = app
        .send_as(
            &staff,
            Method::GET,
            "/staff/bookings?status=cancelled",
            None,
        )
        .await;
    assert_eq!(count(&gone), 1);
    assert_eq!(gone.body["bookings"][0]["guest"], json!("cid"));
    app.send_as(&staff, Method::GET, "/staff/bookings?status=lost", None)
        .await
        .assert(
            400,
            "error",
            "status must be booked, checked_in, checked_out, cancelled or no_show.",
        );
    app.send_as(&staff, Method::GET, "/staff/bookings?from=tomorrow", None)
        .await
        .assert(
            400,
            "error",
            "from must be a date written as YYYY-MM-DD, for example 2026-12-24.",
        );
}

#[tokio::test]
async fn staff_endpoints_answer_bad_input_with_clear_json_errors() {
    let app = spawn_app().await;
    let staff = app.staff("boss").await;
    let broken = app
        .send_with(Method::POST, "/staff/room-types", None, |r| {
            r.bearer_auth(&staff).body("{\"name\": ")
        })
        .await;
    broken.assert(400, "error", "Invalid JSON.");
    let wrong_type = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/room-types",
            Some(json!({"name": "Loft", "capacity": "two", "rate": 100})),
        )
        .await;
    assert_eq!(wrong_type.status, 400);
    assert!(
        wrong_type.error().starts_with("Invalid request:"),
        "{:?}",
        wrong_type.body
    );
    let missing = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/blocks",
            Some(json!({"room_number": 1})),
        )
        .await;
    assert_eq!(missing.status, 400);
    assert!(missing.error().contains("from"), "{:?}", missing.body);
    let bad_date = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/bookings",
            Some(json!({"guest": "x", "check_in": "2026-02-30"})),
        )
        .await;
    assert_eq!(bad_date.status, 400, "{:?}", bad_date.body);
    let huge = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/room-types",
            Some(json!({"name": "x".repeat(100_000), "capacity": 2, "rate": 1})),
        )
        .await;
    huge.assert(413, "error", "Request body is too large.");
    app.send_as(
        &staff,
        Method::PUT,
        "/staff/rooms/999",
        Some(json!({"room_type_id": 1})),
    )
    .await
    .assert(404, "error", "Room 999 not found.");
    app.send_as(
        &staff,
        Method::PUT,
        "/staff/rooms/1",
        Some(json!({"room_type_id": 42})),
    )
    .await
    .assert(404, "error", "Room type 42 not found.");
    app.send_as(
        &staff,
        Method::GET,
        "/staff/report?from=2026-01-01&to=2028-01-01",
        None,
    )
    .await
    .assert(400, "error", "A report covers at most 366 nights.");
    // Nothing above changed anything.
    assert_eq!(app.audit_actions(&staff).await, vec!["role.grant"]);
}

#[tokio::test]
async fn a_revoked_member_of_staff_is_a_guest_again_within_thirty_seconds_on_every_path() {
    let app = spawn_app_with(|c| c.rooms = 20).await;
    let made = hotel_server(
        &app.db.url,
        &["staff", "create", "leaving"],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(made.status.success(), "{made:?}");
    let token = app.login("leaving").await;
    // Staff book without the guests' limits; the original protocol's password is remembered.
    let big = json!({"username": "leaving", "password": PASSWORD, "num_rooms": 7,
                     "check_out": day_after(app.today().await, 10)});
    let booked = app.send(Method::POST, "/book", Some(big.clone())).await;
    assert_eq!(booked.status, 200, "{:?}", booked.body);
    let out = hotel_server(&app.db.url, &["staff", "revoke", "leaving"], None);
    assert!(out.status.success(), "{out:?}");
    tokio::time::sleep(std::time::Duration::from_secs(31)).await;
    // Both the remembered password and the session now carry a guest's role.
    app.send(Method::POST, "/book", Some(big))
        .await
        .assert(409, "code", "booking_too_large");
    app.send_as(&token, Method::GET, "/staff/front-desk", None)
        .await
        .assert(403, "code", "staff_only");
}
