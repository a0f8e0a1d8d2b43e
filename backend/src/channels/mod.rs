//! Calendar sync with the booking sites, the half that leaves the server: a feed fetched
//! (`fetch`), read into the hotel's nights (`domain::channels`) off the async workers, and
//! written as the room's blocks in one transaction (`store::ops::channels::ApplySync`). The
//! schedule is `workers::ical`; staff sync one feed at once with `POST /staff/feeds/{id}/sync`.

pub mod fetch;

use std::time::Duration;

use hotel_shared::channels::SyncEntry;

use crate::domain::channels::{MAX_FEED_BYTES, read_feed};
use crate::domain::clock::HotelClock;
use crate::domain::dates::DAYS_AHEAD;
use crate::store::ops::channels::{ApplySync, FeedToSync, Fetched};
use crate::store::{Store, StoreResult};

/// Fetches a feed and writes what it says; a feed that fails keeps its last good stays and
/// records why.
pub async fn sync(
    store: &Store,
    clock: &HotelClock,
    feed_id: i64,
    limit: Duration,
) -> StoreResult<SyncEntry> {
    let feed = store.run(FeedToSync { id: feed_id }).await?;
    let answer = fetch::fetch(
        &feed.url,
        feed.etag.as_deref(),
        feed.last_modified.as_deref(),
        limit,
        MAX_FEED_BYTES,
    )
    .await;
    let fetched = match answer {
        Err(why) => Fetched::Failed(why),
        Ok(fetch::Answer::Unchanged) => Fetched::NotModified,
        Ok(fetch::Answer::Text {
            text,
            etag,
            last_modified,
        }) => {
            let today = clock.today();
            let last = today.checked_add_days(DAYS_AHEAD).unwrap_or(today);
            let zone = clock.zone().clone();
            // A feed of megabytes is parsed off the async workers; a parser panic is a
            // failed sync, not a lost worker.
            let read =
                tokio::task::spawn_blocking(move || read_feed(&text, &zone, today, last)).await;
            match read {
                Ok(Ok(stays)) => Fetched::Stays {
                    stays,
                    etag,
                    last_modified,
                },
                Ok(Err(why)) => Fetched::Failed(why),
                Err(_) => Fetched::Failed("the feed could not be read".into()),
            }
        }
    };
    store.run(ApplySync { feed_id, fetched }).await
}
