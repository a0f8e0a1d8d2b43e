//! One scenario measured on a fresh server process, the same way on the empty hotel and on
//! the filled one (`--prefill`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::hook_sink::HookSink;
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
    /// The receiver `book-hooks`'s webhook posts to, started when first needed.
    pub hook_sink: Option<HookSink>,
    /// Staff accounts made for webhooks so far (each run of `book-hooks` makes one).
    pub hooks_made: u32,
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
        let webhook = if scenario.posts_webhooks() {
            Some(self.add_webhook(server.addr).await?)
        } else {
            None
        };
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
        let posted_before = self.hook_sink.as_ref().map(HookSink::taken);
        let mut peak = drive(server.addr, scenario, workers, self.duration, None).await;
        let sent_during_peak = match (&self.mail_sink, sent_before) {
            (Some(sink), Some(before)) if scenario.sends_mail() => Some(sink.taken() - before),
            _ => None,
        };
        let posted_during_peak = match (&self.hook_sink, posted_before) {
            (Some(sink), Some(before)) if webhook.is_some() => Some(sink.taken() - before),
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
        let hooks = match &webhook {
            Some((id, auth)) => Some(self.drain_webhook(server.addr, *id, auth).await?),
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
        if let (Some(posted), Some((waiting, drained))) = (posted_during_peak, hooks) {
            figures.hooks = Some(MailFigures {
                delivered_per_sec: posted as f64 / self.duration.as_secs_f64(),
                queued_at_end: waiting,
                drained_per_sec: drained,
            });
        }
        Ok((figures, invariants, startup))
    }

    /// Registers a webhook for every event, posting to the local receiver: its id and the
    /// staff session that made it.
    async fn add_webhook(&mut self, addr: std::net::SocketAddr) -> Result<(i64, String), String> {
        if self.hook_sink.is_none() {
            self.hook_sink = Some(HookSink::start().await?);
        }
        let sink = self.hook_sink.as_ref().ok_or("no receiver")?.addr;
        let mut conn = http::Conn::connect(addr).await.map_err(|e| e.to_string())?;
        // A name of its own each time: a run may measure the scenario more than once.
        let name = format!("bench-hooks-{}", self.hooks_made);
        self.hooks_made += 1;
        let auth =
            crate::full_hotel::staff_session(&self.server_bin, &self.database, &mut conn, &name)
                .await?;
        let made = crate::full_hotel::call(
            &mut conn,
            "POST",
            "/staff/webhooks",
            &auth,
            &serde_json::json!({"url": format!("http://{sink}/hook"), "events": ["*"],
                                "secret": "bench-webhook-secret-0123456789"}),
        )
        .await?;
        let id = made["id"].as_i64().ok_or("a webhook without id")?;
        Ok((id, auth))
    }

    /// Events the webhook has still to post when the load ends, and the rate at which they
    /// then go (for 20 s at most); then the webhook is removed, so it does not weigh on the
    /// next scenario.
    async fn drain_webhook(
        &self,
        addr: std::net::SocketAddr,
        id: i64,
        auth: &str,
    ) -> Result<(i64, f64), String> {
        let waiting = self.events_waiting(id).await?;
        let started = std::time::Instant::now();
        let mut left = waiting;
        while left > 0 && started.elapsed() < DRAIN_AT_MOST {
            tokio::time::sleep(Duration::from_millis(200)).await;
            left = self.events_waiting(id).await?;
        }
        let drained = if waiting > 0 {
            (waiting - left) as f64 / started.elapsed().as_secs_f64()
        } else {
            0.0
        };
        let mut conn = http::Conn::connect(addr).await.map_err(|e| e.to_string())?;
        crate::full_hotel::call(
            &mut conn,
            "DELETE",
            &format!("/staff/webhooks/{id}"),
            auth,
            &serde_json::Value::Null,
        )
        .await?;
        Ok((waiting, drained))
    }

    /// Events placed after the last one webhook `id` delivered.
    async fn events_waiting(&self, id: i64) -> Result<i64, String> {
        let sql = format!(
            "SELECT COUNT(*) FROM events WHERE position > \
             (SELECT delivered_through FROM webhooks WHERE id = {id})"
        );
        match &self.sqlite_file {
            Some(file) => {
                let conn = rusqlite::Connection::open_with_flags(
                    file,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .map_err(|e| e.to_string())?;
                conn.query_row(&sql, [], |r| r.get(0))
                    .map_err(|e| e.to_string())
            }
            None => crate::postgres::connect(&self.database)
                .await?
                .query_one(&sql, &[])
                .await
                .map(|r| r.get::<_, i64>(0))
                .map_err(|e| e.to_string()),
        }
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
        hooks: None,
    }
}
