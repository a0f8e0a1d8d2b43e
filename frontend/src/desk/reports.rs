//! Occupancy, rooms sold, revenue, ADR and RevPAR for a stretch of nights, with a chart.

use hotel_shared::staff::Report;
use leptos::prelude::*;

use super::StaffOnly;
use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::add_days;
use crate::widgets::{ErrorText, LoadFailed, Loading};

#[component]
pub fn ReportsPage() -> impl IntoView {
    let ctx = use_ctx();
    if !ctx.is_staff() {
        return view! { <StaffOnly/> }.into_any();
    }
    let today = ctx.today.get_untracked().unwrap_or_default();
    let from = RwSignal::new(add_days(today, -7));
    let to = RwSignal::new(add_days(today, 14));
    let report = Load::new(move || {
        let (from, to) = (from.get(), to.get());
        ctx.changes.track();
        async move { api::report(from, to).await }
    });
    let date_input = move |id: &'static str, signal: RwSignal<hotel_shared::Date>| {
        view! {
            <input id=id type="date" prop:value=move || signal.get().to_string()
                on:change=move |ev| {
                    if let Ok(d) = event_target_value(&ev).parse() {
                        signal.set(d);
                    }
                }/>
        }
    };
    view! {
        <h1>"Reports"</h1>
        <section class="card">
            <div class="row">
                <div><label for="report-from">"First night"</label>{date_input("report-from", from)}</div>
                <div><label for="report-to">"Up to (not including)"</label>{date_input("report-to", to)}</div>
            </div>
            {move || match report.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) if e.is_unauthorized() => {
                    let text = ctx.explain(&e);
                    view! { <LoadFailed text=text retry=Callback::new(move |_| report.refetch())/> }.into_any()
                }
                Some(Err(e)) => view! { <ErrorText text=e.to_string()/> }.into_any(),
                Some(Ok(r)) => view! { <ReportView report=r/> }.into_any(),
            }}
        </section>
        <super::revenue::Revenue from=from to=to/>
    }
    .into_any()
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A percentage in tenths, rounded.
fn tenths(pct: f64) -> i64 {
    (pct * 10.0).round() as i64
}

/// `12.5%`: written with integers, which keeps float formatting out of the download.
fn percent(pct: f64) -> String {
    let t = tenths(pct);
    format!("{}.{}%", t / 10, t % 10)
}

#[component]
fn ReportView(report: Report) -> impl IntoView {
    let ctx = use_ctx();
    let money = move |v: i64| ctx.price(v);
    let figures = [
        ("Occupancy", percent(report.occupancy_pct)),
        (
            "Rooms sold",
            format!("{} of {}", report.sold, report.available),
        ),
        ("Revenue", money(report.revenue)),
        ("ADR", money(report.adr)),
        ("RevPAR", money(report.revpar)),
    ];
    // One bar per night, 100% is the full height.
    const BAR: usize = 18;
    const HEIGHT: i64 = 120;
    let width = report.days.len() * BAR + 40;
    let bars = report
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let h = tenths(d.occupancy_pct).clamp(0, 1000) * HEIGHT / 1000;
            let x = 36 + i * BAR;
            // The date axis: the first night and every Monday, by their day of the month.
            let tick = (i == 0 || d.date.weekday() == hotel_shared::date::Weekday::Monday).then(|| view! {
                <text x=x.to_string() y=(HEIGHT as usize + 24).to_string() class="tick">
                    {format!("{} {}", d.date.day(), MONTHS[(d.date.month() as usize).saturating_sub(1).min(11)])}
                </text>
            });
            view! {
                <rect x=x.to_string() y=(10 + HEIGHT - h).to_string() width=(BAR - 4).to_string()
                    height=h.to_string() class="bar">
                    <title>{format!("{}: {} ({} of {} rooms)", d.date, percent(d.occupancy_pct), d.sold, d.available)}</title>
                </rect>
                {tick}
            }
        })
        .collect_view();
    view! {
        <dl class="figures" id="report-figures">
            {figures.into_iter().map(|(name, value)| view! {
                <div><dt>{name}</dt><dd>{value}</dd></div>
            }).collect_view()}
        </dl>
        <figure>
            <svg class="chart" role="img" aria-labelledby="chart-title" width=width.to_string()
                height=(HEIGHT as usize + 34).to_string()>
                <title id="chart-title">"Occupancy per night"</title>
                <line x1="34" x2=width.to_string() y1=(HEIGHT as usize + 10).to_string()
                    y2=(HEIGHT as usize + 10).to_string() class="axis"/>
                <text x="0" y="16" class="tick">"100%"</text>
                <text x="8" y=(HEIGHT as usize + 12).to_string() class="tick">"0%"</text>
                {bars}
            </svg>
            <figcaption class="muted">"Occupancy per night, Mondays marked; every night's figures are in the table below."</figcaption>
        </figure>
        <div class="columns">
            <section aria-labelledby="by-type-title">
                <h2 id="by-type-title">"By room type"</h2>
                <table class="list" id="report-types">
                    <thead><tr><th scope="col">"Room type"</th><th scope="col">"Nights sold"</th><th scope="col">"Revenue"</th></tr></thead>
                    <tbody>
                        {report.by_room_type.iter().map(|t| view! {
                            <tr><td>{t.room_type.clone()}</td><td>{t.sold}</td><td>{money(t.revenue)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section aria-labelledby="bills-title">
                <h2 id="bills-title">"From the bills"</h2>
                <dl class="figures" id="report-bills">
                    <div><dt>"Extras"</dt><dd>{money(report.bills.extras)}</dd></div>
                    <div><dt>"Discounts"</dt><dd>{money(report.bills.discounts)}</dd></div>
                    <div><dt>"Payments taken"</dt><dd>{money(report.bills.payments)}</dd></div>
                </dl>
            </section>
        </div>
        <p>
            <a class="button secondary" id="report-csv" download="" rel="external"
                href=format!("/staff/report.csv?from={}&to={}", report.from, report.to)>
                "Download as CSV"
            </a>
        </p>
        <div class="calendar-wrap">
            <table class="list" id="report-days">
                <thead>
                    <tr>
                        <th scope="col">"Night"</th>
                        <th scope="col">"Sold"</th>
                        <th scope="col">"Available"</th>
                        <th scope="col">"Occupancy"</th>
                        <th scope="col">"Revenue"</th>
                    </tr>
                </thead>
                <tbody>
                    {report.days.iter().map(|d| view! {
                        <tr>
                            <td>{super::day(d.date)}</td>
                            <td>{d.sold}</td>
                            <td>{d.available}</td>
                            <td>{percent(d.occupancy_pct)}</td>
                            <td>{money(d.revenue)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
