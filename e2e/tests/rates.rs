//! Prices as a hotel sets them, in a real headless Chromium: the desk sets a season by
//! selecting nights in the rates calendar, and a guest sees the new price and its terms.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hotel_e2e::people::{BROWSERS, PASSWORD, new_staff, plus_days, sign_in, skip, today};
use hotel_e2e::{Browser, Screen, start_hotel};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_sets_a_season_and_a_guest_sees_its_price_and_terms() {
    if skip() {
        return;
    }
    let _one = BROWSERS.lock().await;
    let hotel = start_hotel(10);
    new_staff(&hotel, "desk").await;
    let today = today(&hotel).await;
    let (first, last) = (plus_days(&today, 2), plus_days(&today, 4));

    let desk = Browser::start("rates-desk").await.unwrap();
    sign_in(&desk, &hotel, "desk", PASSWORD).await;
    // Staff land on the front desk after signing in; from there, the menu.
    desk.wait_text("h1", "Front desk").await.unwrap();
    desk.click("a[href='/desk/rates']").await.unwrap();
    desk.wait_text("h1", "Rates calendar").await.unwrap();
    // The first row is the Standard rooms' base plan: choose three of its nights.
    let cell = |night: &str| format!("tbody tr:first-child button[data-night='{night}']");
    desk.wait_text(&cell(&first), "95").await.unwrap();
    desk.click(&cell(&first)).await.unwrap();
    desk.click(&cell(&last)).await.unwrap();
    desk.wait_text("form.rate-change h2", "3 nights")
        .await
        .unwrap();
    desk.fill("Price a night", "120.00").await.unwrap();
    desk.fill("Minimum stay (nights, from arrival)", "2")
        .await
        .unwrap();
    desk.assert_accessible("rates calendar with a choice")
        .await
        .unwrap();
    desk.click_named("Save for these nights").await.unwrap();
    desk.wait_text(".message.ok", "Saved for 3 nights.")
        .await
        .unwrap();
    let changed = desk.wait_text(&cell(&first), "120").await.unwrap();
    assert!(changed.contains("Min 2"), "{changed}");
    desk.screenshot("rates-calendar").await.unwrap();

    // A non-refundable plan 10 % below the base plan, for the Standard rooms.
    desk.fill("Name", "Non-refundable").await.unwrap();
    desk.fill("Change (e.g. -10 or 15.00)", "-10")
        .await
        .unwrap();
    desk.click("#plan-refundable").await.unwrap();
    desk.click_named("Add the plan").await.unwrap();
    desk.wait_text(".message.ok", "Added the plan Non-refundable.")
        .await
        .unwrap();
    let plans = desk
        .wait_text(".plans-table", "Non-refundable")
        .await
        .unwrap();
    assert!(plans.contains("-10 % on the base plan"), "{plans}");
    desk.assert_accessible("rates calendar with plans")
        .await
        .unwrap();

    // A guest on a phone searches those nights: the new price, and the terms in words.
    let guest = Browser::start_as("rates-guest", Screen::Phone, "en")
        .await
        .unwrap();
    let search = format!(
        "{}/?check_in={first}&check_out={}&adults=1&rooms=1",
        hotel.url,
        plus_days(&today, 4)
    );
    guest.goto(&search).await.unwrap();
    let offers = guest.wait_text("ul.offers", "Standard").await.unwrap();
    assert!(offers.contains("€240.00"), "{offers}");
    assert!(offers.contains("Free cancellation until"), "{offers}");
    // The new plan: 10 % off both nights, paid whatever happens.
    assert!(offers.contains("€216.00"), "{offers}");
    assert!(
        offers.contains("Non-refundable: cancelling costs the whole price."),
        "{offers}"
    );
    guest.assert_accessible("offers with plans").await.unwrap();
    guest.click_named("Choose Standard").await.unwrap();
    guest.wait_text("h1", "Review your booking").await.unwrap();
    let nights = guest.wait_text("table.nights", "€120.00").await.unwrap();
    assert_eq!(nights.matches("€120.00").count(), 2, "{nights}");
    let terms = guest.wait_text("#terms", "(your time)").await.unwrap();
    assert!(
        terms.contains("After that, cancelling costs €120.00."),
        "{terms}"
    );
    guest.assert_accessible("review with nights").await.unwrap();

    // A plan with breakfast included: €30.00 more, the bill splits it out, offers say so.
    desk.fill("Name", "Room and breakfast").await.unwrap();
    desk.choose("#plan-price-kind", "amount").await.unwrap();
    desk.fill("Change (e.g. -10 or 15.00)", "30.00")
        .await
        .unwrap();
    desk.click("#plan-includes input[type='checkbox']")
        .await
        .unwrap();
    desk.click_named("Add the plan").await.unwrap();
    desk.wait_text(".message.ok", "Added the plan Room and breakfast.")
        .await
        .unwrap();
    let plans = desk
        .wait_text(".plans-table", "including Breakfast")
        .await
        .unwrap();
    assert!(
        plans.contains("+EUR 30.00 a night on the base plan"),
        "{plans}"
    );
    desk.assert_accessible("rates calendar with an included breakfast")
        .await
        .unwrap();
    guest.goto(&search).await.unwrap();
    let offers = guest
        .wait_text("ul.offers", "Included: Breakfast.")
        .await
        .unwrap();
    assert!(offers.contains("€300.00"), "{offers}");
    guest
        .script(
            "document.querySelector('li.plan:last-child').scrollIntoView()",
            serde_json::json!([]),
        )
        .await
        .unwrap();
    guest.screenshot("rates-breakfast-included").await.unwrap();
    guest
        .click_named("Choose Standard, Room and breakfast")
        .await
        .unwrap();
    guest
        .wait_text("#taxes", "Included: Breakfast. Incl. VAT.")
        .await
        .unwrap();
    desk.quit().await;
    guest.quit().await;
}
