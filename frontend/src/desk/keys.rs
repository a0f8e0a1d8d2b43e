//! Keys for programs, on the hotel page: which programs may reach the hotel's data and what
//! each may do, a new key (shown once), and revoking one.

use hotel_shared::keys::{ApiKey, ApiKeyInput, Scope};
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::widgets::{Outcome, report};

/// What a scope lets a program do, in the clerk's words.
fn scope_words(scope: Scope) -> &'static str {
    match scope {
        Scope::Read => "read bookings, guests, rooms and rates",
        Scope::Bookings => "make and change bookings",
        Scope::Rates => "set prices and close rooms",
    }
}

/// A key just made: its name and secret. Kept by the page, as the list is drawn anew after
/// the change.
pub type ShownKey = RwSignal<Option<(String, String)>>;

#[component]
pub fn ProgramKeys(keys: Vec<ApiKey>, shown: ShownKey, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let name = RwSignal::new(String::new());
    let chosen = Scope::ALL.map(|s| (s, RwSignal::new(s == Scope::Read)));
    let make = Action::new_local(move |input: &ApiKeyInput| {
        let input = input.clone();
        async move {
            match api::make_api_key(&input).await {
                Ok(new) => {
                    shown.set(Some((new.key.name.clone(), new.secret.clone())));
                    report(ctx, outcome, Ok(new), |k| {
                        format!(
                            "The key for {} is made. Copy it now: it is not shown again.",
                            k.key.name
                        )
                    });
                }
                Err(e) => report(ctx, outcome, Err::<(), _>(e), |_| String::new()),
            }
        }
    });
    let revoke = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            report(ctx, outcome, api::revoke_api_key(id).await, |k| {
                format!("The key for {} no longer works.", k.name)
            });
        }
    });
    let live: Vec<ApiKey> = keys
        .into_iter()
        .filter(|k| k.revoked_at.is_none())
        .collect();
    view! {
        <section class="card" aria-labelledby="keys-title">
            <h2 id="keys-title">"Keys for programs"</h2>
            <p class="muted">"A channel manager, the accounting software or the door locks reach the hotel's data with a key of their own, which may do only what you tick. Revoke a key when a program is no longer used."</p>
            {move || shown.get().map(|(for_name, secret)| view! {
                <div class="message" id="key-secret-box">
                    <label for="key-secret">{format!("The key for {for_name} (copy it now: it is not shown again)")}</label>
                    <input id="key-secret" readonly style="width: 100%" prop:value=secret/>
                </div>
            })}
            {if live.is_empty() {
                view! { <p class="muted">"No program has a key."</p> }.into_any()
            } else {
                view! {
                    <ul class="stays" id="api-keys">
                        {live.into_iter().map(|k| {
                            let id = k.id;
                            let label = format!("Revoke the key for {}", k.name);
                            view! {
                                <li class="actions">
                                    <span>{describe(&k)}</span>
                                    <button class="secondary" aria-label=label on:click=move |_| { revoke.dispatch(id); }>"Revoke"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3>"A new key"</h3>
            <div>
                <label for="key-name">"What the key is for (lower-case letters, digits and dashes)"</label>
                <input id="key-name" autocomplete="off" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            </div>
            <fieldset>
                <legend>"It may"</legend>
                {chosen.map(|(scope, on)| {
                    let id = format!("key-scope-{}", scope.as_str());
                    let label_for = id.clone();
                    view! {
                        <label for=label_for class="check">
                            <input type="checkbox" id=id prop:checked=move || on.get()
                                on:change=move |ev| on.set(event_target_checked(&ev))/>
                            {scope_words(scope)}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <p>
                <button id="key-make" disabled=move || make.pending().get()
                    on:click=move |_| {
                        let scopes: Vec<Scope> = chosen.iter().filter(|(_, on)| on.get_untracked()).map(|(s, _)| *s).collect();
                        if scopes.is_empty() {
                            outcome.set(Some(Err("Tick at least one thing the key may do.".into())));
                            return;
                        }
                        outcome.set(None);
                        make.dispatch(ApiKeyInput { name: name.get_untracked().trim().to_string(), scopes });
                    }>
                    "Make the key"
                </button>
            </p>
        </section>
    }
}

/// A key in a sentence: whose, what it may do, and when it was last used.
fn describe(k: &ApiKey) -> String {
    let may: Vec<&str> = k.scopes.iter().map(|s| scope_words(*s)).collect();
    let used = match &k.last_used_at {
        Some(at) => format!("last used {}", at.replace('T', " ").trim_end_matches('Z')),
        None => "not used yet".to_string(),
    };
    format!(
        "{} (ends in {}): may {}; {used}.",
        k.name,
        k.ends_with,
        may.join(", ")
    )
}
