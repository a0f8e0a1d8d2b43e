//! The router and the OpenAPI document come from the same declarations: every method of
//! every documented path is answered by an endpoint, every other method of those paths is a
//! 405, and every API path the clients know (`hotel_shared::paths`) is documented.

use hotel_shared::paths;
use reqwest::Method;

use crate::helpers::spawn_app;

const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::DELETE,
    Method::PATCH,
];

#[tokio::test]
async fn every_documented_route_is_served_and_no_other_method_is() {
    let app = spawn_app().await;
    let doc = app.get(paths::OPENAPI).await;
    let documented = doc.body["paths"].as_object().expect("paths").clone();
    assert!(documented.len() > 30, "only {} paths", documented.len());
    for (path, operations) in &documented {
        // Path parameters are ids; any number reaches the endpoint.
        let concrete = path.replace("{id}", "1").replace("{number}", "1");
        for method in METHODS {
            let reply = app.send(method.clone(), &concrete, None).await;
            let is_documented = operations.get(method.as_str().to_lowercase()).is_some();
            if is_documented {
                assert_ne!(
                    reply.status, 405,
                    "{method} {path} is documented, not routed"
                );
                assert_ne!(
                    reply.error(),
                    "Endpoint not found.",
                    "{method} {path} is documented, not routed"
                );
            } else {
                assert_eq!(
                    reply.status, 405,
                    "{method} {path} answers but is not documented: {:?}",
                    reply.body
                );
            }
        }
    }
}

#[tokio::test]
async fn every_path_the_clients_use_is_documented() {
    let app = spawn_app().await;
    let doc = app.get(paths::OPENAPI).await;
    let documented = doc.body["paths"].as_object().expect("paths");
    for path in [
        paths::ROOMS,
        paths::BOOK,
        paths::QUERY,
        paths::UPDATE,
        paths::CHECKOUT,
        paths::AVAILABILITY,
        paths::REGISTER,
        paths::LOGIN,
        paths::LOGOUT,
        paths::BOOKINGS,
        paths::OCCUPANCY,
        paths::ME,
        paths::HEALTHZ,
        paths::OPENAPI,
        paths::QUOTE,
        paths::CALENDAR_ICS,
        paths::staff::BOOKINGS,
        paths::staff::FRONT_DESK,
        paths::staff::ROOM_TYPES,
        paths::staff::ROOMS,
        paths::staff::BLOCKS,
        paths::staff::REPORT,
        paths::staff::AUDIT,
    ] {
        assert!(documented.contains_key(path), "{path} is not documented");
    }
    // The clients' path builders give documented paths too.
    for (built, template) in [
        (paths::staff::check_in(7), "/staff/bookings/{id}/check-in"),
        (paths::staff::check_out(7), "/staff/bookings/{id}/check-out"),
        (paths::staff::move_to(7), "/staff/bookings/{id}/move"),
        (paths::staff::cancel(7), "/staff/bookings/{id}/cancel"),
        (paths::staff::room_type(7), "/staff/room-types/{id}"),
        (paths::staff::room(7), "/staff/rooms/{number}"),
        (paths::staff::block(7), "/staff/blocks/{id}"),
    ] {
        assert_eq!(
            built,
            template.replace("{id}", "7").replace("{number}", "7")
        );
        assert!(
            documented.contains_key(template),
            "{template} is not documented"
        );
    }
    for page in paths::PAGES {
        assert!(
            !documented.contains_key(*page),
            "{page} is a page and an endpoint"
        );
    }
}
