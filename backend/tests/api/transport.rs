//! What reaches the server before a handler does: connections that idle or crawl, a cap on
//! open connections, proxies and the addresses they report, cookies sent by other sites'
//! pages, oversized bodies announced up front, and the headers every answer carries.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, COOKIE, SET_COOKIE};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

use crate::helpers::*;

/// Everything the server sends on `stream` until it closes it (or `limit` passes: `None`).
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(limit, stream.read_to_end(&mut answer)).await;
    match read {
        Ok(Ok(_)) => Some(String::from_utf8_lossy(&answer).into_owned()),
        // A reset is a close too.
        Ok(Err(_)) => Some(String::from_utf8_lossy(&answer).into_owned()),
        Err(_) => None,
    }
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let app = spawn_app_with(|c| c.header_timeout_secs = 1).await;
    let mut slow = TcpStream::connect(app.address).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: hotel\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let closed = read_until_closed(&mut slow, Duration::from_secs(10)).await;
    assert!(closed.is_some(), "the server kept a half-sent request open");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let app = spawn_app_with(|c| c.header_timeout_secs = 1).await;
    let mut idle = TcpStream::connect(app.address).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: hotel\r\n\r\n")
        .await
        .unwrap();
    // The answer comes, then the connection sits unused until the server closes it.
    let everything = read_until_closed(&mut idle, Duration::from_secs(10))
        .await
        .expect("the server kept an idle connection open");
    assert!(everything.starts_with("HTTP/1.1 200"), "{everything}");
}

#[tokio::test]
async fn a_client_over_the_connection_cap_is_answered_503_and_others_still_get_in() {
    let app = spawn_app_with(|c| {
        c.max_connections = 3;
        c.header_timeout_secs = 60;
    })
    .await;
    // Three connections each in the middle of an exchange (an upload on its way in): none
    // of them is idle, so none makes room.
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(start_upload(app.address, 1_000, 10).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = TcpStream::connect(app.address).await.unwrap();
    extra
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: hotel\r\n\r\n")
        .await
        .unwrap();
    let refused = read_until_closed(&mut extra, Duration::from_secs(5))
        .await
        .expect("a client over the cap got no answer");
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(
        refused.to_lowercase().contains("retry-after: 1"),
        "{refused}"
    );
    assert!(
        refused.contains("\"code\":\"too_many_connections\""),
        "{refused}"
    );

    // Once one of the holders leaves, a new client is served.
    drop(held.pop());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let reply = app
            .send_with(Method::GET, "/healthz", None, |r| {
                r.header("connection", "close")
            })
            .await;
        if reply.status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no room came free: {:?}",
            reply.body
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn at_the_cap_an_idle_connection_makes_room_for_a_new_client_at_once() {
    let app = spawn_app_with(|c| {
        c.max_connections = 3;
        c.header_timeout_secs = 60;
    })
    .await;
    // Three connections opened and left silent, as an attacker holds them.
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(TcpStream::connect(app.address).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let reply = app
        .send_with(Method::GET, "/healthz", None, |r| {
            r.header("connection", "close")
        })
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // One of the silent ones was closed for it.
    let mut closed = 0;
    for stream in &mut idle {
        if read_until_closed(stream, Duration::from_millis(100))
            .await
            .is_some()
        {
            closed += 1;
        }
    }
    assert_eq!(closed, 1);
}

#[tokio::test]
async fn a_declared_oversized_body_is_refused_before_the_client_sends_it() {
    let app = spawn_app().await;
    let mut stream = TcpStream::connect(app.address).await.unwrap();
    stream
        .write_all(
            b"POST /book HTTP/1.1\r\nHost: hotel\r\nContent-Type: application/json\r\n\
              Content-Length: 50000000\r\nExpect: 100-continue\r\n\r\n",
        )
        .await
        .unwrap();
    let mut first = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut first))
        .await
        .expect("an answer before any body")
        .unwrap();
    let answer = String::from_utf8_lossy(&first[..n]).to_string();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("\"code\":\"body_too_large\""), "{answer}");
}

/// Opens a connection and sends a request's headers announcing a `length`-byte body, and
/// only the first `sent` bytes of it.
async fn start_upload(address: SocketAddr, length: usize, sent: usize) -> TcpStream {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /register HTTP/1.1\r\nHost: hotel\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&vec![b' '; sent]).await.unwrap();
    stream
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_answered_408() {
    let app = spawn_app_with(|c| c.header_timeout_secs = 1).await;
    let started = Instant::now();
    let mut stream = start_upload(app.address, 1_000, 10).await;
    let answer = read_until_closed(&mut stream, Duration::from_secs(10))
        .await
        .expect("the server waited for the rest of the body");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\":\"body_timeout\""), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn unfinished_bodies_share_a_bounded_memory_and_other_clients_are_still_served() {
    // 1 MiB for bodies on their way in: sixteen 64 KiB uploads fill it.
    let app = spawn_app_with(|c| {
        c.max_body_memory = 1;
        c.header_timeout_secs = 3;
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..16 {
        held.push(start_upload(app.address, 64 * 1024, 100).await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut one_more = start_upload(app.address, 64 * 1024, 100).await;
    let refused = read_until_closed(&mut one_more, Duration::from_secs(2))
        .await
        .expect("a body over the budget was not refused at once");
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.contains("\"code\":\"busy\""), "{refused}");
    assert!(
        refused.to_lowercase().contains("retry-after: 1"),
        "{refused}"
    );
    // Requests without a body, and small ones once the stalled uploads are cut off, pass.
    assert_eq!(app.get("/healthz").await.status, 200);
    for upload in &mut held {
        let answer = read_until_closed(upload, Duration::from_secs(10))
            .await
            .expect("a stalled upload was kept");
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    }
    assert_eq!(app.register("after", PASSWORD).await.status, 201);
}

#[tokio::test]
async fn api_answers_are_neither_cached_nor_sniffed() {
    let app = spawn_app().await;
    for reply in [
        app.get("/rooms").await,
        app.query("nobody-yet").await,
        app.get("/no/such/endpoint").await,
    ] {
        assert_eq!(reply.headers[CACHE_CONTROL], "no-store", "{:?}", reply.body);
        assert_eq!(reply.headers["x-content-type-options"], "nosniff");
    }
}

#[tokio::test]
async fn errors_carry_a_stable_code() {
    let app = spawn_app().await;
    app.register("ada", PASSWORD).await;
    let wrong = app
        .send(
            Method::POST,
            "/login",
            Some(json!({"username": "ada", "password": "not it at all"})),
        )
        .await;
    wrong.assert(401, "code", "wrong_password");
    app.raw(Method::POST, "/book", "{oops")
        .await
        .assert(400, "code", "invalid_json");
    app.book("ada", 11)
        .await
        .assert(409, "code", "not_enough_rooms");
    app.get("/nowhere").await.assert(404, "code", "not_found");
}

#[tokio::test]
async fn the_page_allows_only_the_apps_own_scripts() {
    let site = tempfile::tempdir().unwrap();
    let start = "import init from '/app-0123456789abcdef.js'; await init();";
    std::fs::write(
        site.path().join("index.html"),
        format!(
            "<!DOCTYPE html><html><head><script type=\"module\">{start}</script></head><body></body></html>"
        ),
    )
    .unwrap();
    let dir = site.path().to_path_buf();
    let app = spawn_app_with(move |c| c.static_dir = Some(dir)).await;
    let page = app
        .client
        .get(app.url("/"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let policy = page.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    let digest = {
        use base64::Engine as _;
        use sha2::Digest as _;
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(start.as_bytes()))
    };
    assert!(policy.contains(&format!("'sha256-{digest}'")), "{policy}");
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
}

/// The session cookie of a new signed-in guest.
async fn cookie_of(app: &TestApp, user: &str) -> String {
    app.register(user, PASSWORD).await;
    let reply = app
        .send(
            Method::POST,
            "/login",
            Some(json!({"username": user, "password": PASSWORD})),
        )
        .await;
    let set = reply.headers[SET_COOKIE].to_str().unwrap();
    set.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn a_cookie_request_from_another_sites_page_changes_nothing() {
    let app = spawn_app().await;
    let cookie = cookie_of(&app, "cy").await;
    let book = json!({"num_rooms": 1});
    let from = |headers: &'static [(&'static str, &'static str)]| {
        let cookie = cookie.clone();
        move |r: reqwest::RequestBuilder| {
            let mut r = r.header(COOKIE, cookie);
            for (k, v) in headers {
                r = r.header(*k, *v);
            }
            r
        }
    };
    // Another port on the same host, a sibling subdomain: same site, another origin.
    for headers in [
        &[("origin", "http://127.0.0.1:1")][..],
        &[
            ("sec-fetch-site", "same-site"),
            ("origin", "http://127.0.0.1:1"),
        ][..],
        &[("sec-fetch-site", "cross-site")][..],
        &[("origin", "null")][..],
    ] {
        app.send_with(Method::POST, "/book", Some(book.clone()), from(headers))
            .await
            .assert(403, "code", "cross_site_request");
    }
    // A form can send text/plain without asking the browser's permission; JSON it cannot.
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        app.send_with(Method::POST, "/book", None, |r| {
            r.header(COOKIE, cookie.clone())
                .header("sec-fetch-site", "same-origin")
                .header("content-type", content_type)
                .body(r#"{"num_rooms": 1}"#)
        })
        .await
        .assert(415, "code", "json_required");
    }
    assert!(app.occupied_rooms().await.is_empty());

    // The app's own page, as the browser describes it, and a client with no page at all.
    let own_origin = format!("http://{}", app.address);
    app.send_with(Method::POST, "/book", Some(book.clone()), |r| {
        r.header(COOKIE, cookie.clone())
            .header("origin", own_origin.clone())
    })
    .await
    .assert(200, "message", "Rooms booked successfully: [1]");
    app.send_with(
        Method::POST,
        "/book",
        Some(book.clone()),
        from(&[("sec-fetch-site", "same-origin")]),
    )
    .await
    .assert(200, "message", "Rooms booked successfully: [2]");
    app.send_with(Method::POST, "/book", Some(book), |r| {
        r.header(COOKIE, cookie.clone())
    })
    .await
    .assert(200, "message", "Rooms booked successfully: [3]");
}

#[tokio::test]
async fn bearer_tokens_and_passwords_in_the_body_are_not_cookie_checked() {
    let app = spawn_app().await;
    let token = app.guest("di").await;
    app.send_with(Method::POST, "/book", Some(json!({"num_rooms": 1})), |r| {
        r.bearer_auth(&token)
            .header("origin", "http://elsewhere.example")
    })
    .await
    .assert(200, "message", "Rooms booked successfully: [1]");
    app.send_with(
        Method::POST,
        "/book",
        Some(json!({"username": "di", "password": PASSWORD, "num_rooms": 1})),
        |r| r.header("origin", "http://elsewhere.example"),
    )
    .await
    .assert(200, "message", "Rooms booked successfully: [2]");
}

/// A TCP forwarder in front of the server, as a load balancer is: it connects to the server
/// from 127.0.0.2 and adds the client's address and `X-Forwarded-Proto: https` to the first
/// request of each connection.
async fn start_proxy(server: SocketAddr) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut client, peer)) = listener.accept().await {
            tokio::spawn(async move {
                let socket = TcpSocket::new_v4().unwrap();
                socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
                let Ok(mut upstream) = socket.connect(server).await else {
                    return;
                };
                // Read up to the end of the request line, then insert the headers after it.
                let mut line = Vec::new();
                let mut byte = [0u8; 1];
                while !line.ends_with(b"\r\n") {
                    if client.read_exact(&mut byte).await.is_err() {
                        return;
                    }
                    line.push(byte[0]);
                }
                line.extend_from_slice(
                    format!(
                        "X-Forwarded-For: {}\r\nX-Forwarded-Proto: https\r\n",
                        peer.ip()
                    )
                    .as_bytes(),
                );
                if upstream.write_all(&line).await.is_err() {
                    return;
                }
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    address
}

/// A client whose connections come from `ip` (any 127.x address is this machine), one
/// connection per request so that the proxy labels each.
fn client_from(ip: &str) -> reqwest::Client {
    let _ = http_client();
    reqwest::Client::builder()
        .local_address(ip.parse::<IpAddr>().unwrap())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

async fn login_status(client: &reqwest::Client, base: SocketAddr, password: &str) -> u16 {
    client
        .post(format!("http://{base}/login"))
        .json(&json!({"username": "vic", "password": password}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn behind_a_trusted_proxy_one_clients_guesses_do_not_lock_out_another() {
    let app = spawn_app_with(|c| c.trusted_proxies = vec!["127.0.0.2/32".parse().unwrap()]).await;
    app.register("vic", PASSWORD).await;
    let proxy = start_proxy(app.address).await;
    let attacker = client_from("127.0.0.3");
    for _ in 0..5 {
        assert_eq!(login_status(&attacker, proxy, "wrong guess").await, 401);
    }
    assert_eq!(login_status(&attacker, proxy, "wrong guess").await, 429);
    let victim = client_from("127.0.0.4");
    assert_eq!(login_status(&victim, proxy, PASSWORD).await, 200);

    // The proxy said the client came over HTTPS, and it is believed: the cookie is Secure.
    let signed_in = victim
        .post(format!("http://{proxy}/login"))
        .json(&json!({"username": "vic", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = signed_in.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn forwarding_headers_from_anyone_else_are_ignored() {
    let app = spawn_app_with(|c| c.trusted_proxies = vec!["127.0.0.2/32".parse().unwrap()]).await;
    app.register("vic", PASSWORD).await;
    // A direct client pretending to be many addresses is still one address.
    let direct = client_from("127.0.0.5");
    for n in 0..6 {
        let reply = direct
            .post(app.url("/login"))
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .header("forwarded", format!("for=198.51.100.{n}"))
            .json(&json!({"username": "vic", "password": "wrong guess"}))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), if n < 5 { 401 } else { 429 });
    }
    // Nor does it make its cookie Secure by saying so.
    let other = client_from("127.0.0.6");
    let reply = other
        .post(app.url("/login"))
        .header("x-forwarded-proto", "https")
        .json(&json!({"username": "vic", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let cookie = reply.headers()[SET_COOKIE].to_str().unwrap();
    assert!(!cookie.contains("Secure"), "{cookie}");
}
