//! Driving a scenario: closed loop (as fast as the server answers) to find the peak, and open
//! loop (a fixed schedule) to measure latency at a given rate without coordinated omission.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::http::Conn;
use crate::scenarios::{Scenario, Worker};

#[derive(Default)]
pub struct Stats {
    /// Microseconds, one per request.
    pub latencies: Vec<u32>,
    pub statuses: BTreeMap<u16, u64>,
    pub io_errors: u64,
    /// Operations started (an operation is one request, or book + cancel).
    pub ops: u64,
    /// Booking ids the server acknowledged with 200, and whether their cancellation was too.
    pub acknowledged: Vec<(i64, bool)>,
}

impl Stats {
    pub fn record(&mut self, status: u16, started: Instant) {
        let micros = started.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
        self.latencies.push(micros);
        *self.statuses.entry(status).or_default() += 1;
    }

    pub fn merge(&mut self, other: Stats) {
        self.latencies.extend(other.latencies);
        for (status, n) in other.statuses {
            *self.statuses.entry(status).or_default() += n;
        }
        self.io_errors += other.io_errors;
        self.ops += other.ops;
        self.acknowledged.extend(other.acknowledged);
    }

    pub fn requests(&self) -> u64 {
        self.latencies.len() as u64
    }

    /// Latency percentiles in milliseconds.
    pub fn percentiles(&mut self) -> (f64, f64, f64) {
        self.latencies.sort_unstable();
        let at = |q: f64| -> f64 {
            if self.latencies.is_empty() {
                return 0.0;
            }
            let i = ((self.latencies.len() as f64 - 1.0) * q).round() as usize;
            f64::from(self.latencies[i]) / 1000.0
        };
        (at(0.50), at(0.99), at(0.999))
    }
}

pub struct RunResult {
    pub stats: Stats,
    pub elapsed: Duration,
}

impl RunResult {
    pub fn rate(&self) -> f64 {
        self.stats.requests() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn ops_rate(&self) -> f64 {
        self.stats.ops as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Runs `workers` (one connection each) until `duration` has passed. With `ops_per_sec`,
/// each worker starts its operations on a fixed schedule and latency counts from the
/// scheduled moment; without, each starts the next as soon as the last one is answered.
pub async fn drive(
    addr: SocketAddr,
    scenario: Scenario,
    workers: Vec<Worker>,
    duration: Duration,
    ops_per_sec: Option<f64>,
) -> RunResult {
    let started = Instant::now();
    let deadline = started + duration;
    let count = workers.len().max(1) as f64;
    let mut tasks = Vec::new();
    for (index, mut worker) in workers.into_iter().enumerate() {
        let interval = ops_per_sec.map(|rate| Duration::from_secs_f64(count / rate.max(1.0)));
        tasks.push(tokio::spawn(async move {
            let mut stats = Stats::default();
            let mut conn = match Conn::connect(addr).await {
                Ok(c) => c,
                Err(_) => {
                    stats.io_errors += 1;
                    return stats;
                }
            };
            // Spread the workers' schedules over one interval so they do not fire together.
            let mut next = interval.map(|i| started + i.mul_f64(index as f64 / count));
            loop {
                let scheduled = match (next, interval) {
                    (Some(at), Some(every)) => {
                        if at >= deadline {
                            break;
                        }
                        tokio::time::sleep_until(at.into()).await;
                        next = Some(at + every);
                        at
                    }
                    _ => {
                        let now = Instant::now();
                        if now >= deadline {
                            break;
                        }
                        now
                    }
                };
                stats.ops += 1;
                if worker
                    .operate(&mut conn, scenario, scheduled, &mut stats)
                    .await
                    .is_err()
                {
                    stats.io_errors += 1;
                    match Conn::connect(addr).await {
                        Ok(c) => conn = c,
                        Err(_) => break,
                    }
                }
            }
            stats
        }));
    }
    let mut stats = Stats::default();
    for task in tasks {
        if let Ok(s) = task.await {
            stats.merge(s);
        }
    }
    RunResult {
        stats,
        elapsed: started.elapsed(),
    }
}
