//! Scheduled backups (`--backup-dir`, `--backup-every`, `--backup-keep`), each handed to
//! `--backup-command` once written and checked.

use std::path::Path;

use super::Stop;
use crate::backup::Schedule;

/// Takes a backup at once and then on schedule until the server stops; a backup under way
/// when it stops is finished, not cut off.
pub async fn run(schedule: Schedule, mut stop: Stop) {
    loop {
        let taking = schedule.clone();
        match tokio::task::spawn_blocking(move || taking.take()).await {
            Ok(Ok(w)) => {
                tracing::info!(
                    path = %w.path.display(),
                    bytes = w.bytes,
                    seconds = w.took.as_secs_f64(),
                    "backup written and checked"
                );
                let now = jiff::Timestamp::now();
                metrics::gauge!(crate::metrics::BACKUP_LAST_SUCCESS).set(now.as_second() as f64);
                metrics::gauge!(crate::metrics::BACKUP_LAST_BYTES).set(w.bytes as f64);
                let copied = match &schedule.command {
                    Some(command) => hand_over(command, &w.path, schedule.every).await,
                    None => Ok(()),
                };
                match copied {
                    Ok(()) => schedule.record(Some(now), None),
                    Err(problem) => schedule.record(None, Some(problem)),
                }
            }
            Ok(Err(e)) => {
                tracing::error!("scheduled backup failed: {e}");
                schedule.record(
                    None,
                    Some("The last scheduled backup failed; the server's log says why.".into()),
                );
            }
            Err(e) => {
                tracing::error!("scheduled backup failed: {e}");
                schedule.record(
                    None,
                    Some("The last scheduled backup failed; the server's log says why.".into()),
                );
            }
        }
        if !stop.sleep(schedule.every).await {
            break;
        }
    }
}

/// Runs `--backup-command` with the backup's path as `$1`, for at most `limit` (the next
/// backup is due then). Its output goes to the log; its failure comes back as a sentence for
/// `/healthz`, which names neither the command nor the path.
async fn hand_over(command: &str, path: &Path, limit: std::time::Duration) -> Result<(), String> {
    let started = std::time::Instant::now();
    let child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .arg("hotel-backup")
        .arg(path)
        .env("HOTEL_BACKUP_PATH", path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn();
    let child = match child {
        Ok(c) => c,
        Err(e) => {
            tracing::error!("the backup command could not start: {e}");
            return Err("The backup command could not start; the server's log says why.".into());
        }
    };
    let finished = tokio::time::timeout(limit, child.wait_with_output()).await;
    let output = match finished {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => {
            tracing::error!("the backup command failed: {e}");
            return Err("The backup command failed; the server's log says why.".into());
        }
        Err(_) => {
            tracing::error!(
                seconds = limit.as_secs(),
                "the backup command did not finish before the next backup was due; stopped it"
            );
            return Err("The backup command took longer than the time between backups.".into());
        }
    };
    let said = tail(&output.stderr).or_else(|| tail(&output.stdout));
    if output.status.success() {
        tracing::info!(
            path = %path.display(),
            seconds = started.elapsed().as_secs_f64(),
            "backup handed to the backup command"
        );
        Ok(())
    } else {
        let status = output
            .status
            .code()
            .map_or_else(|| "a signal".to_string(), |c| format!("status {c}"));
        tracing::error!(
            path = %path.display(),
            output = said.as_deref().unwrap_or(""),
            "the backup command failed with {status}"
        );
        Err(format!(
            "The backup command failed with {status}; the server's log has its output."
        ))
    }
}

/// The last few hundred characters a command wrote, on one line.
fn tail(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let start = text.char_indices().rev().nth(400).map_or(0, |(i, _)| i);
    Some(text[start..].replace('\n', " / "))
}
