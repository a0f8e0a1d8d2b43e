use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorBody;

use crate::domain::DomainError;
use crate::store::StoreError;

/// Every way a request can fail. Each becomes a JSON `{"error": …}` body with its status.
#[derive(Debug)]
pub enum AppError {
    BadRequest(String),
    InvalidJson,
    Unauthorized(String),
    Forbidden,
    NotFound(String),
    MethodNotAllowed,
    Conflict {
        message: String,
        available: Option<u32>,
    },
    PayloadTooLarge,
    TooManyRequests(Duration),
    Timeout,
    Unavailable(String),
    Internal(String),
}

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
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Timeout | AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> ErrorBody {
        let (error, available) = match self {
            AppError::BadRequest(m) | AppError::Unauthorized(m) | AppError::NotFound(m) => {
                (m.clone(), None)
            }
            AppError::InvalidJson => ("Invalid JSON.".into(), None),
            AppError::Forbidden => ("This is for hotel staff only.".into(), None),
            AppError::MethodNotAllowed => ("Method not allowed for this endpoint.".into(), None),
            AppError::Conflict { message, available } => (message.clone(), *available),
            AppError::PayloadTooLarge => ("Request body is too large.".into(), None),
            AppError::TooManyRequests(wait) => (
                format!(
                    "Too many failed sign-in attempts. Try again in {} minutes.",
                    wait.as_secs().div_ceil(60).max(1)
                ),
                None,
            ),
            AppError::Timeout => ("The request took too long; please try again.".into(), None),
            AppError::Unavailable(m) => (m.clone(), None),
            // Details of internal failures go to the log, not to the client.
            AppError::Internal(_) => ("Internal server error.".into(), None),
        };
        ErrorBody { error, available }
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        let message = e.message();
        match e {
            DomainError::NotEnoughRooms { available, .. } => AppError::Conflict {
                message,
                available: Some(available),
            },
            DomainError::NoRoomsAvailable => AppError::Conflict {
                message,
                available: Some(0),
            },
            DomainError::RoomOccupied(_)
            | DomainError::BookingNotActive(_)
            | DomainError::BookingAlreadyStarted(_)
            | DomainError::UsernameTaken
            | DomainError::RoomOutOfService(_)
            | DomainError::RoomTypeNameTaken(_)
            | DomainError::RoomTypeInUse { .. }
            | DomainError::RoomExists(_)
            | DomainError::RoomHasStays { .. }
            | DomainError::AlreadyCheckedIn(_)
            | DomainError::NotArrivedYet { .. } => AppError::Conflict {
                message,
                available: None,
            },
            DomainError::InvalidRoom
            | DomainError::NoBookingToUpdate
            | DomainError::NoBookedRooms
            | DomainError::RoomTooSmall { .. } => AppError::BadRequest(message),
            DomainError::BookingNotFound(_)
            | DomainError::UnknownRoomType(_)
            | DomainError::RoomNotFound(_)
            | DomainError::BlockNotFound(_)
            | DomainError::UnknownUser(_) => AppError::NotFound(message),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => d.into(),
            StoreError::Database(detail) => {
                tracing::error!("database error: {detail}");
                AppError::Unavailable(
                    "The hotel's database could not complete the request; nothing was changed. Please try again."
                        .into(),
                )
            }
            StoreError::Collision => AppError::Unavailable(
                "Too many changes to the same rooms at once; nothing was changed. Please try again."
                    .into(),
            ),
            StoreError::Unavailable => {
                AppError::Unavailable("The server is shutting down; please try again.".into())
            }
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
        if let AppError::TooManyRequests(wait) = &self
            && let Ok(value) = HeaderValue::from_str(&wait.as_secs().max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}
