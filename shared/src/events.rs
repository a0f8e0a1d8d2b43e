//! What happened in the hotel, in the order it was committed: the stream the hotel's own
//! workers (mail, webhooks) and integrators read from a position onwards.

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::AuditAction;

/// One committed change. Its `position` orders it among all others as they were committed:
/// an event read after position N never has a position of N or less.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Event {
    pub position: i64,
    /// RFC 3339 time of the change.
    pub at: String,
    /// What happened, in the words of the audit log.
    pub action: AuditAction,
    /// What it happened to: `booking`, `room`, `room_type`, `user`, … and its id.
    pub entity: String,
    pub entity_id: String,
    /// The object after the change (before it, for a removal), as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}
