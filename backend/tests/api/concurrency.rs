//! Many guests at once: no room is ever held twice, and exactly the free rooms are sold.

use std::collections::HashSet;

use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_guests_racing_for_the_last_rooms_get_exactly_those_rooms() {
    let app = spawn_app_with(without_limits).await;
    app.book("early", 7).await.assert(
        200,
        "message",
        "Rooms booked successfully: [1, 2, 3, 4, 5, 6, 7]",
    );

    let (winners, losers) = race_for_rooms(&[&app], 50).await;
    assert_eq!(winners, vec![8, 9, 10]);
    assert_eq!(losers, 47);

    let held = app.db.held_room_nights().await;
    assert_eq!(held.len(), 10);
    let distinct: HashSet<_> = held.iter().collect();
    assert_eq!(
        distinct.len(),
        held.len(),
        "a room was held twice for a night"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_guest_double_submitting_is_not_double_booked_beyond_the_hotel() {
    let app = spawn_app_with(|c| c.rooms = 4).await;
    app.register("olly", PASSWORD).await;
    let attempts = (0..10).map(|_| {
        let client = app.client.clone();
        let url = app.url("/book");
        tokio::spawn(async move {
            client
                .post(url)
                .json(
                    &serde_json::json!({"username": "olly", "password": PASSWORD, "num_rooms": 3}),
                )
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    });
    let mut statuses = Vec::new();
    for a in attempts.collect::<Vec<_>>() {
        statuses.push(a.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        9,
        "{statuses:?}"
    );
    assert_eq!(app.db.held_room_nights().await.len(), 3);
}
