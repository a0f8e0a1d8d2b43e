//! Room types and rates, the extras for sale, rooms, and out-of-service ranges.

use hotel_shared::staff::{BlockInput, Room, RoomInput, RoomType, RoomTypeInput};
use hotel_shared::{Date, money};
use leptos::prelude::*;

use super::channels::BookingSites;
use super::confirm::Confirm;
use super::extras::Extras;
use super::{StaffOnly, amount_text};
use crate::api;
use crate::app::use_ctx;
use crate::load::Load;
use crate::logic::add_days;
use crate::widgets::{LoadFailed, Loading, Outcome, OutcomeText, Task, report};

#[component]
pub fn DeskRoomsPage() -> impl IntoView {
    let ctx = use_ctx();
    if !ctx.is_staff() {
        return view! { <StaffOnly/> }.into_any();
    }
    let data = Load::new(move || {
        ctx.changes.track();
        async move {
            let types = api::room_types().await?;
            let rooms = api::staff_rooms().await?;
            let blocks = api::blocks().await?;
            let feeds = api::feeds().await?.feeds;
            let taxes = api::tax_rates().await?.tax_rates;
            let extras = api::extras().await?;
            Ok::<_, api::ApiError>((types, rooms, blocks, feeds, taxes, extras))
        }
    });
    let outcome: Outcome = RwSignal::new(None);
    view! {
        <h1>"Rooms and rates"</h1>
        <OutcomeText outcome=outcome/>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => {
                let text = ctx.explain(&e);
                view! { <LoadFailed text=text retry=Callback::new(move |_| data.refetch())/> }.into_any()
            }
            Some(Ok((types, rooms, blocks, feeds, taxes, extras))) => {
                // Each rate as the select offers it: its id and "Lodging 7 %".
                let vat: Vec<(i64, String)> = taxes
                    .iter()
                    .map(|r| (r.id, r.percent.map_or(r.name.clone(), |p| format!("{} {p} %", r.name))))
                    .collect();
                let sold: Vec<RoomType> = types.iter().filter(|t| !t.retired).cloned().collect();
                let retired_types: Vec<RoomType> = types.iter().filter(|t| t.retired).cloned().collect();
                let retired_rooms: Vec<Room> = rooms.iter().filter(|r| r.retired).cloned().collect();
                let rooms_for_sites = rooms.clone();
                view! {
                    <section class="card" aria-labelledby="types-title">
                        <h2 id="types-title">"Room types"</h2>
                        <p class="muted">"A new rate applies to bookings made from now on; existing bookings keep theirs."</p>
                        <table class="list" id="room-types">
                            <thead><tr>
                                <th scope="col">"Name"</th><th scope="col">"Description"</th>
                                <th scope="col">"Sleeps"</th><th scope="col">"Rate a night"</th><th scope="col">"VAT"</th><th scope="col"></th>
                            </tr></thead>
                            <tbody>
                                {types.into_iter().filter(|t| !t.retired)
                                    .map(|t| view! { <TypeRow room_type=Some(t) vat=vat.clone() outcome=outcome/> })
                                    .collect_view()}
                                <TypeRow room_type=None vat=vat.clone() outcome=outcome/>
                            </tbody>
                        </table>
                    </section>
                    <Extras extras=extras vat=vat.clone() outcome=outcome/>
                    <section class="card" aria-labelledby="rooms-title">
                        <h2 id="rooms-title">"Rooms"</h2>
                        <p class="muted">"A reason takes a room out of service until it is cleared; it is never offered or booked meanwhile."</p>
                        <table class="list" id="rooms">
                            <thead><tr>
                                <th scope="col">"Room"</th><th scope="col">"Type"</th><th scope="col">"Floor"</th>
                                <th scope="col">"Out of service because"</th><th scope="col"></th>
                            </tr></thead>
                            <tbody>
                                {rooms.into_iter().filter(|r| !r.retired)
                                    .map(|r| view! { <RoomRow room=Some(r) types=sold.clone() outcome=outcome/> })
                                    .collect_view()}
                                <RoomRow room=None types=sold.clone() outcome=outcome/>
                            </tbody>
                        </table>
                    </section>
                    <Blocks blocks=blocks outcome=outcome/>
                    <BookingSites rooms=rooms_for_sites feeds=feeds outcome=outcome/>
                    <Retired types=retired_types rooms=retired_rooms outcome=outcome/>
                }.into_any()
            }
        }}
    }
    .into_any()
}

/// One room type as a row of fields, or (`None`) the row that adds one.
#[component]
fn TypeRow(
    room_type: Option<RoomType>,
    vat: Vec<(i64, String)>,
    outcome: Outcome,
) -> impl IntoView {
    let ctx = use_ctx();
    let currency = ctx.currency.get_untracked();
    let id = room_type.as_ref().map(|t| t.id);
    let name = RwSignal::new(
        room_type
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default(),
    );
    let description = RwSignal::new(
        room_type
            .as_ref()
            .map(|t| t.description.clone())
            .unwrap_or_default(),
    );
    let capacity = RwSignal::new(room_type.as_ref().map_or(2, |t| t.capacity).to_string());
    let rate = RwSignal::new(
        room_type
            .as_ref()
            .map(|t| amount_text(t.rate, &currency))
            .unwrap_or_default(),
    );
    let tax_rate = RwSignal::new(room_type.as_ref().and_then(|t| t.tax_rate_id));
    let save = Action::new_local(move |input: &RoomTypeInput| {
        let input = input.clone();
        async move {
            report(ctx, outcome, api::save_room_type(id, &input).await, |t| {
                format!("Saved room type {}: {} a night.", t.name, ctx.money(t.rate))
            });
        }
    });
    let retire = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            report(ctx, outcome, api::retire_room_type(id).await, |t| {
                format!("Retired room type {}.", t.name)
            });
        }
    });
    let asking = RwSignal::new(false);
    let key = id.map_or("new".to_string(), |i| i.to_string());
    let label = |what: &str| {
        format!(
            "{what} of room type {}",
            id.map_or("to add".into(), |i| i.to_string())
        )
    };
    view! {
        <tr data-type=key.clone()>
            <td><input aria-label=label("Name") class="type-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></td>
            <td><input aria-label=label("Description") prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/></td>
            <td><input aria-label=label("Capacity") class="narrow" type="number" min="1" max="20" prop:value=move || capacity.get() on:input=move |ev| capacity.set(event_target_value(&ev))/></td>
            <td><input aria-label=label("Nightly rate") class="type-rate narrow" inputmode="decimal" prop:value=move || rate.get() on:input=move |ev| rate.set(event_target_value(&ev))/></td>
            <td>
                <select aria-label=label("VAT rate") class="type-vat"
                    on:change=move |ev| tax_rate.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=tax_rate.get_untracked().is_none()>"None set"</option>
                    {vat.into_iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=tax_rate.get_untracked() == Some(id)>{name}</option>
                    }).collect_view()}
                </select>
            </td>
            <td class="actions">
                <button
                    class="save-type"
                    disabled=move || save.pending().get()
                    on:click=move |_| {
                        let currency = ctx.currency.get_untracked();
                        let Some(minor) = money::parse(&rate.get_untracked(), &currency) else {
                            outcome.set(Some(Err(format!("The rate must be an amount such as 95 or 95.50 ({currency})."))));
                            return;
                        };
                        outcome.set(None);
                        save.dispatch(RoomTypeInput {
                            name: name.get_untracked(),
                            description: description.get_untracked(),
                            capacity: capacity.get_untracked().trim().parse().unwrap_or(0),
                            rate: minor,
                            tax_rate_id: Some(tax_rate.get_untracked()),
                        });
                    }
                >
                    {if id.is_some() { "Save" } else { "Add type" }}
                </button>
                {id.map(|_| view! {
                    <button class="danger" disabled=move || retire.pending().get()
                        on:click=move |_| asking.set(true)>"Retire"</button>
                })}
            </td>
        </tr>
        {move || (asking.get() && id.is_some()).then(|| {
            let id = id.unwrap_or_default();
            view! {
                <tr><td colspan="6">
                    <Confirm
                        text=format!("Retire the room type {}? It is no longer sold; bookings keep it, and it can be restored.", name.get_untracked())
                        yes="Retire the type".to_string()
                        on_yes=Callback::new(move |_| { asking.set(false); retire.dispatch(id); })
                        on_no=Callback::new(move |_| asking.set(false))
                    />
                </td></tr>
            }
        })}
    }
}

/// One room as a row of fields, or (`None`) the row that adds one.
#[component]
fn RoomRow(room: Option<Room>, types: Vec<RoomType>, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let existing = room.as_ref().map(|r| r.number);
    let number = RwSignal::new(existing.map(|n| n.to_string()).unwrap_or_default());
    let type_id = RwSignal::new(
        room.as_ref()
            .map(|r| r.room_type_id)
            .or_else(|| types.first().map(|t| t.id))
            .unwrap_or_default()
            .to_string(),
    );
    let floor = RwSignal::new(room.as_ref().map_or(1, |r| r.floor).to_string());
    let reason = RwSignal::new(
        room.as_ref()
            .and_then(|r| r.out_of_service.clone())
            .unwrap_or_default(),
    );
    let save = Action::new_local(move |input: &RoomInput| {
        let input = input.clone();
        async move {
            report(
                ctx,
                outcome,
                api::save_room(existing, &input).await,
                |r| match &r.out_of_service {
                    Some(why) => format!("Saved room {}: out of service ({why}).", r.number),
                    None => format!(
                        "Saved room {}: {} on floor {}, in service.",
                        r.number, r.room_type, r.floor
                    ),
                },
            );
        }
    });
    let retire = Action::new_local(move |n: &u32| {
        let n = *n;
        async move {
            report(ctx, outcome, api::retire_room(n).await, |r| {
                format!("Retired room {}.", r.number)
            });
        }
    });
    // A question before what takes a room off sale: retiring it, or a new reason.
    let asking: RwSignal<Option<Ask>> = RwSignal::new(None);
    let was_in_service = room.as_ref().is_some_and(|r| r.out_of_service.is_none());
    let key = existing.map_or("new".to_string(), |n| n.to_string());
    let label = |what: &str| {
        format!(
            "{what} of room {}",
            existing.map_or("to add".into(), |n| n.to_string())
        )
    };
    view! {
        <tr data-room=key>
            <td>{match existing {
                Some(n) => view! { <strong>{n}</strong> }.into_any(),
                None => view! {
                    <input aria-label="Number of the new room" class="narrow" inputmode="numeric"
                        prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev))/>
                }.into_any(),
            }}</td>
            <td>
                <select aria-label=label("Type") prop:value=move || type_id.get() on:change=move |ev| type_id.set(event_target_value(&ev))>
                    {types.iter().map(|t| view! { <option value=t.id.to_string()>{t.name.clone()}</option> }).collect_view()}
                </select>
            </td>
            <td><input aria-label=label("Floor") class="narrow" type="number" prop:value=move || floor.get() on:input=move |ev| floor.set(event_target_value(&ev))/></td>
            <td><input aria-label=label("Out-of-service reason") class="oos" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/></td>
            <td class="actions">
                <button
                    class="save-room"
                    disabled=move || save.pending().get()
                    on:click=move |_| {
                        let reason = reason.get_untracked();
                        outcome.set(None);
                        let input = RoomInput {
                            number: if existing.is_some() { None } else { number.get_untracked().trim().parse().ok() },
                            room_type_id: type_id.get_untracked().parse().unwrap_or_default(),
                            floor: floor.get_untracked().trim().parse().unwrap_or(0),
                            out_of_service: (!reason.trim().is_empty()).then_some(reason),
                        };
                        if was_in_service && input.out_of_service.is_some() {
                            asking.set(Some(Ask::OutOfService(input)));
                        } else {
                            save.dispatch(input);
                        }
                    }
                >
                    {if existing.is_some() { "Save" } else { "Add room" }}
                </button>
                {existing.map(|_| view! {
                    <button class="danger" disabled=move || retire.pending().get()
                        on:click=move |_| asking.set(Some(Ask::Retire))>"Retire"</button>
                })}
            </td>
        </tr>
        {move || asking.get().zip(existing).map(|(ask, n)| {
            let (text, yes) = match &ask {
                Ask::Retire => (
                    format!("Retire room {n}? It leaves the hotel: never offered or booked again; its past bookings stay, and it can be restored."),
                    format!("Retire room {n}"),
                ),
                Ask::OutOfService(input) => (
                    format!("Take room {n} out of service until further notice ({})? It is not offered or booked until the reason is cleared.",
                        input.out_of_service.clone().unwrap_or_default()),
                    format!("Take room {n} out of service"),
                ),
            };
            view! {
                <tr><td colspan="5">
                    <Confirm
                        text=text
                        yes=yes
                        on_yes=Callback::new(move |_| {
                            asking.set(None);
                            match ask.clone() {
                                Ask::Retire => { retire.dispatch(n); }
                                Ask::OutOfService(input) => { save.dispatch(input); }
                            }
                        })
                        on_no=Callback::new(move |_| asking.set(None))
                    />
                </td></tr>
            }
        })}
    }
}

/// What a room row asks before doing.
#[derive(Clone)]
enum Ask {
    Retire,
    OutOfService(RoomInput),
}

/// Out-of-service ranges: a room off sale for some nights.
#[component]
fn Blocks(blocks: Vec<hotel_shared::staff::RoomBlock>, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let today = ctx.today.get_untracked().unwrap_or_default();
    let room = RwSignal::new(String::new());
    let from = RwSignal::new(add_days(today, 1));
    let to = RwSignal::new(add_days(today, 2));
    let reason = RwSignal::new(String::new());
    let add = Action::new_local(move |input: &BlockInput| {
        let input = input.clone();
        async move {
            report(ctx, outcome, api::add_block(&input).await, |b| {
                format!(
                    "Room {} is out of service from {} to {}.",
                    b.room_number, b.from, b.to
                )
            });
        }
    });
    let remove = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            report(ctx, outcome, api::remove_block(id).await, |b| {
                format!(
                    "Room {} is back in service from {} to {}.",
                    b.room_number, b.from, b.to
                )
            });
        }
    });
    let date_field = move |id: &'static str, text: &'static str, signal: RwSignal<Date>| {
        view! {
            <div>
                <label for=id>{text}</label>
                <input id=id type="date" prop:value=move || signal.get().to_string()
                    on:change=move |ev| {
                        if let Ok(d) = event_target_value(&ev).parse() {
                            signal.set(d);
                        }
                    }/>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="blocks-title">
            <h2 id="blocks-title">"Out of service for some nights"</h2>
            {if blocks.is_empty() {
                view! { <p class="muted">"No room is planned out of service."</p> }.into_any()
            } else {
                view! {
                    <ul class="stays" id="blocks">
                        {blocks.into_iter().map(|b| {
                            let id = b.id;
                            // A booking site's stay goes when the site's calendar drops it.
                            let imported = b.feed_id.is_some();
                            let text = if imported {
                                format!("Room {}: {} → {} · sold by a booking site ({})", b.room_number, b.from, b.to, b.reason)
                            } else {
                                format!("Room {}: {} → {} · {}", b.room_number, b.from, b.to, b.reason)
                            };
                            view! {
                                <li class="actions">
                                    <span>{text}</span>
                                    {(!imported).then(|| view! {
                                        <button class="secondary" on:click=move |_| { remove.dispatch(id); }>"Back in service"</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <div class="row">
                <div>
                    <label for="block-room">"Room"</label>
                    <input id="block-room" inputmode="numeric" prop:value=move || room.get() on:input=move |ev| room.set(event_target_value(&ev))/>
                </div>
                {date_field("block-from", "First night", from)}
                {date_field("block-to", "Back on", to)}
                <div>
                    <label for="block-reason">"Reason"</label>
                    <input id="block-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                </div>
            </div>
            <p>
                <button
                    id="block-add"
                    disabled=move || add.pending().get()
                    on:click=move |_| {
                        let Ok(room_number) = room.get_untracked().trim().parse() else {
                            outcome.set(Some(Err("Give the room's number.".into())));
                            return;
                        };
                        outcome.set(None);
                        add.dispatch(BlockInput {
                            room_number,
                            from: from.get_untracked(),
                            to: to.get_untracked(),
                            reason: reason.get_untracked(),
                        });
                    }
                >
                    "Take out of service"
                </button>
            </p>
        </section>
    }
}

/// Retired room types and rooms, each with a way back.
#[component]
fn Retired(types: Vec<RoomType>, rooms: Vec<Room>, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let task = Task::new();
    if types.is_empty() && rooms.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="card" aria-labelledby="retired-title" id="retired">
            <h2 id="retired-title">"Retired"</h2>
            <ul class="stays">
                {types.into_iter().map(|t| {
                    let id = t.id;
                    view! {
                        <li>{format!("Room type {}", t.name)}" "
                            <button class="secondary" aria-label=format!("Restore the room type {}", t.name)
                                disabled=move || task.running()
                                on:click=move |_| task.start(async move {
                                    report(ctx, outcome, api::restore_room_type(id).await, |t| format!("Restored room type {}.", t.name));
                                })>"Restore"</button>
                        </li>
                    }
                }).collect_view()}
                {rooms.into_iter().map(|r| {
                    let n = r.number;
                    view! {
                        <li>{format!("Room {n} ({})", r.room_type)}" "
                            <button class="secondary" aria-label=format!("Restore room {n}")
                                disabled=move || task.running()
                                on:click=move |_| task.start(async move {
                                    report(ctx, outcome, api::restore_room(n).await, |r| format!("Restored room {}.", r.number));
                                })>"Restore"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
