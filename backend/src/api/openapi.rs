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
        description = "Book rooms of a small hotel. The five original endpoints (/rooms, /book, /query, /update, /checkout) keep the original protocol exactly: credentials in the body, `message`/`error` texts. Everything else is an extension; endpoints that take credentials also accept `Authorization: Bearer <token>` or the session cookie from /login. Amounts are integers in minor units (cents) of the hotel's currency. Endpoints under /staff need a session of a staff account: 401 without a session, 403 for a guest."
    ),
    paths(
        super::rooms::rooms,
        super::rooms::availability,
        super::rooms::occupancy,
        super::rooms::quote,
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
        super::calendar::calendar,
        super::staff::search,
        super::staff::front_desk,
        super::staff::walk_in,
        super::staff::check_in,
        super::staff::check_out,
        super::staff::move_booking,
        super::staff::cancel,
        super::staff::room_types,
        super::staff::create_room_type,
        super::staff::update_room_type,
        super::staff::retire_room_type,
        super::staff::rooms,
        super::staff::create_room,
        super::staff::update_room,
        super::staff::retire_room,
        super::staff::blocks,
        super::staff::add_block,
        super::staff::remove_block,
        super::staff::report,
        super::staff::audit,
        super::health,
    ),
    components(schemas(
        shared::ErrorBody, shared::MessageResponse, shared::RoomStatus, shared::RoomsResponse,
        shared::AvailabilityResponse, shared::BookingStatus, shared::Booking, shared::Credentials,
        shared::AuthRequest, shared::BookRequest, shared::BookResponse, shared::QueryResponse,
        shared::UpdateRequest, shared::UpdateResponse, shared::CheckoutResponse,
        shared::CancelResponse, shared::RegisterResponse, shared::LoginResponse,
        shared::HealthResponse, shared::RoomNights, shared::OccupancyResponse, shared::Me,
        shared::staff::RoomType, shared::staff::RoomTypeInput, shared::staff::Room,
        shared::staff::RoomInput, shared::staff::RoomBlock, shared::staff::BlockInput,
        shared::staff::QuoteOption, shared::staff::QuoteResponse, shared::staff::BookingList,
        shared::staff::FrontDesk, shared::staff::BookingAction, shared::staff::MoveInput,
        shared::staff::WalkInInput, shared::staff::ReportDay, shared::staff::Report,
        shared::staff::AuditEntry, shared::staff::AuditLog,
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
