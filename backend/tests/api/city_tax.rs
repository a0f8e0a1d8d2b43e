//! The city tax: set by the hotel, shown on every offer before booking, posted on the bill at
//! check-in once, with children under the exempt age free and at most so many nights.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

async fn walk_in(
    app: &TestApp,
    desk: &str,
    guest: &str,
    room: u32,
    guests: u32,
    nights: i64,
) -> i64 {
    let today = app.today().await;
    let made = app
        .send_as(
            desk,
            Method::POST,
            "/staff/bookings",
            Some(
                json!({"guest": guest, "room_number": room, "guests": guests,
                        "check_out": day_after(today, nights)}),
            ),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    made.body["bookings"][0]["id"].as_i64().unwrap()
}

async fn lines(app: &TestApp, desk: &str, id: i64) -> Vec<Value> {
    let bill = app
        .send_as(
            desk,
            Method::GET,
            &format!("/staff/bookings/{id}/bill"),
            None,
        )
        .await;
    assert_eq!(bill.status, 200, "{:?}", bill.body);
    bill.body["lines"].as_array().cloned().unwrap()
}

#[tokio::test]
async fn a_city_tax_per_guest_and_night_is_quoted_and_posted_once_at_check_in_with_a_child_free() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    assert_eq!(
        app.send_as(&desk, Method::GET, "/staff/city-tax", None)
            .await
            .status,
        404
    );
    let set = app
        .send_as(
            &desk,
            Method::PUT,
            "/staff/city-tax",
            Some(
                json!({"kind": "per_person_night", "amount": 250, "exempt_under_age": 14,
                        "max_nights": 21}),
            ),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    assert!(
        app.audit_actions(&desk)
            .await
            .contains(&"city_tax.change".to_string())
    );
    // Two adults and a child of 9, three nights: 2 × 3 × 2.50 on every offer, on top.
    let today = app.today().await;
    let quote = app
        .get(&format!(
            "/quote?check_in={}&check_out={}&guests=3&child_ages=9",
            day_after(today, 0),
            day_after(today, 3)
        ))
        .await;
    assert_eq!(quote.status, 200, "{:?}", quote.body);
    let options = quote.body["options"].as_array().cloned().unwrap();
    assert!(!options.is_empty());
    for option in &options {
        assert_eq!(option["city_tax"], json!(1_500), "{option}");
        assert_eq!(option["city_tax_included"], json!(false));
        assert_eq!(option["vat_included"], json!(true));
    }
    // A teenager pays.
    let older = app
        .get(&format!(
            "/quote?check_in={}&check_out={}&guests=3&child_ages=15",
            day_after(today, 0),
            day_after(today, 3)
        ))
        .await;
    assert_eq!(older.body["options"][0]["city_tax"], json!(2_250));
    for bad in ["x", "9,30", "1,2,3"] {
        app.get(&format!(
            "/quote?check_in={}&check_out={}&guests=3&child_ages={bad}",
            day_after(today, 0),
            day_after(today, 3)
        ))
        .await
        .assert(400, "code", "invalid_request");
    }

    // Booked, the guest's own page repeats it: one guest, two nights, two rooms.
    let booked = app
        .book_dates("zoe", 2, &day_after(today, 10), &day_after(today, 12))
        .await;
    assert_eq!(booked.status, 200, "{:?}", booked.body);
    let reference = booked.body["bookings"][0]["reference"]
        .as_str()
        .unwrap()
        .to_string();
    let zoe = app.login("zoe").await;
    let page = app
        .send_as(&zoe, Method::GET, &format!("/bookings/{reference}"), None)
        .await;
    assert_eq!(page.status, 200, "{:?}", page.body);
    assert_eq!(page.body["city_tax"], json!(2 * 2 * 250));
    assert_eq!(page.body["city_tax_included"], json!(false));

    // At check-in the clerk sees one child under 14; a count above the party is refused.
    let id = walk_in(&app, &desk, "ann", 7, 3, 3).await;
    let path = format!("/staff/bookings/{id}/check-in");
    app.send_as(
        &desk,
        Method::POST,
        &path,
        Some(json!({"city_tax_exempt": 4})),
    )
    .await
    .assert(400, "code", "invalid_request");
    assert_eq!(lines(&app, &desk, id).await.len(), 1, "nothing posted");
    let checked = app
        .send_as(
            &desk,
            Method::POST,
            &path,
            Some(json!({"city_tax_exempt": 1})),
        )
        .await;
    assert_eq!(checked.status, 200, "{:?}", checked.body);
    let again = app.send_as(&desk, Method::POST, &path, None).await;
    assert_eq!(again.status, 409, "{:?}", again.body);
    let bill = lines(&app, &desk, id).await;
    let city: Vec<&Value> = bill
        .iter()
        .filter(|l| {
            l["description"]
                .as_str()
                .unwrap_or("")
                .starts_with("City tax")
        })
        .collect();
    assert_eq!(city.len(), 1, "once: {bill:?}");
    assert_eq!(city[0]["description"], "City tax, 2 guests × 3 nights");
    assert_eq!(city[0]["amount"], json!(1_500));
    assert_eq!(city[0]["quantity"], json!(6));
    assert!(city[0].get("tax_rate").is_none(), "no VAT on a city tax");
}

#[tokio::test]
async fn a_city_tax_included_in_the_price_is_split_out_of_the_room_and_the_total_stays() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let lodging = app.add_tax_rate(&desk, "Lodging", 10).await;
    app.tax_standard_rooms(&desk, lodging).await;
    let set = app
        .send_as(
            &desk,
            Method::PUT,
            "/staff/city-tax",
            Some(json!({"kind": "percent", "percent": 5, "included": true})),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    let quote = app
        .get(&format!(
            "/quote?check_in={}&check_out={}&guests=2",
            day_after(today, 0),
            day_after(today, 2)
        ))
        .await;
    let offer = quote.body["options"][0].clone();
    assert_eq!(offer["total"], json!(19_000));
    assert_eq!(offer["city_tax"], json!(950));
    assert_eq!(offer["city_tax_included"], json!(true));

    let id = walk_in(&app, &desk, "bob", 1, 2, 2).await;
    let checked = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{id}/check-in"),
            None,
        )
        .await;
    assert_eq!(checked.status, 200, "{:?}", checked.body);
    let bill = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/bookings/{id}/bill"),
            None,
        )
        .await;
    let summary: Vec<(String, i64, Option<i64>)> = bill.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["description"].as_str().unwrap_or("").to_string(),
                l["amount"].as_i64().unwrap_or(0),
                l["tax"].as_i64(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "Room 1 (Standard), 2 nights × EUR 95.00".to_string(),
                19_000,
                Some(1_727)
            ),
            ("City tax, 5 % of 2 nights".to_string(), 950, None),
            (
                "City tax included in the room price".to_string(),
                -950,
                Some(-86)
            ),
        ]
    );
    assert_eq!(bill.body["charges"], json!(19_000));
    // VAT is on the room's part only: 10 % of 180.50 is 16.41.
    assert_eq!(bill.body["totals_by_rate"][0]["tax"], json!(1_641));
}

#[tokio::test]
async fn a_bad_city_tax_is_refused_and_removing_it_stops_it() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    for bad in [
        json!({"kind": "per_person_night"}),
        json!({"kind": "per_person_night", "amount": 250, "percent": 5}),
        json!({"kind": "percent", "percent": 0}),
        json!({"kind": "percent", "percent": 5, "exempt_under_age": 40}),
        json!({"kind": "per_person_night", "amount": 250, "max_nights": 0}),
        json!({"kind": "monthly", "amount": 250}),
    ] {
        app.send_as(&desk, Method::PUT, "/staff/city-tax", Some(bad.clone()))
            .await
            .assert(400, "code", "invalid_request");
    }
    let guest = app.guest("eve").await;
    app.send_as(
        &guest,
        Method::PUT,
        "/staff/city-tax",
        Some(json!({"kind": "percent", "percent": 5})),
    )
    .await
    .assert(403, "code", "staff_only");
    app.send_as(
        &desk,
        Method::PUT,
        "/staff/city-tax",
        Some(json!({"kind": "percent", "percent": 5})),
    )
    .await;
    let removed = app
        .send_as(&desk, Method::DELETE, "/staff/city-tax", None)
        .await;
    assert_eq!(removed.status, 200, "{:?}", removed.body);
    let today = app.today().await;
    let quote = app
        .get(&format!(
            "/quote?check_in={}&check_out={}",
            day_after(today, 0),
            day_after(today, 2)
        ))
        .await;
    assert_eq!(quote.body["options"][0]["city_tax"], json!(0));
}
