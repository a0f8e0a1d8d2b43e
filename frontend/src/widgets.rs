//! Small pieces several pages use.

use leptos::prelude::*;

use hotel_shared::AvailabilityResponse;

use crate::api::{ApiError, ApiResult};
use crate::app::Ctx;
use crate::load::Load;
use crate::logic::move_targets;

/// What the last action said: its success sentence or the reason it failed.
pub type Outcome = RwSignal<Option<Result<String, String>>>;

/// Reports what an action did, and makes every list and grid load again after a change.
pub fn report<T>(
    ctx: Ctx,
    outcome: Outcome,
    result: Result<T, ApiError>,
    text: impl FnOnce(T) -> String,
) {
    outcome.set(Some(match result {
        Ok(value) => {
            ctx.changed();
            Ok(text(value))
        }
        Err(e) => Err(ctx.explain(&e)),
    }));
}

/// The outcome of the last action, announced to screen readers.
#[component]
pub fn OutcomeText(outcome: Outcome) -> impl IntoView {
    view! {
        <div aria-live="polite">
            {move || outcome.get().map(|o| {
                // One element whose class and role follow the outcome: cheaper to ship than
                // two views switched at run time.
                let (class, role, text) = match o {
                    Ok(text) => ("message ok", "status", text),
                    Err(text) => ("message error", "alert", text),
                };
                view! { <p class=class role=role>{text}</p> }
            })}
        </div>
    }
}

/// An error next to the thing that failed, read out by screen readers.
#[component]
pub fn ErrorText(#[prop(into)] text: String) -> impl IntoView {
    view! { <p class="message error" role="alert">{text}</p> }
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

/// A choice of the rooms a stay in room `current` can move to (`targets`: those free for its
/// remaining nights).
#[component]
pub fn MoveTargetSelect(
    #[prop(into)] id: String,
    targets: Load<ApiResult<AvailabilityResponse>>,
    current: u32,
    chosen: RwSignal<String>,
) -> impl IntoView {
    view! {
        <select
            id=id
            on:change=move |ev| chosen.set(event_target_value(&ev))
            prop:value=move || chosen.get()
        >
            <option value="">"Choose…"</option>
            {move || {
                let rooms = match targets.get() {
                    Some(Ok(a)) => move_targets(&a.rooms, current),
                    _ => Vec::new(),
                };
                rooms
                    .into_iter()
                    .map(|r| view! { <option value=r.to_string()>{format!("Room {r}")}</option> })
                    .collect_view()
            }}
        </select>
    }
}
