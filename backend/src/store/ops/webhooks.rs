//! Webhooks: added, listed, removed and resumed by staff; taken by the delivery worker under a
//! lease, and each try written with where the webhook stands after it. Delivery's own writes
//! are no change of the hotel: no audit entry, no event (an event per delivery would be
//! delivered in turn).

use hotel_shared::AuditAction;
use hotel_shared::webhooks::{Delivery, EventName, Webhook};
use jiff::Timestamp;

use super::events::last_position;
use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::webhooks::PAUSE_AFTER_SECS;
use crate::store::StoreResult;
use crate::store::sql::{Op, SqlRow, Tx, params, query_opt};

const HOOK_SELECT: &str = "SELECT id, url, events, secret, created_at, created_by, \
     delivered_through, attempts, failing_since, next_attempt_at, paused_at, last_error, \
     last_success_at, resumes FROM webhooks";

use super::seconds_text as rfc3339;

/// A webhook as the worker needs it: with its secret.
#[derive(Debug, Clone)]
pub struct HookRow {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub secret: String,
    pub delivered_through: i64,
    pub attempts: u32,
    pub failing_since: Option<i64>,
    /// Staff's resumes so far.
    pub resumes: i64,
    created_at: i64,
    created_by: String,
    next_attempt_at: i64,
    paused_at: Option<i64>,
    last_error: Option<String>,
    last_success_at: Option<i64>,
}

impl HookRow {
    /// As staff see it: never the secret.
    pub fn shown(&self) -> Webhook {
        let status = if self.paused_at.is_some() {
            "paused"
        } else if self.attempts > 0 {
            "retrying"
        } else {
            "active"
        };
        Webhook {
            id: self.id,
            url: self.url.clone(),
            events: self.events.iter().cloned().map(EventName).collect(),
            status: status.into(),
            delivered_through: self.delivered_through,
            created_at: rfc3339(self.created_at),
            created_by: self.created_by.clone(),
            last_success_at: self.last_success_at.map(rfc3339),
            failing_since: self.failing_since.map(rfc3339),
            next_attempt_at: (self.attempts > 0 && self.paused_at.is_none())
                .then(|| rfc3339(self.next_attempt_at)),
            last_error: self.last_error.clone(),
        }
    }
}

fn hook_from(row: &SqlRow) -> StoreResult<HookRow> {
    Ok(HookRow {
        id: row.int("id")?,
        url: row.text("url")?,
        events: row
            .text("events")?
            .split(' ')
            .filter(|e| !e.is_empty())
            .map(str::to_string)
            .collect(),
        secret: row.text("secret")?,
        delivered_through: row.int("delivered_through")?,
        attempts: u32::try_from(row.int("attempts")?).unwrap_or(u32::MAX),
        failing_since: row.opt_int("failing_since")?,
        resumes: row.int("resumes")?,
        created_at: row.int("created_at")?,
        created_by: row.text("created_by")?,
        next_attempt_at: row.int("next_attempt_at")?,
        paused_at: row.opt_int("paused_at")?,
        last_error: row.opt_text("last_error")?,
        last_success_at: row.opt_int("last_success_at")?,
    })
}

async fn hook<T: Tx>(tx: &mut T, id: i64) -> StoreResult<HookRow> {
    let row = query_opt(tx, &format!("{HOOK_SELECT} WHERE id = $1"), params![id])
        .await?
        .ok_or(DomainError::WebhookNotFound(id))?;
    hook_from(&row)
}

/// Adds a webhook; it is sent the events placed from now on.
pub struct AddWebhook {
    pub actor: Actor,
    pub url: String,
    pub events: Vec<String>,
    pub secret: String,
}

impl Op for AddWebhook {
    type Out = Webhook;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Webhook> {
        let from = last_position(tx).await?;
        let id = tx
            .insert_id(
                "INSERT INTO webhooks (url, events, secret, created_at, created_by, \
                 delivered_through) VALUES ($1, $2, $3, $4, $5, $6)",
                params![
                    &self.url,
                    self.events.join(" "),
                    &self.secret,
                    Timestamp::now().as_second(),
                    &self.actor.0,
                    from
                ],
            )
            .await?;
        let shown = hook(tx, id).await?.shown();
        audit(
            tx,
            &self.actor,
            AuditAction::WebhookCreate,
            "webhook",
            id,
            None::<&Webhook>,
            Some(&shown),
        )
        .await?;
        Ok(shown)
    }
}

/// Removes a webhook and its log; answers it as it stood.
pub struct RemoveWebhook {
    pub actor: Actor,
    pub id: i64,
}

impl Op for RemoveWebhook {
    type Out = Webhook;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Webhook> {
        let shown = hook(tx, self.id).await?.shown();
        tx.execute(
            "DELETE FROM webhook_deliveries WHERE webhook_id = $1",
            params![self.id],
        )
        .await?;
        tx.execute("DELETE FROM webhooks WHERE id = $1", params![self.id])
            .await?;
        audit(
            tx,
            &self.actor,
            AuditAction::WebhookRemove,
            "webhook",
            self.id,
            Some(&shown),
            None::<&Webhook>,
        )
        .await?;
        Ok(shown)
    }
}

/// Sets a webhook going again at once; from an earlier event when `from_event` says so.
pub struct ResumeWebhook {
    pub actor: Actor,
    pub id: i64,
    pub from_event: Option<i64>,
}

impl Op for ResumeWebhook {
    type Out = Webhook;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Webhook> {
        let before = hook(tx, self.id).await?;
        let through = match self.from_event {
            Some(from) => (from - 1).max(0).min(last_position(tx).await?),
            None => before.delivered_through,
        };
        tx.execute(
            "UPDATE webhooks SET delivered_through = $1, attempts = 0, failing_since = NULL, \
             next_attempt_at = 0, paused_at = NULL, resumes = resumes + 1 WHERE id = $2",
            params![through, self.id],
        )
        .await?;
        let after = hook(tx, self.id).await?.shown();
        audit(
            tx,
            &self.actor,
            AuditAction::WebhookResume,
            "webhook",
            self.id,
            Some(&before.shown()),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

/// Webhooks by id.
pub struct ListWebhooks {
    pub after: i64,
    pub limit: u32,
}

impl Op for ListWebhooks {
    type Out = Vec<Webhook>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Webhook>> {
        let rows = tx
            .query(
                &format!("{HOOK_SELECT} WHERE id > $1 ORDER BY id LIMIT $2"),
                params![self.after, i64::from(self.limit)],
            )
            .await?;
        rows.iter()
            .map(|r| hook_from(r).map(|h| h.shown()))
            .collect()
    }
}

/// One webhook.
pub struct GetWebhook(pub i64);

impl Op for GetWebhook {
    type Out = Webhook;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Webhook> {
        Ok(hook(tx, self.0).await?.shown())
    }
}

const DUE: &str = "paused_at IS NULL AND next_attempt_at <= $1 AND lease_until <= $1 \
     AND delivered_through < (SELECT COALESCE(MAX(position), 0) FROM events \
     WHERE position IS NOT NULL)";

/// What the delivery worker looks at: whether any webhook is due a delivery, and whether any
/// is active at all. A read, so that looking every second writes nothing while there is
/// nothing to deliver.
pub struct AnyWebhookDue {
    pub now: i64,
}

/// The answer of `AnyWebhookDue`.
#[derive(Debug, Clone, Copy)]
pub struct WebhookLook {
    pub due: bool,
    /// A webhook not paused exists: only then is news of events worth a look.
    pub active: bool,
}

impl Op for AnyWebhookDue {
    type Out = WebhookLook;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<WebhookLook> {
        let due = query_opt(
            tx,
            &format!("SELECT id FROM webhooks WHERE {DUE} LIMIT 1"),
            params![self.now],
        )
        .await?
        .is_some();
        let active = due
            || query_opt(
                tx,
                "SELECT id FROM webhooks WHERE paused_at IS NULL LIMIT 1",
                params![],
            )
            .await?
            .is_some();
        Ok(WebhookLook { due, active })
    }
}

/// Takes the webhooks due a delivery, each for `lease_secs`: no other instance delivers to
/// them meanwhile.
pub struct TakeDueWebhooks {
    pub now: i64,
    pub lease_secs: i64,
    pub limit: u32,
}

impl Op for TakeDueWebhooks {
    type Out = Vec<HookRow>;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<HookRow>> {
        let rows = tx
            .query(
                &format!("{HOOK_SELECT} WHERE {DUE} ORDER BY id LIMIT $2"),
                params![self.now, i64::from(self.limit)],
            )
            .await?;
        let mut taken = Vec::with_capacity(rows.len());
        for row in &rows {
            let id = row.int("id")?;
            let leased = tx
                .execute(
                    "UPDATE webhooks SET lease_until = $1 WHERE id = $2 AND lease_until <= $3",
                    params![self.now + self.lease_secs, id, self.now],
                )
                .await?;
            // Read again once leased: another instance may have delivered and let go of it
            // between the look above and the lease, and where it stands now is what counts.
            if leased == 1 {
                taken.push(hook(tx, id).await?);
            }
        }
        Ok(taken)
    }
}

/// What became of one try.
#[derive(Debug, Clone)]
pub struct Tried {
    pub event_id: i64,
    pub event_type: String,
    /// 1 for the event's first try, 2 for the next, …
    pub attempt: u32,
    pub status: Option<u16>,
    /// `None` when the receiver took it.
    pub error: Option<String>,
    pub millis: i64,
}

/// Writes where a webhook stands after its worker's turn: delivered (or passed over, not
/// wanted) through `through`, each try with its outcome, and when the turn ended on a failed
/// try, when to try that event again (or that the webhook is paused, after a day of
/// failures). Ends the lease.
pub struct Delivered {
    pub id: i64,
    /// The webhook's resumes when the turn took it: if staff resumed it meanwhile, where
    /// they set it stands.
    pub resumes: i64,
    pub through: i64,
    pub tries: Vec<Tried>,
    /// Seconds until the next try after this many failed ones.
    pub retry_after: i64,
}

impl Op for Delivered {
    type Out = ();
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<()> {
        // Ends the lease and takes the row for this transaction, unless staff resumed the
        // webhook meanwhile (or removed it): then where they set it stands. The condition is
        // read again under the row's lock, so a resume committed a moment ago is seen.
        let ours = tx
            .execute(
                "UPDATE webhooks SET lease_until = 0 WHERE id = $1 AND resumes = $2",
                params![self.id, self.resumes],
            )
            .await?;
        let Some(row) = query_opt(
            tx,
            &format!("{HOOK_SELECT} WHERE id = $1"),
            params![self.id],
        )
        .await?
        else {
            return Ok(());
        };
        let hook = hook_from(&row)?;
        let now = Timestamp::now().as_second();
        for tried in &self.tries {
            tx.execute(
                "INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, at, attempt, \
                 status, error, millis) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                params![
                    self.id,
                    tried.event_id,
                    &tried.event_type,
                    now,
                    i64::from(tried.attempt),
                    tried.status.map(i64::from),
                    tried.error.clone(),
                    tried.millis
                ],
            )
            .await?;
        }
        if ours == 0 {
            tx.execute(
                "UPDATE webhooks SET lease_until = 0 WHERE id = $1",
                params![self.id],
            )
            .await?;
            return Ok(());
        }
        let through = hook.delivered_through.max(self.through);
        let delivered_any = self.tries.iter().any(|t| t.error.is_none());
        let success_at = delivered_any.then_some(now);
        match self.tries.last().filter(|t| t.error.is_some()) {
            None => {
                tx.execute(
                    "UPDATE webhooks SET delivered_through = $1, attempts = 0, \
                     failing_since = NULL, next_attempt_at = 0, lease_until = 0, \
                     last_error = NULL, last_success_at = COALESCE($2, last_success_at) \
                     WHERE id = $3",
                    params![through, success_at, self.id],
                )
                .await?;
            }
            Some(failed) => {
                let since = match hook.failing_since {
                    Some(since) if !delivered_any => since,
                    _ => now,
                };
                let paused = (now - since >= PAUSE_AFTER_SECS).then_some(now);
                tx.execute(
                    "UPDATE webhooks SET delivered_through = $1, attempts = $2, \
                     failing_since = $3, next_attempt_at = $4, lease_until = 0, \
                     last_error = $5, paused_at = $6, \
                     last_success_at = COALESCE($7, last_success_at) WHERE id = $8",
                    params![
                        through,
                        i64::from(failed.attempt),
                        since,
                        now + self.retry_after,
                        failed.error.clone(),
                        paused,
                        success_at,
                        self.id
                    ],
                )
                .await?;
            }
        }
        Ok(())
    }
}

/// A webhook's tries, newest first, before the id `before`.
pub struct Deliveries {
    pub webhook_id: i64,
    pub before: Option<i64>,
    pub limit: u32,
}

impl Op for Deliveries {
    type Out = Vec<Delivery>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Delivery>> {
        hook(tx, self.webhook_id).await?;
        let rows = tx
            .query(
                "SELECT id, event_id, event_type, at, attempt, status, error, millis \
                 FROM webhook_deliveries WHERE webhook_id = $1 AND id < $2 \
                 ORDER BY id DESC LIMIT $3",
                params![
                    self.webhook_id,
                    self.before.unwrap_or(i64::MAX),
                    i64::from(self.limit)
                ],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let error = r.opt_text("error")?;
                Ok(Delivery {
                    id: r.int("id")?,
                    event_id: r.int("event_id")?,
                    event_type: r.text("event_type")?,
                    at: rfc3339(r.int("at")?),
                    attempt: u32::try_from(r.int("attempt")?).unwrap_or(u32::MAX),
                    status: r.opt_int("status")?.and_then(|s| u16::try_from(s).ok()),
                    ok: error.is_none(),
                    error,
                    millis: r.int("millis")?,
                })
            })
            .collect()
    }
}

/// Forgets tries older than `before` (unix seconds).
pub struct ForgetDeliveries {
    pub before: i64,
}

impl Op for ForgetDeliveries {
    type Out = u64;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<u64> {
        tx.execute(
            "DELETE FROM webhook_deliveries WHERE at < $1",
            params![self.before],
        )
        .await
    }
}
