//! Small pieces several pages use.

use leptos::prelude::*;

/// An error next to the thing that failed, read out by screen readers.
#[component]
pub fn ErrorText(#[prop(into)] text: String) -> impl IntoView {
    view! { <p class="message error" role="alert">{text}</p> }
}

#[component]
pub fn OkText(#[prop(into)] text: String) -> impl IntoView {
    view! { <p class="message ok" role="status">{text}</p> }
}

/// What a failed load shows: the reason and a way to try again.
#[component]
pub fn LoadFailed(#[prop(into)] text: String, retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="message error" role="alert">
            <p>{text}</p>
            <button class="secondary" on:click=move |_| retry.run(())>"Try again"</button>
        </div>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="muted" role="status">"Loading…"</p> }
}
