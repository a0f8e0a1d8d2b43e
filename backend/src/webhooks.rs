//! Delivering the hotel's events to webhooks: one `POST` per event, signed, in the order the
//! events were committed, each webhook by one instance at a time. A try that fails holds the
//! webhook's later events back until it succeeds, so a receiver sees them in order; each event
//! is posted until a receiver takes it, so a receiver that took one and whose answer was lost
//! sees it again, with the same `Hotel-Event-Id` to know it by.
//!
//! A turn posts up to `EVENTS_PER_TURN` events in a row on one connection and then writes
//! where the webhook stands, once: an instance that stops mid-turn leaves the events it
//! posted since to be posted again (same ids) once its lease runs out.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Body as _;
use hyper::header::{self, HeaderValue};

use crate::api::events::FeedEvent;
use crate::channels::fetch::{Open, acceptable, connect_to, request_to};
use crate::domain::webhooks::{retry_after, signature, wants};
use crate::store::ops::events::EventsAfter;
use crate::store::ops::webhooks::{Delivered, HookRow, Tried};
use crate::store::{Store, StoreResult};

/// Events read at a time while looking for the next one a webhook wants.
const READ_AT_ONCE: u32 = 200;
/// What is read of a receiver's answer before the connection is dropped.
const ANSWER_BYTES: usize = 64 * 1024;
/// Events posted in one turn before its outcome is written.
const EVENTS_PER_TURN: usize = 100;
/// A turn that has posted for this long writes its outcome and ends.
const TURN_TIME: Duration = Duration::from_secs(2);

/// One turn at a webhook: passes over the events it does not want, posts the next ones it
/// does (until one fails, `EVENTS_PER_TURN` are taken or `TURN_TIME` has passed), and writes
/// where the webhook then stands. True when it tried one (there may be more).
pub async fn turn(
    store: &Store,
    hook: HookRow,
    first_retry_secs: i64,
    limit: Duration,
) -> StoreResult<bool> {
    let mut through = hook.delivered_through;
    let mut tries = Vec::new();
    let mut connection = None;
    let started = Instant::now();
    'events: loop {
        let events = store
            .run(EventsAfter {
                after: through,
                limit: READ_AT_ONCE,
            })
            .await?;
        let Some(last) = events.last().map(|e| e.position) else {
            break;
        };
        for event in events {
            let event = FeedEvent::from(event);
            if !wants(&hook.events, &event.kind) {
                through = event.id;
                continue;
            }
            // Only the turn's first event can have failed before.
            let attempt = if tries.is_empty() {
                hook.attempts + 1
            } else {
                1
            };
            let tried = post(&hook, &mut connection, &event, attempt, limit).await;
            let failed = tried.error.is_some();
            if !failed {
                through = event.id;
            }
            tries.push(tried);
            if failed || tries.len() >= EVENTS_PER_TURN || started.elapsed() >= TURN_TIME {
                break 'events;
            }
        }
        through = through.max(last);
    }
    let retry_after = tries
        .last()
        .map_or(0, |t| retry_after(t.attempt, first_retry_secs));
    let tried_any = !tries.is_empty();
    store
        .run(Delivered {
            id: hook.id,
            resumes: hook.resumes,
            through,
            tries,
            retry_after,
        })
        .await?;
    Ok(tried_any)
}

/// Posts one event; what came of it.
async fn post(
    hook: &HookRow,
    connection: &mut Option<Open>,
    event: &FeedEvent,
    attempt: u32,
    limit: Duration,
) -> Tried {
    let started = Instant::now();
    let outcome = match serde_json::to_vec(event) {
        Ok(body) => tokio::time::timeout(limit, exchange(hook, connection, event, body))
            .await
            .unwrap_or_else(|_| {
                Err((
                    None,
                    format!(
                        "the address did not answer within {} seconds",
                        limit.as_secs()
                    ),
                ))
            }),
        Err(e) => Err((None, format!("the event could not be written: {e}"))),
    };
    let (status, error) = match outcome {
        Ok(status) => (Some(status), None),
        Err((status, why)) => (status, Some(why)),
    };
    Tried {
        event_id: event.id,
        event_type: event.kind.clone(),
        attempt,
        status,
        error,
        millis: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
    }
}

/// The `POST` and its answer: the status when it is 2xx, else the status (if any) and why.
/// The connection of the turn's last post is used again while the receiver keeps it open.
async fn exchange(
    hook: &HookRow,
    connection: &mut Option<Open>,
    event: &FeedEvent,
    body: Vec<u8>,
) -> Result<u16, (Option<u16>, String)> {
    let url = acceptable(&hook.url).map_err(|why| (None, why))?;
    let timestamp = jiff::Timestamp::now().as_second();
    let signed = signature(&hook.secret, timestamp, &body);
    let header_value =
        |text: String| HeaderValue::from_str(&text).map_err(|e| (None, e.to_string()));
    let request = request_to(&url, hyper::Method::POST)
        .map_err(|why| (None, why))?
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::USER_AGENT, "Hotel webhooks")
        .header("Hotel-Signature", header_value(signed)?)
        .header("Hotel-Event-Id", header_value(event.id.to_string())?)
        .header("Hotel-Event-Type", header_value(event.kind.clone())?)
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| (None, format!("the address cannot be posted to: {e}")))?;
    let open = match connection.take().filter(Open::is_open) {
        Some(open) => open,
        None => connect_to(&url).await.map_err(|why| (None, why))?,
    };
    let (open, answer) = open.send(request).await.map_err(|why| (None, why))?;
    let status = answer.status();
    // The answer's body means nothing here; a little is read so the receiver is not cut off
    // mid-answer, then the connection goes.
    let mut body = answer.into_body();
    let mut read = 0;
    while read < ANSWER_BYTES
        && let Some(Ok(frame)) = body.frame().await
    {
        read += frame.data_ref().map_or(0, Bytes::len);
    }
    // Kept only once the answer is read to its end: a connection is reused only then.
    if body.is_end_stream() {
        *connection = Some(open);
    }
    if status.is_success() {
        Ok(status.as_u16())
    } else {
        Err((
            Some(status.as_u16()),
            format!("the address answered {status}"),
        ))
    }
}
