//! HTTPS built in: a client that checks the certificate books over it, the session cookie is
//! `Secure` and HSTS is sent, a renewed certificate is served without a restart, and plain
//! HTTP is sent to HTTPS.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::*;

/// A new key and a certificate for `localhost` signed by it; PEM of both.
pub fn certificate() -> (String, String) {
    let made =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("a certificate");
    (made.cert.pem(), made.signing_key.serialize_pem())
}

/// Writes a file the way a renewal tool does: beside it, then renamed over it.
fn replace(path: &Path, text: &str) {
    let fresh = path.with_extension("new");
    std::fs::write(&fresh, text).expect("write");
    std::fs::rename(&fresh, path).expect("rename");
}

/// A client that trusts only `cert_pem`, speaking to `localhost`.
pub fn trusting(cert_pem: &str) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(cert_pem.as_bytes()).expect("PEM")])
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

#[tokio::test]
async fn https_books_with_secure_cookies_renews_without_restart_and_redirects_http() {
    if on_postgres() {
        return; // the transport is the same on both engines
    }
    let folder = tempfile::tempdir().expect("temp dir");
    let (cert_path, key_path) = (
        folder.path().join("cert.pem"),
        folder.path().join("key.pem"),
    );
    let (first_cert, first_key) = certificate();
    std::fs::write(&cert_path, &first_cert).expect("cert");
    std::fs::write(&key_path, &first_key).expect("key");
    let redirect = format!("127.0.0.1:{}", free_port());
    let db = TestDb::fresh().await;
    let server = Server::start_with(
        &db,
        &[
            "--tls-cert",
            &cert_path.display().to_string(),
            "--tls-key",
            &key_path.display().to_string(),
            "--redirect-http",
            &redirect,
        ],
    );
    let port = server.base.rsplit(':').next().expect("port").to_string();
    assert!(server.base.starts_with("https://"), "{}", server.base);
    let base = format!("https://localhost:{port}");

    // A client that checks the certificate books, over HTTP/2.
    let client = trusting(&first_cert);
    let booked = client
        .post(format!("{base}/book"))
        .json(&json!({"username": "tess", "password": PASSWORD, "num_rooms": 2}))
        .send()
        .await
        .expect("book over HTTPS");
    assert_eq!(booked.status(), 200);
    assert_eq!(booked.version(), reqwest::Version::HTTP_2);
    assert_eq!(
        booked.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let signed_in = client
        .post(format!("{base}/login"))
        .json(&json!({"username": "tess", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    let cookie = signed_in.headers()["set-cookie"].to_str().expect("cookie");
    assert!(cookie.contains("; Secure"), "{cookie}");
    // A client that does not trust the certificate is refused.
    let (stranger, _) = certificate();
    assert!(
        trusting(&stranger)
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_err()
    );

    // Plain HTTP is sent to the same path over HTTPS.
    let sent = client
        .get(format!("http://{redirect}/rooms?from=here"))
        .send()
        .await
        .expect("plain HTTP");
    assert_eq!(sent.status(), 308);
    assert_eq!(
        sent.headers()["location"],
        format!("https://127.0.0.1:{port}/rooms?from=here").as_str()
    );

    // A renewal: new files, the new certificate served without a restart.
    let (second_cert, second_key) = certificate();
    replace(&key_path, &second_key);
    replace(&cert_path, &second_cert);
    let renewed = trusting(&second_cert);
    let deadline = Instant::now() + Duration::from_secs(15);
    let answer = loop {
        match renewed.get(format!("{base}/healthz")).send().await {
            Ok(answer) => break answer,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("the renewed certificate was never served: {e}"),
        }
    };
    assert_eq!(answer.status(), 200);
    assert!(
        trusting(&first_cert)
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_err(),
        "the old certificate is no longer served"
    );
    assert_eq!(db.held_room_nights().await.len(), 2);
    drop(server);
}

#[test]
fn tls_needs_both_files_and_the_redirect_needs_tls() {
    let half = hotel_server("sqlite://unused-tls.db", &["--tls-cert", "cert.pem"], None);
    let redirect_alone = hotel_server(
        "sqlite://unused-tls.db",
        &["--redirect-http", "127.0.0.1:0"],
        None,
    );

    assert!(!half.status.success());
    assert!(String::from_utf8_lossy(&half.stderr).contains("--tls-cert and --tls-key go together"));
    assert!(!redirect_alone.status.success());
    assert!(String::from_utf8_lossy(&redirect_alone.stderr).contains("needs --tls-cert"));
}

/// A server over TLS with `args`; the certificate, the server, and its base URL by name.
fn start_tls(db: &TestDb, folder: &Path, args: &[&str]) -> (String, Server, String) {
    let (cert, key) = certificate();
    let (cert_path, key_path) = (folder.join("cert.pem"), folder.join("key.pem"));
    std::fs::write(&cert_path, &cert).expect("cert");
    std::fs::write(&key_path, &key).expect("key");
    let (cert_arg, key_arg) = (
        cert_path.display().to_string(),
        key_path.display().to_string(),
    );
    let mut all = vec!["--tls-cert", &cert_arg, "--tls-key", &key_arg];
    all.extend_from_slice(args);
    let server = Server::start_with(db, &all);
    let port = server.base.rsplit(':').next().expect("port").to_string();
    (cert, server, format!("https://localhost:{port}"))
}

#[tokio::test]
async fn idle_http2_connections_are_closed_so_new_clients_get_in() {
    if on_postgres() {
        return; // the transport is the same on both engines
    }
    let folder = tempfile::tempdir().expect("temp dir");
    let db = TestDb::fresh().await;
    let (cert, server, base) = start_tls(
        &db,
        folder.path(),
        &["--max-connections", "3", "--header-timeout", "1"],
    );
    // Three clients each keep their HTTP/2 connection open and idle (reqwest's pool).
    let mut holders = Vec::new();
    for _ in 0..3 {
        let client = trusting(&cert);
        let answer = client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .expect("healthz");
        assert_eq!(answer.version(), reqwest::Version::HTTP_2);
        holders.push(client);
    }
    // A fourth client is let in once the idle ones are closed, after the header timeout.
    let newcomer = trusting(&cert);
    let started = Instant::now();
    loop {
        match newcomer.get(format!("{base}/healthz")).send().await {
            Ok(answer) if answer.status() == 200 => break,
            _ if started.elapsed() < Duration::from_secs(8) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            outcome => panic!("idle HTTP/2 connections kept the newcomer out: {outcome:?}"),
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    drop(holders);
    drop(server);
}

/// Whether the server closes `stream` within `limit` (it may answer first).
async fn closed_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut answer = Vec::new();
    match tokio::time::timeout(limit, stream.read_to_end(&mut answer)).await {
        Ok(_) => Some(String::from_utf8_lossy(&answer).into_owned()),
        Err(_) => None,
    }
}

#[tokio::test]
async fn side_ports_close_idle_connections_and_keep_to_their_share() {
    if on_postgres() {
        return; // the transport is the same on both engines
    }
    let folder = tempfile::tempdir().expect("temp dir");
    let db = TestDb::fresh().await;
    let (redirect, metrics) = (
        format!("127.0.0.1:{}", free_port()),
        format!("127.0.0.1:{}", free_port()),
    );
    let (cert, server, base) = start_tls(
        &db,
        folder.path(),
        &[
            "--redirect-http",
            &redirect,
            "--metrics-listen",
            &metrics,
            "--header-timeout",
            "1",
        ],
    );
    for side in [&redirect, &metrics] {
        // An idle connection is closed after the header timeout, as on the main port.
        let mut idle = tokio::net::TcpStream::connect(side.as_str())
            .await
            .expect("connect");
        assert!(
            closed_within(&mut idle, Duration::from_secs(5))
                .await
                .is_some(),
            "{side} kept an idle connection"
        );
    }
    // A flood of the metrics port: it holds at most its 32 connections (a new one makes room
    // by closing an idle one), never the descriptors the main port needs.
    let mut flood = Vec::new();
    for _ in 0..100 {
        flood.push(
            tokio::net::TcpStream::connect(metrics.as_str())
                .await
                .expect("connect"),
        );
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut still_open = 0;
    for stream in &mut flood {
        if closed_within(stream, Duration::from_millis(20))
            .await
            .is_none()
        {
            still_open += 1;
        }
    }
    assert!(still_open <= 32, "{still_open} of the flood held");
    // Meanwhile the main port serves as ever.
    let answer = trusting(&cert)
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(answer.status(), 200);
    drop(flood);
    // SIGTERM stops every port, and the server exits cleanly.
    let mut server = server;
    let status = std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = server.child.wait().expect("exit");
    assert!(exit.success(), "exit status {exit}");
    assert!(
        tokio::net::TcpStream::connect(metrics.as_str())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn an_idle_http2_connection_is_closed_after_the_header_timeout() {
    use rustls::pki_types::pem::PemObject;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    if on_postgres() {
        return; // the transport is the same on both engines
    }
    let folder = tempfile::tempdir().expect("temp dir");
    let db = TestDb::fresh().await;
    let (cert, server, base) = start_tls(&db, folder.path(), &["--header-timeout", "1"]);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from_pem_slice(cert.as_bytes()).expect("PEM"))
        .expect("root");
    let mut config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec()];
    let address = base.trim_start_matches("https://localhost:");
    let tcp = tokio::net::TcpStream::connect(format!("127.0.0.1:{address}"))
        .await
        .expect("connect");
    let mut connection = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config))
        .connect(
            rustls::pki_types::ServerName::try_from("localhost").expect("name"),
            tcp,
        )
        .await
        .expect("handshake");
    assert_eq!(connection.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
    // The client's preface and empty SETTINGS, then nothing: an HTTP/2 connection at rest.
    connection
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0")
        .await
        .expect("preface");
    let started = Instant::now();
    let mut everything = Vec::new();
    let closed = tokio::time::timeout(
        Duration::from_secs(8),
        connection.read_to_end(&mut everything),
    )
    .await;
    assert!(closed.is_ok(), "the idle HTTP/2 connection was kept open");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    drop(server);
}
