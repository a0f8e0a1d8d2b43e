//! Page rules that are not about drawing: dates, nights, what is offered. Plain functions,
//! tested natively.

use hotel_shared::stay::{Stay, StayError};
use hotel_shared::{Booking, BookingStatus, Date};

/// How many nights the calendar shows.
pub const CALENDAR_NIGHTS: u32 = 14;

/// The price of a night on average, rounded to the nearest minor unit (halves up), as a
/// guest would work it out: €323.00 for three nights is €107.67 a night, not €107.66.
pub fn per_night(total: i64, nights: u32) -> i64 {
    let nights = i64::from(nights.max(1));
    (total + nights / 2) / nights
}

pub fn add_days(date: Date, days: i64) -> Date {
    date.checked_add_days(days).unwrap_or(date)
}

/// The stay the booking form describes, judged by the hotel's own rules.
pub fn stay_for(check_in: Date, check_out: Date, today: Date) -> Result<Stay, String> {
    Stay::validate(check_in, check_out, today).map_err(|e: StayError| e.message())
}

/// "3 nights", "1 night".
pub fn nights_label(nights: u32) -> String {
    if nights == 1 {
        "1 night".into()
    } else {
        format!("{nights} nights")
    }
}

/// What a guest searches for: the stay and the party.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Search {
    pub check_in: Date,
    pub check_out: Date,
    pub adults: u32,
    pub rooms: u32,
}

/// Most adults and rooms the search form offers.
pub const MAX_ADULTS: u32 = 40;
pub const MAX_ROOMS: u32 = 10;

impl Search {
    /// Tonight, one night, two adults, one room.
    pub fn default_from(today: Date) -> Search {
        Search {
            check_in: today,
            check_out: add_days(today, 1),
            adults: 2,
            rooms: 1,
        }
    }

    /// The search in an address's query (`?check_in=…&check_out=…&adults=2&rooms=1`); what
    /// is missing or unreadable keeps the default.
    pub fn from_query(query: &str, today: Date) -> Search {
        let mut s = Search::default_from(today);
        for pair in query.trim_start_matches('?').split('&') {
            let Some((key, value)) = pair.split_once('=') else {
                continue;
            };
            match key {
                "check_in" => s.check_in = value.parse().unwrap_or(s.check_in),
                "check_out" => s.check_out = value.parse().unwrap_or(s.check_out),
                "adults" => s.adults = value.parse().unwrap_or(s.adults),
                "rooms" => s.rooms = value.parse().unwrap_or(s.rooms),
                _ => {}
            }
        }
        s.adults = s.adults.clamp(1, MAX_ADULTS);
        s.rooms = s.rooms.clamp(1, MAX_ROOMS);
        s
    }

    pub fn to_query(self) -> String {
        format!(
            "check_in={}&check_out={}&adults={}&rooms={}",
            self.check_in, self.check_out, self.adults, self.rooms
        )
    }

    /// People in each room: the party spread evenly, the larger share counted.
    pub fn per_room(self) -> u32 {
        self.adults.div_ceil(self.rooms.max(1))
    }

    pub fn nights(self) -> u32 {
        u32::try_from(self.check_in.days_until(self.check_out)).unwrap_or(0)
    }
}

/// One value of an address's query (`room_type` in `?…&room_type=2`).
pub fn query_value<'q>(query: &'q str, name: &str) -> Option<&'q str> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Where a sign-in returns to: an address of this app only, never another site's.
pub fn safe_next(next: Option<&str>) -> String {
    let decoded = next.map(|n| {
        n.replace("%2F", "/")
            .replace("%3F", "?")
            .replace("%3D", "=")
            .replace("%26", "&")
    });
    match decoded {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path
        }
        _ => "/".into(),
    }
}

/// `path` as a `next=` value.
pub fn encode_next(path: &str) -> String {
    path.replace('&', "%26")
        .replace('=', "%3D")
        .replace('?', "%3F")
}

/// How many rooms the form may ask for: at least 1, at most what is free.
pub fn clamp_rooms(wanted: u32, available: u32) -> u32 {
    wanted.clamp(1, available.max(1))
}

/// A stay that has not begun can be cancelled; one in progress is checked out instead.
pub fn can_cancel(booking: &Booking, today: Date) -> bool {
    booking.status == BookingStatus::Booked && booking.check_in >= today
}

/// Booked or checked in: the stay holds its room.
pub fn is_live(booking: &Booking) -> bool {
    matches!(
        booking.status,
        BookingStatus::Booked | BookingStatus::CheckedIn
    )
}

pub fn in_progress(booking: &Booking, today: Date) -> bool {
    is_live(booking) && booking.check_in <= today && booking.check_out > today
}

/// Guests per room the forms offer.
pub const MAX_GUESTS: u32 = 20;

/// The stay holding `room` on `night`, among `bookings`.
pub fn stay_on(bookings: &[Booking], room: u32, night: Date) -> Option<&Booking> {
    bookings
        .iter()
        .find(|b| is_live(b) && b.room_number == room && b.check_in <= night && night < b.check_out)
}

/// The nights that still matter for moving a stay: from tonight (or its first night) on.
pub fn movable_range(booking: &Booking, today: Date) -> (Date, Date) {
    (booking.check_in.max(today), booking.check_out)
}

/// Rooms a stay can move to: free for its remaining nights, and not the one it has.
pub fn move_targets(free: &[u32], current: u32) -> Vec<u32> {
    free.iter().copied().filter(|r| *r != current).collect()
}

/// Column headings of the calendar: "Tue 24".
pub fn day_label(date: Date) -> String {
    let weekday = date.weekday().short_name();
    format!("{weekday} {}", date.day())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    Free,
    Taken,
    Mine,
}

/// One calendar cell: the guest's own stays stand out from everybody else's.
pub fn cell(room: u32, night: Date, taken: bool, mine: &[Booking]) -> Cell {
    let own = stay_on(mine, room, night).is_some();
    match (own, taken) {
        (true, _) => Cell::Mine,
        (false, true) => Cell::Taken,
        (false, false) => Cell::Free,
    }
}

/// Every page of both apps, each at its own URL (`hotel_shared::paths::PAGES`), and a
/// booking's confirmation at `/bookings/{reference}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    SignIn,
    Book,
    MyBookings,
    Reservation,
    ResetPassword,
    ConfirmEmail,
    Desk,
    DeskCalendar,
    DeskRooms,
    DeskReports,
    DeskAudit,
    DeskHotel,
    DeskHousekeeping,
    DeskBill,
    DeskGuests,
    DeskRates,
    DeskMessages,
    DeskLetters,
    NotFound,
}

/// The pages in the order of the server's list of page paths, `hotel_shared::paths::PAGES`,
/// so each path is written in one place.
const IN_SERVER_ORDER: [Page; 18] = [
    Page::Home,
    Page::SignIn,
    Page::Book,
    Page::MyBookings,
    Page::ResetPassword,
    Page::ConfirmEmail,
    Page::Desk,
    Page::DeskCalendar,
    Page::DeskRooms,
    Page::DeskReports,
    Page::DeskAudit,
    Page::DeskHotel,
    Page::DeskHousekeeping,
    Page::DeskBill,
    Page::DeskGuests,
    Page::DeskRates,
    Page::DeskMessages,
    Page::DeskLetters,
];

impl Page {
    /// The page at `path` (a URL's path, without its query); a trailing slash is ignored.
    pub fn at(path: &str) -> Page {
        let path = match path.trim_end_matches('/') {
            "" => "/",
            trimmed => trimmed,
        };
        if let Some(reference) = path.strip_prefix("/bookings/")
            && !reference.is_empty()
            && !reference.contains('/')
        {
            return Page::Reservation;
        }
        hotel_shared::paths::PAGES
            .iter()
            .zip(IN_SERVER_ORDER)
            .find(|(at, _)| **at == path)
            .map_or(Page::NotFound, |(_, page)| page)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use hotel_shared::date::date;

    const TODAY: Date = date(2026, 11, 24);

    #[test]
    fn an_average_night_is_rounded_not_cut() {
        assert_eq!(per_night(32_300, 3), 10_767);
        assert_eq!(per_night(32_200, 3), 10_733);
        assert_eq!(per_night(19_000, 2), 9_500);
        assert_eq!(per_night(19_001, 0), 19_001);
    }

    fn booking(room: u32, check_in: Date, check_out: Date) -> Booking {
        Booking {
            id: 1,
            room_number: room,
            check_in,
            check_out,
            nights: 0,
            status: BookingStatus::Booked,
            guest: "ann".into(),
            guest_name: None,
            guests: 1,
            room_type: "Standard".into(),
            rate: 9500,
            total: 9500,
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
        }
    }

    #[test]
    fn form_dates_follow_the_hotels_rules() {
        assert!(stay_for(TODAY, date(2026, 11, 27), TODAY).is_ok());
        assert_eq!(
            stay_for(TODAY, TODAY, TODAY).unwrap_err(),
            "check_out must be after check_in."
        );
        assert!(stay_for(date(2026, 11, 1), TODAY, TODAY).is_err());
    }

    #[test]
    fn a_search_survives_its_address() {
        let s = Search {
            check_in: date(2026, 12, 13),
            check_out: date(2026, 12, 16),
            adults: 5,
            rooms: 2,
        };
        assert_eq!(Search::from_query(&format!("?{}", s.to_query()), TODAY), s);
        assert_eq!(s.per_room(), 3);
        assert_eq!(s.nights(), 3);
        let fallback = Search::from_query("?adults=x&rooms=0&zz", TODAY);
        assert_eq!(
            (fallback.adults, fallback.rooms, fallback.check_in),
            (2, 1, TODAY)
        );
        assert_eq!(query_value("?a=1&room_type=2", "room_type"), Some("2"));
    }

    #[test]
    fn sign_in_returns_only_to_this_app() {
        let next = encode_next("/book?check_in=2026-12-13&rooms=1");
        assert_eq!(safe_next(Some(&next)), "/book?check_in=2026-12-13&rooms=1");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn nights_read_naturally() {
        assert_eq!(nights_label(1), "1 night");
        assert_eq!(nights_label(3), "3 nights");
    }

    #[test]
    fn room_count_stays_within_what_is_free() {
        assert_eq!(clamp_rooms(5, 3), 3);
        assert_eq!(clamp_rooms(0, 3), 1);
        assert_eq!(clamp_rooms(2, 0), 1);
    }

    #[test]
    fn only_stays_not_begun_can_be_cancelled() {
        let tomorrow = add_days(TODAY, 1);
        assert!(can_cancel(&booking(1, TODAY, tomorrow), TODAY));
        assert!(can_cancel(&booking(1, tomorrow, add_days(TODAY, 3)), TODAY));
        let begun = booking(1, add_days(TODAY, -1), tomorrow);
        assert!(!can_cancel(&begun, TODAY));
        assert!(in_progress(&begun, TODAY));
        let mut cancelled = booking(1, tomorrow, add_days(TODAY, 2));
        cancelled.status = BookingStatus::Cancelled;
        assert!(!can_cancel(&cancelled, TODAY));
    }

    #[test]
    fn a_stay_moves_from_tonight_on_to_a_different_room() {
        let begun = booking(4, add_days(TODAY, -2), add_days(TODAY, 2));
        assert_eq!(movable_range(&begun, TODAY), (TODAY, add_days(TODAY, 2)));
        assert_eq!(move_targets(&[1, 4, 7], 4), vec![1, 7]);
    }

    #[test]
    fn own_stays_are_marked_in_the_calendar() {
        let mine = vec![booking(2, TODAY, add_days(TODAY, 2))];
        assert_eq!(cell(2, TODAY, true, &mine), Cell::Mine);
        assert_eq!(cell(2, add_days(TODAY, 2), false, &mine), Cell::Free);
        assert_eq!(cell(3, TODAY, true, &mine), Cell::Taken);
        assert_eq!(day_label(TODAY), "Tue 24");
    }

    #[test]
    fn checked_in_stays_hold_their_room_and_cancelled_ones_do_not() {
        let mut stay = booking(5, TODAY, add_days(TODAY, 2));
        stay.status = BookingStatus::CheckedIn;
        let stays = vec![stay];
        assert_eq!(
            stay_on(&stays, 5, add_days(TODAY, 1)).map(|b| b.id),
            Some(1)
        );
        assert!(in_progress(&stays[0], TODAY));
        assert!(!can_cancel(&stays[0], TODAY));
        let mut gone = stays;
        gone[0].status = BookingStatus::Cancelled;
        assert!(stay_on(&gone, 5, TODAY).is_none());
    }

    #[test]
    fn every_page_the_server_serves_has_its_page() {
        assert_eq!(IN_SERVER_ORDER.len(), hotel_shared::paths::PAGES.len());
        let expected = [
            ("/", Page::Home),
            ("/signin", Page::SignIn),
            ("/reserve", Page::Book),
            ("/my-bookings", Page::MyBookings),
            ("/reset-password", Page::ResetPassword),
            ("/confirm-email", Page::ConfirmEmail),
            ("/desk", Page::Desk),
            ("/desk/calendar", Page::DeskCalendar),
            ("/desk/rooms", Page::DeskRooms),
            ("/desk/reports", Page::DeskReports),
            ("/desk/audit", Page::DeskAudit),
            ("/desk/hotel", Page::DeskHotel),
            ("/desk/housekeeping", Page::DeskHousekeeping),
            ("/desk/bill", Page::DeskBill),
            ("/desk/guests", Page::DeskGuests),
            ("/desk/rates", Page::DeskRates),
            ("/desk/messages", Page::DeskMessages),
            ("/desk/letters", Page::DeskLetters),
        ];
        for (path, page) in expected {
            assert!(hotel_shared::paths::PAGES.contains(&path), "{path}");
            assert_eq!(Page::at(path), page, "{path}");
        }
    }

    #[test]
    fn page_paths_ignore_a_trailing_slash_and_nothing_else() {
        assert_eq!(Page::at("/reserve/"), Page::Book);
        assert_eq!(Page::at(""), Page::Home);
        assert_eq!(Page::at("/desk/"), Page::Desk);
        assert_eq!(Page::at("/Reserve"), Page::NotFound);
        assert_eq!(Page::at("/reserve/x"), Page::NotFound);
        assert_eq!(Page::at("/bookings/K7M4QX2P"), Page::Reservation);
        assert_eq!(Page::at("/bookings/"), Page::NotFound);
        assert_eq!(Page::at("/bookings/a/b"), Page::NotFound);
        assert_eq!(Page::at("/desk/nope"), Page::NotFound);
    }
}
