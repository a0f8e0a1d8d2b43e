//! The hotel as guests see it: `GET /hotel` (name, address, times, words, photos) and
//! `GET /photos/{id}`; staff edit it with `PUT /staff/hotel` and `POST`/`DELETE
//! /staff/photos`.

use crate::api::json::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hotel_shared::ErrorBody;
use hotel_shared::ErrorCode;
use hotel_shared::staff::{HotelDetails, HotelProfile, Photo};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::identity::StaffMember;
use super::staff::StaffOnly;
use crate::domain::hotel::{ImageKind, MAX_PHOTO_BYTES, check_details, sniff_image};
use crate::domain::photo::{PhotoRefusal, clean_photo};
use crate::error::{AppError, AppResult};
use crate::extract::{JsonObject, PhotoId, QueryOf, query_number, typed};
use crate::state::AppState;
use crate::store::ops::hotel::{
    AddPhoto, HotelProfileRead, PhotoBytes, RemovePhoto, SaveHotelDetails,
};

/// Photos are decoded one at a time.
static PHOTO_TURN: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// A photo as its bytes (JPEG, PNG or WebP).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct ImageFile(#[allow(dead_code)] Vec<u8>);

/// The largest request body the photo upload takes: a photo at the limit, so that one just
/// over it is told so by its own code rather than cut off.
pub const PHOTO_LIMIT: usize = MAX_PHOTO_BYTES + 1;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(profile))
        .routes(routes!(photo))
        .routes(routes!(save_details))
        .routes(routes!(remove_photo))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(add_photo))
                .layer(DefaultBodyLimit::max(PHOTO_LIMIT)),
        )
}

/// Whether `request` uploads a photo: the one request whose body may be large and not JSON.
pub fn is_photo_upload(request: &Request) -> bool {
    request.method() == Method::POST && request.uri().path() == hotel_shared::paths::staff::PHOTOS
}

/// The hotel's name, address, contact, check-in and check-out times, description, house
/// rules and photos (of the hotel, and per room type: `GET /quote` describes the types). A
/// new hotel shows an example to edit.
#[utoipa::path(get, path = "/hotel", tag = "hotel",
    responses((status = 200, body = HotelProfile)))]
pub async fn profile(State(state): State<AppState>) -> AppResult<Json<HotelProfile>> {
    let (details, photos) = state.store.run(HotelProfileRead).await?;
    Ok(Json(HotelProfile {
        details,
        currency: state.store.currency().to_string(),
        timezone: state.clock.name().to_string(),
        photos,
    }))
}

/// One photo. Photos never change (a new one gets a new id), so browsers keep them a year.
#[utoipa::path(get, path = "/photos/{id}", tag = "hotel",
    params(("id" = i64, Path, description = "Photo id")),
    responses(
        (status = 200, description = "The image", content((ImageFile = "image/jpeg"), (ImageFile = "image/png"))),
        (status = 404, body = ErrorBody)))]
pub async fn photo(State(state): State<AppState>, PhotoId(id): PhotoId) -> AppResult<Response> {
    let (content_type, bytes) = state
        .store
        .run(PhotoBytes(id))
        .await?
        .ok_or(AppError::Domain(crate::domain::DomainError::PhotoNotFound(
            id,
        )))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Replaces the hotel's details.
#[utoipa::path(put, path = "/staff/hotel", tag = "staff", request_body = HotelDetails,
    responses(
        (status = 200, body = HotelDetails),
        (status = 400, body = ErrorBody), StaffOnly),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn save_details(
    State(state): State<AppState>,
    staff: StaffMember,
    JsonObject(body): JsonObject,
) -> AppResult<Json<HotelDetails>> {
    let details = check_details(typed(body)?).map_err(AppError::BadRequest)?;
    let saved = state
        .store
        .run(SaveHotelDetails {
            actor: staff.actor(),
            details,
        })
        .await?;
    Ok(Json(saved))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PhotoQuery {
    /// The room type the photo shows; the hotel itself when absent
    #[param(value_type = Option<i64>)]
    room_type_id: Option<String>,
}

/// Adds a photo: the body is the image itself (JPEG, PNG or WebP, judged by its content), at
/// most 5 MB.
#[utoipa::path(post, path = "/staff/photos", tag = "staff", params(PhotoQuery),
    request_body(description = "The image itself; it is decoded and kept written anew, without its metadata",
        content((ImageFile = "image/jpeg"), (ImageFile = "image/png"), (ImageFile = "image/webp"),
            (ImageFile = "application/octet-stream"))),
    responses(
        (status = 201, body = Photo),
        (status = 400, description = "Not an image, or unreadable (`not_an_image`), or not JPEG, PNG or WebP (`unsupported_image`)", body = ErrorBody),
        StaffOnly,
        (status = 404, description = "No such room type", body = ErrorBody),
        (status = 409, description = "The photos stored take all the room kept for them, `--max-photo-storage` (`photo_storage_full`)", body = ErrorBody),
        (status = 413, description = "Over 5 MB, or over 24 megapixels or 10,000 pixels a side (`photo_too_large`)", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn add_photo(
    State(state): State<AppState>,
    staff: StaffMember,
    QueryOf(query): QueryOf<PhotoQuery>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> AppResult<Response> {
    let too_large = || AppError::Refused {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        code: ErrorCode::PhotoTooLarge,
        message: "A photo may be at most 5 MB.".into(),
    };
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else if crate::server::is_stalled_body(&e) {
            AppError::BodyStalled
        } else {
            AppError::bad_request("The photo could not be read.")
        }
    })?;
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(too_large());
    }
    let content_type = match sniff_image(&bytes) {
        ImageKind::Photo(kind) => kind,
        ImageKind::Unsupported => {
            return Err(AppError::Refused {
                status: StatusCode::BAD_REQUEST,
                code: ErrorCode::UnsupportedImage,
                message: "Photos must be JPEG, PNG or WebP.".into(),
            });
        }
        ImageKind::NotAnImage => {
            return Err(AppError::Refused {
                status: StatusCode::BAD_REQUEST,
                code: ErrorCode::NotAnImage,
                message: "That is not an image; send a JPEG, PNG or WebP photo.".into(),
            });
        }
    };
    let room_type_id = query_number::<i64>(query.room_type_id.as_deref(), "room_type_id")?;
    // One photo at a time is decoded, off the async workers: each takes up to tens of
    // megabytes and a fraction of a second of a core.
    let _turn = PHOTO_TURN.acquire().await.map_err(|_| AppError::Busy)?;
    let clean = tokio::task::spawn_blocking(move || clean_photo(content_type, &bytes))
        .await
        .map_err(|e| AppError::Internal(format!("photo decoding stopped: {e}")))?
        .map_err(|refusal| AppError::Refused {
            status: match refusal {
                PhotoRefusal::TooManyPixels { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::BAD_REQUEST,
            },
            code: refusal.code(),
            message: refusal.message(),
        })?;
    let photo = state
        .store
        .run(AddPhoto {
            actor: staff.actor(),
            room_type_id,
            content_type: clean.content_type,
            bytes: Bytes::from(clean.bytes),
            storage_limit: state.photo_storage,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(photo)).into_response())
}

/// Removes a photo.
#[utoipa::path(delete, path = "/staff/photos/{id}", tag = "staff",
    params(("id" = i64, Path, description = "Photo id")),
    responses(
        (status = 204, description = "Removed"),
        StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn remove_photo(
    State(state): State<AppState>,
    staff: StaffMember,
    PhotoId(id): PhotoId,
) -> AppResult<StatusCode> {
    state
        .store
        .run(RemovePhoto {
            actor: staff.actor(),
            id,
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
