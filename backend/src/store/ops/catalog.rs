//! Reading the catalog (`store::catalog`) from the database, through the cache where there
//! is one.

use std::sync::Arc;

use crate::store::catalog::{Catalog, CatalogCache, CatalogPlan, CatalogRoom, CatalogType};
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
    let types = tx
        .query(
            "SELECT id, name, description, capacity, rate, retired FROM room_types ORDER BY rate, id",
            Vec::new(),
        )
        .await?
        .iter()
        .map(|r| {
            Ok(CatalogType {
                id: r.int("id")?,
                name: r.text("name")?,
                description: r.text("description")?,
                capacity: r.u32("capacity")?,
                rate: r.int("rate")?,
                retired: r.bool("retired")?,
            })
        })
        .collect::<StoreResult<_>>()?;
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
    })
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
