//! Restrictions of the rates calendar: each refuses exactly the stays it should, with its code
//! and figures, and the quote leaves out what they close.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::pricing::{base_plan, set_calendar, type_id};

async fn book(app: &TestApp, from: &str, to: &str, room_type: i64) -> Reply {
    app.send(
        Method::POST,
        "/book",
        Some(
            json!({"username": "ann", "password": PASSWORD, "num_rooms": 1,
                    "check_in": from, "check_out": to, "room_type_id": room_type}),
        ),
    )
    .await
}

#[tokio::test]
async fn minimum_stay_is_counted_from_the_arrival_day() {
    let app = spawn_app_with(without_limits).await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let standard = type_id(&app, &desk, "Standard").await;
    let set = set_calendar(
        &app,
        &desk,
        json!({"room_type_id": standard, "from": day_after(today, 30),
               "to": day_after(today, 40), "min_stay": 3}),
    )
    .await;
    assert_eq!(set.status, 200, "{:?}", set.body);

    // Arriving the day before the season, two nights into it: allowed.
    let before = book(&app, &day_after(today, 29), &day_after(today, 31), standard).await;
    assert_eq!(before.status, 200, "{:?}", before.body);
    // Arriving in it, two nights: refused with the figures.
    let short = book(&app, &day_after(today, 30), &day_after(today, 32), standard).await;
    short.assert(409, "code", "min_stay");
    assert_eq!(short.body["restriction"]["min_stay"], json!(3));
    assert_eq!(short.body["restriction"]["nights"], json!(2));
    assert_eq!(
        short.body["restriction"]["date"],
        json!(day_after(today, 30))
    );
    assert!(
        short.error().contains("at least 3 nights"),
        "{}",
        short.error()
    );
    let long = book(&app, &day_after(today, 30), &day_after(today, 33), standard).await;
    assert_eq!(long.status, 200, "{:?}", long.body);

    // The quote says why nothing is offered.
    let quote = app
        .get(&format!(
            "/quote?check_in={}&check_out={}&guests=4",
            day_after(today, 35),
            day_after(today, 36)
        ))
        .await;
    assert_eq!(quote.status, 200, "{:?}", quote.body);
    // Family rooms are not restricted, so they are offered; Standard ones sleep two.
    let offered: Vec<&str> = quote.body["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["room_type"].as_str().unwrap())
        .collect();
    assert_eq!(offered, ["Family"]);
    let one_night = app
        .get(&format!(
            "/quote?check_in={}&check_out={}",
            day_after(today, 35),
            day_after(today, 36)
        ))
        .await;
    let not_offered = one_night.body["not_offered"].as_array().unwrap();
    assert_eq!(not_offered.len(), 1);
    assert_eq!(not_offered[0]["room_type_id"], json!(standard));
    assert_eq!(not_offered[0]["code"], json!("min_stay"));
}

#[tokio::test]
async fn closed_to_departure_refuses_only_stays_ending_that_day() {
    let app = spawn_app_with(without_limits).await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let standard = type_id(&app, &desk, "Standard").await;
    set_calendar(
        &app,
        &desk,
        json!({"room_type_id": standard, "from": day_after(today, 20),
               "to": day_after(today, 21), "closed_to_departure": true}),
    )
    .await;
    let ending = book(&app, &day_after(today, 18), &day_after(today, 20), standard).await;
    ending.assert(409, "code", "closed_to_departure");
    assert_eq!(
        ending.body["restriction"]["date"],
        json!(day_after(today, 20))
    );
    let through = book(&app, &day_after(today, 18), &day_after(today, 21), standard).await;
    assert_eq!(through.status, 200, "{:?}", through.body);
    let arriving = book(&app, &day_after(today, 20), &day_after(today, 22), standard).await;
    assert_eq!(arriving.status, 200, "{:?}", arriving.body);
}

#[tokio::test]
async fn closed_nights_arrivals_and_advance_rules_refuse_with_their_codes() {
    let app = spawn_app_with(without_limits).await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let standard = type_id(&app, &desk, "Standard").await;
    let change = |from: i64, to: i64, rule: Value| {
        let mut body = json!({"room_type_id": standard, "from": day_after(today, from),
                              "to": day_after(today, to)});
        if let (Some(b), Some(r)) = (body.as_object_mut(), rule.as_object()) {
            b.extend(r.clone());
        }
        body
    };
    set_calendar(&app, &desk, change(10, 11, json!({"closed": true}))).await;
    set_calendar(
        &app,
        &desk,
        change(15, 16, json!({"closed_to_arrival": true})),
    )
    .await;
    set_calendar(&app, &desk, change(0, 7, json!({"min_advance": 7}))).await;
    set_calendar(&app, &desk, change(40, 41, json!({"max_stay": 2}))).await;

    book(&app, &day_after(today, 9), &day_after(today, 12), standard)
        .await
        .assert(409, "code", "closed");
    // Leaving the morning of the closed night is fine.
    let leaving = book(&app, &day_after(today, 9), &day_after(today, 10), standard).await;
    assert_eq!(leaving.status, 200, "{:?}", leaving.body);
    book(&app, &day_after(today, 15), &day_after(today, 17), standard)
        .await
        .assert(409, "code", "closed_to_arrival");
    let soon = book(&app, &day_after(today, 3), &day_after(today, 4), standard).await;
    soon.assert(409, "code", "advance");
    assert_eq!(soon.body["restriction"]["min_advance"], json!(7));
    assert_eq!(soon.body["restriction"]["days_ahead"], json!(3));
    book(&app, &day_after(today, 40), &day_after(today, 43), standard)
        .await
        .assert(409, "code", "max_stay");

    // Cleared with null, the rule is gone.
    let cleared = set_calendar(&app, &desk, change(0, 7, json!({"min_advance": null}))).await;
    assert_eq!(cleared.status, 200, "{:?}", cleared.body);
    let now_fine = book(&app, &day_after(today, 3), &day_after(today, 4), standard).await;
    assert_eq!(now_fine.status, 200, "{:?}", now_fine.body);
}

#[tokio::test]
async fn a_plans_own_restriction_closes_only_that_plan() {
    let app = spawn_app_with(without_limits).await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let standard = type_id(&app, &desk, "Standard").await;
    let base = base_plan(&app, &desk, standard).await;
    let saver = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/rate-plans",
            Some(json!({"room_type_id": standard, "name": "Saver", "derived_percent": -15})),
        )
        .await;
    let saver = saver.body["id"].as_i64().unwrap();
    set_calendar(
        &app,
        &desk,
        json!({"room_type_id": standard, "rate_plan_id": saver,
               "from": day_after(today, 1), "to": day_after(today, 30), "closed": true}),
    )
    .await;
    let (from, to) = (day_after(today, 5), day_after(today, 6));
    let quote = app
        .get(&format!("/quote?check_in={from}&check_out={to}"))
        .await;
    let plans: Vec<i64> = quote.body["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["room_type_id"] == json!(standard))
        .map(|o| o["rate_plan_id"].as_i64().unwrap())
        .collect();
    assert_eq!(plans, [base]);
    let calendar = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/rate-calendar?from={from}&to={to}&room_type_id={standard}"),
            None,
        )
        .await;
    assert_eq!(calendar.status, 200, "{:?}", calendar.body);
    let rows = calendar.body["rows"].as_array().unwrap();
    let closed: Vec<bool> = rows
        .iter()
        .map(|r| r["nights"][0]["restrictions"]["closed"] == json!(true))
        .collect();
    assert_eq!(closed, [false, true]);
    assert_eq!(rows[1]["nights"][0]["amount"], json!(8075));
}

async fn walk_in(app: &TestApp, desk: &str, body: Value) -> Reply {
    app.send_as(desk, Method::POST, "/staff/bookings", Some(body))
        .await
}

#[tokio::test]
async fn a_desk_booking_on_a_closed_night_is_refused_until_the_clerk_overrides_it() {
    let app = spawn_app_with(without_limits).await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let standard = type_id(&app, &desk, "Standard").await;
    let set = set_calendar(
        &app,
        &desk,
        json!({"room_type_id": standard, "from": day_after(today, 10),
               "to": day_after(today, 11), "closed": true}),
    )
    .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    let stay = |extra: Value| {
        let mut body = json!({"guest": "zoe", "check_in": day_after(today, 9),
                              "check_out": day_after(today, 12)});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        body
    };

    // By type and by a particular room alike, the desk hears what the guest would.
    let by_type = walk_in(&app, &desk, stay(json!({"room_type_id": standard}))).await;
    by_type.assert(409, "code", "closed");
    assert_eq!(
        by_type.body["restriction"]["date"],
        json!(day_after(today, 10))
    );
    walk_in(&app, &desk, stay(json!({"room_number": 1})))
        .await
        .assert(409, "code", "closed");
    // A staff member on the old endpoint is held to it too.
    let old = app
        .send_as(
            &desk,
            Method::POST,
            "/book",
            Some(json!({"num_rooms": 1, "check_in": day_after(today, 9),
                        "check_out": day_after(today, 12), "room_type_id": standard})),
        )
        .await;
    old.assert(409, "code", "closed");
    let refused_actions = app.audit_actions(&desk).await;
    assert!(
        !refused_actions
            .iter()
            .any(|a| a.starts_with("booking.create")),
        "{refused_actions:?}"
    );

    // The clerk confirms: booked, and the log says it was against the calendar.
    let overridden = walk_in(
        &app,
        &desk,
        stay(json!({"room_number": 1, "override_restrictions": true})),
    )
    .await;
    assert_eq!(overridden.status, 201, "{:?}", overridden.body);
    assert_eq!(overridden.body["rooms"], json!([1]));
    assert_eq!(
        app.audit_actions(&desk).await.last().map(String::as_str),
        Some("booking.create_despite_restriction")
    );
    // An override where nothing is closed is an ordinary booking.
    let open = walk_in(
        &app,
        &desk,
        json!({"guest": "zoe", "check_in": day_after(today, 20),
               "check_out": day_after(today, 21), "room_type_id": standard,
               "override_restrictions": true}),
    )
    .await;
    assert_eq!(open.status, 201, "{:?}", open.body);
    assert_eq!(
        app.audit_actions(&desk).await.last().map(String::as_str),
        Some("booking.create")
    );
}
