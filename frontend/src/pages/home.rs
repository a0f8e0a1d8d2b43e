//! The start of the funnel: the hotel, the search (dates and party), and one offer per room
//! type that can take the party, with the price of the whole stay.

use crate::nav::{navigate, use_location};
use hotel_shared::Date;
use hotel_shared::Unavailable;
use hotel_shared::staff::{QuoteOption, QuoteResponse};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::app::{Ctx, use_ctx};
use crate::i18n;
use crate::load::Load;
use crate::logic::{MAX_ADULTS, MAX_ROOMS, Search, add_days, stay_for};
use crate::widgets::{FieldError, LoadFailed, Loading, Photo};

/// Fewer rooms of a type than this left are worth telling the guest.
const FEW_LEFT: u32 = 3;

#[component]
pub fn HomePage() -> impl IntoView {
    let ctx = use_ctx();
    ctx.title(ctx.tr("Book a stay", "Zimmer buchen"));
    let today = ctx.today.get_untracked().unwrap_or_default();
    let location = use_location();
    let search = Memo::new(move |_| Search::from_query(&location.search.get(), today));
    let asked = search.get_untracked();
    let check_in = RwSignal::new(asked.check_in);
    let check_out = RwSignal::new(asked.check_out);
    let adults = RwSignal::new(asked.adults);
    let rooms = RwSignal::new(asked.rooms);
    let problem = RwSignal::new(None::<String>);
    let searched = RwSignal::new(!location.search.get_untracked().is_empty());

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let wanted = Search {
            check_in: check_in.get_untracked(),
            check_out: check_out.get_untracked(),
            adults: adults.get_untracked(),
            rooms: rooms.get_untracked(),
        };
        match stay_for(wanted.check_in, wanted.check_out, today) {
            Err(_) => problem.set(Some(stay_problem(ctx, wanted, today))),
            Ok(_) => {
                problem.set(None);
                searched.set(true);
                navigate(&format!("/?{}", wanted.to_query()), Default::default());
                crate::app::focus_first("#offers-title");
            }
        }
    };

    let offers = Load::new(move || {
        let s = search.get();
        ctx.changes.track();
        async move {
            match stay_for(s.check_in, s.check_out, today) {
                Ok(_) => Some(api::quote(s.check_in, s.check_out, s.per_room(), s.rooms).await),
                Err(_) => None,
            }
        }
    });

    let hotel = move || ctx.hotel.get();
    view! {
        <section class="hero" aria-labelledby="hotel-name">
            {move || hotel().and_then(|h| {
                h.photos.iter().find(|p| p.room_type_id.is_none()).map(|p| {
                    view! { <Photo url=p.url.clone() alt=h.details.name.clone() class="hero-photo"/> }
                })
            })}
            <div class="hero-text">
                <h1 id="hotel-name" tabindex="-1">{move || hotel().map(|h| h.details.name).unwrap_or_default()}</h1>
                <p>{move || hotel().map(|h| h.details.description).unwrap_or_default()}</p>
            </div>
        </section>

        <form class="card search" on:submit=on_submit novalidate aria-labelledby="search-title">
            <h2 id="search-title">{ctx.tr("When are you staying?", "Wann möchten Sie übernachten?")}</h2>
            <div class="row">
                <div>
                    <label for="check-in">{ctx.tr("Check-in", "Anreise")}</label>
                    <input
                        id="check-in"
                        type="date"
                        min=today.to_string()
                        prop:value=move || check_in.get().to_string()
                        on:change=move |ev| {
                            if let Ok(d) = event_target_value(&ev).parse::<Date>() {
                                check_in.set(d);
                                if check_out.get_untracked() <= d {
                                    check_out.set(add_days(d, 1));
                                }
                            }
                        }
                    />
                </div>
                <div>
                    <label for="check-out">{ctx.tr("Check-out", "Abreise")}</label>
                    <input
                        id="check-out"
                        type="date"
                        min=move || add_days(check_in.get(), 1).to_string()
                        aria-invalid=move || problem.get().is_some().then_some("true")
                        aria-describedby="stay-error"
                        prop:value=move || check_out.get().to_string()
                        on:change=move |ev| {
                            if let Ok(d) = event_target_value(&ev).parse::<Date>() {
                                check_out.set(d);
                            }
                        }
                    />
                </div>
                <div>
                    <label for="adults">{ctx.tr("Adults", "Erwachsene")}</label>
                    <NumberSelect id="adults" most=MAX_ADULTS value=adults/>
                </div>
                <div>
                    <label for="rooms">{ctx.tr("Rooms", "Zimmer")}</label>
                    <NumberSelect id="rooms" most=MAX_ROOMS value=rooms/>
                </div>
            </div>
            <FieldError id="stay-error" problem=problem/>
            <button id="search" type="submit">{ctx.tr("Show rooms and prices", "Zimmer und Preise anzeigen")}</button>
        </form>

        {move || searched.get().then(|| view! {
            <section aria-labelledby="offers-title">
                <h2 id="offers-title" tabindex="-1">{move || {
                    let s = search.get();
                    format!(
                        "{} – {} · {} · {}",
                        ctx.day(s.check_in),
                        ctx.day(s.check_out),
                        i18n::nights(ctx.lang(), s.nights()),
                        party(ctx, s)
                    )
                }}</h2>
                {move || match offers.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(None) => view! {
                        <p class="message error" role="alert">{stay_problem(ctx, search.get_untracked(), today)}</p>
                    }.into_any(),
                    Some(Some(Err(e))) => view! {
                        <LoadFailed text=ctx.explain(&e) retry=Callback::new(move |_| offers.refetch())/>
                    }.into_any(),
                    // Until the answer is for the stay now asked about, the last one's prices
                    // are not shown under the new dates.
                    Some(Some(Ok(quote))) if !answers(&quote, search.get_untracked()) => view! { <Loading/> }.into_any(),
                    Some(Some(Ok(quote))) => view! { <Offers quote=quote search=search.get_untracked()/> }.into_any(),
                }}
            </section>
        })}
    }
}

/// "2 adults, 1 room".
pub fn party(ctx: Ctx, s: Search) -> String {
    format!(
        "{}, {}",
        i18n::adults(ctx.lang(), s.adults),
        i18n::rooms(ctx.lang(), s.rooms)
    )
}

/// Why the dates of `s` cannot be searched, in the guest's words.
fn stay_problem(ctx: Ctx, s: Search, today: Date) -> String {
    use hotel_shared::stay::{MAX_DAYS_AHEAD, MAX_NIGHTS};
    if s.check_in < today {
        ctx.tr(
            "The arrival day has passed.",
            "Der Anreisetag liegt in der Vergangenheit.",
        )
        .into()
    } else if s.check_out <= s.check_in {
        ctx.tr(
            "Choose a check-out day after the check-in day.",
            "Wählen Sie eine Abreise nach der Anreise.",
        )
        .into()
    } else if s.nights() > MAX_NIGHTS as u32 {
        format!(
            "{} {MAX_NIGHTS}.",
            ctx.tr(
                "Online, a stay can be at most this many nights:",
                "Online sind höchstens so viele Nächte möglich:"
            )
        )
    } else {
        format!(
            "{} {MAX_DAYS_AHEAD}.",
            ctx.tr(
                "Bookings open this many days ahead:",
                "Buchungen sind so viele Tage im Voraus möglich:"
            )
        )
    }
}

/// A choice of 1 to `most`: no typing, so no zero and no nonsense.
#[component]
fn NumberSelect(id: &'static str, most: u32, value: RwSignal<u32>) -> impl IntoView {
    view! {
        <select
            id=id
            prop:value=move || value.get().to_string()
            on:change=move |ev| {
                if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                    value.set(n.clamp(1, most));
                }
            }
        >
            {(1..=most).map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
        </select>
    }
}

/// Whether `quote` is the answer for `search`.
fn answers(quote: &QuoteResponse, search: Search) -> bool {
    quote.check_in == search.check_in
        && quote.check_out == search.check_out
        && quote.guests == search.per_room()
        && quote.rooms == search.rooms
}

/// One card per room type that can take the whole party on those nights, or why none can.
#[component]
fn Offers(quote: QuoteResponse, search: Search) -> impl IntoView {
    let ctx = use_ctx();
    let fitting: Vec<QuoteOption> = quote
        .options
        .into_iter()
        .filter(|o| o.available >= search.rooms)
        .collect();
    if fitting.is_empty() {
        let why = match quote.unavailable {
            Some(Unavailable::PartyTooLarge) => format!(
                "{} {}",
                ctx.tr(
                    "No room sleeps that many people. Try more rooms for your party: per room now",
                    "Kein Zimmer bietet Platz für so viele Personen. Wählen Sie mehr Zimmer; pro Zimmer jetzt",
                ),
                search.per_room()
            ),
            Some(Unavailable::Restricted) => i18n::error(ctx.lang(), hotel_shared::ErrorCode::Closed).unwrap_or_default().to_string(),
            Some(Unavailable::BookingTooLarge) => ctx
                .tr(
                    "That is more rooms and nights than one online booking can hold. Please book fewer, or call the hotel.",
                    "Das sind mehr Zimmer und Nächte, als eine Online-Buchung umfassen kann. Bitte weniger buchen oder anrufen.",
                )
                .to_string(),
            _ => ctx
                .tr(
                    "We are fully booked for those dates. Please try other dates or fewer rooms.",
                    "Für diese Daten sind wir ausgebucht. Bitte versuchen Sie andere Daten oder weniger Zimmer.",
                )
                .to_string(),
        };
        return view! { <p class="message info" role="status" id="no-offers">{why}</p> }.into_any();
    }
    let photos = ctx
        .hotel
        .get_untracked()
        .map(|h| h.photos)
        .unwrap_or_default();
    // One card per room type, its plans inside: the base plan first.
    let mut types: Vec<Vec<QuoteOption>> = Vec::new();
    for o in fitting {
        match types
            .iter_mut()
            .find(|t| t[0].room_type_id == o.room_type_id)
        {
            Some(plans) => plans.push(o),
            None => types.push(vec![o]),
        }
    }
    view! {
        <ul class="offers" aria-label=ctx.tr("Rooms for your stay", "Zimmer für Ihren Aufenthalt")>
            {types.into_iter().map(|plans| {
                let o = plans[0].clone();
                let photo = photos.iter().find(|p| p.room_type_id == Some(o.room_type_id)).map(|p| p.url.clone());
                view! {
                    <li class="card offer" data-room-type=o.room_type_id>
                        {match photo {
                            Some(url) => view! { <Photo url=url alt=o.room_type.clone() class="offer-photo"/> }.into_any(),
                            None => view! { <div class="offer-photo placeholder" aria-hidden="true"></div> }.into_any(),
                        }}
                        <div class="offer-body">
                            <h3>{o.room_type.clone()}</h3>
                            <p>{o.description.clone()}</p>
                            <p class="muted">{format!("{} {}", ctx.tr("Sleeps", "Für bis zu"), o.capacity)}
                                {ctx.tr("", " Personen")}</p>
                            {(o.available <= FEW_LEFT).then(|| view! {
                                <p class="scarce">{format!(
                                    "{} {}",
                                    ctx.tr("Rooms of this kind left:", "Nur noch frei:"),
                                    o.available
                                )}</p>
                            })}
                            <ul class="plans">
                                {plans.into_iter().map(|p| view! { <Plan offer=p search=search/> }).collect_view()}
                            </ul>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// One rate plan of a room type: its price for the stay, its terms, and the way to book it.
#[component]
fn Plan(offer: QuoteOption, search: Search) -> impl IntoView {
    let ctx = use_ctx();
    let o = offer;
    let whole = o.total.saturating_mul(i64::from(search.rooms));
    let href = format!(
        "/reserve?{}&room_type={}&plan={}",
        search.to_query(),
        o.room_type_id,
        o.rate_plan_id
    );
    // The visible word starts the accessible name, as speech control needs.
    let label = if o.base {
        format!("{} {}", ctx.tr("Choose", "Auswählen:"), o.room_type)
    } else {
        format!(
            "{} {}, {}",
            ctx.tr("Choose", "Auswählen:"),
            o.room_type,
            o.rate_plan
        )
    };
    let nightly = crate::logic::per_night(o.total, search.nights());
    let varies = o.nights.iter().any(|n| n.amount != o.rate);
    view! {
        <li class="plan" data-rate-plan=o.rate_plan_id>
            <h4>{o.rate_plan.clone()}</h4>
            <p class="price">
                <strong class="total">{ctx.price(whole)}</strong>
                " "
                {format!(
                    "{} {} · {}{} {}",
                    ctx.tr("for", "für"),
                    party_and_nights(ctx, search),
                    if varies { ctx.tr("on average ", "im Schnitt ") } else { "" },
                    ctx.price(nightly),
                    ctx.tr("per room and night", "pro Zimmer und Nacht"),
                )}
            </p>
            <p class="terms">{ctx.included(&o.included)}{ctx.taxes(o.city_tax * i64::from(search.rooms), o.city_tax_included)} " " {ctx.cancellation(&o.terms)}</p>
            <a class="button" href=href aria-label=label>{ctx.tr("Choose", "Auswählen")}</a>
        </li>
    }
}

/// "3 nights, 2 rooms".
fn party_and_nights(ctx: Ctx, s: Search) -> String {
    format!(
        "{}, {}",
        i18n::nights(ctx.lang(), s.nights()),
        i18n::rooms(ctx.lang(), s.rooms)
    )
}
