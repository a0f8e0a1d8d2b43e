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
        (
            json!({"company": "Acme", "address": "Berlin", "vat_id": " "}),
            "must not be blank",
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

#[tokio::test]
async fn the_accountant_gets_every_invoice_line_with_its_rate_and_category() {
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
    .await;
    let id = checked_in(&app, &desk, "ann", 2).await;
    let stay = |what: &str| format!("/staff/bookings/{id}/{what}");
    let posted = app
        .send_as(
            &desk,
            Method::POST,
            &stay("charges"),
            Some(json!({"extra_id": breakfast, "quantity": 2})),
        )
        .await;
    assert_eq!(posted.status, 201, "{:?}", posted.body);
    let issued = app
        .send_as(
            &desk,
            Method::POST,
            &stay("invoice"),
            Some(json!({"company": "Acme, Inc.", "address": "1 Main St", "vat_id": "IE6388047V"})),
        )
        .await;
    assert_eq!(issued.status, 201, "{:?}", issued.body);
    let number = issued.body["invoice"]["number"]
        .as_str()
        .unwrap()
        .to_string();

    let path = format!(
        "/staff/invoices.csv?from={}&to={}",
        day_after(today, 0),
        day_after(today, 1)
    );
    let reply = app
        .client
        .get(app.url(&path))
        .bearer_auth(&desk)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let text = reply.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let pick = |row: &Vec<String>| {
        // description, quantity, category, rate, net, tax, gross
        row[6..13].to_vec()
    };
    assert_eq!(rows.len(), 3, "{text}");
    for row in &rows {
        assert_eq!(row[0], number);
        assert_eq!(row[3], "Acme, Inc.");
        assert_eq!(row[4], "IE6388047V");
        assert_eq!(row[13], "EUR");
    }
    assert_eq!(
        pick(&rows[0]),
        [
            "Room 1 (Standard), 2 nights × EUR 95.00",
            "2",
            "lodging",
            "7",
            "177.57",
            "12.43",
            "190.00"
        ]
    );
    assert_eq!(
        pick(&rows[1]),
        [
            "City tax, 1 guest × 2 nights",
            "2",
            "city_tax",
            "",
            "5.00",
            "0.00",
            "5.00"
        ]
    );
    assert_eq!(
        pick(&rows[2]),
        [
            "Breakfast",
            "2",
            "food_and_beverage",
            "19",
            "25.21",
            "4.79",
            "30.00"
        ]
    );
    // Nothing issued on other days; a bad range is refused.
    let later = format!(
        "/staff/invoices.csv?from={}&to={}",
        day_after(today, 1),
        day_after(today, 30)
    );
    let empty = app
        .client
        .get(app.url(&later))
        .bearer_auth(&desk)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(empty.lines().count(), 1, "{empty}");
    let backwards = format!(
        "/staff/invoices.csv?from={}&to={}",
        day_after(today, 1),
        day_after(today, 0)
    );
    app.send_as(&desk, Method::GET, &backwards, None)
        .await
        .assert(400, "code", "invalid_request");
}

#[tokio::test]
async fn a_cancellation_invoice_reverses_an_invoice_and_a_new_one_follows() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let lodging = app.add_tax_rate(&desk, "Lodging", 7).await;
    let id = checked_in(&app, &desk, "ann", 2).await;
    let stay = |what: &str| format!("/staff/bookings/{id}/{what}");
    let first = app
        .send_as(
            &desk,
            Method::POST,
            &stay("charges"),
            Some(
                json!({"description": "Late check-out", "unit_amount": 2_140,
                        "tax_rate_id": lodging}),
            ),
        )
        .await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    let original = app
        .send_as(&desk, Method::POST, &stay("invoice"), None)
        .await;
    assert_eq!(original.status, 201, "{:?}", original.body);
    let year = today.year();
    assert_eq!(original.body["invoice"]["number"], format!("{year}-0001"));
    assert_eq!(original.body["invoice"]["total"], json!(21_140));

    let cancelled = app
        .send_as(&desk, Method::POST, &stay("invoice/cancel"), None)
        .await;
    assert_eq!(cancelled.status, 201, "{:?}", cancelled.body);
    let storno = &cancelled.body;
    assert_eq!(storno["invoice"]["number"], format!("{year}-0002"));
    assert_eq!(storno["invoice"]["cancels"], format!("{year}-0001"));
    assert_eq!(storno["invoice"]["total"], json!(-21_140));
    let amounts: Vec<i64> = storno["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["amount"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, vec![-19_000, -2_140]);
    assert_eq!(storno["lines"][1]["net"], json!(-2_000));
    assert_eq!(storno["lines"][1]["tax"], json!(-140));
    assert_eq!(
        storno["totals_by_rate"],
        json!([{"tax_rate": 7.0, "tax_rate_name": "Lodging", "net": -2_000, "tax": -140,
                "gross": -2_140}])
    );
    assert!(
        app.audit_actions(&desk)
            .await
            .contains(&"invoice.cancel".to_string())
    );

    // No current invoice now: the bill takes charges, and the next invoice is a new one.
    let current = app
        .send_as(&desk, Method::GET, &stay("invoice"), None)
        .await;
    assert_eq!(current.status, 404, "{:?}", current.body);
    let again = app
        .send_as(
            &desk,
            Method::POST,
            &stay("charges"),
            Some(json!({"description": "Parking", "unit_amount": 1_200})),
        )
        .await;
    assert_eq!(again.status, 201, "{:?}", again.body);
    let renewed = app
        .send_as(&desk, Method::POST, &stay("invoice"), None)
        .await;
    assert_eq!(renewed.status, 201, "{:?}", renewed.body);
    assert_eq!(renewed.body["invoice"]["number"], format!("{year}-0003"));
    assert_eq!(renewed.body["invoice"]["total"], json!(22_340));

    // All three, as issued: the original unchanged but marked.
    let all = app
        .send_as(&desk, Method::GET, &stay("invoices"), None)
        .await;
    assert_eq!(all.status, 200, "{:?}", all.body);
    let listed = all.body["invoices"].as_array().cloned().unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0]["invoice"]["cancelled_by"], format!("{year}-0002"));
    assert_eq!(listed[0]["lines"], original.body["lines"]);
    assert_eq!(listed[1]["invoice"]["cancels"], format!("{year}-0001"));
    assert_eq!(listed[2]["invoice"]["number"], format!("{year}-0003"));
    let paged = app
        .send_as(
            &desk,
            Method::GET,
            &format!("{}?limit=2", stay("invoices")),
            None,
        )
        .await;
    assert_eq!(paged.body["invoices"].as_array().map(Vec::len), Some(2));
    assert!(paged.body["next_cursor"].is_string(), "{:?}", paged.body);

    // The accountant's export has the reversal as negative rows.
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
    let storno_rows: Vec<&str> = csv
        .lines()
        .filter(|l| l.starts_with(&format!("{year}-0002")))
        .collect();
    assert_eq!(storno_rows.len(), 2, "{csv}");
    assert!(storno_rows[1].ends_with("-20.00,-1.40,-21.40,EUR"), "{csv}");

    // Nothing current to cancel once it is cancelled again.
    let second = app
        .send_as(&desk, Method::POST, &stay("invoice/cancel"), None)
        .await;
    assert_eq!(second.status, 201, "{:?}", second.body);
    app.send_as(&desk, Method::POST, &stay("invoice/cancel"), None)
        .await
        .assert(404, "code", "not_found");
}

/// A PDF's text as `pdftotext -layout` reads it.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils), which cargo xtask installs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn the_desk_prints_each_invoice_as_a_pdf_in_the_language_asked() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    app.send_as(
        &desk,
        Method::PUT,
        "/staff/hotel",
        Some(details("Seeblick Hotel GmbH")),
    )
    .await
    .assert_status(200);
    app.send_as(
        &desk,
        Method::PUT,
        "/staff/city-tax",
        Some(json!({"kind": "per_person_night", "amount": 250})),
    )
    .await
    .assert_status(200);
    let id = checked_in(&app, &desk, "ann", 1).await;
    let stay = |what: &str| format!("/staff/bookings/{id}/{what}");
    let pdf = |query: &str| {
        let url = app.url(&format!("/staff/bookings/{id}/invoice.pdf{query}"));
        let (client, desk) = (&app.client, &desk);
        async move {
            let reply = client.get(url).bearer_auth(desk).send().await.unwrap();
            let status = reply.status().as_u16();
            let kind = reply
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap_or_default().to_string());
            (status, kind, reply.bytes().await.unwrap().to_vec())
        }
    };
    let (status, _, _) = pdf("").await;
    assert_eq!(status, 404, "no invoice yet");
    app.send_as(
        &desk,
        Method::POST,
        &stay("invoice"),
        Some(
            json!({"company": "Acme GmbH", "address": "Hauptstraße 5\n10115 Berlin",
                    "vat_id": "DE987654321"}),
        ),
    )
    .await
    .assert_status(201);
    let (status, kind, bytes) = pdf("?language=de").await;
    assert_eq!(status, 200);
    assert_eq!(kind.as_deref(), Some("application/pdf"));
    let text = pdf_text(&bytes);
    for field in [
        "Rechnung",
        "Seeblick Hotel GmbH",
        "Seestraße 1",
        "Steuernummer",
        "143/123/45678",
        "USt-IdNr.",
        "DE123456789",
        "Acme GmbH",
        "DE987654321",
        "Rechnungsdatum",
        "Gesamtbetrag",
        // The room night in German too, though the bill writes it in English.
        "1 Nacht × 95,00 €",
        "City-Tax, 1 Gast × 1 Nacht",
    ] {
        assert!(text.contains(field), "{field} missing from:\n{text}");
    }
    // Nothing of the desk's screen: no buttons, no menu.
    for desk_word in ["Correct this invoice", "Check out", "Front desk", "Record"] {
        assert!(!text.contains(desk_word), "{desk_word} in:\n{text}");
    }
    let number = pdf_text(&bytes)
        .split_whitespace()
        .find(|w| w.len() == 9 && w.as_bytes()[4] == b'-')
        .unwrap()
        .to_string();
    // Corrected: the cancellation invoice prints by its number, in the guest's English.
    let cancelled = app
        .send_as(&desk, Method::POST, &stay("invoice/cancel"), None)
        .await;
    assert_eq!(cancelled.status, 201, "{:?}", cancelled.body);
    let storno = cancelled.body["invoice"]["number"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _, bytes) = pdf(&format!("?number={storno}")).await;
    assert_eq!(status, 200);
    let text = pdf_text(&bytes);
    assert!(text.contains("Cancellation invoice"), "{text}");
    assert!(text.contains("1 night × €95.00"), "{text}");
    assert!(text.contains("City tax, 1 guest × 1 night"), "{text}");
    assert!(
        text.contains(&number),
        "names the invoice it cancels: {text}"
    );
    let (status, _, _) = pdf(&format!("?number={number}")).await;
    assert_eq!(status, 200, "a cancelled invoice still prints");
    for (query, code) in [
        ("?number=2026-x", 400),
        ("?language=fr", 400),
        ("?number=1999-0001", 404),
    ] {
        let (status, _, body) = pdf(query).await;
        assert_eq!(status, code, "{query}: {}", String::from_utf8_lossy(&body));
    }
}
