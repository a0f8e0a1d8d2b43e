//! A shift at the desk and in housekeeping, in a real headless Chromium: what cannot be undone
//! asks first, a guest's departure leaves the room dirty, a housekeeper cleans it on a phone,
//! and the next guest gets the key. axe-core checks each page.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hotel_e2e::people::{
    BROWSERS, PASSWORD, book_tonight, new_housekeeper, new_staff, sign_in, skip,
};
use hotel_e2e::{Browser, Screen, start_hotel};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_departure_is_confirmed_the_room_cleaned_and_the_next_guest_checked_in() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(10);
    new_staff(&hotel, "desk").await;
    new_housekeeper(&hotel, "maria").await;
    let ann = book_tonight(&hotel, "ann", 3).await; // room 1
    let carl = book_tonight(&hotel, "carl", 1).await; // room 2
    let dave = book_tonight(&hotel, "dave", 2).await; // room 3

    breakfast_at_the_standard_rate(&hotel).await;

    let desk = Browser::start("shift-desk").await.unwrap();
    sign_in(&desk, &hotel, "desk", PASSWORD).await;
    desk.wait_text("#arrivals", "ann").await.unwrap();
    desk.click(&format!("#arrivals button.check-in[data-booking='{ann}']"))
        .await
        .unwrap();
    desk.wait_text("#in-house", "ann").await.unwrap();

    // Ann leaves on her first day: the desk says what that means and lets the clerk go back.
    desk.click(&format!("#in-house button.check-out[data-booking='{ann}']"))
        .await
        .unwrap();
    let question = desk
        .wait_text("#in-house #confirm-text", "Check out ann from room 1?")
        .await
        .unwrap();
    assert!(
        question.contains("3 nights from tonight on will be released")
            && question.contains("The room will be marked dirty."),
        "{question}"
    );
    desk.wait_until(
        "focus on the question's first button",
        "return document.activeElement && document.activeElement.id === 'confirm-yes'",
        json!([]),
    )
    .await
    .unwrap();
    desk.assert_accessible("check-out question").await.unwrap();
    desk.screenshot("shift-check-out-question").await.unwrap();
    desk.click_named("Go back").await.unwrap();
    desk.wait_until(
        "the question gone",
        "return !document.querySelector('#confirm-text')",
        json!([]),
    )
    .await
    .unwrap();
    desk.wait_text("#in-house", "ann").await.unwrap();

    // Ann had breakfast: the clerk posts it on her bill.
    desk.click(&format!("a[aria-label='Bill of booking {ann}']"))
        .await
        .unwrap();
    desk.wait_text("h1", "Bill · booking").await.unwrap();
    desk.wait_text("#bill", "Room 1 (Standard), 3 nights")
        .await
        .unwrap();
    desk.wait_present("#charge-what option[value='extra:1']")
        .await
        .unwrap();
    desk.pick("What", "extra:1").await.unwrap();
    desk.click_named("Post").await.unwrap();
    desk.wait_text(".message.ok", "Posted. The balance is now €300.00.")
        .await
        .unwrap();
    desk.wait_text("#bill", "Breakfast").await.unwrap();
    desk.wait_text("#bill", "incl. €2.39 VAT (Standard 19 %)")
        .await
        .unwrap();
    desk.wait_text("#bill-taxes", "Standard 19 %")
        .await
        .unwrap();
    desk.wait_text("#bill-taxes", "€12.61").await.unwrap();
    // Dinner in the restaurant, in the clerk's words, as food and drink at 19 %; then given
    // on the house, a discount of the same kind and rate.
    post_in_words(&desk, "other", "Dinner", "€345.00").await;
    desk.wait_text("#bill", "incl. €7.18 VAT (Standard 19 %)")
        .await
        .unwrap();
    post_in_words(&desk, "discount", "Dinner on the house", "€300.00").await;
    desk.assert_accessible("bill").await.unwrap();
    desk.screenshot("shift-bill").await.unwrap();
    // The same bill fits a phone, its VAT table too.
    let small = Browser::start_as("shift-bill-phone", Screen::Phone, "en-GB")
        .await
        .unwrap();
    sign_in(&small, &hotel, "desk", PASSWORD).await;
    // Signing in must finish before the bill's address is opened, or it opens signed out.
    small
        .wait_until(
            "signed in and on the desk",
            "return location.pathname === '/desk'",
            json!([]),
        )
        .await
        .unwrap();
    small
        .goto(&format!("{}/desk/bill?booking={ann}", hotel.url))
        .await
        .unwrap();
    small
        .wait_text("#bill-taxes", "Standard 19 %")
        .await
        .unwrap();
    small.assert_fits_width("bill").await.unwrap();
    small.screenshot("shift-bill-phone").await.unwrap();
    // The taxes on the hotel page and the reports fit a phone too.
    small
        .goto(&format!("{}/desk/hotel", hotel.url))
        .await
        .unwrap();
    small.wait_text("#taxes-title", "Taxes").await.unwrap();
    small.assert_fits_width("hotel page").await.unwrap();
    small
        .goto(&format!("{}/desk/reports", hotel.url))
        .await
        .unwrap();
    small
        .wait_text("#report-figures", "Occupancy")
        .await
        .unwrap();
    small
        .wait_until(
            "the revenue loaded",
            "return !!document.querySelector('#revenue-none, #revenue-kinds')",
            json!([]),
        )
        .await
        .unwrap();
    small.assert_fits_width("reports").await.unwrap();
    small
        .script(
            "document.querySelector('#revenue-title').scrollIntoView()",
            json!([]),
        )
        .await
        .unwrap();
    small.screenshot("shift-reports-phone").await.unwrap();
    small.quit().await;

    // Checking out asks about the early departure, then about the breakfast still owed.
    desk.click("a[href='/desk']").await.unwrap();
    desk.click(&format!("#in-house button.check-out[data-booking='{ann}']"))
        .await
        .unwrap();
    desk.click("#confirm-yes").await.unwrap();
    let owed = desk
        .wait_text("#confirm-text", "has EUR 15.00 open")
        .await
        .unwrap();
    assert!(owed.contains("Let ann go with the balance open?"), "{owed}");
    desk.click_named("Go back").await.unwrap();

    // She pays the breakfast in cash; then she leaves, and her invoice is issued.
    desk.click(&format!("a[aria-label='Bill of booking {ann}']"))
        .await
        .unwrap();
    desk.wait_text("h1", "Bill · booking").await.unwrap();
    desk.fill("Amount (EUR)", "15").await.unwrap();
    desk.pick("Paid by", "cash").await.unwrap();
    desk.click_named("Record").await.unwrap();
    desk.wait_text(".message.ok", "Recorded. The balance is now €285.00.")
        .await
        .unwrap();
    desk.click("a[href='/desk']").await.unwrap();
    desk.click(&format!("#in-house button.check-out[data-booking='{ann}']"))
        .await
        .unwrap();
    desk.click("#confirm-yes").await.unwrap();
    desk.wait_text(".message.ok", "Checked out ann from room 1.")
        .await
        .unwrap();
    desk.goto(&format!("{}/desk/bill?booking={ann}", hotel.url))
        .await
        .unwrap();
    desk.wait_text("h1", "Invoice ").await.unwrap();
    desk.wait_text("#bill", "Left on the arrival day")
        .await
        .unwrap();
    desk.wait_text("#bill-balance", "€0.00").await.unwrap();
    desk.assert_accessible("invoice").await.unwrap();
    desk.screenshot("shift-invoice").await.unwrap();
    // The invoice prints as a PDF, from the same source as the one mailed.
    let pdf = desk
        .script(
            "return fetch(document.querySelector('#invoice-pdf-de').href)
                .then(r => r.arrayBuffer().then(b => r.status + ' ' + r.headers.get('content-type') + ' ' + (b.byteLength > 1000)))",
            json!([]),
        )
        .await
        .unwrap();
    assert_eq!(pdf, json!("200 application/pdf true"));
    // The invoice was wrong: a cancellation invoice reverses it, and the bill is open again.
    desk.click("#cancel-invoice summary").await.unwrap();
    desk.click("#cancel-invoice-button").await.unwrap();
    desk.wait_text(".message.ok", "Issued cancellation invoice")
        .await
        .unwrap();
    desk.wait_present("#issue-invoice").await.unwrap();
    desk.assert_accessible("cancelled invoice").await.unwrap();
    // The accountant's figures: the breakfast invoiced and taken back, the cash taken.
    desk.click("a[href='/desk/reports']").await.unwrap();
    desk.wait_text("#revenue-kinds", "Food and drink")
        .await
        .unwrap();
    desk.wait_text("#revenue-payments", "Cash").await.unwrap();
    desk.wait_text("#revenue-periods", "Month").await.unwrap();
    desk.choose("#revenue-by", "day").await.unwrap();
    desk.wait_text("#revenue-periods caption", "Day by day")
        .await
        .unwrap();
    desk.assert_accessible("revenue").await.unwrap();
    desk.script(
        "document.querySelector('#revenue-title').scrollIntoView()",
        json!([]),
    )
    .await
    .unwrap();
    desk.screenshot("shift-revenue").await.unwrap();
    desk.goto(&format!("{}/desk", hotel.url)).await.unwrap();
    desk.wait_text("#arrivals", "carl").await.unwrap();

    // Cancelling carl's stay asks first too.
    desk.click(&format!("#arrivals button.cancel[data-booking='{carl}']"))
        .await
        .unwrap();
    desk.wait_text("#confirm-text", "Cancel the stay of carl in room 2")
        .await
        .unwrap();
    desk.click_named("Cancel the stay").await.unwrap();
    desk.wait_text(".message.ok", &format!("Cancelled booking {carl}"))
        .await
        .unwrap();

    // Dave never comes: noted as a no-show, after the question.
    desk.click(&format!("#arrivals button.no-show[data-booking='{dave}']"))
        .await
        .unwrap();
    desk.wait_text("#confirm-text", "Note dave as a no-show?")
        .await
        .unwrap();
    desk.click("#confirm-yes").await.unwrap();
    desk.wait_text(".message.ok", "Noted dave as a no-show")
        .await
        .unwrap();
    // The clerk finds his booking by name, and reads tomorrow's board.
    desk.fill("Guest name, booking reference or room", "dave")
        .await
        .unwrap();
    desk.click_named("Find").await.unwrap();
    desk.wait_text("#found", "no-show").await.unwrap();
    desk.click_named("Next day").await.unwrap();
    desk.wait_text("#desk-date", "the lists only")
        .await
        .unwrap();
    desk.assert_accessible("tomorrow's board").await.unwrap();
    desk.click_named("Back to today").await.unwrap();
    desk.wait_text("#desk-date", "Today").await.unwrap();

    // Bea walks in: the clerk books her by name and is shown the price; she gets room 1,
    // which is not clean: the board says so, and giving her the key asks first.
    desk.wait_text("#walk-in-price", "From €95.00 for the stay.")
        .await
        .unwrap();
    desk.fill("Full name", "Bea Walker").await.unwrap();
    desk.fill("Telephone (optional)", "+44 20 7946 0000")
        .await
        .unwrap();
    desk.click_named("Book only").await.unwrap();
    desk.wait_text(".message.ok", "Booked Bea Walker: room 1, €95.00.")
        .await
        .unwrap();
    // Typed again by mistake, she is recognised rather than added twice.
    desk.fill("Full name", "bea walker").await.unwrap();
    desk.fill("Telephone (optional)", "").await.unwrap();
    desk.click_named("Book only").await.unwrap();
    desk.wait_text(
        "[role=alert]",
        "This may be a guest the hotel knows already: Bea Walker",
    )
    .await
    .unwrap();
    desk.assert_accessible("walk-in").await.unwrap();
    desk.wait_text("#arrivals", "Room 1 is not clean yet")
        .await
        .unwrap();
    let bea = desk
        .script(
            "return [...document.querySelectorAll('#arrivals li')]\
             .find(l => l.textContent.includes('Bea Walker')).dataset.booking",
            json!([]),
        )
        .await
        .unwrap();
    let bea: i64 = bea.as_str().unwrap().parse().unwrap();
    desk.click(&format!("#arrivals button.check-in[data-booking='{bea}']"))
        .await
        .unwrap();
    desk.wait_text("#confirm-text", "Room 1 has not been cleaned")
        .await
        .unwrap();
    desk.click_named("Go back").await.unwrap();

    // Maria, on her phone, lands on the rooms to clean, sees no guest, and cleans room 1.
    let phone = Browser::start_as("shift-housekeeper", Screen::Phone, "en-GB")
        .await
        .unwrap();
    sign_in(&phone, &hotel, "maria", PASSWORD).await;
    phone.wait_text("h1", "Rooms to clean").await.unwrap();
    assert_eq!(phone.path().await.unwrap(), "/desk/housekeeping");
    let to_clean = phone
        .wait_text("section[aria-labelledby='to-clean-title']", "Room 1")
        .await
        .unwrap();
    assert!(to_clean.contains("Arrival today"), "{to_clean}");
    let page = phone
        .script("return document.body.innerText", json!([]))
        .await
        .unwrap();
    let page = page.as_str().unwrap();
    for secret in ["Bea", "Walker", "ann", "€", "EUR", "Reports", "Audit"] {
        assert!(
            !page.contains(secret),
            "{secret} on the housekeeper's page: {page}"
        );
    }
    phone.assert_accessible("rooms to clean").await.unwrap();
    phone.assert_fits_width("rooms to clean").await.unwrap();
    phone.screenshot("shift-rooms-to-clean").await.unwrap();
    phone.click_named("Mark clean: room 1").await.unwrap();
    phone
        .wait_text(".message.ok", "Room 1 is clean.")
        .await
        .unwrap();
    phone
        .wait_text("section[aria-labelledby='ready-title']", "Room 1")
        .await
        .unwrap();
    // The desk's pages are not hers.
    phone.goto(&format!("{}/desk", hotel.url)).await.unwrap();
    phone
        .wait_text("main", "This is for hotel staff only.")
        .await
        .unwrap();
    phone.quit().await;

    // Back at the desk, Bea gets her key at once.
    desk.refresh().await.unwrap();
    desk.wait_text("#arrivals", "Bea Walker").await.unwrap();
    desk.click(&format!("#arrivals button.check-in[data-booking='{bea}']"))
        .await
        .unwrap();
    desk.wait_text(".message.ok", "Checked in Bea Walker: room 1")
        .await
        .unwrap();

    // Her page: profile, stays, a note for the next shift, the registration card.
    desk.click("a[href='/desk/guests']").await.unwrap();
    desk.fill("Name, e-mail or telephone", "walker")
        .await
        .unwrap();
    desk.click_named("Find").await.unwrap();
    desk.click_named("Bea Walker").await.unwrap();
    desk.wait_text("h1", "Bea Walker").await.unwrap();
    desk.wait_text("#guest-stays", "checked in").await.unwrap();
    desk.wait_text(".registration", "Room 1 (Standard)")
        .await
        .unwrap();
    desk.fill("Notes for the desk", "Prefers a quiet room")
        .await
        .unwrap();
    desk.click_named("Save").await.unwrap();
    desk.wait_text(".message.ok", "Saved Bea Walker.")
        .await
        .unwrap();
    desk.wait_text("#guest-notes", "Prefers a quiet room")
        .await
        .unwrap();
    desk.assert_accessible("guest page").await.unwrap();
    desk.screenshot("shift-guest").await.unwrap();
    desk.click("a[href='/desk']").await.unwrap();
    desk.wait_text("#in-house", "Bea Walker").await.unwrap();
    desk.assert_accessible("front desk").await.unwrap();
    desk.click("a[href='/desk/housekeeping']").await.unwrap();
    desk.wait_text("h1", "Rooms to clean").await.unwrap();
    desk.assert_accessible("housekeeping at the desk")
        .await
        .unwrap();

    // The audit log tells the shift in words, narrowed to housekeeping.
    desk.click("a[href='/desk/audit']").await.unwrap();
    desk.wait_text("#audit", "desk checked in booking")
        .await
        .unwrap();
    desk.pick("What", "room.housekeeping").await.unwrap();
    desk.click_named("Show").await.unwrap();
    desk.wait_text("#audit", "maria marked room 1 clean.")
        .await
        .unwrap();
    desk.wait_until(
        "only housekeeping listed",
        "return [...document.querySelectorAll('#audit .what')].every(e => e.dataset.action === 'room.housekeeping')",
        json!([]),
    )
    .await
    .unwrap();
    desk.assert_accessible("audit log").await.unwrap();
    desk.screenshot("shift-audit").await.unwrap();
    desk.quit().await;
}

/// A guest due out who has not checked out still holds the room: the board says so on the
/// next guest's arrival, checking in asks first, the calendar shows both. A closed night
/// stops a walk-in until the clerk says to book anyway.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_room_whose_guest_has_not_left_and_a_closed_night_ask_the_clerk_first() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(3);
    new_staff(&hotel, "desk").await;
    let ann = book_tonight(&hotel, "ann", 1).await; // room 1

    let desk = Browser::start("occupied-desk").await.unwrap();
    sign_in(&desk, &hotel, "desk", PASSWORD).await;
    desk.click(&format!("#arrivals button.check-in[data-booking='{ann}']"))
        .await
        .unwrap();
    desk.wait_text("#in-house", "ann").await.unwrap();
    // A day passes on paper: Ann's stay ended this morning, she has not checked out, and
    // room 1 is for sale tonight.
    let today = hotel_e2e::people::today(&hotel).await;
    let yesterday = hotel_e2e::people::plus_days(&today, -1);
    let file = rusqlite::Connection::open(hotel.db.path().join("hotel.db")).unwrap();
    file.execute_batch(&format!(
        "UPDATE room_nights SET night = '{yesterday}' WHERE booking_id = {ann};
         UPDATE bookings SET check_in = '{yesterday}', check_out = '{today}' WHERE id = {ann};"
    ))
    .unwrap();
    drop(file);
    let token: serde_json::Value = hotel_e2e::http_client()
        .post(format!("{}/login", hotel.url))
        .json(&json!({"username": "desk", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["token"].as_str().unwrap().to_string();
    let bea: serde_json::Value = hotel_e2e::http_client()
        .post(format!("{}/staff/bookings", hotel.url))
        .bearer_auth(&token)
        .json(&json!({"guest": "bea", "room_number": 1,
                      "check_out": hotel_e2e::people::plus_days(&today, 1)}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bea = bea["bookings"][0]["id"].as_i64().unwrap();

    desk.refresh().await.unwrap();
    let arrival = desk
        .wait_text("#arrivals", "Room 1 is still occupied")
        .await
        .unwrap();
    assert!(
        arrival.contains("ann is due out on") && arrival.contains("has not checked out"),
        "{arrival}"
    );
    // Ann leaves today: she is under departures, not a second time under in house.
    desk.wait_text("#departures", "ann").await.unwrap();
    desk.wait_text("#in-house", "Every guest in house leaves today")
        .await
        .unwrap();
    desk.click(&format!("#arrivals button.check-in[data-booking='{bea}']"))
        .await
        .unwrap();
    let question = desk
        .wait_text(
            "#arrivals #confirm-text",
            "Give bea the key to room 1 anyway?",
        )
        .await
        .unwrap();
    assert!(question.contains("Two guests"), "{question}");
    desk.assert_accessible("check-in into an occupied room")
        .await
        .unwrap();
    desk.screenshot("occupied-check-in-question").await.unwrap();

    // The calendar shows Ann still in room 1 beside Bea's night.
    desk.click("a[href='/desk/calendar']").await.unwrap();
    desk.wait_text("table.calendar", "ann is still in, due out")
        .await
        .unwrap();
    desk.wait_text("table.calendar", "bea").await.unwrap();
    desk.assert_accessible("calendar with a guest due out")
        .await
        .unwrap();
    desk.screenshot("occupied-calendar").await.unwrap();

    // The clerk decides: Bea gets the key anyway, and the log says how.
    desk.click("a[href='/desk']").await.unwrap();
    desk.click(&format!("#arrivals button.check-in[data-booking='{bea}']"))
        .await
        .unwrap();
    desk.click_named("Check in anyway").await.unwrap();
    desk.wait_text(".message.ok", "Checked in bea: room 1")
        .await
        .unwrap();

    // Tonight is closed for every room type: a walk-in is refused with the reason, then
    // booked once the clerk ticks the override.
    let types: serde_json::Value = hotel_e2e::http_client()
        .get(format!("{}/staff/room-types", hotel.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let types = types["room_types"].as_array().cloned().unwrap();
    for t in &types {
        let closed = hotel_e2e::http_client()
            .put(format!("{}/staff/rate-calendar", hotel.url))
            .bearer_auth(&token)
            .json(&json!({"room_type_id": t["id"], "from": today,
                          "to": hotel_e2e::people::plus_days(&today, 1), "closed": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(closed.status(), 200);
    }
    desk.refresh().await.unwrap();
    desk.fill("Full name", "Carl Stone").await.unwrap();
    desk.click_named("Book only").await.unwrap();
    let refusal = desk
        .wait_text("#walk-in-restricted", "is not for sale")
        .await
        .unwrap();
    desk.assert_accessible("walk-in on a closed night")
        .await
        .unwrap();
    desk.screenshot("walk-in-closed-night").await.unwrap();
    assert!(!refusal.is_empty());
    desk.click("#walk-in-override-restrictions").await.unwrap();
    desk.click_named("Book only").await.unwrap();
    desk.wait_text(".message.ok", "Booked Carl Stone: room")
        .await
        .unwrap();

    // Carl asks for his data to be erased: not while a stay is to come.
    desk.click("a[href='/desk/guests']").await.unwrap();
    desk.fill("Name, e-mail or telephone", "stone")
        .await
        .unwrap();
    desk.click_named("Find").await.unwrap();
    desk.click_named("Carl Stone").await.unwrap();
    desk.wait_text("h1", "Carl Stone").await.unwrap();
    desk.wait_present("#guest-export").await.unwrap();
    desk.click("#guest-erase").await.unwrap();
    let question = desk
        .wait_text(
            "#confirm-text",
            "Erase the personal data of Carl Stone for good?",
        )
        .await
        .unwrap();
    assert!(question.contains("invoice"), "{question}");
    desk.assert_accessible("erase question").await.unwrap();
    desk.screenshot("guest-erase-question").await.unwrap();
    desk.click_named("Erase for good").await.unwrap();
    desk.wait_text(".message", "has a stay to come")
        .await
        .unwrap();
    // Once his stay is cancelled, the desk erases him.
    let carl_stay: serde_json::Value = hotel_e2e::http_client()
        .get(format!("{}/staff/bookings?guest=stone", hotel.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let carl_stay = carl_stay["bookings"][0]["id"].as_i64().unwrap();
    let cancelled = hotel_e2e::http_client()
        .post(format!(
            "{}/staff/bookings/{carl_stay}/cancel?waive_fee=true",
            hotel.url
        ))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);
    desk.click("#guest-erase").await.unwrap();
    desk.click_named("Erase for good").await.unwrap();
    desk.wait_text(".message.ok", "Erased guest").await.unwrap();
    desk.wait_text("h1", "Erased guest").await.unwrap();
    desk.assert_accessible("erased guest").await.unwrap();
    desk.screenshot("guest-erased").await.unwrap();
    desk.quit().await;
}

/// The hotel's breakfast carries the standard rate of VAT, as a German hotel sets it up.
/// Posts €45.00 of food and drink at the Standard rate in the clerk's `words`, as a charge
/// (`other`) or a `discount`; the bill's balance is then `balance`.
async fn post_in_words(desk: &Browser, what: &str, words: &str, balance: &str) {
    desk.pick("What", what).await.unwrap();
    desk.fill("Words on the bill", words).await.unwrap();
    desk.fill("Amount", "45").await.unwrap();
    desk.pick("Kind (for the accountant)", "food_and_beverage")
        .await
        .unwrap();
    let standard = desk
        .script(
            "return [...document.querySelector('#charge-vat').options]
                .find(o => o.text.startsWith('Standard')).value",
            json!([]),
        )
        .await
        .unwrap();
    desk.pick("VAT rate", standard.as_str().unwrap())
        .await
        .unwrap();
    desk.click_named("Post").await.unwrap();
    desk.wait_text(
        ".message.ok",
        &format!("Posted. The balance is now {balance}."),
    )
    .await
    .unwrap();
    desk.wait_text("#bill", words).await.unwrap();
}

async fn breakfast_at_the_standard_rate(hotel: &hotel_e2e::Hotel) {
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{}/login", hotel.url))
        .json(&json!({"username": "desk", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().unwrap().to_string();
    let today = hotel_e2e::people::today(hotel).await;
    let rate: serde_json::Value = client
        .post(format!("{}/staff/tax-rates", hotel.url))
        .bearer_auth(&token)
        .json(&json!({"name": "Standard", "percent": 19, "valid_from": today}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let taxed = client
        .put(format!("{}/staff/extras/1", hotel.url))
        .bearer_auth(&token)
        .json(&json!({"name": "Breakfast", "price": 1500, "tax_rate_id": rate["id"]}))
        .send()
        .await
        .unwrap();
    assert!(taxed.status().is_success(), "{:?}", taxed.text().await);
}
