//! Who may have an account, and with what.

use hotel_shared::ErrorCode;
use std::time::Duration;

use hotel_shared::{MAX_USERNAME_LEN, MIN_PASSWORD_LEN};
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
use unicode_security::GeneralSecurityProfile;
use unicode_security::restriction_level::{RestrictionLevel, RestrictionLevelDetection};

pub use hotel_shared::Role;

/// An account as the rest of the server sees it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: Role,
}

/// An account with the secret needed to check its password.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: User,
    pub password_hash: String,
}

/// The stored hash of an account made at the desk for a guest: no password matches it, so the
/// account holds bookings and nobody can sign in with it.
pub const NO_PASSWORD: &str = "!";

/// Failed sign-ins allowed per username and client address within the window.
pub const MAX_FAILURES: u32 = 5;
/// Failed sign-ins allowed per client address within the window, whatever names they try
/// (unknown ones included): one address spraying a password over many accounts is stopped
/// after these many guesses in all.
pub const MAX_ADDRESS_FAILURES: u32 = 20;
/// The `username` under which an address's failures over all names are counted: no
/// username is empty, so it is never a real account's.
pub const ANY_NAME: &str = "";
/// How long failures are remembered, in seconds.
pub const FAILURE_WINDOW_SECS: i64 = 15 * 60;

/// How long a sign-in must wait, given the failures recorded for its username and address
/// (`failures` since `first_at`, Unix seconds). Keying by both means an attacker elsewhere
/// cannot lock the real guest out. The record lives in the database, so every server
/// instance counts the same failures.
pub fn throttle_wait(failures: u32, first_at: i64, now: i64) -> Option<Duration> {
    throttle_wait_for(MAX_FAILURES, failures, first_at, now)
}

/// The same for a record whose limit is `max` (an address over all names has its own).
pub fn throttle_wait_for(max: u32, failures: u32, first_at: i64, now: i64) -> Option<Duration> {
    let window_ends = first_at + FAILURE_WINDOW_SECS;
    (failures >= max && now < window_ends)
        .then(|| Duration::from_secs(u64::try_from(window_ends - now).unwrap_or(1)))
}

/// How long a sign-in must wait given both records of its address: its name's, and its
/// address's over all names. `None` when it may go ahead.
pub fn sign_in_wait(
    for_name: Option<(u32, i64)>,
    for_address: Option<(u32, i64)>,
    now: i64,
) -> Option<Duration> {
    let name = for_name.and_then(|(f, at)| throttle_wait_for(MAX_FAILURES, f, at, now));
    let address =
        for_address.and_then(|(f, at)| throttle_wait_for(MAX_ADDRESS_FAILURES, f, at, now));
    name.max(address)
}

/// Usernames are compared after trimming surrounding white space, in Unicode's composed
/// form (NFC): "Amélie" typed with a combining accent is the same name as with a precomposed
/// one, so nobody can register a look-alike of an existing guest that way.
pub fn normalize_username(raw: &str) -> String {
    raw.trim().nfc().collect()
}

pub fn check_username(username: &str) -> Result<(), String> {
    let len = username.chars().count();
    if len == 0 || len > MAX_USERNAME_LEN {
        return Err(format!(
            "username must be 1 to {MAX_USERNAME_LEN} characters."
        ));
    }
    if username.chars().any(char::is_control) {
        return Err("username cannot contain control characters.".into());
    }
    // Right-to-left overrides, zero-width spaces and the like make one name look like another.
    if username
        .chars()
        .any(|c| c.general_category() == GeneralCategory::Format)
    {
        return Err("username cannot contain invisible formatting characters.".into());
    }
    // Beyond printable ASCII (e-mail addresses, spaces, apostrophes), only characters Unicode
    // allows in identifiers (TS #39): no fillers that print as nothing (U+3164, U+2800), no
    // combining joiners, no symbols.
    if username
        .chars()
        .any(|c| !(c.is_ascii_graphic() || c == ' ' || c.identifier_allowed()))
    {
        return Err(
            "username may use letters, digits and ordinary punctuation only, nothing invisible."
                .into(),
        );
    }
    // Scripts mixed only as TS #39's "moderately restrictive" level allows (Latin with Han
    // or Japanese, say): a Cyrillic "а" or a Greek "ο" among Latin letters would pass for
    // someone else's name.
    let letters: String = username
        .chars()
        .filter(|c| !c.is_ascii_punctuation() && *c != ' ')
        .collect();
    if !letters
        .as_str()
        .check_restriction_level(RestrictionLevel::ModeratelyRestrictive)
    {
        return Err("username may not mix look-alike letters of different scripts.".into());
    }
    Ok(())
}

/// The longest full name, in characters.
pub const MAX_NAME_LEN: usize = 100;

/// A person's name as they typed it, trimmed; `None` when blank.
pub fn parse_full_name(name: &str) -> Result<Option<String>, String> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(format!("name must be at most {MAX_NAME_LEN} characters."));
    }
    if name
        .chars()
        .any(|c| c.is_control() || c.general_category() == GeneralCategory::Format)
    {
        return Err("name cannot contain control or invisible characters.".into());
    }
    Ok(Some(name.to_string()))
}

/// An e-mail address of a plausible shape (`someone@example.org`), trimmed; `None` when
/// blank. Whether it receives mail only sending to it can tell.
pub fn parse_email(email: &str) -> Result<Option<String>, String> {
    let email = email.trim();
    if email.is_empty() {
        return Ok(None);
    }
    let invalid = || "email must be an address like name@example.org.".to_string();
    if email.len() > 254
        || email.chars().any(|c| {
            c.is_whitespace() || c.is_control() || c.general_category() == GeneralCategory::Format
        })
    {
        return Err(invalid());
    }
    let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
    let labels_ok = domain.split('.').count() >= 2
        && domain
            .split('.')
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    if local.is_empty() || local.len() > 64 || local.contains('@') || !labels_ok {
        return Err(invalid());
    }
    Ok(Some(email.to_string()))
}

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordRefusal {
    TooShort,
    TooLong,
    /// On the list of passwords found most often in breaches, which attackers try first.
    TooCommon,
    /// The account's own name (or e-mail address), the first thing anyone would try.
    SameAsName,
}

impl PasswordRefusal {
    pub fn code(self) -> ErrorCode {
        match self {
            PasswordRefusal::TooShort | PasswordRefusal::TooLong => ErrorCode::InvalidRequest,
            PasswordRefusal::TooCommon | PasswordRefusal::SameAsName => {
                ErrorCode::PasswordTooCommon
            }
        }
    }

    pub fn message(self) -> String {
        match self {
            PasswordRefusal::TooShort => {
                format!("Password must be at least {MIN_PASSWORD_LEN} characters.")
            }
            PasswordRefusal::TooLong => "Password must be at most 1024 bytes.".into(),
            PasswordRefusal::TooCommon => "This password is one of the most common ones, \
                which attackers try first; please choose another."
                .into(),
            PasswordRefusal::SameAsName => {
                "The password may not be the account's own name; please choose another.".into()
            }
        }
    }
}

impl std::fmt::Display for PasswordRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// The rules for a new password of the account `username` (ASVS 5.0 V6.2): long enough,
/// not absurdly long, not the name itself, and not one of the most common passwords.
pub fn check_new_password(username: &str, password: &str) -> Result<(), PasswordRefusal> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(PasswordRefusal::TooShort);
    }
    // Argon2 handles any length, but an unbounded input is an easy way to burn CPU.
    if password.len() > 1024 {
        return Err(PasswordRefusal::TooLong);
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Err(PasswordRefusal::SameAsName);
    }
    if is_common_password(password) {
        return Err(PasswordRefusal::TooCommon);
    }
    Ok(())
}

/// Whether `password`, in any case, is on the list shipped with the server.
pub fn is_common_password(password: &str) -> bool {
    static LIST: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let list = LIST.get_or_init(|| {
        include_str!("common_passwords.txt")
            .lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .collect()
    });
    let lowered = password.to_lowercase();
    list.binary_search(&lowered.as_str()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_need_a_plausible_shape() {
        assert_eq!(
            parse_email(" ann@example.org ").ok().flatten().as_deref(),
            Some("ann@example.org")
        );
        assert_eq!(parse_email("  "), Ok(None));
        for bad in [
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "a b@example.org",
            "ann@exa..org",
            "ann@-x.org",
        ] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            parse_full_name(" Ann Lee ").ok().flatten().as_deref(),
            Some("Ann Lee")
        );
        assert_eq!(parse_full_name(""), Ok(None));
        assert!(parse_full_name(&"x".repeat(101)).is_err());
        assert!(parse_full_name("Ann\u{202e}").is_err());
    }

    #[test]
    fn usernames_are_trimmed_composed_and_free_of_invisible_characters() {
        assert_eq!(normalize_username("  alice \n"), "alice");
        assert_eq!(normalize_username("Ame\u{301}lie"), "Am\u{e9}lie");
        assert!(check_username("eve\u{202e}gnp").is_err());
        assert!(check_username("zero\u{200b}width").is_err());
        assert!(check_username("bom\u{feff}").is_err());
        assert!(check_username("Am\u{e9}lie O'Brien-\u{674e}").is_ok());
        assert!(check_username("alice").is_ok());
        assert!(check_username("").is_err());
        assert!(check_username(&"x".repeat(65)).is_err());
        assert!(check_username(&"é".repeat(64)).is_ok());
    }

    #[test]
    fn throttling_starts_at_the_fifth_failure_and_ends_with_the_window() {
        let start = 1_000_000;
        assert_eq!(throttle_wait(4, start, start + 10), None);
        assert_eq!(
            throttle_wait(5, start, start + 10),
            Some(Duration::from_secs((FAILURE_WINDOW_SECS - 10) as u64))
        );
        assert_eq!(throttle_wait(9, start, start + FAILURE_WINDOW_SECS), None);
    }

    #[test]
    fn new_passwords_need_eight_characters() {
        assert_eq!(
            check_new_password("ann", "1234567"),
            Err(PasswordRefusal::TooShort)
        );
        assert_eq!(check_new_password("ann", "correct horse"), Ok(()));
    }

    #[test]
    fn the_most_common_passwords_and_the_name_itself_are_refused() {
        for common in [
            "password",
            "12345678",
            "Password",
            "iloveyou",
            "PASSWORD123",
        ] {
            assert_eq!(
                check_new_password("ann", common),
                Err(PasswordRefusal::TooCommon),
                "{common}"
            );
        }
        assert_eq!(
            check_new_password("ann@example.com", "Ann@Example.com"),
            Err(PasswordRefusal::SameAsName)
        );
        assert_eq!(check_new_password("ann", "tram stop 17 at dusk"), Ok(()));
    }

    #[test]
    fn the_shipped_list_is_sorted_lowercase_and_long() {
        let lines: Vec<&str> = include_str!("common_passwords.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect();
        assert!(lines.len() > 10_000);
        assert!(
            lines.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
        assert!(
            lines
                .iter()
                .all(|l| l.chars().count() >= 8 && *l == l.to_lowercase())
        );
    }

    #[test]
    fn invisible_and_look_alike_usernames_are_refused() {
        for sneaky in [
            "\u{3164}",      // Hangul filler: prints as nothing
            "ann\u{2800}",   // braille blank
            "\u{115F}bob",   // Hangul choseong filler
            "cl\u{034F}ara", // combining grapheme joiner
            "\u{0430}lice",  // Cyrillic a, then Latin
            "pay\u{0440}al@example.com",
        ] {
            assert!(check_username(sneaky).is_err(), "{sneaky:?} was accepted");
        }
        for fine in [
            "alice",
            "anna.k+hotel@example.com",
            "long stay",
            "O'Brien",
            "Amélie",
            "Jürgen Weiß",
            "андрей",
            "田中たろう",
        ] {
            assert_eq!(check_username(fine), Ok(()), "{fine:?} was refused");
        }
    }
}
