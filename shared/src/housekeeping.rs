//! Housekeeping: the state of each room between guests, as housekeepers and the desk see it.
//! Nothing here names a guest or an amount: a housekeeper reads these and nothing else.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::Date;

/// Where a room is between one guest and the next.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoomCondition {
    /// Cleaned and ready for a guest.
    #[default]
    Clean,
    /// Used since it was last cleaned: a guest left, or moved out.
    Dirty,
    /// Cleaned, and checked by a supervisor.
    Inspected,
}

impl RoomCondition {
    pub const ALL: [RoomCondition; 3] = [
        RoomCondition::Dirty,
        RoomCondition::Clean,
        RoomCondition::Inspected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoomCondition::Clean => "clean",
            RoomCondition::Dirty => "dirty",
            RoomCondition::Inspected => "inspected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "clean" => Some(RoomCondition::Clean),
            "dirty" => Some(RoomCondition::Dirty),
            "inspected" => Some(RoomCondition::Inspected),
            _ => None,
        }
    }

    /// In words, for people.
    pub fn label(self) -> &'static str {
        match self {
            RoomCondition::Clean => "Clean",
            RoomCondition::Dirty => "Dirty",
            RoomCondition::Inspected => "Inspected",
        }
    }

    /// May a guest be given the key without an override?
    pub fn is_ready(self) -> bool {
        self != RoomCondition::Dirty
    }
}

/// Who sleeps in the room around today, without saying who.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoomOccupancy {
    /// Nobody last night, nobody tonight.
    Vacant,
    /// A stay begins today; nobody slept there last night.
    Arrival,
    /// A stay ended (or ends) today; nobody tonight.
    Departure,
    /// One stay ends today and another begins: the room must be turned around in between.
    DepartureAndArrival,
    /// The same stay last night and tonight.
    Stayover,
}

impl RoomOccupancy {
    pub fn label(self) -> &'static str {
        match self {
            RoomOccupancy::Vacant => "Vacant",
            RoomOccupancy::Arrival => "Arrival today",
            RoomOccupancy::Departure => "Departure today",
            RoomOccupancy::DepartureAndArrival => "Departure and arrival today",
            RoomOccupancy::Stayover => "Guest staying on",
        }
    }
}

/// One room on the housekeeping list.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HousekeepingRoom {
    pub number: u32,
    pub floor: i32,
    pub room_type: String,
    pub condition: RoomCondition,
    pub occupancy: RoomOccupancy,
    /// Out of order: out of service until further notice, or for a range of nights that
    /// includes tonight.
    pub out_of_order: bool,
    /// A guest is checked in and has not checked out, whatever the dates say (one due out
    /// and not gone yet too): the room is in use, not ready for the next guest.
    #[serde(default)]
    pub occupied: bool,
}

/// `GET /housekeeping[?limit=N&cursor=…]`: the rooms in service, by number.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HousekeepingList {
    /// The hotel's today, which `occupancy` refers to.
    pub date: Date,
    pub rooms: Vec<HousekeepingRoom>,
    /// Pass as `cursor` for the next page; absent on the last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `PUT /housekeeping/{number}`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConditionInput {
    pub condition: RoomCondition,
}

/// `POST /staff/bookings/{id}/check-in` (the body may be left out).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CheckInInput {
    /// Hand over the key although the room is still dirty (the guest agreed); written to the
    /// audit log as such.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub override_housekeeping: bool,
    /// Hand over the key although a guest due out of the room has not checked out (two stays
    /// in one room until then); written to the audit log as such.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub override_occupied: bool,
    /// Children of the party younger than the city tax's `exempt_under_age`: they pay none.
    #[serde(default, skip_serializing_if = "crate::is_zero")]
    #[cfg_attr(feature = "openapi", schema(maximum = 20))]
    pub city_tax_exempt: u32,
}
