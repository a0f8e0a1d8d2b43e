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

/// The name an integrator subscribes to for an audited change: the booking's life
/// (`booking.created`, `booking.changed`, `booking.cancelled`, `booking.checked_in`,
/// `booking.checked_out`, `booking.no_show`), what can be sold (`room.changed` for rooms,
/// room types, out-of-service ranges and housekeeping; `rates.changed` for rate plans and the
/// calendar), and for everything else the audit log's own word (`folio.payment`,
/// `guest.update`, …).
pub fn event_type(action: AuditAction) -> &'static str {
    use AuditAction as A;
    match action {
        A::BookingCreate | A::BookingCreateDespiteRestriction => "booking.created",
        A::BookingMove
        | A::BookingMoveComplimentary
        | A::BookingChange
        | A::BookingChangeDespiteRestriction => "booking.changed",
        A::BookingCancel | A::BookingCancelFeeWaived => "booking.cancelled",
        A::BookingCheckIn | A::BookingCheckInRoomNotClean | A::BookingCheckInRoomOccupied => {
            "booking.checked_in"
        }
        A::BookingCheckOut => "booking.checked_out",
        A::BookingNoShow => "booking.no_show",
        A::RoomCreate
        | A::RoomUpdate
        | A::RoomRetire
        | A::RoomRestore
        | A::RoomHousekeeping
        | A::RoomTypeCreate
        | A::RoomTypeUpdate
        | A::RoomTypeRetire
        | A::RoomTypeRestore
        | A::BlockCreate
        | A::BlockRemove
        | A::IcalSync => "room.changed",
        A::RatePlanCreate | A::RatePlanUpdate | A::RatePlanRetire | A::RateCalendarSet => {
            "rates.changed"
        }
        other => other.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_booking_change_has_its_integration_name() {
        assert_eq!(event_type(AuditAction::BookingCreate), "booking.created");
        assert_eq!(
            event_type(AuditAction::BookingCancelFeeWaived),
            "booking.cancelled"
        );
        assert_eq!(event_type(AuditAction::BlockCreate), "room.changed");
        assert_eq!(event_type(AuditAction::RateCalendarSet), "rates.changed");
        assert_eq!(event_type(AuditAction::FolioPayment), "folio.payment");
    }
}
