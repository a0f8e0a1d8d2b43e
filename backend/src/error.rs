use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorBody;
use hotel_shared::ErrorCode;

use crate::domain::DomainError;
use crate::store::StoreError;

/// Every way a request can fail. Each becomes a JSON body with its status: `error`, a sentence
/// for people, and `code`, a stable word for programs (listed in the OpenAPI document).
#[derive(Debug)]
pub enum AppError {
    BadRequest(String),
    InvalidJson,
    Unauthorized(Unauthorized),
    Forbidden,
    NotFound(String),
    MethodNotAllowed,
    /// A rule of the hotel said no; the rule decides the status and the code.
    Domain(DomainError),
    PayloadTooLarge,
    /// A request the hotel cannot take as it is, with its own status and code (a photo that
    /// is not a photo, or too large).
    Refused {
        status: StatusCode,
        code: ErrorCode,
        message: String,
    },
    /// A request signed by the session cookie that came from another site's page.
    CrossSite,
    /// A request signed by the session cookie whose body is not declared as JSON.
    JsonRequired,
    /// Too many wrong passwords for this name from this address.
    SignInThrottled(Duration),
    /// A rate limit of the hotel (sign-ups, bookings) is used up until `wait` has passed.
    RateLimited {
        code: ErrorCode,
        message: &'static str,
        wait: Duration,
    },
    Timeout,
    /// Password checks are queued to their limit; the client should come back shortly.
    Busy,
    /// Request bodies on their way in hold all the memory set aside for them.
    Overloaded,
    /// The request body stopped arriving before it was whole.
    BodyStalled,
    Unavailable {
        code: ErrorCode,
        message: String,
    },
    Internal(String),
}

/// Why a request is not signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unauthorized {
    WrongPassword,
    SessionExpired,
    NotSignedIn,
    /// An API key that is unknown or revoked.
    KeyInvalid,
}

pub const SESSION_EXPIRED: &str = "Your session has expired or is invalid. Please sign in again.";

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        AppError::BadRequest(message.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) | AppError::InvalidJson => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Domain(rule) => domain_status(rule),
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Refused { status, .. } => *status,
            AppError::CrossSite => StatusCode::FORBIDDEN,
            AppError::JsonRequired => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::SignInThrottled(_) | AppError::RateLimited { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            AppError::BodyStalled => StatusCode::REQUEST_TIMEOUT,
            AppError::Timeout
            | AppError::Busy
            | AppError::Overloaded
            | AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code of the body; a program branches on it, never on the sentence.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::BadRequest(_) => ErrorCode::InvalidRequest,
            AppError::InvalidJson => ErrorCode::InvalidJson,
            AppError::Unauthorized(Unauthorized::WrongPassword) => ErrorCode::WrongPassword,
            AppError::Unauthorized(Unauthorized::SessionExpired) => ErrorCode::SessionExpired,
            AppError::Unauthorized(Unauthorized::NotSignedIn) => ErrorCode::NotSignedIn,
            AppError::Unauthorized(Unauthorized::KeyInvalid) => ErrorCode::ApiKeyInvalid,
            AppError::Forbidden => ErrorCode::StaffOnly,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            AppError::Domain(rule) => rule.code(),
            AppError::PayloadTooLarge => ErrorCode::BodyTooLarge,
            AppError::Refused { code, .. } => *code,
            AppError::CrossSite => ErrorCode::CrossSiteRequest,
            AppError::JsonRequired => ErrorCode::JsonRequired,
            AppError::SignInThrottled(_) => ErrorCode::TooManySignInAttempts,
            AppError::RateLimited { code, .. } => *code,
            AppError::Timeout => ErrorCode::Timeout,
            AppError::Busy | AppError::Overloaded => ErrorCode::Busy,
            AppError::BodyStalled => ErrorCode::BodyTimeout,
            AppError::Unavailable { code, .. } => *code,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    fn body(&self) -> ErrorBody {
        let error = match self {
            AppError::BadRequest(m) | AppError::NotFound(m) => m.clone(),
            AppError::InvalidJson => "Invalid JSON.".into(),
            AppError::Unauthorized(Unauthorized::WrongPassword) => "Invalid password.".into(),
            AppError::Unauthorized(Unauthorized::SessionExpired) => SESSION_EXPIRED.into(),
            AppError::Unauthorized(Unauthorized::NotSignedIn) => "Please sign in first.".into(),
            AppError::Unauthorized(Unauthorized::KeyInvalid) => {
                "This API key is unknown or was revoked.".into()
            }
            AppError::Forbidden => "This is for hotel staff only.".into(),
            AppError::MethodNotAllowed => "Method not allowed for this endpoint.".into(),
            AppError::Domain(rule) => rule.message(),
            AppError::PayloadTooLarge => "Request body is too large.".into(),
            AppError::Refused { message, .. } => message.clone(),
            AppError::CrossSite => {
                "This request came from another site's page and was refused; use the hotel's own pages.".into()
            }
            AppError::JsonRequired => "Send the request body as JSON (Content-Type: application/json).".into(),
            AppError::SignInThrottled(wait) => format!(
                "Too many failed sign-in attempts. Try again in {} minutes.",
                wait.as_secs().div_ceil(60).max(1)
            ),
            AppError::RateLimited { message, wait, .. } => format!(
                "{message} Try again in {}.",
                if wait.as_secs() <= 90 {
                    format!("{} seconds", wait.as_secs().max(1))
                } else {
                    format!("{} minutes", wait.as_secs().div_ceil(60))
                }
            ),
            AppError::Timeout => "The request took too long; please try again.".into(),
            AppError::Busy => {
                "The server is busy checking passwords; please try again in a moment.".into()
            }
            AppError::Overloaded => {
                "The server is receiving too much at once; please try again in a moment.".into()
            }
            AppError::BodyStalled => {
                "The request's body stopped arriving before it was complete.".into()
            }
            AppError::Unavailable { message, .. } => message.clone(),
            // Details of internal failures go to the log, not to the client.
            AppError::Internal(_) => "Internal server error.".into(),
        };
        let available = match self {
            AppError::Domain(DomainError::NotEnoughRooms { available, .. }) => Some(*available),
            AppError::Domain(DomainError::NoRoomsAvailable) => Some(0),
            _ => None,
        };
        let restriction = match self {
            AppError::Domain(DomainError::Restricted(_, figures)) => Some(figures.clone()),
            _ => None,
        };
        ErrorBody {
            error,
            code: self.code(),
            available,
            restriction,
        }
    }

    /// How long the client should wait before trying again, when that is known.
    fn retry_after(&self) -> Option<Duration> {
        match self {
            AppError::SignInThrottled(wait) | AppError::RateLimited { wait, .. } => Some(*wait),
            AppError::Busy | AppError::Overloaded => Some(Duration::from_secs(1)),
            _ => None,
        }
    }
}

fn domain_status(rule: &DomainError) -> StatusCode {
    match rule {
        DomainError::NotEnoughRooms { .. }
        | DomainError::NoRoomsAvailable
        | DomainError::RoomOccupied(_)
        | DomainError::BookingNotActive(_)
        | DomainError::BookingAlreadyStarted(_)
        | DomainError::ChangeAfterArrival { .. }
        | DomainError::UsernameTaken
        | DomainError::EmailTaken
        | DomainError::RoomOutOfService(_)
        | DomainError::RoomTypeNameTaken(_)
        | DomainError::RoomTypeInUse { .. }
        | DomainError::RoomExists(_)
        | DomainError::RoomHasStays { .. }
        | DomainError::AlreadyCheckedIn(_)
        | DomainError::RoomNotClean(_)
        | DomainError::RoomNotVacated { .. }
        | DomainError::InvoiceIssued(_)
        | DomainError::InvoicedBillWouldChange { .. }
        | DomainError::RefundTooLarge { .. }
        | DomainError::NotInvoiceable(_)
        | DomainError::BalanceOpen { .. }
        | DomainError::GuestInHouse { .. }
        | DomainError::GuestHasStaysAhead { .. }
        | DomainError::GuestBillOpen { .. }
        | DomainError::NotAGuest(_)
        | DomainError::ExtraNameTaken(_)
        | DomainError::PossibleDuplicate(_)
        | DomainError::RoomTypeRetired { .. }
        | DomainError::NotArrivedYet { .. }
        | DomainError::BookingTooLarge { .. }
        | DomainError::GuestLimitReached { .. }
        | DomainError::AddressLimitReached { .. }
        | DomainError::TooManyChanges { .. }
        | DomainError::TooManyResetAttempts { .. }
        | DomainError::Restricted(..)
        | DomainError::RatePlanNameTaken(_)
        | DomainError::RatePlanMismatch { .. }
        | DomainError::BasePlanFixed(_)
        | DomainError::MessageBeingSent(_)
        | DomainError::MessageNotResendable(_)
        | DomainError::PhotoStorageFull { .. }
        | DomainError::FeedExists { .. }
        | DomainError::ApiKeyExists(_)
        | DomainError::TaxRateExists(_)
        | DomainError::ExternalReferenceExists { .. } => StatusCode::CONFLICT,
        DomainError::InvalidRoom
        | DomainError::NoBookingToUpdate
        | DomainError::NoBookedRooms
        | DomainError::RoomTooSmall { .. }
        | DomainError::ResetLinkInvalid
        | DomainError::TemplateInvalid(_)
        | DomainError::EmailLinkInvalid
        | DomainError::BadPosting(_)
        | DomainError::BadChange(_) => StatusCode::BAD_REQUEST,
        DomainError::BookingNotFound(_)
        | DomainError::PhotoNotFound(_)
        | DomainError::MessageNotFound(_)
        | DomainError::NoBookingToPreview
        | DomainError::ExtraNotFound(_)
        | DomainError::GuestNotFound(_)
        | DomainError::UnknownRoomType(_)
        | DomainError::RoomNotFound(_)
        | DomainError::BlockNotFound(_)
        | DomainError::FeedNotFound(_)
        | DomainError::ApiKeyNotFound(_)
        | DomainError::WebhookNotFound(_)
        | DomainError::TaxRateNotFound(_)
        | DomainError::NoInvoiceToCancel(_)
        | DomainError::InvoiceNotFound(_)
        | DomainError::ApiKeyNamedNotFound(_)
        | DomainError::RatePlanNotFound(_)
        | DomainError::UnknownUser(_) => StatusCode::NOT_FOUND,
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        match e {
            // A budget that refills with time: a 429 that says when.
            DomainError::AddressLimitReached { wait_secs, .. } => AppError::RateLimited {
                code: ErrorCode::TooManyRoomNights,
                message: "Guests from your network have booked as many room-nights today as \
                          the hotel takes from one network.",
                wait: Duration::from_secs(wait_secs),
            },
            DomainError::TooManyResetAttempts { wait_secs } => AppError::RateLimited {
                code: ErrorCode::TooManyResetAttempts,
                message: "Too many password resets from your network. Try again later.",
                wait: Duration::from_secs(wait_secs),
            },
            DomainError::TooManyChanges { wait_secs, .. } => AppError::RateLimited {
                code: ErrorCode::TooManyChanges,
                message: "This booking has been changed as often today as a guest may change \
                          one booking in a day.",
                wait: Duration::from_secs(wait_secs),
            },
            e => AppError::Domain(e),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => d.into(),
            StoreError::Database(detail) => {
                tracing::error!("database error: {detail}");
                AppError::Unavailable {
                    code: ErrorCode::DatabaseUnavailable,
                    message: "The hotel's database could not complete the request; nothing was changed. Please try again."
                        .into(),
                }
            }
            StoreError::Collision => AppError::Unavailable {
                code: ErrorCode::Busy,
                message:
                    "Too many changes to the same rooms at once; nothing was changed. Please try again."
                        .into(),
            },
            StoreError::Unconfirmed => AppError::Unavailable {
                code: ErrorCode::Unconfirmed,
                message: "The hotel's database did not confirm the change in time; it may or may \
                          not have been made. Check before trying again."
                    .into(),
            },
            StoreError::Lost => AppError::Unavailable {
                code: ErrorCode::DatabaseLost,
                message: "The hotel's records cannot be changed right now; nothing was changed. \
                          The staff have to restart the server on the hotel's database."
                    .into(),
            },
            StoreError::KeyTaken => AppError::Refused {
                status: StatusCode::CONFLICT,
                code: ErrorCode::IdempotencyKeyInProgress,
                message: "A request with the same Idempotency-Key is being handled; nothing was \
                          changed by this one. Please try again shortly."
                    .into(),
            },
            StoreError::Unavailable => AppError::Unavailable {
                code: ErrorCode::ShuttingDown,
                message: "The server is shutting down; please try again.".into(),
            },
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!("internal error: {detail}");
        }
        let status = self.status();
        let mut response = (status, axum::Json(self.body())).into_response();
        if let Some(wait) = self.retry_after()
            && let Ok(value) = HeaderValue::from_str(&wait.as_secs().max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}
