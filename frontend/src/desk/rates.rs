//! The rates calendar: every room type and plan down, 30 nights across, each night's price and
//! restrictions. Select nights in a row (one click, then another) to set a price or
//! restrictions for them; the grid shows the change at once.

use hotel_shared::rates::{CalendarChange, CalendarNight, CalendarRow, Restrictions};
use hotel_shared::{Date, money};
use leptos::prelude::*;

use std::ops::Not;

use super::plans::PlansSection;
use super::{StaffOnly, day};
use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::{add_days, day_label};
use crate::widgets::{LoadFailed, Loading, Outcome, OutcomeText, Task, report};

const NIGHTS: i64 = 30;
const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A price in a cell: the number alone, without the currency, to fit.
fn short_price(minor: i64, currency: &str) -> String {
    let places = money::decimals(currency);
    let scale = 10_i64.pow(places);
    if minor % scale == 0 {
        (minor / scale).to_string()
    } else {
        format!(
            "{}.{:0w$}",
            minor / scale,
            (minor % scale).abs(),
            w = places as usize
        )
    }
}

/// The restrictions of a night in a clerk's words.
fn marks(r: &Restrictions) -> Vec<String> {
    let mut words = Vec::new();
    if r.closed {
        words.push("Closed".to_string());
    }
    if r.closed_to_arrival {
        words.push("No arrival".into());
    }
    if r.closed_to_departure {
        words.push("No departure".into());
    }
    if let Some(n) = r.min_stay {
        words.push(format!("Min {n}"));
    }
    if let Some(n) = r.max_stay {
        words.push(format!("Max {n}"));
    }
    if let Some(n) = r.min_advance {
        words.push(format!("{n}+ days ahead"));
    }
    if let Some(n) = r.max_advance {
        words.push(format!("≤{n} days ahead"));
    }
    words
}

/// The nights chosen: a row and a range of nights in it (both ends included).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Selection {
    row: usize,
    first: Date,
    last: Option<Date>,
}

impl Selection {
    fn range(self) -> (Date, Date) {
        let last = self.last.unwrap_or(self.first);
        (self.first.min(last), self.first.max(last))
    }

    fn holds(self, row: usize, night: Date) -> bool {
        let (lo, hi) = self.range();
        self.row == row && lo <= night && night <= hi
    }
}

#[component]
pub fn RatesPage() -> impl IntoView {
    let ctx = use_ctx();
    if !ctx.is_staff() {
        return view! { <StaffOnly/> }.into_any();
    }
    let today = ctx.today.get_untracked().unwrap_or_default();
    let from = RwSignal::new(today);
    let data = Load::new(move || {
        let from = from.get();
        ctx.changes.track();
        async move { api::rate_calendar(from, add_days(from, NIGHTS)).await }
    });
    let selection = RwSignal::new(None::<Selection>);
    let outcome: Outcome = RwSignal::new(None);
    let pick = move |row: usize, night: Date| {
        selection.update(|s| {
            *s = match *s {
                Some(sel) if sel.row == row && sel.last.is_none() => Some(Selection {
                    last: Some(night),
                    ..sel
                }),
                _ => Some(Selection {
                    row,
                    first: night,
                    last: None,
                }),
            }
        });
    };
    view! {
        <h1 tabindex="-1">"Rates calendar"</h1>
        <p class="muted">
            "Click a night, then another in the same row, to choose the nights between; then set their price or restrictions below."
        </p>
        <OutcomeText outcome=outcome/>
        <section class="card">
            <div class="actions">
                <button class="secondary" on:click=move |_| from.update(|f| *f = add_days(*f, -NIGHTS))>
                    "← Earlier"
                </button>
                <button class="secondary" on:click=move |_| from.set(today)>"Today"</button>
                <button class="secondary" on:click=move |_| from.update(|f| *f = add_days(*f, NIGHTS))>
                    "Later →"
                </button>
            </div>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => {
                    let text = ctx.explain(&e);
                    view! { <LoadFailed text=text retry=Callback::new(move |_| data.refetch())/> }.into_any()
                }
                Some(Ok(calendar)) => {
                    let currency = calendar.currency.clone();
                    let nights: Vec<Date> = calendar.from.nights_until(calendar.to).collect();
                    let rows = calendar.rows.clone();
                    view! {
                        <div class="calendar-wrap">
                            <table class="calendar desk rates">
                                <caption>{format!("Prices a night in {currency}, and restrictions")}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Room type and plan"</th>
                                        {nights.iter().map(|n| view! { <th scope="col">{day_label(*n)}</th> }).collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().enumerate().map(|(i, row)| view! {
                                        <RateRow index=i row=row currency=currency.clone() selection=selection pick=pick/>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {move || selection.get().and_then(|s| {
                            calendar.rows.get(s.row).cloned().map(|row| view! {
                                <ChangeForm row=row selection=s currency=calendar.currency.clone() outcome=outcome on_done=Callback::new(move |_| selection.set(None))/>
                            })
                        })}
                    }.into_any()
                }
            }}
        </section>
        {move || ctx.currency.get().is_empty().not().then(|| view! {
            <PlansSection outcome=outcome currency=ctx.currency.get()/>
        })}
    }
    .into_any()
}

#[component]
fn RateRow(
    index: usize,
    row: CalendarRow,
    currency: String,
    selection: RwSignal<Option<Selection>>,
    pick: impl Fn(usize, Date) + Copy + 'static,
) -> impl IntoView {
    let title = format!("{} · {}", row.room_type, row.rate_plan);
    let cells = row.nights.clone();
    view! {
        <tr data-plan=row.rate_plan_id>
            <th scope="row">
                {row.room_type.clone()}
                <span class="room-type">{if row.base { format!("{} (base)", row.rate_plan) } else { row.rate_plan.clone() }}</span>
            </th>
            {cells.into_iter().map(|n: CalendarNight| {
                let words = marks(&n.restrictions);
                let price = short_price(n.amount, &currency);
                // The visible price and marks name the button; the table's row and column
                // headers (plan, night) give it its place, and the title the rest.
                let title = format!("{title}, {}: {}", day(n.date), money::format(n.amount, &currency));
                let night = n.date;
                let closed = n.restrictions.closed;
                view! {
                    <td>
                        <button
                            class="rate-cell"
                            class:chosen=move || selection.get().is_some_and(|s| s.holds(index, night))
                            class:closed=closed
                            class:own-price=n.priced
                            aria-pressed=move || selection.get().is_some_and(|s| s.holds(index, night)).to_string()
                            title=title
                            data-night=night.to_string()
                            on:click=move |_| pick(index, night)
                        >
                            <span class="amount">{price}</span>
                            {words.into_iter().map(|w| view! { " " <span class="mark">{w}</span> }).collect_view()}
                        </button>
                    </td>
                }
            }).collect_view()}
        </tr>
    }
}

/// A restriction flag to leave as it is, turn off or turn on; `value` holds "", "off" or "on"
/// (read by `flag`).
#[component]
fn FlagChoice(
    label: &'static str,
    off: &'static str,
    on: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label>{label}
            <select on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">"Unchanged"</option>
                <option value="off">{off}</option>
                <option value="on">{on}</option>
            </select>
        </label>
    }
}

/// Three-way choice of a restriction flag: leave it, turn it on, turn it off.
fn flag(value: &str) -> Option<bool> {
    match value {
        "on" => Some(true),
        "off" => Some(false),
        _ => None,
    }
}

/// A count of nights or days typed in a field: empty leaves it as it is.
fn count(text: &str, name: &str) -> Result<Option<Option<u32>>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u32>()
        .map(|n| Some(Some(n)))
        .map_err(|_| format!("{name} must be a whole number."))
}

#[component]
fn ChangeForm(
    row: CalendarRow,
    selection: Selection,
    currency: String,
    outcome: Outcome,
    on_done: Callback<()>,
) -> impl IntoView {
    let ctx = use_ctx();
    let (first, last) = selection.range();
    let to = add_days(first, first.days_until(last) + 1);
    let nights = first.days_until(to);
    let price = RwSignal::new(String::new());
    let percent = RwSignal::new(String::new());
    let min_stay = RwSignal::new(String::new());
    let max_stay = RwSignal::new(String::new());
    let sale = RwSignal::new(String::new());
    let arrivals = RwSignal::new(String::new());
    let departures = RwSignal::new(String::new());
    let weekdays = RwSignal::new([true; 7]);
    let problem = RwSignal::new(None::<String>);
    let task = Task::new();
    let (type_id, plan_id, base) = (row.room_type_id, row.rate_plan_id, row.base);
    let scope = if base {
        format!("Restrictions hold for every plan of {}.", row.room_type)
    } else {
        format!(
            "Restrictions hold for {} only. The price is the base plan's; {} follows it.",
            row.rate_plan, row.rate_plan
        )
    };
    let currency = StoredValue::new(currency);
    let save = move |clear: bool| {
        problem.set(None);
        let currency = currency.get_value();
        let chosen = weekdays.get_untracked();
        let days: Vec<u8> = (1..=7u8).filter(|d| chosen[usize::from(*d - 1)]).collect();
        let mut change = CalendarChange {
            room_type_id: type_id,
            rate_plan_id: (!base).then_some(plan_id),
            from: first,
            to,
            weekdays: (days.len() < 7).then_some(days),
            ..CalendarChange::default()
        };
        if clear {
            change.min_stay = Some(None);
            change.max_stay = Some(None);
            change.closed = Some(false);
            change.closed_to_arrival = Some(false);
            change.closed_to_departure = Some(false);
            change.min_advance = Some(None);
            change.max_advance = Some(None);
        } else {
            let typed = price.get_untracked();
            if !typed.trim().is_empty() {
                match money::parse(typed.trim(), &currency) {
                    Some(a) => change.amount = Some(Some(a)),
                    None => {
                        problem.set(Some(format!(
                            "The price must be an amount in {currency}, for example 120.00."
                        )));
                        return;
                    }
                }
            }
            let pct = percent.get_untracked();
            if !pct.trim().is_empty() {
                match pct.trim().trim_end_matches('%').trim().parse::<i32>() {
                    Ok(p) => change.adjust_percent = Some(p),
                    Err(_) => {
                        problem.set(Some(
                            "The change must be a whole percent, e.g. 20 or -10.".into(),
                        ));
                        return;
                    }
                }
            }
            match (
                count(&min_stay.get_untracked(), "Minimum stay"),
                count(&max_stay.get_untracked(), "Maximum stay"),
            ) {
                (Ok(min), Ok(max)) => {
                    change.min_stay = min;
                    change.max_stay = max;
                }
                (Err(e), _) | (_, Err(e)) => {
                    problem.set(Some(e));
                    return;
                }
            }
            change.closed = flag(&sale.get_untracked());
            change.closed_to_arrival = flag(&arrivals.get_untracked());
            change.closed_to_departure = flag(&departures.get_untracked());
        }
        task.start(async move {
            let done = api::set_rates(&change).await;
            let ok = done.is_ok();
            report(ctx, outcome, done, |c| {
                format!(
                    "Saved for {} {}.",
                    c.nights,
                    if c.nights == 1 { "night" } else { "nights" }
                )
            });
            if ok {
                on_done.run(());
            }
        });
    };
    view! {
        <form class="rate-change" on:submit=move |ev| { ev.prevent_default(); save(false); }>
            <h2>{format!(
                "{} · {}: {} to {} ({} {})",
                row.room_type,
                row.rate_plan,
                day(first),
                day(last),
                nights,
                if nights == 1 { "night" } else { "nights" }
            )}</h2>
            <p class="muted">{scope}</p>
            <div class="fields">
                <label>"Price a night"
                    <input inputmode="decimal" placeholder="unchanged" prop:value=price on:input=move |ev| price.set(event_target_value(&ev))/>
                </label>
                <label>"Or change each price by percent"
                    <input inputmode="numeric" placeholder="e.g. 20 or -10" prop:value=percent on:input=move |ev| percent.set(event_target_value(&ev))/>
                </label>
                <label>"Minimum stay (nights, from arrival)"
                    <input inputmode="numeric" placeholder="unchanged" prop:value=min_stay on:input=move |ev| min_stay.set(event_target_value(&ev))/>
                </label>
                <label>"Maximum stay (nights)"
                    <input inputmode="numeric" placeholder="unchanged" prop:value=max_stay on:input=move |ev| max_stay.set(event_target_value(&ev))/>
                </label>
                <FlagChoice label="Sale" off="Open for sale" on="Closed (stop selling)" value=sale/>
                <FlagChoice label="Arrivals" off="Allowed" on="Not allowed" value=arrivals/>
                <FlagChoice label="Departures" off="Allowed" on="Not allowed" value=departures/>
            </div>
            <fieldset class="weekdays">
                <legend>"On these weekdays"</legend>
                {WEEKDAYS.iter().enumerate().map(|(i, name)| view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || weekdays.get()[i]
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                weekdays.update(|w| w[i] = on);
                            }
                        />
                        {*name}
                    </label>
                }).collect_view()}
            </fieldset>
            {move || problem.get().map(|p| view! { <p class="message error" role="alert">{p}</p> })}
            <div class="actions">
                <button type="submit" disabled=move || task.running()>"Save for these nights"</button>
                <button type="button" class="secondary" disabled=move || task.running() on:click=move |_| save(true)>
                    "Remove restrictions"
                </button>
                <button type="button" class="secondary" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
