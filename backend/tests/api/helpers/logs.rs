//! Every log line a test run writes, kept for `cargo xtask test` to search for secrets: the
//! server processes' output and this process's own servers', in the folder named by
//! `HOTEL_TEST_LOG_DIR`. Without it, servers log warnings only, to the terminal.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

fn log_dir() -> Option<PathBuf> {
    std::env::var_os("HOTEL_TEST_LOG_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

/// The level a server under test logs at: everything when the lines are kept.
pub fn server_log_level() -> &'static str {
    if log_dir().is_some() { "info" } else { "warn" }
}

/// A new file in the log folder, named after this test process and `kind`.
pub fn new_log_file(kind: &str) -> Option<std::fs::File> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = log_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    let name = format!(
        "{kind}-{}-{}.log",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    std::fs::File::create(dir.join(name)).ok()
}

/// Keeps what a process printed (a command's output read by its test) with the rest.
pub fn keep_log(kind: &str, text: &[u8]) {
    if let Some(mut file) = new_log_file(kind) {
        let _ = file.write_all(text);
    }
}

/// Logs this process's servers (`spawn_app`) into the folder, once per process.
pub fn log_in_process_servers() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let Some(file) = new_log_file("in-process") else {
            return;
        };
        let _ = tracing_subscriber::fmt()
            .json()
            .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
            .with_writer(std::sync::Mutex::new(file))
            .try_init();
    });
}
