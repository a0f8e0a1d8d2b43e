//! Calendar sync with the booking sites: the feeds a room imports (each event a night the room
//! cannot be sold), the conflicts an import finds with the hotel's own stays, and each
//! feed's sync log.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::Date;

/// `POST /staff/rooms/{number}/feeds`: a booking site's calendar address for this room.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedInput {
    /// An `http://` or `https://` address of an iCalendar feed.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 2000,
            pattern = "^https?://([A-Za-z][A-Za-z0-9-]*(\\.[A-Za-z][A-Za-z0-9-]*)*|((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9]))(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[A-Za-z0-9._~/?=&%+,;:@!*'()$-]*)?$"
        )
    )]
    pub url: String,
}

/// A calendar feed a room imports (`GET /staff/feeds`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Feed {
    pub id: i64,
    pub room_number: u32,
    pub url: String,
    /// `ok` after a sync that worked, `failed` after one that did not (the nights of the
    /// last good sync stay blocked), `new` before the first.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(new|ok|failed)$"))]
    pub status: String,
    /// When it was last tried (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub last_attempt_at: Option<String>,
    /// When it last synced without a fault (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub last_synced_at: Option<String>,
    /// Why the last try failed, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Stays the feed blocks in the room that have not ended.
    pub blocks: u32,
    /// Its blocks on nights the hotel has sold in the room itself.
    pub conflicts: Vec<CalendarConflict>,
}

/// `GET /staff/feeds[?limit=N&cursor=…]`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedList {
    pub feeds: Vec<Feed>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A stay a booking site's calendar holds on nights the hotel sold in the same room: both
/// are kept until staff move one of them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarConflict {
    pub feed_id: i64,
    pub room_number: u32,
    /// The imported stay's first night.
    pub from: Date,
    /// The imported stay's departure day (not a night).
    pub to: Date,
    /// What the booking site calls it.
    pub summary: String,
    /// The hotel's booking on those nights.
    pub booking_id: i64,
    pub reference: String,
}

/// One sync of a feed (`GET /staff/feeds/{id}/log`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SyncEntry {
    pub id: i64,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    pub ok: bool,
    /// What happened, in words (`unchanged`, or why it failed).
    pub detail: String,
    pub added: u32,
    pub changed: u32,
    pub removed: u32,
    /// Stays added or moved onto nights the hotel had sold.
    pub conflicts: u32,
}

/// `GET /staff/feeds/{id}/log[?limit=N&cursor=…]`, newest first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SyncLog {
    pub entries: Vec<SyncEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `POST /staff/feeds/{id}/sync`: the feed after a sync, and what the sync did.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeedSynced {
    pub feed: Feed,
    pub sync: SyncEntry,
}

/// `POST /staff/rooms/{number}/ical-address` and `POST /staff/room-types/{id}/ical-address`:
/// the calendar's new address (the old one answers 404 from now on).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarAddress {
    pub ical_url: String,
}
