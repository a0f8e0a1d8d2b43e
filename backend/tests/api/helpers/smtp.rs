//! A real mail server for the tests: aiosmtpd on 127.0.0.1 (`smtp_sink.py`), run by the Python
//! that `cargo xtask test` installs and names in `HOTEL_SMTP_PYTHON`. Each message it takes is
//! read back as the guest's mail program would show it.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use hotel_backend::config::{Config, SmtpUrl};
use serde::Deserialize;

/// One message as the mail server took it.
#[derive(Debug, Clone, Deserialize)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub subject: String,
    pub from: String,
    pub to: String,
    pub message_id: String,
    pub header_names: Vec<String>,
    pub text: String,
    pub html: String,
    pub attachments: Vec<Attached>,
    pub calendar: Vec<CalendarEntry>,
    pub raw: String,
}

impl Received {
    /// Whether this is the standard link that confirms a new account's address.
    pub fn confirms_an_address(&self) -> bool {
        self.subject
            .starts_with("Please confirm your e-mail address")
            || self
                .subject
                .starts_with("Bitte bestätigen Sie Ihre E-Mail-Adresse")
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Attached {
    pub filename: String,
    pub content_type: String,
    pub size: u64,
    /// A PDF's text, read back with `pdftotext -layout`.
    #[serde(default)]
    pub text: Option<String>,
}

/// A calendar entry read back with Python's icalendar.
#[derive(Debug, Clone, Deserialize)]
pub struct CalendarEntry {
    pub uid: String,
    pub summary: String,
    pub status: String,
    /// `YYYY-MM-DD`
    pub start: String,
    pub end: String,
    pub method: String,
}

pub struct SmtpSink {
    python: PathBuf,
    child: Option<Child>,
    pub port: u16,
    dir: tempfile::TempDir,
    /// `starttls` or `tls`, with the certificate and key files: then the server insists on
    /// TLS and on signing in as desk / s3cret.
    secure: Option<(&'static str, PathBuf, PathBuf)>,
}

/// Whether a message came over TLS and who signed in to send it.
#[derive(Debug, Clone, Deserialize)]
pub struct Delivery {
    pub secure: bool,
    pub signed_in_as: String,
}

impl SmtpSink {
    /// The mail server, started; `None` (the test skips) where no Python with aiosmtpd was named.
    pub fn start() -> Option<SmtpSink> {
        let Some(python) = std::env::var_os("HOTEL_SMTP_PYTHON").map(PathBuf::from) else {
            eprintln!("skipped: no HOTEL_SMTP_PYTHON (cargo xtask test sets it)");
            return None;
        };
        let mut sink = SmtpSink {
            python,
            child: None,
            port: 0,
            dir: tempfile::tempdir().expect("mail folder"),
            secure: None,
        };
        sink.start_again();
        Some(sink)
    }

    /// The mail server with TLS (`mode` `starttls` or `tls`) under the certificate and key in
    /// these files, taking mail only from desk / s3cret.
    pub fn start_secure(mode: &'static str, cert: PathBuf, key: PathBuf) -> Option<SmtpSink> {
        let python = std::env::var_os("HOTEL_SMTP_PYTHON").map(PathBuf::from)?;
        let mut sink = SmtpSink {
            python,
            child: None,
            port: 0,
            dir: tempfile::tempdir().expect("mail folder"),
            secure: Some((mode, cert, key)),
        };
        sink.start_again();
        Some(sink)
    }

    /// Starts the server (again, on the same port once it had one).
    pub fn start_again(&mut self) {
        // From the workspace root: the browser tests run this file too.
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../backend/tests/api/helpers/smtp_sink.py"
        );
        for _ in 0..50 {
            let mut command = Command::new(&self.python);
            command
                .arg(script)
                .arg(self.dir.path())
                .arg(self.port.to_string());
            if let Some((mode, cert, key)) = &self.secure {
                command.arg(mode).arg(cert).arg(key);
            }
            let mut child = command
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("start the mail server");
            let mut line = String::new();
            let stdout = child.stdout.take().expect("its output");
            let _ = BufReader::new(stdout).read_line(&mut line);
            if let Some(port) = line.trim().strip_prefix("listening ") {
                self.port = port.parse().expect("a port");
                self.child = Some(child);
                return;
            }
            // The port of the last run may not be free again yet.
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the mail server did not start");
    }

    /// Stops the server: the hotel finds nobody listening.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn url(&self) -> String {
        match &self.secure {
            None => format!("smtp://127.0.0.1:{}", self.port),
            Some(("tls", ..)) => format!("smtps://desk:s3cret@localhost:{}", self.port),
            Some(_) => format!("smtp://desk:s3cret@localhost:{}?tls=required", self.port),
        }
    }

    /// How each message taken so far came, in the order taken.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.files()
            .iter()
            .map(|p| {
                serde_json::from_slice(&std::fs::read(p).expect("a message")).expect("its JSON")
            })
            .collect()
    }

    /// Sets a test server's mail settings to this server.
    pub fn configure(&self, config: &mut Config) {
        config.smtp_url = Some(SmtpUrl(self.url()));
        config.mail_from = Some("Hotel Test <desk@hotel.test>".into());
        config.public_url = Some("https://hotel.test".into());
    }

    /// The command-line flags for the same.
    pub fn flags(&self) -> Vec<String> {
        vec![
            "--smtp-url".into(),
            self.url(),
            "--mail-from".into(),
            "Hotel Test <desk@hotel.test>".into(),
            "--public-url".into(),
            "https://hotel.test".into(),
        ]
    }

    /// Every message taken so far, in the order taken, but the links that confirm a new
    /// account's address (every sign-up with an address gets one; `received_all` has them).
    pub fn received(&self) -> Vec<Received> {
        self.received_all()
            .into_iter()
            .filter(|m| !m.confirms_an_address())
            .collect()
    }

    fn files(&self) -> Vec<PathBuf> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("mail folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
    }

    /// Every message taken so far, in the order taken.
    pub fn received_all(&self) -> Vec<Received> {
        self.files()
            .iter()
            .map(|p| {
                serde_json::from_slice(&std::fs::read(p).expect("a message")).expect("its JSON")
            })
            .collect()
    }

    /// Waits until at least `n` messages have come (at most `within`), then answers them all;
    /// links confirming an address are left out, as by `received`.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        self.wait(n, within, Self::received).await
    }

    /// As `wait_for`, counting every message.
    pub async fn wait_for_all(&self, n: usize, within: Duration) -> Vec<Received> {
        self.wait(n, within, Self::received_all).await
    }

    async fn wait(
        &self,
        n: usize,
        within: Duration,
        read: fn(&SmtpSink) -> Vec<Received>,
    ) -> Vec<Received> {
        let started = std::time::Instant::now();
        loop {
            let got = read(self);
            if got.len() >= n || started.elapsed() > within {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}
