//! Prices as a hotel sets them: rate plans per room type, a price calendar per night, stay
//! restrictions, and the cancellation and no-show terms a booking is made under. Amounts are
//! integers in minor units of the hotel's currency.

use serde::{Deserialize, Deserializer, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::Date;

/// What a fee is, for a cancellation after the deadline or a guest who never came. On the
/// wire a `Fee`: `{"kind": "first_night"}`, `{"kind": "percent", "percent": 50}`, …
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(from = "Fee", into = "Fee")]
pub enum FeeRule {
    /// Nothing is charged.
    Nothing,
    /// The price of the stay's first night.
    #[default]
    FirstNight,
    /// A share of the whole stay's price.
    Percent { percent: u32 },
    /// The whole stay.
    All,
}

/// Which fee a `Fee` is.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    Nothing,
    FirstNight,
    Percent,
    All,
}

/// A fee as it crosses the wire: a kind, and the share for `percent`. (A flat struct rather
/// than a tagged enum: the browser app decodes it with far less code.)
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Fee {
    pub kind: FeeKind,
    /// For `percent`: 1 to 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub percent: Option<u32>,
}

impl From<Fee> for FeeRule {
    fn from(f: Fee) -> Self {
        match f.kind {
            FeeKind::Nothing => FeeRule::Nothing,
            FeeKind::FirstNight => FeeRule::FirstNight,
            FeeKind::Percent => FeeRule::Percent {
                percent: f.percent.unwrap_or(0),
            },
            FeeKind::All => FeeRule::All,
        }
    }
}

impl From<FeeRule> for Fee {
    fn from(r: FeeRule) -> Self {
        let (kind, percent) = match r {
            FeeRule::Nothing => (FeeKind::Nothing, None),
            FeeRule::FirstNight => (FeeKind::FirstNight, None),
            FeeRule::Percent { percent } => (FeeKind::Percent, Some(percent)),
            FeeRule::All => (FeeKind::All, None),
        };
        Fee { kind, percent }
    }
}

/// The cancellation and no-show terms of a rate plan, copied onto each booking made on it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Terms {
    /// False: paid in full whenever it is cancelled (`fee` is then ignored).
    pub refundable: bool,
    /// Cancelling is free until this many days before the arrival day …
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 365))]
    pub free_until_days: u32,
    /// … at this time of that day, hotel time (`HH:MM`).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-2][0-9]:[0-5][0-9]$"))]
    pub free_until_time: String,
    /// Charged for a cancellation after the deadline.
    #[cfg_attr(feature = "openapi", schema(value_type = Fee))]
    pub fee: FeeRule,
    /// Charged when the guest never comes.
    #[cfg_attr(feature = "openapi", schema(value_type = Fee))]
    pub no_show_fee: FeeRule,
}

impl Default for Terms {
    /// Free until 18:00 on the arrival day, then the first night; the first night for a no-show.
    fn default() -> Self {
        Terms {
            refundable: true,
            free_until_days: 0,
            free_until_time: "18:00".into(),
            fee: FeeRule::FirstNight,
            no_show_fee: FeeRule::FirstNight,
        }
    }
}

/// A rate plan of a room type: the base plan, priced by the price calendar, or one derived from
/// it by a share or an amount per night, following it when it changes.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RatePlan {
    pub id: i64,
    pub room_type_id: i64,
    pub name: String,
    /// The type's base plan (one per type; it cannot be retired).
    pub base: bool,
    /// Percent added to (negative: taken off) the base plan's price each night.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived_percent: Option<i32>,
    /// Minor units added to (negative: taken off) the base plan's price each night.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived_amount: Option<i64>,
    /// Offered on the guest site; a hidden plan is for the desk only.
    pub visible: bool,
    pub terms: Terms,
    pub retired: bool,
    /// What its nightly price includes (breakfast): the bill splits each night into the
    /// room and these items, each at its own tax rate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<IncludedItem>,
}

/// An extra a rate plan's nightly price includes, worth the extra's price (per person per
/// night for an extra charged so, else once a night), taxed at `tax_rate_id` or, absent, the
/// extra's rate.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct IncludedItem {
    pub extra_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_rate_id: Option<i64>,
}

/// `POST /staff/rate-plans` and `PUT /staff/rate-plans/{id}`. On a base plan, the derivation
/// must be absent.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RatePlanInput {
    pub room_type_id: i64,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = -100, maximum = 1000))]
    pub derived_percent: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = -100_000_000, maximum = 100_000_000))]
    pub derived_amount: Option<i64>,
    #[serde(default = "crate::yes")]
    pub visible: bool,
    /// Shorthand: false makes the plan non-refundable (whatever `terms` says).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refundable: Option<bool>,
    /// The house terms (`Terms::default`) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<Terms>,
    /// Extras its price includes (none when absent); each extra once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(max_items = 5))]
    pub includes: Vec<IncludedItem>,
}

/// `GET /staff/rate-plans`: a page of plans, by room type then id.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RatePlanList {
    pub plans: Vec<RatePlan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A field of `PUT /staff/rate-calendar`: absent leaves it as it is, `null` clears it.
pub type Change<T> = Option<Option<T>>;

/// Reads a `Change`: present (a value or `null`) is `Some`.
pub fn change<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Change<T>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// `PUT /staff/rate-calendar`: price and restrictions for the nights `from` up to `to`
/// (exclusive, like a check-out), on the chosen weekdays only when `weekdays` is given.
/// Without `rate_plan_id` the restrictions hold for every plan of the type; a price is always
/// the base plan's (derived plans follow it).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarChange {
    pub room_type_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_plan_id: Option<i64>,
    pub from: Date,
    pub to: Date,
    /// ISO weekdays, 1 = Monday … 7 = Sunday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekdays: Option<Vec<u8>>,
    /// The night's price on the base plan; `null` goes back to the type's default rate.
    #[serde(
        default,
        deserialize_with = "change",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, minimum = 0, maximum = 100_000_000))]
    pub amount: Change<i64>,
    /// Percent added to the price each chosen night already has (negative: taken off), as
    /// one action ("weekends +20 %"); not with `amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = -100, maximum = 1000))]
    pub adjust_percent: Option<i32>,
    /// Fewest nights for a stay arriving that day.
    #[serde(
        default,
        deserialize_with = "change",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, minimum = 1, maximum = 365))]
    pub min_stay: Change<u32>,
    /// Most nights for a stay arriving that day.
    #[serde(
        default,
        deserialize_with = "change",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, minimum = 1, maximum = 365))]
    pub max_stay: Change<u32>,
    /// Not sold at all (stop-sell) for stays that include the night.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_to_arrival: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_to_departure: Option<bool>,
    /// Bookable only this many days or more before arrival.
    #[serde(
        default,
        deserialize_with = "change",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, minimum = 0, maximum = 730))]
    pub min_advance: Change<u32>,
    /// Bookable at most this many days before arrival.
    #[serde(
        default,
        deserialize_with = "change",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, minimum = 0, maximum = 730))]
    pub max_advance: Change<u32>,
}

/// The restrictions of one night (for a type, or one plan of it). Absent: no restriction.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Restrictions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_stay: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_stay: Option<u32>,
    #[serde(default, skip_serializing_if = "crate::is_false")]
    pub closed: bool,
    #[serde(default, skip_serializing_if = "crate::is_false")]
    pub closed_to_arrival: bool,
    #[serde(default, skip_serializing_if = "crate::is_false")]
    pub closed_to_departure: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_advance: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_advance: Option<u32>,
}

impl Restrictions {
    pub fn is_empty(&self) -> bool {
        *self == Restrictions::default()
    }
}

/// One night of the calendar of one plan.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarNight {
    pub date: Date,
    /// What the night costs on this plan.
    pub amount: i64,
    /// The night has its own price (else the type's default rate, or the base plan's).
    pub priced: bool,
    /// What holds for this plan that night: the type's restrictions and the plan's own.
    pub restrictions: Restrictions,
}

/// One plan's row of the rates calendar.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarRow {
    pub room_type_id: i64,
    pub room_type: String,
    pub rate_plan_id: i64,
    pub rate_plan: String,
    pub base: bool,
    pub nights: Vec<CalendarNight>,
}

/// `GET /staff/rate-calendar?from=…&to=…[&room_type_id=…]`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RateCalendar {
    pub from: Date,
    pub to: Date,
    pub currency: String,
    pub rows: Vec<CalendarRow>,
}

/// `GET /staff/availability?from=…&to=…[&room_type_id=…]`: what each room type has left to
/// sell, night by night.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Availability {
    pub from: Date,
    pub to: Date,
    pub room_types: Vec<TypeAvailability>,
}

/// One room type's nights.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TypeAvailability {
    pub room_type_id: i64,
    pub room_type: String,
    /// Rooms of the type in the hotel.
    pub rooms: u32,
    pub nights: Vec<NightAvailability>,
}

/// One night of one room type.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NightAvailability {
    pub date: Date,
    /// Rooms of the type neither held by a stay nor out of service that night.
    pub available: u32,
    /// Why the night cannot be sold, when it cannot: `sold_out` (no room left) or `closed`
    /// (the rates calendar stops selling it on the type's base plan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^(sold_out|closed)$"))]
    pub closed: Option<String>,
}

/// `PUT /staff/rate-calendar` with many changes: applied in order, all or none.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarChanges {
    /// 1 to 100 changes, of any room types and plans.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
    pub changes: Vec<CalendarChange>,
}

/// `PUT /staff/rate-calendar` answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CalendarChanged {
    /// Nights changed (those of the chosen weekdays).
    pub nights: u32,
}

/// One night of a stay and its price.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NightPrice {
    pub date: Date,
    pub amount: i64,
}

/// The terms of an offer or a booking, applied to its stay: when cancelling stops being free
/// and what it costs then.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StayTerms {
    pub refundable: bool,
    /// The last instant cancelling is free (RFC 3339, UTC); absent when it never is, or has
    /// passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub free_until: Option<String>,
    /// The same instant on the hotel's clock (`YYYY-MM-DDTHH:MM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub free_until_local: Option<String>,
    /// What cancelling costs after `free_until` (at once, when not refundable), minor units.
    pub fee: i64,
    /// What not coming costs, minor units.
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub no_show_fee: i64,
    /// The terms in words ("Free cancellation until 18:00 on 12 Dec 2026 (hotel time), then
    /// the first night: EUR 95.00."). The browser app words them itself, in the guest's
    /// language and time, and skips these fields (their decoder costs every guest's download).
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub words: String,
}

/// `GET /bookings/{id}/cancellation` (and the desk's): what cancelling now would cost.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CancellationPreview {
    pub booking_id: i64,
    /// Charged if cancelled now, minor units.
    pub fee: i64,
    pub currency: String,
    pub free: bool,
    /// (The browser app asks only for the fee, and skips these.)
    #[cfg_attr(feature = "lean", serde(skip_deserializing))]
    pub terms: StayTerms,
}

/// The figures behind a 409 of a restriction (`min_stay`, `advance`, …), in the error body.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RestrictionFigures {
    /// The day whose rule refused: the arrival day, a closed night, or the departure day.
    pub date: Date,
    /// Nights asked for.
    pub nights: u32,
    /// Days from today to the arrival day.
    pub days_ahead: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_stay: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_stay: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_advance: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_advance: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_cross_the_wire_as_a_kind_and_a_share() {
        let half = FeeRule::Percent { percent: 50 };
        let text = serde_json::to_string(&half).unwrap_or_default();
        assert_eq!(text, r#"{"kind":"percent","percent":50}"#);
        assert_eq!(serde_json::from_str::<FeeRule>(&text).ok(), Some(half));
        let first = serde_json::from_str::<FeeRule>(r#"{"kind":"first_night"}"#).ok();
        assert_eq!(first, Some(FeeRule::FirstNight));
        assert!(serde_json::from_str::<FeeRule>(r#"{"kind":"most"}"#).is_err());
    }
}
