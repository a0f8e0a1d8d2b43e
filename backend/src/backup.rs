//! Backups of a hotel on SQLite: a consistent copy of the live database, taken while bookings go
//! on and checked before it counts, on demand or on a schedule; and putting one back.
//!
//! A copy is SQLite's `VACUUM INTO`: one read transaction, so the copy is the database as of
//! one instant, and the writer never waits for it (in WAL mode readers and the writer do not
//! block each other). It is written beside its final name and renamed only once its integrity
//! check passed, so a file with a backup's name is always a whole, sound backup.
//! PostgreSQL has its own tools for this (`pg_dump`, `pg_restore`); the commands say so.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::Connection;

/// What the command line or the schedule reports of a finished backup.
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    pub took: Duration,
}

impl std::fmt::Display for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Backed up to {} ({:.1} MB in {:.2} s; integrity check passed).",
            self.path.display(),
            self.bytes as f64 / 1_000_000.0,
            self.took.as_secs_f64()
        )
    }
}

/// The path of the SQLite database `database` names, or why there is nothing for us to do.
pub fn sqlite_path(database: &str) -> Result<&str, String> {
    if let Some(path) = database.strip_prefix("sqlite://") {
        return Ok(path);
    }
    if database.starts_with("postgres://") || database.starts_with("postgresql://") {
        return Err(format!(
            "the hotel is on PostgreSQL: back it up with `pg_dump --format=custom --file=hotel.dump \
             {database}` and put a backup back with `pg_restore --clean --if-exists \
             --dbname={database} hotel.dump` (see docs/operations.md, Backups)"
        ));
    }
    Err(format!(
        "unsupported database URL {database:?}: expected sqlite://PATH"
    ))
}

/// Copies the database at `database` (running or not) to `to`, which must not exist yet.
pub fn backup(database: &str, to: &Path) -> Result<Written, String> {
    let started = Instant::now();
    if !Path::new(database).exists() {
        return Err(format!("there is no database at {database}"));
    }
    if to.exists() {
        return Err(format!(
            "{} exists already; a backup never overwrites a file",
            to.display()
        ));
    }
    let partial = with_suffix(to, ".partial");
    // A partial file is what an interrupted backup left: never a backup, so it goes.
    let _ = std::fs::remove_file(&partial);
    let copied = copy_into(database, &partial).and_then(|()| check(&partial));
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    settle(&partial)?;
    std::fs::rename(&partial, to)
        .map_err(|e| format!("cannot name the backup {}: {e}", to.display()))?;
    sync_dir(to);
    let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    Ok(Written {
        path: to.to_path_buf(),
        bytes,
        took: started.elapsed(),
    })
}

fn copy_into(database: &str, to: &Path) -> Result<(), String> {
    let source = Connection::open(database).map_err(|e| format!("cannot open {database}: {e}"))?;
    // The writer holds its lock for a batch's few milliseconds; a copy starting then waits.
    source
        .busy_timeout(Duration::from_secs(30))
        .map_err(|e| e.to_string())?;
    let target = to
        .to_str()
        .ok_or_else(|| format!("{} is not a path SQLite can take", to.display()))?;
    // The copy holds every guest's data: readable by the server's own user only. SQLite
    // writes into an empty file it finds, keeping its mode.
    crate::store::create_private_file(to)
        .map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    source
        .execute("VACUUM INTO ?1", [target])
        .map_err(|e| format!("cannot copy {database} to {}: {e}", to.display()))?;
    Ok(())
}

/// Whether the file at `path` is a sound hotel database: SQLite's integrity check passes and
/// it has the hotel's tables.
pub fn check(path: &Path) -> Result<(), String> {
    let shown = path.display();
    // Read-write but never created: a missing file is an error, not a new empty database; and
    // a database in WAL mode opens without a shared-memory file beside it.
    let db = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| format!("cannot open {shown}: {e}"))?;
    let verdict: String = db
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .map_err(|e| format!("{shown} is not a SQLite database: {e}"))?;
    if verdict != "ok" {
        return Err(format!("{shown} failed its integrity check: {verdict}"));
    }
    let hotel: i64 = db
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('bookings', 'room_nights')",
            [],
            |row| row.get(0),
        )
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    if hotel != 2 {
        return Err(format!("{shown} is a SQLite database, but not a hotel's"));
    }
    Ok(())
}

/// Puts the backup `from` in the place of the database at `database`. Refused while a server
/// runs on it: its open connections would go on writing into the replaced file.
pub fn restore(from: &Path, database: &str) -> Result<String, String> {
    if Path::new(database).exists()
        && std::fs::canonicalize(from).ok() == std::fs::canonicalize(database).ok()
    {
        return Err(format!("{} is the database itself", from.display()));
    }
    check(from)?;
    // Whoever runs the restore (root, often), the restored file is the server's as the old one
    // was: a database its user cannot write stops the hotel at its next start.
    let keep = Keeper::of(Path::new(database));
    let _running = ServerLock::take(database)?;
    keep.apply(Path::new(&format!("{database}.lock")), database)?;
    let incoming = PathBuf::from(format!("{database}.restoring"));
    let copied = std::fs::copy(from, &incoming)
        .map_err(|e| format!("cannot copy {} beside {database}: {e}", from.display()))
        .and_then(|_| keep.apply(&incoming, database))
        .and_then(|_| settle(&incoming));
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&incoming);
        return Err(e);
    }
    // The old database's write-ahead log belongs to the old file: left beside the restored one,
    // SQLite would replay it into it.
    for leftover in ["-wal", "-shm"] {
        let path = format!("{database}{leftover}");
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot remove {path}: {e}")),
        }
    }
    std::fs::rename(&incoming, database)
        .map_err(|e| format!("cannot put the backup in place of {database}: {e}"))?;
    sync_dir(Path::new(database));
    Ok(format!(
        "Restored {database} from {}. Start the server to open it.",
        from.display()
    ))
}

/// The owner and mode a restored database takes: the replaced file's, or for a database not
/// there yet, its folder's owner and the mode only the owner may read and write.
struct Keeper {
    #[cfg(unix)]
    owner: Option<(u32, u32, u32)>,
}

impl Keeper {
    fn of(database: &Path) -> Keeper {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let folder = match database.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let owner = match std::fs::metadata(database) {
                Ok(m) => Some((m.uid(), m.gid(), m.mode() & 0o7777)),
                Err(_) => std::fs::metadata(folder)
                    .ok()
                    .map(|m| (m.uid(), m.gid(), 0o600)),
            };
            Keeper { owner }
        }
        #[cfg(not(unix))]
        Keeper {}
    }

    /// Gives `path` the kept owner and mode; refused, saying who to run as, when this user
    /// may not.
    fn apply(&self, path: &Path, database: &str) -> Result<(), String> {
        #[cfg(unix)]
        if let Some((uid, gid, mode)) = self.owner {
            use std::os::unix::fs::PermissionsExt;
            std::os::unix::fs::chown(path, Some(uid), Some(gid)).map_err(|e| {
                format!(
                    "cannot give {} to the owner of {database} (user id {uid}): {e}. Run the \
                     restore as that user, e.g. `sudo -u hotel hotel-server restore …`",
                    path.display()
                )
            })?;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                .map_err(|e| format!("cannot set the mode of {}: {e}", path.display()))?;
        }
        Ok(())
    }
}

/// Held by a running server for as long as it runs on a SQLite database, and by a restore, so
/// neither starts while the other is at work. The operating system lets go of it when the
/// process ends, however it ends.
pub struct ServerLock {
    _file: File,
}

impl ServerLock {
    pub fn take(database: &str) -> Result<ServerLock, String> {
        let path = format!("{database}.lock");
        // A first run may name a folder that does not exist yet; the database goes there too.
        if let Some(dir) = Path::new(&path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| format!("cannot open {path}: {e}"))?;
        match file.try_lock() {
            Ok(()) => Ok(ServerLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(format!(
                "another hotel-server is using {database} (it holds {path}); stop it first"
            )),
            Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {path}: {e}")),
        }
    }
}

/// The schedule of `--backup-every`: a backup into `dir` now and then every `every`, keeping
/// the newest `keep`. Runs until the server stops; a failed backup is logged and tried again at
/// the next turn.
/// Backups taken every `every` into `dir`, keeping the newest `keep` (`--backup-dir`).
#[derive(Debug, Clone)]
pub struct Schedule {
    pub database: String,
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: usize,
    /// `--backup-command`: run with each new backup's path.
    pub command: Option<String>,
    /// How the last turn went, for `/healthz`.
    pub health: std::sync::Arc<std::sync::Mutex<hotel_shared::BackupHealth>>,
}

impl Schedule {
    /// Takes one backup now, named by the time, and deletes the oldest beyond `keep`.
    pub fn take(&self) -> Result<Written, String> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot make {}: {e}", self.dir.display()))?;
        let name = jiff::Timestamp::now().strftime("hotel-%Y%m%dT%H%M%SZ.db");
        let written = backup(&self.database, &self.dir.join(name.to_string()))?;
        prune(&self.dir, self.keep);
        Ok(written)
    }

    /// How the last turn went.
    pub fn health(&self) -> hotel_shared::BackupHealth {
        self.health.lock().map(|h| h.clone()).unwrap_or_default()
    }

    /// Records how a turn went: `problem` is `None` when the backup and its command succeeded.
    pub fn record(&self, written_at: Option<jiff::Timestamp>, problem: Option<String>) {
        if let Ok(mut h) = self.health.lock() {
            if let Some(at) = written_at {
                h.last_success = Some(at.to_string());
            }
            h.problem = problem;
        }
    }
}

/// Deletes the oldest scheduled backups in `dir` beyond the newest `keep`. Their names sort by
/// time; other files are left alone.
fn prune(dir: &Path, keep: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut backups: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("hotel-") && n.ends_with("Z.db"))
        })
        .collect();
    backups.sort();
    let excess = backups.len().saturating_sub(keep);
    for old in &backups[..excess] {
        match std::fs::remove_file(old) {
            Ok(()) => tracing::info!(
                path = %old.display(),
                "deleted an old backup, keeping the newest {keep}"
            ),
            Err(e) => tracing::warn!("cannot delete the old backup {}: {e}", old.display()),
        }
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Puts the file's bytes on the disk before it takes a name that says it is whole.
fn settle(path: &Path) -> Result<(), String> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("cannot write {} to the disk: {e}", path.display()))
}

/// Puts a rename in `path`'s folder on the disk (best effort: not every system can).
fn sync_dir(path: &Path) {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
}
