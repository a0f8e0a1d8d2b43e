//! Rooms, rates, quotes and the staff side of the API.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::{Booking, Date};

/// A kind of room the hotel sells at one nightly rate.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoomType {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Most guests one room of this type sleeps.
    pub capacity: u32,
    /// Nightly rate in minor units of `currency`.
    pub rate: i64,
    pub currency: String,
    /// Retired types are no longer sold; rooms and bookings keep them.
    pub retired: bool,
    /// The address of the type's calendar (the nights none of its rooms can be sold) for
    /// booking sites; `POST /staff/room-types/{id}/ical-address` gives it a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ical_url: Option<String>,
    /// The tax rate its prices carry (`/staff/tax-rates`); absent: none set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_rate_id: Option<i64>,
}

/// `GET /staff/room-types[?limit=N&cursor=…]`: sold types first, by rate.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoomTypeList {
    pub room_types: Vec<RoomType>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `GET /staff/rooms[?limit=N&cursor=…]`: rooms in use first, by number.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoomList {
    pub rooms: Vec<Room>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `GET /staff/blocks[?limit=N&cursor=…]`: ranges that have not ended, by first night.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BlockList {
    pub blocks: Vec<RoomBlock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `POST /staff/room-types` and `PUT /staff/room-types/{id}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoomTypeInput {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 20))]
    pub capacity: u32,
    /// Nightly rate in minor units. A change applies to new bookings only.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub rate: i64,
    /// The tax rate its prices carry (`/staff/tax-rates`): absent leaves it as it is,
    /// `null` takes it off.
    #[serde(
        default,
        deserialize_with = "crate::rates::change",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub tax_rate_id: crate::rates::Change<i64>,
}

/// One room as the staff manage it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Room {
    pub number: u32,
    pub room_type_id: i64,
    pub room_type: String,
    pub floor: i32,
    pub capacity: u32,
    pub rate: i64,
    /// Why the room is out of service; absent when it is in service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_service: Option<String>,
    /// Retired rooms are gone from the hotel; their past bookings remain.
    pub retired: bool,
    /// Clean, dirty or inspected (`PUT /housekeeping/{number}` changes it).
    #[serde(default)]
    pub condition: crate::housekeeping::RoomCondition,
    /// The address of the room's calendar (the nights it cannot be sold) for booking sites to
    /// import; `POST /staff/rooms/{number}/ical-address` gives it a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ical_url: Option<String>,
}

/// `POST /staff/rooms` (with `number`) and `PUT /staff/rooms/{number}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoomInput {
    /// Only when creating; the path names the room when editing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000))]
    pub number: Option<u32>,
    pub room_type_id: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = -10, maximum = 500))]
    pub floor: i32,
    /// A reason takes the room out of service until cleared with `null`.
    #[serde(default)]
    pub out_of_service: Option<String>,
}

/// A room out of service for some nights (`from` up to, not including, `to`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoomBlock {
    pub id: i64,
    pub room_number: u32,
    pub from: Date,
    pub to: Date,
    pub reason: String,
    /// The calendar feed the range was imported from (`GET /staff/feeds`); absent for ranges
    /// staff entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_id: Option<i64>,
}

/// `POST /staff/blocks`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BlockInput {
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000))]
    pub room_number: u32,
    pub from: Date,
    pub to: Date,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub reason: String,
}

/// One offer for a stay in `GET /quote`: a room type on one of its rate plans.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct QuoteOption {
    pub room_type_id: i64,
    pub room_type: String,
    pub description: String,
    pub capacity: u32,
    pub rate_plan_id: i64,
    pub rate_plan: String,
    /// The type's base plan (the one `POST /book` takes without `rate_plan_id`).
    pub base: bool,
    /// The first night's price, minor units (`nights` has each night's).
    pub rate: i64,
    /// The nights' prices added up, for one room, minor units.
    pub total: i64,
    /// Each night of the stay and its price.
    #[serde(default)]
    pub nights: Vec<crate::rates::NightPrice>,
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub currency: String,
    /// Cancellation and no-show terms for this stay.
    pub terms: crate::rates::StayTerms,
    /// Rooms of this type free for the whole stay.
    pub available: u32,
    /// Their numbers, ascending: on the type's first offer only (the same for each plan).
    #[serde(default)]
    pub rooms: Vec<u32>,
    /// The city tax for the stay in one room, minor units (0 where the hotel has none): on
    /// top of `total`, paid at the hotel, unless `city_tax_included`.
    #[serde(default)]
    pub city_tax: i64,
    /// `total` already holds `city_tax`.
    #[serde(default)]
    pub city_tax_included: bool,
    /// Prices include VAT (what guests pay, also where the hotel enters prices before VAT).
    #[serde(default = "crate::yes")]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub vat_included: bool,
    /// What the plan's price includes besides the room, in words: the names of the extras
    /// it includes ("Breakfast, Parking"; the plan's `includes` has their ids).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub included: String,
}

/// `GET /quote?check_in=…&check_out=…&guests=N`: what a stay costs, per room type that
/// sleeps `guests`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct QuoteResponse {
    pub check_in: Date,
    pub check_out: Date,
    pub nights: u32,
    pub guests: u32,
    pub currency: String,
    pub options: Vec<QuoteOption>,
    /// How many rooms were asked for (1 unless `rooms` was given).
    #[serde(default = "crate::one")]
    pub rooms: u32,
    /// Why no room type can take the stay, when none can (for `restricted`, `not_offered`
    /// says which restriction closed each type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<crate::Unavailable>,
    /// Offers a restriction leaves out, and why (`min_stay`, `closed`, …). (The browser app
    /// says `restricted` in its own words and skips these.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub not_offered: Vec<NotOffered>,
}

/// A room type and plan that cannot be sold for the stay asked about, and why.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NotOffered {
    pub room_type_id: i64,
    pub rate_plan_id: i64,
    /// `min_stay`, `max_stay`, `closed`, `closed_to_arrival`, `closed_to_departure` or `advance`.
    pub code: String,
    pub message: String,
}

/// A photo of the hotel (`room_type_id` absent) or of a room type.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Photo {
    pub id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_type_id: Option<i64>,
    /// Where to fetch it (`GET /photos/{id}`); it never changes, so it is cached for long.
    pub url: String,
}

/// `GET /hotel`: what the guest site shows about the hotel.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HotelProfile {
    /// The hotel's own words (`PUT /staff/hotel`).
    pub details: HotelDetails,
    pub currency: String,
    /// IANA name of the hotel's time zone.
    pub timezone: String,
    pub photos: Vec<Photo>,
}

/// `PUT /staff/hotel`: the hotel's own words.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HotelDetails {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub address: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 50))]
    pub phone: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    /// From when guests may check in, `HH:MM` in the hotel's time zone.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub check_in_from: String,
    /// Until when guests check out on their departure day, `HH:MM`.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub check_out_until: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub house_rules: String,
    /// The name the hotel trades under by law ("Seeblick Hotel GmbH"), printed on invoices;
    /// `name` when empty.
    #[serde(default)]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub legal_name: String,
    /// The tax office's number for the hotel ("Steuernummer"), printed on invoices.
    #[serde(default)]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub tax_number: String,
    /// The hotel's VAT identification number ("DE123456789"), printed on invoices.
    #[serde(default)]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    pub vat_id: String,
}

/// `GET /staff/bookings`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BookingList {
    pub bookings: Vec<Booking>,
    /// Pass as `cursor` for the next page; absent on the last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `GET /staff/front-desk[?date=…]`: the day at the front desk.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FrontDesk {
    pub date: Date,
    /// Stays starting today, not yet checked in.
    pub arrivals: Vec<Booking>,
    /// Stays ending today whose guest has not checked out.
    pub departures: Vec<Booking>,
    /// Guests checked in and not yet gone.
    pub in_house: Vec<Booking>,
    /// Rooms of today's arrivals that are not clean yet (checking in asks for an override).
    #[serde(default)]
    pub rooms_not_ready: Vec<u32>,
    /// Stays imported from booking sites' calendars on nights the hotel sold itself.
    #[serde(default)]
    pub calendar_conflicts: Vec<crate::channels::CalendarConflict>,
}

/// The answer to a staff action on one booking.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BookingAction {
    pub message: String,
    pub booking: Booking,
    /// A cancellation or no-show fee charged by the action, minor units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<i64>,
}

/// `PATCH /staff/bookings/{id}`: a booking's dates, party, room type or rate plan changed in
/// one step. Fields left out stay as booked; at least one is given.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BookingChangeInput {
    /// A stay checked in keeps its arrival day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_out: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 20))]
    pub guests: Option<u32>,
    /// Another room type (not for a stay checked in: move it to a room instead); its base
    /// plan unless `rate_plan_id` names another of its plans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_type_id: Option<i64>,
    /// Another rate plan of the room type, hidden ones too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_plan_id: Option<i64>,
    /// The price per night agreed with a booking site, in minor units: every night of the
    /// changed stay costs this. Without it nights are priced as described above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(nullable = false, minimum = 0, maximum = 100_000_000)
    )]
    pub nightly_price: Option<i64>,
    /// Change although the rates calendar closes the new stay (audited as
    /// `booking.change_despite_restriction`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub override_restrictions: bool,
}

/// The answer to `PATCH /staff/bookings/{id}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BookingChanged {
    pub message: String,
    /// The booking as it now is: the same id and reference.
    pub booking: Booking,
    /// What the stay cost before the change, minor units.
    pub previous_total: i64,
    /// `booking.total - previous_total`: what the guest pays more (or, negative, less).
    pub difference: i64,
}

/// `POST /staff/bookings/{id}/move`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MoveInput {
    pub room_number: u32,
    /// Keep the booked rate in a room of another type (an upgrade on the house, written to
    /// the audit log); otherwise the remaining nights are charged at the new type's rate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub complimentary: bool,
}

/// `POST /staff/bookings`: a booking made at the desk (walk-in or telephone).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WalkInInput {
    /// The guest's profile (`GET/POST /staff/guests`): how the desk names a guest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest_id: Option<i64>,
    /// Or a username; an account without a password is made if there is none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub guest: String,
    /// Or a new guest profile, added in the same transaction as the booking: a booking that
    /// fails adds no guest. Refused as a likely duplicate like `POST /staff/guests`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_guest: Option<crate::guests::GuestInput>,
    /// Hand over the key at once (the stay must begin today).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub check_in_now: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_out: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 20))]
    pub guests: Option<u32>,
    /// A particular room; otherwise the lowest free room (of `room_type_id` if given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1_000_000))]
    pub room_number: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_type_id: Option<i64>,
    /// A rate plan of the room's type, hidden ones too; the base plan otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_plan_id: Option<i64>,
    /// Book although the rates calendar closes the stay (a closed night, a stop-sell, a
    /// minimum or maximum stay, an advance rule): without it the desk is refused as guests
    /// are, with the restriction's code; with it the audit log records
    /// `booking.create_despite_restriction`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub override_restrictions: bool,
    /// E-mail the booking confirmation to the guest's address (when they have one). Absent
    /// means yes.
    #[serde(default = "crate::yes", skip_serializing_if = "Clone::clone")]
    #[cfg_attr(feature = "openapi", schema(default = true))]
    pub send_confirmation: bool,
    /// The booking site or program that sold the stay (`booking.com`, `airbnb`): lower-case
    /// letters, digits, `.`, `_` and `-`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            nullable = false,
            min_length = 1,
            max_length = 40,
            pattern = "^[a-z0-9][a-z0-9._-]{0,39}$"
        )
    )]
    pub channel: Option<String>,
    /// That site's reference for the booking (needs `channel`): printable characters without
    /// spaces. While the booking stands, a second one with the same channel and reference is
    /// refused (409 `external_reference_exists`), so a site that sends a booking twice does
    /// not book twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            nullable = false,
            min_length = 1,
            max_length = 100,
            pattern = "^[!-~]{1,100}$"
        )
    )]
    pub external_reference: Option<String>,
    /// The price per night agreed with the site, in minor units, instead of the plan's
    /// prices: every night of the stay costs this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(nullable = false, minimum = 0, maximum = 100_000_000)
    )]
    pub nightly_price: Option<i64>,
}

/// One night of `GET /staff/report`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReportDay {
    pub date: Date,
    /// Rooms that could be sold that night (in service, not blocked).
    pub available: u32,
    pub sold: u32,
    pub occupancy_pct: f64,
    /// Room revenue of the night, minor units.
    pub revenue: i64,
}

/// `GET /staff/report?from=…&to=…`: nights `from` up to, not including, `to`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Report {
    pub from: Date,
    pub to: Date,
    pub currency: String,
    /// Room-nights that could be sold.
    pub available: u32,
    /// Room-nights sold.
    pub sold: u32,
    /// sold ÷ available × 100.
    pub occupancy_pct: f64,
    /// Minor units.
    pub revenue: i64,
    /// Average daily rate: revenue ÷ room-nights sold, minor units.
    pub adr: i64,
    /// Revenue per available room-night, minor units.
    pub revpar: i64,
    pub days: Vec<ReportDay>,
    /// Room-nights sold and room revenue per room type.
    #[serde(default)]
    pub by_room_type: Vec<RoomTypeFigures>,
    /// Money from the bills, by the day it was posted: extras and other charges, discounts,
    /// and payments less refunds, minor units.
    #[serde(default)]
    pub bills: BillFigures,
}

/// One room type's share of a report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoomTypeFigures {
    pub room_type: String,
    pub sold: u32,
    /// Minor units.
    pub revenue: i64,
}

/// What the bills of a report's nights brought in, minor units.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BillFigures {
    pub extras: i64,
    pub discounts: i64,
    /// Cancellation and no-show fees charged.
    #[serde(default)]
    pub fees: i64,
    /// Payments less refunds.
    pub payments: i64,
}

/// One change in the audit log.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339 time of the change.
    pub at: String,
    /// Username of whoever made it (`hotel-server` for the command line).
    pub actor: String,
    pub action: crate::AuditAction,
    /// `booking`, `room`, `room_type`, `block` or `user`.
    pub entity: String,
    pub entity_id: String,
    /// The record before the change, as JSON text; absent for a creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The record after the change, as JSON text; absent for a removal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// `GET /staff/audit[?action=…&actor=…&booking=…&from=…&to=…&limit=N&cursor=…]`, newest first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditLog {
    pub entries: Vec<AuditEntry>,
    /// Pass as `cursor` for older entries; absent when the oldest is on this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
