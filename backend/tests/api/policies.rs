//! Cancellation and no-show terms: free until the deadline on the hotel's clock, the fee
//! after it, fees on the bill and in the report.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::pricing::type_id;

async fn plan(app: &TestApp, desk: &str, room_type: i64, name: &str, terms: Value) -> i64 {
    let made = app
        .send_as(
            desk,
            Method::POST,
            "/staff/rate-plans",
            Some(json!({"room_type_id": room_type, "name": name, "terms": terms})),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    made.body["id"].as_i64().unwrap()
}

async fn book_on(app: &TestApp, token: &str, plan: i64, from: &str, to: &str) -> i64 {
    let booked = app
        .send_as(
            token,
            Method::POST,
            "/book",
            Some(json!({"num_rooms": 1, "check_in": from, "check_out": to,
                        "rate_plan_id": plan})),
        )
        .await;
    assert_eq!(booked.status, 200, "{:?}", booked.body);
    booked.body["bookings"][0]["id"].as_i64().unwrap()
}

/// Terms free until `at` (to the minute) on the hotel's clock, `arrival` being the arrival
/// day: the days before it and the time of day, as a hotelier writes them.
fn free_until(tz: &TimeZone, at: Timestamp, arrival: jiff::civil::Date) -> (Value, String) {
    let local = tz.to_datetime(at);
    let days = local.date().until(arrival).unwrap().get_days();
    let time = local.strftime("%H:%M").to_string();
    let cut = local.date().at(local.hour(), local.minute(), 0, 0);
    let utc = tz
        .to_timestamp(cut)
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    (
        json!({"refundable": true, "free_until_days": days, "free_until_time": time,
               "fee": {"kind": "first_night"}, "no_show_fee": {"kind": "first_night"}}),
        utc,
    )
}

#[tokio::test]
async fn cancelling_just_before_the_deadline_is_free_and_just_after_costs_the_fee() {
    // A hotel in Berlin, whose clocks change between today and the arrival day: the deadline,
    // so many days before arrival at a time of day, is counted on the hotel's calendar.
    let zone = "Europe/Berlin";
    let tz = TimeZone::get(zone).unwrap();
    let app = spawn_app_with(|c| {
        without_limits(c);
        c.timezone = Some(zone.into());
    })
    .await;
    let now = Timestamp::now();
    let change = tz.following(now).next().unwrap().timestamp();
    let arrival = tz.to_datetime(change).date().tomorrow().unwrap();
    let departure = arrival.tomorrow().unwrap().tomorrow().unwrap();
    let (from, to) = (arrival.to_string(), departure.to_string());

    let desk = app.staff("desk").await;
    let standard = type_id(&app, &desk, "Standard").await;
    // One plan's deadline is two to three minutes ahead, the other's two to three behind.
    let (ahead, ahead_utc) = free_until(&tz, now + jiff::SignedDuration::from_mins(3), arrival);
    let (behind, _) = free_until(&tz, now - jiff::SignedDuration::from_mins(2), arrival);
    let early = plan(&app, &desk, standard, "Deadline ahead", ahead).await;
    let late = plan(&app, &desk, standard, "Deadline passed", behind).await;

    let guest = app.guest("ann").await;
    let free_one = book_on(&app, &guest, early, &from, &to).await;
    let paid_one = book_on(&app, &guest, late, &from, &to).await;

    let preview = app
        .send_as(
            &guest,
            Method::GET,
            &format!("/bookings/{free_one}/cancellation"),
            None,
        )
        .await;
    assert_eq!(preview.status, 200, "{:?}", preview.body);
    assert_eq!(preview.body["fee"], json!(0));
    assert_eq!(preview.body["terms"]["free_until"], json!(ahead_utc));
    assert_eq!(preview.body["terms"]["fee"], json!(9500));
    let late_preview = app
        .send_as(
            &guest,
            Method::GET,
            &format!("/bookings/{paid_one}/cancellation"),
            None,
        )
        .await;
    assert_eq!(late_preview.body["fee"], json!(9500));
    assert_eq!(late_preview.body["free"], json!(false));

    let cancel = |id: i64| {
        let (app, guest) = (&app, guest.clone());
        async move {
            app.send_as(&guest, Method::DELETE, &format!("/bookings/{id}"), None)
                .await
        }
    };
    let free = cancel(free_one).await;
    assert_eq!(free.status, 200, "{:?}", free.body);
    assert_eq!(free.body["fee"], json!(0));
    let paid = cancel(paid_one).await;
    assert_eq!(paid.status, 200, "{:?}", paid.body);
    assert_eq!(paid.body["fee"], json!(9500));

    let bill = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/bookings/{paid_one}/bill"),
            None,
        )
        .await;
    assert_eq!(bill.body["charges"], json!(9500));
    assert_eq!(
        bill.body["lines"][0]["description"],
        json!("Cancellation fee (Deadline passed)")
    );
    let free_bill = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/bookings/{free_one}/bill"),
            None,
        )
        .await;
    assert_eq!(free_bill.body["charges"], json!(0));
}

#[tokio::test]
async fn non_refundable_costs_the_stay_unless_the_desk_waives_it() {
    let app = spawn_app_with(without_limits).await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let standard = type_id(&app, &desk, "Standard").await;
    let saver = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/rate-plans",
            Some(json!({"room_type_id": standard, "name": "Non-refundable",
                        "derived_percent": -10, "refundable": false})),
        )
        .await;
    let saver = saver.body["id"].as_i64().unwrap();
    let guest = app.guest("ann").await;
    let (from, to) = (day_after(today, 30), day_after(today, 32));
    let first = book_on(&app, &guest, saver, &from, &to).await;
    let second = book_on(&app, &guest, saver, &from, &to).await;

    // The guest's own list says what cancelling each stay would cost now.
    let mine = app.send_as(&guest, Method::GET, "/bookings", None).await;
    let fees: Vec<&Value> = mine.body["bookings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["cancel_fee"])
        .collect();
    assert_eq!(fees, [&json!(17100), &json!(17100)]);
    let cancelled = app
        .send_as(&guest, Method::DELETE, &format!("/bookings/{first}"), None)
        .await;
    assert_eq!(cancelled.body["fee"], json!(17100));

    let preview = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/bookings/{second}/cancellation"),
            None,
        )
        .await;
    assert_eq!(preview.body["fee"], json!(17100));
    assert!(
        preview.body["terms"]["words"]
            .as_str()
            .unwrap()
            .starts_with("Non-refundable"),
        "{:?}",
        preview.body
    );
    let waived = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{second}/cancel?waive_fee=true"),
            None,
        )
        .await;
    assert_eq!(waived.status, 200, "{:?}", waived.body);
    assert_eq!(waived.body["fee"], json!(0));
    assert!(
        app.audit_actions(&desk)
            .await
            .contains(&"booking.cancel_fee_waived".to_string())
    );

    // The report counts the fee that was charged, apart from extras.
    let report = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/report?from={today}&to={}", day_after(today, 1)),
            None,
        )
        .await;
    assert_eq!(report.body["bills"]["fees"], json!(17100));
    assert_eq!(report.body["bills"]["extras"], json!(0));
}

#[tokio::test]
async fn a_no_show_charges_its_plans_fee_and_frees_the_nights() {
    let app = spawn_app_with(without_limits).await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let standard = type_id(&app, &desk, "Standard").await;
    let half = plan(
        &app,
        &desk,
        standard,
        "Half on no-show",
        json!({"refundable": true, "free_until_days": 1, "free_until_time": "12:00",
               "fee": {"kind": "first_night"},
               "no_show_fee": {"kind": "percent", "percent": 50}}),
    )
    .await;
    let guest = app.guest("ann").await;
    let id = book_on(
        &app,
        &guest,
        half,
        &day_after(today, 0),
        &day_after(today, 3),
    )
    .await;
    assert_eq!(app.occupied_rooms().await, vec![1]);

    let noted = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{id}/no-show"),
            None,
        )
        .await;
    assert_eq!(noted.status, 200, "{:?}", noted.body);
    assert_eq!(noted.body["fee"], json!(14250));
    assert!(app.occupied_rooms().await.is_empty());
    // Tomorrow and the night after are for sale again.
    let again = app
        .book_dates("bob", 1, &day_after(today, 1), &day_after(today, 3))
        .await;
    assert_eq!(again.body["rooms"], json!([1]));

    let report = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/report?from={today}&to={}", day_after(today, 3)),
            None,
        )
        .await;
    assert_eq!(report.body["bills"]["fees"], json!(14250));
}
