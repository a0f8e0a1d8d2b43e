//! Amounts are integers in the currency's minor unit (cents for EUR), never floats.

/// Currencies whose minor unit is the unit itself (ISO 4217 exponent 0).
const NO_DECIMALS: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV",
    "XAF", "XOF", "XPF",
];

/// Digits after the decimal point in `currency`'s written amounts.
pub fn decimals(currency: &str) -> u32 {
    if NO_DECIMALS.contains(&currency) {
        0
    } else {
        2
    }
}

/// `12345` EUR → `EUR 123.45`; `-5` EUR → `EUR -0.05`; `500` JPY → `JPY 500`.
pub fn format(minor: i64, currency: &str) -> String {
    let places = decimals(currency);
    if places == 0 {
        return format!("{currency} {minor}");
    }
    let scale = 10_i64.pow(places) as u64;
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!(
        "{currency} {sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = places as usize
    )
}

/// Reads `95`, `95.5` or `95.50` as minor units of `currency`. `None` for anything else,
/// including more decimals than the currency has.
pub fn parse(text: &str, currency: &str) -> Option<i64> {
    let places = decimals(currency);
    let text = text.trim();
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > places as usize
        || (text.contains('.') && frac.is_empty())
    {
        return None;
    }
    let scale = 10_i64.pow(places);
    let whole: i64 = whole.parse().ok()?;
    let frac_value: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse::<i64>().ok()? * 10_i64.pow(places - frac.len() as u32)
    };
    whole.checked_mul(scale)?.checked_add(frac_value)
}

/// Whether `code` looks like an ISO 4217 code: three capital letters.
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_with_the_currency_decimals() {
        assert_eq!(format(12345, "EUR"), "EUR 123.45");
        assert_eq!(format(5, "EUR"), "EUR 0.05");
        assert_eq!(format(-5, "EUR"), "EUR -0.05");
        assert_eq!(format(500, "JPY"), "JPY 500");
    }

    #[test]
    fn amounts_are_read_back_exactly() {
        assert_eq!(parse("95", "EUR"), Some(9500));
        assert_eq!(parse("95.5", "EUR"), Some(9550));
        assert_eq!(parse("95.05", "EUR"), Some(9505));
        assert_eq!(parse("95.055", "EUR"), None);
        assert_eq!(parse("-1", "EUR"), None);
        assert_eq!(parse("9.", "EUR"), None);
        assert_eq!(parse("abc", "EUR"), None);
        assert_eq!(parse("500", "JPY"), Some(500));
        assert_eq!(parse("5.5", "JPY"), None);
    }
}
