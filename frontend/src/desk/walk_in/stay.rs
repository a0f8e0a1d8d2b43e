//! What the stay is: the day of departure, the party and the room, with the price before
//! booking.

use hotel_shared::Date;
use hotel_shared::staff::QuoteOption;
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::{MAX_GUESTS, add_days};

#[component]
pub fn TheStay(
    today: Date,
    check_out: RwSignal<Date>,
    guests: RwSignal<u32>,
    /// The room type and rate plan chosen (`None`: the cheapest free room on its base plan).
    room_type: RwSignal<Option<(i64, i64)>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let quote = Load::new(move || {
        let (out, party) = (check_out.get(), guests.get());
        async move { api::staff_quote(today, out, party).await }
    });
    view! {
    <div class="row">
        <div>
            <label for="walk-in-out">"Leaves on"</label>
            <input id="walk-in-out" type="date" min=add_days(today, 1).to_string()
                prop:value=move || check_out.get().to_string()
                on:change=move |ev| {
                    if let Ok(d) = event_target_value(&ev).parse() {
                        check_out.set(d);
                    }
                }/>
        </div>
        <div>
            <label for="walk-in-guests">"Guests"</label>
            <input id="walk-in-guests" type="number" min="1" max=MAX_GUESTS.to_string()
                prop:value=move || guests.get().to_string()
                on:input=move |ev| {
                    let n = event_target_value(&ev).trim().parse::<u32>().unwrap_or(1);
                    guests.set(n.clamp(1, MAX_GUESTS));
                }/>
        </div>
        <div>
            <label for="walk-in-type">"Room"</label>
            <select id="walk-in-type" on:change=move |ev| room_type.set(
                event_target_value(&ev)
                    .split_once(':')
                    .and_then(|(t, p)| Some((t.parse().ok()?, p.parse().ok()?))),
            )>
                <option value="">"Cheapest free"</option>
                {move || match quote.get() {
                    Some(Ok(q)) => q.options.into_iter()
                        .filter(|o| o.available > 0)
                        .map(|o: QuoteOption| {
                            let label = format!("{} · {}: {} for {} ({} free)", o.room_type, o.rate_plan,
                                ctx.price(o.total), crate::i18n::nights(crate::i18n::Lang::En, q.nights), o.available);
                            view! { <option value=format!("{}:{}", o.room_type_id, o.rate_plan_id)>{label}</option> }
                        })
                        .collect_view()
                        .into_any(),
                    _ => ().into_any(),
                }}
            </select>
        </div>
    </div>
    <p id="walk-in-price" class="muted">{move || match quote.get() {
        Some(Ok(q)) => match q.options.iter().filter(|o| o.available > 0 && o.base).min_by_key(|o| o.total) {
            Some(o) => format!("From {} for the stay.", ctx.price(o.total)),
            None => "No room is free for these nights.".to_string(),
        },
        Some(Err(e)) => ctx.explain(&e),
        None => String::new(),
    }}</p>
    }
}
