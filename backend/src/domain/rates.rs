//! What a night costs on a plan, which stays the restrictions allow, and what cancelling or not
//! coming costs under a plan's terms. Plain functions over plain data.

use hotel_shared::ErrorCode;
use hotel_shared::rates::{
    CalendarChange, FeeRule, NightPrice, RatePlanInput, RestrictionFigures, Restrictions,
    StayTerms, Terms,
};
use hotel_shared::{Date, money};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::DomainError;
use super::rooms::MAX_RATE;

/// A plan's derivation from its type's base plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Derivation {
    pub percent: Option<i32>,
    pub amount: Option<i64>,
}

impl Derivation {
    /// The plan's price of a night whose base price is `base`: never below nothing.
    pub fn apply(self, base: i64) -> i64 {
        let mut price = base;
        if let Some(p) = self.percent {
            price = percent_of(price, 100 + i64::from(p));
        }
        if let Some(a) = self.amount {
            price = price.saturating_add(a);
        }
        price.clamp(0, MAX_RATE)
    }
}

/// `amount` × `percent` / 100, rounded to the nearest minor unit (halves up).
pub fn percent_of(amount: i64, percent: i64) -> i64 {
    let scaled = i128::from(amount) * i128::from(percent);
    let rounded = if scaled >= 0 {
        (scaled + 50) / 100
    } else {
        (scaled - 50) / 100
    };
    i64::try_from(rounded).unwrap_or(if rounded > 0 { i64::MAX } else { i64::MIN })
}

/// Cleans up a plan from a form; the error says what is wrong.
pub fn check_plan(mut input: RatePlanInput) -> Result<RatePlanInput, String> {
    input.name = input.name.trim().to_string();
    let len = input.name.chars().count();
    if len == 0 || len > 64 || input.name.chars().any(char::is_control) {
        return Err("name must be 1 to 64 characters.".into());
    }
    if input.derived_percent.is_some() && input.derived_amount.is_some() {
        return Err("give derived_percent or derived_amount, not both.".into());
    }
    if let Some(p) = input.derived_percent
        && !(-100..=1000).contains(&p)
    {
        return Err("derived_percent must be from -100 to 1000.".into());
    }
    if let Some(a) = input.derived_amount
        && !(-MAX_RATE..=MAX_RATE).contains(&a)
    {
        return Err(format!(
            "derived_amount must be from -{MAX_RATE} to {MAX_RATE}."
        ));
    }
    let mut terms = input.terms.take().unwrap_or_default();
    if let Some(refundable) = input.refundable {
        terms.refundable = refundable;
    }
    input.terms = Some(check_terms(terms)?);
    if input.includes.len() > 5 {
        return Err("a plan includes at most 5 extras.".into());
    }
    for (i, item) in input.includes.iter().enumerate() {
        if input.includes[..i]
            .iter()
            .any(|o| o.extra_id == item.extra_id)
        {
            return Err(format!("extra {} is included twice.", item.extra_id));
        }
    }
    Ok(input)
}

/// Checks cancellation terms.
pub fn check_terms(terms: Terms) -> Result<Terms, String> {
    if terms.free_until_days > 365 {
        return Err("free_until_days must be from 0 to 365.".into());
    }
    if cut_off(&terms.free_until_time).is_none() {
        return Err("free_until_time must be a time of day as HH:MM, e.g. 18:00.".into());
    }
    for rule in [terms.fee, terms.no_show_fee] {
        if let FeeRule::Percent { percent } = rule
            && !(1..=100).contains(&percent)
        {
            return Err("a fee's percent must be from 1 to 100.".into());
        }
    }
    Ok(terms)
}

/// `HH:MM` as hours and minutes.
fn cut_off(text: &str) -> Option<(i8, i8)> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m) = (h.parse::<i8>().ok()?, m.parse::<i8>().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some((h, m))
}

/// Checks a change of the price calendar; the error says what is wrong.
pub fn check_calendar_change(c: &CalendarChange) -> Result<(), String> {
    if c.to <= c.from {
        return Err("to must be after from (it is the morning after the last night).".into());
    }
    if super::stay::days_between(c.from, c.to) > 731 {
        return Err("one change covers at most two years of nights.".into());
    }
    if let Some(days) = &c.weekdays
        && (days.is_empty() || days.iter().any(|d| !(1..=7).contains(d)))
    {
        return Err("weekdays are 1 (Monday) to 7 (Sunday), at least one.".into());
    }
    if let Some(Some(a)) = c.amount
        && !(0..=MAX_RATE).contains(&a)
    {
        return Err(format!("amount must be from 0 to {MAX_RATE}."));
    }
    if c.adjust_percent.is_some() && c.amount.is_some() {
        return Err("give amount or adjust_percent, not both.".into());
    }
    if let Some(p) = c.adjust_percent
        && !(-100..=1000).contains(&p)
    {
        return Err("adjust_percent must be from -100 to 1000.".into());
    }
    for (name, value, max) in [
        ("min_stay", c.min_stay, 365),
        ("max_stay", c.max_stay, 365),
        ("min_advance", c.min_advance, 730),
        ("max_advance", c.max_advance, 730),
    ] {
        if let Some(Some(v)) = value {
            let least = u32::from(name.ends_with("stay"));
            if v < least || v > max {
                return Err(format!("{name} must be from {least} to {max}."));
            }
        }
    }
    let untouched = c.amount.is_none()
        && c.adjust_percent.is_none()
        && c.min_stay.is_none()
        && c.max_stay.is_none()
        && c.closed.is_none()
        && c.closed_to_arrival.is_none()
        && c.closed_to_departure.is_none()
        && c.min_advance.is_none()
        && c.max_advance.is_none();
    if untouched {
        return Err("say what to set: amount, adjust_percent, min_stay, max_stay, closed, closed_to_arrival, closed_to_departure, min_advance or max_advance.".into());
    }
    Ok(())
}

/// What holds when the type's restrictions and a plan's own both apply: the stricter of each.
pub fn stricter(a: &Restrictions, b: &Restrictions) -> Restrictions {
    fn most(x: Option<u32>, y: Option<u32>) -> Option<u32> {
        x.max(y)
    }
    fn least(x: Option<u32>, y: Option<u32>) -> Option<u32> {
        match (x, y) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        }
    }
    Restrictions {
        min_stay: most(a.min_stay, b.min_stay),
        max_stay: least(a.max_stay, b.max_stay),
        closed: a.closed || b.closed,
        closed_to_arrival: a.closed_to_arrival || b.closed_to_arrival,
        closed_to_departure: a.closed_to_departure || b.closed_to_departure,
        min_advance: most(a.min_advance, b.min_advance),
        max_advance: least(a.max_advance, b.max_advance),
    }
}

/// Why the restrictions refuse a stay of `check_in..check_out` booked `today`, if they do.
/// `on(day)` gives the restrictions of a day (the type's and the plan's together). Minimum and
/// maximum stay and the advance rules are the arrival day's; closed to departure is the
/// departure day's.
pub fn refusal(
    check_in: Date,
    check_out: Date,
    today: Date,
    on: impl Fn(Date) -> Restrictions,
) -> Option<DomainError> {
    let nights = u32::try_from(super::stay::days_between(check_in, check_out)).unwrap_or(0);
    let days_ahead = u32::try_from(super::stay::days_between(today, check_in)).unwrap_or(0);
    let figures = |date: Date| RestrictionFigures {
        date,
        nights,
        days_ahead,
        ..RestrictionFigures::default()
    };
    let arrival = on(check_in);
    if let Some(closed) = check_in.nights_until(check_out).find(|d| on(*d).closed) {
        return Some(DomainError::Restricted(ErrorCode::Closed, figures(closed)));
    }
    if arrival.closed_to_arrival {
        return Some(DomainError::Restricted(
            ErrorCode::ClosedToArrival,
            figures(check_in),
        ));
    }
    if on(check_out).closed_to_departure {
        return Some(DomainError::Restricted(
            ErrorCode::ClosedToDeparture,
            figures(check_out),
        ));
    }
    if let Some(min) = arrival.min_stay
        && nights < min
    {
        return Some(DomainError::Restricted(
            ErrorCode::MinStay,
            RestrictionFigures {
                min_stay: Some(min),
                ..figures(check_in)
            },
        ));
    }
    if let Some(max) = arrival.max_stay
        && nights > max
    {
        return Some(DomainError::Restricted(
            ErrorCode::MaxStay,
            RestrictionFigures {
                max_stay: Some(max),
                ..figures(check_in)
            },
        ));
    }
    let too_soon = arrival.min_advance.is_some_and(|m| days_ahead < m);
    let too_far = arrival.max_advance.is_some_and(|m| days_ahead > m);
    if too_soon || too_far {
        return Some(DomainError::Restricted(
            ErrorCode::Advance,
            RestrictionFigures {
                min_advance: arrival.min_advance,
                max_advance: arrival.max_advance,
                ..figures(check_in)
            },
        ));
    }
    None
}

/// The sentence of a restriction's refusal.
pub fn refusal_words(code: ErrorCode, f: &RestrictionFigures) -> String {
    let nights = |n: u32| format!("{n} {}", if n == 1 { "night" } else { "nights" });
    match code {
        ErrorCode::Closed => format!("The night of {} is not for sale.", f.date),
        ErrorCode::ClosedToArrival => format!("Stays cannot begin on {}.", f.date),
        ErrorCode::ClosedToDeparture => format!("Stays cannot end on {}.", f.date),
        ErrorCode::MinStay => format!(
            "Stays arriving on {} must be at least {}; this one is {}.",
            f.date,
            nights(f.min_stay.unwrap_or(0)),
            nights(f.nights)
        ),
        ErrorCode::MaxStay => format!(
            "Stays arriving on {} may be at most {}; this one is {}.",
            f.date,
            nights(f.max_stay.unwrap_or(0)),
            nights(f.nights)
        ),
        _ => {
            let mut words = format!("Stays arriving on {} must be booked", f.date);
            match (f.min_advance, f.max_advance) {
                (Some(min), Some(max)) => {
                    words.push_str(&format!(" {min} to {max} days ahead"));
                }
                (Some(min), None) => words.push_str(&format!(" at least {min} days ahead")),
                (None, Some(max)) => words.push_str(&format!(" at most {max} days ahead")),
                (None, None) => {}
            }
            words.push_str(&format!("; it is {} days away.", f.days_ahead));
            words
        }
    }
}

/// What `rule` charges for a stay whose nights cost `prices`.
pub fn fee(rule: FeeRule, prices: &[i64]) -> i64 {
    let stay: i64 = prices.iter().sum();
    match rule {
        FeeRule::Nothing => 0,
        FeeRule::FirstNight => prices.first().copied().unwrap_or(0),
        FeeRule::Percent { percent } => percent_of(stay, i64::from(percent)),
        FeeRule::All => stay,
    }
}

/// The last instant cancelling a stay arriving `check_in` is free under `terms`: the cut-off
/// time on the hotel's clock, `free_until_days` calendar days before arrival (so a change of
/// the clocks in between moves nothing). `None` when cancelling is never free.
pub fn free_until(terms: &Terms, check_in: Date, tz: &TimeZone) -> Option<Timestamp> {
    if !terms.refundable {
        return None;
    }
    let (h, m) = cut_off(&terms.free_until_time)?;
    let day = check_in.checked_add_days(-i64::from(terms.free_until_days))?;
    let civil = jiff::civil::Date::new(
        i16::try_from(day.year()).ok()?,
        i8::try_from(day.month()).ok()?,
        i8::try_from(day.day()).ok()?,
    )
    .ok()?;
    // A cut-off inside a skipped hour falls after the gap; in a repeated hour, the later one.
    tz.to_ambiguous_timestamp(civil.at(h, m, 0, 0)).later().ok()
}

/// What cancelling at `now` costs: nothing until the deadline, the fee after it (at once when
/// not refundable).
pub fn cancellation_fee(
    terms: &Terms,
    prices: &[i64],
    check_in: Date,
    now: Timestamp,
    tz: &TimeZone,
) -> i64 {
    match free_until(terms, check_in, tz) {
        Some(deadline) if now < deadline => 0,
        Some(_) => fee(terms.fee, prices),
        None if terms.refundable => fee(terms.fee, prices),
        None => fee(FeeRule::All, prices),
    }
}

/// The last free moment of a cancellation, as an instant and as both clocks write it.
#[derive(Debug, Clone)]
pub struct Deadline {
    pub utc: String,
    pub local: String,
}

/// When cancelling a stay arriving `check_in` stops being free under `terms`, written out;
/// `None` when it never is or, at `now`, no longer is.
pub fn deadline(terms: &Terms, check_in: Date, tz: &TimeZone, now: Timestamp) -> Option<Deadline> {
    free_until(terms, check_in, tz)
        .filter(|d| now < *d)
        .map(|d| Deadline {
            utc: d.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            local: tz.to_datetime(d).strftime("%Y-%m-%dT%H:%M").to_string(),
        })
}

/// `terms` applied to a stay at `now`: its deadline and fees, and words for a guest.
pub fn stay_terms(
    terms: &Terms,
    prices: &[i64],
    check_in: Date,
    tz: &TimeZone,
    now: Timestamp,
    currency: &str,
) -> StayTerms {
    stay_terms_by(terms, prices, deadline(terms, check_in, tz, now), currency)
}

/// `stay_terms` with the deadline worked out already (a quote's plans share a few).
pub fn stay_terms_by(
    terms: &Terms,
    prices: &[i64],
    deadline: Option<Deadline>,
    currency: &str,
) -> StayTerms {
    let fee_after = if terms.refundable {
        fee(terms.fee, prices)
    } else {
        fee(FeeRule::All, prices)
    };
    let no_show_fee = fee(terms.no_show_fee, prices);
    let words = match &deadline {
        Some(d) => {
            let (date, time) = d.local.split_once('T').unwrap_or((d.local.as_str(), ""));
            let then = if fee_after == 0 {
                "and free after that too".to_string()
            } else {
                format!("then {}", fee_words(terms.fee, fee_after, currency))
            };
            format!("Free cancellation until {time} on {date} (hotel time), {then}.")
        }
        None if terms.refundable => format!(
            "Free cancellation has ended: cancelling costs {}.",
            fee_words(terms.fee, fee_after, currency)
        ),
        None => format!(
            "Non-refundable: cancelling costs the whole stay, {}.",
            money::format(fee_after, currency)
        ),
    };
    let (free_until, free_until_local) = match deadline {
        Some(d) => (Some(d.utc), Some(d.local)),
        None => (None, None),
    };
    StayTerms {
        refundable: terms.refundable,
        free_until,
        free_until_local,
        fee: fee_after,
        no_show_fee,
        words,
    }
}

fn fee_words(rule: FeeRule, amount: i64, currency: &str) -> String {
    let amount = money::format(amount, currency);
    match rule {
        FeeRule::Nothing => "nothing".into(),
        FeeRule::FirstNight => format!("the first night: {amount}"),
        FeeRule::Percent { percent } => format!("{percent} % of the stay: {amount}"),
        FeeRule::All => format!("the whole stay: {amount}"),
    }
}

/// The nights of a stay with their prices.
pub fn night_prices(check_in: Date, prices: &[i64]) -> Vec<NightPrice> {
    (0i64..)
        .zip(prices)
        .filter_map(|(i, amount)| {
            check_in.checked_add_days(i).map(|date| NightPrice {
                date,
                amount: *amount,
            })
        })
        .collect()
}

/// Prices as stored on a booking: comma-separated, from the arrival night.
pub fn prices_text(prices: &[i64]) -> String {
    let mut text = String::with_capacity(prices.len() * 6);
    for (i, p) in prices.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&p.to_string());
    }
    text
}

pub fn parse_prices(text: &str) -> Option<Vec<i64>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split(',').map(|p| p.parse().ok()).collect()
}

#[cfg(test)]
#[path = "rates_tests.rs"]
mod tests;
