//! A guest who signs up online with an e-mail address is mailed a link that confirms it: once,
//! only for that address, and a new one on request.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(30);

async fn sign_up(app: &TestApp, user: &str, email: Option<&str>) -> String {
    let mut body =
        json!({"username": user, "password": PASSWORD, "name": "Ann Example", "language": "de"});
    if let Some(email) = email {
        body["email"] = json!(email);
    }
    let reply = app.send(Method::POST, "/register", Some(body)).await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    app.login(user).await
}

/// The token in a mailed confirmation link.
fn token_in(text: &str) -> String {
    let start = text.find("/confirm-email?token=").expect("a link") + "/confirm-email?token=".len();
    text[start..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

async fn verified(app: &TestApp, token: &str) -> bool {
    let me = app.send_as(token, Method::GET, "/me", None).await;
    assert_eq!(me.status, 200, "{:?}", me.body);
    me.body["email_verified"] == json!(true)
}

#[tokio::test]
async fn a_sign_up_mails_a_link_that_confirms_the_address_once() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let ann = sign_up(&app, "ann", Some("ann@example.de")).await;
    assert!(!verified(&app, &ann).await);

    let mail = sink.wait_for_all(1, WAIT).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].rcpt_tos, vec!["ann@example.de".to_string()]);
    assert!(
        mail[0].subject.starts_with("Bitte bestätigen"),
        "{}",
        mail[0].subject
    );
    let token = token_in(&mail[0].text);
    assert!(
        mail[0]
            .text
            .contains("https://hotel.test/confirm-email?token="),
        "{}",
        mail[0].text
    );

    let wrong = app
        .send(
            Method::POST,
            "/verify-email",
            Some(json!({"token": "made-up"})),
        )
        .await;
    assert_eq!(wrong.status, 400, "{:?}", wrong.body);
    assert_eq!(wrong.body["code"], "email_link_invalid");
    assert!(!verified(&app, &ann).await);

    // The link needs no sign-in: it is the proof.
    let done = app
        .send(Method::POST, "/verify-email", Some(json!({"token": token})))
        .await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    assert!(verified(&app, &ann).await);
    let again = app
        .send(Method::POST, "/verify-email", Some(json!({"token": token})))
        .await;
    assert_eq!(again.body["code"], "email_link_invalid");

    let desk = app.staff("desk").await;
    assert!(
        app.audit_actions(&desk)
            .await
            .contains(&"user.email_verified".to_string())
    );
    // The desk sees that the message went, not the link in it.
    let listed = app
        .send_as(&desk, Method::GET, "/staff/messages?status=sent", None)
        .await;
    let id = listed.body["messages"][0]["id"]
        .as_i64()
        .expect("the message");
    let read = app
        .send_as(&desk, Method::GET, &format!("/staff/messages/{id}"), None)
        .await;
    assert!(
        !read.body["text"]
            .as_str()
            .unwrap_or_default()
            .contains(&token),
        "{:?}",
        read.body
    );
    let resend = app
        .send_as(
            &desk,
            Method::POST,
            &format!("/staff/messages/{id}/send-again"),
            None,
        )
        .await;
    assert_eq!(resend.body["code"], "message_not_resendable");

    let confirmed = app
        .send_as(&ann, Method::POST, "/me/verify-email", None)
        .await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    assert!(
        confirmed.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("confirmed already")
    );
}

#[tokio::test]
async fn a_guest_asks_for_a_new_link_and_the_newest_works() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let bea = sign_up(&app, "bea", Some("bea@example.org")).await;
    let first = sink.wait_for_all(1, WAIT).await;
    let again = app
        .send_as(&bea, Method::POST, "/me/verify-email", None)
        .await;
    assert_eq!(again.status, 202, "{:?}", again.body);
    let mail = sink.wait_for_all(2, WAIT).await;
    assert_eq!(mail.len(), 2);
    let second = token_in(&mail[1].text);
    assert_ne!(second, token_in(&first[0].text));
    let done = app
        .send(
            Method::POST,
            "/verify-email",
            Some(json!({"token": second})),
        )
        .await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    assert!(verified(&app, &bea).await);

    // Without an address there is nothing to confirm and nothing is mailed.
    let cai = sign_up(&app, "cai", None).await;
    let none = app
        .send_as(&cai, Method::POST, "/me/verify-email", None)
        .await;
    assert_eq!(none.status, 400, "{:?}", none.body);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.received_all().len(), 2);
}
