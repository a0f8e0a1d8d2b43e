//! The bill of a stay (its folio): room nights at their booked rates, extras the desk posts,
//! discounts, payments and refunds, the balance, and the invoice. Amounts are integers in
//! minor units of the hotel's currency.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::{Booking, Date};

/// `GET /staff/extras[?limit=N&cursor=…]`
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExtraList {
    pub extras: Vec<Extra>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Something the hotel sells besides the room (breakfast, parking, minibar, city tax).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Extra {
    pub id: i64,
    pub name: String,
    /// Minor units: per item, or per person per night.
    pub price: i64,
    /// Charged for every guest and every night of the stay (a city tax), not per item.
    pub per_person_night: bool,
    /// Retired extras can no longer be posted; bills keep them.
    pub retired: bool,
    /// The tax rate its prices carry (`/staff/tax-rates`); absent: none set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_rate_id: Option<i64>,
    /// What its revenue is, for the accountant.
    #[serde(default)]
    pub category: RevenueCategory,
}

/// What a line of revenue is, as the accountant books it.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RevenueCategory {
    /// Room nights, and fees for nights not stayed.
    Lodging,
    /// Breakfast, the minibar, the bar.
    FoodAndBeverage,
    #[default]
    Other,
    /// The town's tax the hotel collects: not the hotel's revenue.
    CityTax,
}

impl RevenueCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            RevenueCategory::Lodging => "lodging",
            RevenueCategory::FoodAndBeverage => "food_and_beverage",
            RevenueCategory::Other => "other",
            RevenueCategory::CityTax => "city_tax",
        }
    }

    /// As the desk names it.
    pub fn label(self) -> &'static str {
        match self {
            RevenueCategory::Lodging => "Lodging",
            RevenueCategory::FoodAndBeverage => "Food and drink",
            RevenueCategory::Other => "Other",
            RevenueCategory::CityTax => "City tax",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "lodging" => Some(RevenueCategory::Lodging),
            "food_and_beverage" => Some(RevenueCategory::FoodAndBeverage),
            "other" => Some(RevenueCategory::Other),
            "city_tax" => Some(RevenueCategory::CityTax),
            _ => None,
        }
    }
}

/// `POST /staff/extras` and `PUT /staff/extras/{id}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExtraInput {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub price: i64,
    #[serde(default)]
    pub per_person_night: bool,
    /// The tax rate its prices carry (`/staff/tax-rates`): absent leaves it as it is,
    /// `null` takes it off.
    #[serde(
        default,
        deserialize_with = "crate::rates::change",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub tax_rate_id: crate::rates::Change<i64>,
    /// What its revenue is: absent keeps it (`other` for a new extra).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<RevenueCategory>,
}

/// What a line of a bill is.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Room nights at the booked rate.
    Room,
    /// An extra or another charge posted by the desk.
    Charge,
    Discount,
    Payment,
    Refund,
    /// Words only, no amount (a guest who left early).
    Note,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Room => "room",
            LineKind::Charge => "charge",
            LineKind::Discount => "discount",
            LineKind::Payment => "payment",
            LineKind::Refund => "refund",
            LineKind::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "room" => LineKind::Room,
            "charge" => LineKind::Charge,
            "discount" => LineKind::Discount,
            "payment" => LineKind::Payment,
            "refund" => LineKind::Refund,
            "note" => LineKind::Note,
            _ => return None,
        })
    }
}

/// How a guest paid (recorded, not charged: the hotel's card terminal or bank did that).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Cash,
    /// The card terminal at the desk.
    Card,
    BankTransfer,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 3] = [
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::BankTransfer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Card => "card",
            PaymentMethod::BankTransfer => "bank_transfer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "cash" => PaymentMethod::Cash,
            "card" => PaymentMethod::Card,
            "bank_transfer" => PaymentMethod::BankTransfer,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "Cash",
            PaymentMethod::Card => "Card",
            PaymentMethod::BankTransfer => "Bank transfer",
        }
    }
}

/// The tax in a line of a bill, at the percent of the line's day.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LineTax {
    /// The percent (7, 19, 7.7).
    pub tax_rate: f64,
    /// The rate's name ("Lodging").
    pub tax_rate_name: String,
    /// Minor units; `net + tax = gross`, the line's amount (see `hotel_shared::taxes` for the
    /// rounding).
    pub net: i64,
    pub tax: i64,
    pub gross: i64,
}

/// How `LineTax` stands in a bill line, for the OpenAPI document: all five fields, or none
/// (a line without a tax rate).
#[cfg(feature = "openapi")]
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct LineTaxFields {
    /// The percent (7, 19, 7.7).
    tax_rate: Option<f64>,
    /// The rate's name ("Lodging").
    tax_rate_name: Option<String>,
    /// Minor units; `net + tax = gross`, the line's amount.
    net: Option<i64>,
    tax: Option<i64>,
    gross: Option<i64>,
}

/// The lines of one tax rate at one percent, added up.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TaxTotal {
    /// The percent.
    pub tax_rate: f64,
    pub tax_rate_name: String,
    pub net: i64,
    pub tax: i64,
    pub gross: i64,
}

/// One line of a bill.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BillLine {
    /// The posting's id; 0 for the room nights, which follow the booking itself.
    pub id: i64,
    /// The hotel day it was posted (the arrival day for the room nights).
    pub date: Date,
    pub kind: LineKind,
    pub description: String,
    pub quantity: u32,
    /// What the line does to the balance, minor units: charges add, discounts and payments
    /// subtract, refunds add back. The lines add up to `balance`.
    pub amount: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<PaymentMethod>,
    /// Who posted it (username); absent for the room nights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The tax in a charge or discount whose room type, extra or posting names a tax rate:
    /// its fields (`tax_rate`, `tax_rate_name`, `net`, `tax`, `gross`) stand in the line.
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(value_type = LineTaxFields))]
    pub tax: Option<LineTax>,
    /// What a room, charge or discount line's revenue is, for the accountant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<RevenueCategory>,
    /// What a line the bill writes itself (room nights, what they include) says, so that an
    /// invoice can say it in the guest's language; `description` says it in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<LineWords>,
}

/// The parts of a line the bill or check-in writes itself.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum LineWords {
    /// `count` nights in room `room` (`room_type`) at `price` each.
    Nights {
        room: u32,
        room_type: String,
        count: u32,
        price: i64,
    },
    /// `count` times extra `name` at `price`, included in the nights' price.
    Included {
        name: String,
        count: u32,
        price: i64,
    },
    /// Nights before a move, at the rate of the room then.
    EarlierNights,
    /// The city tax of `guests` guests for `nights` nights.
    CityTax { guests: u32, nights: u32 },
    /// The city tax at `percent` of `nights` nights' prices.
    CityTaxPercent { percent: f64, nights: u32 },
    /// The city tax taken out of the room price that included it.
    CityTaxIncluded,
}

/// An issued invoice: its number never repeats and leaves no gap within a year.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Invoice {
    /// As printed: `2026-0007`.
    pub number: String,
    pub year: i32,
    /// 1, 2, 3, … within the year.
    pub sequence: i64,
    pub issued_on: Date,
    /// Charges less discounts when it was issued, minor units.
    pub total: i64,
    /// The name and address it was issued to, one per line: kept as issued, whatever
    /// becomes of the guest's data (an erased guest's invoice still names them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// The recipient company's VAT id, when it was issued to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_vat_id: Option<String>,
    /// The hotel as the invoice names it, kept as issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<InvoiceSupplier>,
    /// A cancellation invoice (Stornorechnung): the number of the invoice it reverses. Its
    /// lines and total are that invoice's, negated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancels: Option<String>,
    /// The number of the cancellation invoice that reversed this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_by: Option<String>,
}

/// `GET /staff/bookings/{id}/invoices`: every invoice of a stay, cancelled ones and
/// cancellations too, in the order issued.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InvoiceList {
    pub invoices: Vec<InvoiceDocument>,
    /// Pass as `cursor` for the next page; absent on the last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The hotel on an invoice: its legal name, address, tax number and VAT id.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InvoiceSupplier {
    pub legal_name: String,
    pub address: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tax_number: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub vat_id: String,
}

/// Whom an invoice is issued to, when not the guest at their profile's address: a company
/// for a business stay (with its VAT id), or another address. Given when issuing it
/// (`POST /staff/bookings/{id}/invoice`) or at check-out.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InvoiceRecipient {
    /// The company's name; the guest is named beneath it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub company: Option<String>,
    /// Street, postcode and town, country: one per line. Needed with `company`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub address: Option<String>,
    /// The company's VAT id: two letters of its country, then 2 to 13 letters or digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^[A-Za-z]{2}[0-9A-Za-z+*.]{2,13}$")
    )]
    pub vat_id: Option<String>,
}

/// `GET /staff/bookings/{id}/bill`: a stay's bill as it stands.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Bill {
    pub booking: Booking,
    pub lines: Vec<BillLine>,
    /// Room nights and charges less discounts.
    pub charges: i64,
    /// Payments less refunds.
    pub paid: i64,
    /// `charges` − `paid`: what the guest still owes (negative: what the hotel owes back).
    pub balance: i64,
    pub currency: String,
    /// Once issued, charges and discounts can no longer be posted; payments still can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice: Option<Invoice>,
    /// Net, tax and gross per tax rate and percent, in the order the lines name them: the
    /// sums of the lines'. Lines without a tax rate are in none.
    #[serde(default)]
    pub totals_by_rate: Vec<TaxTotal>,
}

/// `POST /staff/bookings/{id}/charges`: an extra from the hotel's list, or a charge or
/// discount in the clerk's words.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChargeInput {
    /// An extra of the hotel's list; its name and price are used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_id: Option<i64>,
    /// A discount instead of a charge (needs `description` and `unit_amount`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub discount: bool,
    /// Words on the bill; for an extra, its name unless given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub description: Option<String>,
    /// How many; for a per-person-per-night extra, guests × nights unless given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1000))]
    pub quantity: Option<u32>,
    /// Price of one, minor units; for an extra, its price unless given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000_000))]
    pub unit_amount: Option<i64>,
    /// The tax rate of a charge or discount in the clerk's words (a discount on the room:
    /// the room type's rate); an extra's own otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_rate_id: Option<i64>,
    /// What the charge or discount is, for the accountant: an extra's own unless given,
    /// `other` for one in the clerk's words; never `city_tax`, which check-in posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<RevenueCategory>,
}

/// `POST /staff/bookings/{id}/payments`: money the guest paid (or got back, with `refund`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PaymentInput {
    pub method: PaymentMethod,
    /// Minor units.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000_000))]
    pub amount: i64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refund: bool,
}

/// `POST /staff/bookings/{id}/check-out` (the body may be left out).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CheckOutInput {
    /// Let the guest leave with money still owed (`balance_open` otherwise).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub leave_balance_open: bool,
    /// Whom the invoice check-out issues is made out to, if not the guest at their address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_to: Option<InvoiceRecipient>,
}

/// `POST`/`GET /staff/bookings/{id}/invoice`: an issued invoice, with the bill's lines as
/// they were when it was issued.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InvoiceDocument {
    pub invoice: Invoice,
    pub lines: Vec<BillLine>,
    /// Net, tax and gross per tax rate, from the lines as issued.
    #[serde(default)]
    pub totals_by_rate: Vec<TaxTotal>,
}

/// The lines' taxes added up per rate and percent, in the order the lines first name them.
pub fn tax_totals(lines: &[BillLine]) -> Vec<TaxTotal> {
    let mut totals: Vec<TaxTotal> = Vec::new();
    for tax in lines.iter().filter_map(|l| l.tax.as_ref()) {
        match totals
            .iter_mut()
            .find(|t| t.tax_rate_name == tax.tax_rate_name && t.tax_rate == tax.tax_rate)
        {
            Some(total) => {
                total.net += tax.net;
                total.tax += tax.tax;
                total.gross += tax.gross;
            }
            None => totals.push(TaxTotal {
                tax_rate: tax.tax_rate,
                tax_rate_name: tax.tax_rate_name.clone(),
                net: tax.net,
                tax: tax.tax,
                gross: tax.gross,
            }),
        }
    }
    totals
}
