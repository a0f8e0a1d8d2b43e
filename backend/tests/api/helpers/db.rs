//! A fresh database for each test, on SQLite or PostgreSQL, and what tests read from it
//! directly.

use tempfile::TempDir;

/// A fresh database for one test: an SQLite file in a temporary directory, or, when
/// `HOTEL_TEST_ENGINE=postgres`, a new PostgreSQL database (dropped when the test ends) on the
/// server named by `HOTEL_TEST_POSTGRES_URL`.
pub struct TestDb {
    pub url: String,
    /// Holds the SQLite file (and nothing, on PostgreSQL) until the test ends.
    _dir: TempDir,
    postgres: Option<PgTestDb>,
}

struct PgTestDb {
    admin_url: String,
    name: String,
}

/// For a test that only PostgreSQL can show (several instances on one database), marked
/// `#[ignore]` so that a run on SQLite lists it as not run: fails at once, saying why, when
/// it is run without PostgreSQL.
pub fn needs_postgres() {
    assert!(
        on_postgres(),
        "this test needs PostgreSQL: run it with HOTEL_TEST_ENGINE=postgres and HOTEL_TEST_POSTGRES_URL"
    );
}

pub fn on_postgres() -> bool {
    std::env::var("HOTEL_TEST_ENGINE").is_ok_and(|e| e == "postgres")
}

impl TestDb {
    pub async fn fresh() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        if !on_postgres() {
            let url = format!("sqlite://{}", dir.path().join("hotel.db").display());
            return TestDb {
                url,
                _dir: dir,
                postgres: None,
            };
        }
        let admin_url = std::env::var("HOTEL_TEST_POSTGRES_URL")
            .expect("HOTEL_TEST_ENGINE=postgres needs HOTEL_TEST_POSTGRES_URL");
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "hotel_test_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let admin = pg_connect(&admin_url).await;
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create test database");
        let url = replace_database(&admin_url, &name);
        TestDb {
            url,
            _dir: dir,
            postgres: Some(PgTestDb { admin_url, name }),
        }
    }

    /// Another handle on the same database, for a second server instance; only the first
    /// handle drops it.
    pub fn existing(other: &TestDb) -> TestDb {
        TestDb {
            url: other.url.clone(),
            _dir: tempfile::tempdir().expect("temp dir"),
            postgres: None,
        }
    }

    /// An SQLite file of this test's, such as a backup, opened as a database of its own.
    pub fn sqlite_file(name: &str) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        TestDb {
            url: format!("sqlite://{}", dir.path().join(name).display()),
            _dir: dir,
            postgres: None,
        }
    }

    /// Every (room, night) held, read from the database itself: the ground truth.
    pub async fn held_room_nights(&self) -> Vec<(i64, String)> {
        self.rows("SELECT room::text, night::text FROM room_nights ORDER BY room, night")
            .await
            .into_iter()
            .map(|r| (r.0.parse().expect("room"), r.1))
            .collect()
    }

    /// Runs a statement that changes data, as anyone with the database file could.
    pub async fn try_execute(&self, sql: &str) -> Result<u64, String> {
        if self.url.starts_with("postgres") {
            let client = pg_connect(&self.url).await;
            client.execute(sql, &[]).await.map_err(|e| e.to_string())
        } else {
            let path = self.url.trim_start_matches("sqlite://");
            let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
            conn.execute(sql, [])
                .map(|n| n as u64)
                .map_err(|e| e.to_string())
        }
    }

    /// Two text columns of every row of `sql` (cast them to text in the query).
    pub async fn rows(&self, sql: &str) -> Vec<(String, String)> {
        if self.url.starts_with("postgres") {
            let client = pg_connect(&self.url).await;
            let rows = client.query(sql, &[]).await.expect("query");
            rows.iter()
                .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)))
                .collect()
        } else {
            // PostgreSQL needs `::text` casts that SQLite does not know; the values are the same.
            let sql = sql.replace("::text", "");
            let path = self.url.trim_start_matches("sqlite://");
            let conn = rusqlite::Connection::open_with_flags(
                path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .expect("open database");
            let mut stmt = conn.prepare(&sql).expect("prepare");
            let text = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<String> {
                Ok(match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    rusqlite::types::ValueRef::Blob(b) => hex_of(b),
                    other => format!("{other:?}"),
                })
            };
            stmt.query_map([], |r| Ok((text(r, 0)?, text(r, 1)?)))
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows")
        }
    }
}

pub fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(pg) = self.postgres.take() {
            // Drop runs outside any async context we could borrow; a short-lived thread does it.
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async move {
                    let admin = pg_connect(&pg.admin_url).await;
                    let _ = admin
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg.name))
                        .await;
                });
            })
            .join();
        }
    }
}

pub async fn pg_connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect to PostgreSQL");
    tokio::spawn(connection);
    client
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("postgres URL with a database");
    format!("{base}/{name}")
}
