//! The address bar: the page it names, links that change it without loading the app again, and
//! the browser's back and forward buttons.
//!
//! Written here rather than taken from leptos_router: both apps pick their page with
//! `Page::at` and use none of its route matching, and its router, kept only for this, still
//! weighed more of the guest portal's download than this whole file does.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Where the browser is. Both are signals, so a page redraws when a link or a search changes
/// them, and only when what it reads did change.
#[derive(Clone, Copy)]
pub struct Location {
    pub pathname: RwSignal<String>,
    /// The query string without its `?`.
    pub search: RwSignal<String>,
}

#[derive(Clone, Copy, Default)]
pub struct NavigateOptions {
    /// Takes the place of the current entry in the history (a redirect) instead of adding one.
    pub replace: bool,
}

thread_local! {
    static HERE: Location = Location::follow_the_browser();
}

/// The app's one location. The first call starts following links and the history.
pub fn use_location() -> Location {
    HERE.with(|here| *here)
}

impl Location {
    fn follow_the_browser() -> Location {
        let (pathname, search) = address();
        let here = Location {
            pathname: RwSignal::new(pathname),
            search: RwSignal::new(search),
        };
        // The handles are dropped on purpose: the app follows the browser for as long as it
        // runs.
        let _ = window_event_listener_untyped("popstate", move |_| here.catch_up());
        let _ = window_event_listener(ev::click, follow_link);
        here
    }

    /// Reads the address bar into the signals, leaving a signal that did not change alone.
    fn catch_up(self) {
        let (pathname, search) = address();
        if self.pathname.get_untracked() != pathname {
            self.pathname.set(pathname);
        }
        if self.search.get_untracked() != search {
            self.search.set(search);
        }
    }
}

fn address() -> (String, String) {
    let location = window().location();
    let search = location.search().unwrap_or_default();
    (
        location.pathname().unwrap_or_default(),
        search.strip_prefix('?').unwrap_or(&search).to_owned(),
    )
}

/// Shows the page at `to` (a path with an optional query) without loading the app again.
pub fn navigate(to: &str, options: NavigateOptions) {
    let here = use_location();
    let Ok(history) = window().history() else {
        // No history to write to: the browser loads the page itself.
        let _ = window().location().set_href(to);
        return;
    };
    let written = if options.replace {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
    } else {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to))
    };
    if written.is_err() {
        let _ = window().location().set_href(to);
        return;
    }
    here.catch_up();
    // A new page starts at its top, as it would after a load.
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

/// A click on a link to another page of this app shows that page without a reload. The
/// browser keeps every other click: a new tab or window, a download, another site, a link
/// marked `rel="external"` (the other app's pages), and a place on the same page.
fn follow_link(ev: web_sys::MouseEvent) {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.alt_key()
        || ev.ctrl_key()
        || ev.shift_key()
    {
        return;
    }
    let Some(link) = ev
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest("a[href]").ok().flatten())
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    let external = link
        .rel()
        .split_ascii_whitespace()
        .any(|rel| rel.eq_ignore_ascii_case("external"));
    if external
        || !link.target().is_empty()
        || link.has_attribute("download")
        || window().location().origin().ok() != Some(link.origin())
    {
        return;
    }
    let (pathname, search) = (link.pathname(), link.search());
    let here = address();
    if !link.hash().is_empty() && here.0 == pathname && here.1 == search.trim_start_matches('?') {
        return;
    }
    ev.prevent_default();
    navigate(
        &format!("{pathname}{search}{}", link.hash()),
        NavigateOptions::default(),
    );
}

/// A link in a menu, marked as the current page (for screen readers and the style sheet) while
/// its page, or with `exact` unset one below it, is shown.
#[component]
pub fn MenuLink(
    href: &'static str,
    #[prop(optional)] exact: bool,
    children: Children,
) -> impl IntoView {
    let here = use_location();
    let current = move || {
        let path = here.pathname.get();
        let below = !exact
            && path
                .strip_prefix(href)
                .is_some_and(|rest| rest.starts_with('/'));
        (path == href || path.trim_end_matches('/') == href || below).then_some("page")
    };
    view! { <a href=href aria-current=current>{children()}</a> }
}
