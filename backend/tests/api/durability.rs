//! Acknowledged bookings survive restarts and crashes.

use std::process::Command;

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn restart_keeps_every_booking() {
    let app = spawn_app().await;
    let today = app.today().await;
    app.book("kim", 3).await;
    app.update("kim", json!(9)).await;
    app.book_dates("lou", 2, &day_after(today, 10), &day_after(today, 12))
        .await;
    app.register("max", PASSWORD).await;
    let token = app.login("max").await;
    let db = app.stop().await;

    // A different --rooms does not touch an existing hotel.
    let again = spawn_app_on(db, |c| c.rooms = 3).await;
    again
        .query("kim")
        .await
        .assert(200, "message", "Your booked rooms: [2, 3, 9]");
    let lou = again.query("lou").await;
    lou.assert(200, "message", "Your booked rooms: [1, 2]");
    assert_eq!(
        lou.body["bookings"][0]["check_in"],
        json!(day_after(today, 10))
    );
    assert_eq!(again.get("/rooms").await.body["total"], json!(10));
    // Sessions live in the database too.
    let listed = again
        .send_with(Method::GET, "/bookings", None, |r| r.bearer_auth(&token))
        .await;
    assert_eq!(listed.status, 200);
}

#[tokio::test]
async fn acknowledged_bookings_survive_kill_dash_nine() {
    let db = TestDb::fresh().await;
    let client = http_client();

    let mut server = Server::start(&db);
    let mut acknowledged = Vec::new();
    for guest in 0..8 {
        let reply = client
            .post(format!("{}/book", server.base))
            .json(
                &json!({"username": format!("guest{guest}"), "password": PASSWORD, "num_rooms": 1}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200);
        acknowledged.push(guest);
    }
    // SIGKILL: no shutdown hook, no flush, nothing but what was already on disk.
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    drop(server);

    let server = Server::start(&db);
    for guest in acknowledged {
        let reply: serde_json::Value = client
            .post(format!("{}/query", server.base))
            .json(&json!({"username": format!("guest{guest}"), "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            reply["message"],
            json!(format!("Your booked rooms: [{}]", guest + 1)),
            "guest{guest}"
        );
    }
}

#[tokio::test]
async fn sigterm_stops_gracefully() {
    let db = TestDb::fresh().await;
    let mut server = Server::start(&db);
    let booked = http_client()
        .post(format!("{}/book", server.base))
        .json(&json!({"username": "nell", "password": PASSWORD, "num_rooms": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 200);
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "exit status {exit}");
    assert_eq!(db.held_room_nights().await.len(), 2);
}

/// The moment the server says it is open, SIGTERM: a stop as graceful as any other, however
/// early (the handlers are in place before the listener takes a connection).
#[tokio::test]
async fn sigterm_right_after_start_stops_gracefully() {
    for _ in 0..5 {
        let db = TestDb::fresh().await;
        let mut server = Server::start(&db);
        let status = Command::new("kill")
            .args(["-TERM", &server.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = server.child.wait().unwrap();
        assert!(exit.success(), "exit status {exit}");
    }
}

fn sqlite_path(db: &TestDb) -> std::path::PathBuf {
    std::path::PathBuf::from(db.url.trim_start_matches("sqlite://"))
}

#[tokio::test]
async fn a_database_deleted_under_the_server_turns_health_503_and_refuses_writes() {
    if on_postgres() {
        return; // a file deleted under the server is SQLite's; PostgreSQL has no file to lose
    }
    let app = spawn_app().await;
    app.book("ned", 1)
        .await
        .assert(200, "message", "Rooms booked successfully: [1]");
    assert_eq!(app.get("/healthz").await.status, 200);
    std::fs::remove_file(sqlite_path(&app.db)).unwrap();

    let health = app.get("/healthz").await;
    health.assert(503, "code", "database_failing");
    app.book("ned", 1)
        .await
        .assert(503, "code", "database_lost");
    app.register("ola", PASSWORD)
        .await
        .assert(503, "code", "database_lost");
}

#[tokio::test]
async fn a_lost_database_is_never_replaced_by_an_empty_hotel() {
    if on_postgres() {
        return;
    }
    let app = spawn_app().await;
    app.book("pia", 2).await;
    let db = app.stop().await;
    let path = sqlite_path(&db);
    std::fs::remove_file(&path).unwrap();

    let mut config = hotel_backend::Config::for_database(db.url.clone());
    config.create = false;
    let refused = hotel_backend::AppState::from_config(&config).await.err();
    let message = refused.expect("an empty hotel was started where one existed");
    assert!(message.contains("missing"), "{message}");
    assert!(message.contains("--create"), "{message}");
    assert!(!path.exists(), "nothing may be created in its place");

    // The real binary says the same and exits.
    let out = hotel_server(&db.url, &["staff", "grant", "pia"], None);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("Restore the database from a backup"),
        "{said}"
    );

    // Asked to, it starts over.
    let fresh = spawn_app_on(db, |c| c.create = true).await;
    assert!(fresh.occupied_rooms().await.is_empty());
}

#[tokio::test]
async fn a_first_run_beside_other_files_creates_the_hotel_without_being_asked() {
    let db = TestDb::fresh().await;
    if !on_postgres() {
        let folder = sqlite_path(&db).parent().unwrap().to_path_buf();
        std::fs::write(folder.join("notes.txt"), "the operator's own files").unwrap();
    }
    let app = spawn_app_on(db, |c| c.create = false).await;
    app.book("quy", 1)
        .await
        .assert(200, "message", "Rooms booked successfully: [1]");
}

#[tokio::test]
async fn an_empty_or_missing_data_folder_is_no_hotel_without_create() {
    if on_postgres() {
        return; // the server never creates a PostgreSQL database
    }
    let db = TestDb::fresh().await;
    let path = sqlite_path(&db);
    let folder = path.parent().unwrap().to_path_buf();
    // A freshly formatted volume mounted in place of the hotel's folder.
    std::fs::create_dir(folder.join("lost+found")).unwrap();
    let mut config = hotel_backend::Config::for_database(db.url.clone());
    config.create = false;
    let message = hotel_backend::AppState::from_config(&config)
        .await
        .err()
        .expect("a new hotel was started in an empty folder");
    assert!(message.contains(&folder.display().to_string()), "{message}");
    assert!(message.contains("is empty"), "{message}");
    assert!(message.contains("--create"), "{message}");
    assert!(!path.exists(), "nothing may be created there");

    // No folder at all (no volume mounted), from the real binary.
    let nowhere = format!("sqlite://{}/not-mounted/hotel.db", folder.display());
    let out = hotel_server(&nowhere, &["staff", "grant", "pia"], None);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("does not exist"), "{said}");

    // Asked to, it starts the hotel there.
    let app = spawn_app_on(db, |c| c.create = true).await;
    app.book("rex", 1)
        .await
        .assert(200, "message", "Rooms booked successfully: [1]");
}

#[tokio::test]
async fn a_write_ahead_log_deleted_under_the_server_stops_writes_and_loses_nothing() {
    if on_postgres() {
        return; // SQLite's files; PostgreSQL keeps its own
    }
    let db = TestDb::fresh().await;
    let client = http_client();
    let mut server = Server::start(&db);
    let book = |guest: &str| {
        client
            .post(format!("{}/book", server.base))
            .json(&json!({"username": guest, "password": PASSWORD, "num_rooms": 1}))
            .send()
    };
    for guest in ["una", "val", "wes"] {
        assert_eq!(book(guest).await.unwrap().status(), 200);
    }
    let log = sqlite_path(&db).with_extension("db-wal");
    std::fs::remove_file(&log).expect("the write-ahead log exists while the server runs");

    let refused = book("xia").await.unwrap();
    assert_eq!(refused.status(), 503);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["code"], json!("database_lost"));
    let health = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 503);

    // Killed outright, then started again: every acknowledged booking is there.
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    drop(server);
    assert_eq!(db.held_room_nights().await.len(), 3);
    let server = Server::start(&db);
    let rooms: serde_json::Value = client
        .get(format!("{}/rooms", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let occupied = rooms["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["is_occupied"] == json!(true))
        .count();
    assert_eq!(occupied, 3);
}

#[tokio::test]
async fn a_postgres_database_of_someone_elses_tables_gets_no_hotel_without_create() {
    if !on_postgres() {
        return;
    }
    let db = TestDb::fresh().await;
    db.try_execute("CREATE TABLE invoices (id INTEGER)")
        .await
        .unwrap();
    let mut config = hotel_backend::Config::for_database(db.url.clone());
    config.create = false;
    let message = hotel_backend::AppState::from_config(&config)
        .await
        .err()
        .expect("a hotel was added to a database that holds something else");
    assert!(message.contains("no hotel"), "{message}");
}
