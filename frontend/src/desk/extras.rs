//! The extras the hotel sells (breakfast, parking, the minibar), on the rooms and rates page:
//! each one's price, whether it is charged per guest and night, what kind of revenue it is and
//! its VAT rate; taken off sale and put back.

use hotel_shared::folio::{Extra, ExtraInput, RevenueCategory};
use hotel_shared::money;
use leptos::prelude::*;

use super::amount_text;
use crate::api;
use crate::app::use_ctx;
use crate::widgets::{Outcome, report};

/// The kinds a clerk may give an extra (the city tax is check-in's own).
const KINDS: [RevenueCategory; 3] = [
    RevenueCategory::Other,
    RevenueCategory::Lodging,
    RevenueCategory::FoodAndBeverage,
];

#[component]
pub fn Extras(extras: Vec<Extra>, vat: Vec<(i64, String)>, outcome: Outcome) -> impl IntoView {
    let (on_sale, off): (Vec<Extra>, Vec<Extra>) = extras.into_iter().partition(|e| !e.retired);
    view! {
        <section class="card" aria-labelledby="extras-title">
            <h2 id="extras-title">"Extras"</h2>
            <p class="muted">"What the desk posts on a bill and rate plans may include. A new price applies to what is posted from now on."</p>
            <table class="list" id="extras">
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"Price"</th>
                    <th scope="col">"Per guest and night"</th><th scope="col">"Kind"</th>
                    <th scope="col">"VAT"</th><th scope="col"></th>
                </tr></thead>
                <tbody>
                    {on_sale.into_iter()
                        .map(|e| view! { <ExtraRow extra=Some(e) vat=vat.clone() outcome=outcome/> })
                        .collect_view()}
                    <ExtraRow extra=None vat=vat.clone() outcome=outcome/>
                </tbody>
            </table>
            {(!off.is_empty()).then(|| view! {
                <h3>"Off sale"</h3>
                <ul class="stays" id="extras-off-sale">
                    {off.into_iter().map(|e| view! { <OffSale extra=e outcome=outcome/> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// One extra as a row of fields, or (`None`) the row that adds one.
#[component]
fn ExtraRow(extra: Option<Extra>, vat: Vec<(i64, String)>, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let currency = ctx.currency.get_untracked();
    let id = extra.as_ref().map(|e| e.id);
    let name = RwSignal::new(extra.as_ref().map(|e| e.name.clone()).unwrap_or_default());
    let price = RwSignal::new(
        extra
            .as_ref()
            .map(|e| amount_text(e.price, &currency))
            .unwrap_or_default(),
    );
    let per_guest = RwSignal::new(extra.as_ref().is_some_and(|e| e.per_person_night));
    let kind = RwSignal::new(
        extra
            .as_ref()
            .map_or(RevenueCategory::Other, |e| e.category),
    );
    let tax_rate = RwSignal::new(extra.as_ref().and_then(|e| e.tax_rate_id));
    let save = Action::new_local(move |input: &ExtraInput| {
        let input = input.clone();
        async move {
            report(ctx, outcome, api::save_extra(id, &input).await, |e| {
                format!("Saved the extra {}: {}.", e.name, ctx.money(e.price))
            });
        }
    });
    let off = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            report(ctx, outcome, api::sell_extra(id, false).await, |e| {
                format!("Took {} off sale; bills keep what was posted.", e.name)
            });
        }
    });
    let label = move |what: &str| match id {
        Some(_) => format!("{what} of the extra {}", name.get_untracked()),
        None => format!("{what} of the extra to add"),
    };
    view! {
        <tr data-extra=id.map_or("new".to_string(), |i| i.to_string())>
            <td><input aria-label=label("Name") class="extra-name" prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))/></td>
            <td><input aria-label=label("Price") class="extra-price narrow" inputmode="decimal"
                prop:value=move || price.get() on:input=move |ev| price.set(event_target_value(&ev))/></td>
            <td><input type="checkbox" aria-label=label("Per guest and night") class="extra-per-guest"
                prop:checked=move || per_guest.get() on:change=move |ev| per_guest.set(event_target_checked(&ev))/></td>
            <td>
                <select aria-label=label("Kind") class="extra-kind" on:change=move |ev| {
                    if let Some(k) = RevenueCategory::parse(&event_target_value(&ev)) {
                        kind.set(k);
                    }
                }>
                    {KINDS.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=kind.get_untracked() == k>{k.label()}</option>
                    }).collect_view()}
                </select>
            </td>
            <td>
                <select aria-label=label("VAT rate") class="extra-vat"
                    on:change=move |ev| tax_rate.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=tax_rate.get_untracked().is_none()>"None set"</option>
                    {vat.into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=tax_rate.get_untracked() == Some(id)>{name}</option>
                    }).collect_view()}
                </select>
            </td>
            <td class="actions">
                <button class="save-extra" disabled=move || save.pending().get() on:click=move |_| {
                    let currency = ctx.currency.get_untracked();
                    let Some(minor) = money::parse(&price.get_untracked(), &currency) else {
                        outcome.set(Some(Err(format!("The price must be an amount such as 15 or 15.50 ({currency})."))));
                        return;
                    };
                    outcome.set(None);
                    save.dispatch(ExtraInput {
                        name: name.get_untracked(),
                        price: minor,
                        per_person_night: per_guest.get_untracked(),
                        tax_rate_id: Some(tax_rate.get_untracked()),
                        category: Some(kind.get_untracked()),
                    });
                }>
                    {if id.is_some() { "Save" } else { "Add extra" }}
                </button>
                {id.map(|id| view! {
                    <button class="secondary" aria-label=label("Take off sale")
                        disabled=move || off.pending().get()
                        on:click=move |_| { off.dispatch(id); }>"Take off sale"</button>
                })}
            </td>
        </tr>
    }
}

/// An extra off sale, with the button that puts it back.
#[component]
fn OffSale(extra: Extra, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let id = extra.id;
    let back = Action::new_local(move |_: &()| async move {
        report(ctx, outcome, api::sell_extra(id, true).await, |e| {
            format!("{} is on sale again.", e.name)
        });
    });
    let label = format!("Put back on sale: {}", extra.name);
    view! {
        <li>
            {format!("{} ({})", extra.name, ctx.money(extra.price))} " "
            <button class="secondary" aria-label=label disabled=move || back.pending().get()
                on:click=move |_| { back.dispatch(()); }>"Put back on sale"</button>
        </li>
    }
}
