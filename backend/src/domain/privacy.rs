//! Guests' personal data: when a guest may be erased, and how their name, contact and
//! identity document are taken out of text the hotel keeps (the audit log, bill notes) while
//! everything else in it stays.

use hotel_shared::{Booking, BookingStatus, Date};

use super::DomainError;

/// The name an erased guest's profile and account carry from then on.
pub fn erased_name(profile_id: i64) -> String {
    format!("Erased guest {profile_id}")
}

/// The username an erased guest's account carries (unique, and not a name).
pub fn erased_username(user_id: i64) -> String {
    format!("erased-{user_id}")
}

/// What stands in for a piece of personal data in kept text.
pub const ERASED: &str = "(erased)";

/// A profile as the audit log keeps it: the identity document's number is only on the
/// profile, so that clearing it there (`--keep-id-documents-days`) leaves it nowhere.
pub fn for_audit(guest: &hotel_shared::guests::Guest) -> hotel_shared::guests::Guest {
    let mut kept = guest.clone();
    if !kept.id_document_number.is_empty() {
        kept.id_document_number = "(on the profile)".into();
    }
    kept
}

/// What the erasure asks of each of a guest's stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StayState {
    pub id: i64,
    pub room_number: u32,
    pub status: BookingStatus,
    pub check_in: Date,
    pub check_out: Date,
}

impl From<&Booking> for StayState {
    fn from(b: &Booking) -> StayState {
        StayState {
            id: b.id,
            room_number: b.room_number,
            status: b.status,
            check_in: b.check_in,
            check_out: b.check_out,
        }
    }
}

/// A guest may be erased once nothing of theirs is open: no stay in house, none booked from
/// today on (cancel those first), no bill with money owed either way (`balances` holds each
/// stay's id and balance, in minor units).
pub fn may_erase(
    bookings: &[StayState],
    balances: &[(i64, i64)],
    currency: &str,
    today: Date,
) -> Result<(), DomainError> {
    if let Some(b) = bookings
        .iter()
        .find(|b| b.status == BookingStatus::CheckedIn)
    {
        return Err(DomainError::GuestInHouse {
            booking: b.id,
            room: b.room_number,
        });
    }
    if let Some(b) = bookings
        .iter()
        .find(|b| b.status == BookingStatus::Booked && b.check_out > today)
    {
        return Err(DomainError::GuestHasStaysAhead {
            booking: b.id,
            check_in: b.check_in,
        });
    }
    if let Some((id, balance)) = balances.iter().find(|(_, balance)| *balance != 0) {
        return Err(DomainError::GuestBillOpen {
            booking: *id,
            balance: hotel_shared::money::format(*balance, currency),
        });
    }
    Ok(())
}

/// One piece of a guest's personal data, and what replaces it.
#[derive(Debug, Clone)]
pub struct Personal {
    lower: String,
    replacement: String,
}

impl Personal {
    /// `text` (ignored when blank), replaced by `replacement`.
    pub fn new(text: &str, replacement: &str) -> Option<Personal> {
        let text = text.trim();
        (!text.is_empty()).then(|| Personal {
            lower: text.to_lowercase(),
            replacement: replacement.to_string(),
        })
    }

    /// The lowercase text as a `LIKE` pattern's middle, for a search that finds the rows to
    /// scrub: a backslash (PostgreSQL's escape character) matches any one character instead,
    /// as `%` and `_` already do; the search may find more, never less.
    pub fn needle(&self) -> String {
        self.lower.replace('\\', "_")
    }
}

/// Below this length a piece of data is replaced only where it is a whole value: "Al" inside
/// "Always" is not the guest.
const MIN_INSIDE: usize = 4;

/// `text` with every piece of `personal` taken out: a value that is one of them is replaced
/// whole, a longer text loses each occurrence (ignoring case).
pub fn scrub_text(text: &str, personal: &[Personal]) -> String {
    let lower = text.trim().to_lowercase();
    if let Some(p) = personal.iter().find(|p| p.lower == lower) {
        return p.replacement.clone();
    }
    let mut out = text.to_string();
    for p in personal
        .iter()
        .filter(|p| p.lower.chars().count() >= MIN_INSIDE)
    {
        out = replace_ignoring_case(&out, &p.lower, &p.replacement);
    }
    out
}

/// A JSON document with `scrub_text` applied to every string in it (keys stay); text that
/// is not JSON is scrubbed as text.
pub fn scrub_json(json: &str, personal: &[Personal]) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(mut value) => {
            scrub_value(&mut value, personal);
            serde_json::to_string(&value).unwrap_or_else(|_| scrub_text(json, personal))
        }
        Err(_) => scrub_text(json, personal),
    }
}

fn scrub_value(value: &mut serde_json::Value, personal: &[Personal]) {
    match value {
        serde_json::Value::String(s) => *s = scrub_text(s, personal),
        serde_json::Value::Array(items) => {
            for item in items {
                scrub_value(item, personal);
            }
        }
        serde_json::Value::Object(fields) => {
            for (_, item) in fields.iter_mut() {
                scrub_value(item, personal);
            }
        }
        _ => {}
    }
}

/// `text` with each occurrence of `lower` (already lowercase), in any case, replaced.
fn replace_ignoring_case(text: &str, lower: &str, with: &str) -> String {
    let folded = text.to_lowercase();
    // Lowercasing can change byte lengths (rare letters); then only an exact match is safe.
    if folded.len() != text.len() {
        return text.replace(lower, with);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (at, _) in folded.match_indices(lower) {
        if at < rest || !text.is_char_boundary(at) || !text.is_char_boundary(at + lower.len()) {
            continue;
        }
        out.push_str(&text[rest..at]);
        out.push_str(with);
        rest = at + lower.len();
    }
    out.push_str(&text[rest..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn personal() -> Vec<Personal> {
        [
            ("ann.smith@example.org", ERASED),
            ("Ann Smith", ERASED),
            ("ann", "erased-7"),
            ("Al", ERASED),
        ]
        .iter()
        .filter_map(|(t, r)| Personal::new(t, r))
        .collect()
    }

    #[test]
    fn whole_values_and_occurrences_in_longer_text_are_replaced() {
        let p = personal();
        assert_eq!(scrub_text("ann", &p), "erased-7");
        assert_eq!(scrub_text("ANN SMITH", &p), ERASED);
        assert_eq!(
            scrub_text("Checked in Ann Smith (ann.smith@example.org)", &p),
            "Checked in (erased) ((erased))"
        );
        // Too short to look for inside other words.
        assert_eq!(scrub_text("Always", &p), "Always");
        assert_eq!(scrub_text("Al", &p), ERASED);
    }

    #[test]
    fn the_search_pattern_never_escapes() {
        let needle = Personal::new("Back\\slash", ERASED).map(|p| p.needle());
        assert_eq!(needle.as_deref(), Some("back_slash"));
    }

    #[test]
    fn json_keeps_its_shape_and_amounts() {
        let p = personal();
        let scrubbed = scrub_json(
            r#"{"guest":"ann","guest_name":"Ann Smith","total":9500,"room":1,"note":"for Ann Smith"}"#,
            &p,
        );
        let value: serde_json::Value = serde_json::from_str(&scrubbed).unwrap_or_default();
        assert_eq!(value["guest"], "erased-7");
        assert_eq!(value["guest_name"], ERASED);
        assert_eq!(value["total"], 9500);
        assert_eq!(value["note"], "for (erased)");
    }

    #[test]
    fn an_open_stay_or_bill_refuses_the_erasure() {
        let today: Date = "2026-05-10".parse().unwrap_or_default();
        let stay = |status, check_out: &str| StayState {
            id: 1,
            room_number: 1,
            status,
            check_in: "2026-04-30".parse().unwrap_or_default(),
            check_out: check_out.parse().unwrap_or_default(),
        };
        assert!(
            may_erase(
                &[stay(BookingStatus::CheckedOut, "2026-05-01")],
                &[(1, 0)],
                "EUR",
                today
            )
            .is_ok()
        );
        assert!(
            may_erase(
                &[stay(BookingStatus::CheckedIn, "2026-05-01")],
                &[],
                "EUR",
                today
            )
            .is_err()
        );
        assert!(
            may_erase(
                &[stay(BookingStatus::Booked, "2026-06-01")],
                &[],
                "EUR",
                today
            )
            .is_err()
        );
        assert!(may_erase(&[], &[(1, 500)], "EUR", today).is_err());
        assert!(
            may_erase(
                &[stay(BookingStatus::Cancelled, "2026-06-01")],
                &[(1, 0)],
                "EUR",
                today
            )
            .is_ok()
        );
    }
}
