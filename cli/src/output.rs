//! How answers look in a terminal: sentences and tables, coloured only for a person.

use std::io::IsTerminal;

use hotel_shared::Date;
use hotel_shared::folio::{Bill, LineKind};
use hotel_shared::housekeeping::{HousekeepingRoom, RoomCondition};
use hotel_shared::staff::{QuoteResponse, Report, Room};
use hotel_shared::{Booking, RoomsResponse, money};

#[derive(Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    /// Colour only when stdout is a terminal and `NO_COLOR` is not set.
    pub fn detect() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: !no_color && std::io::stdout().is_terminal(),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn good(&self, text: &str) -> String {
        self.paint("32", text)
    }

    pub fn bad(&self, text: &str) -> String {
        self.paint("31", text)
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

pub fn rooms_table(style: Style, rooms: &RoomsResponse) -> String {
    let mut out = format!(
        "{} of {} rooms free on the night of {}\n",
        rooms.free, rooms.total, rooms.date
    );
    out.push_str(&style.bold("  Room  Status\n"));
    for room in &rooms.rooms {
        let status = if room.is_occupied {
            style.bad("occupied")
        } else if room.out_of_service {
            style.bad("out of service")
        } else {
            style.good("free")
        };
        out.push_str(&format!("  {:>4}  {status}\n", room.room_number));
    }
    out
}

pub fn bookings_table(style: Style, bookings: &[Booking]) -> String {
    if bookings.is_empty() {
        return String::new();
    }
    let mut out = style.bold("  Booking  Room  Check-in    Check-out   Nights  Status\n");
    for b in bookings {
        out.push_str(&format!(
            "  {:>7}  {:>4}  {}  {}  {:>6}  {}\n",
            b.id,
            b.room_number,
            b.check_in,
            b.check_out,
            b.nights,
            b.status.label()
        ));
    }
    out
}

/// Bookings as the front desk reads them: who, where, when, what it costs.
pub fn desk_table(style: Style, bookings: &[Booking]) -> String {
    if bookings.is_empty() {
        return "  (none)\n".into();
    }
    let mut out = style.bold(
        "  Booking  Room  Guest                 Pax  Check-in    Check-out   Status       Total\n",
    );
    for b in bookings {
        out.push_str(&format!(
            "  {:>7}  {:>4}  {:<20}  {:>3}  {}  {}  {:<11}  {}\n",
            b.id,
            b.room_number,
            b.guest,
            b.guests,
            b.check_in,
            b.check_out,
            b.status.label(),
            money::format(b.total, &b.currency)
        ));
    }
    out
}

pub fn staff_rooms_table(style: Style, rooms: &[Room], currency: &str) -> String {
    let mut out = style.bold("  Room  Floor  Type          Sleeps  Rate         State\n");
    for r in rooms {
        let state = if r.retired {
            "retired".to_string()
        } else if let Some(reason) = &r.out_of_service {
            style.bad(&format!("out of service: {reason}"))
        } else {
            style.good("in service")
        };
        out.push_str(&format!(
            "  {:>4}  {:>5}  {:<12}  {:>6}  {:<11}  {state}\n",
            r.number,
            r.floor,
            r.room_type,
            r.capacity,
            money::format(r.rate, currency)
        ));
    }
    out
}

/// Rooms to clean first (dirty), then by number, each with who sleeps there today.
pub fn housekeeping_table(style: Style, date: Date, rooms: &[HousekeepingRoom]) -> String {
    let mut sorted: Vec<&HousekeepingRoom> = rooms.iter().collect();
    sorted.sort_by_key(|r| (r.condition != RoomCondition::Dirty, r.number));
    let mut out = format!("Housekeeping on {date}:\n");
    out.push_str(&style.bold("  Room  Floor  Type          State      Today\n"));
    for r in sorted {
        let state = match r.condition {
            RoomCondition::Dirty => style.bad(&format!("{:<9}", r.condition.label())),
            _ => style.good(&format!("{:<9}", r.condition.label())),
        };
        let today = if r.out_of_order {
            format!("{} (out of order)", r.occupancy.label())
        } else {
            r.occupancy.label().to_string()
        };
        out.push_str(&format!(
            "  {:>4}  {:>5}  {:<12}  {state}  {today}\n",
            r.number, r.floor, r.room_type
        ));
    }
    out
}

/// A stay's bill: one line per posting, then what it comes to.
pub fn bill_text(style: Style, b: &Bill) -> String {
    let money = |minor: i64| money::format(minor, &b.currency);
    let mut out = format!(
        "Bill of booking {} ({}, room {}, {} to {}):\n",
        b.booking.id,
        b.booking.guest,
        b.booking.room_number,
        b.booking.check_in,
        b.booking.check_out
    );
    for line in &b.lines {
        let amount = if line.kind == LineKind::Note {
            String::new()
        } else {
            money(line.amount)
        };
        out.push_str(&format!(
            "  {}  {:<52}  {:>14}\n",
            line.date, line.description, amount
        ));
    }
    out.push_str(&format!(
        "  Charges {}  ·  paid {}\n",
        money(b.charges),
        money(b.paid)
    ));
    let balance = format!("Balance {}", money(b.balance));
    out.push_str(&format!(
        "  {}\n",
        if b.balance > 0 {
            style.bad(&balance)
        } else {
            style.good(&balance)
        }
    ));
    if let Some(invoice) = &b.invoice {
        out.push_str(&format!(
            "  Invoice {} of {}\n",
            invoice.number, invoice.issued_on
        ));
    }
    out
}

pub fn quote_table(style: Style, q: &QuoteResponse) -> String {
    let mut out = format!(
        "{} nights from {} to {} for {} {}:\n",
        q.nights,
        q.check_in,
        q.check_out,
        q.guests,
        if q.guests == 1 { "guest" } else { "guests" }
    );
    if q.options.is_empty() {
        match q.not_offered.first() {
            Some(why) => out.push_str(&format!("  Nothing can be booked: {}\n", why.message)),
            None => out.push_str("  No room type sleeps that many.\n"),
        }
        return out;
    }
    out.push_str(
        &style.bold(
            "  Type id  Type          Plan id  Plan                Sleeps  Total        Free\n",
        ),
    );
    for o in &q.options {
        out.push_str(&format!(
            "  {:>7}  {:<12}  {:>7}  {:<18}  {:>6}  {:<11}  {:>4}\n",
            o.room_type_id,
            o.room_type,
            o.rate_plan_id,
            o.rate_plan,
            o.capacity,
            money::format(o.total, &q.currency),
            o.available
        ));
        let nights: Vec<String> = o
            .nights
            .iter()
            .map(|n| format!("{} {}", n.date, money::format(n.amount, &q.currency)))
            .collect();
        out.push_str(&format!("           Nights: {}\n", nights.join(", ")));
        out.push_str(&format!("           {}\n", o.terms.words));
    }
    out
}

pub fn report_text(style: Style, r: &Report) -> String {
    let c = &r.currency;
    let mut out = format!(
        "Nights {} to {}: occupancy {:.1}% ({} of {} room-nights sold)\n\
         Revenue {}, ADR {}, RevPAR {}\n",
        r.from,
        r.to,
        r.occupancy_pct,
        r.sold,
        r.available,
        money::format(r.revenue, c),
        money::format(r.adr, c),
        money::format(r.revpar, c)
    );
    out.push_str(&style.bold("  Night       Sold  Free  Occupancy\n"));
    for d in &r.days {
        let bar = "#".repeat((d.occupancy_pct / 5.0).round() as usize);
        out.push_str(&format!(
            "  {}  {:>4}  {:>4}  {:>5.1}% {bar}\n",
            d.date,
            d.sold,
            d.available.saturating_sub(d.sold),
            d.occupancy_pct
        ));
    }
    out
}

/// Characters a terminal must never receive from the server: control characters (ESC starts
/// a command, CR overwrites a line) except line breaks and tabs, and bidirectional overrides
/// and isolates (U+202E shows a line backwards).
fn unprintable(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    ) || (c.is_control() && c != '\n' && c != '\t')
}

/// `text` with every unprintable character replaced by U+FFFD.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if unprintable(c) { '\u{FFFD}' } else { c })
        .collect()
}

/// Every text in `value` made printable.
pub fn printable_value(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(text) => Value::String(printable(&text)),
        Value::Array(items) => Value::Array(items.into_iter().map(printable_value).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, item)| (printable(&key), printable_value(item)))
                .collect(),
        ),
        other => other,
    }
}

/// A JSON text with each unprintable character written as its `\uXXXX` escape: the same
/// JSON to a program, and nothing a terminal obeys.
pub fn escape_unprintable_json(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if unprintable(c) && c != '\r' {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_never_carries_terminal_commands() {
        assert_eq!(printable("Mini\u{1b}[2Jbar"), "Mini\u{FFFD}[2Jbar");
        assert_eq!(
            printable("Break\u{202e}fast 5.00"),
            "Break\u{FFFD}fast 5.00"
        );
        assert_eq!(printable("two\nlines\tok"), "two\nlines\tok");
        let raw = "{\"d\":\"a\u{202e}b\u{9b}c\"}";
        let escaped = escape_unprintable_json(raw);
        assert_eq!(escaped, "{\"d\":\"a\\u202eb\\u009bc\"}");
        let again: serde_json::Value = serde_json::from_str(&escaped).unwrap_or_default();
        assert_eq!(again["d"], serde_json::json!("a\u{202e}b\u{9b}c"));
    }
    use hotel_shared::RoomStatus;

    #[test]
    fn plain_style_has_no_escape_codes() {
        let style = Style { color: false };
        let rooms = RoomsResponse {
            rooms: vec![
                RoomStatus {
                    room_number: 1,
                    is_occupied: true,
                    out_of_service: false,
                },
                RoomStatus {
                    room_number: 2,
                    is_occupied: false,
                    out_of_service: false,
                },
            ],
            date: hotel_shared::date::date(2026, 11, 24),
            free: 1,
            total: 2,
        };
        let text = rooms_table(style, &rooms);
        assert!(!text.contains('\x1b'));
        assert!(text.starts_with("1 of 2 rooms free on the night of 2026-11-24"));
        assert!(text.contains("     1  occupied"));
        assert!(text.contains("     2  free"));
    }
}
