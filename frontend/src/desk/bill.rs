//! A stay's bill at the desk (`/desk/bill?booking=ID`): its lines and balance, extras and
//! discounts to post, payments to record, and the invoice, printable.

use crate::nav::use_location;
use hotel_shared::folio::{
    Bill, ChargeInput, Extra, LineKind, PaymentInput, PaymentMethod, RevenueCategory,
};
use hotel_shared::taxes::TaxRate;
use leptos::prelude::*;

use super::invoicing::Invoicing;
use super::{StaffOnly, day, stay_summary};
use crate::api;
use crate::app::{Ctx, use_ctx};
use crate::load::Load;
use crate::logic::query_value;
use crate::widgets::{LoadFailed, Loading, Outcome, OutcomeText, Task, report};

#[component]
pub fn BillPage() -> impl IntoView {
    let ctx = use_ctx();
    ctx.title("Bill");
    if !ctx.is_staff() {
        return view! { <StaffOnly/> }.into_any();
    }
    let search = use_location().search.get_untracked();
    let Some(id) = query_value(&search, "booking").and_then(|v| v.parse::<i64>().ok()) else {
        return view! {
            <h1>"Bill"</h1>
            <p class="message error" role="alert">"Open a bill from a stay on the front desk."</p>
        }
        .into_any();
    };
    let data = Load::new(move || {
        ctx.changes.track();
        async move {
            Ok::<_, api::ApiError>((
                api::bill(id).await?,
                api::extras().await?,
                api::hotel().await?,
                api::tax_rates().await?.tax_rates,
                api::price_basis().await?.basis == hotel_shared::taxes::PriceBasis::Net,
            ))
        }
    });
    let outcome: Outcome = RwSignal::new(None);
    view! {
        <OutcomeText outcome=outcome/>
        {move || match data.get() {
            None => view! { <h1>"Bill"</h1><Loading/> }.into_any(),
            Some(Err(e)) => view! {
                <h1>"Bill"</h1>
                <LoadFailed text=ctx.explain(&e) retry=Callback::new(move |_| data.refetch())/>
            }.into_any(),
            Some(Ok((bill, extras, hotel, rates, net))) => {
                let open = bill.invoice.is_none();
                let reference = bill.booking.reference.clone();
                view! {
                    <address class="hotel-address">
                        <strong>{hotel.details.name.clone()}</strong>
                        {[hotel.details.address.clone(), hotel.details.phone.clone(), hotel.details.email.clone()]
                            .into_iter()
                            .filter(|l| !l.trim().is_empty())
                            .map(|l| view! { <br/>{l} })
                            .collect_view()}
                    </address>
                    <BillView bill=bill.clone()/>
                    <div class="columns no-print">
                        {open.then(|| view! { <Charge id=id extras=extras rates=rates net=net outcome=outcome/> })}
                        <Payment id=id balance=bill.balance outcome=outcome/>
                    </div>
                    <Invoicing bill=bill outcome=outcome/>
                    <super::messages::BookingMessages reference=reference/>
                }
                .into_any()
            }
        }}
    }
    .into_any()
}

/// The bill itself, as printed.
#[component]
fn BillView(bill: Bill) -> impl IntoView {
    let ctx = use_ctx();
    let b = &bill.booking;
    let title = match &bill.invoice {
        Some(invoice) => format!("Invoice {}", invoice.number),
        None => format!("Bill · booking {}", b.reference),
    };
    let balance_class = if bill.balance > 0 { "owed" } else { "settled" };
    view! {
        <h1 tabindex="-1">{title}</h1>
        <p class="stay-head">{stay_summary(b)}</p>
        {bill.invoice.as_ref().map(|i| view! {
            <p class="muted">{format!("Issued on {} · booking {}", day(i.issued_on), b.reference)}</p>
        })}
        <section class="card">
            <table class="list bill" id="bill">
                <caption class="muted">"Every line, in the order it was posted"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"What"</th>
                        <th scope="col" class="amount">"Amount"</th>
                    </tr>
                </thead>
                <tbody>
                    {bill.lines.iter().map(|l| {
                        let amount = if l.kind == LineKind::Note { String::new() } else { ctx.price(l.amount) };
                        view! {
                            <tr class=l.kind.as_str()>
                                <td>{day(l.date)}</td>
                                <td>
                                    {l.description.clone()}
                                    {l.tax.as_ref().map(|t| view! {
                                        <span class="muted vat">{format!(
                                            " · incl. {} VAT ({} {} %)",
                                            ctx.price(t.tax),
                                            t.tax_rate_name,
                                            t.tax_rate
                                        )}</span>
                                    })}
                                </td>
                                <td class="amount">{amount}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <dl class="figures" id="bill-totals">
                <div><dt>"Charges"</dt><dd>{ctx.price(bill.charges)}</dd></div>
                <div><dt>"Paid"</dt><dd>{ctx.price(bill.paid)}</dd></div>
                <div class=balance_class><dt>"Balance"</dt><dd id="bill-balance">{ctx.price(bill.balance)}</dd></div>
            </dl>
            {(!bill.totals_by_rate.is_empty()).then(|| view! {
                <table class="list bill" id="bill-taxes">
                    <caption class="muted">"VAT in the charges, by rate"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Rate"</th>
                            <th scope="col" class="amount">"Net"</th>
                            <th scope="col" class="amount">"VAT"</th>
                            <th scope="col" class="amount">"Gross"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {bill.totals_by_rate.iter().map(|t| view! {
                            <tr>
                                <td>{format!("{} {} %", t.tax_rate_name, t.tax_rate)}</td>
                                <td class="amount">{ctx.price(t.net)}</td>
                                <td class="amount">{ctx.price(t.tax)}</td>
                                <td class="amount">{ctx.price(t.gross)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}

/// Posts an extra of the hotel's list, another charge or a discount.
#[component]
fn Charge(
    id: i64,
    extras: Vec<Extra>,
    rates: Vec<TaxRate>,
    // Prices are entered before VAT: the clerk's amount and the extras' prices are net.
    net: bool,
    outcome: Outcome,
) -> impl IntoView {
    let before_vat = if net { " before VAT" } else { "" };
    let ctx = use_ctx();
    // "extra:ID", "other" or "discount".
    let what = RwSignal::new(String::new());
    let quantity = RwSignal::new(String::new());
    let words = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    // A rate id, or empty for none.
    let vat = RwSignal::new(String::new());
    let kind = RwSignal::new(RevenueCategory::Other);
    let has_rates = !rates.is_empty();
    let task = Task::new();
    let free_text = move || matches!(what.get().as_str(), "other" | "discount");
    let on_sale: Vec<Extra> = extras.into_iter().filter(|e| !e.retired).collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let choice = what.get_untracked();
        let input = ChargeInput {
            extra_id: choice.strip_prefix("extra:").and_then(|v| v.parse().ok()),
            discount: choice == "discount",
            description: Some(words.get_untracked()).filter(|w| !w.trim().is_empty()),
            quantity: quantity.get_untracked().trim().parse().ok(),
            unit_amount: parse_amount(ctx, &amount.get_untracked()),
            // An extra brings its own tax rate and kind; the clerk's words take the chosen.
            tax_rate_id: if choice.starts_with("extra:") {
                None
            } else {
                vat.get_untracked().parse().ok()
            },
            category: (!choice.starts_with("extra:")).then(|| kind.get_untracked()),
        };
        outcome.set(None);
        task.start(async move {
            report(ctx, outcome, api::charge(id, &input).await, |b| {
                format!("Posted. The balance is now {}.", ctx.price(b.balance))
            });
        });
    };
    view! {
        <form class="card" id="charge-form" aria-labelledby="charge-title" on:submit=submit>
            <h2 id="charge-title">"Add to the bill"</h2>
            <label for="charge-what">"What"</label>
            <select id="charge-what" required prop:value=move || what.get()
                on:change=move |ev| what.set(event_target_value(&ev))>
                <option value="">"Choose…"</option>
                {on_sale.into_iter().map(|e| {
                    let per = if e.per_person_night { " per guest and night" } else { "" };
                    let label = format!("{} ({}{before_vat}{per})", e.name, ctx.price(e.price));
                    view! { <option value=format!("extra:{}", e.id)>{label}</option> }
                }).collect_view()}
                <option value="other">"Another charge…"</option>
                <option value="discount">"A discount…"</option>
            </select>
            <Show when=free_text>
                <label for="charge-words">"Words on the bill"</label>
                <input id="charge-words" prop:value=move || words.get()
                    on:input=move |ev| words.set(event_target_value(&ev))/>
                <label for="charge-amount">{format!("Amount{before_vat}")}</label>
                <input id="charge-amount" inputmode="decimal" prop:value=move || amount.get()
                    on:input=move |ev| amount.set(event_target_value(&ev))/>
                <label for="charge-kind">"Kind (for the accountant)"</label>
                <select id="charge-kind" on:change=move |ev| {
                    if let Some(k) = RevenueCategory::parse(&event_target_value(&ev)) {
                        kind.set(k);
                    }
                }>
                    {[RevenueCategory::Other, RevenueCategory::Lodging, RevenueCategory::FoodAndBeverage]
                        .into_iter()
                        .map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k>{k.label()}</option>
                        })
                        .collect_view()}
                </select>
                {has_rates.then(|| view! {
                    <label for="charge-vat">"VAT rate"</label>
                    <select id="charge-vat" on:change=move |ev| vat.set(event_target_value(&ev))>
                        <option value="">"No VAT"</option>
                        {rates.iter().map(|r| {
                            let label = r.percent.map_or(r.name.clone(), |p| format!("{} ({p} %)", r.name));
                            view! { <option value=r.id.to_string()>{label}</option> }
                        }).collect_view()}
                    </select>
                })}
            </Show>
            <label for="charge-quantity">"How many (optional)"</label>
            <input id="charge-quantity" type="number" min="1" max="1000" prop:value=move || quantity.get()
                on:input=move |ev| quantity.set(event_target_value(&ev))/>
            <p><button type="submit" disabled=move || task.running()>"Post"</button></p>
        </form>
    }
}

/// Amounts typed as the clerk writes them (95, 95.5, 95.50) in the hotel's currency.
fn parse_amount(ctx: Ctx, text: &str) -> Option<i64> {
    hotel_shared::money::parse(text, &ctx.currency.get_untracked())
}

/// Records a payment or a refund.
#[component]
fn Payment(id: i64, balance: i64, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let currency = ctx.currency.get_untracked();
    let places = hotel_shared::money::decimals(&currency);
    let start = if balance > 0 {
        format!(
            "{:.*}",
            places as usize,
            balance as f64 / 10f64.powi(places as i32)
        )
    } else {
        String::new()
    };
    let amount = RwSignal::new(start);
    let method = RwSignal::new(PaymentMethod::Card);
    let refund = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let task = Task::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(minor) = parse_amount(ctx, &amount.get_untracked()) else {
            problem.set(Some(format!(
                "Write the amount in {currency_name}, for example 95.00.",
                currency_name = ctx.currency.get_untracked()
            )));
            return;
        };
        problem.set(None);
        let input = PaymentInput {
            method: method.get_untracked(),
            amount: minor,
            refund: refund.get_untracked(),
        };
        outcome.set(None);
        task.start(async move {
            report(ctx, outcome, api::pay(id, &input).await, |b| {
                format!("Recorded. The balance is now {}.", ctx.price(b.balance))
            });
        });
    };
    view! {
        <form class="card" id="payment-form" aria-labelledby="payment-title" on:submit=submit>
            <h2 id="payment-title">"Take a payment"</h2>
            <label for="payment-amount">{format!("Amount ({currency})")}</label>
            <input id="payment-amount" inputmode="decimal" required
                aria-describedby="payment-problem"
                prop:value=move || amount.get()
                on:input=move |ev| amount.set(event_target_value(&ev))/>
            <p id="payment-problem" class="field-error" role="alert">{move || problem.get()}</p>
            <label for="payment-method">"Paid by"</label>
            <select id="payment-method" on:change=move |ev| {
                if let Some(m) = PaymentMethod::parse(&event_target_value(&ev)) {
                    method.set(m);
                }
            }>
                {PaymentMethod::ALL.into_iter().map(|m| view! {
                    <option value=m.as_str() selected=m == PaymentMethod::Card>{m.label()}</option>
                }).collect_view()}
            </select>
            <label class="check">
                <input type="checkbox" id="payment-refund" prop:checked=move || refund.get()
                    on:change=move |ev| refund.set(event_target_checked(&ev))/>
                "Money given back (a refund)"
            </label>
            <p><button type="submit" disabled=move || task.running()>"Record"</button></p>
        </form>
    }
}
