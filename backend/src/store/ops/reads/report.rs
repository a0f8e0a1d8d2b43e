//! The raw material of the back office's report.

use hotel_shared::staff::{BillFigures, RoomTypeFigures};

use hotel_shared::Date;

use crate::domain::report::ReportFacts;
use crate::store::StoreResult;
use crate::store::sql::{Op, Tx, params};

/// The raw material of a report for nights `from..to`.
pub struct ReportData {
    pub from: Date,
    pub to: Date,
}

impl Op for ReportData {
    type Out = ReportFacts;
    const WRITES: bool = false;
    const LARGE: bool = true;

    async fn run<T: Tx>(&self, tx: &mut T) -> StoreResult<ReportFacts> {
        let rooms_in_service = match tx
            .query(
                "SELECT COUNT(*) AS rooms FROM rooms WHERE NOT retired AND out_of_service IS NULL",
                params![],
            )
            .await?
            .first()
        {
            Some(r) => r.u32("rooms")?,
            None => 0,
        };
        // Summed by the database: a year of a 200-room hotel is 73,000 room-nights. Read room
        // by room through the primary key (room, night): there is no index by night
        // (migration 0014), and CROSS JOIN keeps SQLite's outer loop on the rooms.
        let sold = tx
            .query(
                "SELECT n.night, COUNT(*) AS sold, CAST(SUM(n.amount) AS BIGINT) AS revenue \
                 FROM rooms r CROSS JOIN room_nights n \
                 WHERE n.room = r.number AND n.night >= $1 AND n.night < $2 GROUP BY n.night",
                params![self.from, self.to],
            )
            .await?
            .iter()
            .map(|r| Ok((r.date("night")?, r.u32("sold")?, r.int("revenue")?)))
            .collect::<StoreResult<Vec<_>>>()?;
        let blocks = tx
            .query(
                "SELECT k.room, k.start_date, k.end_date FROM room_blocks k JOIN rooms r ON r.number = k.room \
                 WHERE NOT r.retired AND r.out_of_service IS NULL AND k.start_date < $2 AND k.end_date > $1",
                params![self.from, self.to],
            )
            .await?
            .iter()
            .map(|r| Ok((r.u32("room")?, r.date("start_date")?, r.date("end_date")?)))
            .collect::<StoreResult<Vec<_>>>()?;
        let by_room_type = tx
            .query(
                "SELECT COALESCE(t.name, '') AS room_type, COUNT(*) AS sold, \
                 CAST(SUM(n.amount) AS BIGINT) AS revenue \
                 FROM rooms r CROSS JOIN room_nights n LEFT JOIN room_types t ON t.id = r.type_id \
                 WHERE n.room = r.number AND n.night >= $1 AND n.night < $2 \
                 GROUP BY t.name ORDER BY t.name",
                params![self.from, self.to],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(RoomTypeFigures {
                    room_type: r.text("room_type")?,
                    sold: r.u32("sold")?,
                    revenue: r.int("revenue")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let mut bills = BillFigures::default();
        for r in tx
            .query(
                "SELECT kind, fee IS NOT NULL AS fee, CAST(SUM(amount) AS BIGINT) AS total \
                 FROM postings WHERE posted_on >= $1 AND posted_on < $2 GROUP BY kind, fee IS NOT NULL",
                params![self.from, self.to],
            )
            .await?
        {
            let total = r.int("total")?;
            match r.text("kind")?.as_str() {
                "charge" if r.bool("fee")? => bills.fees += total,
                "charge" => bills.extras += total,
                "discount" => bills.discounts += total,
                "payment" => bills.payments += total,
                "refund" => bills.payments -= total,
                _ => {}
            }
        }
        Ok(ReportFacts {
            currency: tx.currency().to_string(),
            rooms_in_service,
            sold,
            blocks,
            by_room_type,
            bills,
        })
    }
}
