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

/// `limit` and `cursor` of a list in the order of its entries' ids (or numbers): the cursor
/// is the id of the last entry of the page before, so any id is a place to go on from.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IdPageQuery {
    /// At most this many (200 by default, 1000 at most)
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    /// `next_cursor` of the page before: the id of its last entry
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
}

impl IdPageQuery {
    pub fn limit(&self) -> AppResult<u32> {
        list_limit(crate::extract::query_number(
            self.limit.as_deref(),
            "limit",
        )?)
    }

    /// The id the page goes on after.
    pub fn after(&self) -> AppResult<Option<i64>> {
        self.cursor
            .as_deref()
            .map(|raw| {
                raw.parse::<i64>().map_err(|_| {
                    AppError::bad_request("cursor is the id of the last entry of a page.")
                })
            })
            .transpose()
    }
}

/// One page of a list read whole (a hotel's rooms, room types, extras: tens to a few
/// thousand entries), in the order of `id`: those after the cursor's.
pub fn page_by_id<T>(
    mut items: Vec<T>,
    query: &IdPageQuery,
    id: impl Fn(&T) -> i64,
) -> AppResult<(Vec<T>, Option<String>)> {
    let limit = query.limit()?;
    let after = query.after()?;
    items.sort_by_key(&id);
    let rest: Vec<T> = items
        .into_iter()
        .filter(|item| after.is_none_or(|after| id(item) > after))
        .take(limit as usize + 1)
        .collect();
    Ok(id_page(rest, limit, id))
}

/// A page fetched with one more than `limit`, in id order: its cursor is the last id shown.
pub fn id_page<T>(
    mut items: Vec<T>,
    limit: u32,
    id: impl Fn(&T) -> i64,
) -> (Vec<T>, Option<String>) {
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next = more
        .then(|| items.last().map(|last| id(last).to_string()))
        .flatten();
    (items, next)
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
