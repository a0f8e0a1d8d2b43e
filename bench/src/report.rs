//! The table a person reads and the JSON a machine keeps.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::json;

use crate::full_hotel::FullHotel;
use crate::scenarios::Scenario;

pub struct Figures {
    pub rate: f64,
    pub requests: u64,
    pub ok: u64,
    pub p50: f64,
    pub p99: f64,
    pub p999: f64,
    pub half_rate: f64,
    pub half_p99: f64,
    pub errors: HashMap<String, u64>,
    pub half_errors: HashMap<String, u64>,
    pub peak_rss: Option<u64>,
    /// What a scenario that sends mail delivered.
    pub mail: Option<MailFigures>,
    /// What `book-hooks`'s webhook took, in the same shape.
    pub hooks: Option<MailFigures>,
}

pub struct MailFigures {
    /// Messages the local mail server took per second during the full-speed phase.
    pub delivered_per_sec: f64,
    /// Messages still queued when the load ended.
    pub queued_at_end: i64,
    /// Messages per second the worker then sent with the load gone (for 20 s at most).
    pub drained_per_sec: f64,
}

/// Booking with mail on must keep this share of booking with it off.
const MAIL_RATIO: f64 = 0.9;
/// `book-keyed` against `book` in the same run: keys and kept answers ride in the change's commit.
const KEYED_RATIO: f64 = 0.9;

pub struct Report {
    server: PathBuf,
    database: String,
    concurrency: usize,
    pub commit_ceiling: f64,
    pub http_ceiling: f64,
    pub startup_fresh_ms: f64,
    startups_existing_ms: Vec<f64>,
    pub web_app_gzip: Option<u64>,
    /// The front desk, a separate download under `/desk`.
    pub desk_app_gzip: Option<u64>,
    rows: Vec<(Scenario, Figures, String)>,
    /// The desk's reads on a hotel booked for a year.
    pub full_hotel: Option<FullHotel>,
    /// What `--prefill` sold, and the scenarios run again afterwards.
    pub prefill: Option<Prefill>,
    prefilled: Vec<(Scenario, Figures, String)>,
}

pub struct Prefill {
    pub fraction: f64,
    pub room_nights: u64,
    pub seconds: f64,
}

/// A filled hotel must answer at least this share of the empty hotel's rate.
const PREFILL_RATIO: f64 = 0.8;

const RSS_LIMIT: u64 = 64 * 1024 * 1024;
const P99_LIMIT_MS: f64 = 10.0;
const STARTUP_LIMIT_MS: f64 = 200.0;
const WEB_APP_LIMIT: u64 = 200 * 1024;

impl Report {
    pub fn new(server: &Path, database: &str, concurrency: usize) -> Report {
        Report {
            server: server.to_path_buf(),
            database: database.to_string(),
            concurrency,
            commit_ceiling: 0.0,
            http_ceiling: 0.0,
            startup_fresh_ms: 0.0,
            startups_existing_ms: Vec::new(),
            web_app_gzip: None,
            desk_app_gzip: None,
            rows: Vec::new(),
            full_hotel: None,
            prefill: None,
            prefilled: Vec::new(),
        }
    }

    pub fn record_startup(&mut self, took: Duration) {
        self.startups_existing_ms.push(took.as_secs_f64() * 1000.0);
    }

    pub fn add(&mut self, scenario: Scenario, figures: Figures, invariants: String) {
        self.rows.push((scenario, figures, invariants));
    }

    pub fn add_prefilled(&mut self, scenario: Scenario, figures: Figures, invariants: String) {
        self.prefilled.push((scenario, figures, invariants));
    }

    /// The filled hotel's rate over the empty hotel's, for a scenario run on both.
    fn filled_ratio(&self, scenario: Scenario, rate: f64) -> Option<f64> {
        self.rows
            .iter()
            .find(|(s, _, _)| *s == scenario)
            .map(|(_, empty, _)| empty.rate)
            .filter(|r| *r > 0.0)
            .map(|empty| rate / empty)
    }

    fn ceiling_for(&self, scenario: Scenario) -> f64 {
        if scenario.is_write() {
            self.commit_ceiling
        } else {
            self.http_ceiling
        }
    }

    fn ratio(&self, scenario: Scenario, rate: f64) -> Option<f64> {
        let ceiling = self.ceiling_for(scenario);
        (ceiling > 0.0).then(|| rate / ceiling)
    }

    fn startup_existing_max(&self) -> f64 {
        self.startups_existing_ms
            .iter()
            .copied()
            .fold(0.0, f64::max)
    }

    pub fn print(&self) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "\nHotel benchmark: {} connections, database {}",
            self.concurrency, self.database
        );
        let _ = writeln!(
            out,
            "ceilings: in-memory axum GET /rooms {:.0} req/s; SQLite one commit per write (synchronous=FULL) {:.0} commits/s\n",
            self.http_ceiling, self.commit_ceiling
        );
        let _ = writeln!(
            out,
            "{:<13} {:>9} {:>12} {:>8} {:>8} {:>8} {:>13} {:>9}  errors (peak / half)",
            "scenario", "req/s", "vs ceiling", "p50 ms", "p99 ms", "p99.9", "p99@half ms", "RSS MB"
        );
        for (scenario, f, _) in &self.rows {
            let ratio = self
                .ratio(*scenario, f.rate)
                .map(|r| {
                    format!(
                        "{r:.2}x {}",
                        if scenario.is_write() {
                            "commit"
                        } else {
                            "axum"
                        }
                    )
                })
                .unwrap_or_else(|| "-".into());
            print_row(&mut out, *scenario, f, &ratio);
        }
        if let Some(p) = &self.prefill {
            let _ = writeln!(
                out,
                "\nthe same hotel with {:.0} % of every room-night sold ({} room-nights, sold in {:.1} s):",
                p.fraction * 100.0,
                p.room_nights,
                p.seconds
            );
            for (scenario, f, _) in &self.prefilled {
                let ratio = self
                    .filled_ratio(*scenario, f.rate)
                    .map_or("-".into(), |r| format!("{r:.2}x empty"));
                print_row(&mut out, *scenario, f, &ratio);
            }
        }
        for (scenario, f, _) in &self.rows {
            if let Some(mail) = &f.mail {
                let _ = writeln!(
                    out,
                    "\nmail during {}: {:.0} messages/s taken by a local SMTP server under full load; {} queued when the load ended, then sent at {:.0} messages/s",
                    scenario.name(),
                    mail.delivered_per_sec,
                    mail.queued_at_end,
                    mail.drained_per_sec
                );
            }
            if let Some(hooks) = &f.hooks {
                let _ = writeln!(
                    out,
                    "\nwebhooks during {}: {:.0} events/s posted to a local receiver under full load; {} waiting when the load ended, then posted at {:.0} events/s",
                    scenario.name(),
                    hooks.delivered_per_sec,
                    hooks.queued_at_end,
                    hooks.drained_per_sec
                );
            }
        }
        let _ = writeln!(
            out,
            "\nstart-up to first answer: {:.1} ms on a new database, at most {:.1} ms on an existing one",
            self.startup_fresh_ms,
            self.startup_existing_max()
        );
        if let Some(size) = self.web_app_gzip {
            let _ = writeln!(
                out,
                "web app, guest portal every visitor loads (wasm + js, gzip): {:.1} KB",
                size as f64 / 1024.0
            );
        }
        if let Some(size) = self.desk_app_gzip {
            let _ = writeln!(
                out,
                "web app, front desk only staff load (wasm + js, gzip): {:.1} KB",
                size as f64 / 1024.0
            );
        }
        if let Some(full) = &self.full_hotel {
            let _ = writeln!(
                out,
                "\na full hotel: {} rooms booked for a year, {} stays (filled in {:.1} s), one request at a time:",
                full.rooms, full.stays, full.fill_seconds
            );
            for t in &full.timings {
                let _ = writeln!(
                    out,
                    "  {:<20} p50 {:>7.2} ms   p99 {:>7.2} ms",
                    t.name, t.p50, t.p99
                );
            }
        }
        let _ = writeln!(out, "\ntargets:");
        for (ok, text) in self.targets() {
            let _ = writeln!(out, "  [{}] {text}", if ok { "met" } else { "MISSED" });
        }
        for (scenario, _, invariants) in &self.rows {
            let _ = writeln!(out, "invariants after {}: {invariants}", scenario.name());
        }
        for (scenario, _, invariants) in &self.prefilled {
            let _ = writeln!(
                out,
                "invariants after {} on the filled hotel: {invariants}",
                scenario.name()
            );
        }
    }

    fn targets(&self) -> Vec<(bool, String)> {
        let mut t = Vec::new();
        for (scenario, f, _) in &self.rows {
            match scenario {
                Scenario::Rooms => {
                    let r = self.ratio(*scenario, f.rate).unwrap_or(0.0);
                    t.push((
                        r >= 0.8,
                        format!("rooms at least 0.8x the in-memory ceiling: {r:.2}x"),
                    ));
                }
                Scenario::Quote => {
                    let availability = self
                        .rows
                        .iter()
                        .find(|(s, _, _)| *s == Scenario::Availability)
                        .map(|(_, a, _)| a.rate);
                    if let Some(a) = availability.filter(|a| *a > 0.0) {
                        let r = f.rate / a;
                        t.push((
                            r >= 0.5,
                            format!(
                                "30-night quotes over a year of rates at least 0.5x availability: {r:.2}x"
                            ),
                        ));
                    }
                }
                Scenario::Book => {
                    let r = self.ratio(*scenario, f.rate).unwrap_or(0.0);
                    t.push((
                        r >= 4.0,
                        format!("durable writes at least 4x one-commit-per-write: {r:.2}x"),
                    ));
                }
                Scenario::BookMail | Scenario::BookKeyed => {
                    // The `book` run nearest before it (the hotel grows as scenarios run), or
                    // else the first after it.
                    let at = self
                        .rows
                        .iter()
                        .position(|(s, g, _)| s == scenario && std::ptr::eq(g, f))
                        .unwrap_or(0);
                    let without = self.rows[..at]
                        .iter()
                        .rev()
                        .chain(self.rows[at..].iter())
                        .find(|(s, _, _)| *s == Scenario::Book)
                        .map(|(_, b, _)| b.rate);
                    if let Some(b) = without.filter(|b| *b > 0.0) {
                        let r = f.rate / b;
                        let (least, what) = if *scenario == Scenario::BookMail {
                            (
                                MAIL_RATIO,
                                "book with mail on at least {least}x book with mail off",
                            )
                        } else {
                            (
                                KEYED_RATIO,
                                "book with an Idempotency-Key at least {least}x book without",
                            )
                        };
                        t.push((
                            r >= least,
                            format!("{}: {r:.2}x", what.replace("{least}", &least.to_string())),
                        ));
                    }
                }
                _ => {}
            }
            // Password hashing alone takes ~25 ms, so new accounts are outside the latency goal.
            if *scenario != Scenario::Register {
                t.push((
                    f.half_p99 < P99_LIMIT_MS,
                    format!(
                        "{} p99 at half its peak rate under {P99_LIMIT_MS} ms: {:.2} ms",
                        scenario.name(),
                        f.half_p99
                    ),
                ));
            }
            if let Some(rss) = f.peak_rss {
                t.push((
                    rss < RSS_LIMIT,
                    format!(
                        "{} server peak RSS under 64 MB: {:.1} MB",
                        scenario.name(),
                        rss as f64 / 1048576.0
                    ),
                ));
            }
        }
        if let Some(p) = &self.prefill {
            for (scenario, f, _) in &self.prefilled {
                let r = self.filled_ratio(*scenario, f.rate).unwrap_or(0.0);
                t.push((
                    r >= PREFILL_RATIO,
                    format!(
                        "{} with {:.0} % sold at least {PREFILL_RATIO}x the empty hotel: {r:.2}x",
                        scenario.name(),
                        p.fraction * 100.0
                    ),
                ));
                if *scenario == Scenario::Book {
                    t.push((
                        f.half_p99 < P99_LIMIT_MS,
                        format!(
                            "book with {:.0} % sold p99 at half its peak rate under {P99_LIMIT_MS} ms: {:.2} ms",
                            p.fraction * 100.0,
                            f.half_p99
                        ),
                    ));
                }
            }
        }
        if let Some(full) = &self.full_hotel {
            for f in &full.timings {
                t.push((
                    f.p99 < f.limit_ms,
                    format!(
                        "full hotel: {} p99 under {} ms: {:.2} ms",
                        f.name, f.limit_ms, f.p99
                    ),
                ));
            }
        }
        let startup = self.startup_existing_max();
        t.push((
            startup < STARTUP_LIMIT_MS,
            format!("start-up on an existing database under 200 ms: {startup:.1} ms"),
        ));
        if let Some(size) = self.web_app_gzip {
            t.push((
                size <= WEB_APP_LIMIT,
                format!("web app under 200 KB gzip: {:.1} KB", size as f64 / 1024.0),
            ));
        }
        t
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        let scenarios: Vec<_> = self
            .rows
            .iter()
            .map(|(scenario, f, invariants)| {
                json!({
                    "scenario": scenario.name(),
                    "requests_per_sec": f.rate,
                    "requests": f.requests,
                    "ok": f.ok,
                    "ratio_to_ceiling": self.ratio(*scenario, f.rate),
                    "ceiling": if scenario.is_write() { "sqlite_commit" } else { "axum_in_memory" },
                    "latency_ms": {"p50": f.p50, "p99": f.p99, "p99_9": f.p999},
                    "half_rate": {"requests_per_sec": f.half_rate, "p99_ms": f.half_p99, "errors": f.half_errors},
                    "errors": f.errors,
                    "peak_rss_bytes": f.peak_rss,
                    "mail_delivered_per_sec": f.mail.as_ref().map(|m| m.delivered_per_sec),
                    "mail_queued_at_end": f.mail.as_ref().map(|m| m.queued_at_end),
                    "mail_drained_per_sec": f.mail.as_ref().map(|m| m.drained_per_sec),
                    "webhooks_delivered_per_sec": f.hooks.as_ref().map(|m| m.delivered_per_sec),
                    "webhooks_waiting_at_end": f.hooks.as_ref().map(|m| m.queued_at_end),
                    "webhooks_drained_per_sec": f.hooks.as_ref().map(|m| m.drained_per_sec),
                    "invariants": invariants,
                })
            })
            .collect();
        let doc = json!({
            "server": self.server.display().to_string(),
            "database": self.database,
            "concurrency": self.concurrency,
            "cores": std::thread::available_parallelism().map_or(0, |n| n.get()),
            "ceilings": {"axum_in_memory_rooms_rps": self.http_ceiling, "sqlite_full_commits_per_sec": self.commit_ceiling},
            "startup_ms": {"fresh": self.startup_fresh_ms, "existing_max": self.startup_existing_max()},
            "web_app_gzip_bytes": self.web_app_gzip,
            "desk_app_gzip_bytes": self.desk_app_gzip,
            "scenarios": scenarios,
            "prefill": self.prefill.as_ref().map(|p| json!({
                "fraction": p.fraction,
                "room_nights": p.room_nights,
                "seconds": p.seconds,
                "scenarios": self.prefilled.iter().map(|(scenario, f, invariants)| json!({
                    "scenario": scenario.name(),
                    "requests_per_sec": f.rate,
                    "ratio_to_empty": self.filled_ratio(*scenario, f.rate),
                    "latency_ms": {"p50": f.p50, "p99": f.p99, "p99_9": f.p999},
                    "half_rate": {"requests_per_sec": f.half_rate, "p99_ms": f.half_p99},
                    "errors": f.errors,
                    "invariants": invariants,
                })).collect::<Vec<_>>(),
            })),
            "full_hotel": self.full_hotel.as_ref().map(|f| json!({
                "rooms": f.rooms,
                "stays": f.stays,
                "fill_seconds": f.fill_seconds,
                "reads": f.timings.iter().map(|t| json!({"read": t.name, "p50_ms": t.p50, "p99_ms": t.p99, "limit_ms": t.limit_ms})).collect::<Vec<_>>(),
            })),
            "targets": self.targets().into_iter().map(|(ok, text)| json!({"met": ok, "target": text})).collect::<Vec<_>>(),
        });
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// For the quick run in `cargo xtask test`: every scenario served requests and nothing
    /// failed at the transport level. (Invariants already failed the run if broken.)
    pub fn smoke_check(&self) -> Result<(), String> {
        for (scenario, f, _) in &self.rows {
            if f.ok == 0 {
                return Err(format!(
                    "scenario {} had no successful request",
                    scenario.name()
                ));
            }
            if f.errors.contains_key("io") || f.errors.keys().any(|s| s.starts_with('5')) {
                return Err(format!(
                    "scenario {} had server or transport errors: {:?}",
                    scenario.name(),
                    f.errors
                ));
            }
        }
        if self.http_ceiling <= 0.0 || self.commit_ceiling <= 0.0 {
            return Err("a ceiling was not measured".into());
        }
        Ok(())
    }
}

/// One scenario's line of a table: `ratio` says what its rate is compared with.
fn print_row(out: &mut impl Write, scenario: Scenario, f: &Figures, ratio: &str) {
    let rss = f
        .peak_rss
        .map_or("?".into(), |b| format!("{:.1}", b as f64 / 1048576.0));
    let _ = writeln!(
        out,
        "{:<13} {:>9.0} {:>12} {:>8.2} {:>8.2} {:>8.2} {:>13.2} {:>9}  {} / {}",
        scenario.name(),
        f.rate,
        ratio,
        f.p50,
        f.p99,
        f.p999,
        f.half_p99,
        rss,
        show_errors(&f.errors),
        show_errors(&f.half_errors)
    );
}

fn show_errors(errors: &HashMap<String, u64>) -> String {
    if errors.is_empty() {
        return "none".into();
    }
    let mut list: Vec<_> = errors.iter().collect();
    list.sort();
    list.iter()
        .map(|(k, v)| format!("{k}:{v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Bytes of the web app's `.wasm` and `.js` files after gzip, as a browser downloads them.
pub fn gzipped_app_size(dist: &Path) -> Option<u64> {
    let entries = std::fs::read_dir(dist).ok()?;
    let mut total = 0u64;
    for entry in entries.flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "wasm" || ext == "js" {
            let bytes = std::fs::read(&path).ok()?;
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(&bytes).ok()?;
            total += encoder.finish().ok()?.len() as u64;
        }
    }
    Some(total)
}
