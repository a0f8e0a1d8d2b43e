//! What the CLI tests share: a real server in this process on a random port with a fresh
//! database, and the `hotel` binary run against it.
// Each test file uses a part of this.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use hotel_backend::{AppState, Config};
use tempfile::TempDir;

pub const PASSWORD: &str = "correct horse battery";

pub struct Hotel {
    pub url: String,
    pub database: String,
    _db: TempDir,
    pub config_dir: TempDir,
    _runtime: std::thread::JoinHandle<()>,
}

/// Starts a server in this process (its own runtime on its own thread) and returns its URL.
pub fn start_hotel() -> Hotel {
    let db = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", db.path().join("hotel.db").display());
    let server_database = database.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    let runtime = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let config = Config::for_database(server_database);
            let state = AppState::from_config(&config).await.unwrap();
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            hotel_backend::serve(listener, state, std::future::pending())
                .await
                .unwrap();
        });
    });
    let addr = rx.recv().unwrap();
    Hotel {
        url: format!("http://{addr}"),
        database,
        _db: db,
        config_dir: tempfile::tempdir().unwrap(),
        _runtime: runtime,
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Hotel {
    pub fn hotel(&self, args: &[&str], stdin: &str) -> Run {
        self.hotel_env(args, stdin, &[("HOTEL_PASSWORD", PASSWORD)])
    }

    pub fn hotel_env(&self, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hotel"))
            .args(args)
            .env("HOTEL_SERVER", &self.url)
            .env("HOTEL_CONFIG_DIR", self.config_dir.path())
            .env("NO_COLOR", "1")
            .env_remove("HOTEL_PASSWORD")
            .env_remove("HOTEL_USER")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().unwrap();
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }
}

/// Makes an account staff with what `hotel-server staff grant` runs, on the server's database.
pub fn grant_staff(hotel: &Hotel, username: &str) {
    use hotel_backend::config::StaffAction;
    let config = Config::for_database(hotel.database.clone());
    let grant = StaffAction::Grant {
        username: username.into(),
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(hotel_backend::admin::staff(&config, &grant))
        .unwrap();
}

pub fn in_days(days: i64) -> String {
    // Far enough ahead to be in the future in any time zone.
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let today_utc = hotel_shared::date::date(1970, 1, 1)
        .checked_add_days((seconds / 86_400) as i64)
        .unwrap();
    today_utc.checked_add_days(days).unwrap().to_string()
}
