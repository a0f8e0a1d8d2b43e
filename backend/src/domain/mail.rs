//! The rules of the hotel's mail: when a message that did not go is tried again, which
//! answers of a mail server end it, and how a template becomes a message (`{{name}}`
//! placeholders, each from a fixed list, filled in as plain text or as HTML).
//!
//! Templates are plain words with placeholders, no logic: what staff write cannot run
//! anything, and a template either renders with every placeholder known or is refused when
//! it is saved. A template engine (minijinja, tera) would bring loops and filters a hotel's
//! letter does not need, and a larger surface to write into.

use hotel_shared::MessageKind;

/// The first retry comes this long after a failure; each later one waits twice as long …
const FIRST_RETRY_SECS: i64 = 60;
/// … but never longer than this.
const LONGEST_WAIT_SECS: i64 = 3600;
/// A message is tried for this long after it was queued (or sent again) before it fails.
pub const KEEP_TRYING_SECS: i64 = 25 * 3600;
/// A password-reset link is good for this long (and its message tried for as long).
pub const RESET_LINK_SECS: i64 = 3600;
/// A link to confirm an e-mail address is good for this long.
pub const VERIFY_LINK_SECS: i64 = 3 * 24 * 3600;

/// When to try again after `attempts` tries failed for a passing reason, at `now` (Unix
/// seconds); `None` once `give_up_at` is reached.
pub fn next_attempt(attempts: u32, now: i64, give_up_at: i64) -> Option<i64> {
    if now >= give_up_at {
        return None;
    }
    let doublings = attempts.saturating_sub(1).min(20);
    let wait = FIRST_RETRY_SECS
        .saturating_mul(1_i64 << doublings)
        .min(LONGEST_WAIT_SECS);
    Some(now.saturating_add(wait).min(give_up_at))
}

/// When the reminder of a stay arriving on `arrival` is due: `days` before, at `at` (hour,
/// minute) on the hotel's clock. `None` for a day or time the zone cannot place.
pub fn reminder_due(
    arrival: hotel_shared::Date,
    days: u32,
    at: (i8, i8),
    tz: &jiff::tz::TimeZone,
) -> Option<jiff::Timestamp> {
    let day = arrival.checked_add_days(-i64::from(days))?;
    let civil = jiff::civil::Date::new(
        i16::try_from(day.year()).ok()?,
        i8::try_from(day.month()).ok()?,
        i8::try_from(day.day()).ok()?,
    )
    .ok()?;
    let time = jiff::civil::Time::new(at.0, at.1, 0, 0).ok()?;
    tz.to_timestamp(civil.to_datetime(time)).ok()
}

/// `HH:MM` as an hour and a minute.
pub fn parse_time_of_day(text: &str) -> Option<(i8, i8)> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m) && text.len() == 5).then_some((h, m))
}

/// Whether a try's failure is worth trying again: a mail server's 4xx answer or no answer at
/// all (down, unreachable, timed out) passes; a 5xx answer (no such mailbox, refused) and an
/// address that is not one stay as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Passing(String),
    Permanent(String),
}

/// Each placeholder a template may use, with what it stands for (shown beside the editor).
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("name", "the guest's name"),
    ("reference", "the booking reference"),
    ("hotel", "the hotel's name"),
    ("arrival", "the arrival day and the time check-in opens"),
    (
        "departure",
        "the departure day and the time to check out by",
    ),
    ("nights", "how many nights"),
    ("total", "the total price"),
    (
        "stay",
        "the stay in full: rooms, party, each night's price, the total",
    ),
    ("terms", "what cancelling costs, in words"),
    ("fee", "the fee charged for a cancellation, in words"),
    (
        "link",
        "the address of the guest's bookings on the hotel's site",
    ),
    ("hotel_address", "the hotel's address"),
    ("hotel_contact", "the hotel's telephone and e-mail"),
    ("invoice", "the invoice's number"),
];

/// The placeholders a message of `kind` can fill, with what each stands for there: a message
/// about an account (a reset link) has no stay, and only a cancellation has a fee.
pub fn placeholders(kind: MessageKind) -> Vec<(&'static str, &'static str)> {
    let about_account = ["name", "hotel", "link", "hotel_address", "hotel_contact"];
    PLACEHOLDERS
        .iter()
        .filter(|(name, _)| match kind {
            MessageKind::PasswordReset | MessageKind::EmailVerification => {
                about_account.contains(name)
            }
            MessageKind::Invoice => !["fee", "terms", "total", "stay"].contains(name),
            MessageKind::Cancellation => *name != "invoice",
            _ => !["fee", "invoice"].contains(name),
        })
        .map(|&(name, means)| match (kind, name) {
            (MessageKind::PasswordReset, "link") => {
                (name, "the link to choose a new password (good for an hour)")
            }
            (MessageKind::EmailVerification, "link") => (
                name,
                "the link that confirms the address (good for three days)",
            ),
            _ => (name, means),
        })
        .collect()
}

/// A placeholder a message of `kind` is useless without.
fn required(kind: MessageKind) -> Option<&'static str> {
    match kind {
        MessageKind::PasswordReset | MessageKind::EmailVerification => Some("link"),
        _ => None,
    }
}

/// The longest subject and body staff may save, in characters.
pub const SUBJECT_MAX_CHARS: usize = 200;
pub const BODY_MAX_CHARS: usize = 20_000;

/// A subject and body with placeholders, as staff write them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Template {
    pub subject: String,
    pub body: String,
}

/// Why a template cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    UnknownPlaceholder(String),
    Unclosed,
    /// `{{stay}}` stands for many lines; a subject is one.
    BlockInSubject,
    /// The message cannot do its job without this placeholder.
    Missing(&'static str),
    /// The subject or the body is blank.
    Blank(&'static str),
    /// The subject or the body is longer than it may be.
    TooLong(&'static str, usize),
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateError::UnknownPlaceholder(name) => {
                write!(f, "{{{{{name}}}}} is not a placeholder this message knows.")
            }
            TemplateError::Unclosed => {
                f.write_str("A placeholder opened with {{ is not closed with }}.")
            }
            TemplateError::BlockInSubject => {
                f.write_str("{{stay}} is many lines and cannot stand in a subject.")
            }
            TemplateError::Missing(name) => {
                write!(f, "This message must contain {{{{{name}}}}}.")
            }
            TemplateError::Blank(part) => write!(f, "The {part} is empty."),
            TemplateError::TooLong(part, max) => {
                write!(f, "The {part} is longer than {max} characters.")
            }
        }
    }
}

/// A template read into its text and its placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Words(&'a str),
    Value(&'static str),
}

fn pieces(kind: MessageKind, template: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let known = placeholders(kind);
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            out.push(Piece::Words(&rest[..open]));
        }
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or(TemplateError::Unclosed)?;
        let name = after[..close].trim();
        let found = known
            .iter()
            .map(|(n, _)| *n)
            .find(|n| *n == name)
            .ok_or_else(|| TemplateError::UnknownPlaceholder(name.chars().take(40).collect()))?;
        out.push(Piece::Value(found));
        rest = &after[close + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Words(rest));
    }
    Ok(out)
}

/// Checks a template for a message of `kind` as it would be saved.
pub fn check(kind: MessageKind, template: &Template) -> Result<(), TemplateError> {
    for (part, text, max) in [
        ("subject", &template.subject, SUBJECT_MAX_CHARS),
        ("body", &template.body, BODY_MAX_CHARS),
    ] {
        if text.trim().is_empty() {
            return Err(TemplateError::Blank(part));
        }
        if text.chars().count() > max {
            return Err(TemplateError::TooLong(part, max));
        }
    }
    if pieces(kind, &template.subject)?.contains(&Piece::Value("stay")) {
        return Err(TemplateError::BlockInSubject);
    }
    let body = pieces(kind, &template.body)?;
    match required(kind) {
        Some(name) if !body.contains(&Piece::Value(name)) => Err(TemplateError::Missing(name)),
        _ => Ok(()),
    }
}

/// What each placeholder of one message says, in plain text and, for `stay`, as HTML.
pub trait Values {
    fn text(&self, name: &str) -> String;
    /// The HTML for `name`; the escaped text unless a placeholder has its own.
    fn html(&self, name: &str) -> String {
        escape_html(&self.text(name))
    }
}

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Fills `template` in with `values`: the subject on one line (no line break of a value or a
/// template can add a header), the body as plain text and as HTML.
pub fn render(
    kind: MessageKind,
    template: &Template,
    values: &dyn Values,
) -> Result<Rendered, TemplateError> {
    check(kind, template)?;
    let subject_pieces = pieces(kind, &template.subject)?;
    let body_pieces = pieces(kind, &template.body)?;
    let mut subject = String::new();
    for piece in &subject_pieces {
        match piece {
            Piece::Words(w) => subject.push_str(w),
            Piece::Value(name) => subject.push_str(&values.text(name)),
        }
    }
    let subject = one_line(&subject);
    let mut text = String::new();
    for piece in &body_pieces {
        match piece {
            Piece::Words(w) => text.push_str(w),
            Piece::Value(name) => text.push_str(&values.text(name)),
        }
    }
    let mut html = String::new();
    for piece in &body_pieces {
        match piece {
            Piece::Words(w) => html.push_str(&escape_html(w)),
            Piece::Value(name) => html.push_str(&values.html(name)),
        }
    }
    let html = html_page(&escape_html(&subject), &paragraphs(&html));
    Ok(Rendered {
        subject,
        text: text.replace("\r\n", "\n"),
        html,
    })
}

/// Control characters (a line break above all) become spaces, runs of spaces one.
pub fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Blank lines part paragraphs; a single line break stays one.
fn paragraphs(html: &str) -> String {
    html.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.trim_matches('\n'))
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            if p.trim_start().starts_with("<table") {
                p.to_string()
            } else {
                format!("<p>{}</p>", p.replace('\n', "<br>\n"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn html_page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>\n\
         <body style=\"font-family: sans-serif; line-height: 1.5; color: #1a1a1a\">\n{body}\n</body></html>\n"
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    struct Fixed;
    impl Values for Fixed {
        fn text(&self, name: &str) -> String {
            match name {
                "name" => "Ann <b>\r\nBcc: x@evil.test".into(),
                "stay" => "Room 1".into(),
                other => format!("[{other}]"),
            }
        }
        fn html(&self, name: &str) -> String {
            match name {
                "stay" => "<table><tr><td>Room 1</td></tr></table>".into(),
                other => escape_html(&self.text(other)),
            }
        }
    }

    fn template(subject: &str, body: &str) -> Template {
        Template {
            subject: subject.into(),
            body: body.into(),
        }
    }

    #[test]
    fn retries_wait_longer_each_time_then_give_up() {
        assert_eq!(next_attempt(1, 1000, 100_000), Some(1060));
        assert_eq!(next_attempt(2, 1000, 100_000), Some(1120));
        assert_eq!(next_attempt(10, 1000, 100_000), Some(4600));
        assert_eq!(next_attempt(40, 1000, 100_000), Some(4600));
        assert_eq!(next_attempt(3, 99_990, 100_000), Some(100_000));
        assert_eq!(next_attempt(3, 100_000, 100_000), None);
    }

    #[test]
    fn retries_last_a_day() {
        let (mut now, give_up) = (0, KEEP_TRYING_SECS);
        let mut tries = 1;
        while let Some(next) = next_attempt(tries, now, give_up) {
            now = next;
            tries += 1;
        }
        assert!(now >= 24 * 3600, "{now}");
        assert!(tries < 60, "{tries} tries");
    }

    #[test]
    fn placeholders_are_filled_and_escaped_in_html() {
        let out = render(
            MessageKind::Confirmation,
            &template(
                "Booking {{reference}} for {{ name }}",
                "Dear {{name}},\n\n{{stay}}\n\nBye & see you",
            ),
            &Fixed,
        )
        .unwrap();
        assert_eq!(
            out.subject,
            "Booking [reference] for Ann <b> Bcc: x@evil.test"
        );
        assert!(out.text.starts_with("Dear Ann <b>\nBcc"), "{}", out.text);
        assert!(out.html.contains("<p>Dear Ann &lt;b&gt;"), "{}", out.html);
        assert!(out.html.contains("<table><tr><td>Room 1</td></tr></table>"));
        assert!(out.html.contains("<p>Bye &amp; see you</p>"));
    }

    #[test]
    fn a_template_that_cannot_render_is_refused() {
        let check = |subject: &str, body: &str| {
            super::check(MessageKind::Confirmation, &template(subject, body))
        };
        assert_eq!(
            check("Hi", "Dear {{nme}}"),
            Err(TemplateError::UnknownPlaceholder("nme".into()))
        );
        assert_eq!(check("Hi {{name", "x"), Err(TemplateError::Unclosed));
        assert_eq!(check("{{stay}}", "x"), Err(TemplateError::BlockInSubject));
        assert_eq!(check(" ", "x"), Err(TemplateError::Blank("subject")));
        assert_eq!(
            check("Hi", &"x".repeat(BODY_MAX_CHARS + 1)),
            Err(TemplateError::TooLong("body", BODY_MAX_CHARS))
        );
        assert_eq!(
            check("Hi", "{{fee}}"),
            Err(TemplateError::UnknownPlaceholder("fee".into()))
        );
        assert_eq!(check("Hi {{name}}", "{{stay}} {{link}}"), Ok(()));
    }

    #[test]
    fn a_reset_message_needs_its_link_and_has_no_stay() {
        let reset =
            |body: &str| super::check(MessageKind::PasswordReset, &template("New password", body));
        assert_eq!(reset("Hello {{name}}"), Err(TemplateError::Missing("link")));
        assert_eq!(
            reset("{{stay}} {{link}}"),
            Err(TemplateError::UnknownPlaceholder("stay".into()))
        );
        assert_eq!(reset("Open {{link}}"), Ok(()));
    }

    #[test]
    fn a_reminder_is_due_days_before_at_the_hotels_hour() {
        let vienna = jiff::tz::TimeZone::get("Europe/Vienna").unwrap();
        let due = reminder_due(hotel_shared::date::date(2026, 7, 10), 2, (10, 0), &vienna);
        assert_eq!(due.unwrap().to_string(), "2026-07-08T08:00:00Z");
        assert_eq!(parse_time_of_day("10:00"), Some((10, 0)));
        assert_eq!(parse_time_of_day("24:00"), None);
        assert_eq!(parse_time_of_day("9:00"), None);
    }

    #[test]
    fn a_subject_is_one_line() {
        assert_eq!(one_line("a\r\nBcc: b\n\tc"), "a Bcc: b c");
    }
}
