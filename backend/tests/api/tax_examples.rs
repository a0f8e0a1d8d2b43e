//! Worked examples of a German and an Austrian hotel invoice, checked to the cent: a stay on
//! a plan with breakfast included (split out of each night at its own rate), city tax with a
//! child exempt or included in the price, a company with its VAT id, a cancellation invoice.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// A plan for the Standard rooms at €30.00 a night more than the base, including `extra`.
async fn plan_with(app: &TestApp, desk: &str, name: &str, extra: i64) -> (i64, i64) {
    let types = app
        .send_as(desk, Method::GET, "/staff/room-types", None)
        .await;
    let standard = types.body["room_types"]
        .as_array()
        .and_then(|all| all.iter().find(|t| t["name"] == "Standard").cloned())
        .and_then(|t| t["id"].as_i64())
        .unwrap();
    let made = app
        .send_as(
            desk,
            Method::POST,
            "/staff/rate-plans",
            Some(
                json!({"room_type_id": standard, "name": name, "derived_amount": 3_000,
                        "includes": [{"extra_id": extra}]}),
            ),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    assert_eq!(made.body["includes"], json!([{"extra_id": extra}]));
    (standard, made.body["id"].as_i64().unwrap())
}

/// Two people book `nights` nights in a Standard room on `plan` and are checked in.
async fn two_on_plan(
    app: &TestApp,
    desk: &str,
    (room_type, plan): (i64, i64),
    nights: i64,
    exempt: u32,
) -> i64 {
    let today = app.today().await;
    let booked = app
        .send(
            Method::POST,
            "/book",
            Some(
                json!({"username": "ann", "password": PASSWORD, "num_rooms": 1,
                        "check_in": day_after(today, 0), "check_out": day_after(today, nights),
                        "guests": 2, "room_type_id": room_type, "rate_plan_id": plan}),
            ),
        )
        .await;
    assert_eq!(booked.status, 200, "{:?}", booked.body);
    assert_eq!(booked.body["bookings"][0]["total"], json!(12_500 * nights));
    let id = booked.body["bookings"][0]["id"].as_i64().unwrap();
    let arrived = app
        .send_as(
            desk,
            Method::POST,
            &format!("/staff/bookings/{id}/check-in"),
            Some(json!({"city_tax_exempt": exempt})),
        )
        .await;
    assert_eq!(arrived.status, 200, "{:?}", arrived.body);
    id
}

/// Each line as (description, quantity, net, rate, tax, gross); untaxed lines without rate.
fn lines(of: &Value) -> Vec<(String, i64, i64, Option<f64>, i64, i64)> {
    of["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["kind"] != "payment")
        .map(|l| {
            let gross = l["amount"].as_i64().unwrap();
            (
                l["description"].as_str().unwrap().to_string(),
                l["quantity"].as_i64().unwrap(),
                l["net"].as_i64().unwrap_or(gross),
                l["tax_rate"].as_f64(),
                l["tax"].as_i64().unwrap_or(0),
                gross,
            )
        })
        .collect()
}

fn totals(of: &Value) -> Vec<(String, f64, i64, i64, i64)> {
    of["totals_by_rate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["tax_rate_name"].as_str().unwrap().to_string(),
                t["tax_rate"].as_f64().unwrap(),
                t["net"].as_i64().unwrap(),
                t["tax"].as_i64().unwrap(),
                t["gross"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_german_invoice_splits_breakfast_at_19_percent_and_exempts_the_child() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let lodging = app.add_tax_rate(&desk, "Beherbergung", 7).await;
    let standard = app.add_tax_rate(&desk, "Regelsatz", 19).await;
    app.tax_standard_rooms(&desk, lodging).await;
    let breakfast = app
        .tax_extra(&desk, ("Breakfast", 1_500, true), standard)
        .await;
    let plan = plan_with(&app, &desk, "Room and breakfast", breakfast).await;
    app.send_as(
        &desk,
        Method::PUT,
        "/staff/city-tax",
        Some(json!({"kind": "per_person_night", "amount": 250, "exempt_under_age": 14})),
    )
    .await
    .assert_status(200);
    // A parent and a child of eight, three nights at €125.00 (€95.00 + two breakfasts).
    let id = two_on_plan(&app, &desk, plan, 3, 1).await;
    let stay = |what: &str| format!("/staff/bookings/{id}/{what}");
    app.send_as(
        &desk,
        Method::POST,
        &stay("payments"),
        Some(json!({"method": "card", "amount": 38_250})),
    )
    .await
    .assert_status(201);
    let made = app
        .send_as(
            &desk,
            Method::POST,
            &stay("invoice"),
            Some(
                json!({"company": "Acme GmbH", "address": "Hauptstraße 5\n10115 Berlin",
                        "vat_id": "DE987654321"}),
            ),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let issued = app
        .send_as(&desk, Method::GET, &stay("invoice"), None)
        .await;
    assert_eq!(issued.status, 200, "{:?}", issued.body);
    let invoice = &issued.body;
    let bill = app.send_as(&desk, Method::GET, &stay("bill"), None).await;
    assert_eq!(bill.body["charges"], 38_250);
    assert_eq!(bill.body["balance"], 0);
    assert_eq!(
        lines(invoice),
        vec![
            (
                format!(
                    "Room {} (Standard), 3 nights × EUR 95.00",
                    room_of(&bill.body)
                ),
                3,
                26_636,
                Some(7.0),
                1_864,
                28_500
            ),
            (
                "Breakfast (included), 6 × EUR 15.00".into(),
                6,
                7_563,
                Some(19.0),
                1_437,
                9_000
            ),
            ("City tax, 1 guest × 3 nights".into(), 3, 750, None, 0, 750),
        ]
    );
    assert_eq!(
        totals(invoice),
        vec![
            ("Beherbergung".into(), 7.0, 26_636, 1_864, 28_500),
            ("Regelsatz".into(), 19.0, 7_563, 1_437, 9_000),
        ]
    );
    assert_eq!(invoice["invoice"]["recipient_vat_id"], "DE987654321");

    // Corrected: the Stornorechnung takes back every line and total to the cent.
    let cancelled = app
        .send_as(&desk, Method::POST, &stay("invoice/cancel"), None)
        .await;
    assert_eq!(cancelled.status, 201, "{:?}", cancelled.body);
    let negated: Vec<_> = lines(invoice)
        .into_iter()
        .map(|(d, q, net, rate, tax, gross)| (d, q, -net, rate, -tax, -gross))
        .collect();
    assert_eq!(lines(&cancelled.body), negated);
    assert_eq!(
        totals(&cancelled.body),
        vec![
            ("Beherbergung".into(), 7.0, -26_636, -1_864, -28_500),
            ("Regelsatz".into(), 19.0, -7_563, -1_437, -9_000),
        ]
    );

    // The accountant books the breakfast as food and beverage, the nights as lodging.
    let today = app.today().await;
    let csv = app
        .client
        .get(app.url(&format!(
            "/staff/invoices.csv?from={}&to={}",
            day_after(today, 0),
            day_after(today, 1)
        )))
        .bearer_auth(&desk)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let categories: Vec<(&str, &str)> = csv
        .lines()
        .skip(1)
        .map(|row| {
            // Counted from the end: the description before them is quoted and holds commas.
            let cells: Vec<&str> = row.rsplit(',').collect();
            (cells[5], cells[1])
        })
        .collect();
    assert_eq!(
        categories,
        vec![
            ("lodging", "285.00"),
            ("food_and_beverage", "90.00"),
            ("city_tax", "7.50"),
            ("lodging", "-285.00"),
            ("food_and_beverage", "-90.00"),
            ("city_tax", "-7.50"),
        ],
        "{csv}"
    );
}

/// The room number in the first line of a bill or invoice.
fn room_of(of: &Value) -> i64 {
    of["booking"]["room_number"].as_i64().unwrap()
}

#[tokio::test]
async fn an_austrian_invoice_keeps_breakfast_and_room_at_10_percent_with_city_tax_included() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let reduced = app.add_tax_rate(&desk, "Ermäßigt", 10).await;
    let normal = app.add_tax_rate(&desk, "Normal", 20).await;
    app.tax_standard_rooms(&desk, reduced).await;
    let breakfast = app
        .tax_extra(&desk, ("Breakfast", 1_500, true), reduced)
        .await;
    let minibar = app.tax_extra(&desk, ("Minibar", 500, false), normal).await;
    let plan = plan_with(&app, &desk, "Zimmer mit Frühstück", breakfast).await;
    app.send_as(
        &desk,
        Method::PUT,
        "/staff/city-tax",
        Some(
            json!({"kind": "per_person_night", "amount": 260, "exempt_under_age": 15,
                    "included": true}),
        ),
    )
    .await
    .assert_status(200);
    let id = two_on_plan(&app, &desk, plan, 2, 0).await;
    let stay = |what: &str| format!("/staff/bookings/{id}/{what}");
    app.send_as(
        &desk,
        Method::POST,
        &stay("charges"),
        Some(json!({"extra_id": minibar, "quantity": 2})),
    )
    .await
    .assert_status(201);
    let issued = app
        .send_as(&desk, Method::POST, &stay("invoice"), None)
        .await;
    assert_eq!(issued.status, 201, "{:?}", issued.body);
    let bill = app.send_as(&desk, Method::GET, &stay("bill"), None).await;
    let invoice = &bill.body;
    let room = room_of(invoice);
    let described: Vec<_> = lines(invoice)
        .into_iter()
        .map(|(_, q, net, rate, tax, gross)| (q, net, rate, tax, gross))
        .collect();
    assert_eq!(
        described,
        vec![
            (2, 17_273, Some(10.0), 1_727, 19_000),
            (4, 5_455, Some(10.0), 545, 6_000),
            // The Ortstaxe, and the same taken off the room: the guest pays what they booked.
            (4, 1_040, None, 0, 1_040),
            (1, -945, Some(10.0), -95, -1_040),
            (2, 833, Some(20.0), 167, 1_000),
        ],
        "room {room}"
    );
    // One total for the reduced rate, whichever line carries it.
    assert_eq!(
        totals(invoice),
        vec![
            ("Ermäßigt".into(), 10.0, 21_783, 2_177, 23_960),
            ("Normal".into(), 20.0, 833, 167, 1_000),
        ]
    );
    assert_eq!(invoice["charges"], 26_000);
}

#[tokio::test]
async fn a_plan_including_an_unknown_or_repeated_extra_is_refused() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let types = app
        .send_as(&desk, Method::GET, "/staff/room-types", None)
        .await;
    let standard = types.body["room_types"][0]["id"].as_i64().unwrap();
    let plan = |includes: Value| {
        Some(json!({"room_type_id": standard, "name": "With breakfast",
                    "derived_amount": 3_000, "includes": includes}))
    };
    app.send_as(
        &desk,
        Method::POST,
        "/staff/rate-plans",
        plan(json!([{"extra_id": 999}])),
    )
    .await
    .assert(404, "code", "extra_not_found");
    app.send_as(
        &desk,
        Method::POST,
        "/staff/rate-plans",
        plan(json!([{"extra_id": 1}, {"extra_id": 1}])),
    )
    .await
    .assert(400, "code", "invalid_request");
    app.send_as(
        &desk,
        Method::POST,
        "/staff/rate-plans",
        plan(json!([{"extra_id": 1, "tax_rate_id": 77}])),
    )
    .await
    .assert(404, "code", "tax_rate_not_found");
}
