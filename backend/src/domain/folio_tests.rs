//! The bill's lines and totals, worked examples.

use hotel_shared::folio::PaymentMethod;

use super::*;

pub(crate) fn stay() -> Booking {
    Booking {
        id: 7,
        room_number: 3,
        check_in: "2026-12-01".parse().unwrap_or_default(),
        check_out: "2026-12-03".parse().unwrap_or_default(),
        nights: 2,
        status: BookingStatus::CheckedIn,
        guest: "ann".into(),
        guest_name: None,
        guests: 2,
        room_type: "Standard".into(),
        rate: 9500,
        total: 19000,
        night_prices: crate::domain::rates::night_prices(
            "2026-12-01".parse().unwrap_or_default(),
            &[9500, 9500],
        ),
        cancel_fee: None,
        rate_plan_id: None,
        rate_plan: None,
        terms: None,
        currency: "EUR".into(),
        reference: "K7M4QX2P".into(),
        updated_at: None,
        channel: None,
        external_reference: None,
    }
}

#[test]
fn invoice_numbers_read_back_as_printed() {
    assert_eq!(parse_invoice_number("2026-0007"), Some((2026, 7)));
    assert_eq!(
        parse_invoice_number(&invoice_number(2027, 12_345)),
        Some((2027, 12_345))
    );
    for bad in [
        "2026",
        "26-0007",
        "2026-",
        "2026-00x7",
        "-2026-1",
        "2026-+1",
    ] {
        assert_eq!(parse_invoice_number(bad), None, "{bad}");
    }
}

#[test]
fn an_included_breakfast_is_split_out_of_each_night_at_its_own_rate() {
    use crate::domain::taxes::{NightPart, RateHistory};
    let b = stay();
    let rate = |name: &str, points| RateHistory {
        name: name.into(),
        percents: vec![(b.check_in, points)],
    };
    let taxes = TaxBook {
        rates: std::collections::HashMap::from([
            (1, rate("Lodging", 700)),
            (2, rate("Standard", 1_900)),
        ]),
        room_rate: Some(1),
        includes: vec![NightPart {
            name: "Breakfast".into(),
            price: 1_500,
            per_person: true,
            tax_rate_id: Some(2),
            category: RevenueCategory::FoodAndBeverage,
        }],
        net_prices: false,
    };
    let bill = bill(&b, 2, &[], None, &taxes);
    // Description, quantity, amount, and (net, tax).
    type Line<'a> = (&'a str, u32, i64, Option<(i64, i64)>);
    let lines: Vec<Line> = bill
        .lines
        .iter()
        .map(|l| {
            let tax = l.tax.as_ref().map(|t| (t.net, t.tax));
            (l.description.as_str(), l.quantity, l.amount, tax)
        })
        .collect();
    // Two guests, two nights at €95.00: €30.00 of each night is breakfast at 19 %.
    assert_eq!(
        lines,
        vec![
            (
                "Room 3 (Standard), 2 nights × EUR 65.00",
                2,
                13_000,
                Some((12_150, 850))
            ),
            (
                "Breakfast (included), 4 × EUR 15.00",
                4,
                6_000,
                Some((5_042, 958))
            ),
        ]
    );
    assert_eq!(bill.charges, b.total);
    let categories: Vec<_> = bill.lines.iter().map(|l| l.category).collect();
    assert_eq!(
        categories,
        vec![
            Some(RevenueCategory::Lodging),
            Some(RevenueCategory::FoodAndBeverage)
        ]
    );
}

#[test]
fn net_prices_show_on_the_invoice_as_entered_for_every_unit() {
    use crate::domain::taxes::{NetPricing, NightPart, RateHistory};
    let b = stay();
    let rate = |name: &str, points| RateHistory {
        name: name.into(),
        percents: vec![(b.check_in, points)],
    };
    let rates =
        std::collections::HashMap::from([(1, rate("Lodging", 700)), (2, rate("Standard", 1_900))]);
    // Entered before VAT: €100.03 a night, of which breakfast €12.57 per guest.
    let breakfast = NightPart {
        name: "Breakfast".into(),
        price: 1_257,
        per_person: true,
        tax_rate_id: Some(2),
        category: RevenueCategory::FoodAndBeverage,
    };
    let pricing = NetPricing {
        rates: rates.clone(),
    };
    let nights = pricing.nights(
        Some(1),
        std::slice::from_ref(&breakfast),
        2,
        b.check_in,
        &[10_003, 10_003],
    );
    // The room's €74.89 plus 7 % (€5.24), two breakfasts of €12.57 plus 19 % (€2.39 each).
    assert_eq!(nights, vec![8_013 + 2 * 1_496, 8_013 + 2 * 1_496]);
    let booked = Booking {
        total: nights.iter().sum(),
        night_prices: crate::domain::rates::night_prices(b.check_in, &nights),
        ..b
    };
    let taxes = TaxBook {
        rates,
        room_rate: Some(1),
        includes: vec![breakfast],
        net_prices: true,
    };
    let extra = Posting {
        tax_rate_id: Some(2),
        quantity: 3,
        ..posting(LineKind::Charge, 3 * 1_496)
    };
    let bill = bill(&booked, 2, &[extra], None, &taxes);
    // Quantity, amount, net, tax.
    let taxed: Vec<(u32, i64, i64, i64)> = bill
        .lines
        .iter()
        .filter_map(|l| {
            Some((
                l.quantity,
                l.amount,
                l.tax.as_ref()?.net,
                l.tax.as_ref()?.tax,
            ))
        })
        .collect();
    assert_eq!(
        taxed,
        vec![
            (2, 16_026, 2 * 7_489, 2 * 524),
            (4, 5_984, 4 * 1_257, 4 * 239),
            (3, 4_488, 3 * 1_257, 3 * 239),
        ]
    );
    assert_eq!(bill.charges, booked.total + 4_488);
}

fn posting(kind: LineKind, amount: i64) -> Posting {
    Posting {
        id: 1,
        date: stay().check_in,
        kind,
        description: "x".into(),
        quantity: 1,
        amount,
        method: None,
        by: "desk".into(),
        tax_rate_id: None,
        category: RevenueCategory::Other,
        words: None,
    }
}

#[test]
fn each_line_carries_its_tax_and_the_totals_are_their_sums() {
    use crate::domain::taxes::RateHistory;
    let b = stay();
    let second_night = b.night_prices[1].date;
    // Lodging went from 7 % to 19 % on the stay's second night (a change in the law).
    let taxes = TaxBook {
        rates: std::collections::HashMap::from([
            (
                1,
                RateHistory {
                    name: "Lodging".into(),
                    percents: vec![(b.check_in, 700), (second_night, 1_900)],
                },
            ),
            (
                2,
                RateHistory {
                    name: "Standard".into(),
                    percents: vec![(b.check_in, 1_900)],
                },
            ),
        ]),
        room_rate: Some(1),
        includes: Vec::new(),
        net_prices: false,
    };
    let breakfast = Posting {
        tax_rate_id: Some(2),
        ..posting(LineKind::Charge, 1_500)
    };
    let on_the_room = Posting {
        tax_rate_id: Some(1),
        ..posting(LineKind::Discount, 1_070)
    };
    let paid = posting(LineKind::Payment, 10_000);
    let bill = bill(&b, 2, &[breakfast, on_the_room, paid], None, &taxes);
    let taxed: Vec<(i64, Option<(i64, i64)>)> = bill
        .lines
        .iter()
        .map(|l| (l.amount, l.tax.as_ref().map(|t| (t.net, t.tax))))
        .collect();
    assert_eq!(
        taxed,
        vec![
            // Two nights at the same price, split by the percent of each night.
            (9_500, Some((8_879, 621))),
            (9_500, Some((7_983, 1_517))),
            (1_500, Some((1_261, 239))),
            (-1_070, Some((-1_000, -70))),
            (-10_000, None),
        ]
    );
    let totals: Vec<(String, f64, i64, i64, i64)> = bill
        .totals_by_rate
        .iter()
        .map(|t| (t.tax_rate_name.clone(), t.tax_rate, t.net, t.tax, t.gross))
        .collect();
    assert_eq!(
        totals,
        vec![
            ("Lodging".into(), 7.0, 7_879, 551, 8_430),
            ("Lodging".into(), 19.0, 7_983, 1_517, 9_500),
            ("Standard".into(), 19.0, 1_261, 239, 1_500),
        ]
    );
    let gross: i64 = bill.totals_by_rate.iter().map(|t| t.gross).sum();
    assert_eq!(gross, bill.charges);
}

#[test]
fn nights_at_different_prices_are_one_line_per_price() {
    let mut b = stay();
    b.check_out = "2026-12-04".parse().unwrap_or_default();
    b.nights = 3;
    b.night_prices = crate::domain::rates::night_prices(b.check_in, &[9500, 12000, 12000]);
    b.total = 33500;
    let bill = bill(&b, 3, &[], None, &TaxBook::default());
    let words: Vec<&str> = bill.lines.iter().map(|l| l.description.as_str()).collect();
    assert_eq!(
        words,
        [
            "Room 3 (Standard), 1 night × EUR 95.00",
            "Room 3 (Standard), 2 nights × EUR 120.00"
        ]
    );
    assert_eq!(bill.charges, 33500);
}

#[test]
fn the_lines_add_up_to_the_balance() {
    let b = bill(
        &stay(),
        2,
        &[
            posting(LineKind::Charge, 3000),
            posting(LineKind::Discount, 1000),
            posting(LineKind::Payment, 15000),
            posting(LineKind::Refund, 500),
            posting(LineKind::Note, 0),
        ],
        None,
        &TaxBook::default(),
    );
    assert_eq!(b.charges, 19000 + 3000 - 1000);
    assert_eq!(b.paid, 15000 - 500);
    assert_eq!(b.balance, 21000 - 14500);
    assert_eq!(b.lines.iter().map(|l| l.amount).sum::<i64>(), b.balance);
    assert_eq!(
        b.lines[0].description,
        "Room 3 (Standard), 2 nights × EUR 95.00"
    );
}

#[test]
fn a_guest_who_left_on_the_arrival_day_is_charged_no_night() {
    let b = bill(
        &stay(),
        0,
        &[posting(LineKind::Note, 0)],
        None,
        &TaxBook::default(),
    );
    assert_eq!((b.charges, b.balance), (0, 0));
    assert_eq!(b.lines.len(), 1);
}

#[test]
fn a_city_tax_counts_every_guest_and_night() {
    let tax = Extra {
        id: 4,
        name: "City tax".into(),
        price: 300,
        per_person_night: true,
        retired: false,
        tax_rate_id: None,
        category: RevenueCategory::Other,
    };
    let b = bill(&stay(), 2, &[], None, &TaxBook::default());
    let input = ChargeInput {
        extra_id: Some(4),
        discount: false,
        description: None,
        quantity: None,
        unit_amount: None,
        tax_rate_id: None,
        category: None,
    };
    let p = charge(&b, &input, Some(&tax)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((p.quantity, p.amount), (4, 1200));
    assert_eq!(p.description, "City tax");
}

#[test]
fn nothing_more_is_charged_once_the_invoice_is_out_but_payments_still_land() {
    let invoice = Invoice {
        number: invoice_number(2026, 7),
        year: 2026,
        sequence: 7,
        issued_on: stay().check_out,
        total: 19000,
        recipient: None,
        recipient_vat_id: None,
        supplier: None,
        cancels: None,
        cancelled_by: None,
    };
    assert_eq!(invoice.number, "2026-0007");
    let b = bill(&stay(), 2, &[], Some(invoice), &TaxBook::default());
    let input = ChargeInput {
        extra_id: None,
        discount: false,
        description: Some("Late check-out".into()),
        quantity: None,
        unit_amount: Some(2000),
        tax_rate_id: None,
        category: None,
    };
    assert_eq!(charge(&b, &input, None), Err(DomainError::InvoiceIssued(7)));
    let pay = PaymentInput {
        method: PaymentMethod::Card,
        amount: 19000,
        refund: false,
    };
    assert_eq!(
        payment(&b, &pay).map(|p| p.description),
        Ok("Payment, card".to_string())
    );
    let refund = PaymentInput {
        refund: true,
        ..pay
    };
    assert!(matches!(
        payment(&b, &refund),
        Err(DomainError::RefundTooLarge { .. })
    ));
}
