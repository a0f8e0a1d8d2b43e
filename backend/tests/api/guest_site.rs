//! What the guest site stands on: references, fair moves, accounts with a name and e-mail,
//! the hotel's profile and photos, and quotes that say why nothing fits.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// Books `rooms` Standard rooms for `ann` (signed in as `token`) from tomorrow for three nights.
async fn book_standard(app: &TestApp, token: &str, rooms: u32) -> Value {
    let today = app.today().await;
    let booked = app
        .send_as(
            token,
            Method::POST,
            "/book",
            Some(json!({"num_rooms": rooms, "check_in": day_after(today, 1),
                        "check_out": day_after(today, 4), "room_type_id": 1})),
        )
        .await;
    assert_eq!(booked.status, 200, "{:?}", booked.body);
    booked.body
}

#[tokio::test]
async fn moving_into_a_dearer_type_charges_its_rate_and_within_the_type_changes_nothing() {
    let app = spawn_app().await;
    let ann = app.guest("ann").await;
    let booked = book_standard(&app, &ann, 2).await;
    let first = booked["bookings"][0]["id"].as_i64().unwrap();
    assert_eq!(booked["bookings"][0]["total"], json!(28_500));

    let same_type = app
        .send_as(
            &ann,
            Method::PUT,
            "/update",
            Some(json!({"new_room": 3, "booking_id": first})),
        )
        .await;
    same_type.assert(200, "message", "Updated booking: released 1, assigned 3.");
    assert_eq!(same_type.body["booking"]["total"], json!(28_500));

    let suite = app
        .send_as(
            &ann,
            Method::PUT,
            "/update",
            Some(json!({"new_room": 10, "booking_id": first})),
        )
        .await;
    suite.assert(200, "message", "Updated booking: released 3, assigned 10.");
    assert_eq!(suite.body["booking"]["rate"], json!(22_000));
    assert_eq!(suite.body["booking"]["total"], json!(66_000));
    assert_eq!(suite.body["booking"]["room_type"], json!("Suite"));

    let mine = app.send_as(&ann, Method::GET, "/bookings", None).await;
    let totals: Vec<_> = mine.body["bookings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["room_number"].clone(), b["total"].clone()))
        .collect();
    assert!(totals.contains(&(json!(10), json!(66_000))), "{totals:?}");
    assert!(totals.contains(&(json!(2), json!(28_500))), "{totals:?}");
}

#[tokio::test]
async fn the_desk_keeps_the_old_rate_only_as_a_recorded_complimentary_upgrade() {
    let app = spawn_app().await;
    let desk = app.staff("frank").await;
    let ann = app.guest("ann").await;
    let booked = book_standard(&app, &ann, 2).await;
    let (first, second) = (
        booked["bookings"][0]["id"].as_i64().unwrap(),
        booked["bookings"][1]["id"].as_i64().unwrap(),
    );

    let upgrade = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{first}/move"),
            Some(json!({"room_number": 10, "complimentary": true})),
        )
        .await;
    assert_eq!(upgrade.status, 200, "{:?}", upgrade.body);
    assert_eq!(upgrade.body["booking"]["room_type"], json!("Suite"));
    assert_eq!(upgrade.body["booking"]["total"], json!(28_500));

    let charged = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/bookings/{second}/move"),
            Some(json!({"room_number": 7})),
        )
        .await;
    assert_eq!(charged.body["booking"]["room_type"], json!("Family"));
    assert_eq!(charged.body["booking"]["total"], json!(43_500));
    let actions = app.audit_actions(&desk).await;
    assert!(
        actions.contains(&"booking.move_complimentary".to_string()),
        "{actions:?}"
    );
    assert!(actions.contains(&"booking.move".to_string()), "{actions:?}");
}

#[tokio::test]
async fn a_booking_reference_finds_every_room_for_its_guest_and_nobody_else() {
    let app = spawn_app().await;
    let ann = app.guest("ann").await;
    let bob = app.guest("bob").await;
    let booked = book_standard(&app, &ann, 2).await;
    let reference = booked["bookings"][0]["reference"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(reference.len(), 8);
    assert_eq!(booked["bookings"][1]["reference"], json!(reference));
    let other = book_standard(&app, &ann, 1).await;
    assert_ne!(other["bookings"][0]["reference"], json!(reference));

    let found = app
        .send_as(&ann, Method::GET, &format!("/bookings/{reference}"), None)
        .await;
    assert_eq!(found.status, 200, "{:?}", found.body);
    assert_eq!(found.body["reference"], json!(reference));
    assert_eq!(found.body["bookings"].as_array().unwrap().len(), 2);
    assert_eq!(found.body["total"], json!(57_000));
    assert_eq!(
        found.body["free_cancellation_until"],
        json!(day_after(app.today().await, 1))
    );
    // As a person may type it.
    let typed = format!("{}-{}", &reference[..4], &reference[4..]).to_lowercase();
    let again = app
        .send_as(&ann, Method::GET, &format!("/bookings/{typed}"), None)
        .await;
    assert_eq!(again.body["reference"], json!(reference));

    let stranger = app
        .send_as(&bob, Method::GET, &format!("/bookings/{reference}"), None)
        .await;
    assert_eq!(stranger.status, 404);
    assert_eq!(stranger.body["code"], json!("not_found"));
    let anonymous = app.get(&format!("/bookings/{reference}")).await;
    assert_eq!(anonymous.status, 401);

    let ics = app
        .client
        .get(app.url(&format!("/bookings/{reference}/calendar.ics")))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap();
    assert_eq!(ics.status(), 200);
    let text = ics.text().await.unwrap();
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 2, "{text}");
}

#[tokio::test]
async fn cancelling_a_whole_booking_releases_every_room_of_it_at_once() {
    let app = spawn_app().await;
    let ann = app.guest("ann").await;
    let booked = book_standard(&app, &ann, 2).await;
    let keep = book_standard(&app, &ann, 1).await;
    let first = booked["bookings"][0]["id"].as_i64().unwrap();

    let cancelled = app
        .send_as(
            &ann,
            Method::DELETE,
            &format!("/bookings/{first}?all=true"),
            None,
        )
        .await;
    assert_eq!(cancelled.status, 200, "{:?}", cancelled.body);
    assert_eq!(cancelled.body["bookings"].as_array().unwrap().len(), 2);
    let mine = app.send_as(&ann, Method::GET, "/bookings", None).await;
    let left: Vec<_> = mine.body["bookings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].clone())
        .collect();
    assert_eq!(left, vec![keep["bookings"][0]["id"].clone()]);
    app.send_as(
        &ann,
        Method::DELETE,
        &format!("/bookings/{first}?all=maybe"),
        None,
    )
    .await
    .assert(400, "code", "invalid_request");
}

#[tokio::test]
async fn an_account_keeps_its_name_and_email_and_one_account_per_address() {
    let app = spawn_app().await;
    let created = app
        .send(
            Method::POST,
            "/register",
            Some(json!({"username": "ann", "password": PASSWORD,
                        "name": " Ann Lee ", "email": "Ann@Example.org"})),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let token = app.login("ann").await;
    let me = app.send_as(&token, Method::GET, "/me", None).await;
    assert_eq!(me.body["name"], json!("Ann Lee"));
    assert_eq!(me.body["email"], json!("Ann@Example.org"));

    app.send(
        Method::POST,
        "/register",
        Some(json!({"username": "ann2", "password": PASSWORD, "email": "ann@example.ORG"})),
    )
    .await
    .assert(409, "code", "email_taken");
    app.send(
        Method::POST,
        "/register",
        Some(json!({"username": "bob", "password": PASSWORD, "email": "bob-at-home"})),
    )
    .await
    .assert(
        400,
        "error",
        "email must be an address like name@example.org.",
    );
    app.send(
        Method::POST,
        "/register",
        Some(json!({"username": "bob", "password": PASSWORD, "name": 7})),
    )
    .await
    .assert(400, "error", "name must be a string.");
    // The original protocol's registration, with neither, still works.
    assert_eq!(app.register("carl", PASSWORD).await.status, 201);
}

#[tokio::test]
async fn the_hotel_profile_starts_as_an_example_and_only_staff_change_it() {
    let app = spawn_app().await;
    let profile = app.get("/hotel").await;
    assert_eq!(profile.status, 200);
    assert_eq!(profile.body["details"]["name"], json!("Hotel Example"));
    assert_eq!(profile.body["details"]["check_in_from"], json!("15:00"));
    assert_eq!(profile.body["currency"], json!("EUR"));

    let mut details = profile.body["details"].clone();
    details["name"] = json!("Seaview House");
    let guest = app.guest("ann").await;
    let refused = app
        .send_as(&guest, Method::PUT, "/staff/hotel", Some(details.clone()))
        .await;
    assert_eq!(refused.status, 403);
    let desk = app.staff("frank").await;
    let saved = app
        .send_as(&desk, Method::PUT, "/staff/hotel", Some(details.clone()))
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    assert_eq!(
        app.get("/hotel").await.body["details"]["name"],
        json!("Seaview House")
    );
    details["check_out_until"] = json!("11");
    app.send_as(&desk, Method::PUT, "/staff/hotel", Some(details))
        .await
        .assert(400, "error", "check_out_until must be a time like 14:00.");
    assert!(
        app.audit_actions(&desk)
            .await
            .contains(&"hotel.update".to_string())
    );
}

/// A small PNG: one transparent pixel.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0B, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0xE9, 0xFA, 0xDC, 0xD8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44,
    0xAE, 0x42, 0x60, 0x82,
];

/// The PNG chunk checksum (CRC-32 of type and data), for a header changed on purpose.
fn png_crc(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

async fn upload(app: &TestApp, token: &str, path: &str, bytes: Vec<u8>) -> Reply {
    app.send_with(Method::POST, path, None, |r| {
        r.bearer_auth(token)
            .header("Content-Type", "image/png")
            .body(bytes)
    })
    .await
}

#[tokio::test]
async fn photos_are_judged_by_their_content_and_size_and_served_for_long_caching() {
    let app = spawn_app().await;
    let desk = app.staff("frank").await;
    let added = upload(&app, &desk, "/staff/photos?room_type_id=3", PNG.to_vec()).await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    let url = added.body["url"].as_str().unwrap().to_string();
    let listed = app.get("/hotel").await;
    assert_eq!(listed.body["photos"][0]["room_type_id"], json!(3));
    assert_eq!(listed.body["photos"][0]["url"], json!(url));

    let served = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert!(
        served.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    // Written anew: the same one pixel.
    let served = served.bytes().await.unwrap();
    let pixels = image::load_from_memory(&served).expect("a PNG");
    assert_eq!((pixels.width(), pixels.height()), (1, 1));

    upload(
        &app,
        &desk,
        "/staff/photos",
        b"GIF89a\x01\x00\x01\x00".to_vec(),
    )
    .await
    .assert(400, "code", "unsupported_image");
    upload(&app, &desk, "/staff/photos", b"just some text".to_vec())
        .await
        .assert(400, "code", "not_an_image");
    let mut huge = PNG.to_vec();
    huge.resize(5 * 1024 * 1024 + 1, 0);
    upload(&app, &desk, "/staff/photos", huge)
        .await
        .assert(413, "code", "photo_too_large");
    upload(&app, &desk, "/staff/photos?room_type_id=99", PNG.to_vec())
        .await
        .assert(404, "code", "room_type_not_found");
    let guest = app.guest("ann").await;
    assert_eq!(
        upload(&app, &guest, "/staff/photos", PNG.to_vec())
            .await
            .status,
        403
    );

    let id = added.body["id"].as_i64().unwrap();
    let removed = app
        .client
        .delete(app.url(&format!("/staff/photos/{id}")))
        .bearer_auth(&desk)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    app.get(&url).await.assert(404, "code", "photo_not_found");
}

#[tokio::test]
async fn a_quote_lists_each_types_free_rooms_and_says_why_nothing_fits() {
    let app = spawn_app().await;
    let today = app.today().await;
    let (d1, d3) = (day_after(today, 1), day_after(today, 3));
    let quote = app
        .get(&format!("/quote?check_in={d1}&check_out={d3}&rooms=2"))
        .await;
    assert_eq!(quote.body["rooms"], json!(2));
    assert_eq!(quote.body["options"][0]["rooms"], json!([1, 2, 3, 4, 5, 6]));
    assert!(quote.body.get("unavailable").is_none(), "{:?}", quote.body);

    let nine = app
        .get(&format!("/quote?check_in={d1}&check_out={d3}&guests=9"))
        .await;
    assert_eq!(nine.body["unavailable"], json!("party_too_large"));
    let eleven = app
        .get(&format!("/quote?check_in={d1}&check_out={d3}&rooms=11"))
        .await;
    assert_eq!(eleven.body["unavailable"], json!("sold_out"));
    let large = app
        .get(&format!(
            "/quote?check_in={d1}&check_out={}&rooms=3",
            day_after(today, 31)
        ))
        .await;
    assert_eq!(large.body["unavailable"], json!("booking_too_large"));
    app.get(&format!("/quote?check_in={d1}&check_out={d3}&rooms=0"))
        .await
        .assert(400, "error", "rooms must be a whole number from 1 to 1000.");
}

/// A JPEG of `width` × `height` noisy pixels with an EXIF segment naming a place and a person.
fn camera_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 7u32;
    let image = image::RgbImage::from_fn(width, height, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let [a, b, c, _] = seed.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut plain = Vec::new();
    image
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut plain, 95,
        ))
        .expect("jpeg");
    let note = b"Exif\0\0GPS 48.2082 N 16.3738 E, owner Ann Smith";
    let mut with = plain[..2].to_vec();
    with.extend_from_slice(&[0xFF, 0xE1]);
    with.extend_from_slice(&u16::try_from(note.len() + 2).unwrap().to_be_bytes());
    with.extend_from_slice(note);
    with.extend_from_slice(&plain[2..]);
    with
}

#[tokio::test]
async fn photos_keep_their_pixels_only_within_bounds_and_a_total() {
    let app = spawn_app_with(|c| c.max_photo_storage = 1).await;
    let desk = app.staff("frank").await;
    // A camera's photo: its place and owner are not kept, its pixels are.
    let added = upload(&app, &desk, "/staff/photos", camera_jpeg(320, 240)).await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    let url = added.body["url"].as_str().unwrap().to_string();
    let served = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    let served = served.bytes().await.unwrap();
    let text = String::from_utf8_lossy(&served);
    assert!(!text.contains("GPS") && !text.contains("Ann Smith"));
    let pixels = image::load_from_memory(&served).expect("a JPEG");
    assert_eq!((pixels.width(), pixels.height()), (320, 240));

    // Something appended after the image is not kept either.
    let mut tailed = PNG.to_vec();
    tailed.extend_from_slice(b"<?php system($_GET['c']); ?>");
    let added = upload(&app, &desk, "/staff/photos", tailed).await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    let url = added.body["url"].as_str().unwrap().to_string();
    let served = app.client.get(app.url(&url)).send().await.unwrap();
    let served = served.bytes().await.unwrap();
    assert!(!String::from_utf8_lossy(&served).contains("php"));

    // A header claiming 20,000 × 20,000 pixels is refused before anything is unpacked.
    let mut bomb = PNG.to_vec();
    bomb[16..20].copy_from_slice(&20_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&20_000u32.to_be_bytes());
    let crc = png_crc(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    upload(&app, &desk, "/staff/photos", bomb)
        .await
        .assert(413, "code", "photo_too_large");
    // A JPEG whose pixels cannot be read is not an image.
    upload(
        &app,
        &desk,
        "/staff/photos",
        b"\xFF\xD8\xFF\xE0 nothing more".to_vec(),
    )
    .await
    .assert(400, "code", "not_an_image");

    // 1 MB for all photos: big ones fill it, and then the next is refused.
    let mut refused = None;
    for _ in 0..8 {
        let reply = upload(&app, &desk, "/staff/photos", camera_jpeg(640, 480)).await;
        if reply.status != 201 {
            refused = Some(reply);
            break;
        }
    }
    let refused = refused.expect("the photos never filled their megabyte");
    refused.assert(409, "code", "photo_storage_full");
}
