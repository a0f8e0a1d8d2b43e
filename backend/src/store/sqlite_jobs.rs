//! The SQLite writer's jobs: a write run inside the next batch, the writer's own clock, and
//! the rewrite of the file after an erasure.

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::sqlite_file::{Checkpoint, LOST, checkpoint};
use super::{StoreError, StoreResult};

/// One queued write: `run` inside the batch transaction, `finish` once its fate is known.
pub(super) trait Job: Send {
    /// Returns whether the job's changes should be kept.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Whether its changes make cached answers stale (see `Op::CHANGES_ANSWERS`).
    fn changes_answers(&self) -> bool;
    fn finish(self: Box<Self>, commit: Result<(), String>);
    /// The writer's own clock, not a write ([`Tick`]).
    fn is_tick(&self) -> bool {
        false
    }
    /// Rewrites the database file once the batch has committed ([`Compact`]).
    fn compacts(&self) -> bool {
        false
    }
}

/// Rewrites the database file from its live rows and empties the write-ahead log, after the
/// batch it rides in: nothing deleted or overwritten before stays readable in the file's
/// free pages or in the log (an erased guest). Every write waits meanwhile: a small hotel's
/// file takes a fraction of a second.
pub(super) struct Compact {
    pub(super) reply: Option<oneshot::Sender<StoreResult<()>>>,
}

impl Job for Compact {
    fn run(&mut self, _conn: &Connection) -> bool {
        true
    }

    fn changes_answers(&self) -> bool {
        false
    }

    fn finish(mut self: Box<Self>, done: Result<(), String>) {
        if let Some(reply) = self.reply.take() {
            let _ = reply.send(done.map_err(StoreError::Database));
        }
    }

    fn compacts(&self) -> bool {
        true
    }
}

/// `VACUUM`, then a checkpoint that truncates the log, tried again while readers hold it.
pub(super) fn compact(conn: &Connection) -> Result<(), String> {
    conn.execute_batch("VACUUM").map_err(|e| e.to_string())?;
    let mut last = Ok(());
    for _ in 0..50 {
        last = checkpoint(conn, Checkpoint::Everything);
        if last.is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    last
}

/// Wakes the writer every [`TICK`], writes or not: it checks that its files are still the
/// ones it opened and checkpoints what it committed since the last time.
pub(super) struct Tick;

impl Job for Tick {
    fn run(&mut self, _conn: &Connection) -> bool {
        true
    }

    fn changes_answers(&self) -> bool {
        false
    }

    fn finish(self: Box<Self>, _commit: Result<(), String>) {}

    fn is_tick(&self) -> bool {
        true
    }
}

pub(super) struct WriteJob<T, F> {
    pub(super) work: Option<F>,
    pub(super) changes_answers: bool,
    pub(super) result: Option<StoreResult<T>>,
    pub(super) reply: oneshot::Sender<StoreResult<T>>,
}

impl<T, F> Job for WriteJob<T, F>
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        let result = work(conn);
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn changes_answers(&self) -> bool {
        self.changes_answers
    }

    fn finish(self: Box<Self>, commit: Result<(), String>) {
        let outcome = match (self.result, commit) {
            // A refusal wrote nothing, so it stands whatever happened to the batch.
            (Some(Err(e)), _) => Err(e),
            (Some(Ok(value)), Ok(())) => Ok(value),
            (_, Err(e)) if e == LOST => Err(StoreError::Lost),
            (Some(Ok(_)), Err(e)) => Err(StoreError::Database(e)),
            (None, Err(e)) => Err(StoreError::Database(e)),
            (None, Ok(())) => Err(StoreError::Database("the write did not run".into())),
        };
        // The caller may have gone away (timeout, closed connection); the write stands.
        let _ = self.reply.send(outcome);
    }
}
