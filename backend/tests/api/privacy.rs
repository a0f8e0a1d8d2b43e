//! Guests' personal data: exported whole, erased on request (but for what the law keeps), and
//! identity document numbers forgotten once they are no longer needed.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

const NAME: &str = "Zacharias Quellenberg";
const EMAIL: &str = "zq.guest@example.org";
const PHONE: &str = "+43 660 917 3342";
const ID_NUMBER: &str = "P7731904QX";

/// A walk-in for a new guest with every detail the desk keeps; the booking's and the
/// profile's ids.
async fn walk_in(app: &TestApp, desk: &str, name: &str, email: &str, now: bool) -> (i64, i64) {
    let today = app.today().await;
    let (from, to) = if now {
        (day_after(today, 0), day_after(today, 1))
    } else {
        (day_after(today, 20), day_after(today, 22))
    };
    let booked = app
        .send_as(
            desk,
            Method::POST,
            "/staff/bookings",
            Some(json!({
                "new_guest": {"full_name": name, "email": email,
                              "phone": if name == NAME { PHONE } else { "+43 1 555 0100" },
                              "address": if name == NAME { "Quellenweg 12, 6020 Innsbruck" } else { "Hauptplatz 1, 8010 Graz" },
                              "id_document_type": "Passport",
                              "id_document_number": if name == NAME { ID_NUMBER } else { "B1234567" },
                              "notes": format!("{name} likes a quiet room"),
                              "allow_duplicate": true},
                "check_in": from, "check_out": to, "check_in_now": now,
            })),
        )
        .await;
    assert_eq!(booked.status, 201, "{:?}", booked.body);
    let booking = booked.body["bookings"][0]["id"].as_i64().unwrap();
    let found = app
        .send_as(
            desk,
            Method::GET,
            &format!("/staff/guests?q={}", email.replace('@', "%40")),
            None,
        )
        .await;
    let profile = found.body["guests"][0]["id"].as_i64().unwrap();
    (booking, profile)
}

async fn post(app: &TestApp, desk: &str, id: i64, what: &str, body: Option<Value>) -> Reply {
    app.send_as(
        desk,
        Method::POST,
        &format!("/staff/bookings/{id}/{what}"),
        body,
    )
    .await
}

/// Every byte the database keeps on disk: the file and its write-ahead log (SQLite), or the
/// text of every table that may hold a guest (PostgreSQL, whose files are its own).
async fn stored_text(app: &TestApp) -> String {
    if on_postgres() {
        let mut all = String::new();
        for table in [
            "guest_profiles",
            "users",
            "audit_log",
            "postings",
            "invoices",
            "bookings",
            "sessions",
            "login_failures",
        ] {
            for (a, b) in app
                .db
                .rows(&format!("SELECT '{table}', t::text FROM {table} t"))
                .await
            {
                all.push_str(&a);
                all.push_str(&b);
                all.push('\n');
            }
        }
        return all;
    }
    let path = app.db.url.trim_start_matches("sqlite://").to_string();
    let mut bytes = std::fs::read(&path).expect("database file");
    if let Ok(wal) = std::fs::read(format!("{path}-wal")) {
        bytes.extend(wal);
    }
    String::from_utf8_lossy(&bytes).to_lowercase()
}

#[tokio::test]
async fn exporting_a_guest_gives_their_stays_bills_and_audit_entries_and_is_audited() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let (booking, profile) = walk_in(&app, &desk, NAME, EMAIL, true).await;
    let breakfast = post(
        &app,
        &desk,
        booking,
        "charges",
        Some(json!({"description": "Breakfast", "unit_amount": 1500})),
    )
    .await;
    assert_eq!(breakfast.status, 201, "{:?}", breakfast.body);

    let reply = app
        .client
        .get(app.url(&format!("/staff/guests/{profile}/export")))
        .bearer_auth(&desk)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(
        reply.headers()["content-disposition"],
        format!("attachment; filename=\"guest-{profile}.json\"").as_str()
    );
    let export: hotel_shared::privacy::GuestExport = reply.json().await.unwrap();
    let p = export.profile.expect("profile");
    assert_eq!((p.full_name.as_str(), p.email.as_str()), (NAME, EMAIL));
    assert_eq!(p.id_document_number, ID_NUMBER);
    assert_eq!(export.bookings.len(), 1);
    assert_eq!(export.bills.len(), 1);
    assert!(
        export.bills[0]
            .lines
            .iter()
            .any(|l| l.description == "Breakfast")
    );
    assert!(!export.account.has_password);
    let actions: Vec<&str> = export.audit.iter().map(|e| e.action.as_str()).collect();
    for wanted in [
        "user.create",
        "guest.create",
        "booking.create",
        "booking.check_in",
    ] {
        assert!(actions.contains(&wanted), "{wanted} missing: {actions:?}");
    }
    // The audit log keeps who looked, and never the identity document's number.
    assert_eq!(
        app.audit_actions(&desk).await.last().map(String::as_str),
        Some("guest.export")
    );
    assert!(
        export.audit.iter().all(|e| {
            !e.after.as_deref().unwrap_or("").contains(ID_NUMBER)
                && !e.before.as_deref().unwrap_or("").contains(ID_NUMBER)
        }),
        "the number is in the audit log"
    );

    // Not for guests; a guest has their own.
    let guest = app.register("otto", PASSWORD).await;
    assert_eq!(guest.status, 201, "{:?}", guest.body);
    let token = app.login("otto").await;
    app.send_as(
        &token,
        Method::GET,
        &format!("/staff/guests/{profile}/export"),
        None,
    )
    .await
    .assert(403, "code", "staff_only");
    app.book_dates(
        "otto",
        1,
        &day_after(app.today().await, 3),
        &day_after(app.today().await, 4),
    )
    .await;
    let mine = app.send_as(&token, Method::GET, "/me/export", None).await;
    assert_eq!(mine.status, 200, "{:?}", mine.body);
    let mine: hotel_shared::privacy::GuestExport = mine.parsed();
    assert_eq!(mine.account.username, "otto");
    assert!(mine.account.has_password);
    assert_eq!(mine.bookings.len(), 1);
    assert!(!serde_json::to_string(&mine).unwrap().contains(NAME));
}

#[tokio::test]
async fn an_erased_guest_leaves_no_trace_of_their_name_or_email_in_the_stored_data() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let (booking, profile) = walk_in(&app, &desk, NAME, EMAIL, false).await;
    walk_in(&app, &desk, "Berta Kogler", "berta@example.org", false).await;
    let cancelled = post(&app, &desk, booking, "cancel", None).await;
    assert_eq!(cancelled.status, 200, "{:?}", cancelled.body);
    let before = stored_text(&app).await.to_lowercase();
    assert!(
        before.contains("quellenberg") && before.contains(EMAIL),
        "not stored to begin with"
    );

    let erased = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/guests/{profile}/erase"),
            None,
        )
        .await;
    assert_eq!(erased.status, 200, "{:?}", erased.body);
    assert_eq!(erased.body["invoices_kept"], json!([]));
    assert_eq!(
        erased.body["guest"]["full_name"],
        json!(format!("Erased guest {profile}"))
    );

    let after = stored_text(&app).await.to_lowercase();
    for trace in [
        "quellenberg",
        "zacharias",
        EMAIL,
        "660 917 3342",
        &ID_NUMBER.to_lowercase(),
        "quellenweg",
    ] {
        assert!(!after.contains(trace), "{trace} is still stored");
    }
    // Someone else's data is untouched, and so are the stay's dates and amounts.
    assert!(
        after.contains("berta kogler"),
        "another guest was erased too"
    );
    let stay = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/bookings/{booking}/bill"),
            None,
        )
        .await;
    assert_eq!(stay.status, 200, "{:?}", stay.body);
    assert_eq!(stay.body["booking"]["status"], json!("cancelled"));
    assert_eq!(
        stay.body["booking"]["check_in"],
        json!(day_after(app.today().await, 20))
    );
    // The erasure is audited without the erased data.
    let log = app
        .send_as(&desk, Method::GET, "/staff/audit?action=guest.erase", None)
        .await;
    let entry = &log.body["entries"][0];
    assert_eq!(entry["entity_id"], json!(profile.to_string()));
    assert!(!entry.to_string().to_lowercase().contains("quellenberg"));
}

#[tokio::test]
async fn an_erased_guests_invoice_keeps_their_name_and_the_bill_still_adds_up() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let (booking, profile) = walk_in(&app, &desk, NAME, EMAIL, true).await;
    post(
        &app,
        &desk,
        booking,
        "charges",
        Some(json!({"description": "Breakfast", "unit_amount": 1500})),
    )
    .await;
    // In house, the guest cannot be erased.
    let erase = format!("/staff/guests/{profile}/erase");
    app.send_as(&desk, Method::POST, &erase, None)
        .await
        .assert(409, "code", "guest_in_house");
    // Leaving owing money: refused until settled.
    let out = post(
        &app,
        &desk,
        booking,
        "check-out",
        Some(json!({"leave_balance_open": true})),
    )
    .await;
    assert_eq!(out.status, 200, "{:?}", out.body);
    let owing = app.send_as(&desk, Method::POST, &erase, None).await;
    owing.assert(409, "code", "balance_open");
    assert!(owing.error().contains("EUR 15.00"), "{:?}", owing.body);
    let paid = post(
        &app,
        &desk,
        booking,
        "payments",
        Some(json!({"method": "card", "amount": 1500})),
    )
    .await;
    assert_eq!(paid.status, 201, "{:?}", paid.body);
    let bill_before: Value = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/bookings/{booking}/bill"),
            None,
        )
        .await
        .body;
    let number = bill_before["invoice"]["number"]
        .as_str()
        .unwrap()
        .to_string();

    let erased = app.send_as(&desk, Method::POST, &erase, None).await;
    assert_eq!(erased.status, 200, "{:?}", erased.body);
    assert_eq!(erased.body["invoices_kept"], json!([number]));
    assert!(
        erased.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains(&number),
        "{:?}",
        erased.body
    );

    let bill = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/bookings/{booking}/bill"),
            None,
        )
        .await
        .body;
    for field in ["charges", "paid", "balance"] {
        assert_eq!(bill[field], bill_before[field], "{field}");
    }
    assert_eq!(bill["balance"], json!(0));
    let recipient = bill["invoice"]["recipient"].as_str().unwrap_or_default();
    assert!(
        recipient.starts_with(NAME) && recipient.contains("Innsbruck"),
        "{recipient}"
    );
    // The name lives on the invoice and nowhere else.
    let stored = stored_text(&app).await.to_lowercase();
    let everywhere = stored.matches("quellenberg").count();
    let on_invoices: usize = app
        .db
        .rows("SELECT 'r', COALESCE(recipient, '') FROM invoices")
        .await
        .iter()
        .map(|(_, r)| r.to_lowercase().matches("quellenberg").count())
        .sum();
    assert_eq!(on_invoices, 1);
    assert_eq!(
        everywhere, on_invoices,
        "the name is stored beside the invoice"
    );
    let profile_now = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/guests/{profile}"),
            None,
        )
        .await
        .body;
    assert_eq!(profile_now["guest"]["email"], json!(""));
    assert_eq!(profile_now["stays"][0]["id"], json!(booking));
}

#[tokio::test]
async fn a_guest_with_a_stay_to_come_is_not_erased() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let (_, profile) = walk_in(&app, &desk, NAME, EMAIL, false).await;
    app.send_as(
        &desk,
        Method::POST,
        &format!("/staff/guests/{profile}/erase"),
        None,
    )
    .await
    .assert(409, "code", "guest_has_stays_ahead");
    let still = app
        .send_as(
            &desk,
            Method::GET,
            &format!("/staff/guests/{profile}"),
            None,
        )
        .await;
    assert_eq!(still.body["guest"]["full_name"], json!(NAME));
}

#[tokio::test]
async fn identity_document_numbers_are_cleared_once_the_last_stay_is_long_over() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let (booking, profile) = walk_in(&app, &desk, NAME, EMAIL, false).await;
    let (_, recent) = walk_in(&app, &desk, "Berta Kogler", "berta@example.org", false).await;
    // Ann's stay ended 120 days ago (on paper); Berta's is still to come.
    let today = app.today().await;
    for sql in [
        format!("DELETE FROM room_nights WHERE booking_id = {booking}"),
        format!(
            "UPDATE bookings SET status = 'checked_out', check_in = '{}', check_out = '{}' WHERE id = {booking}",
            day_after(today, -122),
            day_after(today, -120)
        ),
        "UPDATE guest_profiles SET created_at = '2020-01-01T00:00:00Z'".to_string(),
    ] {
        app.db.try_execute(&sql).await.expect("time passes");
    }
    // The hourly upkeep runs at start: a restart does it now.
    let db = app.stop().await;
    let app = spawn_app_on(db, |_| {}).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let g = app
            .send_as(
                &desk,
                Method::GET,
                &format!("/staff/guests/{profile}"),
                None,
            )
            .await;
        if g.body["guest"]["id_document_number"] == json!("") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{:?}", g.body);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let kept = app
        .send_as(&desk, Method::GET, &format!("/staff/guests/{recent}"), None)
        .await;
    assert_eq!(kept.body["guest"]["id_document_number"], json!("B1234567"));
    let log = app
        .send_as(
            &desk,
            Method::GET,
            "/staff/audit?action=guest.id_document_forgotten",
            None,
        )
        .await;
    assert_eq!(
        log.body["entries"].as_array().map(Vec::len),
        Some(1),
        "{:?}",
        log.body
    );
    assert_eq!(
        log.body["entries"][0]["entity_id"],
        json!(profile.to_string())
    );
}

#[tokio::test]
async fn an_erased_guest_can_no_longer_sign_in_nor_use_a_session() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let registered = app
        .send(
            Method::POST,
            "/register",
            Some(
                json!({"username": "nora", "password": PASSWORD, "name": "Nora Vidal",
                        "email": "nora@example.org"}),
            ),
        )
        .await;
    assert_eq!(registered.status, 201, "{:?}", registered.body);
    let token = app.login("nora").await;
    let found = app
        .send_as(&desk, Method::GET, "/staff/guests?q=vidal", None)
        .await;
    let profile = found.body["guests"][0]["id"].as_i64().unwrap();
    let erased = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/guests/{profile}/erase"),
            None,
        )
        .await;
    assert_eq!(erased.status, 200, "{:?}", erased.body);

    app.send_as(&token, Method::GET, "/me", None)
        .await
        .assert(401, "code", "session_expired");
    let again = app
        .send(
            Method::POST,
            "/login",
            Some(json!({"username": "nora", "password": PASSWORD})),
        )
        .await;
    assert_eq!(again.status, 401, "{:?}", again.body);
}
