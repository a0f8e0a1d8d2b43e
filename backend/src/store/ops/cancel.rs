//! Calling stays off: what the terms they were booked on charge for it, previewed and then
//! charged on the bill in the same transaction.

use hotel_shared::rates::{CancellationPreview, FeeRule, Terms};
use hotel_shared::{AuditAction, MessageKind};
use hotel_shared::{Booking, BookingStatus};

use super::bookings::changed;
use super::folio::post_fee;
use super::mail::{Details, enqueue};
use super::{Actor, audit, booking_by_id};
use crate::domain::bookings::amounts;
use crate::domain::bookings::{CancelTime, fee_now};
use crate::domain::bookings::{Requester, may_cancel};
use crate::domain::rates::stay_terms;
use crate::store::StoreResult;
use crate::store::sql::{Op, Tx, params};

/// Calls a stay off and releases its nights, when `may_cancel` allows it; charges the fee the
/// booking's terms ask for at this moment. Answers the booking and the fee.
pub struct Cancel {
    pub actor: Actor,
    pub by: Requester,
    pub id: i64,
    pub at: CancelTime,
}

impl Op for Cancel {
    type Out = (Booking, i64);
    const WRITES: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<(Booking, i64)> {
        let found = booking_by_id(tx, self.id).await?;
        may_cancel(&found.booking, found.user_id, self.by, self.at.today)?;
        let (booking, fee) = cancel_one(tx, &self.actor, found.booking, &self.at).await?;
        let details = Details {
            fee: Some(fee),
            ..Details::default()
        };
        enqueue(
            tx,
            MessageKind::Cancellation,
            found.user_id,
            &[&booking],
            &details,
        )
        .await?;
        Ok((booking, fee))
    }
}

/// What cancelling a booking now would cost, for the guest who owns it or the desk.
pub struct CancellationQuote {
    pub by: Requester,
    pub id: i64,
    pub at: CancelTime,
}

impl Op for CancellationQuote {
    type Out = CancellationPreview;
    const WRITES: bool = false;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<CancellationPreview> {
        let found = booking_by_id(tx, self.id).await?;
        may_cancel(&found.booking, found.user_id, self.by, self.at.today)?;
        let b = &found.booking;
        let fee = fee_now(b, &self.at);
        let terms = b.terms.clone().unwrap_or(Terms {
            fee: FeeRule::Nothing,
            no_show_fee: FeeRule::Nothing,
            free_until_days: 0,
            free_until_time: "23:59".into(),
            refundable: true,
        });
        Ok(CancellationPreview {
            booking_id: b.id,
            fee,
            currency: b.currency.clone(),
            free: fee == 0,
            terms: stay_terms(
                &terms,
                &amounts(b),
                b.check_in,
                &self.at.tz,
                self.at.now,
                &b.currency,
            ),
        })
    }
}

/// Releases every night of `before`, marks it cancelled and charges its fee (the caller
/// checked it may be cancelled).
pub(super) async fn cancel_one<T: Tx>(
    tx: &mut T,
    actor: &Actor,
    before: Booking,
    at: &CancelTime,
) -> StoreResult<(Booking, i64)> {
    tx.release_nights(
        before.id,
        before.room_number,
        before.check_in,
        before.check_out,
    )
    .await?;
    tx.execute(
        "UPDATE bookings SET status = 'cancelled' WHERE id = $1",
        params![before.id],
    )
    .await?;
    let now = Booking {
        status: BookingStatus::Cancelled,
        ..before.clone()
    };
    let fee = fee_now(&before, at);
    let after = changed(tx, actor, AuditAction::BookingCancel, &before, now).await?;
    if fee > 0 && at.waive_fee {
        audit(
            tx,
            actor,
            AuditAction::BookingCancelFeeWaived,
            "booking",
            before.id,
            None::<&Booking>,
            Some(&serde_json::json!({ "fee": fee })),
        )
        .await?;
        return Ok((after, 0));
    }
    if fee > 0 {
        let plan = before.rate_plan.as_deref().unwrap_or("booked rate");
        post_fee(
            tx,
            actor,
            before.id,
            at.today,
            "cancellation",
            format!("Cancellation fee ({plan})"),
            fee,
        )
        .await?;
    }
    Ok((after, fee))
}
