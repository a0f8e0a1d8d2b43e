//! Paged lists: how many entries a caller may ask for, and the opaque cursor that continues
//! a list of stays where its last page ended. Stays are listed by arrival day, then id: keys
//! that never change, so paging loses or repeats no stay while others are booked meanwhile.

use hotel_shared::{Booking, Date};

use crate::domain::paging;
use crate::error::{AppError, AppResult};

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

/// One page of stays fetched with one more than `limit`: the page, and the cursor to the next
/// one when there is more.
pub fn stays_page(mut stays: Vec<Booking>, limit: u32) -> (Vec<Booking>, Option<String>) {
    let more = stays.len() > limit as usize;
    stays.truncate(limit as usize);
    let next = more
        .then(|| stays.last())
        .flatten()
        .map(|b| paging::encode(&[&b.check_in.to_string(), &b.id.to_string()]));
    (stays, next)
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

pub fn id_cursor_after(id: i64) -> String {
    paging::encode(&[&id.to_string()])
}
