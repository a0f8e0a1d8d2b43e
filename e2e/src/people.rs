//! The people in the browser tests and their first steps, made over the API: guests with
//! bookings, staff and housekeepers made with what `hotel-server staff` runs.
// Test set-up: a failure here has to stop the test, with what failed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hotel_backend::config::{Config, StaffAction};
use serde_json::{Value, json};

use crate::{Browser, Hotel, http_client, missing_prerequisite};

/// Every test account's password.
pub const PASSWORD: &str = "correct horse 1";

/// One browser at a time: two cores do not run several Chromiums well.
pub static BROWSERS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Whether the test cannot run here (and says why).
pub fn skip() -> bool {
    match missing_prerequisite() {
        Some(reason) => {
            eprintln!("skipping browser test: {reason}");
            true
        }
        None => false,
    }
}

/// The hotel's today, as its server says.
pub async fn today(hotel: &Hotel) -> String {
    let health: Value = http_client()
        .get(format!("{}/healthz", hotel.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    health["today"].as_str().unwrap().to_string()
}

pub fn plus_days(date: &str, days: i64) -> String {
    let d: hotel_shared::Date = date.parse().unwrap();
    d.checked_add_days(days).unwrap().to_string()
}

pub async fn register(hotel: &Hotel, username: &str) {
    let status = http_client()
        .post(format!("{}/register", hotel.url))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 201);
}

/// Signs in on the sign-in page, as a person would.
pub async fn sign_in(browser: &Browser, hotel: &Hotel, username: &str, password: &str) {
    browser
        .goto(&format!("{}/signin", hotel.url))
        .await
        .unwrap();
    browser.type_into("#username", username).await.unwrap();
    browser.type_into("#password", password).await.unwrap();
    browser.click("#submit").await.unwrap();
}

/// Runs a `hotel-server staff` action on the hotel's database.
async fn staff_action(hotel: &Hotel, action: StaffAction) {
    let url = format!("sqlite://{}", hotel.db.path().join("hotel.db").display());
    hotel_backend::admin::staff(&Config::for_database(url), &action)
        .await
        .unwrap();
}

/// A new account made staff (`hotel-server staff grant`).
pub async fn new_staff(hotel: &Hotel, username: &str) {
    register(hotel, username).await;
    staff_action(
        hotel,
        StaffAction::Grant {
            username: username.into(),
        },
    )
    .await;
}

/// A new account made a housekeeper (`hotel-server staff housekeeper`).
pub async fn new_housekeeper(hotel: &Hotel, username: &str) {
    register(hotel, username).await;
    staff_action(
        hotel,
        StaffAction::Housekeeper {
            username: username.into(),
        },
    )
    .await;
}

/// Books one room from tonight for `nights` for `username` (registered on first use): the
/// booking's id.
pub async fn book_tonight(hotel: &Hotel, username: &str, nights: i64) -> i64 {
    let today = today(hotel).await;
    let reply: Value = http_client()
        .post(format!("{}/book", hotel.url))
        .json(
            &json!({"username": username, "password": PASSWORD, "num_rooms": 1,
                      "check_in": today, "check_out": plus_days(&today, nights)}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    reply["bookings"][0]["id"].as_i64().unwrap()
}

/// Sends `body` as `method` to `path` as staff member `username` (signed in over HTTP): the
/// answer's status and JSON.
pub async fn as_staff(
    hotel: &Hotel,
    username: &str,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let client = http_client();
    let login: Value = client
        .post(format!("{}/login", hotel.url))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().unwrap().to_string();
    let reply = client
        .request(method, format!("{}{path}", hotel.url))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = reply.status().as_u16();
    (status, reply.json().await.unwrap_or(Value::Null))
}

/// Makes `desk` staff and sets the hotel's city tax to `rule` (`PUT /staff/city-tax`).
pub async fn set_city_tax(hotel: &Hotel, rule: Value) {
    new_staff(hotel, "desk").await;
    let (status, body) =
        as_staff(hotel, "desk", reqwest::Method::PUT, "/staff/city-tax", rule).await;
    assert_eq!(status, 200, "{body}");
}
