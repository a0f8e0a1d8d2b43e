//! Reading the audit log: newest first, narrowed by what changed, who changed it and when.

use hotel_shared::staff::AuditEntry;

use crate::store::StoreResult;
use crate::store::sql::{Op, SqlRow, Tx, Value};

/// What the log is narrowed to; every field narrows it further.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Entries older than this id.
    pub before: Option<i64>,
    /// An action (`booking.check_in`), or a kind of action (`booking`: every `booking.…`).
    pub action: Option<String>,
    /// Who made the change, by username.
    pub actor: Option<String>,
    /// The thing changed: its kind (`booking`) and id.
    pub entity: Option<(String, String)>,
    /// From this instant (UTC text, as `at` is written) …
    pub since: Option<String>,
    /// … until before this one.
    pub until: Option<String>,
    pub limit: u32,
}

pub struct AuditTrail(pub AuditFilter);

impl Op for AuditTrail {
    type Out = Vec<AuditEntry>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<AuditEntry>> {
        let f = &self.0;
        let mut conditions: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let mut push = |condition: &str, value: Value| {
            values.push(value);
            conditions.push(condition.replace('?', &format!("${}", values.len())));
        };
        push("id < ?", f.before.unwrap_or(i64::MAX).into());
        if let Some(action) = &f.action {
            push(
                "(action = ? OR action LIKE ? || '.%')",
                action.clone().into(),
            );
        }
        if let Some(actor) = &f.actor {
            push("actor = ?", actor.clone().into());
        }
        if let Some((entity, id)) = &f.entity {
            push("entity = ?", entity.clone().into());
            push("entity_id = ?", id.clone().into());
        }
        if let Some(since) = &f.since {
            push("at >= ?", since.clone().into());
        }
        if let Some(until) = &f.until {
            push("at < ?", until.clone().into());
        }
        let sql = format!(
            "SELECT id, at, actor, action, entity, entity_id, before_json, after_json \
             FROM audit_log WHERE {} ORDER BY id DESC LIMIT {}",
            conditions.join(" AND "),
            f.limit.max(1)
        );
        tx.query(&sql, values)
            .await?
            .iter()
            .map(entry_from)
            .collect()
    }
}

/// An entry as read with `SELECT id, at, actor, action, entity, entity_id, before_json,
/// after_json`.
pub(crate) fn entry_from(r: &SqlRow) -> StoreResult<AuditEntry> {
    Ok(AuditEntry {
        id: r.int("id")?,
        at: r.text("at")?,
        actor: r.text("actor")?,
        action: hotel_shared::AuditAction::parse(&r.text("action")?),
        entity: r.text("entity")?,
        entity_id: r.text("entity_id")?,
        before: r.opt_text("before_json")?,
        after: r.opt_text("after_json")?,
    })
}
