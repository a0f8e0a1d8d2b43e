//! The hotel's tax rates (VAT), and how an amount splits into net and tax.
//!
//! Prices are entered as guests pay them (gross). The rounding rule, one for every line: a
//! line's tax is `gross × p / (100 + p)` rounded to the nearest minor unit, halves away from
//! zero, and its net is `gross − tax`; the totals per rate are the sums of their lines, so an
//! invoice's lines always add up to its totals.

use serde::{Deserialize, Serialize};

use crate::Date;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// `POST /staff/tax-rates`: a rate and the percent it has from `valid_from` on.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TaxRateInput {
    /// How invoices and the desk name it ("Lodging", "Standard"): 1 to 40 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 40))]
    pub name: String,
    /// 0 to 100, at most two decimals (7, 19, 7.7).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub percent: f64,
    pub valid_from: Date,
}

/// `POST /staff/tax-rates/{id}/percents`: the rate's percent from a day on (a change in the
/// law); a percent given again for the same day replaces it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TaxPercentInput {
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub percent: f64,
    pub valid_from: Date,
}

/// One percent of a rate and the day it holds from (until the next one's day).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TaxPercent {
    pub valid_from: Date,
    pub percent: f64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TaxRate {
    pub id: i64,
    pub name: String,
    /// The percent of the hotel's today; absent when the rate's first day is still to come.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// Every percent it has had or will have, earliest first.
    pub percents: Vec<TaxPercent>,
}

/// `GET /staff/tax-rates`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TaxRateList {
    pub tax_rates: Vec<TaxRate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// How a city tax (Kurtaxe, Ortstaxe, tassa di soggiorno) is counted.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CityTaxKind {
    /// `amount` per guest per night.
    PerPersonNight,
    /// `percent` of the room's price for the nights.
    Percent,
}

/// `PUT /staff/city-tax`: the city tax the hotel collects for the town.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CityTax {
    pub kind: CityTaxKind,
    /// Per guest per night, minor units (`per_person_night`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000))]
    pub amount: Option<i64>,
    /// Of the room's price, 0 to 100 with at most two decimals (`percent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100))]
    pub percent: Option<f64>,
    /// Children younger than this pay none (the desk says how many at check-in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 18))]
    pub exempt_under_age: Option<u32>,
    /// At most this many nights of a stay are taxed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 365))]
    pub max_nights: Option<u32>,
    /// The room prices already include it (else it is paid on top, at the hotel).
    #[serde(default)]
    pub included: bool,
}

/// `GET/PUT /staff/price-basis`: whether the prices the hotel enters (room rates, the rates
/// calendar, extras, charges) are what guests pay (`gross`, VAT included) or before VAT
/// (`net`, for hotels selling mostly to businesses): guests are then charged each price plus
/// the VAT of its rate on its day. Quotes, bookings and bills always show what guests pay.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PriceBasisSetting {
    pub basis: PriceBasis,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PriceBasis {
    #[default]
    Gross,
    Net,
}

impl PriceBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            PriceBasis::Gross => "gross",
            PriceBasis::Net => "net",
        }
    }
}

/// A percent in hundredths (7.7 % is 770), as rates are kept and computed.
pub type BasisPoints = u32;

/// `percent` in hundredths, if it lies in 0 to 100 with at most two decimals.
pub fn basis_points(percent: f64) -> Option<BasisPoints> {
    let hundredths = percent * 100.0;
    let whole = hundredths.round();
    if !(0.0..=10_000.0).contains(&whole) || (hundredths - whole).abs() > 1e-6 {
        return None;
    }
    Some(whole as BasisPoints)
}

/// Hundredths back as the percent a person reads (770 → 7.7).
pub fn percent(points: BasisPoints) -> f64 {
    f64::from(points) / 100.0
}

/// `numerator / denominator` rounded to the nearest integer, halves away from zero.
fn divide_rounded(numerator: i128, denominator: i128) -> i128 {
    let half = denominator / 2;
    if numerator >= 0 {
        (numerator + half) / denominator
    } else {
        (numerator - half) / denominator
    }
}

/// The tax included in `gross` at `points`: `gross × p / (100 + p)`, rounded half away from
/// zero.
pub fn tax_in_gross(gross: i64, points: BasisPoints) -> i64 {
    let p = i128::from(points);
    let tax = divide_rounded(i128::from(gross) * p, 10_000 + p);
    i64::try_from(tax).unwrap_or(0)
}

/// The tax on `net` at `points` (for prices entered net): `net × p / 100`, rounded half away
/// from zero.
pub fn tax_on_net(net: i64, points: BasisPoints) -> i64 {
    let tax = divide_rounded(i128::from(net) * i128::from(points), 10_000);
    i64::try_from(tax).unwrap_or(0)
}

/// A gross amount split at `points`: `(net, tax)`, adding up to `gross`.
pub fn split_gross(gross: i64, points: BasisPoints) -> (i64, i64) {
    let tax = tax_in_gross(gross, points);
    (gross - tax, tax)
}

/// `GET /staff/revenue?by=`: one figure per day or per calendar month.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RevenuePeriod {
    #[default]
    Day,
    Month,
}

/// Revenue and payments of one period (or of the whole range).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RevenueFigures {
    /// The day (`2026-12-07`) or month (`2026-12`); `total` for the whole range.
    pub period: String,
    /// Net, tax and gross of the invoices issued, per tax rate and percent.
    pub by_tax_rate: Vec<crate::folio::TaxTotal>,
    /// Net, tax and gross of the invoices issued, per revenue category (lines without a
    /// tax rate count net as gross).
    pub by_category: Vec<CategoryTotal>,
    /// Payments less refunds posted, per method.
    pub payments: Vec<MethodTotal>,
    /// The city tax invoiced: collected for the town, not the hotel's revenue.
    pub city_tax: i64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CategoryTotal {
    pub category: crate::folio::RevenueCategory,
    pub net: i64,
    pub tax: i64,
    pub gross: i64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MethodTotal {
    pub method: crate::folio::PaymentMethod,
    pub amount: i64,
}

/// `GET /staff/revenue?from=…&to=…&by=day|month`: the invoices issued and the payments
/// taken on days `from` up to, not including, `to`, as the accountant books them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RevenueReport {
    pub from: Date,
    pub to: Date,
    pub by: RevenuePeriod,
    pub currency: String,
    /// Every day or month of the range, in order, also those without any.
    pub periods: Vec<RevenueFigures>,
    pub total: RevenueFigures,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_are_hundredths() {
        assert_eq!(basis_points(7.0), Some(700));
        assert_eq!(basis_points(19.0), Some(1900));
        assert_eq!(basis_points(7.7), Some(770));
        assert_eq!(basis_points(0.0), Some(0));
        assert_eq!(basis_points(100.0), Some(10_000));
        assert_eq!(basis_points(7.75), Some(775));
        assert_eq!(basis_points(7.775), None);
        assert_eq!(basis_points(-1.0), None);
        assert_eq!(basis_points(101.0), None);
        assert_eq!(basis_points(f64::NAN), None);
        assert_eq!(percent(770), 7.7);
    }

    /// Worked examples, as an accountant checks them.
    #[test]
    fn gross_splits_into_net_and_tax_rounded_half_away_from_zero() {
        // A night at €107.00, lodging 7 %: tax 107 × 7 / 107 = €7.00 exactly.
        assert_eq!(split_gross(10_700, 700), (10_000, 700));
        // Breakfast €15.00 at 19 %: 15 × 19 / 119 = 2.3949… → €2.39.
        assert_eq!(split_gross(1_500, 1_900), (1_261, 239));
        // A night at €95.00 at 7 %: 6.2149… → €6.21.
        assert_eq!(split_gross(9_500, 700), (8_879, 621));
        // Parking €10.00 at 19 %: 1.5966… → €1.60.
        assert_eq!(split_gross(1_000, 1_900), (840, 160));
        // 7.7 % (Switzerland) on CHF 100.00: 7.1494… → 7.15.
        assert_eq!(split_gross(10_000, 770), (9_285, 715));
        // A half exactly: 21 cents at 10 % is 1.909… → 2; 11 cents at 10 % is 1.0 → 1;
        // and 0.5 rounds away from zero both ways.
        assert_eq!(tax_in_gross(21, 1_000), 2);
        assert_eq!(tax_in_gross(11, 1_000), 1);
        assert_eq!(tax_on_net(5, 1_000), 1);
        assert_eq!(tax_on_net(-5, 1_000), -1);
        // A refund splits as the charge did, with the sign turned.
        assert_eq!(split_gross(-1_500, 1_900), (-1_261, -239));
        // No tax.
        assert_eq!(split_gross(9_500, 0), (9_500, 0));
        // Net prices: €100.00 net at 19 % is €19.00 tax.
        assert_eq!(tax_on_net(10_000, 1_900), 1_900);
    }
}
