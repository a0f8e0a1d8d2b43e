//! Changing one's password while signed in: the current one, then a new one. The account's
//! other sessions end (another browser, a lost phone).

use hotel_shared::ErrorCode;
use hotel_shared::{MIN_PASSWORD_LEN, PasswordChange};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::widgets::{FieldError, Outcome, OutcomeText, Task};

#[component]
pub fn ChangePassword() -> impl IntoView {
    let ctx = use_ctx();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    // A problem beside its field: (field, sentence).
    let problem = RwSignal::new(None::<(&'static str, String)>);
    let at = move |field: &'static str| {
        Signal::derive(move || {
            problem
                .get()
                .and_then(|(f, text)| (f == field).then_some(text))
        })
    };
    let outcome: Outcome = RwSignal::new(None);
    let task = Task::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        let change = PasswordChange {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        if change.new_password.chars().count() < MIN_PASSWORD_LEN {
            problem.set(Some((
                "new",
                ctx.tr(
                    "The new password needs at least 8 characters.",
                    "Das neue Passwort braucht mindestens 8 Zeichen.",
                )
                .into(),
            )));
            crate::app::focus_first("[aria-invalid='true']");
            return;
        }
        problem.set(None);
        task.start(async move {
            match api::change_password(&change).await {
                Ok(_) => {
                    current.set(String::new());
                    new.set(String::new());
                    outcome.set(Some(Ok(ctx
                        .tr(
                            "Your password is changed. Anywhere else you were signed in, you are signed out.",
                            "Ihr Passwort ist geändert. Wo Sie sonst angemeldet waren, sind Sie abgemeldet.",
                        )
                        .into())));
                }
                Err(e) => {
                    let field = match e.code() {
                        ErrorCode::WrongPassword | ErrorCode::TooManySignInAttempts => "current",
                        ErrorCode::PasswordTooCommon | ErrorCode::InvalidRequest => "new",
                        _ => "",
                    };
                    let text = if e.code() == ErrorCode::WrongPassword {
                        ctx.tr(
                            "That is not your current password.",
                            "Das ist nicht Ihr aktuelles Passwort.",
                        )
                        .into()
                    } else {
                        ctx.explain(&e)
                    };
                    if field.is_empty() {
                        outcome.set(Some(Err(text)));
                    } else {
                        problem.set(Some((field, text)));
                        crate::app::focus_first("[aria-invalid='true']");
                    }
                }
            }
        });
    };
    view! {
        <section class="card narrow" aria-labelledby="password-heading">
            <h2 id="password-heading">{ctx.tr("Your password", "Ihr Passwort")}</h2>
            <form on:submit=on_submit novalidate>
                <label for="current-password">{ctx.tr("Current password", "Aktuelles Passwort")}</label>
                <input
                    id="current-password"
                    type="password"
                    autocomplete="current-password"
                    aria-invalid=move || at("current").get().map(|_| "true")
                    aria-describedby="current-password-error"
                    bind:value=current
                />
                <FieldError id="current-password-error" problem=at("current")/>
                <label for="new-password">{ctx.tr("New password", "Neues Passwort")}</label>
                <input
                    id="new-password"
                    type="password"
                    autocomplete="new-password"
                    aria-invalid=move || at("new").get().map(|_| "true")
                    aria-describedby="new-password-hint new-password-error"
                    bind:value=new
                />
                <p id="new-password-hint" class="muted">
                    {ctx.tr(
                        "At least 8 characters, and not one of the most common passwords.",
                        "Mindestens 8 Zeichen, und keines der häufigsten Passwörter.",
                    )}
                </p>
                <FieldError id="new-password-error" problem=at("new")/>
                <button type="submit" disabled=move || task.running()>
                    {move || if task.running() {
                        ctx.tr("Please wait…", "Bitte warten…")
                    } else {
                        ctx.tr("Change password", "Passwort ändern")
                    }}
                </button>
            </form>
            <OutcomeText outcome=outcome/>
        </section>
    }
}
