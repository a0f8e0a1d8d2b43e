//! The booking a message's preview is written for (the desk's *Letters* page): the one named,
//! else the newest, as the mail worker would read it.

use hotel_shared::{Language, MessageKind};

use super::bookings_where;
use super::hotel::hotel_details;
use super::mail::{Details, ToWrite};
use crate::domain::DomainError;
use crate::store::StoreResult;
use crate::store::sql::{Op, Tx, params, query_opt};

/// A booking to preview a message on: the one with `reference`, else the newest; with the
/// hotel's details. `None` when the hotel has no booking yet.
pub struct PreviewBooking {
    pub kind: MessageKind,
    pub language: Language,
    pub reference: Option<String>,
}

impl Op for PreviewBooking {
    type Out = (hotel_shared::staff::HotelDetails, ToWrite);
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<Self::Out> {
        let reference = match &self.reference {
            Some(reference) => reference.clone(),
            None => query_opt(
                tx,
                "SELECT reference FROM bookings ORDER BY id DESC LIMIT 1",
                params![],
            )
            .await?
            .map(|row| row.text("reference"))
            .transpose()?
            .ok_or(DomainError::NoBookingToPreview)?,
        };
        let stored = bookings_where(
            tx,
            "b.reference = $1 ORDER BY b.room, b.id",
            params![&reference],
        )
        .await?;
        let Some(first) = stored.first() else {
            return Err(DomainError::NoBookingToPreview.into());
        };
        let user_id = first.user_id;
        let guest = query_opt(
            tx,
            "SELECT COALESCE(NULLIF(p.email, ''), u.email, '') AS email, \
             COALESCE(NULLIF(p.full_name, ''), u.full_name, u.username) AS name \
             FROM users u LEFT JOIN guest_profiles p ON p.user_id = u.id WHERE u.id = $1",
            params![user_id],
        )
        .await?;
        let (to, name) = match guest {
            Some(row) => (row.text("email")?, row.text("name")?),
            None => (String::new(), String::new()),
        };
        let rooms: Vec<_> = stored.into_iter().map(|s| s.booking).collect();
        let details = Details {
            fee: None,
            token: (self.kind == MessageKind::PasswordReset).then(|| "preview".to_string()),
            invoice_id: None,
        };
        let invoice = match (self.kind, rooms.first()) {
            (MessageKind::Invoice, Some(b)) => super::invoices::invoice_document(tx, b.id).await?,
            _ => None,
        };
        let message = ToWrite {
            id: 0,
            invoice,
            city_tax: super::taxes::city_tax_rule(tx).await?,
            kind: self.kind,
            to,
            name,
            language: self.language,
            reference,
            rooms,
            details,
        };
        Ok((hotel_details(tx).await?, message))
    }
}
