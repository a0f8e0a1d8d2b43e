//! The `hotel` binary against a real server on a random port with a fresh database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

#[test]
fn interactive_session_replays_the_original_client() {
    let hotel = start_hotel();
    let script = format!("alice\n{PASSWORD}\nbook\n6\nquery\nrooms\nupdate\n8\ncheckout\nexit\n");
    let run = hotel.hotel(&[], &script);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let out = &run.stdout;
    assert!(out.contains("Username:"), "{out}");
    assert!(
        out.contains("Rooms booked successfully: [1, 2, 3, 4, 5, 6]"),
        "{out}"
    );
    assert!(
        out.contains("Your booked rooms: [1, 2, 3, 4, 5, 6]"),
        "{out}"
    );
    assert!(out.contains("4 of 10 rooms free"), "{out}");
    assert!(
        out.contains("Updated booking: released 1, assigned 8."),
        "{out}"
    );
    assert!(
        out.contains("Checked out successfully. Released rooms: [2, 3, 4, 5, 6, 8]"),
        "{out}"
    );
    assert!(out.contains("Goodbye."), "{out}");
    // The password never appears in the conversation's output.
    assert!(!out.contains(PASSWORD));

    let wrong = hotel.hotel(&[], "alice\nnot-the-password\nrooms\nexit\n");
    assert_ne!(wrong.code, 0);
    assert!(
        wrong.stdout.contains("Invalid password."),
        "{}",
        wrong.stdout
    );
    assert!(
        !wrong.stdout.contains("rooms free"),
        "it stopped at the password"
    );
}

#[test]
fn interactive_mode_reprompts_and_leaves_cleanly_at_end_of_input() {
    let hotel = start_hotel();
    let script = format!("bob\n{PASSWORD}\nbook\nabc\n-1\n2\ndance\nbookings\n");
    let run = hotel.hotel(&[], &script);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Enter a valid integer."));
    assert!(run.stdout.contains("Enter a positive integer."));
    assert!(run.stdout.contains("Rooms booked successfully: [1, 2]"));
    assert!(run.stdout.contains("Unknown action: dance."));
    assert!(run.stdout.contains("  Booking  Room  Check-in"));
    assert!(run.stdout.contains("Goodbye."));
}

#[test]
fn subcommands_print_sentences_or_the_servers_json() {
    let hotel = start_hotel();
    let u = ["--user", "carol"];
    let run = hotel.hotel(&[&u[..], &["book", "2", "--nights", "3"]].concat(), "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Rooms booked successfully: [1, 2]"));
    assert!(run.stdout.contains("3  booked"), "{}", run.stdout);

    let json = hotel.hotel(&[&u[..], &["--json", "query"]].concat(), "");
    assert_eq!(json.code, 0);
    let body: serde_json::Value = serde_json::from_str(json.stdout.trim()).unwrap();
    assert_eq!(body["message"], "Your booked rooms: [1, 2]");
    let first = body["bookings"][0]["id"].as_i64().unwrap();
    let check_in = body["bookings"][0]["check_in"]
        .as_str()
        .unwrap()
        .to_string();
    let check_out = body["bookings"][0]["check_out"]
        .as_str()
        .unwrap()
        .to_string();

    let rooms = hotel.hotel(&["rooms"], "");
    assert!(
        rooms.stdout.contains("8 of 10 rooms free"),
        "{}",
        rooms.stdout
    );
    let rooms_json = hotel.hotel(&["rooms", "--json"], "");
    let body: serde_json::Value = serde_json::from_str(rooms_json.stdout.trim()).unwrap();
    assert_eq!(
        body["rooms"][0],
        serde_json::json!({"room_number": 1, "is_occupied": true})
    );

    let avail = hotel.hotel(
        &[
            "availability",
            "--check-in",
            &check_in,
            "--check-out",
            &check_out,
        ],
        "",
    );
    assert_eq!(avail.code, 0, "{}", avail.stderr);
    assert!(
        avail.stdout.contains("8 rooms free for all 3 nights"),
        "{}",
        avail.stdout
    );
    let avail_json = hotel.hotel(
        &[
            "--json",
            "availability",
            "--check-in",
            &check_in,
            "--check-out",
            &check_out,
        ],
        "",
    );
    let body: serde_json::Value = serde_json::from_str(avail_json.stdout.trim()).unwrap();
    assert_eq!(body["rooms"], serde_json::json!([3, 4, 5, 6, 7, 8, 9, 10]));

    let moved = hotel.hotel(
        &[&u[..], &["update", "9", "--booking", &first.to_string()]].concat(),
        "",
    );
    assert_eq!(
        moved.stdout.trim(),
        "Updated booking: released 1, assigned 9."
    );
    let bookings = hotel.hotel(&[&u[..], &["bookings"]].concat(), "");
    assert!(
        bookings.stdout.contains("Your booked rooms: [2, 9]"),
        "{}",
        bookings.stdout
    );
    let out = hotel.hotel(&[&u[..], &["--json", "checkout"]].concat(), "");
    let body: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(
        body["message"],
        "Checked out successfully. Released rooms: [2, 9]"
    );
}

#[test]
fn refusals_exit_1_with_the_servers_message() {
    let hotel = start_hotel();
    let run = hotel.hotel(&["--user", "dora", "checkout"], "");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("User not found."), "{}", run.stderr);
    hotel.hotel(&["--user", "dora", "book", "1"], "");
    let wrong = hotel.hotel_env(
        &["--user", "dora", "query"],
        "",
        &[("HOTEL_PASSWORD", "wrong-password")],
    );
    assert_eq!(wrong.code, 1);
    assert!(wrong.stderr.contains("Invalid password."));
    let json = hotel.hotel_env(
        &["--user", "dora", "--json", "query"],
        "",
        &[("HOTEL_PASSWORD", "wrong-password")],
    );
    assert_eq!(json.code, 1);
    assert_eq!(
        json.stdout.trim(),
        r#"{"error":"Invalid password.","code":"wrong_password"}"#
    );
    let full = hotel.hotel(&["--user", "erin", "book", "11"], "");
    assert_eq!(full.code, 1);
    assert!(
        full.stderr.contains("Only 9 rooms are available"),
        "{}",
        full.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let hotel = start_hotel();
    for args in [
        &["book"][..],
        &["book", "two"],
        &["rooms", "--date", "tomorrow"],
        &["book", "1", "--nights", "2", "--check-out", "2030-01-01"],
        &["frobnicate"],
    ] {
        let run = hotel.hotel(args, "");
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    }
}

#[test]
fn unreachable_server_exits_3_and_says_how_to_start_one() {
    let hotel = start_hotel();
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let run = hotel.hotel(&["--server", &url, "rooms"], "");
    assert_eq!(run.code, 3);
    assert!(run.stderr.contains(&url), "{}", run.stderr);
    assert!(run.stderr.contains("hotel-server"), "{}", run.stderr);
    let interactive = hotel.hotel(&["--server", &url], "ann\npassword1\n");
    assert_eq!(interactive.code, 3);
}

#[test]
fn a_saved_login_is_reused_and_logout_ends_it() {
    let hotel = start_hotel();
    let reg = hotel.hotel(&["--user", "fred", "register"], "");
    assert_eq!(reg.code, 0, "{}", reg.stderr);
    assert!(reg.stdout.contains("Account created."));
    let login = hotel.hotel(&["--user", "fred", "login"], "");
    assert_eq!(login.code, 0, "{}", login.stderr);
    let saved = hotel.config_dir.path().join("session.json");
    assert!(saved.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&saved).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // No user, no password: the saved session does the talking.
    let none: [(&str, &str); 0] = [];
    let book = hotel.hotel_env(&["book", "1"], "", &none);
    assert_eq!(book.code, 0, "{}", book.stderr);
    assert!(book.stdout.contains("Rooms booked successfully: [1]"));
    let query = hotel.hotel_env(&["query"], "", &none);
    assert_eq!(query.stdout.trim(), "Your booked rooms: [1]");

    let out = hotel.hotel_env(&["logout"], "", &none);
    assert_eq!(out.code, 0);
    assert!(!saved.exists());
    // Now a password is needed again; from a pipe it is read as a line.
    let again = hotel.hotel_env(
        &["--user", "fred", "query"],
        &format!("{PASSWORD}\n"),
        &none,
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("Your booked rooms: [1]"));
}

#[test]
fn cancel_ends_an_upcoming_stay() {
    let hotel = start_hotel();
    let book = hotel.hotel(
        &[
            "--user",
            "gina",
            "--json",
            "book",
            "1",
            "--check-in",
            &in_days(3),
        ],
        "",
    );
    let body: serde_json::Value = serde_json::from_str(book.stdout.trim()).unwrap();
    let id = body["bookings"][0]["id"].as_i64().unwrap().to_string();
    let cancel = hotel.hotel(&["--user", "gina", "cancel", &id], "");
    assert_eq!(cancel.code, 0, "{}", cancel.stderr);
    assert!(cancel.stdout.contains(&format!("Cancelled booking {id}")));
    let again = hotel.hotel(&["--user", "gina", "cancel", &id], "");
    assert_eq!(again.code, 1);
}

#[test]
fn help_and_completions_are_complete() {
    let hotel = start_hotel();
    let help = hotel.hotel(&["--help"], "");
    assert_eq!(help.code, 0);
    for word in [
        "rooms",
        "availability",
        "book",
        "query",
        "bookings",
        "update",
        "cancel",
        "checkout",
        "register",
        "login",
        "logout",
        "completions",
        "quote",
        "staff",
        "--server",
        "--json",
        "Exit status",
    ] {
        assert!(help.stdout.contains(word), "help lacks {word}");
    }
    let book_help = hotel.hotel(&["book", "--help"], "");
    assert!(book_help.stdout.contains("--nights"));
    let completions = hotel.hotel(&["completions", "bash"], "");
    assert_eq!(completions.code, 0);
    assert!(completions.stdout.contains("complete"));
}

#[test]
fn staff_work_the_front_desk_from_the_terminal() {
    let hotel = start_hotel();
    assert_eq!(hotel.hotel(&["--user", "desk", "register"], "").code, 0);
    grant_staff(&hotel, "desk");
    let booked = hotel.hotel(&["--user", "alice", "book", "1", "--guests", "2"], "");
    assert_eq!(booked.code, 0, "{}", booked.stderr);
    assert!(booked.stdout.contains("Rooms booked successfully: [1]"));

    let quote = hotel.hotel(
        &[
            "quote",
            "--check-in",
            &in_days(2),
            "--check-out",
            &in_days(4),
            "--guests",
            "3",
        ],
        "",
    );
    assert_eq!(quote.code, 0, "{}", quote.stderr);
    assert!(quote.stdout.contains("Family"), "{}", quote.stdout);
    assert!(quote.stdout.contains("EUR 290.00"), "{}", quote.stdout);
    assert!(!quote.stdout.contains("Standard"), "{}", quote.stdout);

    let staff = |args: &[&str]| {
        let mut all = vec!["--user", "desk", "staff"];
        all.extend_from_slice(args);
        hotel.hotel(&all, "")
    };
    let arrivals = staff(&["arrivals"]);
    assert_eq!(arrivals.code, 0, "{}", arrivals.stderr);
    assert!(arrivals.stdout.contains("alice"), "{}", arrivals.stdout);
    let json = hotel.hotel(&["--user", "desk", "--json", "staff", "arrivals"], "");
    let desk: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let id = desk["arrivals"][0]["id"].as_i64().unwrap().to_string();

    let checkin = staff(&["checkin", &id]);
    assert_eq!(checkin.code, 0, "{}", checkin.stderr);
    assert!(
        checkin.stdout.starts_with("Checked in alice: room 1"),
        "{}",
        checkin.stdout
    );
    let moved = staff(&["move", &id, "5"]);
    assert!(
        moved
            .stdout
            .contains(&format!("Moved booking {id} from room 1 to room 5.")),
        "{}",
        moved.stdout
    );
    let rooms = staff(&["rooms"]);
    assert!(rooms.stdout.contains("Suite"), "{}", rooms.stdout);
    assert!(rooms.stdout.contains("EUR 95.00"), "{}", rooms.stdout);
    let report = staff(&["report", "--from", &in_days(-1), "--to", &in_days(3)]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert!(
        report.stdout.contains("room-nights sold"),
        "{}",
        report.stdout
    );
    let checkout = staff(&["checkout", &id]);
    assert!(
        checkout.stdout.contains("Checked out alice from room 5."),
        "{}",
        checkout.stdout
    );
    let departures = staff(&["departures"]);
    assert_eq!(departures.code, 0);

    // A guest is refused, with the server's reason and exit status 1.
    let guest = hotel.hotel(&["--user", "alice", "staff", "arrivals"], "");
    assert_eq!(guest.code, 1);
    assert!(
        guest.stderr.contains("This is for hotel staff only."),
        "{}",
        guest.stderr
    );
}
