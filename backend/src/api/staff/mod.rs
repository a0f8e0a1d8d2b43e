//! Everything staff do, split by what a person does: the front desk's stays (`desk`), the
//! hotel's rooms and rates (`catalog`), and the back office's figures and log (`reports`).
//! Every endpoint takes a `StaffMember`: 401 without a session or key, 403 for a guest or a
//! key without the scope.

mod catalog;
mod changes;
mod channels;
mod desk;
mod folio;
mod guests;
mod housekeeping;
mod keys;
mod messages;
mod printouts;
mod rates;
mod reports;
mod taxes;
mod templates;
mod webhooks;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(desk::router())
        .merge(catalog::router())
        .merge(channels::router())
        .merge(keys::router())
        .merge(reports::router())
        .merge(housekeeping::router())
        .merge(folio::router())
        .merge(printouts::router())
        .merge(guests::router())
        .merge(rates::router())
        .merge(messages::router())
        .merge(templates::router())
        .merge(webhooks::router())
        .merge(taxes::router())
}

pub(crate) use crate::api::identity::StaffOnly;
pub(crate) use crate::api::paging::list_limit;
