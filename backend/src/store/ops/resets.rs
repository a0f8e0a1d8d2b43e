//! "Forgot password?": a link mailed to the account's address, good for an hour and once. The
//! token is kept as its SHA-256 digest; the link itself lives only in the outgoing message,
//! until it is sent.

use hotel_shared::{AuditAction, MessageKind};

use super::Actor;
use super::limits::charge;
use super::mail::{Details, enqueue_to};
use super::passwords::set_password;
use crate::domain::DomainError;
use crate::domain::mail::RESET_LINK_SECS;
use crate::store::StoreResult;
use crate::store::sql::{Op, Tx, params, query_opt};

/// Reset requests one client address may make an hour.
const REQUESTS_PER_ADDRESS: i64 = 10;
/// Links mailed to one account an hour, whoever asks: nobody can fill a guest's inbox.
const LINKS_PER_ACCOUNT: i64 = 3;
/// Wrong or stale links one client address may try an hour.
const WRONG_LINKS_PER_ADDRESS: i64 = 20;
const HOUR: i64 = 3600;

/// Whose password is to be reset.
#[derive(Debug, Clone)]
pub enum ResetFor {
    Username(String),
    Email(String),
}

/// Asks for a link. The client address is counted (429 past its limit) whether or not an
/// account matches, and the answer is the same either way; a matching account with an
/// address gets the token's digest stored and the message queued.
pub struct RequestReset {
    pub who: ResetFor,
    pub token: String,
    pub digest: [u8; 32],
    pub client: String,
    pub now: i64,
}

impl Op for RequestReset {
    type Out = ();
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<()> {
        let (asked, wait_secs) = charge(
            tx,
            "password_reset_address",
            &self.client,
            HOUR,
            self.now,
            1,
        )
        .await?;
        if asked > REQUESTS_PER_ADDRESS {
            return Err(DomainError::TooManyResetAttempts { wait_secs }.into());
        }
        let account = match &self.who {
            ResetFor::Username(name) => {
                query_opt(
                    tx,
                    "SELECT id FROM users WHERE username = $1",
                    params![name.trim()],
                )
                .await?
            }
            ResetFor::Email(email) => {
                query_opt(
                    tx,
                    "SELECT u.id FROM users u LEFT JOIN guest_profiles p ON p.user_id = u.id \
                     WHERE lower(u.email) = lower($1) OR lower(p.email) = lower($1) \
                     ORDER BY u.id LIMIT 1",
                    params![email.trim()],
                )
                .await?
            }
        };
        let Some(account) = account else {
            return Ok(());
        };
        let user_id = account.int("id")?;
        let (mailed, _) = charge(
            tx,
            "password_reset_account",
            &user_id.to_string(),
            HOUR,
            self.now,
            1,
        )
        .await?;
        if mailed > LINKS_PER_ACCOUNT {
            return Ok(());
        }
        tx.execute(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
            params![
                self.digest.as_slice(),
                user_id,
                self.now,
                self.now + RESET_LINK_SECS
            ],
        )
        .await?;
        let details = Details {
            token: Some(self.token.clone()),
            ..Details::default()
        };
        enqueue_to(tx, MessageKind::PasswordReset, user_id, "", "", &details).await
    }
}

/// The account a link opens (its id and name), if the link is good; a wrong or stale one is
/// counted against the client address (and refused with 429 past its limit).
pub struct ResetOwner {
    pub digest: [u8; 32],
    pub client: String,
    pub now: i64,
}

impl Op for ResetOwner {
    type Out = Option<(i64, String)>;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        let found = query_opt(
            tx,
            "SELECT u.id, u.username FROM password_resets r JOIN users u ON u.id = r.user_id \
             WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2",
            params![self.digest.as_slice(), self.now],
        )
        .await?;
        if let Some(row) = found {
            return Ok(Some((row.int("id")?, row.text("username")?)));
        }
        // Counted in this transaction, which commits: the answer is "no such link".
        let (wrong, wait_secs) = charge(
            tx,
            "password_reset_wrong_link",
            &self.client,
            HOUR,
            self.now,
            1,
        )
        .await?;
        if wrong > WRONG_LINKS_PER_ADDRESS {
            // The refusal rolls this count back: the address stays just past its limit, and is
            // refused until the hour ends.
            return Err(DomainError::TooManyResetAttempts { wait_secs }.into());
        }
        Ok(None)
    }
}

/// Sets the new password through the link: the link is used up (and every other unused link
/// of the account dropped), every session of the account ends, audited as
/// `user.password_reset`. The digests of the sessions ended.
pub struct UseReset {
    pub digest: [u8; 32],
    pub user_id: i64,
    pub username: String,
    pub password_hash: String,
    pub now: i64,
}

impl Op for UseReset {
    type Out = Vec<[u8; 32]>;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<[u8; 32]>> {
        // Two tabs with the same link: one of them sets the password.
        let used = tx
            .execute(
                "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 \
                 AND user_id = $3 AND used_at IS NULL AND expires_at > $1",
                params![self.now, self.digest.as_slice(), self.user_id],
            )
            .await?;
        if used != 1 {
            return Err(DomainError::ResetLinkInvalid.into());
        }
        tx.execute(
            "DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL",
            params![self.user_id],
        )
        .await?;
        set_password(
            tx,
            &Actor(self.username.clone()),
            AuditAction::UserPasswordReset,
            (self.user_id, &self.username),
            &self.password_hash,
            None,
        )
        .await
    }
}
