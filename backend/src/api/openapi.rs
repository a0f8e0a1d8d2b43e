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
        description = "Book rooms of a small hotel. The five original endpoints (/rooms, /book, /query, /update, /checkout) keep the original protocol exactly: credentials in the body, `message`/`error` texts. Everything else is an extension; endpoints that take credentials also accept `Authorization: Bearer <token>` or the session cookie from /login. Amounts are integers in minor units (cents) of the hotel's currency. Endpoints under /staff need a session of a staff account: 401 without a session, 403 for a guest or a housekeeper. /housekeeping takes a housekeeper or staff. Safe retries: send `Idempotency-Key: <1 to 255 printable ASCII characters, a UUID say>` with any POST, PUT, PATCH or DELETE; the same key with the same request within 24 hours returns the first answer (marked `Idempotent-Replayed: true`) without doing the work again, another request with that key is refused with 422 `idempotency_key_reused`, and one sent while the first is still at work waits for its answer or gets 409 `idempotency_key_in_progress`. Keys belong to the credential that sent them. Every answer carries `X-Request-Id` (the caller's own when it sends a plain one of up to 64 characters), which the server's log lines of that request carry too. /events is the feed of every change in commit order."
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
    let mut document =
        serde_json::to_value(super::endpoints().into_openapi()).unwrap_or(serde_json::Value::Null);
    complete(&mut document);
    serde_json::to_string_pretty(&document).unwrap_or_else(|_| "{}".into())
});

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What OpenAPI requires and the declarations leave out: every response has a `description`
/// (the status's meaning where an endpoint gives none), and every operation a unique
/// `operationId` (the handler's name, or where two handlers share one, the method and path:
/// `get_staff_messages`), so generated clients have a function per operation.
fn complete(document: &mut serde_json::Value) {
    let Some(paths) = document
        .get_mut("paths")
        .and_then(serde_json::Value::as_object_mut)
    else {
        return;
    };
    let mut names: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for item in paths.values() {
        for method in METHODS {
            if let Some(id) = item
                .get(method)
                .and_then(|op| op.get("operationId"))
                .and_then(serde_json::Value::as_str)
            {
                *names.entry(id.to_string()).or_default() += 1;
            }
        }
    }
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            let Some(operation) = item.get_mut(method).and_then(|op| op.as_object_mut()) else {
                continue;
            };
            let shared_name = operation
                .get("operationId")
                .and_then(serde_json::Value::as_str)
                .is_none_or(|id| names.get(id).copied().unwrap_or(0) > 1);
            if shared_name {
                operation.insert("operationId".into(), operation_id(method, path).into());
            }
            let Some(responses) = operation
                .get_mut("responses")
                .and_then(serde_json::Value::as_object_mut)
            else {
                continue;
            };
            for (status, response) in responses.iter_mut() {
                if let Some(response) = response.as_object_mut()
                    && !response.contains_key("$ref")
                    && !response.contains_key("description")
                {
                    response.insert("description".into(), meaning(status).into());
                }
            }
        }
    }
}

/// `get_staff_messages_id_send_again` for `GET /staff/messages/{id}/send-again`.
fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    format!("{method}_{}", words.join("_"))
}

/// What a status means, for a response declared without words of its own.
fn meaning(status: &str) -> &'static str {
    match status {
        "200" => "Done; the body is the answer",
        "201" => "Created",
        "202" => "Accepted: it happens shortly",
        "204" => "Done; no body",
        "400" => "The request is not valid; `error` says why and `code` names the rule",
        "401" => "Not signed in, or the session ended",
        "403" => "Signed in, without the right to this",
        "404" => "Not found",
        "409" => "Refused by the hotel's state; `code` says which",
        "413" => "The body is too large",
        "422" => "Not processable as sent",
        "429" => "Too many requests; `Retry-After` says when to come back",
        "503" => "Busy or unavailable for a moment; `Retry-After` says when to come back",
        _ => "See the error body's `code`",
    }
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 description of this API", content_type = "application/json")))]
pub async fn document() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}
