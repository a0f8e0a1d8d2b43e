//! One scenario measured on a fresh server process, the same way on the empty hotel and on
//! the filled one (`--prefill`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::load::{RunResult, Stats, drive};
use crate::report::{Figures, MailFigures};
use crate::scenarios::Scenario;
use crate::server::ServerProcess;
use crate::smtp_sink::SmtpSink;
use crate::{http, judge, postgres_facts, prepare_workers, rates, sqlite_facts, today};

/// The longest the bench waits for the mail queue to empty after `book-mail`.
const DRAIN_AT_MOST: Duration = Duration::from_secs(20);

/// What every scenario's run shares.
pub(crate) struct Bench {
    pub server_bin: PathBuf,
    pub server_args: Vec<String>,
    pub database: String,
    pub sqlite_file: Option<PathBuf>,
    pub run_id: String,
    pub concurrency: usize,
    pub duration: Duration,
    pub half_duration: Duration,
    /// `GET /rooms` as the server answered it, for the in-memory ceiling.
    pub rooms_body: Option<Vec<u8>>,
    pub rates_filled: bool,
    pub today: Option<hotel_shared::Date>,
    /// The mail server `book-mail`'s hotel sends to, started when first needed.
    pub mail_sink: Option<SmtpSink>,
}

impl Bench {
    /// One scenario on a fresh server process: warm-up, full speed, half speed, then the
    /// invariants on the database. Also gives how long the server took to start.
    pub(crate) async fn measure(
        &mut self,
        scenario: Scenario,
    ) -> Result<(Figures, String, Duration), String> {
        let mut server_args = self.server_args.clone();
        if scenario.sends_mail() {
            if self.mail_sink.is_none() {
                self.mail_sink = Some(SmtpSink::start().await?);
            }
            if let Some(sink) = &self.mail_sink {
                server_args.extend([
                    "--smtp-url".to_string(),
                    format!("smtp://{}", sink.addr),
                    "--mail-from".into(),
                    "Bench Hotel <desk@bench.test>".into(),
                ]);
            }
        }
        let server = ServerProcess::start(&self.server_bin, &server_args, "/healthz").await?;
        let startup = server.startup;
        let today = today(server.addr).await?;
        self.today = Some(today);
        if !self.rates_filled {
            // Every scenario runs on a hotel with a year of prices, plans and restrictions.
            rates::fill(&self.server_bin, &self.database, server.addr, today).await?;
            self.rates_filled = true;
        }
        if scenario == Scenario::Rooms && self.rooms_body.is_none() {
            let mut conn = http::Conn::connect(server.addr)
                .await
                .map_err(|e| e.to_string())?;
            self.rooms_body = Some(
                conn.request("GET", "/rooms", "", b"")
                    .await
                    .map_err(|e| e.to_string())?
                    .body,
            );
        }
        let addr = server.addr;
        let concurrency = self.concurrency;
        // Returning guests keep their accounts across the phases; only `register` needs new
        // names each time.
        let run_tag = self.run_id.clone();
        let make_workers = move |phase: &str| {
            let tag = if scenario == Scenario::Register {
                format!("{run_tag}{phase}")
            } else if scenario.sends_mail() {
                // Guests of their own, who sign up with an address.
                format!("{run_tag}m")
            } else {
                run_tag.clone()
            };
            async move { prepare_workers(addr, scenario, concurrency, &tag, today).await }
        };
        // Warm up (connections, caches, accounts) without counting it.
        let warm = drive(
            server.addr,
            scenario,
            make_workers("w").await?,
            Duration::from_millis(500),
            None,
        )
        .await;
        let mut acknowledged = warm.stats.acknowledged;
        let workers = make_workers("p").await?;
        let sent_before = self.mail_sink.as_ref().map(SmtpSink::taken);
        let mut peak = drive(server.addr, scenario, workers, self.duration, None).await;
        let sent_during_peak = match (&self.mail_sink, sent_before) {
            (Some(sink), Some(before)) if scenario.sends_mail() => Some(sink.taken() - before),
            _ => None,
        };
        let half_rate = (peak.ops_rate() / 2.0).max(1.0);
        let workers = make_workers("h").await?;
        let mut half = drive(
            server.addr,
            scenario,
            workers,
            self.half_duration,
            Some(half_rate),
        )
        .await;
        let rss = server.peak_rss();
        let queued_at_end = if scenario.sends_mail() {
            Some(self.queued_messages().await?)
        } else {
            None
        };
        // How long the worker takes to send what the load left queued.
        let drained = match queued_at_end {
            Some(queued) if queued > 0 => {
                let started = std::time::Instant::now();
                let mut left = queued;
                while left > 0 && started.elapsed() < DRAIN_AT_MOST {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    left = self.queued_messages().await?;
                }
                Some((queued - left) as f64 / started.elapsed().as_secs_f64())
            }
            Some(_) => Some(0.0),
            None => None,
        };
        server.stop()?;
        if scenario.sends_mail() {
            // What is still queued would be written out by the next scenario's server and
            // weigh on its figures: it is set aside, as a hotel's mail that never went.
            self.set_aside_queue().await?;
        }
        acknowledged.append(&mut peak.stats.acknowledged);
        acknowledged.append(&mut half.stats.acknowledged);
        let facts = match &self.sqlite_file {
            Some(file) => sqlite_facts(file)?,
            None => postgres_facts(&self.database).await?,
        };
        let invariants = judge(facts, &acknowledged)?;
        let mut figures = figures(&mut peak, &mut half, rss);
        if let (Some(sent), Some(queued)) = (sent_during_peak, queued_at_end) {
            figures.mail = Some(MailFigures {
                delivered_per_sec: sent as f64 / self.duration.as_secs_f64(),
                queued_at_end: queued,
                drained_per_sec: drained.unwrap_or(0.0),
            });
        }
        Ok((figures, invariants, startup))
    }

    async fn set_aside_queue(&self) -> Result<(), String> {
        const SQL: &str = "UPDATE messages SET status = 'failed' WHERE status = 'queued'";
        match &self.sqlite_file {
            Some(file) => rusqlite::Connection::open(file)
                .and_then(|c| c.execute(SQL, []))
                .map(|_| ())
                .map_err(|e| e.to_string()),
            None => crate::postgres::connect(&self.database)
                .await?
                .execute(SQL, &[])
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
        }
    }

    /// Messages still waiting to be sent.
    async fn queued_messages(&self) -> Result<i64, String> {
        const SQL: &str = "SELECT COUNT(*) FROM messages WHERE status = 'queued'";
        match &self.sqlite_file {
            Some(file) => {
                let conn = rusqlite::Connection::open_with_flags(
                    file,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .map_err(|e| e.to_string())?;
                conn.query_row(SQL, [], |r| r.get(0))
                    .map_err(|e| e.to_string())
            }
            None => crate::postgres::connect(&self.database)
                .await?
                .query_one(SQL, &[])
                .await
                .map(|r| r.get::<_, i64>(0))
                .map_err(|e| e.to_string()),
        }
    }
}

fn figures(peak: &mut RunResult, half: &mut RunResult, rss: Option<u64>) -> Figures {
    let (p50, p99, p999) = peak.stats.percentiles();
    let (_, half_p99, _) = half.stats.percentiles();
    let errors = |s: &Stats| -> HashMap<String, u64> {
        let mut e: HashMap<String, u64> = s
            .statuses
            .iter()
            .filter(|(status, _)| !(200..300).contains(*status))
            .map(|(status, n)| (status.to_string(), *n))
            .collect();
        if s.io_errors > 0 {
            e.insert("io".into(), s.io_errors);
        }
        e
    };
    let ok = |s: &Stats| {
        s.statuses
            .iter()
            .filter(|(st, _)| (200..300).contains(*st))
            .map(|(_, n)| n)
            .sum()
    };
    Figures {
        rate: peak.rate(),
        requests: peak.stats.requests(),
        ok: ok(&peak.stats),
        p50,
        p99,
        p999,
        half_rate: half.rate(),
        half_p99,
        errors: errors(&peak.stats),
        half_errors: errors(&half.stats),
        peak_rss: rss,
        mail: None,
    }
}
