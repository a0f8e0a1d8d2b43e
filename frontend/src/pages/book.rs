//! Details and review: a visitor signs in or creates an account here (the search stays in the
//! address), then sees the whole booking and its terms and books with one button.

use crate::nav::{navigate, use_location};
use hotel_shared::staff::QuoteOption;
use leptos::prelude::*;

use crate::api;
use crate::app::{Ctx, use_ctx};
use crate::i18n;
use crate::load::Load;
use crate::logic::{Search, query_value};
use crate::pages::home::party;
use crate::pages::signin::AuthForm;
use crate::widgets::{LoadFailed, Loading, Task};

#[component]
pub fn BookPage() -> impl IntoView {
    let ctx = use_ctx();
    ctx.title(ctx.tr("Your booking", "Ihre Buchung"));
    let today = ctx.today.get_untracked().unwrap_or_default();
    let query = use_location().search.get_untracked();
    let search = Search::from_query(&query, today);
    let room_type: Option<i64> = query_value(&query, "room_type").and_then(|t| t.parse().ok());
    // The plan chosen; the type's base plan for an address from before plans.
    let plan: Option<i64> = query_value(&query, "plan").and_then(|t| t.parse().ok());
    let back = format!("/?{}", search.to_query());
    let offer = Load::new(move || async move {
        api::quote(
            search.check_in,
            search.check_out,
            search.per_room(),
            search.rooms,
        )
        .await
        .map(|q| {
            q.options.into_iter().find(|o| {
                Some(o.room_type_id) == room_type
                    && plan.map_or(o.base, |p| p == o.rate_plan_id)
                    && o.available >= search.rooms
            })
        })
    });
    view! {
        <h1 tabindex="-1">{ctx.tr("Review your booking", "Ihre Buchung prüfen")}</h1>
        <p><a href=back.clone()>{ctx.tr("← Back to the rooms", "← Zurück zu den Zimmern")}</a></p>
        {move || match offer.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! {
                <LoadFailed text=ctx.explain(&e) retry=Callback::new(move |_| offer.refetch())/>
            }.into_any(),
            Some(Ok(None)) => view! {
                <p class="message error" role="alert">
                    {ctx.tr(
                        "This room is no longer available for your dates.",
                        "Dieses Zimmer ist für Ihre Daten nicht mehr frei.",
                    )}
                    " "
                    <a href=back.clone()>{ctx.tr("See what is free", "Freie Zimmer ansehen")}</a>
                </p>
            }.into_any(),
            Some(Ok(Some(o))) => view! { <Review offer=o search=search/> }.into_any(),
        }}
    }
}

#[component]
fn Review(offer: QuoteOption, search: Search) -> impl IntoView {
    let ctx = use_ctx();
    let problem = RwSignal::new(None::<String>);
    let (type_id, plan_id) = (offer.room_type_id, offer.rate_plan_id);
    let book = Task::new();
    let do_book = move |_| {
        problem.set(None);
        book.start(async move {
            let s = search;
            match api::book(
                s.rooms,
                s.check_in,
                s.check_out,
                s.per_room(),
                Some(type_id),
                Some(plan_id),
            )
            .await
            {
                Ok(done) => {
                    ctx.changed();
                    crate::app::remember_language(ctx);
                    let reference = done
                        .bookings
                        .first()
                        .map(|b| b.reference.clone())
                        .unwrap_or_default();
                    navigate(
                        &hotel_shared::paths::reservation(&reference),
                        Default::default(),
                    );
                }
                Err(e) => {
                    problem.set(Some(ctx.explain(&e)));
                    crate::app::focus_first("#book-error");
                }
            }
        });
    };
    let whole = offer.total.saturating_mul(i64::from(search.rooms));
    let times = ctx.hotel.get_untracked().map(|h| h.details);
    let rules = times
        .as_ref()
        .map(|d| d.house_rules.clone())
        .filter(|r| !r.is_empty());
    view! {
        <section class="card summary" aria-labelledby="summary-title">
            <h2 id="summary-title">{format!("{} · {}", offer.room_type, offer.rate_plan)}</h2>
            <Summary ctx=ctx search=search times=times/>
            <table class="nights">
                <caption>{ctx.tr("Price per room, night by night", "Preis pro Zimmer, Nacht für Nacht")}</caption>
                <tbody>
                    {offer.nights.iter().map(|n| view! {
                        <tr><th scope="row">{ctx.day(n.date)}</th><td>{ctx.price(n.amount)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <dl class="facts">
                <div><dt>{ctx.tr("Total", "Gesamtpreis")}</dt><dd id="total"><strong>{ctx.price(whole)}</strong></dd></div>
            </dl>
            <p id="taxes">{ctx.included(&offer.included)}{ctx.taxes(offer.city_tax * i64::from(search.rooms), offer.city_tax_included)}</p>
            <p id="terms">{format!(
                "{} {}",
                ctx.cancellation(&offer.terms),
                ctx.tr("Payment at the hotel.", "Bezahlung im Hotel.")
            )}</p>
            {rules.map(|rules| view! {
                <p id="house-rules"><strong>{ctx.tr("House rules", "Hausordnung")}</strong> ": " {rules}</p>
            })}
        </section>
        {move || match ctx.user() {
            None => view! {
                <section class="card narrow" aria-labelledby="who-title">
                    <h2 id="who-title">{ctx.tr("Who is staying?", "Wer reist an?")}</h2>
                    <AuthForm on_done=Callback::new(|_| crate::app::focus_first("#book"))
                        start_with_sign_in=ctx.notice.with_untracked(Option::is_some)/>
                </section>
            }.into_any(),
            Some(_) => view! {
                <div class="sticky-action">
                    <button
                        id="book"
                        disabled=move || book.running()
                        on:click=do_book
                    >
                        {move || if book.running() {
                            ctx.tr("Booking…", "Wird gebucht…").to_string()
                        } else {
                            format!("{} · {}", ctx.tr("Book now", "Jetzt buchen"), ctx.price(whole))
                        }}
                    </button>
                </div>
            }.into_any(),
        }}
        <div aria-live="assertive">
            {move || problem.get().map(|text| view! {
                <p class="message error" role="alert" id="book-error" tabindex="-1">{text}</p>
            })}
        </div>
    }
}

/// Dates, nights and party of a stay, with the hotel's times.
#[component]
pub fn Summary(
    ctx: Ctx,
    search: Search,
    times: Option<hotel_shared::staff::HotelDetails>,
) -> impl IntoView {
    let (from, until) = times
        .map(|t| (t.check_in_from, t.check_out_until))
        .unwrap_or_default();
    view! {
        <dl class="facts">
            <div>
                <dt>{ctx.tr("Check-in", "Anreise")}</dt>
                <dd>{ctx.day(search.check_in)} <span class="muted">{format!(" {} {from}", ctx.tr("from", "ab"))}</span></dd>
            </div>
            <div>
                <dt>{ctx.tr("Check-out", "Abreise")}</dt>
                <dd>{ctx.day(search.check_out)} <span class="muted">{format!(" {} {until}", ctx.tr("until", "bis"))}</span></dd>
            </div>
            <div><dt>{ctx.tr("Stay", "Aufenthalt")}</dt><dd>{i18n::nights(ctx.lang(), search.nights())}</dd></div>
            <div><dt>{ctx.tr("Guests", "Gäste")}</dt><dd>{party(ctx, search)}</dd></div>
        </dl>
    }
}
