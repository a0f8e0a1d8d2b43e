//! Taxes, on the hotel page: the VAT rates the bills split lines by (each with its percent
//! from a day on), and the city tax the hotel collects for the town.

use hotel_shared::taxes::{
    CityTax, CityTaxKind, PriceBasis, PriceBasisSetting, TaxRate, TaxRateInput,
};
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::widgets::{Outcome, Task, report};

#[component]
pub fn Taxes(
    rates: Vec<TaxRate>,
    city_tax: Option<CityTax>,
    basis: PriceBasis,
    outcome: Outcome,
) -> impl IntoView {
    let ctx = use_ctx();
    let today = ctx.today.get_untracked();
    let name = RwSignal::new(String::new());
    let percent = RwSignal::new(String::new());
    let from = RwSignal::new(today.map(|d| d.to_string()).unwrap_or_default());
    let add = Task::new();
    let add_rate = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(valid_from) = from.get_untracked().parse().ok() else {
            outcome.set(Some(Err("Pick the day the rate applies from.".into())));
            return;
        };
        let Some(percent) = read_percent(&percent.get_untracked()) else {
            outcome.set(Some(Err(
                "Write the percent as a number, like 7 or 7.7.".into()
            )));
            return;
        };
        let input = TaxRateInput {
            name: name.get_untracked().trim().to_string(),
            percent,
            valid_from,
        };
        outcome.set(None);
        add.start(async move {
            report(ctx, outcome, api::add_tax_rate(&input).await, |r| {
                format!("Added the tax rate {}.", r.name)
            });
        });
    };
    view! {
        <section class="card" aria-labelledby="taxes-title">
            <h2 id="taxes-title">"Taxes"</h2>
            <p class="muted">"Bills and invoices show the VAT in each line at the rate of its room type or extra."</p>
            {if rates.is_empty() {
                view! { <p class="muted">"No VAT rates yet: bills show no VAT."</p> }.into_any()
            } else {
                view! {
                    <ul class="stays" id="tax-rates">
                        {rates.iter().map(|r| view! { <li>{describe_rate(r)}</li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form id="tax-rate-form" on:submit=add_rate>
                <h3>"A new VAT rate"</h3>
                <label for="tax-name">"Name (as invoices show it)"</label>
                <input id="tax-name" required prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))/>
                <label for="tax-percent">"Percent"</label>
                <input id="tax-percent" inputmode="decimal" required prop:value=move || percent.get()
                    on:input=move |ev| percent.set(event_target_value(&ev))/>
                <label for="tax-from">"Applies from"</label>
                <input id="tax-from" type="date" required prop:value=move || from.get()
                    on:input=move |ev| from.set(event_target_value(&ev))/>
                <p><button type="submit" disabled=move || add.running()>"Add the rate"</button></p>
            </form>
            <PriceBasisForm basis=basis outcome=outcome/>
            <CityTaxForm rule=city_tax outcome=outcome/>
        </section>
    }
}

/// Whether the prices the hotel enters include VAT.
#[component]
fn PriceBasisForm(basis: PriceBasis, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let chosen = RwSignal::new(basis);
    let save = Task::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let setting = PriceBasisSetting {
            basis: chosen.get_untracked(),
        };
        outcome.set(None);
        save.start(async move {
            report(ctx, outcome, api::set_price_basis(&setting).await, |s| {
                match s.basis {
                    PriceBasis::Net => "Saved: guests pay each price plus its VAT from now on.",
                    PriceBasis::Gross => "Saved: guests pay the prices as entered from now on.",
                }
                .into()
            });
        });
    };
    let option = move |value: PriceBasis, id: &'static str, words: &'static str| {
        view! {
            <label class="check">
                <input type="radio" name="price-basis" id=id prop:checked=move || chosen.get() == value
                    on:change=move |_| chosen.set(value)/>
                {words}
            </label>
        }
    };
    view! {
        <form id="price-basis-form" on:submit=submit>
            <fieldset>
                <legend>"Prices are entered"</legend>
                {option(PriceBasis::Gross, "price-basis-gross", "With VAT, as guests pay them")}
                {option(PriceBasis::Net, "price-basis-net", "Before VAT (guests pay the price plus VAT)")}
            </fieldset>
            <p class="muted">"Room rates, the rates calendar, extras and amounts typed on a bill. Switching keeps every figure as it is; bookings keep the price they were made at."</p>
            <p><button type="submit" disabled=move || save.running()>"Save how prices are entered"</button></p>
        </form>
    }
}

/// "Lodging: 7 % (19 % from 2027-01-01)".
fn describe_rate(r: &TaxRate) -> String {
    let now = r
        .percent
        .map_or("no percent yet".to_string(), |p| format!("{p} %"));
    let ahead: Vec<String> = r
        .percents
        .iter()
        .filter(|p| Some(p.percent) != r.percent || r.percent.is_none())
        .map(|p| format!("{} % from {}", p.percent, p.valid_from))
        .collect();
    if ahead.is_empty() {
        format!("{}: {now}", r.name)
    } else {
        format!("{}: {now} ({})", r.name, ahead.join(", "))
    }
}

/// A percent typed as a clerk writes it (7, 7.7, 7,75), at most two decimals. Read by hand:
/// the standard float parser weighs some 20 KB in the download.
fn read_percent(text: &str) -> Option<f64> {
    let text = text.trim().replace(',', ".");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    if fraction.len() > 2 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = whole.parse().ok().filter(|w| *w <= 100)?;
    let hundredths: u32 = format!("{fraction:0<2}").parse().ok()?;
    Some(f64::from(whole * 100 + hundredths) / 100.0)
}

#[component]
fn CityTaxForm(rule: Option<CityTax>, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let currency = ctx.currency.get_untracked();
    let set = rule.is_some();
    let rule = rule.unwrap_or(CityTax {
        kind: CityTaxKind::PerPersonNight,
        amount: None,
        percent: None,
        exempt_under_age: None,
        max_nights: None,
        included: false,
    });
    let per_guest = RwSignal::new(rule.kind == CityTaxKind::PerPersonNight);
    let figure = RwSignal::new(match rule.kind {
        CityTaxKind::PerPersonNight => rule
            .amount
            .map(|a| super::amount_text(a, &currency))
            .unwrap_or_default(),
        CityTaxKind::Percent => rule.percent.map(|p| p.to_string()).unwrap_or_default(),
    });
    let age = RwSignal::new(
        rule.exempt_under_age
            .map(|a| a.to_string())
            .unwrap_or_default(),
    );
    let nights = RwSignal::new(rule.max_nights.map(|n| n.to_string()).unwrap_or_default());
    let included = RwSignal::new(rule.included);
    let save = Task::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = figure.get_untracked();
        let whole = |s: String| s.trim().parse::<u32>().ok();
        let (kind, amount, percent) = if per_guest.get_untracked() {
            let currency = ctx.currency.get_untracked();
            let Some(minor) = hotel_shared::money::parse(&text, &currency) else {
                outcome.set(Some(Err(format!(
                    "Write the amount per guest and night in {currency}, for example 2.50."
                ))));
                return;
            };
            (CityTaxKind::PerPersonNight, Some(minor), None)
        } else {
            let Some(p) = read_percent(&text) else {
                outcome.set(Some(Err("Write the percent as a number, like 5.".into())));
                return;
            };
            (CityTaxKind::Percent, None, Some(p))
        };
        let rule = CityTax {
            kind,
            amount,
            percent,
            exempt_under_age: whole(age.get_untracked()),
            max_nights: whole(nights.get_untracked()),
            included: included.get_untracked(),
        };
        outcome.set(None);
        save.start(async move {
            report(ctx, outcome, api::set_city_tax(&rule).await, |_| {
                "Saved: offers show the city tax from now on, and check-in posts it.".into()
            });
        });
    };
    let remove = move |_| {
        outcome.set(None);
        save.start(async move {
            report(ctx, outcome, api::remove_city_tax().await, |m| m.message);
        });
    };
    view! {
        <form id="city-tax-form" on:submit=submit>
            <h3>"City tax"</h3>
            <p class="muted">{if set {
                "Guests see it on every offer; check-in posts it on the bill once, without VAT."
            } else {
                "The hotel collects no city tax."
            }}</p>
            <label for="city-tax-kind">"Counted"</label>
            <select id="city-tax-kind" on:change=move |ev| per_guest.set(event_target_value(&ev) == "per_person_night")>
                <option value="per_person_night" selected=per_guest.get_untracked()>"Per guest and night"</option>
                <option value="percent" selected=!per_guest.get_untracked()>"Percent of the room price"</option>
            </select>
            <label for="city-tax-figure">{move || if per_guest.get() {
                format!("Amount per guest and night ({currency})")
            } else {
                "Percent".to_string()
            }}</label>
            <input id="city-tax-figure" inputmode="decimal" required prop:value=move || figure.get()
                on:input=move |ev| figure.set(event_target_value(&ev))/>
            <label for="city-tax-age">"Children younger than this pay none (age, optional)"</label>
            <input id="city-tax-age" inputmode="numeric" prop:value=move || age.get()
                on:input=move |ev| age.set(event_target_value(&ev))/>
            <label for="city-tax-nights">"At most this many nights are taxed (optional)"</label>
            <input id="city-tax-nights" inputmode="numeric" prop:value=move || nights.get()
                on:input=move |ev| nights.set(event_target_value(&ev))/>
            <label class="check">
                <input type="checkbox" id="city-tax-included" prop:checked=move || included.get()
                    on:change=move |ev| included.set(event_target_checked(&ev))/>
                "Room prices already include it"
            </label>
            <p class="actions">
                <button type="submit" disabled=move || save.running()>"Save the city tax"</button>
                {set.then(|| view! {
                    <button type="button" class="secondary" disabled=move || save.running() on:click=remove>
                        "Stop collecting it"
                    </button>
                })}
            </p>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_are_read_as_clerks_write_them() {
        assert_eq!(read_percent("7"), Some(7.0));
        assert_eq!(read_percent(" 7,7 "), Some(7.7));
        assert_eq!(read_percent("19.25"), Some(19.25));
        assert_eq!(read_percent("7.125"), None);
        assert_eq!(read_percent("seven"), None);
        assert_eq!(read_percent("101"), None);
    }
}
