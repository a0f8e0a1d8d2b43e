//! A receiver on 127.0.0.1 for `book-hooks`: it takes every webhook the hotel posts, answers
//! 200 on the same connection and counts them, so the figure is the hotel's delivery rate,
//! not a slow test server's. (The API tests verify signatures with a real axum receiver.)

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The running receiver and the deliveries it took.
pub struct HookSink {
    pub addr: SocketAddr,
    taken: Arc<AtomicU64>,
}

impl HookSink {
    pub async fn start() -> Result<HookSink, String> {
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
                    let _ = serve(socket, &counter).await;
                });
            }
        });
        Ok(HookSink { addr, taken })
    }

    /// Deliveries taken so far.
    pub fn taken(&self) -> u64 {
        self.taken.load(Ordering::Relaxed)
    }
}

/// Requests on one connection, each read to the end of its body and answered 200.
async fn serve(socket: TcpStream, counter: &AtomicU64) -> std::io::Result<()> {
    let mut reader = BufReader::new(socket);
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        let mut first = true;
        loop {
            line.clear();
            if reader.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() && !first {
                break;
            }
            first = false;
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length.min(1 << 20)];
        reader.read_exact(&mut body).await?;
        counter.fetch_add(1, Ordering::Relaxed);
        reader
            .get_mut()
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
            .await?;
    }
}
