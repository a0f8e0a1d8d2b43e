//! What each simulated client does.

use std::io;
use std::time::Instant;

use hotel_shared::Date;
use serde_json::{Value, json};

use crate::http::Conn;
use crate::load::Stats;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// `GET /rooms`.
    Rooms,
    /// `GET /availability` for a random 3-night range.
    Availability,
    /// `GET /quote` for a random 30-night range: every type and plan, each night priced and
    /// checked against the restrictions of a year of rates.
    Quote,
    /// Book one room for a random range with a session token, then cancel it.
    Book,
    /// `book` for guests with an e-mail address, the server sending each confirmation and
    /// cancellation notice to a local mail server (`smtp_sink.rs`).
    BookMail,
    /// `book` with an `Idempotency-Key` on every booking and cancellation, as a client that
    /// retries safely sends them: the key is claimed and the answer kept in the change's
    /// commit.
    BookKeyed,
    /// `book` on a hotel with a webhook for every event, posted to a local receiver
    /// (`hook_sink.rs`) by the server's delivery worker.
    BookHooks,
    /// 90% reads (rooms and availability), 10% writes (book + cancel pairs).
    Mixed,
    /// The original client: body credentials on every request (book tonight, query, checkout).
    SeedCompat,
    /// New accounts: every request is one Argon2id hash, the deliberate cost of a password.
    Register,
}

impl Scenario {
    pub const ALL: [Scenario; 10] = [
        Scenario::Rooms,
        Scenario::Availability,
        Scenario::Quote,
        Scenario::Book,
        Scenario::BookMail,
        Scenario::BookKeyed,
        Scenario::BookHooks,
        Scenario::Mixed,
        Scenario::SeedCompat,
        Scenario::Register,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scenario::Rooms => "rooms",
            Scenario::Availability => "availability",
            Scenario::Quote => "quote",
            Scenario::Book => "book",
            Scenario::BookMail => "book-mail",
            Scenario::BookKeyed => "book-keyed",
            Scenario::BookHooks => "book-hooks",
            Scenario::Mixed => "mixed",
            Scenario::SeedCompat => "seed-compat",
            Scenario::Register => "register",
        }
    }

    pub fn parse(name: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.name() == name)
    }

    pub fn needs_session(self) -> bool {
        matches!(
            self,
            Scenario::Book
                | Scenario::BookMail
                | Scenario::BookKeyed
                | Scenario::BookHooks
                | Scenario::Mixed
        )
    }

    /// Whether the scenario's server posts its events to a webhook.
    pub fn posts_webhooks(self) -> bool {
        self == Scenario::BookHooks
    }

    /// Whether the scenario's guests give an e-mail address, and its server sends mail.
    pub fn sends_mail(self) -> bool {
        self == Scenario::BookMail
    }

    /// Whether the scenario searches free rooms, and so is run again on a filled hotel
    /// (`--prefill`).
    pub fn reads_occupancy(self) -> bool {
        matches!(
            self,
            Scenario::Book | Scenario::Availability | Scenario::Quote
        )
    }

    /// Whether the scenario's figure is compared with the durable-commit ceiling (writes)
    /// rather than the in-memory HTTP ceiling (reads).
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Scenario::Book | Scenario::BookMail | Scenario::BookKeyed | Scenario::BookHooks
        )
    }
}

pub const PASSWORD: &str = "bench-password";

/// One simulated client: its own account, session and random stream.
pub struct Worker {
    pub username: String,
    pub auth_header: String,
    pub today: Date,
    rng: u64,
    serial: u64,
}

impl Worker {
    pub fn new(index: usize, run: &str, today: Date) -> Worker {
        Worker {
            username: format!("bench-{run}-{index}"),
            auth_header: String::new(),
            today,
            rng: 0x9E37_79B9_7F4A_7C15 ^ (index as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D),
            serial: 0,
        }
    }

    fn next(&mut self) -> u64 {
        // xorshift64*: cheap, and good enough to spread dates.
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn random_stay(&mut self, max_nights: u64) -> (String, String) {
        let start = (self.next() % 300) as i64;
        let nights = 1 + (self.next() % max_nights) as i64;
        let check_in = self.today.checked_add_days(start).unwrap_or(self.today);
        let check_out = check_in.checked_add_days(nights).unwrap_or(check_in);
        (check_in.to_string(), check_out.to_string())
    }

    fn credentials(&self) -> Value {
        json!({"username": self.username, "password": PASSWORD})
    }

    /// Signs the worker in (registering it first if needed, with an e-mail address when
    /// `with_email`) and keeps its bearer token.
    pub async fn sign_in(&mut self, conn: &mut Conn, with_email: bool) -> io::Result<()> {
        let body = serde_json::to_vec(&self.credentials())?;
        let mut account = self.credentials();
        if with_email {
            account["email"] = json!(format!("{}@bench.test", self.username));
        }
        conn.request("POST", "/register", "", &serde_json::to_vec(&account)?)
            .await?;
        let reply = conn.request("POST", "/login", "", &body).await?;
        let parsed: Value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
        let token = parsed["token"]
            .as_str()
            .ok_or_else(|| io::Error::other(format!("login failed: {}", reply.status)))?;
        self.auth_header = format!("Authorization: Bearer {token}\r\n");
        Ok(())
    }

    /// One operation of the scenario: one request, or two for book-and-cancel.
    pub async fn operate(
        &mut self,
        conn: &mut Conn,
        scenario: Scenario,
        scheduled: Instant,
        stats: &mut Stats,
    ) -> io::Result<()> {
        match scenario {
            Scenario::Rooms => {
                let reply = conn.request("GET", "/rooms", "", b"").await?;
                stats.record(reply.status, scheduled);
            }
            Scenario::Availability => self.availability(conn, scheduled, stats).await?,
            Scenario::Quote => {
                let start = (self.next() % 300) as i64;
                let check_in = self.today.checked_add_days(start).unwrap_or(self.today);
                let check_out = check_in.checked_add_days(30).unwrap_or(check_in);
                let path = format!("/quote?check_in={check_in}&check_out={check_out}");
                let reply = conn.request("GET", &path, "", b"").await?;
                stats.record(reply.status, scheduled);
            }
            Scenario::Book | Scenario::BookMail | Scenario::BookHooks => {
                self.book_and_cancel(conn, scheduled, stats, false).await?
            }
            Scenario::BookKeyed => self.book_and_cancel(conn, scheduled, stats, true).await?,
            Scenario::Mixed => {
                // A write operation is two requests, so 1 in 19 operations gives 10% writes.
                let roll = self.next() % 19;
                if roll == 0 {
                    self.book_and_cancel(conn, scheduled, stats, false).await?;
                } else if roll.is_multiple_of(2) {
                    let reply = conn.request("GET", "/rooms", "", b"").await?;
                    stats.record(reply.status, scheduled);
                } else {
                    self.availability(conn, scheduled, stats).await?;
                }
            }
            Scenario::SeedCompat => {
                let body = serde_json::to_vec(&self.credentials())?;
                let step = self.serial % 3;
                self.serial += 1;
                let reply = match step {
                    0 => {
                        let book = json!({"username": self.username, "password": PASSWORD, "num_rooms": 1});
                        conn.request("POST", "/book", "", &serde_json::to_vec(&book)?)
                            .await?
                    }
                    1 => conn.request("POST", "/query", "", &body).await?,
                    _ => conn.request("DELETE", "/checkout", "", &body).await?,
                };
                stats.record(reply.status, scheduled);
            }
            Scenario::Register => {
                self.serial += 1;
                let body = json!({"username": format!("{}-new-{}", self.username, self.serial), "password": PASSWORD});
                let reply = conn
                    .request("POST", "/register", "", &serde_json::to_vec(&body)?)
                    .await?;
                stats.record(reply.status, scheduled);
            }
        }
        Ok(())
    }

    async fn availability(
        &mut self,
        conn: &mut Conn,
        scheduled: Instant,
        stats: &mut Stats,
    ) -> io::Result<()> {
        let start = (self.next() % 300) as i64;
        let check_in = self.today.checked_add_days(start).unwrap_or(self.today);
        let check_out = check_in.checked_add_days(3).unwrap_or(check_in);
        let path = format!("/availability?check_in={check_in}&check_out={check_out}");
        let reply = conn.request("GET", &path, "", b"").await?;
        stats.record(reply.status, scheduled);
        Ok(())
    }

    async fn book_and_cancel(
        &mut self,
        conn: &mut Conn,
        scheduled: Instant,
        stats: &mut Stats,
        keyed: bool,
    ) -> io::Result<()> {
        let (check_in, check_out) = self.random_stay(3);
        let key = keyed.then(|| {
            self.serial += 1;
            format!("{}-{}", self.username, self.serial)
        });
        let with_key = |prefix: &str| match &key {
            Some(key) => format!("{}Idempotency-Key: {prefix}{key}\r\n", self.auth_header),
            None => self.auth_header.clone(),
        };
        let headers = with_key("");
        // Written and read by hand, not through a JSON tree: the load generator shares the two
        // cores with the server, and what it spends is the server's to lose.
        let body =
            format!(r#"{{"num_rooms": 1, "check_in": "{check_in}", "check_out": "{check_out}"}}"#);
        let reply = conn
            .request("POST", "/book", &headers, body.as_bytes())
            .await?;
        stats.record(reply.status, scheduled);
        if reply.status != 200 {
            return Ok(());
        }
        let Some(id) = serde_json::from_slice::<Booked>(&reply.body)
            .ok()
            .and_then(|b| b.bookings.first().map(|b| b.id))
        else {
            return Ok(());
        };
        stats.acknowledged.push((id, false));
        let started = Instant::now();
        let headers = with_key("cancel-");
        let reply = conn
            .request("DELETE", &format!("/bookings/{id}"), &headers, b"")
            .await?;
        stats.record(reply.status, started);
        if reply.status == 200
            && let Some(last) = stats.acknowledged.last_mut()
        {
            last.1 = true;
        }
        Ok(())
    }
}

/// The one thing the load generator needs from a booking's answer: its id, to cancel it.
/// Serde skips the rest of the answer without building it.
#[derive(serde::Deserialize)]
struct Booked {
    bookings: Vec<BookedId>,
}

#[derive(serde::Deserialize)]
struct BookedId {
    id: i64,
}
