//! The real `hotel-server` binary, for what only a process shows: the command line, signals,
//! start-up, TLS.

use serde_json::{Value, json};

use super::{PASSWORD, TestDb, keep_log, new_log_file, server_log_level};

/// Runs the real `hotel-server` binary on `database` with `args`, feeding `stdin` if given.
pub fn hotel_server(database: &str, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hotel-server"))
        .args(args)
        .env("HOTEL_DATABASE", database)
        .env("HOTEL_LOG", server_log_level())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start hotel-server");
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.unwrap_or("").as_bytes())
            .expect("write stdin");
    }
    let output = child.wait_with_output().expect("hotel-server output");
    // A key made on the command line is what the command prints, once, for whoever made it:
    // its output, not a log line, so it is not kept with the run's logs.
    if args[..args.len().min(2)] != ["api-key", "create"] {
        keep_log("command", &output.stdout);
    }
    keep_log("command", &output.stderr);
    output
}

/// The real `hotel-server` binary serving `db` on a free port, killed when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub base: String,
}

impl Server {
    pub fn start(db: &TestDb) -> Server {
        Server::start_with(db, &[])
    }

    pub fn start_with(db: &TestDb, args: &[&str]) -> Server {
        // A new hotel in a new folder needs --create; an existing one opens as usual.
        let mut all = vec![
            "--log",
            server_log_level(),
            "--create",
            "--database",
            &db.url,
        ];
        all.extend_from_slice(args);
        let (child, base) = start_server_process(&all, false);
        Server { child, base }
    }
}

/// Starts the real `hotel-server` with `args` on a free port of 127.0.0.1; the process and the
/// address its first line names (`http://…` or `https://…`, without the last `/`). Its log
/// (stderr) is the test's to read with `read_log`, or goes with the run's logs.
pub fn start_server_process(args: &[&str], read_log: bool) -> (std::process::Child, String) {
    start_server_process_with(args, &[], read_log)
}

/// As `start_server_process`, with these environment variables set for the server.
pub fn start_server_process_with(
    args: &[&str],
    env: &[(&str, &str)],
    read_log: bool,
) -> (std::process::Child, String) {
    use std::io::{BufRead, Write};
    let kept = new_log_file("server");
    let stderr = match (&kept, read_log) {
        (_, true) => std::process::Stdio::piped(),
        (Some(file), false) => file.try_clone().map_or_else(
            |_| std::process::Stdio::inherit(),
            std::process::Stdio::from,
        ),
        (None, false) => std::process::Stdio::inherit(),
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hotel-server"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("start hotel-server");
    let stdout = child.stdout.take().expect("stdout");
    let mut stdout = std::io::BufReader::new(stdout);
    let mut line = String::new();
    stdout.read_line(&mut line).expect("banner");
    // The banner and whatever follows on stdout go with the log; read on, so the server
    // never waits on a full pipe.
    let mut sink: Box<dyn std::io::Write + Send> = match kept {
        Some(file) => Box::new(file),
        None => Box::new(std::io::sink()),
    };
    let _ = sink.write_all(line.as_bytes());
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut stdout, &mut sink);
    });
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://") || w.starts_with("https://"))
        .unwrap_or_else(|| panic!("no address in the banner {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (child, base)
}

/// A port nobody listens on right now, for a second listener of a server under test.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Signs `user` in on the server at `base`; the session token.
pub async fn log_in(client: &reqwest::Client, base: &str, user: &str) -> String {
    let login: Value = client
        .post(format!("{base}/login"))
        .json(&json!({"username": user, "password": PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login answer");
    login["token"].as_str().expect("token").to_string()
}

/// Makes the account `user` on the server at `base` and signs it in; the session token.
pub async fn sign_up(client: &reqwest::Client, base: &str, user: &str) -> String {
    let registered = client
        .post(format!("{base}/register"))
        .json(&json!({"username": user, "password": PASSWORD}))
        .send()
        .await
        .expect("register");
    assert!(registered.status().is_success(), "{registered:?}");
    log_in(client, base, user).await
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
