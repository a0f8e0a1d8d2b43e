//! Stay dates: what a valid range is, and how many nights it has. The server enforces these
//! rules; clients use the same code to say so before a request is even sent.

use crate::date::Date;

/// The longest stay one booking may cover.
pub const MAX_NIGHTS: i32 = 30;
/// How far ahead the hotel takes bookings, in days.
pub const MAX_DAYS_AHEAD: i32 = 365;

/// A validated stay: `check_in` is the first night, `check_out` the departure morning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stay {
    pub check_in: Date,
    pub check_out: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StayError {
    Unparseable(&'static str),
    NotAfterCheckIn,
    InThePast,
    TooLong,
    TooFarAhead,
}

impl StayError {
    pub fn message(&self) -> String {
        match self {
            StayError::Unparseable(field) => {
                format!("{field} must be a date written as YYYY-MM-DD, for example 2026-12-24.")
            }
            StayError::NotAfterCheckIn => "check_out must be after check_in.".into(),
            StayError::InThePast => "check_in cannot be in the past.".into(),
            StayError::TooLong => format!("A stay can be at most {MAX_NIGHTS} nights."),
            StayError::TooFarAhead => {
                format!("Bookings open at most {MAX_DAYS_AHEAD} days ahead.")
            }
        }
    }
}

/// Parses one ISO date field; `field` names it in the error.
pub fn parse_date(field: &'static str, text: &str) -> Result<Date, StayError> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| StayError::Unparseable(field))
}

impl Stay {
    /// The stay a guest asked for. Missing dates default to tonight only: today → tomorrow,
    /// or the one night after a given check-in.
    pub fn requested(
        check_in: Option<Date>,
        check_out: Option<Date>,
        today: Date,
    ) -> Result<Stay, StayError> {
        let check_in = check_in.unwrap_or(today);
        let check_out = match check_out {
            Some(d) => d,
            None => check_in.checked_add_days(1).ok_or(StayError::TooFarAhead)?,
        };
        Stay::validate(check_in, check_out, today)
    }

    pub fn validate(check_in: Date, check_out: Date, today: Date) -> Result<Stay, StayError> {
        if check_out <= check_in {
            return Err(StayError::NotAfterCheckIn);
        }
        if check_in < today {
            return Err(StayError::InThePast);
        }
        let stay = Stay {
            check_in,
            check_out,
        };
        if stay.nights() > MAX_NIGHTS as u32 {
            return Err(StayError::TooLong);
        }
        if days_between(today, check_in) > i64::from(MAX_DAYS_AHEAD) {
            return Err(StayError::TooFarAhead);
        }
        Ok(stay)
    }

    pub fn nights(&self) -> u32 {
        u32::try_from(days_between(self.check_in, self.check_out)).unwrap_or(0)
    }

    /// Every night of the stay, in order.
    pub fn each_night(&self) -> impl Iterator<Item = Date> + use<> {
        self.check_in.nights_until(self.check_out)
    }
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.days_until(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::date;

    const TODAY: Date = date(2026, 11, 24);

    #[test]
    fn no_dates_means_tonight_only() {
        let stay = Stay::requested(None, None, TODAY).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(stay.check_in, TODAY);
        assert_eq!(stay.check_out, date(2026, 11, 25));
        assert_eq!(stay.nights(), 1);
    }

    #[test]
    fn check_in_alone_means_one_night() {
        let stay = Stay::requested(Some(date(2026, 12, 31)), None, TODAY)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(stay.check_out, date(2027, 1, 1));
    }

    #[test]
    fn each_rule_is_reported() {
        assert_eq!(
            Stay::validate(TODAY, TODAY, TODAY),
            Err(StayError::NotAfterCheckIn)
        );
        assert_eq!(
            Stay::validate(date(2026, 11, 23), date(2026, 11, 25), TODAY),
            Err(StayError::InThePast)
        );
        assert_eq!(
            Stay::validate(TODAY, date(2026, 12, 25), TODAY),
            Err(StayError::TooLong)
        );
        assert_eq!(
            Stay::validate(date(2027, 12, 1), date(2027, 12, 2), TODAY),
            Err(StayError::TooFarAhead)
        );
        assert!(Stay::validate(TODAY, date(2026, 12, 24), TODAY).is_ok());
    }

    #[test]
    fn nights_cross_month_and_year_ends() {
        let stay = Stay::validate(date(2026, 12, 30), date(2027, 1, 2), TODAY)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(stay.nights(), 3);
        let nights: Vec<Date> = stay.each_night().collect();
        assert_eq!(
            nights,
            vec![date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1)]
        );
    }

    #[test]
    fn dates_must_be_plain_iso_days() {
        assert!(parse_date("check_in", "2026-12-01").is_ok());
        for bad in [
            "2026-13-01",
            "tomorrow",
            "2026-12-01T10:00",
            "",
            "2026-02-30",
        ] {
            assert_eq!(
                parse_date("check_in", bad),
                Err(StayError::Unparseable("check_in")),
                "{bad}"
            );
        }
    }
}
