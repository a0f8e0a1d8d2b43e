//! An audit entry as a sentence a clerk reads: "desk moved booking K7M4QX2P (ann) from room 3
//! to room 9." The records before and after are the server's JSON; a field missing from an
//! old record leaves its words out rather than failing.

use hotel_shared::AuditAction as A;
use hotel_shared::Role;
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

/// A tax rate's percents in words: "7 % from 2020-01-01, 19 % from 2027-01-01".
fn percent_list(rate: &Value) -> String {
    match &rate["percents"] {
        Value::Array(percents) => percents
            .iter()
            .map(|p| format!("{} % from {}", text(p, "percent"), text(p, "valid_from")))
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

/// A key's scopes in words: "read, bookings".
fn scope_list(key: &Value) -> String {
    match &key["scopes"] {
        Value::Array(words) => words
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

fn role_words(role: &str) -> &'static str {
    match Role::parse(role).or_guest() {
        Role::Staff => "staff",
        Role::Housekeeper => "a housekeeper",
        Role::Guest | Role::Unknown => "a guest",
    }
}

/// The entry in words, starting with who did it. Every action the server writes has its own
/// sentence: the match has no catch-all but for a newer server's actions.
pub fn describe(e: &AuditEntry) -> String {
    let (before, after) = (record(&e.before), record(&e.after));
    let now = if after.is_null() { &before } else { &after };
    let who = &e.actor;
    let id = &e.entity_id;
    match e.action {
        A::BookingCreate => format!("{who} booked {}.", stay(now, id)),
        A::BookingCreateDespiteRestriction => format!(
            "{who} booked {}, although the rates calendar did not allow that stay.",
            stay(now, id)
        ),
        A::BookingCheckIn => format!("{who} checked in {}.", stay(now, id)),
        A::BookingCheckInRoomOccupied => format!(
            "{who} checked in {}, although a guest due out of the room had not checked out.",
            stay(now, id)
        ),
        A::BookingCheckInRoomNotClean => format!(
            "{who} checked in {}, although the room was not clean yet.",
            stay(now, id)
        ),
        A::BookingCheckOut => {
            let planned = text(&before, "check_out");
            let left = text(&after, "check_out");
            let early = if !planned.is_empty() && planned != left {
                format!(", leaving on {left} instead of {planned}")
            } else {
                String::new()
            };
            format!("{who} checked out {}{early}.", stay(&before, id))
        }
        A::BookingCancel => format!("{who} cancelled {}.", stay(now, id)),
        A::BookingMove | A::BookingMoveComplimentary => format!(
            "{who} moved {} from room {} to room {}{}.",
            stay(&before, id),
            text(&before, "room_number"),
            text(&after, "room_number"),
            if e.action == A::BookingMoveComplimentary {
                ", an upgrade on the house"
            } else {
                ""
            }
        ),
        A::BookingChange | A::BookingChangeDespiteRestriction => format!(
            "{who} changed {} to room {}, {} to {}, {} guests{}.",
            stay(&before, id),
            text(&after, "room_number"),
            text(&after, "check_in"),
            text(&after, "check_out"),
            text(&after, "guests"),
            if e.action == A::BookingChangeDespiteRestriction {
                ", although the rates calendar did not allow that stay"
            } else {
                ""
            }
        ),
        A::RoomHousekeeping => format!("{who} marked room {id} {}.", text(&after, "condition")),
        A::RoomCreate => format!(
            "{who} added room {id} ({}, floor {}).",
            text(&after, "room_type"),
            text(&after, "floor")
        ),
        A::RoomUpdate => {
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
        A::RoomRetire => format!("{who} retired room {id}."),
        A::RoomTypeCreate => format!("{who} added the room type {}.", text(&after, "name")),
        A::RoomTypeUpdate => format!("{who} changed the room type {}.", text(&after, "name")),
        A::RoomTypeRetire => format!("{who} retired the room type {}.", text(&before, "name")),
        A::BlockCreate => format!(
            "{who} took room {} out of service from {} to {}: {}.",
            text(&after, "room_number"),
            text(&after, "from"),
            text(&after, "to"),
            text(&after, "reason")
        ),
        A::BlockRemove => format!(
            "{who} put room {} back in service for {} to {}.",
            text(&before, "room_number"),
            text(&before, "from"),
            text(&before, "to")
        ),
        A::IcalFeedAdd => format!(
            "{who} had room {} read the booking site calendar {}.",
            text(&after, "room_number"),
            text(&after, "url")
        ),
        A::IcalFeedRemove => format!(
            "{who} stopped room {} reading the calendar {}; its stays no longer block the room.",
            text(&before, "room_number"),
            text(&before, "url")
        ),
        A::IcalSync => format!(
            "{who} synced room {}'s calendar from a booking site: {} stays added, {} moved, {} removed.",
            text(&after, "room_number"),
            text(&after, "added"),
            text(&after, "changed"),
            text(&after, "removed")
        ),
        A::IcalConflict => format!(
            "{who} found room {} sold twice from {} to {}, by a booking site and as booking {}: move one of them.",
            text(&after, "room_number"),
            text(&after, "from"),
            text(&after, "to"),
            text(&after, "reference")
        ),
        A::IcalAddressReplace => format!(
            "{who} gave the calendar of {} a new address; the old one no longer works.",
            id.replace('/', " ")
        ),
        A::WebhookCreate => format!(
            "{who} had the hotel's events sent to {}.",
            text(&after, "url")
        ),
        A::WebhookRemove => format!(
            "{who} stopped sending the hotel's events to {}.",
            text(&before, "url")
        ),
        A::WebhookResume => format!(
            "{who} set sending the hotel's events to {} going again.",
            text(&after, "url")
        ),
        A::ApiKeyCreate => format!(
            "{who} made the API key {} ({}).",
            text(&after, "name"),
            scope_list(&after)
        ),
        A::ApiKeyRevoke => format!("{who} revoked the API key {}.", text(&before, "name")),
        A::TaxRateCreate => format!(
            "{who} added the tax rate {} ({} %).",
            text(&after, "name"),
            text(&after, "percent")
        ),
        A::TaxRateChange => format!(
            "{who} changed the tax rate {}: {}.",
            text(&after, "name"),
            percent_list(&after)
        ),
        A::CityTaxChange => match after.get("kind").and_then(|k| k.as_str()) {
            None => format!("{who} stopped collecting a city tax."),
            Some("percent") => format!(
                "{who} set the city tax to {} % of the room price.",
                text(&after, "percent")
            ),
            Some(_) => format!(
                "{who} set the city tax to {:.2} per guest and night.",
                after["amount"].as_f64().unwrap_or_default() / 100.0
            ),
        },
        A::PriceBasisChange => match text(&after, "basis").as_str() {
            "net" => format!("{who} set prices to be entered before VAT."),
            _ => format!("{who} set prices to be entered as guests pay them, VAT included."),
        },
        A::UserCreate => format!(
            "{who} created the account {} ({}).",
            text(&after, "username"),
            role_words(&text(&after, "role"))
        ),
        A::RoleGrant | A::RoleGrantHousekeeper | A::RoleRevoke => format!(
            "{who} made {} {}.",
            text(&after, "username"),
            role_words(&text(&after, "role"))
        ),
        A::UserPasswordChange => format!(
            "{} changed their password; {} other sessions were signed out.",
            text(&after, "username"),
            text(&after, "sessions_ended")
        ),
        A::HotelUpdate => format!("{who} changed the hotel's details."),
        A::HotelTimezone => format!(
            "{who} moved the hotel's days from the time zone {} to {}.",
            text(&before, "timezone"),
            text(&after, "timezone")
        ),
        A::PhotoAdd => format!("{who} added a photo."),
        A::PhotoRemove => format!("{who} removed a photo."),
        A::BookingCancelFeeWaived => format!("{who} waived the cancellation fee of booking {id}."),
        A::BookingNoShow => format!("{who} marked {} as a no-show.", stay(now, id)),
        A::RoomRestore => format!("{who} put room {id} back in the hotel."),
        A::RoomTypeRestore => {
            format!(
                "{who} offered the room type {} again.",
                text(&after, "name")
            )
        }
        A::RatePlanCreate => format!("{who} added the rate {}.", text(&after, "name")),
        A::RatePlanUpdate => format!("{who} changed the rate {}.", text(&after, "name")),
        A::RatePlanRetire => format!("{who} retired the rate {}.", text(&before, "name")),
        A::RateCalendarSet => format!(
            "{who} changed prices or restrictions of room type {id} from {} to {}.",
            text(&after, "from"),
            text(&after, "to")
        ),
        A::ExtraCreate => format!("{who} added the extra {}.", text(&after, "name")),
        A::ExtraUpdate => format!("{who} changed the extra {}.", text(&after, "name")),
        A::ExtraRetire => format!("{who} took the extra {} off the list.", text(now, "name")),
        A::ExtraRestore => format!("{who} offered the extra {} again.", text(now, "name")),
        A::FolioRoom | A::FolioCharge | A::FolioFee => format!(
            "{who} charged {} to booking {id}.",
            text(&after, "description")
        ),
        A::FolioDiscount => format!(
            "{who} gave a discount on booking {id}: {}.",
            text(&after, "description")
        ),
        A::FolioPayment => format!("{who} took a payment for booking {id}."),
        A::FolioRefund => format!("{who} refunded money of booking {id}."),
        A::FolioNote => format!(
            "{who} noted on the bill of booking {id}: {}.",
            text(&after, "description")
        ),
        A::InvoiceIssue => format!(
            "{who} issued invoice {} for booking {id}.",
            text(&after, "number")
        ),
        A::InvoiceCancel => format!(
            "{who} cancelled invoice {} of booking {id} with cancellation invoice {}.",
            text(&before, "number"),
            text(&after, "number")
        ),
        A::GuestCreate => format!("{who} added the guest {}.", text(&after, "full_name")),
        A::GuestUpdate => format!(
            "{who} changed the details of guest {}.",
            text(&after, "full_name")
        ),
        A::UserLanguage => format!(
            "{who} chose {} for the hotel's messages.",
            match text(&after, "language").as_str() {
                "de" => "German",
                _ => "English",
            }
        ),
        A::UserEmailVerified => format!(
            "{who} confirmed the e-mail address {} through the link mailed to it.",
            text(&after, "email")
        ),
        A::UserPasswordReset => format!(
            "{who} set a new password through a link mailed to them; every sign-in of the account ended."
        ),
        A::MessageSendAgain => format!(
            "{who} sent the {} to {} again.",
            match text(&after, "kind").as_str() {
                "change" => "change notice",
                "password_reset" => "password-reset link",
                "reminder" => "reminder before arrival",
                "cancellation" => "cancellation notice",
                "invoice" => "invoice",
                "email_verification" => "link to confirm the e-mail address",
                _ => "booking confirmation",
            },
            text(&after, "to")
        ),
        A::MessageTemplateUpdate => format!(
            "{who} rewrote the {} ({}).",
            letter_name(id),
            letter_language(id)
        ),
        A::MessageTemplateReset => format!(
            "{who} set the {} ({}) back to the standard text.",
            letter_name(id),
            letter_language(id)
        ),
        A::GuestExport => format!("{who} downloaded everything the hotel keeps about guest {id}."),
        A::GuestErase => {
            let kept = record(&e.after)["invoices_kept"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|n| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            if kept.is_empty() {
                format!("{who} erased the personal data of guest {id} at their request.")
            } else {
                format!(
                    "{who} erased the personal data of guest {id} at their request; invoice {kept} keeps the name it was issued to."
                )
            }
        }
        A::GuestIdDocumentForgotten => format!(
            "{who} cleared the identity document number of guest {id}, no longer needed after their stay."
        ),
        A::Unknown => format!("{who} changed {} {id}.", e.entity.replace('_', " ")),
    }
}

/// The kind of message a template id (`confirmation.de`) is for, in words.
fn letter_name(id: &str) -> &'static str {
    match id.split('.').next().unwrap_or_default() {
        "change" => "change notice",
        "cancellation" => "cancellation notice",
        "password_reset" => "password-reset message",
        "reminder" => "reminder before arrival",
        "invoice" => "invoice message",
        "email_verification" => "message confirming an e-mail address",
        _ => "booking confirmation",
    }
}

/// The language of a template id, in words.
fn letter_language(id: &str) -> &'static str {
    if id.ends_with(".de") {
        "German"
    } else {
        "English"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, before: Option<&str>, after: Option<&str>) -> AuditEntry {
        let action = A::parse(action);
        AuditEntry {
            id: 1,
            at: "2026-11-30T10:00:00Z".into(),
            actor: "anna".into(),
            action,
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
        assert_eq!(describe(&e), "anna changed booking 7.");
    }

    /// Every action the server writes reads as its own sentence, not the words for an action
    /// this build does not know.
    #[test]
    fn every_action_has_a_sentence() {
        let unknown = describe(&entry("no.such_action", Some(STAY), Some(STAY)));
        let mut seen = std::collections::HashSet::new();
        for action in A::ALL {
            let sentence = describe(&entry(action.as_str(), Some(STAY), Some(STAY)));
            assert_ne!(sentence, unknown, "{action} has no sentence");
            assert!(
                sentence.starts_with("anna ") || sentence.contains(" changed their password"),
                "{action}: {sentence}"
            );
            seen.insert(sentence);
        }
        assert!(
            seen.len() > A::ALL.len() / 2,
            "actions share too few sentences"
        );
    }
}
