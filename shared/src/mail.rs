//! The hotel's messages to its guests, as the desk sees them: what each is about, to whom,
//! and whether it went.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::{Language, MessageKind, MessageStatus};

/// One message to a guest (`GET /staff/messages`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Message {
    pub id: i64,
    pub kind: MessageKind,
    pub status: MessageStatus,
    /// The address it goes to.
    pub to: String,
    /// The guest's name as the message greets them.
    pub name: String,
    pub language: Language,
    /// Empty until the message is written, a moment after the change that caused it.
    pub subject: String,
    /// The booking reference the message is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The booking (one of its rooms) the message is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_id: Option<i64>,
    /// Tries so far.
    pub attempts: u32,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub created_at: String,
    /// When the mail server took it (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub sent_at: Option<String>,
    /// When it is tried next, while queued (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub next_attempt_at: Option<String>,
    /// The mail server's answer to the last try that failed, word for word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// `GET /staff/messages[?status=…&booking=…&limit=N&cursor=…]`, newest first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MessageList {
    pub messages: Vec<Message>,
    /// Pass as `cursor` for older messages; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `GET /staff/messages/{id}`: a message with what it says.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MessageContent {
    pub message: Message,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
    /// The attached file's name (`booking-ABC123.ics`), if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<String>,
}

/// A placeholder a template may use, and what it stands for.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Placeholder {
    /// Written `{{name}}` in a template.
    pub name: String,
    pub means: String,
}

/// `GET /staff/templates/{kind}/{language}`: the wording one kind of message is written with.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MessageTemplate {
    pub kind: MessageKind,
    pub language: Language,
    /// One line; placeholders allowed.
    pub subject: String,
    /// Plain text: a blank line starts a paragraph.
    pub body: String,
    /// Whether staff wrote it (`false`: the wording that ships with the server).
    pub own: bool,
    /// What this kind of message may use.
    pub placeholders: Vec<Placeholder>,
}

/// `PUT /staff/templates/{kind}/{language}`: staff's wording.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TemplateInput {
    /// At most 200 characters, one line.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub subject: String,
    /// At most 20,000 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
    pub body: String,
}

/// `POST /staff/templates/{kind}/{language}/preview`: a wording, saved or not, to try on a
/// booking.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PreviewInput {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub subject: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20000))]
    pub body: String,
    /// The booking to try it on (the newest booking when absent or empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9]{0,16}$"))]
    pub reference: Option<String>,
}

/// The message as that booking's guest would get it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MessagePreview {
    /// The booking it was written for.
    pub reference: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}
