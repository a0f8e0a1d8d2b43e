//! One scenario measured on a fresh server process, the same way on the empty hotel and on
//! the filled one (`--prefill`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::load::{RunResult, Stats, drive};
use crate::report::Figures;
use crate::scenarios::Scenario;
use crate::server::ServerProcess;
use crate::{http, judge, postgres_facts, prepare_workers, rates, sqlite_facts, today};

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
}

impl Bench {
    /// One scenario on a fresh server process: warm-up, full speed, half speed, then the
    /// invariants on the database. Also gives how long the server took to start.
    pub(crate) async fn measure(
        &mut self,
        scenario: Scenario,
    ) -> Result<(Figures, String, Duration), String> {
        let server = ServerProcess::start(&self.server_bin, &self.server_args, "/healthz").await?;
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
        let mut peak = drive(server.addr, scenario, workers, self.duration, None).await;
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
        server.stop()?;
        acknowledged.append(&mut peak.stats.acknowledged);
        acknowledged.append(&mut half.stats.acknowledged);
        let facts = match &self.sqlite_file {
            Some(file) => sqlite_facts(file)?,
            None => postgres_facts(&self.database).await?,
        };
        let invariants = judge(facts, &acknowledged)?;
        Ok((figures(&mut peak, &mut half, rss), invariants, startup))
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
    }
}
