//! Paged lists: how many entries a caller may ask for, and the opaque cursor that continues
//! a list of stays where its last page ended. Stays are listed by arrival day, then id: keys
//! that never change, so paging loses or repeats no stay while others are booked meanwhile.

use hotel_shared::{Booking, Date};

use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::paging;
use crate::error::{AppError, AppResult};

/// `limit` and `cursor`, the query of a list that takes nothing else.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// At most this many (200 by default, 1000 at most)
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    /// `next_cursor` of the page before
    pub cursor: Option<String>,
}

/// Entries in a list when the caller does not say, and the most it may ask for.
pub const DEFAULT_LIST: u32 = 200;
pub const MAX_LIST: u32 = 1000;

/// The page size asked for: 1 to `MAX_LIST`, `DEFAULT_LIST` when not given.
pub fn list_limit(limit: Option<u32>) -> AppResult<u32> {
    match limit {
        None => Ok(DEFAULT_LIST),
        Some(n) if (1..=MAX_LIST).contains(&n) => Ok(n),
        Some(_) => Err(AppError::BadRequest(format!(
            "limit must be a whole number from 1 to {MAX_LIST}."
        ))),
    }
}

fn not_ours() -> AppError {
    AppError::bad_request("cursor is not one this list gave; start again without it.")
}

/// One page of a list read whole in its order (a hotel's rooms, room types, extras: tens to a
/// few thousand entries): those after the entry whose `id` the cursor names.
pub fn page_in_memory<T>(
    items: Vec<T>,
    query: &PageQuery,
    id: impl Fn(&T) -> String,
) -> AppResult<(Vec<T>, Option<String>)> {
    let limit = list_limit(crate::extract::query_number(
        query.limit.as_deref(),
        "limit",
    )?)?;
    let start =
        match query.cursor.as_deref() {
            None => 0,
            Some(raw) => {
                let parts = paging::decode(raw).ok_or_else(not_ours)?;
                let [last] = parts.as_slice() else {
                    return Err(not_ours());
                };
                let at = items.iter().position(|item| id(item) == *last).ok_or_else(|| {
                AppError::bad_request(
                    "the entry this cursor continues after is gone; start again without it.",
                )
            })?;
                at + 1
            }
        };
    let rest: Vec<T> = items
        .into_iter()
        .skip(start)
        .take(limit as usize + 1)
        .collect();
    Ok(page(rest, limit, |item| vec![id(item)]))
}

/// Where a list of stays continues: the arrival day and id of the last stay shown.
pub fn stay_cursor(raw: Option<&str>) -> AppResult<Option<(Date, i64)>> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let parts = paging::decode(raw).ok_or_else(not_ours)?;
    match parts.as_slice() {
        [day, id] => Ok(Some((
            day.parse().map_err(|_| not_ours())?,
            id.parse().map_err(|_| not_ours())?,
        ))),
        _ => Err(not_ours()),
    }
}

/// One page of a list fetched with one more than `limit`: the page, and the cursor to the
/// next one (`key` of the page's last entry) when there is more.
pub fn page<T>(
    mut items: Vec<T>,
    limit: u32,
    key: impl Fn(&T) -> Vec<String>,
) -> (Vec<T>, Option<String>) {
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next = more.then(|| items.last()).flatten().map(|last| {
        let parts = key(last);
        paging::encode(&parts.iter().map(String::as_str).collect::<Vec<_>>())
    });
    (items, next)
}

/// One page of stays: its cursor is the last stay's arrival day and id.
pub fn stays_page(stays: Vec<Booking>, limit: u32) -> (Vec<Booking>, Option<String>) {
    page(stays, limit, |b| {
        vec![b.check_in.to_string(), b.id.to_string()]
    })
}

/// Where a list ordered by text and then id continues (guests by name).
pub fn name_cursor(raw: Option<&str>) -> AppResult<Option<(String, i64)>> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    match paging::decode(raw).ok_or_else(not_ours)?.as_slice() {
        [name, id] => Ok(Some((name.clone(), id.parse().map_err(|_| not_ours())?))),
        _ => Err(not_ours()),
    }
}

/// An id-keyed cursor (the audit log's): the id of the last entry shown.
pub fn id_cursor(raw: Option<&str>) -> AppResult<Option<i64>> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let parts = paging::decode(raw).ok_or_else(not_ours)?;
    match parts.as_slice() {
        [id] => id.parse().map(Some).map_err(|_| not_ours()),
        _ => Err(not_ours()),
    }
}
