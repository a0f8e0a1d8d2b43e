//! Calendar sync with the booking sites (iCalendar, RFC 5545), both ways, read and written with
//! the `icalendar` crate: what a fetched feed says (each event the nights it holds, in the
//! hotel's days), how it differs from what the last sync imported, and a room's or a room
//! type's calendar of nights that cannot be sold, with no guest's data in it.

use chrono::NaiveDate;
use hotel_shared::Date;
use icalendar::{
    CalendarDateTime, Component, DatePerhapsTime, Event, EventLike, EventStatus, Property,
};
use jiff::civil;
use jiff::tz::TimeZone;

/// A fetched feed is refused beyond this size: a room's calendar for years is a few
/// hundred kilobytes.
pub const MAX_FEED_BYTES: usize = 2 * 1024 * 1024;
/// Events a feed may hold; more is not a room's calendar.
pub const MAX_EVENTS: usize = 10_000;
/// An imported summary is cut to this many characters.
const MAX_SUMMARY: usize = 200;
/// A UID longer than this is not a booking site's.
const MAX_UID: usize = 255;

/// Whether `address` has the form a feed's address may have (the `pattern` of `FeedInput`'s
/// `url` in the API description, checked here letter for letter): `http` or `https`, a host
/// name whose labels begin with a letter or an IPv4 address, a port, and a path and query of
/// the characters URLs are written in.
pub fn feed_address_ok(address: &str) -> bool {
    let Some(rest) = address
        .strip_prefix("https://")
        .or_else(|| address.strip_prefix("http://"))
    else {
        return false;
    };
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let port_ok = port.is_none_or(|p| {
        (1..=5).contains(&p.len())
            && p.bytes().all(|b| b.is_ascii_digit())
            && !p.starts_with('0')
            && p.parse::<u32>().is_ok_and(|n| n <= 65_535)
    });
    let name_ok = !host.is_empty()
        && host.split('.').all(|label| {
            label
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    let octets: Vec<&str> = host.split('.').collect();
    let ip_ok = octets.len() == 4
        && octets.iter().all(|o| {
            (1..=3).contains(&o.len())
                && o.bytes().all(|b| b.is_ascii_digit())
                && o.parse::<u16>().is_ok_and(|n| n <= 255)
                // `1?[0-9]?[0-9]`: three digits only from 100 up.
                && (o.len() < 3 || o.starts_with('1') || o.starts_with('2'))
        });
    let path_ok = path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._~/?=&%+,;:@!*'()$-".contains(&b));
    port_ok && (name_ok || ip_ok) && path_ok
}

/// A stay a booking site's calendar holds: nights `from` up to, not including, `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedStay {
    pub uid: String,
    pub from: Date,
    pub to: Date,
    pub summary: String,
}

/// Reads a feed: its events that hold nights from `first` on (earlier ones have ended), cut
/// at `last`. Cancelled events hold nothing. A timed event holds the nights of the hotel's
/// days it touches: from the day it starts to the day it ends (at least one night).
pub fn read_feed(
    text: &str,
    zone: &TimeZone,
    first: Date,
    last: Date,
) -> Result<Vec<ImportedStay>, String> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if !body
        .get(..15)
        .is_some_and(|head| head.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
    {
        return Err("the address did not answer with an iCalendar feed".into());
    }
    let calendar: icalendar::Calendar = body
        .parse()
        .map_err(|e: String| format!("the feed is not valid iCalendar: {}", first_line(&e)))?;
    let mut stays: Vec<ImportedStay> = Vec::new();
    for event in calendar.events() {
        if stays.len() >= MAX_EVENTS {
            return Err(format!("the feed holds more than {MAX_EVENTS} events"));
        }
        if event.get_status() == Some(EventStatus::Cancelled) {
            continue;
        }
        let Some(uid) = event.get_uid().map(str::trim).filter(|u| !u.is_empty()) else {
            continue;
        };
        if uid.len() > MAX_UID {
            continue;
        }
        let Some(start) = event.get_start() else {
            continue;
        };
        let Some(from) = day_of(&start, zone) else {
            continue;
        };
        let to = match event.get_end().and_then(|end| day_of(&end, zone)) {
            Some(end) => end,
            None => from.checked_add_days(1).unwrap_or(from),
        };
        // Timed events within one day still hold that night; a date-only event's end is
        // exclusive, so an end on its start is one night too.
        let to = to.max(from.checked_add_days(1).unwrap_or(from)).min(last);
        if to <= first || from >= to {
            continue;
        }
        let summary: String = event
            .get_summary()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_SUMMARY)
            .collect();
        // One stay per UID: a feed repeating one (a recurring event's instances) keeps the
        // first.
        if stays.iter().any(|s| s.uid == uid) {
            continue;
        }
        stays.push(ImportedStay {
            uid: uid.to_string(),
            from,
            to,
            summary: if summary.trim().is_empty() {
                "Not available".into()
            } else {
                summary
            },
        });
    }
    Ok(stays)
}

fn first_line(text: &str) -> &str {
    let line = text.lines().next().unwrap_or(text);
    line.get(..120).unwrap_or(line)
}

/// The hotel's day a DTSTART or DTEND falls on.
fn day_of(value: &DatePerhapsTime, zone: &TimeZone) -> Option<Date> {
    match value {
        DatePerhapsTime::Date(day) => date_of(*day),
        DatePerhapsTime::DateTime(at) => {
            let (naive, source) = match at {
                CalendarDateTime::Utc(utc) => (utc.naive_utc(), TimeZone::UTC),
                CalendarDateTime::Floating(naive) => (*naive, zone.clone()),
                CalendarDateTime::WithTimezone { date_time, tzid } => (
                    *date_time,
                    // A zone this server does not know (a Windows name) reads as the hotel's.
                    TimeZone::get(tzid).unwrap_or_else(|_| zone.clone()),
                ),
            };
            let civil = civil::DateTime::new(
                i16::try_from(chrono::Datelike::year(&naive)).ok()?,
                i8::try_from(chrono::Datelike::month(&naive)).ok()?,
                i8::try_from(chrono::Datelike::day(&naive)).ok()?,
                i8::try_from(chrono::Timelike::hour(&naive)).ok()?,
                i8::try_from(chrono::Timelike::minute(&naive)).ok()?,
                i8::try_from(chrono::Timelike::second(&naive)).ok()?,
                0,
            )
            .ok()?;
            let instant = source.to_ambiguous_timestamp(civil).compatible().ok()?;
            let day = zone.to_datetime(instant).date();
            Date::new(
                i32::from(day.year()),
                u32::try_from(day.month()).ok()?,
                u32::try_from(day.day()).ok()?,
            )
        }
    }
}

fn date_of(day: NaiveDate) -> Option<Date> {
    Date::new(
        chrono::Datelike::year(&day),
        chrono::Datelike::month(&day),
        chrono::Datelike::day(&day),
    )
}

fn naive(day: Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(day.year(), day.month(), day.day())
}

/// How a sync changes what a feed imported, by UID.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FeedChanges {
    pub added: Vec<ImportedStay>,
    /// (block id, the stay's new nights and summary)
    pub moved: Vec<(i64, ImportedStay)>,
    pub removed: Vec<i64>,
}

/// What kept blocks (id, stay) become to match `fresh`.
pub fn changes(kept: &[(i64, ImportedStay)], fresh: Vec<ImportedStay>) -> FeedChanges {
    let fresh_uids: std::collections::HashSet<String> =
        fresh.iter().map(|s| s.uid.clone()).collect();
    let mut out = FeedChanges {
        removed: kept
            .iter()
            .filter(|(_, k)| !fresh_uids.contains(&k.uid))
            .map(|(id, _)| *id)
            .collect(),
        ..FeedChanges::default()
    };
    for stay in fresh {
        match kept.iter().find(|(_, k)| k.uid == stay.uid) {
            None => out.added.push(stay),
            Some((id, k)) if *k != stay => out.moved.push((*id, stay)),
            Some(_) => {}
        }
    }
    out
}

/// A range of nights in an exported calendar, with the UID that names it for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedNights {
    /// Unique within the calendar and stable while the range stands: `stay-12`, `block-4`.
    pub key: String,
    pub from: Date,
    pub to: Date,
}

/// The calendar booking sites import: every range as an all-day event from its first night to
/// its departure day, called only "Not available".
pub fn export(name: &str, ranges: &[ClosedNights], host: &str, stamp: jiff::Timestamp) -> String {
    let stamp = chrono::DateTime::from_timestamp(stamp.as_second(), 0).unwrap_or_default();
    let mut calendar = icalendar::Calendar::new();
    calendar.name(name);
    calendar.append_property(Property::new("METHOD", "PUBLISH"));
    for range in ranges {
        let (Some(from), Some(to)) = (naive(range.from), naive(range.to)) else {
            continue;
        };
        calendar.push(
            Event::new()
                .uid(&format!("{}@{host}", range.key))
                .timestamp(stamp)
                .starts(from)
                .ends(to)
                .summary("Not available")
                .status(EventStatus::Confirmed)
                .add_property("TRANSP", "OPAQUE")
                .done(),
        );
    }
    calendar.done().to_string()
}

/// Nights on which none of `rooms` rooms can be sold, as ranges: `taken` holds, for each
/// night of `from..to`, how many of them cannot be.
pub fn sold_out(from: Date, counts: &[u32], rooms: u32) -> Vec<(Date, Date)> {
    let mut out: Vec<(Date, Date)> = Vec::new();
    let mut open: Option<Date> = None;
    let mut night = from;
    for &count in counts {
        let full = rooms > 0 && count >= rooms;
        match (full, open) {
            (true, None) => open = Some(night),
            (false, Some(start)) => {
                out.push((start, night));
                open = None;
            }
            _ => {}
        }
        let Some(next) = night.checked_add_days(1) else {
            break;
        };
        night = next;
    }
    if let Some(start) = open {
        out.push((start, night));
    }
    out
}

/// The secret part of a calendar's address: a keyed digest of what it shows and how many
/// times its address was replaced, so no address is stored and an old one stops working.
pub fn export_secret(key: &str, what: &str, generation: i64) -> String {
    use hmac::Mac;
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()) else {
        return String::new();
    };
    mac.update(format!("{what}/{generation}").as_bytes());
    let digest = mac.finalize().into_bytes();
    // 128 bits are past guessing, and keep the address short enough to paste.
    hex::encode(&digest[..16])
}

/// The booking site or program that sold a stay, its reference and the price agreed there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelSale {
    pub channel: Option<String>,
    pub external_reference: Option<String>,
    /// Every night at this price (minor units) instead of the plan's.
    pub nightly_price: Option<i64>,
}

impl ChannelSale {
    /// Checks what a booking made through the API says of its sale: a channel in the form of
    /// a key's name, a reference of printable characters without spaces that needs its
    /// channel, a price within a room type's.
    pub fn new(
        channel: Option<String>,
        external_reference: Option<String>,
        nightly_price: Option<i64>,
    ) -> Result<ChannelSale, String> {
        if let Some(c) = &channel {
            crate::domain::api_keys::check_name(c).map_err(|_| {
                "channel: 1 to 40 lower-case letters, digits, '.', '_' or '-', starting with a letter or a digit.".to_string()
            })?;
        }
        if let Some(r) = &external_reference {
            if channel.is_none() {
                return Err("external_reference needs the channel it belongs to.".into());
            }
            if r.is_empty() || r.len() > 100 || !r.chars().all(|c| c.is_ascii_graphic()) {
                return Err(
                    "external_reference: 1 to 100 printable characters without spaces.".into(),
                );
            }
        }
        if let Some(p) = nightly_price
            && !(0..=crate::domain::rooms::MAX_RATE).contains(&p)
        {
            return Err(format!(
                "nightly_price must be 0 to {}, in minor units (cents).",
                crate::domain::rooms::MAX_RATE
            ));
        }
        Ok(ChannelSale {
            channel,
            external_reference,
            nightly_price,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotel_shared::date::date;

    fn berlin() -> TimeZone {
        TimeZone::get("Europe/Berlin").unwrap_or(TimeZone::UTC)
    }

    const FEED: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Site//EN\r\n\
BEGIN:VEVENT\r\nUID:a@site\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20270710\r\nDTEND;VALUE=DATE:20270713\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:b@site\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20270801T140000Z\r\nDTEND:20270803T090000Z\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:c@site\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20270901\r\nDTEND;VALUE=DATE:20270902\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:d@site\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=America/New_York:20271001T220000\r\nDTEND;TZID=America/New_York:20271002T100000\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

    #[test]
    fn events_become_the_hotels_nights() {
        let stays =
            read_feed(FEED, &berlin(), date(2027, 1, 1), date(2030, 1, 1)).unwrap_or_default();
        let nights: Vec<(&str, Date, Date)> = stays
            .iter()
            .map(|s| (s.uid.as_str(), s.from, s.to))
            .collect();
        assert_eq!(
            nights,
            vec![
                ("a@site", date(2027, 7, 10), date(2027, 7, 13)),
                // 14:00 UTC is 16:00 in Berlin on the 1st; 09:00 UTC on the 3rd ends there.
                ("b@site", date(2027, 8, 1), date(2027, 8, 3)),
                // 22:00 in New York is 04:00 the next day in Berlin.
                ("d@site", date(2027, 10, 2), date(2027, 10, 3)),
            ]
        );
        assert_eq!(stays[0].summary, "Reserved");
        assert_eq!(stays[1].summary, "Not available");
    }

    #[test]
    fn what_is_not_a_calendar_is_refused() {
        let zone = berlin();
        let (first, last) = (date(2027, 1, 1), date(2030, 1, 1));
        assert!(read_feed("<html>hi</html>", &zone, first, last).is_err());
        assert!(read_feed("", &zone, first, last).is_err());
        assert!(read_feed("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", &zone, first, last).is_err());
    }

    #[test]
    fn ended_events_are_left_out_and_far_ones_cut() {
        let stays =
            read_feed(FEED, &berlin(), date(2027, 7, 13), date(2027, 8, 2)).unwrap_or_default();
        assert_eq!(stays.len(), 1);
        assert_eq!(stays[0].to, date(2027, 8, 2));
    }

    fn stay(uid: &str, from: Date, to: Date) -> ImportedStay {
        ImportedStay {
            uid: uid.into(),
            from,
            to,
            summary: "x".into(),
        }
    }

    #[test]
    fn a_sync_adds_moves_and_removes_by_uid() {
        let kept = vec![
            (1, stay("same", date(2027, 1, 1), date(2027, 1, 3))),
            (2, stay("moves", date(2027, 2, 1), date(2027, 2, 3))),
            (3, stay("goes", date(2027, 3, 1), date(2027, 3, 3))),
        ];
        let fresh = vec![
            stay("same", date(2027, 1, 1), date(2027, 1, 3)),
            stay("moves", date(2027, 2, 2), date(2027, 2, 4)),
            stay("new", date(2027, 4, 1), date(2027, 4, 2)),
        ];
        let c = changes(&kept, fresh);
        assert_eq!(
            c.added,
            vec![stay("new", date(2027, 4, 1), date(2027, 4, 2))]
        );
        assert_eq!(
            c.moved,
            vec![(2, stay("moves", date(2027, 2, 2), date(2027, 2, 4)))]
        );
        assert_eq!(c.removed, vec![3]);
    }

    #[test]
    fn the_export_reads_back_with_the_same_crate() {
        let ranges = vec![
            ClosedNights {
                key: "stay-7".into(),
                from: date(2027, 7, 10),
                to: date(2027, 7, 13),
            },
            ClosedNights {
                key: "block-2".into(),
                from: date(2027, 8, 1),
                to: date(2027, 8, 2),
            },
        ];
        let text = export(
            "Room 12",
            &ranges,
            "hotel.example",
            jiff::Timestamp::UNIX_EPOCH,
        );
        let back =
            read_feed(&text, &berlin(), date(2027, 1, 1), date(2030, 1, 1)).unwrap_or_default();
        let nights: Vec<(&str, Date, Date)> = back
            .iter()
            .map(|s| (s.uid.as_str(), s.from, s.to))
            .collect();
        assert_eq!(
            nights,
            vec![
                ("stay-7@hotel.example", date(2027, 7, 10), date(2027, 7, 13)),
                ("block-2@hotel.example", date(2027, 8, 1), date(2027, 8, 2)),
            ]
        );
        assert!(back.iter().all(|s| s.summary == "Not available"));
    }

    #[test]
    fn sold_out_nights_are_runs_of_full_nights() {
        let from = date(2027, 1, 1);
        assert_eq!(
            sold_out(from, &[2, 2, 1, 2, 2], 2),
            vec![
                (date(2027, 1, 1), date(2027, 1, 3)),
                (date(2027, 1, 4), date(2027, 1, 6)),
            ]
        );
        assert!(sold_out(from, &[0, 0], 0).is_empty());
    }

    #[test]
    fn feed_addresses_are_checked_as_the_api_describes_them() {
        for good in [
            "https://www.airbnb.com/calendar/ical/12345.ics?s=abc123",
            "https://admin.booking.com/hotel/hoteladmin/ical.html?t=2f1a-9c",
            "http://127.0.0.1:8080/calendar/room.ics",
            "http://127.0.0.1:65535/",
            "https://Example.org",
        ] {
            assert!(feed_address_ok(good), "{good}");
        }
        for bad in [
            "ftp://example.org/x.ics",
            "https://user:pw@example.org/x.ics",
            "https://example.org/a b",
            "https://1example.org/",
            "https://256.1.1.1/",
            "https://example.org:0/",
            "https://example.org:99999/",
            "https://example.org:65536/",
            "https://exa_mple.org/",
            "https://example.org/\"x\"",
            "https://",
        ] {
            assert!(!feed_address_ok(bad), "{bad}");
        }
    }

    #[test]
    fn addresses_differ_by_room_and_generation() {
        let a = export_secret("k", "room/1", 0);
        assert_eq!(a.len(), 32);
        assert_ne!(a, export_secret("k", "room/1", 1));
        assert_ne!(a, export_secret("k", "room/2", 0));
        assert_ne!(a, export_secret("other", "room/1", 0));
    }
}
