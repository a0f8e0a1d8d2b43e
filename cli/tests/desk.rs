//! The desk's shift from the terminal: housekeeping, bills, no-shows and searches.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

#[test]
fn housekeeping_from_the_terminal() {
    let hotel = start_hotel();
    assert_eq!(hotel.hotel(&["--user", "desk", "register"], "").code, 0);
    grant_staff(&hotel, "desk");
    let staff = |args: &[&str]| {
        let mut all = vec!["--user", "desk", "staff"];
        all.extend_from_slice(args);
        hotel.hotel(&all, "")
    };
    let booked_id = |user: &str| {
        let booked = hotel.hotel(&["--user", user, "--json", "book", "1"], "");
        assert_eq!(booked.code, 0, "{}", booked.stderr);
        let body: serde_json::Value = serde_json::from_str(&booked.stdout).unwrap();
        body["bookings"][0]["id"].as_i64().unwrap().to_string()
    };
    let alice = booked_id("alice");
    assert_eq!(staff(&["checkin", &alice]).code, 0);
    assert_eq!(staff(&["checkout", &alice]).code, 0);

    let list = staff(&["housekeeping"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    let first_room = list.stdout.lines().nth(2).unwrap_or_default();
    assert!(
        first_room.trim_start().starts_with("1 ") && first_room.contains("Dirty"),
        "dirty rooms come first: {}",
        list.stdout
    );
    let cleaned = staff(&["housekeeping", "1", "clean"]);
    assert_eq!(
        cleaned.stdout.trim(),
        "Room 1 is clean.",
        "{}",
        cleaned.stderr
    );

    let bob = booked_id("bob");
    assert_eq!(staff(&["housekeeping", "1", "dirty"]).code, 0);
    let refused = staff(&["checkin", &bob]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("Room 1 has not been cleaned"),
        "{}",
        refused.stderr
    );
    let taken = staff(&["checkin", &bob, "--room-not-clean"]);
    assert_eq!(taken.code, 0, "{}", taken.stderr);
    let bad = staff(&["housekeeping", "1", "sparkling"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn a_clerk_bills_a_stay_from_the_terminal() {
    let hotel = start_hotel();
    assert_eq!(hotel.hotel(&["--user", "desk", "register"], "").code, 0);
    grant_staff(&hotel, "desk");
    let staff = |args: &[&str]| {
        let mut all = vec!["--user", "desk", "staff"];
        all.extend_from_slice(args);
        hotel.hotel(&all, "")
    };
    let booked = hotel.hotel(&["--user", "alice", "--json", "book", "1"], "");
    let body: serde_json::Value = serde_json::from_str(&booked.stdout).unwrap();
    let id = body["bookings"][0]["id"].as_i64().unwrap().to_string();
    assert_eq!(staff(&["checkin", &id]).code, 0);

    let charged = staff(&["charge", &id, "--extra", "breakfast", "--quantity", "2"]);
    assert_eq!(charged.code, 0, "{}", charged.stderr);
    assert!(charged.stdout.contains("Breakfast"), "{}", charged.stdout);
    assert!(charged.stdout.contains("EUR 30.00"), "{}", charged.stdout);
    let unknown = staff(&["charge", &id, "--extra", "caviar"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.contains("No extra named"),
        "{}",
        unknown.stderr
    );

    let refused = staff(&["checkout", &id]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("EUR 30.00 open"),
        "{}",
        refused.stderr
    );
    // Leaving on the arrival day releases the night: what is owed then is the breakfast.
    let paid = staff(&["pay", &id, "30", "--method", "cash"]);
    assert_eq!(paid.code, 0, "{}", paid.stderr);
    assert!(paid.stdout.contains("Payment, cash"), "{}", paid.stdout);
    let bad = staff(&["pay", &id, "lots"]);
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert_eq!(staff(&["checkout", &id]).code, 0);
    let invoice = staff(&["invoice", &id]);
    assert_eq!(invoice.code, 0, "{}", invoice.stderr);
    assert!(
        invoice.stdout.starts_with("Invoice ") && invoice.stdout.contains("-0001"),
        "{}",
        invoice.stdout
    );
    let bill = staff(&["bill", &id]);
    assert!(
        bill.stdout.contains("Left on the arrival day"),
        "{}",
        bill.stdout
    );
    assert!(bill.stdout.contains("Balance EUR 0.00"), "{}", bill.stdout);

    let carl = hotel.hotel(&["--user", "carl", "--json", "book", "1"], "");
    let body: serde_json::Value = serde_json::from_str(&carl.stdout).unwrap();
    let carl = body["bookings"][0]["id"].as_i64().unwrap().to_string();
    let noted = staff(&["no-show", &carl]);
    assert_eq!(noted.code, 0, "{}", noted.stderr);
    assert!(noted.stdout.contains("as a no-show"), "{}", noted.stdout);

    let found = staff(&["search", "--guest", "ALI"]);
    assert_eq!(found.code, 0, "{}", found.stderr);
    assert!(found.stdout.contains("alice"), "{}", found.stdout);
}

#[test]
fn a_clerk_sets_a_season_and_the_quote_shows_it_with_its_terms() {
    let hotel = start_hotel();
    assert_eq!(hotel.hotel(&["--user", "desk", "register"], "").code, 0);
    grant_staff(&hotel, "desk");
    let (from, to) = (in_days(10), in_days(12));
    let set = hotel.hotel(
        &[
            "--user",
            "desk",
            "staff",
            "rates",
            "set",
            "--type",
            "1",
            "--from",
            &from,
            "--to",
            &to,
            "--price",
            "120.00",
            "--min-stay",
            "2",
        ],
        "",
    );
    assert_eq!(set.code, 0, "{}", set.stderr);
    assert_eq!(set.stdout.trim(), "Set 2 nights.");

    let quote = hotel.hotel(&["quote", "--check-in", &from, "--check-out", &to], "");
    assert_eq!(quote.code, 0, "{}", quote.stderr);
    assert!(quote.stdout.contains("EUR 240.00"), "{}", quote.stdout);
    assert!(quote.stdout.contains("Flexible"), "{}", quote.stdout);
    assert!(
        quote.stdout.contains("Free cancellation until 18:00"),
        "{}",
        quote.stdout
    );
    let short = hotel.hotel(
        &[
            "--user",
            "ann",
            "book",
            "1",
            "--check-in",
            &from,
            "--nights",
            "1",
            "--type",
            "1",
        ],
        "",
    );
    assert_eq!(short.code, 1);
    assert!(
        short.stderr.contains("at least 2 nights"),
        "{}",
        short.stderr
    );

    let added = hotel.hotel(
        &[
            "--user",
            "desk",
            "staff",
            "rates",
            "add-plan",
            "--type",
            "1",
            "--name",
            "Saver",
            "--percent",
            "-10",
            "--non-refundable",
        ],
        "",
    );
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert!(added.stdout.contains("(Saver)"), "{}", added.stdout);
    let plans = hotel.hotel(&["--user", "desk", "staff", "rates", "plans"], "");
    assert!(plans.stdout.contains("-10 %"), "{}", plans.stdout);
    assert!(plans.stdout.contains("non-refundable"), "{}", plans.stdout);

    let shown = hotel.hotel(
        &[
            "--user", "desk", "staff", "rates", "show", "--from", &from, "--to", &to, "--type", "1",
        ],
        "",
    );
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(shown.stdout.contains("min 2 nights"), "{}", shown.stdout);
    // The saver plan follows the season: 120.00 less 10 %.
    assert!(shown.stdout.contains("EUR 108.00"), "{}", shown.stdout);
}

/// A JSON request over plain HTTP/1.1, for what the terminal client has no command for; the
/// answer's body.
fn http_json(url: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> String {
    use std::io::{Read, Write};
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{auth}Connection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default()
}

#[test]
fn a_clerk_exports_and_erases_a_guest_from_the_terminal() {
    let hotel = start_hotel();
    assert_eq!(hotel.hotel(&["--user", "desk", "register"], "").code, 0);
    grant_staff(&hotel, "desk");
    let login = http_json(
        &hotel.url,
        "POST",
        "/login",
        None,
        &format!(r#"{{"username":"desk","password":"{PASSWORD}"}}"#),
    );
    let login: serde_json::Value = serde_json::from_str(&login).unwrap();
    let token = login["token"].as_str().unwrap();
    let added = http_json(
        &hotel.url,
        "POST",
        "/staff/guests",
        Some(token),
        r#"{"full_name":"Greta Lindqvist","email":"greta@example.org"}"#,
    );
    let added: serde_json::Value = serde_json::from_str(&added).unwrap();
    let id = added["id"].as_i64().unwrap().to_string();
    let staff = |args: &[&str]| {
        let mut all = vec!["--user", "desk", "staff"];
        all.extend_from_slice(args);
        hotel.hotel(&all, "")
    };

    let exported = staff(&["guest-export", &id]);
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    let document: serde_json::Value = serde_json::from_str(&exported.stdout).unwrap();
    assert_eq!(document["profile"]["email"], "greta@example.org");

    let unconfirmed = staff(&["guest-erase", &id]);
    assert_eq!(unconfirmed.code, 2, "{}", unconfirmed.stderr);
    let erased = staff(&["guest-erase", &id, "--yes"]);
    assert_eq!(erased.code, 0, "{}", erased.stderr);
    assert!(erased.stdout.contains("Erased guest"), "{}", erased.stdout);
    let after = staff(&["guest-export", &id]);
    assert!(!after.stdout.contains("Greta"), "{}", after.stdout);
}
