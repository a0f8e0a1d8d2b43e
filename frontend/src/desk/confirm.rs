//! The question asked before anything the desk cannot undo, shown beside what it concerns.

use leptos::prelude::*;

use crate::app::focus_first;

/// What will happen, a button that does it and one that leaves everything as it is (Escape
/// too). Focus moves to the question's first button when it appears.
#[component]
pub fn Confirm(
    text: String,
    yes: String,
    on_yes: Callback<()>,
    on_no: Callback<()>,
) -> impl IntoView {
    focus_first("#confirm-yes");
    view! {
        <div
            class="confirm"
            role="alertdialog"
            aria-labelledby="confirm-text"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    on_no.run(());
                }
            }
        >
            <p id="confirm-text">{text}</p>
            <div class="actions">
                <button id="confirm-yes" class="danger" on:click=move |_| on_yes.run(())>{yes}</button>
                <button id="confirm-no" class="secondary" on:click=move |_| on_no.run(())>
                    "Go back"
                </button>
            </div>
        </div>
    }
}
