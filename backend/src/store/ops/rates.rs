//! Rate plans and the price calendar: what each night costs on each plan, and the
//! restrictions that close stays. Bookings read them here; the staff change them here.

use hotel_shared::AuditAction;
use hotel_shared::Date;
use hotel_shared::rates::{
    CalendarChange, CalendarChanged, CalendarNight, CalendarRow, IncludedItem, RateCalendar,
    RatePlan, RatePlanInput, Restrictions, Terms,
};

use super::catalog::plan_from;
use super::rate_book::rate_book;
use super::taxes::check_tax_rate;
use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::rates::Derivation;
use crate::store::catalog::CatalogPlan;
use crate::store::sql::{Op, Tx, Value, params, query_opt};
use crate::store::{StoreError, StoreResult};

/// Plan `plan` is not of type `room_type`.
pub(crate) async fn plan_mismatch<T: Tx>(
    tx: &mut T,
    plan: i64,
    room_type: i64,
) -> StoreResult<DomainError> {
    let name = query_opt(
        tx,
        "SELECT name FROM room_types WHERE id = $1",
        params![room_type],
    )
    .await?
    .map(|r| r.text("name"))
    .transpose()?
    .unwrap_or_default();
    Ok(DomainError::RatePlanMismatch {
        plan,
        room_type: name,
    })
}

/// A new type's base plan, on the house terms.
pub(crate) async fn insert_base_plan<T: Tx>(tx: &mut T, room_type: i64) -> StoreResult<i64> {
    tx.insert_id(
        "INSERT INTO rate_plans (room_type_id, name, base, visible, terms_json, retired) \
         VALUES ($1, 'Flexible', TRUE, TRUE, $2, FALSE)",
        params![room_type, terms_json(&Terms::default())?],
    )
    .await
}

pub(crate) fn terms_json(terms: &Terms) -> StoreResult<String> {
    serde_json::to_string(terms).map_err(|e| StoreError::Database(e.to_string()))
}

/// The extras a plan includes as stored, each checked to be an extra on sale and any tax
/// rate it names to exist.
async fn includes_json<T: Tx>(tx: &mut T, includes: &[IncludedItem]) -> StoreResult<String> {
    for item in includes {
        query_opt(
            tx,
            "SELECT id FROM extras WHERE id = $1 AND NOT retired",
            params![item.extra_id],
        )
        .await?
        .ok_or(DomainError::ExtraNotFound(item.extra_id))?;
        check_tax_rate(tx, item.tax_rate_id.map(Some)).await?;
    }
    serde_json::to_string(includes).map_err(|e| StoreError::Database(e.to_string()))
}

pub(crate) fn public_plan(p: &CatalogPlan) -> RatePlan {
    RatePlan {
        id: p.id,
        room_type_id: p.room_type_id,
        name: p.name.clone(),
        base: p.base,
        derived_percent: p.derivation.percent,
        derived_amount: p.derivation.amount,
        visible: p.visible,
        terms: p.terms.clone(),
        retired: p.retired,
        includes: p.includes.clone(),
    }
}

const PLAN_SELECT: &str = "SELECT id, room_type_id, name, base, derived_percent, derived_amount, \
     visible, terms_json, retired, includes_json FROM rate_plans";

async fn plan_by_id<T: Tx>(tx: &mut T, id: i64) -> StoreResult<CatalogPlan> {
    query_opt(tx, &format!("{PLAN_SELECT} WHERE id = $1"), params![id])
        .await?
        .map(|r| plan_from(&r))
        .transpose()?
        .ok_or_else(|| DomainError::RatePlanNotFound(id).into())
}

/// A page of plans, by id.
pub struct ListPlans {
    pub after: Option<i64>,
    pub limit: u32,
    pub room_type: Option<i64>,
}

impl Op for ListPlans {
    type Out = Vec<RatePlan>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<RatePlan>> {
        let sql = format!(
            "{PLAN_SELECT} WHERE id > $1 AND ($2 = 0 OR room_type_id = $2) ORDER BY id LIMIT $3"
        );
        tx.query(
            &sql,
            params![
                self.after.unwrap_or(0),
                self.room_type.unwrap_or(0),
                i64::from(self.limit)
            ],
        )
        .await?
        .iter()
        .map(|r| plan_from(r).map(|p| public_plan(&p)))
        .collect()
    }
}

/// One plan.
pub struct ReadPlan {
    pub id: i64,
}

impl Op for ReadPlan {
    type Out = RatePlan;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<RatePlan> {
        Ok(public_plan(&plan_by_id(tx, self.id).await?))
    }
}

async fn plan_name_taken<T: Tx>(
    tx: &mut T,
    room_type: i64,
    name: &str,
    except: i64,
) -> StoreResult<bool> {
    Ok(query_opt(
        tx,
        "SELECT 1 FROM rate_plans WHERE room_type_id = $1 AND LOWER(name) = LOWER($2) AND id <> $3",
        params![room_type, name, except],
    )
    .await?
    .is_some())
}

/// Adds a plan derived from a type's base plan (the input was checked by `check_plan`).
pub struct CreatePlan {
    pub actor: Actor,
    pub input: RatePlanInput,
}

impl Op for CreatePlan {
    type Out = RatePlan;
    const WRITES: bool = true;
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<RatePlan> {
        let i = &self.input;
        let sold = query_opt(
            tx,
            "SELECT 1 FROM room_types WHERE id = $1 AND NOT retired",
            params![i.room_type_id],
        )
        .await?;
        if sold.is_none() {
            return Err(DomainError::UnknownRoomType(i.room_type_id).into());
        }
        if plan_name_taken(tx, i.room_type_id, &i.name, 0).await? {
            return Err(DomainError::RatePlanNameTaken(i.name.clone()).into());
        }
        let terms = i.terms.clone().unwrap_or_default();
        let includes = includes_json(tx, &i.includes).await?;
        let id = tx
            .insert_id(
                "INSERT INTO rate_plans (room_type_id, name, base, derived_percent, derived_amount, \
                 visible, terms_json, retired, includes_json) \
                 VALUES ($1, $2, FALSE, $3, $4, $5, $6, FALSE, $7)",
                params![
                    i.room_type_id,
                    &i.name,
                    i.derived_percent,
                    i.derived_amount,
                    i.visible,
                    terms_json(&terms)?,
                    includes
                ],
            )
            .await?;
        let created = public_plan(&plan_by_id(tx, id).await?);
        audit(
            tx,
            &self.actor,
            AuditAction::RatePlanCreate,
            "rate_plan",
            id,
            None::<&RatePlan>,
            Some(&created),
        )
        .await?;
        Ok(created)
    }
}

/// Renames a plan or changes its derivation, visibility or terms. Bookings made on it keep
/// the prices and terms they were made with.
pub struct UpdatePlan {
    pub actor: Actor,
    pub id: i64,
    pub input: RatePlanInput,
}

impl Op for UpdatePlan {
    type Out = RatePlan;
    const WRITES: bool = true;
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<RatePlan> {
        let i = &self.input;
        let before = plan_by_id(tx, self.id).await?;
        if before.retired {
            return Err(DomainError::RatePlanNotFound(self.id).into());
        }
        if before.room_type_id != i.room_type_id {
            return Err(plan_mismatch(tx, self.id, i.room_type_id).await?.into());
        }
        let derived = i.derived_percent.is_some() || i.derived_amount.is_some();
        if before.base && (derived || !i.visible) {
            return Err(DomainError::BasePlanFixed(self.id).into());
        }
        if plan_name_taken(tx, i.room_type_id, &i.name, self.id).await? {
            return Err(DomainError::RatePlanNameTaken(i.name.clone()).into());
        }
        let terms = i.terms.clone().unwrap_or_default();
        let includes = includes_json(tx, &i.includes).await?;
        tx.execute(
            "UPDATE rate_plans SET name = $1, derived_percent = $2, derived_amount = $3, \
             visible = $4, terms_json = $5, includes_json = $6 WHERE id = $7",
            params![
                &i.name,
                i.derived_percent,
                i.derived_amount,
                i.visible,
                terms_json(&terms)?,
                includes,
                self.id
            ],
        )
        .await?;
        let after = public_plan(&plan_by_id(tx, self.id).await?);
        audit(
            tx,
            &self.actor,
            AuditAction::RatePlanUpdate,
            "rate_plan",
            self.id,
            Some(&public_plan(&before)),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

/// Takes a plan off sale; its bookings keep it. A base plan cannot be retired.
pub struct RetirePlan {
    pub actor: Actor,
    pub id: i64,
}

impl Op for RetirePlan {
    type Out = RatePlan;
    const WRITES: bool = true;
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<RatePlan> {
        let before = plan_by_id(tx, self.id).await?;
        if before.retired {
            return Err(DomainError::RatePlanNotFound(self.id).into());
        }
        if before.base {
            return Err(DomainError::BasePlanFixed(self.id).into());
        }
        tx.execute(
            "UPDATE rate_plans SET retired = TRUE WHERE id = $1",
            params![self.id],
        )
        .await?;
        let after = public_plan(&plan_by_id(tx, self.id).await?);
        audit(
            tx,
            &self.actor,
            AuditAction::RatePlanRetire,
            "rate_plan",
            self.id,
            Some(&public_plan(&before)),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

/// Sets price and restrictions for a range of nights (checked by `check_calendar_change`).
pub struct SetCalendar {
    pub actor: Actor,
    /// Applied in order, in one transaction.
    pub changes: Vec<CalendarChange>,
}

/// The columns a calendar row has besides its key, in the order `row_values` gives them.
const NIGHT_COLUMNS: [&str; 8] = [
    "amount",
    "min_stay",
    "max_stay",
    "closed",
    "closed_to_arrival",
    "closed_to_departure",
    "min_advance",
    "max_advance",
];

impl Op for SetCalendar {
    type Out = CalendarChanged;
    const WRITES: bool = true;
    // The cached calendar goes with the catalog.
    const CHANGES_CATALOG: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<CalendarChanged> {
        let mut nights = 0u32;
        for change in &self.changes {
            nights = nights.saturating_add(set_calendar(tx, &self.actor, change).await?.nights);
        }
        Ok(CalendarChanged { nights })
    }
}

/// One change of the calendar, with its audit entry.
async fn set_calendar<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    c: &CalendarChange,
) -> StoreResult<CalendarChanged> {
    let rate = query_opt(
        tx,
        "SELECT rate FROM room_types WHERE id = $1 AND NOT retired",
        params![c.room_type_id],
    )
    .await?
    .ok_or(DomainError::UnknownRoomType(c.room_type_id))?
    .int("rate")?;
    let plan_key = match c.rate_plan_id {
        None => 0,
        Some(id) => {
            let plan = plan_by_id(tx, id).await?;
            if plan.retired {
                return Err(DomainError::RatePlanNotFound(id).into());
            }
            if plan.room_type_id != c.room_type_id {
                return Err(plan_mismatch(tx, id, c.room_type_id).await?.into());
            }
            id
        }
    };
    let nights: Vec<Date> = c
        .from
        .nights_until(c.to)
        .filter(|n| {
            c.weekdays
                .as_ref()
                .is_none_or(|days| days.contains(&iso_weekday(*n)))
        })
        .collect();
    let book = rate_book(tx, c.from, Some(c.to), Some(c.room_type_id)).await?;
    // Prices are the type's (plan key 0): derived plans follow them.
    let price_touched = c.amount.is_some() || c.adjust_percent.is_some();
    if price_touched {
        let rows: Vec<(Date, Vec<Value>)> = nights
            .iter()
            .map(|n| {
                let amount = match (c.amount, c.adjust_percent) {
                    (Some(a), _) => a,
                    (None, Some(p)) => Some(
                        Derivation {
                            percent: Some(p),
                            amount: None,
                        }
                        .apply(book.base_price(c.room_type_id, rate, *n)),
                    ),
                    (None, None) => None,
                };
                (*n, row_values(amount, &Restrictions::default()))
            })
            .collect();
        upsert(tx, c.room_type_id, 0, &rows, &["amount"]).await?;
    }
    let mut touched: Vec<&str> = Vec::new();
    let wanted = Restrictions {
        min_stay: c.min_stay.flatten(),
        max_stay: c.max_stay.flatten(),
        closed: c.closed.unwrap_or(false),
        closed_to_arrival: c.closed_to_arrival.unwrap_or(false),
        closed_to_departure: c.closed_to_departure.unwrap_or(false),
        min_advance: c.min_advance.flatten(),
        max_advance: c.max_advance.flatten(),
    };
    for (name, given) in [
        ("min_stay", c.min_stay.is_some()),
        ("max_stay", c.max_stay.is_some()),
        ("closed", c.closed.is_some()),
        ("closed_to_arrival", c.closed_to_arrival.is_some()),
        ("closed_to_departure", c.closed_to_departure.is_some()),
        ("min_advance", c.min_advance.is_some()),
        ("max_advance", c.max_advance.is_some()),
    ] {
        if given {
            touched.push(name);
        }
    }
    if !touched.is_empty() {
        let rows: Vec<(Date, Vec<Value>)> = nights
            .iter()
            .map(|n| (*n, row_values(None, &wanted)))
            .collect();
        upsert(tx, c.room_type_id, plan_key, &rows, &touched).await?;
    }
    let changed = CalendarChanged {
        nights: u32::try_from(nights.len()).unwrap_or(u32::MAX),
    };
    audit(
        tx,
        actor,
        AuditAction::RateCalendarSet,
        "room_type",
        c.room_type_id,
        None::<&CalendarChange>,
        Some(c),
    )
    .await?;
    Ok(changed)
}

/// ISO weekday number, 1 = Monday.
pub(crate) fn iso_weekday(d: Date) -> u8 {
    use hotel_shared::date::Weekday;
    match d.weekday() {
        Weekday::Monday => 1,
        Weekday::Tuesday => 2,
        Weekday::Wednesday => 3,
        Weekday::Thursday => 4,
        Weekday::Friday => 5,
        Weekday::Saturday => 6,
        Weekday::Sunday => 7,
    }
}

fn row_values(amount: Option<i64>, r: &Restrictions) -> Vec<Value> {
    params![
        amount,
        r.min_stay,
        r.max_stay,
        r.closed,
        r.closed_to_arrival,
        r.closed_to_departure,
        r.min_advance,
        r.max_advance
    ]
}

/// Writes calendar rows: a new row takes every value given, an existing one only the
/// `touched` columns, so setting a price leaves the night's restrictions as they were.
async fn upsert<T: Tx>(
    tx: &mut T,
    room_type: i64,
    plan_key: i64,
    rows: &[(Date, Vec<Value>)],
    touched: &[&str],
) -> StoreResult<()> {
    let set: Vec<String> = touched
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    // 11 values a row; 80 rows stay far below either engine's limit on parameters.
    for chunk in rows.chunks(80) {
        let mut sql = format!(
            "INSERT INTO rate_nights (night, room_type_id, plan_id, {}) VALUES ",
            NIGHT_COLUMNS.join(", ")
        );
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 11);
        for (i, (night, cols)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            let base = values.len();
            let marks: Vec<String> = (1..=11).map(|k| format!("${}", base + k)).collect();
            sql.push_str(&format!("({})", marks.join(", ")));
            values.extend(params![*night, room_type, plan_key]);
            values.extend(cols.iter().cloned());
        }
        sql.push_str(&format!(
            " ON CONFLICT (night, room_type_id, plan_id) DO UPDATE SET {}",
            set.join(", ")
        ));
        tx.execute(&sql, values).await?;
    }
    Ok(())
}

/// The rates calendar of `from..to`: every plan of every type on sale (or of one), each night's
/// price and restrictions.
pub struct ReadCalendar {
    pub from: Date,
    pub to: Date,
    pub room_type: Option<i64>,
}

impl Op for ReadCalendar {
    type Out = RateCalendar;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<RateCalendar> {
        let types = tx
            .query(
                "SELECT id, name, rate FROM room_types WHERE NOT retired \
                 AND ($1 = 0 OR id = $1) ORDER BY rate, id",
                params![self.room_type.unwrap_or(0)],
            )
            .await?;
        if let Some(t) = self.room_type
            && types.is_empty()
        {
            return Err(DomainError::UnknownRoomType(t).into());
        }
        let catalog = tx.catalog().await?;
        let book = rate_book(tx, self.from, Some(self.to), self.room_type).await?;
        let mut rows = Vec::new();
        for t in &types {
            let (type_id, rate) = (t.int("id")?, t.int("rate")?);
            for plan in catalog.plans_of(type_id) {
                let nights = self
                    .from
                    .nights_until(self.to)
                    .map(|n| CalendarNight {
                        date: n,
                        amount: plan.derivation.apply(book.base_price(type_id, rate, n)),
                        priced: book.priced(type_id, n),
                        restrictions: book.of(plan).restrictions(n),
                    })
                    .collect();
                rows.push(CalendarRow {
                    room_type_id: type_id,
                    room_type: t.text("name")?,
                    rate_plan_id: plan.id,
                    rate_plan: plan.name.clone(),
                    base: plan.base,
                    nights,
                });
            }
        }
        Ok(RateCalendar {
            from: self.from,
            to: self.to,
            currency: tx.currency().to_string(),
            rows,
        })
    }
}
