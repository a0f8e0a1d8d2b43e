//! A year of rates, as a hotel sets them, before the load: two derived plans per room type, a
//! price per month, weekends 20 % up, and restrictions on the derived plans (the base plan
//! stays open, so every booking of the load is sold). Quotes and bookings then price each
//! night from the calendar and check every plan's restrictions.

use std::net::SocketAddr;
use std::path::Path;

use hotel_shared::Date;
use serde_json::{Value, json};

use crate::full_hotel::{call, staff_session};
use crate::http::Conn;

/// Rows the calendar holds afterwards, roughly: prices and restrictions for a year.
pub async fn fill(
    server_bin: &Path,
    database: &str,
    addr: SocketAddr,
    today: Date,
) -> Result<(), String> {
    let mut conn = Conn::connect(addr).await.map_err(|e| e.to_string())?;
    let auth = staff_session(server_bin, database, &mut conn, "bench-rates").await?;
    let quote = call(
        &mut conn,
        "GET",
        &format!(
            "/quote?check_in={}&check_out={}",
            day(today, 300),
            day(today, 301)
        ),
        "",
        &Value::Null,
    )
    .await?;
    let types: Vec<(i64, i64)> = quote["options"]
        .as_array()
        .ok_or("a quote without options")?
        .iter()
        .filter_map(|o| Some((o["room_type_id"].as_i64()?, o["rate"].as_i64()?)))
        .collect();
    for (type_id, rate) in types {
        let mut plans = Vec::new();
        for (name, derivation) in [
            (
                "Non-refundable",
                json!({"derived_percent": -10, "refundable": false}),
            ),
            ("Breakfast included", json!({"derived_amount": 1500})),
        ] {
            let mut body = json!({"room_type_id": type_id, "name": name});
            if let (Some(b), Some(d)) = (body.as_object_mut(), derivation.as_object()) {
                b.extend(d.clone());
            }
            let plan = call(&mut conn, "POST", "/staff/rate-plans", &auth, &body).await?;
            plans.push(plan["id"].as_i64().ok_or("a plan without id")?);
        }
        let set = |body: Value| {
            let mut full = json!({"room_type_id": type_id});
            if let (Some(f), Some(b)) = (full.as_object_mut(), body.as_object()) {
                f.extend(b.clone());
            }
            full
        };
        // A price per month: low, shoulder and high seasons.
        for month in 0..13 {
            let amount = rate + rate * [0, 10, 25, 40][month % 4] / 100;
            let body = set(json!({"from": day(today, month as i64 * 30),
                                  "to": day(today, (month as i64 + 1) * 30),
                                  "amount": amount}));
            call(&mut conn, "PUT", "/staff/rate-calendar", &auth, &body).await?;
        }
        let weekends = set(json!({"from": day(today, 0), "to": day(today, 390),
                                  "weekdays": [5, 6], "adjust_percent": 20}));
        call(&mut conn, "PUT", "/staff/rate-calendar", &auth, &weekends).await?;
        let saver = set(json!({"rate_plan_id": plans[0], "from": day(today, 0),
                               "to": day(today, 390), "min_stay": 3, "min_advance": 7}));
        call(&mut conn, "PUT", "/staff/rate-calendar", &auth, &saver).await?;
        let sundays = set(json!({"rate_plan_id": plans[1], "from": day(today, 0),
                                 "to": day(today, 390), "weekdays": [7],
                                 "closed_to_arrival": true}));
        call(&mut conn, "PUT", "/staff/rate-calendar", &auth, &sundays).await?;
    }
    Ok(())
}

fn day(today: Date, n: i64) -> String {
    today.checked_add_days(n).unwrap_or(today).to_string()
}
