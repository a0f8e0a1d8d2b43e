//! Everything staff do, split by what a person does: the front desk's stays (`desk`), the
//! hotel's rooms and rates (`catalog`), and the back office's figures and log (`reports`).
//! Every endpoint takes a `StaffMember`: 401 without a session, 403 for a guest.

mod catalog;
mod desk;
mod housekeeping;
mod reports;

use hotel_shared::ErrorBody;
use utoipa::IntoResponses;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(desk::router())
        .merge(catalog::router())
        .merge(reports::router())
        .merge(housekeeping::router())
}

/// How every staff endpoint refuses a caller who is not signed in as staff.
#[derive(IntoResponses)]
// Only described, never built: the refusals themselves are `AppError`s from `StaffMember`.
#[allow(dead_code)]
pub(crate) enum StaffOnly {
    /// Not signed in, or the session ended.
    #[response(status = 401)]
    NotSignedIn(ErrorBody),
    /// Signed in, but not as staff.
    #[response(status = 403)]
    NotStaff(ErrorBody),
}

/// Entries in a list when the caller does not say, and the most it may ask for.
const DEFAULT_LIST: u32 = 200;
const MAX_LIST: u32 = 1000;

/// The page size asked for: 1 to `MAX_LIST`, `DEFAULT_LIST` when not given.
fn list_limit(limit: Option<u32>) -> crate::error::AppResult<u32> {
    match limit {
        None => Ok(DEFAULT_LIST),
        Some(n) if (1..=MAX_LIST).contains(&n) => Ok(n),
        Some(_) => Err(crate::error::AppError::BadRequest(format!(
            "limit must be a whole number from 1 to {MAX_LIST}."
        ))),
    }
}
