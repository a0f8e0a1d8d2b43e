//! Hotel rules in plain types and functions: nothing here knows about HTTP or SQL.

pub mod accounting;
pub mod accounts;
pub mod api_keys;
pub mod bookings;
pub mod calendar;
pub mod changes;
pub mod channels;
pub mod city_tax;
pub mod clock;
pub mod dates;
pub mod folio;
pub mod guests;
pub mod hotel;
pub mod housekeeping;
pub mod letters;
pub mod limits;
pub mod mail;
pub mod paging;
pub mod photo;
pub mod privacy;
pub mod rates;
pub mod report;
pub mod revenue;
pub mod rooms;
pub mod stay;
pub mod taxes;
pub mod webhooks;

use hotel_shared::ErrorCode;
use hotel_shared::{Date, room_list};

/// A rule of the hotel said no. Each maps to one status and one sentence for the guest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainError {
    /// No room at all is free for the dates.
    NoRoomsAvailable,
    /// Some rooms are free, but fewer than asked for; nothing was booked.
    NotEnoughRooms {
        requested: u32,
        available: u32,
    },
    InvalidRoom,
    RoomOccupied(u32),
    NoBookingToUpdate,
    NoBookedRooms,
    BookingNotFound(i64),
    PhotoNotFound(i64),
    MessageNotFound(i64),
    /// A password-reset link is not sent again; the guest asks for a new one.
    MessageNotResendable(i64),
    /// A message template that would not render, with the reason in words.
    TemplateInvalid(String),
    /// A preview needs a booking, and there is none (or not the one named).
    NoBookingToPreview,
    /// The link to confirm an address is unknown, used, stale, or for another address.
    EmailLinkInvalid,
    /// The reset link is unknown, used, or past its hour.
    ResetLinkInvalid,
    /// Too many reset requests or wrong links from one address.
    TooManyResetAttempts {
        wait_secs: u64,
    },
    /// A worker has the message in hand this moment.
    MessageBeingSent(i64),
    /// The photos stored take all the room the hotel gives them.
    PhotoStorageFull {
        limit_mb: u64,
    },
    BookingNotActive(i64),
    BookingAlreadyStarted(i64),
    UsernameTaken,
    /// Another account has this e-mail address.
    EmailTaken,
    RoomOutOfService(u32),
    RoomTooSmall {
        room: u32,
        capacity: u32,
    },
    UnknownRoomType(i64),
    RoomTypeNameTaken(String),
    RoomTypeInUse {
        name: String,
        rooms: Vec<u32>,
    },
    RoomNotFound(u32),
    RoomExists(u32),
    RoomHasStays {
        room: u32,
        bookings: Vec<i64>,
    },
    BlockNotFound(i64),
    /// No calendar feed with this id.
    FeedNotFound(i64),
    /// The room imports this address already.
    FeedExists {
        room: u32,
        id: i64,
    },
    /// A standing booking came through this channel with this reference already.
    ExternalReferenceExists {
        channel: String,
        reference: String,
        booking: i64,
    },
    /// No key for programs with this id.
    ApiKeyNotFound(i64),
    WebhookNotFound(i64),
    /// No key for programs with this name (the command line names keys).
    ApiKeyNamedNotFound(String),
    /// A key has this name already, revoked or not: the audit log names keys by it.
    ApiKeyExists(String),
    TaxRateNotFound(i64),
    TaxRateExists(String),
    AlreadyCheckedIn(i64),
    /// The stay's room has not been cleaned since its last guest; the desk may override.
    RoomNotClean(u32),
    /// A guest due out of the room has not checked out yet.
    RoomNotVacated {
        room: u32,
        guest: String,
        booking: i64,
    },
    NotArrivedYet {
        id: i64,
        check_in: Date,
    },
    UnknownUser(String),
    /// A charge or payment that makes no sense (the sentence says why).
    BadPosting(String),
    /// A booking change that cannot be (the sentence says why).
    BadChange(String),
    /// A change a stay checked in cannot take (`what` says which and what to do instead).
    ChangeAfterArrival {
        id: i64,
        what: &'static str,
    },
    /// The invoice of the booking is out: nothing more may be charged.
    InvoiceIssued(i64),
    /// A change to an invoiced stay would make its bill differ from the invoice.
    InvoicedBillWouldChange {
        id: i64,
        invoice: String,
    },
    /// More refunded than was paid (`paid`: written with its currency).
    RefundTooLarge {
        paid: String,
    },
    /// An invoice is for a stay that has begun.
    NotInvoiceable(i64),
    /// The stay has no current invoice to reverse.
    NoInvoiceToCancel(i64),
    /// The stay has no invoice (of the number asked for).
    InvoiceNotFound(i64),
    /// The guest still owes `balance` (written with its currency).
    BalanceOpen {
        id: i64,
        balance: String,
    },
    ExtraNotFound(i64),
    ExtraNameTaken(String),
    GuestNotFound(i64),
    /// An erasure asked for a guest checked in now.
    GuestInHouse {
        booking: i64,
        room: u32,
    },
    /// An erasure asked for a guest with a stay still to come.
    GuestHasStaysAhead {
        booking: i64,
        check_in: Date,
    },
    /// An erasure asked for a guest whose bill is not settled (either way).
    GuestBillOpen {
        booking: i64,
        balance: String,
    },
    /// The account is staff's or a housekeeper's, not a guest's.
    NotAGuest(String),
    /// A room of a retired type cannot come back until its type does (or it gets another).
    RoomTypeRetired {
        room: u32,
        name: String,
    },
    /// Profiles that look like the same person (each in words).
    PossibleDuplicate(Vec<String>),
    /// One guest booking asked for more room-nights than the hotel allows in one booking.
    BookingTooLarge {
        limit: u32,
    },
    /// The guest already holds as many room-nights as the hotel allows one guest.
    GuestLimitReached {
        limit: u32,
        held: u64,
    },
    /// Guests from one client address have booked as many room-nights today as the hotel
    /// lets one address book; the window opens again in `wait_secs`.
    AddressLimitReached {
        limit: u64,
        wait_secs: u64,
    },
    /// The guest has changed this booking as often today as the hotel lets a guest.
    TooManyChanges {
        limit: u32,
        wait_secs: u64,
    },
    /// A restriction of the price calendar refuses the stay: its code (`min_stay`, `closed`,
    /// …) and the figures involved.
    Restricted(ErrorCode, hotel_shared::rates::RestrictionFigures),
    RatePlanNotFound(i64),
    RatePlanNameTaken(String),
    /// The plan is of another room type than the room or type asked for.
    RatePlanMismatch {
        plan: i64,
        room_type: String,
    },
    /// A base plan is priced by the calendar and stays while its type does.
    BasePlanFixed(i64),
}

impl DomainError {
    /// A stable word for programs, one per rule.
    pub fn code(&self) -> ErrorCode {
        match self {
            DomainError::NoRoomsAvailable => ErrorCode::NoRoomsAvailable,
            DomainError::NotEnoughRooms { .. } => ErrorCode::NotEnoughRooms,
            DomainError::InvalidRoom => ErrorCode::InvalidRoom,
            DomainError::RoomOccupied(_) => ErrorCode::RoomOccupied,
            DomainError::NoBookingToUpdate => ErrorCode::NoBookingToUpdate,
            DomainError::NoBookedRooms => ErrorCode::NoBookedRooms,
            DomainError::BookingNotFound(_) => ErrorCode::BookingNotFound,
            DomainError::PhotoNotFound(_) => ErrorCode::PhotoNotFound,
            DomainError::MessageNotFound(_) => ErrorCode::MessageNotFound,
            DomainError::MessageNotResendable(_) => ErrorCode::MessageNotResendable,
            DomainError::TemplateInvalid(_) => ErrorCode::TemplateInvalid,
            DomainError::NoBookingToPreview => ErrorCode::NoBookingToPreview,
            DomainError::EmailLinkInvalid => ErrorCode::EmailLinkInvalid,
            DomainError::ResetLinkInvalid => ErrorCode::ResetLinkInvalid,
            DomainError::TooManyResetAttempts { .. } => ErrorCode::TooManyResetAttempts,
            DomainError::MessageBeingSent(_) => ErrorCode::MessageBeingSent,
            DomainError::PhotoStorageFull { .. } => ErrorCode::PhotoStorageFull,
            DomainError::BookingNotActive(_) => ErrorCode::BookingNotActive,
            DomainError::BookingAlreadyStarted(_) => ErrorCode::BookingAlreadyStarted,
            DomainError::UsernameTaken => ErrorCode::UsernameTaken,
            DomainError::EmailTaken => ErrorCode::EmailTaken,
            DomainError::RoomOutOfService(_) => ErrorCode::RoomOutOfService,
            DomainError::RoomTooSmall { .. } => ErrorCode::RoomTooSmall,
            DomainError::UnknownRoomType(_) => ErrorCode::RoomTypeNotFound,
            DomainError::RoomTypeNameTaken(_) => ErrorCode::RoomTypeNameTaken,
            DomainError::RoomTypeInUse { .. } => ErrorCode::RoomTypeInUse,
            DomainError::RoomNotFound(_) => ErrorCode::RoomNotFound,
            DomainError::RoomExists(_) => ErrorCode::RoomExists,
            DomainError::RoomHasStays { .. } => ErrorCode::RoomHasStays,
            DomainError::BlockNotFound(_) => ErrorCode::OutOfServiceRangeNotFound,
            DomainError::FeedNotFound(_) => ErrorCode::FeedNotFound,
            DomainError::FeedExists { .. } => ErrorCode::FeedExists,
            DomainError::ApiKeyNotFound(_) | DomainError::ApiKeyNamedNotFound(_) => {
                ErrorCode::ApiKeyNotFound
            }
            DomainError::ApiKeyExists(_) => ErrorCode::ApiKeyExists,
            DomainError::TaxRateNotFound(_) => ErrorCode::TaxRateNotFound,
            DomainError::TaxRateExists(_) => ErrorCode::TaxRateExists,
            DomainError::WebhookNotFound(_) => ErrorCode::WebhookNotFound,
            DomainError::ExternalReferenceExists { .. } => ErrorCode::ExternalReferenceExists,
            DomainError::AlreadyCheckedIn(_) => ErrorCode::AlreadyCheckedIn,
            DomainError::RoomNotClean(_) => ErrorCode::RoomNotClean,
            DomainError::RoomNotVacated { .. } => ErrorCode::RoomNotVacated,
            DomainError::NotArrivedYet { .. } => ErrorCode::NotArrivedYet,
            DomainError::UnknownUser(_) => ErrorCode::AccountNotFound,
            DomainError::BookingTooLarge { .. } => ErrorCode::BookingTooLarge,
            DomainError::BadPosting(_) => ErrorCode::InvalidPosting,
            DomainError::BadChange(_) => ErrorCode::InvalidRequest,
            DomainError::ChangeAfterArrival { .. } => ErrorCode::BookingAlreadyStarted,
            DomainError::InvoiceIssued(_) | DomainError::InvoicedBillWouldChange { .. } => {
                ErrorCode::InvoiceIssued
            }
            DomainError::RefundTooLarge { .. } => ErrorCode::RefundExceedsPayments,
            DomainError::NotInvoiceable(_) => ErrorCode::StayNotBegun,
            DomainError::NoInvoiceToCancel(_) | DomainError::InvoiceNotFound(_) => {
                ErrorCode::NotFound
            }
            DomainError::BalanceOpen { .. } => ErrorCode::BalanceOpen,
            DomainError::ExtraNotFound(_) => ErrorCode::ExtraNotFound,
            DomainError::ExtraNameTaken(_) => ErrorCode::ExtraNameTaken,
            DomainError::GuestNotFound(_) => ErrorCode::GuestNotFound,
            DomainError::GuestInHouse { .. } => ErrorCode::GuestInHouse,
            DomainError::GuestHasStaysAhead { .. } => ErrorCode::GuestHasStaysAhead,
            DomainError::GuestBillOpen { .. } => ErrorCode::BalanceOpen,
            DomainError::NotAGuest(_) => ErrorCode::NotAGuest,
            DomainError::RoomTypeRetired { .. } => ErrorCode::RoomTypeRetired,
            DomainError::PossibleDuplicate(_) => ErrorCode::PossibleDuplicate,
            DomainError::GuestLimitReached { .. } => ErrorCode::GuestLimitReached,
            DomainError::AddressLimitReached { .. } => ErrorCode::TooManyRoomNights,
            DomainError::TooManyChanges { .. } => ErrorCode::TooManyChanges,
            DomainError::Restricted(code, _) => *code,
            DomainError::RatePlanNotFound(_) => ErrorCode::RatePlanNotFound,
            DomainError::RatePlanNameTaken(_) => ErrorCode::RatePlanNameTaken,
            DomainError::RatePlanMismatch { .. } => ErrorCode::RatePlanMismatch,
            DomainError::BasePlanFixed(_) => ErrorCode::BasePlanFixed,
        }
    }

    pub fn message(&self) -> String {
        match self {
            DomainError::PhotoStorageFull { limit_mb } => format!(
                "The hotel's photos take all of the {limit_mb} MB kept for them; remove some \
                 before adding more."
            ),
            DomainError::NoRoomsAvailable => "No rooms available.".into(),
            DomainError::NotEnoughRooms {
                requested,
                available,
            } => format!(
                "Only {available} {} available; you asked for {requested}. Nothing was booked.",
                if *available == 1 {
                    "room is"
                } else {
                    "rooms are"
                }
            ),
            DomainError::InvalidRoom => "Invalid room number.".into(),
            DomainError::RoomOccupied(room) => format!("Room {room} is already occupied."),
            DomainError::NoBookingToUpdate => "You have no booking to update.".into(),
            DomainError::NoBookedRooms => "You have no booked rooms.".into(),
            DomainError::BookingNotFound(id) => format!("Booking {id} not found."),
            DomainError::PhotoNotFound(id) => format!("Photo {id} not found."),
            DomainError::MessageNotFound(id) => format!("Message {id} not found."),
            DomainError::MessageNotResendable(id) => format!(
                "Message {id} carries a link for the account (a new password, a confirmed address), which is not sent twice: the guest asks for a new one."
            ),
            DomainError::TemplateInvalid(why) => why.clone(),
            DomainError::EmailLinkInvalid => "This link to confirm an e-mail address is not \
                 valid: it was used already, is more than three days old, or the account has \
                 another address now. Ask for a new one on My bookings."
                .into(),
            DomainError::NoBookingToPreview => {
                "There is no such booking to preview the message on.".into()
            }
            DomainError::ResetLinkInvalid => "This link to set a new password is not valid: it \
                 was used already or is more than an hour old. Ask for a new one."
                .into(),
            DomainError::TooManyResetAttempts { .. } => {
                "Too many password resets from this address. Try again later.".into()
            }
            DomainError::MessageBeingSent(id) => {
                format!("Message {id} is being sent this moment; look again shortly.")
            }
            DomainError::BookingNotActive(id) => {
                format!("Booking {id} is already cancelled or checked out.")
            }
            DomainError::BookingAlreadyStarted(id) => {
                format!("Booking {id} has already begun; check out instead of cancelling.")
            }
            DomainError::UsernameTaken => "That username is already taken.".into(),
            DomainError::EmailTaken => {
                "An account with this e-mail address exists already; sign in with it.".into()
            }
            DomainError::RoomOutOfService(room) => format!("Room {room} is out of service."),
            DomainError::RoomTooSmall { room, capacity } => format!(
                "Room {room} sleeps at most {capacity} {}.",
                if *capacity == 1 { "guest" } else { "guests" }
            ),
            DomainError::UnknownRoomType(id) => format!("Room type {id} not found."),
            DomainError::RoomTypeNameTaken(name) => {
                format!("A room type named {name:?} already exists.")
            }
            DomainError::RoomTypeInUse { name, rooms } => format!(
                "Rooms {} are still of type {name:?}; give them another type first.",
                room_list(rooms)
            ),
            DomainError::RoomNotFound(room) => format!("Room {room} not found."),
            DomainError::RoomExists(room) => format!("Room {room} already exists."),
            DomainError::RoomHasStays { room, bookings } => {
                let ids: Vec<String> = bookings.iter().map(i64::to_string).collect();
                format!(
                    "Room {room} has stays on those nights (bookings {}); move them first.",
                    ids.join(", ")
                )
            }
            DomainError::BlockNotFound(id) => format!("Out-of-service range {id} not found."),
            DomainError::FeedNotFound(id) => format!("Calendar feed {id} not found."),
            DomainError::FeedExists { room, id } => {
                format!("Room {room} imports this calendar already (feed {id}).")
            }
            DomainError::ApiKeyNotFound(id) => format!("API key {id} not found."),
            DomainError::WebhookNotFound(id) => format!("Webhook {id} not found."),
            DomainError::TaxRateNotFound(id) => format!("Tax rate {id} not found."),
            DomainError::TaxRateExists(name) => {
                format!("A tax rate named {name:?} exists already; give it a new percent instead.")
            }
            DomainError::ExternalReferenceExists {
                channel,
                reference,
                booking,
            } => format!(
                "Booking {booking} came through {channel} as {reference} already; nothing was booked."
            ),
            DomainError::ApiKeyNamedNotFound(name) => format!("No API key is called {name}."),
            DomainError::ApiKeyExists(name) => format!(
                "An API key called {name} exists already (names are never reused, so the audit log stays clear)."
            ),
            DomainError::AlreadyCheckedIn(id) => format!("Booking {id} is already checked in."),
            DomainError::RoomNotVacated {
                room,
                guest,
                booking,
            } => format!(
                "{guest} (booking {booking}) is still checked in to room {room}: check them out \
                 first, or move this stay. Check in anyway only with `override_occupied`."
            ),
            DomainError::RoomNotClean(room) => format!(
                "Room {room} has not been cleaned since its last guest left. Check in anyway \
                 only if the guest agrees (`override_housekeeping`), or move the stay."
            ),
            DomainError::NotArrivedYet { id, check_in } => {
                format!("Booking {id} starts on {check_in}; not before then.")
            }
            DomainError::UnknownUser(name) => format!("No account named {name:?}."),
            DomainError::BadChange(why) => why.clone(),
            DomainError::ChangeAfterArrival { id, what } => {
                format!("Booking {id} is checked in: {what}.")
            }
            DomainError::BadPosting(why) => {
                let mut chars = why.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
            DomainError::InvoiceIssued(id) => {
                format!(
                    "The invoice of booking {id} is issued: nothing more can be charged on it \
                     unless it is reversed by a cancellation invoice."
                )
            }
            DomainError::InvoicedBillWouldChange { id, invoice } => format!(
                "Invoice {invoice} is issued for booking {id}, and this change would make the \
                 bill differ from it: reverse it with a cancellation invoice first, then \
                 change the stay and issue a new one. Nothing was changed."
            ),
            DomainError::RefundTooLarge { paid } => {
                format!("A refund can give back at most what was paid ({paid}).")
            }
            DomainError::NotInvoiceable(id) => format!(
                "Booking {id} has not begun: an invoice is issued once the guest has checked in."
            ),
            DomainError::NoInvoiceToCancel(id) => {
                format!("Booking {id} has no current invoice to cancel.")
            }
            DomainError::InvoiceNotFound(id) => {
                format!("Booking {id} has no such invoice.")
            }
            DomainError::BalanceOpen { id, balance } => format!(
                "The bill of booking {id} has {balance} open: take the payment first, or check \
                 out with the balance left open."
            ),
            DomainError::ExtraNotFound(id) => format!("Extra {id} not found."),
            DomainError::GuestNotFound(id) => format!("Guest {id} not found."),
            DomainError::GuestInHouse { booking, room } => format!(
                "The guest is checked in to room {room} (booking {booking}): erase their data once \
                 they have checked out."
            ),
            DomainError::GuestHasStaysAhead { booking, check_in } => format!(
                "The guest has a stay to come (booking {booking}, arriving {check_in}): cancel it \
                 first, or erase their data after it."
            ),
            DomainError::GuestBillOpen { booking, balance } => format!(
                "The bill of booking {booking} has {balance} open: settle it before the guest's \
                 data is erased."
            ),
            DomainError::NotAGuest(username) => format!(
                "{username} is a staff account, not a guest's: revoke its role first \
                 (hotel-server staff revoke)."
            ),
            DomainError::RoomTypeRetired { room, name } => {
                format!("Room {room} is of the retired type {name:?}: restore the type first.")
            }
            DomainError::PossibleDuplicate(alike) => format!(
                "This may be a guest the hotel knows already: {}. Choose them, or add the guest \
                 anyway (allow_duplicate).",
                alike.join("; ")
            ),
            DomainError::ExtraNameTaken(name) => {
                format!("An extra named {name:?} already exists.")
            }
            DomainError::BookingTooLarge { limit } => format!(
                "One booking may hold at most {limit} room-nights (rooms times nights); \
                 book fewer rooms or fewer nights, or ask the front desk."
            ),
            DomainError::GuestLimitReached { limit, held } => format!(
                "You already hold {held} room-nights, and a guest may hold at most {limit} \
                 at once; nothing was booked. The front desk can book more for you."
            ),
            DomainError::TooManyChanges { limit, .. } => format!(
                "This booking has been changed {limit} times today, as often as a guest may \
                 change one booking in a day; nothing was changed. The front desk can help."
            ),
            DomainError::AddressLimitReached { limit, .. } => format!(
                "Guests from your network have booked {limit} room-nights today, as many as \
                 the hotel takes from one network in a day; nothing was booked. The front \
                 desk can book more for you."
            ),
            DomainError::Restricted(code, figures) => rates::refusal_words(*code, figures),
            DomainError::RatePlanNotFound(id) => format!("Rate plan {id} does not exist."),
            DomainError::RatePlanNameTaken(name) => {
                format!("This room type already has a rate plan named {name:?}.")
            }
            DomainError::RatePlanMismatch { plan, room_type } => {
                format!("Rate plan {plan} is not a plan of the {room_type} rooms.")
            }
            DomainError::BasePlanFixed(id) => format!(
                "Rate plan {id} is its room type's base plan: it is priced by the rates \
                 calendar, derives from nothing, and stays as long as the type does."
            ),
        }
    }
}

/// The texts of successful answers: the original protocol's exactly as the original server
/// worded them, and the extensions' in the same voice.
pub mod messages {
    use hotel_shared::Booking;

    use super::room_list;

    /// A cancellation, by the guest or at the desk.
    pub fn cancelled(b: &Booking) -> String {
        format!(
            "Cancelled booking {}: room {}, {} to {}.",
            b.id, b.room_number, b.check_in, b.check_out
        )
    }

    pub fn booked(rooms: &[u32]) -> String {
        format!("Rooms booked successfully: {}", room_list(rooms))
    }

    pub fn query(rooms: &[u32]) -> String {
        if rooms.is_empty() {
            "You have not booked any rooms.".into()
        } else {
            format!("Your booked rooms: {}", room_list(rooms))
        }
    }

    pub fn updated(released: u32, assigned: u32) -> String {
        format!("Updated booking: released {released}, assigned {assigned}.")
    }

    pub fn already_have(room: u32) -> String {
        format!("You already have room {room}.")
    }

    pub fn checked_out(rooms: &[u32]) -> String {
        format!(
            "Checked out successfully. Released rooms: {}",
            room_list(rooms)
        )
    }
}
