//! Keys for programs, staff's half: made (the secret shown once), listed, revoked. Only a
//! member of staff signed in manages keys; no key can make another.

use crate::api::json::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorBody;
use hotel_shared::keys::{ApiKey, ApiKeyInput, ApiKeyList, NewApiKey};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::StaffOnly;
use crate::api::identity::StaffMember;
use crate::api::paging::{IdPageQuery, id_page};
use crate::auth::new_api_key;
use crate::domain::api_keys::{check_name, check_scopes};
use crate::error::{AppError, AppResult};
use crate::extract::{ApiKeyId, JsonObject, QueryOf, typed};
use crate::state::AppState;
use crate::store::ops::Actor;
use crate::store::ops::api_keys::{CreateKey, KeyRef, ListKeys, RevokeKey};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(keys, create_key))
        .routes(routes!(revoke_key))
}

/// Every API key, revoked ones too, by id: name, scopes, last four characters, who made it
/// and when, when it was last used (to the minute). Never a secret.
#[utoipa::path(get, path = "/staff/api-keys", tag = "integrations",
    params(IdPageQuery),
    responses((status = 200, body = ApiKeyList), (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn keys(
    State(state): State<AppState>,
    _staff: StaffMember,
    QueryOf(query): QueryOf<IdPageQuery>,
) -> AppResult<Json<ApiKeyList>> {
    let limit = query.limit()?;
    let found = state
        .store
        .run(ListKeys {
            after: query.after()?.unwrap_or(0),
            limit: limit + 1,
        })
        .await?;
    let (keys, next_cursor) = id_page(found, limit, |k| k.id);
    Ok(Json(ApiKeyList { keys, next_cursor }))
}

/// Makes a key for a program, with the scopes it may use: `read` (every staff read and
/// `GET /events`), `bookings` (make, change, cancel, check in and out bookings, write their
/// guests), `rates` (rates calendar, rate plans, out-of-service ranges). The answer holds
/// the key (`secret`), shown this once: the server keeps only its digest. A key never
/// expires by itself; revoke it when done.
#[utoipa::path(post, path = "/staff/api-keys", tag = "integrations",
    request_body = ApiKeyInput,
    responses(
        (status = 201, body = NewApiKey),
        (status = 400, body = ErrorBody), StaffOnly,
        (status = 409, description = "A key has this name already", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_key(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Response> {
    let input: ApiKeyInput = typed(body)?;
    let key = make_key(&state.store, staff.actor(), input).await?;
    Ok((StatusCode::CREATED, Json(key)).into_response())
}

/// Checks and makes a key; `hotel-server api-key create` makes keys the same way.
pub async fn make_key(
    store: &crate::store::Store,
    actor: Actor,
    input: ApiKeyInput,
) -> AppResult<NewApiKey> {
    check_name(&input.name).map_err(AppError::BadRequest)?;
    let scopes = check_scopes(&input.scopes).map_err(AppError::BadRequest)?;
    let new = new_api_key().map_err(AppError::Internal)?;
    let key = store
        .run(CreateKey {
            actor,
            name: input.name,
            scopes,
            digest: new.digest,
            ends_with: new.ends_with,
        })
        .await?;
    Ok(NewApiKey {
        key,
        secret: new.secret,
    })
}

/// Revokes the key: from now on it opens nothing, on every instance at once. Answers the key
/// as it now stands; revoking a revoked key changes nothing.
#[utoipa::path(delete, path = "/staff/api-keys/{id}", tag = "integrations",
    params(("id" = i64, Path, description = "API key id")),
    responses((status = 200, body = ApiKey), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn revoke_key(
    State(state): State<AppState>,
    staff: StaffMember,
    ApiKeyId(id): ApiKeyId,
) -> AppResult<Json<ApiKey>> {
    let key = state
        .store
        .run(RevokeKey {
            actor: staff.actor(),
            key: KeyRef::Id(id),
        })
        .await?;
    state.auth.forget_keys();
    Ok(Json(key))
}
