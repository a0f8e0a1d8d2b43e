//! Delivers events to the webhooks: woken when events are placed (on any instance) and every
//! second besides, since retries come due with time. Each webhook due is taken under a lease,
//! so one instance at a time delivers to it, one event per turn, in order.

use std::time::Duration;

use super::Stop;
use crate::state::AppState;
use crate::store::ops::webhooks::{AnyWebhookDue, TakeDueWebhooks};

/// How long a webhook taken stays this instance's: longer than a turn can last.
const LEASE_SECS: i64 = 60;
/// Webhooks taken at a time.
const BATCH: u32 = 20;
/// How often due retries are looked for without news of events.
const LOOK_EVERY: Duration = Duration::from_secs(1);

pub async fn run(state: AppState, mut stop: Stop) {
    let mut placed = state.store.events().subscribe();
    let (first_retry, limit) = state.webhooks;
    loop {
        let now = jiff::Timestamp::now().as_second();
        let mut busy = false;
        if state
            .store
            .run(AnyWebhookDue { now })
            .await
            .unwrap_or(false)
        {
            let taken = state
                .store
                .run(TakeDueWebhooks {
                    now,
                    lease_secs: LEASE_SECS,
                    limit: BATCH,
                })
                .await;
            match taken {
                Ok(hooks) => {
                    for hook in hooks {
                        let id = hook.id;
                        // Dropped at a stop, a turn leaves its webhook leased for a minute and
                        // posts its event again after: receivers know an event by its id.
                        let turn = crate::webhooks::turn(&state.store, hook, first_retry, limit);
                        match stop.until(turn).await {
                            None => return,
                            Some(Ok(tried)) => busy |= tried,
                            Some(Err(e)) => {
                                tracing::warn!("could not deliver to webhook {id}: {e:?}");
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!("could not take webhooks to deliver to: {e:?}"),
            }
        }
        if busy {
            continue;
        }
        tokio::select! {
            () = stop.stopping() => return,
            _ = placed.changed() => {}
            () = tokio::time::sleep(LOOK_EVERY) => {}
        }
    }
}
