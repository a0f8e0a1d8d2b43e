//! A guest's personal data: all of it in one document, erased on request, and identity
//! document numbers forgotten once the stays they were taken for are long over.

use hotel_shared::guests::Guest;
use hotel_shared::privacy::{ExportedAccount, GuestErased, GuestExport};
use hotel_shared::staff::AuditEntry;
use hotel_shared::{AuditAction, Booking, Date};
use jiff::Timestamp;

use super::folio::bill_of;
use super::guests::{GUEST_SELECT, guest_by_id, guest_from};
use super::hotel::HotelProfileRead;
use super::{Actor, audit, bookings_where};
use crate::domain::DomainError;
use crate::domain::accounts::{NO_PASSWORD, Role};
use crate::domain::privacy::{
    ERASED, Personal, StayState, erased_name, erased_username, may_erase, scrub_json, scrub_text,
};
use crate::store::StoreResult;
use crate::store::sql::{Op, Tx, Value, params, query_opt};

/// Everything about the guest of profile `guest_id`, for the desk; the export is audited.
pub struct ExportGuest {
    pub actor: Actor,
    pub guest_id: i64,
}

impl Op for ExportGuest {
    type Out = GuestExport;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<GuestExport> {
        let (_, user_id) = guest_by_id(tx, self.guest_id).await?;
        let export = export(tx, user_id).await?;
        audit(
            tx,
            &self.actor,
            AuditAction::GuestExport,
            "guest",
            self.guest_id,
            None::<&()>,
            Some(&serde_json::json!({"exported": true})),
        )
        .await?;
        Ok(export)
    }
}

/// Everything about the signed-in guest of account `user_id`, for themselves.
pub struct ExportAccount {
    pub user_id: i64,
}

impl Op for ExportAccount {
    type Out = GuestExport;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<GuestExport> {
        export(tx, self.user_id).await
    }
}

async fn export<T: Tx>(tx: &mut T, user_id: i64) -> StoreResult<GuestExport> {
    let account = query_opt(
        tx,
        "SELECT username, full_name, email, CAST(created_at AS TEXT) AS created_at, password_hash \
         FROM users WHERE id = $1",
        params![user_id],
    )
    .await?
    .ok_or_else(|| DomainError::UnknownUser(user_id.to_string()))?;
    let profile = profile_of(tx, user_id).await?;
    let bookings = stays_of(tx, user_id).await?;
    let mut bills = Vec::with_capacity(bookings.len());
    for b in &bookings {
        bills.push(bill_of(tx, b).await?);
    }
    let username = account.text("username")?;
    let audit = entries_about(tx, &username, user_id, profile.as_ref(), &bookings).await?;
    let (hotel, _) = HotelProfileRead.run(tx).await?;
    Ok(GuestExport {
        exported_at: Timestamp::now().to_string(),
        hotel: hotel.name,
        profile,
        account: ExportedAccount {
            username,
            full_name: account.opt_text("full_name")?,
            email: account.opt_text("email")?,
            created_at: account.text("created_at")?,
            has_password: account.text("password_hash")? != NO_PASSWORD,
        },
        bookings,
        bills,
        messages: super::messages::messages_to(tx, user_id).await?,
        audit,
    })
}

async fn profile_of<T: Tx>(tx: &mut T, user_id: i64) -> StoreResult<Option<Guest>> {
    query_opt(
        tx,
        &format!("{GUEST_SELECT} WHERE g.user_id = $1"),
        params![user_id],
    )
    .await?
    .map(|r| guest_from(&r))
    .transpose()
}

async fn stays_of<T: Tx>(tx: &mut T, user_id: i64) -> StoreResult<Vec<Booking>> {
    Ok(bookings_where(
        tx,
        "b.user_id = $1 ORDER BY b.check_in DESC, b.id DESC",
        params![user_id],
    )
    .await?
    .into_iter()
    .map(|b| b.booking)
    .collect())
}

/// Entries made by the guest, or about their account, profile or stays, oldest first.
async fn entries_about<T: Tx>(
    tx: &mut T,
    username: &str,
    user_id: i64,
    profile: Option<&Guest>,
    bookings: &[Booking],
) -> StoreResult<Vec<AuditEntry>> {
    let mut values: Vec<Value> = vec![username.into(), user_id.to_string().into()];
    let mut conditions = vec![
        "actor = $1".to_string(),
        "(entity = 'user' AND entity_id = $2)".to_string(),
    ];
    if let Some(p) = profile {
        values.push(p.id.to_string().into());
        conditions.push(format!(
            "(entity = 'guest' AND entity_id = ${})",
            values.len()
        ));
    }
    if !bookings.is_empty() {
        let mut places = Vec::with_capacity(bookings.len());
        for b in bookings {
            values.push(b.id.to_string().into());
            places.push(format!("${}", values.len()));
        }
        conditions.push(format!(
            "(entity = 'booking' AND entity_id IN ({}))",
            places.join(", ")
        ));
    }
    let sql = format!(
        "SELECT id, at, actor, action, entity, entity_id, before_json, after_json FROM audit_log \
         WHERE {} ORDER BY id",
        conditions.join(" OR ")
    );
    tx.query(&sql, values)
        .await?
        .iter()
        .map(super::audit::entry_from)
        .collect()
}

/// Takes a guest out of the hotel's data: the profile and the account keep a placeholder
/// name and nothing else (the account can no longer sign in, its sessions end), and their
/// name, contact and identity document are taken out of the audit log and the bills' text.
/// Stays, amounts and dates stay, so the books still add up; an issued invoice keeps the
/// name and address it was issued to, as the law asks. Refused while anything of theirs is
/// open.
pub struct EraseGuest {
    pub actor: Actor,
    pub guest_id: i64,
    pub today: Date,
}

/// What the erasure did, and the account and sessions it ended (for the server's caches).
pub struct Erasure {
    pub erased: GuestErased,
    pub user_id: i64,
    pub ended_sessions: Vec<[u8; 32]>,
}

impl Op for EraseGuest {
    type Out = Erasure;
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Erasure> {
        let (guest, user_id) = guest_by_id(tx, self.guest_id).await?;
        let account = query_opt(
            tx,
            "SELECT username, role, full_name, email FROM users WHERE id = $1",
            params![user_id],
        )
        .await?
        .ok_or(DomainError::GuestNotFound(self.guest_id))?;
        let username = account.text("username")?;
        if Role::parse(&account.text("role")?) != Role::Guest {
            return Err(DomainError::NotAGuest(username).into());
        }
        let bookings = stays_of(tx, user_id).await?;
        let mut balances = Vec::with_capacity(bookings.len());
        let mut invoiced = Vec::new();
        for b in &bookings {
            let bill = bill_of(tx, b).await?;
            balances.push((b.id, bill.balance));
            if let Some(invoice) = bill.invoice {
                invoiced.push((b.id, invoice.number));
            }
        }
        let states: Vec<StayState> = bookings.iter().map(StayState::from).collect();
        may_erase(&states, &balances, tx.currency(), self.today)?;

        // An invoice issued before invoices kept their recipient gets it now, from the data
        // about to go.
        let recipient = [guest.full_name.as_str(), guest.address.as_str()]
            .iter()
            .filter(|s| !s.trim().is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
        for (booking, _) in &invoiced {
            tx.execute(
                "UPDATE invoices SET recipient = $1 WHERE booking_id = $2 AND recipient IS NULL",
                params![&recipient, *booking],
            )
            .await?;
        }

        let new_name = erased_name(self.guest_id);
        let new_username = erased_username(user_id);
        let account_name = account.opt_text("full_name")?.unwrap_or_default();
        let account_email = account.opt_text("email")?.unwrap_or_default();
        let personal: Vec<Personal> = [
            (username.as_str(), new_username.as_str()),
            (guest.full_name.as_str(), ERASED),
            (guest.email.as_str(), ERASED),
            (guest.phone.as_str(), ERASED),
            (guest.address.as_str(), ERASED),
            (guest.id_document_number.as_str(), ERASED),
            (guest.notes.as_str(), ERASED),
            (account_name.as_str(), ERASED),
            (account_email.as_str(), ERASED),
        ]
        .into_iter()
        .filter_map(|(text, with)| Personal::new(text, with))
        .collect();

        tx.execute(
            "UPDATE guest_profiles SET full_name = $1, email = '', phone = '', phone_digits = '', \
             address = '', nationality = '', id_document_type = '', id_document_number = '', \
             notes = '', marketing_consent = $2 WHERE id = $3",
            params![&new_name, false, self.guest_id],
        )
        .await?;
        tx.execute(
            "UPDATE users SET username = $1, password_hash = $2, full_name = $3, email = NULL \
             WHERE id = $4",
            params![&new_username, NO_PASSWORD, &new_name, user_id],
        )
        .await?;
        let mut ended_sessions = Vec::new();
        for row in tx
            .query(
                "SELECT token_hash FROM sessions WHERE user_id = $1",
                params![user_id],
            )
            .await?
        {
            if let Ok(digest) = <[u8; 32]>::try_from(row.bytes("token_hash")?) {
                super::accounts::end_session(tx, &digest).await?;
                ended_sessions.push(digest);
            }
        }
        tx.execute(
            "DELETE FROM login_failures WHERE username = $1",
            params![&username],
        )
        .await?;
        // What the hotel wrote to them holds their name, address and stays, word for word.
        tx.execute("DELETE FROM messages WHERE user_id = $1", params![user_id])
            .await?;
        // Nor may a link mailed before open the account.
        tx.execute(
            "DELETE FROM password_resets WHERE user_id = $1",
            params![user_id],
        )
        .await?;
        // The address that was confirmed (it is erased with the rest).
        tx.execute(
            "DELETE FROM email_verifications WHERE user_id = $1",
            params![user_id],
        )
        .await?;
        tx.execute(
            "UPDATE users SET email_verified_at = NULL WHERE id = $1",
            params![user_id],
        )
        .await?;
        for b in &bookings {
            scrub_postings(tx, b.id, &personal).await?;
        }
        scrub_audit_log(tx, Some((&username, &new_username)), &personal).await?;

        let invoices_kept: Vec<String> = invoiced.into_iter().map(|(_, n)| n).collect();
        audit(
            tx,
            &self.actor,
            AuditAction::GuestErase,
            "guest",
            self.guest_id,
            None::<&()>,
            Some(&serde_json::json!({"erased": true, "invoices_kept": &invoices_kept})),
        )
        .await?;
        let (guest, _) = guest_by_id(tx, self.guest_id).await?;
        let message = if invoices_kept.is_empty() {
            format!(
                "Erased guest {}: nothing of their personal data is kept.",
                self.guest_id
            )
        } else {
            format!(
                "Erased guest {}. Invoice{} {} keep{} the name and address {} issued to, as the \
                 law requires; nothing else of their personal data is kept.",
                self.guest_id,
                if invoices_kept.len() == 1 { "" } else { "s" },
                invoices_kept.join(", "),
                if invoices_kept.len() == 1 { "s" } else { "" },
                if invoices_kept.len() == 1 {
                    "it was"
                } else {
                    "they were"
                },
            )
        };
        Ok(Erasure {
            erased: GuestErased {
                message,
                guest,
                invoices_kept,
            },
            user_id,
            ended_sessions,
        })
    }
}

/// The bill lines of `booking` with the guest's data taken out of their text.
async fn scrub_postings<T: Tx>(tx: &mut T, booking: i64, personal: &[Personal]) -> StoreResult<()> {
    for row in tx
        .query(
            "SELECT id, description FROM postings WHERE booking_id = $1",
            params![booking],
        )
        .await?
    {
        let description = row.text("description")?;
        let scrubbed = scrub_text(&description, personal);
        if scrubbed != description {
            tx.execute(
                "UPDATE postings SET description = $1 WHERE id = $2",
                params![&scrubbed, row.int("id")?],
            )
            .await?;
        }
    }
    Ok(())
}

/// Rewrites every audit entry holding a piece of `personal`, or made by the first of
/// `renamed` (which becomes the second), with it taken out. The log refuses changes but while
/// `audit_erasures` has a row, which this transaction alone ever sees.
async fn scrub_audit_log<T: Tx>(
    tx: &mut T,
    renamed: Option<(&str, &str)>,
    personal: &[Personal],
) -> StoreResult<()> {
    let mut values: Vec<Value> = Vec::new();
    let mut conditions = Vec::new();
    if let Some((old, _)) = renamed {
        values.push(old.into());
        conditions.push("actor = $1".to_string());
    }
    for p in personal {
        values.push(format!("%{}%", p.needle()).into());
        let n = values.len();
        conditions.push(format!(
            "LOWER(COALESCE(before_json, '')) LIKE ${n} OR LOWER(COALESCE(after_json, '')) LIKE ${n}"
        ));
    }
    if conditions.is_empty() {
        return Ok(());
    }
    let rows = tx
        .query(
            &format!(
                "SELECT id, actor, before_json, after_json FROM audit_log WHERE {}",
                conditions.join(" OR ")
            ),
            values,
        )
        .await?;
    if rows.is_empty() {
        return Ok(());
    }
    tx.execute("INSERT INTO audit_erasures (id) VALUES (1)", params![])
        .await?;
    for row in &rows {
        let actor = match (row.text("actor")?, renamed) {
            (actor, Some((old, new))) if actor == old => new.to_string(),
            (actor, _) => actor,
        };
        let before = row
            .opt_text("before_json")?
            .map(|j| scrub_json(&j, personal));
        let after = row
            .opt_text("after_json")?
            .map(|j| scrub_json(&j, personal));
        tx.execute(
            "UPDATE audit_log SET actor = $1, before_json = $2, after_json = $3 WHERE id = $4",
            params![&actor, before, after, row.int("id")?],
        )
        .await?;
    }
    tx.execute("DELETE FROM audit_erasures", params![]).await?;
    Ok(())
}

/// Clears the identity document numbers of guests whose last stay ended before `cutoff`
/// (and who have none open), in their profiles and in the audit log. Each profile cleared is
/// audited, without the number.
pub struct ForgetIdDocuments {
    pub actor: Actor,
    pub cutoff: Date,
    pub kept_days: u32,
}

impl Op for ForgetIdDocuments {
    type Out = usize;
    const WRITES: bool = true;
    const CHANGES_ANSWERS: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<usize> {
        let due = tx
            .query(
                "SELECT g.id, g.id_document_number FROM guest_profiles g \
                 WHERE g.id_document_number <> '' AND g.created_at < $2 \
                 AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = g.user_id \
                   AND (b.status = 'booked' OR (b.status <> 'cancelled' AND b.check_out >= $1)))",
                params![self.cutoff, self.cutoff.to_string()],
            )
            .await?;
        for row in &due {
            let id = row.int("id")?;
            let number = row.text("id_document_number")?;
            tx.execute(
                "UPDATE guest_profiles SET id_document_number = '' WHERE id = $1",
                params![id],
            )
            .await?;
            if let Some(p) = Personal::new(&number, ERASED) {
                scrub_audit_log(tx, None, &[p]).await?;
            }
            audit(
                tx,
                &self.actor,
                AuditAction::GuestIdDocumentForgotten,
                "guest",
                id,
                None::<&()>,
                Some(&serde_json::json!({"id_document_number": "cleared", "after_days": self.kept_days})),
            )
            .await?;
        }
        Ok(due.len())
    }
}
