//! The lines check-in posts on a bill for the city tax: the tax itself (no VAT on it), and
//! when the room prices include it, the same amount split out of the room.

use hotel_shared::folio::{LineKind, LineWords, RevenueCategory};
use hotel_shared::taxes::{CityTax, CityTaxKind};

use super::DomainError;
use super::folio::NewPosting;
use super::taxes::city_tax;

/// What check-in posts on a bill for the city tax of a stay of `guests` (`exempt` of them
/// children below the rule's age) and its nights' prices: the tax, no VAT on it; when the
/// room prices include it, a discount on the room (at the room's VAT rate) of the same
/// amount, so the bill's total stays the price booked and VAT is on the room's part only.
pub fn city_tax_postings(
    rule: &CityTax,
    guests: u32,
    exempt: u32,
    night_prices: &[i64],
    room_rate: Option<i64>,
) -> Result<Vec<NewPosting>, DomainError> {
    if exempt > guests {
        return Err(DomainError::BadChange(format!(
            "{exempt} children exempt from the city tax, but the stay is for {guests} guests."
        )));
    }
    if exempt > 0 && rule.exempt_under_age.is_none() {
        return Err(DomainError::BadChange(
            "The hotel's city tax exempts no children: set exempt_under_age first.".into(),
        ));
    }
    let taxed = guests - exempt;
    let amount = city_tax(rule, taxed, night_prices);
    if amount <= 0 {
        return Ok(Vec::new());
    }
    let counted = rule.max_nights.map_or(night_prices.len(), |most| {
        night_prices
            .len()
            .min(usize::try_from(most).unwrap_or(usize::MAX))
    });
    let nights = u32::try_from(counted).unwrap_or(u32::MAX);
    let (description, quantity, words) = match rule.kind {
        CityTaxKind::PerPersonNight => (
            format!(
                "City tax, {taxed} {} × {nights} {}",
                if taxed == 1 { "guest" } else { "guests" },
                if nights == 1 { "night" } else { "nights" }
            ),
            taxed.saturating_mul(nights).max(1),
            LineWords::CityTax {
                guests: taxed,
                nights,
            },
        ),
        CityTaxKind::Percent => (
            format!(
                "City tax, {} % of {nights} nights",
                rule.percent.unwrap_or(0.0)
            ),
            1,
            LineWords::CityTaxPercent {
                percent: rule.percent.unwrap_or(0.0),
                nights,
            },
        ),
    };
    let tax = NewPosting {
        kind: LineKind::Charge,
        description,
        quantity,
        amount,
        extra_id: None,
        method: None,
        tax_rate_id: None,
        category: Some(RevenueCategory::CityTax),
        words: Some(words),
    };
    let mut lines = vec![tax];
    if rule.included {
        lines.push(NewPosting {
            kind: LineKind::Discount,
            description: "City tax included in the room price".into(),
            quantity: 1,
            amount,
            extra_id: None,
            method: None,
            tax_rate_id: room_rate,
            category: Some(RevenueCategory::Lodging),
            words: Some(LineWords::CityTaxIncluded),
        });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_guest(amount: i64) -> CityTax {
        CityTax {
            kind: CityTaxKind::PerPersonNight,
            amount: Some(amount),
            percent: None,
            exempt_under_age: Some(14),
            max_nights: None,
            included: false,
        }
    }

    #[test]
    fn city_tax_counts_guests_not_exempt_and_nights_up_to_the_cap() {
        // Two adults and a child of 9, three nights at 2.50 each: the child pays none.
        let rule = per_guest(250);
        let lines = city_tax_postings(&rule, 3, 1, &[9_500; 3], Some(1)).unwrap_or_default();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].amount, 1_500);
        assert_eq!(lines[0].description, "City tax, 2 guests × 3 nights");
        assert_eq!(lines[0].tax_rate_id, None);
        // A cap of two nights.
        let capped = CityTax {
            max_nights: Some(2),
            ..rule.clone()
        };
        assert_eq!(city_tax(&capped, 2, &[9_500; 3]), 1_000);
        // More exempt than guests, or children where none are exempt: refused.
        assert!(city_tax_postings(&rule, 2, 3, &[9_500; 3], None).is_err());
        let no_children = CityTax {
            exempt_under_age: None,
            ..rule
        };
        assert!(city_tax_postings(&no_children, 2, 1, &[9_500; 3], None).is_err());
    }

    #[test]
    fn city_tax_in_percent_rounds_once_per_stay_and_included_discounts_the_room() {
        let rule = CityTax {
            kind: CityTaxKind::Percent,
            amount: None,
            percent: Some(5.0),
            exempt_under_age: None,
            max_nights: None,
            included: true,
        };
        // 5 % of 99.99 is 4.9995: 5.00, halves away from zero.
        assert_eq!(city_tax(&rule, 2, &[9_999]), 500);
        assert_eq!(city_tax(&rule, 2, &[9_500, 9_500, 9_500]), 1_425);
        let lines =
            city_tax_postings(&rule, 2, 0, &[9_500, 9_500, 9_500], Some(7)).unwrap_or_default();
        let kinds: Vec<(LineKind, i64, Option<i64>)> = lines
            .iter()
            .map(|l| (l.kind, l.amount, l.tax_rate_id))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (LineKind::Charge, 1_425, None),
                (LineKind::Discount, 1_425, Some(7))
            ]
        );
    }
}
