//! A real server on a random port, in this process, and a client that speaks to it over real
//! HTTP.

use std::net::SocketAddr;

use hotel_backend::store::ops::Actor;
use hotel_backend::store::ops::accounts::SetRole;
use hotel_backend::{AppState, Config};
use hotel_shared::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::{PASSWORD, TestDb};

pub struct TestApp {
    pub address: SocketAddr,
    /// The server's own state, for what a test sets up as an operator would (roles).
    pub state: AppState,
    pub client: reqwest::Client,
    pub db: TestDb,
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
    /// The body as the `shared` type a client would read it into; fails the test, showing the
    /// body, when it does not fit.
    #[track_caller]
    pub fn parsed<T: serde::de::DeserializeOwned>(&self) -> T {
        match serde_json::from_value(self.body.clone()) {
            Ok(value) => value,
            Err(e) => panic!("{} is not a {}: {e}", self.body, std::any::type_name::<T>()),
        }
    }

    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or_default()
    }

    #[track_caller]
    pub fn assert_status(&self, status: u16) {
        assert_eq!(self.status.as_u16(), status, "status of {:?}", self.body);
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
    super::log_in_process_servers();
    let mut config = Config::for_database(db.url.clone());
    adjust(&mut config);
    let state = AppState::from_config(&config).await.expect("state");
    let served = state.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        hotel_backend::serve(listener, served, async {
            let _ = stopped.await;
        })
        .await
        .expect("serve");
    });
    TestApp {
        address,
        state,
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

    /// A new account given `role` as `hotel-server staff` gives it (the same op, run by this
    /// server's store), signed in: its token.
    pub async fn with_role(&self, user: &str, role: Role) -> String {
        self.register(user, PASSWORD).await;
        self.state
            .store
            .run(SetRole {
                actor: Actor::command_line(),
                username: user.to_string(),
                role,
            })
            .await
            .expect("set the role");
        self.login(user).await
    }

    /// A new staff account, signed in: its token.
    pub async fn staff(&self, user: &str) -> String {
        self.with_role(user, Role::Staff).await
    }

    /// A new housekeeper's account, signed in: its token.
    pub async fn housekeeper(&self, user: &str) -> String {
        self.with_role(user, Role::Housekeeper).await
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
        let mut actions: Vec<String> = log
            .parsed::<hotel_shared::staff::AuditLog>()
            .entries
            .iter()
            .map(|e| e.action.to_string())
            .collect();
        actions.reverse();
        actions
    }

    /// Adds the tax rate `name` at `percent` from yesterday on, as staff `token`: its id.
    pub async fn add_tax_rate(&self, token: &str, name: &str, percent: u32) -> i64 {
        let from = crate::helpers::day_after(self.today().await, -1);
        let made = self
            .send_as(
                token,
                Method::POST,
                "/staff/tax-rates",
                Some(json!({"name": name, "percent": percent, "valid_from": from})),
            )
            .await;
        assert_eq!(made.status, 201, "{:?}", made.body);
        made.body["id"].as_i64().expect("a tax rate's id")
    }

    /// Gives the default hotel's Standard room type (95.00, for two) tax rate `rate`.
    pub async fn tax_standard_rooms(&self, token: &str, rate: i64) {
        let types = self
            .send_as(token, Method::GET, "/staff/room-types", None)
            .await;
        let standard = types.body["room_types"]
            .as_array()
            .and_then(|all| all.iter().find(|t| t["name"] == "Standard").cloned())
            .expect("the Standard room type");
        let taxed = self
            .send_as(
                token,
                Method::PUT,
                &format!("/staff/room-types/{}", standard["id"]),
                Some(
                    json!({"name": "Standard", "description": standard["description"],
                            "capacity": 2, "rate": 9500, "tax_rate_id": rate}),
                ),
            )
            .await;
        assert_eq!(taxed.status, 200, "{:?}", taxed.body);
    }

    /// The id of the default hotel's extra `name` (Breakfast, Parking, Minibar, City tax).
    pub async fn extra_id(&self, token: &str, name: &str) -> i64 {
        let extras = self
            .send_as(token, Method::GET, "/staff/extras", None)
            .await
            .body;
        extras["extras"]
            .as_array()
            .and_then(|all| all.iter().find(|e| e["name"] == name))
            .and_then(|e| e["id"].as_i64())
            .unwrap_or_else(|| panic!("no extra {name}: {extras}"))
    }

    /// The id of the default hotel's extra `name`, after giving it `price`, tax rate `rate`,
    /// and a charge per person and night when `per_person`.
    pub async fn tax_extra(
        &self,
        token: &str,
        (name, price, per_person): (&str, i64, bool),
        rate: i64,
    ) -> i64 {
        let id = self.extra_id(token, name).await;
        let taxed = self
            .send_as(
                token,
                Method::PUT,
                &format!("/staff/extras/{id}"),
                Some(
                    json!({"name": name, "price": price, "per_person_night": per_person,
                            "tax_rate_id": rate}),
                ),
            )
            .await;
        assert_eq!(taxed.status, 200, "{:?}", taxed.body);
        id
    }

    /// The hotel's today, as the server sees it.
    pub async fn today(&self) -> hotel_shared::Date {
        let health: hotel_shared::HealthResponse = self.get("/healthz").await.parsed();
        health.today
    }

    pub async fn occupied_rooms(&self) -> Vec<u64> {
        let rooms: hotel_shared::RoomsResponse = self.get("/rooms").await.parsed();
        rooms
            .rooms
            .iter()
            .filter(|r| r.is_occupied)
            .map(|r| u64::from(r.room_number))
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
            200 => {
                let booked: hotel_shared::BookResponse =
                    serde_json::from_value(body).expect("a booking");
                winners.push(u64::from(booked.rooms[0]));
            }
            409 => {
                let refused: hotel_shared::ErrorBody =
                    serde_json::from_value(body).expect("an error");
                assert_eq!(refused.error, "No rooms available.");
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
