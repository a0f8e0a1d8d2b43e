//! Scheduled backups (`--backup-dir`, `--backup-every`, `--backup-keep`).

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
                let now = jiff::Timestamp::now().as_second() as f64;
                metrics::gauge!(crate::metrics::BACKUP_LAST_SUCCESS).set(now);
                metrics::gauge!(crate::metrics::BACKUP_LAST_BYTES).set(w.bytes as f64);
            }
            Ok(Err(e)) => tracing::error!("scheduled backup failed: {e}"),
            Err(e) => tracing::error!("scheduled backup failed: {e}"),
        }
        if !stop.sleep(schedule.every).await {
            break;
        }
    }
}
