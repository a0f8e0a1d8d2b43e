//! Calendar sync with the booking sites, the importing half: the feeds rooms read, a sync's
//! result written as blocks of the room's nights, and the conflicts imports have with the
//! hotel's own stays. The calendars the hotel publishes are `published.rs`.

use hotel_shared::channels::{CalendarConflict, Feed, SyncEntry};
use hotel_shared::{AuditAction, Date};
use jiff::Timestamp;
use serde::Serialize;

use super::reads::room;
use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::channels::{ImportedStay, changes};
use crate::store::StoreResult;
use crate::store::sql::{Op, SqlRow, Tx, params, query_opt};

/// A feed as kept, before the counts a list adds. The audit log and the events show its
/// address without the query, where booking sites put the secret that opens it.
#[derive(Debug, Clone, Serialize)]
pub struct FeedRow {
    pub id: i64,
    pub room_number: u32,
    #[serde(serialize_with = "without_query")]
    pub url: String,
    #[serde(skip)]
    pub etag: Option<String>,
    #[serde(skip)]
    pub last_modified: Option<String>,
    #[serde(skip)]
    attempted_at: Option<i64>,
    #[serde(skip)]
    synced_at: Option<i64>,
    #[serde(skip)]
    error: Option<String>,
}

fn without_query<S: serde::Serializer>(url: &str, out: S) -> Result<S::Ok, S::Error> {
    match url.split_once('?') {
        Some((head, _)) => out.serialize_str(&format!("{head}?…")),
        None => out.serialize_str(url),
    }
}

const FEED_SELECT: &str = "SELECT id, room, url, etag, last_modified, attempted_at, synced_at, \
     error FROM ical_feeds";

fn feed_from(r: &SqlRow) -> StoreResult<FeedRow> {
    Ok(FeedRow {
        id: r.int("id")?,
        room_number: r.u32("room")?,
        url: r.text("url")?,
        etag: r.opt_text("etag")?,
        last_modified: r.opt_text("last_modified")?,
        attempted_at: r.opt_int("attempted_at")?,
        synced_at: r.opt_int("synced_at")?,
        error: r.opt_text("error")?,
    })
}

fn rfc3339(seconds: Option<i64>) -> Option<String> {
    seconds
        .and_then(|s| Timestamp::from_second(s).ok())
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

async fn feed_row<T: Tx>(tx: &mut T, id: i64) -> StoreResult<FeedRow> {
    query_opt(tx, &format!("{FEED_SELECT} WHERE id = $1"), params![id])
        .await?
        .map(|r| feed_from(&r))
        .transpose()?
        .ok_or_else(|| DomainError::FeedNotFound(id).into())
}

/// Imported stays on nights the hotel sold in the same room, not yet over by `today`.
async fn conflicts<T: Tx>(
    tx: &mut T,
    today: Date,
    feed: Option<i64>,
) -> StoreResult<Vec<CalendarConflict>> {
    let rows = tx
        .query(
            "SELECT DISTINCT k.id, k.feed_id, k.room, k.start_date, k.end_date, k.reason, \
             n.booking_id, b.reference \
             FROM room_blocks k \
             JOIN room_nights n ON n.room = k.room AND n.night >= k.start_date AND n.night < k.end_date \
             JOIN bookings b ON b.id = n.booking_id \
             WHERE k.feed_id IS NOT NULL AND k.end_date > $1 AND ($2 = 0 OR k.feed_id = $2) \
             ORDER BY k.start_date, k.id, n.booking_id",
            params![today, feed.unwrap_or(0)],
        )
        .await?;
    rows.iter().map(conflict_from).collect()
}

fn conflict_from(r: &SqlRow) -> StoreResult<CalendarConflict> {
    Ok(CalendarConflict {
        feed_id: r.int("feed_id")?,
        room_number: r.u32("room")?,
        from: r.date("start_date")?,
        to: r.date("end_date")?,
        summary: r.text("reason")?,
        booking_id: r.int("booking_id")?,
        reference: r.text("reference")?,
    })
}

/// Every imported stay in conflict with the hotel's own, for the desk's board.
pub struct CalendarConflicts {
    pub today: Date,
}

impl Op for CalendarConflicts {
    type Out = Vec<CalendarConflict>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<CalendarConflict>> {
        conflicts(tx, self.today, None).await
    }
}

fn feed_out(row: FeedRow, blocks: u32, conflicts: Vec<CalendarConflict>) -> Feed {
    let status = match (&row.error, row.synced_at) {
        (Some(_), _) => "failed",
        (None, Some(_)) => "ok",
        (None, None) => "new",
    };
    Feed {
        id: row.id,
        room_number: row.room_number,
        url: row.url,
        status: status.into(),
        last_attempt_at: rfc3339(row.attempted_at),
        last_synced_at: rfc3339(row.synced_at),
        error: row.error,
        blocks,
        conflicts,
    }
}

async fn feed_with_counts<T: Tx>(tx: &mut T, row: FeedRow, today: Date) -> StoreResult<Feed> {
    let blocks = query_opt(
        tx,
        "SELECT COUNT(*) AS n FROM room_blocks WHERE feed_id = $1 AND end_date > $2",
        params![row.id, today],
    )
    .await?
    .map(|r| r.int("n"))
    .transpose()?
    .unwrap_or(0);
    let found = conflicts(tx, today, Some(row.id)).await?;
    Ok(feed_out(
        row,
        u32::try_from(blocks).unwrap_or(u32::MAX),
        found,
    ))
}

/// Feeds by id, `limit` of them after `after`.
pub struct ListFeeds {
    pub after: i64,
    pub limit: u32,
    pub today: Date,
}

impl Op for ListFeeds {
    type Out = Vec<Feed>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Feed>> {
        let rows = tx
            .query(
                &format!("{FEED_SELECT} WHERE id > $1 ORDER BY id LIMIT $2"),
                params![self.after, i64::from(self.limit)],
            )
            .await?;
        let mut feeds = Vec::with_capacity(rows.len());
        for row in &rows {
            let row = feed_from(row)?;
            feeds.push(feed_with_counts(tx, row, self.today).await?);
        }
        Ok(feeds)
    }
}

/// One feed with its counts.
pub struct GetFeed {
    pub id: i64,
    pub today: Date,
}

impl Op for GetFeed {
    type Out = Feed;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Feed> {
        let row = feed_row(tx, self.id).await?;
        feed_with_counts(tx, row, self.today).await
    }
}

/// A feed for a sync: its address and what the last answer said of its version.
pub struct FeedToSync {
    pub id: i64,
}

impl Op for FeedToSync {
    type Out = FeedRow;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<FeedRow> {
        feed_row(tx, self.id).await
    }
}

/// Feeds not tried since `before` (unix seconds), oldest try first.
pub struct FeedsDue {
    pub before: i64,
    pub limit: u32,
}

impl Op for FeedsDue {
    type Out = Vec<FeedRow>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<FeedRow>> {
        tx.query(
            &format!(
                "{FEED_SELECT} WHERE attempted_at IS NULL OR attempted_at < $1 \
                 ORDER BY COALESCE(attempted_at, 0), id LIMIT $2"
            ),
            params![self.before, i64::from(self.limit)],
        )
        .await?
        .iter()
        .map(feed_from)
        .collect()
    }
}

/// Attaches a booking site's calendar to a room.
pub struct AddFeed {
    pub actor: Actor,
    pub room: u32,
    pub url: String,
    pub today: Date,
}

impl Op for AddFeed {
    type Out = Feed;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Feed> {
        room(tx, self.room)
            .await?
            .filter(|r| !r.retired)
            .ok_or(DomainError::RoomNotFound(self.room))?;
        if let Some(row) = query_opt(
            tx,
            "SELECT id FROM ical_feeds WHERE room = $1 AND url = $2",
            params![self.room, &self.url],
        )
        .await?
        {
            return Err(DomainError::FeedExists {
                room: self.room,
                id: row.int("id")?,
            }
            .into());
        }
        let id = tx
            .insert_id(
                "INSERT INTO ical_feeds (room, url, added_at) VALUES ($1, $2, $3)",
                params![self.room, &self.url, Timestamp::now().as_second()],
            )
            .await?;
        let row = feed_row(tx, id).await?;
        audit(
            tx,
            &self.actor,
            AuditAction::IcalFeedAdd,
            "ical_feed",
            id,
            None::<&FeedRow>,
            Some(&row),
        )
        .await?;
        feed_with_counts(tx, row, self.today).await
    }
}

/// Stops a room reading a feed; the nights its stays held are free again.
pub struct RemoveFeed {
    pub actor: Actor,
    pub id: i64,
}

impl Op for RemoveFeed {
    type Out = ();
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<()> {
        let row = feed_row(tx, self.id).await?;
        tx.execute(
            "DELETE FROM room_blocks WHERE feed_id = $1",
            params![self.id],
        )
        .await?;
        tx.execute(
            "DELETE FROM ical_syncs WHERE feed_id = $1",
            params![self.id],
        )
        .await?;
        tx.execute("DELETE FROM ical_feeds WHERE id = $1", params![self.id])
            .await?;
        audit(
            tx,
            &self.actor,
            AuditAction::IcalFeedRemove,
            "ical_feed",
            self.id,
            Some(&row),
            None::<&FeedRow>,
        )
        .await
    }
}

/// What fetching a feed came to.
#[derive(Debug)]
pub enum Fetched {
    /// The feed's stays, and what the answer said of its version.
    Stays {
        stays: Vec<ImportedStay>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    /// 304: nothing changed since the last sync.
    NotModified,
    /// The address failed; why, in words. The last good sync's stays stand.
    Failed(String),
}

#[derive(Serialize)]
struct SyncCounts {
    feed_id: i64,
    room_number: u32,
    added: u32,
    changed: u32,
    removed: u32,
    conflicts: u32,
}

/// Writes a sync's outcome: the feed's blocks made to match its stays (by UID), its status,
/// and a line of its log.
pub struct ApplySync {
    pub feed_id: i64,
    pub fetched: Fetched,
}

impl Op for ApplySync {
    type Out = SyncEntry;
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<SyncEntry> {
        let now = Timestamp::now().as_second();
        // First a write to the feed's row: two syncs of one feed (the schedule and staff, or
        // two servers) take turns here, and the second sees what the first wrote.
        let touched = tx
            .execute(
                "UPDATE ical_feeds SET attempted_at = $1 WHERE id = $2",
                params![now, self.feed_id],
            )
            .await?;
        if touched == 0 {
            return Err(DomainError::FeedNotFound(self.feed_id).into());
        }
        let feed = feed_row(tx, self.feed_id).await?;
        let mut counts = SyncCounts {
            feed_id: feed.id,
            room_number: feed.room_number,
            added: 0,
            changed: 0,
            removed: 0,
            conflicts: 0,
        };
        let (ok, detail) = match &self.fetched {
            Fetched::Failed(why) => {
                tx.execute(
                    "UPDATE ical_feeds SET attempted_at = $1, error = $2 WHERE id = $3",
                    params![now, why.as_str(), feed.id],
                )
                .await?;
                (false, why.clone())
            }
            Fetched::NotModified => {
                tx.execute(
                    "UPDATE ical_feeds SET attempted_at = $1, synced_at = $1, error = NULL \
                     WHERE id = $2",
                    params![now, feed.id],
                )
                .await?;
                (true, "unchanged since the last sync".to_string())
            }
            Fetched::Stays {
                stays,
                etag,
                last_modified,
            } => {
                apply_stays(tx, &feed, stays.clone(), &mut counts).await?;
                tx.execute(
                    "UPDATE ical_feeds SET attempted_at = $1, synced_at = $1, error = NULL, \
                     etag = $2, last_modified = $3 WHERE id = $4",
                    params![now, etag.as_deref(), last_modified.as_deref(), feed.id],
                )
                .await?;
                let detail = if counts.added + counts.changed + counts.removed == 0 {
                    "unchanged".to_string()
                } else {
                    format!(
                        "{} added, {} moved, {} removed",
                        counts.added, counts.changed, counts.removed
                    )
                };
                (true, detail)
            }
        };
        let id = tx
            .insert_id(
                "INSERT INTO ical_syncs (feed_id, at, ok, detail, added, changed, removed, conflicts) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                params![
                    feed.id,
                    now,
                    ok,
                    detail.as_str(),
                    counts.added,
                    counts.changed,
                    counts.removed,
                    counts.conflicts
                ],
            )
            .await?;
        Ok(SyncEntry {
            id,
            at: rfc3339(Some(now)).unwrap_or_default(),
            ok,
            detail,
            added: counts.added,
            changed: counts.changed,
            removed: counts.removed,
            conflicts: counts.conflicts,
        })
    }
}

async fn apply_stays<T: Tx>(
    tx: &mut T,
    feed: &FeedRow,
    stays: Vec<ImportedStay>,
    counts: &mut SyncCounts,
) -> StoreResult<()> {
    let kept: Vec<(i64, ImportedStay)> = tx
        .query(
            "SELECT id, uid, start_date, end_date, reason FROM room_blocks WHERE feed_id = $1",
            params![feed.id],
        )
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.int("id")?,
                ImportedStay {
                    uid: r.opt_text("uid")?.unwrap_or_default(),
                    from: r.date("start_date")?,
                    to: r.date("end_date")?,
                    summary: r.text("reason")?,
                },
            ))
        })
        .collect::<StoreResult<_>>()?;
    let mut change = changes(&kept, stays);
    // The nights that become blocked take their turn with bookings of them, in one order.
    let mut claimed: Vec<(Date, Date)> = change
        .added
        .iter()
        .chain(change.moved.iter().map(|(_, s)| s))
        .map(|s| (s.from, s.to))
        .collect();
    claimed.sort();
    for (from, to) in claimed {
        tx.lock_nights(from, to).await?;
    }
    for id in &change.removed {
        tx.execute("DELETE FROM room_blocks WHERE id = $1", params![*id])
            .await?;
    }
    let mut landed: Vec<(i64, ImportedStay)> = Vec::new();
    for (id, stay) in change.moved.drain(..) {
        tx.execute(
            "UPDATE room_blocks SET start_date = $1, end_date = $2, reason = $3 WHERE id = $4",
            params![stay.from, stay.to, stay.summary.as_str(), id],
        )
        .await?;
        landed.push((id, stay));
    }
    let moved = landed.len();
    for stay in change.added.drain(..) {
        let id = tx
            .insert_id(
                "INSERT INTO room_blocks (room, start_date, end_date, reason, feed_id, uid) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                params![
                    feed.room_number,
                    stay.from,
                    stay.to,
                    stay.summary.as_str(),
                    feed.id,
                    stay.uid.as_str()
                ],
            )
            .await?;
        landed.push((id, stay));
    }
    counts.changed = u32::try_from(moved).unwrap_or(u32::MAX);
    counts.added = u32::try_from(landed.len() - moved).unwrap_or(u32::MAX);
    counts.removed = u32::try_from(change.removed.len()).unwrap_or(u32::MAX);
    let actor = Actor(format!("calendar feed {}", feed.id));
    for (id, stay) in &landed {
        let held = tx
            .query(
                "SELECT DISTINCT n.booking_id, b.reference FROM room_nights n \
                 JOIN bookings b ON b.id = n.booking_id \
                 WHERE n.room = $1 AND n.night >= $2 AND n.night < $3 ORDER BY n.booking_id",
                params![feed.room_number, stay.from, stay.to],
            )
            .await?;
        for row in &held {
            counts.conflicts += 1;
            let conflict = CalendarConflict {
                feed_id: feed.id,
                room_number: feed.room_number,
                from: stay.from,
                to: stay.to,
                summary: stay.summary.clone(),
                booking_id: row.int("booking_id")?,
                reference: row.text("reference")?,
            };
            audit(
                tx,
                &actor,
                AuditAction::IcalConflict,
                "block",
                *id,
                None::<&CalendarConflict>,
                Some(&conflict),
            )
            .await?;
        }
    }
    if counts.added + counts.changed + counts.removed > 0 {
        audit(
            tx,
            &actor,
            AuditAction::IcalSync,
            "ical_feed",
            feed.id,
            None::<&SyncCounts>,
            Some(&*counts),
        )
        .await?;
    }
    Ok(())
}

/// A feed's syncs, newest first, `limit` of them before `before` (an entry's id).
pub struct SyncHistory {
    pub feed_id: i64,
    pub before: Option<i64>,
    pub limit: u32,
}

impl Op for SyncHistory {
    type Out = Vec<SyncEntry>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<SyncEntry>> {
        feed_row(tx, self.feed_id).await?;
        tx.query(
            "SELECT id, at, ok, detail, added, changed, removed, conflicts FROM ical_syncs \
             WHERE feed_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
            params![
                self.feed_id,
                self.before.unwrap_or(i64::MAX),
                i64::from(self.limit)
            ],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(SyncEntry {
                id: r.int("id")?,
                at: rfc3339(Some(r.int("at")?)).unwrap_or_default(),
                ok: r.bool("ok")?,
                detail: r.text("detail")?,
                added: r.u32("added")?,
                changed: r.u32("changed")?,
                removed: r.u32("removed")?,
                conflicts: r.u32("conflicts")?,
            })
        })
        .collect()
    }
}

/// Forgets sync log lines older than `before` (unix seconds).
pub struct ForgetSyncs {
    pub before: i64,
}

impl Op for ForgetSyncs {
    type Out = u64;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const RECORDS_EVENTS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<u64> {
        tx.execute("DELETE FROM ical_syncs WHERE at < $1", params![self.before])
            .await
    }
}
