//! Confirming a guest's e-mail address: `POST /verify-email` with the mailed link's token, and
//! `POST /me/verify-email` for a new link.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotel_shared::{EmailToken, ErrorBody, MessageResponse};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::identity::SignedIn;
use crate::api::json::Json;
use crate::auth::{new_session_token, token_digest};
use crate::error::{AppError, AppResult};
use crate::extract::{JsonObject, typed};
use crate::state::AppState;
use crate::store::ops::verification::{ConfirmEmail, LinkAgain, MailLinkAgain, NewLink};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(verify_email))
        .routes(routes!(mail_link_again))
}

/// Confirms the e-mail address a sign-up gave, with the token of the link mailed to it. A
/// link works once, for three days, and only while the account still has that address (400
/// `email_link_invalid` otherwise). No sign-in needed: the link is the proof. Audited as
/// `user.email_verified`.
#[utoipa::path(post, path = "/verify-email", tag = "accounts", request_body = EmailToken,
    responses(
        (status = 200, body = MessageResponse),
        (status = 400, description = "The link is not valid (`email_link_invalid`)", body = ErrorBody)))]
pub async fn verify_email(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> AppResult<Json<MessageResponse>> {
    let given: EmailToken = typed(body)?;
    state
        .store
        .run(ConfirmEmail {
            digest: token_digest(given.token.trim()),
            now: jiff::Timestamp::now().as_second(),
        })
        .await?;
    Ok(Json(MessageResponse {
        message: "Your e-mail address is confirmed.".into(),
    }))
}

/// Mails the signed-in account a new link to confirm its address (202; at most three an
/// hour reach the inbox). 200 when the address is confirmed already; 400 when the account has
/// none.
#[utoipa::path(post, path = "/me/verify-email", tag = "accounts",
    responses(
        (status = 202, description = "A link is on its way", body = MessageResponse),
        (status = 200, description = "Confirmed already", body = MessageResponse),
        (status = 400, description = "The account has no e-mail address", body = ErrorBody),
        (status = 401, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn mail_link_again(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> AppResult<Response> {
    let (token, digest) = new_session_token().map_err(AppError::Internal)?;
    let outcome = state
        .store
        .run(MailLinkAgain {
            user_id: user.id,
            link: NewLink { token, digest },
            now: jiff::Timestamp::now().as_second(),
        })
        .await?;
    let (status, message) = match outcome {
        LinkAgain::Mailed => (
            StatusCode::ACCEPTED,
            "A new link to confirm your address is on its way.",
        ),
        LinkAgain::AlreadyConfirmed => {
            (StatusCode::OK, "Your e-mail address is confirmed already.")
        }
        LinkAgain::NoAddress => {
            return Err(AppError::bad_request(
                "Your account has no e-mail address to confirm.",
            ));
        }
    };
    Ok((
        status,
        Json(MessageResponse {
            message: message.into(),
        }),
    )
        .into_response())
}
