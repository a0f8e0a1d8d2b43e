//! The hotel's e-mail to guests: what went, what waits and why, newest first, with *Send
//! again*.

use hotel_shared::mail::Message;
use hotel_shared::{MessageKind, MessageStatus};
use leptos::prelude::*;

use super::StaffOnly;
use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::query_value;
use crate::nav::use_location;
use crate::widgets::{ErrorText, Loading, Outcome, OutcomeText, Task};

pub(super) fn kind_words(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::Confirmation => "Booking confirmation",
        MessageKind::Change => "Change of booking",
        MessageKind::Cancellation => "Cancellation",
        MessageKind::Reminder => "Reminder before arrival",
        MessageKind::PasswordReset => "Link to set a new password",
        MessageKind::Invoice => "Invoice after check-out",
        MessageKind::EmailVerification => "Link to confirm an e-mail address",
        MessageKind::Unknown => "Message",
    }
}

/// "2026-12-06 21:14 UTC"
fn when(at: &str) -> String {
    format!(
        "{} UTC",
        at.chars().take(16).collect::<String>().replace('T', " ")
    )
}

fn standing(m: &Message) -> String {
    match m.status {
        MessageStatus::Sent => format!(
            "Sent {}",
            m.sent_at.as_deref().map(when).unwrap_or_default()
        ),
        MessageStatus::Failed => format!(
            "Not sent: {}",
            m.last_error
                .as_deref()
                .unwrap_or("the mail server refused it")
        ),
        _ => match (&m.last_error, &m.next_attempt_at) {
            (Some(error), Some(next)) => format!(
                "Waiting: tried {} times, next at {}. The mail server said: {error}",
                m.attempts,
                when(next)
            ),
            _ => "Waiting to be sent".into(),
        },
    }
}

#[component]
pub fn MessagesPage() -> impl IntoView {
    let ctx = use_ctx();
    if !ctx.is_staff() {
        return view! { <StaffOnly/> }.into_any();
    }
    let status = RwSignal::new(String::new());
    // `?reference=` when opened from a booking's bill.
    let search = use_location().search.get_untracked();
    let reference = RwSignal::new(
        query_value(&search, "reference")
            .map(str::to_string)
            .unwrap_or_default(),
    );
    let list: RwSignal<Option<Vec<Message>>> = RwSignal::new(None);
    let next: RwSignal<Option<String>> = RwSignal::new(None);
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let outcome: Outcome = RwSignal::new(None);
    let task = Task::new();
    let fetch = move |cursor: Option<String>| {
        let mut query = super::audit::query(&[
            ("status", status.get_untracked()),
            ("reference", reference.get_untracked()),
        ]);
        if let Some(c) = &cursor {
            query.push_str(&format!("&cursor={c}"));
        }
        task.start(async move {
            match api::messages(&query).await {
                Ok(page) => {
                    problem.set(None);
                    next.set(page.next_cursor);
                    if cursor.is_some() {
                        list.update(|l| l.get_or_insert_default().extend(page.messages));
                    } else {
                        list.set(Some(page.messages));
                    }
                }
                Err(e) => problem.set(Some(ctx.explain(&e))),
            }
        });
    };
    fetch(None);
    let send_again = move |id: i64| {
        task.start(async move {
            match api::send_message_again(id).await {
                Ok(m) => {
                    outcome.set(Some(Ok(format!(
                        "The {} to {} goes again.",
                        kind_words(m.kind).to_lowercase(),
                        m.to
                    ))));
                    list.update(|l| {
                        if let Some(old) =
                            l.get_or_insert_default().iter_mut().find(|o| o.id == m.id)
                        {
                            *old = m;
                        }
                    });
                }
                Err(e) => outcome.set(Some(Err(ctx.explain(&e)))),
            }
        });
    };
    view! {
        <h1>"Messages to guests"</h1>
        <p class="muted">"Every e-mail the hotel writes to a guest, newest first: whether it went, and if not, why."</p>
        <form class="card row" id="message-filters" on:submit=move |ev| {
            ev.prevent_default();
            fetch(None);
        }>
            <div>
                <label for="message-status">"Show"</label>
                <select id="message-status" on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">"All"</option>
                    <option value="queued">"Waiting to be sent"</option>
                    <option value="sent">"Sent"</option>
                    <option value="failed">"Not sent"</option>
                </select>
            </div>
            <div>
                <label for="message-reference">"Booking reference"</label>
                <input id="message-reference" prop:value=move || reference.get()
                    on:input=move |ev| reference.set(event_target_value(&ev))/>
            </div>
            <div><button type="submit" disabled=move || task.running()>"Show"</button></div>
        </form>
        {move || problem.get().map(|text| view! { <ErrorText text=text/> })}
        <OutcomeText outcome=outcome/>
        <section class="card">
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(found) if found.is_empty() => {
                    view! { <p class="muted">"No message matches."</p> }.into_any()
                }
                Some(found) => view! {
                    <ol class="audit" id="messages">
                        {found.into_iter().map(|m| {
                            let id = m.id;
                            let again = m.kind != MessageKind::PasswordReset
                                && (m.status != MessageStatus::Queued || m.attempts > 0);
                            let about = m.reference.clone().map(|r| format!(" · booking {r}")).unwrap_or_default();
                            view! {
                                <li data-status=m.status.as_str()>
                                    <span class="muted">{when(&m.created_at)}</span>
                                    " "
                                    <strong>{kind_words(m.kind)}</strong>
                                    {format!(" to {} <{}>{about}", m.name, m.to)}
                                    <br/>
                                    <span class="what">{standing(&m)}</span>
                                    {again.then(|| view! {
                                        " "
                                        <button class="secondary" disabled=move || task.running()
                                            on:click=move |_| send_again(id)>
                                            "Send again"
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
            {move || next.get().map(|cursor| view! {
                <p>
                    <button id="messages-older" class="secondary" disabled=move || task.running()
                        on:click=move |_| fetch(Some(cursor.clone()))>
                        "Older messages"
                    </button>
                </p>
            })}
        </section>
    }
    .into_any()
}

/// The e-mail about one booking, where the desk looks at the booking (its bill).
#[component]
pub fn BookingMessages(reference: String) -> impl IntoView {
    let ctx = use_ctx();
    let query = super::audit::query(&[("reference", reference.clone())]);
    let data = Load::new(move || {
        ctx.changes.track();
        let query = query.clone();
        async move { api::messages(&query).await }
    });
    let all = format!("/desk/messages?reference={}", api::encode_value(&reference));
    view! {
        <section class="card no-print" id="booking-messages" aria-labelledby="booking-messages-heading">
            <h2 id="booking-messages-heading">"E-mail to the guest"</h2>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorText text=ctx.explain(&e)/> }.into_any(),
                Some(Ok(page)) if page.messages.is_empty() => view! {
                    <p class="muted">"No e-mail about this booking."</p>
                }.into_any(),
                Some(Ok(page)) => view! {
                    <ul class="audit">
                        {page.messages.into_iter().map(|m| view! {
                            <li data-status=m.status.as_str()>
                                <strong>{kind_words(m.kind)}</strong>
                                {format!(" to {} · {}", m.to, when(&m.created_at))}
                                <br/>
                                <span class="what">{standing(&m)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <p><a href=all.clone()>"Open in Messages (to send one again)"</a></p>
        </section>
    }
}
