//! Signing in and creating an account: a page of its own (returning to `?next=`), and the
//! same form inline where a booking needs a guest.

use crate::nav::{navigate, use_location};
use hotel_shared::ErrorCode;
use hotel_shared::{Credentials, MIN_PASSWORD_LEN, Registration};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::logic::{query_value, safe_next};
use crate::widgets::{FieldError, Task};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    SignIn,
    Create,
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let ctx = use_ctx();
    ctx.title(ctx.tr("Sign in", "Anmelden"));
    let next = safe_next(query_value(&use_location().search.get_untracked(), "next"));
    view! {
        <h1 tabindex="-1">{ctx.tr("Sign in or create an account", "Anmelden oder Konto anlegen")}</h1>
        {move || ctx.user().is_some().then(|| view! {
            <p class="message info">{ctx.tr("You are signed in.", "Sie sind angemeldet.")}</p>
        })}
        <section class="card narrow">
            <AuthForm
                start_with_sign_in=true
                on_done=Callback::new(move |_| {
                    // Staff signing in to work go to the front desk (its own download),
                    // housekeepers to their rooms to clean there.
                    let work = if ctx.is_staff() {
                        Some("/desk")
                    } else if ctx.is_housekeeper() {
                        Some("/desk/housekeeping")
                    } else {
                        None
                    };
                    if let (Some(work), "/") = (work, next.as_str()) {
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().set_href(work);
                        }
                    } else {
                        navigate(&next, Default::default());
                    }
                })
            />
            <p><a href="/reset-password" id="forgot">{ctx.tr("Forgot your password?", "Passwort vergessen?")}</a></p>
        </section>
    }
}

/// Sign in (e-mail address or username, password) or create an account (name, e-mail
/// address, password; the address is the new account's username). Calls `on_done` once
/// signed in.
#[component]
pub fn AuthForm(
    on_done: Callback<()>,
    #[prop(optional)] start_with_sign_in: bool,
) -> impl IntoView {
    let ctx = use_ctx();
    let mode = RwSignal::new(if start_with_sign_in {
        Mode::SignIn
    } else {
        Mode::Create
    });
    let name = RwSignal::new(String::new());
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // Each problem beside its field: (field id, sentence).
    let problem = RwSignal::new(None::<(&'static str, String)>);
    let field_problem = move |field: &'static str| {
        Signal::derive(move || {
            problem
                .get()
                .and_then(|(at, text)| (at == field).then_some(text))
        })
    };

    let submit = Task::new();
    let send = move |mode: Mode, registration: Registration| {
        submit.start(async move {
            let signed_in = async {
                if mode == Mode::Create {
                    match api::register(&registration).await {
                        // Perhaps the guest's own account: signing in with what they typed
                        // lets them in if it is, and otherwise says no more than a sign-in
                        // would ("the e-mail address or the password is not right").
                        Err(e)
                            if matches!(
                                e.code(),
                                ErrorCode::UsernameTaken | ErrorCode::EmailTaken
                            ) => {}
                        other => {
                            other?;
                        }
                    }
                }
                api::login(&Credentials {
                    username: registration.username.clone(),
                    password: registration.password.clone(),
                })
                .await?;
                api::me().await
            };
            match signed_in.await {
                Ok(me) => {
                    ctx.signed_in(Some(me));
                    ctx.notice.set(None);
                    password.set(String::new());
                    on_done.run(());
                }
                Err(e) => {
                    let at = match e.code() {
                        ErrorCode::WrongPassword | ErrorCode::TooManySignInAttempts => "password",
                        _ => "login",
                    };
                    problem.set(Some((at, ctx.explain(&e))));
                    crate::app::focus_first("[aria-invalid='true']");
                }
            }
        })
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let current = mode.get_untracked();
        let who = login.get_untracked().trim().to_string();
        let secret = password.get_untracked();
        let refuse = |at: &'static str, text: &'static str| {
            problem.set(Some((at, text.to_string())));
            crate::app::focus_first("[aria-invalid='true']");
        };
        if current == Mode::Create && name.get_untracked().trim().is_empty() {
            return refuse(
                "name",
                ctx.tr(
                    "Please enter your name.",
                    "Bitte geben Sie Ihren Namen ein.",
                ),
            );
        }
        if who.is_empty() || (current == Mode::Create && !who.contains('@')) {
            return refuse(
                "login",
                ctx.tr(
                    "Please enter your e-mail address.",
                    "Bitte geben Sie Ihre E-Mail-Adresse ein.",
                ),
            );
        }
        if secret.is_empty()
            || (current == Mode::Create && secret.chars().count() < MIN_PASSWORD_LEN)
        {
            return refuse(
                "password",
                ctx.tr(
                    "Choose a password of at least 8 characters.",
                    "Wählen Sie ein Passwort mit mindestens 8 Zeichen.",
                ),
            );
        }
        problem.set(None);
        let registration = Registration {
            username: who.clone(),
            password: secret,
            name: (current == Mode::Create).then(|| name.get_untracked().trim().to_string()),
            email: (current == Mode::Create).then_some(who),
            language: (current == Mode::Create).then(|| ctx.lang.get_untracked().language()),
        };
        send(current, registration);
    };

    let creating = move || mode.get() == Mode::Create;
    view! {
        <form on:submit=on_submit novalidate>
            {move || creating().then(|| view! {
                <label for="name">{ctx.tr("Full name", "Vor- und Nachname")}</label>
                <input
                    id="name"
                    name="name"
                    autocomplete="name"
                    aria-invalid=move || field_problem("name").get().map(|_| "true")
                    aria-describedby="name-error"
                    bind:value=name
                />
                <FieldError id="name-error" problem=field_problem("name")/>
            })}
            <label for="username">{move || if creating() {
                ctx.tr("E-mail address", "E-Mail-Adresse")
            } else {
                ctx.tr("E-mail address or username", "E-Mail-Adresse oder Benutzername")
            }}</label>
            <input
                id="username"
                name="username"
                type=move || if creating() { "email" } else { "text" }
                autocomplete=move || if creating() { "email" } else { "username" }
                aria-invalid=move || field_problem("login").get().map(|_| "true")
                aria-describedby="username-error"
                bind:value=login
            />
            <FieldError id="username-error" problem=field_problem("login")/>
            <label for="password">{ctx.tr("Password", "Passwort")}</label>
            <input
                id="password"
                name="password"
                type="password"
                autocomplete=move || if creating() { "new-password" } else { "current-password" }
                aria-invalid=move || field_problem("password").get().map(|_| "true")
                aria-describedby="password-error password-hint"
                bind:value=password
            />
            <p id="password-hint" class="muted">
                {move || creating().then(|| ctx.tr("At least 8 characters.", "Mindestens 8 Zeichen."))}
            </p>
            <FieldError id="password-error" problem=field_problem("password")/>
            <button id="submit" type="submit" disabled=move || submit.running()>
                {move || match (mode.get(), submit.running()) {
                    (_, true) => ctx.tr("Please wait…", "Bitte warten…"),
                    (Mode::SignIn, false) => ctx.tr("Sign in", "Anmelden"),
                    (Mode::Create, false) => ctx.tr("Create account and continue", "Konto anlegen und weiter"),
                }}
            </button>
        </form>
        <p>
            {move || if creating() {
                ctx.tr("Stayed with us before? ", "Schon einmal bei uns gewesen? ")
            } else {
                ctx.tr("New here? ", "Neu hier? ")
            }}
            <button
                id="toggle-mode"
                type="button"
                class="link"
                on:click=move |_| {
                    problem.set(None);
                    mode.update(|m| *m = if *m == Mode::SignIn { Mode::Create } else { Mode::SignIn });
                }
            >
                {move || if creating() {
                    ctx.tr("Sign in instead", "Stattdessen anmelden")
                } else {
                    ctx.tr("Create an account", "Konto anlegen")
                }}
            </button>
        </p>
    }
}
