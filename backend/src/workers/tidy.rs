//! Upkeep: folding metrics samples, forgetting old events, idempotency keys and identity
//! document numbers no longer needed, and ending here the sessions that another instance ended.

use std::time::Duration;

use tokio::sync::broadcast;

use super::Stop;
use crate::state::AppState;
use crate::store::ops::Actor;
use crate::store::ops::channels::ForgetSyncs;
use crate::store::ops::events::ForgetEvents;
use crate::store::ops::idempotency::ForgetKeys;
use crate::store::ops::mail::ForgetMessages;
use crate::store::ops::privacy::ForgetIdDocuments;
use crate::store::ops::reminders::{DueReminders, QueueReminders};
use crate::store::ops::webhooks::ForgetDeliveries;

/// How often the metrics exporter folds its samples into buckets.
const METRICS_EVERY: Duration = Duration::from_secs(5);
/// How often old events are looked for.
const EVENTS_EVERY: Duration = Duration::from_secs(3600);
/// How long an event is kept after it happened: long enough for a consumer that was down over
/// a holiday to catch up, short enough not to keep guests' data for nothing.
pub const EVENTS_KEPT: Duration = Duration::from_secs(30 * 24 * 3600);

pub async fn run(state: AppState, mut stop: Stop) {
    let mut since_events = EVENTS_EVERY;
    loop {
        if let Some(handle) = crate::metrics::recorder() {
            handle.run_upkeep();
        }
        if since_events >= EVENTS_EVERY {
            since_events = Duration::ZERO;
            let before = jiff::Timestamp::now()
                - jiff::SignedDuration::try_from(EVENTS_KEPT).unwrap_or_default();
            match state
                .store
                .run(ForgetEvents {
                    before: before.to_string(),
                })
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!("forgot {n} events older than 30 days"),
                Err(e) => tracing::warn!("could not forget old events: {e:?}"),
            }
            forget_id_documents(&state).await;
            forget_old_messages(&state).await;
            forget_idempotency_keys(&state).await;
            forget_old_syncs(&state).await;
            forget_old_deliveries(&state).await;
        }
        queue_reminders(&state).await;
        if !stop.sleep(METRICS_EVERY).await {
            break;
        }
        since_events += METRICS_EVERY;
    }
}

/// Clears the identity document numbers of guests whose last stay ended more than
/// `--keep-id-documents-days` ago: taken at check-in for the police register, not needed
/// after.
async fn forget_id_documents(state: &AppState) {
    let days = state.keep_id_documents_days;
    let cutoff = state
        .clock
        .today()
        .checked_add_days(-i64::from(days))
        .unwrap_or_else(|| state.clock.today());
    match state
        .store
        .run(ForgetIdDocuments {
            actor: Actor("hotel-server".into()),
            cutoff,
            kept_days: days,
        })
        .await
    {
        Ok(0) => {}
        Ok(n) => tracing::info!("cleared the identity document numbers of {n} guests"),
        Err(e) => tracing::warn!("could not clear old identity document numbers: {e:?}"),
    }
}

/// Deletes the messages sent (or given up on) more than `--keep-messages-days` ago: they
/// hold a guest's name, address and stays, and the booking itself keeps what was agreed.
async fn forget_old_messages(state: &AppState) {
    let days = i64::from(state.keep_messages_days);
    let before = jiff::Timestamp::now().as_second() - days * 24 * 3600;
    match state.store.run(ForgetMessages { before }).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("deleted {n} messages older than {days} days"),
        Err(e) => tracing::warn!("could not delete old messages: {e:?}"),
    }
}

/// Forgets `Idempotency-Key`s (and the answers kept with them) after their 24 hours.
async fn forget_idempotency_keys(state: &AppState) {
    let before = jiff::Timestamp::now().as_second() - crate::api::KEYS_KEPT.as_secs() as i64;
    match state.store.run(ForgetKeys { before }).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("forgot {n} idempotency keys older than a day"),
        Err(e) => tracing::warn!("could not forget old idempotency keys: {e:?}"),
    }
}

/// Forgets the calendar sync log's lines after 30 days.
async fn forget_old_syncs(state: &AppState) {
    let before = jiff::Timestamp::now().as_second() - 30 * 24 * 3600;
    match state.store.run(ForgetSyncs { before }).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("forgot {n} calendar syncs older than 30 days"),
        Err(e) => tracing::warn!("could not forget old calendar syncs: {e:?}"),
    }
}

/// Forgets webhooks' delivery log after 30 days.
async fn forget_old_deliveries(state: &AppState) {
    let before = jiff::Timestamp::now().as_second() - 30 * 24 * 3600;
    match state.store.run(ForgetDeliveries { before }).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("forgot {n} webhook deliveries older than 30 days"),
        Err(e) => tracing::warn!("could not forget old webhook deliveries: {e:?}"),
    }
}

/// Queues the reminders that have come due (looked for every few seconds: a read of a few
/// nights, and a write only when one is due).
async fn queue_reminders(state: &AppState) {
    let (days, at) = state.reminders;
    if days == 0 {
        return;
    }
    let now = jiff::Timestamp::now();
    let due = match state
        .store
        .run(DueReminders {
            now,
            today: state.clock.today(),
            days,
            at,
            tz: state.clock.zone().clone(),
        })
        .await
    {
        Ok(due) => due,
        Err(e) => {
            tracing::warn!("could not look for reminders: {e:?}");
            return;
        }
    };
    if due.is_empty() {
        return;
    }
    match state.store.run(QueueReminders { due, now }).await {
        Ok(n) => tracing::info!("queued {n} reminders before arrival"),
        Err(e) => tracing::warn!("could not queue reminders: {e:?}"),
    }
}

/// A session ended on another instance must end here too, at once.
pub async fn forget_ended_sessions(
    state: AppState,
    mut ended: broadcast::Receiver<[u8; 32]>,
    mut stop: Stop,
) {
    loop {
        match stop.until(ended.recv()).await {
            None => break,
            Some(Ok(digest)) => state.auth.forget_session(&digest),
            Some(Err(broadcast::error::RecvError::Lagged(_))) => continue,
            Some(Err(_)) => break,
        }
    }
}
