//! Passwords changed after sign-up: by their owner (`POST /me/password`) or from the command
//! line for one forgotten (`hotel-server staff password`). Each ends the account's other
//! sessions and is audited without the password or its hash.

use hotel_shared::AuditAction;
use serde::Serialize;

use super::accounts::end_session;
use super::{Actor, audit};
use crate::domain::DomainError;
use crate::store::StoreResult;
use crate::store::sql::{Op, Tx, params, query_opt};

/// A signed-in account's new password: stored, audited, and every other session of the
/// account ended (the one that asked stays). Returns the ended sessions' digests.
pub struct ChangePassword {
    pub user_id: i64,
    pub username: String,
    pub password_hash: String,
    /// The session the change was made in.
    pub keep: [u8; 32],
}

impl Op for ChangePassword {
    type Out = Vec<[u8; 32]>;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<[u8; 32]>> {
        set_password(
            tx,
            &Actor(self.username.clone()),
            AuditAction::UserPasswordChange,
            (self.user_id, &self.username),
            &self.password_hash,
            Some(self.keep),
        )
        .await
    }
}

/// Sets a new password for an account by name from the command line (`hotel-server staff
/// password NAME`: a member of staff who forgot theirs); every session of the account ends.
pub struct SetPassword {
    pub actor: Actor,
    pub username: String,
    pub password_hash: String,
}

impl Op for SetPassword {
    type Out = Vec<[u8; 32]>;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<[u8; 32]>> {
        let id = query_opt(
            tx,
            "SELECT id FROM users WHERE username = $1",
            params![&self.username],
        )
        .await?
        .ok_or_else(|| DomainError::UnknownUser(self.username.clone()))?
        .int("id")?;
        set_password(
            tx,
            &self.actor,
            AuditAction::UserPasswordChange,
            (id, &self.username),
            &self.password_hash,
            None,
        )
        .await
    }
}

/// Stores `password_hash` for the account and ends its sessions but `keep`; audited without
/// the password or its hash. The digests of the sessions ended.
pub(super) async fn set_password<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    action: AuditAction,
    (user_id, username): (i64, &str),
    password_hash: &str,
    keep: Option<[u8; 32]>,
) -> StoreResult<Vec<[u8; 32]>> {
    tx.execute(
        "UPDATE users SET password_hash = $1 WHERE id = $2",
        params![password_hash, user_id],
    )
    .await?;
    let sessions = tx
        .query(
            "SELECT token_hash FROM sessions WHERE user_id = $1",
            params![user_id],
        )
        .await?;
    let mut ended = Vec::new();
    for row in &sessions {
        let Ok(digest) = <[u8; 32]>::try_from(row.bytes("token_hash")?) else {
            continue;
        };
        if Some(digest) != keep {
            end_session(tx, &digest).await?;
            ended.push(digest);
        }
    }
    // Who changed it and when; never the password or its hash.
    audit(
        tx,
        actor,
        action,
        "user",
        user_id,
        None::<&PasswordChanged>,
        Some(&PasswordChanged {
            username,
            sessions_ended: ended.len(),
        }),
    )
    .await?;
    Ok(ended)
}

#[derive(Serialize)]
struct PasswordChanged<'a> {
    username: &'a str,
    sessions_ended: usize,
}
