//! The SQLite database file itself: telling a first run from a lost database at start, and
//! noticing a file deleted or replaced under the running server, which would otherwise go on
//! acknowledging writes into a file nobody can open again.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The commit error of a batch refused because the database file is gone.
pub(super) const LOST: &str = "the database file is gone";

/// Refuses to start where a hotel lived and its database is missing (its marker remains),
/// unless `create` asks for a new, empty hotel.
pub(super) fn check_not_lost(path: &str, create: bool) -> Result<(), String> {
    let marker = marker_path(path);
    if create || Path::new(path).exists() || !marker.exists() {
        return Ok(());
    }
    Err(format!(
        "the hotel's database {path} is missing, though a hotel lived there before ({} says \
         so). Restore the database from a backup, or point --database at it. To start over \
         with a new, empty hotel there, start once with --create.",
        marker.display()
    ))
}

/// The file beside the database that says a hotel lived there. It is how a first run (no
/// database, no marker) is told from a lost database (no database, marker still there).
fn marker_path(path: &str) -> PathBuf {
    PathBuf::from(format!("{path}.existed"))
}

/// The database file as it was opened, and what the writer knows of its own success.
pub(super) struct FileWatch {
    path: String,
    identity: FileIdentity,
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
            lost: AtomicBool::new(false),
            last_failure: Mutex::new(None),
        })
    }

    fn intact(&self) -> bool {
        !self.lost.load(Ordering::Acquire) && FileIdentity::of(&self.path) == Some(self.identity)
    }

    /// Before each batch (one stat): `Err(LOST)` once the file is gone, said in the log once.
    pub(super) fn before_batch(&self) -> Result<(), String> {
        if self.intact() {
            return Ok(());
        }
        if !self.lost.swap(true, Ordering::AcqRel) {
            tracing::error!(
                "the database file {} was deleted or replaced; refusing every write until the \
                 server is restarted on the hotel's database",
                self.path
            );
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
        if !self.intact() {
            return Some(format!(
                "the database file {} was deleted or replaced while the server ran",
                self.path
            ));
        }
        self.last_failure
            .lock()
            .ok()
            .and_then(|failure| failure.clone())
            .map(|e| format!("the last write failed: {e}"))
    }
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
