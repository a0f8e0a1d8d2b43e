//! Backups of a live SQLite hotel, on demand and on a schedule, and putting one back.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::*;

/// The load comes from four guests booking as fast as they can: no limit may stop them.
const NO_LIMITS: [&str; 12] = [
    "--rooms",
    "100",
    "--signup-rate-limit",
    "0",
    "--booking-rate-limit",
    "0",
    "--max-room-nights-per-booking",
    "0",
    "--max-open-room-nights-per-guest",
    "0",
    "--address-share",
    "0",
];

/// The finished backups in `dir` (one being written is `NAME.db.partial` until it is whole).
fn backup_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "db"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Books one room for one night after another until `until`; each acknowledged booking's id
/// with the moment its answer arrived.
async fn book_until(
    client: reqwest::Client,
    base: String,
    token: String,
    today: hotel_shared::Date,
    lane: i64,
    until: Instant,
) -> Vec<(Instant, i64)> {
    let mut acknowledged = Vec::new();
    let mut n = 0i64;
    while Instant::now() < until {
        let night = (n * 4 + lane) % 300;
        n += 1;
        let reply = client
            .post(format!("{base}/book"))
            .bearer_auth(&token)
            .json(&json!({"num_rooms": 1, "check_in": day_after(today, night),
                          "check_out": day_after(today, night + 1)}))
            .send()
            .await
            .expect("book");
        assert_eq!(reply.status(), 200, "booking {n} of lane {lane}");
        let body: Value = reply.json().await.expect("book answer");
        let id = body["bookings"][0]["id"].as_i64().expect("booking id");
        acknowledged.push((Instant::now(), id));
    }
    acknowledged
}

/// Every booking id the holder of `token` has, page by page.
async fn all_bookings(client: &reqwest::Client, base: &str, token: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/bookings?limit=100");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: Value = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("bookings")
            .json()
            .await
            .expect("bookings answer");
        let bookings = page["bookings"].as_array().expect("bookings");
        ids.extend(bookings.iter().map(|b| b["id"].as_i64().expect("id")));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return ids,
        }
    }
}

#[tokio::test]
async fn a_backup_taken_under_booking_load_restores_every_booking_acknowledged_before_it() {
    if on_postgres() {
        return; // PostgreSQL is backed up with pg_dump (see the last test)
    }
    let db = TestDb::fresh().await;
    let server = Server::start_with(&db, &NO_LIMITS);
    let client = http_client();
    let health: Value = client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .expect("health")
        .json()
        .await
        .expect("health answer");
    let today: hotel_shared::Date = health["today"]
        .as_str()
        .expect("today")
        .parse()
        .expect("date");
    let mut tokens = Vec::new();
    for guest in 0..4 {
        tokens.push(sign_up(&client, &server.base, &format!("loader{guest}")).await);
    }
    let folder = tempfile::tempdir().expect("temp dir");
    let backup = folder.path().join("hotel-backup.db");

    // Act: ten seconds of bookings, with a backup taken from the command line in the middle.
    let until = Instant::now() + Duration::from_secs(10);
    let lanes: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(lane, token)| {
            tokio::spawn(book_until(
                client.clone(),
                server.base.clone(),
                token.clone(),
                today,
                lane as i64,
                until,
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(4)).await;
    let began = Instant::now();
    let (url, to) = (db.url.clone(), backup.display().to_string());
    let out =
        tokio::task::spawn_blocking(move || hotel_server(&url, &["backup", "--to", &to], None))
            .await
            .expect("backup command");
    let finished = Instant::now();
    assert!(out.status.success(), "backup failed: {out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("integrity check passed"),
        "{out:?}"
    );
    let mut acknowledged = Vec::new();
    for lane in lanes {
        acknowledged.extend(lane.await.expect("lane"));
    }

    // A running server's database is not replaced under it.
    let refused = hotel_server(
        &db.url,
        &["restore", "--from", &backup.display().to_string()],
        None,
    );
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("another hotel-server is using"),
        "{refused:?}"
    );
    drop(server);

    // Assert: a fresh hotel restored from the backup has every booking acknowledged before the
    // backup began, none that was never acknowledged, and no room twice on a night.
    let before: Vec<i64> = acknowledged
        .iter()
        .filter(|(at, _)| *at < began)
        .map(|(_, id)| *id)
        .collect();
    let after = acknowledged.iter().filter(|(at, _)| *at > finished).count();
    assert!(
        before.len() > 100,
        "only {} bookings before the backup",
        before.len()
    );
    assert!(
        after > 100,
        "bookings stopped for the backup: {after} after it"
    );
    let restored_db = TestDb::fresh().await;
    let restored = hotel_server(
        &restored_db.url,
        &["restore", "--from", &backup.display().to_string()],
        None,
    );
    assert!(restored.status.success(), "restore failed: {restored:?}");
    let server = Server::start(&restored_db);
    let mut found = Vec::new();
    for token in &tokens {
        found.extend(all_bookings(&client, &server.base, token).await);
    }
    found.sort_unstable();
    let missing: Vec<_> = before
        .iter()
        .filter(|id| found.binary_search(id).is_err())
        .collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged bookings lost: {missing:?}",
        missing.len()
    );
    let mut every: Vec<i64> = acknowledged.iter().map(|(_, id)| *id).collect();
    every.sort_unstable();
    assert!(found.iter().all(|id| every.binary_search(id).is_ok()));
    let doubled = restored_db
        .rows("SELECT room, night FROM room_nights GROUP BY room, night HAVING count(*) > 1")
        .await;
    assert!(doubled.is_empty(), "{doubled:?}");
    let integrity = restored_db
        .rows("SELECT 'integrity', integrity_check FROM pragma_integrity_check")
        .await;
    assert_eq!(integrity, vec![("integrity".to_string(), "ok".to_string())]);
}

#[tokio::test]
async fn scheduled_backups_keep_the_newest_and_each_is_sound() {
    if on_postgres() {
        return;
    }
    let db = TestDb::fresh().await;
    let folder = tempfile::tempdir().expect("temp dir");
    let dir = folder.path().join("backups");
    let shown = dir.display().to_string();
    let metrics_at = format!("127.0.0.1:{}", free_port());
    let server = Server::start_with(
        &db,
        &[
            "--backup-dir",
            &shown,
            "--backup-every",
            "1s",
            "--backup-keep",
            "2",
            "--metrics-listen",
            &metrics_at,
        ],
    );
    let client = http_client();
    let booked = client
        .post(format!("{}/book", server.base))
        .json(&json!({"username": "ada", "password": PASSWORD, "num_rooms": 2}))
        .send()
        .await
        .expect("book");
    assert_eq!(booked.status(), 200);

    let deadline = Instant::now() + Duration::from_secs(20);
    while backup_files(&dir).len() < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let first = backup_files(&dir);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let later = backup_files(&dir);
    // What a monitoring system sees of them: when the last one was taken, and its size.
    let scraped = client
        .get(format!("http://{metrics_at}/metrics"))
        .send()
        .await
        .expect("scrape")
        .text()
        .await
        .expect("metrics");
    drop(server);
    let gauge = |name: &str| -> f64 {
        scraped
            .lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {scraped}"))
    };
    let taken_at = gauge("hotel_backup_last_success_timestamp_seconds ");
    let now = jiff::Timestamp::now().as_second() as f64;
    assert!(
        (now - 30.0..=now).contains(&taken_at),
        "{taken_at} vs {now}"
    );
    assert!(gauge("hotel_backup_last_size_bytes ") > 4096.0);

    assert_eq!(first.len(), 2, "{first:?}");
    assert_eq!(later.len(), 2, "older backups are deleted: {later:?}");
    assert!(
        later.iter().all(|p| !first.contains(p)),
        "{first:?} then {later:?}"
    );
    for file in &later {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        assert!(
            name.starts_with("hotel-") && name.ends_with("Z.db"),
            "{name}"
        );
        let copy = rusqlite::Connection::open(file).expect("open the backup");
        let held: i64 = copy
            .query_row("SELECT count(*) FROM room_nights", [], |r| r.get(0))
            .expect("count");
        assert_eq!(held, 2, "{name}");
    }
}

#[tokio::test]
async fn a_backup_never_overwrites_and_a_restore_takes_only_a_hotel() {
    if on_postgres() {
        return;
    }
    let db = TestDb::fresh().await;
    let app = spawn_app_on(db, |_| {}).await;
    app.book("bea", 1).await;
    let db = app.stop().await;
    let folder = tempfile::tempdir().expect("temp dir");
    let taken = folder.path().join("taken.db");
    std::fs::write(&taken, "the owner's notes").expect("write");
    let shown = taken.display().to_string();

    let overwrite = hotel_server(&db.url, &["backup", "--to", &shown], None);
    let restore = hotel_server(&db.url, &["restore", "--from", &shown], None);

    assert!(!overwrite.status.success());
    assert!(String::from_utf8_lossy(&overwrite.stderr).contains("never overwrites"));
    assert_eq!(
        std::fs::read_to_string(&taken).expect("read"),
        "the owner's notes"
    );
    assert!(!restore.status.success());
    assert!(
        String::from_utf8_lossy(&restore.stderr).contains("not a SQLite database"),
        "{restore:?}"
    );
    assert_eq!(
        db.held_room_nights().await.len(),
        1,
        "the hotel is untouched"
    );
}

#[tokio::test]
async fn the_backup_command_on_postgres_gives_the_pg_dump_commands() {
    let out = hotel_server(
        "postgres://postgres@127.0.0.1:5432/hotel",
        &["backup", "--to", "/tmp/never-written.db"],
        None,
    );

    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("pg_dump") && said.contains("pg_restore"),
        "{said}"
    );
}

#[test]
fn every_setting_of_the_systemd_unit_is_one_the_server_knows() {
    let unit = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../deploy/hotel.service"
    ))
    .expect("deploy/hotel.service");
    let help = hotel_server("sqlite://unused.db", &["--help"], None);
    let help = String::from_utf8_lossy(&help.stdout);

    let settings: Vec<&str> = unit
        .lines()
        .filter_map(|line| line.strip_prefix("Environment="))
        .filter_map(|setting| setting.split_once('=').map(|(name, _)| name))
        .collect();

    assert!(settings.len() >= 5, "{settings:?}");
    for name in settings {
        assert!(
            help.contains(&format!("[env: {name}=")),
            "{name} is not a setting of hotel-server"
        );
    }
}

#[tokio::test]
async fn a_database_from_a_newer_server_is_refused_with_what_to_do() {
    let app = spawn_app().await;
    app.book("cyd", 1).await;
    let db = app.stop().await;
    let newer = if on_postgres() {
        "UPDATE hotel_schema SET version = 999"
    } else {
        "PRAGMA user_version = 999"
    };
    db.try_execute(newer).await.expect("mark the schema newer");

    let refused = hotel_backend::state::AppState::from_config(
        &hotel_backend::Config::for_database(db.url.clone()),
    )
    .await;

    let Err(said) = refused else {
        panic!("a newer database was opened")
    };
    assert!(said.contains("newer hotel-server"), "{said}");
    assert!(said.contains("backup"), "{said}");
}

#[test]
fn a_new_hotel_in_a_folder_not_made_yet_starts_there_when_asked() {
    let folder = tempfile::tempdir().expect("temp dir");
    let database = folder.path().join("not/made/yet/hotel.db");
    let url = format!("sqlite://{}", database.display());

    let (mut child, base) = start_server_process(
        &["--log", server_log_level(), "--create", "--database", &url],
        false,
    );
    let _ = child.kill();
    let _ = child.wait();

    assert!(base.starts_with("http://"), "{base:?}");
    assert!(database.exists());
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_and_its_backups_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    if on_postgres() {
        return; // PostgreSQL keeps its own files
    }
    let mode = |path: &Path| std::fs::metadata(path).expect("file").permissions().mode() & 0o777;
    let app = spawn_app().await;
    app.book("ola", 1).await;
    let database = PathBuf::from(app.db.url.trim_start_matches("sqlite://"));
    assert_eq!(mode(&database), 0o600);
    assert_eq!(mode(&database.with_extension("db-wal")), 0o600);
    let folder = tempfile::tempdir().expect("temp dir");
    let copy = folder.path().join("copy.db");
    let url = app.db.url.clone();
    let to = copy.display().to_string();
    let out =
        tokio::task::spawn_blocking(move || hotel_server(&url, &["backup", "--to", &to], None))
            .await
            .expect("backup");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode(&copy), 0o600);
}

/// An operator restores as root (`sudo hotel-server restore`): the restored database stays
/// the service user's, with the mode it had, or the server could not write it at its next
/// start ("attempt to write a readonly database").
#[tokio::test]
async fn a_restore_keeps_the_owner_and_mode_of_the_database_it_replaces() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    if on_postgres() {
        return; // PostgreSQL's files are the database server's, not ours
    }
    let app = spawn_app().await;
    app.book("bea", 1).await;
    let db = app.stop().await;
    let path = std::path::PathBuf::from(db.url.trim_start_matches("sqlite://"));
    let folder = tempfile::tempdir().expect("temp dir");
    let backup = folder.path().join("hotel-backup.db");
    let taken = hotel_server(
        &db.url,
        &["backup", "--to", &backup.display().to_string()],
        None,
    );
    assert!(taken.status.success(), "{taken:?}");
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    // The service user's file: another owner where this test may give it one, and a mode of
    // its own either way.
    let service_uid = if root {
        65534
    } else {
        std::fs::metadata(&path).expect("db").uid()
    };
    if root {
        std::os::unix::fs::chown(&path, Some(service_uid), Some(service_uid)).expect("chown");
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");

    let restored = hotel_server(
        &db.url,
        &["restore", "--from", &backup.display().to_string()],
        None,
    );
    assert!(restored.status.success(), "{restored:?}");
    let meta = std::fs::metadata(&path).expect("restored database");
    assert_eq!(
        meta.uid(),
        service_uid,
        "the restored database changed hands"
    );
    assert_eq!(meta.mode() & 0o777, 0o640);
    let lock = std::fs::metadata(format!("{}.lock", path.display())).expect("lock file");
    assert_eq!(lock.uid(), service_uid, "the lock file changed hands");
}

/// `/healthz` once its backups say `done`, within `limit`.
async fn health_once(base: &str, done: impl Fn(&Value) -> bool) -> Value {
    let client = http_client();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let health: Value = client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .expect("healthz")
            .json()
            .await
            .expect("json");
        if done(&health["backups"]) || Instant::now() > deadline {
            return health;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_backup_command_gets_each_backup_and_its_failure_shows_in_health() {
    if on_postgres() {
        return;
    }
    let db = TestDb::fresh().await;
    let folder = tempfile::tempdir().expect("temp dir");
    let dir = folder.path().join("backups");
    let offsite = folder.path().join("offsite");
    std::fs::create_dir_all(&offsite).expect("offsite folder");
    let copy = format!("cp \"$1\" '{}/'", offsite.display());
    let dir_arg = dir.display().to_string();
    let server = Server::start_with(&db, &["--backup-dir", &dir_arg, "--backup-command", &copy]);
    let health = health_once(&server.base, |b| b["last_success"].is_string()).await;
    let copied = backup_files(&offsite);
    assert_eq!(copied.len(), 1, "{copied:?} {health}");
    assert_eq!(
        copied[0].file_name(),
        backup_files(&dir)[0].file_name(),
        "the command got the backup's path"
    );
    assert!(health["backups"]["problem"].is_null(), "{health}");
    drop(server);

    // A copy that fails: the server stays healthy (it takes bookings) and says what failed.
    let other_dir = folder.path().join("more-backups").display().to_string();
    let server = Server::start_with(
        &db,
        &[
            "--backup-dir",
            &other_dir,
            "--backup-command",
            "echo 'offsite: no route to host' >&2; exit 3",
        ],
    );
    let reply = http_client()
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(reply.status(), 200);
    let health = health_once(&server.base, |b| b["problem"].is_string()).await;
    let problem = health["backups"]["problem"].as_str().unwrap_or_default();
    assert!(problem.contains("status 3"), "{health}");
    assert!(
        !problem.contains(&other_dir),
        "no path in a public answer: {problem}"
    );
}
