//! "Forgot password?": `POST /password-reset` mails a link, `POST /password-reset/confirm`
//! sets the new password with it. For guests and staff alike.

use crate::api::json::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotel_shared::{ErrorBody, MessageResponse, PasswordResetConfirm, PasswordResetRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::identity::password_refusal;
use crate::auth::{HashFailure, new_session_token, token_digest};
use crate::domain::DomainError;
use crate::domain::accounts::check_new_password;
use crate::domain::limits::client_subject;
use crate::error::{AppError, AppResult};
use crate::extract::{Caller, JsonObject, typed};
use crate::state::AppState;
use crate::store::ops::resets::{RequestReset, ResetFor, ResetOwner, UseReset};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
}

/// The one answer to every reset request: it says nothing of whether an account matched.
const ON_ITS_WAY: &str = "If an account has that name or address, a link to set a new password \
     is on its way to its e-mail address. It works once, within the hour.";

/// Mails a link to set a new password to the account with that username or e-mail address
/// (give one). The answer is the same whether or not one matches, and whether or not it has
/// an address; a guest's inbox gets three links an hour at most. Counted per client address
/// (429 `too_many_reset_attempts` past ten an hour).
#[utoipa::path(post, path = "/password-reset", tag = "accounts", request_body = PasswordResetRequest,
    responses(
        (status = 202, body = MessageResponse),
        (status = 400, description = "Neither or both of username and email", body = ErrorBody),
        (status = 429, description = "Too many requests from this address (`too_many_reset_attempts`); `Retry-After` says when", body = ErrorBody)))]
pub async fn request_reset(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    // The schema has no null for either field: a null is a client's mistake, said so.
    if body.values().any(serde_json::Value::is_null) {
        return Err(AppError::bad_request(
            "username and email are strings; leave out the one not given.",
        ));
    }
    let asked: PasswordResetRequest = typed(body)?;
    let given = |v: &str| !v.trim().is_empty() && v.chars().count() <= 254;
    let who = match (&asked.username, &asked.email) {
        (Some(name), None) if given(name) => ResetFor::Username(name.clone()),
        (None, Some(email)) if given(email) => ResetFor::Email(email.clone()),
        _ => {
            return Err(AppError::bad_request(
                "Give a username or an e-mail address, one of the two, not blank, at most 254 characters.",
            ));
        }
    };
    // A token is made for every request, matched or not: both take the same path.
    let (token, digest) = new_session_token().map_err(AppError::Internal)?;
    state
        .store
        .run(RequestReset {
            who,
            token,
            digest,
            client: client_subject(caller.ip),
            now: jiff::Timestamp::now().as_second(),
        })
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(MessageResponse {
            message: ON_ITS_WAY.into(),
        }),
    )
        .into_response())
}

/// Sets a new password with the mailed link's token. The password follows the sign-up rules;
/// every session of the account ends (sign in again). A link works once, within the hour
/// (400 `reset_link_invalid` otherwise); wrong links are counted per client address (429
/// `too_many_reset_attempts`). Audited as `user.password_reset`.
#[utoipa::path(post, path = "/password-reset/confirm", tag = "accounts", request_body = PasswordResetConfirm,
    responses(
        (status = 200, body = MessageResponse),
        (status = 400, description = "The link is not valid (`reset_link_invalid`), or the password breaks a rule", body = ErrorBody),
        (status = 429, description = "Too many wrong links from this address (`too_many_reset_attempts`)", body = ErrorBody),
        (status = 503, description = "Password hashing is busy (`busy`)", body = ErrorBody)))]
pub async fn confirm_reset(
    State(state): State<AppState>,
    caller: Caller,
    JsonObject(body): JsonObject,
) -> AppResult<Json<MessageResponse>> {
    let confirm: PasswordResetConfirm = typed(body)?;
    let digest = token_digest(confirm.token.trim());
    let now = jiff::Timestamp::now().as_second();
    let (user_id, username) = state
        .store
        .run(ResetOwner {
            digest,
            client: client_subject(caller.ip),
            now,
        })
        .await?
        .ok_or(DomainError::ResetLinkInvalid)?;
    check_new_password(&username, &confirm.password).map_err(password_refusal)?;
    let password_hash = state
        .auth
        .hash_password(&confirm.password)
        .await
        .map_err(|e| match e {
            HashFailure::Busy => AppError::Busy,
            HashFailure::Broken(detail) => AppError::Internal(detail),
        })?;
    let ended = state
        .store
        .run(UseReset {
            digest,
            user_id,
            username,
            password_hash,
            now,
        })
        .await?;
    state.auth.forget_passwords_of(user_id);
    for digest in &ended {
        state.auth.forget_session(digest);
    }
    Ok(Json(MessageResponse {
        message: "Your new password is set. Sign in with it.".into(),
    }))
}
