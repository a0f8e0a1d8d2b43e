//! Webhooks, on the hotel page: where the hotel sends word of each booking and change, how
//! each address is doing, and setting a paused one going again.

use hotel_shared::webhooks::{EventName, Webhook, WebhookInput};
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::widgets::{Outcome, report};

/// What a webhook may be sent: every change, or the bookings' life only.
const BOOKING_EVENTS: [&str; 6] = [
    "booking.created",
    "booking.changed",
    "booking.cancelled",
    "booking.checked_in",
    "booking.checked_out",
    "booking.no_show",
];

#[component]
pub fn Webhooks(hooks: Vec<Webhook>, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let url = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let everything = RwSignal::new(true);
    let add = Action::new_local(move |input: &WebhookInput| {
        let input = input.clone();
        async move {
            report(ctx, outcome, api::add_webhook(&input).await, |h| {
                format!("The hotel now sends its news to {}.", h.url)
            });
        }
    });
    let resume = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            report(ctx, outcome, api::resume_webhook(id).await, |h| {
                format!("Sending to {} has started again.", h.url)
            });
        }
    });
    let remove = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            report(ctx, outcome, api::remove_webhook(id).await, |h| {
                format!("The hotel no longer sends its news to {}.", h.url)
            });
        }
    });
    view! {
        <section class="card" aria-labelledby="hooks-title">
            <h2 id="hooks-title">"Webhooks"</h2>
            <p class="muted">"Programs that want to hear of each booking and change at once give an address here; the hotel sends each one there, signed with the secret you agree with them."</p>
            {if hooks.is_empty() {
                view! { <p class="muted">"The hotel sends its news nowhere."</p> }.into_any()
            } else {
                view! {
                    <ul class="stays" id="webhooks">
                        {hooks.into_iter().map(|h| {
                            let id = h.id;
                            let stuck = h.status != "active";
                            let again = format!("Send again to {}", h.url);
                            let stop = format!("Stop sending to {}", h.url);
                            view! {
                                <li class="actions">
                                    <span>{describe(&h)}</span>
                                    {stuck.then(|| view! {
                                        <button class="secondary" aria-label=again on:click=move |_| { resume.dispatch(id); }>"Send again"</button>
                                    })}
                                    <button class="secondary" aria-label=stop on:click=move |_| { remove.dispatch(id); }>"Stop"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3>"A new address"</h3>
            <div>
                <label for="hook-url">"Address (https://…)"</label>
                <input id="hook-url" type="url" prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev))/>
            </div>
            <div>
                <label for="hook-secret">"Secret agreed with the program (at least 16 characters, no spaces)"</label>
                <input id="hook-secret" autocomplete="off" prop:value=move || secret.get() on:input=move |ev| secret.set(event_target_value(&ev))/>
            </div>
            <label for="hook-all" class="check">
                <input type="checkbox" id="hook-all" prop:checked=move || everything.get()
                    on:change=move |ev| everything.set(event_target_checked(&ev))/>
                "Every change (otherwise bookings only)"
            </label>
            <p>
                <button id="hook-add" disabled=move || add.pending().get()
                    on:click=move |_| {
                        let events: Vec<EventName> = if everything.get_untracked() {
                            vec![EventName("*".into())]
                        } else {
                            BOOKING_EVENTS.iter().map(|e| EventName((*e).into())).collect()
                        };
                        outcome.set(None);
                        add.dispatch(WebhookInput {
                            url: url.get_untracked().trim().to_string(),
                            events,
                            secret: secret.get_untracked().trim().to_string(),
                        });
                    }>
                    "Send news there"
                </button>
            </p>
        </section>
    }
}

/// A webhook in a sentence: where, and how sending there goes.
fn describe(h: &Webhook) -> String {
    let when = |at: &Option<String>| {
        at.as_deref()
            .map(|t| t.replace('T', " ").trim_end_matches('Z').to_string())
            .unwrap_or_default()
    };
    let state = match h.status.as_str() {
        "paused" => format!(
            "paused after a day of failures ({}); nothing is sent until you send again",
            h.last_error.as_deref().unwrap_or("no answer")
        ),
        "retrying" => format!(
            "the last try failed ({}); trying again at {}",
            h.last_error.as_deref().unwrap_or("no answer"),
            when(&h.next_attempt_at)
        ),
        _ => match &h.last_success_at {
            Some(_) => format!("working, last sent {}", when(&h.last_success_at)),
            None => "nothing sent yet".to_string(),
        },
    };
    format!("{}: {state}.", h.url)
}
