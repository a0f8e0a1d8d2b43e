//! "Forgot password?": a link mailed through a real mail server sets a new password once,
//! within the hour, and ends every session; an unknown account gets the same answer.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(30);
const NEW_PASSWORD: &str = "a brand new passphrase";

async fn ask(app: &TestApp, body: serde_json::Value) -> Reply {
    app.send(Method::POST, "/password-reset", Some(body)).await
}

async fn confirm(app: &TestApp, token: &str, password: &str) -> Reply {
    app.send(
        Method::POST,
        "/password-reset/confirm",
        Some(json!({"token": token, "password": password})),
    )
    .await
}

/// The token in the `n`-th message's link.
fn token_in(mail: &[Received], n: usize) -> String {
    let text = &mail[n].text;
    let at = text.find("/reset-password?token=").expect("a reset link") + 22;
    text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn guest_with_mail(app: &TestApp, user: &str, email: &str) -> String {
    let reply = app
        .send(
            Method::POST,
            "/register",
            Some(json!({"username": user, "password": PASSWORD, "email": email, "name": "Ann Example"})),
        )
        .await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    app.login(user).await
}

#[tokio::test]
async fn a_mailed_link_sets_a_new_password_once_and_ends_every_session() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let old_session = guest_with_mail(&app, "ann", "ann@example.org").await;

    let asked = ask(&app, json!({"email": "ANN@example.org"})).await;
    assert_eq!(asked.status, 202, "{:?}", asked.body);
    let mail = sink.wait_for(1, WAIT).await;
    assert_eq!(mail[0].rcpt_tos, vec!["ann@example.org".to_string()]);
    assert_eq!(mail[0].subject, "A new password for Hotel Example");
    assert!(
        mail[0]
            .text
            .contains("https://hotel.test/reset-password?token=")
    );
    assert!(mail[0].calendar.is_empty());
    let token = token_in(&mail, 0);

    let too_common = confirm(&app, &token, "password123").await;
    assert_eq!(too_common.status, 400, "{:?}", too_common.body);
    let set = confirm(&app, &token, NEW_PASSWORD).await;
    assert_eq!(set.status, 200, "{:?}", set.body);

    let me = app.send_as(&old_session, Method::GET, "/me", None).await;
    assert_eq!(me.status, 401, "the old session ended");
    let old = app
        .send(
            Method::POST,
            "/login",
            Some(json!({"username": "ann", "password": PASSWORD})),
        )
        .await;
    assert_eq!(old.status, 401);
    let new = app
        .send(
            Method::POST,
            "/login",
            Some(json!({"username": "ann", "password": NEW_PASSWORD})),
        )
        .await;
    assert_eq!(new.status, 200, "{:?}", new.body);

    let again = confirm(&app, &token, "yet another passphrase").await;
    assert_eq!(again.status, 400);
    assert_eq!(again.body["code"], json!("reset_link_invalid"));

    // Once sent, the hotel keeps no copy of the link; it is not sent twice.
    let desk = app.staff("desk").await;
    let listed = app
        .send_as(&desk, Method::GET, "/staff/messages?status=sent", None)
        .await;
    let id = listed.body["messages"][0]["id"].as_i64().unwrap();
    assert_eq!(listed.body["messages"][0]["kind"], json!("password_reset"));
    let read = app
        .send_as(&desk, Method::GET, &format!("/staff/messages/{id}"), None)
        .await;
    assert!(!read.body["text"].as_str().unwrap().contains(&token));
    let resend = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/messages/{id}/send-again"),
            None,
        )
        .await;
    assert_eq!(resend.status, 409);
    assert_eq!(resend.body["code"], json!("message_not_resendable"));
    assert!(
        app.audit_actions(&desk)
            .await
            .contains(&"user.password_reset".to_string())
    );
}

#[tokio::test]
async fn an_unknown_account_gets_the_same_answer_in_the_same_time() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    guest_with_mail(&app, "ann", "ann@example.org").await;
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for i in 0..4 {
        for (asked, times) in [
            (json!({"username": "ann"}), &mut known),
            (json!({"username": format!("nobody{i}")}), &mut unknown),
        ] {
            let started = Instant::now();
            let reply = ask(&app, asked).await;
            times.push(started.elapsed());
            assert_eq!(reply.status, 202);
            assert_eq!(
                reply.body,
                json!({"message": "If an account has that name or address, a link to set a new password is on its way to its e-mail address. It works once, within the hour."})
            );
        }
    }
    known.sort();
    unknown.sort();
    let (k, u) = (known[2], unknown[2]);
    assert!(
        k.abs_diff(u) < Duration::from_millis(25),
        "median {k:?} for a known account, {u:?} for an unknown one"
    );
    // Three links an hour at most reach one inbox.
    sink.wait_for(3, WAIT).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sink.received().len(), 3);
}

#[tokio::test]
async fn a_link_past_its_hour_or_made_up_is_refused() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    guest_with_mail(&app, "ann", "ann@example.org").await;
    assert_eq!(ask(&app, json!({"username": "ann"})).await.status, 202);
    let token = token_in(&sink.wait_for(1, WAIT).await, 0);
    app.db
        .try_execute("UPDATE password_resets SET expires_at = 0")
        .await
        .unwrap();
    let stale = confirm(&app, &token, NEW_PASSWORD).await;
    assert_eq!(stale.status, 400);
    assert_eq!(stale.body["code"], json!("reset_link_invalid"));

    let neither = ask(&app, json!({})).await;
    assert_eq!(neither.status, 400);
    let both = ask(&app, json!({"username": "ann", "email": "ann@example.org"})).await;
    assert_eq!(both.status, 400);

    let mut last = reqwest::StatusCode::OK;
    for i in 0..22 {
        last = confirm(&app, &format!("made-up-{i}"), NEW_PASSWORD)
            .await
            .status;
    }
    assert_eq!(last, 429, "wrong links are counted per address");
}
