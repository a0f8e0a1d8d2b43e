//! Guest profiles: the desk's record of who stays, each holding its bookings through an
//! account (the guest's own, or one without a password made here).

use hotel_shared::AuditAction;
use hotel_shared::Booking;
use hotel_shared::guests::{Guest, GuestInput, GuestRecord};

use super::people::{create_account, insert_profile, name_account};
use super::{Actor, audit, bookings_where};
use crate::domain::DomainError;
use crate::domain::accounts::{NO_PASSWORD, Role};
use crate::domain::guests::{desk_username, name_key, phone_digits};
use crate::domain::privacy::for_audit;
use crate::store::StoreResult;
use crate::store::sql::{Op, SqlRow, Tx, Value, params, query_opt};

pub(crate) const GUEST_SELECT: &str = "SELECT g.id, g.full_name, g.email, g.phone, g.address, \
     g.nationality, g.id_document_type, g.id_document_number, g.notes, g.marketing_consent, \
     g.language, g.user_id, u.username FROM guest_profiles g JOIN users u ON u.id = g.user_id";

pub(crate) fn guest_from(r: &SqlRow) -> StoreResult<Guest> {
    Ok(Guest {
        id: r.int("id")?,
        full_name: r.text("full_name")?,
        email: r.text("email")?,
        phone: r.text("phone")?,
        address: r.text("address")?,
        nationality: r.text("nationality")?,
        id_document_type: r.text("id_document_type")?,
        id_document_number: r.text("id_document_number")?,
        notes: r.text("notes")?,
        marketing_consent: r.bool("marketing_consent")?,
        language: hotel_shared::Language::parse(&r.text("language")?).unwrap_or_default(),
        username: r.text("username")?,
    })
}

/// A profile and the id of the account holding its bookings.
pub(crate) async fn guest_by_id<T: Tx>(tx: &mut T, id: i64) -> StoreResult<(Guest, i64)> {
    let row = query_opt(tx, &format!("{GUEST_SELECT} WHERE g.id = $1"), params![id])
        .await?
        .ok_or(DomainError::GuestNotFound(id))?;
    Ok((guest_from(&row)?, row.int("user_id")?))
}

/// Profiles by name, narrowed by `q` (part of the name or e-mail address, or of the
/// telephone's digits), after the key of the last one shown.
pub struct SearchGuests {
    pub q: Option<String>,
    pub after: Option<(String, i64)>,
    pub limit: u32,
}

impl Op for SearchGuests {
    type Out = Vec<Guest>;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Vec<Guest>> {
        let mut conditions: Vec<String> = vec!["1 = 1".into()];
        let mut values: Vec<Value> = Vec::new();
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let pattern = format!("%{}%", name_key(q).replace(['%', '_', '\\'], ""));
            values.push(pattern.into());
            let digits = phone_digits(q);
            let by_phone = if digits.len() >= 3 {
                values.push(format!("%{digits}%").into());
                format!(" OR g.phone_digits LIKE ${}", values.len())
            } else {
                String::new()
            };
            conditions.push(format!(
                "(LOWER(g.full_name) LIKE $1 OR LOWER(g.email) LIKE $1{by_phone})"
            ));
        }
        if let Some((name, id)) = &self.after {
            values.push(name.clone().into());
            values.push((*id).into());
            let (n, i) = (values.len() - 1, values.len());
            conditions.push(format!(
                "(LOWER(g.full_name) > ${n} OR (LOWER(g.full_name) = ${n} AND g.id > ${i}))"
            ));
        }
        let sql = format!(
            "{GUEST_SELECT} WHERE {} ORDER BY LOWER(g.full_name), g.id LIMIT {}",
            conditions.join(" AND "),
            self.limit.max(1)
        );
        tx.query(&sql, values)
            .await?
            .iter()
            .map(guest_from)
            .collect()
    }
}

/// Profiles that are likely the same person as `input`: the same e-mail address, telephone
/// number or name.
async fn look_alikes<T: Tx>(tx: &mut T, input: &GuestInput) -> StoreResult<Vec<Guest>> {
    let email = input.email.to_lowercase();
    let phone = phone_digits(&input.phone);
    tx.query(
        &format!(
            "{GUEST_SELECT} WHERE ($1 <> '' AND LOWER(g.email) = $1) \
             OR ($2 <> '' AND g.phone_digits = $2) OR LOWER(g.full_name) = $3 \
             ORDER BY g.id LIMIT 5"
        ),
        params![email, phone, name_key(&input.full_name)],
    )
    .await?
    .iter()
    .map(guest_from)
    .collect()
}

/// A new profile, and the account without a password that will hold its bookings. Refused
/// (`possible_duplicate`) when a profile looks like the same person, unless `allow_duplicate`.
pub struct AddGuest {
    pub actor: Actor,
    pub input: GuestInput,
    /// Random letters that make the new account's username unique.
    pub tail: String,
}

impl Op for AddGuest {
    type Out = Guest;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Guest> {
        add_guest(tx, &self.actor, &self.input, &self.tail).await
    }
}

/// See `AddGuest`; also the first step of a desk booking for a new guest.
pub(super) async fn add_guest<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    input: &GuestInput,
    tail: &str,
) -> StoreResult<Guest> {
    if !input.allow_duplicate {
        let alike = look_alikes(tx, input).await?;
        if !alike.is_empty() {
            return Err(DomainError::PossibleDuplicate(
                alike
                    .iter()
                    .map(|g| {
                        let contact = [g.email.as_str(), g.phone.as_str()]
                            .into_iter()
                            .filter(|c| !c.is_empty())
                            .collect::<Vec<_>>()
                            .join(", ");
                        if contact.is_empty() {
                            format!("{} (guest {})", g.full_name, g.id)
                        } else {
                            format!("{} ({contact}; guest {})", g.full_name, g.id)
                        }
                    })
                    .collect(),
            )
            .into());
        }
    }
    let username = desk_username(&input.full_name, tail);
    let user = create_account(tx, Some(actor), &username, NO_PASSWORD, Role::Guest).await?;
    let id = insert_profile(tx, user.id, input).await?;
    name_account(tx, user.id, &input.full_name).await?;
    let (guest, _) = guest_by_id(tx, id).await?;
    audit(
        tx,
        actor,
        AuditAction::GuestCreate,
        "guest",
        id,
        None::<&Guest>,
        Some(&for_audit(&guest)),
    )
    .await?;
    Ok(guest)
}

/// Changes a profile (written to the audit log with what it was).
pub struct UpdateGuest {
    pub actor: Actor,
    pub id: i64,
    pub input: GuestInput,
}

impl Op for UpdateGuest {
    type Out = Guest;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Guest> {
        let (before, _) = guest_by_id(tx, self.id).await?;
        let g = &self.input;
        tx.execute(
            "UPDATE guest_profiles SET full_name = $1, email = $2, phone = $3, phone_digits = $4, \
             address = $5, nationality = $6, id_document_type = $7, id_document_number = $8, \
             notes = $9, marketing_consent = $10, language = $12 WHERE id = $11",
            params![
                &g.full_name,
                &g.email,
                &g.phone,
                phone_digits(&g.phone),
                &g.address,
                &g.nationality,
                &g.id_document_type,
                &g.id_document_number,
                &g.notes,
                g.marketing_consent,
                self.id,
                g.language.as_str()
            ],
        )
        .await?;
        let (after, user_id) = guest_by_id(tx, self.id).await?;
        name_account(tx, user_id, &after.full_name).await?;
        tx.execute(
            "UPDATE users SET language = $1 WHERE id = $2",
            params![g.language.as_str(), user_id],
        )
        .await?;
        audit(
            tx,
            &self.actor,
            AuditAction::GuestUpdate,
            "guest",
            self.id,
            Some(&for_audit(&before)),
            Some(&for_audit(&after)),
        )
        .await?;
        Ok(after)
    }
}

/// A profile with its latest stays.
pub struct GuestHistory {
    pub id: i64,
}

impl Op for GuestHistory {
    type Out = GuestRecord;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<GuestRecord> {
        let (guest, user_id) = guest_by_id(tx, self.id).await?;
        let stays: Vec<Booking> = bookings_where(
            tx,
            "b.user_id = $1 ORDER BY b.check_in DESC, b.id DESC LIMIT 100",
            params![user_id],
        )
        .await?
        .into_iter()
        .map(|b| b.booking)
        .collect();
        Ok(GuestRecord { guest, stays })
    }
}
