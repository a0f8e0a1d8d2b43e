//! Delivers events to the webhooks: woken when events are placed (on any instance) and every
//! second besides, since retries come due with time. Each webhook due is taken under a lease,
//! so one instance at a time delivers to it, one event per turn, in order. A hotel without
//! webhooks is looked at once a second, not at every event: a new webhook (on any instance)
//! starts within that second.

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
    let mut every_second = tokio::time::interval(LOOK_EVERY);
    every_second.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Whether the last look found an active webhook; news of events is acted on only then.
    let mut active = true;
    let mut ticked = true;
    loop {
        let mut busy = false;
        if active || ticked {
            let now = jiff::Timestamp::now().as_second();
            let look = state.store.run(AnyWebhookDue { now }).await;
            if let Ok(look) = &look {
                active = look.active;
            }
            if look.is_ok_and(|l| l.due) {
                match deliver(&state, &mut stop, now, first_retry, limit).await {
                    None => return,
                    Some(tried) => busy = tried,
                }
            }
        }
        if busy {
            continue;
        }
        ticked = tokio::select! {
            () = stop.stopping() => return,
            _ = placed.changed() => false,
            _ = every_second.tick() => true,
        };
    }
}

/// One round over the webhooks due: whether any delivery was tried; `None` at a stop.
async fn deliver(
    state: &AppState,
    stop: &mut Stop,
    now: i64,
    first_retry: i64,
    limit: Duration,
) -> Option<bool> {
    let taken = state
        .store
        .run(TakeDueWebhooks {
            now,
            lease_secs: LEASE_SECS,
            limit: BATCH,
        })
        .await;
    let hooks = match taken {
        Ok(hooks) => hooks,
        Err(e) => {
            tracing::warn!("could not take webhooks to deliver to: {e:?}");
            return Some(false);
        }
    };
    let mut busy = false;
    for hook in hooks {
        let id = hook.id;
        // Dropped at a stop, a turn leaves its webhook leased for a minute and posts its
        // event again after: receivers know an event by its id.
        let turn = crate::webhooks::turn(&state.store, hook, first_retry, limit);
        match stop.until(turn).await {
            None => return None,
            Some(Ok(tried)) => busy |= tried,
            Some(Err(e)) => tracing::warn!("could not deliver to webhook {id}: {e:?}"),
        }
    }
    Some(busy)
}
