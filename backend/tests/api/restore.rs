//! What was retired can come back: a room type sold again, a room back in the hotel.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_retired_room_and_type_are_restored_in_order() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let loft = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/room-types",
            Some(json!({"name": "Loft", "capacity": 2, "rate": 12_000})),
        )
        .await;
    let loft = loft.body["id"].as_i64().unwrap();
    let added = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/rooms",
            Some(json!({"number": 11, "room_type_id": loft})),
        )
        .await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    app.send_as(&desk, Method::DELETE, "/staff/rooms/11", None)
        .await;
    app.send_as(
        &desk,
        Method::DELETE,
        &format!("/staff/room-types/{loft}"),
        None,
    )
    .await;
    assert_eq!(app.get("/rooms").await.body["total"], json!(10));

    let early = app
        .send_as(&desk, Method::POST, "/staff/rooms/11/restore", None)
        .await;
    assert_eq!(early.status, 409);
    assert_eq!(early.body["code"], json!("room_type_retired"));
    let kind = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/room-types/{loft}/restore"),
            None,
        )
        .await;
    assert_eq!(kind.body["retired"], json!(false));
    let room = app
        .send_as(&desk, Method::POST, "/staff/rooms/11/restore", None)
        .await;
    assert_eq!(room.status, 200, "{:?}", room.body);
    assert_eq!(room.body["retired"], json!(false));
    assert_eq!(app.get("/rooms").await.body["total"], json!(11));
    let actions = app.audit_actions(&desk).await;
    assert_eq!(
        actions[actions.len() - 2..],
        ["room_type.restore".to_string(), "room.restore".to_string()]
    );
    let unknown = app
        .send_as(&desk, Method::POST, "/staff/rooms/99/restore", None)
        .await;
    assert_eq!(unknown.status, 404);
}
