//! Every change to bookings, rooms, rates and roles: who, what, when, before and after.

use leptos::prelude::*;

use super::StaffOnly;
use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::widgets::{LoadFailed, Loading};

#[component]
pub fn AuditPage() -> impl IntoView {
    let ctx = use_ctx();
    if !ctx.is_staff() {
        return view! { <StaffOnly/> }.into_any();
    }
    let log = Load::new(move || {
        ctx.changes.track();
        async move { api::audit().await }
    });
    view! {
        <h1>"Audit log"</h1>
        <p class="muted">"The latest 200 changes, newest first. Nobody can edit this log."</p>
        <section class="card">
            {move || match log.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => {
                    let text = ctx.explain(&e);
                    view! { <LoadFailed text=text retry=Callback::new(move |_| log.refetch())/> }.into_any()
                }
                Some(Ok(log)) => view! {
                    <div class="calendar-wrap">
                        <table class="list" id="audit">
                            <thead>
                                <tr>
                                    <th scope="col">"When (UTC)"</th>
                                    <th scope="col">"Who"</th>
                                    <th scope="col">"What"</th>
                                    <th scope="col">"Record"</th>
                                    <th scope="col">"Before → after"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {log.entries.into_iter().map(|e| view! {
                                    <tr>
                                        <td>{e.at.chars().take(19).collect::<String>().replace('T', " ")}</td>
                                        <td>{e.actor}</td>
                                        <td class="action">{e.action}</td>
                                        <td>{format!("{} {}", e.entity, e.entity_id)}</td>
                                        <td>
                                            <details>
                                                <summary>"Show"</summary>
                                                <p><strong>"Before: "</strong><code>{e.before.unwrap_or_else(|| "—".into())}</code></p>
                                                <p><strong>"After: "</strong><code>{e.after.unwrap_or_else(|| "—".into())}</code></p>
                                            </details>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
    .into_any()
}
