//! The hotel's tax rates: added with a percent from a day on, changed by law from a later
//! day (earlier days keep theirs), listed with the percent of today; bad percents and names
//! refused with a code.

use hotel_shared::taxes::{TaxRate, TaxRateList};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn a_rate_changed_by_law_keeps_its_earlier_percent_for_earlier_days() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let made = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/tax-rates",
            Some(json!({"name": "Lodging", "percent": 7, "valid_from": day_after(today, -400)})),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let lodging: TaxRate = made.parsed();
    assert_eq!(lodging.percent, Some(7.0));
    let swiss = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/tax-rates",
            Some(json!({"name": "Swiss lodging", "percent": 7.7, "valid_from": day_after(today, -10)})),
        )
        .await;
    assert_eq!(swiss.status, 201, "{:?}", swiss.body);
    assert_eq!(swiss.body["percent"], json!(7.7));
    // The law changes from a day ahead: today still 7 %.
    let changed = app
        .send_as(
            &staff,
            Method::POST,
            &format!("/staff/tax-rates/{}/percents", lodging.id),
            Some(json!({"percent": 19, "valid_from": day_after(today, 30)})),
        )
        .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    let changed: TaxRate = changed.parsed();
    assert_eq!(changed.percent, Some(7.0));
    assert_eq!(
        changed
            .percents
            .iter()
            .map(|p| (p.valid_from.to_string(), p.percent))
            .collect::<Vec<_>>(),
        vec![(day_after(today, -400), 7.0), (day_after(today, 30), 19.0)]
    );
    // Listed, paged, as an object.
    let first: TaxRateList = app
        .send_as(&staff, Method::GET, "/staff/tax-rates?limit=1", None)
        .await
        .parsed();
    assert_eq!(first.tax_rates.len(), 1);
    assert_eq!(first.tax_rates[0].name, "Lodging");
    let cursor = first.next_cursor.expect("a second page");
    let second: TaxRateList = app
        .send_as(
            &staff,
            Method::GET,
            &format!("/staff/tax-rates?limit=1&cursor={cursor}"),
            None,
        )
        .await
        .parsed();
    assert_eq!(second.tax_rates[0].name, "Swiss lodging");
    // Audited.
    let log = app.send_as(&staff, Method::GET, "/staff/audit", None).await;
    let actions: Vec<String> = log.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        actions.contains(&"tax_rate.change".to_string()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"tax_rate.create".to_string()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn bad_tax_rates_are_refused_with_a_code() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let add = |body: serde_json::Value| {
        let (app, staff) = (&app, &staff);
        async move {
            app.send_as(staff, Method::POST, "/staff/tax-rates", Some(body))
                .await
        }
    };
    let ok = add(json!({"name": "Standard", "percent": 19, "valid_from": today})).await;
    assert_eq!(ok.status, 201, "{:?}", ok.body);
    add(json!({"name": "standard", "percent": 19, "valid_from": today}))
        .await
        .assert(409, "code", "tax_rate_exists");
    for (body, why) in [
        (
            json!({"name": "A", "percent": 7.775, "valid_from": today}),
            "three decimals",
        ),
        (
            json!({"name": "A", "percent": -1, "valid_from": today}),
            "negative",
        ),
        (
            json!({"name": "A", "percent": 101, "valid_from": today}),
            "over 100",
        ),
        (
            json!({"name": "A", "percent": "7", "valid_from": today}),
            "a string",
        ),
        (
            json!({"name": "", "percent": 7, "valid_from": today}),
            "no name",
        ),
        (json!({"name": "A", "percent": 7}), "no day"),
        (
            json!({"name": "A", "percent": 7, "valid_from": "9026-01-01"}),
            "a year typed wrong",
        ),
    ] {
        let refused = add(body).await;
        assert_eq!(refused.status, 400, "{why}: {:?}", refused.body);
    }
    app.send_as(
        &staff,
        Method::POST,
        "/staff/tax-rates/999/percents",
        Some(json!({"percent": 7, "valid_from": today})),
    )
    .await
    .assert(404, "code", "tax_rate_not_found");
    // Set-up is for staff: a guest may not, a read key may only read.
    let guest = app.guest("ann").await;
    app.send_as(&guest, Method::GET, "/staff/tax-rates", None)
        .await
        .assert(403, "code", "staff_only");
}

#[tokio::test]
async fn room_types_and_extras_carry_a_tax_rate() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let rate = |name: &'static str, percent: u32| {
        let (app, staff) = (&app, &staff);
        async move {
            let made = app
                .send_as(
                    staff,
                    Method::POST,
                    "/staff/tax-rates",
                    Some(json!({"name": name, "percent": percent, "valid_from": today})),
                )
                .await;
            assert_eq!(made.status, 201, "{:?}", made.body);
            made.body["id"].as_i64().unwrap()
        }
    };
    let (lodging, standard) = (rate("Lodging", 7).await, rate("Standard", 19).await);
    let suite = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/room-types",
            Some(json!({"name": "Loft", "capacity": 2, "rate": 15000, "tax_rate_id": lodging})),
        )
        .await;
    assert_eq!(suite.status, 201, "{:?}", suite.body);
    assert_eq!(suite.body["tax_rate_id"], json!(lodging));
    let id = suite.body["id"].as_i64().unwrap();
    // A change that does not name it keeps it; null takes it off.
    let path = format!("/staff/room-types/{id}");
    let renamed = app
        .send_as(
            &staff,
            Method::PUT,
            &path,
            Some(json!({"name": "Loft suite", "capacity": 2, "rate": 16000})),
        )
        .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    assert_eq!(renamed.body["tax_rate_id"], json!(lodging));
    let cleared = app
        .send_as(
            &staff,
            Method::PUT,
            &path,
            Some(json!({"name": "Loft suite", "capacity": 2, "rate": 16000, "tax_rate_id": null})),
        )
        .await;
    assert_eq!(cleared.status, 200, "{:?}", cleared.body);
    assert_eq!(cleared.body.get("tax_rate_id"), None);
    app.send_as(
        &staff,
        Method::PUT,
        &path,
        Some(json!({"name": "Loft suite", "capacity": 2, "rate": 16000, "tax_rate_id": 999})),
    )
    .await
    .assert(404, "code", "tax_rate_not_found");
    // Extras too.
    let garage = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/extras",
            Some(json!({"name": "Garage", "price": 1500, "tax_rate_id": standard})),
        )
        .await;
    assert_eq!(garage.status, 201, "{:?}", garage.body);
    let listed = app
        .send_as(&staff, Method::GET, "/staff/extras", None)
        .await;
    let found = listed.body["extras"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Garage")
        .cloned()
        .unwrap();
    assert_eq!(found["tax_rate_id"], json!(standard));
    app.send_as(
        &staff,
        Method::POST,
        "/staff/extras",
        Some(json!({"name": "Valet", "price": 1000, "tax_rate_id": 999})),
    )
    .await
    .assert(404, "code", "tax_rate_not_found");
}

#[tokio::test]
async fn a_bill_and_its_invoice_show_each_line_s_tax_and_the_totals_per_rate() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let mut ids = Vec::new();
    for (name, percent) in [("Lodging", 7), ("Standard", 19)] {
        let made = app
            .send_as(
                &staff,
                Method::POST,
                "/staff/tax-rates",
                Some(
                    json!({"name": name, "percent": percent, "valid_from": day_after(today, -30)}),
                ),
            )
            .await;
        ids.push(made.body["id"].as_i64().unwrap());
    }
    let (lodging, standard) = (ids[0], ids[1]);
    let types = app
        .send_as(&staff, Method::GET, "/staff/room-types", None)
        .await;
    let standard_type = types.body["room_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Standard")
        .cloned()
        .unwrap();
    let taxed = app
        .send_as(
            &staff,
            Method::PUT,
            &format!("/staff/room-types/{}", standard_type["id"]),
            Some(
                json!({"name": "Standard", "description": standard_type["description"],
                        "capacity": 2, "rate": 9500, "tax_rate_id": lodging}),
            ),
        )
        .await;
    assert_eq!(taxed.status, 200, "{:?}", taxed.body);
    let garage = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/extras",
            Some(json!({"name": "Garage", "price": 1500, "tax_rate_id": standard})),
        )
        .await;
    let garage = garage.body["id"].as_i64().unwrap();
    let stay = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/bookings",
            Some(
                json!({"guest": "ann", "room_number": 1, "check_out": day_after(today, 2),
                        "check_in_now": true}),
            ),
        )
        .await;
    assert_eq!(stay.status, 201, "{:?}", stay.body);
    let id = stay.body["bookings"][0]["id"].as_i64().unwrap();
    let posted = app
        .send_as(
            &staff,
            Method::POST,
            &format!("/staff/bookings/{id}/charges"),
            Some(json!({"extra_id": garage})),
        )
        .await;
    assert_eq!(posted.status, 201, "{:?}", posted.body);
    let bill = app
        .send_as(
            &staff,
            Method::GET,
            &format!("/staff/bookings/{id}/bill"),
            None,
        )
        .await;
    let lines = bill.body["lines"].as_array().cloned().unwrap();
    assert_eq!(lines[0]["amount"], json!(19_000), "{lines:?}");
    let taxed = |l: &Value| {
        json!([
            l["quantity"],
            l["description"],
            l["net"],
            l["tax_rate"],
            l["tax"],
            l["gross"]
        ])
    };
    assert_eq!(
        taxed(&lines[0]),
        json!([
            2,
            "Room 1 (Standard), 2 nights × EUR 95.00",
            17_757,
            7.0,
            1_243,
            19_000
        ])
    );
    assert_eq!(lines[0]["tax_rate_name"], "Lodging");
    assert_eq!(
        taxed(&lines[1]),
        json!([1, "Garage", 1_261, 19.0, 239, 1_500])
    );
    assert_eq!(
        bill.body["totals_by_rate"],
        json!([
            {"tax_rate": 7.0, "tax_rate_name": "Lodging", "net": 17_757, "tax": 1_243, "gross": 19_000},
            {"tax_rate": 19.0, "tax_rate_name": "Standard", "net": 1_261, "tax": 239, "gross": 1_500}
        ])
    );
    // The invoice states the same, and keeps it.
    let issued = app
        .send_as(
            &staff,
            Method::POST,
            &format!("/staff/bookings/{id}/invoice"),
            None,
        )
        .await;
    assert_eq!(issued.status, 201, "{:?}", issued.body);
    assert_eq!(issued.body["totals_by_rate"], bill.body["totals_by_rate"]);
    // A later change of the law does not touch an issued invoice.
    app.send_as(
        &staff,
        Method::POST,
        &format!("/staff/tax-rates/{lodging}/percents"),
        Some(json!({"percent": 10, "valid_from": day_after(today, -30)})),
    )
    .await;
    let again = app
        .send_as(
            &staff,
            Method::GET,
            &format!("/staff/bookings/{id}/invoice"),
            None,
        )
        .await;
    assert_eq!(again.body["totals_by_rate"], bill.body["totals_by_rate"]);
    assert_eq!(again.body["lines"], issued.body["lines"]);
}
