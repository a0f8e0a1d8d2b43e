//! What the hotel sells, as every booking and quote reads it: rooms, room types, rate plans
//! and the rates calendar, kept between requests until a change of any of them. Plain data
//! and lookups only; reading it from the database is the ops' work (`ops::catalog`,
//! `ops::rate_book`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use hotel_shared::Date;
use hotel_shared::rates::Restrictions;

use crate::domain::DomainError;
use crate::domain::rates::{refusal, stricter};
use crate::domain::taxes::{NetPricing, NightPart};

/// One room of the catalog.
#[derive(Debug, Clone)]
pub struct CatalogRoom {
    pub number: u32,
    pub type_id: Option<i64>,
    pub room_type: String,
    pub capacity: u32,
    pub rate: i64,
    /// Out of service until further notice.
    pub out_of_service: bool,
    pub retired: bool,
}

/// One room type of the catalog.
#[derive(Debug, Clone)]
pub struct CatalogType {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub capacity: u32,
    pub rate: i64,
    pub retired: bool,
    /// The VAT rate of its nights.
    pub tax_rate_id: Option<i64>,
}

/// One rate plan of the catalog.
#[derive(Debug, Clone)]
pub struct CatalogPlan {
    pub id: i64,
    pub room_type_id: i64,
    pub name: String,
    pub base: bool,
    pub derivation: crate::domain::rates::Derivation,
    pub visible: bool,
    pub terms: hotel_shared::rates::Terms,
    pub retired: bool,
    pub includes: Vec<hotel_shared::rates::IncludedItem>,
}

/// Every room, ascending by number, and every rate plan, by type then id; and, once a read
/// or a booking asks for it, the rates calendar from that day on
/// (`ops::rate_book::cached_rate_book`).
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub rooms: Vec<CatalogRoom>,
    /// Every room type, by rate then id.
    pub types: Vec<CatalogType>,
    pub plans: Vec<CatalogPlan>,
    pub(crate) rates: std::sync::OnceLock<Arc<RateBook>>,
    /// Whether it came from a `CatalogCache`, and so outlives the operation that read it:
    /// only then is it worth keeping the whole calendar with it.
    pub(crate) kept: bool,
    /// With prices entered before VAT: what a guest pays for them.
    pub net: Option<NetCatalog>,
}

/// What prices entered before VAT take to become what a guest pays: the hotel's tax rates,
/// and every extra a plan may include, at its price before VAT.
#[derive(Debug, Clone, Default)]
pub struct NetCatalog {
    pub pricing: NetPricing,
    pub extras: HashMap<i64, NightPart>,
}

impl Catalog {
    /// Rooms that are part of the hotel (not retired).
    pub fn in_hotel(&self) -> impl Iterator<Item = &CatalogRoom> {
        self.rooms.iter().filter(|r| !r.retired)
    }

    /// The nights from `from` at `prices` (as the calendar holds them) as `guests` pay them
    /// on `plan`: the same prices, unless they are entered before VAT.
    pub fn guest_prices(
        &self,
        plan: &CatalogPlan,
        guests: u32,
        from: Date,
        prices: Vec<i64>,
    ) -> Vec<i64> {
        let Some(net) = &self.net else {
            return prices;
        };
        let room_rate = self
            .types
            .iter()
            .find(|t| t.id == plan.room_type_id)
            .and_then(|t| t.tax_rate_id);
        let includes: Vec<NightPart> = plan
            .includes
            .iter()
            .filter_map(|item| {
                let extra = net.extras.get(&item.extra_id)?;
                Some(NightPart {
                    tax_rate_id: item.tax_rate_id.or(extra.tax_rate_id),
                    ..extra.clone()
                })
            })
            .collect();
        net.pricing
            .nights(room_rate, &includes, guests, from, &prices)
    }

    pub fn plan(&self, id: i64) -> Option<&CatalogPlan> {
        self.plans.iter().find(|p| p.id == id)
    }

    /// The plan every booking of the type takes unless it names another.
    pub fn base_plan(&self, room_type_id: i64) -> Option<&CatalogPlan> {
        self.plans
            .iter()
            .find(|p| p.base && p.room_type_id == room_type_id)
    }

    /// Plans on sale for a type: the base plan first.
    pub fn plans_of(&self, room_type_id: i64) -> impl Iterator<Item = &CatalogPlan> {
        self.plans
            .iter()
            .filter(move |p| p.room_type_id == room_type_id && !p.retired)
    }
}

/// The catalog kept between requests. Whatever changes rooms or types invalidates it; a
/// catalog read while an invalidation happened is not kept, so a stale one never sticks.
#[derive(Default)]
pub struct CatalogCache {
    generation: AtomicU64,
    slot: Mutex<Option<(u64, Arc<Catalog>)>>,
}

impl CatalogCache {
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The kept catalog, if nothing changed since it was read.
    pub fn current(&self) -> Option<Arc<Catalog>> {
        let seen = self.generation.load(Ordering::Acquire);
        let slot = self.slot.lock().ok()?;
        match slot.as_ref() {
            Some((generation, catalog)) if *generation == seen => Some(Arc::clone(catalog)),
            _ => None,
        }
    }

    /// The generation to read a catalog under, for `keep`.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps `catalog`, read under `seen`, unless something changed meanwhile.
    pub fn keep(&self, seen: u64, catalog: &Arc<Catalog>) {
        if let Ok(mut slot) = self.slot.lock()
            && self.generation.load(Ordering::Acquire) == seen
        {
            *slot = Some((seen, Arc::clone(catalog)));
        }
    }
}

/// The price and restrictions stored for one night of a type (plan key 0) or of one plan.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct NightRow {
    pub amount: Option<i64>,
    pub restrictions: Restrictions,
}

/// The stored calendar of a range of nights, read in one query: per room type and plan key
/// (0: the type), its nights by their distance from `from`, so a quote of every plan over a
/// month looks nights up by index.
#[derive(Debug, Default)]
pub(crate) struct RateBook {
    pub from: Date,
    pub rows: HashMap<(i64, i64), Vec<Option<NightRow>>>,
}

/// One plan's view of the calendar: its type's nights and its own.
pub(crate) struct PlanRates<'a> {
    from: Date,
    type_nights: &'a [Option<NightRow>],
    plan_nights: &'a [Option<NightRow>],
    plan: &'a CatalogPlan,
}

impl PlanRates<'_> {
    fn at(nights: &[Option<NightRow>], from: Date, night: Date) -> Option<&NightRow> {
        let i = usize::try_from(from.days_until(night)).ok()?;
        nights.get(i)?.as_ref()
    }

    /// The base plan's price of `night` for a type whose default rate is `rate`.
    pub fn base_price(&self, rate: i64, night: Date) -> i64 {
        Self::at(self.type_nights, self.from, night)
            .and_then(|r| r.amount)
            .unwrap_or(rate)
    }

    /// Each night's price of `from..to` on the plan.
    pub fn prices(&self, rate: i64, from: Date, to: Date) -> Vec<i64> {
        from.nights_until(to)
            .map(|n| self.plan.derivation.apply(self.base_price(rate, n)))
            .collect()
    }

    /// What holds for the plan on `day`: the type's restrictions and the plan's own.
    pub fn restrictions(&self, day: Date) -> Restrictions {
        let of = |nights| {
            Self::at(nights, self.from, day)
                .map(|r| r.restrictions)
                .unwrap_or_default()
        };
        stricter(&of(self.type_nights), &of(self.plan_nights))
    }

    /// Why the plan may not be sold for `check_in..check_out` today, if it may not.
    pub fn refusal(&self, check_in: Date, check_out: Date, today: Date) -> Option<DomainError> {
        refusal(check_in, check_out, today, |d| self.restrictions(d))
    }
}

impl RateBook {
    /// `plan`'s view of the calendar.
    pub fn of<'a>(&'a self, plan: &'a CatalogPlan) -> PlanRates<'a> {
        let nights = |key| {
            self.rows
                .get(&(plan.room_type_id, key))
                .map_or(&[][..], Vec::as_slice)
        };
        PlanRates {
            from: self.from,
            type_nights: nights(0),
            plan_nights: nights(plan.id),
            plan,
        }
    }

    /// The base plan's price of `night` for type `room_type` whose default rate is `rate`.
    pub fn base_price(&self, room_type: i64, rate: i64, night: Date) -> i64 {
        self.rows
            .get(&(room_type, 0))
            .and_then(|n| PlanRates::at(n, self.from, night))
            .and_then(|r| r.amount)
            .unwrap_or(rate)
    }

    /// Each night's price of `from..to` on `plan`.
    pub fn prices(&self, plan: &CatalogPlan, rate: i64, from: Date, to: Date) -> Vec<i64> {
        self.of(plan).prices(rate, from, to)
    }

    /// Why `plan` may not be sold for `check_in..check_out` today, if it may not.
    pub fn refusal(
        &self,
        plan: &CatalogPlan,
        check_in: Date,
        check_out: Date,
        today: Date,
    ) -> Option<DomainError> {
        self.of(plan).refusal(check_in, check_out, today)
    }

    /// Whether `night` has its own price for `room_type`.
    pub fn priced(&self, room_type: i64, night: Date) -> bool {
        self.rows
            .get(&(room_type, 0))
            .and_then(|n| PlanRates::at(n, self.from, night))
            .is_some_and(|r| r.amount.is_some())
    }
}
