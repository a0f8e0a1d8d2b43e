//! A guest who never came: the desk notes a no-show, the room is sold again from tonight.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_no_show_frees_the_room_and_is_listed_as_such() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let stay = app
        .book_dates("carl", 1, &day_after(today, 0), &day_after(today, 2))
        .await;
    let id = stay.body["bookings"][0]["id"].as_i64().unwrap();
    assert_eq!(app.occupied_rooms().await, vec![1]);

    let noted = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{id}/no-show"),
            None,
        )
        .await;
    noted.assert(
        200,
        "message",
        "Noted carl as a no-show: room 1 is free again from tonight.",
    );
    assert_eq!(noted.body["booking"]["status"], json!("no_show"));
    assert!(app.occupied_rooms().await.is_empty());

    let listed = |status: &'static str| {
        let desk = desk.clone();
        let app = &app;
        async move {
            app.send_as(
                &desk,
                Method::GET,
                &format!("/staff/bookings?status={status}"),
                None,
            )
            .await
            .body["bookings"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(listed("no_show").await, 1);
    assert_eq!(listed("cancelled").await, 0);
    let bill = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/bookings/{id}/bill"),
            None,
        )
        .await;
    // The plan's no-show fee (the first night) in place of the nights.
    assert_eq!(noted.body["fee"], json!(9500));
    assert_eq!(bill.body["charges"], json!(9500));
    let lines = bill.body["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["description"], json!("No-show fee (Flexible)"));
    let actions = app.audit_actions(&desk).await;
    assert_eq!(
        actions[actions.len() - 2..],
        ["booking.no_show", "folio.fee"]
    );
    let again = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{id}/no-show"),
            None,
        )
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(again.body["code"], json!("booking_not_active"));
}

#[tokio::test]
async fn only_a_stay_due_and_not_checked_in_can_be_a_no_show() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let later = app
        .book_dates("zoe", 1, &day_after(today, 2), &day_after(today, 3))
        .await;
    let later = later.body["bookings"][0]["id"].as_i64().unwrap();
    let early = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{later}/no-show"),
            None,
        )
        .await;
    assert_eq!(early.status, 409);
    assert_eq!(early.body["code"], json!("not_arrived_yet"));

    let here = app
        .book_dates("ann", 1, &day_after(today, 0), &day_after(today, 1))
        .await;
    let here = here.body["bookings"][0]["id"].as_i64().unwrap();
    app.send_as(
        &desk,
        Method::POST,
        &format!("/staff/bookings/{here}/check-in"),
        None,
    )
    .await;
    let arrived = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{here}/no-show"),
            None,
        )
        .await;
    assert_eq!(arrived.status, 409);
    assert_eq!(arrived.body["code"], json!("already_checked_in"));
    let unknown = app
        .send_as(&desk, Method::POST, "/staff/bookings/999/no-show", None)
        .await;
    assert_eq!(unknown.status, 404);
}
