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
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use jiff::Timestamp;

use super::Stop;
use crate::mail::{Mailer, Sender, compose};
use crate::state::AppState;
use crate::store::ops::mail::{
    Letter, LettersToWrite, Outgoing, RecordTries, ReleaseLeases, RetryNow, SaveLetters, TakeDue,
    Tried,
};

/// Messages written out in one go.
const WRITE_AT_ONCE: u32 = 500;
/// Messages taken for sending in one go.
const SEND_AT_ONCE: u32 = 500;
/// Messages on their way to the mail server at once (one connection each).
const IN_FLIGHT: usize = crate::mail::SMTP_CONNECTIONS as usize;
/// How long a taken message is this worker's: a worker that dies with it leaves it to others
/// after this. A batch never runs near it: once a try finds no server, the rest of the batch
/// is not tried.
const LEASE_SECS: i64 = 300;
/// How often the worker looks for retries that have come due without being woken.
const LOOK_EVERY: Duration = Duration::from_secs(5);
/// While the hotel is busy (changes were made during a full batch), the worker rests this many
/// times as long as the batch took before the next: guests' requests come before mail, which
/// then takes about a quarter of the time it could. An idle hotel's queue goes at full speed.
const REST_WHILE_BUSY: u32 = 3;

pub async fn run(state: AppState, mailer: Arc<Mailer>, mut stop: Stop) {
    if state.store.is_sqlite() {
        // One server at a time runs on a SQLite file: nothing taken before is on its way.
        if let Err(e) = state.store.run(ReleaseLeases).await {
            tracing::warn!("mail: could not release old leases: {e:?}");
        }
    }
    // Opened here, so that its connections live and close in this task.
    let sender = mailer.sender();
    let mut placed = state.store.events().subscribe();
    // Whether the mail server may be down: unknown at start.
    let mut in_doubt = sender.is_some();
    loop {
        let answers = match (&sender, in_doubt) {
            (Some(sender), true) => match stop.until(sender.reachable()).await {
                Some(answers) => answers,
                None => break,
            },
            _ => false,
        };
        if answers {
            in_doubt = false;
            let now = Timestamp::now().as_second();
            if let Err(e) = state.store.run(RetryNow { now }).await {
                tracing::warn!("mail: could not bring retries forward: {e:?}");
            }
        }
        // Without a way out, letters are written ahead so the desk can read them; with one,
        // each is written as it is sent.
        let started = std::time::Instant::now();
        // Seen up to here: a change placed while the batch runs says the hotel is busy.
        placed.borrow_and_update();
        let (wrote, (sent, unreachable)) = match &sender {
            Some(sender) => (0, send_due(&state, &mailer, sender).await),
            None => (write_out(&state, &mailer).await, (0, false)),
        };
        in_doubt |= unreachable;
        let busy = wrote >= WRITE_AT_ONCE as usize || sent >= SEND_AT_ONCE as usize;
        if busy {
            let hotel_busy = placed.has_changed().unwrap_or(false);
            let rest = match hotel_busy {
                true => started.elapsed() * REST_WHILE_BUSY,
                false => Duration::ZERO,
            };
            if stop.sleep(rest).await {
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

/// Writes the queued messages not yet written; answers how many it looked at.
async fn write_out(state: &AppState, mailer: &Mailer) -> usize {
    let (hotel, templates, waiting) =
        match state.store.run(LettersToWrite::Oldest(WRITE_AT_ONCE)).await {
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
        let template = templates.for_message(message.kind, message.language);
        match compose::write(
            message,
            &template,
            &hotel,
            state.clock.zone(),
            now,
            &mailer.public_url,
        ) {
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

/// Writes the taken messages that were not written yet: the messages ready to send, the
/// letters written for them, and those that cannot be written (no address any more).
async fn write_taken(
    state: &AppState,
    mailer: &Mailer,
    taken: Vec<Outgoing>,
) -> (Vec<Outgoing>, Vec<Letter>, Vec<(i64, String)>) {
    let unwritten: Vec<i64> = taken.iter().filter(|m| !m.written).map(|m| m.id).collect();
    if unwritten.is_empty() {
        return (taken, Vec::new(), Vec::new());
    }
    let (hotel, templates, mut to_write) =
        match state.store.run(LettersToWrite::Taken(unwritten)).await {
            Ok(found) => found,
            Err(e) => {
                // Tried again once the lease ends.
                tracing::warn!("mail: could not read the messages to write: {e:?}");
                return (
                    taken.into_iter().filter(|m| m.written).collect(),
                    Vec::new(),
                    Vec::new(),
                );
            }
        };
    let now = Timestamp::now();
    let (mut ready, mut written, mut unwritable) = (Vec::new(), Vec::new(), Vec::new());
    for mut m in taken {
        if m.written {
            ready.push(m);
            continue;
        }
        let Some(at) = to_write.iter().position(|w| w.id == m.id) else {
            unwritable.push((m.id, "The guest's account no longer exists.".into()));
            continue;
        };
        let message = to_write.swap_remove(at);
        let template = templates.for_message(message.kind, message.language);
        match compose::write(
            message,
            &template,
            &hotel,
            state.clock.zone(),
            now,
            &mailer.public_url,
        ) {
            Ok(letter) => {
                m.to = letter.to.clone();
                m.name = letter.name.clone();
                m.subject = letter.subject.clone();
                m.text = letter.text.clone();
                m.html = letter.html.clone();
                m.attachment = letter.attachment.clone();
                written.push(letter);
                ready.push(m);
            }
            Err(why) => unwritable.push((m.id, why)),
        }
    }
    (ready, written, unwritable)
}

/// Sends the messages that are due; answers how many it took (none when every try failed: a
/// failing server is no reason to hurry), and whether a try found no server.
async fn send_due(state: &AppState, mailer: &Mailer, sender: &Sender) -> (usize, bool) {
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
    let (taken, written, unwritable) = write_taken(state, mailer, taken).await;
    let down = AtomicBool::new(false);
    let tries: Vec<_> = futures_util::stream::iter(taken)
        .map(|m| {
            let down = &down;
            async move {
                if down.load(Ordering::Relaxed) {
                    let why = "Not tried: the mail server did not answer the one before.";
                    return (m, Tried::Unreachable(why.into()));
                }
                let tried = sender.send(&m).await;
                if matches!(tried, Tried::Unreachable(_)) {
                    down.store(true, Ordering::Relaxed);
                }
                (m, tried)
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    let failing = tries
        .iter()
        .filter(|(_, t)| matches!(t, Tried::Failed(_) | Tried::Unreachable(_)))
        .count();
    let unreachable = down.load(Ordering::Relaxed);
    if let Some((m, why)) = tries.iter().find(|(_, t)| !matches!(t, Tried::Sent)) {
        tracing::info!(
            first = m.id,
            "mail: {} of {count} tries did not send; the first: {why:?}",
            count
                - tries
                    .iter()
                    .filter(|(_, t)| matches!(t, Tried::Sent))
                    .count()
        );
    }
    match state
        .store
        .run(RecordTries {
            now: Timestamp::now().as_second(),
            tries,
            written,
            unwritable,
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
