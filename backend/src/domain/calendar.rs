//! Bookings as an iCalendar feed (RFC 5545) for calendar and channel-manager tools.

use hotel_shared::{Booking, BookingStatus, Date};

/// Escapes TEXT values: backslash, semicolon, comma and line breaks.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Lines longer than 75 octets are folded: CRLF and a space, never inside a character.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn ical_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// `stamp` is the feed's creation time in UTC, as `YYYYMMDDTHHMMSSZ`.
pub fn ics(bookings: &[Booking], calendar_name: &str, host: &str, stamp: &str) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Hotel//Bookings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_line(&mut out, line);
    }
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape(calendar_name)));
    for b in bookings {
        let status = match b.status {
            BookingStatus::Cancelled => "CANCELLED",
            _ => "CONFIRMED",
        };
        let people = if b.guests == 1 { "guest" } else { "guests" };
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:booking-{}@{}", b.id, escape(host)));
        push_line(&mut out, &format!("DTSTAMP:{stamp}"));
        push_line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", ical_date(b.check_in)),
        );
        push_line(
            &mut out,
            &format!("DTEND;VALUE=DATE:{}", ical_date(b.check_out)),
        );
        push_line(
            &mut out,
            &format!(
                "SUMMARY:{}",
                escape(&format!(
                    "Room {} – {} ({} {people})",
                    b.room_number, b.guest, b.guests
                ))
            ),
        );
        push_line(
            &mut out,
            &format!(
                "DESCRIPTION:{}",
                escape(&format!(
                    "Booking {}, {} nights, {}, {}, {}.",
                    b.id,
                    b.nights,
                    b.room_type,
                    hotel_shared::money::format(b.total, &b.currency),
                    b.status.label()
                ))
            ),
        );
        push_line(&mut out, &format!("STATUS:{status}"));
        push_line(&mut out, "TRANSP:OPAQUE");
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotel_shared::date::date;

    #[test]
    fn lines_are_folded_and_text_escaped() {
        let mut out = String::new();
        push_line(&mut out, &"x".repeat(80));
        assert_eq!(out, format!("{}\r\n {}\r\n", "x".repeat(75), "x".repeat(5)));
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn a_stay_is_an_all_day_event_ending_on_departure_day() {
        let b = Booking {
            id: 7,
            room_number: 3,
            check_in: date(2026, 12, 30),
            check_out: date(2027, 1, 2),
            nights: 3,
            status: BookingStatus::Booked,
            guest: "ann".into(),
            guest_name: None,
            guests: 2,
            room_type: "Standard".into(),
            rate: 9500,
            total: 28500,
            night_prices: Vec::new(),
            cancel_fee: None,
            rate_plan_id: None,
            rate_plan: None,
            terms: None,
            currency: "EUR".into(),
            reference: "K7M4QX2P".into(),
            updated_at: None,
            channel: None,
            external_reference: None,
        };
        let feed = ics(&[b], "Hotel", "hotel.local", "20261124T080000Z");
        assert!(feed.contains("DTSTART;VALUE=DATE:20261230\r\n"));
        assert!(feed.contains("DTEND;VALUE=DATE:20270102\r\n"));
        assert!(feed.contains("UID:booking-7@hotel.local\r\n"));
        assert!(feed.contains("STATUS:CONFIRMED\r\n"));
        assert!(feed.ends_with("END:VCALENDAR\r\n"));
    }
}
