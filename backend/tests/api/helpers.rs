//! A real server on a random port with a fresh database file, and a client that speaks to it
//! over real HTTP.

use std::net::SocketAddr;

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
    pub db: TestDb,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

/// A fresh database for one test: an SQLite file in a temporary directory, or, when
/// `HOTEL_TEST_ENGINE=postgres`, a new PostgreSQL database (dropped when the test ends) on the
/// server named by `HOTEL_TEST_POSTGRES_URL`.
pub struct TestDb {
    pub url: String,
    /// Holds the SQLite file (and nothing, on PostgreSQL) until the test ends.
    _dir: TempDir,
    postgres: Option<PgTestDb>,
}

struct PgTestDb {
    admin_url: String,
    name: String,
}

pub fn on_postgres() -> bool {
    std::env::var("HOTEL_TEST_ENGINE").is_ok_and(|e| e == "postgres")
}

impl TestDb {
    pub async fn fresh() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        if !on_postgres() {
            let url = format!("sqlite://{}", dir.path().join("hotel.db").display());
            return TestDb {
                url,
                _dir: dir,
                postgres: None,
            };
        }
        let admin_url = std::env::var("HOTEL_TEST_POSTGRES_URL")
            .expect("HOTEL_TEST_ENGINE=postgres needs HOTEL_TEST_POSTGRES_URL");
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "hotel_test_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let admin = pg_connect(&admin_url).await;
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create test database");
        let url = replace_database(&admin_url, &name);
        TestDb {
            url,
            _dir: dir,
            postgres: Some(PgTestDb { admin_url, name }),
        }
    }

    /// Another handle on the same database, for a second server instance; only the first
    /// handle drops it.
    pub fn existing(other: &TestDb) -> TestDb {
        TestDb {
            url: other.url.clone(),
            _dir: tempfile::tempdir().expect("temp dir"),
            postgres: None,
        }
    }

    /// Every (room, night) held, read from the database itself: the ground truth.
    pub async fn held_room_nights(&self) -> Vec<(i64, String)> {
        self.rows("SELECT room::text, night::text FROM room_nights ORDER BY room, night")
            .await
            .into_iter()
            .map(|r| (r.0.parse().expect("room"), r.1))
            .collect()
    }

    /// Runs a statement that changes data, as anyone with the database file could.
    pub async fn try_execute(&self, sql: &str) -> Result<u64, String> {
        if self.url.starts_with("postgres") {
            let client = pg_connect(&self.url).await;
            client.execute(sql, &[]).await.map_err(|e| e.to_string())
        } else {
            let path = self.url.trim_start_matches("sqlite://");
            let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
            conn.execute(sql, [])
                .map(|n| n as u64)
                .map_err(|e| e.to_string())
        }
    }

    /// Two text columns of every row of `sql` (cast them to text in the query).
    pub async fn rows(&self, sql: &str) -> Vec<(String, String)> {
        if self.url.starts_with("postgres") {
            let client = pg_connect(&self.url).await;
            let rows = client.query(sql, &[]).await.expect("query");
            rows.iter()
                .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)))
                .collect()
        } else {
            // PostgreSQL needs `::text` casts that SQLite does not know; the values are the same.
            let sql = sql.replace("::text", "");
            let path = self.url.trim_start_matches("sqlite://");
            let conn = rusqlite::Connection::open_with_flags(
                path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .expect("open database");
            let mut stmt = conn.prepare(&sql).expect("prepare");
            let text = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<String> {
                Ok(match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    rusqlite::types::ValueRef::Blob(b) => hex_of(b),
                    other => format!("{other:?}"),
                })
            };
            stmt.query_map([], |r| Ok((text(r, 0)?, text(r, 1)?)))
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows")
        }
    }
}

pub fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(pg) = self.postgres.take() {
            // Drop runs outside any async context we could borrow; a short-lived thread does it.
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async move {
                    let admin = pg_connect(&pg.admin_url).await;
                    let _ = admin
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg.name))
                        .await;
                });
            })
            .join();
        }
    }
}

pub async fn pg_connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect to PostgreSQL");
    tokio::spawn(connection);
    client
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("postgres URL with a database");
    format!("{base}/{name}")
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

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// For tests that need volume from one address: every limit against hoarding off, as a
/// hotel would set them with `0` (`--signup-rate-limit 0 --booking-rate-limit 0
/// --max-room-nights-per-booking 0 --max-open-room-nights-per-guest 0 --address-share 0`).
pub fn without_limits(config: &mut Config) {
    config.signup_rate_limit = 0;
    config.booking_rate_limit = 0;
    config.max_room_nights_per_booking = 0;
    config.max_open_room_nights_per_guest = 0;
    config.address_share = 0;
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_on(TestDb::fresh().await, adjust).await
}

/// A server on an existing test database (a restart, or a second instance).
pub async fn spawn_app_on(db: TestDb, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_database(db.url.clone());
    adjust(&mut config);
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
        db,
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

    /// Sends as the holder of a session token.
    pub async fn send_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        self.send_with(method, path, body, |r| r.bearer_auth(token))
            .await
    }

    /// A new account made staff with `hotel-server staff grant`, signed in: its token.
    pub async fn staff(&self, user: &str) -> String {
        self.register(user, PASSWORD).await;
        let out = hotel_server(&self.db.url, &["staff", "grant", user], None);
        assert!(out.status.success(), "grant failed: {out:?}");
        self.login(user).await
    }

    /// A new account made a housekeeper with `hotel-server staff housekeeper`, signed in.
    pub async fn housekeeper(&self, user: &str) -> String {
        self.register(user, PASSWORD).await;
        let out = hotel_server(&self.db.url, &["staff", "housekeeper", user], None);
        assert!(out.status.success(), "housekeeper failed: {out:?}");
        self.login(user).await
    }

    /// A new guest account, signed in: its token.
    pub async fn guest(&self, user: &str) -> String {
        self.register(user, PASSWORD).await;
        self.login(user).await
    }

    /// Actions in the audit log, oldest first, as the staff member `token` reads them.
    pub async fn audit_actions(&self, token: &str) -> Vec<String> {
        let log = self
            .send_as(token, Method::GET, "/staff/audit?limit=1000", None)
            .await;
        assert_eq!(log.status, 200, "{:?}", log.body);
        let mut actions: Vec<String> = log.body["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| e["action"].as_str().expect("action").to_string())
            .collect();
        actions.reverse();
        actions
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

    /// Stops the server gracefully and waits until its writes are on disk; the database stays.
    pub async fn stop(mut self) -> TestDb {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task");
        }
        self.db
    }
}

/// `guests` new guests book one room each, all at once, spread over `apps` in turn. Returns
/// the rooms won, sorted, and how many were told "No rooms available."; anything else fails.
pub async fn race_for_rooms(apps: &[&TestApp], guests: usize) -> (Vec<u64>, usize) {
    let racers: Vec<_> = (0..guests)
        .map(|i| {
            let app = apps[i % apps.len()];
            let client = app.client.clone();
            let url = app.url("/book");
            tokio::spawn(async move {
                let reply = client
                    .post(url)
                    .json(&json!({"username": format!("racer{i}"), "password": PASSWORD, "num_rooms": 1}))
                    .send()
                    .await
                    .expect("request");
                let status = reply.status().as_u16();
                let body: Value = reply.json().await.expect("JSON body");
                (status, body)
            })
        })
        .collect();
    let mut winners = Vec::new();
    let mut losers = 0;
    for racer in racers {
        let (status, body) = racer.await.expect("racer");
        match status {
            200 => winners.push(body["rooms"][0].as_u64().expect("room")),
            409 => {
                assert_eq!(body["error"], "No rooms available.");
                losers += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    winners.sort_unstable();
    (winners, losers)
}

pub fn day_after(date: hotel_shared::Date, days: i64) -> String {
    date.checked_add_days(days)
        .expect("date in range")
        .to_string()
}

/// Runs the real `hotel-server` binary on `database` with `args`, feeding `stdin` if given.
pub fn hotel_server(database: &str, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hotel-server"))
        .args(args)
        .env("HOTEL_DATABASE", database)
        .env("HOTEL_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start hotel-server");
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.unwrap_or("").as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("hotel-server output")
}

/// The real `hotel-server` binary serving `db` on a free port, killed when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub base: String,
}

impl Server {
    pub fn start(db: &TestDb) -> Server {
        Server::start_with(db, &[])
    }

    pub fn start_with(db: &TestDb, args: &[&str]) -> Server {
        // A new hotel in a new folder needs --create; an existing one opens as usual.
        let mut all = vec!["--log", "warn", "--create", "--database", &db.url];
        all.extend_from_slice(args);
        let (child, base) = start_server_process(&all, std::process::Stdio::inherit());
        Server { child, base }
    }
}

/// Starts the real `hotel-server` with `args` on a free port of 127.0.0.1; the process and the
/// address its first line names (`http://…` or `https://…`, without the last `/`).
pub fn start_server_process(
    args: &[&str],
    stderr: std::process::Stdio,
) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hotel-server"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("start hotel-server");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("banner");
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://") || w.starts_with("https://"))
        .unwrap_or_else(|| panic!("no address in the banner {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (child, base)
}

/// A port nobody listens on right now, for a second listener of a server under test.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Signs `user` in on the server at `base`; the session token.
pub async fn log_in(client: &reqwest::Client, base: &str, user: &str) -> String {
    let login: Value = client
        .post(format!("{base}/login"))
        .json(&json!({"username": user, "password": PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login answer");
    login["token"].as_str().expect("token").to_string()
}

/// Makes the account `user` on the server at `base` and signs it in; the session token.
pub async fn sign_up(client: &reqwest::Client, base: &str, user: &str) -> String {
    let registered = client
        .post(format!("{base}/register"))
        .json(&json!({"username": user, "password": PASSWORD}))
        .send()
        .await
        .expect("register");
    assert!(registered.status().is_success(), "{registered:?}");
    log_in(client, base, user).await
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
