//! The desk's view of the outbox: messages listed and read, and one sent again.

use hotel_shared::mail::{Message, MessageContent};
use hotel_shared::{AuditAction, Language, MessageKind, MessageStatus};
use jiff::Timestamp;

use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::mail::KEEP_TRYING_SECS;
use crate::store::StoreResult;
use crate::store::sql::{Op, SqlRow, Tx, Value, params};

const MESSAGE_SELECT: &str = "SELECT m.id, m.kind, m.status, m.recipient, m.name, m.language, \
     m.subject, m.reference, m.booking_ids, m.attempts, m.created_at, m.sent_at, \
     m.next_attempt_at, m.last_error, m.user_id, \
     COALESCE(NULLIF(p.email, ''), u.email, '') AS email, \
     COALESCE(NULLIF(p.full_name, ''), u.full_name, u.username) AS guest_name, \
     u.language AS guest_language \
     FROM messages m LEFT JOIN users u ON u.id = m.user_id \
     LEFT JOIN guest_profiles p ON p.user_id = u.id";

use super::seconds_text as rfc3339;

fn message_from(row: &SqlRow) -> StoreResult<Message> {
    let status = MessageStatus::parse(&row.text("status")?);
    let written = !row.text("subject")?.is_empty();
    // Until the worker writes it out, the message goes where the guest's data says.
    let (to, name, language) = if written {
        (
            row.text("recipient")?,
            row.text("name")?,
            row.text("language")?,
        )
    } else {
        (
            row.opt_text("email")?.unwrap_or_default(),
            row.opt_text("guest_name")?.unwrap_or_default(),
            row.opt_text("guest_language")?.unwrap_or_default(),
        )
    };
    let error = row.text("last_error")?;
    let reference = row.text("reference")?;
    Ok(Message {
        id: row.int("id")?,
        kind: MessageKind::parse(&row.text("kind")?),
        status,
        to,
        name,
        language: Language::parse(&language).unwrap_or_default(),
        subject: row.text("subject")?,
        reference: (!reference.is_empty()).then_some(reference),
        booking_id: row
            .text("booking_ids")?
            .split(',')
            .find_map(|id| id.parse().ok()),
        attempts: row.u32("attempts")?,
        created_at: rfc3339(row.int("created_at")?),
        sent_at: row.opt_int("sent_at")?.map(rfc3339),
        next_attempt_at: (status == MessageStatus::Queued)
            .then(|| row.int("next_attempt_at"))
            .transpose()?
            .map(rfc3339),
        last_error: (!error.is_empty()).then_some(error),
    })
}

/// Which messages the desk asks for.
#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    pub status: Option<MessageStatus>,
    /// About this booking reference.
    pub reference: Option<String>,
    /// To this guest account.
    pub user_id: Option<i64>,
    /// Older than this message id (the cursor).
    pub before: Option<i64>,
    pub limit: u32,
}

/// Messages, newest first.
pub struct Messages(pub MessageFilter);

impl Op for Messages {
    type Out = Vec<Message>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Message>> {
        let f = &self.0;
        let mut conditions = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let mut add = |condition: &str, value: Value| {
            values.push(value);
            conditions.push(condition.replace('?', &format!("${}", values.len())));
        };
        if let Some(status) = f.status {
            add("m.status = ?", status.as_str().into());
        }
        if let Some(reference) = &f.reference {
            add("m.reference = ?", reference.into());
        }
        if let Some(user) = f.user_id {
            add("m.user_id = ?", user.into());
        }
        if let Some(before) = f.before {
            add("m.id < ?", before.into());
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        values.push(f.limit.into());
        let sql = format!(
            "{MESSAGE_SELECT}{filter} ORDER BY m.id DESC LIMIT ${}",
            values.len()
        );
        tx.query(&sql, values)
            .await?
            .iter()
            .map(message_from)
            .collect()
    }
}

/// One message with its bodies.
pub struct MessageById(pub i64);

impl Op for MessageById {
    type Out = MessageContent;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<MessageContent> {
        let rows = tx
            .query(
                &format!("{MESSAGE_SELECT} WHERE m.id = $1"),
                params![self.0],
            )
            .await?;
        let row = rows.first().ok_or(DomainError::MessageNotFound(self.0))?;
        let message = message_from(row)?;
        let bodies = tx
            .query(
                "SELECT body_text, body_html, attachment_name FROM messages WHERE id = $1",
                params![self.0],
            )
            .await?;
        let bodies = bodies.first().ok_or(DomainError::MessageNotFound(self.0))?;
        let attachment = bodies.text("attachment_name")?;
        Ok(MessageContent {
            message,
            text: bodies.text("body_text")?,
            html: bodies.text("body_html")?,
            attachment: (!attachment.is_empty()).then_some(attachment),
        })
    }
}

/// Every message to account `user_id`, oldest first, with what it says (a guest's export).
pub(super) async fn messages_to<T: Tx>(
    tx: &mut T,
    user_id: i64,
) -> StoreResult<Vec<MessageContent>> {
    let ids: Vec<i64> = tx
        .query(
            "SELECT id FROM messages WHERE user_id = $1 ORDER BY id",
            params![user_id],
        )
        .await?
        .iter()
        .map(|r| r.int("id"))
        .collect::<StoreResult<_>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(MessageById(id).run(tx).await?);
    }
    Ok(out)
}

/// *Send again*: the message is queued to go now, and tried for another day; one that had no
/// address is written out again (the guest's profile may have one now). One on its way (taken
/// by a worker this moment) is left to it.
pub struct SendAgain {
    pub actor: Actor,
    pub id: i64,
}

impl Op for SendAgain {
    type Out = Message;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Message> {
        let now = Timestamp::now().as_second();
        let kind = tx
            .query("SELECT kind FROM messages WHERE id = $1", params![self.id])
            .await?
            .first()
            .map(|r| r.text("kind"))
            .transpose()?
            .ok_or(DomainError::MessageNotFound(self.id))?;
        if super::mail::carries_link(MessageKind::parse(&kind)) {
            return Err(DomainError::MessageNotResendable(self.id).into());
        }
        let changed = tx
            .execute(
                "UPDATE messages SET status = 'queued', next_attempt_at = $1, give_up_at = $2, \
                 last_error = '', \
                 written_at = CASE WHEN recipient = '' THEN NULL ELSE written_at END, \
                 subject = CASE WHEN recipient = '' THEN '' ELSE subject END \
                 WHERE id = $3 AND lease_until <= $1",
                params![now, now + KEEP_TRYING_SECS, self.id],
            )
            .await?;
        let rows = tx
            .query(
                &format!("{MESSAGE_SELECT} WHERE m.id = $1"),
                params![self.id],
            )
            .await?;
        let row = rows.first().ok_or(DomainError::MessageNotFound(self.id))?;
        let message = message_from(row)?;
        if changed == 0 {
            return Err(DomainError::MessageBeingSent(self.id).into());
        }
        audit(
            tx,
            &self.actor,
            AuditAction::MessageSendAgain,
            "message",
            self.id,
            None::<&Message>,
            Some(&message),
        )
        .await?;
        Ok(message)
    }
}
