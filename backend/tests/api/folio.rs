//! Bills: extras, discounts, payments and refunds on a stay's bill, the balance at
//! check-out, and invoices numbered without gaps within a year.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// `user`'s stay of `nights` from today, checked in by `desk`: its id.
pub(crate) async fn checked_in(app: &TestApp, desk: &str, user: &str, nights: i64) -> i64 {
    let today = app.today().await;
    let stay = app
        .book_dates(user, 1, &day_after(today, 0), &day_after(today, nights))
        .await;
    assert_eq!(stay.status, 200, "{:?}", stay.body);
    let id = stay.body["bookings"][0]["id"].as_i64().unwrap();
    let path = format!("/staff/bookings/{id}/check-in");
    assert_eq!(
        app.send_as(desk, Method::POST, &path, None).await.status,
        200
    );
    id
}

async fn post(app: &TestApp, desk: &str, id: i64, what: &str, body: Value) -> Reply {
    app.send_as(
        desk,
        Method::POST,
        &format!("/staff/bookings/{id}/{what}"),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_bill_takes_extras_discounts_payments_and_refunds() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let id = checked_in(&app, &desk, "ann", 2).await;
    let bill = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/bookings/{id}/bill"),
            None,
        )
        .await;
    assert_eq!(bill.status, 200, "{:?}", bill.body);
    assert_eq!(bill.body["balance"], json!(19_000));
    assert_eq!(
        bill.body["lines"][0]["description"],
        json!("Room 1 (Standard), 2 nights × EUR 95.00")
    );

    let breakfast = app.extra_id(&desk, "Breakfast").await;
    let tax = app.extra_id(&desk, "City tax").await;
    let r = post(
        &app,
        &desk,
        id,
        "charges",
        json!({"extra_id": breakfast, "quantity": 2}),
    )
    .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    // The city tax counts the guest's two nights by itself.
    post(&app, &desk, id, "charges", json!({"extra_id": tax})).await;
    post(
        &app,
        &desk,
        id,
        "charges",
        json!({"description": "Late check-out", "unit_amount": 2000}),
    )
    .await;
    post(
        &app,
        &desk,
        id,
        "charges",
        json!({"discount": true, "description": "Loyal guest", "unit_amount": 1000}),
    )
    .await;
    post(
        &app,
        &desk,
        id,
        "payments",
        json!({"method": "card", "amount": 20_000}),
    )
    .await;
    let bill = post(
        &app,
        &desk,
        id,
        "payments",
        json!({"method": "cash", "amount": 500, "refund": true}),
    )
    .await;
    assert_eq!(bill.status, 201, "{:?}", bill.body);
    assert_eq!(
        bill.body["charges"],
        json!(19_000 + 3_000 + 600 + 2_000 - 1_000)
    );
    assert_eq!(bill.body["paid"], json!(20_000 - 500));
    assert_eq!(bill.body["balance"], json!(23_600 - 19_500));
    let lines: Vec<(String, i64)> = bill.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["description"].as_str().unwrap().to_string(),
                l["amount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines[1..],
        [
            ("Breakfast".to_string(), 3_000),
            ("City tax".to_string(), 600),
            ("Late check-out".to_string(), 2_000),
            ("Loyal guest".to_string(), -1_000),
            ("Payment, card".to_string(), -20_000),
            ("Refund, cash".to_string(), 500),
        ]
    );
    let too_much = post(
        &app,
        &desk,
        id,
        "payments",
        json!({"method": "cash", "amount": 100_000, "refund": true}),
    )
    .await;
    assert_eq!(too_much.status, 409);
    assert_eq!(too_much.body["code"], json!("refund_exceeds_payments"));
    let log = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/audit?booking={id}&action=folio"),
            None,
        )
        .await;
    let actions: Vec<&str> = log.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "folio.refund",
            "folio.payment",
            "folio.discount",
            "folio.charge",
            "folio.charge",
            "folio.charge"
        ]
    );
}

#[tokio::test]
async fn check_out_asks_to_settle_an_open_balance_and_leaves_with_an_invoice() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let id = checked_in(&app, &desk, "ann", 3).await;
    let breakfast = app.extra_id(&desk, "Breakfast").await;
    post(&app, &desk, id, "charges", json!({"extra_id": breakfast})).await;
    let out = format!("/staff/bookings/{id}/check-out");

    let refused = app.send_as(&desk, Method::POST, &out, None).await;
    assert_eq!(refused.status, 409, "{:?}", refused.body);
    assert_eq!(refused.body["code"], json!("balance_open"));
    assert!(
        refused.error().contains("has EUR 15.00 open"),
        "{:?}",
        refused.body
    );
    // Nothing happened: the guest is still in house.
    let bill = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/bookings/{id}/bill"),
            None,
        )
        .await;
    assert_eq!(bill.body["booking"]["status"], json!("checked_in"));

    post(
        &app,
        &desk,
        id,
        "payments",
        json!({"method": "cash", "amount": 1_500}),
    )
    .await;
    let done = app.send_as(&desk, Method::POST, &out, None).await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    let bill = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/bookings/{id}/bill"),
            None,
        )
        .await;
    assert_eq!(bill.body["balance"], json!(0));
    let year = app.today().await.year();
    assert_eq!(
        bill.body["invoice"]["number"],
        json!(format!("{year}-0001"))
    );
    // Leaving on the arrival day: no night charged, and the bill says why.
    let note = bill.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == json!("note"))
        .cloned()
        .unwrap();
    assert!(
        note["description"]
            .as_str()
            .unwrap()
            .starts_with("Left on the arrival day"),
        "{note}"
    );

    // Another guest may leave owing money when the desk says so (in ann's room, cleaned).
    app.send_as(
        &desk,
        Method::PUT,
        "/housekeeping/1",
        Some(json!({"condition": "clean"})),
    )
    .await;
    let bob = checked_in(&app, &desk, "bob", 1).await;
    post(&app, &desk, bob, "charges", json!({"extra_id": breakfast})).await;
    let left = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{bob}/check-out"),
            Some(json!({"leave_balance_open": true})),
        )
        .await;
    assert_eq!(left.status, 200, "{:?}", left.body);
    let bill = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/bookings/{bob}/bill"),
            None,
        )
        .await;
    assert_eq!(bill.body["balance"], json!(1_500));
    assert_eq!(
        bill.body["invoice"]["number"],
        json!(format!("{year}-0002"))
    );
}

#[tokio::test]
async fn invoices_are_numbered_without_gaps_under_concurrent_check_outs() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let breakfast = app.extra_id(&desk, "Breakfast").await;
    let mut stays = Vec::new();
    for i in 0..8 {
        let id = checked_in(&app, &desk, &format!("guest{i}"), 2).await;
        post(&app, &desk, id, "charges", json!({"extra_id": breakfast})).await;
        stays.push(id);
    }
    let paths: Vec<String> = stays
        .iter()
        .map(|id| format!("/staff/bookings/{id}/check-out"))
        .collect();
    let outs = paths.iter().map(|path| {
        app.send_as(
            &desk,
            Method::POST,
            path,
            Some(json!({"leave_balance_open": true})),
        )
    });
    // Sent at once, as several desks would.
    for reply in futures_util::future::join_all(outs).await {
        assert_eq!(reply.status, 200, "{:?}", reply.body);
    }
    let mut numbers = Vec::new();
    for id in &stays {
        let doc = app
            .send_as(
                &desk,
                Method::GET,
                &format!("/staff/bookings/{id}/invoice"),
                None,
            )
            .await;
        assert_eq!(doc.status, 200, "{:?}", doc.body);
        assert_eq!(doc.body["invoice"]["total"], json!(1_500));
        numbers.push(doc.body["invoice"]["sequence"].as_i64().unwrap());
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=8).collect::<Vec<i64>>());

    // Issuing again gives the same invoice; nothing more may be charged, payments still land.
    let again = post(&app, &desk, stays[0], "invoice", json!({})).await;
    assert_eq!(again.status, 200);
    let charge = post(
        &app,
        &desk,
        stays[0],
        "charges",
        json!({"extra_id": breakfast}),
    )
    .await;
    assert_eq!(charge.status, 409);
    assert_eq!(charge.body["code"], json!("invoice_issued"));
    let paid = post(
        &app,
        &desk,
        stays[0],
        "payments",
        json!({"method": "bank_transfer", "amount": 1_500}),
    )
    .await;
    assert_eq!(paid.status, 201);
    assert_eq!(paid.body["balance"], json!(0));

    // A stay still to come has no invoice yet, and gets none.
    let today = app.today().await;
    let later = app
        .book_dates("zoe", 1, &day_after(today, 3), &day_after(today, 4))
        .await;
    let later = later.body["bookings"][0]["id"].as_i64().unwrap();
    let none = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/bookings/{later}/invoice"),
            None,
        )
        .await;
    assert_eq!(none.status, 404);
    let refused = post(&app, &desk, later, "invoice", json!({})).await;
    assert_eq!(refused.status, 409);
    assert_eq!(refused.body["code"], json!("stay_not_begun"));
}

#[tokio::test]
async fn extras_are_kept_by_the_hotel_and_bad_postings_are_refused() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let spa = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/extras",
            Some(json!({"name": "Spa", "price": 4_000})),
        )
        .await;
    assert_eq!(spa.status, 201, "{:?}", spa.body);
    let spa_id = spa.body["id"].as_i64().unwrap();
    let twice = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/extras",
            Some(json!({"name": "spa", "price": 1})),
        )
        .await;
    assert_eq!(twice.status, 409);
    let changed = app
        .send_as(
            &desk,
            Method::PUT,
            &format!("/staff/extras/{spa_id}"),
            Some(json!({"name": "Spa", "price": 4_500})),
        )
        .await;
    assert_eq!(changed.body["price"], json!(4_500));
    let id = checked_in(&app, &desk, "ann", 1).await;
    app.send_as(
        &desk,
        Method::DELETE,
        &format!("/staff/extras/{spa_id}"),
        None,
    )
    .await;
    let retired = post(&app, &desk, id, "charges", json!({"extra_id": spa_id})).await;
    assert_eq!(retired.status, 404);
    app.send_as(
        &desk,
        Method::POST,
        &format!("/staff/extras/{spa_id}/restore"),
        None,
    )
    .await;
    let bill = post(&app, &desk, id, "charges", json!({"extra_id": spa_id})).await;
    assert_eq!(bill.status, 201);
    assert_eq!(bill.body["lines"][1]["amount"], json!(4_500));

    for body in [
        json!({"description": "No price"}),
        json!({"unit_amount": 100}),
        json!({"description": "Free", "unit_amount": 0}),
        json!({"description": "Many", "unit_amount": 100, "quantity": 0}),
        json!({"discount": true, "description": "Too big", "unit_amount": 99_999_999}),
        json!({"description": 5, "unit_amount": 100}),
    ] {
        let r = post(&app, &desk, id, "charges", body.clone()).await;
        assert_eq!(r.status, 400, "{body}: {:?}", r.body);
    }
    for body in [
        json!({"method": "cash", "amount": 0}),
        json!({"method": "bitcoin", "amount": 100}),
        json!({"amount": 100}),
    ] {
        let r = post(&app, &desk, id, "payments", body.clone()).await;
        assert_eq!(r.status, 400, "{body}: {:?}", r.body);
    }
    for body in [
        json!({"name": "", "price": 1}),
        json!({"name": "X", "price": -1}),
    ] {
        let r = app
            .send_as(&desk, Method::POST, "/staff/extras", Some(body.clone()))
            .await;
        assert_eq!(r.status, 400, "{body}: {:?}", r.body);
    }
    let missing = post(
        &app,
        &desk,
        999,
        "payments",
        json!({"method": "cash", "amount": 1}),
    )
    .await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn the_report_splits_rooms_by_type_counts_bill_money_and_exports_csv() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let id = checked_in(&app, &desk, "ann", 2).await;
    let breakfast = app.extra_id(&desk, "Breakfast").await;
    post(&app, &desk, id, "charges", json!({"extra_id": breakfast})).await;
    post(
        &app,
        &desk,
        id,
        "payments",
        json!({"method": "card", "amount": 1_000}),
    )
    .await;
    let today = app.today().await;
    let family = app
        .send(
            Method::POST,
            "/book",
            Some(
                json!({"username": "bob", "password": PASSWORD, "num_rooms": 1, "guests": 3,
                        "check_in": day_after(today, 1), "check_out": day_after(today, 2)}),
            ),
        )
        .await;
    assert_eq!(family.status, 200, "{:?}", family.body);

    let range = format!("from={today}&to={}", day_after(today, 3));
    let report = app
        .send_as(&desk, Method::GET, &format!("/staff/report?{range}"), None)
        .await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    assert_eq!(
        report.body["by_room_type"],
        json!([
            {"room_type": "Family", "sold": 1, "revenue": 14_500},
            {"room_type": "Standard", "sold": 2, "revenue": 19_000}
        ])
    );
    assert_eq!(
        report.body["bills"],
        json!({"extras": 1_500, "discounts": 0, "fees": 0, "payments": 1_000})
    );

    let csv = app
        .client
        .get(app.url(&format!("/staff/report.csv?{range}")))
        .bearer_auth(&desk)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status().as_u16(), 200);
    assert_eq!(
        csv.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "night,available,sold,occupancy_pct,revenue_eur");
    assert_eq!(lines[1], format!("{today},10,1,10.0,95.00"));
    assert_eq!(lines.len(), 4, "{text}");
}

#[tokio::test]
async fn a_charge_in_the_clerks_words_is_booked_as_the_kind_chosen() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let id = checked_in(&app, &desk, "ann", 1).await;
    let dinner = json!({"description": "Dinner", "unit_amount": 4_500,
                        "category": "food_and_beverage"});
    post(&app, &desk, id, "charges", dinner)
        .await
        .assert_status(201);
    // An extra's kind stands unless the clerk names another.
    let parking = app.extra_id(&desk, "Parking").await;
    post(&app, &desk, id, "charges", json!({"extra_id": parking}))
        .await
        .assert_status(201);
    let bill = bill_of(&app, &desk, id).await;
    let kinds: Vec<(&str, &str)> = bill["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| Some((l["description"].as_str()?, l["category"].as_str()?)))
        .collect();
    assert_eq!(
        kinds[1..],
        [("Dinner", "food_and_beverage"), ("Parking", "other")]
    );
    for (category, code) in [("city_tax", "invalid_posting"), ("spa", "invalid_request")] {
        post(
            &app,
            &desk,
            id,
            "charges",
            json!({"description": "Town tax", "unit_amount": 300, "category": category}),
        )
        .await
        .assert(400, "code", code);
    }
}

async fn bill_of(app: &TestApp, desk: &str, id: i64) -> Value {
    let path = format!("/staff/bookings/{id}/bill");
    app.send_as(desk, Method::GET, &path, None).await.body
}

#[tokio::test]
async fn an_issued_invoice_keeps_matching_the_bill() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    // Three nights in a Standard room: 285.00, invoiced at once.
    let id = checked_in(&app, &desk, "ivo", 3).await;
    let invoice = post(&app, &desk, id, "invoice", json!({})).await;
    assert_eq!(invoice.status, 201, "{:?}", invoice.body);
    assert_eq!(invoice.body["invoice"]["total"], json!(28500));

    // A move into the Suite would charge its rate: refused, nothing changes.
    let dearer = post(&app, &desk, id, "move", json!({"room_number": 10})).await;
    dearer.assert(409, "code", "invoice_issued");
    assert!(
        dearer.error().contains("cancellation invoice"),
        "{}",
        dearer.error()
    );
    assert_eq!(bill_of(&app, &desk, id).await["charges"], json!(28500));
    // An early check-out would release nights the invoice charges: refused too.
    let leave = post(
        &app,
        &desk,
        id,
        "check-out",
        json!({"leave_balance_open": true}),
    )
    .await;
    leave.assert(409, "code", "invoice_issued");
    assert_eq!(app.occupied_rooms().await, vec![1]);
    // A move on the house leaves the bill as invoiced, and goes ahead.
    let upgrade = post(
        &app,
        &desk,
        id,
        "move",
        json!({"room_number": 10, "complimentary": true}),
    )
    .await;
    assert_eq!(upgrade.status, 200, "{:?}", upgrade.body);
    let after = bill_of(&app, &desk, id).await;
    assert_eq!(after["charges"], json!(28500));
    assert_eq!(after["invoice"]["total"], json!(28500));
    // Payments still land on an invoiced bill.
    let paid = post(
        &app,
        &desk,
        id,
        "payments",
        json!({"method": "card", "amount": 28500}),
    )
    .await;
    assert_eq!(paid.status, 201, "{:?}", paid.body);
    assert_eq!(bill_of(&app, &desk, id).await["balance"], json!(0));
}
