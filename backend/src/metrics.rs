//! What an operator watches: `GET /metrics` in Prometheus' text format, through the `metrics`
//! facade and its Prometheus exporter. Counters and histograms are recorded where things
//! happen (requests here, bookings and cancellations in their handlers once committed, the
//! SQLite writer's batches in the writer); gauges that are a reading of the present (sessions,
//! the password-hashing queue, the database pool) are read when Prometheus asks.
//!
//! The exporter is process-wide (one recorder per process), installed on first use.

use std::sync::OnceLock;
use std::time::Duration;

use axum::extract::MatchedPath;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const REQUESTS: &str = "hotel_http_requests_total";
pub const REQUEST_SECONDS: &str = "hotel_http_request_duration_seconds";
pub const BOOKINGS: &str = "hotel_bookings_total";
pub const CANCELLATIONS: &str = "hotel_cancellations_total";
pub const NO_SHOWS: &str = "hotel_no_shows_total";
pub const BATCH_JOBS: &str = "hotel_sqlite_commit_batch_jobs";
pub const COMMIT_SECONDS: &str = "hotel_sqlite_commit_seconds";
pub const WRITE_QUEUE: &str = "hotel_sqlite_write_queue";
pub const SESSIONS: &str = "hotel_sessions_active";
pub const HASHING_WAITING: &str = "hotel_password_hashing_waiting";
pub const HASHES: &str = "hotel_password_hashes_total";
pub const POOL: &str = "hotel_db_pool_connections";
pub const BACKUP_LAST_SUCCESS: &str = "hotel_backup_last_success_timestamp_seconds";
pub const BACKUP_LAST_BYTES: &str = "hotel_backup_last_size_bytes";
pub const MAIL_QUEUED: &str = "hotel_mail_queued";
pub const MAIL_OLDEST_SECONDS: &str = "hotel_mail_oldest_queued_age_seconds";
pub const MAIL_SENT: &str = "hotel_mail_sent_total";
pub const MAIL_FAILED: &str = "hotel_mail_failed_total";
pub const MAIL_TRIES_FAILED: &str = "hotel_mail_tries_failed_total";

/// From a tenth of a millisecond (a cached read) to ten seconds (a request near its time limit).
const SECONDS_BUCKETS: [f64; 14] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 10.0,
];
/// Writes per commit: one when the hotel is quiet, up to the writer's batch limit under load.
const BATCH_BUCKETS: [f64; 9] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];

static RECORDER: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process's exporter, installed on the first call. `None` only if some other recorder
/// was installed first (then nothing is exported, and nothing else changes).
pub fn recorder() -> Option<&'static PrometheusHandle> {
    RECORDER
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &SECONDS_BUCKETS)
                .and_then(|b| {
                    b.set_buckets_for_metric(Matcher::Full(BATCH_JOBS.into()), &BATCH_BUCKETS)
                })
                .and_then(|b| b.install_recorder());
            match handle {
                Ok(handle) => {
                    describe();
                    Some(handle)
                }
                Err(e) => {
                    tracing::warn!("metrics are off: {e}");
                    None
                }
            }
        })
        .as_ref()
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_gauge!(
        BACKUP_LAST_SUCCESS,
        Unit::Seconds,
        "When the last scheduled backup was written and checked (Unix time)."
    );
    describe_gauge!(
        BACKUP_LAST_BYTES,
        Unit::Bytes,
        "The size of the last scheduled backup written and checked."
    );
    describe_counter!(BOOKINGS, "Stays booked (one per room), by who booked them.");
    describe_counter!(
        CANCELLATIONS,
        "Stays cancelled (one per room), by who cancelled them."
    );
    describe_counter!(NO_SHOWS, "Stays marked as no-shows at the desk.");
    describe_histogram!(
        BATCH_JOBS,
        "Writes committed together by the SQLite writer."
    );
    describe_histogram!(
        COMMIT_SECONDS,
        Unit::Seconds,
        "Time the SQLite writer took per batch, its commit to disk included."
    );
    describe_gauge!(WRITE_QUEUE, "Writes waiting for the SQLite writer.");
    describe_gauge!(SESSIONS, "Sign-ins that have not ended or expired.");
    describe_gauge!(
        HASHING_WAITING,
        "Password checks and hashes waiting for a hashing thread."
    );
    describe_counter!(HASHES, "Password hashes computed.");
    describe_gauge!(
        MAIL_QUEUED,
        "Messages to guests waiting to be sent (all instances)."
    );
    describe_gauge!(
        MAIL_OLDEST_SECONDS,
        Unit::Seconds,
        "How long the oldest queued message has waited (0 with none)."
    );
    describe_counter!(
        MAIL_SENT,
        "Messages this instance handed to the mail server."
    );
    describe_counter!(
        MAIL_FAILED,
        "Messages this instance gave up on (refused, or still failing a day on)."
    );
    describe_counter!(
        MAIL_TRIES_FAILED,
        "Tries to send a message that failed and will be made again."
    );
    describe_gauge!(
        POOL,
        "PostgreSQL connections of this instance, in use or idle."
    );
}

/// Counts and times one answered request, by the route it matched (not its path, so one
/// series per endpoint however many bookings there are); anything else is `other` (the web
/// app's files, unknown paths). Called by the one middleware every request passes.
///
/// Requests are counted by hand rather than through the `metrics` facade: its counters and
/// histograms are shared atomics that every core updates on every request, and with a
/// middleware of its own they cost an eighth of `/rooms`' rate. Here each worker thread
/// counts in its own table (a lock only the scrape ever contends), and the scrape adds the
/// tables up.
pub fn count_request(
    route: Option<&MatchedPath>,
    method: &axum::http::Method,
    status: u16,
    elapsed: Duration,
) {
    let method = method_label(method);
    let path = route.map_or("other", |r| r.as_str());
    let seconds = elapsed.as_secs_f64();
    MINE.with(|mine| {
        let Ok(mut table) = mine.lock() else {
            return;
        };
        if table.len() > MAX_SERIES_PER_THREAD {
            table.clear();
        }
        // Each route's matched path is one string for its router's life, so its address
        // finds it without hashing text; the text is compared too, since a later router may
        // reuse a dropped one's address.
        let key = (path.as_ptr() as usize, method, status);
        if table.get(&key).is_some_and(|s| &*s.route != path) {
            table.remove(&key);
        }
        let series = table.entry(key).or_insert_with(|| RequestSeries {
            route: path.into(),
            count: 0,
            sum: 0.0,
            buckets: [0; SECONDS_BUCKETS.len()],
        });
        series.count += 1;
        series.sum += seconds;
        if let Some(bucket) = SECONDS_BUCKETS.iter().position(|&upper| seconds <= upper) {
            series.buckets[bucket] += 1;
        }
    });
}

/// The route's address, the method's number (`method_label`), the status.
type SeriesKey = (usize, u8, u16);

struct RequestSeries {
    route: Box<str>,
    count: u64,
    sum: f64,
    /// Requests per bucket (not cumulative); those slower than the last bucket are only in
    /// `count`.
    buckets: [u64; SECONDS_BUCKETS.len()],
}

type Table = std::sync::Arc<
    std::sync::Mutex<
        std::collections::HashMap<
            SeriesKey,
            RequestSeries,
            // The keys are one of our routes and two small numbers, never chosen by a
            // client: a fast fixed hash will do, without SipHash's guard against that.
            foldhash::fast::FixedState,
        >,
    >,
>;

/// More than the API's routes times methods times statuses: a sign the addresses changed.
const MAX_SERIES_PER_THREAD: usize = 4096;

/// Every thread's table, for the scrape.
static TABLES: std::sync::Mutex<Vec<Table>> = std::sync::Mutex::new(Vec::new());

thread_local! {
    static MINE: Table = {
        let table = Table::default();
        if let Ok(mut tables) = TABLES.lock() {
            tables.push(table.clone());
        }
        table
    };
}

/// The request counters and latency histograms of every thread, added up, in the text format.
fn render_requests(out: &mut String) {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    let mut requests: BTreeMap<(String, &'static str, u16), u64> = BTreeMap::new();
    let mut latency: BTreeMap<(String, &'static str), (u64, f64, [u64; SECONDS_BUCKETS.len()])> =
        BTreeMap::new();
    let tables: Vec<Table> = TABLES.lock().map(|t| t.clone()).unwrap_or_default();
    for table in tables {
        let Ok(table) = table.lock() else {
            continue;
        };
        for (&(_, method, status), series) in table.iter() {
            let method = METHODS[usize::from(method) % METHODS.len()];
            *requests
                .entry((series.route.to_string(), method, status))
                .or_default() += series.count;
            let merged = latency
                .entry((series.route.to_string(), method))
                .or_insert((0, 0.0, [0; SECONDS_BUCKETS.len()]));
            merged.0 += series.count;
            merged.1 += series.sum;
            for (total, n) in merged.2.iter_mut().zip(series.buckets) {
                *total += n;
            }
        }
    }
    let _ = writeln!(
        out,
        "# HELP {REQUESTS} HTTP requests answered, by method, route and status."
    );
    let _ = writeln!(out, "# TYPE {REQUESTS} counter");
    for ((route, method, status), count) in &requests {
        let route = escape(route);
        let _ = writeln!(
            out,
            "{REQUESTS}{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {count}"
        );
    }
    let _ = writeln!(
        out,
        "# HELP {REQUEST_SECONDS} Time from a request's arrival to its answer, by method and route."
    );
    let _ = writeln!(out, "# TYPE {REQUEST_SECONDS} histogram");
    for ((route, method), (count, sum, buckets)) in &latency {
        let route = escape(route);
        let labels = format!("method=\"{method}\",route=\"{route}\"");
        let mut cumulative = 0;
        for (upper, n) in SECONDS_BUCKETS.iter().zip(buckets) {
            cumulative += n;
            let _ = writeln!(
                out,
                "{REQUEST_SECONDS}_bucket{{{labels},le=\"{upper}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "{REQUEST_SECONDS}_bucket{{{labels},le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(out, "{REQUEST_SECONDS}_sum{{{labels}}} {sum}");
        let _ = writeln!(out, "{REQUEST_SECONDS}_count{{{labels}}} {count}");
    }
}

/// A label value as the text format writes it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// A fixed set of labels: a client inventing methods cannot invent series.
fn method_label(method: &axum::http::Method) -> u8 {
    use axum::http::Method;
    match *method {
        Method::GET => 0,
        Method::HEAD => 1,
        Method::POST => 2,
        Method::PUT => 3,
        Method::PATCH => 4,
        Method::DELETE => 5,
        Method::OPTIONS => 6,
        _ => 7,
    }
}

/// The method labels, by `method_label`'s number.
const METHODS: [&str; 8] = [
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other",
];

/// Who made or undid a stay, as a label.
pub fn by(desk: bool) -> &'static str {
    if desk { "desk" } else { "guest" }
}

/// The text Prometheus reads: the recorder's series and the request series of every thread;
/// `None` when metrics are off. Gauges that read the present are set by the caller first.
pub fn render() -> Option<String> {
    let mut text = recorder()?.render();
    render_requests(&mut text);
    Some(text)
}
