//! Prices by date and plan: the rates calendar, derived plans, restrictions, and bookings that
//! keep the prices they were made at.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// The base offer of the room type named `name`, from a quote far ahead of any test's rules.
async fn base_offer(app: &TestApp, name: &str) -> Value {
    let today = app.today().await;
    let quote = app
        .get(&format!(
            "/quote?check_in={}&check_out={}",
            day_after(today, 300),
            day_after(today, 301)
        ))
        .await;
    quote.body["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["room_type"] == json!(name) && o["base"] == json!(true))
        .cloned()
        .unwrap()
}

/// The id of the room type named `name`.
pub async fn type_id(app: &TestApp, _desk: &str, name: &str) -> i64 {
    base_offer(app, name).await["room_type_id"]
        .as_i64()
        .unwrap()
}

/// The id of the base plan of room type `room_type`, as the staff's list of plans gives it.
pub async fn base_plan(app: &TestApp, desk: &str, room_type: i64) -> i64 {
    let plans = app
        .send_as(
            desk,
            Method::GET,
            &format!("/staff/rate-plans?room_type_id={room_type}"),
            None,
        )
        .await;
    assert_eq!(plans.status, 200, "{:?}", plans.body);
    plans.body["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["base"] == json!(true))
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

pub async fn set_calendar(app: &TestApp, desk: &str, change: Value) -> Reply {
    app.send_as(desk, Method::PUT, "/staff/rate-calendar", Some(change))
        .await
}

/// The offer of the quote for `room_type` on `plan`.
fn offer(quote: &Reply, room_type: i64, plan: i64) -> Value {
    quote.body["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["room_type_id"] == json!(room_type) && o["rate_plan_id"] == json!(plan))
        .cloned()
        .unwrap_or(Value::Null)
}

fn amounts(nights: &Value) -> Vec<i64> {
    nights
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["amount"].as_i64().unwrap())
        .collect()
}

async fn book_plan(app: &TestApp, guest: &str, from: &str, to: &str, extra: Value) -> Reply {
    let mut body = json!({"username": guest, "password": PASSWORD, "num_rooms": 1,
                          "check_in": from, "check_out": to});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    app.send(Method::POST, "/book", Some(body)).await
}

#[tokio::test]
async fn a_stay_across_a_season_boundary_costs_each_nights_price() {
    let app = spawn_app_with(without_limits).await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let standard = type_id(&app, &desk, "Standard").await;
    let base = base_plan(&app, &desk, standard).await;
    let season = set_calendar(
        &app,
        &desk,
        json!({"room_type_id": standard, "from": day_after(today, 10),
               "to": day_after(today, 20), "amount": 12000}),
    )
    .await;
    assert_eq!(season.status, 200, "{:?}", season.body);
    assert_eq!(season.body["nights"], json!(10));

    let (from, to) = (day_after(today, 8), day_after(today, 12));
    let quote = app
        .get(&format!("/quote?check_in={from}&check_out={to}"))
        .await;
    let flexible = offer(&quote, standard, base);
    assert_eq!(amounts(&flexible["nights"]), [9500, 9500, 12000, 12000]);
    assert_eq!(flexible["total"], json!(43000));
    assert_eq!(flexible["rate_plan"], json!("Flexible"));
    assert_eq!(flexible["nights"][2]["date"], json!(day_after(today, 10)));

    let booked = book_plan(&app, "ann", &from, &to, json!({"room_type_id": standard})).await;
    assert_eq!(booked.status, 200, "{:?}", booked.body);
    let booking = &booked.body["bookings"][0];
    assert_eq!(booking["total"], json!(43000));
    assert_eq!(
        amounts(&booking["night_prices"]),
        [9500, 9500, 12000, 12000]
    );
    assert_eq!(booking["rate_plan_id"], json!(base));
    assert!(
        app.audit_actions(&desk)
            .await
            .contains(&"rate_calendar.set".to_string())
    );
}

#[tokio::test]
async fn weekend_prices_are_set_as_one_action_on_chosen_weekdays() {
    let app = spawn_app_with(without_limits).await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let standard = type_id(&app, &desk, "Standard").await;
    let base = base_plan(&app, &desk, standard).await;
    // Saturdays and Sundays 20 % up for four weeks.
    let weekends = set_calendar(
        &app,
        &desk,
        json!({"room_type_id": standard, "from": day_after(today, 1),
               "to": day_after(today, 29), "weekdays": [6, 7], "adjust_percent": 20}),
    )
    .await;
    assert_eq!(weekends.status, 200, "{:?}", weekends.body);
    assert_eq!(weekends.body["nights"], json!(8));

    let (from, to) = (day_after(today, 1), day_after(today, 8));
    let quote = app
        .get(&format!("/quote?check_in={from}&check_out={to}"))
        .await;
    let nights = offer(&quote, standard, base)["nights"].clone();
    for night in nights.as_array().unwrap() {
        let date: hotel_shared::Date = night["date"].as_str().unwrap().parse().unwrap();
        let weekend = matches!(
            date.weekday(),
            hotel_shared::date::Weekday::Saturday | hotel_shared::date::Weekday::Sunday
        );
        let expected = if weekend { 11400 } else { 9500 };
        assert_eq!(night["amount"], json!(expected), "{date}");
    }
}

#[tokio::test]
async fn a_derived_plan_follows_its_base_when_the_price_changes() {
    let app = spawn_app_with(without_limits).await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let standard = type_id(&app, &desk, "Standard").await;
    let made = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/rate-plans",
            Some(json!({"room_type_id": standard, "name": "Non-refundable",
                        "derived_percent": -10, "refundable": false})),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let saver = made.body["id"].as_i64().unwrap();
    let breakfast = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/rate-plans",
            Some(json!({"room_type_id": standard, "name": "With breakfast",
                        "derived_amount": 1500})),
        )
        .await;
    let breakfast = breakfast.body["id"].as_i64().unwrap();
    let (from, to) = (day_after(today, 3), day_after(today, 5));
    let quote_path = format!("/quote?check_in={from}&check_out={to}");

    let quote = app.get(&quote_path).await;
    assert_eq!(
        amounts(&offer(&quote, standard, saver)["nights"]),
        [8550, 8550]
    );
    assert_eq!(
        amounts(&offer(&quote, standard, breakfast)["nights"]),
        [11000, 11000]
    );
    let terms = &offer(&quote, standard, saver)["terms"];
    assert_eq!(terms["refundable"], json!(false));
    assert_eq!(terms["fee"], json!(17100));

    set_calendar(
        &app,
        &desk,
        json!({"room_type_id": standard, "from": from, "to": to, "amount": 10000}),
    )
    .await;
    let quote = app.get(&quote_path).await;
    assert_eq!(
        amounts(&offer(&quote, standard, saver)["nights"]),
        [9000, 9000]
    );
    assert_eq!(
        amounts(&offer(&quote, standard, breakfast)["nights"]),
        [11500, 11500]
    );

    let booked = book_plan(&app, "ann", &from, &to, json!({"rate_plan_id": saver})).await;
    assert_eq!(booked.status, 200, "{:?}", booked.body);
    assert_eq!(booked.body["bookings"][0]["total"], json!(18000));
    assert_eq!(
        booked.body["bookings"][0]["rate_plan"],
        json!("Non-refundable")
    );
    assert_eq!(booked.body["bookings"][0]["room_type"], json!("Standard"));
}

#[tokio::test]
async fn a_price_change_after_booking_leaves_the_booking_as_it_was() {
    let app = spawn_app_with(without_limits).await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let standard = type_id(&app, &desk, "Standard").await;
    let (from, to) = (day_after(today, 2), day_after(today, 4));
    let booked = book_plan(&app, "ann", &from, &to, json!({})).await;
    let id = booked.body["bookings"][0]["id"].as_i64().unwrap();
    assert_eq!(booked.body["bookings"][0]["total"], json!(19000));

    set_calendar(
        &app,
        &desk,
        json!({"room_type_id": standard, "from": from, "to": to, "amount": 20000}),
    )
    .await;
    let made = app
        .send_as(
            &desk,
            Method::PUT,
            &format!(
                "/staff/rate-plans/{}",
                base_plan(&app, &desk, standard).await
            ),
            Some(json!({"room_type_id": standard, "name": "Flexible",
                        "terms": {"refundable": true, "free_until_days": 30,
                                  "free_until_time": "12:00", "fee": {"kind": "all"},
                                  "no_show_fee": {"kind": "all"}}})),
        )
        .await;
    assert_eq!(made.status, 200, "{:?}", made.body);

    let token = app.login("ann").await;
    let mine = app.send_as(&token, Method::GET, "/bookings", None).await;
    let booking = &mine.body["bookings"][0];
    assert_eq!(booking["id"], json!(id));
    assert_eq!(amounts(&booking["night_prices"]), [9500, 9500]);
    assert_eq!(booking["total"], json!(19000));
    assert_eq!(booking["terms"]["free_until_days"], json!(0));
    // So cancelling today, before 18:00 on the arrival day two days ahead, is free.
    let preview = app
        .send_as(
            &token,
            Method::GET,
            &format!("/bookings/{id}/cancellation"),
            None,
        )
        .await;
    assert_eq!(preview.status, 200, "{:?}", preview.body);
    assert_eq!(preview.body["fee"], json!(0));
    assert_eq!(preview.body["free"], json!(true));
    // A new booking gets the new price and terms.
    let next = book_plan(&app, "bob", &from, &to, json!({})).await;
    assert_eq!(next.body["bookings"][0]["total"], json!(40000));
    assert_eq!(
        next.body["bookings"][0]["terms"]["free_until_days"],
        json!(30)
    );
}

#[tokio::test]
async fn plans_are_checked_and_a_base_plan_stays() {
    let app = spawn_app_with(without_limits).await;
    let desk = app.staff("desk").await;
    let standard = type_id(&app, &desk, "Standard").await;
    let family = type_id(&app, &desk, "Family").await;
    let base = base_plan(&app, &desk, standard).await;
    let post = |body: Value| {
        let (app, desk) = (&app, desk.clone());
        async move {
            app.send_as(&desk, Method::POST, "/staff/rate-plans", Some(body))
                .await
        }
    };
    post(
        json!({"room_type_id": standard, "name": "Both", "derived_percent": 5,
                "derived_amount": 100}),
    )
    .await
    .assert(400, "code", "invalid_request");
    post(json!({"room_type_id": 999, "name": "Nowhere"}))
        .await
        .assert(404, "code", "room_type_not_found");
    post(json!({"room_type_id": standard, "name": "flexible"}))
        .await
        .assert(409, "code", "rate_plan_name_taken");
    let retired = app
        .send_as(
            &desk,
            Method::DELETE,
            &format!("/staff/rate-plans/{base}"),
            None,
        )
        .await;
    retired.assert(409, "code", "base_plan_fixed");

    // A hidden plan is the desk's: a guest cannot book it, nor see it quoted.
    let hidden = post(json!({"room_type_id": standard, "name": "Corporate",
                             "derived_percent": -20, "visible": false}))
    .await;
    let hidden = hidden.body["id"].as_i64().unwrap();
    let today = app.today().await;
    let (from, to) = (day_after(today, 1), day_after(today, 2));
    book_plan(&app, "ann", &from, &to, json!({"rate_plan_id": hidden}))
        .await
        .assert(404, "code", "rate_plan_not_found");
    let quote = app
        .get(&format!("/quote?check_in={from}&check_out={to}"))
        .await;
    assert_eq!(offer(&quote, standard, hidden), Value::Null);
    let desk_quote = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/quote?check_in={from}&check_out={to}"),
            None,
        )
        .await;
    assert_eq!(offer(&desk_quote, standard, hidden)["total"], json!(7600));
    // A plan of one type does not sell another's rooms.
    book_plan(
        &app,
        "ann",
        &from,
        &to,
        json!({"rate_plan_id": base, "room_type_id": family}),
    )
    .await
    .assert(409, "code", "rate_plan_mismatch");
    // The original protocol's booking takes the base plan.
    let plain = app.book("carl", 1).await;
    assert_eq!(plain.status, 200, "{:?}", plain.body);
    assert_eq!(plain.body["bookings"][0]["rate_plan"], json!("Flexible"));
    assert_eq!(
        plain.body["message"],
        json!("Rooms booked successfully: [1]")
    );
}
