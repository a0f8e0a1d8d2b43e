//! The guest's language: English or German, from the browser's preference or the switcher
//! (remembered), with dates, numbers and money written the way that language writes them.
//!
//! Words stand in pairs where they are used (`ctx.tr("Search", "Suchen")`) rather than in a
//! catalogue of keys: for two languages a pair is as easy to keep right, costs no lookup
//! machinery in the download (leptos_i18n or fluent would add tens of KB to a 200 KB
//! budget), and a missing translation cannot compile.

use hotel_shared::Date;
use hotel_shared::money::decimals;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    De,
}

const STORAGE_KEY: &str = "hotel.lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// A language tag (`de-AT`, `en`) as one of ours; English for anything else.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("de") {
            Lang::De
        } else {
            Lang::En
        }
    }

    /// The remembered choice, else the browser's first preference.
    pub fn detect() -> Lang {
        let Some(window) = web_sys::window() else {
            return Lang::En;
        };
        if let Some(saved) = window
            .local_storage()
            .ok()
            .flatten()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        {
            return Lang::from_tag(&saved);
        }
        window
            .navigator()
            .language()
            .map_or(Lang::En, |tag| Lang::from_tag(&tag))
    }

    /// Remembers the choice and tells the page (screen readers, hyphenation) its language.
    pub fn apply(self, remember: bool) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if remember && let Ok(Some(storage)) = window.local_storage() {
            let _ = storage.set_item(STORAGE_KEY, self.code());
        }
        if let Some(root) = window.document().and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", self.code());
        }
    }

    pub fn pick(self, en: &'static str, de: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::De => de,
        }
    }
}

const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_DE: [&str; 7] = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_DE: [&str; 12] = [
    "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.",
];

/// "Sun 13 Dec 2026" / "So., 13. Dez. 2026".
pub fn date(lang: Lang, d: Date) -> String {
    let weekday = d.weekday() as usize;
    let month = (d.month() as usize).saturating_sub(1).min(11);
    match lang {
        Lang::En => format!(
            "{} {} {} {}",
            WEEKDAYS_EN[weekday],
            d.day(),
            MONTHS_EN[month],
            d.year()
        ),
        Lang::De => format!(
            "{}, {}. {} {}",
            WEEKDAYS_DE[weekday],
            d.day(),
            MONTHS_DE[month],
            d.year()
        ),
    }
}

/// Digits grouped in threes: "1,250" / "1.250".
fn grouped(mut n: u64, separator: char) -> String {
    let mut groups = Vec::new();
    loop {
        groups.push(n % 1000);
        n /= 1000;
        if n == 0 {
            break;
        }
    }
    let mut text = groups.pop().map(|g| g.to_string()).unwrap_or_default();
    while let Some(g) = groups.pop() {
        text.push(separator);
        text.push_str(&format!("{g:03}"));
    }
    text
}

fn symbol(currency: &str) -> &str {
    match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        other => other,
    }
}

/// An amount in minor units: "€1,250.00" / "1.250,00 €"; "CHF 95.00" / "95,00 CHF".
pub fn money(lang: Lang, minor: i64, currency: &str) -> String {
    let places = decimals(currency);
    let scale = 10_u64.pow(places);
    let abs = minor.unsigned_abs();
    let (group, point) = match lang {
        Lang::En => (',', '.'),
        Lang::De => ('.', ','),
    };
    let mut number = grouped(abs / scale, group);
    if places > 0 {
        number.push(point);
        number.push_str(&format!("{:0w$}", abs % scale, w = places as usize));
    }
    let sign = if minor < 0 { "−" } else { "" };
    let sym = symbol(currency);
    match (lang, sym.chars().count()) {
        (Lang::En, 1) => format!("{sign}{sym}{number}"),
        (Lang::En, _) => format!("{sign}{sym} {number}"),
        (Lang::De, _) => format!("{sign}{number} {sym}"),
    }
}

/// "1 night" / "3 Nächte".
pub fn nights(lang: Lang, n: u32) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 night".into(),
        (Lang::En, n) => format!("{n} nights"),
        (Lang::De, 1) => "1 Nacht".into(),
        (Lang::De, n) => format!("{n} Nächte"),
    }
}

/// "1 room" / "2 Zimmer".
pub fn rooms(lang: Lang, n: u32) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 room".into(),
        (Lang::En, n) => format!("{n} rooms"),
        (Lang::De, n) => format!("{n} Zimmer"),
    }
}

/// "1 adult" / "3 Erwachsene".
pub fn adults(lang: Lang, n: u32) -> String {
    match (lang, n) {
        (Lang::En, 1) => "1 adult".into(),
        (Lang::En, n) => format!("{n} adults"),
        (Lang::De, 1) => "1 Erwachsener".into(),
        (Lang::De, n) => format!("{n} Erwachsene"),
    }
}

/// What the app says for an error the server named by its `code`; `None` for codes a guest
/// should not meet, which then read as a general failure with the server's own sentence.
pub fn error(lang: Lang, code: &str) -> Option<&'static str> {
    let (en, de) = match code {
        // Never whether an address has an account: the same words for an unknown one.
        "wrong_password" | "account_not_found" => (
            "The e-mail address or the password is not right.",
            "Die E-Mail-Adresse oder das Passwort stimmt nicht.",
        ),
        "username_taken" | "email_taken" => (
            "We could not create an account with this e-mail address and password. If you \
             have signed up before, sign in instead.",
            "Mit dieser E-Mail-Adresse und diesem Passwort konnten wir kein Konto anlegen. \
             Wenn Sie sich schon einmal registriert haben, melden Sie sich bitte an.",
        ),
        "too_many_sign_in_attempts" => (
            "Too many unsuccessful sign-ins from your network. Please wait a few minutes and \
             try again.",
            "Zu viele erfolglose Anmeldungen aus Ihrem Netz. Bitte warten Sie einige Minuten.",
        ),
        "password_too_common" => (
            "This password is one of the most common ones, which attackers try first. Please choose another.",
            "Dieses Passwort gehört zu den häufigsten, die Angreifer zuerst probieren. Bitte wählen Sie ein anderes.",
        ),
        "too_many_changes" => (
            "This booking has been changed as often today as it can be online. Please contact the hotel.",
            "Diese Buchung wurde heute so oft geändert, wie es online geht. Bitte wenden Sie sich an das Hotel.",
        ),
        "too_many_room_nights" => (
            "Your network has booked as many nights today as the hotel takes online from one \
             network. Please call the hotel.",
            "Aus Ihrem Netz wurden heute so viele Nächte gebucht, wie das Hotel online \
             annimmt. Bitte rufen Sie uns an.",
        ),
        "body_timeout" => (
            "The connection was too slow. Please try again.",
            "Die Verbindung war zu langsam. Bitte versuchen Sie es erneut.",
        ),
        "session_expired" | "not_signed_in" => (
            "Your session has ended. Please sign in again.",
            "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
        ),
        "no_rooms_available" | "not_enough_rooms" | "room_occupied" => (
            "Sorry, those rooms were just booked by someone else. Please search again.",
            "Diese Zimmer wurden gerade anderweitig gebucht. Bitte suchen Sie erneut.",
        ),
        "booking_too_large" => (
            "That is more than one booking can hold. Please book fewer rooms or nights.",
            "Das ist mehr, als eine Buchung umfassen kann. Bitte weniger Zimmer oder Nächte.",
        ),
        "guest_limit_reached" => (
            "You already hold as many upcoming nights as one guest may. Please call the hotel.",
            "Sie haben bereits so viele Nächte gebucht, wie ein Gast darf. Bitte rufen Sie uns an.",
        ),
        "too_many_signups" | "too_many_bookings" | "busy" | "too_many_connections" => (
            "The hotel is very busy right now. Please try again in a minute.",
            "Gerade ist viel los. Bitte versuchen Sie es in einer Minute erneut.",
        ),
        "booking_not_found" | "not_found" => (
            "We could not find that booking.",
            "Diese Buchung wurde nicht gefunden.",
        ),
        "booking_not_active" | "booking_already_started" => (
            "This booking can no longer be changed online. Please contact the hotel.",
            "Diese Buchung kann online nicht mehr geändert werden. Bitte wenden Sie sich an das Hotel.",
        ),
        "room_too_small" => (
            "That room does not sleep your party.",
            "Dieses Zimmer ist für Ihre Gruppe zu klein.",
        ),
        "room_out_of_service" => (
            "That room is not available on those nights.",
            "Dieses Zimmer ist in diesen Nächten nicht verfügbar.",
        ),
        "min_stay"
        | "max_stay"
        | "closed"
        | "closed_to_arrival"
        | "closed_to_departure"
        | "advance" => (
            "Those dates cannot be booked online as chosen. Please choose other dates.",
            "Diese Daten sind online so nicht buchbar. Bitte wählen Sie andere Daten.",
        ),
        "rate_plan_not_found" | "rate_plan_mismatch" => (
            "That rate is no longer offered. Please search again.",
            "Dieser Tarif wird nicht mehr angeboten. Bitte suchen Sie erneut.",
        ),
        "timeout" | "database_lost" | "database_failing" | "database_slow" | "internal" => (
            "Something went wrong at the hotel's end. Please try again shortly.",
            "Beim Hotel ist etwas schiefgegangen. Bitte versuchen Sie es gleich noch einmal.",
        ),
        _ => return None,
    };
    Some(lang.pick(en, de))
}

/// A moment as the guest reads it: "18:00 on Sun 13 Dec 2026" / "So., 13. Dez. 2026, 18:00 Uhr".
pub fn moment(lang: Lang, day: Date, hour: u32, minute: u32) -> String {
    match lang {
        Lang::En => format!("{hour:02}:{minute:02} on {}", date(lang, day)),
        Lang::De => format!("{}, {hour:02}:{minute:02} Uhr", date(lang, day)),
    }
}

/// The cancellation terms of an offer or a booking in the guest's words. `deadline` is the
/// last free moment on the guest's own clock, `price` writes an amount.
pub fn cancellation(
    lang: Lang,
    terms: &hotel_shared::rates::StayTerms,
    deadline: Option<(Date, u32, u32)>,
    price: impl Fn(i64) -> String,
) -> String {
    if !terms.refundable {
        return lang
            .pick(
                "Non-refundable: cancelling costs the whole price.",
                "Nicht erstattbar: Bei Stornierung wird der volle Preis fällig.",
            )
            .into();
    }
    match deadline {
        Some((day, h, m)) if terms.fee > 0 => match lang {
            Lang::En => format!(
                "Free cancellation until {} (your time). After that, cancelling costs {}.",
                moment(lang, day, h, m),
                price(terms.fee)
            ),
            Lang::De => format!(
                "Kostenlose Stornierung bis {} (Ihre Ortszeit). Danach kostet die Stornierung {}.",
                moment(lang, day, h, m),
                price(terms.fee)
            ),
        },
        _ if terms.fee == 0 => lang
            .pick("Free cancellation.", "Kostenlose Stornierung.")
            .into(),
        _ => match lang {
            Lang::En => format!("Cancelling costs {}.", price(terms.fee)),
            Lang::De => format!("Eine Stornierung kostet {}.", price(terms.fee)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotel_shared::date::date as day;

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let d = day(2026, 12, 13);
        assert_eq!(date(Lang::En, d), "Sun 13 Dec 2026");
        assert_eq!(date(Lang::De, d), "So., 13. Dez. 2026");
    }

    #[test]
    fn money_is_grouped_and_placed_for_the_language() {
        assert_eq!(money(Lang::En, 125_000, "EUR"), "€1,250.00");
        assert_eq!(money(Lang::De, 125_000, "EUR"), "1.250,00 €");
        assert_eq!(money(Lang::En, 9_500, "CHF"), "CHF 95.00");
        assert_eq!(money(Lang::De, -505, "EUR"), "−5,05 €");
        assert_eq!(money(Lang::En, 1_234_567, "JPY"), "JPY 1,234,567");
        assert_eq!(money(Lang::En, 5, "EUR"), "€0.05");
    }

    #[test]
    fn counts_agree_with_their_number() {
        assert_eq!(nights(Lang::En, 1), "1 night");
        assert_eq!(nights(Lang::De, 3), "3 Nächte");
        assert_eq!(adults(Lang::De, 1), "1 Erwachsener");
        assert_eq!(rooms(Lang::De, 2), "2 Zimmer");
    }

    #[test]
    fn languages_come_from_tags() {
        assert_eq!(Lang::from_tag("de-AT"), Lang::De);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
        assert!(error(Lang::De, "wrong_password").is_some());
        assert!(error(Lang::En, "room_type_in_use").is_none());
    }
}
