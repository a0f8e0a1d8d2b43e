//! `Idempotency-Key`: a retried change is done once. The request's key is claimed by the
//! first audited change the request makes, in that change's transaction (`claim_in`, called
//! by `ops::audit`), so the claim and the change commit or vanish together: a second request
//! with the key finds the claim (or, racing, fails to insert it and changes nothing). The
//! answer is written beside the claim once the handler has made it (`SaveAnswer`) and
//! replayed to every retry for 24 hours.
//!
//! The request's key travels as a task-local from `api::idempotency` to `Store::run`, which
//! wraps the op in `Claimed`: the op runs with the claim in reach, on whichever thread the
//! engine runs it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::store::sql::{Op, Tx, params, query_opt};
use crate::store::{StoreError, StoreResult};

/// What identifies a request's key and what it asked.
#[derive(Debug)]
pub struct Claim {
    /// Digest of the caller's credential: keys are the caller's own.
    pub scope: String,
    pub key: String,
    /// Digest of the method, the path and the body.
    pub fingerprint: String,
    /// Set when this run of the op inserted the claim.
    inserted: AtomicBool,
}

/// A request carrying a key, while its handler runs.
#[derive(Debug)]
pub struct PendingKey {
    claim: Arc<Claim>,
    /// A change with the claim committed: later changes of the request carry none, and the
    /// answer is to be kept.
    committed: AtomicBool,
    /// Another request held the key when this one tried to claim it.
    lost_race: AtomicBool,
}

impl PendingKey {
    pub fn new(scope: String, key: String, fingerprint: String) -> Arc<PendingKey> {
        Arc::new(PendingKey {
            claim: Arc::new(Claim {
                scope,
                key,
                fingerprint,
                inserted: AtomicBool::new(false),
            }),
            committed: AtomicBool::new(false),
            lost_race: AtomicBool::new(false),
        })
    }

    pub fn committed(&self) -> bool {
        self.committed.load(Ordering::Acquire)
    }

    pub fn lost_race(&self) -> bool {
        self.lost_race.load(Ordering::Acquire)
    }

    /// Notes how a run with the claim ended.
    pub(crate) fn ran(&self, claim: &Claim, out: Result<(), &StoreError>) {
        match out {
            Ok(()) if claim.inserted.load(Ordering::Acquire) => {
                self.committed.store(true, Ordering::Release);
            }
            Err(StoreError::KeyTaken) => self.lost_race.store(true, Ordering::Release),
            _ => {}
        }
    }
}

tokio::task_local! {
    /// The key of the request being handled, set by `api::idempotency` around its handler.
    pub static REQUEST: Arc<PendingKey>;
    /// The claim an op running for such a request inserts with its first audit entry.
    static CLAIM: Arc<Claim>;
}

/// The key of the request this task handles, while no change has claimed it yet.
pub(crate) fn pending() -> Option<Arc<PendingKey>> {
    REQUEST
        .try_with(Arc::clone)
        .ok()
        .filter(|request| !request.committed())
}

/// An op that claims its request's key with its first audit entry.
pub(crate) struct Claimed<O> {
    op: O,
    claim: Arc<Claim>,
}

impl<O: Op> Claimed<O> {
    pub(crate) fn new(op: O, request: &PendingKey) -> Self {
        Claimed {
            op,
            claim: Arc::clone(&request.claim),
        }
    }

    pub(crate) fn claim(&self) -> Arc<Claim> {
        Arc::clone(&self.claim)
    }
}

impl<O: Op> Op for Claimed<O> {
    type Out = O::Out;
    const WRITES: bool = O::WRITES;
    const CHANGES_CATALOG: bool = O::CHANGES_CATALOG;
    const LARGE: bool = O::LARGE;
    const CHANGES_ANSWERS: bool = O::CHANGES_ANSWERS;
    const RECORDS_EVENTS: bool = O::RECORDS_EVENTS;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<O::Out> {
        // A run rolled back and tried again (a collision on PostgreSQL) inserts it again.
        self.claim.inserted.store(false, Ordering::Release);
        CLAIM.scope(Arc::clone(&self.claim), self.op.run(tx)).await
    }
}

/// Inserts the running request's claim, once per transaction; `KeyTaken` when another
/// request holds the key (on PostgreSQL the insert waits for that one to commit or roll
/// back).
pub(super) async fn claim_in<T: Tx>(tx: &mut T) -> StoreResult<()> {
    let Ok(claim) = CLAIM.try_with(Arc::clone) else {
        return Ok(());
    };
    if claim.inserted.swap(true, Ordering::AcqRel) {
        return Ok(());
    }
    let inserted = tx
        .execute(
            "INSERT INTO idempotency_keys (scope, key, fingerprint, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (scope, key) DO NOTHING",
            params![
                &claim.scope,
                &claim.key,
                &claim.fingerprint,
                jiff::Timestamp::now().as_second()
            ],
        )
        .await?;
    if inserted == 0 {
        return Err(StoreError::KeyTaken);
    }
    Ok(())
}

/// A kept answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

/// A claimed key as kept.
#[derive(Debug, Clone)]
pub struct StoredKey {
    pub fingerprint: String,
    /// Unix seconds.
    pub created_at: i64,
    /// `None` while the request that claimed it has not finished its answer.
    pub answer: Option<Answer>,
}

/// The caller's key, if claimed.
pub struct FindKey {
    pub scope: String,
    pub key: String,
}

impl Op for FindKey {
    type Out = Option<StoredKey>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Option<StoredKey>> {
        let Some(row) = query_opt(
            tx,
            "SELECT fingerprint, created_at, status, content_type, body FROM idempotency_keys \
             WHERE scope = $1 AND key = $2",
            params![&self.scope, &self.key],
        )
        .await?
        else {
            return Ok(None);
        };
        let answer = match (row.opt_int("status")?, row.opt_text("body")?) {
            (Some(status), Some(body)) => Some(Answer {
                status: u16::try_from(status).unwrap_or(500),
                content_type: row.opt_text("content_type")?,
                body,
            }),
            _ => None,
        };
        Ok(Some(StoredKey {
            fingerprint: row.text("fingerprint")?,
            created_at: row.int("created_at")?,
            answer,
        }))
    }
}

/// Keeps the answer of the request that claimed the key.
pub struct SaveAnswer {
    pub scope: String,
    pub key: String,
    pub answer: Answer,
}

impl Op for SaveAnswer {
    type Out = ();
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<()> {
        tx.execute(
            "UPDATE idempotency_keys SET status = $1, content_type = $2, body = $3 \
             WHERE scope = $4 AND key = $5",
            params![
                i64::from(self.answer.status),
                self.answer.content_type.as_deref(),
                &self.answer.body,
                &self.scope,
                &self.key
            ],
        )
        .await?;
        Ok(())
    }
}

/// Forgets keys claimed before `before` (unix seconds).
pub struct ForgetKeys {
    pub before: i64,
}

impl Op for ForgetKeys {
    type Out = u64;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<u64> {
        tx.execute(
            "DELETE FROM idempotency_keys WHERE created_at < $1",
            params![self.before],
        )
        .await
    }
}
