//! `GET /openapi.json`: the API described from the same declarations the router is built
//! from (see `endpoints`), and from the `shared` types themselves.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use hotel_shared as shared;

/// What the document says beyond its endpoints: the title, the introduction and how callers
/// sign in. Schemas are collected from the endpoints' bodies.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hotel API",
        description = "Book rooms of a small hotel. The five original endpoints (/rooms, /book, /query, /update, /checkout) keep the original protocol exactly: credentials in the body, `message`/`error` texts. Everything else is an extension; endpoints that take credentials also accept `Authorization: Bearer <token>` or the session cookie from /login. Amounts are integers in minor units (cents) of the hotel's currency. Endpoints under /staff need a session of a staff account: 401 without a session, 403 for a guest or a housekeeper. /housekeeping takes a housekeeper or staff."
    ),
    modifiers(&SecuritySchemes),
)]
pub struct ApiDoc;

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
    super::endpoints()
        .into_openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".into())
});

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 description of this API", content_type = "application/json")))]
pub async fn document() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}
