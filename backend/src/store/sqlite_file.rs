//! The SQLite database file itself: telling a first run from a lost database at start, and
//! noticing the file or its write-ahead log deleted or replaced under the running server,
//! which would otherwise go on acknowledging writes into files nobody can open again.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The commit error of a batch refused because the database file is gone.
pub(super) const LOST: &str = "the database file is gone";

/// Refuses to start where a hotel lived and its database is missing (its marker remains),
/// and where its folder is empty or missing (a wrong volume mounted, or none), unless
/// `create` asks for a new, empty hotel.
pub(super) fn check_not_lost(path: &str, create: bool) -> Result<(), String> {
    let marker = marker_path(path);
    if create || Path::new(path).exists() {
        return Ok(());
    }
    if marker.exists() {
        return Err(format!(
            "the hotel's database {path} is missing, though a hotel lived there before ({} \
             says so). Restore the database from a backup, or point --database at it. To \
             start over with a new, empty hotel there, start once with --create.",
            marker.display()
        ));
    }
    let folder = match Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let state = match std::fs::read_dir(folder) {
        Err(_) => "does not exist",
        // A new file system holds only `lost+found`.
        Ok(entries) => {
            let mut entries = entries;
            if !entries.all(|e| e.is_ok_and(|e| e.file_name() == "lost+found")) {
                return Ok(());
            }
            "is empty"
        }
    };
    Err(format!(
        "there is no hotel database at {path}, and its folder {} {state}: a wrong volume \
         mounted there, or none, looks just like this. If the hotel lives there, mount or \
         restore its data; to start a new, empty hotel there, start once with --create.",
        folder.display()
    ))
}

/// The file beside the database that says a hotel lived there. It is how a first run (no
/// database, no marker) is told from a lost database (no database, marker still there).
fn marker_path(path: &str) -> PathBuf {
    PathBuf::from(format!("{path}.existed"))
}

/// The database file and its write-ahead log as they were opened, and what the writer knows
/// of its own success.
pub(super) struct FileWatch {
    path: String,
    identity: FileIdentity,
    /// The write-ahead log (`PATH-wal`), which holds every commit since the last checkpoint:
    /// deleted, those commits would be gone at the next start.
    wal: Option<FileIdentity>,
    /// Set for good once the file is found gone: the server must be restarted on a restored
    /// database.
    lost: AtomicBool,
    /// The error of the last commit, cleared by the next one that succeeds.
    last_failure: Mutex<Option<String>>,
}

impl FileWatch {
    /// Watches the database just opened at `path`, and leaves its marker beside it.
    pub(super) fn opened(path: &str) -> Result<FileWatch, String> {
        let identity =
            FileIdentity::of(path).ok_or_else(|| format!("cannot read {path}: it vanished"))?;
        mark_existing(path);
        Ok(FileWatch {
            path: path.to_string(),
            identity,
            wal: FileIdentity::of(&wal_path(path)),
            lost: AtomicBool::new(false),
            last_failure: Mutex::new(None),
        })
    }

    /// Which of the two files is no longer the one opened, if either.
    fn damage(&self) -> Option<Damage> {
        if FileIdentity::of(&self.path) != Some(self.identity) {
            return Some(Damage::Database);
        }
        if self.wal.is_some() && FileIdentity::of(&wal_path(&self.path)) != self.wal {
            return Some(Damage::Log);
        }
        None
    }

    /// Before each batch (two stats): `Err(LOST)` once either file is gone, said in the log
    /// once. A log deleted under the server still holds the commits since the last
    /// checkpoint, readable only through the connection that has it open: `save_log` copies
    /// them into the database file (a checkpoint) before anything else is refused.
    pub(super) fn before_batch(
        &self,
        save_log: impl FnOnce() -> Result<(), String>,
    ) -> Result<(), String> {
        if self.lost.load(Ordering::Acquire) {
            return Err(LOST.to_string());
        }
        let Some(damage) = self.damage() else {
            return Ok(());
        };
        if !self.lost.swap(true, Ordering::AcqRel) {
            match damage {
                Damage::Database => tracing::error!(
                    "the database file {} was deleted or replaced; refusing every write until \
                     the server is restarted on the hotel's database",
                    self.path
                ),
                Damage::Log => {
                    let saved = save_log();
                    tracing::error!(
                        "the write-ahead log {} was deleted or replaced; {}; refusing every \
                         write until the server is restarted",
                        wal_path(&self.path),
                        match &saved {
                            Ok(()) => "every acknowledged write was copied into the database \
                                       file first"
                                .to_string(),
                            Err(e) => format!(
                                "copying its writes into the database file failed ({e}): \
                                 writes since the last checkpoint may be lost"
                            ),
                        }
                    );
                }
            }
        }
        Err(LOST.to_string())
    }

    /// Remembers how the last batch's commit went; a batch refused as lost says nothing new
    /// about the disk.
    pub(super) fn after_batch<T>(&self, commit: &Result<T, String>) {
        if commit.as_ref().err().is_none_or(|e| e != LOST)
            && let Ok(mut failure) = self.last_failure.lock()
        {
            *failure = commit.as_ref().err().cloned();
        }
    }

    /// Why writes cannot be trusted to land right now, if they cannot.
    pub(super) fn problem(&self) -> Option<String> {
        match self.damage() {
            Some(Damage::Database) => {
                return Some(format!(
                    "the database file {} was deleted or replaced while the server ran",
                    self.path
                ));
            }
            Some(Damage::Log) => {
                return Some(format!(
                    "the write-ahead log {} was deleted or replaced while the server ran",
                    wal_path(&self.path)
                ));
            }
            None if self.lost.load(Ordering::Acquire) => {
                return Some(format!(
                    "the database {} was lost while the server ran",
                    self.path
                ));
            }
            None => {}
        }
        self.last_failure
            .lock()
            .ok()
            .and_then(|failure| failure.clone())
            .map(|e| format!("the last write failed: {e}"))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Damage {
    Database,
    Log,
}

fn wal_path(path: &str) -> String {
    format!("{path}-wal")
}

pub(super) enum Checkpoint {
    /// As much as readers allow without waiting for them (the regular one).
    AsFarAsReadersAllow,
    /// All of it, waiting for readers (within the busy timeout), and the log emptied.
    Everything,
}

/// Copies committed pages from the write-ahead log into the database file; `Err` when some
/// were left in the log.
pub(super) fn checkpoint(conn: &rusqlite::Connection, how: Checkpoint) -> Result<(), String> {
    let sql = match how {
        Checkpoint::AsFarAsReadersAllow => "PRAGMA wal_checkpoint(PASSIVE)",
        Checkpoint::Everything => "PRAGMA wal_checkpoint(TRUNCATE)",
    };
    let (busy, logged, copied): (i64, i64, i64) = conn
        .query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(|e| e.to_string())?;
    if busy != 0 || copied < logged {
        return Err(format!("{copied} of {logged} pages copied (busy: {busy})"));
    }
    Ok(())
}

fn mark_existing(path: &str) {
    let marker = marker_path(path);
    if marker.exists() {
        return;
    }
    let text = format!(
        "A Hotel database lives at {path}. While this file is here and the database is not, \
         hotel-server refuses to start an empty hotel in its place. Delete this file together \
         with the database, never alone.\n"
    );
    if let Err(e) = std::fs::write(&marker, text) {
        tracing::warn!(
            "cannot write {}: {e}; a lost database could not be told from a first run",
            marker.display()
        );
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct FileIdentity {
    device: u64,
    inode: u64,
}

impl FileIdentity {
    #[cfg(unix)]
    fn of(path: &str) -> Option<FileIdentity> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileIdentity {
            device: meta.dev(),
            inode: meta.ino(),
        })
    }

    #[cfg(not(unix))]
    fn of(path: &str) -> Option<FileIdentity> {
        std::fs::metadata(path).ok().map(|_| FileIdentity {
            device: 0,
            inode: 0,
        })
    }
}
