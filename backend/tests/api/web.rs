//! The built web app on the API's port: pages, cached assets, and the API left untouched.

use reqwest::header::{ACCEPT, ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};
use serde_json::json;

use crate::helpers::*;

const ASSET: &str = "hotel-frontend-0123456789abcdef.js";
const DESK_ASSET: &str = "hotel-desk-0123456789abcdef.js";

async fn app_with_web_build() -> (TestApp, tempfile::TempDir) {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!DOCTYPE html><title>Hotel</title>",
    )
    .unwrap();
    std::fs::write(
        dist.path().join(ASSET),
        "console.log('hotel');\n".repeat(200),
    )
    .unwrap();
    std::fs::write(dist.path().join("favicon.ico"), [0u8, 1, 2, 3]).unwrap();
    std::fs::create_dir(dist.path().join("desk")).unwrap();
    std::fs::write(
        dist.path().join("desk/index.html"),
        "<!DOCTYPE html><title>Hotel front desk</title>",
    )
    .unwrap();
    std::fs::write(
        dist.path().join("desk").join(DESK_ASSET),
        "console.log('desk');\n".repeat(200),
    )
    .unwrap();
    let dir = dist.path().to_path_buf();
    let app = spawn_app_with(move |c| c.static_dir = Some(dir)).await;
    (app, dist)
}

#[tokio::test]
async fn pages_get_the_app_and_are_never_cached() {
    let (app, _dist) = app_with_web_build().await;
    // A booking's own address is a page for a browser, and JSON for a program.
    for page in [
        "/",
        "/signin",
        "/reserve",
        "/my-bookings",
        "/bookings/K7M4QX2P",
    ] {
        let response = app
            .client
            .get(app.url(page))
            .header("Accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{page}");
        assert_eq!(response.headers()[CACHE_CONTROL], "no-cache");
        assert!(
            response.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<title>Hotel</title>")
        );
    }
    // The front desk is its own build: only its pages load it.
    for page in hotel_shared::paths::PAGES
        .iter()
        .filter(|p| p.starts_with("/desk"))
    {
        let response = app.client.get(app.url(page)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{page}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains("<title>Hotel front desk</title>"),
            "{page}: {html}"
        );
    }
    let desk_asset = app
        .client
        .get(app.url(&format!("/desk/{DESK_ASSET}")))
        .send()
        .await
        .unwrap();
    assert_eq!(desk_asset.status(), 200);
    assert_eq!(
        desk_asset.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    // A browser following a deep link the app does not know still gets the app (its own 404).
    let deep = app
        .client
        .get(app.url("/some/old/link"))
        .header(ACCEPT, "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(deep.status(), 200);
}

#[tokio::test]
async fn fingerprinted_assets_are_compressed_and_cached_for_a_year() {
    let (app, _dist) = app_with_web_build().await;
    let asset = app
        .client
        .get(app.url(&format!("/{ASSET}")))
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.headers()[CONTENT_ENCODING], "gzip");
    assert_eq!(
        asset.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let plain = app
        .client
        .get(app.url("/favicon.ico"))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.headers()[CACHE_CONTROL], "no-cache");
    let missing = app.get("/hotel-frontend-ffffffffffffffff.js").await;
    missing.assert(404, "error", "Endpoint not found.");
}

#[tokio::test]
async fn the_api_keeps_its_json_answers_beside_the_app() {
    let (app, _dist) = app_with_web_build().await;
    let rooms = app.get("/rooms").await;
    assert_eq!(rooms.status, 200);
    assert_eq!(rooms.body["total"], json!(10));
    app.get("/nope")
        .await
        .assert(404, "error", "Endpoint not found.");
    app.send(reqwest::Method::POST, "/signin", Some(json!({})))
        .await
        .assert(404, "error", "Endpoint not found.");
    // A browser navigating to an API path gets the API, not the app.
    let api = app
        .client
        .get(app.url("/rooms"))
        .header(ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    assert!(
        api.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
}
