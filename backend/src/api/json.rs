//! A JSON answer written into a buffer sized for it at once.
//!
//! axum's `Json` writes through `io::Write` into a `BytesMut` that starts at 128 bytes: every
//! string of the answer (each field name too) pays the writer's checks, and the buffer is
//! copied as it doubles. A booking's answer is one to three kilobytes. (Errors keep axum's: an
//! error answer that could not be written must not try to write an error answer.)

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::AppError;

/// Room for most answers at once (a booking with a week of nightly prices).
const FIRST_CAPACITY: usize = 2048;

/// Answers with `T` as JSON, like `axum::Json`.
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        let mut body = Vec::with_capacity(FIRST_CAPACITY);
        match serde_json::to_writer(&mut body, &self.0) {
            Ok(()) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response(),
            Err(e) => AppError::Internal(format!("answer not written: {e}")).into_response(),
        }
    }
}

/// `body` as a file the browser saves, named `name` (letters, digits, `-`, `.` only).
pub fn attachment(body: impl IntoResponse, name: &str) -> Response {
    let mut response = body.into_response();
    if let Ok(value) = format!("attachment; filename=\"{name}\"").parse() {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_DISPOSITION, value);
    }
    response
}
