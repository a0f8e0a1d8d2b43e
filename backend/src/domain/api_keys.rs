//! Keys for programs: what a key may be called, what each scope lets it do, and which
//! requests a key may make at all. A key acts as staff within its scopes; the rest (the
//! hotel's set-up, accounts, keys themselves) needs a member of staff signed in.

use hotel_shared::keys::Scope;

/// A live key, as a request carrying it is let in.
#[derive(Debug, Clone)]
pub struct KeyHolder {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// Unix seconds.
    pub last_used_at: Option<i64>,
}

/// A key's use is noted at most this often (seconds): a write per request would cost reads.
pub const USE_NOTED_EVERY: i64 = 60;

/// What a request needs of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Scope(Scope),
    /// Only a member of staff signed in may do this.
    Person,
}

/// What a key must hold for `method` on `path`. Reads are the `read` scope's, except the
/// keys themselves; writes to bookings (and the guests they are for) are `bookings`; writes
/// to the rates calendar, the rate plans and out-of-service ranges (what a channel manager
/// pushes as availability) are `rates`.
pub fn need(method: &str, path: &str) -> Need {
    let path = path.trim_end_matches('/');
    if path.starts_with("/staff/api-keys") {
        return Need::Person;
    }
    if matches!(method, "GET" | "HEAD") {
        return Need::Scope(Scope::Read);
    }
    let under = |prefix: &str| {
        path == prefix
            || path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    if under("/staff/bookings") || (under("/staff/guests") && !path.ends_with("/erase")) {
        return Need::Scope(Scope::Bookings);
    }
    if under("/staff/rate-calendar") || under("/staff/rate-plans") || under("/staff/blocks") {
        return Need::Scope(Scope::Rates);
    }
    Need::Person
}

/// A key's name: lower-case letters, digits, `.`, `_` and `-`, starting with a letter or a
/// digit, at most 40 characters (`channel-manager`, `accounting`). The audit log names the
/// key's changes with it.
pub fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok =
        chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if first_ok && rest_ok && name.len() <= 40 {
        Ok(())
    } else {
        Err("name: 1 to 40 lower-case letters, digits, '.', '_' or '-', starting with a letter or a digit.".into())
    }
}

/// The scopes a key is made with: at least one; each kept once, in the order `Scope::ALL`
/// has.
pub fn check_scopes(scopes: &[Scope]) -> Result<Vec<Scope>, String> {
    if scopes.is_empty() {
        return Err("scopes: give at least one of read, bookings, rates.".into());
    }
    Ok(Scope::ALL
        .into_iter()
        .filter(|s| scopes.contains(s))
        .collect())
}

/// Scopes as the command line names them (`--scope read --scope bookings`).
pub fn parse_scopes(words: &[String]) -> Result<Vec<Scope>, String> {
    let scopes = words
        .iter()
        .map(|w| {
            Scope::parse(w)
                .ok_or_else(|| format!("{w} is not a scope; use read, bookings or rates"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    check_scopes(&scopes)
}

/// The prefix every key starts with: a key in a log or a leaked file is recognised as one,
/// and is never mistaken for a session token (hex).
pub const KEY_PREFIX: &str = "hk_";

/// How the audit log names a key's changes.
pub fn actor_name(key_name: &str) -> String {
    format!("API key {key_name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_need_read_and_writes_their_area() {
        assert_eq!(need("GET", "/staff/bookings"), Need::Scope(Scope::Read));
        assert_eq!(need("GET", "/events"), Need::Scope(Scope::Read));
        assert_eq!(
            need("POST", "/staff/bookings/4/cancel"),
            Need::Scope(Scope::Bookings)
        );
        assert_eq!(
            need("PUT", "/staff/rate-calendar"),
            Need::Scope(Scope::Rates)
        );
        assert_eq!(need("POST", "/staff/blocks"), Need::Scope(Scope::Rates));
        assert_eq!(need("POST", "/staff/bookingsx"), Need::Person);
        assert_eq!(need("POST", "/staff/guests/3/erase"), Need::Person);
        assert_eq!(need("PUT", "/staff/hotel"), Need::Person);
        assert_eq!(need("GET", "/staff/api-keys"), Need::Person);
    }

    #[test]
    fn names_are_slugs() {
        assert!(check_name("channel-manager").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("-x").is_err());
        assert!(check_name("Big").is_err());
        assert!(check_name(&"a".repeat(41)).is_err());
    }

    #[test]
    fn scopes_are_ordered_and_once() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_scopes(&words(&["rates", "read"])),
            Ok(vec![Scope::Read, Scope::Rates])
        );
        assert_eq!(
            parse_scopes(&words(&["read", "read"])),
            Ok(vec![Scope::Read])
        );
        assert!(parse_scopes(&words(&["admin"])).is_err());
        assert!(parse_scopes(&[]).is_err());
    }
}
