//! The guest site in a real headless Chromium, driven by labels and what buttons say, as a
//! person would: on a phone and on a desktop, in English and in German. axe-core checks every
//! page; screenshots of every step land in target/e2e-screenshots/.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hotel_e2e::people::{BROWSERS, PASSWORD, plus_days, set_city_tax, skip, today};
use hotel_e2e::{Browser, Screen, http_client, start_hotel};
use serde_json::json;

/// What every page must be: no serious accessibility problem, no sideways scrolling; and a
/// screenshot of it.
async fn check(b: &Browser, page: &str) {
    b.assert_accessible(page).await.unwrap();
    b.assert_fits_width(page).await.unwrap();
    b.screenshot(&format!("{}-{page}", b.name)).await.unwrap();
}

async fn search(b: &Browser, labels: [&str; 4], stay: [&str; 4], button: &str) {
    for (label, value) in labels.iter().zip(stay) {
        b.pick(label, value).await.unwrap();
    }
    b.click_named(button).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_books_on_a_phone_then_moves_and_cancels() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(10);
    let today = today(&hotel).await;
    // The town's city tax: 2.50 per adult and night, paid at the hotel.
    set_city_tax(
        &hotel,
        json!({"kind": "per_person_night", "amount": 250, "exempt_under_age": 14}),
    )
    .await;
    let b = Browser::start_as("phone", Screen::Phone, "en-GB")
        .await
        .unwrap();

    // Search: the hotel, then dates and party, the button on the first screen.
    b.goto(&hotel.url).await.unwrap();
    b.wait_text("h1", "Hotel Example").await.unwrap();
    b.assert_on_screen("#search").await.unwrap();
    check(&b, "search").await;
    let (arrive, leave) = (plus_days(&today, 1), plus_days(&today, 4));
    search(
        &b,
        ["Check-in", "Check-out", "Adults", "Rooms"],
        [&arrive, &leave, "3", "1"],
        "Show rooms and prices",
    )
    .await;

    // Offers: only the types that sleep three, priced for the whole stay.
    let offers = b.wait_text("ul.offers", "Family").await.unwrap();
    assert!(offers.contains("€435.00"), "{offers}");
    assert!(
        offers.contains("Incl. VAT, plus city tax €22.50, payable at the hotel."),
        "{offers}"
    );
    assert!(offers.contains("Suite"), "{offers}");
    assert!(!offers.contains("Standard"), "{offers}");
    check(&b, "offers").await;
    b.click_named("Choose Family").await.unwrap();

    // Details: an account made inline keeps the search.
    b.wait_text("h1", "Review your booking").await.unwrap();
    check(&b, "review-signed-out").await;
    b.fill("Full name", "Vera Lind").await.unwrap();
    b.fill("E-mail address", "vera@example.org").await.unwrap();
    b.fill("Password", PASSWORD).await.unwrap();
    b.click_named("Create account and continue").await.unwrap();
    b.wait_text("#book", "Book now · €435.00").await.unwrap();
    b.wait_text("header", "Vera Lind").await.unwrap();
    b.assert_on_screen("#book").await.unwrap();
    let summary = b.wait_text(".summary", "3 nights").await.unwrap();
    assert!(summary.contains("3 adults, 1 room"), "{summary}");
    assert!(summary.contains("Free cancellation"), "{summary}");
    assert!(summary.contains("plus city tax €22.50"), "{summary}");
    assert!(
        summary.contains("House rules: No smoking in the rooms."),
        "{summary}"
    );
    check(&b, "review").await;

    // Book: the confirmation has its own address, a reference, and the focus.
    b.click("#book").await.unwrap();
    b.wait_text("h1", "Your booking is confirmed")
        .await
        .unwrap();
    b.wait_present("#reference").await.unwrap();
    let path = b.path().await.unwrap();
    let reference = b.wait_text("#reference", "").await.unwrap();
    assert_eq!(path, format!("/bookings/{reference}"));
    assert_eq!(reference.len(), 8, "{reference}");
    b.wait_until(
        "the heading to have focus",
        "return document.activeElement.tagName === 'H1'",
        json!([]),
    )
    .await
    .unwrap();
    b.wait_text("#total", "€435.00").await.unwrap();
    b.wait_text("#taxes", "plus city tax €22.50").await.unwrap();
    b.wait_present("a[href$='/calendar.ics']").await.unwrap();
    check(&b, "confirmation").await;

    // My bookings: move within the type at the same price.
    b.click_named("Change or cancel in My bookings")
        .await
        .unwrap();
    b.wait_text("li.booking", &reference).await.unwrap();
    check(&b, "my-bookings").await;
    b.click_named("Move to another room").await.unwrap();
    b.wait_present("option[value='8|same price']")
        .await
        .unwrap();
    b.pick("New room", "8|same price").await.unwrap();
    b.click_named("Move to room 8 (same price)").await.unwrap();
    b.wait_text(".message.ok", "Moved to room 8.")
        .await
        .unwrap();
    b.wait_text("li.booking", "€435.00").await.unwrap();

    // Into a dearer type: the difference shows before, and is charged.
    b.click_named("Move to another room").await.unwrap();
    b.wait_text("select", "Room 10 · Suite · +€225.00")
        .await
        .unwrap();
    b.pick("New room", "10|+€225.00").await.unwrap();
    check(&b, "move-to-suite").await;
    b.click_named("Move to room 10 (+€225.00)").await.unwrap();
    b.wait_text(".message.ok", "Moved to room 10.")
        .await
        .unwrap();
    b.wait_text("li.booking", "€660.00").await.unwrap();

    // Cancel the booking: the question says what it costs under the booking's terms (free
    // until 18:00 on the arrival day, tomorrow).
    b.click_named("Cancel booking").await.unwrap();
    b.wait_text(
        "li.booking [role='alert']",
        "Cancel the whole booking? This is free of charge.",
    )
    .await
    .unwrap();
    b.click_named("Yes, cancel it").await.unwrap();
    b.wait_text(".message.ok", "Your booking is cancelled.")
        .await
        .unwrap();
    b.wait_text("main", "You have no current or upcoming stays")
        .await
        .unwrap();
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_books_in_german_on_a_desktop_and_a_double_click_books_once() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(10);
    let today = today(&hotel).await;
    set_city_tax(&hotel, json!({"kind": "per_person_night", "amount": 250})).await;
    let b = Browser::start_as("german", Screen::Desktop, "de-DE")
        .await
        .unwrap();
    b.goto(&hotel.url).await.unwrap();
    b.wait_text("#search-title", "Wann möchten Sie übernachten?")
        .await
        .unwrap();
    check(&b, "suche").await;
    let (arrive, leave) = (plus_days(&today, 2), plus_days(&today, 5));
    search(
        &b,
        ["Anreise", "Abreise", "Erwachsene", "Zimmer"],
        [&arrive, &leave, "4", "2"],
        "Zimmer und Preise anzeigen",
    )
    .await;
    let offers = b.wait_text("ul.offers", "Standard").await.unwrap();
    assert!(offers.contains("570,00 €"), "{offers}");
    assert!(offers.contains("pro Zimmer und Nacht"), "{offers}");
    // Two adults a room, three nights, two rooms: 12 × 2,50 €.
    assert!(
        offers.contains("Inkl. MwSt., zzgl. City-Tax 30,00 €, zahlbar im Hotel."),
        "{offers}"
    );
    check(&b, "angebote").await;
    b.click_named("Auswählen: Standard").await.unwrap();

    b.wait_text("h1", "Ihre Buchung prüfen").await.unwrap();
    b.fill("Vor- und Nachname", "Jonas Weber").await.unwrap();
    b.fill("E-Mail-Adresse", "jonas@example.de").await.unwrap();
    b.fill("Passwort", PASSWORD).await.unwrap();
    b.click_named("Konto anlegen und weiter").await.unwrap();
    b.wait_text("#book", "Jetzt buchen · 570,00 €")
        .await
        .unwrap();
    let summary = b.wait_text(".summary", "3 Nächte").await.unwrap();
    assert!(summary.contains("4 Erwachsene, 2 Zimmer"), "{summary}");
    assert!(summary.contains("zzgl. City-Tax 30,00 €"), "{summary}");
    assert!(summary.contains("Hausordnung: No smoking"), "{summary}");
    check(&b, "pruefen").await;
    // Two clicks in the same instant, before the page can redraw: one booking.
    b.script(
        "const button = document.querySelector('#book'); button.click(); button.click();",
        json!([]),
    )
    .await
    .unwrap();
    b.wait_text("h1", "Ihre Buchung ist bestätigt")
        .await
        .unwrap();
    let confirmation = b.wait_text("main", "Buchungsnummer").await.unwrap();
    assert!(
        confirmation.contains("Kostenlose Stornierung"),
        "{confirmation}"
    );
    check(&b, "bestaetigung").await;
    let rooms = b.script(
        "return fetch('/bookings', {credentials: 'same-origin'}).then(r => r.json()).then(q => q.bookings.length)",
        json!([]),
    );
    assert_eq!(rooms.await.unwrap(), json!(2));

    // The switcher speaks the other language, and the choice is remembered.
    b.click_named("English").await.unwrap();
    b.wait_text("h1", "Your booking is confirmed")
        .await
        .unwrap();
    b.refresh().await.unwrap();
    b.wait_text("h1", "Your booking is confirmed")
        .await
        .unwrap();
    b.click_named("Deutsch").await.unwrap();

    // A server error, translated from its code.
    b.click_named("Abmelden").await.unwrap();
    b.wait_text("[role=status]", "Sie sind abgemeldet.")
        .await
        .unwrap();
    b.goto(&format!("{}/signin", hotel.url)).await.unwrap();
    b.fill("E-Mail-Adresse oder Benutzername", "jonas@example.de")
        .await
        .unwrap();
    b.fill("Passwort", "not my password").await.unwrap();
    b.click("#submit").await.unwrap();
    b.wait_text(
        "#password-error",
        "Die E-Mail-Adresse oder das Passwort stimmt nicht.",
    )
    .await
    .unwrap();
    b.wait_present("#password[aria-invalid='true']")
        .await
        .unwrap();
    check(&b, "falsches-passwort").await;
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_that_nothing_fits_says_why() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(2);
    let today = today(&hotel).await;
    let (arrive, leave) = (plus_days(&today, 1), plus_days(&today, 2));
    let b = Browser::start("nothing-fits").await.unwrap();
    b.goto(&hotel.url).await.unwrap();
    search(
        &b,
        ["Check-in", "Check-out", "Adults", "Rooms"],
        [&arrive, &leave, "9", "1"],
        "Show rooms and prices",
    )
    .await;
    b.wait_text("#no-offers", "No room sleeps that many people")
        .await
        .unwrap();
    check(&b, "party-too-large").await;
    search(
        &b,
        ["Check-in", "Check-out", "Adults", "Rooms"],
        [&arrive, &leave, "2", "3"],
        "Show rooms and prices",
    )
    .await;
    b.wait_text("#no-offers", "fully booked").await.unwrap();
    // A departure before the arrival is told beside the field, and nothing is searched.
    b.pick("Check-in", &arrive).await.unwrap();
    b.pick("Check-out", &arrive).await.unwrap();
    b.click_named("Show rooms and prices").await.unwrap();
    b.wait_text(
        "#stay-error",
        "Choose a check-out day after the check-in day.",
    )
    .await
    .unwrap();
    b.wait_present("#check-out[aria-invalid='true']")
        .await
        .unwrap();
    check(&b, "bad-dates").await;
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deep_link_returns_after_sign_in_and_an_ended_session_says_so() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(3);
    let created = http_client()
        .post(format!("{}/register", hotel.url))
        .json(&json!({"username": "bea@example.org", "password": PASSWORD,
                      "name": "Bea Lund", "email": "bea@example.org"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let b = Browser::start("deep-link").await.unwrap();
    b.goto(&format!("{}/my-bookings", hotel.url)).await.unwrap();
    b.wait_text("h1", "Sign in or create an account")
        .await
        .unwrap();
    check(&b, "signin").await;
    // A wrong password says so, and nothing about a session ending.
    b.fill("E-mail address or username", "bea@example.org")
        .await
        .unwrap();
    b.fill("Password", "not-her-password-at-all").await.unwrap();
    b.click("#submit").await.unwrap();
    b.wait_text("main", "The e-mail address or the password is not right.")
        .await
        .unwrap();
    let page = b
        .script("return document.body.innerText", json!([]))
        .await
        .unwrap();
    assert!(
        !page.as_str().unwrap_or_default().contains("session"),
        "{page}"
    );
    b.fill("Password", PASSWORD).await.unwrap();
    b.click("#submit").await.unwrap();
    b.wait_text("h1", "My bookings").await.unwrap();
    assert_eq!(b.path().await.unwrap(), "/my-bookings");
    check(&b, "my-bookings-empty").await;
    // The menu's links and the browser's back button change the page without loading the app
    // again (the mark set on this window survives), and the menu says which page is shown.
    b.script("window.stillTheSameApp = true; return null", json!([]))
        .await
        .unwrap();
    b.click_named("Book a stay").await.unwrap();
    b.wait_text("h1", "Hotel Example").await.unwrap();
    assert_eq!(b.path().await.unwrap(), "/");
    b.wait_text("nav [aria-current=page]", "Book a stay")
        .await
        .unwrap();
    b.script("history.back(); return null", json!([]))
        .await
        .unwrap();
    b.wait_text("h1", "My bookings").await.unwrap();
    b.wait_text("nav [aria-current=page]", "My bookings")
        .await
        .unwrap();
    assert_eq!(
        b.script("return window.stillTheSameApp === true", json!([]))
            .await
            .unwrap(),
        json!(true)
    );
    // A reload keeps the session.
    b.refresh().await.unwrap();
    b.wait_text(".who", "Bea Lund").await.unwrap();
    // The skip link, shown when it has focus, takes the keyboard past the menu to the page.
    b.focus_and_enter(".skip").await.unwrap();
    b.wait_until(
        "the page's content to have focus",
        "return document.activeElement.id === 'main'",
        json!([]),
    )
    .await
    .unwrap();

    // The session's cookie goes (cleared, or signed out in another tab) while she reviews a
    // stay: booking says the session ended and asks her to sign in right there, stay kept.
    let today = today(&hotel).await;
    b.goto(&format!(
        "{}/?check_in={}&check_out={}&adults=1&rooms=1",
        hotel.url,
        plus_days(&today, 3),
        plus_days(&today, 5)
    ))
    .await
    .unwrap();
    b.click_named("Choose Standard").await.unwrap();
    b.wait_text("h1", "Review your booking").await.unwrap();
    b.forget_cookies().await.unwrap();
    b.click("#book").await.unwrap();
    b.wait_text(
        "[role=status]",
        "Your session has ended. Please sign in again.",
    )
    .await
    .unwrap();
    b.wait_text("#who-title", "Who is staying?").await.unwrap();
    check(&b, "review-session-ended").await;
    b.fill("E-mail address or username", "bea@example.org")
        .await
        .unwrap();
    b.fill("Password", PASSWORD).await.unwrap();
    b.click("#submit").await.unwrap();
    b.wait_present("#book").await.unwrap();
    b.wait_text("h1", "Review your booking").await.unwrap();
    b.click("#book").await.unwrap();
    b.wait_text("h1", "Your booking is confirmed")
        .await
        .unwrap();

    // The session ends elsewhere (signed out on another device, or expired).
    let token = b.session_cookie().await.unwrap().expect("session cookie");
    let ended = http_client()
        .post(format!("{}/logout", hotel.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 200);
    b.click_named("Book a stay").await.unwrap();
    b.click_named("My bookings").await.unwrap();
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

    // An unknown address says so and leads back.
    b.goto(&format!("{}/no-such-page", hotel.url))
        .await
        .unwrap();
    b.wait_text("h1", "There is no such page").await.unwrap();
    b.click_named("Search for a room").await.unwrap();
    b.wait_text("h1", "Hotel Example").await.unwrap();
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_changes_the_password_in_german_on_a_phone_and_other_sessions_end() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(10);
    hotel_e2e::people::register(&hotel, "lena@example.org").await;
    // Signed in elsewhere too: a laptop left at home.
    let elsewhere: serde_json::Value = http_client()
        .post(format!("{}/login", hotel.url))
        .json(&json!({"username": "lena@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let elsewhere = elsewhere["token"].as_str().unwrap().to_string();
    let b = Browser::start_as("phone-de", Screen::Phone, "de-DE")
        .await
        .unwrap();
    hotel_e2e::people::sign_in(&b, &hotel, "lena@example.org", PASSWORD).await;
    b.wait_until(
        "signed in and back on the first page",
        "return location.pathname === '/'",
        json!([]),
    )
    .await
    .unwrap();
    b.goto(&format!("{}/my-bookings", hotel.url)).await.unwrap();
    b.wait_text("#password-heading", "Ihr Passwort")
        .await
        .unwrap();

    // A wrong current password, then one of the most common: each said beside its field.
    b.fill("Aktuelles Passwort", "nicht das richtige")
        .await
        .unwrap();
    b.fill("Neues Passwort", "Sonnenschein 2027").await.unwrap();
    b.click_named("Passwort ändern").await.unwrap();
    b.wait_text(
        "#current-password-error",
        "Das ist nicht Ihr aktuelles Passwort.",
    )
    .await
    .unwrap();
    b.fill("Aktuelles Passwort", PASSWORD).await.unwrap();
    b.fill("Neues Passwort", "password123").await.unwrap();
    b.click_named("Passwort ändern").await.unwrap();
    b.wait_text("#new-password-error", "häufigsten")
        .await
        .unwrap();
    check(&b, "password-refused").await;
    b.fill("Neues Passwort", "Sonnenschein 2027").await.unwrap();
    b.click_named("Passwort ändern").await.unwrap();
    b.wait_text(".message.ok", "Ihr Passwort ist geändert.")
        .await
        .unwrap();
    check(&b, "password-changed").await;

    // The laptop's session has ended; the new password signs in.
    let ended = http_client()
        .get(format!("{}/me", hotel.url))
        .bearer_auth(&elsewhere)
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 401);
    let again = http_client()
        .post(format!("{}/login", hotel.url))
        .json(&json!({"username": "lena@example.org", "password": "Sonnenschein 2027"}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    b.quit().await;
}

/// The API tests' mail server (aiosmtpd), the same file.
#[path = "../../backend/tests/api/helpers/smtp.rs"]
#[allow(dead_code)]
mod smtp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_who_forgot_their_password_sets_a_new_one_from_the_mailed_link() {
    if skip() {
        return;
    }
    let Some(sink) = smtp::SmtpSink::start() else {
        return;
    };
    let _one = BROWSERS.lock().await;
    let hotel = hotel_e2e::start_hotel_with(10, |c| sink.configure(c));
    let signed_up = http_client()
        .post(format!("{}/register", hotel.url))
        .json(
            &json!({"username": "fran", "password": PASSWORD, "name": "Fran Forgetful",
                      "email": "fran@example.org", "language": "de"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(signed_up.status(), 201);
    let b = Browser::start_as("forgot", Screen::Phone, "de-DE")
        .await
        .unwrap();

    b.goto(&format!("{}/signin", hotel.url)).await.unwrap();
    b.click_named("Passwort vergessen?").await.unwrap();
    b.wait_text("h1", "Passwort vergessen?").await.unwrap();
    b.fill("E-Mail-Adresse oder Benutzername", "fran@example.org")
        .await
        .unwrap();
    b.click_named("Link per E-Mail senden").await.unwrap();
    b.wait_text("[aria-live]", "unterwegs").await.unwrap();
    check(&b, "forgot-password").await;

    // The link, from the mail server's inbox, in the guest's language.
    let mail = sink.wait_for(1, std::time::Duration::from_secs(30)).await;
    assert_eq!(mail[0].subject, "Ein neues Passwort für Hotel Example");
    let at = mail[0].text.find("/reset-password?token=").expect("a link");
    let link: String = mail[0].text[at..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    b.goto(&format!("{}{link}", hotel.url)).await.unwrap();
    b.wait_text("h1", "Neues Passwort festlegen").await.unwrap();
    check(&b, "reset-password").await;
    b.fill(
        "Neues Passwort (mindestens 8 Zeichen)",
        "ein ganz neues Kennwort",
    )
    .await
    .unwrap();
    b.click_named("Neues Passwort festlegen").await.unwrap();
    b.wait_text("[aria-live]", "Ihr neues Passwort ist festgelegt")
        .await
        .unwrap();

    // Signed in with it.
    b.click_named("Anmelden").await.unwrap();
    b.fill("E-Mail-Adresse oder Benutzername", "fran")
        .await
        .unwrap();
    b.fill("Passwort", "ein ganz neues Kennwort").await.unwrap();
    b.click("#submit").await.unwrap();
    b.wait_text("header", "Abmelden").await.unwrap();

    // The address given at sign-up is not confirmed yet: My bookings says so and mails a new
    // link, which confirms it.
    b.goto(&format!("{}/my-bookings", hotel.url)).await.unwrap();
    b.wait_text(
        "#confirm-email-note",
        "Bitte bestätigen Sie Ihre E-Mail-Adresse",
    )
    .await
    .unwrap();
    check(&b, "my-bookings-unconfirmed").await;
    b.click_named("Link erneut senden").await.unwrap();
    b.wait_text("[aria-live]", "Ein neuer Link ist")
        .await
        .unwrap();
    let wait = std::time::Duration::from_secs(30);
    let confirmations: Vec<_> = sink
        .wait_for_all(3, wait)
        .await
        .into_iter()
        .filter(|m| m.confirms_an_address())
        .collect();
    assert_eq!(confirmations.len(), 2, "the sign-up's link and the new one");
    let newest = &confirmations[1];
    assert!(
        newest.subject.starts_with("Bitte bestätigen"),
        "{}",
        newest.subject
    );
    let at = newest.text.find("/confirm-email?token=").expect("a link");
    let link: String = newest.text[at..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    b.goto(&format!("{}{link}", hotel.url)).await.unwrap();
    b.wait_text("h1", "E-Mail-Adresse bestätigen")
        .await
        .unwrap();
    b.wait_text("[aria-live]", "Ihre E-Mail-Adresse ist bestätigt")
        .await
        .unwrap();
    check(&b, "confirm-email").await;
    b.goto(&format!("{}/my-bookings", hotel.url)).await.unwrap();
    b.wait_text("h1", "Meine Buchungen").await.unwrap();
    b.wait_text("main", "Ihre Daten").await.unwrap();
    let note = b
        .script(
            "return !!document.querySelector('#confirm-email-note')",
            json!([]),
        )
        .await
        .unwrap();
    assert_eq!(note, json!(false), "no note once the address is confirmed");
}
