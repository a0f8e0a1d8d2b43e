//! Acknowledged bookings survive restarts and crashes.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

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

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(db: &TestDb) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hotel-server"))
            .args(["--listen", "127.0.0.1:0", "--log", "warn"])
            .arg("--database")
            .arg(&db.url)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start hotel-server");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("banner");
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("address in banner")
            .trim_end_matches('/')
            .to_string();
        Server { child, base }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
