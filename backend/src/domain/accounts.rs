//! Who may have an account, and with what.

use hotel_shared::{MAX_USERNAME_LEN, MIN_PASSWORD_LEN};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Guest,
    Staff,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Guest => "guest",
            Role::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Role {
        // Anything unexpected gets the least privilege.
        if s == "staff" {
            Role::Staff
        } else {
            Role::Guest
        }
    }
}

/// An account as the rest of the server sees it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: Role,
}

/// Usernames are compared after trimming surrounding white space.
pub fn normalize_username(raw: &str) -> &str {
    raw.trim()
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
    Ok(())
}

pub fn check_new_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(format!(
            "Password must be at least {MIN_PASSWORD_LEN} characters."
        ));
    }
    // Argon2 handles any length, but an unbounded input is an easy way to burn CPU.
    if password.len() > 1024 {
        return Err("Password must be at most 1024 bytes.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_trimmed_and_bounded() {
        assert_eq!(normalize_username("  alice \n"), "alice");
        assert!(check_username("alice").is_ok());
        assert!(check_username("").is_err());
        assert!(check_username(&"x".repeat(65)).is_err());
        assert!(check_username(&"é".repeat(64)).is_ok());
    }

    #[test]
    fn new_passwords_need_eight_characters() {
        assert!(check_new_password("1234567").is_err());
        assert!(check_new_password("12345678").is_ok());
    }
}
