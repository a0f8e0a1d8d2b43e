//! The lines the bill and check-in write themselves, worded from their parts in an
//! invoice's language; other lines (the desk's words, an extra's name) as posted.

use hotel_shared::Language;
use hotel_shared::folio::{BillLine, LineWords};
use hotel_shared::words::money;

/// A line in the invoice's language: the lines the bill writes itself from their parts,
/// the others (the desk's words, an extra's name) as posted.
pub fn describe(line: &BillLine, language: Language, currency: &str) -> String {
    let amount = |minor: i64| money(language, minor, currency);
    let pick = |en: &'static str, de: &'static str| match language {
        Language::De => de,
        Language::En => en,
    };
    let de = language == Language::De;
    match &line.words {
        Some(LineWords::Nights {
            room,
            room_type,
            count,
            price,
        }) => {
            let nights = match (de, *count == 1) {
                (true, true) => "Nacht",
                (true, false) => "Nächte",
                (false, true) => "night",
                (false, false) => "nights",
            };
            format!(
                "{} {room} ({room_type}), {count} {nights} × {}",
                pick("Room", "Zimmer"),
                amount(*price)
            )
        }
        Some(LineWords::Included { name, count, price }) => format!(
            "{name} ({}), {count} × {}",
            pick("included", "inklusive"),
            amount(*price)
        ),
        Some(LineWords::EarlierNights) => pick(
            "Nights before a move, at the rate of the room then",
            "Nächte vor dem Zimmerwechsel, zum Preis des Zimmers damals",
        )
        .to_string(),
        Some(LineWords::CityTax { guests, nights }) => match language {
            Language::De => format!(
                "City-Tax, {guests} {} × {nights} {}",
                if *guests == 1 { "Gast" } else { "Gäste" },
                if *nights == 1 { "Nacht" } else { "Nächte" }
            ),
            Language::En => format!(
                "City tax, {guests} {} × {nights} {}",
                if *guests == 1 { "guest" } else { "guests" },
                if *nights == 1 { "night" } else { "nights" }
            ),
        },
        Some(LineWords::CityTaxPercent { percent, nights }) => {
            let percent = percent_text(language, *percent);
            match language {
                Language::De => format!("City-Tax, {percent} % von {nights} Nächten"),
                Language::En => format!("City tax, {percent} % of {nights} nights"),
            }
        }
        Some(LineWords::CityTaxIncluded) => pick(
            "City tax included in the room price",
            "City-Tax, im Zimmerpreis enthalten",
        )
        .to_string(),
        None => line.description.clone(),
    }
}

/// A percent as an invoice writes it: 7 → "7", 7.7 → "7.7" (English) or "7,7" (German).
pub fn percent_text(language: Language, percent: f64) -> String {
    let text = format!("{percent}");
    match language {
        Language::De => text.replace('.', ","),
        Language::En => text,
    }
}
