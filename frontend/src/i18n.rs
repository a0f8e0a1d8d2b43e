//! The guest's language: English or German, from the browser's preference or the switcher
//! (remembered), with dates, numbers and money written the way that language writes them.
//!
//! Words stand in pairs where they are used (`ctx.tr("Search", "Suchen")`) rather than in a
//! catalogue of keys: for two languages a pair is as easy to keep right, costs no lookup
//! machinery in the download (leptos_i18n or fluent would add tens of KB to a 200 KB
//! budget), and a missing translation cannot compile.

use hotel_shared::{Date, ErrorCode, words};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    De,
}

const STORAGE_KEY: &str = "hotel.lang";

impl Lang {
    /// The language the hotel writes to a guest reading the site in this one.
    pub fn language(self) -> hotel_shared::Language {
        match self {
            Lang::En => hotel_shared::Language::En,
            Lang::De => hotel_shared::Language::De,
        }
    }

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

/// "Sun 13 Dec 2026" / "So., 13. Dez. 2026".
pub fn date(lang: Lang, d: Date) -> String {
    words::date(lang.language(), d)
}

/// An amount in minor units: "€1,250.00" / "1.250,00 €"; "CHF 95.00" / "95,00 CHF".
pub fn money(lang: Lang, minor: i64, currency: &str) -> String {
    words::money(lang.language(), minor, currency)
}

/// "1 night" / "3 Nächte".
pub fn nights(lang: Lang, n: u32) -> String {
    words::nights(lang.language(), n)
}

/// "1 room" / "2 Zimmer".
pub fn rooms(lang: Lang, n: u32) -> String {
    words::rooms(lang.language(), n)
}

/// "1 adult" / "3 Erwachsene".
pub fn adults(lang: Lang, n: u32) -> String {
    words::adults(lang.language(), n)
}

/// What the app says for an error the server named by its `code`, in the reader's language.
/// Every code the server sends has words here (the match has no catch-all, so a new code
/// does not compile until it has them); `None` only for a code this build does not know,
/// which then reads as the server's own sentence, and in the guest portal's build for the
/// codes only staff are given.
pub fn error(lang: Lang, code: ErrorCode) -> Option<&'static str> {
    use ErrorCode as C;
    let (en, de) = match code {
        C::InvalidRequest => (
            "Some of what was entered is not valid. Please check it and try again.",
            "Einige Angaben sind ungültig. Bitte prüfen Sie sie und versuchen Sie es erneut.",
        ),
        C::InvalidJson | C::JsonRequired | C::MethodNotAllowed | C::CrossSiteRequest => (
            "The page sent something the hotel's server did not understand. Please reload the page.",
            "Die Seite hat etwas gesendet, das der Server des Hotels nicht versteht. Bitte laden Sie die Seite neu.",
        ),
        C::InvalidCharacters => (
            "A text contains characters that cannot be used here. Please type it again.",
            "Ein Text enthält Zeichen, die hier nicht verwendet werden können. Bitte geben Sie ihn neu ein.",
        ),
        C::DateOutOfRange => (
            "That date is too far in the past or the future.",
            "Dieses Datum liegt zu weit in der Vergangenheit oder Zukunft.",
        ),
        C::BodyTooLarge | C::PhotoTooLarge => {
            ("That is too large to send.", "Das ist zu groß zum Senden.")
        }
        C::BodyTimeout => (
            "The connection was too slow. Please try again.",
            "Die Verbindung war zu langsam. Bitte versuchen Sie es erneut.",
        ),
        C::NotFound => (
            "We could not find what you asked for.",
            "Das Gesuchte wurde nicht gefunden.",
        ),
        // Never whether an address has an account: the same words for an unknown one.
        C::WrongPassword | C::AccountNotFound => (
            "The e-mail address or the password is not right.",
            "Die E-Mail-Adresse oder das Passwort stimmt nicht.",
        ),
        C::SessionExpired | C::NotSignedIn => (
            "Your session has ended. Please sign in again.",
            "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
        ),
        C::StaffOnly => (
            "This is for the hotel's staff only.",
            "Das ist nur für das Personal des Hotels.",
        ),
        C::UsernameTaken | C::EmailTaken => (
            "We could not create an account with this e-mail address and password. If you \
             have signed up before, sign in instead.",
            "Mit dieser E-Mail-Adresse und diesem Passwort konnten wir kein Konto anlegen. \
             Wenn Sie sich schon einmal registriert haben, melden Sie sich bitte an.",
        ),
        C::PasswordTooCommon => (
            "This password is one of the most common ones, which attackers try first. Please choose another.",
            "Dieses Passwort gehört zu den häufigsten, die Angreifer zuerst probieren. Bitte wählen Sie ein anderes.",
        ),
        C::TooManySignInAttempts => (
            "Too many unsuccessful sign-ins from your network. Please wait a few minutes and \
             try again.",
            "Zu viele erfolglose Anmeldungen aus Ihrem Netz. Bitte warten Sie einige Minuten.",
        ),
        C::TooManySignups | C::TooManyBookings | C::Busy | C::TooManyConnections => (
            "The hotel is very busy right now. Please try again in a minute.",
            "Gerade ist viel los. Bitte versuchen Sie es in einer Minute erneut.",
        ),
        C::TooManyRoomNights => (
            "Your network has booked as many nights today as the hotel takes online from one \
             network. Please call the hotel.",
            "Aus Ihrem Netz wurden heute so viele Nächte gebucht, wie das Hotel online \
             annimmt. Bitte rufen Sie uns an.",
        ),
        C::TooManyChanges => (
            "This booking has been changed as often today as it can be online. Please contact the hotel.",
            "Diese Buchung wurde heute so oft geändert, wie es online geht. Bitte wenden Sie sich an das Hotel.",
        ),
        C::GuestLimitReached => (
            "You already hold as many upcoming nights as one guest may. Please call the hotel.",
            "Sie haben bereits so viele Nächte gebucht, wie ein Gast darf. Bitte rufen Sie uns an.",
        ),
        C::BookingTooLarge => (
            "That is more than one booking can hold. Please book fewer rooms or nights.",
            "Das ist mehr, als eine Buchung umfassen kann. Bitte weniger Zimmer oder Nächte.",
        ),
        C::NoRoomsAvailable | C::NotEnoughRooms | C::RoomOccupied => (
            "Sorry, those rooms were just booked by someone else. Please search again.",
            "Diese Zimmer wurden gerade anderweitig gebucht. Bitte suchen Sie erneut.",
        ),
        C::InvalidRoom | C::RoomNotFound => (
            "There is no room with that number.",
            "Ein Zimmer mit dieser Nummer gibt es nicht.",
        ),
        C::RoomOutOfService => (
            "That room is not available on those nights.",
            "Dieses Zimmer ist in diesen Nächten nicht verfügbar.",
        ),
        C::RoomTooSmall => (
            "That room does not sleep your party.",
            "Dieses Zimmer ist für Ihre Gruppe zu klein.",
        ),
        C::NoBookingToUpdate | C::NoBookedRooms => (
            "There is no booking to change.",
            "Es gibt keine Buchung, die geändert werden kann.",
        ),
        C::BookingNotFound | C::NoBookingToPreview => (
            "We could not find that booking.",
            "Diese Buchung wurde nicht gefunden.",
        ),
        C::BookingNotActive | C::BookingAlreadyStarted => (
            "This booking can no longer be changed online. Please contact the hotel.",
            "Diese Buchung kann online nicht mehr geändert werden. Bitte wenden Sie sich an das Hotel.",
        ),
        #[cfg(not(feature = "guest"))]
        C::AlreadyCheckedIn => (
            "This guest is already checked in.",
            "Dieser Gast ist bereits eingecheckt.",
        ),
        #[cfg(not(feature = "guest"))]
        C::RoomNotVacated => (
            "A guest due out of that room has not checked out yet. Check them out first.",
            "Ein abreisender Gast ist noch in diesem Zimmer eingecheckt. Bitte zuerst auschecken.",
        ),
        #[cfg(not(feature = "guest"))]
        C::RoomNotClean => (
            "The room has not been cleaned since its last guest left.",
            "Das Zimmer wurde seit der Abreise des letzten Gastes nicht gereinigt.",
        ),
        #[cfg(not(feature = "guest"))]
        C::NotArrivedYet => (
            "This stay has not begun yet: check in on its day of arrival.",
            "Dieser Aufenthalt hat noch nicht begonnen: Check-in am Anreisetag.",
        ),
        C::Closed
        | C::ClosedToArrival
        | C::ClosedToDeparture
        | C::MinStay
        | C::MaxStay
        | C::Advance => (
            "Those dates cannot be booked online as chosen. Please choose other dates.",
            "Diese Daten sind online so nicht buchbar. Bitte wählen Sie andere Daten.",
        ),
        C::RatePlanNotFound | C::RatePlanMismatch => (
            "That rate is no longer offered. Please search again.",
            "Dieser Tarif wird nicht mehr angeboten. Bitte suchen Sie erneut.",
        ),
        #[cfg(not(feature = "guest"))]
        C::RatePlanNameTaken | C::RoomTypeNameTaken | C::ExtraNameTaken => (
            "That name is in use already. Please choose another.",
            "Dieser Name ist schon vergeben. Bitte wählen Sie einen anderen.",
        ),
        #[cfg(not(feature = "guest"))]
        C::BasePlanFixed => (
            "A room type's standard rate stays as it is; change another rate instead.",
            "Der Standardtarif einer Zimmerkategorie bleibt, wie er ist; ändern Sie einen anderen Tarif.",
        ),
        C::RoomTypeNotFound => (
            "That room type does not exist.",
            "Diese Zimmerkategorie gibt es nicht.",
        ),
        #[cfg(not(feature = "guest"))]
        C::RoomTypeInUse => (
            "Rooms still have this room type. Give them another one first.",
            "Zimmer haben noch diese Kategorie. Weisen Sie ihnen zuerst eine andere zu.",
        ),
        C::RoomTypeRetired => (
            "That room type is no longer offered.",
            "Diese Zimmerkategorie wird nicht mehr angeboten.",
        ),
        #[cfg(not(feature = "guest"))]
        C::RoomExists => (
            "A room with that number exists already.",
            "Ein Zimmer mit dieser Nummer gibt es schon.",
        ),
        #[cfg(not(feature = "guest"))]
        C::RoomHasStays => (
            "The room has stays on those nights. Move them first.",
            "Das Zimmer ist in diesen Nächten belegt. Verlegen Sie die Aufenthalte zuerst.",
        ),
        #[cfg(not(feature = "guest"))]
        C::OutOfServiceRangeNotFound => (
            "That out-of-service period no longer exists.",
            "Diese Sperrzeit gibt es nicht mehr.",
        ),
        #[cfg(not(feature = "guest"))]
        C::UnknownParameter => (
            "The request asked for something this page does not know.",
            "Die Anfrage enthielt etwas, das diese Seite nicht kennt.",
        ),
        #[cfg(not(feature = "guest"))]
        C::FeedNotFound => (
            "That calendar feed no longer exists.",
            "Diesen Kalender gibt es nicht mehr.",
        ),
        #[cfg(not(feature = "guest"))]
        C::FeedExists => (
            "The room imports this calendar already.",
            "Das Zimmer liest diesen Kalender schon.",
        ),
        #[cfg(not(feature = "guest"))]
        C::ExternalReferenceExists => (
            "That booking site sent this booking already.",
            "Diese Buchungsseite hat die Buchung schon geschickt.",
        ),
        #[cfg(not(feature = "guest"))]
        C::WebhookNotFound => (
            "That webhook no longer exists.",
            "Diesen Webhook gibt es nicht mehr.",
        ),
        #[cfg(not(feature = "guest"))]
        C::ApiKeyInvalid => (
            "That key is unknown or was revoked.",
            "Dieser Schlüssel ist unbekannt oder wurde widerrufen.",
        ),
        #[cfg(not(feature = "guest"))]
        C::ScopeMissing => (
            "A key may not do this; sign in as staff.",
            "Ein Schlüssel darf das nicht; melden Sie sich als Mitarbeiter an.",
        ),
        #[cfg(not(feature = "guest"))]
        C::ApiKeyNotFound => (
            "That key no longer exists.",
            "Diesen Schlüssel gibt es nicht mehr.",
        ),
        #[cfg(not(feature = "guest"))]
        C::ApiKeyExists => (
            "A key with that name exists already; choose another name.",
            "Einen Schlüssel mit diesem Namen gibt es schon; wählen Sie einen anderen.",
        ),
        #[cfg(not(feature = "guest"))]
        C::TaxRateNotFound => (
            "That tax rate no longer exists.",
            "Diesen Steuersatz gibt es nicht mehr.",
        ),
        #[cfg(not(feature = "guest"))]
        C::TaxRateExists => (
            "A tax rate with that name exists already; give it a new percent instead.",
            "Einen Steuersatz mit diesem Namen gibt es schon; geben Sie ihm stattdessen einen neuen Prozentsatz.",
        ),
        #[cfg(not(feature = "guest"))]
        C::MessageNotFound => ("No such message.", "Keine solche Nachricht."),
        #[cfg(not(feature = "guest"))]
        C::MessageNotResendable => ("Not sent twice.", "Nicht zweimal gesendet."),
        #[cfg(not(feature = "guest"))]
        C::TemplateInvalid => ("This text cannot be used.", "Dieser Text geht so nicht."),
        C::ResetLinkInvalid => (
            "This link has been used already or is more than an hour old. Please ask for a new one.",
            "Dieser Link wurde schon benutzt oder ist älter als eine Stunde. Bitte fordern Sie einen neuen an.",
        ),
        C::EmailLinkInvalid => (
            "This link has been used already, is too old, or is for another address. My bookings sends a new one.",
            "Dieser Link wurde schon benutzt, ist zu alt oder gilt einer anderen Adresse. Unter Meine Buchungen gibt es einen neuen.",
        ),
        C::TooManyResetAttempts => (
            "Too many attempts from your network. Please wait a while and try again.",
            "Zu viele Versuche aus Ihrem Netz. Bitte warten Sie eine Weile.",
        ),
        #[cfg(not(feature = "guest"))]
        C::MessageBeingSent => ("Being sent now.", "Wird gerade gesendet."),
        #[cfg(not(feature = "guest"))]
        C::PhotoNotFound => (
            "That photo no longer exists.",
            "Dieses Foto gibt es nicht mehr.",
        ),
        #[cfg(not(feature = "guest"))]
        C::PhotoStorageFull => (
            "The space for photos is full. Remove some first.",
            "Der Platz für Fotos ist voll. Entfernen Sie zuerst einige.",
        ),
        #[cfg(not(feature = "guest"))]
        C::UnsupportedImage | C::NotAnImage => (
            "That file is not a photo in a format the hotel can use.",
            "Diese Datei ist kein Foto in einem Format, das das Hotel verwenden kann.",
        ),
        #[cfg(not(feature = "guest"))]
        C::InvalidPosting => (
            "That cannot be posted on the bill.",
            "Das kann nicht auf die Rechnung gebucht werden.",
        ),
        #[cfg(not(feature = "guest"))]
        C::InvoiceIssued => (
            "The invoice for this stay has been issued, so its bill can no longer change.",
            "Die Rechnung für diesen Aufenthalt ist ausgestellt und kann sich nicht mehr ändern.",
        ),
        #[cfg(not(feature = "guest"))]
        C::RefundExceedsPayments => (
            "A refund cannot be more than was paid.",
            "Eine Erstattung kann nicht höher sein als das Bezahlte.",
        ),
        #[cfg(not(feature = "guest"))]
        C::StayNotBegun => (
            "An invoice can be issued once the stay has begun.",
            "Eine Rechnung gibt es erst, wenn der Aufenthalt begonnen hat.",
        ),
        #[cfg(not(feature = "guest"))]
        C::BalanceOpen => (
            "The bill is not settled yet.",
            "Die Rechnung ist noch nicht beglichen.",
        ),
        #[cfg(not(feature = "guest"))]
        C::ExtraNotFound => (
            "That extra is no longer offered.",
            "Dieses Extra wird nicht mehr angeboten.",
        ),
        #[cfg(not(feature = "guest"))]
        C::GuestNotFound => (
            "We could not find that guest.",
            "Dieser Gast wurde nicht gefunden.",
        ),
        #[cfg(not(feature = "guest"))]
        C::GuestInHouse => (
            "The guest is checked in: their data can be erased once they have checked out.",
            "Der Gast ist eingecheckt: seine Daten können nach dem Check-out gelöscht werden.",
        ),
        #[cfg(not(feature = "guest"))]
        C::GuestHasStaysAhead => (
            "The guest has a stay to come: cancel it first, or erase their data after it.",
            "Der Gast hat noch einen Aufenthalt vor sich: erst stornieren oder die Daten danach löschen.",
        ),
        #[cfg(not(feature = "guest"))]
        C::NotAGuest => (
            "This is a staff account, not a guest's.",
            "Das ist ein Konto des Personals, nicht eines Gastes.",
        ),
        #[cfg(not(feature = "guest"))]
        C::PossibleDuplicate => (
            "A guest with the same details exists already.",
            "Ein Gast mit denselben Angaben existiert bereits.",
        ),
        C::Unconfirmed => (
            "We could not confirm that this went through. Please check before trying again.",
            "Wir konnten nicht bestätigen, dass es geklappt hat. Bitte prüfen Sie das, bevor Sie es erneut versuchen.",
        ),
        #[cfg(not(feature = "guest"))]
        C::IdempotencyKeyInvalid | C::IdempotencyKeyReused => (
            "The program that sent this marked it as a repeat of another request.",
            "Das sendende Programm hat dies als Wiederholung einer anderen Anfrage gekennzeichnet.",
        ),
        #[cfg(not(feature = "guest"))]
        C::EventsForgotten => (
            "Those changes are older than the hotel keeps them.",
            "Diese Änderungen sind älter, als das Hotel sie aufbewahrt.",
        ),
        #[cfg(not(feature = "guest"))]
        C::IdempotencyKeyInProgress => (
            "The same request is still being handled. Please try again in a moment.",
            "Dieselbe Anfrage wird noch bearbeitet. Bitte gleich noch einmal versuchen.",
        ),
        #[cfg(not(feature = "guest"))]
        C::MetricsOff => (
            "Metrics are switched off on this server.",
            "Messwerte sind auf diesem Server abgeschaltet.",
        ),
        C::Timeout
        | C::ShuttingDown
        | C::DatabaseUnavailable
        | C::DatabaseLost
        | C::DatabaseFailing
        | C::DatabaseSlow
        | C::Internal => (
            "Something went wrong at the hotel's end. Please try again shortly.",
            "Beim Hotel ist etwas schiefgegangen. Bitte versuchen Sie es gleich noch einmal.",
        ),
        C::Unknown => return None,
        // The desk's words alone (marked above) stay out of the guest portal's download: a
        // guest is never given those codes.
        #[cfg(feature = "guest")]
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

/// What a price includes: VAT always (prices are gross), and the city tax, included or on
/// top and paid at the hotel.
pub fn taxes(lang: Lang, city_tax: i64, included: bool, price: impl Fn(i64) -> String) -> String {
    match (city_tax, included) {
        (0, _) => lang.pick("Incl. VAT.", "Inkl. MwSt.").to_string(),
        (_, true) => format!(
            "{} ({}).",
            lang.pick("Incl. VAT and city tax", "Inkl. MwSt. und City-Tax"),
            price(city_tax)
        ),
        (_, false) => format!(
            "{} {}{}",
            lang.pick("Incl. VAT, plus city tax", "Inkl. MwSt., zzgl. City-Tax"),
            price(city_tax),
            lang.pick(", payable at the hotel.", ", zahlbar im Hotel.")
        ),
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

    /// Every code the server can send has words in both languages, and only codes that mean
    /// the same to the reader share them.
    #[test]
    fn every_error_code_has_words_in_both_languages() {
        for code in ErrorCode::ALL {
            let en = error(Lang::En, *code).unwrap_or_else(|| panic!("{code}: no words"));
            let de = error(Lang::De, *code).unwrap_or_else(|| panic!("{code}: keine Worte"));
            assert!(en.ends_with('.') && de.ends_with('.'), "{code}");
            assert_ne!(en, de, "{code} is not translated");
        }
        assert_eq!(error(Lang::En, ErrorCode::Unknown), None);
    }

    #[test]
    fn languages_come_from_tags() {
        assert_eq!(Lang::from_tag("de-AT"), Lang::De);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
        assert!(error(Lang::De, ErrorCode::WrongPassword).is_some());
    }
}
