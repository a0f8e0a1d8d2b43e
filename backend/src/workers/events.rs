//! Placing events in commit order (`store::ops::events`) soon after they are written, and
//! telling the workers that follow them. On SQLite events are placed as they are written, and
//! a run only reads the last position.

use std::time::Duration;

use super::Stop;
use crate::store::Store;
use crate::store::ops::events::PlaceEvents;

/// The least time between two runs: however fast changes come, placing them is one small
/// transaction ten times a second, and an event waits at most this long for its place.
const AT_MOST_EVERY: Duration = Duration::from_millis(100);
/// A run without being woken: on PostgreSQL another instance may have stopped between writing
/// its events and placing them.
const AT_LEAST_EVERY: Duration = Duration::from_secs(5);

pub async fn place(store: Store, mut stop: Stop) {
    let signals = std::sync::Arc::clone(store.events());
    loop {
        match store.run(PlaceEvents).await {
            Ok(last) => signals.placed(last),
            Err(e) => tracing::warn!("could not place events: {e:?}"),
        }
        if !stop.sleep(AT_MOST_EVERY).await {
            break;
        }
        let woken = stop
            .until(tokio::time::timeout(
                AT_LEAST_EVERY,
                signals.written.notified(),
            ))
            .await;
        if woken.is_none() {
            break;
        }
    }
    // Whatever was committed before the stop is placed before it completes.
    if let Ok(last) = store.run(PlaceEvents).await {
        signals.placed(last);
    }
}
