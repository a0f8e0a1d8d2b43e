//! Everything staff do, split by what a person does: the front desk's stays (`desk`), the
//! hotel's rooms and rates (`catalog`), and the back office's figures and log (`reports`).
//! Every endpoint takes a `StaffMember`: 401 without a session, 403 for a guest.

mod catalog;
mod desk;
mod folio;
mod guests;
mod housekeeping;
mod rates;
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
        .merge(folio::router())
        .merge(guests::router())
        .merge(rates::router())
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

pub(crate) use crate::api::paging::list_limit;
