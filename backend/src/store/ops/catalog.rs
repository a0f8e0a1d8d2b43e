//! Reading the catalog (`store::catalog`) from the database, through the cache where there
//! is one.

use std::sync::Arc;

use hotel_shared::folio::RevenueCategory;
use hotel_shared::taxes::PriceBasis;

use crate::domain::taxes::{NetPricing, NightPart};
use crate::store::catalog::{
    Catalog, CatalogCache, CatalogPlan, CatalogRoom, CatalogType, NetCatalog,
};
use crate::store::sql::{SqlRow, Tx};
use crate::store::{StoreError, StoreResult};

/// The catalog from `cache` when it holds a current one, else read by `tx` (and kept when
/// nothing changed meanwhile). Without a cache, always read by `tx`.
pub(crate) async fn catalog_through<T: Tx>(
    cache: Option<&CatalogCache>,
    tx: &mut T,
) -> StoreResult<Arc<Catalog>> {
    let Some(cache) = cache else {
        return Ok(Arc::new(load_catalog(tx).await?));
    };
    if let Some(catalog) = cache.current() {
        return Ok(catalog);
    }
    let seen = cache.generation();
    let catalog = Arc::new(Catalog {
        kept: true,
        ..load_catalog(tx).await?
    });
    cache.keep(seen, &catalog);
    Ok(catalog)
}

pub async fn load_catalog<T: Tx>(tx: &mut T) -> StoreResult<Catalog> {
    let rows = tx
        .query(
            "SELECT r.number, r.type_id, COALESCE(t.name, '') AS room_type, \
             COALESCE(t.capacity, 0) AS capacity, COALESCE(t.rate, 0) AS rate, \
             r.out_of_service IS NOT NULL AS out_of_service, r.retired FROM rooms r LEFT JOIN room_types t ON t.id = r.type_id ORDER BY r.number",
            Vec::new(),
        )
        .await?;
    let rooms = rows
        .iter()
        .map(|r| {
            Ok(CatalogRoom {
                number: r.u32("number")?,
                type_id: r.opt_int("type_id")?,
                room_type: r.text("room_type")?,
                capacity: r.u32("capacity")?,
                rate: r.int("rate")?,
                out_of_service: r.bool("out_of_service")?,
                retired: r.bool("retired")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    // The price basis rides along with the types, so a hotel with gross prices (most) reads
    // nothing more per booking where the catalog is read per transaction (PostgreSQL).
    let type_rows = tx
        .query(
            "SELECT id, name, description, capacity, rate, retired, tax_rate_id, \
             (SELECT value FROM settings WHERE name = 'price_basis') AS basis \
             FROM room_types ORDER BY rate, id",
            Vec::new(),
        )
        .await?;
    let mut net_prices = false;
    let types = type_rows
        .iter()
        .map(|r| {
            net_prices |= r.opt_text("basis")?.as_deref() == Some(PriceBasis::Net.as_str());
            Ok(CatalogType {
                id: r.int("id")?,
                name: r.text("name")?,
                description: r.text("description")?,
                capacity: r.u32("capacity")?,
                rate: r.int("rate")?,
                retired: r.bool("retired")?,
                tax_rate_id: r.opt_int("tax_rate_id")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    let net = if net_prices {
        Some(net_catalog(tx).await?)
    } else {
        None
    };
    let plans = tx
        .query(
            "SELECT id, room_type_id, name, base, derived_percent, derived_amount, visible, \
             terms_json, retired, includes_json FROM rate_plans ORDER BY room_type_id, base DESC, id",
            Vec::new(),
        )
        .await?
        .iter()
        .map(plan_from)
        .collect::<StoreResult<_>>()?;
    Ok(Catalog {
        rooms,
        types,
        plans,
        rates: std::sync::OnceLock::new(),
        kept: false,
        net,
    })
}

/// The tax rates and every extra (a retired one too: plans may still include it), at their
/// prices before VAT.
async fn net_catalog<T: Tx>(tx: &mut T) -> StoreResult<NetCatalog> {
    let pricing = NetPricing {
        rates: super::taxes::rate_histories(tx).await?,
    };
    let extras = tx
        .query(
            "SELECT id, name, price, per_person_night, tax_rate_id, category FROM extras",
            Vec::new(),
        )
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.int("id")?,
                NightPart {
                    name: r.text("name")?,
                    price: r.int("price")?,
                    per_person: r.bool("per_person_night")?,
                    tax_rate_id: r.opt_int("tax_rate_id")?,
                    category: RevenueCategory::parse(&r.text("category")?).unwrap_or_default(),
                },
            ))
        })
        .collect::<StoreResult<_>>()?;
    Ok(NetCatalog { pricing, extras })
}

pub(crate) fn plan_from(r: &SqlRow) -> StoreResult<CatalogPlan> {
    let terms = serde_json::from_str(&r.text("terms_json")?)
        .map_err(|e| StoreError::Database(format!("rate plan terms: {e}")))?;
    Ok(CatalogPlan {
        id: r.int("id")?,
        room_type_id: r.int("room_type_id")?,
        name: r.text("name")?,
        base: r.bool("base")?,
        derivation: crate::domain::rates::Derivation {
            percent: r
                .opt_int("derived_percent")?
                .map(|p| i32::try_from(p).unwrap_or(0)),
            amount: r.opt_int("derived_amount")?,
        },
        visible: r.bool("visible")?,
        terms,
        retired: r.bool("retired")?,
        includes: serde_json::from_str(&r.text("includes_json")?)
            .map_err(|e| StoreError::Database(format!("rate plan includes: {e}")))?,
    })
}
