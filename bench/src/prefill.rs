//! `--prefill FRACTION`: sells that share of every room-night the scenarios touch, through
//! the server's own booking endpoint, before the scenarios run again. Bookings take the
//! lowest free rooms, so a prefill of 0.8 on 1,000 rooms fills rooms 1–800 on every night: a
//! search that reads what is taken reads all of them. The scenarios then book and cancel
//! inside that range, so the occupancy stays where it was put.

use std::path::Path;
use std::time::Instant;

use hotel_shared::Date;
use serde_json::{Value, json};

use crate::full_hotel::call;
use crate::http::Conn;
use crate::scenarios::Worker;
use crate::server::ServerProcess;

/// Nights from today that any scenario reads or books: quotes of 30 nights arriving up to
/// 299 days ahead.
pub const NIGHTS: i64 = 330;
/// Nights and rooms per booking: requests of a size a group booking might have.
const STAY: i64 = 30;
const ROOMS_PER_BOOKING: u32 = 50;

/// Room-nights sold, and the seconds it took.
pub async fn fill(
    server_bin: &Path,
    server_args: &[String],
    fraction: f64,
    rooms: u32,
    today: Date,
) -> Result<(u64, f64), String> {
    // One guest holds the whole prefill, so the guest limits against hoarding are lifted for
    // this server only; the measured servers run with them on.
    let mut args = server_args.to_vec();
    args.extend(
        [
            "--max-room-nights-per-booking",
            "0",
            "--max-open-room-nights-per-guest",
            "0",
        ]
        .map(String::from),
    );
    let server = ServerProcess::start(server_bin, &args, "/healthz").await?;
    let started = Instant::now();
    let mut conn = Conn::connect(server.addr)
        .await
        .map_err(|e| e.to_string())?;
    let mut guest = Worker::new(0, "prefill", today);
    guest
        .sign_in(&mut conn, false)
        .await
        .map_err(|e| e.to_string())?;
    let wanted = (f64::from(rooms) * fraction.clamp(0.0, 1.0)).round() as u32;
    let mut sold = 0u64;
    let mut start = 0;
    while start < NIGHTS {
        let nights = STAY.min(NIGHTS - start);
        let (check_in, check_out) = (day(today, start), day(today, start + nights));
        let mut left = wanted;
        while left > 0 {
            let batch = left.min(ROOMS_PER_BOOKING);
            let body = json!({"num_rooms": batch, "check_in": check_in, "check_out": check_out});
            call(&mut conn, "POST", "/book", &guest.auth_header, &body).await?;
            sold += u64::from(batch) * nights as u64;
            left -= batch;
        }
        start += nights;
    }
    let seconds = started.elapsed().as_secs_f64();
    server.stop()?;
    Ok((sold, seconds))
}

fn day(today: Date, days: i64) -> Value {
    json!(today.checked_add_days(days).unwrap_or(today).to_string())
}
