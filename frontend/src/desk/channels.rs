//! Calendar sync with the booking sites, on the rooms page: each room's calendar address to
//! give a booking site, and the sites' calendars each room reads, with how their last sync
//! went.

use hotel_shared::channels::Feed;
use hotel_shared::staff::Room;
use leptos::prelude::*;

use crate::api;
use crate::app::use_ctx;
use crate::widgets::{Outcome, report};

#[component]
pub fn BookingSites(rooms: Vec<Room>, feeds: Vec<Feed>, outcome: Outcome) -> impl IntoView {
    let ctx = use_ctx();
    let room = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let add = Action::new_local(move |(room, url): &(u32, String)| {
        let (room, url) = (*room, url.clone());
        async move {
            report(ctx, outcome, api::add_feed(room, url).await, |f| {
                format!(
                    "Room {} now reads that calendar; its first sync follows within a minute.",
                    f.room_number
                )
            });
        }
    });
    let sync = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            report(ctx, outcome, api::sync_feed(id).await, |s| {
                if s.sync.ok {
                    format!(
                        "Room {}'s calendar from the booking site is up to date: {}.",
                        s.feed.room_number, s.sync.detail
                    )
                } else {
                    format!(
                        "Room {}'s calendar could not be read: {}. Its earlier stays still block the room.",
                        s.feed.room_number, s.sync.detail
                    )
                }
            });
        }
    });
    let remove = Action::new_local(move |id: &i64| {
        let id = *id;
        async move {
            report(ctx, outcome, api::remove_feed(id).await, |f| {
                format!(
                    "Room {} no longer reads that calendar; the nights it held are free.",
                    f.room_number
                )
            });
        }
    });
    let renew = Action::new_local(move |number: &u32| {
        let number = *number;
        async move {
            report(ctx, outcome, api::new_room_address(number).await, |_| {
                format!(
                    "Room {number}'s calendar has a new address. Give it to every booking site that read the old one."
                )
            });
        }
    });
    // Without --public-url the addresses name the address the server listens on, which no
    // booking site can reach.
    let local = rooms
        .iter()
        .find_map(|r| r.ical_url.clone())
        .is_some_and(|url| {
            ["//127.", "//localhost", "//0.0.0.0", "//[::"]
                .iter()
                .any(|local| url.contains(local))
        });
    view! {
        <section class="card" aria-labelledby="sites-title">
            <h2 id="sites-title">"Booking sites"</h2>
            <p class="muted">"Give each booking site a room's calendar address, so it stops selling the nights the hotel has sold. Add the site's own calendar address to the room below, so the nights it sold are not sold here."</p>
            {local.then(|| view! {
                <p class="message error" id="calendar-local">"These addresses point at this machine, which booking sites cannot reach. Start the server with the hotel's public address (--public-url https://your-hotel.example) to give them addresses that work."</p>
            })}
            <table class="list" id="room-calendars">
                <thead><tr>
                    <th scope="col">"Room"</th><th scope="col">"Calendar address for booking sites"</th><th scope="col"></th>
                </tr></thead>
                <tbody>
                    {rooms.into_iter().filter(|r| !r.retired).map(|r| {
                        let number = r.number;
                        let id = format!("calendar-{number}");
                        view! {
                            <tr>
                                <th scope="row"><label for=id.clone()>{format!("Room {number}")}</label></th>
                                <td><input id=id readonly prop:value=r.ical_url.unwrap_or_default()/></td>
                                <td><button class="secondary" on:click=move |_| { renew.dispatch(number); }>
                                    {format!("New address for room {number}")}
                                </button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h3>"Calendars read from booking sites"</h3>
            {if feeds.is_empty() {
                view! { <p class="muted">"No room reads a booking site's calendar yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="stays" id="feeds">
                        {feeds.into_iter().map(|f| {
                            let id = f.id;
                            view! {
                                <li class="actions">
                                    <span>{describe(&f)}</span>
                                    <button class="secondary" on:click=move |_| { sync.dispatch(id); }>"Sync now"</button>
                                    <button class="secondary" on:click=move |_| { remove.dispatch(id); }>"Stop reading"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <div class="row">
                <div>
                    <label for="feed-room">"Room"</label>
                    <input id="feed-room" inputmode="numeric" prop:value=move || room.get() on:input=move |ev| room.set(event_target_value(&ev))/>
                </div>
                <div>
                    <label for="feed-url">"The booking site's calendar address"</label>
                    <input id="feed-url" type="url" prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev))/>
                </div>
            </div>
            <p>
                <button id="feed-add" disabled=move || add.pending().get()
                    on:click=move |_| {
                        let Ok(number) = room.get_untracked().trim().parse::<u32>() else {
                            outcome.set(Some(Err("Give the room's number.".into())));
                            return;
                        };
                        outcome.set(None);
                        add.dispatch((number, url.get_untracked().trim().to_string()));
                    }>
                    "Read this calendar"
                </button>
            </p>
        </section>
    }
}

/// A feed in a sentence: which room reads which site, and how its last sync went.
fn describe(f: &Feed) -> String {
    let site = f
        .url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or(&f.url);
    let stays = match f.blocks {
        0 => "no stays ahead".to_string(),
        1 => "1 stay ahead".to_string(),
        n => format!("{n} stays ahead"),
    };
    let state = match (f.status.as_str(), &f.error, &f.last_synced_at) {
        ("failed", Some(error), _) => {
            format!("the last sync failed ({error}); the stays of the one before still count")
        }
        (_, _, Some(at)) => format!("last synced {}", at.replace('T', " ").trim_end_matches('Z')),
        _ => "not synced yet".to_string(),
    };
    let clashes = match f.conflicts.len() {
        0 => String::new(),
        1 => ", 1 double booking".to_string(),
        n => format!(", {n} double bookings"),
    };
    format!(
        "Room {} reads {site}: {stays}, {state}{clashes}.",
        f.room_number
    )
}
