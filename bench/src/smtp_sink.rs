//! A mail server on 127.0.0.1 for `book-mail`: it speaks just enough SMTP to take every
//! message the hotel sends and counts them, so the figure is the hotel's, not a slow test
//! server's. (The API tests use a real one, aiosmtpd.)

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The running mail server and the messages it took.
pub struct SmtpSink {
    pub addr: SocketAddr,
    taken: Arc<AtomicU64>,
}

impl SmtpSink {
    pub async fn start() -> Result<SmtpSink, String> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let taken = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&taken);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let counter = Arc::clone(&counter);
                tokio::spawn(async move {
                    let _ = converse(socket, &counter).await;
                });
            }
        });
        Ok(SmtpSink { addr, taken })
    }

    /// Messages taken so far.
    pub fn taken(&self) -> u64 {
        self.taken.load(Ordering::Relaxed)
    }
}

async fn converse(socket: TcpStream, taken: &AtomicU64) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink ESMTP\r\n").await?;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
            "DATA" => {
                write.write_all(b"354 end with .\r\n").await?;
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                }
                taken.fetch_add(1, Ordering::Relaxed);
                b"250 taken\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"250 OK\r\n",
        };
        write.write_all(answer).await?;
    }
}
