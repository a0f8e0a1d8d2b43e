//! What the law asks an invoice to name: the hotel's legal name, address, tax number and VAT
//! id, and whom it is made out to (the guest, or a company with its VAT id), kept as issued.

use reqwest::Method;
use serde_json::json;

use crate::folio::checked_in;
use crate::helpers::*;

fn details(legal_name: &str) -> serde_json::Value {
    json!({
        "name": "Seeblick", "address": "Seestraße 1\n82319 Starnberg",
        "check_in_from": "15:00", "check_out_until": "11:00",
        "legal_name": legal_name, "tax_number": "143/123/45678", "vat_id": "DE123456789"
    })
}

#[tokio::test]
async fn a_company_invoice_names_the_hotel_and_the_company_with_their_vat_ids() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let saved = app
        .send_as(
            &desk,
            Method::PUT,
            "/staff/hotel",
            Some(details("Seeblick Hotel GmbH")),
        )
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    assert_eq!(saved.body["vat_id"], "DE123456789");
    let id = checked_in(&app, &desk, "ann", 1).await;
    // Leaving on the day of arrival releases the night; the parking stays on the bill.
    let parking = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{id}/charges"),
            Some(json!({"description": "Parking", "unit_amount": 1_200})),
        )
        .await;
    assert_eq!(parking.status, 201, "{:?}", parking.body);
    let paid = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{id}/payments"),
            Some(json!({"method": "card", "amount": 1_200})),
        )
        .await;
    assert_eq!(paid.status, 201, "{:?}", paid.body);
    let out = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{id}/check-out"),
            Some(json!({"invoice_to": {
                "company": "Acme GmbH", "address": "Hauptstraße 5\n10115 Berlin",
                "vat_id": "de 987654321"
            }})),
        )
        .await;
    assert_eq!(out.status, 200, "{:?}", out.body);
    let path = format!("/staff/bookings/{id}/invoice");
    let issued = app.send_as(&desk, Method::GET, &path, None).await;
    assert_eq!(issued.status, 200, "{:?}", issued.body);
    let invoice = &issued.body["invoice"];
    assert_eq!(
        invoice["supplier"],
        json!({"legal_name": "Seeblick Hotel GmbH", "address": "Seestraße 1\n82319 Starnberg",
               "tax_number": "143/123/45678", "vat_id": "DE123456789"})
    );
    assert_eq!(
        invoice["recipient"],
        "Acme GmbH\nHauptstraße 5\n10115 Berlin"
    );
    assert_eq!(invoice["recipient_vat_id"], "DE987654321");
    // The hotel renamed later: the invoice still names it as it was.
    app.send_as(
        &desk,
        Method::PUT,
        "/staff/hotel",
        Some(details("Seeblick Hotel AG")),
    )
    .await;
    let again = app.send_as(&desk, Method::GET, &path, None).await;
    assert_eq!(again.body["invoice"], issued.body["invoice"]);
}

#[tokio::test]
async fn an_incomplete_recipient_or_a_bad_vat_id_is_refused_and_nothing_issued() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let id = checked_in(&app, &desk, "ann", 1).await;
    let path = format!("/staff/bookings/{id}/invoice");
    for (to, says) in [
        (json!({"company": "Acme GmbH"}), "company's address"),
        (json!({"vat_id": "DE987654321"}), "give its name too"),
        (
            json!({"company": "Acme", "address": "Berlin", "vat_id": "12345"}),
            "like DE123456789",
        ),
    ] {
        let refused = app.send_as(&desk, Method::POST, &path, Some(to)).await;
        refused.assert(400, "code", "invalid_request");
        assert!(refused.error().contains(says), "{:?}", refused.body);
    }
    let none = app.send_as(&desk, Method::GET, &path, None).await;
    assert_eq!(none.status, 404, "{:?}", none.body);
    let mut bad = details("Seeblick Hotel GmbH");
    bad["vat_id"] = json!("123456789");
    app.send_as(&desk, Method::PUT, "/staff/hotel", Some(bad))
        .await
        .assert(400, "code", "invalid_request");
    // A private address typed at the desk, for a guest without one on their profile.
    let issued = app
        .send_as(
            &desk,
            Method::POST,
            &path,
            Some(json!({"address": "Ringstraße 3\n1010 Wien"})),
        )
        .await;
    assert_eq!(issued.status, 201, "{:?}", issued.body);
    assert_eq!(
        issued.body["invoice"]["recipient"],
        "ann\nRingstraße 3\n1010 Wien"
    );
    assert_eq!(
        issued.body["invoice"]["supplier"]["legal_name"],
        "Hotel Example"
    );
}
