//! The hotel's guests (`/desk/guests`): found by name, e-mail or telephone; one guest's
//! profile, notes and stays (`?id=N`), and a registration card to print and sign.

use crate::nav::use_location;
use hotel_shared::guests::{Guest, GuestInput};
use leptos::prelude::*;

use super::{StaffOnly, day, stay_summary};
use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::query_value;
use crate::widgets::{LoadFailed, Loading, Outcome, OutcomeText, Task, report};

#[component]
pub fn GuestsPage() -> impl IntoView {
    let ctx = use_ctx();
    ctx.title("Guests");
    if !ctx.is_staff() {
        return view! { <StaffOnly/> }.into_any();
    }
    let search = use_location().search;
    view! {
        {move || match query_value(&search.get(), "id").and_then(|v| v.parse::<i64>().ok()) {
            Some(id) => view! { <GuestPage id=id/> }.into_any(),
            None => view! { <GuestList/> }.into_any(),
        }}
    }
    .into_any()
}

#[component]
fn GuestList() -> impl IntoView {
    let ctx = use_ctx();
    let q = RwSignal::new(String::new());
    let asked = RwSignal::new(String::new());
    let list = Load::new(move || {
        let q = asked.get();
        async move { api::guests(&q).await }
    });
    view! {
        <h1 tabindex="-1">"Guests"</h1>
        <form class="card row" role="search" on:submit=move |ev| {
            ev.prevent_default();
            asked.set(q.get_untracked());
        }>
            <div>
                <label for="guest-q">"Name, e-mail or telephone"</label>
                <input id="guest-q" prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
            </div>
            <div><button type="submit">"Find"</button></div>
        </form>
        <section class="card" aria-labelledby="guests-title">
            <h2 id="guests-title">"Guests by name"</h2>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <LoadFailed text=ctx.explain(&e) retry=Callback::new(move |_| list.refetch())/> }.into_any(),
                Some(Ok(l)) if l.guests.is_empty() => view! { <p class="muted">"No guest matches."</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <ul class="stays" id="guest-list">
                        {l.guests.into_iter().map(|g| {
                            let contact = [g.email.clone(), g.phone.clone()].into_iter()
                                .filter(|c| !c.is_empty()).collect::<Vec<_>>().join(" · ");
                            view! {
                                <li>
                                    <a href=format!("/desk/guests?id={}", g.id)>{g.full_name.clone()}</a>
                                    " "<span class="muted">{contact}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn GuestPage(id: i64) -> impl IntoView {
    let ctx = use_ctx();
    let record = Load::new(move || {
        ctx.changes.track();
        async move { api::guest(id).await }
    });
    let outcome: Outcome = RwSignal::new(None);
    view! {
        <p class="no-print"><a href="/desk/guests">"All guests"</a></p>
        <OutcomeText outcome=outcome/>
        {move || match record.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <LoadFailed text=ctx.explain(&e) retry=Callback::new(move |_| record.refetch())/> }.into_any(),
            Some(Ok(r)) => {
                let stays = r.stays.clone();
                let current = r.stays.iter().find(|b| matches!(b.status,
                    hotel_shared::BookingStatus::CheckedIn | hotel_shared::BookingStatus::Booked)).cloned();
                view! {
                    <h1 tabindex="-1">{r.guest.full_name.clone()}</h1>
                    {(!r.guest.notes.is_empty()).then(|| view! {
                        <p class="badge warn no-print" id="guest-notes">{format!("Notes: {}", r.guest.notes)}</p>
                    })}
                    <Profile guest=r.guest.clone() outcome=outcome/>
                    <section class="card no-print" aria-labelledby="stays-title">
                        <h2 id="stays-title">{format!("Stays ({})", stays.len())}</h2>
                        {if stays.is_empty() {
                            view! { <p class="muted">"No stay yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="stays" id="guest-stays">
                                    {stays.into_iter().map(|b| view! {
                                        <li>
                                            {format!("{} · booking {} · {}", stay_summary(&b), b.reference, ctx.price(b.total))}
                                            " "<a href=format!("/desk/bill?booking={}", b.id)
                                                aria-label=format!("Bill of booking {}", b.id)>"Bill"</a>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                    <TheirData guest=r.guest.clone() outcome=outcome/>
                    <RegistrationCard guest=r.guest current=current/>
                }.into_any()
            }
        }}
    }
}

/// What the law gives the guest over their data: all of it in one file, and erased on their
/// request (asked first: it cannot be undone).
#[component]
fn TheirData(guest: Guest, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let id = guest.id;
    let asking = RwSignal::new(false);
    let task = Task::new();
    let erase = move || {
        asking.set(false);
        outcome.set(None);
        task.start(async move {
            report(ctx, outcome, api::erase_guest(id).await, |e| e.message);
        });
    };
    let question = format!(
        "Erase the personal data of {} for good? Their name, contact details, identity document \
         and notes go from the profile, the stays and the audit log; stays, amounts and dates \
         stay, and an issued invoice keeps the name and address it was issued to, as the law \
         requires.",
        guest.full_name
    );
    view! {
        <section class="card no-print" aria-labelledby="their-data-title">
            <h2 id="their-data-title">"Their data"</h2>
            <p class="muted">"A guest may ask for everything the hotel keeps about them, or for it to be erased."</p>
            <div class="actions">
                <a class="button secondary" id="guest-export" href=format!("/staff/guests/{id}/export")
                    download=format!("guest-{id}.json")>"Download their data"</a>
                <button id="guest-erase" class="secondary" disabled=move || task.running()
                    on:click=move |_| asking.set(true)>"Erase their data"</button>
            </div>
            {move || asking.get().then(|| view! {
                <super::confirm::Confirm
                    text=question.clone()
                    yes="Erase for good".to_string()
                    on_yes=Callback::new(move |_| erase())
                    on_no=Callback::new(move |_| asking.set(false))
                />
            })}
        </section>
    }
}

/// The profile, editable.
#[component]
fn Profile(guest: Guest, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let id = guest.id;
    let fields: [(&'static str, &'static str, RwSignal<String>); 8] = [
        (
            "guest-name",
            "Full name",
            RwSignal::new(guest.full_name.clone()),
        ),
        ("guest-email", "E-mail", RwSignal::new(guest.email.clone())),
        (
            "guest-phone",
            "Telephone",
            RwSignal::new(guest.phone.clone()),
        ),
        (
            "guest-address",
            "Address",
            RwSignal::new(guest.address.clone()),
        ),
        (
            "guest-nationality",
            "Nationality",
            RwSignal::new(guest.nationality.clone()),
        ),
        (
            "guest-doc-type",
            "Identity document",
            RwSignal::new(guest.id_document_type.clone()),
        ),
        (
            "guest-doc-number",
            "Document number",
            RwSignal::new(guest.id_document_number.clone()),
        ),
        (
            "guest-notes",
            "Notes for the desk",
            RwSignal::new(guest.notes.clone()),
        ),
    ];
    let consent = RwSignal::new(guest.marketing_consent);
    let language = RwSignal::new(guest.language);
    let task = Task::new();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let v = |i: usize| fields[i].2.get_untracked();
        let input = GuestInput {
            full_name: v(0),
            email: v(1),
            phone: v(2),
            address: v(3),
            nationality: v(4),
            id_document_type: v(5),
            id_document_number: v(6),
            notes: v(7),
            marketing_consent: consent.get_untracked(),
            language: language.get_untracked(),
            allow_duplicate: false,
        };
        outcome.set(None);
        task.start(async move {
            report(ctx, outcome, api::save_guest(id, &input).await, |g| {
                format!("Saved {}.", g.full_name)
            });
        });
    };
    view! {
        <form class="card no-print" id="guest-profile" aria-labelledby="profile-title" on:submit=save>
            <h2 id="profile-title">"Profile"</h2>
            <div class="row">
                {fields.into_iter().map(|(id, label, value)| view! {
                    <div>
                        <label for=id>{label}</label>
                        <input id=id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                    </div>
                }).collect_view()}
                <div>
                    <label for="guest-language">"Language for messages"</label>
                    <super::LanguageSelect id="guest-language" language=language/>
                </div>
            </div>
            <label class="check">
                <input type="checkbox" id="guest-consent" prop:checked=move || consent.get()
                    on:change=move |ev| consent.set(event_target_checked(&ev))/>
                "Agrees to hear from the hotel"
            </label>
            <p><button type="submit" disabled=move || task.running()>"Save"</button></p>
        </form>
    }
}

/// What the guest reads and signs at check-in; prints alone.
#[component]
fn RegistrationCard(guest: Guest, current: Option<hotel_shared::Booking>) -> impl IntoView {
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let line = |label: &'static str, value: String| {
        view! {
            <div><dt>{label}</dt><dd>{if value.is_empty() { "—".to_string() } else { value }}</dd></div>
        }
    };
    view! {
        <section class="card registration" aria-labelledby="card-title">
            <h2 id="card-title">"Registration card"</h2>
            <dl class="card-lines">
                {line("Name", guest.full_name.clone())}
                {line("Address", guest.address.clone())}
                {line("Nationality", guest.nationality.clone())}
                {line("Identity document", format!("{} {}", guest.id_document_type, guest.id_document_number).trim().to_string())}
                {line("E-mail", guest.email.clone())}
                {line("Telephone", guest.phone.clone())}
                {current.map(|b| view! {
                    {line("Stay", format!("Room {} ({}), {} to {}, {} {}", b.room_number, b.room_type,
                        day(b.check_in), day(b.check_out), b.guests, if b.guests == 1 { "guest" } else { "guests" }))}
                    {line("Booking", b.reference.clone())}
                })}
            </dl>
            <p class="signature">"Signature: ______________________________"</p>
            <p class="no-print"><button class="secondary" on:click=print>"Print the registration card"</button></p>
        </section>
    }
}
