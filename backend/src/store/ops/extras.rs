//! The extras a hotel sells (breakfast, parking, the minibar): listed, added, changed,
//! retired. Bills post them (`ops::folio`); rate plans may include them.

use hotel_shared::AuditAction;
use hotel_shared::folio::{Extra, ExtraInput, RevenueCategory};

use super::{Actor, audit};
use crate::domain::DomainError;
use crate::store::StoreResult;
use crate::store::sql::{Op, SqlRow, Tx, params, query_opt};

fn extra_from(r: &SqlRow) -> StoreResult<Extra> {
    Ok(Extra {
        id: r.int("id")?,
        name: r.text("name")?,
        price: r.int("price")?,
        per_person_night: r.bool("per_person_night")?,
        retired: r.bool("retired")?,
        tax_rate_id: r.opt_int("tax_rate_id")?,
        category: RevenueCategory::parse(&r.text("category")?).unwrap_or_default(),
    })
}

pub(super) async fn extra<T: Tx>(tx: &mut T, id: i64) -> StoreResult<Extra> {
    query_opt(
        tx,
        "SELECT id, name, price, per_person_night, retired, tax_rate_id, category FROM extras \
         WHERE id = $1",
        params![id],
    )
    .await?
    .map(|r| extra_from(&r))
    .transpose()?
    .ok_or_else(|| DomainError::ExtraNotFound(id).into())
}

/// The hotel's extras: those on sale first, by name.
pub struct ListExtras;

impl Op for ListExtras {
    type Out = Vec<Extra>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Extra>> {
        tx.query(
            "SELECT id, name, price, per_person_night, retired, tax_rate_id, category FROM extras \
             ORDER BY retired, name",
            params![],
        )
        .await?
        .iter()
        .map(extra_from)
        .collect()
    }
}

/// Adds an extra (`id` absent) or changes one; a change applies to postings from now on.
pub struct SaveExtra {
    pub actor: Actor,
    pub id: Option<i64>,
    pub input: ExtraInput,
}

impl Op for SaveExtra {
    type Out = Extra;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    // Plans include extras: with prices before VAT, quotes add each one's VAT.
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Extra> {
        let name = self.input.name.trim().to_string();
        let clash = query_opt(
            tx,
            "SELECT id FROM extras WHERE LOWER(name) = LOWER($1)",
            params![&name],
        )
        .await?;
        if let Some(row) = clash
            && Some(row.int("id")?) != self.id
        {
            return Err(DomainError::ExtraNameTaken(name).into());
        }
        super::taxes::check_tax_rate(tx, self.input.tax_rate_id).await?;
        let (before, id) = match self.id {
            Some(id) => {
                let before = extra(tx, id).await?;
                tx.execute(
                    "UPDATE extras SET name = $1, price = $2, per_person_night = $3 WHERE id = $4",
                    params![&name, self.input.price, self.input.per_person_night, id],
                )
                .await?;
                if let Some(tax_rate) = self.input.tax_rate_id {
                    tx.execute(
                        "UPDATE extras SET tax_rate_id = $1 WHERE id = $2",
                        params![tax_rate, id],
                    )
                    .await?;
                }
                if let Some(category) = self.input.category {
                    tx.execute(
                        "UPDATE extras SET category = $1 WHERE id = $2",
                        params![category.as_str(), id],
                    )
                    .await?;
                }
                (Some(before), id)
            }
            None => {
                let id = tx
                    .insert_id(
                        "INSERT INTO extras (name, price, per_person_night, retired, tax_rate_id, \
                         category) VALUES ($1, $2, $3, FALSE, $4, $5)",
                        params![
                            &name,
                            self.input.price,
                            self.input.per_person_night,
                            self.input.tax_rate_id.flatten(),
                            self.input.category.unwrap_or_default().as_str()
                        ],
                    )
                    .await?;
                (None, id)
            }
        };
        let after = extra(tx, id).await?;
        let action = if before.is_some() {
            AuditAction::ExtraUpdate
        } else {
            AuditAction::ExtraCreate
        };
        audit(
            tx,
            &self.actor,
            action,
            "extra",
            id,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

/// Takes an extra off the list (`retired`), or puts it back; bills keep what was posted.
pub struct RetireExtra {
    pub actor: Actor,
    pub id: i64,
    pub retired: bool,
}

impl Op for RetireExtra {
    type Out = Extra;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Extra> {
        let before = extra(tx, self.id).await?;
        tx.execute(
            "UPDATE extras SET retired = $1 WHERE id = $2",
            params![self.retired, self.id],
        )
        .await?;
        let after = Extra {
            retired: self.retired,
            ..before.clone()
        };
        let action = if self.retired {
            AuditAction::ExtraRetire
        } else {
            AuditAction::ExtraRestore
        };
        audit(
            tx,
            &self.actor,
            action,
            "extra",
            self.id,
            Some(&before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}
