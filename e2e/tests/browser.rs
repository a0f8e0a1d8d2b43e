//! The web app in a real headless Chromium against the real server on a random port with a
//! fresh database. Screenshots of every page land in target/e2e-screenshots/.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hotel_e2e::{Browser, Hotel, http_client, missing_prerequisite, start_hotel};
use serde_json::{Value, json};

/// One browser at a time: two cores do not run several Chromiums well.
static BROWSERS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const PASSWORD: &str = "correct horse 1";

fn skip() -> bool {
    match missing_prerequisite() {
        Some(reason) => {
            eprintln!("skipping browser test: {reason}");
            true
        }
        None => false,
    }
}

async fn today(hotel: &Hotel) -> String {
    let health: Value = http_client()
        .get(format!("{}/healthz", hotel.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    health["today"].as_str().unwrap().to_string()
}

fn plus_days(date: &str, days: i64) -> String {
    let d: hotel_shared::Date = date.parse().unwrap();
    d.checked_add_days(days).unwrap().to_string()
}

async fn register(hotel: &Hotel, username: &str) {
    let status = http_client()
        .post(format!("{}/register", hotel.url))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 201);
}

async fn sign_in(browser: &Browser, hotel: &Hotel, username: &str, password: &str) {
    browser
        .goto(&format!("{}/signin", hotel.url))
        .await
        .unwrap();
    browser.type_into("#username", username).await.unwrap();
    browser.type_into("#password", password).await.unwrap();
    browser.click("#submit").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guest_registers_books_sees_moves_and_checks_out() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(10);
    let today = today(&hotel).await;
    let b = Browser::start("guest").await.unwrap();

    // A new guest creates an account from the sign-in page.
    b.goto(&format!("{}/signin", hotel.url)).await.unwrap();
    b.click("#toggle-mode").await.unwrap();
    b.wait_text("h1", "Create an account").await.unwrap();
    b.type_into("#username", "vera").await.unwrap();
    b.type_into("#password", PASSWORD).await.unwrap();
    b.screenshot("signin").await.unwrap();
    b.click("#submit").await.unwrap();
    b.wait_text(".who", "vera").await.unwrap();
    assert_eq!(b.path().await.unwrap(), "/");

    // Two rooms for three nights from tonight.
    b.choose("#check-in", &today).await.unwrap();
    b.choose("#check-out", &plus_days(&today, 3)).await.unwrap();
    b.type_into("#room-count", "2").await.unwrap();
    b.wait_text("#availability", "10 rooms free for all 3 nights")
        .await
        .unwrap();
    b.click("#book").await.unwrap();
    let booked = b
        .wait_text(".message.ok", "Rooms booked successfully: [1, 2]")
        .await
        .unwrap();
    assert!(
        booked.contains(&format!("from {today} to {}", plus_days(&today, 3))),
        "{booked}"
    );
    // The grid shows them taken tonight.
    b.wait_text("#free-count", "8 of 10 rooms free")
        .await
        .unwrap();
    b.wait_until(
        "rooms 1 and 2 drawn as taken",
        "return ['1','2'].every(n => document.querySelector(`li.tile[data-room='${n}']`).classList.contains('taken'))",
        json!([]),
    )
    .await
    .unwrap();
    b.screenshot("rooms").await.unwrap();

    // My bookings lists both stays with their dates.
    b.click("a[href='/my-bookings']").await.unwrap();
    b.wait_text("#my-rooms", "Your booked rooms: [1, 2]")
        .await
        .unwrap();
    let stays = b
        .wait_text(
            "ul.stays",
            &format!(
                "Room 2 (Standard) · {today} → {} · 3 nights · EUR 285.00 · booked",
                plus_days(&today, 3)
            ),
        )
        .await
        .unwrap();
    assert!(stays.contains("Room 1"), "{stays}");
    b.screenshot("my-bookings").await.unwrap();

    // The calendar marks the guest's own six room-nights.
    b.click("a[href='/calendar']").await.unwrap();
    b.wait_until(
        "six room-nights marked as the guest's",
        "return document.querySelectorAll('td.mine').length === 6",
        json!([]),
    )
    .await
    .unwrap();
    b.screenshot("calendar").await.unwrap();

    // Move the first stay to room 5: only free rooms are offered.
    b.click("a[href='/my-bookings']").await.unwrap();
    b.wait_present("ul.stays > li:first-child option[value='5']")
        .await
        .unwrap();
    let offered = b
        .script(
            "return Array.from(document.querySelectorAll('ul.stays > li:first-child option')).map(o => o.value).filter(v => v)",
            json!([]),
        )
        .await
        .unwrap();
    assert_eq!(offered, json!(["3", "4", "5", "6", "7", "8", "9", "10"]));
    b.choose("ul.stays > li:first-child select", "5")
        .await
        .unwrap();
    b.click("ul.stays > li:first-child button.move")
        .await
        .unwrap();
    b.wait_text(".message.ok", "Updated booking: released 1, assigned 5.")
        .await
        .unwrap();
    b.wait_text("#my-rooms", "Your booked rooms: [2, 5]")
        .await
        .unwrap();

    // Check out: the rooms are free again everywhere.
    b.click("#checkout").await.unwrap();
    b.wait_text(
        ".message.ok",
        "Checked out successfully. Released rooms: [2, 5]",
    )
    .await
    .unwrap();
    b.wait_text("section.card", "You have no current or upcoming stays")
        .await
        .unwrap();
    b.click("a[href='/']").await.unwrap();
    b.wait_text("#free-count", "10 of 10 rooms free")
        .await
        .unwrap();
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_user_show_a_message() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(10);
    register(&hotel, "walt").await;
    let b = Browser::start("wrong-password").await.unwrap();
    sign_in(&b, &hotel, "walt", "not my password").await;
    b.wait_text(".message.error", "Invalid password.")
        .await
        .unwrap();
    assert_eq!(b.path().await.unwrap(), "/signin");
    b.screenshot("wrong-password").await.unwrap();
    sign_in(&b, &hotel, "nobody-here", PASSWORD).await;
    b.wait_text(".message.error", "User not found.")
        .await
        .unwrap();
    // A short password for a new account is caught before anything is sent.
    b.click("#toggle-mode").await.unwrap();
    b.type_into("#username", "xena").await.unwrap();
    b.type_into("#password", "short").await.unwrap();
    b.click("#submit").await.unwrap();
    b.wait_text(".message.error", "at least 8 characters")
        .await
        .unwrap();
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_picks_its_page_and_an_unknown_one_says_so() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(3);
    let b = Browser::start("addresses").await.unwrap();
    b.goto(&format!("{}/no-such-page", hotel.url))
        .await
        .unwrap();
    b.wait_text("h1", "There is no such page").await.unwrap();
    b.click("main a[href='/']").await.unwrap();
    b.wait_text("h1", "Rooms").await.unwrap();
    b.wait_until(
        "the address to follow the link",
        "return location.pathname === '/'",
        json!([]),
    )
    .await
    .unwrap();
    // Inside the app, Back shows the page that was there before.
    b.click("nav a[href='/calendar']").await.unwrap();
    b.wait_present("table.calendar").await.unwrap();
    b.script("history.back()", json!([])).await.unwrap();
    b.wait_text("h1", "Rooms").await.unwrap();
    assert_eq!(b.path().await.unwrap(), "/");
    // A trailing slash names the same page.
    b.goto(&format!("{}/calendar/", hotel.url)).await.unwrap();
    b.wait_text("h1", "Calendar").await.unwrap();
    b.wait_present("table.calendar").await.unwrap();
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_guests_race_for_the_last_room_and_exactly_one_gets_it() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(1);
    register(&hotel, "yann").await;
    register(&hotel, "zoe").await;
    let a = Browser::start("yann").await.unwrap();
    let b = Browser::start("zoe").await.unwrap();
    for (browser, name) in [(&a, "yann"), (&b, "zoe")] {
        sign_in(browser, &hotel, name, PASSWORD).await;
        browser.wait_text(".who", name).await.unwrap();
        browser
            .wait_text("#availability", "1 room free")
            .await
            .unwrap();
    }
    let (ra, rb) = tokio::join!(a.click("#book"), b.click("#book"));
    ra.unwrap();
    rb.unwrap();
    let mut winners = 0;
    let mut losers = 0;
    for browser in [&a, &b] {
        let said = browser
            .wait_text(".message.ok, .message.error", ".")
            .await
            .unwrap();
        if said.contains("Rooms booked successfully: [1]") {
            winners += 1;
        } else {
            assert!(said.contains("No rooms available."), "{said}");
            browser.screenshot("race-loser").await.unwrap();
            losers += 1;
        }
    }
    assert_eq!((winners, losers), (1, 1));
    a.quit().await;
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_click_books_once() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(5);
    register(&hotel, "abel").await;
    let b = Browser::start("double-click").await.unwrap();
    sign_in(&b, &hotel, "abel", PASSWORD).await;
    b.wait_text("#availability", "5 rooms free").await.unwrap();
    // Two clicks in the same instant, before the page can redraw.
    b.script(
        "const button = document.querySelector('#book'); button.click(); button.click();",
        json!([]),
    )
    .await
    .unwrap();
    b.wait_text(".message.ok", "Rooms booked successfully: [1]")
        .await
        .unwrap();
    b.wait_text("#free-count", "4 of 5 rooms free")
        .await
        .unwrap();
    let query: Value = http_client()
        .post(format!("{}/query", hotel.url))
        .json(&json!({"username": "abel", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(query["message"], "Your booked rooms: [1]");
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_keeps_the_session_and_an_ended_one_returns_to_sign_in() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(10);
    register(&hotel, "bea").await;
    let b = Browser::start("session").await.unwrap();
    sign_in(&b, &hotel, "bea", PASSWORD).await;
    b.wait_text(".who", "bea").await.unwrap();
    b.refresh().await.unwrap();
    b.wait_text(".who", "Signed in as bea").await.unwrap();

    // The session ends elsewhere (signed out on another device, or expired).
    let token = b.session_cookie().await.unwrap().expect("session cookie");
    let ended = http_client()
        .post(format!("{}/logout", hotel.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 200);
    b.click("a[href='/my-bookings']").await.unwrap();
    b.wait_text(
        "[role=status]",
        "Your session has ended. Please sign in again.",
    )
    .await
    .unwrap();
    b.wait_until(
        "back on the sign-in page",
        "return location.pathname === '/signin'",
        json!([]),
    )
    .await
    .unwrap();
    b.wait_text("header", "Sign in").await.unwrap();
    b.screenshot("session-ended").await.unwrap();
    b.quit().await;
}

/// Makes an account staff with what `hotel-server staff grant` runs, on the hotel's database.
async fn grant_staff(hotel: &Hotel, username: &str) {
    use hotel_backend::config::{Config, StaffAction};
    let url = format!("sqlite://{}", hotel.db.path().join("hotel.db").display());
    let grant = StaffAction::Grant {
        username: username.into(),
    };
    hotel_backend::admin::staff(&Config::for_database(url), &grant)
        .await
        .unwrap();
}

async fn book_tonight(hotel: &Hotel, username: &str, nights: i64) -> i64 {
    let today = today(hotel).await;
    let reply: Value = http_client()
        .post(format!("{}/book", hotel.url))
        .json(
            &json!({"username": username, "password": PASSWORD, "num_rooms": 1,
                      "check_in": today, "check_out": plus_days(&today, nights)}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    reply["bookings"][0]["id"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_desk_checks_guests_in_and_out_and_moves_a_stay() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(10);
    register(&hotel, "desk").await;
    grant_staff(&hotel, "desk").await;
    let ann = book_tonight(&hotel, "ann", 2).await; // room 1
    let bob = book_tonight(&hotel, "bob", 3).await; // room 2

    let b = Browser::start("front-desk").await.unwrap();
    sign_in(&b, &hotel, "desk", PASSWORD).await;
    b.wait_text(".who", "desk").await.unwrap();
    b.click("a[href='/desk']").await.unwrap();
    b.wait_text("#arrivals", "ann").await.unwrap();
    b.wait_text("#arrivals", "bob").await.unwrap();
    b.wait_text("#in-house", "No guest is checked in.")
        .await
        .unwrap();
    b.screenshot("front-desk-arrivals").await.unwrap();

    // One click checks ann in: she leaves the arrivals and is in house.
    b.click(&format!("#arrivals button.check-in[data-booking='{ann}']"))
        .await
        .unwrap();
    b.wait_text(".message.ok", "Checked in ann: room 1")
        .await
        .unwrap();
    b.wait_text("#in-house", "ann").await.unwrap();
    b.wait_until(
        "ann gone from the arrivals",
        "return !document.querySelector('#arrivals').textContent.includes('ann')",
        json!([]),
    )
    .await
    .unwrap();

    // The calendar names the guests; a click on bob's stay moves it to a free room.
    b.click("a[href='/desk/calendar']").await.unwrap();
    b.wait_text("table.calendar", "bob").await.unwrap();
    b.click(&format!("td.stay button[data-booking='{bob}']"))
        .await
        .unwrap();
    b.wait_text("#move-panel", &format!("Booking {bob}"))
        .await
        .unwrap();
    b.wait_present("#move-target option[value='7']")
        .await
        .unwrap();
    b.choose("#move-target", "7").await.unwrap();
    b.click("#move-submit").await.unwrap();
    b.wait_text(
        ".message.ok",
        &format!("Moved booking {bob} from room 2 to room 7."),
    )
    .await
    .unwrap();
    b.screenshot("front-desk-calendar").await.unwrap();

    // Back at the board, one click checks ann out and her room is free again.
    b.click("a[href='/desk']").await.unwrap();
    b.click(&format!("#in-house button.check-out[data-booking='{ann}']"))
        .await
        .unwrap();
    b.wait_text(".message.ok", "Checked out ann from room 1.")
        .await
        .unwrap();
    let rooms: Value = http_client()
        .get(format!("{}/rooms", hotel.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let taken: Vec<u64> = rooms["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["is_occupied"] == json!(true))
        .map(|r| r["room_number"].as_u64().unwrap())
        .collect();
    assert_eq!(taken, vec![7]);

    b.click("a[href='/desk/rooms']").await.unwrap();
    b.wait_until(
        "the room types listed",
        "return [...document.querySelectorAll('#room-types input.type-name')]\
         .some(i => i.value === 'Standard')",
        json!([]),
    )
    .await
    .unwrap();
    b.screenshot("front-desk-rooms").await.unwrap();
    b.click("a[href='/desk/reports']").await.unwrap();
    b.wait_text("#report-figures", "Occupancy").await.unwrap();
    b.screenshot("front-desk-reports").await.unwrap();
    b.click("a[href='/desk/audit']").await.unwrap();
    b.wait_text("#audit", "booking.check_out").await.unwrap();

    // A guest sees no front desk, not even by typing its address: neither its pages nor a
    // link to them.
    b.click("#signout").await.unwrap();
    sign_in(&b, &hotel, "ann", PASSWORD).await;
    b.wait_text(".who", "ann").await.unwrap();
    b.goto(&format!("{}/desk", hotel.url)).await.unwrap();
    b.wait_text("main", "This is for hotel staff only.")
        .await
        .unwrap();
    let header = b
        .script(
            "return document.querySelector('header').textContent",
            json!([]),
        )
        .await
        .unwrap();
    assert!(!header.as_str().unwrap().contains("Audit log"), "{header}");
    b.goto(&format!("{}/", hotel.url)).await.unwrap();
    b.wait_text(".who", "ann").await.unwrap();
    let header = b
        .script(
            "return document.querySelector('header').textContent",
            json!([]),
        )
        .await
        .unwrap();
    assert!(!header.as_str().unwrap().contains("Front desk"), "{header}");
    b.quit().await;
}
