//! The hotel's connections to its mail server: lettre speaks SMTP (EHLO, STARTTLS, AUTH, the
//! message), over sockets opened here.
//!
//! lettre's own pooled transport opens its sockets with Nagle's algorithm on, and writes a
//! message's closing `\r\n.\r\n` as a write of its own: that small write then waits for the
//! server's delayed acknowledgement of the message, 40 ms per message on each connection
//! (about 340 messages a second over 16 connections, measured with a local server). These
//! sockets set TCP_NODELAY, and up to `SMTP_CONNECTIONS` of them stay open between messages.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::Error;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::timeout;

use super::{SMTP_CONNECTIONS, SMTP_TIMEOUT};

/// A connection idle longer than this is asked whether it is still there before it is used.
const CHECK_AFTER_IDLE: Duration = Duration::from_secs(5);
/// … and one idle longer than this is closed.
const CLOSE_AFTER_IDLE: Duration = Duration::from_secs(60);

/// How a connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    /// No TLS (a server on this machine, `smtp://` without `tls`).
    Plain,
    /// STARTTLS; when not `required`, only where the server offers it.
    StartTls { required: bool },
    /// TLS from the first byte (`smtps://`).
    Tls,
}

/// Where `--smtp-url` points, read the way lettre reads such a URL: `smtp://` on port 25 in
/// the clear, with `?tls=required` or `?tls=opportunistic` STARTTLS on 587, `smtps://` TLS on
/// 465; `user:password@` (percent-encoded) to sign in; a path as the EHLO name.
#[derive(Debug, Clone)]
pub struct SmtpTarget {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
}

impl SmtpTarget {
    pub fn parse(url: &str) -> Option<SmtpTarget> {
        let url = url::Url::parse(url).ok()?;
        let tls = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.to_string());
        let (security, port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::Plain, 25),
            ("smtp", Some("required")) => (Security::StartTls { required: true }, 587),
            ("smtp", Some("opportunistic")) => (Security::StartTls { required: false }, 587),
            ("smtps", _) => (Security::Tls, 465),
            _ => return None,
        };
        let host = url
            .host_str()?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .ok()
                .map(|s| s.into_owned())
        };
        let credentials = match url.password() {
            Some(password) => Some(Credentials::new(decode(url.username())?, decode(password)?)),
            None => None,
        };
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_string()),
        };
        Some(SmtpTarget {
            port: url.port().unwrap_or(port),
            host,
            security,
            credentials,
            hello,
        })
    }
}

/// Why a message did not go.
#[derive(Debug)]
pub enum Failure {
    /// The server answered no (`is_permanent`, `is_transient`), or the conversation broke.
    Smtp(Error),
    /// No conversation: the server could not be reached, secured or signed in to, or it did
    /// not answer in time.
    Unreachable(String),
}

/// Open connections to one mail server, each used by one message at a time.
pub struct SmtpPool {
    target: SmtpTarget,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
    tls: OnceLock<Result<tokio_rustls::TlsConnector, String>>,
}

impl SmtpPool {
    pub fn new(target: SmtpTarget) -> SmtpPool {
        SmtpPool {
            target,
            idle: Mutex::new(Vec::new()),
            tls: OnceLock::new(),
        }
    }

    /// Sends one message. A connection that was idle a while is asked first (NOOP) whether it
    /// is still there, so a message is never sent again on a second connection after the
    /// first broke mid-way: a message goes once or fails.
    pub async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), Failure> {
        let mut connection = match self.idle_connection().await {
            Some(connection) => connection,
            None => self.open().await?,
        };
        match timeout(SMTP_TIMEOUT, connection.send(envelope, message)).await {
            Ok(Ok(_)) => {
                self.give_back(connection);
                Ok(())
            }
            Ok(Err(e)) => {
                // Whatever the server said, the transaction is over: start the next one afresh.
                close(connection).await;
                Err(Failure::Smtp(e))
            }
            Err(_) => Err(Failure::Unreachable(format!(
                "the mail server did not answer within {} seconds",
                SMTP_TIMEOUT.as_secs()
            ))),
        }
    }

    /// Whether a connection can be opened now (and signed in, where the URL says so).
    pub async fn reachable(&self) -> bool {
        match self.open().await {
            Ok(connection) => {
                self.give_back(connection);
                true
            }
            Err(_) => false,
        }
    }

    async fn idle_connection(&self) -> Option<AsyncSmtpConnection> {
        loop {
            let (mut connection, since) = self.idle.lock().ok()?.pop()?;
            let idle_for = since.elapsed();
            if idle_for > CLOSE_AFTER_IDLE || connection.has_broken() {
                close(connection).await;
                continue;
            }
            if idle_for < CHECK_AFTER_IDLE
                || timeout(SMTP_TIMEOUT, connection.test_connected())
                    .await
                    .unwrap_or(false)
            {
                return Some(connection);
            }
        }
    }

    fn give_back(&self, connection: AsyncSmtpConnection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < SMTP_CONNECTIONS as usize
        {
            idle.push((connection, Instant::now()));
        }
    }

    async fn open(&self) -> Result<AsyncSmtpConnection, Failure> {
        timeout(SMTP_TIMEOUT, self.connect())
            .await
            .unwrap_or_else(|_| {
                Err(format!(
                    "no answer from {}:{} within {} seconds",
                    self.target.host,
                    self.target.port,
                    SMTP_TIMEOUT.as_secs()
                ))
            })
            .map_err(Failure::Unreachable)
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, String> {
        let t = &self.target;
        let place = format!("{}:{}", t.host, t.port);
        let tcp = TcpStream::connect((t.host.as_str(), t.port))
            .await
            .map_err(|e| format!("cannot connect to {place}: {e}"))?;
        tcp.set_nodelay(true)
            .map_err(|e| format!("cannot set up the connection to {place}: {e}"))?;
        let stream: Box<dyn AsyncTokioStream> = match t.security {
            Security::Tls => {
                let connector = self.tls.get_or_init(crate::tls::client_connector).clone()?;
                let name = rustls::pki_types::ServerName::try_from(t.host.clone())
                    .map_err(|e| format!("{}: {e}", t.host))?;
                let tls = connector
                    .connect(name, tcp)
                    .await
                    .map_err(|e| format!("TLS with {place} failed: {e}"))?;
                Box::new(TlsSocket(tls))
            }
            Security::Plain | Security::StartTls { .. } => Box::new(tcp),
        };
        let said = |what: &str, e: Error| format!("{what} {place}: {e}");
        let mut connection = AsyncSmtpConnection::connect_with_transport(stream, &t.hello)
            .await
            .map_err(|e| said("no SMTP greeting from", e))?;
        if let Security::StartTls { required } = t.security {
            if connection.can_starttls() {
                let parameters = TlsParameters::new(t.host.clone())
                    .map_err(|e| said("cannot secure the connection to", e))?;
                connection
                    .starttls(parameters, &t.hello)
                    .await
                    .map_err(|e| said("STARTTLS failed with", e))?;
            } else if required {
                close(connection).await;
                return Err(format!(
                    "{place} does not offer STARTTLS, which the SMTP URL requires"
                ));
            }
        }
        if let Some(credentials) = &t.credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(|e| said("signing in failed at", e))?;
        }
        Ok(connection)
    }
}

async fn close(mut connection: AsyncSmtpConnection) {
    let _ = timeout(Duration::from_secs(1), connection.abort()).await;
}

/// A TLS connection as lettre takes a socket.
#[derive(Debug)]
struct TlsSocket(tokio_rustls::client::TlsStream<TcpStream>);

impl AsyncRead for TlsSocket {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsSocket {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for TlsSocket {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_read_as_lettre_reads_them() {
        let t = SmtpTarget::parse("smtps://desk:p%40ss@mail.example.org").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.security),
            ("mail.example.org", 465, Security::Tls)
        );
        assert!(t.credentials.is_some());
        let t = SmtpTarget::parse("smtp://mail.example.org?tls=required").unwrap();
        assert_eq!(
            (t.port, t.security),
            (587, Security::StartTls { required: true })
        );
        let t = SmtpTarget::parse("smtp://127.0.0.1:2525").unwrap();
        assert_eq!((t.port, t.security), (2525, Security::Plain));
        assert!(t.credentials.is_none());
        assert!(SmtpTarget::parse("http://mail.example.org").is_none());
        assert!(SmtpTarget::parse("smtp://mail.example.org?tls=sometimes").is_none());
    }
}
