//! Staff's own wording of the hotel's messages: saved only when it renders, tried on a real
//! booking first, and used by the next message that goes out.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

const WAIT: Duration = Duration::from_secs(30);
const CONFIRMATION_EN: &str = "/staff/templates/confirmation/en";

async fn guest_with_mail(app: &TestApp, user: &str, email: &str) -> String {
    let reply = app
        .send(
            Method::POST,
            "/register",
            Some(
                json!({"username": user, "password": PASSWORD, "name": "Ann Example",
                        "email": email, "language": "en"}),
            ),
        )
        .await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    app.login(user).await
}

async fn book(app: &TestApp, token: &str) -> String {
    let today = app.today().await;
    let booked = app
        .send_as(
            token,
            Method::POST,
            "/book",
            Some(json!({"num_rooms": 1, "check_in": day_after(today, 4),
                        "check_out": day_after(today, 6), "room_type_id": 1})),
        )
        .await;
    assert_eq!(booked.status, 200, "{:?}", booked.body);
    booked.body["bookings"][0]["reference"]
        .as_str()
        .expect("a reference")
        .to_string()
}

#[tokio::test]
async fn a_saved_template_writes_the_next_confirmation() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let desk = app.staff("desk").await;
    let saved = app
        .send_as(
            &desk,
            Method::PUT,
            CONFIRMATION_EN,
            Some(json!({"subject": "Welcome, {{name}}: {{ reference }}",
                        "body": "Hello {{name}}!\n\nYour nights: {{nights}}.\n\n{{stay}}\n\nSee you, {{hotel}}"})),
        )
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    assert_eq!(saved.body["own"], true);

    let ann = guest_with_mail(&app, "ann", "ann@example.org").await;
    let reference = book(&app, &ann).await;
    let mail = sink.wait_for(1, WAIT).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(
        mail[0].subject,
        format!("Welcome, Ann Example: {reference}")
    );
    assert!(
        mail[0].text.starts_with("Hello Ann Example!"),
        "{}",
        mail[0].text
    );
    assert!(
        mail[0].text.contains("Your nights: 2 nights."),
        "{}",
        mail[0].text
    );
    assert!(mail[0].text.contains("Total: €190.00"), "{}", mail[0].text);
    assert!(
        mail[0].html.contains("<p>Hello Ann Example!</p>"),
        "{}",
        mail[0].html
    );

    // German guests still get the German standard text: only the English one was changed.
    let read = app
        .send_as(&desk, Method::GET, "/staff/templates/confirmation/de", None)
        .await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["own"], false);
    assert!(
        read.body["subject"]
            .as_str()
            .unwrap()
            .starts_with("Ihre Buchung")
    );

    // Back to the standard text: the next confirmation has the standard subject again.
    let reset = app
        .send_as(&desk, Method::DELETE, CONFIRMATION_EN, None)
        .await;
    assert_eq!(reset.status, 200, "{:?}", reset.body);
    assert_eq!(reset.body["own"], false);
    let second = book(&app, &ann).await;
    let mail = sink.wait_for(2, WAIT).await;
    let last = mail
        .iter()
        .find(|m| m.subject.contains(&second))
        .expect("second mail");
    assert!(last.subject.starts_with("Your booking"), "{}", last.subject);
    let actions = app.audit_actions(&desk).await;
    assert!(
        actions.contains(&"message_template.update".to_string()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"message_template.reset".to_string()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_template_that_would_not_render_is_refused_and_nothing_changes() {
    let app = spawn_app().await;
    let desk = app.staff("desk").await;
    for (path, subject, body, says) in [
        (CONFIRMATION_EN, "Hi", "Dear {{nme}}", "{{nme}}"),
        (CONFIRMATION_EN, "Hi {{name", "x", "not closed"),
        (CONFIRMATION_EN, "{{stay}}", "x", "subject"),
        (CONFIRMATION_EN, "Hi", "Your fee: {{fee}}", "{{fee}}"),
        (CONFIRMATION_EN, " ", "x", "subject is empty"),
        (
            "/staff/templates/password_reset/de",
            "Neu",
            "Hallo {{name}}",
            "{{link}}",
        ),
        (
            "/staff/templates/password_reset/en",
            "New",
            "{{stay}} {{link}}",
            "{{stay}}",
        ),
    ] {
        let reply = app
            .send_as(
                &desk,
                Method::PUT,
                path,
                Some(json!({"subject": subject, "body": body})),
            )
            .await;
        assert_eq!(reply.status, 400, "{path} {body}: {:?}", reply.body);
        assert_eq!(reply.body["code"], "template_invalid");
        let message = reply.body["error"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{message:?} should say {says:?}");
    }
    // A line break in a subject could start a header of its own (`Bcc:`): refused.
    let injected = app
        .send_as(
            &desk,
            Method::PUT,
            CONFIRMATION_EN,
            Some(json!({"subject": "Hi\r\nBcc: all@example.org", "body": "x"})),
        )
        .await;
    assert_eq!(injected.status, 400, "{:?}", injected.body);
    assert_eq!(injected.body["code"], "invalid_characters");
    let long = app
        .send_as(
            &desk,
            Method::PUT,
            CONFIRMATION_EN,
            Some(json!({"subject": "Hi", "body": "x".repeat(20_001)})),
        )
        .await;
    assert_eq!(long.status, 400, "{:?}", long.body);
    let read = app.send_as(&desk, Method::GET, CONFIRMATION_EN, None).await;
    assert_eq!(read.body["own"], false);
    assert!(
        app.audit_actions(&desk)
            .await
            .iter()
            .all(|a| !a.starts_with("message_template"))
    );

    let placeholders: Vec<&str> = read.body["placeholders"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(
        placeholders.contains(&"stay") && !placeholders.contains(&"fee"),
        "{placeholders:?}"
    );

    for path in [
        "/staff/templates/receipt/en",
        "/staff/templates/confirmation/fr",
    ] {
        let reply = app.send_as(&desk, Method::GET, path, None).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.body["code"], "not_found");
    }
    let guest = app.guest("gus").await;
    let reply = app
        .send_as(&guest, Method::GET, CONFIRMATION_EN, None)
        .await;
    assert_eq!(reply.status, 403);
}

#[tokio::test]
async fn a_preview_writes_the_message_for_a_real_booking_and_sends_nothing() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = spawn_app_with(|c| sink.configure(c)).await;
    let desk = app.staff("desk").await;
    let draft =
        json!({"subject": "{{hotel}}: {{reference}}", "body": "Guten Tag {{name}},\n\n{{stay}}"});
    let none = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/templates/confirmation/de/preview",
            Some(draft.clone()),
        )
        .await;
    assert_eq!(none.status, 404, "{:?}", none.body);
    assert_eq!(none.body["code"], "no_booking_to_preview");

    let ann = guest_with_mail(&app, "ann", "ann@example.org").await;
    let reference = book(&app, &ann).await;
    let _confirmation = sink.wait_for(1, WAIT).await;
    for body in [draft.clone(), {
        let mut named = draft.clone();
        named["reference"] = json!(reference.to_lowercase());
        named
    }] {
        let preview = app
            .send_as(
                &desk,
                Method::POST,
                "/staff/templates/confirmation/de/preview",
                Some(body),
            )
            .await;
        assert_eq!(preview.status, 200, "{:?}", preview.body);
        assert_eq!(preview.body["reference"], reference.as_str());
        assert!(
            preview.body["subject"]
                .as_str()
                .unwrap()
                .ends_with(&reference)
        );
        let text = preview.body["text"].as_str().unwrap();
        assert!(text.starts_with("Guten Tag Ann Example"), "{text}");
        assert!(text.contains("Gesamt: 190,00 €"), "{text}");
    }
    let wrong = app
        .send_as(
            &desk,
            Method::POST,
            "/staff/templates/confirmation/de/preview",
            Some(json!({"subject": "x", "body": "{{nope}}"})),
        )
        .await;
    assert_eq!(wrong.body["code"], "template_invalid");
    // Nothing was saved and nothing more was sent.
    let read = app
        .send_as(&desk, Method::GET, "/staff/templates/confirmation/de", None)
        .await;
    assert_eq!(read.body["own"], false);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.received().len(), 1);
}
