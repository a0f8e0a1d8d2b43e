//! `GET /openapi.json`: the API described from the handlers and the `shared` types themselves.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use hotel_shared as shared;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hotel API",
        description = "Book rooms of a small hotel. The five original endpoints (/rooms, /book, /query, /update, /checkout) keep the original protocol exactly: credentials in the body, `message`/`error` texts. Everything else is an extension; endpoints that take credentials also accept `Authorization: Bearer <token>` or the session cookie from /login."
    ),
    paths(
        super::rooms::rooms,
        super::rooms::availability,
        super::rooms::occupancy,
        super::bookings::book,
        super::bookings::query,
        super::bookings::update,
        super::bookings::checkout,
        super::bookings::list,
        super::bookings::cancel,
        super::accounts::register_account,
        super::accounts::login,
        super::accounts::logout,
        super::accounts::me,
        super::health,
    ),
    components(schemas(
        shared::ErrorBody, shared::MessageResponse, shared::RoomStatus, shared::RoomsResponse,
        shared::AvailabilityResponse, shared::BookingStatus, shared::Booking, shared::Credentials,
        shared::AuthRequest, shared::BookRequest, shared::BookResponse, shared::QueryResponse,
        shared::UpdateRequest, shared::UpdateResponse, shared::CheckoutResponse,
        shared::CancelResponse, shared::RegisterResponse, shared::LoginResponse,
        shared::HealthResponse, shared::RoomNights, shared::OccupancyResponse, shared::Me,
    )),
    modifiers(&SecuritySchemes),
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(shared::SESSION_COOKIE))),
        );
    }
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".into())
});

pub async fn document() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}
