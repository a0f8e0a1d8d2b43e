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

/// Work a button starts: one run at a time (a second click meanwhile does nothing), and
/// whether it is running, for the button to say so. Lighter in the download than an
/// `Action` per button: the future is boxed, so the machinery is built once.
#[derive(Clone, Copy)]
pub struct Task(RwSignal<bool>);

impl Default for Task {
    fn default() -> Self {
        Task(RwSignal::new(false))
    }
}

impl Task {
    pub fn new() -> Task {
        Task::default()
    }

    /// Whether it is running (tracked).
    pub fn running(self) -> bool {
        self.0.get()
    }

    pub fn start(self, work: impl std::future::Future<Output = ()> + 'static) {
        if self.0.get_untracked() {
            return;
        }
        self.0.set(true);
        spawn_boxed(self.0, Box::pin(work));
    }
}

fn spawn_boxed(
    busy: RwSignal<bool>,
    work: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>,
) {
    leptos::task::spawn_local(async move {
        work.await;
        busy.set(false);
    });
}

/// Sends a visitor who is not signed in to the sign-in page, which brings them back to
/// `here` afterwards (also when their session ends while they are on the page).
pub fn require_sign_in(here: String) {
    let ctx = crate::app::use_ctx();
    Effect::new(move |_| {
        if ctx.user().is_none() {
            let to = format!("/signin?next={}", crate::logic::encode_next(&here));
            crate::nav::navigate(&to, crate::nav::NavigateOptions { replace: true });
        }
    });
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
            <button class="secondary" on:click=move |_| retry.run(())>
                {crate::app::use_ctx().tr("Try again", "Erneut versuchen")}
            </button>
        </div>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    let text = crate::app::use_ctx().tr("Loading…", "Wird geladen…");
    view! { <p class="muted" role="status">{text}</p> }
}

/// The problem with a form field, beside it: the field names this element's `id` in its
/// `aria-describedby` and sets `aria-invalid` while there is one.
#[component]
pub fn FieldError(
    id: &'static str,
    #[prop(into)] problem: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <p id=id class="field-error" role="alert">{move || problem.get()}</p>
    }
}

/// A photo the hotel uploaded; it loads when it scrolls into view.
#[component]
pub fn Photo(url: String, alt: String, class: &'static str) -> impl IntoView {
    view! { <img src=url alt=alt class=class loading="lazy" decoding="async"/> }
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
