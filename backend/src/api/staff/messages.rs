//! The hotel's messages to guests as the desk sees them: each with where it stands, what it
//! says, and *Send again*.

use crate::api::json::Json;
use axum::extract::State;
use hotel_shared::ErrorBody;
use hotel_shared::MessageStatus;
use hotel_shared::mail::{Message, MessageContent, MessageList};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{StaffOnly, list_limit};
use crate::api::identity::StaffMember;
use crate::api::paging::{id_cursor, page};
use crate::error::{AppError, AppResult};
use crate::extract::{MessageId, QueryOf, query_number};
use crate::state::AppState;
use crate::store::ops::messages::{MessageById, MessageFilter, Messages, SendAgain};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(read))
        .routes(routes!(send_again))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageQuery {
    /// Only messages that stand so: `queued`, `sent` or `failed` (empty: all)
    #[param(pattern = "^(queued|sent|failed)?$")]
    status: Option<String>,
    /// Only messages about this booking reference (empty: all)
    #[param(pattern = "^[A-Za-z0-9]{0,16}$")]
    reference: Option<String>,
    /// Only messages to this guest account (its user id)
    #[param(value_type = Option<i64>)]
    guest: Option<String>,
    /// At most this many (200 by default, 1000 at most)
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
    /// `next_cursor` of the page before
    cursor: Option<String>,
}

/// Messages to guests, newest first, narrowed by status, booking reference or guest; a page at
/// a time.
#[utoipa::path(get, path = "/staff/messages", tag = "staff",
    params(MessageQuery),
    responses((status = 200, body = MessageList), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<MessageQuery>,
) -> AppResult<Json<MessageList>> {
    let limit = list_limit(query_number(query.limit.as_deref(), "limit")?)?;
    let status = match query.status.as_deref() {
        None | Some("") => None,
        Some(word) => match MessageStatus::parse(word) {
            MessageStatus::Unknown => {
                return Err(AppError::bad_request(
                    "status must be queued, sent or failed.",
                ));
            }
            status => Some(status),
        },
    };
    let reference = query
        .reference
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(str::to_uppercase);
    if reference
        .as_deref()
        .is_some_and(|r| r.len() > 16 || !r.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(AppError::bad_request(
            "reference must be a booking reference such as K7Q2MX.",
        ));
    }
    let found = state
        .store
        .run(Messages(MessageFilter {
            status,
            reference,
            user_id: query_number(query.guest.as_deref(), "guest")?,
            before: id_cursor(query.cursor.as_deref())?,
            limit: limit + 1,
        }))
        .await?;
    let (messages, next_cursor) = page(found, limit, |m| vec![m.id.to_string()]);
    Ok(Json(MessageList {
        messages,
        next_cursor,
    }))
}

/// One message with what it says (plain text and HTML) and the name of its attachment.
#[utoipa::path(get, path = "/staff/messages/{id}", tag = "staff",
    params(("id" = i64, Path, description = "Message id")),
    responses((status = 200, body = MessageContent), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn read(
    State(state): State<AppState>,
    _staff: StaffMember,
    MessageId(id): MessageId,
) -> AppResult<Json<MessageContent>> {
    Ok(Json(state.store.run(MessageById(id)).await?))
}

/// *Send again*: queues the message to go at once (a sent one goes a second time), tried for
/// another day if the mail server fails. One that had no e-mail address is written out again
/// from the guest's profile as it is now. Refused (409 `message_being_sent`) while a worker
/// is sending it. Audited as `message.send_again`.
#[utoipa::path(post, path = "/staff/messages/{id}/send-again", tag = "staff",
    params(("id" = i64, Path, description = "Message id")),
    responses(
        (status = 200, body = Message), StaffOnly,
        (status = 404, body = ErrorBody),
        (status = 409, description = "Being sent this moment", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn send_again(
    State(state): State<AppState>,
    staff: StaffMember,
    MessageId(id): MessageId,
) -> AppResult<Json<Message>> {
    Ok(Json(
        state
            .store
            .run(SendAgain {
                actor: staff.actor(),
                id,
            })
            .await?,
    ))
}
