//! Keys for programs: made by staff or on the command line, shown once and kept as a digest,
//! scoped, named in the audit log, revoked at once.

use hotel_shared::keys::{ApiKeyList, NewApiKey};
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

async fn make_key(app: &TestApp, staff: &str, name: &str, scopes: &[&str]) -> NewApiKey {
    let reply = app
        .send_as(
            staff,
            Method::POST,
            "/staff/api-keys",
            Some(json!({ "name": name, "scopes": scopes })),
        )
        .await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    reply.parsed()
}

#[tokio::test]
async fn a_key_books_within_its_scopes_and_the_audit_log_names_it() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let key = make_key(&app, &staff, "channel-manager", &["bookings", "read"]).await;
    assert!(
        key.secret.starts_with("hk_") && key.secret.len() == 67,
        "{}",
        key.secret
    );
    assert_eq!(key.key.scopes.len(), 2);
    assert!(key.secret.ends_with(&key.key.ends_with));
    // Only a digest is kept, and the list never shows the key.
    let stored = app.db.rows("SELECT name, scopes FROM api_keys").await;
    assert_eq!(
        stored,
        vec![("channel-manager".into(), "read bookings".into())]
    );
    let kept = app
        .db
        .rows("SELECT name, key_hash::text FROM api_keys")
        .await;
    assert!(!kept[0].1.contains(&key.secret[3..]), "{kept:?}");
    let today = app.today().await;
    let made = app
        .send_as(
            &key.secret,
            Method::POST,
            "/staff/bookings",
            Some(json!({"guest": "otto", "room_number": 3,
                        "check_in": day_after(today, 5), "check_out": day_after(today, 7)})),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let listed = app
        .send_as(&key.secret, Method::GET, "/staff/bookings", None)
        .await;
    assert_eq!(listed.status, 200, "{:?}", listed.body);
    let events = app.send_as(&key.secret, Method::GET, "/events", None).await;
    assert_eq!(events.status, 200, "{:?}", events.body);
    let log = app.send_as(&staff, Method::GET, "/staff/audit", None).await;
    let entry = log.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == json!("booking.create"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(entry["actor"], json!("API key channel-manager"), "{entry}");
    // Outside its scopes, and where no key may go, it is refused with a code.
    app.send_as(
        &key.secret,
        Method::PUT,
        "/staff/rate-calendar",
        Some(json!({"room_type_id": 1, "from": day_after(today, 1), "to": day_after(today, 2), "amount": 100})),
    )
    .await
    .assert(403, "code", "scope_missing");
    for (method, path) in [
        (Method::PUT, "/staff/hotel"),
        (Method::GET, "/staff/api-keys"),
        (Method::POST, "/staff/api-keys"),
        (Method::POST, "/staff/rooms"),
        (Method::GET, "/me"),
    ] {
        app.send_as(&key.secret, method, path, Some(json!({})))
            .await
            .assert(403, "code", "scope_missing");
    }
    // Its use is noted; the list shows when.
    let keys: ApiKeyList = app
        .send_as(&staff, Method::GET, "/staff/api-keys", None)
        .await
        .parsed();
    assert_eq!(keys.keys.len(), 1);
    assert!(keys.keys[0].last_used_at.is_some(), "{:?}", keys.keys[0]);
    assert_eq!(keys.keys[0].created_by, "desk");
}

#[tokio::test]
async fn a_rates_key_sets_the_calendar_and_cannot_book() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let key = make_key(&app, &staff, "revenue", &["rates"]).await;
    let today = app.today().await;
    let set = app
        .send_as(
            &key.secret,
            Method::PUT,
            "/staff/rate-calendar",
            Some(json!({"room_type_id": 1, "from": day_after(today, 1), "to": day_after(today, 3), "amount": 120})),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    app.send_as(
        &key.secret,
        Method::POST,
        "/staff/bookings",
        Some(json!({"guest": "otto", "room_number": 3,
                    "check_in": day_after(today, 5), "check_out": day_after(today, 7)})),
    )
    .await
    .assert(403, "code", "scope_missing");
    // Without `read`, it reads nothing either.
    app.send_as(&key.secret, Method::GET, "/staff/bookings", None)
        .await
        .assert(403, "code", "scope_missing");
}

#[tokio::test]
async fn a_revoked_key_opens_nothing_at_once() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    let key = make_key(&app, &staff, "door-locks", &["read"]).await;
    let rooms = app
        .send_as(&key.secret, Method::GET, "/staff/rooms", None)
        .await;
    assert_eq!(rooms.status, 200, "{:?}", rooms.body);
    let revoked = app
        .send_as(
            &staff,
            Method::DELETE,
            &format!("/staff/api-keys/{}", key.key.id),
            None,
        )
        .await;
    assert_eq!(revoked.status, 200, "{:?}", revoked.body);
    assert!(revoked.body["revoked_at"].is_string(), "{:?}", revoked.body);
    app.send_as(&key.secret, Method::GET, "/staff/rooms", None)
        .await
        .assert(401, "code", "api_key_invalid");
    // Revoking again changes nothing; the name is not given to another key.
    let again = app
        .send_as(
            &staff,
            Method::DELETE,
            &format!("/staff/api-keys/{}", key.key.id),
            None,
        )
        .await;
    assert_eq!(again.body["revoked_at"], revoked.body["revoked_at"]);
    app.send_as(
        &staff,
        Method::POST,
        "/staff/api-keys",
        Some(json!({"name": "door-locks", "scopes": ["read"]})),
    )
    .await
    .assert(409, "code", "api_key_exists");
    let log = app.send_as(&staff, Method::GET, "/staff/audit", None).await;
    assert_eq!(log.body["entries"][0]["action"], json!("api_key.revoke"));
    // A made-up key is refused the same way.
    let made_up = format!("hk_{}", "0".repeat(64));
    app.send_as(&made_up, Method::GET, "/staff/rooms", None)
        .await
        .assert(401, "code", "api_key_invalid");
}

#[tokio::test]
async fn bad_key_requests_are_refused_with_codes() {
    let app = spawn_app().await;
    let staff = app.staff("desk").await;
    for body in [
        json!({"name": "Big Name", "scopes": ["read"]}),
        json!({"name": "", "scopes": ["read"]}),
        json!({"name": "ok", "scopes": []}),
        json!({"name": "ok", "scopes": ["admin"]}),
        json!({"name": "ok"}),
    ] {
        let reply = app
            .send_as(&staff, Method::POST, "/staff/api-keys", Some(body.clone()))
            .await;
        assert_eq!(reply.status, 400, "{body}: {:?}", reply.body);
        assert!(reply.body["code"].is_string(), "{:?}", reply.body);
    }
    app.send_as(&staff, Method::DELETE, "/staff/api-keys/99", None)
        .await
        .assert(404, "code", "api_key_not_found");
    let guest = app.guest("ann").await;
    app.send_as(
        &guest,
        Method::POST,
        "/staff/api-keys",
        Some(json!({"name": "mine", "scopes": ["read"]})),
    )
    .await
    .assert(403, "code", "staff_only");
}

#[tokio::test]
async fn the_command_line_makes_lists_and_revokes_keys() {
    let app = spawn_app().await;
    let made = hotel_server(
        &app.db.url,
        &["api-key", "create", "accounting", "--scope", "read"],
        None,
    );
    assert!(made.status.success(), "{made:?}");
    let out = String::from_utf8_lossy(&made.stdout).to_string();
    let secret = out.lines().next().unwrap_or_default().to_string();
    assert!(secret.starts_with("hk_"), "{out}");
    let report = app
        .send_as(&secret, Method::GET, "/staff/rooms", None)
        .await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    let spare = hotel_server(
        &app.db.url,
        &["api-key", "create", "spare", "--scope", "bookings"],
        None,
    );
    let spare = String::from_utf8_lossy(&spare.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    let listed = hotel_server(&app.db.url, &["api-key", "list"], None);
    let listing = String::from_utf8_lossy(&listed.stdout).to_string();
    assert!(
        listing.contains("accounting") && listing.contains("spare"),
        "{listing}"
    );
    assert!(!listing.contains(&secret[3..]), "{listing}");
    let revoked = hotel_server(&app.db.url, &["api-key", "revoke", "spare"], None);
    assert!(revoked.status.success(), "{revoked:?}");
    app.send_as(&spare, Method::GET, "/staff/bookings", None)
        .await
        .assert(401, "code", "api_key_invalid");
    let unknown = hotel_server(&app.db.url, &["api-key", "revoke", "nobody"], None);
    assert!(!unknown.status.success());
    let bad = hotel_server(
        &app.db.url,
        &["api-key", "create", "x", "--scope", "admin"],
        None,
    );
    assert!(!bad.status.success());
    let staff = app.staff("desk").await;
    let log = app.send_as(&staff, Method::GET, "/staff/audit", None).await;
    let actions: Vec<_> = log.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].clone(), e["actor"].clone()))
        .collect();
    assert!(
        actions.contains(&(json!("api_key.create"), json!("hotel-server"))),
        "{actions:?}"
    );
}
