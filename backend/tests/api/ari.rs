//! Availability, rates and restrictions for a year in one answer each, and many changes of
//! the rates calendar in one request, all or none: what a channel manager reads and writes.

use hotel_shared::rates::{Availability, RateCalendar};
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;
use crate::pricing::type_id;

async fn nightly(app: &TestApp, staff: &str, ty: i64, from: &str, to: &str) -> Vec<i64> {
    let calendar: RateCalendar = app
        .send_as(
            staff,
            Method::GET,
            &format!("/staff/rate-calendar?from={from}&to={to}&room_type_id={ty}"),
            None,
        )
        .await
        .parsed();
    calendar
        .rows
        .iter()
        .find(|r| r.base)
        .unwrap()
        .nights
        .iter()
        .map(|n| n.amount)
        .collect()
}

#[tokio::test]
async fn a_year_of_availability_and_rates_comes_in_one_answer_each() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let (standard, suite) = (
        type_id(&app, &staff, "Standard").await,
        type_id(&app, &staff, "Suite").await,
    );
    // A Standard room taken two nights, the suite one, Standard closed one night.
    app.book_dates("ann", 1, &day_after(today, 10), &day_after(today, 12))
        .await;
    let suite_stay = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/bookings",
            Some(json!({"guest": "vip", "room_type_id": suite,
                        "check_in": day_after(today, 5), "check_out": day_after(today, 6)})),
        )
        .await;
    assert_eq!(suite_stay.status, 201, "{:?}", suite_stay.body);
    let closed = app
        .send_as(
            &staff,
            Method::PUT,
            "/staff/rate-calendar",
            Some(
                json!({"room_type_id": standard, "from": day_after(today, 20),
                        "to": day_after(today, 21), "closed": true}),
            ),
        )
        .await;
    assert_eq!(closed.status, 200, "{:?}", closed.body);
    let year = day_after(today, 366);
    let all: Availability = app
        .send_as(
            &staff,
            Method::GET,
            &format!("/staff/availability?from={today}&to={year}"),
            None,
        )
        .await
        .parsed();
    let of = |ty: i64| {
        all.room_types
            .iter()
            .find(|t| t.room_type_id == ty)
            .unwrap()
    };
    let (std_nights, suite_nights) = (of(standard), of(suite));
    assert_eq!(std_nights.nights.len(), 366);
    let rooms = std_nights.rooms;
    assert!(rooms >= 2, "{std_nights:?}");
    let night = |t: &hotel_shared::rates::TypeAvailability, d: i64| {
        t.nights[usize::try_from(d).unwrap()].clone()
    };
    assert_eq!(night(std_nights, 9).available, rooms);
    assert_eq!(night(std_nights, 10).available, rooms - 1);
    assert_eq!(night(std_nights, 12).available, rooms);
    assert_eq!(night(std_nights, 20).closed.as_deref(), Some("closed"));
    assert_eq!(night(std_nights, 21).closed, None);
    assert_eq!(night(suite_nights, 5).available, 0);
    assert_eq!(night(suite_nights, 5).closed.as_deref(), Some("sold_out"));
    assert_eq!(night(suite_nights, 6).closed, None);
    // The rates of the same year, in one answer.
    assert_eq!(
        nightly(&app, &staff, standard, &today.to_string(), &year)
            .await
            .len(),
        366
    );
    for path in [
        format!(
            "/staff/availability?from={today}&to={}",
            day_after(today, 367)
        ),
        format!(
            "/staff/rate-calendar?from={today}&to={}",
            day_after(today, 367)
        ),
    ] {
        app.send_as(&staff, Method::GET, &path, None)
            .await
            .assert(400, "code", "invalid_request");
    }
    app.send_as(
        &staff,
        Method::GET,
        "/staff/availability?room_type_id=999",
        None,
    )
    .await
    .assert(404, "code", "room_type_not_found");
}

#[tokio::test]
async fn many_calendar_changes_apply_together_or_not_at_all() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let (standard, suite) = (
        type_id(&app, &staff, "Standard").await,
        type_id(&app, &staff, "Suite").await,
    );
    let (d1, d3) = (day_after(today, 1), day_after(today, 3));
    let both = app
        .send_as(
            &staff,
            Method::PUT,
            "/staff/rate-calendar",
            Some(json!({"changes": [
                {"room_type_id": standard, "from": d1, "to": d3, "amount": 12000},
                {"room_type_id": suite, "from": d1, "to": d3, "amount": 30000}
            ]})),
        )
        .await;
    assert_eq!(both.status, 200, "{:?}", both.body);
    assert_eq!(both.body["nights"], json!(4));
    assert_eq!(
        nightly(&app, &staff, standard, &d1, &d3).await,
        [12000, 12000]
    );
    assert_eq!(nightly(&app, &staff, suite, &d1, &d3).await, [30000, 30000]);
    // One bad change: none is made.
    let before = nightly(&app, &staff, standard, &d1, &d3).await;
    app.send_as(
        &staff,
        Method::PUT,
        "/staff/rate-calendar",
        Some(json!({"changes": [
            {"room_type_id": standard, "from": d1, "to": d3, "amount": 5000},
            {"room_type_id": 999, "from": d1, "to": d3, "amount": 5000}
        ]})),
    )
    .await
    .assert(404, "code", "room_type_not_found");
    assert_eq!(nightly(&app, &staff, standard, &d1, &d3).await, before);
    let bad_range = app
        .send_as(
            &staff,
            Method::PUT,
            "/staff/rate-calendar",
            Some(json!({"changes": [
                {"room_type_id": standard, "from": d1, "to": d3, "amount": 5000},
                {"room_type_id": standard, "from": d3, "to": d1, "amount": 5000}
            ]})),
        )
        .await;
    bad_range.assert(400, "code", "invalid_request");
    assert!(
        bad_range.error().starts_with("changes[1]"),
        "{:?}",
        bad_range.body
    );
    app.send_as(
        &staff,
        Method::PUT,
        "/staff/rate-calendar",
        Some(json!({"changes": []})),
    )
    .await
    .assert(400, "code", "invalid_request");
    let log = app.send_as(&staff, Method::GET, "/staff/audit", None).await;
    let sets = log.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == json!("rate_calendar.set"))
        .count();
    assert_eq!(sets, 2, "one entry per change made");
}
