//! Rooms, room types and rates, and taking rooms out of service.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn rooms_and_room_types_are_managed_and_out_of_service_rooms_never_sold() {
    let app = spawn_app().await;
    let staff = app.staff("boss").await;
    let loft = app
        .send_as(&staff, Method::POST, "/staff/room-types",
            Some(json!({"name": "Loft", "description": "Under the roof", "capacity": 2, "rate": 17_500})))
        .await;
    assert_eq!(loft.status, 201, "{:?}", loft.body);
    let loft_id = loft.body["id"].as_i64().unwrap();
    app.send_as(
        &staff,
        Method::POST,
        "/staff/room-types",
        Some(json!({"name": "loft", "capacity": 2, "rate": 1})),
    )
    .await
    .assert(409, "error", "A room type named \"loft\" already exists.");
    app.send_as(
        &staff,
        Method::POST,
        "/staff/room-types",
        Some(json!({"name": "Cell", "capacity": 0, "rate": 1})),
    )
    .await
    .assert(400, "error", "capacity must be 1 to 20 guests.");
    let room = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/rooms",
            Some(json!({"number": 11, "room_type_id": loft_id, "floor": 3})),
        )
        .await;
    assert_eq!(room.status, 201, "{:?}", room.body);
    assert_eq!(room.body["room_type"], json!("Loft"));
    app.send_as(
        &staff,
        Method::POST,
        "/staff/rooms",
        Some(json!({"number": 11, "room_type_id": loft_id})),
    )
    .await
    .assert(409, "error", "Room 11 already exists.");

    // Out of service until further notice: never offered, never booked (also by a server that
    // has just listed the rooms).
    assert_eq!(app.get("/rooms").await.body["free"], json!(11));
    let broken = app
        .send_as(
            &staff,
            Method::PUT,
            "/staff/rooms/1",
            Some(json!({"room_type_id": 1, "floor": 1, "out_of_service": "Leaking pipe"})),
        )
        .await;
    assert_eq!(broken.body["out_of_service"], json!("Leaking pipe"));
    let rooms = app.get("/rooms").await;
    assert_eq!(rooms.body["total"], json!(11));
    assert_eq!(rooms.body["free"], json!(10));
    assert_eq!(
        rooms.body["rooms"][0],
        json!({"room_number": 1, "is_occupied": false, "out_of_service": true})
    );
    let booked = app.book("ann", 10).await;
    booked.assert(
        200,
        "message",
        "Rooms booked successfully: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]",
    );
    app.book("bob", 1)
        .await
        .assert(409, "error", "No rooms available.");
    let ann = app.query("ann").await;
    let ann_booking = ann.body["bookings"][0]["id"].as_i64().unwrap();
    app.update("ann", json!(1))
        .await
        .assert(409, "error", "Room 1 is out of service.");
    app.send_as(
        &staff,
        Method::POST,
        &format!("/staff/bookings/{ann_booking}/move"),
        Some(json!({"room_number": 1})),
    )
    .await
    .assert(409, "error", "Room 1 is out of service.");

    // Types in use cannot be retired; rooms with stays to come cannot either.
    app.send_as(
        &staff,
        Method::DELETE,
        &format!("/staff/room-types/{loft_id}"),
        None,
    )
    .await
    .assert(
        409,
        "error",
        "Rooms [11] are still of type \"Loft\"; give them another type first.",
    );
    let retire = app
        .send_as(&staff, Method::DELETE, "/staff/rooms/11", None)
        .await;
    assert_eq!(retire.status, 409);
    assert!(
        retire
            .error()
            .starts_with("Room 11 has stays on those nights"),
        "{:?}",
        retire.body
    );
    app.checkout("ann").await;
    let retired = app
        .send_as(&staff, Method::DELETE, "/staff/rooms/11", None)
        .await;
    assert_eq!(retired.body["retired"], json!(true));
    let gone = app
        .send_as(
            &staff,
            Method::DELETE,
            &format!("/staff/room-types/{loft_id}"),
            None,
        )
        .await;
    assert_eq!(gone.body["retired"], json!(true));
    assert_eq!(app.get("/rooms").await.body["total"], json!(10));
    assert_eq!(
        app.audit_actions(&staff).await[1..],
        [
            "room_type.create",
            "room.create",
            "room.update",
            "booking.create",
            "booking.create",
            "booking.create",
            "booking.create",
            "booking.create",
            "booking.create",
            "booking.create",
            "booking.create",
            "booking.create",
            "booking.create",
            "booking.check_out",
            "room.housekeeping",
            "folio.note",
            "booking.check_out",
            "room.housekeeping",
            "folio.note",
            "booking.check_out",
            "room.housekeeping",
            "folio.note",
            "booking.check_out",
            "room.housekeeping",
            "folio.note",
            "booking.check_out",
            "room.housekeeping",
            "folio.note",
            "booking.check_out",
            "room.housekeeping",
            "folio.note",
            "booking.check_out",
            "room.housekeeping",
            "folio.note",
            "booking.check_out",
            "room.housekeeping",
            "folio.note",
            "booking.check_out",
            "room.housekeeping",
            "folio.note",
            "booking.check_out",
            "room.housekeeping",
            "folio.note",
            "room.retire",
            "room_type.retire",
        ]
    );
}

#[tokio::test]
async fn out_of_service_ranges_keep_a_room_off_sale_for_those_nights() {
    let app = spawn_app_with(|c| c.rooms = 2).await;
    let staff = app.staff("boss").await;
    let today = app.today().await;
    let (d1, d2, d3) = (
        day_after(today, 1),
        day_after(today, 2),
        day_after(today, 3),
    );
    app.book_dates("ann", 1, &d2, &d3).await.assert(
        200,
        "message",
        "Rooms booked successfully: [1]",
    );
    let clash = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/blocks",
            Some(json!({"room_number": 1, "from": d1, "to": d3, "reason": "Painting"})),
        )
        .await;
    assert_eq!(clash.status, 409);
    assert!(
        clash
            .error()
            .starts_with("Room 1 has stays on those nights")
    );
    let block = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/blocks",
            Some(json!({"room_number": 2, "from": d1, "to": d3, "reason": "Painting"})),
        )
        .await;
    assert_eq!(block.status, 201, "{:?}", block.body);
    let availability = app
        .get(&format!("/availability?check_in={d1}&check_out={d2}"))
        .await;
    assert_eq!(availability.body["rooms"], json!([1]));
    app.book_dates("bob", 2, &d1, &d2).await.assert(
        409,
        "error",
        "Only 1 room is available; you asked for 2. Nothing was booked.",
    );
    // Tonight room 2 is still for sale; the range starts tomorrow.
    app.book("cid", 2)
        .await
        .assert(200, "message", "Rooms booked successfully: [1, 2]");
    let night = app.get(&format!("/rooms?date={d1}")).await;
    assert_eq!(night.body["rooms"][1]["out_of_service"], json!(true));
    let id = block.body["id"].as_i64().unwrap();
    app.send_as(&staff, Method::DELETE, &format!("/staff/blocks/{id}"), None)
        .await;
    app.book_dates("bob", 2, &d1, &d2).await.assert(
        200,
        "message",
        "Rooms booked successfully: [1, 2]",
    );
    app.send_as(
        &staff,
        Method::POST,
        "/staff/blocks",
        Some(json!({"room_number": 2, "from": d2, "to": d1, "reason": "x"})),
    )
    .await
    .assert(400, "error", "to must be after from.");
    let actions = app.audit_actions(&staff).await;
    let blocks: Vec<&str> = actions
        .iter()
        .map(String::as_str)
        .filter(|a| a.starts_with("block."))
        .collect();
    assert_eq!(blocks, vec!["block.create", "block.remove"]);
}

#[tokio::test]
async fn a_room_with_stays_to_come_cannot_go_out_of_service_until_further_notice() {
    let app = spawn_app().await;
    let staff = app.staff("boss").await;
    let today = app.today().await;
    let booked = app
        .book_dates("ann", 1, &day_after(today, 2), &day_after(today, 4))
        .await;
    let id = booked.body["bookings"][0]["id"].clone();
    let refused = app
        .send_as(
            &staff,
            Method::PUT,
            "/staff/rooms/1",
            Some(json!({"room_type_id": 1, "floor": 1, "out_of_service": "Broken heating"})),
        )
        .await;
    assert_eq!(refused.status, 409, "{:?}", refused.body);
    assert_eq!(refused.body["code"], json!("room_has_stays"));
    assert!(
        refused.error().contains(&id.to_string()),
        "{:?}",
        refused.body
    );
    // A room nobody holds goes out of service as before.
    let free = app
        .send_as(
            &staff,
            Method::PUT,
            "/staff/rooms/2",
            Some(json!({"room_type_id": 1, "floor": 1, "out_of_service": "Broken heating"})),
        )
        .await;
    assert_eq!(free.status, 200, "{:?}", free.body);
}
