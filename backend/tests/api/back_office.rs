//! The back office: the report, the audit log, the calendar feed.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn report_gives_occupancy_revenue_adr_and_revpar() {
    let app = spawn_app().await;
    let staff = app.staff("boss").await;
    let today = app.today().await;
    let (d1, d3) = (day_after(today, 1), day_after(today, 3));
    // Rooms 1 and 2 are Standard (95.00), two nights each.
    app.book_dates("ann", 2, &d1, &d3).await;
    // Room 10 is the suite (220.00), one night.
    app.send_as(&staff, Method::POST, "/staff/bookings",
        Some(json!({"guest": "vip", "room_number": 10, "check_in": d1, "check_out": day_after(today, 2)}))).await;
    let report = app
        .send_as(
            &staff,
            Method::GET,
            &format!("/staff/report?from={d1}&to={d3}"),
            None,
        )
        .await;
    assert_eq!(report.status, 200, "{:?}", report.body);
    let r = &report.body;
    assert_eq!(r["currency"], json!("EUR"));
    assert_eq!(r["available"], json!(20));
    assert_eq!(r["sold"], json!(5));
    assert_eq!(r["revenue"], json!(4 * 9_500 + 22_000));
    assert_eq!(r["occupancy_pct"], json!(25.0));
    assert_eq!(r["adr"], json!(12_000));
    assert_eq!(r["revpar"], json!(3_000));
    assert_eq!(r["days"][0]["sold"], json!(3));
    assert_eq!(r["days"][0]["revenue"], json!(41_000));
    assert_eq!(r["days"][1]["occupancy_pct"], json!(20.0));
    app.send_as(
        &staff,
        Method::GET,
        &format!("/staff/report?from={d3}&to={d1}"),
        None,
    )
    .await
    .assert(400, "error", "to must be after from.");
    app.send_as(&staff, Method::GET, "/staff/report", None)
        .await
        .assert(400, "error", "from and to are required.");
}

#[tokio::test]
async fn audit_log_cannot_be_changed() {
    let app = spawn_app().await;
    let staff = app.staff("boss").await;
    app.book("ann", 1).await;
    for method in [Method::PUT, Method::DELETE, Method::POST] {
        let reply = app
            .send_as(&staff, method, "/staff/audit", Some(json!({})))
            .await;
        assert_eq!(reply.status, 405);
    }
    // Not even the database lets history be rewritten.
    let refused = app
        .db
        .try_execute("UPDATE audit_log SET actor = 'someone else'")
        .await;
    assert!(refused.is_err(), "the audit log was changed");
    let refused = app.db.try_execute("DELETE FROM audit_log").await;
    assert!(refused.is_err(), "the audit log was emptied");
    assert_eq!(
        app.audit_actions(&staff).await,
        vec!["role.grant", "booking.create"]
    );
}

#[tokio::test]
async fn calendar_feed_shows_a_guest_their_stays_and_staff_every_stay() {
    let app = spawn_app().await;
    let staff = app.staff("boss").await;
    let today = app.today().await;
    app.book_dates("ann", 1, &day_after(today, 1), &day_after(today, 3))
        .await;
    app.book("bob", 1).await;
    let ann = app.login("ann").await;
    let feed = |token: Option<String>| {
        let request = app.client.get(app.url("/calendar.ics"));
        let request = match token {
            Some(t) => request.bearer_auth(t),
            None => request,
        };
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let kind = response.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_string();
            (status, kind, response.text().await.unwrap())
        }
    };
    let (status, kind, body) = feed(Some(ann)).await;
    assert_eq!(
        (status, kind.as_str()),
        (200, "text/calendar; charset=utf-8")
    );
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(body.matches("BEGIN:VEVENT").count(), 1);
    let start = today
        .checked_add_days(1)
        .unwrap()
        .to_string()
        .replace('-', "");
    assert!(
        body.contains(&format!("DTSTART;VALUE=DATE:{start}\r\n")),
        "{body}"
    );
    let (_, _, all) = feed(Some(staff)).await;
    assert_eq!(all.matches("BEGIN:VEVENT").count(), 2);
    assert!(all.contains("bob"));
    let (status, _, _) = feed(None).await;
    assert_eq!(status, 401);
}
