//! The outbox. A change that writes to a guest queues its message here in its own
//! transaction (`enqueue`); the mail worker (`workers/mail.rs`) then writes it out
//! (`LettersToWrite`, `SaveLetters`), takes it for sending under a lease (`TakeDue`) and
//! records what the mail server said (`RecordTries`). Written once for both engines: on
//! PostgreSQL several instances may run the worker, and a message is taken by one of them only,
//! because taking it is a conditional update that only one transaction can make.

use hotel_shared::{Booking, Language, MessageKind, MessageStatus};
use serde::{Deserialize, Serialize};

use super::bookings_where;
use super::hotel::hotel_details;
use crate::domain::mail::{KEEP_TRYING_SECS, RESET_LINK_SECS, next_attempt};
use crate::store::StoreResult;
use crate::store::sql::{Op, SqlRow, Tx, Value, params, query_opt};

/// What a change knew that the stored data does not keep.
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    /// The fee a cancellation charged, minor units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<i64>,
    /// A password-reset link's token, kept only until the message is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The invoice (row id) an invoice's message sends: the one issued with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<i64>,
}

/// Queues a message of `kind` to account `user_id` about `bookings` (one booking's rooms), in
/// the caller's transaction. Nothing is queued for an account without an e-mail address,
/// on its profile or its sign-up.
pub(super) async fn enqueue<T: Tx>(
    tx: &mut T,
    kind: MessageKind,
    user_id: i64,
    bookings: &[&Booking],
    details: &Details,
) -> StoreResult<()> {
    let Some(first) = bookings.first() else {
        return Ok(());
    };
    let ids = bookings
        .iter()
        .map(|b| b.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    enqueue_to(tx, kind, user_id, &first.reference, &ids, details).await
}

/// Queues the mail of invoice row `id` to the guest of `booking` (who gets it when they have
/// an address), in the transaction that issued it.
pub(super) async fn enqueue_invoice<T: Tx>(
    tx: &mut T,
    booking: &hotel_shared::Booking,
    id: i64,
) -> StoreResult<()> {
    let user_id = query_opt(
        tx,
        "SELECT user_id FROM bookings WHERE id = $1",
        params![booking.id],
    )
    .await?
    .map(|r| r.int("user_id"))
    .transpose()?;
    if let Some(user_id) = user_id {
        enqueue(
            tx,
            MessageKind::Invoice,
            user_id,
            &[booking],
            &Details {
                invoice_id: Some(id),
                ..Details::default()
            },
        )
        .await?;
    }
    Ok(())
}

/// Queues a message of `kind` to account `user_id` (when it has an address), about booking
/// `reference` and its room-bookings `ids` (both may be empty), in the caller's transaction.
pub(super) async fn enqueue_to<T: Tx>(
    tx: &mut T,
    kind: MessageKind,
    user_id: i64,
    reference: &str,
    ids: &str,
    details: &Details,
) -> StoreResult<()> {
    let details = serde_json::to_string(details)
        .map_err(|e| crate::store::StoreError::Database(e.to_string()))?;
    let now = jiff::Timestamp::now().as_second();
    // A reset link is good for an hour: its message is not tried after that.
    let keep_trying = match kind {
        MessageKind::PasswordReset => RESET_LINK_SECS,
        _ => KEEP_TRYING_SECS,
    };
    tx.execute(
        "INSERT INTO messages (kind, user_id, reference, booking_ids, details, status, \
         next_attempt_at, give_up_at, created_at) \
         SELECT $1, u.id, $2, $3, $4, 'queued', $5, $6, $5 FROM users u \
         LEFT JOIN guest_profiles p ON p.user_id = u.id \
         WHERE u.id = $7 AND (COALESCE(p.email, '') <> '' OR COALESCE(u.email, '') <> '')",
        params![
            kind.as_str(),
            reference,
            ids,
            details,
            now,
            now + keep_trying,
            user_id
        ],
    )
    .await?;
    Ok(())
}

/// A queued message not yet written out, with what it will say.
#[derive(Debug, Clone)]
pub struct ToWrite {
    pub id: i64,
    pub kind: MessageKind,
    pub to: String,
    pub name: String,
    pub language: Language,
    pub reference: String,
    pub rooms: Vec<Booking>,
    pub details: Details,
    /// For an invoice's message, the invoice as issued.
    pub invoice: Option<hotel_shared::folio::InvoiceDocument>,
    /// The hotel's city tax, which the stay's lines repeat.
    pub city_tax: Option<hotel_shared::taxes::CityTax>,
}

/// Queued messages not yet written out, oldest first, at most `limit`, with the hotel's
/// details and its templates.
pub enum LettersToWrite {
    /// The oldest not yet written, at most this many.
    Oldest(u32),
    /// These, taken for sending (`TakeDue`).
    Taken(Vec<i64>),
}

impl Op for LettersToWrite {
    type Out = (
        hotel_shared::staff::HotelDetails,
        super::templates::Templates,
        Vec<ToWrite>,
    );
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        const SELECT: &str = "SELECT m.id, m.kind, m.reference, m.booking_ids, m.details, \
             u.language, COALESCE(NULLIF(p.email, ''), u.email, '') AS email, \
             COALESCE(NULLIF(p.full_name, ''), u.full_name, u.username) AS name \
             FROM messages m JOIN users u ON u.id = m.user_id \
             LEFT JOIN guest_profiles p ON p.user_id = u.id";
        let rows = match self {
            LettersToWrite::Oldest(limit) => {
                tx.query(
                    &format!(
                        "{SELECT} WHERE m.status = 'queued' AND m.written_at IS NULL \
                         ORDER BY m.id LIMIT $1"
                    ),
                    params![*limit],
                )
                .await?
            }
            LettersToWrite::Taken(ids) if ids.is_empty() => Vec::new(),
            LettersToWrite::Taken(ids) => {
                let mut values = Vec::new();
                let list = id_list(ids, 1, &mut values);
                tx.query(
                    &format!("{SELECT} WHERE m.id IN ({list}) AND m.written_at IS NULL"),
                    values,
                )
                .await?
            }
        };
        let mut out = Vec::with_capacity(rows.len());
        let city_tax = super::taxes::city_tax_rule(tx).await?;
        for row in rows {
            let ids: Vec<i64> = row
                .text("booking_ids")?
                .split(',')
                .filter_map(|id| id.parse().ok())
                .collect();
            let first_id = ids.first().copied();
            let rooms = if ids.is_empty() {
                Vec::new()
            } else {
                let placeholders = (1..=ids.len())
                    .map(|i| format!("${i}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let condition = format!("b.id IN ({placeholders}) ORDER BY b.room, b.id");
                bookings_where(tx, &condition, ids.into_iter().map(Value::from).collect())
                    .await?
                    .into_iter()
                    .map(|b| b.booking)
                    .collect()
            };
            let kind = MessageKind::parse(&row.text("kind")?);
            let details: Details = serde_json::from_str(&row.text("details")?).unwrap_or_default();
            let invoice = match (kind, details.invoice_id, first_id) {
                (MessageKind::Invoice, Some(row), _) => {
                    super::invoices::document_by_row(tx, row).await?
                }
                // Queued before messages named their invoice: the booking's current one.
                (MessageKind::Invoice, None, Some(id)) => {
                    super::invoices::invoice_document(tx, id).await?
                }
                _ => None,
            };
            out.push(ToWrite {
                id: row.int("id")?,
                kind,
                invoice,
                city_tax: city_tax.clone(),
                to: row.text("email")?,
                name: row.text("name")?,
                language: Language::parse(&row.text("language")?).unwrap_or_default(),
                reference: row.text("reference")?,
                rooms,
                details,
            });
        }
        Ok((
            hotel_details(tx).await?,
            super::templates::saved_templates(tx).await?,
            out,
        ))
    }
}

/// A message written out.
#[derive(Debug, Clone)]
pub struct Letter {
    pub id: i64,
    pub to: String,
    pub name: String,
    pub language: Language,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// File name and content.
    pub attachment: Option<(String, Vec<u8>)>,
}

/// Stores what the worker wrote; a message that could not be written (no address any more)
/// fails with the reason.
pub struct SaveLetters {
    pub written: Vec<Letter>,
    pub failed: Vec<(i64, String)>,
}

impl Op for SaveLetters {
    type Out = ();
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<()> {
        save_letters(tx, &self.written, &self.failed).await
    }
}

async fn save_letters<T: Tx>(
    tx: &mut T,
    written: &[Letter],
    failed: &[(i64, String)],
) -> StoreResult<()> {
    {
        let now = jiff::Timestamp::now().as_second();
        for l in written {
            let (file, content) = match &l.attachment {
                Some((file, content)) => (file.as_str(), Some(content.as_slice())),
                None => ("", None),
            };
            tx.execute(
                "UPDATE messages SET recipient = $1, name = $2, language = $3, subject = $4, \
                 body_text = $5, body_html = $6, attachment_name = $7, attachment = $8, \
                 written_at = $9 WHERE id = $10 AND written_at IS NULL",
                params![
                    &l.to,
                    &l.name,
                    l.language.as_str(),
                    &l.subject,
                    &l.text,
                    &l.html,
                    file,
                    content,
                    now,
                    l.id
                ],
            )
            .await?;
        }
        for (id, why) in failed {
            tx.execute(
                "UPDATE messages SET status = 'failed', last_error = $1, written_at = $2, \
                 lease_until = 0 WHERE id = $3 AND written_at IS NULL",
                params![why, now, *id],
            )
            .await?;
        }
        Ok(())
    }
}

/// A message taken for sending.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: i64,
    pub kind: MessageKind,
    pub to: String,
    pub name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachment: Option<(String, Vec<u8>)>,
    pub created_at: i64,
    pub attempts: u32,
    pub give_up_at: i64,
    /// False for one taken before it was written: its words are the worker's to add.
    pub written: bool,
}

/// Takes up to `limit` messages that are due, for `lease_secs`: no other worker takes them
/// meanwhile, and if this one dies with them they are due again after it. One not yet written
/// comes without its words (`subject` empty): the worker writes it as it sends it, so a busy
/// hotel writes its letters no faster than they can leave.
pub struct TakeDue {
    pub now: i64,
    pub limit: u32,
    pub lease_secs: i64,
}

impl Op for TakeDue {
    type Out = Vec<Outgoing>;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Outgoing>> {
        let due = tx
            .query(
                "SELECT id FROM messages WHERE status = 'queued' AND next_attempt_at <= $1 \
                 AND lease_until <= $1 ORDER BY next_attempt_at, id LIMIT $2",
                params![self.now, self.limit],
            )
            .await?;
        let ids: Vec<i64> = due
            .iter()
            .map(|r| r.int("id"))
            .collect::<StoreResult<_>>()?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // The conditions are checked again on each row as it is updated: of two instances
        // that saw a message due, the second finds it leased once the first commits, and
        // leaves it.
        let mut values = params![self.now + self.lease_secs, self.now];
        let list = id_list(&ids, 3, &mut values);
        let taken = tx
            .query(
                &format!(
                    "UPDATE messages SET lease_until = $1, attempts = attempts + 1 \
                     WHERE id IN ({list}) AND status = 'queued' AND lease_until <= $2 \
                     RETURNING id, kind, recipient, name, subject, body_text, body_html, \
                     attachment_name, attachment, created_at, attempts, give_up_at, written_at"
                ),
                values,
            )
            .await?;
        taken.iter().map(outgoing_from).collect()
    }
}

/// `$first, $first+1, …` for `ids`, their values added to `values`. The list is padded to a
/// power of two with its last id, so the engines' statement caches see a few shapes of the
/// statement rather than one per length.
fn id_list(ids: &[i64], first: usize, values: &mut Vec<Value>) -> String {
    let padded = ids.len().next_power_of_two();
    let last = ids.last().copied().unwrap_or_default();
    values.extend(ids.iter().map(|id| Value::from(*id)));
    values.extend(std::iter::repeat_n(Value::from(last), padded - ids.len()));
    (first..first + padded)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn outgoing_from(row: &SqlRow) -> StoreResult<Outgoing> {
    let file = row.text("attachment_name")?;
    let attachment = if file.is_empty() {
        None
    } else {
        Some((file, row.bytes("attachment")?.to_vec()))
    };
    Ok(Outgoing {
        id: row.int("id")?,
        kind: MessageKind::parse(&row.text("kind")?),
        to: row.text("recipient")?,
        name: row.text("name")?,
        subject: row.text("subject")?,
        text: row.text("body_text")?,
        html: row.text("body_html")?,
        attachment,
        created_at: row.int("created_at")?,
        attempts: row.u32("attempts")?,
        give_up_at: row.int("give_up_at")?,
        written: row.opt_int("written_at")?.is_some(),
    })
}

/// What one try of a message came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tried {
    Sent,
    /// Refused for good (or no transport could take it): the mail server's words.
    Refused(String),
    /// Failed for now (the mail server said so, 4xx): tried again later, until the message's
    /// time is up.
    Failed(String),
    /// No mail server answered (down, unreachable, timed out): as `Failed`, and the worker
    /// watches for it to come back.
    Unreachable(String),
}

/// Records the tries of messages this worker took, with the words of those it wrote for
/// them (and those it could not write, as failed), and lets go of their lease.
pub struct RecordTries {
    pub now: i64,
    pub tries: Vec<(Outgoing, Tried)>,
    pub written: Vec<Letter>,
    pub unwritable: Vec<(i64, String)>,
}

impl Op for RecordTries {
    /// How many were sent, and how many failed for good.
    type Out = (u64, u64);
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<(u64, u64)> {
        save_letters(tx, &self.written, &self.unwritable).await?;
        let (mut sent, mut failed) = (0, self.unwritable.len() as u64);
        // Those sent, in one statement: a busy hotel sends hundreds at a time.
        let sent_ids: Vec<i64> = self
            .tries
            .iter()
            .filter(|(_, t)| *t == Tried::Sent)
            .map(|(m, _)| m.id)
            .collect();
        if !sent_ids.is_empty() {
            let mut values = params![self.now];
            let list = id_list(&sent_ids, 2, &mut values);
            sent = tx
                .execute(
                    &format!(
                        "UPDATE messages SET status = 'sent', last_error = '', lease_until = 0, \
                         sent_at = $1 WHERE id IN ({list})"
                    ),
                    values,
                )
                .await?;
        }
        for (m, tried) in &self.tries {
            let (status, error, next) = match tried {
                Tried::Sent => continue,
                Tried::Refused(why) => (MessageStatus::Failed, why.as_str(), self.now),
                Tried::Failed(why) | Tried::Unreachable(why) => {
                    match next_attempt(m.attempts, self.now, m.give_up_at) {
                        Some(at) => (MessageStatus::Queued, why.as_str(), at),
                        None => (MessageStatus::Failed, why.as_str(), self.now),
                    }
                }
            };
            if status == MessageStatus::Failed {
                failed += 1;
                if carries_link(m.kind) {
                    forget_link(tx, m.id).await?;
                }
            }
            tx.execute(
                "UPDATE messages SET status = $1, last_error = $2, next_attempt_at = $3, \
                 lease_until = 0 WHERE id = $4",
                params![status.as_str(), error, next, m.id],
            )
            .await?;
        }
        // A reset link opens an account: once its message has gone (or never will), the
        // hotel keeps no copy of it.
        for (m, tried) in &self.tries {
            if carries_link(m.kind) && *tried == Tried::Sent {
                forget_link(tx, m.id).await?;
            }
        }
        for (id, _) in &self.unwritable {
            forget_link(tx, *id).await?;
        }
        Ok((sent, failed))
    }
}

/// Whether a message carries a link that acts for the account (sets a password, confirms an
/// address): the hotel keeps no copy of it once it went.
pub fn carries_link(kind: MessageKind) -> bool {
    matches!(
        kind,
        MessageKind::PasswordReset | MessageKind::EmailVerification
    )
}

async fn forget_link<T: Tx>(tx: &mut T, id: i64) -> StoreResult<()> {
    tx.execute(
        "UPDATE messages SET details = '{}', body_html = '', body_text = \
         CASE kind WHEN 'password_reset' THEN $1 ELSE $2 END \
         WHERE id = $3 AND kind IN ('password_reset', 'email_verification')",
        params![LINK_FORGOTTEN, EMAIL_LINK_FORGOTTEN, id],
    )
    .await?;
    Ok(())
}

/// What a sent message with a link to confirm an address keeps of its text.
pub const EMAIL_LINK_FORGOTTEN: &str =
    "(A link to confirm the e-mail address: not kept once sent.)";

/// What a sent password-reset message's stored text becomes.
pub const LINK_FORGOTTEN: &str = "(A link to set a new password: not kept once sent.)";

/// Lets go of every lease: on SQLite one server runs at a time, so at its start no other
/// worker can be sending what a server killed mid-send had taken.
pub struct ReleaseLeases;

impl Op for ReleaseLeases {
    type Out = u64;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<u64> {
        tx.execute(
            "UPDATE messages SET lease_until = 0 WHERE status = 'queued' AND lease_until > 0",
            params![],
        )
        .await
    }
}

/// Makes every message waiting for a retry due now: the mail server that failed answers again,
/// and what waited for it need not sit out the rest of its back-off.
pub struct RetryNow {
    pub now: i64,
}

impl Op for RetryNow {
    type Out = u64;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<u64> {
        tx.execute(
            "UPDATE messages SET next_attempt_at = $1 WHERE status = 'queued' AND attempts > 0 \
             AND next_attempt_at > $1 AND lease_until <= $1",
            params![self.now],
        )
        .await
    }
}

/// Deletes messages sent or given up on that were queued before `before` (Unix seconds).
pub struct ForgetMessages {
    pub before: i64,
}

impl Op for ForgetMessages {
    type Out = u64;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<u64> {
        tx.execute(
            "DELETE FROM messages WHERE status <> 'queued' AND created_at < $1",
            params![self.before],
        )
        .await
    }
}

/// The queue as `/metrics` shows it: messages waiting, and since when the oldest has.
pub struct QueueDepth;

impl Op for QueueDepth {
    /// Queued messages, and the oldest one's `created_at` (Unix seconds).
    type Out = (i64, Option<i64>);
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        let rows = tx
            .query(
                "SELECT COUNT(*) AS queued, MIN(created_at) AS oldest FROM messages \
                 WHERE status = 'queued'",
                params![],
            )
            .await?;
        match rows.first() {
            Some(row) => Ok((row.int("queued")?, row.opt_int("oldest")?)),
            None => Ok((0, None)),
        }
    }
}
