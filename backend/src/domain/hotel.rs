//! The hotel's own words and pictures: what the guest site says about it.

use hotel_shared::staff::HotelDetails;

/// What a new hotel says until its staff write their own: an example to edit, not a blank.
pub fn example_details() -> HotelDetails {
    HotelDetails {
        name: "Hotel Example".into(),
        address: "1 Harbour Street, Example Town".into(),
        phone: "+00 000 000 000".into(),
        email: "reception@example.org".into(),
        check_in_from: "15:00".into(),
        check_out_until: "11:00".into(),
        description: "A small, quiet hotel by the harbour, five minutes' walk from the old \
                      town. Every room has its own bathroom, a desk and fast Wi-Fi; breakfast \
                      is served from seven."
            .into(),
        house_rules: "No smoking in the rooms. Quiet hours from 22:00 to 7:00. Pets on request."
            .into(),
        legal_name: String::new(),
        tax_number: String::new(),
        vat_id: String::new(),
    }
}

/// Cleans up the hotel's details from the desk's form; the error says what is wrong.
pub fn check_details(mut d: HotelDetails) -> Result<HotelDetails, String> {
    for field in [
        &mut d.name,
        &mut d.address,
        &mut d.phone,
        &mut d.email,
        &mut d.check_in_from,
        &mut d.check_out_until,
        &mut d.description,
        &mut d.house_rules,
        &mut d.legal_name,
        &mut d.tax_number,
        &mut d.vat_id,
    ] {
        *field = field.trim().to_string();
    }
    let within = |text: &str, most: usize, what: &str| {
        if text.chars().count() > most {
            Err(format!("{what} must be at most {most} characters."))
        } else {
            Ok(())
        }
    };
    if d.name.is_empty() {
        return Err("name must not be empty.".into());
    }
    within(&d.name, 100, "name")?;
    within(&d.address, 300, "address")?;
    within(&d.phone, 50, "phone")?;
    within(&d.email, 254, "email")?;
    within(&d.description, 2000, "description")?;
    within(&d.house_rules, 2000, "house_rules")?;
    within(&d.legal_name, 200, "legal_name")?;
    within(&d.tax_number, 30, "tax_number")?;
    if !d.vat_id.is_empty() && !is_vat_id(&d.vat_id) {
        return Err("vat_id must be two letters of the country, then 2 to 13 letters or digits, like DE123456789.".into());
    }
    for (time, what) in [
        (&d.check_in_from, "check_in_from"),
        (&d.check_out_until, "check_out_until"),
    ] {
        if !is_clock_time(time) {
            return Err(format!("{what} must be a time like 14:00."));
        }
    }
    Ok(d)
}

/// A VAT identification number as the EU writes them: the country's two letters, then 2 to
/// 13 letters, digits or the `+*.` some countries use.
pub fn is_vat_id(text: &str) -> bool {
    if !text.is_ascii() || text.len() < 2 {
        return false;
    }
    let (country, rest) = text.split_at(2);
    country.chars().all(|c| c.is_ascii_alphabetic())
        && (2..=13).contains(&rest.len())
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '*' | '.'))
}

/// The supplier an invoice issued now names: the legal name (the hotel's name without one),
/// address, tax number and VAT id.
pub fn supplier(d: &HotelDetails) -> hotel_shared::folio::InvoiceSupplier {
    hotel_shared::folio::InvoiceSupplier {
        legal_name: if d.legal_name.is_empty() {
            d.name.clone()
        } else {
            d.legal_name.clone()
        },
        address: d.address.clone(),
        tax_number: d.tax_number.clone(),
        vat_id: d.vat_id.clone(),
    }
}

/// `HH:MM`, 00:00 to 23:59.
fn is_clock_time(text: &str) -> bool {
    let Some((h, m)) = text.split_once(':') else {
        return false;
    };
    h.len() == 2
        && m.len() == 2
        && h.parse::<u8>().is_ok_and(|h| h < 24)
        && m.parse::<u8>().is_ok_and(|m| m < 60)
}

/// The largest photo the hotel keeps.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

/// What a photo's bytes are, judged by their content (never by the name or the type the
/// client claims).
#[derive(Debug, PartialEq, Eq)]
pub enum ImageKind {
    /// JPEG, PNG or WebP: its media type.
    Photo(&'static str),
    /// An image format browsers may not all show, or that can carry scripts (GIF, SVG…).
    Unsupported,
    NotAnImage,
}

pub fn sniff_image(bytes: &[u8]) -> ImageKind {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ImageKind::Photo("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ImageKind::Photo("image/png")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        ImageKind::Photo("image/webp")
    } else if bytes.starts_with(b"GIF8")
        || bytes.starts_with(b"BM")
        || bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
        || bytes.trim_ascii_start().starts_with(b"<svg")
        || bytes.trim_ascii_start().starts_with(b"<?xml")
    {
        ImageKind::Unsupported
    } else {
        ImageKind::NotAnImage
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_ids_are_a_country_and_its_number() {
        for good in [
            "DE123456789",
            "ATU12345678",
            "FR12345678901",
            "NL123456789B01",
            "it12",
        ] {
            assert!(is_vat_id(good), "{good}");
        }
        for bad in [
            "",
            "D",
            "DE1",
            "123456789",
            "DE 123",
            "DEä12345",
            "aä",
            "DE12345678901234",
        ] {
            assert!(!is_vat_id(bad), "{bad}");
        }
    }

    #[test]
    fn photos_are_known_by_their_content() {
        assert_eq!(
            sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]),
            ImageKind::Photo("image/jpeg")
        );
        assert_eq!(
            sniff_image(b"\x89PNG\r\n\x1a\n...."),
            ImageKind::Photo("image/png")
        );
        assert_eq!(
            sniff_image(b"RIFF\0\0\0\0WEBPVP8 "),
            ImageKind::Photo("image/webp")
        );
        assert_eq!(sniff_image(b"GIF89a"), ImageKind::Unsupported);
        assert_eq!(sniff_image(b"  <svg xmlns=..."), ImageKind::Unsupported);
        assert_eq!(sniff_image(b"hello"), ImageKind::NotAnImage);
        assert_eq!(sniff_image(b""), ImageKind::NotAnImage);
    }

    #[test]
    fn details_need_a_name_and_clock_times() {
        assert!(check_details(example_details()).is_ok());
        let mut d = example_details();
        d.name = "  ".into();
        assert!(check_details(d).is_err());
        let mut d = example_details();
        d.check_in_from = "25:00".into();
        assert!(check_details(d).is_err());
        let mut d = example_details();
        d.check_out_until = "9:00".into();
        assert!(check_details(d).is_err());
        let mut d = example_details();
        d.name = " Seaview ".into();
        assert_eq!(check_details(d).map(|d| d.name), Ok("Seaview".into()));
    }
}
