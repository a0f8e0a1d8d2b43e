//! Calendar sync with the booking sites, both ways: feeds served by the test on 127.0.0.1 are
//! imported as blocked nights (added, moved, removed by UID; conflicts with the hotel's own
//! stays shown on the board; broken feeds keeping the last good state), and each room's
//! published calendar, read back with the same crate, lists exactly the nights it cannot be
//! sold.

use std::collections::BTreeSet;

use hotel_shared::channels::{Feed, FeedList, FeedSynced, SyncLog};
use hotel_shared::staff::{
    BlockList, FrontDesk, Room, RoomBlock, RoomList, RoomType, RoomTypeList,
};
use icalendar::{Component, DatePerhapsTime};
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

async fn attach(app: &TestApp, staff: &str, room: u32, url: &str) -> Feed {
    let reply = app
        .send_as(
            staff,
            Method::POST,
            &format!("/staff/rooms/{room}/feeds"),
            Some(json!({ "url": url })),
        )
        .await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    reply.parsed()
}

async fn sync(app: &TestApp, staff: &str, feed: i64) -> FeedSynced {
    let reply = app
        .send_as(
            staff,
            Method::POST,
            &format!("/staff/feeds/{feed}/sync"),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.parsed()
}

/// The feed's blocks that have not ended: (first night, departure day).
async fn imported(app: &TestApp, staff: &str, feed: i64) -> Vec<(String, String)> {
    let blocks = app
        .send_as(staff, Method::GET, "/staff/blocks", None)
        .await
        .parsed::<BlockList>()
        .blocks;
    blocks
        .iter()
        .filter(|b| b.feed_id == Some(feed))
        .map(|b| (b.from.to_string(), b.to.to_string()))
        .collect()
}

fn nights(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[tokio::test]
async fn an_imported_feed_blocks_its_nights_and_importing_it_again_adds_nothing() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let (a, b, c) = (
        day_after(today, 10),
        day_after(today, 12),
        day_after(today, 20),
    );
    let d = day_after(today, 21);
    let text = calendar(&[("one@site", &a, &b), ("two@site", &c, &d)]);
    // Without an ETag the feed is read and compared in full each time.
    let site = FeedServer::start(FeedReply::Calendar {
        text,
        tagged: false,
    })
    .await;
    let feed = attach(&app, &staff, 1, &site.url()).await;
    assert_eq!(feed.status, "new");

    let first = sync(&app, &staff, feed.id).await;
    assert!(first.sync.ok, "{:?}", first.sync);
    assert_eq!(first.sync.added, 2);
    assert_eq!(first.feed.status, "ok");
    assert_eq!(first.feed.blocks, 2);
    let blocked = imported(&app, &staff, feed.id).await;
    assert_eq!(blocked, nights(&[(&a, &b), (&c, &d)]));

    let again = sync(&app, &staff, feed.id).await;
    assert_eq!(
        (again.sync.added, again.sync.changed, again.sync.removed),
        (0, 0, 0)
    );
    assert_eq!(imported(&app, &staff, feed.id).await, blocked);

    // The nights are not sold: room 1 is skipped for a stay on them.
    app.register("ann", PASSWORD).await;
    let booked = app.book_dates("ann", 1, &a, &b).await;
    booked.assert(200, "message", "Rooms booked successfully: [2]");

    let log: SyncLog = app
        .send_as(
            &staff,
            Method::GET,
            &format!("/staff/feeds/{}/log", feed.id),
            None,
        )
        .await
        .parsed();
    assert_eq!(log.entries.len(), 2);
    assert_eq!(log.entries[0].detail, "unchanged");
    assert_eq!(log.entries[1].detail, "2 added, 0 moved, 0 removed");
}

#[tokio::test]
async fn a_feed_with_an_etag_is_asked_whether_it_changed() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let (a, b) = (day_after(today, 3), day_after(today, 5));
    let site = FeedServer::start(FeedReply::Calendar {
        text: calendar(&[("one@site", &a, &b)]),
        tagged: true,
    })
    .await;
    let feed = attach(&app, &staff, 1, &site.url()).await;
    assert_eq!(sync(&app, &staff, feed.id).await.sync.added, 1);
    let second = sync(&app, &staff, feed.id).await;
    assert_eq!(second.sync.detail, "unchanged since the last sync");
    assert_eq!(imported(&app, &staff, feed.id).await, nights(&[(&a, &b)]));
}

#[tokio::test]
async fn a_removed_event_frees_its_nights_and_a_moved_one_moves() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let day = |n| day_after(today, n);
    let site = FeedServer::start(FeedReply::Calendar {
        text: calendar(&[
            ("stays@site", &day(2), &day(4)),
            ("goes@site", &day(6), &day(8)),
        ]),
        tagged: false,
    })
    .await;
    let feed = attach(&app, &staff, 3, &site.url()).await;
    sync(&app, &staff, feed.id).await;

    site.set(FeedReply::Calendar {
        text: calendar(&[("stays@site", &day(3), &day(5))]),
        tagged: false,
    });
    let moved = sync(&app, &staff, feed.id).await;
    assert_eq!(
        (moved.sync.added, moved.sync.changed, moved.sync.removed),
        (0, 1, 1)
    );
    assert_eq!(
        imported(&app, &staff, feed.id).await,
        nights(&[(&day(3), &day(5))])
    );

    // Removing the feed frees every night it held.
    let removed = app
        .send_with(
            Method::DELETE,
            &format!("/staff/feeds/{}", feed.id),
            None,
            |r| r.bearer_auth(&staff),
        )
        .await;
    assert_eq!(removed.status, 200, "{:?}", removed.body);
    assert_eq!(removed.parsed::<Feed>().blocks, 1);
    assert!(imported(&app, &staff, feed.id).await.is_empty());
}

#[tokio::test]
async fn an_import_over_a_sold_stay_is_a_conflict_on_the_board() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let (a, b) = (day_after(today, 5), day_after(today, 8));
    app.register("ann", PASSWORD).await;
    app.book_dates("ann", 1, &a, &b)
        .await
        .assert(200, "message", "Rooms booked successfully: [1]");

    let site = FeedServer::start(FeedReply::Calendar {
        text: calendar(&[("clash@site", &day_after(today, 6), &day_after(today, 9))]),
        tagged: false,
    })
    .await;
    let feed = attach(&app, &staff, 1, &site.url()).await;
    let synced = sync(&app, &staff, feed.id).await;
    assert_eq!(synced.sync.conflicts, 1);
    // Both are kept: the imported stay blocks the room and the booking stands.
    assert_eq!(synced.feed.blocks, 1);
    let conflict = &synced.feed.conflicts[0];
    assert_eq!(conflict.room_number, 1);
    assert_eq!(conflict.from.to_string(), day_after(today, 6));

    let board: FrontDesk = app
        .send_as(&staff, Method::GET, "/staff/front-desk", None)
        .await
        .parsed();
    assert_eq!(board.calendar_conflicts, vec![conflict.clone()]);
    assert!(!conflict.reference.is_empty());

    let feed_now: FeedList = app
        .send_as(&staff, Method::GET, "/staff/feeds", None)
        .await
        .parsed();
    assert_eq!(feed_now.feeds[0].conflicts.len(), 1);
    assert!(
        app.audit_actions(&staff)
            .await
            .contains(&"ical.conflict".to_string())
    );
    // Events are placed in commit order by a worker (on PostgreSQL, a moment after commit).
    let mut seen = false;
    for _ in 0..50 {
        let events = app
            .send_as(&staff, Method::GET, "/events?limit=1000", None)
            .await;
        seen = events.body["events"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["type"] == "ical.conflict"));
        if seen {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(seen, "no ical.conflict event");
}

#[tokio::test]
async fn broken_feeds_keep_the_last_good_stays_and_say_why() {
    let app = spawn_app_with(|c| c.ical_timeout_secs = 2).await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let (a, b) = (day_after(today, 4), day_after(today, 6));
    let good = calendar(&[("kept@site", &a, &b)]);
    let site = FeedServer::start(FeedReply::Calendar {
        text: good,
        tagged: false,
    })
    .await;
    let feed = attach(&app, &staff, 2, &site.url()).await;
    sync(&app, &staff, feed.id).await;

    let broken = [
        (
            FeedReply::Calendar {
                text: "this is not a calendar".into(),
                tagged: false,
            },
            "not",
        ),
        (
            FeedReply::Calendar {
                text: "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n".into(),
                tagged: false,
            },
            "iCalendar",
        ),
        (FeedReply::Huge(5 * 1024 * 1024), "larger than 2 MB"),
        (FeedReply::Endless, ""),
        (FeedReply::Slow, "within 2 seconds"),
        (FeedReply::Status(500), "500"),
        (FeedReply::RedirectLoop, "redirected more than"),
    ];
    for (reply, why) in broken {
        site.set(reply.clone());
        let synced = sync(&app, &staff, feed.id).await;
        assert!(!synced.sync.ok, "{reply:?} gave {:?}", synced.sync);
        assert_eq!(synced.feed.status, "failed");
        let error = synced.feed.error.clone().unwrap_or_default();
        assert!(error.contains(why), "{reply:?}: {error}");
        assert_eq!(
            imported(&app, &staff, feed.id).await,
            nights(&[(&a, &b)]),
            "{reply:?}"
        );
    }
    // A feed that works again is ok again.
    site.set(FeedReply::Calendar {
        text: calendar(&[("kept@site", &a, &b)]),
        tagged: false,
    });
    assert_eq!(sync(&app, &staff, feed.id).await.feed.status, "ok");
}

/// The published calendar at `url` read with the icalendar crate: (UID, first night,
/// departure day) of each event.
async fn published(app: &TestApp, url: &str) -> (String, BTreeSet<(String, String, String)>) {
    let path = &url[url.find("/ical/").expect("an /ical/ address")..];
    let response = app
        .client
        .get(app.url(path))
        .header("Host", "evil\"host")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("text");
    let parsed: icalendar::Calendar = text.parse().expect("iCalendar");
    let day = |d: Option<DatePerhapsTime>| match d {
        Some(DatePerhapsTime::Date(d)) => d.to_string(),
        other => panic!("not an all-day date: {other:?}"),
    };
    let events = parsed
        .events()
        .map(|e| {
            (
                e.get_uid().unwrap_or_default().to_string(),
                day(e.get_start()),
                day(e.get_end()),
            )
        })
        .collect();
    (text, events)
}

#[tokio::test]
async fn a_rooms_calendar_lists_exactly_the_nights_it_cannot_be_sold() {
    let app = spawn_app_with(|c| c.public_url = Some("https://hotel.example".into())).await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let day = |n| day_after(today, n);
    app.register("ann", PASSWORD).await;
    app.book_dates("ann", 1, &day(1), &day(3)).await.assert(
        200,
        "message",
        "Rooms booked successfully: [1]",
    );
    // A cancelled stay is not listed.
    app.register("bob", PASSWORD).await;
    app.book_dates("bob", 1, &day(10), &day(12)).await.assert(
        200,
        "message",
        "Rooms booked successfully: [1]",
    );
    let bob = app.login("bob").await;
    let bookings = app.send_as(&bob, Method::GET, "/bookings", None).await;
    let id = bookings.body["bookings"][0]["id"].as_i64().expect("id");
    let cancelled = app
        .send_as(&bob, Method::DELETE, &format!("/bookings/{id}"), None)
        .await;
    assert_eq!(cancelled.status, 200, "{:?}", cancelled.body);
    let block = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/blocks",
            Some(json!({"room_number": 1, "from": day(20), "to": day(22), "reason": "paint"})),
        )
        .await;
    assert_eq!(block.status, 201, "{:?}", block.body);
    let block: RoomBlock = block.parsed();
    let site = FeedServer::start(FeedReply::Calendar {
        text: calendar(&[("abc@site", &day(30), &day(31))]),
        tagged: false,
    })
    .await;
    let feed = attach(&app, &staff, 1, &site.url()).await;
    sync(&app, &staff, feed.id).await;
    let imported_block = app
        .send_as(&staff, Method::GET, "/staff/blocks", None)
        .await
        .parsed::<BlockList>()
        .blocks
        .into_iter()
        .find(|b| b.feed_id == Some(feed.id))
        .expect("imported");

    let rooms: Vec<Room> = app
        .send_as(&staff, Method::GET, "/staff/rooms", None)
        .await
        .parsed::<RoomList>()
        .rooms;
    let url = rooms[0].ical_url.clone().expect("an address");
    assert!(url.starts_with("https://hotel.example/ical/"), "{url}");
    assert_ne!(rooms[0].ical_url, rooms[1].ical_url);
    let (text, events) = published(&app, &url).await;
    let ann_stay = app
        .send_as(&app.login("ann").await, Method::GET, "/bookings", None)
        .await
        .body["bookings"][0]["id"]
        .as_i64()
        .expect("id");
    let expected: BTreeSet<(String, String, String)> = [
        (format!("stay-{ann_stay}@hotel.example"), day(1), day(3)),
        (
            format!("block-{}@hotel.example", block.id),
            day(20),
            day(22),
        ),
        (
            format!("block-{}@hotel.example", imported_block.id),
            day(30),
            day(31),
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(events, expected);
    assert!(!text.contains("ann") && !text.contains("paint") && !text.contains("Reserved"));
    assert!(!text.contains("evil"));

    // Another room's calendar is empty; an unknown address is a 404.
    let (_, other) = published(&app, rooms[1].ical_url.as_deref().expect("address")).await;
    assert!(other.is_empty());
    let unknown = app.get(&format!("/ical/{}.ics", "0".repeat(32))).await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn a_room_types_calendar_lists_the_nights_none_of_its_rooms_is_free() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let today = app.today().await;
    let day = |n| day_after(today, n);
    let suite: RoomType = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/room-types",
            Some(json!({"name": "Loft", "capacity": 2, "rate": 30000})),
        )
        .await
        .parsed();
    for number in [101, 102] {
        let room = app
            .send_as(
                &staff,
                Method::POST,
                "/staff/rooms",
                Some(json!({"number": number, "room_type_id": suite.id, "floor": 1})),
            )
            .await;
        assert_eq!(room.status, 201, "{:?}", room.body);
    }
    for (number, from, to) in [(101, 5, 9), (102, 7, 12)] {
        let block = app
            .send_as(
                &staff,
                Method::POST,
                "/staff/blocks",
                Some(json!({"room_number": number, "from": day(from), "to": day(to), "reason": "works"})),
            )
            .await;
        assert_eq!(block.status, 201, "{:?}", block.body);
    }
    let types: Vec<RoomType> = app
        .send_as(&staff, Method::GET, "/staff/room-types", None)
        .await
        .parsed::<RoomTypeList>()
        .room_types;
    let url = types
        .iter()
        .find(|t| t.id == suite.id)
        .and_then(|t| t.ical_url.clone())
        .expect("an address");
    let (_, events) = published(&app, &url).await;
    let spans: Vec<(String, String)> = events.into_iter().map(|(_, a, b)| (a, b)).collect();
    assert_eq!(spans, vec![(day(7), day(9))]);
}

#[tokio::test]
async fn a_new_address_retires_the_old_one() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let rooms: Vec<Room> = app
        .send_as(&staff, Method::GET, "/staff/rooms", None)
        .await
        .parsed::<RoomList>()
        .rooms;
    let old = rooms[0].ical_url.clone().expect("address");
    let old_path = &old[old.find("/ical/").expect("path")..];
    let first = app.client.get(app.url(old_path)).send().await.expect("get");
    assert_eq!(first.status(), 200);
    let tag = first.headers()["etag"].clone();
    let unchanged = app
        .client
        .get(app.url(old_path))
        .header("If-None-Match", tag)
        .send()
        .await
        .expect("get");
    assert_eq!(unchanged.status(), 304);

    let replaced = app
        .send_as(&staff, Method::POST, "/staff/rooms/1/ical-address", None)
        .await;
    assert_eq!(replaced.status, 200, "{:?}", replaced.body);
    let new = replaced.body["ical_url"].as_str().expect("url").to_string();
    assert_ne!(new, old);
    assert_eq!(app.get(old_path).await.status, 404);
    let new_path = &new[new.find("/ical/").expect("path")..];
    let now = app.client.get(app.url(new_path)).send().await.expect("get");
    assert_eq!(now.status(), 200);
    assert!(
        app.audit_actions(&staff)
            .await
            .contains(&"ical.address_replace".to_string())
    );
}

#[tokio::test]
async fn feeds_are_for_staff_and_their_addresses_are_checked() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let guest = app.guest("ann").await;
    let body = json!({"url": "https://example.org/cal.ics"});
    let refused = app
        .send_as(
            &guest,
            Method::POST,
            "/staff/rooms/1/feeds",
            Some(body.clone()),
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(app.get("/staff/feeds").await.status, 401);

    for url in [
        "ftp://example.org/x.ics",
        "not a url",
        "https://user:pw@example.org/x.ics",
    ] {
        let bad = app
            .send_as(
                &staff,
                Method::POST,
                "/staff/rooms/1/feeds",
                Some(json!({ "url": url })),
            )
            .await;
        assert_eq!(bad.status, 400, "{url}: {:?}", bad.body);
        assert_eq!(bad.body["code"], "invalid_request");
    }
    let missing_room = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/rooms/999/feeds",
            Some(body.clone()),
        )
        .await;
    assert_eq!(missing_room.status, 404);
    attach(&app, &staff, 1, "https://example.org/cal.ics").await;
    let twice = app
        .send_as(&staff, Method::POST, "/staff/rooms/1/feeds", Some(body))
        .await;
    assert_eq!(twice.status, 409);
    assert_eq!(twice.body["code"], "feed_exists");
    let unknown = app
        .send_as(&staff, Method::POST, "/staff/feeds/4242/sync", None)
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.body["code"], "feed_not_found");
}
