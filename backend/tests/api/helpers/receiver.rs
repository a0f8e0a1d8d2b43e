//! A webhook's receiver, served by the test on 127.0.0.1 over real HTTP: it answers each
//! delivery with the next status of its script (200 once the script is used up, or always
//! the status `set` gives) and keeps what it was sent.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

/// One delivery as the receiver saw it, and what it answered.
#[derive(Clone, Debug)]
pub struct Posted {
    pub event_id: i64,
    pub event_type: String,
    pub signature: String,
    pub body: Vec<u8>,
    pub answered: u16,
}

#[derive(Default)]
struct Script {
    next: VecDeque<u16>,
    always: Option<u16>,
    log: Vec<Posted>,
}

pub struct Receiver {
    pub address: SocketAddr,
    script: Arc<Mutex<Script>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn take(
    State(script): State<Arc<Mutex<Script>>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let mut script = script.lock().expect("lock");
    let answered = script
        .always
        .or_else(|| script.next.pop_front())
        .unwrap_or(200);
    script.log.push(Posted {
        event_id: header("hotel-event-id").parse().unwrap_or(-1),
        event_type: header("hotel-event-type"),
        signature: header("hotel-signature"),
        body: body.to_vec(),
        answered,
    });
    StatusCode::from_u16(answered).unwrap_or(StatusCode::OK)
}

impl Receiver {
    pub async fn start(script: &[u16]) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let script = Arc::new(Mutex::new(Script {
            next: script.iter().copied().collect(),
            ..Script::default()
        }));
        let app = axum::Router::new()
            .route("/hook", post(take))
            .with_state(Arc::clone(&script));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            address,
            script,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/hook", self.address)
    }

    /// Answers every delivery from now on with `status` (`None`: back to the script).
    pub fn set(&self, status: Option<u16>) {
        self.script.lock().expect("lock").always = status;
    }

    pub fn received(&self) -> Vec<Posted> {
        self.script.lock().expect("lock").log.clone()
    }

    /// Waits (at most 20 s) until what was received satisfies `done`; what it was then.
    pub async fn wait_until(&self, done: impl Fn(&[Posted]) -> bool) -> Vec<Posted> {
        let started = Instant::now();
        loop {
            let log = self.received();
            if done(&log) || started.elapsed() > Duration::from_secs(20) {
                return log;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
