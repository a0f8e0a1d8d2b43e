//! The closed lists of words the API speaks in: error codes, roles and audit actions. Each is
//! an enum written on the wire as the same lowercase string it always was, so no client
//! breaks; each has `ALL`, so a test can hold the server, the OpenAPI document and the web
//! app's words against the whole list.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares a closed list of wire words: the enum, its strings, `ALL`, parsing, serde and
/// (with the `openapi` feature) a string schema with every value. `unknown` names the variant a
/// client decodes a word it does not know into (a newer server's); it is not in `ALL`.
macro_rules! wire_words {
    (
        $(#[$meta:meta])*
        pub enum $name:ident unknown $unknown:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $word:literal, )+
        }
    ) => {
        wire_words! {
            $(#[$meta])*
            pub enum $name unknown $unknown {
                $( $(#[$vmeta])* $variant = $word, )+
            }
            staff_only {}
        }
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident unknown $unknown:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $word:literal, )+
        }
        staff_only {
            $( $(#[$smeta:meta])* $svariant:ident = $sword:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            $( $(#[$smeta])* $svariant, )*
            /// A word this build does not know (sent by a newer server).
            $unknown,
        }

        impl $name {
            /// Every word the server may send, in the order declared.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+ $($name::$svariant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $word, )+
                    // The guest portal's build (`lean`) never meets the words only staff
                    // and integrations are told; it reads them as unknown and carries none.
                    $(
                        #[cfg(not(feature = "lean"))]
                        $name::$svariant => $sword,
                        #[cfg(feature = "lean")]
                        $name::$svariant => "unknown",
                    )*
                    $name::$unknown => "unknown",
                }
            }

            /// The variant for a word; the `unknown` one for any other.
            pub fn parse(word: &str) -> $name {
                match word {
                    $( $word => $name::$variant, )+
                    $(
                        #[cfg(not(feature = "lean"))]
                        $sword => $name::$svariant,
                    )*
                    _ => $name::$unknown,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let word = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok($name::parse(&word))
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some($name::ALL.iter().map(|w| w.as_str())))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

wire_words! {
    /// The stable `code` of every error body. A program branches on it, never on the sentence.
    pub enum ErrorCode unknown Unknown {
        // The request itself.
        InvalidRequest = "invalid_request",
        InvalidJson = "invalid_json",
        JsonRequired = "json_required",
        InvalidCharacters = "invalid_characters",
        DateOutOfRange = "date_out_of_range",
        BodyTooLarge = "body_too_large",
        BodyTimeout = "body_timeout",
        MethodNotAllowed = "method_not_allowed",
        NotFound = "not_found",
        CrossSiteRequest = "cross_site_request",
        // Who is asking.
        WrongPassword = "wrong_password",
        SessionExpired = "session_expired",
        NotSignedIn = "not_signed_in",
        StaffOnly = "staff_only",
        AccountNotFound = "account_not_found",
        UsernameTaken = "username_taken",
        EmailTaken = "email_taken",
        PasswordTooCommon = "password_too_common",
        // Limits against floods and hoarding.
        TooManySignInAttempts = "too_many_sign_in_attempts",
        /// Too many password-reset requests or wrong reset links from this address.
        TooManyResetAttempts = "too_many_reset_attempts",
        /// The reset link is unknown, used already or more than an hour old.
        ResetLinkInvalid = "reset_link_invalid",
        /// The link to confirm an e-mail address is unknown, used, past its days, or for an
        /// address the account no longer holds.
        EmailLinkInvalid = "email_link_invalid",
        TooManySignups = "too_many_signups",
        TooManyBookings = "too_many_bookings",
        TooManyRoomNights = "too_many_room_nights",
        TooManyChanges = "too_many_changes",
        GuestLimitReached = "guest_limit_reached",
        BookingTooLarge = "booking_too_large",
        TooManyConnections = "too_many_connections",
        Busy = "busy",
        // Rooms and stays.
        NoRoomsAvailable = "no_rooms_available",
        NotEnoughRooms = "not_enough_rooms",
        InvalidRoom = "invalid_room",
        RoomOccupied = "room_occupied",
        RoomOutOfService = "room_out_of_service",
        RoomTooSmall = "room_too_small",
        NoBookingToUpdate = "no_booking_to_update",
        NoBookedRooms = "no_booked_rooms",
        BookingNotFound = "booking_not_found",
        BookingNotActive = "booking_not_active",
        BookingAlreadyStarted = "booking_already_started",
        // What the price calendar allows.
        Closed = "closed",
        ClosedToArrival = "closed_to_arrival",
        ClosedToDeparture = "closed_to_departure",
        MinStay = "min_stay",
        MaxStay = "max_stay",
        Advance = "advance",
        RatePlanNotFound = "rate_plan_not_found",
        RatePlanMismatch = "rate_plan_mismatch",
        // The catalogue.
        RoomTypeNotFound = "room_type_not_found",
        RoomTypeRetired = "room_type_retired",
        // The server's own state.
        Timeout = "timeout",
        Unconfirmed = "unconfirmed",
        ShuttingDown = "shutting_down",
        DatabaseUnavailable = "database_unavailable",
        DatabaseLost = "database_lost",
        DatabaseFailing = "database_failing",
        DatabaseSlow = "database_slow",
        Internal = "internal",
    }
    // Only staff and integrations are told these; the guest portal's build reads them as
    // unknown, and its download carries none of their words.
    staff_only {
        RatePlanNameTaken = "rate_plan_name_taken",
        RoomNotFound = "room_not_found",
        PhotoTooLarge = "photo_too_large",
        UnsupportedImage = "unsupported_image",
        AlreadyCheckedIn = "already_checked_in",
        RoomNotClean = "room_not_clean",
        RoomNotVacated = "room_not_vacated",
        NotArrivedYet = "not_arrived_yet",
        BasePlanFixed = "base_plan_fixed",
        PhotoNotFound = "photo_not_found",
        PhotoStorageFull = "photo_storage_full",
        NotAnImage = "not_an_image",
        InvalidPosting = "invalid_posting",
        InvoiceIssued = "invoice_issued",
        RefundExceedsPayments = "refund_exceeds_payments",
        StayNotBegun = "stay_not_begun",
        BalanceOpen = "balance_open",
        ExtraNotFound = "extra_not_found",
        ExtraNameTaken = "extra_name_taken",
        GuestNotFound = "guest_not_found",
        GuestInHouse = "guest_in_house",
        GuestHasStaysAhead = "guest_has_stays_ahead",
        NotAGuest = "not_a_guest",
        PossibleDuplicate = "possible_duplicate",
        /// An `Idempotency-Key` that is empty, longer than 255 characters or not printable ASCII.
        IdempotencyKeyInvalid = "idempotency_key_invalid",
        /// The `Idempotency-Key` was used by this caller for another request (another method,
        /// path or body) within 24 hours.
        IdempotencyKeyReused = "idempotency_key_reused",
        /// A request with this `Idempotency-Key` is still being worked on: try again shortly.
        IdempotencyKeyInProgress = "idempotency_key_in_progress",
        /// `GET /events` was asked to go on after a position whose next events are no longer
        /// kept (30 days): read again from the start and compare.
        EventsForgotten = "events_forgotten",
        RoomTypeNameTaken = "room_type_name_taken",
        RoomTypeInUse = "room_type_in_use",
        RoomExists = "room_exists",
        RoomHasStays = "room_has_stays",
        OutOfServiceRangeNotFound = "out_of_service_range_not_found",
        /// The query string names a parameter the address does not take (misspelt, or
        /// from another endpoint); the message names it.
        UnknownParameter = "unknown_parameter",
        /// No calendar feed with this id.
        FeedNotFound = "feed_not_found",
        /// The room imports this calendar address already.
        FeedExists = "feed_exists",
        /// The request carried an API key (`hk_…`) that is unknown or revoked.
        ApiKeyInvalid = "api_key_invalid",
        /// The API key's scopes do not cover this request, or no key may make it (the
        /// hotel's set-up, accounts, keys): the message says which.
        ScopeMissing = "scope_missing",
        /// A standing booking has this `channel` and `external_reference` already: the site
        /// sent it before. The message names the booking.
        ExternalReferenceExists = "external_reference_exists",
        /// No webhook with this id.
        WebhookNotFound = "webhook_not_found",
        /// No API key with this id (or name).
        ApiKeyNotFound = "api_key_not_found",
        /// An API key with this name exists already, revoked or not.
        ApiKeyExists = "api_key_exists",
        /// No tax rate with this id.
        TaxRateNotFound = "tax_rate_not_found",
        /// A tax rate with this name exists already.
        TaxRateExists = "tax_rate_exists",
        MessageNotFound = "message_not_found",
        /// The message is being sent this moment; its outcome shows shortly.
        MessageBeingSent = "message_being_sent",
        /// A password-reset link is not sent twice: the guest asks for a new one.
        MessageNotResendable = "message_not_resendable",
        /// A template with a placeholder its message does not know, an unclosed `{{`, or a
        /// blank or overlong part; the message says which.
        TemplateInvalid = "template_invalid",
        /// A message's preview needs a booking, and the hotel has none (or not that one).
        NoBookingToPreview = "no_booking_to_preview",
        MetricsOff = "metrics_off",
    }
}

wire_words! {
    /// What an account may do. A word the server does not know grants nothing.
    pub enum Role unknown Unknown {
        Guest = "guest",
        Staff = "staff",
        /// Sees rooms and their housekeeping state only: no guest data, no money.
        Housekeeper = "housekeeper",
    }
}

wire_words! {
    /// What a change recorded in the audit log (and announced as an event) did.
    pub enum AuditAction unknown Unknown {
        BookingCreate = "booking.create",
        BookingCheckIn = "booking.check_in",
        BookingCheckInRoomNotClean = "booking.check_in_room_not_clean",
        BookingCheckInRoomOccupied = "booking.check_in_room_occupied",
        BookingCreateDespiteRestriction = "booking.create_despite_restriction",
        BookingCheckOut = "booking.check_out",
        BookingCancel = "booking.cancel",
        BookingCancelFeeWaived = "booking.cancel_fee_waived",
        BookingNoShow = "booking.no_show",
        BookingMove = "booking.move",
        BookingMoveComplimentary = "booking.move_complimentary",
        BookingChange = "booking.change",
        BookingChangeDespiteRestriction = "booking.change_despite_restriction",
        RoomCreate = "room.create",
        RoomUpdate = "room.update",
        RoomRetire = "room.retire",
        RoomRestore = "room.restore",
        RoomHousekeeping = "room.housekeeping",
        RoomTypeCreate = "room_type.create",
        RoomTypeUpdate = "room_type.update",
        RoomTypeRetire = "room_type.retire",
        RoomTypeRestore = "room_type.restore",
        BlockCreate = "block.create",
        BlockRemove = "block.remove",
        /// A booking site's calendar was attached to a room (entity `ical_feed`).
        IcalFeedAdd = "ical_feed.add",
        IcalFeedRemove = "ical_feed.remove",
        /// A sync of a feed changed the room's imported stays (the counts in `after`).
        IcalSync = "ical.sync",
        /// An imported stay lies on nights the hotel sold in the room itself.
        IcalConflict = "ical.conflict",
        /// A room's or a room type's calendar got a new address; the old one stops working.
        IcalAddressReplace = "ical.address_replace",
        /// A webhook was added (entity `webhook`); never its secret.
        WebhookCreate = "webhook.create",
        WebhookRemove = "webhook.remove",
        /// A webhook was set going again, from where it was or from an earlier event.
        WebhookResume = "webhook.resume",
        /// A key for programs was made (entity `api_key`); never its secret.
        ApiKeyCreate = "api_key.create",
        /// A key for programs was revoked.
        ApiKeyRevoke = "api_key.revoke",
        /// A tax rate was added (entity `tax_rate`).
        TaxRateCreate = "tax_rate.create",
        /// A tax rate got a percent from a day on.
        TaxRateChange = "tax_rate.change",
        /// The hotel's city tax was set, changed or removed (entity `hotel`, `city_tax`).
        CityTaxChange = "city_tax.change",
        /// Prices were switched to entered before VAT or with it (entity `hotel`, `price_basis`).
        PriceBasisChange = "price_basis.change",
        RatePlanCreate = "rate_plan.create",
        RatePlanUpdate = "rate_plan.update",
        RatePlanRetire = "rate_plan.retire",
        RateCalendarSet = "rate_calendar.set",
        ExtraCreate = "extra.create",
        ExtraUpdate = "extra.update",
        ExtraRetire = "extra.retire",
        ExtraRestore = "extra.restore",
        FolioRoom = "folio.room",
        FolioCharge = "folio.charge",
        FolioDiscount = "folio.discount",
        FolioPayment = "folio.payment",
        FolioRefund = "folio.refund",
        FolioNote = "folio.note",
        FolioFee = "folio.fee",
        InvoiceIssue = "invoice.issue",
        /// An invoice was reversed by a cancellation invoice (`after` is the cancellation).
        InvoiceCancel = "invoice.cancel",
        GuestCreate = "guest.create",
        GuestUpdate = "guest.update",
        GuestExport = "guest.export",
        UserLanguage = "user.language",
        GuestErase = "guest.erase",
        GuestIdDocumentForgotten = "guest.id_document_forgotten",
        MessageSendAgain = "message.send_again",
        /// Staff saved their own wording of a message (entity `message_template`, id
        /// `confirmation.de`).
        MessageTemplateUpdate = "message_template.update",
        /// Staff went back to the wording that ships with the server.
        MessageTemplateReset = "message_template.reset",
        HotelUpdate = "hotel.update",
        HotelTimezone = "hotel.timezone",
        PhotoAdd = "photo.add",
        PhotoRemove = "photo.remove",
        UserCreate = "user.create",
        UserPasswordChange = "user.password_change",
        UserPasswordReset = "user.password_reset",
        /// The account holder confirmed their e-mail address through the mailed link.
        UserEmailVerified = "user.email_verified",
        RoleGrant = "role.grant",
        RoleGrantHousekeeper = "role.grant_housekeeper",
        RoleRevoke = "role.revoke",
    }
}

wire_words! {
    /// Why a quote has no offer that can take the stay.
    pub enum Unavailable unknown Unknown {
        /// No room sleeps the party.
        PartyTooLarge = "party_too_large",
        /// Too few rooms are free on those nights.
        SoldOut = "sold_out",
        /// More room-nights than one booking may hold.
        BookingTooLarge = "booking_too_large",
        /// Every type that would fit is closed for the stay by a restriction.
        Restricted = "restricted",
    }
}

wire_words! {
    /// What a message the hotel sends a guest is about.
    pub enum MessageKind unknown Unknown {
        /// A new booking, with its details and a calendar entry.
        Confirmation = "confirmation",
        /// A booking moved to another room (its dates, party and price as they are now).
        Change = "change",
        /// A booking called off, with any fee.
        Cancellation = "cancellation",
        /// A link to set a new password ("Forgot password?").
        PasswordReset = "password_reset",
        /// A few days before arrival: the stay, the check-in time, the way to the hotel.
        Reminder = "reminder",
        /// After check-out: the invoice, as a PDF.
        Invoice = "invoice",
        /// After an online sign-up with an address: a link to confirm it.
        EmailVerification = "email_verification",
    }
}

wire_words! {
    /// Where a message stands.
    pub enum MessageStatus unknown Unknown {
        /// Waiting to be sent, or to be tried again (`next_attempt_at`).
        Queued = "queued",
        /// The mail server took it.
        Sent = "sent",
        /// Given up: refused for good by the mail server, or still refused a day on.
        Failed = "failed",
    }
}

impl Default for ErrorCode {
    /// An error body without a code (not one of ours).
    fn default() -> ErrorCode {
        ErrorCode::Unknown
    }
}

impl ErrorCode {
    /// A refusal by the rates calendar (the body carries `restriction`), which the desk may
    /// override.
    pub fn is_restriction(self) -> bool {
        matches!(
            self,
            ErrorCode::Closed
                | ErrorCode::ClosedToArrival
                | ErrorCode::ClosedToDeparture
                | ErrorCode::MinStay
                | ErrorCode::MaxStay
                | ErrorCode::Advance
        )
    }
}

impl Role {
    /// Anything the server does not know gets the least privilege.
    pub fn or_guest(self) -> Role {
        match self {
            Role::Unknown => Role::Guest,
            role => role,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), *code);
            assert!(seen.insert(code.as_str()), "{code} twice");
        }
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), *action);
            assert!(seen.insert(action.as_str()), "{action} twice");
        }
    }

    #[test]
    fn words_travel_as_plain_strings() {
        let json = serde_json::to_string(&ErrorCode::WrongPassword).ok();
        assert_eq!(json.as_deref(), Some("\"wrong_password\""));
        let role = serde_json::from_str::<Role>("\"housekeeper\"").ok();
        assert_eq!(role, Some(Role::Housekeeper));
        let newer = serde_json::from_str::<AuditAction>("\"booking.teleport\"").ok();
        assert_eq!(newer, Some(AuditAction::Unknown));
        assert_eq!(Role::parse("owner").or_guest(), Role::Guest);
    }
}
