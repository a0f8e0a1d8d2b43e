//! The Hotel wire contract.
//!
//! Every body that crosses the wire is defined here once, so the server, the browser app and
//! the terminal client cannot disagree about a field. The fields of the original Python
//! protocol (`rooms`, `room_number`, `is_occupied`, `message`, `error`, `username`,
//! `password`, `num_rooms`, `new_room`) keep their names and meaning; everything else is an
//! extension that old clients simply ignore.

use serde::{Deserialize, Serialize};

pub mod channels;
pub mod codes;
pub mod date;
pub mod events;
pub mod folio;
pub mod guests;
pub mod housekeeping;
pub mod keys;
pub mod mail;
pub mod money;
pub mod privacy;
pub mod rates;
pub mod staff;
pub mod stay;
pub mod taxes;
pub mod webhooks;
pub mod words;

pub use codes::{AuditAction, ErrorCode, MessageKind, MessageStatus, Role, Unavailable};
pub use date::Date;

/// Endpoint paths, exactly as the original protocol spells them.
pub mod paths {
    pub const ROOMS: &str = "/rooms";
    pub const BOOK: &str = "/book";
    pub const QUERY: &str = "/query";
    pub const UPDATE: &str = "/update";
    pub const CHECKOUT: &str = "/checkout";
    pub const AVAILABILITY: &str = "/availability";
    pub const REGISTER: &str = "/register";
    pub const LOGIN: &str = "/login";
    pub const LOGOUT: &str = "/logout";
    pub const BOOKINGS: &str = "/bookings";
    pub const OCCUPANCY: &str = "/occupancy";
    pub const ME_PASSWORD: &str = "/me/password";
    pub const PASSWORD_RESET: &str = "/password-reset";
    pub const PASSWORD_RESET_CONFIRM: &str = "/password-reset/confirm";
    /// `POST` with the mailed link's token: the address is the account holder's.
    pub const VERIFY_EMAIL: &str = "/verify-email";
    /// `POST`: mail the signed-in guest a new link to confirm their address.
    pub const ME_VERIFY_EMAIL: &str = "/me/verify-email";
    pub const ME_EXPORT: &str = "/me/export";
    pub const ME_LANGUAGE: &str = "/me/language";
    pub const ME: &str = "/me";
    pub const HEALTHZ: &str = "/healthz";
    pub const OPENAPI: &str = "/openapi.json";
    pub const QUOTE: &str = "/quote";
    /// The hotel's name, address, times, description and photos.
    pub const HOTEL: &str = "/hotel";

    /// `GET`: one photo, by id (`HotelProfile::photos`).
    pub fn photo(id: i64) -> String {
        format!("/photos/{id}")
    }
    pub const CALENDAR_ICS: &str = "/calendar.ics";
    /// Rooms and their housekeeping state (roles `staff` and `housekeeper`).
    pub const HOUSEKEEPING: &str = "/housekeeping";

    pub fn housekeeping_room(number: u32) -> String {
        format!("{HOUSEKEEPING}/{number}")
    }

    /// Staff endpoints (role `staff`): the front desk, rooms and rates, reports, audit log.
    pub mod staff {
        pub const BOOKINGS: &str = "/staff/bookings";
        pub const FRONT_DESK: &str = "/staff/front-desk";
        pub const ROOM_TYPES: &str = "/staff/room-types";
        pub const ROOMS: &str = "/staff/rooms";
        pub const BLOCKS: &str = "/staff/blocks";
        /// Keys for programs (`POST` makes one, `DELETE /{id}` revokes it).
        pub const API_KEYS: &str = "/staff/api-keys";
        pub fn api_key(id: i64) -> String {
            format!("{API_KEYS}/{id}")
        }
        /// Addresses the hotel posts its events to.
        pub const WEBHOOKS: &str = "/staff/webhooks";
        pub const TAX_RATES: &str = "/staff/tax-rates";
        pub const CITY_TAX: &str = "/staff/city-tax";
        pub const PRICE_BASIS: &str = "/staff/price-basis";
        pub fn webhook(id: i64) -> String {
            format!("{WEBHOOKS}/{id}")
        }
        pub fn webhook_resume(id: i64) -> String {
            format!("{WEBHOOKS}/{id}/resume")
        }
        /// Booking sites' calendars the rooms import.
        pub const FEEDS: &str = "/staff/feeds";
        pub fn room_feeds(number: u32) -> String {
            format!("{ROOMS}/{number}/feeds")
        }
        pub fn feed(id: i64) -> String {
            format!("{FEEDS}/{id}")
        }
        pub fn feed_sync(id: i64) -> String {
            format!("{FEEDS}/{id}/sync")
        }
        /// `POST`: a new address for the room's calendar.
        pub fn room_ical_address(number: u32) -> String {
            format!("{ROOMS}/{number}/ical-address")
        }
        pub const REPORT: &str = "/staff/report";
        pub const REVENUE: &str = "/staff/revenue";
        pub const AUDIT: &str = "/staff/audit";
        pub const MESSAGES: &str = "/staff/messages";
        pub fn send_again(id: i64) -> String {
            format!("{MESSAGES}/{id}/send-again")
        }
        pub const TEMPLATES: &str = "/staff/templates";
        /// `GET`, `PUT`, `DELETE`: the wording of one kind of message in one language.
        pub fn template(kind: crate::MessageKind, language: crate::Language) -> String {
            format!("{TEMPLATES}/{}/{}", kind.as_str(), language.as_str())
        }
        pub fn template_preview(kind: crate::MessageKind, language: crate::Language) -> String {
            format!("{}/preview", template(kind, language))
        }
        pub const HOTEL: &str = "/staff/hotel";
        pub const PHOTOS: &str = "/staff/photos";
        pub const RATE_PLANS: &str = "/staff/rate-plans";
        pub const RATE_CALENDAR: &str = "/staff/rate-calendar";
        pub const QUOTE: &str = "/staff/quote";

        pub fn photo(id: i64) -> String {
            format!("{PHOTOS}/{id}")
        }

        pub fn check_in(id: i64) -> String {
            format!("{BOOKINGS}/{id}/check-in")
        }
        pub fn check_out(id: i64) -> String {
            format!("{BOOKINGS}/{id}/check-out")
        }
        pub fn move_to(id: i64) -> String {
            format!("{BOOKINGS}/{id}/move")
        }
        pub fn cancel(id: i64) -> String {
            format!("{BOOKINGS}/{id}/cancel")
        }
        pub fn cancellation(id: i64) -> String {
            format!("{BOOKINGS}/{id}/cancellation")
        }
        pub fn no_show(id: i64) -> String {
            format!("{BOOKINGS}/{id}/no-show")
        }
        pub fn bill(id: i64) -> String {
            format!("{BOOKINGS}/{id}/bill")
        }
        pub fn charges(id: i64) -> String {
            format!("{BOOKINGS}/{id}/charges")
        }
        pub fn payments(id: i64) -> String {
            format!("{BOOKINGS}/{id}/payments")
        }
        pub fn invoice(id: i64) -> String {
            format!("{BOOKINGS}/{id}/invoice")
        }
        pub fn cancel_invoice(id: i64) -> String {
            format!("{BOOKINGS}/{id}/invoice/cancel")
        }
        pub const GUESTS: &str = "/staff/guests";
        pub fn guest(id: i64) -> String {
            format!("{GUESTS}/{id}")
        }
        pub fn guest_export(id: i64) -> String {
            format!("{GUESTS}/{id}/export")
        }
        pub fn guest_erase(id: i64) -> String {
            format!("{GUESTS}/{id}/erase")
        }
        pub const EXTRAS: &str = "/staff/extras";
        pub fn extra(id: i64) -> String {
            format!("{EXTRAS}/{id}")
        }
        pub fn room_type(id: i64) -> String {
            format!("{ROOM_TYPES}/{id}")
        }
        pub fn room(number: u32) -> String {
            format!("{ROOMS}/{number}")
        }
        pub fn block(id: i64) -> String {
            format!("{BLOCKS}/{id}")
        }
    }

    /// Pages of the web app. A browser navigating to one gets the app, never an API answer,
    /// so none of them may be an API path.
    pub const PAGES: &[&str] = &[
        "/",
        "/signin",
        "/reserve",
        "/my-bookings",
        "/reset-password",
        "/confirm-email",
        "/desk",
        "/desk/calendar",
        "/desk/rooms",
        "/desk/reports",
        "/desk/audit",
        "/desk/hotel",
        "/desk/housekeeping",
        "/desk/bill",
        "/desk/guests",
        "/desk/rates",
        "/desk/messages",
        "/desk/letters",
    ];

    /// `DELETE` on this path cancels one upcoming stay.
    pub fn booking(id: i64) -> String {
        format!("{BOOKINGS}/{id}")
    }

    /// `GET`: a booking by its reference (JSON for programs, the confirmation page for a
    /// browser).
    pub fn reservation(reference: &str) -> String {
        format!("{BOOKINGS}/{reference}")
    }

    /// The booking as an iCalendar file, for "add to calendar".
    pub fn reservation_ics(reference: &str) -> String {
        format!("{BOOKINGS}/{reference}/calendar.ics")
    }
}

/// Name of the HttpOnly cookie that carries a session token for the browser app.
pub const SESSION_COOKIE: &str = "hotel_session";

/// The shortest password a new account may have.
pub const MIN_PASSWORD_LEN: usize = 8;
/// The longest username, in characters, after trimming.
pub const MAX_USERNAME_LEN: usize = 64;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Every error the server answers has this body (and a 4xx/5xx status).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ErrorBody {
    pub error: String,
    /// A stable word for programs (`wrong_password`, `no_rooms_available`, ...); the sentence
    /// in `error` may be reworded, the code is not.
    #[serde(default)]
    pub code: ErrorCode,
    /// How many rooms are free when a booking asked for more (409 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<u32>,
    /// What a restriction of the price calendar demands, when one refused the stay (409).
    /// (The browser app words a refusal by its `code` and skips these figures.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub restriction: Option<rates::RestrictionFigures>,
}

/// Plain acknowledgement.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MessageResponse {
    pub message: String,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoomStatus {
    pub room_number: u32,
    /// A stay covers the night asked about (tonight by default).
    pub is_occupied: bool,
    /// The room cannot be sold that night (maintenance); it is never offered or booked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub out_of_service: bool,
}

/// `GET /rooms[?date=YYYY-MM-DD]`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoomsResponse {
    /// Every room, by number.
    pub rooms: Vec<RoomStatus>,
    /// The night the answer is for.
    pub date: Date,
    pub free: u32,
    pub total: u32,
}

/// One room's nights in `GET /occupancy`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoomNights {
    pub room_number: u32,
    /// One entry per night from `from`: whether a stay holds the room that night.
    pub taken: Vec<bool>,
}

/// `GET /occupancy?from=YYYY-MM-DD&days=N`: the hotel as a picture, rooms down, nights across.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OccupancyResponse {
    pub from: Date,
    pub days: u32,
    pub rooms: Vec<RoomNights>,
}

/// `GET /me`: who the session belongs to.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    pub username: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The language the hotel writes to them in.
    #[serde(default)]
    pub language: Language,
    /// Whether they confirmed `email` through the link the hotel mailed.
    #[serde(default)]
    pub email_verified: bool,
}

/// `GET /availability?check_in=…&check_out=…`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AvailabilityResponse {
    pub check_in: Date,
    pub check_out: Date,
    pub nights: u32,
    /// Rooms free for every night of the range (and big enough for `guests`), by number.
    pub rooms: Vec<u32>,
    pub available: u32,
    #[serde(default = "one")]
    pub guests: u32,
}

fn yes() -> bool {
    true
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn one() -> u32 {
    1
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(not(feature = "lean"), derive(Deserialize))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// Confirmed; the room is held for every night of the stay.
    Booked,
    /// The guest has arrived and has the key.
    CheckedIn,
    /// The guest left; nights after the departure were released.
    CheckedOut,
    /// Called off before the stay began; every night was released.
    Cancelled,
    /// The guest never came; the nights from the day it was noted were released.
    NoShow,
}

impl BookingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Booked => "booked",
            BookingStatus::CheckedIn => "checked_in",
            BookingStatus::CheckedOut => "checked_out",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::NoShow => "no_show",
        }
    }

    /// In words, for people.
    pub fn label(self) -> &'static str {
        match self {
            BookingStatus::Booked => "booked",
            BookingStatus::CheckedIn => "checked in",
            BookingStatus::CheckedOut => "checked out",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::NoShow => "no-show",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "booked" => Some(BookingStatus::Booked),
            "checked_in" => Some(BookingStatus::CheckedIn),
            "checked_out" => Some(BookingStatus::CheckedOut),
            "cancelled" => Some(BookingStatus::Cancelled),
            "no_show" => Some(BookingStatus::NoShow),
            _ => None,
        }
    }
}

/// The guest portal's build (`lean`) reads a word enum by its `parse`: serde's derived enum
/// reader weighs a kilobyte each in the download.
#[cfg(feature = "lean")]
macro_rules! read_by_parse {
    ($name:ident) => {
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let word = std::borrow::Cow::<'de, str>::deserialize(d)?;
                $name::parse(&word).ok_or_else(|| {
                    serde::de::Error::custom(concat!("an unknown ", stringify!($name)))
                })
            }
        }
    };
}

#[cfg(feature = "lean")]
read_by_parse!(BookingStatus);
#[cfg(feature = "lean")]
read_by_parse!(Language);

/// One room for one stay. A booking of several rooms is several of these.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Booking {
    pub id: i64,
    pub room_number: u32,
    /// First night of the stay.
    pub check_in: Date,
    /// Departure day: the morning after the last night.
    pub check_out: Date,
    pub nights: u32,
    pub status: BookingStatus,
    /// Username of the guest the stay is for.
    #[serde(default)]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub guest: String,
    /// The guest's full name, when the hotel knows it (a profile, or a name given at sign-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub guest_name: Option<String>,
    /// How many people stay in the room.
    #[serde(default = "one")]
    pub guests: u32,
    /// Name of the room's type.
    #[serde(default)]
    pub room_type: String,
    /// The first night's price agreed at booking, in minor units of `currency` (cents for
    /// EUR); `night_prices` has every night's.
    #[serde(default)]
    pub rate: i64,
    /// What the stay costs: its nights' prices added up, in minor units.
    #[serde(default)]
    pub total: i64,
    /// The price of each night, as agreed when booking (later price changes never touch it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub night_prices: Vec<rates::NightPrice>,
    /// The rate plan it was booked on (absent for stays booked before plans existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub rate_plan_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub rate_plan: Option<String>,
    /// What cancelling it now would cost under its terms (`GET /bookings`, the guest's own
    /// list, only; `GET /bookings/{id}/cancellation` says more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_fee: Option<i64>,
    /// The cancellation and no-show terms it was booked under. (The guest's browser app reads
    /// a booking's terms as `StayTerms` from its reservation instead, and skips these: their
    /// decoder would cost every guest's download.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub terms: Option<rates::Terms>,
    /// ISO 4217 code of the hotel's currency.
    #[serde(default)]
    pub currency: String,
    /// The booking reference the guest quotes, shared by the rooms booked together
    /// (`GET /bookings/{reference}`).
    #[serde(default)]
    pub reference: String,
    /// When the booking last changed, to the millisecond (RFC 3339): made, moved, checked in
    /// or out, cancelled. `GET /staff/bookings?updated_since=` finds those changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub updated_at: Option<String>,
    /// The booking site or program it was sold through, as the booking named it
    /// (`booking.com`), and that site's own reference for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub external_reference: Option<String>,
}

/// `POST /register`: the original protocol's credentials, and optionally the person's name
/// and e-mail address (one account per address).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Registration {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false, max_length = 100))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false, format = Email, max_length = 254))]
    pub email: Option<String>,
    /// The language the hotel writes to the guest in (the site's, at sign-up): `en` or `de`;
    /// English if left out.
    // A plain string in the schema: a sign-up body without references is one every client
    // generator and fuzzer can fill in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, nullable = false, pattern = "^(en|de)$")
    )]
    pub language: Option<Language>,
}

/// `POST /password-reset`: a link to set a new password, mailed to the account's address.
/// Give one of the two.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PasswordResetRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(nullable = false, min_length = 1, max_length = 254)
    )]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(nullable = false, min_length = 1, max_length = 254)
    )]
    pub email: Option<String>,
}

/// `POST /password-reset/confirm`: the mailed link's token and the new password.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PasswordResetConfirm {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub token: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: String,
}

/// `POST /verify-email`: the token of the mailed link that confirms an address.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EmailToken {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub token: String,
}

/// `GET /bookings/{reference}`: one booking, every room of it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Reservation {
    pub reference: String,
    /// One per room, by room number.
    pub bookings: Vec<Booking>,
    /// What all rooms cost together, minor units.
    pub total: i64,
    pub currency: String,
    /// The last day (hotel time) the booking can be cancelled free of charge; absent when
    /// that has passed, or nothing of it can be cancelled any more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_cancellation_until: Option<Date>,
    /// The cancellation terms of its rooms still to come, fees for all of them together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<rates::StayTerms>,
    /// The city tax for its rooms to come, at the hotel's rule now, minor units (children
    /// exempt by age are taken off at check-in): on top of `total`, paid at the hotel, unless
    /// `city_tax_included`.
    #[serde(default)]
    pub city_tax: i64,
    #[serde(default)]
    pub city_tax_included: bool,
}

/// `POST /register` and `POST /login`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Credentials {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: String,
}

/// `POST /me/password`: the signed-in account's current password and the new one.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PasswordChange {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub current_password: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 8))]
    pub new_password: String,
}

/// Requests that identify the guest either by credentials in the body (as the original
/// protocol does) or by a session (bearer token or cookie), in which case both are omitted.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuthRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false, min_length = 1))]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false, min_length = 1))]
    pub password: Option<String>,
}

/// `POST /book`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BookRequest {
    #[serde(flatten)]
    pub auth: AuthRequest,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub num_rooms: u32,
    /// Defaults to today in the hotel's time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in: Option<Date>,
    /// Defaults to the day after check-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_out: Option<Date>,
    /// People per room; rooms too small are not offered. 1 when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub guests: Option<u32>,
    /// Book only rooms of this type (see `GET /quote`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_type_id: Option<i64>,
    /// The rate plan (see `GET /quote`); its room type's rooms only. The base plan otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_plan_id: Option<i64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BookResponse {
    /// `Rooms booked successfully: [1, 2, 3]`
    pub message: String,
    pub rooms: Vec<u32>,
    pub bookings: Vec<Booking>,
}

/// `POST /query` answer, and `GET /bookings`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct QueryResponse {
    /// `Your booked rooms: [1, 2]` or `You have not booked any rooms.`
    pub message: String,
    /// Rooms of the guest's current and upcoming stays, in the order they were acquired.
    pub rooms: Vec<u32>,
    /// Current and upcoming stays, in the order they were acquired (`GET /bookings`: by
    /// arrival day, a page at a time).
    pub bookings: Vec<Booking>,
    /// `GET /bookings` only: pass as `cursor` for the next page; absent on the last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `PUT /update`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UpdateRequest {
    #[serde(flatten)]
    pub auth: AuthRequest,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub new_room: u32,
    /// The stay to move; the guest's first stay when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_id: Option<i64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UpdateResponse {
    /// `Updated booking: released 1, assigned 8.` or `You already have room 8.`
    pub message: String,
    /// The room given up; absent when nothing moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released: Option<u32>,
    pub booking: Booking,
}

/// `DELETE /checkout`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CheckoutResponse {
    /// `Checked out successfully. Released rooms: [2, 3, 8]`
    pub message: String,
    pub released: Vec<u32>,
    pub bookings: Vec<Booking>,
}

/// `DELETE /bookings/{id}`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CancelResponse {
    pub message: String,
    pub booking: Booking,
    /// Every room cancelled (with `?all=true`, the whole booking; otherwise `booking` alone).
    #[serde(default)]
    pub bookings: Vec<Booking>,
    /// The cancellation fee charged, minor units (0 when free), for all rooms cancelled.
    #[serde(default)]
    pub fee: i64,
}

/// `POST /register`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RegisterResponse {
    pub message: String,
    pub username: String,
}

/// `POST /login`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginResponse {
    pub message: String,
    pub username: String,
    /// Send as `Authorization: Bearer <token>`; the browser gets it as a cookie too.
    pub token: String,
    /// RFC 3339, e.g. `2026-11-25T09:30:00Z`.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub expires_at: String,
}

/// `GET /healthz`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HealthResponse {
    pub status: String,
    /// ISO 4217 code of the hotel's currency.
    #[serde(default)]
    pub currency: String,
    pub rooms: u32,
    pub today: Date,
    pub timezone: String,
    /// Scheduled backups (`--backup-dir`), when they run: a failed backup or copy shows here
    /// without making the server unhealthy (it still takes bookings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backups: Option<BackupHealth>,
}

/// How the scheduled backups went, in `/healthz`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BackupHealth {
    /// When the last backup was written and checked (and copied, with `--backup-command`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_success: Option<String>,
    /// What went wrong in the last turn, in a sentence without paths; the log has the rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// The language the hotel writes to a guest in (its messages; the site follows the browser).
#[derive(Serialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(not(feature = "lean"), derive(Deserialize))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    De,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::De];

    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::De => "de",
        }
    }

    /// A stored or sent code; `None` for one this build does not speak.
    pub fn parse(code: &str) -> Option<Language> {
        match code {
            "en" => Some(Language::En),
            "de" => Some(Language::De),
            _ => None,
        }
    }

    /// The language's own name, for a picker.
    pub fn name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::De => "Deutsch",
        }
    }
}

/// `PUT /me/language`: the language the hotel writes to the signed-in guest in.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LanguageChoice {
    pub language: Language,
}

/// Formats room numbers the way the original server printed a Python list: `[1, 2, 3]`.
pub fn room_list(rooms: &[u32]) -> String {
    let inner: Vec<String> = rooms.iter().map(u32::to_string).collect();
    format!("[{}]", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_list_matches_python_repr() {
        assert_eq!(room_list(&[]), "[]");
        assert_eq!(room_list(&[7]), "[7]");
        assert_eq!(room_list(&[2, 3, 8]), "[2, 3, 8]");
    }

    #[test]
    fn book_request_omits_absent_credentials_and_dates() {
        let req = BookRequest {
            auth: AuthRequest::default(),
            num_rooms: 2,
            check_in: None,
            check_out: None,
            guests: None,
            room_type_id: None,
            rate_plan_id: None,
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap_or_default(),
            r#"{"num_rooms":2}"#
        );
    }

    #[test]
    fn booking_dates_travel_as_iso_strings() {
        let json = r#"{"id":4,"room_number":3,"check_in":"2026-12-01","check_out":"2026-12-04","nights":3,"status":"booked","guest":"ann","guests":2,"room_type":"Double","rate":9500,"total":28500,"currency":"EUR","reference":"K7M4QX2P"}"#;
        let b: Booking = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.check_in, date::date(2026, 12, 1));
        assert_eq!(b.status, BookingStatus::Booked);
        assert_eq!(serde_json::to_string(&b).unwrap_or_default(), json);
    }
}
