//! Guests as people: what a profile may hold, and when two profiles are likely one person.

use hotel_shared::guests::GuestInput;

use super::accounts::{parse_email, parse_full_name};

/// A profile's text fields, trimmed and within their lengths; the name is required.
pub fn check_guest(input: GuestInput) -> Result<GuestInput, String> {
    let full_name =
        parse_full_name(&input.full_name)?.ok_or_else(|| "full_name is required.".to_string())?;
    let email = parse_email(&input.email)?.unwrap_or_default();
    let field = |value: &str, name: &str, max: usize| -> Result<String, String> {
        let value = value.trim();
        if value.chars().count() > max {
            return Err(format!("{name} must be at most {max} characters."));
        }
        if value.chars().any(|c| c.is_control() && c != '\n') {
            return Err(format!("{name} cannot contain control characters."));
        }
        Ok(value.to_string())
    };
    let phone = field(&input.phone, "phone", 40)?;
    if !phone.is_empty() && phone_digits(&phone).len() < 5 {
        return Err("phone must have at least 5 digits.".into());
    }
    Ok(GuestInput {
        full_name,
        email,
        phone,
        address: field(&input.address, "address", 300)?,
        nationality: field(&input.nationality, "nationality", 60)?,
        id_document_type: field(&input.id_document_type, "id_document_type", 40)?,
        id_document_number: field(&input.id_document_number, "id_document_number", 60)?,
        notes: field(&input.notes, "notes", 2000)?,
        marketing_consent: input.marketing_consent,
        language: input.language,
        allow_duplicate: input.allow_duplicate,
    })
}

/// The digits of a telephone number, the last nine only: "+44 20 7946 0000" and
/// "020 7946 0000" are the same number.
pub fn phone_digits(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(9)..].iter().collect()
}

/// A name as compared for duplicates: lower case, one space between words.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The username of the account a profile made at the desk holds its bookings in: the name's
/// letters and a random tail, so two Anna Smiths get two accounts.
pub fn desk_username(full_name: &str, tail: &str) -> String {
    let base: String = name_key(full_name)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '.' })
        .collect::<String>()
        .split('.')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(".");
    let base: String = base.chars().take(40).collect();
    format!("{base}~{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_number_written_two_ways_is_one_number() {
        assert_eq!(
            phone_digits("+44 20 7946 0000"),
            phone_digits("020 7946 0000")
        );
        assert_eq!(phone_digits("12"), "12");
    }

    #[test]
    fn names_compare_without_case_or_extra_spaces() {
        assert_eq!(name_key("  Anna   SMITH "), "anna smith");
    }

    #[test]
    fn desk_accounts_are_named_after_the_guest() {
        assert_eq!(
            desk_username("Anna O'Neil-Smith", "k7m4"),
            "anna.o.neil.smith~k7m4"
        );
    }

    #[test]
    fn a_profile_needs_a_name_and_plausible_contacts() {
        let ok = check_guest(GuestInput {
            full_name: "  Anna Smith ".into(),
            email: " anna@example.org ".into(),
            phone: "+44 20 7946 0000".into(),
            ..GuestInput::default()
        });
        assert_eq!(
            ok.map(|g| (g.full_name, g.email)),
            Ok(("Anna Smith".into(), "anna@example.org".into()))
        );
        assert!(check_guest(GuestInput::default()).is_err());
        let bad_phone = GuestInput {
            full_name: "Bo".into(),
            phone: "12".into(),
            ..GuestInput::default()
        };
        assert!(check_guest(bad_phone).is_err());
    }
}
