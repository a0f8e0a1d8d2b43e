//! The mail worker: writes out the messages changes queued (`store/ops/mail.rs`), then sends
//! those due, a few at a time, and records what the mail server said. It is woken whenever
//! events are placed (every change that queues a message records one, on any instance) and
//! looks for retries that have come due every few seconds.
//!
//! When no mail server answered a try, the worker asks the server every few seconds whether
//! it is back (SMTP `NOOP`), and once it is, makes what waited for it due at once rather
//! than at the end of each message's back-off. It asks at start too: messages that failed
//! before a restart go as soon as the server answers.
//!
//! A message is taken under a lease before it is sent, so on PostgreSQL two instances never
//! send the same one. A round is never cut off by the server stopping: a message handed to
//! the mail server is recorded as sent before the worker ends.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use jiff::Timestamp;

use super::Stop;
use crate::mail::{Mailer, compose};
use crate::state::AppState;
use crate::store::ops::mail::{
    LettersToWrite, RecordTries, ReleaseLeases, RetryNow, SaveLetters, TakeDue, Tried,
};

/// Messages written out in one go.
const WRITE_AT_ONCE: u32 = 200;
/// Messages taken for sending in one go. With `SEND_TIMEOUT` and `IN_FLIGHT` this bounds a
/// round well inside `LEASE_SECS`.
const SEND_AT_ONCE: u32 = 64;
/// Messages on their way to the mail server at once.
const IN_FLIGHT: usize = 8;
/// How long a taken message is this worker's: a worker that dies with it leaves it to others
/// after this.
const LEASE_SECS: i64 = 180;
/// How often the worker looks for retries that have come due without being woken.
const LOOK_EVERY: Duration = Duration::from_secs(5);

pub async fn run(state: AppState, mailer: Arc<Mailer>, mut stop: Stop) {
    if state.store.is_sqlite() {
        // One server at a time runs on a SQLite file: nothing taken before is on its way.
        if let Err(e) = state.store.run(ReleaseLeases).await {
            tracing::warn!("mail: could not release old leases: {e:?}");
        }
    }
    let mut placed = state.store.events().subscribe();
    // Whether the mail server may be down: unknown at start.
    let mut in_doubt = mailer.sends();
    loop {
        let answers = if in_doubt {
            match stop.until(mailer.reachable()).await {
                Some(answers) => answers,
                None => break,
            }
        } else {
            false
        };
        if answers {
            in_doubt = false;
            let now = Timestamp::now().as_second();
            if let Err(e) = state.store.run(RetryNow { now }).await {
                tracing::warn!("mail: could not bring retries forward: {e:?}");
            }
        }
        let (busy, unreachable) = round(&state, &mailer).await;
        in_doubt |= unreachable;
        if busy {
            if stop.sleep(Duration::ZERO).await {
                continue;
            }
            break;
        }
        let woken = stop
            .until(tokio::time::timeout(LOOK_EVERY, placed.changed()))
            .await;
        if woken.is_none() {
            break;
        }
    }
}

/// One round: whether there may be more to do at once, and whether no mail server answered.
async fn round(state: &AppState, mailer: &Mailer) -> (bool, bool) {
    let wrote = write_out(state, mailer).await;
    let (sent, unreachable) = if mailer.sends() {
        send_due(state, mailer).await
    } else {
        (0, false)
    };
    (
        wrote >= WRITE_AT_ONCE as usize || sent >= SEND_AT_ONCE as usize,
        unreachable,
    )
}

/// Writes the queued messages not yet written; answers how many it looked at.
async fn write_out(state: &AppState, mailer: &Mailer) -> usize {
    let (hotel, waiting) = match state
        .store
        .run(LettersToWrite {
            limit: WRITE_AT_ONCE,
        })
        .await
    {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!("mail: could not read the queue: {e:?}");
            return 0;
        }
    };
    if waiting.is_empty() {
        return 0;
    }
    let count = waiting.len();
    let now = Timestamp::now();
    let (mut written, mut failed) = (Vec::new(), Vec::new());
    for message in waiting {
        let id = message.id;
        match compose::write(message, &hotel, state.clock.zone(), now, &mailer.public_url) {
            Ok(letter) => written.push(letter),
            Err(why) => failed.push((id, why)),
        }
    }
    let gave_up = failed.len() as u64;
    if let Err(e) = state.store.run(SaveLetters { written, failed }).await {
        tracing::warn!("mail: could not store the written messages: {e:?}");
        return 0;
    }
    metrics::counter!(crate::metrics::MAIL_FAILED).increment(gave_up);
    count
}

/// Sends the messages that are due; answers how many it took (none when every try failed: a
/// failing server is no reason to hurry), and whether a try found no server.
async fn send_due(state: &AppState, mailer: &Mailer) -> (usize, bool) {
    let taken = match state
        .store
        .run(TakeDue {
            now: Timestamp::now().as_second(),
            limit: SEND_AT_ONCE,
            lease_secs: LEASE_SECS,
        })
        .await
    {
        Ok(taken) => taken,
        Err(e) => {
            tracing::warn!("mail: could not take messages to send: {e:?}");
            return (0, false);
        }
    };
    let count = taken.len();
    if count == 0 {
        return (0, false);
    }
    let tries: Vec<_> = futures_util::stream::iter(taken)
        .map(|m| async move {
            let tried = mailer.send(&m).await;
            (m, tried)
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    let failing = tries
        .iter()
        .filter(|(_, t)| matches!(t, Tried::Failed(_) | Tried::Unreachable(_)))
        .count();
    let unreachable = tries
        .iter()
        .any(|(_, t)| matches!(t, Tried::Unreachable(_)));
    for (m, tried) in &tries {
        if !matches!(tried, Tried::Sent) {
            tracing::info!(message = m.id, "mail: a try failed: {tried:?}");
        }
    }
    match state
        .store
        .run(RecordTries {
            now: Timestamp::now().as_second(),
            tries,
        })
        .await
    {
        Ok((sent, failed)) => {
            metrics::counter!(crate::metrics::MAIL_SENT).increment(sent);
            metrics::counter!(crate::metrics::MAIL_FAILED).increment(failed);
            metrics::counter!(crate::metrics::MAIL_TRIES_FAILED).increment(failing as u64);
        }
        Err(e) => tracing::warn!("mail: could not record what was sent: {e:?}"),
    }
    let taken = if failing == count { 0 } else { count };
    (taken, unreachable)
}
