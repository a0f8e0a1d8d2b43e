use hotel_shared::{Credentials, MIN_PASSWORD_LEN};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::app::use_ctx;
use crate::widgets::ErrorText;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    SignIn,
    Create,
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let ctx = use_ctx();
    let navigate = use_navigate();
    let mode = RwSignal::new(Mode::SignIn);
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);

    let submit = Action::new_local(move |input: &(Mode, Credentials)| {
        let (mode, credentials) = input.clone();
        let navigate = navigate.clone();
        async move {
            let signed_in = async {
                if mode == Mode::Create {
                    api::register(&credentials).await?;
                }
                api::login(&credentials).await?;
                api::me().await
            };
            match signed_in.await {
                Ok(me) => {
                    ctx.session.set(Some(Some(me)));
                    ctx.notice.set(None);
                    password.set(String::new());
                    navigate("/", Default::default());
                }
                Err(e) => problem.set(Some(e.to_string())),
            }
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if submit.pending().get_untracked() {
            return;
        }
        let name = username.get_untracked().trim().to_string();
        let secret = password.get_untracked();
        let current = mode.get_untracked();
        if name.is_empty() || secret.is_empty() {
            problem.set(Some("Enter your username and password.".into()));
            return;
        }
        if current == Mode::Create && secret.chars().count() < MIN_PASSWORD_LEN {
            problem.set(Some(format!(
                "Choose a password of at least {MIN_PASSWORD_LEN} characters."
            )));
            return;
        }
        problem.set(None);
        submit.dispatch((
            current,
            Credentials {
                username: name,
                password: secret,
            },
        ));
    };

    view! {
        <h1>{move || if mode.get() == Mode::SignIn { "Sign in" } else { "Create an account" }}</h1>
        <Show when=move || ctx.user().is_some()>
            <p class="message info">
                "You are signed in as " {move || ctx.user().map(|u| u.username)} ". "
                <A href="/">"Book a room"</A>
            </p>
        </Show>
        <section class="card narrow">
            <form on:submit=on_submit novalidate>
                <label for="username">"Username"</label>
                <input id="username" name="username" autocomplete="username" bind:value=username/>
                <label for="password">"Password"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete=move || if mode.get() == Mode::SignIn { "current-password" } else { "new-password" }
                    aria-describedby="password-hint"
                    bind:value=password
                />
                <p id="password-hint" class="muted">
                    {move || if mode.get() == Mode::Create {
                        format!("At least {MIN_PASSWORD_LEN} characters.")
                    } else {
                        String::new()
                    }}
                </p>
                {move || problem.get().map(|text| view! { <ErrorText text=text/> })}
                <button id="submit" type="submit" disabled=move || submit.pending().get()>
                    {move || match (mode.get(), submit.pending().get()) {
                        (_, true) => "Please wait…",
                        (Mode::SignIn, false) => "Sign in",
                        (Mode::Create, false) => "Create account",
                    }}
                </button>
            </form>
            <p>
                {move || if mode.get() == Mode::SignIn { "New here? " } else { "Have an account? " }}
                <button
                    id="toggle-mode"
                    type="button"
                    class="secondary"
                    on:click=move |_| {
                        problem.set(None);
                        mode.update(|m| *m = if *m == Mode::SignIn { Mode::Create } else { Mode::SignIn });
                    }
                >
                    {move || if mode.get() == Mode::SignIn { "Create an account" } else { "Sign in instead" }}
                </button>
            </p>
        </section>
    }
}
