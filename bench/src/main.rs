//! `hotel-bench`: drives a real `hotel-server` with a keep-alive HTTP/1.1 load generator,
//! measures reference ceilings on the same machine, checks the booking invariants, and
//! prints (and writes as JSON) what it found. Run it through `cargo xtask bench`.

mod ceiling;
mod full_hotel;
mod hook_sink;
mod http;
mod load;
mod measure;
mod pg_models;
mod postgres;
mod prefill;
mod rates;
mod report;
mod scenarios;
mod server;
mod smtp_sink;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use serde_json::Value;

use crate::load::drive;
use crate::report::Report;
use crate::scenarios::{Scenario, Worker};
use crate::server::ServerProcess;

#[derive(Parser)]
#[command(name = "hotel-bench", about = "Benchmark the Hotel server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run every scenario against fresh server processes and report.
    Run(RunArgs),
    /// Load an already running server with one scenario and print what it answered.
    Load {
        /// Address of the server, e.g. 127.0.0.1:8000.
        #[arg(long)]
        addr: SocketAddr,
        #[arg(long, default_value = "rooms")]
        scenario: String,
        #[arg(long, default_value_t = 5.0)]
        duration: f64,
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
    },
    /// Compare the two ways PostgreSQL can forbid double bookings, straight on the database.
    PgModels {
        /// A PostgreSQL server (a fresh database is made on it and dropped afterwards).
        #[arg(long)]
        database: String,
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        #[arg(long, default_value_t = 16)]
        clients: usize,
    },
    /// Serve `GET /rooms` from memory: the ceiling the real server is compared with.
    CeilingServer {
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: SocketAddr,
        #[arg(long)]
        body_file: PathBuf,
    },
}

#[derive(clap::Args, Clone)]
struct RunArgs {
    /// The `hotel-server` binary to measure.
    #[arg(long)]
    server_bin: PathBuf,
    /// Database for the server; a fresh SQLite file under --work-dir by default.
    #[arg(long)]
    database: Option<String>,
    /// Where temporary databases go.
    #[arg(long, default_value = "target/bench/work")]
    work_dir: PathBuf,
    /// Seconds of full-speed load per scenario.
    #[arg(long, default_value_t = 5.0)]
    duration: f64,
    /// Seconds of load at half the peak rate, for latency.
    #[arg(long, default_value_t = 3.0)]
    half_duration: f64,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Rooms in the benchmark hotel.
    #[arg(long, default_value_t = 200)]
    rooms: u32,
    /// Comma-separated scenarios (default: all).
    #[arg(long, value_delimiter = ',')]
    scenarios: Vec<String>,
    /// Where to write the JSON results.
    #[arg(long, default_value = "target/bench/results.json")]
    out: PathBuf,
    /// Built web app to weigh (wasm + js, gzip).
    #[arg(long)]
    dist: Option<PathBuf>,
    /// After the scenarios, sell this share (0 to 1) of every room-night they touch and run
    /// book, availability and quote again on the filled hotel, beside the empty one.
    #[arg(long, value_parser = parse_fraction)]
    prefill: Option<f64>,
    /// Short run that only proves the pipeline works; fails on any broken invariant.
    #[arg(long)]
    smoke: bool,
}

fn parse_fraction(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|f| (0.0..=1.0).contains(f))
        .ok_or_else(|| "a share from 0 to 1, such as 0.8".into())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("hotel-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = match cli.command {
        Command::Run(args) => runtime.block_on(run(args)),
        Command::Load {
            addr,
            scenario,
            duration,
            concurrency,
        } => runtime.block_on(load_only(addr, scenario, duration, concurrency)),
        Command::PgModels {
            database,
            seconds,
            clients,
        } => runtime.block_on(pg_models::run(&database, seconds, clients)),
        Command::CeilingServer { listen, body_file } => runtime.block_on(async move {
            let body = std::fs::read(&body_file).map_err(|e| e.to_string())?;
            ceiling::serve_static(listen, body).await
        }),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hotel-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

const FULL_HOTEL: &str = "full-hotel";

async fn run(args: RunArgs) -> Result<(), String> {
    // `full-hotel` is not a load scenario: a hotel booked for a year, read by the desk.
    let full_hotel = !args.smoke
        && (args.scenarios.is_empty() || args.scenarios.iter().any(|s| s == FULL_HOTEL));
    let scenarios: Vec<Scenario> = if args.scenarios.is_empty() {
        Scenario::ALL.to_vec()
    } else {
        args.scenarios
            .iter()
            .filter(|s| *s != FULL_HOTEL)
            .map(|s| Scenario::parse(s).ok_or_else(|| format!("unknown scenario {s:?}")))
            .collect::<Result<_, _>>()?
    };
    let run_id = std::process::id().to_string();
    let work = args.work_dir.join(format!("run-{run_id}"));
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let db_path = work.join("bench.db");
    // PostgreSQL: a fresh database on the server the URL names, dropped afterwards.
    let fresh_pg = match &args.database {
        Some(url) if url.starts_with("postgres") => {
            Some(postgres::FreshDatabase::create(url, &format!("hotel_bench_{run_id}")).await?)
        }
        _ => None,
    };
    let database = match (&fresh_pg, &args.database) {
        (Some(pg), _) => pg.url.clone(),
        (None, Some(url)) => url.clone(),
        (None, None) => format!("sqlite://{}", db_path.display()),
    };
    let sqlite_file = database.strip_prefix("sqlite://").map(PathBuf::from);
    let duration = Duration::from_secs_f64(args.duration);
    let half_duration = Duration::from_secs_f64(args.half_duration);

    let mut report = Report::new(&args.server_bin, &database, args.concurrency);
    println!("hotel-bench: measuring the SQLite commit ceiling…");
    report.commit_ceiling =
        ceiling::sqlite_commit_rate(&work, duration.min(Duration::from_secs(3)))?;

    let server_args: Vec<String> = vec![
        "--listen".to_string(),
        "127.0.0.1:0".into(),
        "--database".into(),
        database.clone(),
        "--rooms".into(),
        args.rooms.to_string(),
        "--log".into(),
        "warn".into(),
        "--create".into(),
        // Thousands of guests from one address: the per-address rate limits are for the
        // internet, not for a load generator. The room-night limits stay on.
        "--signup-rate-limit".into(),
        "0".into(),
        "--booking-rate-limit".into(),
        "0".into(),
        "--address-share".into(),
        "0".into(),
    ];
    let mut bench = measure::Bench {
        server_bin: args.server_bin.clone(),
        server_args,
        database: database.clone(),
        sqlite_file,
        run_id: run_id.clone(),
        concurrency: args.concurrency,
        duration,
        half_duration,
        rooms_body: None,
        rates_filled: false,
        today: None,
        mail_sink: None,
        hook_sink: None,
        hooks_made: 0,
    };
    let mut first_start = true;
    for &scenario in &scenarios {
        println!("hotel-bench: scenario {}…", scenario.name());
        let (figures, invariants, startup) = bench.measure(scenario).await?;
        if first_start {
            report.startup_fresh_ms = startup.as_secs_f64() * 1000.0;
            first_start = false;
        } else {
            report.record_startup(startup);
        }
        report.add(scenario, figures, invariants);
    }

    if let Some(fraction) = args.prefill {
        let today = match bench.today {
            Some(today) => today,
            None => return Err("--prefill needs at least one scenario".into()),
        };
        println!(
            "hotel-bench: selling {:.0} % of every room-night for {} nights…",
            fraction * 100.0,
            prefill::NIGHTS
        );
        let (sold, seconds) = prefill::fill(
            &bench.server_bin,
            &bench.server_args,
            fraction,
            args.rooms,
            today,
        )
        .await?;
        report.prefill = Some(report::Prefill {
            fraction,
            room_nights: sold,
            seconds,
        });
        for &scenario in scenarios.iter().filter(|s| s.reads_occupancy()) {
            println!(
                "hotel-bench: scenario {} on the filled hotel…",
                scenario.name()
            );
            let (figures, invariants, startup) = bench.measure(scenario).await?;
            report.record_startup(startup);
            report.add_prefilled(scenario, figures, invariants);
        }
    }
    let measure::Bench {
        rooms_body,
        server_args,
        ..
    } = bench;

    if let Some(body) = rooms_body {
        println!("hotel-bench: measuring the in-memory axum ceiling…");
        let body_file = work.join("rooms.json");
        std::fs::write(&body_file, &body).map_err(|e| e.to_string())?;
        let me = std::env::current_exe().map_err(|e| e.to_string())?;
        let ceiling_args = vec![
            "ceiling-server".to_string(),
            "--body-file".into(),
            body_file.display().to_string(),
        ];
        let server = ServerProcess::start(&me, &ceiling_args, "/rooms").await?;
        let workers = (0..args.concurrency)
            .map(|i| Worker::new(i, "ceiling", hotel_shared::date::date(2000, 1, 1)))
            .collect();
        let result = drive(server.addr, Scenario::Rooms, workers, duration, None).await;
        report.http_ceiling = result.rate();
        server.stop().ok();
    }

    // Start-up on the database the scenarios filled.
    let server = ServerProcess::start(&args.server_bin, &server_args, "/healthz").await?;
    report.record_startup(server.startup);
    server.stop()?;

    if full_hotel {
        println!("hotel-bench: a full hotel…");
        report.full_hotel = Some(full_hotel::run(&args.server_bin, &work, args.rooms).await?);
    }

    if let Some(dist) = &args.dist {
        report.web_app_gzip = report::gzipped_app_size(dist);
        report.desk_app_gzip = report::gzipped_app_size(&dist.join("desk"));
    }
    report.print();
    report.write(&args.out)?;
    println!("hotel-bench: results written to {}", args.out.display());
    let _ = std::fs::remove_dir_all(&work);
    if let Some(pg) = fresh_pg {
        pg.drop_database().await;
    }
    if args.smoke {
        report.smoke_check()?;
    }
    Ok(())
}

async fn load_only(
    addr: SocketAddr,
    scenario: String,
    duration: f64,
    concurrency: usize,
) -> Result<(), String> {
    let scenario = Scenario::parse(&scenario).ok_or("unknown scenario")?;
    let today = today(addr).await?;
    let tag = format!("load{}", std::process::id());
    let workers = prepare_workers(addr, scenario, concurrency, &tag, today).await?;
    let mut result = drive(
        addr,
        scenario,
        workers,
        Duration::from_secs_f64(duration),
        None,
    )
    .await;
    let (p50, p99, p999) = result.stats.percentiles();
    println!(
        "{}: {:.0} req/s, p50 {p50:.2} ms, p99 {p99:.2} ms, p99.9 {p999:.2} ms, statuses {:?}, io errors {}",
        scenario.name(),
        result.rate(),
        result.stats.statuses,
        result.stats.io_errors
    );
    Ok(())
}

pub(crate) async fn today(addr: SocketAddr) -> Result<hotel_shared::Date, String> {
    let mut conn = http::Conn::connect(addr).await.map_err(|e| e.to_string())?;
    let reply = conn
        .request("GET", "/healthz", "", b"")
        .await
        .map_err(|e| e.to_string())?;
    let health: Value = serde_json::from_slice(&reply.body).map_err(|e| e.to_string())?;
    health["today"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| "healthz has no date".into())
}

/// One worker per connection; scenarios that use sessions sign their workers in first
/// (that costs a password hash each, so it happens before the clock starts).
pub(crate) async fn prepare_workers(
    addr: SocketAddr,
    scenario: Scenario,
    count: usize,
    tag: &str,
    today: hotel_shared::Date,
) -> Result<Vec<Worker>, String> {
    let mut tasks = Vec::new();
    for i in 0..count {
        let mut worker = Worker::new(i, tag, today);
        tasks.push(tokio::spawn(async move {
            if scenario.needs_session() {
                let mut conn = http::Conn::connect(addr).await.map_err(|e| e.to_string())?;
                worker
                    .sign_in(&mut conn, scenario.sends_mail())
                    .await
                    .map_err(|e| e.to_string())?;
            }
            Ok::<Worker, String>(worker)
        }));
    }
    let mut workers = Vec::new();
    for t in tasks {
        workers.push(t.await.map_err(|e| e.to_string())??);
    }
    Ok(workers)
}

/// What the invariant check reads from the database.
struct Facts {
    double: i64,
    cancelled_holding: i64,
    incomplete: i64,
    statuses: HashMap<i64, String>,
}

const DOUBLE_SQL: &str = "SELECT COUNT(*) FROM (SELECT room, night FROM room_nights GROUP BY room, night HAVING COUNT(*) > 1) AS d";
const CANCELLED_HOLDING_SQL: &str = "SELECT COUNT(*) FROM room_nights n JOIN bookings b ON b.id = n.booking_id WHERE b.status = 'cancelled'";

pub(crate) fn sqlite_facts(db: &std::path::Path) -> Result<Facts, String> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| e.to_string())?;
    let q = |sql: &str| -> Result<i64, String> {
        conn.query_row(sql, [], |r| r.get(0))
            .map_err(|e| e.to_string())
    };
    let mut statuses = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT id, status FROM bookings")
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .map_err(|e| e.to_string())?;
    for row in rows {
        let (id, status) = row.map_err(|e| e.to_string())?;
        statuses.insert(id, status);
    }
    Ok(Facts {
        double: q(DOUBLE_SQL)?,
        cancelled_holding: q(CANCELLED_HOLDING_SQL)?,
        incomplete: q(
            "SELECT COUNT(*) FROM bookings b WHERE b.status = 'booked' AND \
             (SELECT COUNT(*) FROM room_nights n WHERE n.booking_id = b.id AND n.room = b.room) \
             <> CAST(julianday(b.check_out) - julianday(b.check_in) AS INTEGER)",
        )?,
        statuses,
    })
}

pub(crate) async fn postgres_facts(url: &str) -> Result<Facts, String> {
    let client = postgres::connect(url).await?;
    let q = async |sql: &str| -> Result<i64, String> {
        client
            .query_one(sql, &[])
            .await
            .map(|r| r.get::<_, i64>(0))
            .map_err(|e| e.to_string())
    };
    let statuses = client
        .query("SELECT id, status FROM bookings", &[])
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .map(|r| (r.get::<_, i64>(0), r.get::<_, String>(1)))
        .collect();
    Ok(Facts {
        double: q(DOUBLE_SQL).await?,
        cancelled_holding: q(CANCELLED_HOLDING_SQL).await?,
        incomplete: q(
            "SELECT COUNT(*) FROM bookings b WHERE b.status = 'booked' AND \
             (SELECT COUNT(*) FROM room_nights n WHERE n.booking_id = b.id AND n.room = b.room) \
             <> (b.check_out - b.check_in)",
        )
        .await?,
        statuses,
    })
}

/// The two promises of the booking engine, checked in the database itself: no room is held
/// twice for a night, and every booking the server acknowledged is there.
pub(crate) fn judge(facts: Facts, acknowledged: &[(i64, bool)]) -> Result<String, String> {
    let Facts {
        double,
        cancelled_holding,
        incomplete,
        statuses,
    } = facts;
    let mut lost = 0;
    let mut uncancelled = 0;
    for (id, cancel_acknowledged) in acknowledged {
        match statuses.get(id) {
            None => lost += 1,
            Some(status) if *cancel_acknowledged && status != "cancelled" => uncancelled += 1,
            Some(_) => {}
        }
    }
    if double + cancelled_holding + incomplete + lost + uncancelled > 0 {
        return Err(format!(
            "INVARIANT BROKEN: {double} room-nights held twice, {cancelled_holding} held by cancelled bookings, \
             {incomplete} bookings missing nights, {lost} acknowledged bookings lost, \
             {uncancelled} acknowledged cancellations not applied"
        ));
    }
    Ok(format!(
        "{} acknowledged bookings all present; no room held twice",
        acknowledged.len()
    ))
}
