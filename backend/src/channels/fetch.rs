//! Fetching a booking site's calendar: one GET over HTTP/1.1 (TLS for `https`), with the
//! version the last answer named (`If-None-Match`, `If-Modified-Since`), a time limit on the
//! whole exchange, redirects followed a few times, and the body cut off past a size.
//!
//! Written on hyper, rustls and the system's certificate authorities, which the server is
//! built with already; an HTTP client crate would bring a second stack for one GET every
//! quarter hour.

use std::sync::OnceLock;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::header::{self, HeaderValue};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use url::Url;

/// Redirects followed before the address is given up on.
const MAX_REDIRECTS: usize = 5;

/// What a fetch gave.
#[derive(Debug)]
pub enum Answer {
    /// The feed's text, with what the answer said of its version.
    Text {
        text: String,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    /// The feed is as it was (`304 Not Modified`).
    Unchanged,
}

/// Fetches `address`, conditionally on the version last seen; `Err` says why in words.
pub async fn fetch(
    address: &str,
    etag: Option<&str>,
    last_modified: Option<&str>,
    limit: Duration,
    max_bytes: usize,
) -> Result<Answer, String> {
    match tokio::time::timeout(limit, follow(address, etag, last_modified, max_bytes)).await {
        Ok(answer) => answer,
        Err(_) => Err(format!(
            "the address did not answer in full within {} seconds",
            limit.as_secs()
        )),
    }
}

/// A feed's address as staff give it: of the form the API describes
/// (`domain::channels::feed_address_ok`), and one a fetch can follow.
pub fn feed_address(address: &str) -> Result<Url, String> {
    if !crate::domain::channels::feed_address_ok(address) {
        return Err(
            "not a web address of the form https://host/path (letters, digits and the \
             characters URLs are written in; no user name or password)"
                .into(),
        );
    }
    acceptable(address)
}

/// Whether `address` is one a fetch may follow: http or https with a host.
pub fn acceptable(address: &str) -> Result<Url, String> {
    let url = Url::parse(address.trim()).map_err(|_| "not a web address".to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("a calendar's address begins with https:// or http://".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the address names no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the address may not hold a user name or password".into());
    }
    Ok(url)
}

async fn follow(
    address: &str,
    etag: Option<&str>,
    last_modified: Option<&str>,
    max_bytes: usize,
) -> Result<Answer, String> {
    let mut url = acceptable(address)?;
    for _ in 0..=MAX_REDIRECTS {
        let response = exchange(&url, etag, last_modified).await?;
        let status = response.status();
        if status.is_redirection() && status != hyper::StatusCode::NOT_MODIFIED {
            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .ok_or_else(|| format!("the address redirected ({status}) to nowhere"))?;
            url = url
                .join(location)
                .ok()
                .and_then(|u| acceptable(u.as_str()).ok())
                .ok_or_else(|| format!("the address redirected to an unusable one: {location}"))?;
            continue;
        }
        if status == hyper::StatusCode::NOT_MODIFIED {
            return Ok(Answer::Unchanged);
        }
        if !status.is_success() {
            return Err(format!("the address answered {status}"));
        }
        let header_text = |name: header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (etag, last_modified) = (
            header_text(header::ETAG),
            header_text(header::LAST_MODIFIED),
        );
        if let Some(length) = response
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            && length > max_bytes as u64
        {
            return Err(too_large(max_bytes));
        }
        let mut body = response.into_body();
        let mut bytes: Vec<u8> = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| format!("the answer broke off: {e}"))?;
            if let Some(data) = frame.data_ref() {
                if bytes.len() + data.len() > max_bytes {
                    return Err(too_large(max_bytes));
                }
                bytes.extend_from_slice(data);
            }
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| "the answer is not text (UTF-8) as iCalendar is".to_string())?;
        return Ok(Answer::Text {
            text,
            etag,
            last_modified,
        });
    }
    Err(format!(
        "the address redirected more than {MAX_REDIRECTS} times"
    ))
}

fn too_large(max_bytes: usize) -> String {
    format!(
        "the feed is larger than {} MB, more than a room's calendar holds",
        max_bytes / (1024 * 1024)
    )
}

async fn exchange(
    url: &Url,
    etag: Option<&str>,
    last_modified: Option<&str>,
) -> Result<hyper::Response<hyper::body::Incoming>, String> {
    let mut request = request_to(url, hyper::Method::GET)?
        .header(header::USER_AGENT, "Hotel calendar sync")
        .header(header::ACCEPT, "text/calendar, */*;q=0.5");
    if let Some(tag) = etag.and_then(|t| HeaderValue::from_str(t).ok()) {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    if let Some(date) = last_modified.and_then(|t| HeaderValue::from_str(t).ok()) {
        request = request.header(header::IF_MODIFIED_SINCE, date);
    }
    let request = request
        .body(Full::new(Bytes::new()))
        .map_err(|e| format!("the address cannot be asked: {e}"))?;
    send_to(url, request).await
}

/// A request to `url` by `method`, with its path, query and `Host` filled in.
pub fn request_to(
    url: &Url,
    method: hyper::Method,
) -> Result<hyper::http::request::Builder, String> {
    let host = url
        .host_str()
        .ok_or_else(|| "the address names no host".to_string())?;
    Ok(Request::builder()
        .method(method)
        .uri(match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        })
        .header(
            header::HOST,
            match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_string(),
            },
        ))
}

/// Connects to `url`'s host (TLS for `https`, checked against the system's authorities) and
/// sends `request` over HTTP/1.1; the answer's body is read by the caller.
pub async fn send_to(
    url: &Url,
    request: Request<Full<Bytes>>,
) -> Result<hyper::Response<hyper::body::Incoming>, String> {
    let (_, answer) = connect_to(url).await?.send(request).await?;
    Ok(answer)
}

/// An HTTP/1.1 connection to one address, for requests one after another.
pub struct Open(hyper::client::conn::http1::SendRequest<Full<Bytes>>);

impl Open {
    /// Sends `request` once the connection is free; the connection comes back with the
    /// answer, to be used again once its body is read.
    pub async fn send(
        mut self,
        request: Request<Full<Bytes>>,
    ) -> Result<(Open, hyper::Response<hyper::body::Incoming>), String> {
        self.0
            .ready()
            .await
            .map_err(|e| format!("the connection failed: {e}"))?;
        let answer = self
            .0
            .send_request(request)
            .await
            .map_err(|e| format!("the address gave no answer: {e}"))?;
        Ok((self, answer))
    }

    /// Whether the other end has not closed it.
    pub fn is_open(&self) -> bool {
        !self.0.is_closed()
    }
}

/// Connects to `url`'s host: TLS for `https`, checked against the system's authorities.
pub async fn connect_to(url: &Url) -> Result<Open, String> {
    let host = url
        .host_str()
        .ok_or_else(|| "the address names no host".to_string())?;
    let port = url
        .port_or_known_default()
        .ok_or_else(|| "the address names no port".to_string())?;
    let bare_host = host.trim_start_matches('[').trim_end_matches(']');
    let stream = TcpStream::connect((bare_host, port))
        .await
        .map_err(|e| format!("could not reach {host}: {e}"))?;
    let _ = stream.set_nodelay(true);
    if url.scheme() == "https" {
        // The system's authorities are read from disk once, not at every fetch.
        static CONNECTOR: OnceLock<Result<tokio_rustls::TlsConnector, String>> = OnceLock::new();
        let connector = CONNECTOR
            .get_or_init(crate::tls::client_connector)
            .clone()?;
        let name = rustls::pki_types::ServerName::try_from(bare_host.to_string())
            .map_err(|_| format!("{host} is not a name a certificate can hold"))?;
        let tls = connector
            .connect(name, stream)
            .await
            .map_err(|e| format!("no secure connection to {host}: {e}"))?;
        handshake(tls).await
    } else {
        handshake(stream).await
    }
}

async fn handshake<S>(io: S) -> Result<Open, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| format!("the connection failed: {e}"))?;
    // Drives the connection while it is in use; ends when the `Open` is dropped.
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(Open(sender))
}
