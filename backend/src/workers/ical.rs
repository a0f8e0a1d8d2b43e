//! Syncs every booking site calendar a room imports, each once per `--ical-sync-minutes`:
//! the feeds whose last try is older are taken oldest first, one at a time (a small hotel
//! has a few dozen; a slow site delays the next by at most its time limit).

use std::time::Duration;

use super::Stop;
use crate::state::AppState;
use crate::store::ops::channels::FeedsDue;

/// How often due feeds are looked for.
const LOOK_EVERY: Duration = Duration::from_secs(30);
/// Feeds taken per look.
const BATCH: u32 = 50;

pub async fn run(state: AppState, mut stop: Stop) {
    let (minutes, limit) = state.ical_sync;
    if minutes == 0 {
        stop.stopping().await;
        return;
    }
    let every = i64::from(minutes) * 60;
    loop {
        let before = jiff::Timestamp::now().as_second() - every;
        match state
            .store
            .run(FeedsDue {
                before,
                limit: BATCH,
            })
            .await
        {
            Ok(feeds) => {
                for feed in feeds {
                    // A sync's fetch may be cut off at any await: nothing is written until
                    // its outcome is, in one transaction.
                    let done = stop
                        .until(crate::channels::sync(
                            &state.store,
                            &state.clock,
                            feed.id,
                            limit,
                        ))
                        .await;
                    match done {
                        None => return,
                        Some(Ok(entry)) if !entry.ok => tracing::info!(
                            "calendar feed {} of room {} failed: {}",
                            feed.id,
                            feed.room_number,
                            entry.detail
                        ),
                        Some(Ok(_)) => {}
                        Some(Err(e)) => {
                            tracing::warn!("could not sync calendar feed {}: {e:?}", feed.id);
                        }
                    }
                }
            }
            Err(e) => tracing::warn!("could not look for calendar feeds to sync: {e:?}"),
        }
        if !stop.sleep(LOOK_EVERY).await {
            return;
        }
    }
}
