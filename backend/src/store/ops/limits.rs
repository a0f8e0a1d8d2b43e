//! Counters behind the limits a hotel sets against hoarding and floods: requests per client
//! address or account in fixed windows, and the room-nights a guest holds.

use std::time::Duration;

use super::super::StoreResult;
use super::super::sql::{Op, Tx, params, query_opt};
use crate::domain::limits::RateLimit;

/// Counts one request against each limit for its subject (an address, an account), in one
/// transaction, atomically on both engines and across instances. `Some(wait)` when any
/// window was already full: the request is refused, and `wait` is when the last of those
/// windows opens again.
pub struct CountRequest {
    pub counts: Vec<(RateLimit, String)>,
    /// Unix seconds.
    pub now: i64,
}

impl Op for CountRequest {
    type Out = Option<Duration>;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Option<Duration>> {
        let mut refused: Option<Duration> = None;
        for (limit, subject) in &self.counts {
            let (hits, wait_secs) =
                charge(tx, limit.scope, subject, limit.window_secs, self.now, 1).await?;
            if hits > i64::from(limit.max) {
                refused = refused.max(Some(Duration::from_secs(wait_secs)));
            }
        }
        Ok(refused)
    }
}

/// Adds `amount` to the count of `subject` under `scope` in the current window (`window_secs`
/// long, from `now`), in the caller's transaction, and returns the new count and the seconds
/// until the window ends. The first charge of a window clears the scope's older windows.
pub async fn charge<T: Tx>(
    tx: &mut T,
    scope: &str,
    subject: &str,
    window_secs: i64,
    now: i64,
    amount: i64,
) -> StoreResult<(i64, u64)> {
    let start = now - now.rem_euclid(window_secs);
    let total = query_opt(
        tx,
        "INSERT INTO rate_counters (scope, subject, window_start, hits) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (scope, subject, window_start) DO UPDATE SET hits = rate_counters.hits + $4 \
         RETURNING hits",
        params![scope, subject, start, amount],
    )
    .await?
    .map_or(Ok(amount), |r| r.int("hits"))?;
    if total == amount {
        tx.execute(
            "DELETE FROM rate_counters WHERE scope = $1 AND window_start < $2",
            params![scope, start],
        )
        .await?;
    }
    Ok((total, (start + window_secs - now).max(1).unsigned_abs()))
}
