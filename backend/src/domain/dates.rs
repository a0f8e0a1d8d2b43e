//! The window every date a request carries must lie in: from ten years before the hotel's
//! today (as long as invoices are kept) to five years after it. Nothing a hotel does reaches
//! further, and a date far outside it (a year typed 9026 for 2026) would otherwise make the
//! server hold a calendar of thousands of years.

use hotel_shared::Date;

/// 10 years of days, leap days included.
pub const DAYS_BACK: i64 = 3653;
/// 5 years of days, leap days included.
pub const DAYS_AHEAD: i64 = 1827;

/// The first and last day a request may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateWindow {
    pub first: Date,
    pub last: Date,
}

impl DateWindow {
    pub fn around(today: Date) -> DateWindow {
        DateWindow {
            first: today.checked_add_days(-DAYS_BACK).unwrap_or(today),
            last: today.checked_add_days(DAYS_AHEAD).unwrap_or(today),
        }
    }

    /// Why `text`, given as `field`, is refused: it is a date outside the window. Anything
    /// that is not a date is for its own field's rules to judge.
    pub fn refusal(&self, field: &str, text: &str) -> Option<String> {
        let date: Date = text.trim().parse().ok()?;
        (date < self.first || date > self.last).then(|| {
            format!(
                "{field} must lie between {} and {} (ten years back, five ahead); {date} does not.",
                self.first, self.last
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().unwrap_or_default()
    }

    #[test]
    fn the_window_runs_ten_years_back_and_five_ahead() {
        let window = DateWindow::around(day("2026-12-06"));
        // 3,653 days: ten years and a day when they hold two leap days.
        assert_eq!(window.first, day("2016-12-05"));
        assert_eq!(window.last, day("2031-12-07"));
    }

    #[test]
    fn only_dates_outside_the_window_are_refused() {
        let window = DateWindow::around(day("2026-12-06"));
        assert!(window.refusal("check_in", "2026-12-24").is_none());
        assert!(window.refusal("from", "2016-12-06").is_none());
        assert!(window.refusal("to", " 2031-12-07 ").is_none());
        assert!(
            window
                .refusal("to", "9026-01-01")
                .is_some_and(|m| m.contains("to must lie"))
        );
        assert!(window.refusal("from", "1900-01-01").is_some());
        assert!(window.refusal("notes", "not a date").is_none());
        assert!(window.refusal("amount", "12").is_none());
    }
}
