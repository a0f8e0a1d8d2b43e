//! A full hotel: every room booked for a year ahead (stays of one to five nights for 500
//! guests, some nights left free), then what the desk reads all day, one request at a time,
//! with its p50 and p99: the board of a day, a week's search, a year's report, a guest's
//! history, the staff's calendar feed.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Instant;

use hotel_shared::Date;
use serde_json::{Value, json};

use crate::http::Conn;
use crate::server::ServerProcess;

const PASSWORD: &str = "bench desk password";
const GUESTS: usize = 500;
const DAYS: i64 = 365;
const SAMPLES: usize = 200;

/// A read: its name, its p99 limit in ms, and the path of its n-th request.
type Read<'a> = (&'static str, f64, Box<dyn Fn(u64) -> String + 'a>);

/// One kind of read and its latency.
pub struct Timing {
    pub name: &'static str,
    pub p50: f64,
    pub p99: f64,
    pub limit_ms: f64,
}

/// What the full hotel held, and how its reads went.
pub struct FullHotel {
    pub rooms: u32,
    pub stays: u64,
    pub fill_seconds: f64,
    pub timings: Vec<Timing>,
}

/// A small, repeatable spread of numbers (no randomness in a benchmark's set-up).
fn spread(a: u64, b: u64) -> u64 {
    let mut x = a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    x ^= x >> 31;
    x.wrapping_mul(0x94D0_49BB_1331_11EB) >> 17
}

/// `hotel-server staff create NAME`: whether it succeeded.
fn make_staff(server_bin: &Path, database: &str, name: &str) -> Result<bool, String> {
    let made = std::process::Command::new(server_bin)
        .args(["staff", "create", name, "--database", database])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(format!("{PASSWORD}\n").as_bytes())?;
            }
            child.wait()
        })
        .map_err(|e| format!("cannot make the account {name}: {e}"))?;
    Ok(made.success())
}

/// Makes a staff account `name` with `hotel-server staff create` and signs it in: the
/// `Authorization` header line of its session.
pub async fn staff_session(
    server_bin: &Path,
    database: &str,
    conn: &mut Conn,
    name: &str,
) -> Result<String, String> {
    // The running server may hold the database a moment (start-up tidying): try again.
    let mut tries = 0;
    loop {
        if make_staff(server_bin, database, name)? {
            break;
        }
        tries += 1;
        if tries == 20 {
            return Err(format!("cannot make the account {name}"));
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let login = call(
        conn,
        "POST",
        "/login",
        "",
        &json!({"username": name, "password": PASSWORD}),
    )
    .await?;
    let token = login["token"].as_str().ok_or("no token")?.to_string();
    Ok(format!("Authorization: Bearer {token}\r\n"))
}

pub async fn call(
    conn: &mut Conn,
    method: &str,
    path: &str,
    auth: &str,
    body: &Value,
) -> Result<Value, String> {
    let bytes = if body.is_null() {
        Vec::new()
    } else {
        body.to_string().into_bytes()
    };
    let reply = conn
        .request(method, path, auth, &bytes)
        .await
        .map_err(|e| format!("{method} {path}: {e}"))?;
    if reply.status >= 400 {
        return Err(format!(
            "{method} {path}: {} {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
        ));
    }
    Ok(serde_json::from_slice(&reply.body).unwrap_or(Value::Null))
}

pub async fn run(server_bin: &Path, work: &Path, rooms: u32) -> Result<FullHotel, String> {
    let db = format!("sqlite://{}", work.join("full-hotel.db").display());
    let args: Vec<String> = [
        "--listen",
        "127.0.0.1:0",
        "--database",
        &db,
        "--rooms",
        &rooms.to_string(),
        "--log",
        "warn",
        "--create",
        "--signup-rate-limit",
        "0",
        "--booking-rate-limit",
        "0",
        "--address-share",
        "0",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let server = ServerProcess::start(server_bin, &args, "/healthz").await?;
    let addr = server.addr;
    let mut conn = Conn::connect(addr).await.map_err(|e| e.to_string())?;
    let auth = staff_session(server_bin, &db, &mut conn, "desk").await?;
    let health = call(&mut conn, "GET", "/healthz", "", &Value::Null).await?;
    let today: Date = health["today"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .ok_or("healthz has no date")?;

    let started = Instant::now();
    let guests = fill_guests(addr, &auth).await?;
    let stays = fill_year(addr, &auth, today, rooms, &guests).await?;
    let fill_seconds = started.elapsed().as_secs_f64();

    let day = |n: u64| {
        today
            .checked_add_days((n % DAYS as u64) as i64)
            .unwrap_or(today)
    };
    let year_end = today.checked_add_days(DAYS).unwrap_or(today);
    let mut timings = Vec::new();
    let reads: [Read<'_>; 5] = [
        (
            "board of a day",
            10.0,
            Box::new(move |n| format!("/staff/front-desk?date={}", day(n))),
        ),
        (
            "search of a week",
            10.0,
            Box::new(move |n| {
                let from = day(n);
                let to = from.checked_add_days(7).unwrap_or(from);
                format!("/staff/bookings?from={from}&to={to}&limit=1000")
            }),
        ),
        (
            "report for a year",
            50.0,
            Box::new(move |_| format!("/staff/report?from={today}&to={year_end}")),
        ),
        ("guest history", 10.0, {
            let guests = guests.clone();
            Box::new(move |n| format!("/staff/guests/{}", guests[(n as usize) % guests.len()]))
        }),
        (
            "staff calendar feed",
            10.0,
            Box::new(|_| "/calendar.ics".to_string()),
        ),
    ];
    for (name, limit_ms, path) in reads {
        let mut took = Vec::with_capacity(SAMPLES);
        for n in 0..(SAMPLES + 20) as u64 {
            let path = path(spread(n, 7));
            let t = Instant::now();
            let reply = conn
                .request("GET", &path, &auth, b"")
                .await
                .map_err(|e| format!("{path}: {e}"))?;
            if reply.status != 200 {
                return Err(format!("{path}: {}", reply.status));
            }
            if n >= 20 {
                took.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        took.sort_by(f64::total_cmp);
        let at = |q: f64| took[((took.len() as f64 - 1.0) * q).round() as usize];
        timings.push(Timing {
            name,
            p50: at(0.5),
            p99: at(0.99),
            limit_ms,
        });
    }
    server.stop()?;
    Ok(FullHotel {
        rooms,
        stays,
        fill_seconds,
        timings,
    })
}

/// The hotel's 500 guests, as profiles; their ids.
async fn fill_guests(addr: SocketAddr, auth: &str) -> Result<Vec<i64>, String> {
    let mut tasks = Vec::new();
    for w in 0..16usize {
        let auth = auth.to_string();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::connect(addr).await.map_err(|e| e.to_string())?;
            let mut ids = Vec::new();
            for i in (w..GUESTS).step_by(16) {
                let guest = call(
                    &mut conn,
                    "POST",
                    "/staff/guests",
                    &auth,
                    &json!({"full_name": format!("Guest {i}"), "allow_duplicate": true}),
                )
                .await?;
                ids.push(guest["id"].as_i64().ok_or("no guest id")?);
            }
            Ok::<_, String>(ids)
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.extend(t.await.map_err(|e| e.to_string())??);
    }
    Ok(ids)
}

/// Every room, night after night for a year: stays of one to five nights, a free night now
/// and then. Returns how many stays were booked.
async fn fill_year(
    addr: SocketAddr,
    auth: &str,
    today: Date,
    rooms: u32,
    guests: &[i64],
) -> Result<u64, String> {
    let workers = 64u32;
    let mut tasks = Vec::new();
    for w in 0..workers {
        let auth = auth.to_string();
        let guests = guests.to_vec();
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::connect(addr).await.map_err(|e| e.to_string())?;
            let mut booked = 0u64;
            for room in (1..=rooms).filter(|r| r % workers == w) {
                let mut d = 0i64;
                while d < DAYS - 1 {
                    let h = spread(u64::from(room), d as u64);
                    let nights = 1 + (h % 5) as i64;
                    let out = (d + nights).min(DAYS);
                    let date = |n: i64| today.checked_add_days(n).unwrap_or(today);
                    let guest = guests[(h as usize / 7) % guests.len()];
                    call(
                        &mut conn,
                        "POST",
                        "/staff/bookings",
                        &auth,
                        &json!({"guest_id": guest, "check_in": date(d), "check_out": date(out),
                                "room_number": room, "guests": 1}),
                    )
                    .await?;
                    booked += 1;
                    d = out + i64::from(h.is_multiple_of(4));
                }
            }
            Ok::<_, String>(booked)
        }));
    }
    let mut stays = 0;
    for t in tasks {
        stays += t.await.map_err(|e| e.to_string())??;
    }
    Ok(stays)
}
