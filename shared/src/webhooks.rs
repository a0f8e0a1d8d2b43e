//! Webhooks: addresses the hotel posts its events to, signed, in order, retried, with a log of
//! each delivery.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// `POST /staff/webhooks`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WebhookInput {
    /// An `http://` or `https://` address that takes a `POST` of each event.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 2000,
            pattern = "^https?://([A-Za-z][A-Za-z0-9-]*(\\.[A-Za-z][A-Za-z0-9-]*)*|((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9]))(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?(/[A-Za-z0-9._~/?=&%+,;:@!*'()$-]*)?$"
        )
    )]
    pub url: String,
    /// The event types to send (`booking.created`, `rates.changed`, …, as `GET /events`
    /// names them), or `["*"]` for every event.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 50))]
    pub events: Vec<EventName>,
    /// The secret each delivery is signed with (`Hotel-Signature`): 16 to 200 printable
    /// characters without spaces. Kept to sign with, never shown again.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 16, max_length = 200, pattern = "^[!-~]{16,200}$")
    )]
    pub secret: String,
}

/// An event type, or `*` for all.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(
    feature = "openapi",
    schema(value_type = String, pattern = "^(\\*|[a-z_]{1,30}\\.[a-z_]{1,30})$")
)]
#[serde(transparent)]
pub struct EventName(pub String);

/// A webhook (`GET /staff/webhooks`); never its secret.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<EventName>,
    /// `active`; `retrying` after a failed delivery (the same event is tried again, later
    /// ones wait, so they arrive in order); `paused` after a day of failures (resume it).
    #[cfg_attr(feature = "openapi", schema(pattern = "^(active|retrying|paused)$"))]
    pub status: String,
    /// The position (`id`) of the last event delivered or passed over; the next delivery is
    /// of the first wanted event after it.
    pub delivered_through: i64,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    pub created_by: String,
    /// When a delivery last succeeded (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub last_success_at: Option<String>,
    /// Since when deliveries fail, and when the next try is (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub failing_since: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub next_attempt_at: Option<String>,
    /// Why the last delivery failed, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// `GET /staff/webhooks[?limit=N&cursor=…]`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WebhookList {
    pub webhooks: Vec<Webhook>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// One try of one event at a webhook.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Delivery {
    pub id: i64,
    /// The event's id (its position in `GET /events`) and type.
    pub event_id: i64,
    pub event_type: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub at: String,
    /// 1 for the first try of the event, 2 for the next, …
    pub attempt: u32,
    /// The receiver's HTTP status, when it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Whether the receiver took it (a 2xx answer).
    pub ok: bool,
    /// Why not, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How long the try took.
    pub millis: i64,
}

/// `GET /staff/webhooks/{id}/deliveries`: newest first, kept 30 days.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeliveryLog {
    pub deliveries: Vec<Delivery>,
    /// Pass as `cursor` for older ones; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `POST /staff/webhooks/{id}/resume`: deliver again, at once, a paused or retrying webhook;
/// with `from_event`, every wanted event from that one on again (for a receiver that lost
/// them).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResumeInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// An event's id (its position in `GET /events`); null or absent: from where it was.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub from_event: Option<i64>,
}
