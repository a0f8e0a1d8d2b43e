//! Webhooks against a receiver served by the test: each event it wants arrives signed, once
//! taken and in order though the receiver fails; a day of failures pauses the webhook, and
//! resuming delivers again, from an earlier event when asked.

use hmac::{Hmac, Mac};
use hotel_shared::webhooks::{DeliveryLog, Webhook};
use reqwest::Method;
use serde_json::json;
use sha2::Sha256;

use crate::helpers::*;

const SECRET: &str = "whsec-0123456789abcdef";

async fn add(app: &TestApp, staff: &str, url: &str, events: &[&str]) -> Webhook {
    let reply = app
        .send_as(
            staff,
            Method::POST,
            "/staff/webhooks",
            Some(json!({"url": url, "events": events, "secret": SECRET})),
        )
        .await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    reply.parsed()
}

/// Whether `signature` (`t=…,v1=…`) signs `body` under the secret.
fn signed(signature: &str, body: &[u8]) -> bool {
    let Some((t, v1)) = signature
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    hex::decode(v1).is_ok_and(|v| mac.verify_slice(&v).is_ok())
}

fn taken(log: &[Posted]) -> Vec<(i64, String)> {
    log.iter()
        .filter(|r| (200..300).contains(&r.answered))
        .map(|r| (r.event_id, r.event_type.clone()))
        .collect()
}

#[tokio::test]
async fn a_receiver_sees_each_event_once_and_in_order_though_it_fails_twice() {
    let app = spawn_app_with(|c| c.webhook_retry_secs = 0).await;
    let staff = app.staff("desk").await;
    let receiver = Receiver::start(&[500, 500]).await;
    let hook = add(
        &app,
        &staff,
        &receiver.url(),
        &["booking.created", "booking.cancelled"],
    )
    .await;
    assert_eq!(hook.status, "active");
    let today = app.today().await;
    let ann = app
        .book_dates("ann", 1, &day_after(today, 2), &day_after(today, 4))
        .await;
    let ann_id = ann.body["bookings"][0]["id"].as_i64().unwrap();
    app.book_dates("bob", 1, &day_after(today, 3), &day_after(today, 5))
        .await;
    let cancelled = app
        .send_as(
            &staff,
            Method::POST,
            &format!("/staff/bookings/{ann_id}/cancel"),
            None,
        )
        .await;
    assert_eq!(cancelled.status, 200, "{:?}", cancelled.body);
    let log = receiver.wait_until(|log| taken(log).len() >= 3).await;
    let got = taken(&log);
    let kinds: Vec<&str> = got.iter().map(|(_, k)| k.as_str()).collect();
    assert_eq!(
        kinds,
        ["booking.created", "booking.created", "booking.cancelled"],
        "{log:?}"
    );
    assert!(got.windows(2).all(|w| w[0].0 < w[1].0), "in order: {got:?}");
    // The first event was tried three times; every try is signed and carries its event.
    assert_eq!(log.len(), 5, "{log:?}");
    assert_eq!(
        log.iter().map(|r| r.answered).collect::<Vec<_>>(),
        [500, 500, 200, 200, 200]
    );
    assert!(log[..3].iter().all(|r| r.event_id == got[0].0));
    for r in &log {
        assert!(signed(&r.signature, &r.body), "{r:?}");
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(body["id"], json!(r.event_id));
        assert_eq!(body["type"], json!(r.event_type));
    }
    let cancelled: serde_json::Value = serde_json::from_slice(&log[4].body).unwrap();
    assert_eq!(
        cancelled["data"]["status"],
        json!("cancelled"),
        "{cancelled}"
    );
    // The log says so, newest first (each try is written once its answer is in, a moment
    // after the receiver gave it).
    let mut deliveries = DeliveryLog {
        deliveries: Vec::new(),
        next_cursor: None,
    };
    for _ in 0..100 {
        deliveries = app
            .send_as(
                &staff,
                Method::GET,
                &format!("/staff/webhooks/{}/deliveries", hook.id),
                None,
            )
            .await
            .parsed();
        if deliveries.deliveries.len() >= 5 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let tries: Vec<(u32, bool, Option<u16>)> = deliveries
        .deliveries
        .iter()
        .rev()
        .map(|d| (d.attempt, d.ok, d.status))
        .collect();
    assert_eq!(
        tries,
        [
            (1, false, Some(500)),
            (2, false, Some(500)),
            (3, true, Some(200)),
            (1, true, Some(200)),
            (1, true, Some(200)),
        ]
    );
    let now: Webhook = app
        .send_as(
            &staff,
            Method::GET,
            &format!("/staff/webhooks/{}", hook.id),
            None,
        )
        .await
        .parsed();
    assert_eq!(now.status, "active", "{now:?}");
    assert_eq!(now.delivered_through, got[2].0);
}

#[tokio::test]
async fn a_webhook_failing_for_a_day_is_paused_and_resumed_from_an_event() {
    let app = spawn_app_with(|c| c.webhook_retry_secs = 0).await;
    let staff = app.staff("desk").await;
    let receiver = Receiver::start(&[]).await;
    receiver.set(Some(503));
    let hook = add(&app, &staff, &receiver.url(), &["*"]).await;
    let today = app.today().await;
    app.book_dates("ann", 1, &day_after(today, 2), &day_after(today, 4))
        .await;
    receiver.wait_until(|log| !log.is_empty()).await;
    // A day of failures, as the clock would make it: set again until a failed try has seen it
    // (a try under way when it is set writes its own time back).
    let day_ago = jiff::Timestamp::now().as_second() - 86_400 - 60;
    let mut paused = hook.clone();
    for _ in 0..200 {
        app.db
            .try_execute(&format!(
                "UPDATE webhooks SET failing_since = {day_ago} WHERE id = {} AND paused_at IS NULL",
                hook.id
            ))
            .await
            .unwrap();
        paused = app
            .send_as(
                &staff,
                Method::GET,
                &format!("/staff/webhooks/{}", hook.id),
                None,
            )
            .await
            .parsed();
        if paused.status == "paused" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(paused.status, "paused", "{paused:?}");
    assert!(
        paused
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("503")
    );
    let tries = receiver.received().len();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        receiver.received().len(),
        tries,
        "a paused webhook is left alone"
    );
    // Resumed, it delivers what waited.
    receiver.set(None);
    let resumed = app
        .send_as(
            &staff,
            Method::POST,
            &format!("/staff/webhooks/{}/resume", hook.id),
            None,
        )
        .await;
    assert_eq!(resumed.status, 200, "{:?}", resumed.body);
    let log = receiver.wait_until(|log| !taken(log).is_empty()).await;
    let first = taken(&log)[0].0;
    // From an event on, again: the receiver sees it a second time, by the same id.
    let again = app
        .send_as(
            &staff,
            Method::POST,
            &format!("/staff/webhooks/{}/resume", hook.id),
            Some(json!({"from_event": first})),
        )
        .await;
    assert_eq!(again.status, 200, "{:?}", again.body);
    let log = receiver
        .wait_until(|log| taken(log).iter().filter(|(id, _)| *id == first).count() == 2)
        .await;
    assert_eq!(
        taken(&log).iter().filter(|(id, _)| *id == first).count(),
        2,
        "{log:?}"
    );
    let audit = app.send_as(&staff, Method::GET, "/staff/audit", None).await;
    assert_eq!(audit.body["entries"][0]["action"], json!("webhook.resume"));
}

#[tokio::test]
async fn bad_webhooks_are_refused_with_codes() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    for body in [
        json!({"url": "ftp://example.org/hook", "events": ["*"], "secret": SECRET}),
        json!({"url": "https://example.org/hook", "events": [], "secret": SECRET}),
        json!({"url": "https://example.org/hook", "events": ["booking"], "secret": SECRET}),
        json!({"url": "https://example.org/hook", "events": ["*"], "secret": "short"}),
        json!({"url": "https://example.org/hook", "events": ["*"]}),
    ] {
        let reply = app
            .send_as(&staff, Method::POST, "/staff/webhooks", Some(body.clone()))
            .await;
        assert_eq!(reply.status, 400, "{body}: {:?}", reply.body);
    }
    app.send_as(&staff, Method::POST, "/staff/webhooks/9/resume", None)
        .await
        .assert(404, "code", "webhook_not_found");
    app.send_as(
        &staff,
        Method::POST,
        "/staff/webhooks/9/resume",
        Some(json!({"from_event": 0})),
    )
    .await
    .assert(400, "code", "invalid_request");
    // A key reads webhooks (never their secrets) but does not add them.
    let key = app
        .send_as(
            &staff,
            Method::POST,
            "/staff/api-keys",
            Some(json!({"name": "reader", "scopes": ["read", "bookings", "rates"]})),
        )
        .await
        .body["secret"]
        .as_str()
        .unwrap()
        .to_string();
    add(&app, &staff, "https://example.org/hook", &["*"]).await;
    let listed = app
        .send_as(&key, Method::GET, "/staff/webhooks", None)
        .await;
    assert_eq!(listed.status, 200);
    assert!(!listed.body.to_string().contains(SECRET));
    app.send_as(
        &key,
        Method::POST,
        "/staff/webhooks",
        Some(json!({"url": "https://example.org/x", "events": ["*"], "secret": SECRET})),
    )
    .await
    .assert(403, "code", "scope_missing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: run with HOTEL_TEST_ENGINE=postgres, as cargo xtask test does"]
async fn two_instances_deliver_each_event_once_and_in_order() {
    needs_postgres();
    let quick = |c: &mut hotel_backend::Config| {
        without_limits(c);
        c.webhook_retry_secs = 0;
    };
    let a = spawn_app_with(quick).await;
    let b = spawn_app_on(TestDb::existing(&a.db), quick).await;
    let staff = a.staff("desk").await;
    let receiver = Receiver::start(&[500]).await;
    add(&a, &staff, &receiver.url(), &["booking.created"]).await;
    let today = a.today().await;
    for i in 0..20 {
        let on = if i % 2 == 0 { &a } else { &b };
        let made = on
            .book_dates(
                &format!("guest{i}"),
                1,
                &day_after(today, i),
                &day_after(today, i + 1),
            )
            .await;
        assert_eq!(made.status, 200, "{:?}", made.body);
    }
    let log = receiver.wait_until(|log| taken(log).len() >= 20).await;
    let got = taken(&log);
    assert_eq!(got.len(), 20, "{log:?}");
    assert!(
        got.windows(2).all(|w| w[0].0 < w[1].0),
        "once each, in order: {got:?}"
    );
    assert_eq!(
        log.len(),
        21,
        "one refused try, then each event once: {log:?}"
    );
}
