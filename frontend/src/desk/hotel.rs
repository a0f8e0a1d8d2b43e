//! The hotel's profile as guests see it on the booking site: its details and its photos.

use hotel_shared::staff::{HotelDetails, HotelProfile, RoomType};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::StaffOnly;
use super::keys::{ProgramKeys, ShownKey};
use super::taxes::Taxes;
use super::webhooks::Webhooks;
use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::widgets::{LoadFailed, Loading, Outcome, OutcomeText, Task, report};

#[component]
pub fn HotelPage() -> impl IntoView {
    let ctx = use_ctx();
    if !ctx.is_staff() {
        return view! { <StaffOnly/> }.into_any();
    }
    let data = Load::new(move || {
        ctx.changes.track();
        async move {
            Ok::<_, api::ApiError>((
                api::hotel().await?,
                api::room_types().await?,
                api::api_keys().await?,
                api::webhooks().await?,
                api::tax_rates().await?,
                api::city_tax().await?,
                api::price_basis().await?.basis,
            ))
        }
    });
    let outcome: Outcome = RwSignal::new(None);
    let shown: ShownKey = RwSignal::new(None);
    view! {
        <h1>"Hotel profile"</h1>
        <p class="muted">"What guests read on the booking site. Times are the hotel's own."</p>
        <OutcomeText outcome=outcome/>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! {
                <LoadFailed text=ctx.explain(&e) retry=Callback::new(move |_| data.refetch())/>
            }.into_any(),
            Some(Ok((profile, types, keys, hooks, rates, city_tax, basis))) => view! {
                <Details details=profile.details.clone() outcome=outcome/>
                <Taxes rates=rates.tax_rates city_tax=city_tax basis=basis outcome=outcome/>
                <Photos profile=profile types=types outcome=outcome/>
                <ProgramKeys keys=keys.keys shown=shown outcome=outcome/>
                <Webhooks hooks=hooks.webhooks outcome=outcome/>
            }.into_any(),
        }}
    }
    .into_any()
}

#[component]
fn Details(details: HotelDetails, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let fields = [
        ("name", "Name", details.name),
        ("address", "Address", details.address),
        ("phone", "Telephone", details.phone),
        ("email", "E-mail", details.email),
        ("check-in-from", "Check-in from", details.check_in_from),
        (
            "check-out-until",
            "Check-out until",
            details.check_out_until,
        ),
        ("description", "Description", details.description),
        ("house-rules", "House rules", details.house_rules),
        (
            "legal-name",
            "Legal name on invoices (if not the name above)",
            details.legal_name,
        ),
        ("tax-number", "Tax number", details.tax_number),
        ("vat-id", "VAT ID", details.vat_id),
    ]
    .map(|(id, label, value)| (id, label, RwSignal::new(value)));
    let save = Task::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let [
            name,
            address,
            phone,
            email,
            from,
            until,
            description,
            rules,
            legal_name,
            tax_number,
            vat_id,
        ] = fields.map(|(_, _, value)| value.get_untracked());
        let input = HotelDetails {
            name,
            address,
            phone,
            email,
            check_in_from: from,
            check_out_until: until,
            description,
            house_rules: rules,
            legal_name,
            tax_number,
            vat_id,
        };
        save.start(async move {
            report(ctx, outcome, api::save_hotel(&input).await, |_| {
                "Saved: guests see the new details now.".to_string()
            });
        });
    };
    view! {
        <form class="card" id="hotel-details" on:submit=on_submit>
            <h2>"Details"</h2>
            {fields.into_iter().map(|(id, label, value)| {
                let long = id == "description" || id == "house-rules";
                let kind = if id.starts_with("check") { "time" } else { "text" };
                view! {
                    <label for=id>{label}</label>
                    {if long {
                        view! { <textarea id=id rows="4" bind:value=value></textarea> }.into_any()
                    } else {
                        view! { <input id=id type=kind bind:value=value/> }.into_any()
                    }}
                }
            }).collect_view()}
            <button type="submit" disabled=move || save.running()>"Save details"</button>
        </form>
    }
}

#[component]
fn Photos(profile: HotelProfile, types: Vec<RoomType>, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let shows = RwSignal::new(String::new());
    let busy = Task::new();
    let remove = move |id: i64| {
        busy.start(async move {
            report(ctx, outcome, api::remove_photo(id).await, |_| {
                "Photo removed.".to_string()
            });
        })
    };
    let name_of = {
        let types = types.clone();
        move |t: Option<i64>| match t {
            None => "The hotel".to_string(),
            Some(id) => types
                .iter()
                .find(|r| r.id == id)
                .map_or_else(|| format!("Room type {id}"), |r| r.name.clone()),
        }
    };
    let on_upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("photo-file"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        match file {
            Some(file) => {
                let room_type = shows.get_untracked().parse().ok();
                busy.start(async move {
                    report(
                        ctx,
                        outcome,
                        api::upload_photo(room_type, &file).await,
                        |_| "Photo added.".to_string(),
                    );
                });
            }
            None => outcome.set(Some(Err("Choose a photo first.".into()))),
        }
    };
    view! {
        <section class="card" aria-labelledby="photos-title">
            <h2 id="photos-title">"Photos"</h2>
            <ul class="photos">
                {profile.photos.into_iter().map(|p| {
                    let label = name_of(p.room_type_id);
                    view! {
                        <li>
                            <img src=p.url alt=label.clone() width="160" height="110"/>
                            <span>{label.clone()}</span>
                            <button
                                class="danger"
                                aria-label=format!("Remove this photo of {label}")
                                disabled=move || busy.running()
                                on:click=move |_| remove(p.id)
                            >
                                "Remove"
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form on:submit=on_upload>
                <label for="photo-shows">"The photo shows"</label>
                <select id="photo-shows" on:change=move |ev| shows.set(event_target_value(&ev))>
                    <option value="">"The hotel"</option>
                    {types.into_iter().filter(|t| !t.retired).map(|t| view! {
                        <option value=t.id.to_string()>{t.name}</option>
                    }).collect_view()}
                </select>
                <label for="photo-file">"Photo (JPEG, PNG or WebP, at most 5 MB)"</label>
                <input id="photo-file" type="file" accept="image/jpeg,image/png,image/webp"/>
                <button type="submit" disabled=move || busy.running()>"Add photo"</button>
            </form>
        </section>
    }
}
