//! Keys for programs: made, listed, revoked, and found by the digest of the key a request
//! carries.

use hotel_shared::AuditAction;
use hotel_shared::keys::{ApiKey, Scope};
use jiff::Timestamp;

use super::accounts::ENDED_SESSIONS_CHANNEL;
use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::api_keys::KeyHolder;
use crate::store::StoreResult;
use crate::store::sql::{Op, SqlRow, Tx, params, query_opt};

const KEY_SELECT: &str = "SELECT id, name, scopes, ends_with, created_at, created_by, \
     last_used_at, revoked_at FROM api_keys";

use super::seconds_text as rfc3339;

fn scopes_from(words: &str) -> Vec<Scope> {
    words.split(' ').filter_map(Scope::parse).collect()
}

fn key_from(row: &SqlRow) -> StoreResult<ApiKey> {
    Ok(ApiKey {
        id: row.int("id")?,
        name: row.text("name")?,
        scopes: scopes_from(&row.text("scopes")?),
        ends_with: row.text("ends_with")?,
        created_at: rfc3339(row.int("created_at")?),
        created_by: row.text("created_by")?,
        last_used_at: row.opt_int("last_used_at")?.map(rfc3339),
        revoked_at: row.opt_int("revoked_at")?.map(rfc3339),
    })
}

async fn key_by_id<T: Tx>(tx: &mut T, id: i64) -> StoreResult<ApiKey> {
    let row = query_opt(tx, &format!("{KEY_SELECT} WHERE id = $1"), params![id])
        .await?
        .ok_or(DomainError::ApiKeyNotFound(id))?;
    key_from(&row)
}

/// Makes a key from its digest; the key itself is never stored.
pub struct CreateKey {
    pub actor: Actor,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub digest: [u8; 32],
    pub ends_with: String,
}

impl Op for CreateKey {
    type Out = ApiKey;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<ApiKey> {
        if query_opt(
            tx,
            "SELECT id FROM api_keys WHERE name = $1",
            params![&self.name],
        )
        .await?
        .is_some()
        {
            return Err(DomainError::ApiKeyExists(self.name.clone()).into());
        }
        let words: Vec<&str> = self.scopes.iter().map(|s| s.as_str()).collect();
        let id = tx
            .insert_id(
                "INSERT INTO api_keys (name, scopes, key_hash, ends_with, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                params![
                    &self.name,
                    words.join(" "),
                    self.digest.as_slice(),
                    &self.ends_with,
                    Timestamp::now().as_second(),
                    &self.actor.0
                ],
            )
            .await?;
        let key = key_by_id(tx, id).await?;
        audit(
            tx,
            &self.actor,
            AuditAction::ApiKeyCreate,
            "api_key",
            id,
            None::<&ApiKey>,
            Some(&key),
        )
        .await?;
        Ok(key)
    }
}

/// Revokes a key by id, or by name from the command line. Every instance forgets it at once
/// (the channel that ends sessions); revoking a revoked key changes nothing.
pub struct RevokeKey {
    pub actor: Actor,
    pub key: KeyRef,
}

pub enum KeyRef {
    Id(i64),
    Name(String),
}

impl Op for RevokeKey {
    type Out = ApiKey;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<ApiKey> {
        let id = match &self.key {
            KeyRef::Id(id) => *id,
            KeyRef::Name(name) => {
                query_opt(tx, "SELECT id FROM api_keys WHERE name = $1", params![name])
                    .await?
                    .ok_or_else(|| DomainError::ApiKeyNamedNotFound(name.clone()))?
                    .int("id")?
            }
        };
        let before = key_by_id(tx, id).await?;
        if before.revoked_at.is_some() {
            return Ok(before);
        }
        tx.execute(
            "UPDATE api_keys SET revoked_at = $1 WHERE id = $2",
            params![Timestamp::now().as_second(), id],
        )
        .await?;
        let after = key_by_id(tx, id).await?;
        let digest = query_opt(
            tx,
            "SELECT key_hash FROM api_keys WHERE id = $1",
            params![id],
        )
        .await?
        .map(|row| row.bytes("key_hash").map(hex::encode))
        .transpose()?
        .unwrap_or_default();
        tx.notify(ENDED_SESSIONS_CHANNEL, &digest).await?;
        audit(
            tx,
            &self.actor,
            AuditAction::ApiKeyRevoke,
            "api_key",
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

/// Keys by id, revoked ones too.
pub struct ListKeys {
    pub after: i64,
    pub limit: u32,
}

impl Op for ListKeys {
    type Out = Vec<ApiKey>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<ApiKey>> {
        let rows = tx
            .query(
                &format!("{KEY_SELECT} WHERE id > $1 ORDER BY id LIMIT $2"),
                params![self.after, i64::from(self.limit)],
            )
            .await?;
        rows.iter().map(key_from).collect()
    }
}

/// The live key with this digest, if any.
pub struct KeyByDigest {
    pub digest: [u8; 32],
}

impl Op for KeyByDigest {
    type Out = Option<KeyHolder>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Option<KeyHolder>> {
        let Some(row) = query_opt(
            tx,
            "SELECT id, name, scopes, last_used_at FROM api_keys \
             WHERE key_hash = $1 AND revoked_at IS NULL",
            params![self.digest.as_slice()],
        )
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(KeyHolder {
            id: row.int("id")?,
            name: row.text("name")?,
            scopes: scopes_from(&row.text("scopes")?),
            last_used_at: row.opt_int("last_used_at")?,
        }))
    }
}

/// Notes that a key was used now. Not a change of the hotel: no audit entry, no event.
pub struct TouchKey {
    pub id: i64,
}

impl Op for TouchKey {
    type Out = ();
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<()> {
        tx.execute(
            "UPDATE api_keys SET last_used_at = $1 WHERE id = $2",
            params![Timestamp::now().as_second(), self.id],
        )
        .await?;
        Ok(())
    }
}
