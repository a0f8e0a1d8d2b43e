//! The index of taken rooms (in SQLite's writer memory; `night_rooms` on PostgreSQL) against
//! the rows it indexes (`room_nights`): random bookings, moves, cancellations, check-ins and
//! check-outs and out-of-service ranges through the API, compared after each one, on a hotel
//! whose rooms span three words of a row (room 63 is the sign bit of its word). The index is
//! read the way guests and clerks see it: the rooms `GET /rooms` says are occupied each night.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb, day_after, spawn_app_on, spawn_app_with, without_limits};

const ROOMS: u32 = 130;
/// Past the first row of 1,024 rooms (rooms are numbered 1 to ROOMS otherwise).
const FAR_ROOM: u32 = 1100;
const DAYS: u64 = 8;

/// xorshift64*: a fixed seed, so a failure repeats.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % below
    }
}

/// Every (room, night) the index says is taken, on the nights the changes touch.
async fn indexed(app: &TestApp, today: hotel_shared::Date) -> BTreeSet<(u32, String)> {
    let mut taken = BTreeSet::new();
    for day in 0..DAYS as i64 {
        let night = day_after(today, day);
        let reply = app.get(&format!("/rooms?date={night}")).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        let rooms = reply.body["rooms"].as_array().cloned().unwrap_or_default();
        assert!(!rooms.is_empty(), "{:?}", reply.body);
        for room in rooms.iter().filter(|r| r["is_occupied"] == true) {
            let number = room["room_number"].as_u64().expect("a room number");
            taken.insert((u32::try_from(number).expect("room"), night.clone()));
        }
    }
    taken
}

/// Every (room, night) held by a stay, from the rows themselves.
async fn held(db: &TestDb) -> BTreeSet<(u32, String)> {
    db.held_room_nights()
        .await
        .into_iter()
        .map(|(room, night)| (u32::try_from(room).expect("room"), night))
        .collect()
}

fn ids_of(reply: &Value) -> Vec<i64> {
    reply["bookings"]
        .as_array()
        .map(|b| b.iter().filter_map(|b| b["id"].as_i64()).collect())
        .unwrap_or_default()
}

struct Desk<'a> {
    app: &'a TestApp,
    staff: String,
    guest: String,
    bookings: Vec<i64>,
    blocks: Vec<i64>,
    today: hotel_shared::Date,
    done: std::collections::BTreeMap<String, u32>,
}

impl Desk<'_> {
    /// The answer's body; a change that went through is counted under its kind.
    async fn call(
        &mut self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let reply = self.app.send_as(token, method.clone(), path, body).await;
        assert!(reply.status.as_u16() < 500, "{path}: {reply:?}");
        if reply.status.is_success() {
            let kind = path.rsplit('/').next().unwrap_or(path);
            let kind = kind.split('?').next().unwrap_or(kind);
            let kind = if kind.parse::<i64>().is_ok() {
                "unblock"
            } else {
                kind
            };
            *self.done.entry(format!("{method} {kind}")).or_default() += 1;
        }
        reply.body
    }

    /// One random change of the hotel's rooms; says what it was.
    async fn random_change(&mut self, dice: &mut Dice) -> String {
        let from = dice.roll(DAYS - 1);
        let (check_in, check_out) = (
            day_after(self.today, from as i64),
            day_after(self.today, (from + 1 + dice.roll(DAYS - from - 1)) as i64),
        );
        let pick = |dice: &mut Dice, of: &[i64]| of[dice.roll(of.len() as u64) as usize];
        match dice.roll(7) {
            0 | 1 => {
                let rooms = 1 + dice.roll(40);
                let body =
                    json!({"num_rooms": rooms, "check_in": check_in, "check_out": check_out});
                let guest = self.guest.clone();
                let reply = self.call(&guest, Method::POST, "/book", Some(body)).await;
                self.bookings.extend(ids_of(&reply));
                format!("book {rooms} rooms {check_in}..{check_out}")
            }
            2 if !self.bookings.is_empty() => {
                let id = pick(dice, &self.bookings);
                let room = match dice.roll(8) {
                    0 => u64::from(FAR_ROOM),
                    _ => 1 + dice.roll(u64::from(ROOMS)),
                };
                let body = json!({"room_number": room, "complimentary": true});
                let path = format!("/staff/bookings/{id}/move");
                self.call(&self.staff.clone(), Method::POST, &path, Some(body))
                    .await;
                format!("move {id} to {room}")
            }
            3 if !self.bookings.is_empty() => {
                let id = pick(dice, &self.bookings);
                let path = format!("/staff/bookings/{id}/cancel?waive_fee=true");
                self.call(&self.staff.clone(), Method::POST, &path, None)
                    .await;
                format!("cancel {id}")
            }
            4 => {
                // A walk-in who takes the key now and leaves before the nights booked are over.
                let stay = json!({"guest": "walker", "check_out": check_out, "check_in_now": true});
                let staff = self.staff.clone();
                let reply = self
                    .call(&staff, Method::POST, "/staff/bookings", Some(stay))
                    .await;
                let ids = ids_of(&reply);
                for id in &ids {
                    let path = format!("/staff/bookings/{id}/check-out");
                    let body = json!({"leave_balance_open": true});
                    self.call(&self.staff.clone(), Method::POST, &path, Some(body))
                        .await;
                }
                format!("walk in until {check_out} and leave today: {ids:?}")
            }
            5 => {
                let room = 1 + dice.roll(u64::from(ROOMS));
                let body = json!({"room_number": room, "from": check_in, "to": check_out, "reason": "Repairs"});
                let staff = self.staff.clone();
                let reply = self
                    .call(&staff, Method::POST, "/staff/blocks", Some(body))
                    .await;
                self.blocks.extend(reply["id"].as_i64());
                format!("block room {room} {check_in}..{check_out}")
            }
            _ if !self.blocks.is_empty() => {
                let id = self
                    .blocks
                    .swap_remove(dice.roll(self.blocks.len() as u64) as usize);
                let path = format!("/staff/blocks/{id}");
                self.call(&self.staff.clone(), Method::DELETE, &path, None)
                    .await;
                format!("unblock {id}")
            }
            _ => "nothing".into(),
        }
    }
}

/// Rooms `/availability` offers against the rows: free on every night, and not blocked.
async fn assert_availability_matches_rows(app: &TestApp, today: hotel_shared::Date) {
    let held = held(&app.db).await;
    let blocks = app
        .db
        .rows("SELECT room::text, start_date::text || ' ' || end_date::text FROM room_blocks")
        .await;
    for (from, to) in [(0, 1), (2, 5), (0, DAYS as i64)] {
        let (check_in, check_out) = (day_after(today, from), day_after(today, to));
        let nights: Vec<String> = (from..to).map(|d| day_after(today, d)).collect();
        let expected: Vec<u32> = (1..=ROOMS)
            .chain([FAR_ROOM])
            .filter(|room| nights.iter().all(|n| !held.contains(&(*room, n.clone()))))
            .filter(|room| {
                !blocks.iter().any(|(r, range)| {
                    let (start, end) = range.split_once(' ').expect("range");
                    r == &room.to_string() && start < check_out.as_str() && end > check_in.as_str()
                })
            })
            .collect();
        let offered = app
            .get(&format!(
                "/availability?check_in={check_in}&check_out={check_out}"
            ))
            .await;
        let offered: Vec<u32> =
            serde_json::from_value(offered.body["rooms"].clone()).expect("a list of rooms");
        assert_eq!(offered, expected, "free rooms {check_in}..{check_out}");
    }
}

#[tokio::test]
async fn taken_rooms_index_agrees_with_the_rows_after_every_change_and_a_restart() {
    let app = spawn_app_with(|c| {
        without_limits(c);
        c.rooms = ROOMS;
    })
    .await;
    let mut desk = Desk {
        app: &app,
        staff: app.staff("desk").await,
        guest: app.guest("ann").await,
        bookings: Vec::new(),
        blocks: Vec::new(),
        today: app.today().await,
        done: Default::default(),
    };
    let far = json!({"number": FAR_ROOM, "room_type_id": 1, "floor": 11});
    let added = app
        .send_as(&desk.staff, Method::POST, "/staff/rooms", Some(far))
        .await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    let mut dice = Dice(0x5EED_CAFE_F00D_1234);
    let mut changes = Vec::new();
    for _ in 0..120 {
        changes.push(desk.random_change(&mut dice).await);
        let (index, rows) = (indexed(&app, desk.today).await, held(&app.db).await);
        let wrong: Vec<_> = index.symmetric_difference(&rows).collect();
        assert!(wrong.is_empty(), "{wrong:?} disagree after {changes:?}");
    }
    assert!(
        held(&app.db).await.len() > 200,
        "the changes should fill a good part of the hotel"
    );
    let kinds: Vec<&String> = desk.done.keys().collect();
    assert_eq!(
        kinds,
        [
            "DELETE unblock",
            "POST blocks",
            "POST book",
            "POST bookings",
            "POST cancel",
            "POST check-out",
            "POST move"
        ],
        "every kind of change went through at least once: {:?}",
        desk.done
    );
    let today = desk.today;
    drop(desk);
    assert_availability_matches_rows(&app, today).await;
    let before = indexed(&app, today).await;

    assert!(
        before.iter().any(|(room, _)| *room == FAR_ROOM),
        "a stay moved past the first 1,024 rooms"
    );
    let app = spawn_app_on(app.stop().await, |c| c.rooms = ROOMS).await;
    assert_eq!(
        indexed(&app, today).await,
        before,
        "a restart rebuilds the index"
    );
    assert_availability_matches_rows(&app, today).await;
}

/// Someone with the database changes the rows while the server is stopped: the next start
/// sees them (SQLite's server reads them into memory; PostgreSQL's triggers kept `night_rooms`).
#[tokio::test]
async fn rows_written_straight_into_the_database_are_indexed_by_the_next_start() {
    let app = spawn_app_with(|c| c.rooms = ROOMS).await;
    let today = app.today().await;
    app.book_dates("ann", 1, &day_after(today, 1), &day_after(today, 2))
        .await
        .assert(200, "message", "Rooms booked successfully: [1]");
    let db = app.stop().await;
    // Room 127 is bit 63 of its word.
    db.try_execute("UPDATE room_nights SET room = 127")
        .await
        .expect("update");
    let app = spawn_app_on(db, |c| c.rooms = ROOMS).await;
    assert_eq!(indexed(&app, today).await, held(&app.db).await);
    let free = app
        .get(&format!(
            "/availability?check_in={}&check_out={}",
            day_after(today, 1),
            day_after(today, 2)
        ))
        .await;
    let rooms: Vec<u32> = serde_json::from_value(free.body["rooms"].clone()).expect("rooms");
    assert!(rooms.contains(&1) && !rooms.contains(&127), "{rooms:?}");
    let db = app.stop().await;
    db.try_execute("DELETE FROM room_nights")
        .await
        .expect("delete");
    let app = spawn_app_on(db, |c| c.rooms = ROOMS).await;
    assert_eq!(indexed(&app, today).await, BTreeSet::new());
}
