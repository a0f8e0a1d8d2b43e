//! Revenue as the accountant books it, on the reports page: the invoices issued per VAT rate
//! and per kind of revenue, payments per method and the city tax collected, by day or month.

use hotel_shared::Date;
use hotel_shared::taxes::{RevenueFigures, RevenuePeriod, RevenueReport};
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::widgets::{ErrorText, Loading};

#[component]
pub fn Revenue(from: RwSignal<Date>, to: RwSignal<Date>) -> impl IntoView {
    let ctx = use_ctx();
    let by = RwSignal::new(RevenuePeriod::Month);
    let report = Load::new(move || {
        let (from, to, by) = (from.get(), to.get(), by.get());
        ctx.changes.track();
        async move { api::revenue(from, to, by).await }
    });
    view! {
        <section class="card" aria-labelledby="revenue-title">
            <h2 id="revenue-title">"Revenue for the accountant"</h2>
            <p class="muted">"From the invoices issued on these days (a cancelled invoice counts nothing) and the payments taken on them."</p>
            <label for="revenue-by">"Show"</label>
            <select id="revenue-by" on:change=move |ev| {
                by.set(if event_target_value(&ev) == "day" { RevenuePeriod::Day } else { RevenuePeriod::Month });
            }>
                <option value="month" selected=true>"Month by month"</option>
                <option value="day">"Day by day"</option>
            </select>
            {move || match report.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorText text=ctx.explain(&e)/> }.into_any(),
                Some(Ok(r)) => view! { <RevenueView report=r/> }.into_any(),
            }}
            <p>
                <a class="button secondary" id="invoices-csv" download="" rel="external"
                    href=move || format!("/staff/invoices.csv?from={}&to={}", from.get(), to.get())>
                    "Download every invoice line (CSV)"
                </a>
            </p>
        </section>
    }
}

/// A percent as written on an invoice: `7 %`, `7.7 %`.
fn rate_words(percent: f64) -> String {
    format!("{percent} %")
}

fn gross(f: &RevenueFigures) -> i64 {
    f.by_category
        .iter()
        .filter(|c| c.category != hotel_shared::folio::RevenueCategory::CityTax)
        .map(|c| c.gross)
        .sum()
}

#[component]
fn RevenueView(report: RevenueReport) -> impl IntoView {
    let ctx = use_ctx();
    let money = move |v: i64| ctx.price(v);
    let total = report.total.clone();
    let nothing = total.by_category.is_empty() && total.payments.is_empty();
    if nothing {
        return view! { <p id="revenue-none">"No invoices issued and no payments taken on these days."</p> }
            .into_any();
    }
    view! {
        <div class="columns">
            <table class="list" id="revenue-rates">
                <caption>"By VAT rate"</caption>
                <thead><tr><th scope="col">"Rate"</th><th scope="col">"Net"</th><th scope="col">"VAT"</th><th scope="col">"Gross"</th></tr></thead>
                <tbody>
                    {total.by_tax_rate.iter().map(|t| view! {
                        <tr>
                            <td>{format!("{} {}", t.tax_rate_name, rate_words(t.tax_rate))}</td>
                            <td>{money(t.net)}</td><td>{money(t.tax)}</td><td>{money(t.gross)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <table class="list" id="revenue-kinds">
                <caption>"By kind"</caption>
                <thead><tr><th scope="col">"Kind"</th><th scope="col">"Net"</th><th scope="col">"VAT"</th><th scope="col">"Gross"</th></tr></thead>
                <tbody>
                    {total.by_category.iter().map(|c| view! {
                        <tr>
                            <td>{c.category.label()}</td>
                            <td>{money(c.net)}</td><td>{money(c.tax)}</td><td>{money(c.gross)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <table class="list" id="revenue-payments">
                <caption>"Payments taken, less refunds"</caption>
                <thead><tr><th scope="col">"Method"</th><th scope="col">"Amount"</th></tr></thead>
                <tbody>
                    {total.payments.iter().map(|m| view! {
                        <tr><td>{m.method.label()}</td><td>{money(m.amount)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p id="revenue-city-tax">{format!("City tax collected for the town: {}", money(total.city_tax))}</p>
        <div class="calendar-wrap">
            <table class="list" id="revenue-periods">
                <caption>{match report.by { RevenuePeriod::Day => "Day by day", RevenuePeriod::Month => "Month by month" }}</caption>
                <thead>
                    <tr>
                        <th scope="col">{match report.by { RevenuePeriod::Day => "Day", RevenuePeriod::Month => "Month" }}</th>
                        <th scope="col">"Revenue (gross)"</th>
                        <th scope="col">"VAT"</th>
                        <th scope="col">"City tax"</th>
                        <th scope="col">"Payments"</th>
                    </tr>
                </thead>
                <tbody>
                    {report.periods.iter().map(|p| view! {
                        <tr>
                            <td>{period_words(&p.period)}</td>
                            <td>{money(gross(p))}</td>
                            <td>{money(p.by_tax_rate.iter().map(|t| t.tax).sum())}</td>
                            <td>{money(p.city_tax)}</td>
                            <td>{money(p.payments.iter().map(|m| m.amount).sum())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2026-12` as "December 2026"; a day as the desk writes days.
fn period_words(period: &str) -> String {
    if let Ok(day) = period.parse::<Date>() {
        return super::day(day);
    }
    let month = period
        .split_once('-')
        .and_then(|(y, m)| Some((y, m.parse::<usize>().ok()?)))
        .and_then(|(y, m)| Some(format!("{} {y}", MONTHS.get(m.checked_sub(1)?)?)));
    month.unwrap_or_else(|| period.to_string())
}
