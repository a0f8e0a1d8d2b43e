//! Occupancy, revenue, ADR and RevPAR from the nights sold.

use hotel_shared::Date;
use hotel_shared::staff::{BillFigures, Report, ReportDay, RoomTypeFigures};

/// What a report is made of, as the store reads it.
pub struct ReportFacts {
    pub currency: String,
    /// Rooms in service today (not retired, no out-of-service flag).
    pub rooms_in_service: u32,
    /// (night, room-nights sold, their revenue) of each night with a sale.
    pub sold: Vec<(Date, u32, i64)>,
    /// (room, from, to) of out-of-service ranges of rooms in service.
    pub blocks: Vec<(u32, Date, Date)>,
    pub by_room_type: Vec<RoomTypeFigures>,
    pub bills: BillFigures,
}

fn pct(sold: u32, available: u32) -> f64 {
    if available == 0 {
        0.0
    } else {
        // One decimal is what a manager reads; more is noise.
        (f64::from(sold) * 1000.0 / f64::from(available)).round() / 10.0
    }
}

fn per(amount: i64, count: u32) -> i64 {
    if count == 0 {
        0
    } else {
        // Rounded half away from zero, in minor units.
        let c = i64::from(count);
        (amount + amount.signum() * c / 2) / c
    }
}

/// The longest stretch a report covers.
pub const MAX_REPORT_DAYS: i64 = 366;

/// A report needs at least one night and covers at most a year and a day.
pub fn check_range(from: Date, to: Date) -> Result<(), String> {
    if to <= from {
        return Err("to must be after from.".into());
    }
    if from.days_until(to) > MAX_REPORT_DAYS {
        return Err(format!("A report covers at most {MAX_REPORT_DAYS} nights."));
    }
    Ok(())
}

/// The report for nights `from..to`. Rooms out of service until further notice are not
/// counted as available; rooms in an out-of-service range are not, on those nights.
pub fn build(from: Date, to: Date, facts: &ReportFacts) -> Report {
    let by_night: std::collections::HashMap<Date, (u32, i64)> = facts
        .sold
        .iter()
        .map(|(night, sold, revenue)| (*night, (*sold, *revenue)))
        .collect();
    let days: Vec<ReportDay> = from
        .nights_until(to)
        .map(|date| {
            let blocked = facts
                .blocks
                .iter()
                .filter(|(_, start, end)| *start <= date && date < *end)
                .map(|(room, _, _)| *room)
                .collect::<std::collections::HashSet<u32>>()
                .len();
            let available = facts
                .rooms_in_service
                .saturating_sub(u32::try_from(blocked).unwrap_or(u32::MAX));
            let (sold, revenue) = by_night.get(&date).copied().unwrap_or((0, 0));
            ReportDay {
                date,
                available,
                sold,
                occupancy_pct: pct(sold, available),
                revenue,
            }
        })
        .collect();
    let available = days.iter().map(|d| d.available).sum();
    let sold = days.iter().map(|d| d.sold).sum();
    let revenue = days.iter().map(|d| d.revenue).sum();
    Report {
        from,
        to,
        currency: facts.currency.clone(),
        available,
        sold,
        occupancy_pct: pct(sold, available),
        revenue,
        adr: per(revenue, sold),
        revpar: per(revenue, available),
        days,
        by_room_type: facts.by_room_type.clone(),
        bills: facts.bills.clone(),
    }
}

/// The report as CSV, one line per night, for a spreadsheet: amounts in the currency's units
/// with a point (`1250.00`), whatever the reader's locale.
pub fn csv(report: &Report) -> String {
    let amount = |minor: i64| {
        hotel_shared::money::format(minor, &report.currency)
            .split_once(' ')
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    };
    let mut out = format!(
        "night,available,sold,occupancy_pct,revenue_{}\r\n",
        report.currency.to_lowercase()
    );
    for d in &report.days {
        out.push_str(&format!(
            "{},{},{},{:.1},{}\r\n",
            d.date,
            d.available,
            d.sold,
            d.occupancy_pct,
            amount(d.revenue)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotel_shared::date::date;

    #[test]
    fn occupancy_adr_and_revpar_follow_their_definitions() {
        let d1 = date(2026, 12, 1);
        let d2 = date(2026, 12, 2);
        let facts = ReportFacts {
            currency: "EUR".into(),
            rooms_in_service: 10,
            sold: vec![(d1, 2, 30_000), (d2, 1, 10_000)],
            blocks: vec![(4, d2, date(2026, 12, 5))],
            by_room_type: Vec::new(),
            bills: BillFigures::default(),
        };
        let r = build(d1, date(2026, 12, 3), &facts);
        assert_eq!(r.days[0].available, 10);
        assert_eq!(r.days[1].available, 9);
        assert_eq!((r.sold, r.available, r.revenue), (3, 19, 40_000));
        assert_eq!(r.adr, 13_333);
        assert_eq!(r.revpar, 2_105);
        let csv = csv(&r);
        assert_eq!(
            csv,
            "night,available,sold,occupancy_pct,revenue_eur\r\n\
             2026-12-01,10,2,20.0,300.00\r\n\
             2026-12-02,9,1,11.1,100.00\r\n"
        );
        assert_eq!(r.days[0].occupancy_pct, 20.0);
        assert_eq!(r.occupancy_pct, 15.8);
    }
}
