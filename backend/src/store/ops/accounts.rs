//! Who may come in: accounts, roles, sessions and failed sign-ins, written once for both
//! engines like every other operation.

use hotel_shared::AuditAction;
use std::time::Duration;

use hotel_shared::guests::GuestInput;
use jiff::Timestamp;

use super::people::{AccountRecord, create_account, insert_profile};
use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::accounts::{
    ANY_NAME, Account, FAILURE_WINDOW_SECS, MAX_FAILURES, Role, User, throttle_wait_for,
};
use crate::store::StoreResult;
use crate::store::sql::{Op, SqlRow, Tx, params, query_opt};

/// The channel on which an ended session's digest (hex) is announced to every instance.
pub const ENDED_SESSIONS_CHANNEL: &str = "hotel_sessions";

pub(super) fn user_from(row: &SqlRow) -> StoreResult<User> {
    Ok(User {
        id: row.int("id")?,
        username: row.text("username")?,
        role: Role::parse(&row.text("role")?).or_guest(),
    })
}

/// An account and its password hash, by username.
pub struct FindAccount {
    pub username: String,
}

impl Op for FindAccount {
    type Out = Option<Account>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Option<Account>> {
        query_opt(
            tx,
            "SELECT id, username, role, password_hash FROM users WHERE username = $1",
            params![&self.username],
        )
        .await?
        .map(|row| {
            Ok(Account {
                user: user_from(&row)?,
                password_hash: row.text("password_hash")?,
            })
        })
        .transpose()
    }
}

/// Makes an account (see `create_account`).
pub struct CreateAccount {
    /// `None` for a guest signing up for themselves.
    pub actor: Option<Actor>,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    /// The person's full name and e-mail address, when they gave them.
    pub name: Option<String>,
    pub email: Option<String>,
    pub language: hotel_shared::Language,
    /// A link to confirm `email`, mailed with the account (a guest signing up online).
    pub verification: Option<super::verification::NewLink>,
}

impl Op for CreateAccount {
    type Out = User;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<User> {
        if let Some(email) = &self.email {
            let taken = query_opt(
                tx,
                "SELECT 1 AS found FROM users WHERE lower(email) = lower($1)",
                params![email],
            )
            .await?;
            if taken.is_some() {
                return Err(DomainError::EmailTaken.into());
            }
        }
        let user = create_account(
            tx,
            self.actor.as_ref(),
            &self.username,
            &self.password_hash,
            self.role,
        )
        .await?;
        if self.language != hotel_shared::Language::default() {
            tx.execute(
                "UPDATE users SET language = $1 WHERE id = $2",
                params![self.language.as_str(), user.id],
            )
            .await?;
        }
        if self.name.is_some() || self.email.is_some() {
            tx.execute(
                "UPDATE users SET full_name = $1, email = $2 WHERE id = $3",
                params![self.name.as_deref(), self.email.as_deref(), user.id],
            )
            .await?;
            // A guest who says who they are gets a profile the desk finds them by.
            if self.role == Role::Guest {
                let profile = GuestInput {
                    full_name: self.name.clone().unwrap_or_else(|| self.username.clone()),
                    email: self.email.clone().unwrap_or_default(),
                    language: self.language,
                    ..GuestInput::default()
                };
                insert_profile(tx, user.id, &profile).await?;
            }
        }
        if let (Some(email), Some(link)) = (&self.email, &self.verification) {
            let now = jiff::Timestamp::now().as_second();
            super::verification::mail_link(tx, user.id, email, link, now).await?;
        }
        Ok(user)
    }
}

/// A person's name and e-mail address on their account (`GET /me`).
pub struct AccountContact {
    pub user_id: i64,
}

impl Op for AccountContact {
    /// Name, address, language, and whether the address was confirmed.
    type Out = (Option<String>, Option<String>, hotel_shared::Language, bool);
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        match query_opt(
            tx,
            "SELECT full_name, email, language, email_verified_at FROM users WHERE id = $1",
            params![self.user_id],
        )
        .await?
        {
            Some(row) => Ok((
                row.opt_text("full_name")?,
                row.opt_text("email")?,
                hotel_shared::Language::parse(&row.text("language")?).unwrap_or_default(),
                row.opt_int("email_verified_at")?.is_some(),
            )),
            None => Ok((None, None, hotel_shared::Language::default(), false)),
        }
    }
}

/// The language the hotel writes to the account's owner in, on the account and on their
/// profile; audited.
pub struct SetLanguage {
    pub user_id: i64,
    pub username: String,
    pub language: hotel_shared::Language,
}

impl Op for SetLanguage {
    type Out = ();
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<()> {
        let before = query_opt(
            tx,
            "SELECT language FROM users WHERE id = $1",
            params![self.user_id],
        )
        .await?
        .ok_or_else(|| DomainError::UnknownUser(self.username.clone()))?
        .text("language")?;
        let language = self.language.as_str();
        if before == language {
            return Ok(());
        }
        tx.execute(
            "UPDATE users SET language = $1 WHERE id = $2",
            params![language, self.user_id],
        )
        .await?;
        tx.execute(
            "UPDATE guest_profiles SET language = $1 WHERE user_id = $2",
            params![language, self.user_id],
        )
        .await?;
        audit(
            tx,
            &Actor(self.username.clone()),
            AuditAction::UserLanguage,
            "user",
            self.user_id,
            Some(&serde_json::json!({ "language": before })),
            Some(&serde_json::json!({ "language": language })),
        )
        .await
    }
}

/// Gives an existing account a role. Only the command line can do this.
pub struct SetRole {
    pub actor: Actor,
    pub username: String,
    pub role: Role,
}

impl Op for SetRole {
    type Out = User;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<User> {
        let row = query_opt(
            tx,
            "SELECT id, role FROM users WHERE username = $1",
            params![&self.username],
        )
        .await?
        .ok_or_else(|| DomainError::UnknownUser(self.username.clone()))?;
        let (id, old_role) = (row.int("id")?, row.text("role")?);
        tx.execute(
            "UPDATE users SET role = $1 WHERE id = $2",
            params![self.role.as_str(), id],
        )
        .await?;
        let action = match self.role {
            Role::Staff => AuditAction::RoleGrant,
            Role::Housekeeper => AuditAction::RoleGrantHousekeeper,
            Role::Guest | Role::Unknown => AuditAction::RoleRevoke,
        };
        audit(
            tx,
            &self.actor,
            action,
            "user",
            id,
            Some(&AccountRecord {
                username: &self.username,
                role: &old_role,
            }),
            Some(&AccountRecord {
                username: &self.username,
                role: self.role.as_str(),
            }),
        )
        .await?;
        Ok(User {
            id,
            username: self.username.clone(),
            role: self.role,
        })
    }
}

/// A new session, stored by the digest of its token only.
pub struct StartSession {
    pub user_id: i64,
    pub token_digest: [u8; 32],
    pub expires_at: Timestamp,
}

impl Op for StartSession {
    /// The sessions ended to make room (their digests), which caches must forget.
    type Out = Vec<[u8; 32]>;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<[u8; 32]>> {
        let now = Timestamp::now();
        // Expired sessions are useless; sweeping them here keeps the table small.
        tx.execute(
            "DELETE FROM sessions WHERE expires_at <= $1",
            params![now.as_second()],
        )
        .await?;
        // `created_at` in microseconds orders an account's sessions even when they come
        // faster than one a second.
        tx.execute(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            params![
                self.token_digest.as_slice(),
                self.user_id,
                now.as_microsecond(),
                self.expires_at.as_second()
            ],
        )
        .await?;
        // An account keeps its newest sessions only: signing in again and again ends the
        // oldest instead of filling the table.
        let sessions = tx
            .query(
                "SELECT token_hash FROM sessions WHERE user_id = $1 \
                 ORDER BY created_at DESC, token_hash DESC",
                params![self.user_id],
            )
            .await?;
        let mut ended = Vec::new();
        for row in sessions.iter().skip(SESSIONS_PER_ACCOUNT) {
            let digest = row.bytes("token_hash")?;
            let Ok(digest) = <[u8; 32]>::try_from(digest) else {
                continue;
            };
            if digest == self.token_digest {
                continue;
            }
            end_session(tx, &digest).await?;
            ended.push(digest);
        }
        Ok(ended)
    }
}

/// Sessions one account keeps at once; a new one beyond them ends the oldest.
pub const SESSIONS_PER_ACCOUNT: usize = 10;

/// Ends one session here and, once committed, on every other instance.
pub(crate) async fn end_session<T: Tx>(tx: &mut T, digest: &[u8; 32]) -> StoreResult<()> {
    tx.execute(
        "DELETE FROM sessions WHERE token_hash = $1",
        params![digest.as_slice()],
    )
    .await?;
    tx.notify(ENDED_SESSIONS_CHANNEL, &hex::encode(digest))
        .await
}

/// The user of a live session, and when the session ends.
pub struct SessionUser {
    pub token_digest: [u8; 32],
}

impl Op for SessionUser {
    type Out = Option<(User, Timestamp)>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        query_opt(
            tx,
            "SELECT u.id, u.username, u.role, s.expires_at FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
            params![self.token_digest.as_slice(), Timestamp::now().as_second()],
        )
        .await?
        .map(|row| {
            let expires = Timestamp::from_second(row.int("expires_at")?).unwrap_or(Timestamp::MIN);
            Ok((user_from(&row)?, expires))
        })
        .transpose()
    }
}

/// Ends a session here and, once committed, on every other instance.
pub struct EndSession {
    pub token_digest: [u8; 32],
}

impl Op for EndSession {
    type Out = ();
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<()> {
        end_session(tx, &self.token_digest).await
    }
}

/// The failures recorded against a sign-in: its username's from its address, and its
/// address's over all names (`ANY_NAME`), each as (failures, first_at).
pub struct SignInFailures {
    pub username: String,
    pub ip: String,
}

impl Op for SignInFailures {
    type Out = (Option<(u32, i64)>, Option<(u32, i64)>);
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        let name = failures_of(tx, &self.username, &self.ip).await?;
        let address = failures_of(tx, ANY_NAME, &self.ip).await?;
        Ok((name, address))
    }
}

async fn failures_of<T: Tx>(
    tx: &mut T,
    username: &str,
    ip: &str,
) -> StoreResult<Option<(u32, i64)>> {
    query_opt(
        tx,
        "SELECT failures, first_at FROM login_failures WHERE username = $1 AND ip = $2",
        params![username, ip],
    )
    .await?
    .map(|row| Ok((row.u32("failures")?, row.int("first_at")?)))
    .transpose()
}

/// Takes one of the sign-in attempts a username has from an address, before its password is
/// checked (an unknown name's too): `None` when granted, or how long to wait when they are
/// used up. The count and the check are one statement, so parallel guesses at one name
/// cannot all slip through, on any number of instances. A granted attempt counts as a
/// failure until a right password clears it (`ClearSignInFailures`).
pub struct ReserveSignIn {
    pub username: String,
    pub ip: String,
    /// Unix seconds.
    pub now: i64,
}

impl Op for ReserveSignIn {
    type Out = Option<Duration>;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Option<Duration>> {
        let expired = self.now - FAILURE_WINDOW_SECS;
        tx.execute(
            "DELETE FROM login_failures WHERE first_at <= $1",
            params![expired],
        )
        .await?;
        let granted = count_failure(tx, &self.username, &self.ip, self.now, MAX_FAILURES).await?;
        if granted {
            return Ok(None);
        }
        let wait = failures_of(tx, &self.username, &self.ip)
            .await?
            .and_then(|(failures, first_at)| {
                throttle_wait_for(MAX_FAILURES, failures, first_at, self.now)
            })
            .unwrap_or(Duration::from_secs(1));
        Ok(Some(wait))
    }
}

/// Adds one failure to the record of `username` from `ip`, starting the window anew when it
/// has passed; `false` (nothing added) when the window already holds `max`.
async fn count_failure<T: Tx>(
    tx: &mut T,
    username: &str,
    ip: &str,
    now: i64,
    max: u32,
) -> StoreResult<bool> {
    let expired = now - FAILURE_WINDOW_SECS;
    let counted = tx
        .execute(
            "INSERT INTO login_failures (username, ip, failures, first_at) VALUES ($1, $2, 1, $3) \
             ON CONFLICT (username, ip) DO UPDATE SET \
             failures = CASE WHEN login_failures.first_at <= $4 THEN 1 ELSE login_failures.failures + 1 END, \
             first_at = CASE WHEN login_failures.first_at <= $4 THEN $3 ELSE login_failures.first_at END \
             WHERE login_failures.first_at <= $4 OR login_failures.failures < $5",
            params![username, ip, now, expired, max],
        )
        .await?;
    Ok(counted > 0)
}

/// A wrong password, or an unknown name, counted against its address over all names once it
/// has failed. Counted after the check, not before, so that many right passwords at once from
/// one network (a hotel's own lobby) are never refused for being many; the address's limit
/// is checked before each sign-in.
pub struct CountAddressFailure {
    pub ip: String,
    /// Unix seconds.
    pub now: i64,
}

impl Op for CountAddressFailure {
    type Out = ();
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<()> {
        // No ceiling of its own (the limit is judged before each sign-in); one PostgreSQL's
        // INTEGER column can hold.
        count_failure(tx, ANY_NAME, &self.ip, self.now, i32::MAX.unsigned_abs()).await?;
        Ok(())
    }
}

/// Forgets the failures of a username from an address after a right password. The address's
/// failures over all names stay: a sign-in of one's own account does not wipe out guesses
/// at others.
pub struct ClearSignInFailures {
    pub username: String,
    pub ip: String,
}

impl Op for ClearSignInFailures {
    type Out = ();
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<()> {
        tx.execute(
            "DELETE FROM login_failures WHERE username = $1 AND ip = $2",
            params![&self.username, &self.ip],
        )
        .await?;
        Ok(())
    }
}
