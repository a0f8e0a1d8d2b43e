//! Sessions in use, for the metrics.

use crate::store::StoreResult;
use crate::store::sql::{Op, Tx, params};

/// Sign-ins that have neither ended nor expired at `now` (Unix seconds).
pub struct LiveSessions {
    pub now: i64,
}

impl Op for LiveSessions {
    type Out = u64;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<u64> {
        match tx
            .query(
                "SELECT COUNT(*) AS sessions FROM sessions WHERE expires_at > $1",
                params![self.now],
            )
            .await?
            .first()
        {
            Some(row) => Ok(u64::try_from(row.int("sessions")?).unwrap_or(0)),
            None => Ok(0),
        }
    }
}
