//! Guests as people: the desk's record of who stays (name, contact, identity document, notes),
//! apart from sign-in accounts. Staff only.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::Booking;

/// A guest's profile.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Guest {
    pub id: i64,
    pub full_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub nationality: String,
    /// Passport, identity card, driving licence, …
    #[serde(default)]
    pub id_document_type: String,
    #[serde(default)]
    pub id_document_number: String,
    /// What the desk should know (allergies, preferences, …).
    #[serde(default)]
    pub notes: String,
    /// Whether the guest agreed to hear from the hotel.
    #[serde(default)]
    pub marketing_consent: bool,
    /// The language the hotel writes to the guest in.
    #[serde(default)]
    pub language: crate::Language,
    /// The account holding the guest's bookings: their own, or one without a password made at
    /// the desk.
    pub username: String,
}

/// `POST /staff/guests` and `PUT /staff/guests/{id}`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GuestInput {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub full_name: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub phone: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub address: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 60))]
    pub nationality: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub id_document_type: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 60))]
    pub id_document_number: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub notes: String,
    #[serde(default)]
    pub marketing_consent: bool,
    #[serde(default)]
    pub language: crate::Language,
    /// Add the guest although one with the same e-mail, telephone or name exists
    /// (`possible_duplicate` otherwise). Only when adding.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_duplicate: bool,
}

/// `GET /staff/guests[?q=…&limit=N&cursor=…]`, by name.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GuestList {
    pub guests: Vec<Guest>,
    /// Pass as `cursor` for the next page; absent on the last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `GET /staff/guests/{id}`: the guest and their stays, newest first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GuestRecord {
    pub guest: Guest,
    /// The latest 100 stays, newest arrival first.
    pub stays: Vec<Booking>,
}
