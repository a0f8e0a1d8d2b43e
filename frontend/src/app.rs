//! The shell: who is signed in, the hotel's today, navigation, and the pages.

use hotel_shared::{Date, HealthResponse, Me};
use leptos::prelude::*;
use leptos_router::components::{A, Router};
use leptos_router::hooks::use_location;
use leptos_router::hooks::use_navigate;
use leptos_router::location::{BrowserUrl, LocationProvider};

use crate::api::{self, ApiError};
use crate::load::Load;
use crate::logic::Page;
use crate::pages::{BookingsPage, CalendarPage, NotFound, RoomsPage, SignInPage};

/// State every page shares.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// `None` until the first check; then who is signed in, if anyone.
    pub session: RwSignal<Option<Option<Me>>>,
    /// The hotel's today (its time zone, not the browser's).
    pub today: RwSignal<Option<Date>>,
    /// A sentence for the whole app, e.g. why the guest was signed out.
    pub notice: RwSignal<Option<String>>,
    /// Bumped after every change, so every list and grid loads again.
    pub changes: RwSignal<u32>,
    /// ISO 4217 code of the hotel's currency.
    pub currency: RwSignal<String>,
}

impl Ctx {
    pub fn user(&self) -> Option<Me> {
        self.session.get().flatten()
    }

    /// Whether who is signed in and the hotel's today are known, so pages can show.
    pub fn ready(&self) -> bool {
        self.today.get().is_some() && self.session.get().is_some()
    }

    pub fn is_staff(&self) -> bool {
        self.user().is_some_and(|me| me.role == "staff")
    }

    /// An amount in minor units, written in the hotel's currency.
    pub fn money(&self, minor: i64) -> String {
        hotel_shared::money::format(minor, &self.currency.get_untracked())
    }

    pub fn changed(&self) {
        self.changes.update(|n| *n += 1);
    }

    /// Turns a failed call into a sentence; an ended session signs the guest out here.
    pub fn explain(&self, error: &ApiError) -> String {
        if error.is_unauthorized() {
            self.session.set(Some(None));
            self.notice
                .set(Some("Your session has ended. Please sign in again.".into()));
        }
        error.to_string()
    }
}

pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().unwrap_or_else(|| Ctx {
        session: RwSignal::new(None),
        today: RwSignal::new(None),
        notice: RwSignal::new(None),
        changes: RwSignal::new(0),
        currency: RwSignal::new(String::new()),
    })
}

/// Who is signed in, and the hotel's clock and currency: what every page waits for.
type Start = Load<(api::ApiResult<Me>, api::ApiResult<HealthResponse>)>;

/// Provides the shared state of a freshly loaded app and starts loading who is signed in (the
/// cookie survives reloads) and what day it is at the hotel.
fn start() -> Start {
    let ctx = Ctx {
        session: RwSignal::new(None),
        today: RwSignal::new(None),
        notice: RwSignal::new(None),
        changes: RwSignal::new(0),
        currency: RwSignal::new(String::new()),
    };
    provide_context(ctx);
    let start = Load::new(|| async { (api::me().await, api::health().await) });
    Effect::new(move |_| {
        if let Some((me, health)) = start.get() {
            ctx.session.set(Some(me.ok()));
            match health {
                Ok(h) => {
                    ctx.currency.set(h.currency);
                    ctx.today.set(Some(h.today));
                }
                Err(e) => ctx.notice.set(Some(e.to_string())),
            }
        }
    });
    start
}

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Shell what="the hotel" header=Header>
            <Pages/>
        </Shell>
    }
}

/// Either app's frame: the shared state, the router, a skip link, the app's header, then its
/// pages once who is signed in and the hotel's today are known.
#[component]
pub fn Shell(
    what: &'static str,
    #[prop(into)] header: ViewFn,
    children: ChildrenFn,
) -> impl IntoView {
    let start = start();
    view! {
        <Router>
            <a class="skip" href="#main">"Skip to content"</a>
            {header.run()}
            <Main start=start what=what>
                {children()}
            </Main>
        </Router>
    }
}

#[component]
fn Pages() -> impl IntoView {
    routed(|page| match page {
        Page::Rooms => view! { <RoomsPage/> }.into_any(),
        Page::SignIn => view! { <SignInPage/> }.into_any(),
        Page::Calendar => view! { <CalendarPage/> }.into_any(),
        Page::MyBookings => view! { <BookingsPage/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    })
}

/// The page the address bar names, drawn by `draw`, inside a `Router`. The router keeps the
/// address, the history and the links; `Page::at` picks the page. leptos_router's generic route
/// matching (`Routes`) alone weighed 30 KB of the gzipped download, more than all the pages.
pub fn routed(draw: impl Fn(Page) -> AnyView + Send + Sync + 'static) -> impl IntoView {
    let location = use_location();
    let browser = use_context::<BrowserUrl>();
    move || {
        let view = draw(Page::at(&location.pathname.get()));
        // A followed link puts its address in the address bar once its page is drawn: the
        // router waits for the route view to say so.
        if let Some(browser) = &browser {
            browser.ready_to_complete();
        }
        view
    }
}

#[component]
fn Header() -> impl IntoView {
    let ctx = use_ctx();
    let navigate = use_navigate();
    // Each action reports its own outcome when it finishes: no watcher effects to keep.
    let sign_out = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            let result = api::logout().await;
            ctx.session.set(Some(None));
            ctx.notice.set(Some(match result {
                Ok(_) => "You are signed out.".into(),
                Err(e) => e.to_string(),
            }));
            navigate("/signin", Default::default());
        }
    });
    view! {
        <header class="top">
            <span class="brand">"Hotel"</span>
            <nav aria-label="Main">
                <A href="/">"Rooms"</A>
                <A href="/calendar">"Calendar"</A>
                <Show when=move || ctx.user().is_some()>
                    <A href="/my-bookings">"My bookings"</A>
                </Show>
                <Show when=move || ctx.is_staff()>
                    // The front desk is its own download, loaded only by staff.
                    <a href="/desk" rel="external">"Front desk"</a>
                </Show>
                {move || match ctx.user() {
                    Some(me) => view! {
                        <span class="who">"Signed in as " <strong>{me.username}</strong></span>
                        <button
                            id="signout"
                            class="secondary"
                            disabled=move || sign_out.pending().get()
                            on:click=move |_| { sign_out.dispatch(()); }
                        >
                            "Sign out"
                        </button>
                    }
                    .into_any(),
                    None => view! { <A href="/signin">"Sign in"</A> }.into_any(),
                }}
            </nav>
        </header>
    }
}

/// The page area of either app: the app-wide notice, then the pages once `start` has
/// answered (until then, what is loading, with a retry when it failed).
#[component]
fn Main(start: Start, what: &'static str, children: ChildrenFn) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <main id="main" tabindex="-1">
            <Notice/>
            <Show
                when=move || ctx.ready()
                fallback=move || view! { <Starting start=start what=what/> }
            >
                {children()}
            </Show>
        </main>
    }
}

/// What shows until `start` has answered, with a retry when it failed.
#[component]
fn Starting(start: Start, what: &'static str) -> impl IntoView {
    view! {
        <p class="muted" role="status">{format!("Loading {what}…")}</p>
        <Show when=move || start.get().is_some()>
            <button on:click=move |_| start.refetch()>"Try again"</button>
        </Show>
    }
}

/// The app-wide notice, announced to screen readers.
#[component]
fn Notice() -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <div role="status" aria-live="polite">
            {move || ctx.notice.get().map(|text| view! {
                <p class="message info">
                    {text} " "
                    <button class="secondary" on:click=move |_| ctx.notice.set(None)>"Dismiss"</button>
                </p>
            })}
        </div>
    }
}
