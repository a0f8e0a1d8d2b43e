//! Hostile and careless input: always a JSON 4xx, never a 500 or a hang.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn huge_bodies_are_refused_with_413() {
    let app = spawn_app().await;
    let padding = "x".repeat(200 * 1024);
    let reply = app
        .send(
            Method::POST,
            "/book",
            Some(json!({"username": "pam", "password": PASSWORD, "num_rooms": 1, "pad": padding})),
        )
        .await;
    reply.assert(413, "error", "Request body is too large.");
    assert!(app.occupied_rooms().await.is_empty());
}

#[tokio::test]
async fn wrong_types_and_odd_values_get_clear_errors() {
    let app = spawn_app().await;
    let cases = [
        (
            Method::POST,
            "/book",
            json!({"username": ["a"], "password": PASSWORD, "num_rooms": 1}),
            400,
        ),
        (
            Method::POST,
            "/book",
            json!({"username": "quo", "password": {"x": 1}, "num_rooms": 1}),
            400,
        ),
        (
            Method::POST,
            "/book",
            json!({"username": "quo", "password": PASSWORD, "num_rooms": true}),
            400,
        ),
        (
            Method::POST,
            "/book",
            json!({"username": "quo", "password": PASSWORD, "num_rooms": 1e300}),
            400,
        ),
        (
            Method::POST,
            "/book",
            json!({"username": "quo", "password": PASSWORD, "num_rooms": 99999999999u64}),
            409,
        ),
        (
            Method::PUT,
            "/update",
            json!({"username": "quo", "password": PASSWORD, "new_room": 99999999999u64}),
            400,
        ),
        (
            Method::PUT,
            "/update",
            json!({"username": "quo", "password": PASSWORD, "new_room": 2, "booking_id": "x"}),
            400,
        ),
        (
            Method::POST,
            "/register",
            json!({"username": "bad\u{0007}name", "password": PASSWORD}),
            400,
        ),
    ];
    for (method, path, body, status) in cases {
        let reply = app.send(method, path, Some(body.clone())).await;
        assert_eq!(reply.status, status, "{path} {body}: {:?}", reply.body);
        assert!(!reply.error().is_empty());
    }
}

#[tokio::test]
async fn garbage_bytes_and_odd_headers_do_not_break_anything() {
    let app = spawn_app().await;
    let reply = app
        .send_with(Method::POST, "/book", None, |r| {
            r.header("content-type", "application/json")
                .body(vec![0xff, 0xfe, 0x00, 0x7b])
        })
        .await;
    reply.assert(400, "error", "Invalid JSON.");
    let reply = app
        .send_with(Method::POST, "/query", None, |r| {
            r.header("authorization", "Basic Zm9vOmJhcg==")
        })
        .await;
    reply.assert(400, "error", "username and password required.");
    let reply = app.get("/rooms?date=%ZZ").await;
    assert_eq!(reply.status, 400);
    let health = app.get("/healthz").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.body["status"], json!("ok"));
}

#[tokio::test]
async fn truncated_request_does_not_hang_the_server() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let mut stream = tokio::net::TcpStream::connect(app.address).await.unwrap();
    stream
        .write_all(b"POST /book HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"user")
        .await
        .unwrap();
    stream.shutdown().await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut answer),
    )
    .await
    .expect("the server closes the connection");
    // The server is still fine for everybody else.
    assert_eq!(app.get("/rooms").await.status, 200);
}

#[tokio::test]
async fn room_by_room_occupancy_is_for_staff_only() {
    let app = spawn_app().await;
    app.book("away", 1).await;
    app.get("/occupancy")
        .await
        .assert(401, "code", "not_signed_in");
    let guest = app.guest("nosy").await;
    app.send_as(&guest, Method::GET, "/occupancy", None)
        .await
        .assert(403, "code", "staff_only");
    let staff = app.staff("desk").await;
    let grid = app.send_as(&staff, Method::GET, "/occupancy", None).await;
    assert_eq!(grid.status, 200, "{:?}", grid.body);
    assert_eq!(grid.body["rooms"][0]["taken"][0], json!(true));
    // The original protocol's /rooms still says which rooms are taken tonight, as it did.
    assert_eq!(app.occupied_rooms().await, vec![1]);
}

#[tokio::test]
async fn text_carries_no_control_or_direction_characters_and_one_line_fields_one_line() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let guest = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/guests",
            Some(json!({"full_name": "Ada Lovelace", "notes": "Late arrival.\nAllergic to nuts."})),
        )
        .await;
    assert_eq!(guest.status, 201, "notes may have lines: {:?}", guest.body);
    for (field, text) in [
        ("full_name", "Ada\u{1b}[2J"),
        ("full_name", "Ada\u{0}"),
        ("full_name", "Ada\r\nLovelace"),
        ("notes", "paid\u{202e}00.5 tsafkaerB"),
        ("phone", "+43\u{2066}1"),
    ] {
        let mut body = json!({"full_name": "Bea"});
        body[field] = json!(text);
        let refused = app
            .send_as(&staff, Method::POST, "/staff/guests", Some(body))
            .await;
        refused.assert(400, "code", "invalid_characters");
        assert!(refused.error().contains(field), "{}", refused.error());
    }
    // A bill line is one line, even in a field that may have several elsewhere.
    app.book("cy", 1).await;
    let id = app.query("cy").await.body["bookings"][0]["id"]
        .as_i64()
        .unwrap();
    let charge = app
        .send_as(
            &staff,
            Method::POST,
            &format!("/staff/bookings/{id}/charges"),
            Some(json!({"description": "Minibar\nRefund 500.00", "unit_amount": 500})),
        )
        .await;
    assert_eq!(charge.status, 400, "{:?}", charge.body);
    // The password is a secret taken as typed, and only checked.
    let odd = app
        .send(
            Method::POST,
            "/login",
            Some(json!({"username": "cy", "password": "tab\there"})),
        )
        .await;
    assert_eq!(odd.status, 401, "{:?}", odd.body);
}
