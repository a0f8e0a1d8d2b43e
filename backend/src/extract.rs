//! Request parts the handlers share: the JSON body, the query string, ids in the path, and
//! who is calling. Each rejects with the JSON `AppError`, so a handler starts from checked
//! values.
//!
//! Bodies are parsed here rather than with axum's `Json` extractor so that every failure gets
//! the protocol's own JSON errors (`Invalid JSON.`, the per-endpoint "required" messages)
//! instead of framework text, and so that wrong types are reported field by field.

use hotel_shared::ErrorCode;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use bytes::Bytes;
use hotel_shared::SESSION_COOKIE;
use serde_json::{Map, Value};

use crate::domain::dates::DateWindow;
use crate::error::AppError;
use crate::state::AppState;

/// A request body that is a JSON object. An empty body (or `null`) counts as `{}`, so
/// session-based callers need not send one.
pub struct JsonObject(pub Map<String, Value>);

impl FromRequest<AppState> for JsonObject {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        // The size limit itself is `DefaultBodyLimit`, set once on the router.
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_failure)?;
        // JSON's whitespace only: a form feed (which `is_ascii_whitespace` counts) is no JSON.
        if bytes
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            return Ok(JsonObject(Map::new()));
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => {
                let window = DateWindow::around(state.clock.today());
                for (key, value) in &map {
                    dates_within(&window, key, value)?;
                }
                Ok(JsonObject(map))
            }
            // `null` says "no body" as plainly as an empty one.
            Ok(Value::Null) => Ok(JsonObject(Map::new())),
            Ok(_) => Err(AppError::bad_request("Request body must be a JSON object.")),
            Err(_) => Err(AppError::InvalidJson),
        }
    }
}

/// Every date in a body, at any depth, lies in the window (each string that reads as a date
/// is one: all of them are written `YYYY-MM-DD`).
fn dates_within(window: &DateWindow, field: &str, value: &Value) -> Result<(), AppError> {
    match value {
        Value::String(text) => match window.refusal(field, text) {
            Some(message) => Err(date_out_of_range(message)),
            None => Ok(()),
        },
        Value::Array(items) => items
            .iter()
            .try_for_each(|item| dates_within(window, field, item)),
        Value::Object(map) => map
            .iter()
            .try_for_each(|(key, item)| dates_within(window, key, item)),
        _ => Ok(()),
    }
}

/// Fields written over several lines (descriptions, house rules, notes, addresses, a
/// message template's body); any other text is one line.
const MULTI_LINE: &[&str] = &["description", "house_rules", "notes", "address", "body"];

/// Fields whose text is a secret, never shown, and taken as typed.
const SECRETS: &[&str] = &["password", "current_password", "new_password"];

/// Text a request gives the hotel carries no control characters (NUL, ESC: a terminal obeys them) and no
/// bidirectional overrides or isolates (U+202E turns "Breakfast 5.00" around on a printed
/// bill), and a line break only where a field has several lines.
fn plain_text(field: &str, value: &Value) -> Result<(), AppError> {
    match value {
        Value::String(text) if !SECRETS.contains(&field) => {
            let multi_line = MULTI_LINE.contains(&field);
            match text.chars().find(|&c| !allowed_in_text(c, multi_line)) {
                Some(c) => Err(AppError::Refused {
                    status: StatusCode::BAD_REQUEST,
                    code: ErrorCode::InvalidCharacters,
                    message: format!(
                        "{field} may not contain the character U+{:04X}{}.",
                        u32::from(c),
                        if c == '\n' || c == '\r' {
                            " (a line break): it is one line"
                        } else {
                            " (a control or direction character)"
                        }
                    ),
                }),
                None => Ok(()),
            }
        }
        Value::Array(items) => items.iter().try_for_each(|item| plain_text(field, item)),
        Value::Object(map) => map.iter().try_for_each(|(key, item)| plain_text(key, item)),
        _ => Ok(()),
    }
}

fn allowed_in_text(c: char, multi_line: bool) -> bool {
    let bidi_control = matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    );
    if bidi_control {
        return false;
    }
    match c {
        '\n' | '\r' | '\t' => multi_line,
        c => !c.is_control(),
    }
}

pub fn date_out_of_range(message: String) -> AppError {
    AppError::Refused {
        status: StatusCode::BAD_REQUEST,
        code: ErrorCode::DateOutOfRange,
        message,
    }
}

/// Why a body could not be read, as the client should hear it.
pub fn body_failure(rejection: axum::extract::rejection::BytesRejection) -> AppError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else if crate::server::is_stalled_body(&rejection) {
        AppError::BodyStalled
    } else {
        AppError::bad_request("Could not read the request body.")
    }
}

/// Reads a JSON object body as `T`; a missing field or a wrong type is a 400 that names it.
/// The text of every field `T` takes (fields it does not know are ignored, as ever) carries no
/// control or direction characters (`plain_text`).
pub fn typed<T: serde::de::DeserializeOwned + serde::Serialize>(
    body: Map<String, Value>,
) -> Result<T, AppError> {
    let mut body = Value::Object(body);
    whole_numbers(&mut body);
    let value: T = serde_json::from_value(body)
        .map_err(|e| AppError::BadRequest(format!("Invalid request: {e}.")))?;
    if let Ok(Value::Object(known)) = serde_json::to_value(&value) {
        for (key, field) in &known {
            plain_text(key, field)?;
        }
    }
    Ok(value)
}

/// `3.0` is the integer 3 (JSON Schema says so, and clients that only have doubles send it):
/// such numbers become integers before a body is read into a type with integer fields.
fn whole_numbers(value: &mut Value) {
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9e15) {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// The query string read into `T`, whose fields are the parameters as text (a struct that
/// also documents them); `T`'s own methods then parse each with a sentence that names it. A
/// parameter `T` does not take is refused (400 `unknown_parameter`): a misspelt `limt` or
/// `updated_snce` would otherwise be ignored and answer something else than was asked.
pub struct QueryOf<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromRequestParts<AppState> for QueryOf<T> {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        if let Some(refusal) = query_date_refusal(query, state) {
            return Err(refusal);
        }
        let mut unknown: Vec<String> = Vec::new();
        let read = serde_ignored::deserialize(
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes())),
            |path| unknown.push(path.to_string()),
        )
        .map_err(|_| AppError::bad_request("The query string could not be read."))?;
        if !unknown.is_empty() {
            unknown.sort();
            unknown.dedup();
            return Err(AppError::Refused {
                status: StatusCode::BAD_REQUEST,
                code: ErrorCode::UnknownParameter,
                message: format!(
                    "This address takes no parameter {}; see /openapi.json for those it takes.",
                    unknown
                        .iter()
                        .map(|p| format!("{p:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        Ok(QueryOf(read))
    }
}

/// A date in the query string outside the window every request's dates lie in.
fn query_date_refusal(query: &str, state: &AppState) -> Option<AppError> {
    // Dates have digits and dashes; a query without a dash (or an escape) has none.
    if !query.contains('-') && !query.contains('%') {
        return None;
    }
    let window = DateWindow::around(state.clock.today());
    form_urlencoded::parse(query.as_bytes())
        .find_map(|(key, value)| window.refusal(&key, &value).map(date_out_of_range))
}

/// A day given in the query string as `name`; absent is `None`, anything but a date is a 400
/// that names the parameter.
pub fn query_date(
    raw: Option<&str>,
    name: &'static str,
) -> Result<Option<hotel_shared::Date>, AppError> {
    raw.map(|raw| {
        crate::domain::stay::parse_date(name, raw).map_err(|e| AppError::BadRequest(e.message()))
    })
    .transpose()
}

/// A whole number given in the query string as `name`; absent is `None`, and anything else
/// (blank included) must be a number.
pub fn query_number<T: std::str::FromStr>(
    raw: Option<&str>,
    name: &str,
) -> Result<Option<T>, AppError> {
    raw.map(str::trim)
        .map(|v| {
            v.parse()
                .map_err(|_| AppError::BadRequest(format!("{name} must be a whole number.")))
        })
        .transpose()
}

/// A number that names something in the path (a booking, room type, room or range). Anything
/// else names nothing, so it is a 404 that says what was not found.
macro_rules! path_id {
    ($(#[$doc:meta])* $name:ident($ty:ty), $what:literal) => {
        $(#[$doc])*
        pub struct $name(pub $ty);

        impl<S: Send + Sync> FromRequestParts<S> for $name {
            type Rejection = AppError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &S,
            ) -> Result<Self, Self::Rejection> {
                let raw = axum::extract::Path::<String>::from_request_parts(parts, state)
                    .await
                    .map(|axum::extract::Path(raw)| raw)
                    .unwrap_or_default();
                raw.trim()
                    .parse()
                    .map($name)
                    .map_err(|_| AppError::NotFound(format!(concat!($what, " {} not found."), raw)))
            }
        }
    };
}

path_id!(
    /// `{id}` of a booking.
    BookingId(i64),
    "Booking"
);
path_id!(
    /// `{id}` of a room type.
    RoomTypeId(i64),
    "Room type"
);
path_id!(
    /// `{number}` of a room.
    RoomNumber(u32),
    "Room"
);
path_id!(
    /// `{id}` of an extra (breakfast, parking, …).
    ExtraId(i64),
    "Extra"
);
path_id!(
    /// `{id}` of a rate plan.
    RatePlanId(i64),
    "Rate plan"
);
path_id!(
    /// `{id}` of a guest profile.
    GuestId(i64),
    "Guest"
);
path_id!(
    /// `{id}` of a photo.
    PhotoId(i64),
    "Photo"
);
path_id!(
    /// `{id}` of an out-of-service range.
    BlockId(i64),
    "Out-of-service range"
);
path_id!(
    /// `{id}` of a booking site's calendar a room imports.
    FeedId(i64),
    "Calendar feed"
);
path_id!(
    /// `{id}` of a webhook.
    WebhookId(i64),
    "Webhook"
);
path_id!(
    /// `{id}` of a key for programs.
    ApiKeyId(i64),
    "API key"
);
path_id!(
    /// `{id}` of a tax rate.
    TaxRateId(i64),
    "Tax rate"
);
path_id!(
    /// `{id}` of a message to a guest.
    MessageId(i64),
    "Message"
);

/// A string field that is present and not empty (white space alone counts as empty).
pub fn text(body: &Map<String, Value>, key: &str) -> Option<String> {
    match body.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// The value of an integer field: `Ok(None)` when absent or null, `Err(())` when present but
/// not an integer. Integral numbers written as strings ("3") are accepted, as the original
/// server's `int()` accepted them.
#[allow(clippy::result_unit_err)]
pub fn integer(body: &Map<String, Value>, key: &str) -> Result<Option<i64>, ()> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                Ok(Some(i))
            } else if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9e15) {
                Ok(Some(f as i64))
            } else {
                Err(())
            }
        }
        Some(Value::String(s)) => s.trim().parse::<i64>().map(Some).map_err(|_| ()),
        Some(_) => Err(()),
    }
}

/// Who is calling, as far as the transport tells: a session token (bearer header or cookie)
/// and the client's address.
pub struct Caller {
    pub token: Option<String>,
    pub ip: IpAddr,
    pub https: bool,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let cookie = || session_cookie(&parts.headers);
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0.ip());
        let client = crate::client::client(peer, &parts.headers, &state.trusted_proxies);
        let over_tls = parts.extensions.get::<crate::tls::OverTls>().is_some();
        Ok(Caller {
            token: bearer_token(&parts.headers).or_else(cookie),
            ip: client.ip,
            https: client.https || over_tls,
        })
    }
}

/// The token of `Authorization: Bearer TOKEN`.
pub fn bearer_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_string())
        })
        .filter(|t| !t.is_empty())
}

/// The session token of the web app's cookie.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| value.to_string())
}

/// `{kind}/{language}` of a message template: a kind of message the hotel sends and a
/// language it writes in.
pub struct TemplateKey(pub hotel_shared::MessageKind, pub hotel_shared::Language);

impl<S: Send + Sync> FromRequestParts<S> for TemplateKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let (kind, language) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map(|axum::extract::Path(raw)| raw)
                .unwrap_or_default();
        let known_kind = hotel_shared::MessageKind::parse(&kind);
        match (known_kind, hotel_shared::Language::parse(&language)) {
            (hotel_shared::MessageKind::Unknown, _) | (_, None) => {
                Err(AppError::NotFound(format!(
                    "There is no template for {:?} in {:?}: kinds are {}; languages en and de.",
                    kind.chars().take(40).collect::<String>(),
                    language.chars().take(8).collect::<String>(),
                    hotel_shared::MessageKind::ALL
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
            (kind, Some(language)) => Ok(TemplateKey(kind, language)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn integers_accept_numbers_and_numeric_strings_only() {
        let body =
            obj(json!({"a": 3, "b": "8", "c": 2.0, "d": 2.5, "e": "x", "f": true, "g": null}));
        assert_eq!(integer(&body, "a"), Ok(Some(3)));
        assert_eq!(integer(&body, "b"), Ok(Some(8)));
        assert_eq!(integer(&body, "c"), Ok(Some(2)));
        assert_eq!(integer(&body, "d"), Err(()));
        assert_eq!(integer(&body, "e"), Err(()));
        assert_eq!(integer(&body, "f"), Err(()));
        assert_eq!(integer(&body, "g"), Ok(None));
        assert_eq!(integer(&body, "missing"), Ok(None));
    }

    #[test]
    fn text_fields_must_be_non_blank_strings() {
        let body = obj(json!({"a": "ann", "b": "  ", "c": 5}));
        assert_eq!(text(&body, "a").as_deref(), Some("ann"));
        assert_eq!(text(&body, "b"), None);
        assert_eq!(text(&body, "c"), None);
    }
}
