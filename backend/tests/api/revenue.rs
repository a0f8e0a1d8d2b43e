//! The revenue report: invoices issued per tax rate and category, payments per method and
//! the city tax collected, per day or per month; a cancelled invoice counts nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::folio::checked_in;
use crate::helpers::*;

#[tokio::test]
async fn revenue_adds_up_invoices_by_rate_and_category_and_payments_by_method() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let lodging = app.add_tax_rate(&desk, "Lodging", 7).await;
    let standard = app.add_tax_rate(&desk, "Standard", 19).await;
    app.tax_standard_rooms(&desk, lodging).await;
    let breakfast = app
        .tax_extra(&desk, ("Breakfast", 1_500, false), standard)
        .await;
    app.send_as(
        &desk,
        Method::PUT,
        "/staff/city-tax",
        Some(json!({"kind": "per_person_night", "amount": 250})),
    )
    .await
    .assert_status(200);
    let post = |id: i64, what: &str, body: Value| {
        let (app, desk, path) = (&app, &desk, format!("/staff/bookings/{id}/{what}"));
        async move {
            let reply = app.send_as(desk, Method::POST, &path, Some(body)).await;
            assert_eq!(reply.status, 201, "{path}: {:?}", reply.body);
        }
    };

    // Ann: two nights (€190.00 at 7 %), two breakfasts (€30.00 at 19 %), €5.00 city tax.
    let ann = checked_in(&app, &desk, "ann", 2).await;
    post(
        ann,
        "charges",
        json!({"extra_id": breakfast, "quantity": 2}),
    )
    .await;
    post(ann, "payments", json!({"method": "card", "amount": 20_000})).await;
    post(ann, "payments", json!({"method": "cash", "amount": 2_500})).await;
    post(ann, "invoice", json!({})).await;
    // Bob: invoiced, then the invoice cancelled, and €10.00 of his transfer refunded.
    let bob = checked_in(&app, &desk, "bob", 1).await;
    post(
        bob,
        "payments",
        json!({"method": "bank_transfer", "amount": 9_750}),
    )
    .await;
    post(
        bob,
        "payments",
        json!({"method": "bank_transfer", "amount": 1_000, "refund": true}),
    )
    .await;
    post(bob, "invoice", json!({})).await;
    post(bob, "invoice/cancel", json!({})).await;

    let path = format!(
        "/staff/revenue?from={}&to={}",
        day_after(today, 0),
        day_after(today, 2)
    );
    let report = app.send_as(&desk, Method::GET, &path, None).await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    let expected_day = json!({
        "period": day_after(today, 0),
        "by_tax_rate": [
            {"tax_rate": 7.0, "tax_rate_name": "Lodging", "net": 17_757, "tax": 1_243, "gross": 19_000},
            {"tax_rate": 19.0, "tax_rate_name": "Standard", "net": 2_521, "tax": 479, "gross": 3_000},
        ],
        "by_category": [
            {"category": "lodging", "net": 17_757, "tax": 1_243, "gross": 19_000},
            {"category": "food_and_beverage", "net": 2_521, "tax": 479, "gross": 3_000},
            {"category": "city_tax", "net": 500, "tax": 0, "gross": 500},
        ],
        "payments": [
            {"method": "cash", "amount": 2_500},
            {"method": "card", "amount": 20_000},
            {"method": "bank_transfer", "amount": 8_750},
        ],
        "city_tax": 500,
    });
    assert_eq!(report.body["periods"][0], expected_day);
    // Every day of the range is there, also one without any.
    assert_eq!(
        report.body["periods"][1],
        json!({"period": day_after(today, 1), "by_tax_rate": [], "by_category": [],
               "payments": [], "city_tax": 0})
    );
    let mut total = expected_day.clone();
    total["period"] = json!("total");
    assert_eq!(report.body["total"], total);
    assert_eq!(report.body["currency"], "EUR");

    // By month: one period, the same figures.
    let monthly = app
        .send_as(
            &desk,
            Method::GET,
            &format!(
                "/staff/revenue?from={}&to={}&by=month",
                day_after(today, 0),
                day_after(today, 1)
            ),
            None,
        )
        .await;
    assert_eq!(monthly.status, 200, "{:?}", monthly.body);
    let month = &day_after(today, 0)[..7];
    assert_eq!(monthly.body["periods"][0]["period"], month);
    assert_eq!(
        monthly.body["periods"][0]["by_category"],
        expected_day["by_category"]
    );
}

#[tokio::test]
async fn a_revenue_report_without_a_range_or_by_week_is_refused() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    for (query, says) in [
        ("from=2026-01-01", "from and to are required"),
        (
            "from=2026-01-01&to=2026-02-01&by=week",
            "by must be day or month",
        ),
        ("from=2026-01-01&to=2027-06-01", "at most"),
    ] {
        let refused = app
            .send_as(&desk, Method::GET, &format!("/staff/revenue?{query}"), None)
            .await;
        refused.assert(400, "code", "invalid_request");
        assert!(
            refused.error().contains(says),
            "{query}: {:?}",
            refused.body
        );
    }
    let guest = app.guest("ann").await;
    let refused = app
        .send_as(
            &guest,
            Method::GET,
            "/staff/revenue?from=2026-01-01&to=2026-01-02",
            None,
        )
        .await;
    assert_eq!(refused.status, 403, "{:?}", refused.body);
}
