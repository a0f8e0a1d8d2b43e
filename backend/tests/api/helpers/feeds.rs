//! A booking site's calendar, served by the test on 127.0.0.1 over real HTTP: what it answers
//! is set by the test (a calendar with or without an `ETag`, an error, a redirect loop, a
//! body that never ends or never comes, a huge one), and it counts what it was asked.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Debug)]
pub enum FeedReply {
    /// A calendar, with an `ETag` when `tagged` (a request naming it gets 304).
    Calendar {
        text: String,
        tagged: bool,
    },
    Status(u16),
    /// 302 to itself, for ever.
    RedirectLoop,
    /// A 200 whose body never ends.
    Endless,
    /// Headers, then nothing.
    Slow,
    /// A 200 calendar-looking body of this many bytes.
    Huge(usize),
}

pub struct FeedServer {
    pub address: SocketAddr,
    reply: Arc<Mutex<FeedReply>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FeedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FeedServer {
    pub async fn start(reply: FeedReply) -> FeedServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let reply = Arc::new(Mutex::new(reply));
        let shared = Arc::clone(&reply);
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let now = shared.lock().expect("lock").clone();
                tokio::spawn(answer(socket, now));
            }
        });
        FeedServer {
            address,
            reply,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/calendar/room.ics", self.address)
    }

    pub fn set(&self, reply: FeedReply) {
        *self.reply.lock().expect("lock") = reply;
    }
}

/// An iCalendar feed of all-day events `(uid, first night, departure day)`, as booking
/// sites write them.
pub fn calendar(events: &[(&str, &str, &str)]) -> String {
    let mut text = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test Site//EN\r\n");
    for (uid, from, to) in events {
        text.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:{}\r\nDTEND;VALUE=DATE:{}\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\n",
            from.replace('-', ""),
            to.replace('-', "")
        ));
    }
    text.push_str("END:VCALENDAR\r\n");
    text
}

async fn answer(mut socket: TcpStream, reply: FeedReply) {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let request = String::from_utf8_lossy(&request).to_string();
    let if_none_match = request
        .lines()
        .find_map(|l| {
            l.strip_prefix("if-none-match: ")
                .or_else(|| l.strip_prefix("If-None-Match: "))
        })
        .map(str::to_string);
    let head = |status: &str, extra: &str, length: Option<usize>| {
        let length = length
            .map(|n| format!("Content-Length: {n}\r\n"))
            .unwrap_or_default();
        format!("HTTP/1.1 {status}\r\n{extra}{length}Connection: close\r\n\r\n")
    };
    let _ = match reply {
        FeedReply::Calendar { text, tagged } => {
            let tag = format!("\"v{}\"", text.len());
            if tagged && if_none_match.as_deref() == Some(tag.as_str()) {
                socket
                    .write_all(
                        head("304 Not Modified", &format!("ETag: {tag}\r\n"), Some(0)).as_bytes(),
                    )
                    .await
            } else {
                let extra = if tagged {
                    format!("Content-Type: text/calendar\r\nETag: {tag}\r\n")
                } else {
                    "Content-Type: text/calendar\r\n".to_string()
                };
                let mut out = head("200 OK", &extra, Some(text.len())).into_bytes();
                out.extend_from_slice(text.as_bytes());
                socket.write_all(&out).await
            }
        }
        FeedReply::Status(code) => {
            let body = "oops";
            let mut out = head(&format!("{code} Failing"), "", Some(body.len())).into_bytes();
            out.extend_from_slice(body.as_bytes());
            socket.write_all(&out).await
        }
        FeedReply::RedirectLoop => {
            socket
                .write_all(
                    head("302 Found", "Location: /calendar/room.ics\r\n", Some(0)).as_bytes(),
                )
                .await
        }
        FeedReply::Endless => {
            let _ = socket
                .write_all(
                    head(
                        "200 OK",
                        "Content-Type: text/calendar\r\nTransfer-Encoding: chunked\r\n",
                        None,
                    )
                    .as_bytes(),
                )
                .await;
            let _ = socket.write_all(b"11\r\nBEGIN:VCALENDAR\r\n\r\n").await;
            let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "X".repeat(64 * 1024));
            loop {
                if socket.write_all(chunk.as_bytes()).await.is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Ok(())
        }
        FeedReply::Slow => {
            let _ = socket
                .write_all(head("200 OK", "Content-Type: text/calendar\r\n", Some(100)).as_bytes())
                .await;
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok(())
        }
        FeedReply::Huge(size) => {
            let _ = socket
                .write_all(head("200 OK", "Content-Type: text/calendar\r\n", Some(size)).as_bytes())
                .await;
            let mut body = b"BEGIN:VCALENDAR\r\n".to_vec();
            body.resize(size, b'X');
            socket.write_all(&body).await
        }
    };
    let _ = socket.shutdown().await;
}
