//! Accounts and sessions: `POST /register`, `POST /login`, `POST /logout`.

use crate::api::json::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hotel_shared::{
    Credentials, ErrorBody, LoginResponse, Me, MessageResponse, PasswordChange, RegisterResponse,
    Registration,
};
use jiff::{SignedDuration, Timestamp};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::identity::{
    Contact, Identity, SignedIn, Unknown, authenticate, cleared_cookie, password_refusal, register,
    session_cookie,
};
use crate::auth::{HashFailure, new_session_token, token_digest};
use crate::domain::accounts::check_new_password;
use crate::domain::accounts::{normalize_username, parse_email, parse_full_name};
use crate::error::{AppError, AppResult, Unauthorized};
use crate::extract::{Caller, JsonObject, text};
use crate::state::AppState;
use crate::store::ops::accounts::{AccountContact, EndSession, StartSession};
use crate::store::ops::passwords::ChangePassword;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_account))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
        .routes(routes!(export_mine))
        .routes(routes!(set_language))
}

const CREDENTIALS_REQUIRED: &str = "username and password required.";

fn credentials(body: &serde_json::Map<String, serde_json::Value>) -> AppResult<(String, String)> {
    match (text(body, "username"), text(body, "password")) {
        (Some(u), Some(p)) => Ok((normalize_username(&u), p)),
        _ => Err(AppError::bad_request(CREDENTIALS_REQUIRED)),
    }
}

/// A string field that may be absent, null or blank (all meaning none), checked by `parse`.
fn optional_text(
    body: &serde_json::Map<String, serde_json::Value>,
    key: &str,
    parse: fn(&str) -> Result<Option<String>, String>,
) -> AppResult<Option<String>> {
    match body.get(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => parse(s).map_err(AppError::BadRequest),
        Some(_) => Err(AppError::bad_request(format!("{key} must be a string."))),
    }
}

/// The optional `language` of a body: `en` or `de`.
fn language_in(
    body: &serde_json::Map<String, serde_json::Value>,
) -> AppResult<Option<hotel_shared::Language>> {
    match body.get("language") {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(code)) => hotel_shared::Language::parse(code)
            .map(Some)
            .ok_or_else(|| AppError::bad_request("language must be \"en\" or \"de\".")),
        Some(_) => Err(AppError::bad_request("language must be a string.")),
    }
}

/// Creates a guest account. Passwords need at least 8 characters; a name and an e-mail
/// address (one account per address) are optional.
#[utoipa::path(post, path = "/register", tag = "accounts", request_body = Registration,
    responses(
        (status = 201, body = RegisterResponse),
        (status = 400, description = "Missing fields, bad username or short password", body = ErrorBody),
        (status = 409, description = "Username taken (`username_taken`), or e-mail address (`email_taken`)", body = ErrorBody),
        (status = 429, description = "Too many new accounts from this address this hour (`too_many_signups`); `Retry-After` says when", body = ErrorBody),
        (status = 503, description = "Password checks are busy (`busy`); `Retry-After` says when", body = ErrorBody)))]
pub async fn register_account(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let (username, password) = credentials(&body)?;
    let contact = Contact {
        name: optional_text(&body, "name", parse_full_name)?,
        email: optional_text(&body, "email", parse_email)?,
        language: language_in(&body)?.unwrap_or_default(),
    };
    // A name already taken is found by the insert, after the sign-up was counted and the
    // password hashed: it costs the same as a new account, and counts against the address.
    let user = register(&state, caller.ip, &username, &password, contact).await?;
    Ok((
        StatusCode::CREATED,
        Json(RegisterResponse {
            message: "Account created.".into(),
            username: user.username,
        }),
    )
        .into_response())
}

/// Signs in: returns a bearer token and sets the session cookie.
#[utoipa::path(post, path = "/login", tag = "accounts", request_body = Credentials,
    responses(
        (status = 200, body = LoginResponse),
        (status = 400, body = ErrorBody),
        (status = 401, description = "The username or the password is wrong (`wrong_password`): the same answer for a name without an account", body = ErrorBody),
        (status = 429, description = "Too many failed attempts from this address, for this name or over all names (`too_many_sign_in_attempts`)", body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let (username, password) = credentials(&body)?;
    let user = authenticate(
        &state,
        Identity::Password { username, password },
        &caller,
        Unknown::RefuseAsWrongPassword,
    )
    .await?;
    let (token, digest) = new_session_token().map_err(AppError::Internal)?;
    let ttl = state.auth.session_ttl();
    let expires_at = Timestamp::now()
        .checked_add(SignedDuration::try_from(ttl).unwrap_or(SignedDuration::from_hours(24)))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let ended = state
        .store
        .run(StartSession {
            user_id: user.id,
            token_digest: digest,
            expires_at,
        })
        .await?;
    for digest in &ended {
        state.auth.forget_session(digest);
    }
    let mut response = Json(LoginResponse {
        message: format!("Signed in as {}.", user.username),
        username: user.username,
        token: token.clone(),
        expires_at: expires_at.to_string(),
    })
    .into_response();
    if let Some(cookie) = session_cookie(&token, ttl.as_secs(), caller.https) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Ends the session named by the bearer token or cookie; always clears the cookie.
#[utoipa::path(post, path = "/logout", tag = "accounts",
    responses((status = 200, body = MessageResponse)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> AppResult<Response> {
    if let Some(token) = &caller.token {
        let digest = token_digest(token);
        state.auth.forget_session(&digest);
        state
            .store
            .run(EndSession {
                token_digest: digest,
            })
            .await?;
    }
    let mut response = Json(MessageResponse {
        message: "Signed out.".into(),
    })
    .into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cleared_cookie());
    Ok(response)
}

/// Who the session (bearer token or cookie) belongs to.
#[utoipa::path(get, path = "/me", tag = "accounts",
    responses(
        (status = 200, body = Me),
        (status = 401, description = "Not signed in, or the session ended", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn me(State(state): State<AppState>, SignedIn(user): SignedIn) -> AppResult<Json<Me>> {
    let (name, email, language, email_verified) =
        state.store.run(AccountContact { user_id: user.id }).await?;
    Ok(Json(Me {
        username: user.username,
        role: user.role,
        name,
        email,
        language,
        email_verified,
    }))
}

/// The language the hotel writes to the signed-in account's owner in (its messages), on the
/// account and on the guest's profile; audited as `user.language` when it changes.
#[utoipa::path(put, path = "/me/language", tag = "accounts", request_body = hotel_shared::LanguageChoice,
    responses(
        (status = 200, body = Me),
        (status = 400, description = "Not `en` or `de`", body = ErrorBody),
        (status = 401, description = "Not signed in, or the session ended", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn set_language(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    JsonObject(body): JsonObject,
) -> AppResult<Json<Me>> {
    let language = language_in(&body)?
        .ok_or_else(|| AppError::bad_request("language is required: \"en\" or \"de\"."))?;
    state
        .store
        .run(crate::store::ops::accounts::SetLanguage {
            user_id: user.id,
            username: user.username.clone(),
            language,
        })
        .await?;
    me(State(state), SignedIn(user)).await
}

/// Everything the hotel keeps about the signed-in guest, as one JSON document to download:
/// account, guest profile, stays, bills and invoices, and the audit log's entries about them.
#[utoipa::path(get, path = "/me/export", tag = "accounts",
    responses(
        (status = 200, body = hotel_shared::privacy::GuestExport),
        (status = 401, description = "Not signed in, or the session ended", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn export_mine(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> AppResult<Response> {
    let export = state
        .store
        .run(crate::store::ops::privacy::ExportAccount { user_id: user.id })
        .await?;
    Ok(crate::api::json::attachment(Json(export), "my-data.json"))
}

/// Changes the signed-in account's password: the current one is checked (and counted
/// against the sign-in throttle, as any password is), the new one must follow the rules for
/// new passwords, and every other session of the account ends.
#[utoipa::path(post, path = "/me/password", tag = "accounts", request_body = PasswordChange,
    responses(
        (status = 200, body = MessageResponse),
        (status = 400, description = "Missing fields, or a new password too short or too common (`password_too_common`)", body = ErrorBody),
        (status = 401, description = "Not signed in, or the current password is wrong (`wrong_password`)", body = ErrorBody),
        (status = 429, description = "Too many failed attempts from this address (`too_many_sign_in_attempts`)", body = ErrorBody),
        (status = 503, description = "Password checks are busy (`busy`)", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    SignedIn(user): SignedIn,
    JsonObject(body): JsonObject,
) -> AppResult<Json<MessageResponse>> {
    let change: PasswordChange = crate::extract::typed(body)?;
    let checked = authenticate(
        &state,
        Identity::Password {
            username: user.username.clone(),
            password: change.current_password,
        },
        &caller,
        Unknown::RefuseAsWrongPassword,
    )
    .await?;
    if checked.id != user.id {
        return Err(AppError::Unauthorized(Unauthorized::WrongPassword));
    }
    check_new_password(&user.username, &change.new_password).map_err(password_refusal)?;
    let password_hash = state
        .auth
        .hash_password(&change.new_password)
        .await
        .map_err(|e| match e {
            HashFailure::Busy => AppError::Busy,
            HashFailure::Broken(detail) => AppError::Internal(detail),
        })?;
    let keep = caller
        .token
        .as_deref()
        .map(token_digest)
        .unwrap_or_default();
    let ended = state
        .store
        .run(ChangePassword {
            user_id: user.id,
            username: user.username.clone(),
            password_hash,
            keep,
        })
        .await?;
    state.auth.forget_passwords_of(user.id);
    for digest in &ended {
        state.auth.forget_session(digest);
    }
    Ok(Json(MessageResponse {
        message: format!(
            "Password changed. {} other {} signed out.",
            ended.len(),
            if ended.len() == 1 {
                "session was"
            } else {
                "sessions were"
            }
        ),
    }))
}
