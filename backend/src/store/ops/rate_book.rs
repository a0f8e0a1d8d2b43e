//! The rates calendar as bookings, quotes and moves read it: each night's price on a plan and
//! the restrictions that hold, looked up by night.

use std::collections::HashMap;

use hotel_shared::Date;
use hotel_shared::rates::Restrictions;

use crate::store::StoreResult;
use crate::store::catalog::{Catalog, NightRow, RateBook};
use crate::store::sql::{SqlRow, Tx, Value, params};

/// The most nights one plan's calendar holds in memory: every day a request may name.
const NIGHTS_KEPT: usize =
    (crate::domain::dates::DAYS_BACK + crate::domain::dates::DAYS_AHEAD + 2) as usize;

/// Reads the calendar for the nights `from` through `through` (inclusive: a stay's departure
/// day carries its closed-to-departure mark), of one type or all.
pub(crate) async fn rate_book<T: Tx>(
    tx: &mut T,
    from: Date,
    through: Option<Date>,
    room_type: Option<i64>,
) -> StoreResult<RateBook> {
    let mut sql = String::from(
        "SELECT night, room_type_id, plan_id, amount, min_stay, max_stay, closed, \
         closed_to_arrival, closed_to_departure, min_advance, max_advance FROM rate_nights \
         WHERE night >= $1",
    );
    let mut values = params![from];
    if let Some(through) = through {
        sql.push_str(" AND night <= $2");
        values.push(Value::Date(through));
    }
    if let Some(t) = room_type {
        sql.push_str(&format!(" AND room_type_id = ${}", values.len() + 1));
        values.push(Value::Int(t));
    }
    let mut book = RateBook {
        from,
        rows: HashMap::new(),
    };
    for r in tx.query(&sql, values).await? {
        let key = (r.int("room_type_id")?, r.int("plan_id")?);
        // Nights are kept by index from `from`: a night stored beyond any date a request may
        // name (by a version before the window) is never asked for, and would cost a slot
        // for every night in between.
        let Ok(at) = usize::try_from(from.days_until(r.date("night")?)) else {
            continue;
        };
        if at > NIGHTS_KEPT {
            continue;
        }
        let nights = book.rows.entry(key).or_default();
        if nights.len() <= at {
            nights.resize(at + 1, None);
        }
        nights[at] = Some(night_row(&r)?);
    }
    Ok(book)
}

/// The calendar from `from` on for a read: kept with the catalog (and dropped with it when
/// prices, restrictions, plans, rooms or types change), so quotes do not read it every time.
pub(crate) async fn cached_rate_book<T: Tx>(
    tx: &mut T,
    today: Date,
    from: Date,
    through: Date,
) -> StoreResult<std::sync::Arc<RateBook>> {
    let catalog = tx.catalog().await?;
    if let Some(book) = catalog.rates.get()
        && book.from <= from
    {
        return Ok(std::sync::Arc::clone(book));
    }
    // Kept from yesterday on, so it serves every quote (they start today or later) until the
    // next change, across midnight too.
    let start = today.min(from).checked_add_days(-1).unwrap_or(from);
    let horizon = today
        .checked_add_days(crate::domain::dates::DAYS_AHEAD + 1)
        .unwrap_or(today);
    let whole = std::sync::Arc::new(rate_book(tx, start, Some(horizon.max(through)), None).await?);
    if catalog.rates.set(std::sync::Arc::clone(&whole)).is_err() {
        // Another request filled it first: either is the same calendar.
    }
    if whole.from <= from {
        Ok(whole)
    } else {
        Ok(std::sync::Arc::new(
            rate_book(tx, from, Some(through), None).await?,
        ))
    }
}

/// The calendar a booking prices its stay from. Where the catalog is kept (SQLite's writer,
/// which sees every change first, and reads), the whole calendar is read once and kept with
/// it: reading the stay's nights on every booking was a quarter of the writer's work. A
/// catalog read for one transaction (PostgreSQL's writes) reads only the stay's nights.
pub(crate) async fn stay_rate_book<T: Tx>(
    tx: &mut T,
    catalog: &Catalog,
    today: Date,
    from: Date,
    through: Date,
    room_type: Option<i64>,
) -> StoreResult<std::sync::Arc<RateBook>> {
    if catalog.kept {
        cached_rate_book(tx, today, from, through).await
    } else {
        Ok(std::sync::Arc::new(
            rate_book(tx, from, Some(through), room_type).await?,
        ))
    }
}

fn night_row(r: &SqlRow) -> StoreResult<NightRow> {
    Ok(NightRow {
        amount: r.opt_int("amount")?,
        restrictions: Restrictions {
            min_stay: r.opt_int("min_stay")?.map(small),
            max_stay: r.opt_int("max_stay")?.map(small),
            closed: r.bool("closed")?,
            closed_to_arrival: r.bool("closed_to_arrival")?,
            closed_to_departure: r.bool("closed_to_departure")?,
            min_advance: r.opt_int("min_advance")?.map(small),
            max_advance: r.opt_int("max_advance")?.map(small),
        },
    })
}

fn small(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}
