//! A hotel that enters its prices before VAT (selling mostly to businesses): guests pay each
//! price plus its VAT, and the invoice shows every unit's net as the hotel entered it.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

async fn set_basis(app: &TestApp, desk: &str, basis: &str) {
    let set = app
        .send_as(
            desk,
            Method::PUT,
            "/staff/price-basis",
            Some(json!({ "basis": basis })),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    assert_eq!(set.body, json!({ "basis": basis }));
}

/// The offer of the Standard rooms on plan `plan` for two guests, two nights from today.
async fn standard_offer(app: &TestApp, plan: i64) -> Value {
    let today = app.today().await;
    let quote = app
        .get(&format!(
            "/quote?check_in={}&check_out={}&guests=2",
            day_after(today, 0),
            day_after(today, 2)
        ))
        .await;
    assert_eq!(quote.status, 200, "{:?}", quote.body);
    quote.body["options"]
        .as_array()
        .and_then(|all| all.iter().find(|o| o["rate_plan_id"] == plan).cloned())
        .unwrap_or_else(|| panic!("no offer on plan {plan}: {:?}", quote.body))
}

#[tokio::test]
async fn net_prices_are_charged_with_their_vat_and_invoiced_as_entered() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let lodging = app.add_tax_rate(&desk, "Lodging", 7).await;
    let standard = app.add_tax_rate(&desk, "Standard", 19).await;
    app.tax_standard_rooms(&desk, lodging).await;
    let breakfast = app
        .tax_extra(&desk, ("Breakfast", 1_257, true), standard)
        .await;
    let parking = app
        .tax_extra(&desk, ("Parking", 1_200, false), standard)
        .await;
    let types = app
        .send_as(&desk, Method::GET, "/staff/room-types", None)
        .await;
    let room_type = types.body["room_types"]
        .as_array()
        .and_then(|all| all.iter().find(|t| t["name"] == "Standard").cloned())
        .and_then(|t| t["id"].as_i64())
        .unwrap();
    let made = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/rate-plans",
            Some(
                json!({"room_type_id": room_type, "name": "Business with breakfast",
                        "derived_amount": 3_000, "includes": [{"extra_id": breakfast}]}),
            ),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let plan = made.body["id"].as_i64().unwrap();
    let before = standard_offer(&app, plan).await;
    assert_eq!(before["total"], json!(2 * 12_500));

    set_basis(&app, &desk, "net").await;
    let basis = app
        .send_as(&desk, Method::GET, "/staff/price-basis", None)
        .await;
    assert_eq!(basis.body, json!({"basis": "net"}));
    // €125.00 a night before VAT, of which two breakfasts at €12.57: the room's €99.86 plus
    // 7 % (€6.99) and each breakfast plus 19 % (€2.39).
    let offer = standard_offer(&app, plan).await;
    let night = 10_685 + 2 * 1_496;
    assert_eq!(offer["total"], json!(2 * night), "{offer}");
    assert_eq!(offer["vat_included"], json!(true));
    assert_eq!(offer["included"], json!("Breakfast"));

    let today = app.today().await;
    let booked = app
        .send(
            Method::POST,
            "/book",
            Some(
                json!({"username": "acme", "password": PASSWORD, "num_rooms": 1,
                        "check_in": day_after(today, 0), "check_out": day_after(today, 2),
                        "guests": 2, "room_type_id": room_type, "rate_plan_id": plan}),
            ),
        )
        .await;
    assert_eq!(booked.status, 200, "{:?}", booked.body);
    assert_eq!(booked.body["bookings"][0]["total"], json!(2 * night));
    let id = booked.body["bookings"][0]["id"].as_i64().unwrap();
    let stay = |what: &str| format!("/staff/bookings/{id}/{what}");
    app.send_as(&desk, Method::POST, &stay("check-in"), None)
        .await
        .assert_status(200);
    // Two days of parking at €12.00 before VAT: €14.28 each.
    app.send_as(
        &desk,
        Method::POST,
        &stay("charges"),
        Some(json!({"extra_id": parking, "quantity": 2})),
    )
    .await
    .assert_status(201);

    let bill = app.send_as(&desk, Method::GET, &stay("bill"), None).await;
    assert_eq!(bill.status, 200, "{:?}", bill.body);
    assert_eq!(bill.body["charges"], json!(2 * night + 2 * 1_428));
    let taxed: Vec<(i64, i64, i64, i64)> = bill.body["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["quantity"].as_i64().unwrap(),
                l["net"].as_i64().unwrap(),
                l["tax"].as_i64().unwrap(),
                l["amount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        taxed,
        vec![
            (2, 2 * 9_986, 2 * 699, 2 * 10_685),
            (4, 4 * 1_257, 4 * 239, 4 * 1_496),
            (2, 2 * 1_200, 2 * 228, 2 * 1_428),
        ]
    );
    let totals: Vec<(i64, i64, i64)> = bill.body["totals_by_rate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["net"].as_i64().unwrap(),
                t["tax"].as_i64().unwrap(),
                t["gross"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(totals, vec![(19_972, 1_398, 21_370), (7_428, 1_412, 8_840)]);

    // Back to prices as guests pay them: the same figures, now with VAT in them; the stay
    // keeps what it was booked at.
    set_basis(&app, &desk, "gross").await;
    assert_eq!(standard_offer(&app, plan).await["total"], json!(2 * 12_500));
    let kept = app.send_as(&desk, Method::GET, &stay("bill"), None).await;
    assert_eq!(kept.body["charges"], bill.body["charges"]);
    let switched = app
        .audit_actions(&desk)
        .await
        .into_iter()
        .filter(|a| a == "price_basis.change")
        .count();
    assert_eq!(switched, 2);
}

#[tokio::test]
async fn a_price_basis_other_than_gross_or_net_is_refused() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    for body in [json!({"basis": "brutto"}), json!({}), json!({"basis": 1})] {
        app.send_as(&desk, Method::PUT, "/staff/price-basis", Some(body))
            .await
            .assert(400, "code", "invalid_request");
    }
    let guest = app.guest("ann").await;
    app.send_as(&guest, Method::GET, "/staff/price-basis", None)
        .await
        .assert_status(403);
}
