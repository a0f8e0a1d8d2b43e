//! The hotel's own wording of its messages, kept in `settings` (one row per message kind and
//! language, `template.confirmation.de`); a kind and language with no row is written with the
//! template that ships with the server.

use std::collections::HashMap;

use hotel_shared::{AuditAction, Language, MessageKind};

use super::{Actor, audit};
use crate::domain::letters::default_template;
use crate::domain::mail::Template;
use crate::store::sql::{Op, Tx, params, query_opt};
use crate::store::{StoreError, StoreResult};

fn key(kind: MessageKind, language: Language) -> String {
    format!("template.{}.{}", kind.as_str(), language.as_str())
}

/// The templates staff saved, by kind and language.
#[derive(Debug, Clone, Default)]
pub struct Templates(HashMap<(MessageKind, Language), Template>);

impl Templates {
    /// The template a message of `kind` in `language` is written with.
    pub fn for_message(&self, kind: MessageKind, language: Language) -> Template {
        self.0
            .get(&(kind, language))
            .cloned()
            .unwrap_or_else(|| default_template(kind, language))
    }
}

/// Every template staff saved (a handful of rows).
pub(super) async fn saved_templates<T: Tx>(tx: &mut T) -> StoreResult<Templates> {
    let mut out = HashMap::new();
    for row in tx
        .query(
            "SELECT name, value FROM settings WHERE name LIKE 'template.%'",
            params![],
        )
        .await?
    {
        let name = row.text("name")?;
        let mut parts = name.split('.').skip(1);
        let (Some(kind), Some(language)) = (parts.next(), parts.next()) else {
            continue;
        };
        let (kind, Some(language)) = (MessageKind::parse(kind), Language::parse(language)) else {
            continue;
        };
        let template: Template = serde_json::from_str(&row.text("value")?)
            .map_err(|e| StoreError::Database(format!("stored template {name}: {e}")))?;
        out.insert((kind, language), template);
    }
    Ok(Templates(out))
}

/// The template staff saved for `kind` in `language`, if they did.
pub struct SavedTemplate {
    pub kind: MessageKind,
    pub language: Language,
}

impl Op for SavedTemplate {
    type Out = Option<Template>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Option<Template>> {
        saved(tx, self.kind, self.language).await
    }
}

async fn saved<T: Tx>(
    tx: &mut T,
    kind: MessageKind,
    language: Language,
) -> StoreResult<Option<Template>> {
    query_opt(
        tx,
        "SELECT value FROM settings WHERE name = $1",
        params![key(kind, language)],
    )
    .await?
    .map(|row| {
        serde_json::from_str(&row.text("value")?)
            .map_err(|e| StoreError::Database(format!("stored template: {e}")))
    })
    .transpose()
}

/// Keeps staff's template for `kind` in `language` (checked already by
/// `domain::mail::check`), or with `None` goes back to the one that ships with the server.
pub struct SaveTemplate {
    pub actor: Actor,
    pub kind: MessageKind,
    pub language: Language,
    pub template: Option<Template>,
}

impl Op for SaveTemplate {
    type Out = ();
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<()> {
        let name = key(self.kind, self.language);
        let before = saved(tx, self.kind, self.language).await?;
        match &self.template {
            Some(template) => {
                let json = serde_json::to_string(template)
                    .map_err(|e| StoreError::Database(e.to_string()))?;
                tx.execute(
                    "INSERT INTO settings (name, value) VALUES ($1, $2) \
                     ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    params![&name, json],
                )
                .await?;
            }
            None if before.is_none() => return Ok(()),
            None => {
                tx.execute("DELETE FROM settings WHERE name = $1", params![&name])
                    .await?;
            }
        }
        let action = match self.template {
            Some(_) => AuditAction::MessageTemplateUpdate,
            None => AuditAction::MessageTemplateReset,
        };
        let id = format!("{}.{}", self.kind.as_str(), self.language.as_str());
        audit(
            tx,
            &self.actor,
            action,
            "message_template",
            &id,
            before.as_ref(),
            self.template.as_ref(),
        )
        .await
    }
}
