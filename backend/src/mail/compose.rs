//! What a queued message says, worked out when the worker writes it: the letter from its
//! template, and for a stay its calendar entry (`.ics`, built with the icalendar crate) that
//! a guest's calendar adds, moves or removes by its UID.

use hotel_shared::rates::Terms;
use hotel_shared::staff::HotelDetails;
use hotel_shared::{Booking, MessageKind};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::domain::bookings::amounts;
use crate::domain::letters::{Letter, Sender};
use crate::domain::mail::{Template, one_line, render};
use crate::domain::rates::stay_terms;
use crate::domain::taxes::city_tax;
use crate::mail::invoice_pdf::InvoiceSheet;
use crate::store::ops::mail::{Letter as Written, ToWrite};

/// Writes `message` out with `template`, at `now` on the hotel's clock; `Err` with the
/// reason it cannot go.
pub fn write(
    message: ToWrite,
    template: &Template,
    hotel: &HotelDetails,
    tz: &TimeZone,
    now: Timestamp,
    public_url: &str,
) -> Result<Written, String> {
    if message.to.trim().is_empty() {
        return Err("The guest has no e-mail address.".into());
    }
    let rooms = message.rooms;
    let terms = rooms.first().map(|b| {
        let booked = b.terms.clone().unwrap_or_else(Terms::default);
        stay_terms(&booked, &amounts(b), b.check_in, tz, now, &b.currency)
    });
    // What the rooms still booked owe the town, at the rule now (their lines say it).
    let city_tax = message.city_tax.as_ref().map(|rule| {
        let owed = rooms
            .iter()
            .filter(|b| b.status == hotel_shared::BookingStatus::Booked)
            .map(|b| city_tax(rule, b.guests, &amounts(b)))
            .sum();
        (owed, rule.included)
    });
    let letter = Letter {
        city_tax,
        house_rules: hotel.house_rules.clone(),
        kind: message.kind,
        language: message.language,
        name: message.name.clone(),
        reference: message.reference.clone(),
        rooms,
        terms,
        fee: message.details.fee.unwrap_or(0),
        hotel: Sender {
            name: hotel.name.clone(),
            address: hotel.address.clone(),
            phone: hotel.phone.clone(),
            email: hotel.email.clone(),
            check_in_from: hotel.check_in_from.clone(),
            check_out_until: hotel.check_out_until.clone(),
        },
        link: match (&message.details.token, message.kind) {
            (Some(token), MessageKind::PasswordReset) => {
                format!("{public_url}/reset-password?token={token}")
            }
            (Some(token), MessageKind::EmailVerification) => {
                format!("{public_url}/confirm-email?token={token}")
            }
            _ => format!("{public_url}/my-bookings"),
        },
        invoice: message.invoice.as_ref().map(|d| d.invoice.number.clone()),
    };
    let rendered = render(letter.kind, template, &letter).map_err(|e| e.to_string())?;
    let attachment = match (&message.invoice, letter.kind) {
        (Some(document), MessageKind::Invoice) => Some((
            format!("invoice-{}.pdf", document.invoice.number),
            InvoiceSheet {
                language: letter.language,
                hotel,
                invoice: &document.invoice,
                lines: &document.lines,
                reference: &letter.reference,
                stay: letter.rooms.first().map(|b| (b.check_in, b.check_out)),
                currency: letter.rooms.first().map_or("EUR", |b| b.currency.as_str()),
            }
            .render(),
        )),
        // An invoice's message without its invoice (a preview): no calendar entry either.
        (None, MessageKind::Invoice) => None,
        _ => calendar_entry(&letter, public_url, now).map(|ics| {
            (
                format!("booking-{}.ics", letter.reference),
                ics.into_bytes(),
            )
        }),
    };
    Ok(Written {
        id: message.id,
        to: message.to.trim().to_string(),
        name: one_line(&message.name),
        language: message.language,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        attachment,
    })
}

/// The stay as one all-day event from arrival to departure (the end day is exclusive, as
/// iCalendar's all-day events are), its UID the booking reference's on the hotel's own host,
/// so a change or cancellation updates the entry the confirmation made.
fn calendar_entry(letter: &Letter, public_url: &str, now: Timestamp) -> Option<String> {
    let first: &Booking = letter.rooms.first()?;
    let day = |d: hotel_shared::Date| chrono::NaiveDate::from_ymd_opt(d.year(), d.month(), d.day());
    let (start, end) = (day(first.check_in)?, day(first.check_out)?);
    let host = url::Url::parse(public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "localhost".into());
    let hotel = one_line(&letter.hotel.name);
    let summary = match letter.language {
        hotel_shared::Language::De => format!("Aufenthalt: {hotel}"),
        _ => format!("Stay at {hotel}"),
    };
    let cancelled = letter.kind == MessageKind::Cancellation;
    let stamp = chrono::DateTime::from_timestamp(now.as_second(), 0)?;
    let mut event = Event::new();
    event
        .uid(&format!("booking-{}@{host}", letter.reference))
        .summary(&summary)
        .description(&crate::domain::mail::Values::text(letter, "stay"))
        .location(&one_line(&letter.hotel.address))
        .starts(start)
        .ends(end)
        .timestamp(stamp)
        // Each later message about the booking supersedes the entry of the one before.
        .sequence(u32::try_from(now.as_second() / 60 % i64::from(u32::MAX)).unwrap_or(0))
        .status(if cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    let mut calendar = Calendar::new();
    calendar
        .name(&hotel)
        .append_property(icalendar::Property::new("METHOD", "PUBLISH"))
        .push(event.done());
    Some(calendar.done().to_string())
}
