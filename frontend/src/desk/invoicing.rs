//! The invoice of a stay at the desk: issued now (to the guest, or made out to a company with
//! its address and VAT id), or the one issued, printable.

use hotel_shared::BookingStatus;
use hotel_shared::folio::{Bill, InvoiceRecipient};
use leptos::prelude::*;

use super::day;
use crate::api;
use crate::app::use_ctx;
use crate::widgets::{Outcome, Task, report};

/// Issues the invoice, or prints the one issued.
#[component]
pub fn Invoicing(bill: Bill, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let id = bill.booking.id;
    let may_issue = matches!(
        bill.booking.status,
        BookingStatus::CheckedIn | BookingStatus::CheckedOut
    );
    let task = Task::new();
    let [company, address, vat_id] = [(); 3].map(|_| RwSignal::new(String::new()));
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    let issue = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let given = |s: RwSignal<String>| Some(s.get_untracked()).filter(|t| !t.trim().is_empty());
        let to = InvoiceRecipient {
            company: given(company),
            address: given(address),
            vat_id: given(vat_id),
        };
        outcome.set(None);
        task.start(async move {
            report(ctx, outcome, api::issue_invoice(id, &to).await, |d| {
                format!("Issued invoice {}.", d.invoice.number)
            });
        });
    };
    let field = |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <label for=id>{label}</label>
            <input id=id prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        }
    };
    view! {
        <section class="card no-print" aria-labelledby="invoice-title">
            <h2 id="invoice-title">"Invoice"</h2>
            {match &bill.invoice {
                Some(invoice) => {
                    let number = invoice.number.clone();
                    view! {
                        <p>{format!("Invoice {} was issued on {}. Charges can no longer be added; payments can.", invoice.number, day(invoice.issued_on))}</p>
                        <p class="actions">
                            <a class="button secondary" id="invoice-pdf" rel="external" target="_blank"
                                href=format!("/staff/bookings/{id}/invoice.pdf?language=en")>"Invoice as PDF, in English"</a>
                            <a class="button secondary" id="invoice-pdf-de" rel="external" target="_blank"
                                href=format!("/staff/bookings/{id}/invoice.pdf?language=de")>"Invoice as PDF, in German"</a>
                        </p>
                        <details id="cancel-invoice">
                            <summary>"Correct this invoice"</summary>
                            <p class="muted">{format!(
                                "An issued invoice is never changed. A cancellation invoice with the next number reverses invoice {number}; then correct the bill and issue a new invoice."
                            )}</p>
                            <button class="secondary" id="cancel-invoice-button"
                                disabled=move || task.running()
                                on:click=move |_| {
                                    outcome.set(None);
                                    task.start(async move {
                                        report(ctx, outcome, api::cancel_invoice(id).await, |d| {
                                            format!(
                                                "Issued cancellation invoice {}. Correct the bill, then issue a new invoice.",
                                                d.invoice.number
                                            )
                                        });
                                    });
                                }>
                                {format!("Cancel invoice {}", invoice.number)}
                            </button>
                        </details>
                    }.into_any()
                }
                None if may_issue => view! {
                    <p>"The invoice is issued at check-out, or now. Its number is the next of the year."</p>
                    <form id="invoice-form" on:submit=issue>
                        <details>
                            <summary>"Made out to a company or another address"</summary>
                            <p class="muted">"Without these, it goes to the guest at the address on their profile."</p>
                            {field("invoice-company", "Company", company)}
                            <label for="invoice-address">"Address"</label>
                            <textarea id="invoice-address" rows="3" prop:value=move || address.get()
                                on:input=move |ev| address.set(event_target_value(&ev))></textarea>
                            {field("invoice-vat-id", "Company's VAT ID", vat_id)}
                        </details>
                        <p>
                            <button type="submit" id="issue-invoice" class="secondary"
                                disabled=move || task.running()>
                                "Issue the invoice now"
                            </button>
                        </p>
                    </form>
                }.into_any(),
                None => view! { <p class="muted">"An invoice is issued once the guest has checked in."</p> }.into_any(),
            }}
            <p><button class="secondary" on:click=print>"Print"</button></p>
        </section>
    }
}
