//! Calendar days, as the hotel counts nights: `YYYY-MM-DD` on the wire.
//!
//! A small type of our own rather than a date-time library: the browser app downloads this
//! crate, and a stay needs only days, their order and their distance. Time zones (what day it
//! is *now* at the hotel) are the server's business.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A day of the proleptic Gregorian calendar, years 1 to 9999.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i32,
}

/// In the OpenAPI document a date is what it is on the wire: an ISO 8601 day, a string.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Date {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .examples(["2026-12-24"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Date {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub fn short_name(self) -> &'static str {
        match self {
            Weekday::Monday => "Mon",
            Weekday::Tuesday => "Tue",
            Weekday::Wednesday => "Wed",
            Weekday::Thursday => "Thu",
            Weekday::Friday => "Fri",
            Weekday::Saturday => "Sat",
            Weekday::Sunday => "Sun",
        }
    }
}

const MIN_DAYS: i32 = days_from_civil(1, 1, 1);
const MAX_DAYS: i32 = days_from_civil(9999, 12, 31);

/// Days from 1970-01-01 to a civil date (H. Hinnant's algorithm; exact for every date).
const fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `days` after 1970-01-01.
const fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

/// A date known to be valid, for constants and tests: `date(2026, 11, 24)`.
/// Out-of-range parts give a wrong date, not a panic; use [`Date::new`] for input.
pub const fn date(year: i32, month: u32, day: u32) -> Date {
    Date {
        days: days_from_civil(year, month, day),
    }
}

impl Date {
    /// `None` unless it is a real day between the years 1 and 9999.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then(|| date(year, month, day))
    }

    /// Days since 1970-01-01 (negative before), for storage formats that count days.
    pub fn days_since_epoch(self) -> i32 {
        self.days
    }

    /// The inverse of [`Date::days_since_epoch`]; `None` outside the years 1 to 9999.
    pub fn from_days_since_epoch(days: i32) -> Option<Date> {
        (MIN_DAYS..=MAX_DAYS)
            .contains(&days)
            .then_some(Date { days })
    }

    pub fn year(self) -> i32 {
        civil_from_days(self.days).0
    }

    pub fn month(self) -> u32 {
        civil_from_days(self.days).1
    }

    pub fn day(self) -> u32 {
        civil_from_days(self.days).2
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        match (self.days + 3).rem_euclid(7) {
            0 => Weekday::Monday,
            1 => Weekday::Tuesday,
            2 => Weekday::Wednesday,
            3 => Weekday::Thursday,
            4 => Weekday::Friday,
            5 => Weekday::Saturday,
            _ => Weekday::Sunday,
        }
    }

    /// The day `n` days later (earlier when negative), if it is still within the years 1–9999.
    pub fn checked_add_days(self, n: i64) -> Option<Date> {
        let days = i64::from(self.days).checked_add(n)?;
        let days = i32::try_from(days).ok()?;
        (MIN_DAYS..=MAX_DAYS)
            .contains(&days)
            .then_some(Date { days })
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        i64::from(later.days) - i64::from(self.days)
    }

    /// The nights from this one up to, not including, `end` (none when `end` is not later):
    /// the nights of a stay from check-in to check-out, or of any range of days.
    pub fn nights_until(self, end: Date) -> impl Iterator<Item = Date> + use<> {
        std::iter::successors(Some(self), |n| n.checked_add_days(1)).take_while(move |n| *n < end)
    }
}

/// 0 to 99 as two ASCII digits.
fn two_digits(n: u32) -> [u8; 2] {
    let n = (n % 100) as u8;
    [b'0' + n / 10, b'0' + n % 10]
}

impl Date {
    /// `YYYY-MM-DD` as bytes, without the formatting machinery: a quote of a month writes
    /// hundreds of these.
    fn ascii(self) -> [u8; 10] {
        let (y, m, d) = civil_from_days(self.days);
        let y = y.clamp(0, 9999) as u32;
        let (hi, lo) = (two_digits(y / 100), two_digits(y % 100));
        let (m, d) = (two_digits(m), two_digits(d));
        [
            hi[0], hi[1], lo[0], lo[1], b'-', m[0], m[1], b'-', d[0], d[1],
        ]
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.ascii();
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The text was not a real day written as `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateParseError;

impl fmt::Display for DateParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a date written as YYYY-MM-DD")
    }
}

impl std::error::Error for DateParseError {}

impl FromStr for Date {
    type Err = DateParseError;

    fn from_str(text: &str) -> Result<Date, DateParseError> {
        let b = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Result<u32, DateParseError> {
            let part = b.get(range).ok_or(DateParseError)?;
            part.iter().try_fold(0u32, |n, c| {
                if c.is_ascii_digit() {
                    Ok(n * 10 + u32::from(c - b'0'))
                } else {
                    Err(DateParseError)
                }
            })
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(DateParseError);
        }
        let year = i32::try_from(digits(0..4)?).map_err(|_| DateParseError)?;
        Date::new(year, digits(5..7)?, digits(8..10)?).ok_or(DateParseError)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.ascii();
        serializer.serialize_str(std::str::from_utf8(&text).unwrap_or_default())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date written as YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Date, E> {
                text.parse()
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &self))
            }
        }
        deserializer.deserialize_str(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_through_the_civil_calendar() {
        // Every day from 1600 to 2400: civil parts, weekday and text agree with each other.
        let mut previous: Option<Date> = None;
        let mut weekday = date(1600, 1, 1).weekday();
        assert_eq!(weekday, Weekday::Saturday);
        for days in date(1600, 1, 1).days..=date(2400, 12, 31).days {
            let d = Date { days };
            assert_eq!(Date::new(d.year(), d.month(), d.day()), Some(d));
            assert_eq!(d.to_string().parse::<Date>(), Ok(d));
            if let Some(p) = previous {
                assert_eq!(p.days_until(d), 1);
                assert!(p < d);
            }
            assert_eq!(d.weekday(), weekday);
            weekday = match weekday {
                Weekday::Monday => Weekday::Tuesday,
                Weekday::Tuesday => Weekday::Wednesday,
                Weekday::Wednesday => Weekday::Thursday,
                Weekday::Thursday => Weekday::Friday,
                Weekday::Friday => Weekday::Saturday,
                Weekday::Saturday => Weekday::Sunday,
                Weekday::Sunday => Weekday::Monday,
            };
            previous = Some(d);
        }
    }

    #[test]
    fn known_days() {
        assert_eq!(date(1970, 1, 1).days, 0);
        assert_eq!(date(2000, 3, 1).days, 11_017);
        assert_eq!(date(2026, 11, 24).weekday(), Weekday::Tuesday);
        assert_eq!(
            date(2024, 2, 28).checked_add_days(1),
            Date::new(2024, 2, 29)
        );
        assert_eq!(date(2023, 2, 28).checked_add_days(1), Date::new(2023, 3, 1));
        assert_eq!(
            date(2026, 12, 31).checked_add_days(1),
            Date::new(2027, 1, 1)
        );
        assert_eq!(date(9999, 12, 31).checked_add_days(1), None);
        assert_eq!(date(1, 1, 1).checked_add_days(-1), None);
    }

    #[test]
    fn only_real_days_in_iso_form_parse() {
        for good in ["2026-11-24", "2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(
                good.parse::<Date>().map(|d| d.to_string()),
                Ok(good.to_string())
            );
        }
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-11-31",
            "2026-1-01",
            "26-11-24",
            "2026/11/24",
            "2026-11-24T00:00",
            " 2026-11-24",
            "0000-01-01",
            "",
            "tomorrow",
            "2026-11-2x",
            "+026-11-24",
        ] {
            assert_eq!(bad.parse::<Date>(), Err(DateParseError), "{bad:?}");
        }
    }

    #[test]
    fn nights_until_stops_before_the_end_day() {
        let nights: Vec<Date> = date(2026, 12, 30).nights_until(date(2027, 1, 2)).collect();
        assert_eq!(
            nights,
            vec![date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1)]
        );
        assert_eq!(date(2026, 5, 1).nights_until(date(2026, 5, 1)).count(), 0);
        assert_eq!(date(2026, 5, 2).nights_until(date(2026, 5, 1)).count(), 0);
        assert_eq!(
            date(9999, 12, 31).nights_until(date(9999, 12, 31)).count(),
            0
        );
    }
}
