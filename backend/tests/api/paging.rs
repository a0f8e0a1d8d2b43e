//! Lists come a page at a time, with an opaque cursor: no entry is lost or repeated while
//! bookings are made between pages; calendar feeds cover a bounded window.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

/// Every page of the list at `path` (which ends in `?…` or has no query), following
/// `next_cursor`: the ids under `key`, in order. `between` runs after each page.
async fn walk(
    app: &TestApp,
    token: &str,
    path: &str,
    key: &str,
    mut between: impl AsyncFnMut(),
) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut next = path.to_string();
    for _ in 0..100 {
        let page = app.send_as(token, Method::GET, &next, None).await;
        assert_eq!(page.status, 200, "{next}: {:?}", page.body);
        ids.extend(
            page.body[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_i64().unwrap()),
        );
        between().await;
        match page.body["next_cursor"].as_str() {
            Some(cursor) => next = format!("{path}&cursor={cursor}"),
            None => return ids,
        }
    }
    panic!("more than 100 pages of {path}");
}

/// `user` books one room for one night, `days` from today: the booking's id.
async fn one_night(app: &TestApp, user: &str, days: i64) -> i64 {
    let today = app.today().await;
    let reply = app
        .book_dates(
            user,
            1,
            &day_after(today, days),
            &day_after(today, days + 1),
        )
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["bookings"][0]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_guests_bookings_page_by_arrival_without_loss_or_repeat() {
    let app = spawn_app().await;
    let mut booked = Vec::new();
    for days in [5, 1, 3, 1, 8, 2, 6] {
        booked.push((days, one_night(&app, "ann", days).await));
    }
    let ann = app.login("ann").await;
    let mut extra = 0;
    let seen = walk(&app, &ann, "/bookings?limit=3", "bookings", async || {
        // Ann keeps booking while she pages: stays on days already passed and to come.
        extra += 1;
        one_night(&app, "ann", 1 + extra % 2 * 9).await;
    })
    .await;
    booked.sort();
    let expected: Vec<i64> = booked.iter().map(|(_, id)| *id).collect();
    let of_before: Vec<i64> = seen
        .iter()
        .copied()
        .filter(|id| expected.contains(id))
        .collect();
    assert_eq!(of_before, expected, "every stay once, by arrival day");
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no stay twice: {seen:?}");

    // Without paging parameters a guest still gets their stays (up to 200), by arrival.
    let all = app.send_as(&ann, Method::GET, "/bookings", None).await;
    assert_eq!(all.body.get("next_cursor"), None);
    assert_eq!(
        all.body["bookings"].as_array().unwrap().len(),
        expected.len() + extra as usize
    );
}

#[tokio::test]
async fn staff_search_pages_without_loss_or_repeat_while_guests_book() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let mut existing = Vec::new();
    for (i, days) in [4, 2, 2, 7, 1, 3, 2, 9].into_iter().enumerate() {
        existing.push(one_night(&app, &format!("guest{i}"), days).await);
    }
    let mut n = 0;
    let seen = walk(
        &app,
        &staff,
        "/staff/bookings?limit=2",
        "bookings",
        async || {
            n += 1;
            one_night(&app, &format!("late{n}"), n % 3).await;
        },
    )
    .await;
    for id in &existing {
        assert_eq!(
            seen.iter().filter(|s| *s == id).count(),
            1,
            "booking {id} in {seen:?}"
        );
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no booking twice: {seen:?}");

    // A guest quotes their reference: the desk finds the booking by it, any case.
    let first = app
        .send_as(&staff, Method::GET, "/staff/bookings?limit=1", None)
        .await;
    let reference = first.body["bookings"][0]["reference"].as_str().unwrap();
    let found = app
        .send_as(
            &staff,
            Method::GET,
            &format!("/staff/bookings?reference={}", reference.to_lowercase()),
            None,
        )
        .await;
    assert_eq!(found.body["bookings"].as_array().unwrap().len(), 1);
    assert_eq!(found.body["bookings"][0]["reference"], json!(reference));
}

#[tokio::test]
async fn audit_log_pages_to_the_oldest_entry_and_filters() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let ann_stay = one_night(&app, "ann", 0).await;
    one_night(&app, "bob", 0).await;
    let path = format!("/staff/bookings/{ann_stay}/check-in");
    assert_eq!(
        app.send_as(&staff, Method::POST, &path, None).await.status,
        200
    );

    let all = app.send_as(&staff, Method::GET, "/staff/audit", None).await;
    let every: Vec<i64> = all.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    let paged = walk(&app, &staff, "/staff/audit?limit=2", "entries", async || {}).await;
    assert_eq!(paged, every, "newest first, down to the oldest");
    assert_eq!(every.len(), 4, "{:?}", all.body);

    let actions = |reply: &Reply| -> Vec<String> {
        reply.body["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_string())
            .collect()
    };
    let get = async |query: &str| {
        app.send_as(&staff, Method::GET, &format!("/staff/audit?{query}"), None)
            .await
    };
    assert_eq!(
        actions(&get("action=booking").await),
        ["booking.check_in", "booking.create", "booking.create"]
    );
    assert_eq!(
        actions(&get("action=booking.create").await),
        ["booking.create", "booking.create"]
    );
    assert_eq!(actions(&get("actor=desk").await), ["booking.check_in"]);
    assert_eq!(
        actions(&get(&format!("booking={ann_stay}")).await),
        ["booking.check_in", "booking.create"]
    );
    let today = app.today().await;
    assert_eq!(
        actions(&get(&format!("from={today}&to={}", day_after(today, 1))).await).len(),
        4
    );
    assert_eq!(
        actions(&get(&format!("from={}", day_after(today, 1))).await),
        Vec::<String>::new()
    );
    assert_eq!(
        actions(&get(&format!("to={today}")).await),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn the_catalogue_lists_are_objects_that_page() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    for (path, key) in [
        ("/staff/room-types", "room_types"),
        ("/staff/extras", "extras"),
    ] {
        let whole = app.send_as(&staff, Method::GET, path, None).await;
        let ids: Vec<i64> = whole.body[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect();
        assert!(ids.len() > 1, "{path}: {:?}", whole.body);
        let paged = walk(&app, &staff, &format!("{path}?limit=1"), key, async || {}).await;
        assert_eq!(paged, ids, "{path}");
    }
    // Rooms by number, three a page.
    let mut numbers = Vec::new();
    let mut next = "/staff/rooms?limit=3".to_string();
    for _ in 0..10 {
        let page = app.send_as(&staff, Method::GET, &next, None).await;
        numbers.extend(
            page.body["rooms"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["number"].as_u64().unwrap()),
        );
        match page.body["next_cursor"].as_str() {
            Some(cursor) => next = format!("/staff/rooms?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(numbers, (1..=10).collect::<Vec<u64>>());
    for path in [
        "/staff/rooms?cursor=zz",
        "/staff/blocks?limit=0",
        "/staff/extras?limit=x",
    ] {
        let reply = app.send_as(&staff, Method::GET, path, None).await;
        assert_eq!(reply.status, 400, "{path}: {:?}", reply.body);
    }
}

#[tokio::test]
async fn a_parameter_an_address_does_not_take_is_refused() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    for (path, named) in [
        ("/staff/feeds?limt=3", "\"limt\""),
        (
            "/staff/bookings?from=2026-01-01&updated_snce=x",
            "\"updated_snce\"",
        ),
        ("/staff/audit?limit=5&actoin=x&zz=1", "\"actoin\", \"zz\""),
    ] {
        let reply = app.send_as(&staff, Method::GET, path, None).await;
        assert_eq!(reply.status, 400, "{path}: {:?}", reply.body);
        assert_eq!(reply.body["code"], "unknown_parameter", "{path}");
        assert!(reply.error().contains(named), "{path}: {}", reply.error());
    }
    let fine = app
        .send_as(&staff, Method::GET, "/staff/feeds?limit=3", None)
        .await;
    assert_eq!(fine.status, 200, "{:?}", fine.body);
}

#[tokio::test]
async fn paged_lists_refuse_a_cursor_they_did_not_give() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    for path in [
        "/bookings?cursor=zz",
        "/bookings?cursor=3132",
        "/bookings?limit=0",
        "/staff/bookings?cursor=nonsense",
        "/staff/audit?cursor=",
        "/staff/audit?action=Booking%25",
        "/staff/audit?from=yesterday",
    ] {
        let reply = app.send_as(&staff, Method::GET, path, None).await;
        assert_eq!(reply.status, 400, "{path}: {:?}", reply.body);
        assert!(!reply.error().is_empty(), "{path}");
    }
}

#[tokio::test]
async fn calendar_feeds_cover_30_days_back_to_a_year_ahead() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    one_night(&app, "ann", 2).await;
    let today = app.today().await;
    // Stays from long ago, written as an older hotel would hold them.
    for (reference, back) in [("OLDSTAY2", 60), ("RECENT22", 20)] {
        let sql = format!(
            "INSERT INTO bookings (user_id, room, check_in, check_out, status, acquired, \
             created_at, reference) SELECT id, 3, '{}', '{}', 'checked_out', {}, '{}', \
             '{reference}' FROM users WHERE username = 'ann'",
            day_after(today, -back),
            day_after(today, -back + 1),
            1_000_000 + back,
            day_after(today, -back),
        );
        app.db.try_execute(&sql).await.unwrap();
    }
    for token in [staff, app.login("ann").await] {
        let feed = app
            .client
            .get(app.url("/calendar.ics"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let starts = |back: i64| {
            format!(
                "DTSTART;VALUE=DATE:{}",
                day_after(today, -back).replace('-', "")
            )
        };
        assert!(feed.contains(&starts(20)), "{feed}");
        assert!(!feed.contains(&starts(60)), "{feed}");
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 2, "{feed}");
    }
}
