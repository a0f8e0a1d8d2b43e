//! The release binary that `cargo xtask dist` makes, alone in an empty folder, is the whole
//! hotel: it serves the guest portal and the front desk from inside itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::BufRead;
use std::process::{Command, Stdio};

use hotel_e2e::http_client;

/// The first file `html` refers to whose name is `prefix`, a content hash, then `suffix`.
fn file_named(html: &str, prefix: &str, suffix: &str) -> String {
    html.match_indices(prefix)
        .find_map(|(at, _)| {
            let rest = &html[at + prefix.len()..];
            let hash = rest.len()
                - rest
                    .trim_start_matches(|c: char| c.is_ascii_hexdigit())
                    .len();
            rest[hash..]
                .starts_with(suffix)
                .then(|| format!("{prefix}{}{suffix}", &rest[..hash]))
        })
        .unwrap_or_else(|| panic!("no {prefix}…{suffix} in {html}"))
}

async fn fetch(url: &str, accept: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = http_client()
        .get(url)
        .header("Accept", accept)
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn the_release_binary_alone_in_a_folder_serves_the_guest_portal_and_the_desk() {
    let Some(built) = std::env::var_os("HOTEL_ONE_FILE_SERVER") else {
        assert!(
            std::env::var_os("HOTEL_E2E_REQUIRED").is_none(),
            "HOTEL_ONE_FILE_SERVER names no binary: `cargo xtask test` builds one with `cargo xtask dist`"
        );
        eprintln!("skipped: set HOTEL_ONE_FILE_SERVER to the binary `cargo xtask dist` built");
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let binary = folder.path().join("hotel-server");
    std::fs::copy(&built, &binary).unwrap();
    let mut child = Command::new(&binary)
        .current_dir(folder.path())
        .args(["--listen", "127.0.0.1:0", "--database", "sqlite://hotel.db"])
        .env_remove("HOTEL_STATIC_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut banner = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut banner)
        .unwrap();
    let base = banner
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {banner:?}"))
        .trim_end_matches('/')
        .to_string();

    let (status, _, page) = fetch(&format!("{base}/"), "text/html").await;
    let (desk_status, _, desk_page) = fetch(&format!("{base}/desk"), "text/html").await;
    let page = String::from_utf8(page).unwrap();
    let desk_page = String::from_utf8(desk_page).unwrap();
    let wasm = file_named(&page, "/hotel-frontend-", "_bg.wasm");
    let desk_script = file_named(&desk_page, "/desk/hotel-desk-", ".js");
    let (wasm_status, wasm_headers, wasm_bytes) = fetch(&format!("{base}{wasm}"), "*/*").await;
    let (script_status, script_headers, _) = fetch(&format!("{base}{desk_script}"), "*/*").await;
    let _ = child.kill();
    let _ = child.wait();

    assert_eq!(status, 200);
    assert!(page.contains("<title>"), "{page}");
    assert_eq!(desk_status, 200);
    assert_ne!(page, desk_page, "the desk has its own page");
    assert_eq!(wasm_status, 200, "{wasm}");
    assert_eq!(wasm_headers["content-type"], "application/wasm");
    assert_eq!(wasm_headers["content-encoding"], "gzip");
    assert!(
        wasm_headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(wasm_bytes.len() > 1000);
    assert_eq!(script_status, 200, "{desk_script}");
    assert!(
        script_headers["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    let left: Vec<_> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("hotel.db"))
        .collect();
    assert_eq!(
        left,
        vec!["hotel-server".to_string()],
        "nothing else was needed"
    );
}
