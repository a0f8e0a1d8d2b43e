//! `hotel-bench pg-models`: the two ways PostgreSQL can forbid overlapping stays, measured
//! under the same load: one row per room-night under a primary key (what the server uses), and
//! one row per stay under an exclusion constraint on `(room, daterange)` (btree_gist).
//!
//! Each client books a random room for a random 1–3 night stay in the next 300 days and then
//! cancels it, as the `book` scenario does, straight against the database.

use std::time::{Duration, Instant};

use crate::postgres::{FreshDatabase, connect};

const ROOMS: i32 = 200;

const ROOM_NIGHTS_SCHEMA: &str = "
    CREATE TABLE rn_bookings (id BIGSERIAL PRIMARY KEY, room INTEGER NOT NULL,
        check_in DATE NOT NULL, check_out DATE NOT NULL, status TEXT NOT NULL DEFAULT 'booked');
    CREATE TABLE rn_nights (room INTEGER NOT NULL, night DATE NOT NULL,
        booking_id BIGINT NOT NULL REFERENCES rn_bookings (id), PRIMARY KEY (room, night));
    CREATE INDEX rn_nights_booking ON rn_nights (booking_id);";

const EXCLUSION_SCHEMA: &str = "
    CREATE EXTENSION IF NOT EXISTS btree_gist;
    CREATE TABLE ex_bookings (id BIGSERIAL PRIMARY KEY, room INTEGER NOT NULL,
        check_in DATE NOT NULL, check_out DATE NOT NULL, status TEXT NOT NULL DEFAULT 'booked',
        EXCLUDE USING gist (room WITH =, daterange(check_in, check_out, '[)') WITH &&)
            WHERE (status <> 'cancelled'));";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Model {
    RoomNights,
    Exclusion,
}

struct Outcome {
    booked: u64,
    conflicts: u64,
}

pub async fn run(admin_url: &str, seconds: f64, clients: usize) -> Result<(), String> {
    let db =
        FreshDatabase::create(admin_url, &format!("hotel_models_{}", std::process::id())).await?;
    let setup = connect(&db.url).await?;
    setup
        .batch_execute(ROOM_NIGHTS_SCHEMA)
        .await
        .map_err(|e| format!("room-night schema: {e}"))?;
    setup
        .batch_execute(EXCLUSION_SCHEMA)
        .await
        .map_err(|e| format!("exclusion schema (needs btree_gist): {e}"))?;
    println!(
        "PostgreSQL models: {clients} clients, {seconds} s each, book + cancel of random stays in {ROOMS} rooms"
    );
    println!(
        "{:<28} {:>12} {:>14} {:>10}",
        "model", "bookings/s", "writes/s", "conflicts"
    );
    for model in [Model::RoomNights, Model::Exclusion] {
        let deadline = Instant::now() + Duration::from_secs_f64(seconds);
        let started = Instant::now();
        let mut tasks = Vec::new();
        for c in 0..clients {
            let url = db.url.clone();
            tasks.push(tokio::spawn(async move {
                client_loop(&url, model, c as u64, deadline).await
            }));
        }
        let (mut booked, mut conflicts) = (0, 0);
        for t in tasks {
            let o = t.await.map_err(|e| e.to_string())??;
            booked += o.booked;
            conflicts += o.conflicts;
        }
        let secs = started.elapsed().as_secs_f64();
        let name = match model {
            Model::RoomNights => "room-nights + primary key",
            Model::Exclusion => "exclusion constraint (gist)",
        };
        println!(
            "{name:<28} {:>12.0} {:>14.0} {conflicts:>10}",
            booked as f64 / secs,
            2.0 * booked as f64 / secs
        );
    }
    drop(setup);
    db.drop_database().await;
    Ok(())
}

async fn client_loop(
    url: &str,
    model: Model,
    seed: u64,
    deadline: Instant,
) -> Result<Outcome, String> {
    let client = connect(url).await?;
    let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ (seed + 1).wrapping_mul(0x2545_F491_4F6C_DD1D);
    let mut next = move || {
        rng ^= rng >> 12;
        rng ^= rng << 25;
        rng ^= rng >> 27;
        rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut outcome = Outcome {
        booked: 0,
        conflicts: 0,
    };
    while Instant::now() < deadline {
        let room = 1 + (next() % ROOMS as u64) as i32;
        let start = (next() % 300) as i32;
        let nights = 1 + (next() % 3) as i32;
        let (check_in, check_out) = (
            format!("current_date + {start}"),
            format!("current_date + {}", start + nights),
        );
        let result = match model {
            Model::RoomNights => {
                client
                    .batch_execute(&format!(
                        "BEGIN;
                         WITH b AS (INSERT INTO rn_bookings (room, check_in, check_out)
                                    VALUES ({room}, {check_in}, {check_out}) RETURNING id)
                         INSERT INTO rn_nights (room, night, booking_id)
                         SELECT {room}, d::date, b.id FROM b,
                                generate_series({check_in}, {check_out} - 1, interval '1 day') AS d;
                         COMMIT;"
                    ))
                    .await
            }
            Model::Exclusion => {
                client
                    .batch_execute(&format!(
                        "INSERT INTO ex_bookings (room, check_in, check_out)
                         VALUES ({room}, {check_in}, {check_out})"
                    ))
                    .await
            }
        };
        match result {
            Ok(()) => {
                outcome.booked += 1;
                let cancel = match model {
                    Model::RoomNights => {
                        "BEGIN;
                         DELETE FROM rn_nights WHERE booking_id = (SELECT max(id) FROM rn_bookings);
                         UPDATE rn_bookings SET status = 'cancelled' WHERE id = (SELECT max(id) FROM rn_bookings);
                         COMMIT;"
                    }
                    Model::Exclusion => {
                        "UPDATE ex_bookings SET status = 'cancelled' WHERE id = (SELECT max(id) FROM ex_bookings)"
                    }
                };
                // Cancelling the newest booking keeps the hotel from filling up; which one
                // does not matter for the cost being measured.
                let _ = client.batch_execute(cancel).await;
            }
            Err(_) => {
                outcome.conflicts += 1;
                let _ = client.batch_execute("ROLLBACK").await;
            }
        }
    }
    Ok(outcome)
}
