//! Dates, amounts and counts written the way each language the hotel speaks writes them:
//! the web app shows them and the server's messages to guests carry them, alike.

use crate::money::decimals;
use crate::{Date, Language};

const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_DE: [&str; 7] = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_DE: [&str; 12] = [
    "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.",
];

/// "Sun 13 Dec 2026" / "So., 13. Dez. 2026".
pub fn date(lang: Language, d: Date) -> String {
    let weekday = d.weekday() as usize;
    let month = (d.month() as usize).saturating_sub(1).min(11);
    match lang {
        Language::En => format!(
            "{} {} {} {}",
            WEEKDAYS_EN[weekday],
            d.day(),
            MONTHS_EN[month],
            d.year()
        ),
        Language::De => format!(
            "{}, {}. {} {}",
            WEEKDAYS_DE[weekday],
            d.day(),
            MONTHS_DE[month],
            d.year()
        ),
    }
}

/// Digits grouped in threes: "1,250" / "1.250".
fn grouped(mut n: u64, separator: char) -> String {
    let mut groups = Vec::new();
    loop {
        groups.push(n % 1000);
        n /= 1000;
        if n == 0 {
            break;
        }
    }
    let mut text = groups.pop().map(|g| g.to_string()).unwrap_or_default();
    while let Some(g) = groups.pop() {
        text.push(separator);
        text.push_str(&format!("{g:03}"));
    }
    text
}

fn symbol(currency: &str) -> &str {
    match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        other => other,
    }
}

/// An amount in minor units: "€1,250.00" / "1.250,00 €"; "CHF 95.00" / "95,00 CHF".
pub fn money(lang: Language, minor: i64, currency: &str) -> String {
    let places = decimals(currency);
    let scale = 10_u64.pow(places);
    let abs = minor.unsigned_abs();
    let (group, point) = match lang {
        Language::En => (',', '.'),
        Language::De => ('.', ','),
    };
    let mut number = grouped(abs / scale, group);
    if places > 0 {
        number.push(point);
        number.push_str(&format!("{:0w$}", abs % scale, w = places as usize));
    }
    let sign = if minor < 0 { "−" } else { "" };
    let sym = symbol(currency);
    match (lang, sym.chars().count()) {
        (Language::En, 1) => format!("{sign}{sym}{number}"),
        (Language::En, _) => format!("{sign}{sym} {number}"),
        (Language::De, _) => format!("{sign}{number} {sym}"),
    }
}

/// "1 night" / "3 Nächte".
pub fn nights(lang: Language, n: u32) -> String {
    match (lang, n) {
        (Language::En, 1) => "1 night".into(),
        (Language::En, n) => format!("{n} nights"),
        (Language::De, 1) => "1 Nacht".into(),
        (Language::De, n) => format!("{n} Nächte"),
    }
}

/// "1 room" / "2 Zimmer".
pub fn rooms(lang: Language, n: u32) -> String {
    match (lang, n) {
        (Language::En, 1) => "1 room".into(),
        (Language::En, n) => format!("{n} rooms"),
        (Language::De, n) => format!("{n} Zimmer"),
    }
}

/// "1 adult" / "3 Erwachsene".
pub fn adults(lang: Language, n: u32) -> String {
    match (lang, n) {
        (Language::En, 1) => "1 adult".into(),
        (Language::En, n) => format!("{n} adults"),
        (Language::De, 1) => "1 Erwachsener".into(),
        (Language::De, n) => format!("{n} Erwachsene"),
    }
}
