//! Rate plans on the rates calendar page: each room type's plans with their price rule and
//! cancellation terms, a form to add one derived from the base plan, and retiring one.

use hotel_shared::money;
use hotel_shared::rates::{FeeRule, IncludedItem, RatePlan, RatePlanInput, Terms};
use leptos::prelude::*;

use super::confirm::Confirm;
use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::widgets::{LoadFailed, Loading, Outcome, Task, report};

/// A plan's price rule in words.
fn rule(p: &RatePlan, currency: &str) -> String {
    match (p.base, p.derived_percent, p.derived_amount) {
        (true, _, _) => "Base plan: the calendar's prices".into(),
        (false, Some(pct), _) => format!("{pct:+} % on the base plan"),
        (false, None, Some(a)) => format!(
            "{}{} a night on the base plan",
            if a < 0 { "−" } else { "+" },
            money::format(a.abs(), currency)
        ),
        (false, None, None) => "The base plan's prices".into(),
    }
}

fn fee_words(f: FeeRule) -> String {
    match f {
        FeeRule::Nothing => "nothing".into(),
        FeeRule::FirstNight => "the first night".into(),
        FeeRule::Percent { percent } => format!("{percent} % of the stay"),
        FeeRule::All => "the whole stay".into(),
    }
}

/// A plan's cancellation and no-show terms in words.
fn terms_words(t: &Terms) -> String {
    if !t.refundable {
        return format!(
            "Non-refundable; a no-show pays {}",
            fee_words(t.no_show_fee)
        );
    }
    let when = match t.free_until_days {
        0 => format!("until {} on the arrival day", t.free_until_time),
        1 => format!("until {} the day before arrival", t.free_until_time),
        n => format!("until {} {n} days before arrival", t.free_until_time),
    };
    format!(
        "Free cancellation {when}, then {}; a no-show pays {}",
        fee_words(t.fee),
        fee_words(t.no_show_fee)
    )
}

#[component]
pub fn PlansSection(outcome: Outcome, currency: String) -> impl IntoView {
    let ctx = use_ctx();
    let data = Load::new(move || {
        ctx.changes.track();
        async move {
            let types = api::room_types().await?;
            let plans = api::rate_plans().await?;
            let extras = api::extras().await?;
            Ok::<_, api::ApiError>((types, plans.plans, extras))
        }
    });
    let retiring = RwSignal::new(None::<i64>);
    let task = Task::new();
    let currency = StoredValue::new(currency);
    view! {
        <section class="card" aria-labelledby="plans-title">
            <h2 id="plans-title">"Rate plans"</h2>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => {
                    let text = ctx.explain(&e);
                    view! { <LoadFailed text=text retry=Callback::new(move |_| data.refetch())/> }.into_any()
                }
                Some(Ok((types, plans, extras))) => {
                    let on_sale: Vec<_> = types.into_iter().filter(|t| !t.retired).collect();
                    let extra_name = |id: i64| extras.iter().find(|e| e.id == id).map(|e| e.name.clone()).unwrap_or_default();
                    let includable: Vec<(i64, String)> = extras.iter().filter(|e| !e.retired).map(|e| (e.id, e.name.clone())).collect();
                    let choices: Vec<(i64, String)> = on_sale.iter().map(|t| (t.id, t.name.clone())).collect();
                    view! {
                        <table class="plans-table">
                            <thead><tr><th scope="col">"Room type"</th><th scope="col">"Plan"</th><th scope="col">"Price"</th><th scope="col">"Terms"</th><th scope="col">"Guest site"</th><th scope="col">"Change"</th></tr></thead>
                            <tbody>
                                {plans.into_iter().filter(|p| !p.retired).map(|p| {
                                    let type_name = on_sale.iter().find(|t| t.id == p.room_type_id).map(|t| t.name.clone()).unwrap_or_default();
                                    let (id, name, base) = (p.id, p.name.clone(), p.base);
                                    view! {
                                        <tr data-plan=id>
                                            <td>{type_name}</td>
                                            <td>{p.name.clone()}</td>
                                            <td>
                                                {rule(&p, &currency.get_value())}
                                                {(!p.includes.is_empty()).then(|| {
                                                    let names: Vec<String> = p.includes.iter().map(|i| extra_name(i.extra_id)).collect();
                                                    format!(", including {}", names.join(" and "))
                                                })}
                                            </td>
                                            <td>{terms_words(&p.terms)}</td>
                                            <td>{if p.visible { "Offered" } else { "Desk only" }}</td>
                                            <td>
                                                {(!base).then(|| view! {
                                                    <button class="danger" disabled=move || task.running() on:click=move |_| retiring.set(Some(id))>
                                                        {format!("Retire {name}")}
                                                    </button>
                                                })}
                                                {move || (retiring.get() == Some(id)).then(|| view! {
                                                    <Confirm
                                                        text=format!("Retire the plan {}? It is no longer sold; bookings made on it keep it.", p.name)
                                                        yes="Retire the plan".to_string()
                                                        on_yes=Callback::new(move |_| {
                                                            retiring.set(None);
                                                            task.start(async move {
                                                                report(ctx, outcome, api::retire_plan(id).await, |p| format!("Retired the plan {}.", p.name));
                                                            });
                                                        })
                                                        on_no=Callback::new(move |_| retiring.set(None))
                                                    />
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <NewPlan choices=choices extras=includable outcome=outcome currency=currency.get_value()/>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn NewPlan(
    choices: Vec<(i64, String)>,
    extras: Vec<(i64, String)>,
    outcome: Outcome,
    currency: String,
) -> impl IntoView {
    let ctx = use_ctx();
    let room_type = RwSignal::new(choices.first().map(|c| c.0).unwrap_or_default());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new("percent".to_string());
    let change = RwSignal::new(String::new());
    let visible = RwSignal::new(true);
    let refundable = RwSignal::new(true);
    let days = RwSignal::new("0".to_string());
    let time = RwSignal::new("18:00".to_string());
    let fee = RwSignal::new("first_night".to_string());
    let includes = RwSignal::new(Vec::<i64>::new());
    let problem = RwSignal::new(None::<String>);
    let task = Task::new();
    let currency = StoredValue::new(currency);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        let typed = change.get_untracked();
        let typed = typed.trim();
        let (mut percent, mut amount) = (None, None);
        if !typed.is_empty() {
            if kind.get_untracked() == "percent" {
                match typed.trim_end_matches('%').trim().parse::<i32>() {
                    Ok(p) => percent = Some(p),
                    Err(_) => {
                        problem.set(Some("The change must be a whole percent, e.g. -10.".into()));
                        return;
                    }
                }
            } else {
                let (sign, digits) = match typed.strip_prefix('-') {
                    Some(rest) => (-1, rest),
                    None => (1, typed.trim_start_matches('+')),
                };
                match money::parse(digits, &currency.get_value()) {
                    Some(a) => amount = Some(sign * a),
                    None => {
                        problem.set(Some(
                            "The change must be an amount, e.g. 15.00 or -5.00.".into(),
                        ));
                        return;
                    }
                }
            }
        }
        let Ok(free_until_days) = days.get_untracked().trim().parse::<u32>() else {
            problem.set(Some("Days before arrival must be a whole number.".into()));
            return;
        };
        let fee_rule = match fee.get_untracked().as_str() {
            "nothing" => FeeRule::Nothing,
            "all" => FeeRule::All,
            _ => FeeRule::FirstNight,
        };
        let input = RatePlanInput {
            room_type_id: room_type.get_untracked(),
            name: name.get_untracked(),
            derived_percent: percent,
            derived_amount: amount,
            visible: visible.get_untracked(),
            refundable: Some(refundable.get_untracked()),
            terms: Some(Terms {
                refundable: refundable.get_untracked(),
                free_until_days,
                free_until_time: time.get_untracked(),
                fee: fee_rule,
                no_show_fee: FeeRule::FirstNight,
            }),
            includes: includes
                .get_untracked()
                .into_iter()
                .map(|extra_id| IncludedItem {
                    extra_id,
                    tax_rate_id: None,
                })
                .collect(),
        };
        task.start(async move {
            let done = api::add_plan(&input).await;
            if done.is_ok() {
                name.set(String::new());
                change.set(String::new());
                includes.set(Vec::new());
            }
            report(ctx, outcome, done, |p| {
                format!("Added the plan {}.", p.name)
            });
        });
    };
    view! {
        <form class="new-plan" on:submit=add>
            <h3>"Add a plan"</h3>
            <div class="fields">
                <label>"Room type"
                    <select on:change=move |ev| room_type.set(event_target_value(&ev).parse().unwrap_or_default())>
                        {choices.into_iter().map(|(id, n)| view! { <option value=id.to_string()>{n}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Name" <input prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/></label>
                <label>"Price from the base plan"
                    <select id="plan-price-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="percent">"Percent"</option>
                        <option value="amount">"Amount a night"</option>
                    </select>
                </label>
                <label>"Change (e.g. -10 or 15.00)" <input prop:value=change on:input=move |ev| change.set(event_target_value(&ev))/></label>
                <label>"Free cancellation until, days before arrival" <input inputmode="numeric" prop:value=days on:input=move |ev| days.set(event_target_value(&ev))/></label>
                <label>"At (hotel time)" <input prop:value=time on:input=move |ev| time.set(event_target_value(&ev))/></label>
                <label>"Then the guest pays"
                    <select on:change=move |ev| fee.set(event_target_value(&ev))>
                        <option value="first_night">"The first night"</option>
                        <option value="all">"The whole stay"</option>
                        <option value="nothing">"Nothing"</option>
                    </select>
                </label>
            </div>
            {(!extras.is_empty()).then(|| view! {
                <fieldset id="plan-includes">
                    <legend>"The price includes (split out on the bill at the extra's VAT rate)"</legend>
                    {extras.into_iter().map(|(id, name)| view! {
                        <label class="check">
                            <input type="checkbox" value=id.to_string()
                                prop:checked=move || includes.get().contains(&id)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    includes.update(|list| {
                                        list.retain(|e| *e != id);
                                        if on {
                                            list.push(id);
                                        }
                                    });
                                }/>
                            {name}
                        </label>
                    }).collect_view()}
                </fieldset>
            })}
            <label class="check"><input id="plan-refundable" type="checkbox" prop:checked=refundable on:change=move |ev| refundable.set(event_target_checked(&ev))/>"Refundable"</label>
            <label class="check"><input id="plan-offered" type="checkbox" prop:checked=visible on:change=move |ev| visible.set(event_target_checked(&ev))/>"Offered on the guest site"</label>
            {move || problem.get().map(|p| view! { <p class="message error" role="alert">{p}</p> })}
            <p class="actions"><button type="submit" disabled=move || task.running()>"Add the plan"</button></p>
        </form>
    }
}
