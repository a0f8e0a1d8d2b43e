//! Finding a booking at the desk by what the guest says: their name, the booking reference,
//! or the room number.

use hotel_shared::Booking;
use leptos::prelude::*;

use super::stay_summary;
use crate::api;
use crate::app::use_ctx;
use crate::widgets::{ErrorText, Task};

/// What a typed search looks for first: a room number, a booking reference, or a name.
fn kind_of(text: &str) -> &'static str {
    let t = text.trim();
    if !t.is_empty() && t.len() <= 7 && t.bytes().all(|b| b.is_ascii_digit()) {
        "room"
    } else if t.len() == 8 && t.bytes().all(|b| b.is_ascii_alphanumeric()) {
        "reference"
    } else {
        "guest"
    }
}

#[component]
pub fn Find() -> impl IntoView {
    let ctx = use_ctx();
    let text = RwSignal::new(String::new());
    let found: RwSignal<Option<Vec<Booking>>> = RwSignal::new(None);
    let problem = RwSignal::new(None::<String>);
    let task = Task::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = text.get_untracked().trim().to_string();
        if typed.is_empty() {
            return;
        }
        task.start(async move {
            let mut result = api::find_bookings(kind_of(&typed), &typed).await;
            // A reference-like word may be a name after all.
            if kind_of(&typed) == "reference"
                && result.as_ref().is_ok_and(|l| l.bookings.is_empty())
            {
                result = api::find_bookings("guest", &typed).await;
            }
            match result {
                Ok(list) => {
                    problem.set(None);
                    found.set(Some(list.bookings));
                }
                Err(e) => problem.set(Some(ctx.explain(&e))),
            }
        });
    };
    view! {
        <form class="card" id="find" role="search" aria-labelledby="find-title" on:submit=submit>
            <h2 id="find-title">"Find a booking"</h2>
            <div class="row">
                <div>
                    <label for="find-text">"Guest name, booking reference or room"</label>
                    <input id="find-text" prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))/>
                </div>
                <div><button type="submit" disabled=move || task.running()>"Find"</button></div>
            </div>
            {move || problem.get().map(|t| view! { <ErrorText text=t/> })}
            {move || found.get().map(|list| {
                if list.is_empty() {
                    return view! { <p class="muted" role="status">"No booking matches."</p> }.into_any();
                }
                view! {
                    <div role="status"><ul class="stays" id="found">
                        {list.into_iter().map(|b| {
                            let id = b.id;
                            view! {
                                <li>
                                    <div>{format!("{} · booking {}", stay_summary(&b), b.reference)}</div>
                                    <a href=format!("/desk/bill?booking={id}")
                                        aria-label=format!("Bill of booking {id}")>"Bill"</a>
                                </li>
                            }
                        }).collect_view()}
                    </ul></div>
                }.into_any()
            })}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::kind_of;

    #[test]
    fn what_the_clerk_typed_decides_what_is_searched() {
        assert_eq!(kind_of("12"), "room");
        assert_eq!(kind_of("K7M4QX2P"), "reference");
        assert_eq!(kind_of("k7m4qx2p"), "reference");
        // Eight letters may be a name: the search falls back to names when no reference matches.
        assert_eq!(kind_of("williams"), "reference");
        assert_eq!(kind_of("Williamson"), "guest");
        assert_eq!(kind_of("Anna Smith"), "guest");
    }
}
