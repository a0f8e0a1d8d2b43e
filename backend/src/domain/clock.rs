//! "Tonight" depends on where the hotel is, not where the server or the guest is.

use hotel_shared::Date;
use jiff::Timestamp;
use jiff::tz::TimeZone;

#[derive(Clone, Debug)]
pub struct HotelClock {
    tz: TimeZone,
    name: String,
}

impl HotelClock {
    /// `None` takes the system's zone (UTC when it cannot be determined).
    pub fn new(name: Option<&str>) -> Result<Self, String> {
        match name {
            Some(name) => {
                let tz =
                    TimeZone::get(name).map_err(|e| format!("unknown time zone {name:?}: {e}"))?;
                Ok(HotelClock {
                    tz,
                    name: name.to_string(),
                })
            }
            None => {
                let tz = TimeZone::try_system().unwrap_or(TimeZone::UTC);
                let name = tz.iana_name().unwrap_or("UTC").to_string();
                Ok(HotelClock { tz, name })
            }
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn zone(&self) -> &TimeZone {
        &self.tz
    }

    pub fn today(&self) -> Date {
        self.date_at(Timestamp::now())
    }

    /// When `day` begins in the hotel, as UTC text that sorts with the audit log's times
    /// (`YYYY-MM-DDTHH:MM:SS`, no zone letter, so every instant of that second sorts after).
    pub fn day_starts(&self, day: Date) -> Option<String> {
        let civil = jiff::civil::Date::new(
            i16::try_from(day.year()).ok()?,
            i8::try_from(day.month()).ok()?,
            i8::try_from(day.day()).ok()?,
        )
        .ok()?;
        let start = self
            .tz
            .to_timestamp(civil.to_datetime(jiff::civil::Time::midnight()))
            .ok()?;
        Some(start.strftime("%Y-%m-%dT%H:%M:%S").to_string())
    }

    pub fn date_at(&self, at: Timestamp) -> Date {
        let day = self.tz.to_datetime(at).date();
        // jiff's civil dates span years -9999..=9999; ours 1..=9999, which covers any "now".
        Date::new(
            i32::from(day.year()),
            u32::from(day.month().unsigned_abs()),
            u32::from(day.day().unsigned_abs()),
        )
        .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hotel_day_begins_at_its_own_midnight() {
        let akl = HotelClock::new(Some("Pacific/Auckland")).unwrap_or_else(|e| panic!("{e}"));
        let day = hotel_shared::date::date(2026, 11, 24);
        assert_eq!(akl.day_starts(day).as_deref(), Some("2026-11-23T11:00:00"));
        let utc = HotelClock::new(Some("UTC")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(utc.day_starts(day).as_deref(), Some("2026-11-24T00:00:00"));
    }

    #[test]
    fn the_same_instant_is_a_different_night_in_auckland_and_los_angeles() {
        // 2026-11-24 10:30 UTC: already the evening of the 24th in Auckland (+13),
        // still the small hours of the 24th in Los Angeles (-8).
        let at: Timestamp = "2026-11-24T10:30:00Z"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let akl = HotelClock::new(Some("Pacific/Auckland")).unwrap_or_else(|e| panic!("{e}"));
        let lax = HotelClock::new(Some("America/Los_Angeles")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(akl.date_at(at), hotel_shared::date::date(2026, 11, 24));
        assert_eq!(lax.date_at(at), hotel_shared::date::date(2026, 11, 24));
        // 2026-11-24 12:30 UTC: past midnight in Auckland.
        let later: Timestamp = "2026-11-24T12:30:00Z"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(akl.date_at(later), hotel_shared::date::date(2026, 11, 25));
        // 2026-11-24 07:30 UTC is still the 23rd in Los Angeles.
        let early: Timestamp = "2026-11-24T07:30:00Z"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lax.date_at(early), hotel_shared::date::date(2026, 11, 23));
    }

    #[test]
    fn hotel_days_agree_with_jiff_for_every_day_of_four_centuries() {
        let utc = HotelClock::new(Some("UTC")).unwrap_or_else(|e| panic!("{e}"));
        let mut day = jiff::civil::date(1800, 1, 1);
        let mut ours = hotel_shared::date::date(1800, 1, 1);
        while day < jiff::civil::date(2200, 1, 1) {
            let noon = TimeZone::UTC
                .to_timestamp(day.at(12, 0, 0, 0))
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(utc.date_at(noon), ours);
            assert_eq!(ours.to_string(), day.to_string());
            day = day.tomorrow().unwrap_or_else(|e| panic!("{e}"));
            ours = ours.checked_add_days(1).unwrap_or_default();
        }
    }

    #[test]
    fn unknown_zone_is_refused() {
        assert!(HotelClock::new(Some("Mars/Olympus")).is_err());
    }
}
