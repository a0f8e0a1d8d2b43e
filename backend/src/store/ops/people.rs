//! Making a person known to the hotel: the account that holds their bookings and the profile
//! the desk keeps of them, in one place for the sign-up, the desk and the command line.

use hotel_shared::AuditAction;
use hotel_shared::guests::GuestInput;
use jiff::Timestamp;
use serde::Serialize;

use super::{Actor, audit};
use crate::domain::DomainError;
use crate::domain::accounts::{Role, User};
use crate::domain::guests::phone_digits;
use crate::store::StoreResult;
use crate::store::sql::{Tx, params, query_opt};

/// An account as the audit log records it.
#[derive(Serialize)]
pub(super) struct AccountRecord<'a> {
    pub username: &'a str,
    pub role: &'a str,
}

/// The one place an account is made, whoever asks: a guest signing up (or booking under a
/// new name, as the original protocol allows), the desk booking for a walk-in, or
/// `hotel-server staff create`. An account made for someone else is a change by `actor` and
/// goes into the audit log; a guest's own sign-up (`actor` `None`) changes nothing of the
/// hotel's and is not logged. Fails with `UsernameTaken` when the name exists.
pub(crate) async fn create_account<T: Tx>(
    tx: &mut T,
    actor: Option<&Actor>,
    username: &str,
    password_hash: &str,
    role: Role,
) -> StoreResult<User> {
    let exists = query_opt(
        tx,
        "SELECT 1 AS found FROM users WHERE username = $1",
        params![username],
    )
    .await?;
    if exists.is_some() {
        return Err(DomainError::UsernameTaken.into());
    }
    // Two instances racing for one name: the loser's insert hits the unique key, PostgreSQL
    // runs this again, and the check above answers `UsernameTaken`.
    let id = tx
        .insert_id(
            "INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4)",
            params![username, password_hash, role.as_str(), Timestamp::now()],
        )
        .await?;
    if let Some(actor) = actor {
        audit(
            tx,
            actor,
            AuditAction::UserCreate,
            "user",
            id,
            None::<&AccountRecord>,
            Some(&AccountRecord {
                username,
                role: role.as_str(),
            }),
        )
        .await?;
    }
    Ok(User {
        id,
        username: username.to_string(),
        role,
    })
}

/// The account holding a profile's bookings carries its name too, so every booking read names
/// the guest without another join.
pub(super) async fn name_account<T: Tx>(
    tx: &mut T,
    user_id: i64,
    full_name: &str,
) -> StoreResult<()> {
    tx.execute(
        "UPDATE users SET full_name = $1 WHERE id = $2",
        params![full_name, user_id],
    )
    .await?;
    Ok(())
}

/// Writes a profile for the account `user_id`.
pub(super) async fn insert_profile<T: Tx>(
    tx: &mut T,
    user_id: i64,
    g: &GuestInput,
) -> StoreResult<i64> {
    let id = tx
        .insert_id(
            "INSERT INTO guest_profiles (user_id, full_name, email, phone, phone_digits, address, \
         nationality, id_document_type, id_document_number, notes, marketing_consent, created_at, \
         language) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            params![
                user_id,
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
                Timestamp::now().to_string(),
                g.language.as_str()
            ],
        )
        .await?;
    // The account speaks the profile's language: one person, one language.
    tx.execute(
        "UPDATE users SET language = $1 WHERE id = $2",
        params![g.language.as_str(), user_id],
    )
    .await?;
    Ok(id)
}
