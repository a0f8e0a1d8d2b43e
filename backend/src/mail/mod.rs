//! Handing the hotel's messages to the world: an SMTP server (lettre, with STARTTLS or TLS
//! through rustls as HTTPS here) or a folder of `.eml` files for set-ups without a mail
//! server. The outbox and its worker are `store/ops/mail.rs` and `workers/mail.rs`; what a
//! message says is `compose.rs`.

pub mod compose;
pub mod invoice_pdf;
pub mod line_words;
pub mod smtp;

use std::path::PathBuf;
use std::time::Duration;

use lettre::Address;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};

use crate::domain::mail::one_line;
use crate::store::ops::mail::{Outgoing, Tried};

/// How long one exchange with the mail server may take before the try counts as failed.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections to the mail server kept open at most (and so messages on their way at once).
pub const SMTP_CONNECTIONS: u32 = 16;

/// Where messages go, as configured.
enum Route {
    /// `--smtp-url`, with `tls=required` added where STARTTLS is insisted on.
    Smtp(String),
    Dir(PathBuf),
}

/// The hotel's mail settings: how messages leave, who they are from, and the address of the
/// hotel's site that links in them point to.
pub struct Mailer {
    route: Option<Route>,
    from: Mailbox,
    /// `https://hotel.example`, without a trailing slash.
    pub public_url: String,
    /// What the start-up log says of it (never a password).
    pub described: String,
}

/// The mail settings as given on the command line.
pub struct MailSettings<'a> {
    pub smtp_url: Option<&'a str>,
    pub mail_from: Option<&'a str>,
    pub mail_dir: Option<&'a std::path::Path>,
    pub public_url: &'a str,
}

impl Mailer {
    pub fn new(settings: &MailSettings) -> Result<Mailer, String> {
        let public_url = settings.public_url.trim_end_matches('/').to_string();
        let site = url::Url::parse(&public_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or(
                "--public-url must be the hotel site's address, such as https://hotel.example",
            )?;
        let host = site.host_str().unwrap_or("localhost").to_string();
        let from: Mailbox = match settings.mail_from {
            Some(from) => from.parse().map_err(|_| {
                "--mail-from must be an address, such as \"Hotel Example <desk@hotel.example>\""
                    .to_string()
            })?,
            None if settings.smtp_url.is_some() => {
                return Err("--smtp-url needs --mail-from: the address messages come from".into());
            }
            None => format!("hotel@{host}")
                .parse()
                .map_err(|_| "give --mail-from: the address messages come from".to_string())?,
        };
        let (route, described) = match (settings.smtp_url, settings.mail_dir) {
            (Some(_), Some(_)) => {
                return Err("give --smtp-url or --mail-dir, not both".into());
            }
            (Some(url), None) => {
                let (url, described) = smtp_route(url)?;
                (Some(Route::Smtp(url)), described)
            }
            (None, Some(dir)) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("--mail-dir {}: {e}", dir.display()))?;
                (
                    Some(Route::Dir(dir.to_path_buf())),
                    format!("written as .eml files into {}", dir.display()),
                )
            }
            (None, None) => (
                None,
                "not sent: no --smtp-url or --mail-dir is set, so messages stay queued".into(),
            ),
        };
        Ok(Mailer {
            route,
            from,
            public_url,
            described,
        })
    }

    /// Whether messages can leave at all.
    pub fn sends(&self) -> bool {
        self.route.is_some()
    }

    /// The way out, opened: for SMTP a pool of connections, which lives (and is dropped) in the
    /// mail worker's task. `None` without one.
    pub fn sender(&self) -> Option<Sender> {
        let transport = match self.route.as_ref()? {
            Route::Smtp(url) => Transport::Smtp(smtp::SmtpPool::new(smtp::SmtpTarget::parse(url)?)),
            Route::Dir(dir) => Transport::Dir(dir.clone()),
        };
        Some(Sender {
            transport,
            from: self.from.clone(),
        })
    }
}

/// Where messages go, open.
enum Transport {
    Smtp(smtp::SmtpPool),
    Dir(PathBuf),
}

/// Sends messages: the transport open, and who they are from.
pub struct Sender {
    transport: Transport,
    from: Mailbox,
}

impl Sender {
    /// Whether the mail server answers now (a folder: whether it is there).
    pub async fn reachable(&self) -> bool {
        match &self.transport {
            Transport::Smtp(smtp) => smtp.reachable().await,
            Transport::Dir(dir) => dir.is_dir(),
        }
    }

    /// One try of one message.
    pub async fn send(&self, m: &Outgoing) -> Tried {
        let message = match self.message(m) {
            Ok(message) => message,
            Err(refused) => return refused,
        };
        match &self.transport {
            Transport::Smtp(smtp) => {
                match smtp.send(message.envelope(), &message.formatted()).await {
                    Ok(()) => Tried::Sent,
                    Err(smtp::Failure::Smtp(e)) if e.is_permanent() => {
                        Tried::Refused(e.to_string())
                    }
                    Err(smtp::Failure::Smtp(e)) if e.is_transient() => Tried::Failed(e.to_string()),
                    Err(smtp::Failure::Smtp(e)) => Tried::Unreachable(e.to_string()),
                    Err(smtp::Failure::Unreachable(why)) => Tried::Unreachable(why),
                }
            }
            Transport::Dir(dir) => match write_eml(dir, m.id, &message.formatted()).await {
                Ok(()) => Tried::Sent,
                Err(e) => Tried::Unreachable(format!("could not write the message: {e}")),
            },
        }
    }

    /// The message as it goes out. Its `Message-ID` is the same at every try, so a mail system
    /// that sees a message twice (a server that died between handing it over and recording
    /// that) can tell.
    fn message(&self, m: &Outgoing) -> Result<lettre::Message, Tried> {
        let address: Address =
            m.to.trim()
                .parse()
                .map_err(|_| Tried::Refused(format!("{:?} is not an e-mail address.", m.to)))?;
        let name = one_line(&m.name);
        let to = Mailbox::new((!name.is_empty()).then_some(name), address);
        let domain = self.from.email.domain().to_string();
        let builder = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(one_line(&m.subject))
            .message_id(Some(format!("<hotel-{}-{}@{domain}>", m.id, m.created_at)));
        let bodies = MultiPart::alternative_plain_html(m.text.clone(), m.html.clone());
        let built = match &m.attachment {
            Some((file, content)) => {
                let kind = if file.ends_with(".ics") {
                    "text/calendar; charset=utf-8"
                } else if file.ends_with(".pdf") {
                    "application/pdf"
                } else {
                    "application/octet-stream"
                };
                let kind = ContentType::parse(kind)
                    .map_err(|e| Tried::Refused(format!("attachment: {e}")))?;
                builder.multipart(
                    MultiPart::mixed()
                        .multipart(bodies)
                        .singlepart(Attachment::new(file.clone()).body(content.clone(), kind)),
                )
            }
            None => builder.multipart(bodies),
        };
        built.map_err(|e| Tried::Refused(format!("the message could not be made: {e}")))
    }
}

/// `--smtp-url` as lettre takes it, and how the log describes it. `smtp://` uses STARTTLS
/// and insists on it (a password never crosses the network in the clear) unless the server
/// is on this machine or the address says `?tls=opportunistic`; `smtps://` is TLS from the
/// start.
fn smtp_route(url: &str) -> Result<(String, String), String> {
    let bad = || {
        "--smtp-url must look like smtp://user:password@host:587 or smtps://user:password@host:465"
            .to_string()
    };
    let parsed = url::Url::parse(url).map_err(|_| bad())?;
    let host = parsed.host_str().ok_or_else(bad)?.to_string();
    let local = matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]" | "::1");
    let asks_tls = parsed.query_pairs().any(|(k, _)| k == "tls");
    let mut url = parsed.clone();
    if parsed.scheme() == "smtp" && !asks_tls && !local {
        url.query_pairs_mut().append_pair("tls", "required");
    }
    // Only checked here: the connections are opened by the worker that owns them.
    smtp::SmtpTarget::parse(url.as_str()).ok_or_else(bad)?;
    let user = match parsed.username() {
        "" => String::new(),
        user => format!(" as {user}"),
    };
    let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
    let tls = match (parsed.scheme(), local && !asks_tls) {
        ("smtps", _) => "TLS",
        (_, true) => "no TLS: the server is on this machine",
        _ => "STARTTLS",
    };
    Ok((
        url.to_string(),
        format!("sent through {host}{port}{user} ({tls})"),
    ))
}

/// Writes `message-ID.eml` whole or not at all: a second try of the same message replaces the
/// first file rather than adding one.
async fn write_eml(dir: &std::path::Path, id: i64, content: &[u8]) -> std::io::Result<()> {
    let path = dir.join(format!("message-{id}.eml"));
    let partial = dir.join(format!(".message-{id}.eml.partial"));
    tokio::fs::write(&partial, content).await?;
    tokio::fs::rename(&partial, &path).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn mailer(dir: &std::path::Path) -> Sender {
        Mailer::new(&MailSettings {
            smtp_url: None,
            mail_from: Some("Hotel Example <desk@hotel.example>"),
            mail_dir: Some(dir),
            public_url: "https://hotel.example",
        })
        .unwrap()
        .sender()
        .unwrap()
    }

    fn outgoing(to: &str, name: &str, subject: &str) -> Outgoing {
        Outgoing {
            id: 7,
            kind: hotel_shared::MessageKind::Confirmation,
            to: to.into(),
            name: name.into(),
            subject: subject.into(),
            text: "Dear guest,\r\nBcc: in the body is only words".into(),
            html: "<p>Dear guest</p>".into(),
            attachment: None,
            created_at: 1_700_000_000,
            attempts: 1,
            give_up_at: 1_700_090_000,
            written: true,
        }
    }

    fn header_lines(message: &lettre::Message) -> Vec<String> {
        let text = String::from_utf8_lossy(&message.formatted()).to_string();
        let head = text
            .split("\r\n\r\n")
            .next()
            .unwrap_or_default()
            .to_string();
        head.split("\r\n").map(str::to_string).collect()
    }

    #[test]
    fn line_breaks_in_a_name_or_subject_add_no_header() {
        let dir = tempfile::tempdir().unwrap();
        let m = mailer(dir.path());
        let message = m
            .message(&outgoing(
                "ann@example.org",
                "Ann\r\nBcc: victim@example.net",
                "Your booking\r\nBcc: victim@example.net",
            ))
            .unwrap();
        let lines = header_lines(&message);
        assert!(
            !lines
                .iter()
                .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
            "{lines:#?}"
        );
        assert_eq!(
            message.envelope().to(),
            &["ann@example.org".parse::<Address>().unwrap()]
        );
        assert!(
            lines
                .iter()
                .any(|l| l == "Message-ID: <hotel-7-1700000000@hotel.example>"),
            "{lines:#?}"
        );
    }

    #[test]
    fn an_address_with_a_line_break_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let m = mailer(dir.path());
        let refused = m.message(&outgoing(
            "ann@example.org\r\nBcc: victim@example.net",
            "Ann",
            "Hi",
        ));
        assert!(matches!(refused, Err(Tried::Refused(_))));
    }

    #[test]
    fn an_smtp_password_stays_out_of_the_description() {
        let (_, described) = smtp_route("smtps://desk:s3cret-pass@mail.example.org:465").unwrap();
        assert_eq!(described, "sent through mail.example.org:465 as desk (TLS)");
        let (url, described) = smtp_route("smtp://desk:pw@mail.example.org:587").unwrap();
        assert!(described.ends_with("(STARTTLS)"), "{described}");
        assert!(url.ends_with("?tls=required"), "{url}");
        let (_, described) = smtp_route("smtp://127.0.0.1:2525").unwrap();
        assert!(described.contains("no TLS"), "{described}");
        assert!(smtp_route("http://mail.example.org").is_err());
    }
}
