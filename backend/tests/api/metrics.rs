//! `GET /metrics`: Prometheus' text format, for staff on the main port and for anyone on the
//! metrics address; its counters follow what happened.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::helpers::*;

/// One sample: the metric's name and its labels, sorted, as `name{a="1",b="2"}`.
type Samples = HashMap<String, f64>;

/// Reads Prometheus' text exposition format strictly: every line is a `# HELP`, a `# TYPE`
/// with a known type, or a sample whose name, labels and value are well formed.
fn parse_exposition(text: &str) -> Result<(Samples, HashMap<String, String>), String> {
    let valid_name = |name: &str| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    let mut samples = Samples::new();
    let mut types = HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(help) = line.strip_prefix("# HELP ") {
            let name = help.split(' ').next().unwrap_or_default();
            if !valid_name(name) {
                return Err(format!("bad HELP: {line}"));
            }
            continue;
        }
        if let Some(kind) = line.strip_prefix("# TYPE ") {
            let (name, kind) = kind.split_once(' ').ok_or(format!("bad TYPE: {line}"))?;
            if !valid_name(name)
                || !["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind)
            {
                return Err(format!("bad TYPE: {line}"));
            }
            types.insert(name.to_string(), kind.to_string());
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').ok_or(format!("no value: {line}"))?;
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse().map_err(|_| format!("bad value: {line}"))?,
        };
        let (name, labels) = match series.split_once('{') {
            None => (series, Vec::new()),
            Some((name, rest)) => {
                let body = rest
                    .strip_suffix('}')
                    .ok_or(format!("unclosed labels: {line}"))?;
                let mut labels = Vec::new();
                let mut rest = body;
                while !rest.is_empty() {
                    let (label, after) =
                        rest.split_once("=\"").ok_or(format!("bad label: {line}"))?;
                    let mut value = String::new();
                    let mut chars = after.char_indices();
                    let end = loop {
                        match chars.next() {
                            Some((_, '\\')) => {
                                if let Some((_, c)) = chars.next() {
                                    value.push(c);
                                }
                            }
                            Some((i, '"')) => break i,
                            Some((_, c)) => value.push(c),
                            None => return Err(format!("unclosed label value: {line}")),
                        }
                    };
                    if !valid_name(label) {
                        return Err(format!("bad label name: {line}"));
                    }
                    labels.push(format!("{label}=\"{value}\""));
                    rest = after[end + 1..].trim_start_matches(',');
                }
                labels.sort();
                (name, labels)
            }
        };
        if !valid_name(name) {
            return Err(format!("bad metric name: {line}"));
        }
        samples.insert(format!("{name}{{{}}}", labels.join(",")), value);
    }
    Ok((samples, types))
}

async fn post(client: &reqwest::Client, url: String, body: Value) -> Value {
    let reply = client.post(url).json(&body).send().await.expect("request");
    assert!(reply.status().is_success(), "{reply:?}");
    reply.json().await.expect("JSON")
}

#[tokio::test]
async fn metrics_parse_and_count_the_bookings_made() {
    let db = TestDb::fresh().await;
    let port = free_port();
    let metrics_address = format!("127.0.0.1:{port}");
    let server = Server::start_with(&db, &["--metrics-listen", &metrics_address]);
    let client = http_client();
    let base = server.base.clone();

    // Arrange: three guests book 1, 2 and 3 rooms; the first cancels one stay.
    let mut first_booking = None;
    for (n, rooms) in [(1, 1), (2, 2), (3, 3)] {
        let booked = post(
            &client,
            format!("{base}/book"),
            json!({"username": format!("guest{n}"), "password": PASSWORD, "num_rooms": rooms}),
        )
        .await;
        first_booking.get_or_insert(booked["bookings"][0]["id"].as_i64().expect("id"));
    }
    let token = log_in(&client, &base, "guest1").await;
    let cancelled = client
        .delete(format!(
            "{base}/bookings/{}",
            first_booking.expect("a booking")
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("cancel");
    assert_eq!(cancelled.status(), 200);

    // Act
    let guest_asks = client
        .get(format!("{base}/metrics"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("metrics as a guest");
    let anonymous = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics");
    sign_up(&client, &base, "ops").await;
    let granted = hotel_server(&db.url, &["staff", "grant", "ops"], None);
    assert!(granted.status.success(), "{granted:?}");
    let staff = log_in(&client, &base, "ops").await;
    let for_staff = client
        .get(format!("{base}/metrics"))
        .bearer_auth(&staff)
        .send()
        .await
        .expect("metrics as staff");
    let scraped = client
        .get(format!("http://{metrics_address}/metrics"))
        .send()
        .await
        .expect("metrics address");

    // Assert
    assert_eq!(anonymous.status(), 401);
    assert_eq!(guest_asks.status(), 403);
    assert_eq!(for_staff.status(), 200);
    assert_eq!(scraped.status(), 200);
    assert!(
        scraped.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/plain; version=0.0.4")
    );
    let text = scraped.text().await.expect("text");
    let (samples, types) = parse_exposition(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let at = |series: &str| {
        samples
            .get(series)
            .copied()
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
    };
    assert_eq!(at("hotel_bookings_total{by=\"guest\"}"), 6.0);
    assert_eq!(at("hotel_cancellations_total{by=\"guest\"}"), 1.0);
    assert_eq!(
        at("hotel_http_requests_total{method=\"POST\",route=\"/book\",status=\"200\"}"),
        3.0
    );
    assert_eq!(
        at("hotel_http_request_duration_seconds_count{method=\"POST\",route=\"/book\"}"),
        3.0
    );
    assert_eq!(
        at("hotel_http_requests_total{method=\"DELETE\",route=\"/bookings/{id}\",status=\"200\"}"),
        1.0
    );
    assert_eq!(
        at("hotel_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"401\"}"),
        1.0
    );
    // At least the two sign-ins whose tokens this test holds.
    assert!(at("hotel_sessions_active{}") >= 2.0);
    assert!(at("hotel_password_hashes_total{}") >= 4.0);
    assert_eq!(
        types.get("hotel_bookings_total").map(String::as_str),
        Some("counter")
    );
    assert_eq!(
        types
            .get("hotel_http_request_duration_seconds")
            .map(String::as_str),
        Some("histogram")
    );
    if on_postgres() {
        assert!(at("hotel_db_pool_connections{state=\"idle\"}") >= 0.0);
    } else {
        // Every write so far went through the writer: sign-ups, bookings, the cancellation.
        assert!(at("hotel_sqlite_commit_batch_jobs_count{}") >= 5.0);
        assert!(at("hotel_sqlite_commit_seconds_count{}") >= 5.0);
        assert_eq!(at("hotel_sqlite_write_queue{}"), 0.0);
    }
    drop(server);
}

#[tokio::test]
async fn json_logs_are_one_object_a_line() {
    use std::io::Read;
    let db = TestDb::fresh().await;
    let (mut child, base) = start_server_process(
        &[
            "--log",
            "info",
            "--log-format",
            "json",
            "--create",
            "--database",
            &db.url,
        ],
        true,
    );

    let health = http_client()
        .get(format!("{base}/healthz"))
        .header("x-request-id", "lb-7f3a")
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), 200);
    assert_eq!(
        health
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("lb-7f3a")
    );
    let unnamed = http_client()
        .get(format!("{base}/rooms"))
        .header("x-request-id", "not/an id")
        .send()
        .await
        .expect("rooms");
    let made_here = unnamed
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        !made_here.is_empty() && !made_here.contains(' '),
        "{made_here:?}"
    );
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(stopped.success());
    let _ = child.wait();
    let mut logged = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut logged)
        .expect("log");
    keep_log("server", logged.as_bytes());

    let lines: Vec<Value> = logged
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    // A request is its fields, for a log system to filter on, not a sentence to parse.
    let request = lines
        .iter()
        .map(|l| &l["fields"])
        .find(|f| f["request_id"] == "lb-7f3a")
        .unwrap_or_else(|| panic!("no line of the request: {logged}"));
    assert_eq!(request["method"], "GET", "{request}");
    assert_eq!(request["route"], "/healthz", "{request}");
    assert_eq!(request["status"], 200, "{request}");
    assert_eq!(request["client"], "127.0.0.1", "{request}");
    assert!(request["duration_ms"].as_f64().is_some(), "{request}");
    let room_list = lines
        .iter()
        .map(|l| &l["fields"])
        .find(|f| f["route"] == "/rooms")
        .unwrap_or_else(|| panic!("no line of /rooms: {logged}"));
    assert_eq!(room_list["request_id"], made_here.as_str(), "{room_list}");
    // Start-up names the build and the schema it runs on.
    let started = lines
        .iter()
        .map(|l| &l["fields"])
        .find(|f| f["message"] == "hotel-server started")
        .unwrap_or_else(|| panic!("no start-up line: {logged}"));
    assert_eq!(started["version"], env!("CARGO_PKG_VERSION"), "{started}");
    assert!(
        started["schema"].as_u64().is_some_and(|v| v >= 17),
        "{started}"
    );
    assert!(started["timezone"].is_string(), "{started}");
    assert!(lines.iter().all(|l| l["level"].is_string()), "{logged}");
}
