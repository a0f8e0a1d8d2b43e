//! Delivering the hotel's events to webhooks: one `POST` per event, signed, in the order the
//! events were committed, each webhook by one instance at a time. A try that fails holds the
//! webhook's later events back until it succeeds, so a receiver sees them in order; each event
//! is posted until a receiver takes it, so a receiver that took one and whose answer was lost
//! sees it again, with the same `Hotel-Event-Id` to know it by.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{self, HeaderValue};

use crate::api::events::FeedEvent;
use crate::channels::fetch::{acceptable, request_to, send_to};
use crate::domain::webhooks::{retry_after, signature, wants};
use crate::store::ops::events::EventsAfter;
use crate::store::ops::webhooks::{Delivered, HookRow, Tried};
use crate::store::{Store, StoreResult};

/// Events read at a time while looking for the next one a webhook wants.
const READ_AT_ONCE: u32 = 200;
/// What is read of a receiver's answer before the connection is dropped.
const ANSWER_BYTES: usize = 64 * 1024;

/// One turn at a webhook: passes over the events it does not want, posts the next one it
/// does, and writes where the webhook then stands. True when it tried one (there may be
/// more).
pub async fn turn(
    store: &Store,
    hook: HookRow,
    first_retry_secs: i64,
    limit: Duration,
) -> StoreResult<bool> {
    let mut through = hook.delivered_through;
    loop {
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
            let attempt = hook.attempts + 1;
            let tried = post(&hook, &event, attempt, limit).await;
            let failed = tried.error.is_some();
            if !failed {
                through = event.id;
            }
            store
                .run(Delivered {
                    id: hook.id,
                    resumes: hook.resumes,
                    through,
                    tries: vec![tried],
                    retry_after: retry_after(attempt, first_retry_secs),
                })
                .await?;
            return Ok(true);
        }
        through = through.max(last);
    }
    store
        .run(Delivered {
            id: hook.id,
            resumes: hook.resumes,
            through,
            tries: Vec::new(),
            retry_after: 0,
        })
        .await?;
    Ok(false)
}

/// Posts one event; what came of it.
async fn post(hook: &HookRow, event: &FeedEvent, attempt: u32, limit: Duration) -> Tried {
    let started = Instant::now();
    let outcome = match serde_json::to_vec(event) {
        Ok(body) => tokio::time::timeout(limit, exchange(hook, event, body))
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
async fn exchange(
    hook: &HookRow,
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
    let answer = send_to(&url, request).await.map_err(|why| (None, why))?;
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
    if status.is_success() {
        Ok(status.as_u16())
    } else {
        Err((
            Some(status.as_u16()),
            format!("the address answered {status}"),
        ))
    }
}
