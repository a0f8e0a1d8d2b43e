//! How answers look in a terminal: sentences and tables, coloured only for a person.

use std::io::IsTerminal;

use hotel_shared::{Booking, RoomsResponse};

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

#[cfg(test)]
mod tests {
    use super::*;
    use hotel_shared::RoomStatus;

    #[test]
    fn plain_style_has_no_escape_codes() {
        let style = Style { color: false };
        let rooms = RoomsResponse {
            rooms: vec![
                RoomStatus {
                    room_number: 1,
                    is_occupied: true,
                },
                RoomStatus {
                    room_number: 2,
                    is_occupied: false,
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
