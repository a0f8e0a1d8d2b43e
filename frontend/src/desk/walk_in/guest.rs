//! Who stays: a guest the hotel knows, found by name, e-mail or telephone, or someone new
//! (with a question when they look like a guest the hotel knows).

use hotel_shared::guests::Guest;
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::widgets::{Outcome, Task};

/// The new guest's details, as typed.
#[derive(Clone, Copy)]
pub struct NewGuest {
    pub name: RwSignal<String>,
    pub email: RwSignal<String>,
    pub phone: RwSignal<String>,
    /// The language the hotel will write to them in.
    pub language: RwSignal<hotel_shared::Language>,
    /// The clerk says a look-alike is someone else.
    pub allow_duplicate: RwSignal<bool>,
    /// The server's words on a likely duplicate, until the clerk answers.
    pub duplicate: RwSignal<Option<String>>,
}

impl NewGuest {
    pub fn new() -> NewGuest {
        NewGuest {
            name: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            language: RwSignal::new(hotel_shared::Language::default()),
            allow_duplicate: RwSignal::new(false),
            duplicate: RwSignal::new(None),
        }
    }

    pub fn clear(&self) {
        self.name.set(String::new());
        self.email.set(String::new());
        self.phone.set(String::new());
        self.language.set(hotel_shared::Language::default());
        self.allow_duplicate.set(false);
    }
}

#[component]
pub fn WhoStays(
    chosen: RwSignal<Option<Guest>>,
    new_guest: NewGuest,
    outcome: Outcome,
) -> impl IntoView {
    let ctx = use_ctx();
    let find = RwSignal::new(String::new());
    let found: RwSignal<Vec<Guest>> = RwSignal::new(Vec::new());
    let task = Task::new();
    let NewGuest {
        name,
        email,
        phone,
        language,
        allow_duplicate,
        duplicate,
    } = new_guest;
    let search = move |_| {
        let q = find.get_untracked();
        task.start(async move {
            match api::guests(&q).await {
                Ok(list) => found.set(list.guests),
                Err(e) => outcome.set(Some(Err(ctx.explain(&e)))),
            }
        });
    };
    view! {
    <div class="row">
        <div>
            <label for="walk-in-find">"Find the guest (name, e-mail or telephone)"</label>
            <input id="walk-in-find" prop:value=move || find.get()
                on:input=move |ev| find.set(event_target_value(&ev))/>
        </div>
        <div><button class="secondary" type="button" on:click=search disabled=move || task.running()>
            "Find guest"
        </button></div>
    </div>
    {move || {
        let list = found.get();
        (!list.is_empty()).then(|| view! {
            <fieldset>
                <legend>"Guests the hotel knows"</legend>
                {list.into_iter().map(|g| {
                    let id = format!("walk-in-guest-{}", g.id);
                    let label_for = id.clone();
                    let label = [g.full_name.clone(), g.email.clone(), g.phone.clone()]
                        .into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
                    let pick = g.clone();
                    let gid = g.id;
                    view! {
                        <label class="check" for=label_for>
                            <input type="radio" name="walk-in-guest" id=id
                                prop:checked=move || chosen.get().is_some_and(|c| c.id == gid)
                                on:change=move |_| chosen.set(Some(pick.clone()))/>
                            {label}
                        </label>
                    }
                }).collect_view()}
                <label class="check" for="walk-in-new">
                    <input type="radio" name="walk-in-guest" id="walk-in-new"
                        prop:checked=move || chosen.get().is_none()
                        on:change=move |_| chosen.set(None)/>
                    "Someone new"
                </label>
            </fieldset>
        })
    }}
    <Show when=move || chosen.get().is_none()>
        <div class="row">
            <div>
                <label for="walk-in-name">"Full name"</label>
                <input id="walk-in-name" autocomplete="off" prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))/>
            </div>
            <div>
                <label for="walk-in-email">"E-mail (optional)"</label>
                <input id="walk-in-email" type="email" autocomplete="off" prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target_value(&ev))/>
            </div>
            <div>
                <label for="walk-in-phone">"Telephone (optional)"</label>
                <input id="walk-in-phone" type="tel" autocomplete="off" prop:value=move || phone.get()
                    on:input=move |ev| phone.set(event_target_value(&ev))/>
            </div>
            <div>
                <label for="walk-in-language">"Language for messages"</label>
                <crate::desk::LanguageSelect id="walk-in-language" language=language/>
            </div>
        </div>
    </Show>
    {move || duplicate.get().map(|text| view! {
        <div class="confirm" role="alert">
            <p>{text}</p>
            <label class="check">
                <input type="checkbox" id="walk-in-allow-duplicate"
                    on:change=move |ev| allow_duplicate.set(event_target_checked(&ev))/>
                "This is someone else: add them anyway"
            </label>
        </div>
    })}
    }
}
