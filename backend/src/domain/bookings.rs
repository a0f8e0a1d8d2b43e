//! A booking's life: booked → checked in → checked out, or cancelled. Who may take each step
//! and when, as plain functions of the booking and the hotel's today; the store's operations
//! and the handlers call these, and write what they decide.

use hotel_shared::Unavailable;
use hotel_shared::staff::{FrontDesk, QuoteOption};
use hotel_shared::{Booking, BookingStatus, Date};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::DomainError;
use super::rates::{cancellation_fee, night_prices};
use super::stay::days_between;

/// Who is asking to change a stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requester {
    /// The guest whose account this is (the booking's owner or not).
    Guest(i64),
    /// The front desk, which may change any stay.
    Desk,
}

/// Booked or checked in, and not over: a stay that still holds nights.
pub fn is_live(b: &Booking, today: Date) -> bool {
    matches!(b.status, BookingStatus::Booked | BookingStatus::CheckedIn) && b.check_out > today
}

/// A live stay whose first night has come: what the original `/checkout` ends.
pub fn is_in_progress(b: &Booking, today: Date) -> bool {
    is_live(b, today) && b.check_in <= today
}

/// May `by` cancel this stay (owned by account `owner`) today? A guest cancels their own
/// stays that have not begun; the desk may also cancel a no-show whose first night has passed.
/// Nobody cancels a checked-in stay: that is a check-out. Someone else's booking is refused
/// exactly like a missing one, so guests cannot probe other guests' booking numbers.
pub fn may_cancel(b: &Booking, owner: i64, by: Requester, today: Date) -> Result<(), DomainError> {
    if let Requester::Guest(guest) = by
        && guest != owner
    {
        return Err(DomainError::BookingNotFound(b.id));
    }
    match b.status {
        BookingStatus::CheckedIn => return Err(DomainError::BookingAlreadyStarted(b.id)),
        BookingStatus::Booked if b.check_out > today => {}
        _ => return Err(DomainError::BookingNotActive(b.id)),
    }
    if b.check_in < today && by != Requester::Desk {
        return Err(DomainError::BookingAlreadyStarted(b.id));
    }
    Ok(())
}

/// The desk may note a guest as a no-show from the arrival day on, while the stay is booked
/// and nobody checked in.
pub fn may_no_show(b: &Booking, today: Date) -> Result<(), DomainError> {
    match b.status {
        BookingStatus::CheckedIn => Err(DomainError::AlreadyCheckedIn(b.id)),
        BookingStatus::Booked if b.check_in > today => Err(DomainError::NotArrivedYet {
            id: b.id,
            check_in: b.check_in,
        }),
        BookingStatus::Booked => Ok(()),
        _ => Err(DomainError::BookingNotActive(b.id)),
    }
}

/// Letters and digits a person reads back without doubt: no 0/O, no 1/I.
const REFERENCE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A booking reference from 40 random bits: eight characters, the first a letter so that a
/// reference is never read as a booking's number; about one in 800 billion to guess.
pub fn reference_from(random: [u8; 5]) -> String {
    let bits = random
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let letters = &REFERENCE_ALPHABET[8..];
    let first = char::from(letters[(bits >> 35) as usize % letters.len()]);
    std::iter::once(first)
        .chain(
            (0..7)
                .rev()
                .map(|i| char::from(REFERENCE_ALPHABET[((bits >> (i * 5)) & 31) as usize])),
        )
        .collect()
}

/// A reference as a person may type it ("k7m4-qx2p "): capitals, no spaces or dashes.
pub fn normalize_reference(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// May the desk hand over the key today? From the arrival day until the last night.
pub fn may_check_in(b: &Booking, today: Date) -> Result<(), DomainError> {
    match b.status {
        BookingStatus::CheckedIn => return Err(DomainError::AlreadyCheckedIn(b.id)),
        BookingStatus::Booked if b.check_out > today => {}
        _ => return Err(DomainError::BookingNotActive(b.id)),
    }
    if b.check_in > today {
        return Err(DomainError::NotArrivedYet {
            id: b.id,
            check_in: b.check_in,
        });
    }
    Ok(())
}

/// May the desk check this stay out today? Once it has begun, also when the guest never
/// formally checked in.
pub fn may_check_out(b: &Booking, today: Date) -> Result<(), DomainError> {
    if !matches!(b.status, BookingStatus::Booked | BookingStatus::CheckedIn) {
        return Err(DomainError::BookingNotActive(b.id));
    }
    if b.check_in > today {
        return Err(DomainError::NotArrivedYet {
            id: b.id,
            check_in: b.check_in,
        });
    }
    Ok(())
}

/// The departure day a check-out today records: today when the guest leaves early, the
/// booked day otherwise. Nights from today on are released either way.
pub fn departure_on_check_out(b: &Booking, today: Date) -> Date {
    if today > b.check_in && today < b.check_out {
        today
    } else {
        b.check_out
    }
}

/// What the bill says of a guest leaving before the booked day, or `None` when they leave
/// on it.
pub fn early_departure(b: &Booking, today: Date) -> Option<String> {
    if today >= b.check_out {
        return None;
    }
    let released = today.days_until(b.check_out);
    let nights = if released == 1 { "night" } else { "nights" };
    Some(if today <= b.check_in {
        format!(
            "Left on the arrival day ({today}), booked until {}: every night released, none charged.",
            b.check_out
        )
    } else {
        format!(
            "Left on {today}, booked until {}: {released} {nights} released, not charged.",
            b.check_out
        )
    })
}

/// The first night a move can take elsewhere: nights already spent stay where they were.
pub fn movable_from(b: &Booking, today: Date) -> Date {
    b.check_in.max(today)
}

/// Arriving on `day`: booked to start that day and not yet checked in.
pub fn is_arrival(b: &Booking, day: Date) -> bool {
    b.check_in == day && b.status == BookingStatus::Booked
}

/// Leaving on `day`: a live stay whose departure morning it is.
pub fn is_departure(b: &Booking, day: Date) -> bool {
    b.check_out == day && matches!(b.status, BookingStatus::Booked | BookingStatus::CheckedIn)
}

/// In the house: checked in and not yet checked out, whatever the dates say (a guest who
/// overstays is still in the room until the desk checks them out).
pub fn is_in_house(b: &Booking) -> bool {
    b.status == BookingStatus::CheckedIn
}

/// The desk's board for `day`, from the stays around it and everyone checked in.
pub fn front_desk(
    day: Date,
    around: Vec<Booking>,
    checked_in: Vec<Booking>,
    dirty_rooms: &[u32],
) -> FrontDesk {
    let arrivals: Vec<Booking> = around
        .iter()
        .filter(|b| is_arrival(b, day))
        .cloned()
        .collect();
    let mut rooms_not_ready: Vec<u32> = arrivals
        .iter()
        .map(|b| b.room_number)
        .filter(|room| dirty_rooms.contains(room))
        .collect();
    rooms_not_ready.sort_unstable();
    rooms_not_ready.dedup();
    let departures = around
        .into_iter()
        .filter(|b| is_departure(b, day))
        .collect();
    let in_house = checked_in.into_iter().filter(is_in_house).collect();
    FrontDesk {
        date: day,
        arrivals,
        departures,
        in_house,
        rooms_not_ready,
        calendar_conflicts: Vec::new(),
    }
}

/// Each night's price of a stay: as stored, cut to the stay's nights (a guest who left early),
/// or `rate` every night for stays booked before prices were kept per night.
pub fn stay_prices(check_in: Date, check_out: Date, rate: i64, stored: Option<&[i64]>) -> Vec<i64> {
    let nights = usize::try_from(days_between(check_in, check_out)).unwrap_or(0);
    (0..nights)
        .map(|i| stored.and_then(|p| p.get(i)).copied().unwrap_or(rate))
        .collect()
}

/// The amounts of a booking's nights.
pub fn amounts(booking: &Booking) -> Vec<i64> {
    booking.night_prices.iter().map(|n| n.amount).collect()
}

/// `booking` with another departure day: nights and total follow (what earlier nights cost in
/// another room type before prices were kept per night stays in the total).
pub fn with_dates(booking: &Booking, check_in: Date, check_out: Date) -> Booking {
    let old = amounts(booking);
    let adjustment = booking.total - old.iter().sum::<i64>();
    let prices = stay_prices(check_in, check_out, booking.rate, Some(&old));
    Booking {
        check_in,
        check_out,
        nights: u32::try_from(prices.len()).unwrap_or(u32::MAX),
        total: prices.iter().sum::<i64>().saturating_add(adjustment),
        night_prices: night_prices(check_in, &prices),
        ..booking.clone()
    }
}

/// When a cancellation happens, for its fee.
#[derive(Debug, Clone)]
pub struct CancelTime {
    pub today: Date,
    pub now: Timestamp,
    pub tz: TimeZone,
    /// The desk lets the guest off the fee (audited as `booking.cancel_fee_waived`).
    pub waive_fee: bool,
}

/// What cancelling `b` at `at` costs under the terms it was booked on (nothing for stays
/// booked before terms were kept).
pub fn fee_now(b: &Booking, at: &CancelTime) -> i64 {
    match &b.terms {
        Some(terms) => cancellation_fee(terms, &amounts(b), b.check_in, at.now, &at.tz),
        None => 0,
    }
}

/// Why no offer of a quote can take `rooms` rooms, when none can: the booking would be too
/// large (`size`), every type that fits is closed by a restriction (`restricted` of them, and
/// no offer left), no room sleeps the party, or too few rooms are free.
pub fn why_unavailable(
    size: Result<u64, DomainError>,
    offers: &[QuoteOption],
    restricted: usize,
    rooms: u32,
) -> Option<Unavailable> {
    if size.is_err() {
        Some(Unavailable::BookingTooLarge)
    } else if offers.is_empty() && restricted > 0 {
        Some(Unavailable::Restricted)
    } else if offers.is_empty() {
        Some(Unavailable::PartyTooLarge)
    } else if offers.iter().all(|o| o.available < rooms) {
        Some(Unavailable::SoldOut)
    } else {
        None
    }
}

/// A new booking reference from the system's secure randomness (also the random tail of the
/// usernames the desk makes).
pub fn new_reference() -> Result<String, String> {
    let mut bytes = [0u8; 5];
    getrandom::fill(&mut bytes).map_err(|e| format!("no secure randomness: {e}"))?;
    Ok(reference_from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_eight_unambiguous_characters() {
        let r = reference_from([0, 0, 0, 0, 0]);
        assert_eq!(r, "A2222222");
        let r = reference_from([255, 255, 255, 255, 255]);
        assert_eq!(r, "HZZZZZZZ");
        let r = reference_from([0x12, 0x34, 0x56, 0x78, 0x9a]);
        assert_eq!(r.len(), 8);
        assert!(!r.contains(['0', '1', 'O', 'I']));
        assert!(r.parse::<i64>().is_err());
        assert_eq!(normalize_reference(" k7m4-qx2p "), "K7M4QX2P");
    }

    const OWNER: i64 = 7;

    fn day(s: &str) -> Date {
        s.parse().unwrap_or_else(|_| panic!("bad date {s}"))
    }

    fn stay(status: BookingStatus, check_in: &str, check_out: &str) -> Booking {
        Booking {
            id: 1,
            room_number: 3,
            check_in: day(check_in),
            check_out: day(check_out),
            nights: 0,
            status,
            guest: "ann".into(),
            guest_name: None,
            guests: 1,
            room_type: "Standard".into(),
            rate: 9500,
            total: 0,
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

    use BookingStatus::{Booked, Cancelled, CheckedIn, CheckedOut};

    #[test]
    fn a_guest_cancels_their_own_stay_until_its_first_night() {
        let b = stay(Booked, "2026-05-10", "2026-05-12");
        let guest = Requester::Guest(OWNER);
        assert_eq!(may_cancel(&b, OWNER, guest, day("2026-05-01")), Ok(()));
        assert_eq!(may_cancel(&b, OWNER, guest, day("2026-05-10")), Ok(()));
        assert_eq!(
            may_cancel(&b, OWNER, guest, day("2026-05-11")),
            Err(DomainError::BookingAlreadyStarted(1))
        );
    }

    #[test]
    fn another_guests_booking_is_reported_as_missing() {
        let b = stay(Booked, "2026-05-10", "2026-05-12");
        assert_eq!(
            may_cancel(&b, OWNER, Requester::Guest(8), day("2026-05-01")),
            Err(DomainError::BookingNotFound(1))
        );
    }

    #[test]
    fn the_desk_cancels_a_no_show_but_nobody_cancels_a_checked_in_or_ended_stay() {
        let no_show = stay(Booked, "2026-05-10", "2026-05-12");
        assert_eq!(
            may_cancel(&no_show, OWNER, Requester::Desk, day("2026-05-11")),
            Ok(())
        );
        assert_eq!(
            may_cancel(&no_show, OWNER, Requester::Desk, day("2026-05-12")),
            Err(DomainError::BookingNotActive(1))
        );
        let in_house = stay(CheckedIn, "2026-05-10", "2026-05-12");
        assert_eq!(
            may_cancel(&in_house, OWNER, Requester::Desk, day("2026-05-10")),
            Err(DomainError::BookingAlreadyStarted(1))
        );
        for status in [Cancelled, CheckedOut] {
            let over = stay(status, "2026-05-10", "2026-05-12");
            assert_eq!(
                may_cancel(&over, OWNER, Requester::Desk, day("2026-05-01")),
                Err(DomainError::BookingNotActive(1))
            );
        }
    }

    #[test]
    fn check_in_runs_from_the_arrival_day_to_the_last_night() {
        let b = stay(Booked, "2026-05-10", "2026-05-12");
        assert_eq!(
            may_check_in(&b, day("2026-05-09")),
            Err(DomainError::NotArrivedYet {
                id: 1,
                check_in: day("2026-05-10")
            })
        );
        assert_eq!(may_check_in(&b, day("2026-05-10")), Ok(()));
        assert_eq!(may_check_in(&b, day("2026-05-11")), Ok(()));
        assert_eq!(
            may_check_in(&b, day("2026-05-12")),
            Err(DomainError::BookingNotActive(1))
        );
        let again = stay(CheckedIn, "2026-05-10", "2026-05-12");
        assert_eq!(
            may_check_in(&again, day("2026-05-10")),
            Err(DomainError::AlreadyCheckedIn(1))
        );
    }

    #[test]
    fn check_out_needs_a_begun_live_stay() {
        let b = stay(CheckedIn, "2026-05-10", "2026-05-12");
        assert!(may_check_out(&b, day("2026-05-09")).is_err());
        assert_eq!(may_check_out(&b, day("2026-05-10")), Ok(()));
        let never_checked_in = stay(Booked, "2026-05-10", "2026-05-12");
        assert_eq!(may_check_out(&never_checked_in, day("2026-05-11")), Ok(()));
        let cancelled = stay(Cancelled, "2026-05-10", "2026-05-12");
        assert_eq!(
            may_check_out(&cancelled, day("2026-05-11")),
            Err(DomainError::BookingNotActive(1))
        );
    }

    #[test]
    fn leaving_early_records_today_as_the_departure() {
        let b = stay(CheckedIn, "2026-05-10", "2026-05-14");
        assert_eq!(
            departure_on_check_out(&b, day("2026-05-10")),
            day("2026-05-14")
        );
        assert_eq!(
            departure_on_check_out(&b, day("2026-05-12")),
            day("2026-05-12")
        );
        assert_eq!(
            departure_on_check_out(&b, day("2026-05-14")),
            day("2026-05-14")
        );
    }

    #[test]
    fn a_move_keeps_the_nights_already_spent() {
        let b = stay(CheckedIn, "2026-05-10", "2026-05-14");
        assert_eq!(movable_from(&b, day("2026-05-08")), day("2026-05-10"));
        assert_eq!(movable_from(&b, day("2026-05-12")), day("2026-05-12"));
    }

    #[test]
    fn in_progress_means_live_and_begun() {
        let b = stay(Booked, "2026-05-10", "2026-05-12");
        assert!(!is_in_progress(&b, day("2026-05-09")));
        assert!(is_in_progress(&b, day("2026-05-11")));
        assert!(!is_in_progress(&b, day("2026-05-12")));
        assert!(!is_live(
            &stay(Cancelled, "2026-05-10", "2026-05-12"),
            day("2026-05-11")
        ));
    }

    #[test]
    fn the_board_sorts_arrivals_departures_and_guests_in_house() {
        let today = day("2026-05-10");
        let arriving = stay(Booked, "2026-05-10", "2026-05-12");
        let leaving = Booking {
            id: 2,
            ..stay(CheckedIn, "2026-05-08", "2026-05-10")
        };
        let staying = Booking {
            id: 3,
            ..stay(CheckedIn, "2026-05-09", "2026-05-11")
        };
        let cancelled = Booking {
            id: 4,
            ..stay(Cancelled, "2026-05-10", "2026-05-11")
        };
        let board = front_desk(
            today,
            vec![
                arriving.clone(),
                leaving.clone(),
                staying.clone(),
                cancelled,
            ],
            vec![leaving.clone(), staying.clone()],
            &[arriving.room_number, 999],
        );
        let ids = |list: &[Booking]| list.iter().map(|b| b.id).collect::<Vec<_>>();
        assert_eq!(ids(&board.arrivals), vec![1]);
        assert_eq!(board.rooms_not_ready, vec![arriving.room_number]);
        assert_eq!(ids(&board.departures), vec![2]);
        assert_eq!(ids(&board.in_house), vec![2, 3]);
    }

    #[test]
    fn a_stays_prices_come_from_its_stored_nights_or_its_rate() {
        let (a, b) = (day("2026-05-10"), day("2026-05-13"));
        assert_eq!(stay_prices(a, b, 9500, None), vec![9500, 9500, 9500]);
        assert_eq!(
            stay_prices(a, b, 9500, Some(&[8000, 12000])),
            vec![8000, 12000, 9500]
        );
        assert!(stay_prices(b, a, 9500, None).is_empty());
    }

    #[test]
    fn new_dates_keep_the_nights_prices_and_the_adjustment() {
        let prices = [8000, 12000, 9000];
        let booked = Booking {
            nights: 3,
            total: prices.iter().sum::<i64>() - 500,
            night_prices: night_prices(day("2026-05-10"), &prices),
            ..stay(Booked, "2026-05-10", "2026-05-13")
        };
        assert_eq!(amounts(&booked), prices);
        let shorter = with_dates(&booked, day("2026-05-10"), day("2026-05-12"));
        assert_eq!((shorter.nights, shorter.total), (2, 19_500));
        assert_eq!(amounts(&shorter), [8000, 12000]);
        // Nights the booking never priced cost its rate.
        let longer = with_dates(&booked, day("2026-05-10"), day("2026-05-14"));
        assert_eq!(amounts(&longer), [8000, 12000, 9000, 9500]);
    }

    #[test]
    fn cancelling_costs_what_the_booked_terms_say_at_that_moment() {
        let tz = jiff::tz::TimeZone::get("Europe/Vienna").unwrap_or(jiff::tz::TimeZone::UTC);
        let at = |when: &str| CancelTime {
            today: day("2026-05-01"),
            now: when
                .parse()
                .unwrap_or_else(|_| panic!("bad instant {when}")),
            tz: tz.clone(),
            waive_fee: false,
        };
        let mut b = Booking {
            night_prices: night_prices(day("2026-05-10"), &[10_000, 10_000]),
            ..stay(Booked, "2026-05-10", "2026-05-12")
        };
        // Booked before terms were kept: free.
        assert_eq!(fee_now(&b, &at("2026-05-09T12:00:00Z")), 0);
        b.terms = Some(hotel_shared::rates::Terms {
            free_until_days: 2,
            ..hotel_shared::rates::Terms::default()
        });
        assert_eq!(fee_now(&b, &at("2026-05-01T12:00:00Z")), 0);
        assert!(fee_now(&b, &at("2026-05-09T12:00:00Z")) > 0);
    }

    fn offer(available: u32) -> QuoteOption {
        QuoteOption {
            room_type_id: 1,
            room_type: "Double".into(),
            description: String::new(),
            capacity: 2,
            rate_plan_id: 1,
            rate_plan: "Standard".into(),
            base: true,
            rate: 9500,
            total: 9500,
            nights: Vec::new(),
            currency: "EUR".into(),
            terms: hotel_shared::rates::StayTerms::default(),
            available,
            rooms: Vec::new(),
            city_tax: 0,
            city_tax_included: false,
            vat_included: true,
            included: String::new(),
        }
    }

    #[test]
    fn a_quote_says_why_nothing_fits_in_order_of_what_the_guest_can_change() {
        let too_large = Err(DomainError::BookingTooLarge { limit: 60 });
        assert_eq!(
            why_unavailable(too_large, &[offer(5)], 0, 1),
            Some(Unavailable::BookingTooLarge)
        );
        assert_eq!(
            why_unavailable(Ok(1), &[], 2, 1),
            Some(Unavailable::Restricted)
        );
        assert_eq!(
            why_unavailable(Ok(1), &[], 0, 1),
            Some(Unavailable::PartyTooLarge)
        );
        assert_eq!(
            why_unavailable(Ok(3), &[offer(2), offer(1)], 0, 3),
            Some(Unavailable::SoldOut)
        );
        assert_eq!(why_unavailable(Ok(2), &[offer(1), offer(2)], 0, 2), None);
    }
}
