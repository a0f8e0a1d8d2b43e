//! The hotel's time zone lives with its data: a server started anywhere, or on a backup,
//! counts the hotel's days where the hotel is, and only an audited command moves it.

use hotel_shared::HealthResponse;

use crate::helpers::*;

/// UTC+14: no test machine's own zone, so a server that fell back to the system's would show.
const ZONE: &str = "Pacific/Kiritimati";

async fn zone_of(app: &TestApp) -> String {
    let health: HealthResponse = app.get("/healthz").await.parsed();
    health.timezone
}

#[tokio::test]
async fn a_hotel_keeps_its_time_zone_across_restarts_and_backups() {
    let app = spawn_app_with(|c| c.timezone = Some(ZONE.into())).await;
    assert_eq!(zone_of(&app).await, ZONE);
    let db = app.stop().await;
    // Started again without --timezone, as a unit file without one would.
    let app = spawn_app_on(db, |_| {}).await;
    assert_eq!(zone_of(&app).await, ZONE);
    let kiritimati = jiff::tz::TimeZone::get(ZONE)
        .expect("zone")
        .to_datetime(jiff::Timestamp::now())
        .date();
    assert_eq!(app.today().await.to_string(), kiritimati.to_string());
    let db = app.stop().await;
    if on_postgres() {
        return; // a PostgreSQL hotel is backed up with pg_dump, which keeps every row
    }
    let copy = TestDb::sqlite_file("copy.db");
    let path = copy.url.trim_start_matches("sqlite://").to_string();
    let out = hotel_server(&db.url, &["backup", "--to", &path], None);
    assert!(out.status.success(), "{out:?}");
    let app = spawn_app_on(copy, |_| {}).await;
    assert_eq!(zone_of(&app).await, ZONE);
}

#[tokio::test]
async fn another_time_zone_for_an_existing_hotel_is_refused_with_the_way_to_move_it() {
    let app = spawn_app_with(|c| c.timezone = Some(ZONE.into())).await;
    let db = app.stop().await;
    let mut config = hotel_backend::Config::for_database(db.url.clone());
    config.timezone = Some("Europe/Vienna".into());
    let refused = match hotel_backend::AppState::from_config(&config).await {
        Ok(_) => panic!("a hotel in {ZONE} opened in Europe/Vienna"),
        Err(e) => e,
    };
    assert!(refused.contains(ZONE), "{refused}");
    assert!(
        refused.contains("hotel-server settings timezone"),
        "{refused}"
    );
    // The same zone, spelled as stored, is no change.
    config.timezone = Some(ZONE.into());
    assert!(hotel_backend::AppState::from_config(&config).await.is_ok());
}

#[tokio::test]
async fn the_settings_command_moves_the_hotel_and_the_audit_log_says_so() {
    let app = spawn_app_with(|c| c.timezone = Some(ZONE.into())).await;
    let db = app.stop().await;
    let unknown = hotel_server(&db.url, &["settings", "timezone", "Mars/Olympus"], None);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown time zone"));

    let moved = hotel_server(&db.url, &["settings", "timezone", "Europe/Vienna"], None);
    assert!(moved.status.success(), "{moved:?}");
    assert!(
        String::from_utf8_lossy(&moved.stdout)
            .contains("now Europe/Vienna (it was Pacific/Kiritimati)"),
        "{moved:?}"
    );
    let app = spawn_app_on(db, |_| {}).await;
    assert_eq!(zone_of(&app).await, "Europe/Vienna");
    let desk = app.staff("desk").await;
    assert!(
        app.audit_actions(&desk)
            .await
            .contains(&"hotel.timezone".to_string())
    );
}
