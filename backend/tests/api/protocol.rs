//! The original protocol, field for field and word for word.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn original_session_behaves_like_the_python_server() {
    let app = spawn_app().await;

    let rooms = app.get("/rooms").await;
    assert_eq!(rooms.status, 200);
    let listed: Vec<_> = rooms.body["rooms"].as_array().unwrap().clone();
    assert_eq!(listed.len(), 10);
    assert_eq!(listed[0], json!({"room_number": 1, "is_occupied": false}));
    assert_eq!(listed[9], json!({"room_number": 10, "is_occupied": false}));

    app.book("alice", 6).await.assert(
        200,
        "message",
        "Rooms booked successfully: [1, 2, 3, 4, 5, 6]",
    );
    app.query("alice")
        .await
        .assert(200, "message", "Your booked rooms: [1, 2, 3, 4, 5, 6]");
    assert_eq!(app.occupied_rooms().await, vec![1, 2, 3, 4, 5, 6]);

    app.update("alice", json!(8)).await.assert(
        200,
        "message",
        "Updated booking: released 1, assigned 8.",
    );
    assert_eq!(app.occupied_rooms().await, vec![2, 3, 4, 5, 6, 8]);
    app.query("alice")
        .await
        .assert(200, "message", "Your booked rooms: [2, 3, 4, 5, 6, 8]");

    app.checkout("alice").await.assert(
        200,
        "message",
        "Checked out successfully. Released rooms: [2, 3, 4, 5, 6, 8]",
    );
    assert!(app.occupied_rooms().await.is_empty());
    app.query("alice")
        .await
        .assert(200, "message", "You have not booked any rooms.");

    let wrong = app
        .send(
            Method::POST,
            "/query",
            Some(json!({"username": "alice", "password": "not her password"})),
        )
        .await;
    wrong.assert(401, "error", "Invalid password.");
}

#[tokio::test]
async fn book_without_required_fields_is_rejected() {
    let app = spawn_app().await;
    let required = "username, password, and num_rooms required.";
    for body in [
        json!({}),
        json!({"password": PASSWORD, "num_rooms": 1}),
        json!({"username": "bob", "num_rooms": 1}),
        json!({"username": "bob", "password": PASSWORD}),
        json!({"username": "", "password": PASSWORD, "num_rooms": 1}),
        json!({"username": "bob", "password": "", "num_rooms": 1}),
        json!({"username": "bob", "password": PASSWORD, "num_rooms": 0}),
        json!({"username": "bob", "password": PASSWORD, "num_rooms": -2}),
        json!({"username": "bob", "password": PASSWORD, "num_rooms": "two"}),
        json!({"username": "bob", "password": PASSWORD, "num_rooms": 1.5}),
        json!({"username": "bob", "password": PASSWORD, "num_rooms": null}),
        json!({"username": 7, "password": PASSWORD, "num_rooms": 1}),
    ] {
        let reply = app.send(Method::POST, "/book", Some(body.clone())).await;
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(reply.error(), required, "{body}");
    }
    assert!(app.occupied_rooms().await.is_empty());
}

#[tokio::test]
async fn book_with_wrong_password_is_unauthorized() {
    let app = spawn_app().await;
    app.book("carol", 1)
        .await
        .assert(200, "message", "Rooms booked successfully: [1]");
    let reply = app
        .send(
            Method::POST,
            "/book",
            Some(json!({"username": "carol", "password": "guessing!", "num_rooms": 1})),
        )
        .await;
    reply.assert(401, "error", "Invalid password.");
    assert_eq!(app.occupied_rooms().await, vec![1]);
}

#[tokio::test]
async fn book_when_hotel_is_full_says_no_rooms() {
    let app = spawn_app_with(|c| c.rooms = 3).await;
    app.book("dave", 3)
        .await
        .assert(200, "message", "Rooms booked successfully: [1, 2, 3]");
    let reply = app.book("erin", 1).await;
    reply.assert(409, "error", "No rooms available.");
}

#[tokio::test]
async fn book_more_than_free_books_nothing_and_says_how_many() {
    let app = spawn_app().await;
    app.book("frank", 7).await;
    let reply = app.book("grace", 6).await;
    assert_eq!(reply.status, 409);
    assert!(
        reply.error().contains("Only 3 rooms are available"),
        "{}",
        reply.error()
    );
    assert_eq!(reply.body["available"], json!(3));
    assert_eq!(app.occupied_rooms().await, vec![1, 2, 3, 4, 5, 6, 7]);
    app.query("grace")
        .await
        .assert(200, "message", "You have not booked any rooms.");
}

#[tokio::test]
async fn book_takes_lowest_free_rooms() {
    let app = spawn_app().await;
    app.book("henry", 3).await;
    app.update("henry", json!(10)).await.assert(
        200,
        "message",
        "Updated booking: released 1, assigned 10.",
    );
    app.book("iris", 2)
        .await
        .assert(200, "message", "Rooms booked successfully: [1, 4]");
}

#[tokio::test]
async fn query_errors_follow_the_protocol() {
    let app = spawn_app().await;
    for body in [
        json!({}),
        json!({"username": "x"}),
        json!({"password": PASSWORD}),
    ] {
        app.send(Method::POST, "/query", Some(body)).await.assert(
            400,
            "error",
            "username and password required.",
        );
    }
    app.query("nobody")
        .await
        .assert(404, "error", "User not found.");
    app.book("jack", 1).await;
    app.send(
        Method::POST,
        "/query",
        Some(json!({"username": "jack", "password": "wrong password"})),
    )
    .await
    .assert(401, "error", "Invalid password.");
}

#[tokio::test]
async fn update_errors_follow_the_protocol() {
    let app = spawn_app().await;
    app.book("kate", 2).await;
    app.book("liam", 1).await;

    app.update("kate", json!("eight"))
        .await
        .assert(400, "error", "new_room must be integer.");
    app.update("kate", json!([8]))
        .await
        .assert(400, "error", "new_room must be integer.");
    app.update("kate", json!(0))
        .await
        .assert(400, "error", "Invalid room number.");
    app.update("kate", json!(11))
        .await
        .assert(400, "error", "Invalid room number.");
    app.update("kate", json!(-3))
        .await
        .assert(400, "error", "Invalid room number.");
    app.update("kate", json!(3))
        .await
        .assert(409, "error", "Room 3 is already occupied.");
    app.update("kate", json!(2))
        .await
        .assert(200, "message", "You already have room 2.");
    app.update("kate", json!(1))
        .await
        .assert(200, "message", "You already have room 1.");
    // A numeric string is a number, as the original's int() made it.
    app.update("kate", json!("9")).await.assert(
        200,
        "message",
        "Updated booking: released 1, assigned 9.",
    );

    app.update("nobody", json!(5))
        .await
        .assert(404, "error", "User not found.");
    app.send(
        Method::PUT,
        "/update",
        Some(json!({"username": "kate", "password": "bad password", "new_room": 5})),
    )
    .await
    .assert(401, "error", "Invalid password.");
    app.send(
        Method::PUT,
        "/update",
        Some(json!({"username": "kate", "password": PASSWORD})),
    )
    .await
    .assert(400, "error", "username, password, and new_room required.");

    app.register("mona", PASSWORD).await;
    app.update("mona", json!(5))
        .await
        .assert(400, "error", "You have no booking to update.");
    assert_eq!(app.occupied_rooms().await, vec![2, 3, 9]);
}

#[tokio::test]
async fn update_with_booking_id_moves_that_stay() {
    let app = spawn_app().await;
    let booked = app.book("nina", 2).await;
    let second = booked.body["bookings"][1]["id"].as_i64().unwrap();
    let moved = app
        .send(
            Method::PUT,
            "/update",
            Some(json!({"username": "nina", "password": PASSWORD, "new_room": 7, "booking_id": second})),
        )
        .await;
    moved.assert(200, "message", "Updated booking: released 2, assigned 7.");
    assert_eq!(moved.body["booking"]["id"], json!(second));
    app.query("nina")
        .await
        .assert(200, "message", "Your booked rooms: [1, 7]");

    let missing = app
        .send(
            Method::PUT,
            "/update",
            Some(json!({"username": "nina", "password": PASSWORD, "new_room": 5, "booking_id": 9999})),
        )
        .await;
    missing.assert(404, "error", "Booking 9999 not found.");
}

#[tokio::test]
async fn checkout_errors_follow_the_protocol() {
    let app = spawn_app().await;
    app.send(Method::DELETE, "/checkout", Some(json!({"username": "x"})))
        .await
        .assert(400, "error", "username and password required.");
    app.checkout("nobody")
        .await
        .assert(404, "error", "User not found.");
    app.register("olga", PASSWORD).await;
    app.checkout("olga")
        .await
        .assert(400, "error", "You have no booked rooms.");
    app.send(
        Method::DELETE,
        "/checkout",
        Some(json!({"username": "olga", "password": "bad password"})),
    )
    .await
    .assert(401, "error", "Invalid password.");
}

#[tokio::test]
async fn malformed_json_is_rejected_everywhere() {
    let app = spawn_app().await;
    for (method, path) in [
        (Method::POST, "/book"),
        (Method::POST, "/query"),
        (Method::PUT, "/update"),
        (Method::DELETE, "/checkout"),
        (Method::POST, "/register"),
        (Method::POST, "/login"),
    ] {
        // A form feed is whitespace to Rust but not to JSON: no JSON at all.
        for body in ["{", "{\"username\": }", "not json", "{\"a\":1}}", "\x0c"] {
            app.raw(method.clone(), path, body)
                .await
                .assert(400, "error", "Invalid JSON.");
        }
        let array = app.raw(method.clone(), path, "[1, 2]").await;
        assert_eq!(array.status, 400, "{path}");
        assert!(array.error().contains("JSON object"));
    }
}

#[tokio::test]
async fn unknown_paths_and_methods_get_json_errors() {
    let app = spawn_app().await;
    for path in ["/", "/nope", "/rooms/1/x", "/book/extra"] {
        app.get(path)
            .await
            .assert(404, "error", "Endpoint not found.");
    }
    app.send(Method::POST, "/nope", Some(json!({})))
        .await
        .assert(404, "error", "Endpoint not found.");
    for (method, path) in [
        (Method::POST, "/rooms"),
        (Method::GET, "/book"),
        (Method::GET, "/query"),
        (Method::POST, "/update"),
        (Method::POST, "/checkout"),
    ] {
        let reply = app.send(method, path, None).await;
        assert_eq!(reply.status, 405, "{path}");
        assert!(!reply.error().is_empty());
    }
}

#[tokio::test]
async fn openapi_document_describes_every_endpoint() {
    let app = spawn_app().await;
    let doc = app.get("/openapi.json").await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc.body["paths"].as_object().unwrap();
    for (path, method) in [
        ("/rooms", "get"),
        ("/book", "post"),
        ("/query", "post"),
        ("/update", "put"),
        ("/checkout", "delete"),
        ("/availability", "get"),
        ("/register", "post"),
        ("/login", "post"),
        ("/logout", "post"),
        ("/bookings", "get"),
        ("/bookings/{id}", "delete"),
        ("/healthz", "get"),
        ("/quote", "get"),
        ("/calendar.ics", "get"),
        ("/staff/bookings", "get"),
        ("/staff/bookings", "post"),
        ("/staff/front-desk", "get"),
        ("/staff/bookings/{id}/check-in", "post"),
        ("/staff/bookings/{id}/check-out", "post"),
        ("/staff/bookings/{id}/move", "post"),
        ("/staff/bookings/{id}/cancel", "post"),
        ("/staff/room-types", "get"),
        ("/staff/room-types", "post"),
        ("/staff/room-types/{id}", "put"),
        ("/staff/room-types/{id}", "delete"),
        ("/staff/rooms", "get"),
        ("/staff/rooms", "post"),
        ("/staff/rooms/{number}", "put"),
        ("/staff/rooms/{number}", "delete"),
        ("/staff/blocks", "get"),
        ("/staff/blocks", "post"),
        ("/staff/blocks/{id}", "delete"),
        ("/staff/report", "get"),
        ("/staff/audit", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path}"
        );
    }
    assert!(doc.body["components"]["schemas"]["BookRequest"].is_object());
    assert!(doc.body["components"]["schemas"]["Report"].is_object());
    // Staff endpoints say they need a session.
    assert!(paths["/staff/front-desk"]["get"]["security"].is_array());

    // What OpenAPI requires of every operation, so client generators take the document:
    // a unique operationId, and a description for each response.
    let mut ids = std::collections::HashSet::new();
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_default();
            assert!(
                !id.is_empty() && ids.insert(id.to_string()),
                "{method} {path}: {id:?}"
            );
            for (status, response) in operation["responses"].as_object().unwrap() {
                assert!(
                    response["description"].is_string() || response["$ref"].is_string(),
                    "{method} {path} {status}"
                );
            }
        }
    }
}
