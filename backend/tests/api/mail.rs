//! The hotel's mail to its guests, sent to a real mail server on 127.0.0.1: one confirmation
//! per booking with its figures and calendar entry, in the guest's language; nothing for a
//! booking that rolled back; nothing lost or sent twice while the mail server is down, across a
//! `kill -9`, or with two instances; what the desk sees and sends again.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(30);

/// A signed-up guest with an address and a language, signed in: the token.
async fn guest_with_mail(app: &TestApp, user: &str, email: &str, language: &str) -> String {
    let reply = app
        .send(
            Method::POST,
            "/register",
            Some(
                json!({"username": user, "password": PASSWORD, "name": format!("{user} Example"),
                        "email": email, "language": language}),
            ),
        )
        .await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    app.login(user).await
}

/// Books a Standard room from `from` days ahead for `nights`: the answer.
async fn book(app: &TestApp, token: &str, from: i64, nights: i64) -> Reply {
    let today = app.today().await;
    app.send_as(
        token,
        Method::POST,
        "/book",
        Some(json!({"num_rooms": 1, "check_in": day_after(today, from),
                    "check_out": day_after(today, from + nights), "room_type_id": 1})),
    )
    .await
}

fn reference(booked: &Reply) -> String {
    booked.body["bookings"][0]["reference"]
        .as_str()
        .expect("a reference")
        .to_string()
}

/// The desk's list of messages, narrowed by `query`.
async fn messages(app: &TestApp, desk: &str, query: &str) -> Vec<Value> {
    let reply = app
        .send_as(desk, Method::GET, &format!("/staff/messages{query}"), None)
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    // Every sign-up with an address is also mailed a link to confirm it (tests of their own).
    reply.body["messages"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|m| m["kind"] != "email_verification")
        .collect()
}

/// Waits until the desk sees `n` messages that stand as `status`.
async fn wait_for_status(app: &TestApp, desk: &str, status: &str, n: usize) -> Vec<Value> {
    let started = std::time::Instant::now();
    loop {
        let found = messages(app, desk, &format!("?status={status}")).await;
        if found.len() >= n || started.elapsed() > WAIT {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_booking_sends_one_confirmation_with_its_figures_and_calendar_entry() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let ann = guest_with_mail(&app, "ann", "ann@example.org", "en").await;
    let booked = book(&app, &ann, 3, 2).await;
    assert_eq!(booked.status, 200, "{:?}", booked.body);
    let reference = reference(&booked);
    let check_in = booked.body["bookings"][0]["check_in"]
        .as_str()
        .unwrap()
        .to_string();
    let check_out = booked.body["bookings"][0]["check_out"]
        .as_str()
        .unwrap()
        .to_string();

    let mail = sink.wait_for(1, WAIT).await;
    assert_eq!(mail.len(), 1, "one confirmation");
    let m = &mail[0];
    assert_eq!(m.rcpt_tos, vec!["ann@example.org".to_string()]);
    assert_eq!(m.mail_from, "desk@hotel.test");
    assert!(m.to.contains("ann Example"), "{}", m.to);
    assert!(m.subject.contains(&reference), "{}", m.subject);
    for words in [
        "Dear ann Example",
        &format!("Booking reference: {reference}"),
        "Room 1 · Standard · 1 guest",
        "€95.00",
        "Total: €190.00",
        "Free cancellation until",
        "https://hotel.test/my-bookings",
    ] {
        assert!(
            m.text.contains(words),
            "{words:?} missing from:\n{}",
            m.text
        );
    }
    for words in [
        "Dear ann Example",
        reference.as_str(),
        "Room 1 · Standard · 1 guest",
        "€95.00",
        "€190.00",
        "Free cancellation until",
        "<a href=\"https://hotel.test/my-bookings\">",
    ] {
        assert!(
            m.html.contains(words),
            "{words:?} missing from:\n{}",
            m.html
        );
    }
    assert_eq!(m.attachments.len(), 1, "{:?}", m.attachments);
    assert_eq!(
        m.attachments[0].filename,
        format!("booking-{reference}.ics")
    );
    assert_eq!(m.attachments[0].content_type, "text/calendar");
    assert!(m.attachments[0].size > 100);
    assert_eq!(m.from, "Hotel Test <desk@hotel.test>");
    assert!(!m.header_names.iter().any(|h| h.eq_ignore_ascii_case("bcc")));
    assert!(
        m.raw.contains(&format!("Message-ID: {}", m.message_id)),
        "{}",
        m.raw
    );
    let entry = &m.calendar[0];
    assert_eq!(entry.uid, format!("booking-{reference}@hotel.test"));
    assert_eq!(
        (entry.start.as_str(), entry.end.as_str()),
        (check_in.as_str(), check_out.as_str())
    );
    assert_eq!(entry.status, "CONFIRMED");
    assert_eq!(entry.method, "PUBLISH");

    // The desk sees it sent; nothing else follows.
    let desk = app.staff("desk").await;
    let sent = wait_for_status(&app, &desk, "sent", 1).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["kind"], json!("confirmation"));
    assert_eq!(sent[0]["reference"], json!(reference));
    assert_eq!(sent[0]["to"], json!("ann@example.org"));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sink.received().len(), 1, "exactly one message");
}

#[tokio::test]
async fn a_german_guest_gets_german() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let desk = app.staff("desk").await;
    let city_tax = app
        .send_as(
            &desk,
            Method::PUT,
            "/staff/city-tax",
            Some(json!({"kind": "per_person_night", "amount": 300})),
        )
        .await;
    assert_eq!(city_tax.status, 200, "{:?}", city_tax.body);
    let jan = guest_with_mail(&app, "jan", "jan@example.de", "de").await;
    let booked = book(&app, &jan, 3, 2).await;
    let reference = reference(&booked);
    let mail = sink.wait_for(1, WAIT).await;
    let m = &mail[0];
    assert_eq!(
        m.subject,
        format!("Ihre Buchung {reference} – Hotel Example")
    );
    for words in [
        "Guten Tag jan Example",
        "Buchungsnummer",
        "Zimmer 1",
        "95,00 €",
        "Gesamt: 190,00 €",
        "Preise: inkl. MwSt.; zzgl. City-Tax 6,00 €, zahlbar im Hotel",
        "Hausordnung: No smoking in the rooms.",
        "Kostenlose Stornierung bis",
    ] {
        assert!(
            m.text.contains(words),
            "{words:?} missing from:\n{}",
            m.text
        );
    }
    assert!(
        m.calendar[0].summary.starts_with("Aufenthalt"),
        "{:?}",
        m.calendar
    );
}

#[tokio::test]
async fn bookings_made_while_the_mail_server_is_down_all_go_once_it_is_back() {
    let Some(mut sink) = SmtpSink::start() else {
        return;
    };
    sink.stop();
    let app = spawn_app_with(|c| {
        sink.configure(c);
        without_limits(c);
        c.rooms = 50;
    })
    .await;
    let desk = app.staff("desk").await;
    let mut references = Vec::new();
    for i in 0..50 {
        let token =
            guest_with_mail(&app, &format!("g{i}"), &format!("g{i}@example.org"), "en").await;
        let booked = book(&app, &token, 1 + i % 5, 1).await;
        assert_eq!(
            booked.status, 200,
            "booking {i} failed while the mail server was down"
        );
        references.push(reference(&booked));
    }
    // Every confirmation waits, with the reason it has not gone.
    let started = std::time::Instant::now();
    loop {
        let tried = messages(&app, &desk, "?status=queued&limit=100").await;
        // A try is counted when the worker takes the message and its error written when the
        // send has failed: a message is done failing once both are there.
        let failed_once = tried
            .iter()
            .filter(|m| m["attempts"].as_u64() >= Some(1) && m["last_error"].is_string())
            .count();
        if failed_once == 50 {
            break;
        }
        assert!(started.elapsed() < WAIT, "{tried:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(sink.received().is_empty());

    sink.start_again();
    let mail = sink.wait_for(50, WAIT).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mail_now = sink.received();
    assert_eq!(mail.len(), 50);
    assert_eq!(mail_now.len(), 50, "none twice");
    let mut got: Vec<String> = mail_now
        .iter()
        .map(|m| {
            references
                .iter()
                .find(|r| m.subject.contains(r.as_str()))
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    got.sort();
    references.sort();
    assert_eq!(got, references, "each booking's confirmation once");
}

#[tokio::test]
async fn a_refused_recipient_fails_without_holding_up_the_others() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let desk = app.staff("desk").await;
    let gone = guest_with_mail(&app, "gone", "refuse.me@example.org", "en").await;
    let ann = guest_with_mail(&app, "ann", "ann@example.org", "en").await;
    assert_eq!(book(&app, &gone, 2, 1).await.status, 200);
    assert_eq!(book(&app, &ann, 2, 1).await.status, 200);
    let mail = sink.wait_for(1, WAIT).await;
    assert_eq!(mail[0].rcpt_tos, vec!["ann@example.org".to_string()]);
    let failed = wait_for_status(&app, &desk, "failed", 1).await;
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["to"], json!("refuse.me@example.org"));
    let reply = failed[0]["last_error"].as_str().unwrap_or_default();
    assert!(
        reply.contains("550") || reply.contains("No such mailbox"),
        "{reply}"
    );
}

#[tokio::test]
async fn a_booking_that_loses_its_race_sends_nothing() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| {
        sink.configure(c);
        c.rooms = 1;
    })
    .await;
    let ann = guest_with_mail(&app, "ann", "ann@example.org", "en").await;
    let bob = guest_with_mail(&app, "bob", "bob@example.org", "en").await;
    let (a, b) = tokio::join!(book(&app, &ann, 4, 2), book(&app, &bob, 4, 2));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{:?} {:?}", a.body, b.body);
    let winner = if a.status == 200 {
        "ann@example.org"
    } else {
        "bob@example.org"
    };
    sink.wait_for(1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mail = sink.received();
    assert_eq!(mail.len(), 1, "only the booking that was made");
    assert_eq!(mail[0].rcpt_tos, vec![winner.to_string()]);
}

#[tokio::test]
async fn line_breaks_in_a_name_never_reach_the_mail_server() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let refused = app
        .send(
            Method::POST,
            "/register",
            Some(json!({"username": "mallory", "password": PASSWORD,
                        "name": "Mal\r\nBcc: victim@example.net", "email": "mal@example.org"})),
        )
        .await;
    assert_eq!(refused.status, 400, "{:?}", refused.body);
    let desk = app.staff("desk").await;
    let walk_in = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/bookings",
            Some(
                json!({"new_guest": {"full_name": "Eve\nBcc: victim@example.net",
                                      "email": "eve@example.org"},
                        "check_in": day_after(app.today().await, 1),
                        "check_out": day_after(app.today().await, 2)}),
            ),
        )
        .await;
    assert_eq!(walk_in.status, 400, "{:?}", walk_in.body);
    let injected_address = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/bookings",
            Some(json!({"new_guest": {"full_name": "Eve", "email": "eve@example.org>\r\nBcc: victim@example.net"},
                        "check_in": day_after(app.today().await, 1),
                        "check_out": day_after(app.today().await, 2)})),
        )
        .await;
    assert_eq!(injected_address.status, 400, "{:?}", injected_address.body);
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert!(sink.received().is_empty());
}

#[tokio::test]
async fn the_desk_reads_a_message_and_sends_it_again() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let desk = app.staff("desk").await;
    let ann = guest_with_mail(&app, "ann", "ann@example.org", "en").await;
    let reference = reference(&book(&app, &ann, 2, 1).await);
    sink.wait_for(1, WAIT).await;
    let listed = wait_for_status(&app, &desk, "sent", 1).await;
    let id = listed[0]["id"].as_i64().unwrap();
    assert_eq!(
        messages(&app, &desk, &format!("?reference={reference}"))
            .await
            .len(),
        1
    );
    assert!(
        messages(&app, &desk, "?reference=ZZZZZZZZ")
            .await
            .is_empty()
    );

    let read = app
        .send_as(&desk, Method::GET, &format!("/staff/messages/{id}"), None)
        .await;
    assert_eq!(read.status, 200, "{:?}", read.body);
    assert!(read.body["text"].as_str().unwrap().contains(&reference));
    assert!(read.body["html"].as_str().unwrap().contains("<table"));
    assert_eq!(
        read.body["attachment"],
        json!(format!("booking-{reference}.ics"))
    );

    let again = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/messages/{id}/send-again"),
            None,
        )
        .await;
    assert_eq!(again.status, 200, "{:?}", again.body);
    let mail = sink.wait_for(2, WAIT).await;
    assert_eq!(mail.len(), 2);
    assert_eq!(
        mail[0].message_id, mail[1].message_id,
        "the same message, again"
    );
    assert!(
        app.audit_actions(&desk)
            .await
            .contains(&"message.send_again".to_string())
    );

    // Guests see none of it; a message that does not exist is a 404.
    let guest_try = app
        .send_as(&ann, Method::GET, "/staff/messages", None)
        .await;
    assert_eq!(guest_try.status, 403);
    let missing = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/messages/999999/send-again",
            None,
        )
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["code"], json!("message_not_found"));
    let bad = app
        .send_as(&desk, Method::GET, "/staff/messages?status=lost", None)
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn a_desk_booking_mails_the_profile_unless_the_clerk_says_not_to() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let desk = app.staff("desk").await;
    let today = app.today().await;
    let walk_in = |name: &str, email: &str, send: Option<bool>| {
        let mut body = json!({"new_guest": {"full_name": name, "email": email, "language": "de",
                                            "allow_duplicate": true},
                              "check_in": day_after(today, 1), "check_out": day_after(today, 3)});
        if let Some(send) = send {
            body["send_confirmation"] = json!(send);
        }
        body
    };
    for (name, email, send) in [
        ("Quiet Guest", "quiet@example.org", Some(false)),
        ("No Mail", "", None),
        ("Greta Berg", "greta@example.de", None),
    ] {
        let booked = app
            .send_as(
                &desk,
                Method::POST,
                "/staff/bookings",
                Some(walk_in(name, email, send)),
            )
            .await;
        assert_eq!(booked.status, 201, "{:?}", booked.body);
    }
    let mail = sink.wait_for(1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mail_now = sink.received();
    assert_eq!(mail.len(), 1);
    assert_eq!(
        mail_now.len(),
        1,
        "{:?}",
        mail_now.iter().map(|m| &m.rcpt_tos).collect::<Vec<_>>()
    );
    assert_eq!(mail_now[0].rcpt_tos, vec!["greta@example.de".to_string()]);
    assert!(
        mail_now[0].text.contains("Guten Tag Greta Berg"),
        "{}",
        mail_now[0].text
    );
}

#[tokio::test]
async fn a_cancellation_and_a_move_are_each_mailed() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let ann = guest_with_mail(&app, "ann", "ann@example.org", "en").await;
    let booked = book(&app, &ann, 5, 2).await;
    let id = booked.body["bookings"][0]["id"].as_i64().unwrap();
    let reference = reference(&booked);
    sink.wait_for(1, WAIT).await;
    let moved = app
        .send_as(
            &ann,
            Method::PUT,
            "/update",
            Some(json!({"new_room": 2, "booking_id": id})),
        )
        .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    let mail = sink.wait_for(2, WAIT).await;
    assert_eq!(
        mail[1].subject,
        format!("Your booking {reference} has changed")
    );
    assert!(
        mail[1].text.contains("Room 2 · Standard"),
        "{}",
        mail[1].text
    );

    let cancelled = app
        .send_as(&ann, Method::DELETE, &format!("/bookings/{id}"), None)
        .await;
    assert_eq!(cancelled.status, 200, "{:?}", cancelled.body);
    let mail = sink.wait_for(3, WAIT).await;
    assert_eq!(
        mail[2].subject,
        format!("Your booking {reference} is cancelled")
    );
    assert!(
        mail[2].text.contains("Cancelling cost nothing."),
        "{}",
        mail[2].text
    );
    assert_eq!(mail[2].calendar[0].status, "CANCELLED");
    assert_eq!(mail[2].calendar[0].uid, mail[0].calendar[0].uid);
}

#[tokio::test]
async fn messages_wait_while_no_way_to_send_is_set_and_metrics_show_the_queue() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let ann = guest_with_mail(&app, "ann", "ann@example.org", "en").await;
    book(&app, &ann, 2, 1).await;
    // Written out (the desk can read it), but not sent.
    let started = std::time::Instant::now();
    let queued = loop {
        let queued = messages(&app, &desk, "?status=queued").await;
        if queued.first().is_some_and(|m| m["subject"] != json!("")) || started.elapsed() > WAIT {
            break queued;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0]["attempts"], json!(0));
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(&desk)
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.unwrap();
    for series in [
        "hotel_mail_queued ",
        "hotel_mail_oldest_queued_age_seconds ",
    ] {
        assert!(text.contains(series), "{series} missing from:\n{text}");
    }
}

#[tokio::test]
async fn a_mail_folder_gets_each_message_as_a_file() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().to_path_buf();
    let app = spawn_app_with(|c| {
        c.mail_dir = Some(path.clone());
        c.public_url = Some("https://hotel.test".into());
    })
    .await;
    let ann = guest_with_mail(&app, "ann", "ann@example.org", "en").await;
    let reference = reference(&book(&app, &ann, 2, 1).await);
    let started = std::time::Instant::now();
    let files = loop {
        let files: Vec<_> = std::fs::read_dir(&path)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            // The sign-up's link to confirm the address is a file of its own.
            .filter(|p| {
                std::fs::read_to_string(p).is_ok_and(|eml| !eml.contains("confirm-email?token="))
            })
            .collect();
        if !files.is_empty() || started.elapsed() > WAIT {
            break files;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(files.len(), 1);
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    assert!(eml.contains(&reference), "{eml}");
    assert!(
        eml.contains("To: \"ann Example\" <ann@example.org>") || eml.contains("ann@example.org")
    );
}

#[tokio::test]
async fn a_server_killed_with_messages_queued_loses_none_and_doubles_none() {
    let Some(mut sink) = SmtpSink::start() else {
        return;
    };
    sink.stop();
    let db = TestDb::fresh().await;
    let flags = sink.flags();
    let args: Vec<&str> = flags.iter().map(String::as_str).collect();
    let client = http_client();
    let mut server = Server::start_with(&db, &args);
    for i in 0..6 {
        let reply = client
            .post(format!("{}/register", server.base))
            .json(&json!({"username": format!("k{i}"), "password": PASSWORD,
                          "email": format!("k{i}@example.org")}))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 201);
        let reply = client
            .post(format!("{}/book", server.base))
            .json(&json!({"username": format!("k{i}"), "password": PASSWORD, "num_rooms": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200);
    }
    // Long enough for the worker to write them out and fail a first try.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    drop(server);

    sink.start_again();
    let _server = Server::start_with(&db, &args);
    let mail = sink.wait_for(6, WAIT).await;
    assert_eq!(mail.len(), 6);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut to: Vec<String> = sink
        .received()
        .iter()
        .map(|m| m.rcpt_tos.join(","))
        .collect();
    to.sort();
    let expected: Vec<String> = (0..6).map(|i| format!("k{i}@example.org")).collect();
    assert_eq!(to, expected, "each once");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: several instances share one database"]
async fn two_instances_send_each_message_once() {
    needs_postgres();
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let first = spawn_app_with(|c| {
        sink.configure(c);
        without_limits(c);
        c.rooms = 40;
    })
    .await;
    let second = spawn_app_on(TestDb::existing(&first.db), |c| {
        sink.configure(c);
        without_limits(c);
    })
    .await;
    let mut references = Vec::new();
    for i in 0..40 {
        let app = if i % 2 == 0 { &first } else { &second };
        let token =
            guest_with_mail(app, &format!("p{i}"), &format!("p{i}@example.org"), "en").await;
        let booked = book(app, &token, 1 + i % 4, 1).await;
        assert_eq!(booked.status, 200, "{:?}", booked.body);
        references.push(reference(&booked));
    }
    sink.wait_for(40, WAIT).await;
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let mail = sink.received();
    assert_eq!(mail.len(), 40, "each message by one instance only");
    let mut ids: Vec<&str> = mail.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40);
}

#[tokio::test]
async fn a_guest_exports_their_messages_and_an_erasure_deletes_them() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let desk = app.staff("desk").await;
    let ann = guest_with_mail(&app, "ann", "ann@example.org", "en").await;
    let booked = book(&app, &ann, 3, 1).await;
    let id = booked.body["bookings"][0]["id"].as_i64().unwrap();
    let reference = reference(&booked);
    sink.wait_for(1, WAIT).await;
    wait_for_status(&app, &desk, "sent", 1).await;

    let export = app.send_as(&ann, Method::GET, "/me/export", None).await;
    assert_eq!(export.status, 200);
    let exported: Vec<Value> = export.body["messages"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|m| m["message"]["kind"] != "email_verification")
        .collect();
    assert_eq!(exported.len(), 1, "{exported:?}");
    assert!(
        exported[0]["message"]["subject"]
            .as_str()
            .unwrap()
            .contains(&reference)
    );
    assert!(
        exported[0]["text"]
            .as_str()
            .unwrap()
            .contains("Dear ann Example")
    );

    let cancelled = app
        .send_as(&ann, Method::DELETE, &format!("/bookings/{id}"), None)
        .await;
    assert_eq!(cancelled.status, 200);
    sink.wait_for(2, WAIT).await;
    wait_for_status(&app, &desk, "sent", 2).await;
    let found = app
        .send_as(
            &desk,
            Method::GET,
            "/staff/guests?q=ann%40example.org",
            None,
        )
        .await;
    let profile = found.body["guests"][0]["id"].as_i64().expect("a profile");
    let erased = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/guests/{profile}/erase"),
            None,
        )
        .await;
    assert_eq!(erased.status, 200, "{:?}", erased.body);
    assert!(
        messages(&app, &desk, "").await.is_empty(),
        "the letters went with the guest"
    );
}

#[tokio::test]
async fn a_reminder_goes_once_when_due_and_not_again_after_a_restart() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let settings = |c: &mut hotel_backend::config::Config| {
        sink.configure(c);
        c.reminder_days = 2;
        c.reminder_time = (0, 0);
    };
    let app = spawn_app_with(settings).await;
    let ann = guest_with_mail(&app, "ann", "ann@example.org", "en").await;
    let soon = reference(&book(&app, &ann, 2, 1).await);
    book(&app, &ann, 5, 1).await;
    sink.wait_for(2, WAIT).await;
    // Booked after its reminder was due (midnight two days before): the confirmation says it.
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(
        sink.received().len(),
        2,
        "no reminder for a booking made late"
    );

    // On paper, both were booked long ago: the stay in two days is reminded, the other not yet.
    app.db
        .try_execute("UPDATE bookings SET created_at = '2020-01-01T00:00:00Z'")
        .await
        .unwrap();
    let mail = sink.wait_for(3, WAIT).await;
    assert_eq!(mail.len(), 3);
    assert!(
        mail[2].subject.starts_with("See you soon at Hotel Example"),
        "{}",
        mail[2].subject
    );
    assert!(
        mail[2].text.contains(&format!("Booking reference: {soon}")),
        "{}",
        mail[2].text
    );

    let db = app.stop().await;
    let _again = spawn_app_on(db, settings).await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(
        sink.received().len(),
        3,
        "never twice, also after a restart"
    );
}

#[tokio::test]
async fn a_check_out_mails_the_invoice_as_a_pdf_with_its_lines_and_totals() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let desk = app.staff("desk").await;
    let grete = guest_with_mail(&app, "grete", "grete@example.de", "de").await;
    let booked = book(&app, &grete, 0, 2).await;
    assert_eq!(booked.status, 200, "{:?}", booked.body);
    let reference = reference(&booked);
    let id = booked.body["bookings"][0]["id"].as_i64().unwrap();
    let stay = |what: &str| format!("/staff/bookings/{id}/{what}");
    let reply = app
        .send_as(&desk, Method::POST, &stay("check-in"), None)
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    // Breakfast carries the standard rate of VAT; the room none here.
    let standard = app.add_tax_rate(&desk, "Standard", 19).await;
    let breakfast = app
        .tax_extra(&desk, ("Breakfast", 1_500, false), standard)
        .await;
    for (what, body) in [
        ("charges", json!({"extra_id": breakfast})),
        ("payments", json!({"method": "card", "amount": 1_500})),
    ] {
        let reply = app
            .send_as(&desk, Method::POST, &stay(what), Some(body))
            .await;
        assert!(reply.status.is_success(), "{what}: {:?}", reply.body);
    }
    // The hotel's legal name and numbers, and a company the stay is billed to.
    let legal = json!({
        "name": "Hotel Example", "address": "Seestraße 1\n82319 Starnberg",
        "check_in_from": "15:00", "check_out_until": "11:00",
        "legal_name": "Example Hotel GmbH", "tax_number": "143/123/45678",
        "vat_id": "DE123456789"
    });
    let saved = app
        .send_as(&desk, Method::PUT, "/staff/hotel", Some(legal))
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    let company = json!({"invoice_to": {
        "company": "Acme GmbH", "address": "Hauptstraße 5\n10115 Berlin", "vat_id": "DE987654321"
    }});
    let out = app
        .send_as(&desk, Method::POST, &stay("check-out"), Some(company))
        .await;
    assert_eq!(out.status, 200, "{:?}", out.body);

    let mail = sink.wait_for(2, WAIT).await;
    let year = app.today().await.year();
    let number = format!("{year}-0001");
    let invoice = mail
        .iter()
        .find(|m| m.subject.contains(&number))
        .unwrap_or_else(|| {
            panic!(
                "no invoice among {:?}",
                mail.iter().map(|m| &m.subject).collect::<Vec<_>>()
            )
        });
    assert_eq!(invoice.rcpt_tos, vec!["grete@example.de".to_string()]);
    assert!(
        invoice.subject.starts_with("Ihre Rechnung"),
        "{}",
        invoice.subject
    );
    assert!(invoice.text.contains(&reference), "{}", invoice.text);
    assert_eq!(invoice.attachments.len(), 1, "{:?}", invoice.attachments);
    let pdf = &invoice.attachments[0];
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(pdf.filename, format!("invoice-{number}.pdf"));
    let text = pdf.text.clone().unwrap_or_default();
    for words in [
        format!("Rechnung {number}"),
        format!("Buchungsnummer {reference}"),
        "Breakfast".to_string(),
        "15,00 €".to_string(),
        "Gesamtbetrag".to_string(),
        "Bezahlt".to_string(),
        "Offener Betrag".to_string(),
        "0,00 €".to_string(),
        "Vielen Dank für Ihren Aufenthalt.".to_string(),
        "Steuersatz Netto USt. Brutto".to_string(),
        "Standard 19 % 12,61 € 2,39 € 15,00 €".to_string(),
        "Example Hotel GmbH Seestraße 1 82319 Starnberg".to_string(),
        "Steuernummer: 143/123/45678".to_string(),
        "USt-IdNr.: DE123456789".to_string(),
        "Acme GmbH Hauptstraße 5 10115 Berlin USt-IdNr.: DE987654321".to_string(),
    ] {
        let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            squeezed.contains(&words),
            "{words:?} missing from the PDF's text:\n{text}"
        );
    }
    // The desk sees it among the booking's messages, sent.
    let listed = messages(&app, &desk, &format!("?reference={reference}")).await;
    assert!(listed.iter().any(|m| m["kind"] == "invoice"), "{listed:?}");

    // Corrected: the guest is sent the cancellation invoice, which names the one it reverses.
    let cancelled = app
        .send_as(&desk, Method::POST, &stay("invoice/cancel"), None)
        .await;
    assert_eq!(cancelled.status, 201, "{:?}", cancelled.body);
    let storno = format!("{year}-0002");
    let mail = sink.wait_for(3, WAIT).await;
    let sent = mail
        .iter()
        .find(|m| m.subject.contains(&storno))
        .expect("the cancellation invoice's mail");
    let text = sent.attachments[0].text.clone().unwrap_or_default();
    let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        squeezed.contains(&format!("Stornorechnung {storno}")),
        "{text}"
    );
    assert!(squeezed.contains(&number), "{text}");
    assert!(squeezed.contains("-15,00 €"), "{text}");
}

#[tokio::test]
async fn mail_goes_over_starttls_or_tls_signed_in_and_the_password_stays_out_of_the_log() {
    let folder = tempfile::tempdir().unwrap();
    let (cert, key) = crate::tls::certificate();
    let (cert_path, key_path) = (
        folder.path().join("cert.pem"),
        folder.path().join("key.pem"),
    );
    std::fs::write(&cert_path, cert).unwrap();
    std::fs::write(&key_path, key).unwrap();
    let trusted = cert_path.display().to_string();
    for mode in ["starttls", "tls"] {
        let Some(sink) = SmtpSink::start_secure(mode, cert_path.clone(), key_path.clone()) else {
            return;
        };
        let db = TestDb::fresh().await;
        let flags = sink.flags();
        let mut args = vec!["--log", "info", "--create", "--database", &db.url];
        args.extend(flags.iter().map(String::as_str));
        // The server trusts the test's certificate as it would a real authority's.
        let (mut child, base) =
            start_server_process_with(&args, &[("SSL_CERT_FILE", trusted.as_str())], true);
        let client = http_client();
        let reply = client
            .post(format!("{base}/register"))
            .json(&json!({"username": "tia", "password": PASSWORD, "email": "tia@example.org"}))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 201, "{mode}");
        let reply = client
            .post(format!("{base}/book"))
            .json(&json!({"username": "tia", "password": PASSWORD, "num_rooms": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200, "{mode}");
        let mail = sink.wait_for(1, WAIT).await;
        assert_eq!(mail.len(), 1, "{mode}: the confirmation");
        let deliveries = sink.deliveries();
        assert_eq!(
            deliveries.len(),
            2,
            "{mode}: the address link and the confirmation"
        );
        for d in &deliveries {
            assert!(d.secure, "{mode}: {d:?}");
            assert_eq!(d.signed_in_as, "desk", "{mode}");
        }
        child.kill().unwrap();
        let output = child.wait_with_output().unwrap();
        let log = String::from_utf8_lossy(&output.stderr);
        assert!(log.contains("sent through localhost"), "{mode}: {log}");
        assert!(
            !log.contains("s3cret"),
            "{mode}: the password in the log:\n{log}"
        );
    }
}
