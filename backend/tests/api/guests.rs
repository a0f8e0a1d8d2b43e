//! Guests as people: profiles apart from accounts, duplicate detection, a walk-in by name,
//! a guest's stays on one page.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

async fn add(app: &TestApp, desk: &str, body: Value) -> Reply {
    app.send_as(desk, Method::POST, "/staff/guests", Some(body))
        .await
}

#[tokio::test]
async fn a_walk_in_is_booked_by_name_and_checked_in_at_once() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let anna = add(
        &app,
        &desk,
        json!({"full_name": "Anna Smith", "email": "anna@example.org", "phone": "+44 20 7946 0000",
               "nationality": "British", "id_document_type": "Passport",
               "id_document_number": "123456789", "notes": "Allergic to feathers",
               "marketing_consent": true}),
    )
    .await;
    assert_eq!(anna.status, 201, "{:?}", anna.body);
    let id = anna.body["id"].as_i64().unwrap();
    assert!(
        anna.body["username"]
            .as_str()
            .unwrap()
            .starts_with("anna.smith~")
    );

    let today = app.today().await;
    let booked = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/bookings",
            Some(json!({"guest_id": id, "check_out": day_after(today, 2), "check_in_now": true})),
        )
        .await;
    assert_eq!(booked.status, 201, "{:?}", booked.body);
    assert_eq!(booked.body["bookings"][0]["status"], json!("checked_in"));
    assert_eq!(booked.body["bookings"][0]["total"], json!(19_000));

    let record = app
        .send_as(&desk, Method::GET, &format!("/staff/guests/{id}"), None)
        .await;
    assert_eq!(record.status, 200, "{:?}", record.body);
    assert_eq!(record.body["guest"]["notes"], json!("Allergic to feathers"));
    assert_eq!(record.body["stays"].as_array().unwrap().len(), 1);
    // Nobody can sign in to the account that holds her bookings.
    let username = anna.body["username"].as_str().unwrap();
    let login = app
        .send(
            Method::POST,
            "/login",
            Some(json!({"username": username, "password": "anything at all"})),
        )
        .await;
    assert_eq!(login.status, 401);
}

#[tokio::test]
async fn a_guest_the_hotel_knows_is_not_added_twice_by_mistake() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let first = add(
        &app,
        &desk,
        json!({"full_name": "John Smith", "email": "john@example.org", "phone": "020 7946 0000"}),
    )
    .await;
    assert_eq!(first.status, 201);
    for (body, why) in [
        (
            json!({"full_name": "J. Smith", "email": "JOHN@example.org"}),
            "same e-mail",
        ),
        (
            json!({"full_name": "Johnny", "phone": "+44 20 7946 0000"}),
            "same telephone",
        ),
        (json!({"full_name": "  john   SMITH "}), "same name"),
    ] {
        let again = add(&app, &desk, body).await;
        assert_eq!(again.status, 409, "{why}: {:?}", again.body);
        assert_eq!(again.body["code"], json!("possible_duplicate"));
        assert!(again.error().contains("John Smith"), "{:?}", again.body);
    }
    let second = add(
        &app,
        &desk,
        json!({"full_name": "John Smith", "allow_duplicate": true}),
    )
    .await;
    assert_eq!(second.status, 201, "{:?}", second.body);
    assert_ne!(second.body["username"], first.body["username"]);

    // Typing a known username at the walk-in form still books that account, as before; a
    // profile is how the desk names people now.
    let found = app
        .send_as(&desk, Method::GET, "/staff/guests?q=7946", None)
        .await;
    assert_eq!(found.body["guests"].as_array().unwrap().len(), 1);
    let found = app
        .send_as(&desk, Method::GET, "/staff/guests?q=smith", None)
        .await;
    assert_eq!(found.body["guests"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn guests_page_by_name_and_online_accounts_have_profiles() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let signup = app
        .send(
            Method::POST,
            "/register",
            Some(json!({"username": "zoe@example.org", "password": PASSWORD,
                        "name": "Zoe Adams", "email": "zoe@example.org"})),
        )
        .await;
    assert_eq!(signup.status, 201, "{:?}", signup.body);
    for name in ["Carl", "Bea", "Dan", "Abe", "Eve"] {
        assert_eq!(
            add(&app, &desk, json!({"full_name": name})).await.status,
            201
        );
    }
    let mut names = Vec::new();
    let mut path = "/staff/guests?limit=2".to_string();
    loop {
        let page = app.send_as(&desk, Method::GET, &path, None).await;
        assert_eq!(page.status, 200, "{:?}", page.body);
        names.extend(
            page.body["guests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["full_name"].as_str().unwrap().to_string()),
        );
        match page.body["next_cursor"].as_str() {
            Some(c) => path = format!("/staff/guests?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(names, ["Abe", "Bea", "Carl", "Dan", "Eve", "Zoe Adams"]);
    let zoe = app
        .send_as(&desk, Method::GET, "/staff/guests?q=zoe@", None)
        .await;
    assert_eq!(zoe.body["guests"][0]["username"], json!("zoe@example.org"));
}

#[tokio::test]
async fn profiles_are_for_staff_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let maria = app.housekeeper("maria").await;
    let gina = app.guest("gina").await;
    for token in [&maria, &gina] {
        let r = app.send_as(token, Method::GET, "/staff/guests", None).await;
        assert_eq!(r.status, 403);
        let r = add(&app, token, json!({"full_name": "X"})).await;
        assert_eq!(r.status, 403);
    }
    for body in [
        json!({}),
        json!({"full_name": "   "}),
        json!({"full_name": "A", "email": "not an address"}),
        json!({"full_name": "A", "phone": "12"}),
        json!({"full_name": "A", "notes": "x".repeat(2001)}),
    ] {
        let r = add(&app, &desk, body.clone()).await;
        assert_eq!(r.status, 400, "{body}: {:?}", r.body);
    }
    let missing = app
        .send_as(&desk, Method::GET, "/staff/guests/999", None)
        .await;
    missing.assert(404, "error", "Guest 999 not found.");
    let walk_in = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/bookings",
            Some(json!({"guest_id": 999})),
        )
        .await;
    assert_eq!(walk_in.status, 404);
    let neither = app
        .send_as(&desk, Method::POST, "/staff/bookings", Some(json!({})))
        .await;
    assert_eq!(neither.status, 400);
    let later = app.today().await;
    let not_today = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/bookings",
            Some(json!({"guest": "ann", "check_in": day_after(later, 1), "check_in_now": true})),
        )
        .await;
    assert_eq!(not_today.status, 400);
}

#[tokio::test]
async fn a_profile_changes_with_its_history_in_the_audit_log() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    let g = add(&app, &desk, json!({"full_name": "Ann Lee"})).await;
    let id = g.body["id"].as_i64().unwrap();
    let changed = app
        .send_as(
            &desk,
            Method::PUT,
            &format!("/staff/guests/{id}"),
            Some(json!({"full_name": "Ann Lee", "phone": "555 0100 200", "notes": "Late arrival"})),
        )
        .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!(changed.body["notes"], json!("Late arrival"));
    let actions = app.audit_actions(&desk).await;
    assert_eq!(
        actions[actions.len() - 2..],
        ["guest.create".to_string(), "guest.update".to_string()]
    );
}

#[tokio::test]
async fn a_new_guest_at_the_desk_is_added_only_with_a_booking_that_succeeds() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    app.book("ann", 1)
        .await
        .assert(200, "message", "Rooms booked successfully: [1]");
    let today = app.today().await;
    let walk_in = |room: u32| {
        json!({"new_guest": {"full_name": "Ben Okafor", "phone": "+49 30 1234567"},
               "room_number": room, "check_out": day_after(today, 1)})
    };
    let taken = app
        .send_as(&desk, Method::POST, "/staff/bookings", Some(walk_in(1)))
        .await;
    assert_eq!(taken.status, 409, "{:?}", taken.body);
    let found = app
        .send_as(&desk, Method::GET, "/staff/guests?q=Okafor", None)
        .await;
    let list: hotel_shared::guests::GuestList =
        serde_json::from_value(found.body).expect("a guest list");
    assert!(
        list.guests.is_empty(),
        "a failed booking added {:?}",
        list.guests
    );

    let booked = app
        .send_as(&desk, Method::POST, "/staff/bookings", Some(walk_in(2)))
        .await;
    assert_eq!(booked.status, 201, "{:?}", booked.body);
    let booked: hotel_shared::BookResponse =
        serde_json::from_value(booked.body).expect("a booking");
    assert_eq!(booked.bookings[0].guest_name.as_deref(), Some("Ben Okafor"));
    let found = app
        .send_as(&desk, Method::GET, "/staff/guests?q=Okafor", None)
        .await;
    let list: hotel_shared::guests::GuestList =
        serde_json::from_value(found.body).expect("a guest list");
    assert_eq!(list.guests.len(), 1);
    assert_eq!(list.guests[0].phone, "+49 30 1234567");

    let both = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/bookings",
            Some(json!({"guest": "ann", "new_guest": {"full_name": "X"}})),
        )
        .await;
    both.assert(400, "code", "invalid_request");
}

#[tokio::test]
async fn the_language_a_guest_is_written_in_is_kept_on_the_account_and_the_profile() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    // Signing up on the German site.
    let signed_up = app
        .send(
            Method::POST,
            "/register",
            Some(json!({"username": "lena@example.org", "password": PASSWORD,
                        "name": "Lena Huber", "email": "lena@example.org", "language": "de"})),
        )
        .await;
    assert_eq!(signed_up.status, 201, "{:?}", signed_up.body);
    app.send(
        Method::POST,
        "/register",
        Some(json!({"username": "fritz", "password": PASSWORD, "language": "fr"})),
    )
    .await
    .assert(400, "code", "invalid_request");
    let lena = app.login("lena@example.org").await;
    let me = app.send_as(&lena, Method::GET, "/me", None).await;
    assert_eq!(me.body["language"], json!("de"));
    let found = app
        .send_as(&desk, Method::GET, "/staff/guests?q=huber", None)
        .await;
    let profile = found.body["guests"][0].clone();
    assert_eq!(profile["language"], json!("de"), "{profile}");

    // She switches the site to English: the hotel writes in English from then on, audited.
    let switched = app
        .send_as(
            &lena,
            Method::PUT,
            "/me/language",
            Some(json!({"language": "en"})),
        )
        .await;
    assert_eq!(switched.status, 200, "{:?}", switched.body);
    assert_eq!(switched.body["language"], json!("en"));
    assert_eq!(
        app.audit_actions(&desk).await.last().map(String::as_str),
        Some("user.language")
    );
    let id = profile["id"].as_i64().unwrap();
    let again = app
        .send_as(&desk, Method::GET, &format!("/staff/guests/{id}"), None)
        .await;
    assert_eq!(again.body["guest"]["language"], json!("en"));

    // The desk sets it on the profile, and the account follows.
    let g = &again.body["guest"];
    let input = json!({"full_name": g["full_name"], "email": g["email"], "language": "de"});
    let saved = app
        .send_as(
            &desk,
            Method::PUT,
            &format!("/staff/guests/{id}"),
            Some(input),
        )
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    let me = app.send_as(&lena, Method::GET, "/me", None).await;
    assert_eq!(me.body["language"], json!("de"));
    app.send_as(&lena, Method::PUT, "/me/language", Some(json!({})))
        .await
        .assert(400, "code", "invalid_request");
}
