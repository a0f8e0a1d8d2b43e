//! The wording of the hotel's messages, per kind and language: read, saved (refused if it
//! would not render, so no message ever fails for its template), set back to the standard,
//! and tried on a real booking before saving.

use axum::extract::State;
use hotel_shared::ErrorBody;
use hotel_shared::mail::{
    MessagePreview, MessageTemplate, Placeholder, PreviewInput, TemplateInput,
};
use hotel_shared::{Language, MessageKind};
use jiff::Timestamp;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::StaffOnly;
use crate::api::identity::StaffMember;
use crate::api::json::Json;
use crate::domain::DomainError;
use crate::domain::mail::{Template, check, placeholders};
use crate::error::{AppError, AppResult};
use crate::extract::{JsonObject, TemplateKey, typed};
use crate::state::AppState;
use crate::store::ops::previews::PreviewBooking;
use crate::store::ops::templates::{SaveTemplate, SavedTemplate, Templates};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read, save, reset))
        .routes(routes!(preview))
}

fn answer(kind: MessageKind, language: Language, saved: Option<Template>) -> MessageTemplate {
    let own = saved.is_some();
    let template = saved.unwrap_or_else(|| Templates::default().for_message(kind, language));
    MessageTemplate {
        kind,
        language,
        subject: template.subject,
        body: template.body,
        own,
        placeholders: placeholders(kind)
            .into_iter()
            .map(|(name, means)| Placeholder {
                name: name.into(),
                means: means.into(),
            })
            .collect(),
    }
}

/// A template as it would be saved: checked for what its kind of message can fill in.
fn checked(kind: MessageKind, subject: String, body: String) -> AppResult<Template> {
    let template = Template { subject, body };
    check(kind, &template).map_err(|e| DomainError::TemplateInvalid(e.to_string()))?;
    Ok(template)
}

/// The wording a kind of message is written with in a language (staff's own, or the
/// standard one), with the placeholders it may use.
#[utoipa::path(get, path = "/staff/templates/{kind}/{language}", tag = "staff",
    params(
        ("kind" = MessageKind, Path, description = "The kind of message"),
        ("language" = Language, Path, description = "en or de")),
    responses((status = 200, body = MessageTemplate), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn read(
    State(state): State<AppState>,
    _staff: StaffMember,
    TemplateKey(kind, language): TemplateKey,
) -> AppResult<Json<MessageTemplate>> {
    let saved = state.store.run(SavedTemplate { kind, language }).await?;
    Ok(Json(answer(kind, language, saved)))
}

/// Saves staff's wording; every message of that kind and language written from now on uses
/// it. Refused (400 `template_invalid`, saying why) when a placeholder is unknown to the
/// message, a `{{` is not closed, a part is blank or too long, or a password reset lacks
/// `{{link}}`. Audited as `message_template.update`.
#[utoipa::path(put, path = "/staff/templates/{kind}/{language}", tag = "staff",
    request_body = TemplateInput,
    params(
        ("kind" = MessageKind, Path, description = "The kind of message"),
        ("language" = Language, Path, description = "en or de")),
    responses(
        (status = 200, body = MessageTemplate),
        (status = 400, description = "Would not render (`template_invalid`)", body = ErrorBody),
        StaffOnly, (status = 404, body = ErrorBody),
        (status = 413, description = "Larger than a request may be (`body_too_large`)", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn save(
    State(state): State<AppState>,
    staff: StaffMember,
    TemplateKey(kind, language): TemplateKey,
    JsonObject(body): JsonObject,
) -> AppResult<Json<MessageTemplate>> {
    let input: TemplateInput = typed(body)?;
    let template = checked(kind, input.subject, input.body)?;
    state
        .store
        .run(SaveTemplate {
            actor: staff.actor(),
            kind,
            language,
            template: Some(template.clone()),
        })
        .await?;
    Ok(Json(answer(kind, language, Some(template))))
}

/// Goes back to the wording that ships with the server. Audited as
/// `message_template.reset` (nothing happens when staff had none of their own).
#[utoipa::path(delete, path = "/staff/templates/{kind}/{language}", tag = "staff",
    params(
        ("kind" = MessageKind, Path, description = "The kind of message"),
        ("language" = Language, Path, description = "en or de")),
    responses((status = 200, body = MessageTemplate), StaffOnly, (status = 404, body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn reset(
    State(state): State<AppState>,
    staff: StaffMember,
    TemplateKey(kind, language): TemplateKey,
) -> AppResult<Json<MessageTemplate>> {
    state
        .store
        .run(SaveTemplate {
            actor: staff.actor(),
            kind,
            language,
            template: None,
        })
        .await?;
    Ok(Json(answer(kind, language, None)))
}

/// The message a wording (saved or not) gives for a real booking: the one named, else the
/// newest. Nothing is sent or saved. 400 `template_invalid` as for saving; 404
/// `no_booking_to_preview` when there is no such booking.
#[utoipa::path(post, path = "/staff/templates/{kind}/{language}/preview", tag = "staff",
    request_body = PreviewInput,
    params(
        ("kind" = MessageKind, Path, description = "The kind of message"),
        ("language" = Language, Path, description = "en or de")),
    responses(
        (status = 200, body = MessagePreview),
        (status = 400, body = ErrorBody), StaffOnly, (status = 404, body = ErrorBody),
        (status = 413, description = "Larger than a request may be (`body_too_large`)", body = ErrorBody)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn preview(
    State(state): State<AppState>,
    _staff: StaffMember,
    TemplateKey(kind, language): TemplateKey,
    JsonObject(body): JsonObject,
) -> AppResult<Json<MessagePreview>> {
    let input: PreviewInput = typed(body)?;
    let template = checked(kind, input.subject, input.body)?;
    let reference = match input.reference.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(r) if r.len() <= 16 && r.chars().all(|c| c.is_ascii_alphanumeric()) => {
            Some(r.to_uppercase())
        }
        Some(_) => {
            return Err(AppError::bad_request(
                "reference must be a booking reference such as K7Q2MX.",
            ));
        }
    };
    let (hotel, mut message) = state
        .store
        .run(PreviewBooking {
            kind,
            language,
            reference,
        })
        .await?;
    let reference = message.reference.clone();
    // The preview shows what the guest would read even if their address is missing.
    if message.to.trim().is_empty() {
        message.to = "preview".into();
    }
    let letter = crate::mail::compose::write(
        message,
        &template,
        &hotel,
        state.clock.zone(),
        Timestamp::now(),
        &state.mailer.public_url,
    )
    .map_err(DomainError::TemplateInvalid)?;
    Ok(Json(MessagePreview {
        reference,
        subject: letter.subject,
        text: letter.text,
        html: letter.html,
    }))
}
