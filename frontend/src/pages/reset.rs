//! A forgotten password, on one page with one field: `/reset-password` asks for a link by
//! e-mail for a name or address (the same answer whether or not an account matches; the
//! sign-in page links here), and the link opens `/reset-password?token=…`, where the new
//! password is set, once. One form for both keeps every guest's download small. The link that
//! confirms a new account's e-mail address opens `/confirm-email?token=…`, which confirms it
//! at once.

use hotel_shared::{MIN_PASSWORD_LEN, PasswordResetConfirm, PasswordResetRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::logic::query_value;
use crate::nav::use_location;
use crate::widgets::{Outcome, OutcomeText, Task};

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let ctx = use_ctx();
    let token = query_value(&use_location().search.get_untracked(), "token")
        .unwrap_or_default()
        .to_string();
    let setting = !token.is_empty();
    let title = if setting {
        ctx.tr("Set a new password", "Neues Passwort festlegen")
    } else {
        ctx.tr("Forgot your password?", "Passwort vergessen?")
    };
    ctx.title(title);
    let typed = RwSignal::new(String::new());
    let outcome: Outcome = RwSignal::new(None);
    let task = Task::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let value = typed.get_untracked();
        let value = if setting {
            value
        } else {
            value.trim().to_string()
        };
        if setting && value.chars().count() < MIN_PASSWORD_LEN {
            outcome.set(Some(Err(ctx
                .tr(
                    "Choose a password of at least 8 characters.",
                    "Wählen Sie ein Passwort mit mindestens 8 Zeichen.",
                )
                .into())));
            return;
        }
        if value.is_empty() {
            return;
        }
        let token = token.clone();
        task.start(async move {
            let done = if setting {
                let confirm = PasswordResetConfirm {
                    token,
                    password: value,
                };
                api::confirm_password_reset(&confirm).await.map(|_| {
                    typed.set(String::new());
                    ctx.tr(
                        "Your new password is set. Sign in with it.",
                        "Ihr neues Passwort ist festgelegt. Melden Sie sich damit an.",
                    )
                })
            } else {
                let by_email = value.contains('@');
                let request = PasswordResetRequest {
                    username: (!by_email).then(|| value.clone()),
                    email: by_email.then_some(value),
                };
                api::request_password_reset(&request).await.map(|_| {
                    ctx.tr(
                        "If an account matches, a link to set a new password is on its way to its e-mail address. It works once, within the hour.",
                        "Wenn ein Konto passt, ist ein Link für ein neues Passwort an seine E-Mail-Adresse unterwegs. Er gilt einmal, eine Stunde lang.",
                    )
                })
            };
            outcome.set(Some(done.map(String::from).map_err(|e| ctx.explain(&e))));
        });
    };
    view! {
        <h1 tabindex="-1">{title}</h1>
        <section class="card narrow">
            <form on:submit=on_submit novalidate>
                <label for="reset-field">{if setting {
                    ctx.tr("New password (at least 8 characters)", "Neues Passwort (mindestens 8 Zeichen)")
                } else {
                    ctx.tr("E-mail address or username", "E-Mail-Adresse oder Benutzername")
                }}</label>
                <input
                    id="reset-field"
                    type=if setting { "password" } else { "text" }
                    autocomplete=if setting { "new-password" } else { "username" }
                    bind:value=typed
                />
                <button id="reset-submit" type="submit" disabled=move || task.running()>
                    {if setting {
                        ctx.tr("Set new password", "Neues Passwort festlegen")
                    } else {
                        ctx.tr("E-mail me a link", "Link per E-Mail senden")
                    }}
                </button>
            </form>
            <OutcomeText outcome=outcome/>
            <p><a href="/signin">{ctx.tr("Sign in", "Anmelden")}</a></p>
        </section>
    }
}

/// `/confirm-email?token=…`: confirms the address the link was mailed to, and says so.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let ctx = use_ctx();
    let title = ctx.tr("Confirm your e-mail address", "E-Mail-Adresse bestätigen");
    ctx.title(title);
    let token = query_value(&use_location().search.get_untracked(), "token")
        .unwrap_or_default()
        .to_string();
    let outcome: Outcome = RwSignal::new(None);
    let task = Task::new();
    task.start(async move {
        let done = api::verify_email(&token).await.map(|_| {
            ctx.tr(
                "Thank you: your e-mail address is confirmed.",
                "Danke: Ihre E-Mail-Adresse ist bestätigt.",
            )
            .to_string()
        });
        outcome.set(Some(done.map_err(|e| ctx.explain(&e))));
    });
    view! {
        <h1 tabindex="-1">{title}</h1>
        <section class="card narrow">
            <OutcomeText outcome=outcome/>
            <p><a href="/my-bookings">{ctx.tr("My bookings", "Meine Buchungen")}</a></p>
        </section>
    }
}
