//! The web app in a real headless Chromium against the real server on a random port with a
//! fresh database. Screenshots of every page land in target/e2e-screenshots/.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hotel_e2e::people::{
    BROWSERS, PASSWORD, as_staff, book_tonight, new_staff, plus_days, sign_in, skip, today,
};
use hotel_e2e::{Browser, http_client, start_hotel};
use serde_json::{Value, json};

/// A small PNG: one transparent pixel (well formed: photos are decoded).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0B, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0xE9, 0xFA, 0xDC, 0xD8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44,
    0xAE, 0x42, 0x60, 0x82,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_desk_checks_guests_in_and_out_and_moves_a_stay() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(10);
    new_staff(&hotel, "desk").await;
    let ann = book_tonight(&hotel, "ann", 2).await; // room 1
    let bob = book_tonight(&hotel, "bob", 3).await; // room 2

    let b = Browser::start("front-desk").await.unwrap();
    // Staff who sign in land at the front desk.
    sign_in(&b, &hotel, "desk", PASSWORD).await;
    b.wait_text(".brand", "Front desk").await.unwrap();
    assert_eq!(b.path().await.unwrap(), "/desk");
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
    // The booking reference the guest quotes stands beside the desk's number.
    let ann_reference = http_client()
        .post(format!("{}/query", hotel.url))
        .json(&json!({"username": "ann", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["bookings"][0]["reference"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    b.wait_text(
        "#in-house",
        &format!("Booking {ann}, reference {ann_reference}"),
    )
    .await
    .unwrap();
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
    // A Family room at the Standard rate: an upgrade on the house.
    b.click("#move-complimentary").await.unwrap();
    b.click("#move-submit").await.unwrap();
    b.wait_text(
        ".message.ok",
        &format!("Moved booking {bob} from room 2 to room 7."),
    )
    .await
    .unwrap();
    b.screenshot("front-desk-calendar").await.unwrap();
    let stays: Value = http_client()
        .post(format!("{}/query", hotel.url))
        .json(&json!({"username": "bob", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stays["bookings"][0]["room_type"], "Family");
    assert_eq!(stays["bookings"][0]["total"], 3 * 9_500);

    // Back at the board, checking ann out asks first; then her room is free again.
    b.click("a[href='/desk']").await.unwrap();
    b.click(&format!("#in-house button.check-out[data-booking='{ann}']"))
        .await
        .unwrap();
    b.wait_text("#confirm-text", "Check out ann from room 1?")
        .await
        .unwrap();
    b.click("#confirm-yes").await.unwrap();
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
    // Retiring a room asks first and can be undone.
    b.click("tr[data-room='10'] button.danger").await.unwrap();
    b.wait_text("#confirm-text", "Retire room 10?")
        .await
        .unwrap();
    b.assert_accessible("retire question").await.unwrap();
    b.click("#confirm-yes").await.unwrap();
    b.wait_text(".message.ok", "Retired room 10.")
        .await
        .unwrap();
    b.click_named("Restore room 10").await.unwrap();
    b.wait_text(".message.ok", "Restored room 10.")
        .await
        .unwrap();
    // So does taking a room out of service until further notice.
    b.type_into("tr[data-room='9'] input.oos", "Broken window")
        .await
        .unwrap();
    b.click("tr[data-room='9'] button.save-room").await.unwrap();
    b.wait_text(
        "#confirm-text",
        "Take room 9 out of service until further notice (Broken window)?",
    )
    .await
    .unwrap();
    b.click("#confirm-yes").await.unwrap();
    b.wait_text(
        ".message.ok",
        "Saved room 9: out of service (Broken window).",
    )
    .await
    .unwrap();
    // And retiring a room type (a new one, which no room has).
    b.type_into("tr[data-type='new'] input.type-name", "Loft")
        .await
        .unwrap();
    b.type_into("tr[data-type='new'] input.type-rate", "120")
        .await
        .unwrap();
    b.click("tr[data-type='new'] button.save-type")
        .await
        .unwrap();
    b.wait_text(".message.ok", "Saved room type Loft")
        .await
        .unwrap();
    b.wait_until(
        "the Loft listed",
        // The listed row, not the form for a new type that may still hold the typed name.
        "return [...document.querySelectorAll('#room-types tr')].some(r => r.querySelector('button.danger') && [...r.querySelectorAll('input.type-name')].some(i => i.value === 'Loft'))",
        json!([]),
    )
    .await
    .unwrap();
    b.script(
        "[...document.querySelectorAll('#room-types tr')].find(r => r.querySelector('button.danger') && [...r.querySelectorAll('input.type-name')].some(i => i.value === 'Loft')).querySelector('button.danger').setAttribute('id', 'retire-loft')",
        json!([]),
    )
    .await
    .unwrap();
    b.click("#retire-loft").await.unwrap();
    b.wait_text("#confirm-text", "Retire the room type Loft?")
        .await
        .unwrap();
    b.click("#confirm-yes").await.unwrap();
    b.wait_text(".message.ok", "Retired room type Loft.")
        .await
        .unwrap();
    b.wait_text("#retired", "Room type Loft").await.unwrap();
    // Booking sites: room 1 reads a calendar (room 2's own, served by this hotel as a site
    // serves its export), synced at once.
    let room_2 = b
        .script(
            "return document.querySelector('#calendar-2').value",
            json!([]),
        )
        .await
        .unwrap();
    let room_2 = room_2.as_str().unwrap();
    let path = &room_2[room_2.find("/ical/").unwrap()..];
    b.type_into("#feed-room", "1").await.unwrap();
    b.type_into("#feed-url", &format!("{}{path}", hotel.url))
        .await
        .unwrap();
    b.click("#feed-add").await.unwrap();
    b.wait_text(".message.ok", "Room 1 now reads that calendar")
        .await
        .unwrap();
    b.wait_text("#feeds", "Room 1 reads 127.0.0.1")
        .await
        .unwrap();
    b.click_named("Sync now").await.unwrap();
    b.wait_text(
        ".message.ok",
        "Room 1's calendar from the booking site is up to date",
    )
    .await
    .unwrap();
    b.wait_text("#feeds", "last synced").await.unwrap();
    b.assert_accessible("booking sites").await.unwrap();
    b.screenshot("front-desk-booking-sites").await.unwrap();
    b.click("a[href='/desk/calendar']").await.unwrap();
    b.wait_present("td.blocked").await.unwrap();
    b.assert_accessible("calendar").await.unwrap();
    b.click("a[href='/desk/reports']").await.unwrap();
    b.wait_text("#report-figures", "Occupancy").await.unwrap();
    // Bob's stay, moved into a Family room at the Standard rate.
    b.wait_text("#report-types", "Family").await.unwrap();
    b.wait_text("#report-bills", "Payments taken")
        .await
        .unwrap();
    let csv = b
        .script(
            "return document.querySelector('#report-csv').getAttribute('href')",
            json!([]),
        )
        .await
        .unwrap();
    assert!(
        csv.as_str().unwrap().starts_with("/staff/report.csv?from="),
        "{csv}"
    );
    b.assert_accessible("reports").await.unwrap();
    b.screenshot("front-desk-reports").await.unwrap();
    // The accountant's view loads beside it (its figures are checked on the shift's bill).
    b.wait_until(
        "the revenue loaded",
        "return !!document.querySelector('#revenue-none, #revenue-kinds')",
        json!([]),
    )
    .await
    .unwrap();
    let lines = b
        .script(
            "return document.querySelector('#invoices-csv').getAttribute('href')",
            json!([]),
        )
        .await
        .unwrap();
    assert!(
        lines
            .as_str()
            .unwrap()
            .starts_with("/staff/invoices.csv?from="),
        "{lines}"
    );
    b.assert_accessible("revenue").await.unwrap();
    b.click("a[href='/desk/audit']").await.unwrap();
    b.wait_text("#audit", "desk checked out booking")
        .await
        .unwrap();
    b.assert_accessible("audit log").await.unwrap();

    // The hotel's profile: what guests read, and a photo of the hotel.
    b.click("a[href='/desk/hotel']").await.unwrap();
    b.fill("Name", "Seaview House").await.unwrap();
    b.click("#hotel-details button[type=submit]").await.unwrap();
    b.wait_text(".message.ok", "Saved").await.unwrap();
    let photo = hotel.db.path().join("front.png");
    std::fs::write(&photo, PNG).unwrap();
    b.attach("#photo-file", &photo).await.unwrap();
    b.click_named("Add photo").await.unwrap();
    b.wait_text(".message.ok", "Photo added.").await.unwrap();
    b.wait_present("ul.photos img").await.unwrap();
    // A key for a program that books: shown once, it opens the staff API within its scope.
    b.type_into("#key-name", "channel-manager").await.unwrap();
    b.click("#key-scope-bookings").await.unwrap();
    b.click("#key-make").await.unwrap();
    b.wait_text(".message.ok", "The key for channel-manager is made")
        .await
        .unwrap();
    b.wait_text("#api-keys", "channel-manager").await.unwrap();
    let secret = b
        .script(
            "return document.querySelector('#key-secret').value",
            json!([]),
        )
        .await
        .unwrap();
    let secret = secret.as_str().unwrap().to_string();
    assert!(secret.starts_with("hk_"), "{secret}");
    let bookings = http_client()
        .get(format!("{}/staff/bookings", hotel.url))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(bookings.status(), 200);
    b.assert_accessible("hotel profile").await.unwrap();
    b.screenshot("front-desk-hotel").await.unwrap();
    b.click_named("Revoke the key for channel-manager")
        .await
        .unwrap();
    b.wait_text(".message.ok", "The key for channel-manager no longer works")
        .await
        .unwrap();
    let refused = http_client()
        .get(format!("{}/staff/bookings", hotel.url))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    // A webhook to an address that answers nothing: the page says the tries fail.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let hook = format!("http://127.0.0.1:{closed}/hook");
    b.type_into("#hook-url", &hook).await.unwrap();
    b.type_into("#hook-secret", "0123456789abcdef-secret")
        .await
        .unwrap();
    b.click("#hook-add").await.unwrap();
    b.wait_text(".message.ok", "The hotel now sends its news to")
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    b.refresh().await.unwrap();
    b.wait_text("#webhooks", "the last try failed")
        .await
        .unwrap();
    b.assert_accessible("webhooks").await.unwrap();
    b.script(
        "document.querySelector('#hooks-title').scrollIntoView()",
        json!([]),
    )
    .await
    .unwrap();
    b.screenshot("front-desk-webhooks").await.unwrap();
    b.click_named(&format!("Stop sending to {hook}"))
        .await
        .unwrap();
    b.wait_text(".message.ok", "no longer sends its news")
        .await
        .unwrap();
    // Taxes: a VAT rate for the rooms, and the town's city tax, which offers show from now on.
    b.fill("Name (as invoices show it)", "Lodging")
        .await
        .unwrap();
    b.fill("Percent", "7").await.unwrap();
    b.click_named("Add the rate").await.unwrap();
    b.wait_text(".message.ok", "Added the tax rate Lodging.")
        .await
        .unwrap();
    b.wait_text("#tax-rates", "Lodging: 7 %").await.unwrap();
    b.fill("Amount per guest and night (EUR)", "2.50")
        .await
        .unwrap();
    b.fill("Children younger than this pay none (age, optional)", "14")
        .await
        .unwrap();
    b.click_named("Save the city tax").await.unwrap();
    b.wait_text(".message.ok", "offers show the city tax")
        .await
        .unwrap();
    b.wait_text("#city-tax-form", "Stop collecting it")
        .await
        .unwrap();
    // Prices entered before VAT, kept after a reload, then back to prices as guests pay them.
    b.click("#price-basis-net").await.unwrap();
    b.click_named("Save how prices are entered").await.unwrap();
    b.wait_text(".message.ok", "plus its VAT").await.unwrap();
    b.refresh().await.unwrap();
    b.wait_present("#price-basis-net:checked").await.unwrap();
    b.click("#price-basis-gross").await.unwrap();
    b.click_named("Save how prices are entered").await.unwrap();
    b.wait_text(".message.ok", "prices as entered")
        .await
        .unwrap();
    b.assert_accessible("taxes").await.unwrap();
    b.script(
        "document.querySelector('#taxes-title').scrollIntoView()",
        json!([]),
    )
    .await
    .unwrap();
    b.screenshot("front-desk-taxes").await.unwrap();
    let day = today(&hotel).await;
    let quote: Value = http_client()
        .get(format!(
            "{}/quote?check_in={}&check_out={}&guests=2",
            hotel.url,
            plus_days(&day, 30),
            plus_days(&day, 32)
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(quote["options"][0]["city_tax"], json!(1_000), "{quote}");
    // The Standard rooms' nights are taxed at the new rate, picked on the rooms page.
    b.click("a[href='/desk/rooms']").await.unwrap();
    b.wait_present("tr[data-type='1'] select.type-vat option[value='1']")
        .await
        .unwrap();
    b.choose("tr[data-type='1'] select.type-vat", "1")
        .await
        .unwrap();
    save_and_reload(&b, "tr[data-type='1'] button.save-type").await;
    b.wait_text(".message.ok", "Saved room type Standard")
        .await
        .unwrap();
    let (_, standard) = as_staff(
        &hotel,
        "desk",
        reqwest::Method::GET,
        "/staff/room-types",
        Value::Null,
    )
    .await;
    assert_eq!(
        standard["room_types"][0]["tax_rate_id"],
        json!(1),
        "{standard}"
    );
    // The extras on the same page: breakfast taxed at that rate; a new extra added, taken off
    // sale and put back.
    b.choose("tr[data-extra='1'] select.extra-vat", "1")
        .await
        .unwrap();
    save_and_reload(&b, "tr[data-extra='1'] button.save-extra").await;
    b.wait_text(".message.ok", "Saved the extra Breakfast")
        .await
        .unwrap();
    let (_, extras) = as_staff(
        &hotel,
        "desk",
        reqwest::Method::GET,
        "/staff/extras",
        Value::Null,
    )
    .await;
    let breakfast = extras["extras"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["name"] == "Breakfast"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(breakfast["tax_rate_id"], json!(1), "{extras}");
    b.type_into("tr[data-extra='new'] input.extra-name", "Late check-out")
        .await
        .unwrap();
    b.type_into("tr[data-extra='new'] input.extra-price", "20")
        .await
        .unwrap();
    save_and_reload(&b, "tr[data-extra='new'] button.save-extra").await;
    b.wait_text(".message.ok", "Saved the extra Late check-out")
        .await
        .unwrap();
    save_and_reload(
        &b,
        "button[aria-label='Take off sale of the extra Late check-out']",
    )
    .await;
    b.wait_text("#extras-off-sale", "Late check-out")
        .await
        .unwrap();
    b.assert_accessible("extras").await.unwrap();
    b.script(
        "document.querySelector('#extras-title').scrollIntoView()",
        json!([]),
    )
    .await
    .unwrap();
    b.screenshot("front-desk-extras").await.unwrap();
    b.click_named("Put back on sale: Late check-out")
        .await
        .unwrap();
    b.wait_text(".message.ok", "Late check-out is on sale again.")
        .await
        .unwrap();

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
    b.wait_text("h1", "Seaview House").await.unwrap();
    b.wait_present("img.hero-photo").await.unwrap();
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

/// The API tests' mail server (aiosmtpd), the same file.
#[path = "../../backend/tests/api/helpers/smtp.rs"]
#[allow(dead_code)]
mod smtp;

/// Clicks `button` on the rooms and rates page and waits for the page's data read afresh
/// (the list of extras is its last read), so that a field set next is not set back by the
/// page redrawn from it.
async fn save_and_reload(b: &Browser, button: &str) {
    b.script("performance.clearResourceTimings()", json!([]))
        .await
        .unwrap();
    b.click(button).await.unwrap();
    b.wait_until(
        &format!("the page read afresh after {button}"),
        "return performance.getEntriesByType('resource')
            .some(e => e.name.includes('/staff/extras?limit'))",
        json!([]),
    )
    .await
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_walk_in_is_mailed_a_confirmation_the_desk_can_send_again() {
    if skip() {
        return;
    }
    let Some(sink) = smtp::SmtpSink::start() else {
        return;
    };
    let _one = BROWSERS.lock().await;
    let hotel = hotel_e2e::start_hotel_with(10, |c| sink.configure(c));
    new_staff(&hotel, "desk").await;
    let b = Browser::start("desk-mail").await.unwrap();
    sign_in(&b, &hotel, "desk", PASSWORD).await;
    b.wait_text(".brand", "Front desk").await.unwrap();

    // Without an address the form says no confirmation goes; with one, it offers to send it.
    b.fill("Full name", "Greta Berg").await.unwrap();
    b.wait_text("#walk-in-no-email", "no confirmation will be sent")
        .await
        .unwrap();
    b.fill("E-mail (optional)", "greta@example.de")
        .await
        .unwrap();
    b.wait_text("label", "Send the booking confirmation to greta@example.de")
        .await
        .unwrap();
    b.assert_accessible("walk-in with a confirmation")
        .await
        .unwrap();
    b.click_named("Book only").await.unwrap();
    b.wait_text(".message.ok", "Booked Greta Berg")
        .await
        .unwrap();
    let mail = sink.wait_for(1, std::time::Duration::from_secs(30)).await;
    assert_eq!(mail[0].rcpt_tos, vec!["greta@example.de".to_string()]);

    // The Messages page shows it sent; Send again sends it a second time.
    b.click_named("Messages").await.unwrap();
    b.wait_text("h1", "Messages to guests").await.unwrap();
    b.wait_text(
        "#messages",
        "Booking confirmation to Greta Berg <greta@example.de>",
    )
    .await
    .unwrap();
    b.wait_text("#messages", "Sent").await.unwrap();
    b.assert_accessible("messages").await.unwrap();
    b.assert_fits_width("messages").await.unwrap();
    b.screenshot("desk-messages").await.unwrap();
    b.click_named("Send again").await.unwrap();
    b.wait_text("[aria-live]", "goes again").await.unwrap();
    assert_eq!(
        sink.wait_for(2, std::time::Duration::from_secs(30))
            .await
            .len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_rewrites_the_confirmation_and_the_next_booking_is_mailed_with_it() {
    if skip() {
        return;
    }
    let Some(sink) = smtp::SmtpSink::start() else {
        return;
    };
    let _one = BROWSERS.lock().await;
    let hotel = hotel_e2e::start_hotel_with(10, |c| sink.configure(c));
    new_staff(&hotel, "desk").await;
    let b = Browser::start("desk-letters").await.unwrap();
    sign_in(&b, &hotel, "desk", PASSWORD).await;
    b.wait_text(".brand", "Front desk").await.unwrap();
    let wait = std::time::Duration::from_secs(30);

    // A first walk-in, with the standard text, gives the preview a booking to show.
    b.fill("Full name", "Greta Berg").await.unwrap();
    b.fill("E-mail (optional)", "greta@example.de")
        .await
        .unwrap();
    b.click_named("Book only").await.unwrap();
    b.wait_text(".message.ok", "Booked Greta Berg")
        .await
        .unwrap();
    let first = sink.wait_for(1, wait).await;
    assert!(
        first[0].subject.starts_with("Your booking"),
        "{}",
        first[0].subject
    );

    b.click_named("Letters").await.unwrap();
    b.wait_text("h1", "Letters to guests").await.unwrap();
    b.wait_text("#letter-standing", "standard text")
        .await
        .unwrap();
    b.wait_text(".placeholders", "{{stay}}").await.unwrap();
    b.wait_text(".placeholders", "the guest's name")
        .await
        .unwrap();

    // A misspelt placeholder is refused, saying which.
    b.fill("Subject", "Welcome to our house, {{nmae}}")
        .await
        .unwrap();
    b.click_named("Save").await.unwrap();
    b.wait_text("[aria-live]", "{{nmae}} is not a placeholder")
        .await
        .unwrap();

    b.fill("Subject", "Welcome to our house, {{name}}")
        .await
        .unwrap();
    b.fill(
        "Text",
        "Hello {{name}},\n\nwe have kept a room for you.\n\n{{stay}}\n\nUntil soon, {{hotel}}",
    )
    .await
    .unwrap();
    b.click_named("Preview").await.unwrap();
    b.wait_text("#preview-subject", "Welcome to our house, Greta Berg")
        .await
        .unwrap();
    b.wait_text("#preview-text", "we have kept a room for you")
        .await
        .unwrap();
    b.wait_text("#preview-text", "Room 1").await.unwrap();
    b.assert_accessible("letters with a preview").await.unwrap();
    b.assert_fits_width("letters").await.unwrap();
    b.screenshot("desk-letters").await.unwrap();
    // Previewing sends nothing.
    assert_eq!(sink.received().len(), 1);

    b.click_named("Save").await.unwrap();
    b.wait_text("[aria-live]", "Saved").await.unwrap();
    b.wait_text("#letter-standing", "own text").await.unwrap();

    // The next booking's confirmation is written with the new words.
    b.click_named("Today").await.unwrap();
    b.fill("Full name", "Hans Ober").await.unwrap();
    b.fill("E-mail (optional)", "hans@example.de")
        .await
        .unwrap();
    b.click_named("Book only").await.unwrap();
    b.wait_text(".message.ok", "Booked Hans Ober")
        .await
        .unwrap();
    let mail = sink.wait_for(2, wait).await;
    let hans = mail
        .iter()
        .find(|m| m.rcpt_tos == vec!["hans@example.de".to_string()])
        .expect("Hans's confirmation");
    assert_eq!(hans.subject, "Welcome to our house, Hans Ober");
    assert!(
        hans.text.contains("we have kept a room for you"),
        "{}",
        hans.text
    );

    // A booking's bill shows the e-mail about it.
    b.click("a[href^='/desk/bill']").await.unwrap();
    b.wait_text("#booking-messages", "Booking confirmation to")
        .await
        .unwrap();
    b.wait_text("#booking-messages", "Sent").await.unwrap();
    b.assert_accessible("bill with its messages").await.unwrap();
    b.quit().await;
}
