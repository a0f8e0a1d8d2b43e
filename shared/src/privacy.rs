//! A guest's personal data, as the law gives it to them: all of it in one document, and
//! erased on request (but for what the law says the hotel must keep).

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::Booking;
use crate::folio::Bill;
use crate::guests::Guest;
use crate::staff::AuditEntry;

/// `GET /staff/guests/{id}/export` and `GET /me/export`: everything the hotel keeps about one
/// guest, as JSON.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GuestExport {
    /// RFC 3339 time of the export.
    pub exported_at: String,
    /// The hotel that keeps the data.
    pub hotel: String,
    /// The desk's record of the guest, if it has one (a guest who only booked online may not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Guest>,
    pub account: ExportedAccount,
    /// Every stay, cancelled ones too, newest arrival first.
    pub bookings: Vec<Booking>,
    /// Each stay's bill with its payments, and its invoice once issued.
    pub bills: Vec<Bill>,
    /// Messages the hotel wrote to the guest, oldest first, with what each says.
    pub messages: Vec<crate::mail::MessageContent>,
    /// Entries of the audit log about the guest, their account or their stays, or made by
    /// them, oldest first.
    pub audit: Vec<AuditEntry>,
}

/// The sign-in account holding a guest's bookings (without its password's hash).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExportedAccount {
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// Whether the guest can sign in with a password (an account made at the desk cannot).
    pub has_password: bool,
}

/// `POST /staff/guests/{id}/erase`: what was erased and what the law keeps.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct GuestErased {
    pub message: String,
    /// The profile as it is now: a placeholder name and nothing else.
    pub guest: Guest,
    /// Issued invoices, which keep the name and address they were issued to for the legal
    /// period; amounts, dates and stays are kept without the guest's name.
    pub invoices_kept: Vec<String>,
}
