//! What the hotel's messages say: the templates that ship with the server, in English and
//! German, and the words each placeholder stands for in a letter about one booking.

use hotel_shared::rates::StayTerms;
use hotel_shared::words::{date, money, nights};
use hotel_shared::{Booking, BookingStatus, Language, MessageKind};

use super::mail::{Template, Values, escape_html, one_line};

/// The template a hotel has until staff write their own.
pub fn default_template(kind: MessageKind, language: Language) -> Template {
    let (subject, body) = match (kind, language) {
        (MessageKind::Confirmation, Language::En) => (
            "Your booking {{reference}} at {{hotel}}",
            "Dear {{name}},\n\nthank you for booking with us. Here is your stay:\n\n{{stay}}\n\n\
             {{terms}}\n\nYour bookings, at any time: {{link}}\n\nWe look forward to welcoming you.\n\
             {{hotel}}\n{{hotel_address}}\n{{hotel_contact}}\n",
        ),
        (MessageKind::Confirmation, Language::De) => (
            "Ihre Buchung {{reference}} – {{hotel}}",
            "Guten Tag {{name}},\n\nvielen Dank für Ihre Buchung. Ihr Aufenthalt:\n\n{{stay}}\n\n\
             {{terms}}\n\nIhre Buchungen jederzeit: {{link}}\n\nWir freuen uns auf Ihren Besuch.\n\
             {{hotel}}\n{{hotel_address}}\n{{hotel_contact}}\n",
        ),
        (MessageKind::Change, Language::En) => (
            "Your booking {{reference}} has changed",
            "Dear {{name}},\n\nyour booking has changed. This is your stay as it is now:\n\n\
             {{stay}}\n\n{{terms}}\n\nYour bookings, at any time: {{link}}\n\n\
             {{hotel}}\n{{hotel_address}}\n{{hotel_contact}}\n",
        ),
        (MessageKind::Change, Language::De) => (
            "Ihre Buchung {{reference}} wurde geändert",
            "Guten Tag {{name}},\n\nIhre Buchung wurde geändert. So sieht Ihr Aufenthalt jetzt aus:\n\n\
             {{stay}}\n\n{{terms}}\n\nIhre Buchungen jederzeit: {{link}}\n\n\
             {{hotel}}\n{{hotel_address}}\n{{hotel_contact}}\n",
        ),
        (MessageKind::Cancellation, Language::En) => (
            "Your booking {{reference}} is cancelled",
            "Dear {{name}},\n\nthis booking is cancelled:\n\n{{stay}}\n\n{{fee}}\n\n\
             We hope to welcome you another time.\n{{hotel}}\n{{hotel_address}}\n{{hotel_contact}}\n",
        ),
        (MessageKind::Cancellation, Language::De) => (
            "Ihre Buchung {{reference}} ist storniert",
            "Guten Tag {{name}},\n\ndiese Buchung ist storniert:\n\n{{stay}}\n\n{{fee}}\n\n\
             Wir hoffen, Sie ein andermal bei uns begrüßen zu dürfen.\n{{hotel}}\n{{hotel_address}}\n\
             {{hotel_contact}}\n",
        ),
        (MessageKind::PasswordReset, Language::En) => (
            "A new password for {{hotel}}",
            "Dear {{name}},\n\nsomeone, we hope you, asked to set a new password for your account \
             at {{hotel}}. To choose one, open this link within the hour:\n\n{{link}}\n\n\
             If it was not you, ignore this message: your password stays as it is.\n\n\
             {{hotel}}\n{{hotel_contact}}\n",
        ),
        (MessageKind::PasswordReset, Language::De) => (
            "Ein neues Passwort für {{hotel}}",
            "Guten Tag {{name}},\n\njemand, hoffentlich Sie, möchte ein neues Passwort für Ihr Konto \
             bei {{hotel}} festlegen. Öffnen Sie dazu innerhalb einer Stunde diesen Link:\n\n\
             {{link}}\n\nWaren Sie es nicht, ignorieren Sie diese Nachricht: Ihr Passwort bleibt, \
             wie es ist.\n\n{{hotel}}\n{{hotel_contact}}\n",
        ),
        (MessageKind::Reminder, Language::En) => (
            "See you soon at {{hotel}}: {{arrival}}",
            "Dear {{name}},\n\nyour stay with us begins soon:\n\n{{stay}}\n\n{{terms}}\n\n\
             Your bookings, at any time: {{link}}\n\nHave a good journey.\n\
             {{hotel}}\n{{hotel_address}}\n{{hotel_contact}}\n",
        ),
        (MessageKind::Reminder, Language::De) => (
            "Bis bald im {{hotel}}: {{arrival}}",
            "Guten Tag {{name}},\n\nbald beginnt Ihr Aufenthalt bei uns:\n\n{{stay}}\n\n{{terms}}\n\n\
             Ihre Buchungen jederzeit: {{link}}\n\nGute Anreise!\n\
             {{hotel}}\n{{hotel_address}}\n{{hotel_contact}}\n",
        ),
        (MessageKind::Invoice, Language::En) => (
            "Your invoice {{invoice}} from {{hotel}}",
            "Dear {{name}},\n\nthank you for staying with us from {{arrival}} to {{departure}}. \
             Your invoice {{invoice}} for booking {{reference}} is attached as a PDF.\n\n\
             We hope to welcome you again.\n{{hotel}}\n{{hotel_address}}\n{{hotel_contact}}\n",
        ),
        (MessageKind::Invoice, Language::De) => (
            "Ihre Rechnung {{invoice}} – {{hotel}}",
            "Guten Tag {{name}},\n\nvielen Dank für Ihren Aufenthalt vom {{arrival}} bis {{departure}}. \
             Ihre Rechnung {{invoice}} zur Buchung {{reference}} finden Sie als PDF im Anhang.\n\n\
             Wir freuen uns, Sie wieder begrüßen zu dürfen.\n{{hotel}}\n{{hotel_address}}\n\
             {{hotel_contact}}\n",
        ),
        (MessageKind::EmailVerification, Language::En) => (
            "Please confirm your e-mail address for {{hotel}}",
            "Dear {{name}},\n\nthank you for creating an account at {{hotel}}. To confirm that \
             this address is yours, open this link within three days:\n\n{{link}}\n\n\
             If you did not create an account, ignore this message.\n\n{{hotel}}\n{{hotel_contact}}\n",
        ),
        (MessageKind::EmailVerification, Language::De) => (
            "Bitte bestätigen Sie Ihre E-Mail-Adresse für {{hotel}}",
            "Guten Tag {{name}},\n\nvielen Dank für Ihr Konto bei {{hotel}}. Um zu bestätigen, \
             dass diese Adresse Ihnen gehört, öffnen Sie innerhalb von drei Tagen diesen Link:\n\n\
             {{link}}\n\nHaben Sie kein Konto angelegt, ignorieren Sie diese Nachricht.\n\n\
             {{hotel}}\n{{hotel_contact}}\n",
        ),
        // A kind from a newer server: its confirmation's words are the closest.
        (MessageKind::Unknown, language) => {
            return default_template(MessageKind::Confirmation, language);
        }
    };
    Template {
        subject: subject.to_string(),
        body: body.to_string(),
    }
}

/// The hotel as a letter names it.
#[derive(Debug, Clone, Default)]
pub struct Sender {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// `HH:MM`
    pub check_in_from: String,
    pub check_out_until: String,
}

/// Everything one letter about a booking says.
#[derive(Debug, Clone)]
pub struct Letter {
    pub kind: MessageKind,
    pub language: Language,
    pub name: String,
    pub reference: String,
    /// The rooms it is about, in room order.
    pub rooms: Vec<Booking>,
    /// The first room's terms, worded when the letter is written.
    pub terms: Option<StayTerms>,
    /// What a cancellation charged, minor units.
    pub fee: i64,
    pub hotel: Sender,
    /// The guest's bookings on the hotel's site.
    pub link: String,
    /// The invoice's number, for the message that carries it.
    pub invoice: Option<String>,
    /// The city tax of the rooms still booked, minor units, and whether their prices
    /// include it; none where the hotel collects none.
    pub city_tax: Option<(i64, bool)>,
    /// The hotel's house rules, which a confirmation and a reminder repeat.
    pub house_rules: String,
}

impl Letter {
    fn en(&self) -> bool {
        self.language == Language::En
    }

    fn pick(&self, en: &str, de: &str) -> String {
        if self.en() { en } else { de }.to_string()
    }

    fn arrival(&self) -> String {
        let Some(first) = self.rooms.first() else {
            return String::new();
        };
        let day = date(self.language, first.check_in);
        match (self.en(), self.hotel.check_in_from.as_str()) {
            (_, "") => day,
            (true, from) => format!("{day}, from {from}"),
            (false, from) => format!("{day}, ab {from} Uhr"),
        }
    }

    fn departure(&self) -> String {
        let Some(first) = self.rooms.first() else {
            return String::new();
        };
        let day = date(self.language, first.check_out);
        match (self.en(), self.hotel.check_out_until.as_str()) {
            (_, "") => day,
            (true, until) => format!("{day}, until {until}"),
            (false, until) => format!("{day}, bis {until} Uhr"),
        }
    }

    fn total(&self) -> i64 {
        self.rooms.iter().map(|b| b.total).sum()
    }

    fn currency(&self) -> &str {
        self.rooms.first().map_or("EUR", |b| b.currency.as_str())
    }

    fn amount(&self, minor: i64) -> String {
        money(self.language, minor, self.currency())
    }

    fn party(&self, n: u32) -> String {
        match (self.en(), n) {
            (true, 1) => "1 guest".into(),
            (true, n) => format!("{n} guests"),
            (false, 1) => "1 Gast".into(),
            (false, n) => format!("{n} Gäste"),
        }
    }

    /// Each room: its line, then its nights and their prices.
    fn room_lines(&self, b: &Booking) -> (String, Vec<(String, String)>) {
        let cancelled = match b.status {
            BookingStatus::Cancelled => self.pick(" (cancelled)", " (storniert)"),
            _ => String::new(),
        };
        let head = format!(
            "{} {} · {} · {}{cancelled}",
            self.pick("Room", "Zimmer"),
            b.room_number,
            b.room_type,
            self.party(b.guests)
        );
        let nights = b
            .night_prices
            .iter()
            .map(|n| (date(self.language, n.date), self.amount(n.amount)))
            .collect();
        (head, nights)
    }

    /// What the prices include, and the house rules where the guest should read them again:
    /// the lines under the total.
    fn small_print(&self) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        let booked = self.rooms.iter().any(|b| b.status == BookingStatus::Booked);
        if booked {
            let words = match self.city_tax {
                Some((owed, true)) if owed > 0 => self.pick(
                    &format!("incl. VAT and city tax ({})", self.amount(owed)),
                    &format!("inkl. MwSt. und City-Tax ({})", self.amount(owed)),
                ),
                Some((owed, false)) if owed > 0 => self.pick(
                    &format!(
                        "incl. VAT; plus city tax {}, payable at the hotel",
                        self.amount(owed)
                    ),
                    &format!(
                        "inkl. MwSt.; zzgl. City-Tax {}, zahlbar im Hotel",
                        self.amount(owed)
                    ),
                ),
                _ => self.pick("incl. VAT", "inkl. MwSt."),
            };
            lines.push((self.pick("Prices", "Preise"), words));
        }
        let repeat_rules = matches!(self.kind, MessageKind::Confirmation | MessageKind::Reminder);
        if repeat_rules && !self.house_rules.trim().is_empty() {
            lines.push((
                self.pick("House rules", "Hausordnung"),
                self.house_rules
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            ));
        }
        lines
    }

    fn stay_text(&self) -> String {
        let mut out = vec![
            format!(
                "{}: {}",
                self.pick("Booking reference", "Buchungsnummer"),
                self.reference
            ),
            format!("{}: {}", self.pick("Arrival", "Anreise"), self.arrival()),
            format!(
                "{}: {}",
                self.pick("Departure", "Abreise"),
                self.departure()
            ),
        ];
        for b in &self.rooms {
            let (head, nights) = self.room_lines(b);
            out.push(head);
            out.extend(
                nights
                    .into_iter()
                    .map(|(day, price)| format!("  {day}: {price}")),
            );
        }
        if let Some(plan) = self.rooms.first().and_then(|b| b.rate_plan.as_deref()) {
            out.push(format!(
                "{}: {}",
                self.pick("Rate", "Tarif"),
                one_line(plan)
            ));
        }
        out.push(format!(
            "{}: {}",
            self.pick("Total", "Gesamt"),
            self.amount(self.total())
        ));
        out.extend(
            self.small_print()
                .into_iter()
                .map(|(label, words)| format!("{label}: {words}")),
        );
        out.join("\n")
    }

    fn stay_html(&self) -> String {
        let row = |label: &str, value: &str| {
            format!(
                "<tr><th scope=\"row\" style=\"text-align: left; padding-right: 1em\">{}</th><td>{}</td></tr>",
                escape_html(label),
                escape_html(value)
            )
        };
        let mut rows = vec![
            row(
                &self.pick("Booking reference", "Buchungsnummer"),
                &self.reference,
            ),
            row(&self.pick("Arrival", "Anreise"), &self.arrival()),
            row(&self.pick("Departure", "Abreise"), &self.departure()),
        ];
        for b in &self.rooms {
            let (head, nights) = self.room_lines(b);
            rows.push(format!(
                "<tr><th colspan=\"2\" style=\"text-align: left; padding-top: 0.5em\">{}</th></tr>",
                escape_html(&head)
            ));
            rows.extend(nights.iter().map(|(day, price)| row(day, price)));
        }
        if let Some(plan) = self.rooms.first().and_then(|b| b.rate_plan.as_deref()) {
            rows.push(row(&self.pick("Rate", "Tarif"), &one_line(plan)));
        }
        rows.push(row(
            &self.pick("Total", "Gesamt"),
            &self.amount(self.total()),
        ));
        rows.extend(
            self.small_print()
                .iter()
                .map(|(label, words)| row(label, words)),
        );
        format!(
            "<table style=\"border-collapse: collapse\">\n{}\n</table>",
            rows.join("\n")
        )
    }

    /// The terms as a guest reads them, at the moment the letter is written.
    fn terms_words(&self) -> String {
        let Some(t) = &self.terms else {
            return String::new();
        };
        let deadline = t.free_until_local.as_deref().and_then(|local| {
            let (day, time) = local.split_once('T')?;
            Some((date(self.language, day.parse().ok()?), time.to_string()))
        });
        let fee = self.amount(t.fee);
        let mut words = match (deadline, t.fee, t.refundable) {
            (Some((day, time)), 0, _) => self.pick(
                &format!("Free cancellation until {time} on {day} (hotel time), and free after that too."),
                &format!("Kostenlose Stornierung bis {day}, {time} Uhr (Ortszeit des Hotels), auch danach kostenlos."),
            ),
            (Some((day, time)), _, _) => self.pick(
                &format!("Free cancellation until {time} on {day} (hotel time); after that, cancelling costs {fee}."),
                &format!("Kostenlose Stornierung bis {day}, {time} Uhr (Ortszeit des Hotels); danach kostet eine Stornierung {fee}."),
            ),
            (None, _, true) => self.pick(
                &format!("Free cancellation has ended: cancelling costs {fee}."),
                &format!("Die kostenlose Stornierung ist abgelaufen: eine Stornierung kostet {fee}."),
            ),
            (None, _, false) => self.pick(
                &format!("Non-refundable: cancelling costs the whole stay, {fee}."),
                &format!("Nicht erstattbar: eine Stornierung kostet den ganzen Aufenthalt, {fee}."),
            ),
        };
        if t.no_show_fee > 0 {
            let no_show = self.amount(t.no_show_fee);
            words.push(' ');
            words.push_str(&self.pick(
                &format!("If you do not arrive, {no_show} is charged."),
                &format!("Bei Nichtanreise berechnen wir {no_show}."),
            ));
        }
        words
    }

    fn fee_words(&self) -> String {
        let fee = self.fee;
        if fee == 0 {
            self.pick("Cancelling cost nothing.", "Die Stornierung war kostenlos.")
        } else {
            let fee = self.amount(fee);
            self.pick(
                &format!("A cancellation fee of {fee} is on your bill."),
                &format!("Eine Stornogebühr von {fee} steht auf Ihrer Rechnung."),
            )
        }
    }

    fn contact(&self) -> String {
        let phone = one_line(&self.hotel.phone);
        let email = one_line(&self.hotel.email);
        match (phone.is_empty(), email.is_empty()) {
            (true, true) => String::new(),
            (false, true) => self.pick(&format!("Telephone {phone}"), &format!("Telefon {phone}")),
            (true, false) => self.pick(&format!("E-mail {email}"), &format!("E-Mail {email}")),
            (false, false) => self.pick(
                &format!("Telephone {phone} · E-mail {email}"),
                &format!("Telefon {phone} · E-Mail {email}"),
            ),
        }
    }
}

impl Values for Letter {
    fn text(&self, name: &str) -> String {
        match name {
            "name" => one_line(&self.name),
            "reference" => self.reference.clone(),
            "hotel" => one_line(&self.hotel.name),
            "arrival" => self.arrival(),
            "departure" => self.departure(),
            "nights" => nights(self.language, self.rooms.first().map_or(0, |b| b.nights)),
            "total" => self.amount(self.total()),
            "stay" => self.stay_text(),
            "terms" => self.terms_words(),
            "fee" => self.fee_words(),
            "link" => self.link.clone(),
            "hotel_address" => self.hotel.address.clone(),
            "hotel_contact" => self.contact(),
            "invoice" => self.invoice.clone().unwrap_or_default(),
            _ => String::new(),
        }
    }

    fn html(&self, name: &str) -> String {
        match name {
            "stay" => self.stay_html(),
            "link" => {
                let link = escape_html(&self.link);
                format!("<a href=\"{link}\">{link}</a>")
            }
            other => escape_html(&self.text(other)),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::mail::{check, render};

    #[test]
    fn every_default_template_renders() {
        for kind in MessageKind::ALL {
            for language in Language::ALL {
                assert_eq!(
                    check(*kind, &default_template(*kind, language)),
                    Ok(()),
                    "{kind} {language:?}"
                );
            }
        }
    }

    #[test]
    fn a_german_letter_speaks_german() {
        let letter = Letter {
            kind: MessageKind::Confirmation,
            language: Language::De,
            name: "Anna Schmidt".into(),
            reference: "K7Q2MX".into(),
            rooms: vec![Booking {
                status: BookingStatus::Booked,
                ..crate::domain::folio::tests::stay()
            }],
            terms: None,
            fee: 0,
            hotel: Sender {
                name: "Haus am See".into(),
                phone: "+49 30 1234".into(),
                ..Sender::default()
            },
            link: "https://hotel.example/my-bookings".into(),
            invoice: None,
            city_tax: Some((1_000, false)),
            house_rules: "Nichtraucherhaus.\nHunde willkommen.".into(),
        };
        let out = render(
            letter.kind,
            &default_template(letter.kind, letter.language),
            &letter,
        )
        .unwrap();
        assert_eq!(out.subject, "Ihre Buchung K7Q2MX – Haus am See");
        assert!(out.text.contains("Guten Tag Anna Schmidt"), "{}", out.text);
        assert!(out.text.contains("Telefon +49 30 1234"), "{}", out.text);
        assert!(
            out.text
                .contains("Preise: inkl. MwSt.; zzgl. City-Tax 10,00 €, zahlbar im Hotel"),
            "{}",
            out.text
        );
        assert!(
            out.text
                .contains("Hausordnung: Nichtraucherhaus. Hunde willkommen."),
            "{}",
            out.text
        );
        assert!(
            out.html
                .contains("<a href=\"https://hotel.example/my-bookings\">")
        );
    }
}
