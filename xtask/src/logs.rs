//! No credential in any log line: the API suites keep every line their servers write (the
//! processes' and the in-process ones', `HOTEL_TEST_LOG_DIR`), and this reads them all
//! afterwards for what must never be there.

use std::path::{Path, PathBuf};

use crate::Result;
use crate::tools;

/// The password put into the PostgreSQL URL the suite connects with (trust authentication
/// ignores it): were the URL ever logged whole, this would show.
pub const POSTGRES_PASSWORD: &str = "pg-pass-never-logged";

/// The tests' accounts' password (`backend/tests/api/helpers`).
const TEST_PASSWORD: &str = "correct horse";

/// An empty folder for this run's logs.
pub fn fresh_dir() -> Result<PathBuf> {
    let dir = tools::target_dir()?.join("test-logs");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

/// `url` with `POSTGRES_PASSWORD` as its password, if it names a user without one.
pub fn with_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user, host)) if !user.contains(':') && !user.is_empty() => {
            format!("{scheme}://{user}:{POSTGRES_PASSWORD}@{host}")
        }
        _ => url.to_string(),
    }
}

/// What is wrong with one line, if anything.
fn secret_in(line: &str) -> Option<&'static str> {
    if line.contains(TEST_PASSWORD) {
        return Some("an account's password");
    }
    if line.contains(POSTGRES_PASSWORD) {
        return Some("the database URL's password");
    }
    if line.to_ascii_lowercase().contains("bearer ") {
        return Some("an Authorization header");
    }
    // Session tokens are 64 hex digits, and so are their stored digests.
    let mut run = 0;
    for b in line.bytes() {
        run = if b.is_ascii_hexdigit() { run + 1 } else { 0 };
        if run == 64 {
            return Some("a session token or its digest");
        }
    }
    None
}

/// Reads every file in `dir`; fails naming each line that holds a secret, or when there are
/// too few lines to mean anything (the logs were not kept).
pub fn check(dir: &Path) -> Result {
    let mut files = 0;
    let mut lines = 0;
    let mut found = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        files += 1;
        for (n, line) in String::from_utf8_lossy(&bytes).lines().enumerate() {
            lines += 1;
            if let Some(what) = secret_in(line) {
                found.push(format!(
                    "{}:{}: {what}: {}",
                    path.display(),
                    n + 1,
                    line.chars().take(300).collect::<String>()
                ));
            }
        }
    }
    println!("xtask: read {lines} log lines in {files} files for credentials");
    if lines < 1000 {
        return Err(format!(
            "only {lines} log lines in {}: the test servers' logs were not kept",
            dir.display()
        ));
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} log lines hold a credential:\n{}",
            found.len(),
            found.join("\n")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_secret_is_found_and_ordinary_lines_pass() {
        let token = "ab".repeat(32);
        assert!(secret_in(&format!("{{\"token\":\"{token}\"}}")).is_some());
        assert!(secret_in("login as ann with correct horse").is_some());
        assert!(secret_in(&format!("postgres://u:{POSTGRES_PASSWORD}@h/db")).is_some());
        assert!(secret_in("Authorization: Bearer abc").is_some());
        assert!(
            secret_in(r#"{"fields":{"route":"/book","status":200,"request_id":"18c2f-7"}}"#)
                .is_none()
        );
        assert!(secret_in(&"ab".repeat(31)).is_none());
    }

    #[test]
    fn a_password_goes_into_a_url_without_one_only() {
        assert_eq!(
            with_password("postgres://postgres@127.0.0.1:5432/postgres"),
            format!("postgres://postgres:{POSTGRES_PASSWORD}@127.0.0.1:5432/postgres")
        );
        assert_eq!(with_password("postgres://u:p@h/d"), "postgres://u:p@h/d");
    }
}
