//! Webhooks' rules: what a subscription may name, how a delivery is signed, when a failed one
//! is tried again and when an address that keeps failing is paused.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A webhook failing this long (seconds) is paused until staff resume it.
pub const PAUSE_AFTER_SECS: i64 = 24 * 3600;
/// The longest wait between two tries of one event (seconds).
pub const LONGEST_WAIT_SECS: i64 = 3600;

/// `Hotel-Signature` of a delivery: `t=TIMESTAMP,v1=` and the hex HMAC-SHA256 of
/// `TIMESTAMP.BODY` under the webhook's secret. The receiver computes the same and compares;
/// the time lets it refuse old deliveries replayed.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// How long to wait before try `attempts + 1` of an event after `attempts` failed ones:
/// `first` seconds, doubling, at most an hour.
pub fn retry_after(attempts: u32, first: i64) -> i64 {
    let doublings = attempts.saturating_sub(1).min(20);
    first
        .saturating_mul(1_i64 << doublings)
        .min(LONGEST_WAIT_SECS)
}

/// Whether a webhook subscribed to `events` wants an event of `kind`.
pub fn wants(events: &[String], kind: &str) -> bool {
    events.iter().any(|e| e == "*" || e == kind)
}

/// Checks a new webhook's event names and secret (its address is checked as a feed's is).
pub fn check(events: &[String], secret: &str) -> Result<(), String> {
    if events.is_empty() || events.len() > 50 {
        return Err("events: name 1 to 50 event types, or [\"*\"] for all.".into());
    }
    let name_ok = |e: &str| {
        e == "*"
            || e.split_once('.').is_some_and(|(a, b)| {
                let part = |p: &str| {
                    (1..=30).contains(&p.len())
                        && p.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                };
                part(a) && part(b)
            })
    };
    if let Some(bad) = events.iter().find(|e| !name_ok(e)) {
        return Err(format!(
            "events: {bad} is not an event type (such as booking.created) nor *."
        ));
    }
    if !(16..=200).contains(&secret.len()) || !secret.chars().all(|c| c.is_ascii_graphic()) {
        return Err("secret: 16 to 200 printable characters without spaces.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_the_hmac_of_time_and_body() {
        // Worked out apart from this code, with Python's hmac module.
        assert_eq!(
            signature("Jefe", 1_700_000_000, br#"{"id":1}"#),
            "t=1700000000,v1=05b728475104591e6ba9301ccd86c0f18c79ea7330ef9b9869435607a745d2bf"
        );
    }

    #[test]
    fn retries_double_up_to_an_hour() {
        assert_eq!(retry_after(1, 10), 10);
        assert_eq!(retry_after(2, 10), 20);
        assert_eq!(retry_after(5, 10), 160);
        assert_eq!(retry_after(40, 10), 3600);
        assert_eq!(retry_after(3, 0), 0);
    }

    #[test]
    fn names_and_secrets_are_checked() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(check(&names(&["*"]), "0123456789abcdef").is_ok());
        assert!(check(&names(&["booking.created"]), "0123456789abcdef").is_ok());
        assert!(check(&names(&["booking"]), "0123456789abcdef").is_err());
        assert!(check(&names(&[]), "0123456789abcdef").is_err());
        assert!(check(&names(&["*"]), "short").is_err());
        assert!(wants(&names(&["booking.created"]), "booking.created"));
        assert!(!wants(&names(&["booking.created"]), "rates.changed"));
        assert!(wants(&names(&["*"]), "rates.changed"));
    }
}
