//! Every change to bookings, rooms, rates, housekeeping and roles, in words: newest first,
//! narrowed by kind, person, booking and days, and paged back to the very first entry.

use hotel_shared::staff::AuditEntry;
use leptos::prelude::*;

use super::StaffOnly;
use super::audit_words::describe;
use crate::api;
use crate::app::use_ctx;
use crate::widgets::{ErrorText, Loading, Task};

/// The kinds of change a clerk filters by, as the API names them.
const KINDS: [(&str, &str); 8] = [
    ("", "Everything"),
    ("booking", "Bookings"),
    ("room.housekeeping", "Housekeeping"),
    ("room", "Rooms"),
    ("room_type", "Room types and rates"),
    ("block", "Out of service"),
    ("role", "Staff roles"),
    ("hotel", "Hotel profile"),
];

/// `name=value` pairs as a query string, values percent-encoded; empty values left out.
pub(super) fn query(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("&{k}={}", api::encode_value(v.trim())))
        .collect()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let ctx = use_ctx();
    if !ctx.is_staff() {
        return view! { <StaffOnly/> }.into_any();
    }
    let kind = RwSignal::new(String::new());
    let who = RwSignal::new(String::new());
    let booking = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let entries: RwSignal<Option<Vec<AuditEntry>>> = RwSignal::new(None);
    let next: RwSignal<Option<String>> = RwSignal::new(None);
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let task = Task::new();
    let filters = move || {
        query(&[
            ("action", kind.get_untracked()),
            ("actor", who.get_untracked()),
            ("booking", booking.get_untracked()),
            ("from", from.get_untracked()),
            ("to", to.get_untracked()),
        ])
    };
    // `cursor`: more of the same list; otherwise the list starts again with the filters.
    let fetch = move |cursor: Option<String>| {
        let filters = filters();
        task.start(async move {
            let more = cursor.is_some();
            let cursor = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
            match api::audit(&format!("{filters}{cursor}")).await {
                Ok(log) => {
                    problem.set(None);
                    next.set(log.next_cursor);
                    if more {
                        entries.update(|e| e.get_or_insert_default().extend(log.entries));
                    } else {
                        entries.set(Some(log.entries));
                    }
                }
                Err(e) => problem.set(Some(ctx.explain(&e))),
            }
        });
    };
    fetch(None);
    let field =
        |id: &'static str, label: &'static str, value: RwSignal<String>, kind: &'static str| {
            view! {
                <div>
                    <label for=id>{label}</label>
                    <input id=id type=kind prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))/>
                </div>
            }
        };
    view! {
        <h1>"Audit log"</h1>
        <p class="muted">"Every change, newest first. Nobody can edit this log."</p>
        <form class="card row" id="audit-filters" on:submit=move |ev| {
            ev.prevent_default();
            fetch(None);
        }>
            <div>
                <label for="audit-kind">"What"</label>
                <select id="audit-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    {KINDS.iter().map(|(value, label)| view! {
                        <option value=*value>{*label}</option>
                    }).collect_view()}
                </select>
            </div>
            {field("audit-who", "Who (username)", who, "text")}
            {field("audit-booking", "Booking number", booking, "number")}
            {field("audit-from", "From", from, "date")}
            {field("audit-to", "Before", to, "date")}
            <div><button type="submit" disabled=move || task.running()>"Show"</button></div>
        </form>
        {move || problem.get().map(|text| view! { <ErrorText text=text/> })}
        <section class="card">
            {move || match entries.get() {
                None => view! { <Loading/> }.into_any(),
                Some(list) if list.is_empty() => {
                    view! { <p class="muted">"No change matches."</p> }.into_any()
                }
                Some(list) => view! {
                    <ol class="audit" id="audit">
                        {list.into_iter().map(|e| {
                            let when = format!("{} UTC", e.at.chars().take(16).collect::<String>().replace('T', " "));
                            let words = describe(&e);
                            view! {
                                <li>
                                    <span class="muted">{when}</span>
                                    " "
                                    <span class="what" data-action=e.action.as_str()>{words}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
            {move || next.get().map(|cursor| view! {
                <p>
                    <button id="audit-older" class="secondary" disabled=move || task.running()
                        on:click=move |_| fetch(Some(cursor.clone()))>
                        "Older changes"
                    </button>
                </p>
            })}
        </section>
    }
    .into_any()
}
