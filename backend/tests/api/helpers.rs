//! A real server on a random port with a fresh database file, and a client that speaks to it
//! over real HTTP.

use std::net::SocketAddr;
use std::path::PathBuf;

use hotel_backend::{AppState, Config};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub const PASSWORD: &str = "correct horse";

pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub db_path: PathBuf,
    pub dir: TempDir,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

/// The answer to one request: status and JSON body.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Reply {
    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or_default()
    }

    #[track_caller]
    pub fn assert(&self, status: u16, key: &str, text: &str) {
        assert_eq!(self.status.as_u16(), status, "status of {:?}", self.body);
        assert_eq!(self.body[key], json!(text), "body {:?}", self.body);
    }
}

/// An HTTP client. The workspace builds reqwest with rustls but without a built-in crypto
/// provider (the terminal client installs ring itself), so tests install it too.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

pub fn config_for(dir: &TempDir) -> Config {
    let db_path = dir.path().join("hotel.db");
    Config::for_database(format!("sqlite://{}", db_path.display()))
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = config_for(&dir);
    adjust(&mut config);
    let db_path = PathBuf::from(config.database.trim_start_matches("sqlite://"));
    start(config, dir, db_path).await
}

async fn start(config: Config, dir: TempDir, db_path: PathBuf) -> TestApp {
    let state = AppState::from_config(&config).await.expect("state");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        hotel_backend::serve(listener, state, async {
            let _ = stopped.await;
        })
        .await
        .expect("serve");
    });
    TestApp {
        address,
        client: http_client(),
        db_path,
        dir,
        stop: Some(stop),
        server: Some(server),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    /// Sends `body` (as JSON) and returns status and JSON answer; the answer must be JSON.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.send_with(method, path, body, |r| r).await
    }

    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        adjust: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Reply {
        let mut request = self.client.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = adjust(request).send().await.expect("request");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("answer is not JSON ({e}): {text:?}"));
        assert!(body.is_object(), "every answer is a JSON object: {text}");
        Reply {
            status,
            body,
            headers,
        }
    }

    pub async fn raw(&self, method: Method, path: &str, body: &'static str) -> Reply {
        self.send_with(method, path, None, |r| r.body(body)).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn book(&self, user: &str, rooms: u32) -> Reply {
        self.send(
            Method::POST,
            "/book",
            Some(json!({"username": user, "password": PASSWORD, "num_rooms": rooms})),
        )
        .await
    }

    pub async fn book_dates(
        &self,
        user: &str,
        rooms: u32,
        check_in: &str,
        check_out: &str,
    ) -> Reply {
        self.send(
            Method::POST,
            "/book",
            Some(
                json!({"username": user, "password": PASSWORD, "num_rooms": rooms,
                        "check_in": check_in, "check_out": check_out}),
            ),
        )
        .await
    }

    pub async fn query(&self, user: &str) -> Reply {
        self.send(
            Method::POST,
            "/query",
            Some(json!({"username": user, "password": PASSWORD})),
        )
        .await
    }

    pub async fn update(&self, user: &str, new_room: Value) -> Reply {
        self.send(
            Method::PUT,
            "/update",
            Some(json!({"username": user, "password": PASSWORD, "new_room": new_room})),
        )
        .await
    }

    pub async fn checkout(&self, user: &str) -> Reply {
        self.send(
            Method::DELETE,
            "/checkout",
            Some(json!({"username": user, "password": PASSWORD})),
        )
        .await
    }

    pub async fn register(&self, user: &str, password: &str) -> Reply {
        self.send(
            Method::POST,
            "/register",
            Some(json!({"username": user, "password": password})),
        )
        .await
    }

    /// Signs in and returns the session token.
    pub async fn login(&self, user: &str) -> String {
        let reply = self
            .send(
                Method::POST,
                "/login",
                Some(json!({"username": user, "password": PASSWORD})),
            )
            .await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        reply.body["token"].as_str().expect("token").to_string()
    }

    /// The hotel's today, as the server sees it.
    pub async fn today(&self) -> hotel_shared::Date {
        let health = self.get("/healthz").await;
        health.body["today"]
            .as_str()
            .expect("today")
            .parse()
            .expect("date")
    }

    pub async fn occupied_rooms(&self) -> Vec<u64> {
        let rooms = self.get("/rooms").await;
        rooms.body["rooms"]
            .as_array()
            .expect("rooms")
            .iter()
            .filter(|r| r["is_occupied"] == json!(true))
            .map(|r| r["room_number"].as_u64().expect("number"))
            .collect()
    }

    /// Stops the server gracefully and waits until its writes are on disk.
    pub async fn stop(mut self) -> TempDir {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task");
        }
        self.dir
    }
}

pub fn day_after(date: hotel_shared::Date, days: i64) -> String {
    date.checked_add_days(days)
        .expect("date in range")
        .to_string()
}

/// Every (room, night) held in the database file, read directly with SQLite: the ground truth.
pub fn held_room_nights(db_path: &std::path::Path) -> Vec<(i64, String)> {
    let conn = rusqlite_open(db_path);
    let mut stmt = conn
        .prepare("SELECT room, night FROM room_nights ORDER BY room, night")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

pub fn rusqlite_open(db_path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(db_path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open database")
}
