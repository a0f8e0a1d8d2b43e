//! HTTPS built in: a client that checks the certificate books over it, the session cookie is
//! `Secure` and HSTS is sent, a renewed certificate is served without a restart, and plain
//! HTTP is sent to HTTPS.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::*;

/// A new key and a certificate for `localhost` signed by it; PEM of both.
fn certificate() -> (String, String) {
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
fn trusting(cert_pem: &str) -> reqwest::Client {
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
