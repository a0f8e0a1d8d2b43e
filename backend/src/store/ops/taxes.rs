//! The hotel's tax rates: added, given a new percent from a day on, listed.

use std::collections::HashMap;

use hotel_shared::folio::RevenueCategory;
use hotel_shared::rates::IncludedItem;
use hotel_shared::taxes::{
    BasisPoints, CityTax, PriceBasis, PriceBasisSetting, TaxPercent, TaxRate, percent,
};
use hotel_shared::{AuditAction, Booking, Date};
use jiff::Timestamp;

use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::taxes::{NetPricing, NightPart, RateHistory, TaxBook};
use crate::store::sql::{Op, Tx, params, query_opt};
use crate::store::{StoreError, StoreResult};

/// A rate with its percents, earliest first; `percent` is the one that holds on `today`.
async fn rate_by_id<T: Tx>(tx: &mut T, id: i64, today: Date) -> StoreResult<TaxRate> {
    let row = query_opt(
        tx,
        "SELECT id, name FROM tax_rates WHERE id = $1",
        params![id],
    )
    .await?
    .ok_or(DomainError::TaxRateNotFound(id))?;
    let percents = tx
        .query(
            "SELECT valid_from, basis_points FROM tax_rate_periods WHERE tax_rate_id = $1 \
             ORDER BY valid_from",
            params![id],
        )
        .await?
        .iter()
        .map(|p| {
            Ok(TaxPercent {
                valid_from: p.date("valid_from")?,
                percent: percent(p.u32("basis_points")?),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(TaxRate {
        id,
        name: row.text("name")?,
        percent: percents
            .iter()
            .rev()
            .find(|p| p.valid_from <= today)
            .map(|p| p.percent),
        percents,
    })
}

/// Every rate with its percents, the rate of the type of the room `booking` is in, and what
/// its rate plan's nights include: what its bill is taxed by.
pub(crate) async fn tax_book<T: Tx>(tx: &mut T, booking: &Booking) -> StoreResult<TaxBook> {
    let mut book = TaxBook {
        rates: rate_histories(tx).await?,
        net_prices: price_basis(tx).await? == PriceBasis::Net,
        ..TaxBook::default()
    };
    if !book.rates.is_empty() {
        book.room_rate = query_opt(
            tx,
            "SELECT t.tax_rate_id FROM rooms r JOIN room_types t ON t.id = r.type_id \
             WHERE r.number = $1",
            params![booking.room_number],
        )
        .await?
        .map(|r| r.opt_int("tax_rate_id"))
        .transpose()?
        .flatten();
    }
    book.includes = night_includes(tx, booking.rate_plan_id).await?;
    Ok(book)
}

/// Every rate with its percents, earliest first.
pub(crate) async fn rate_histories<T: Tx>(tx: &mut T) -> StoreResult<HashMap<i64, RateHistory>> {
    let mut rates = HashMap::new();
    for row in tx
        .query(
            "SELECT r.id, r.name, p.valid_from, p.basis_points FROM tax_rates r \
             JOIN tax_rate_periods p ON p.tax_rate_id = r.id ORDER BY r.id, p.valid_from",
            params![],
        )
        .await?
    {
        let rate = rates
            .entry(row.int("id")?)
            .or_insert_with(RateHistory::default);
        if rate.name.is_empty() {
            rate.name = row.text("name")?;
        }
        rate.percents
            .push((row.date("valid_from")?, row.u32("basis_points")?));
    }
    Ok(rates)
}

/// Whether the hotel enters its prices as guests pay them or before VAT.
pub(crate) async fn price_basis<T: Tx>(tx: &mut T) -> StoreResult<PriceBasis> {
    let row = query_opt(
        tx,
        "SELECT value FROM settings WHERE name = 'price_basis'",
        params![],
    )
    .await?;
    Ok(match row {
        Some(r) if r.text("value")? == PriceBasis::Net.as_str() => PriceBasis::Net,
        _ => PriceBasis::Gross,
    })
}

/// The hotel's rates when it enters its prices before VAT: what charges are grossed up by.
pub(crate) async fn net_pricing<T: Tx>(tx: &mut T) -> StoreResult<Option<NetPricing>> {
    if price_basis(tx).await? == PriceBasis::Gross {
        return Ok(None);
    }
    Ok(Some(NetPricing {
        rates: rate_histories(tx).await?,
    }))
}

/// Sets whether the prices the hotel enters include VAT. Prices already entered keep their
/// figures (which then mean the other thing); bookings keep what they were booked at.
pub struct SetPriceBasis {
    pub actor: Actor,
    pub basis: PriceBasis,
}

impl Op for SetPriceBasis {
    type Out = PriceBasisSetting;
    const WRITES: bool = true;
    // Quotes and bookings price from the catalog, which holds the basis.
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<PriceBasisSetting> {
        let before = PriceBasisSetting {
            basis: price_basis(tx).await?,
        };
        let after = PriceBasisSetting { basis: self.basis };
        tx.execute(
            "INSERT INTO settings (name, value) VALUES ('price_basis', $1) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            params![self.basis.as_str()],
        )
        .await?;
        if before != after {
            audit(
                tx,
                &self.actor,
                AuditAction::PriceBasisChange,
                "hotel",
                "price_basis",
                Some(&before),
                Some(&after),
            )
            .await?;
        }
        Ok(after)
    }
}

/// Whether the hotel's prices are entered with VAT or before it.
pub struct GetPriceBasis;

impl Op for GetPriceBasis {
    type Out = PriceBasisSetting;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<PriceBasisSetting> {
        Ok(PriceBasisSetting {
            basis: price_basis(tx).await?,
        })
    }
}

/// What the nights of rate plan `plan` include, each at its own rate or its extra's.
async fn night_includes<T: Tx>(tx: &mut T, plan: Option<i64>) -> StoreResult<Vec<NightPart>> {
    let Some(plan) = plan else {
        return Ok(Vec::new());
    };
    let Some(row) = query_opt(
        tx,
        "SELECT includes_json FROM rate_plans WHERE id = $1",
        params![plan],
    )
    .await?
    else {
        return Ok(Vec::new());
    };
    let items: Vec<IncludedItem> = serde_json::from_str(&row.text("includes_json")?)
        .map_err(|e| StoreError::Database(format!("rate plan includes: {e}")))?;
    let mut parts = Vec::with_capacity(items.len());
    for item in items {
        // An extra retired since still splits the nights booked while it was included.
        let Some(extra) = query_opt(
            tx,
            "SELECT name, price, per_person_night, tax_rate_id, category FROM extras \
             WHERE id = $1",
            params![item.extra_id],
        )
        .await?
        else {
            continue;
        };
        parts.push(NightPart {
            name: extra.text("name")?,
            price: extra.int("price")?,
            per_person: extra.bool("per_person_night")?,
            tax_rate_id: item.tax_rate_id.or(extra.opt_int("tax_rate_id")?),
            category: RevenueCategory::parse(&extra.text("category")?).unwrap_or_default(),
        });
    }
    Ok(parts)
}

/// Refuses a tax rate a room type or an extra names that does not exist.
pub(crate) async fn check_tax_rate<T: Tx>(
    tx: &mut T,
    named: hotel_shared::rates::Change<i64>,
) -> StoreResult<()> {
    let Some(Some(id)) = named else {
        return Ok(());
    };
    query_opt(tx, "SELECT id FROM tax_rates WHERE id = $1", params![id])
        .await?
        .ok_or(DomainError::TaxRateNotFound(id))?;
    Ok(())
}

/// Adds a rate with its first percent.
pub struct CreateTaxRate {
    pub actor: Actor,
    pub name: String,
    pub points: BasisPoints,
    pub valid_from: Date,
    pub today: Date,
}

impl Op for CreateTaxRate {
    type Out = TaxRate;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    // With prices entered before VAT, quotes add the rates the catalog holds.
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<TaxRate> {
        let clash = query_opt(
            tx,
            "SELECT id FROM tax_rates WHERE LOWER(name) = LOWER($1)",
            params![&self.name],
        )
        .await?;
        if clash.is_some() {
            return Err(DomainError::TaxRateExists(self.name.clone()).into());
        }
        let id = tx
            .insert_id(
                "INSERT INTO tax_rates (name, created_at) VALUES ($1, $2)",
                params![&self.name, Timestamp::now().as_second()],
            )
            .await?;
        tx.execute(
            "INSERT INTO tax_rate_periods (tax_rate_id, valid_from, basis_points) \
             VALUES ($1, $2, $3)",
            params![id, self.valid_from, self.points],
        )
        .await?;
        let rate = rate_by_id(tx, id, self.today).await?;
        audit(
            tx,
            &self.actor,
            AuditAction::TaxRateCreate,
            "tax_rate",
            id,
            None::<&TaxRate>,
            Some(&rate),
        )
        .await?;
        Ok(rate)
    }
}

/// Gives a rate a percent from a day on (or another percent for a day it had one).
pub struct SetTaxPercent {
    pub actor: Actor,
    pub id: i64,
    pub points: BasisPoints,
    pub valid_from: Date,
    pub today: Date,
}

impl Op for SetTaxPercent {
    type Out = TaxRate;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<TaxRate> {
        let before = rate_by_id(tx, self.id, self.today).await?;
        tx.execute(
            "DELETE FROM tax_rate_periods WHERE tax_rate_id = $1 AND valid_from = $2",
            params![self.id, self.valid_from],
        )
        .await?;
        tx.execute(
            "INSERT INTO tax_rate_periods (tax_rate_id, valid_from, basis_points) \
             VALUES ($1, $2, $3)",
            params![self.id, self.valid_from, self.points],
        )
        .await?;
        let after = rate_by_id(tx, self.id, self.today).await?;
        audit(
            tx,
            &self.actor,
            AuditAction::TaxRateChange,
            "tax_rate",
            self.id,
            Some(&before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

/// Rates by id, after `after`, at most `limit`.
pub struct ListTaxRates {
    pub after: i64,
    pub limit: u32,
    pub today: Date,
}

impl Op for ListTaxRates {
    type Out = Vec<TaxRate>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<TaxRate>> {
        let ids = tx
            .query(
                "SELECT id FROM tax_rates WHERE id > $1 ORDER BY id LIMIT $2",
                params![self.after, i64::from(self.limit)],
            )
            .await?
            .iter()
            .map(|r| r.int("id"))
            .collect::<StoreResult<Vec<_>>>()?;
        let mut rates = Vec::with_capacity(ids.len());
        for id in ids {
            rates.push(rate_by_id(tx, id, self.today).await?);
        }
        Ok(rates)
    }
}

/// One rate by id.
pub struct GetTaxRate {
    pub id: i64,
    pub today: Date,
}

impl Op for GetTaxRate {
    type Out = TaxRate;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<TaxRate> {
        rate_by_id(tx, self.id, self.today).await
    }
}

/// The hotel's city tax, if it collects one (kept in `settings`).
pub(crate) async fn city_tax_rule<T: Tx>(tx: &mut T) -> StoreResult<Option<CityTax>> {
    query_opt(
        tx,
        "SELECT value FROM settings WHERE name = 'city_tax'",
        params![],
    )
    .await?
    .map(|row| {
        serde_json::from_str(&row.text("value")?)
            .map_err(|e| StoreError::Database(format!("stored city tax: {e}")))
    })
    .transpose()
}

/// The hotel's city tax as it stands (none: the hotel collects none).
pub struct GetCityTax;

impl Op for GetCityTax {
    type Out = Option<CityTax>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Option<CityTax>> {
        city_tax_rule(tx).await
    }
}

/// Sets the hotel's city tax (checked by `domain::taxes::check_city_tax`), or with `None`
/// stops collecting one. Stays checked in before keep what was posted on their bills.
pub struct SetCityTax {
    pub actor: Actor,
    pub rule: Option<CityTax>,
}

impl Op for SetCityTax {
    type Out = Option<CityTax>;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Option<CityTax>> {
        let before = city_tax_rule(tx).await?;
        match &self.rule {
            Some(rule) => {
                let json =
                    serde_json::to_string(rule).map_err(|e| StoreError::Database(e.to_string()))?;
                tx.execute(
                    "INSERT INTO settings (name, value) VALUES ('city_tax', $1) \
                     ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    params![json],
                )
                .await?;
            }
            None => {
                tx.execute("DELETE FROM settings WHERE name = 'city_tax'", params![])
                    .await?;
            }
        }
        audit(
            tx,
            &self.actor,
            AuditAction::CityTaxChange,
            "hotel",
            "city_tax",
            before.as_ref(),
            self.rule.as_ref(),
        )
        .await?;
        Ok(self.rule.clone())
    }
}
