//! The shell: who is signed in, the hotel's today, navigation, and the pages.

use hotel_shared::Role;
use hotel_shared::staff::HotelProfile;
use hotel_shared::{Date, HealthResponse, Me};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::i18n::{self, Lang};
use crate::load::Load;
use crate::logic::Page;
use crate::nav::{navigate, use_location};
use crate::pages::{
    BookPage, BookingsPage, ConfirmEmailPage, HomePage, NotFound, ReservationPage,
    ResetPasswordPage, SignInPage,
};
use crate::widgets::Task;

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
    /// The language the app speaks (the desk speaks English).
    pub lang: RwSignal<Lang>,
    /// The hotel's name, words, photos and room types (the guest portal loads them).
    pub hotel: RwSignal<Option<HotelProfile>>,
}

impl Ctx {
    pub fn user(&self) -> Option<Me> {
        self.session.get().flatten()
    }

    /// The signed-in guest's stored language, if it differs from the site's.
    pub fn language_to_store(&self) -> Option<hotel_shared::Language> {
        let wanted = self.lang.get_untracked().language();
        self.session
            .get_untracked()
            .flatten()
            .filter(|me| me.language != wanted)
            .map(|_| wanted)
    }

    /// Whether who is signed in and the hotel's today are known, so pages can show.
    pub fn ready(&self) -> bool {
        self.today.get().is_some() && self.session.get().is_some()
    }

    pub fn is_staff(&self) -> bool {
        self.user().is_some_and(|me| me.role == Role::Staff)
    }

    /// Housekeepers see the rooms to clean and nothing else of the desk.
    pub fn is_housekeeper(&self) -> bool {
        self.user().is_some_and(|me| me.role == Role::Housekeeper)
    }

    /// An amount in minor units, written in the hotel's currency.
    pub fn money(&self, minor: i64) -> String {
        hotel_shared::money::format(minor, &self.currency.get_untracked())
    }

    /// An amount as the guest's language writes it: "€1,250.00", "1.250,00 €".
    pub fn price(&self, minor: i64) -> String {
        i18n::money(self.lang(), minor, &self.currency.get_untracked())
    }

    pub fn lang(&self) -> Lang {
        self.lang.get_untracked()
    }

    /// The English or the German words, as the guest reads.
    pub fn tr(&self, en: &'static str, de: &'static str) -> &'static str {
        self.lang().pick(en, de)
    }

    /// A day as the guest's language writes it: "Sun 13 Dec 2026".
    pub fn day(&self, d: Date) -> String {
        i18n::date(self.lang(), d)
    }

    /// Cancellation terms in the guest's language, the deadline on the guest's own clock.
    pub fn cancellation(&self, terms: &hotel_shared::rates::StayTerms) -> String {
        let deadline = terms.free_until.as_deref().and_then(local_moment);
        i18n::cancellation(self.lang(), terms, deadline, |m| self.price(m))
    }

    /// "Incl. VAT, plus city tax €6.00, payable at the hotel."
    pub fn taxes(&self, city_tax: i64, included: bool) -> String {
        i18n::taxes(self.lang(), city_tax, included, |m| self.price(m))
    }

    /// "Included: Breakfast. " (nothing when a plan includes nothing besides the room).
    pub fn included(&self, names: &str) -> String {
        if names.is_empty() {
            return String::new();
        }
        format!("{} {names}. ", self.tr("Included:", "Inklusive:"))
    }

    /// The hotel's name, once known.
    pub fn hotel_name(&self) -> String {
        self.hotel
            .with_untracked(|h| h.as_ref().map(|h| h.details.name.clone()))
            .unwrap_or_else(|| "Hotel".into())
    }

    /// Names the page in the browser's tab and history: "Your booking · Seaview House".
    pub fn title(&self, page: &str) {
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(&format!("{page} · {}", self.hotel_name()));
        }
    }

    /// Who is signed in is known, and remembered across reloads (only that someone is: the
    /// session itself is an HttpOnly cookie).
    pub fn signed_in(&self, me: Option<Me>) {
        remember_signed_in(me.is_some());
        self.session.set(Some(me));
    }

    pub fn changed(&self) {
        self.changes.update(|n| *n += 1);
    }

    /// Turns a failed call into a sentence; an ended session signs the guest out here.
    pub fn explain(&self, error: &ApiError) -> String {
        if error.is_unauthorized() {
            // The notice first: forms redrawn for a guest signed out offer to sign in again.
            self.notice.set(Some(
                self.tr(
                    "Your session has ended. Please sign in again.",
                    "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
                )
                .into(),
            ));
            self.signed_in(None);
        }
        match (error, i18n::error(self.lang(), error.code())) {
            (_, Some(text)) => text.into(),
            (ApiError::Network(_), None) => self
                .tr(
                    "The hotel's server could not be reached. Check the connection and try again.",
                    "Der Server des Hotels ist nicht erreichbar. Bitte prüfen Sie die Verbindung.",
                )
                .into(),
            (ApiError::Refused { message, .. }, None) => match self.lang() {
                Lang::En => message.clone(),
                Lang::De => format!("Das hat nicht geklappt ({message})."),
            },
        }
    }
}

pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().unwrap_or_else(new_ctx)
}

fn new_ctx() -> Ctx {
    Ctx {
        session: RwSignal::new(None),
        today: RwSignal::new(None),
        notice: RwSignal::new(None),
        changes: RwSignal::new(0),
        currency: RwSignal::new(String::new()),
        lang: RwSignal::new(Lang::En),
        hotel: RwSignal::new(None),
    }
}

const SIGNED_IN_KEY: &str = "hotel.signed_in";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn remember_signed_in(yes: bool) {
    if let Some(s) = storage() {
        let _ = if yes {
            s.set_item(SIGNED_IN_KEY, "1")
        } else {
            s.remove_item(SIGNED_IN_KEY)
        };
    }
}

/// Whether this browser signed in and has not signed out: only then is `/me` worth asking
/// (an anonymous visitor's page load would otherwise log a 401 in the console).
fn maybe_signed_in() -> bool {
    storage().is_some_and(|s| s.get_item(SIGNED_IN_KEY).ok().flatten().is_some())
}

/// Who is signed in, and the hotel's clock and currency: what every page waits for.
type Start = Load<(api::ApiResult<Me>, api::ApiResult<HealthResponse>)>;

/// Provides the shared state of a freshly loaded app and starts loading who is signed in (the
/// cookie survives reloads) and what day it is at the hotel.
fn start(guest_site: bool) -> Start {
    let ctx = new_ctx();
    if guest_site {
        ctx.lang.set(Lang::detect());
        ctx.lang.get_untracked().apply(false);
    }
    provide_context(ctx);
    let start = Load::new(move || async move {
        let me = if maybe_signed_in() || !guest_site {
            api::me().await
        } else {
            Err(ApiError::Network(String::new()))
        };
        if guest_site && let Ok(profile) = api::hotel().await {
            ctx.hotel.set(Some(profile));
        }
        (me, api::health().await)
    });
    Effect::new(move |_| {
        if let Some((me, health)) = start.get() {
            ctx.signed_in(me.ok());
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
        <Shell what="the hotel" header=Header guest_site=true>
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
    #[prop(optional)] guest_site: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let start = start(guest_site);
    let ctx = use_ctx();
    view! {
        // Not every browser moves keyboard focus to a place a link jumps to: this link does.
        <a
            class="skip"
            href="#main"
            on:click=|ev| {
                ev.prevent_default();
                focus_first("main");
            }
        >
            {move || ctx.lang.get().pick("Skip to content", "Zum Inhalt springen")}
        </a>
        {header.run()}
        <Main start=start what=what>
            {children()}
        </Main>
    }
}

#[component]
fn Pages() -> impl IntoView {
    routed(|page| match page {
        Page::Home => view! { <HomePage/> }.into_any(),
        Page::SignIn => view! { <SignInPage/> }.into_any(),
        Page::Book => view! { <BookPage/> }.into_any(),
        Page::MyBookings => view! { <BookingsPage/> }.into_any(),
        Page::Reservation => view! { <ReservationPage/> }.into_any(),
        Page::ResetPassword => view! { <ResetPasswordPage/> }.into_any(),
        Page::ConfirmEmail => view! { <ConfirmEmailPage/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    })
}

/// Moves keyboard focus to the first element matching `selector` once the page has drawn
/// it: after a navigation or an action, the new content is where a keyboard or screen
/// reader user continues.
pub fn focus_first(selector: &'static str) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let found = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = found {
            let _ = element.focus();
        }
    });
}

/// The page the address bar names, drawn by `draw`: `nav` follows the address and the links,
/// `Page::at` picks the page.
pub fn routed(draw: impl Fn(Page) -> AnyView + Send + Sync + 'static) -> impl IntoView {
    let location = use_location();
    let ctx = use_ctx();
    let first = std::sync::atomic::AtomicBool::new(true);
    move || {
        // A new language draws the page again in it.
        ctx.lang.track();
        let view = draw(Page::at(&location.pathname.get()));
        // Every page's heading takes focus when a link or an action opened it (not on the
        // first load, where the browser starts at the top).
        if !first.swap(false, std::sync::atomic::Ordering::Relaxed) {
            focus_first("main h1");
        }
        view
    }
}

#[component]
fn Header() -> impl IntoView {
    let ctx = use_ctx();
    let sign_out = Task::new();
    let do_sign_out = move |_| {
        sign_out.start(async move {
            let result = api::logout().await;
            ctx.signed_in(None);
            ctx.notice.set(Some(match result {
                Ok(_) => ctx.tr("You are signed out.", "Sie sind abgemeldet.").into(),
                Err(e) => ctx.explain(&e),
            }));
            navigate("/", Default::default());
        });
    };
    let switch = move |_| {
        let next = match ctx.lang.get_untracked() {
            Lang::En => Lang::De,
            Lang::De => Lang::En,
        };
        next.apply(true);
        ctx.lang.set(next);
        remember_language(ctx);
    };
    let location = use_location();
    // The link to the page shown is marked as such.
    let here =
        move |path: &'static str| move || (location.pathname.get() == path).then_some("page");
    view! {
        <header class="top">
            <a href="/" class="brand">{move || {
                ctx.lang.track();
                ctx.hotel.track();
                ctx.hotel_name()
            }}</a>
            <nav aria-label=move || ctx.lang.get().pick("Main", "Hauptmenü")>
                <a href="/" aria-current=here("/")>{move || ctx.lang.get().pick("Book a stay", "Zimmer buchen")}</a>
                {move || ctx.user().is_some().then(|| view! {
                    <a href="/my-bookings" aria-current=here("/my-bookings")>
                        {move || ctx.lang.get().pick("My bookings", "Meine Buchungen")}
                    </a>
                })}
                {move || ctx.is_staff().then(|| view! {
                    // The front desk is its own download, loaded only by staff.
                    <a href="/desk" rel="external">{move || ctx.lang.get().pick("Front desk", "Rezeption")}</a>
                })}
                {move || ctx.is_housekeeper().then(|| view! {
                    <a href="/desk/housekeeping" rel="external">{move || ctx.lang.get().pick("Rooms to clean", "Zimmerreinigung")}</a>
                })}
                {move || match ctx.user() {
                    Some(me) => view! {
                        <span class="who">
                            {move || ctx.lang.get().pick("Signed in as ", "Angemeldet als ")}
                            <strong>{me.name.unwrap_or(me.username)}</strong>
                        </span>
                        <button
                            id="signout"
                            class="secondary"
                            disabled=move || sign_out.running()
                            on:click=do_sign_out
                        >
                            {move || ctx.lang.get().pick("Sign out", "Abmelden")}
                        </button>
                    }
                    .into_any(),
                    None => view! {
                        <a href="/signin" aria-current=here("/signin")>{move || ctx.lang.get().pick("Sign in", "Anmelden")}</a>
                    }.into_any(),
                }}
                // Named in the language it switches to, as language switchers are.
                {move || {
                    let (label, lang) = match ctx.lang.get() {
                        Lang::En => ("Deutsch", "de"),
                        Lang::De => ("English", "en"),
                    };
                    view! {
                        <button id="language" class="secondary" lang=lang on:click=switch>{label}</button>
                    }
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
    let ready = Memo::new(move |_| ctx.ready());
    view! {
        <main id="main" tabindex="-1">
            <Notice/>
            // A memo: the pages are drawn once when ready, not again at every sign-in.
            {move || if ready.get() {
                children().into_any()
            } else {
                view! { <Starting start=start what=what/> }.into_any()
            }}
        </main>
    }
}

/// What shows until `start` has answered, with a retry when it failed.
#[component]
fn Starting(start: Start, what: &'static str) -> impl IntoView {
    view! {
        <p class="muted" role="status">{format!("Loading {what}…")}</p>
        {move || start.get().is_some().then(|| view! {
            <button on:click=move |_| start.refetch()>
                {use_ctx().tr("Try again", "Erneut versuchen")}
            </button>
        })}
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
                    <button class="secondary" on:click=move |_| ctx.notice.set(None)>
                        {ctx.tr("Dismiss", "Schließen")}
                    </button>
                </p>
            })}
        </div>
    }
}

/// An RFC 3339 instant as day, hour and minute in the browser's time zone.
fn local_moment(instant: &str) -> Option<(Date, u32, u32)> {
    let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(instant));
    if at.get_time().is_nan() {
        return None;
    }
    let day = Date::new(
        i32::try_from(at.get_full_year()).ok()?,
        at.get_month() + 1,
        at.get_date(),
    )?;
    Some((day, at.get_hours(), at.get_minutes()))
}

/// The hotel writes to a signed-in guest in the language they read the site in: stored when
/// they switch it, and when they book. A failure changes nothing the guest sees.
pub fn remember_language(ctx: Ctx) {
    if let Some(language) = ctx.language_to_store() {
        leptos::task::spawn_local(async move {
            if let Ok(me) = crate::api::set_language(language).await {
                ctx.session.set(Some(Some(me)));
            }
        });
    }
}
