//! Confirming a guest's e-mail address: a link mailed at sign-up (and again on request), good
//! for three days and once. The token is kept as its SHA-256 digest with the address it
//! confirms; the link itself lives only in the outgoing message, until it is sent.

use hotel_shared::{AuditAction, MessageKind};
use serde::Serialize;

use super::limits::charge;
use super::mail::{Details, enqueue_to};
use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::mail::VERIFY_LINK_SECS;
use crate::store::StoreResult;
use crate::store::sql::{Op, Tx, params, query_opt};

/// New links mailed to one account an hour, however often the guest asks.
const LINKS_PER_ACCOUNT: i64 = 3;
const HOUR: i64 = 3600;

/// A fresh link's token (mailed) and its digest (kept).
#[derive(Debug, Clone)]
pub struct NewLink {
    pub token: String,
    pub digest: [u8; 32],
}

/// Keeps the digest of a link confirming `email` for account `user_id` and queues its message,
/// in the caller's transaction.
pub(super) async fn mail_link<T: Tx>(
    tx: &mut T,
    user_id: i64,
    email: &str,
    link: &NewLink,
    now: i64,
) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO email_verifications (token_hash, user_id, email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
        params![
            link.digest.as_slice(),
            user_id,
            email,
            now,
            now + VERIFY_LINK_SECS
        ],
    )
    .await?;
    let details = Details {
        token: Some(link.token.clone()),
        ..Details::default()
    };
    enqueue_to(
        tx,
        MessageKind::EmailVerification,
        user_id,
        "",
        "",
        &details,
    )
    .await
}

/// What the audit log keeps of a confirmation.
#[derive(Serialize)]
struct Confirmed<'a> {
    email: &'a str,
}

/// Confirms the address a link was mailed to, if the account still holds it: once, within its
/// days (400 `email_link_invalid` otherwise). Every other link of the account goes. Audited as
/// `user.email_verified`.
pub struct ConfirmEmail {
    pub digest: [u8; 32],
    pub now: i64,
}

impl Op for ConfirmEmail {
    type Out = ();
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<()> {
        let found = query_opt(
            tx,
            "SELECT u.id, u.username, v.email FROM email_verifications v \
             JOIN users u ON u.id = v.user_id \
             WHERE v.token_hash = $1 AND v.expires_at > $2 AND lower(u.email) = lower(v.email)",
            params![self.digest.as_slice(), self.now],
        )
        .await?
        .ok_or(DomainError::EmailLinkInvalid)?;
        let (user_id, username, email) = (
            found.int("id")?,
            found.text("username")?,
            found.text("email")?,
        );
        tx.execute(
            "UPDATE users SET email_verified_at = $1 WHERE id = $2",
            params![self.now, user_id],
        )
        .await?;
        tx.execute(
            "DELETE FROM email_verifications WHERE user_id = $1",
            params![user_id],
        )
        .await?;
        audit(
            tx,
            &Actor(username.clone()),
            AuditAction::UserEmailVerified,
            "user",
            &username,
            None::<&Confirmed>,
            Some(&Confirmed { email: &email }),
        )
        .await
    }
}

/// What became of a guest's request for a new link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkAgain {
    /// On its way (or, past three an hour, quietly not: the inbox is spared).
    Mailed,
    AlreadyConfirmed,
    NoAddress,
}

/// Mails the signed-in guest a new link for the address their account holds.
pub struct MailLinkAgain {
    pub user_id: i64,
    pub link: NewLink,
    pub now: i64,
}

impl Op for MailLinkAgain {
    type Out = LinkAgain;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<LinkAgain> {
        let Some(row) = query_opt(
            tx,
            "SELECT email, email_verified_at FROM users WHERE id = $1",
            params![self.user_id],
        )
        .await?
        else {
            return Ok(LinkAgain::NoAddress);
        };
        let email = row.opt_text("email")?.unwrap_or_default();
        if email.trim().is_empty() {
            return Ok(LinkAgain::NoAddress);
        }
        if row.opt_int("email_verified_at")?.is_some() {
            return Ok(LinkAgain::AlreadyConfirmed);
        }
        let (mailed, _) = charge(
            tx,
            "email_verification_account",
            &self.user_id.to_string(),
            HOUR,
            self.now,
            1,
        )
        .await?;
        if mailed <= LINKS_PER_ACCOUNT {
            mail_link(tx, self.user_id, &email, &self.link, self.now).await?;
        }
        Ok(LinkAgain::Mailed)
    }
}
