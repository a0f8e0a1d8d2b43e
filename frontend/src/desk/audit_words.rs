//! An audit entry as a sentence a clerk reads: "desk moved booking K7M4QX2P (ann) from room 3
//! to room 9." The records before and after are the server's JSON; a field missing from an
//! old record leaves its words out rather than failing.

use hotel_shared::staff::AuditEntry;
use serde_json::Value;

fn record(json: &Option<String>) -> Value {
    json.as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or(Value::Null)
}

fn text(v: &Value, key: &str) -> String {
    match &v[key] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// "booking K7M4QX2P (ann, room 3, 2026-12-01 to 2026-12-04)".
fn stay(b: &Value, id: &str) -> String {
    let reference = text(b, "reference");
    let name = if reference.is_empty() {
        format!("booking {id}")
    } else {
        format!("booking {reference}")
    };
    format!(
        "{name} ({}, room {}, {} to {})",
        text(b, "guest"),
        text(b, "room_number"),
        text(b, "check_in"),
        text(b, "check_out")
    )
}

fn role_words(role: &str) -> &'static str {
    match role {
        "staff" => "staff",
        "housekeeper" => "a housekeeper",
        _ => "a guest",
    }
}

/// The entry in words, starting with who did it.
pub fn describe(e: &AuditEntry) -> String {
    let (before, after) = (record(&e.before), record(&e.after));
    let now = if after.is_null() { &before } else { &after };
    let who = &e.actor;
    let id = &e.entity_id;
    match e.action.as_str() {
        "booking.create" => format!("{who} booked {}.", stay(now, id)),
        "booking.check_in" => format!("{who} checked in {}.", stay(now, id)),
        "booking.check_in_room_not_clean" => format!(
            "{who} checked in {}, although the room was not clean yet.",
            stay(now, id)
        ),
        "booking.check_out" => {
            let planned = text(&before, "check_out");
            let left = text(&after, "check_out");
            let early = if !planned.is_empty() && planned != left {
                format!(", leaving on {left} instead of {planned}")
            } else {
                String::new()
            };
            format!("{who} checked out {}{early}.", stay(&before, id))
        }
        "booking.cancel" => format!("{who} cancelled {}.", stay(now, id)),
        "booking.move" | "booking.move_complimentary" => format!(
            "{who} moved {} from room {} to room {}{}.",
            stay(&before, id),
            text(&before, "room_number"),
            text(&after, "room_number"),
            if e.action.ends_with("complimentary") {
                ", an upgrade on the house"
            } else {
                ""
            }
        ),
        "room.housekeeping" => format!("{who} marked room {id} {}.", text(&after, "condition")),
        "room.create" => format!(
            "{who} added room {id} ({}, floor {}).",
            text(&after, "room_type"),
            text(&after, "floor")
        ),
        "room.update" => {
            let reason = text(&after, "out_of_service");
            let service = match (
                text(&before, "out_of_service").is_empty(),
                reason.is_empty(),
            ) {
                (true, false) => format!(", out of service: {reason}"),
                (false, true) => ", back in service".to_string(),
                _ => String::new(),
            };
            format!(
                "{who} changed room {id} ({}, floor {}{service}).",
                text(&after, "room_type"),
                text(&after, "floor")
            )
        }
        "room.retire" => format!("{who} retired room {id}."),
        "room_type.create" => format!("{who} added the room type {}.", text(&after, "name")),
        "room_type.update" => format!("{who} changed the room type {}.", text(&after, "name")),
        "room_type.retire" => format!("{who} retired the room type {}.", text(&before, "name")),
        "block.create" => format!(
            "{who} took room {} out of service from {} to {}: {}.",
            text(&after, "room_number"),
            text(&after, "from"),
            text(&after, "to"),
            text(&after, "reason")
        ),
        "block.remove" => format!(
            "{who} put room {} back in service for {} to {}.",
            text(&before, "room_number"),
            text(&before, "from"),
            text(&before, "to")
        ),
        "user.create" => format!(
            "{who} created the account {} ({}).",
            text(&after, "username"),
            role_words(&text(&after, "role"))
        ),
        "role.grant" | "role.grant_housekeeper" | "role.revoke" => format!(
            "{who} made {} {}.",
            text(&after, "username"),
            role_words(&text(&after, "role"))
        ),
        "user.password_change" => format!(
            "{} changed their password; {} other sessions were signed out.",
            text(&after, "username"),
            text(&after, "sessions_ended")
        ),
        "hotel.update" => format!("{who} changed the hotel's details."),
        "photo.add" => format!("{who} added a photo."),
        "photo.remove" => format!("{who} removed a photo."),
        other => format!(
            "{who}: {} {} {id}.",
            other.replace(['.', '_'], " "),
            e.entity
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, before: Option<&str>, after: Option<&str>) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: "2026-11-30T10:00:00Z".into(),
            actor: "anna".into(),
            action: action.into(),
            entity: "booking".into(),
            entity_id: "7".into(),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
        }
    }

    const STAY: &str = r#"{"reference":"K7M4QX2P","guest":"ann","room_number":3,"check_in":"2026-12-01","check_out":"2026-12-04"}"#;

    #[test]
    fn a_move_reads_as_a_sentence() {
        let moved = STAY.replace("\"room_number\":3", "\"room_number\":19");
        let e = entry("booking.move", Some(STAY), Some(&moved));
        assert_eq!(
            describe(&e),
            "anna moved booking K7M4QX2P (ann, room 3, 2026-12-01 to 2026-12-04) from room 3 to room 19."
        );
    }

    #[test]
    fn an_early_check_out_says_when_the_guest_left() {
        let left = STAY.replace("2026-12-04", "2026-12-02");
        let e = entry("booking.check_out", Some(STAY), Some(&left));
        assert!(
            describe(&e).ends_with("leaving on 2026-12-02 instead of 2026-12-04."),
            "{}",
            describe(&e)
        );
    }

    #[test]
    fn housekeeping_and_unknown_actions_still_read() {
        let mut e = entry(
            "room.housekeeping",
            Some(r#"{"condition":"dirty"}"#),
            Some(r#"{"condition":"clean"}"#),
        );
        e.entity = "room".into();
        e.entity_id = "12".into();
        assert_eq!(describe(&e), "anna marked room 12 clean.");
        let e = entry("booking.teleport", None, Some("not json"));
        assert_eq!(describe(&e), "anna: booking teleport booking 7.");
    }
}
