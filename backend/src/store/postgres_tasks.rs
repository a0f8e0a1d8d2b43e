//! What a PostgreSQL server keeps doing in the background: one connection that LISTENs for
//! the other instances' changes, and the vacuum of `night_rooms`.

use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::Pool;
use tokio::sync::broadcast;
use tokio_postgres::{AsyncMessage, NoTls};

use super::ops::accounts::ENDED_SESSIONS_CHANNEL as SESSIONS_CHANNEL;
use super::ops::events::EVENTS_CHANNEL;

/// Told on commit of a change that alters what guests are shown: cached answers are stale.
pub(super) const CHANGES_CHANNEL: &str = "hotel_changes";
/// Told on commit of a change of rooms or room types: the catalog is stale.
pub(super) const ROOMS_CHANNEL: &str = "hotel_rooms";
use super::catalog::CatalogCache;
use super::{ChangeCounter, EventSignals};

/// How often `night_rooms` is vacuumed while bookings change it.
const VACUUM_EVERY: Duration = Duration::from_secs(5);

/// `night_rooms` is a few hundred rows that every booking and cancellation rewrites, and
/// autovacuum looks at a database once a minute: in a busy minute the table gathers tens of
/// thousands of dead versions, whose index entries every search then visits (a month's search
/// read 1,123 entries for its 30 rows, 1.2 ms against 0.2 ms on a vacuumed table). So the
/// server vacuums it itself, every few seconds while the hotel changes; with several instances
/// each does, and `SKIP_LOCKED` lets the others pass while one is at it.
pub(super) async fn keep_night_rooms_lean(pool: Pool, changes: Arc<ChangeCounter>) {
    let mut seen = changes.current();
    while !pool.is_closed() {
        tokio::time::sleep(VACUUM_EVERY).await;
        let now = changes.current();
        if now == seen {
            continue;
        }
        seen = now;
        let Ok(Ok(client)) = tokio::time::timeout(VACUUM_EVERY, pool.get()).await else {
            continue;
        };
        if let Err(e) = client
            .batch_execute("VACUUM (SKIP_LOCKED) night_rooms")
            .await
        {
            tracing::warn!("could not vacuum night_rooms: {e}");
        }
    }
}

/// Who hears what the listening connection receives.
pub(super) struct Listeners {
    pub changes: Arc<ChangeCounter>,
    pub catalog: Arc<CatalogCache>,
    pub ended_sessions: broadcast::Sender<[u8; 32]>,
    pub events: Arc<EventSignals>,
}

/// Keeps one connection LISTENing, reconnecting after failures. Whenever notifications may
/// have been missed, every cached answer is treated as stale.
pub(super) async fn listen(config: tokio_postgres::Config, to: Listeners) {
    loop {
        if let Ok((client, mut connection)) = config.connect(NoTls).await {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            let pump = tokio::spawn(async move {
                let mut messages =
                    futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                while let Some(message) = futures_util::StreamExt::next(&mut messages).await {
                    match message {
                        Ok(AsyncMessage::Notification(n)) => {
                            if tx
                                .send((n.channel().to_string(), n.payload().to_string()))
                                .is_err()
                            {
                                break;
                            }
                        }
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
            });
            let listening = client
                .batch_execute(&format!(
                    "LISTEN {CHANGES_CHANNEL}; LISTEN {SESSIONS_CHANNEL}; LISTEN {ROOMS_CHANNEL}; \
                     LISTEN {EVENTS_CHANNEL}"
                ))
                .await;
            if listening.is_ok() {
                to.changes.bump();
                to.catalog.invalidate();
                // Events placed while nobody listened: the placer's next run tells of them.
                to.events.written.notify_one();
                while let Some((channel, payload)) = rx.recv().await {
                    if channel == CHANGES_CHANNEL {
                        to.changes.bump();
                    } else if channel == ROOMS_CHANNEL {
                        to.catalog.invalidate();
                    } else if channel == EVENTS_CHANNEL {
                        if let Ok(position) = payload.parse() {
                            to.events.placed(position);
                        }
                    } else if let Ok(bytes) = hex::decode(&payload)
                        && let Ok(digest) = <[u8; 32]>::try_from(bytes.as_slice())
                    {
                        let _ = to.ended_sessions.send(digest);
                    }
                }
            }
            pump.abort();
            drop(client);
            tracing::warn!("lost the PostgreSQL notification connection; reconnecting");
        }
        to.changes.bump();
        to.catalog.invalidate();
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
