//! The deployment people run: the hotel behind Debian's nginx with `deploy/nginx.conf` as it
//! is shipped (only its addresses, names and certificate paths put in), terminating TLS.

use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::*;
use crate::tls::certificate;

const NGINX: &str = "/usr/sbin/nginx";

/// `text` with `from` replaced by `to`, which must be there: a sample that changed shape
/// fails here instead of being tested half.
fn put(text: String, from: &str, to: &str) -> String {
    assert!(
        text.contains(from),
        "deploy/nginx.conf no longer has {from:?}"
    );
    text.replace(from, to)
}

/// The shipped site with this test's addresses, wrapped in the little a whole nginx.conf
/// needs, every path in `dir`.
fn nginx_conf(dir: &Path, upstream: &str, http: u16, https: u16) -> String {
    let sample_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/nginx.conf");
    let sample = std::fs::read_to_string(&sample_path).expect("deploy/nginx.conf");
    let d = dir.display();
    let site = put(
        sample,
        "server 127.0.0.1:8080;",
        &format!("server {upstream};"),
    );
    let site = put(site, "    listen [::]:80;\n", "");
    let site = put(site, "    listen [::]:443 ssl http2;\n", "");
    let site = put(site, "listen 80;", &format!("listen 127.0.0.1:{http};"));
    let site = put(
        site,
        "listen 443 ssl http2;",
        &format!("listen 127.0.0.1:{https} ssl http2;"),
    );
    let site = put(site, "server_name hotel.example;", "server_name localhost;");
    let site = put(
        site,
        "/etc/letsencrypt/live/hotel.example/fullchain.pem",
        &format!("{d}/cert.pem"),
    );
    let site = put(
        site,
        "/etc/letsencrypt/live/hotel.example/privkey.pem",
        &format!("{d}/key.pem"),
    );
    format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n access_log {d}/access.log;\n client_body_temp_path {d}/body;\n\
         proxy_temp_path {d}/proxy;\n fastcgi_temp_path {d}/fastcgi;\n\
         uwsgi_temp_path {d}/uwsgi;\n scgi_temp_path {d}/scgi;\n{site}\n}}\n"
    )
}

/// nginx, stopped when dropped.
struct Nginx(std::process::Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A client that trusts `cert_pem` and connects from `from` (a loopback address other than
/// the proxy's own, so the server's log can tell the client from nginx).
fn client_from(cert_pem: &str, from: std::net::IpAddr) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(cert_pem.as_bytes()).expect("PEM")])
        .redirect(reqwest::redirect::Policy::none())
        .local_address(from)
        .build()
        .expect("client")
}

#[tokio::test]
async fn behind_nginx_a_guest_books_over_https_and_the_log_names_the_real_client() {
    if on_postgres() {
        return; // the transport is the same on both engines
    }
    if !Path::new(NGINX).exists() {
        assert!(
            std::env::var_os("HOTEL_NGINX_REQUIRED").is_none(),
            "nginx is required here (cargo xtask test installs it)"
        );
        eprintln!("skipped: no {NGINX}");
        return;
    }
    let db = TestDb::fresh().await;
    let (mut hotel, base) = start_server_process(
        &[
            "--log",
            "info",
            "--log-format",
            "json",
            "--create",
            "--database",
            &db.url,
            "--trusted-proxy",
            "127.0.0.1",
        ],
        true,
    );
    let upstream = base.trim_start_matches("http://").to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let (cert, key) = certificate();
    std::fs::write(dir.path().join("cert.pem"), &cert).expect("cert");
    std::fs::write(dir.path().join("key.pem"), &key).expect("key");
    let (http, https) = (free_port(), free_port());
    let conf = dir.path().join("nginx.conf");
    std::fs::write(&conf, nginx_conf(dir.path(), &upstream, http, https)).expect("conf");
    let _nginx = Nginx(
        std::process::Command::new(NGINX)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .spawn()
            .expect("start nginx"),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", https)).is_err() {
        assert!(
            Instant::now() < deadline,
            "nginx did not start: {}",
            std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let guest_address: std::net::IpAddr = "127.0.0.3".parse().expect("address");
    let client = client_from(&cert, guest_address);
    let site = format!("https://localhost:{https}");

    // A guest books over HTTPS, claiming to be someone else: nginx is the edge, so the
    // claim goes nowhere.
    let booked = client
        .post(format!("{site}/book"))
        .header("x-forwarded-for", "203.0.113.9")
        .json(&json!({"username": "nina", "password": PASSWORD, "num_rooms": 1}))
        .send()
        .await
        .expect("book through nginx");
    assert_eq!(booked.status(), 200);
    let request_id = booked
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        booked.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let body: Value = booked.json().await.expect("json");
    assert_eq!(body["rooms"], json!([1]), "{body}");
    // The session cookie is Secure: the server knows the guest came over HTTPS.
    let signed_in = client
        .post(format!("{site}/login"))
        .json(&json!({"username": "nina", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(signed_in.status(), 200);
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_string();
    assert!(cookie.contains("; Secure"), "{cookie}");
    // Plain HTTP is sent to HTTPS; a body past the photo limit stops at nginx.
    let plain = client
        .get(format!("http://localhost:{http}/rooms"))
        .send()
        .await
        .expect("plain HTTP");
    assert_eq!(plain.status(), 301);
    assert_eq!(plain.headers()["location"], "https://localhost/rooms");
    let huge = client
        .post(format!("{site}/book"))
        .header("content-type", "application/json")
        .body(vec![b' '; 7 * 1024 * 1024])
        .send()
        .await
        .expect("a huge body");
    assert_eq!(huge.status(), 413);

    // The server's log line of the booking names the guest's address, not nginx's, and
    // nginx's request id.
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &hotel.id().to_string()])
        .status();
    let _ = hotel.wait();
    let mut logged = String::new();
    hotel
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut logged)
        .expect("log");
    keep_log("server", logged.as_bytes());
    let line = logged
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .map(|l| l["fields"].clone())
        .find(|f| f["route"] == "/book" && f["status"] == 200)
        .unwrap_or_else(|| panic!("no line of the booking: {logged}"));
    assert_eq!(line["client"], "127.0.0.3", "{line}");
    assert_eq!(line["request_id"], request_id.as_str(), "{line}");
    assert_eq!(request_id.len(), 32, "nginx's $request_id: {request_id:?}");
}
