use hotel_shared::date::date;

use super::*;
use hotel_shared::ErrorCode;

fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or_else(|e| panic!("{e}"))
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn a_derived_plan_follows_its_base_by_percent_or_amount() {
    let ten_off = Derivation {
        percent: Some(-10),
        amount: None,
    };
    assert_eq!(ten_off.apply(9_500), 8_550);
    assert_eq!(ten_off.apply(12_000), 10_800);
    let breakfast = Derivation {
        percent: None,
        amount: Some(1_500),
    };
    assert_eq!(breakfast.apply(9_500), 11_000);
    // Never below nothing.
    let big_discount = Derivation {
        percent: None,
        amount: Some(-50_000),
    };
    assert_eq!(big_discount.apply(9_500), 0);
    // Halves round up, to whole cents.
    assert_eq!(percent_of(1_005, 50), 503);
}

fn rules(f: impl Fn(Date) -> Restrictions) -> impl Fn(Date) -> Restrictions {
    f
}

#[test]
fn minimum_stay_is_the_arrival_days_even_across_a_season_boundary() {
    // Three nights at least for arrivals from 2027-07-01; none before.
    let on = rules(|d| Restrictions {
        min_stay: (d >= date(2027, 7, 1)).then_some(3),
        ..Restrictions::default()
    });
    let today = date(2027, 5, 1);
    // Arriving the day before the season: two nights into it are fine.
    assert_eq!(
        refusal(date(2027, 6, 30), date(2027, 7, 2), today, &on),
        None
    );
    // Arriving in the season: two nights are not.
    let refused = refusal(date(2027, 7, 1), date(2027, 7, 3), today, &on);
    match refused {
        Some(DomainError::Restricted(ErrorCode::MinStay, f)) => {
            assert_eq!((f.min_stay, f.nights), (Some(3), 2));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        refusal(date(2027, 7, 1), date(2027, 7, 4), today, &on),
        None
    );
}

#[test]
fn closed_to_departure_refuses_only_stays_ending_that_day() {
    let on = rules(|d| Restrictions {
        closed_to_departure: d == date(2027, 3, 7),
        ..Restrictions::default()
    });
    let today = date(2027, 1, 1);
    assert!(matches!(
        refusal(date(2027, 3, 5), date(2027, 3, 7), today, &on),
        Some(DomainError::Restricted(ErrorCode::ClosedToDeparture, _))
    ));
    // Staying through it, or leaving the day before, is fine.
    assert_eq!(
        refusal(date(2027, 3, 5), date(2027, 3, 8), today, &on),
        None
    );
    assert_eq!(
        refusal(date(2027, 3, 5), date(2027, 3, 6), today, &on),
        None
    );
}

#[test]
fn a_closed_night_refuses_every_stay_that_includes_it() {
    let on = rules(|d| Restrictions {
        closed: d == date(2027, 3, 6),
        closed_to_arrival: d == date(2027, 3, 9),
        ..Restrictions::default()
    });
    let today = date(2027, 1, 1);
    assert!(matches!(
        refusal(date(2027, 3, 4), date(2027, 3, 8), today, &on),
        Some(DomainError::Restricted(ErrorCode::Closed, f)) if f.date == date(2027, 3, 6)
    ));
    // Leaving on the closed night's day is fine: the night itself is not stayed.
    assert_eq!(
        refusal(date(2027, 3, 4), date(2027, 3, 6), today, &on),
        None
    );
    assert!(matches!(
        refusal(date(2027, 3, 9), date(2027, 3, 10), today, &on),
        Some(DomainError::Restricted(ErrorCode::ClosedToArrival, _))
    ));
}

#[test]
fn advance_rules_count_days_from_today_to_arrival() {
    let on = rules(|_| Restrictions {
        min_advance: Some(7),
        max_advance: Some(90),
        ..Restrictions::default()
    });
    let today = date(2027, 1, 1);
    assert!(matches!(
        refusal(date(2027, 1, 5), date(2027, 1, 6), today, &on),
        Some(DomainError::Restricted(ErrorCode::Advance, f)) if f.days_ahead == 4
    ));
    assert_eq!(
        refusal(date(2027, 1, 8), date(2027, 1, 9), today, &on),
        None
    );
    assert!(matches!(
        refusal(date(2027, 4, 2), date(2027, 4, 3), today, &on),
        Some(DomainError::Restricted(ErrorCode::Advance, _))
    ));
}

#[test]
fn the_stricter_rule_of_type_and_plan_holds() {
    let type_wide = Restrictions {
        min_stay: Some(2),
        max_stay: Some(10),
        ..Restrictions::default()
    };
    let plan = Restrictions {
        min_stay: Some(3),
        max_stay: None,
        closed_to_arrival: true,
        ..Restrictions::default()
    };
    let both = stricter(&type_wide, &plan);
    assert_eq!(both.min_stay, Some(3));
    assert_eq!(both.max_stay, Some(10));
    assert!(both.closed_to_arrival);
}

#[test]
fn fees_are_the_first_night_a_share_or_everything() {
    let prices = [9_500, 12_000, 12_000];
    assert_eq!(fee(FeeRule::FirstNight, &prices), 9_500);
    assert_eq!(fee(FeeRule::Percent { percent: 50 }, &prices), 16_750);
    assert_eq!(fee(FeeRule::All, &prices), 33_500);
    assert_eq!(fee(FeeRule::Nothing, &prices), 0);
}

#[test]
fn the_deadline_is_on_the_hotels_clock_across_a_change_of_the_clocks() {
    // Berlin leaves summer time on 2026-10-25 (03:00 CEST becomes 02:00 CET). A stay
    // arriving 2026-10-27, free until 3 days before at 18:00: 2026-10-24 18:00 CEST, 16:00 UTC.
    // Counting 72 hours back from the arrival's cut-off would give 17:00 UTC.
    let berlin = zone("Europe/Berlin");
    let terms = Terms {
        free_until_days: 3,
        ..Terms::default()
    };
    let arrival = date(2026, 10, 27);
    assert_eq!(
        free_until(&terms, arrival, &berlin),
        Some(at("2026-10-24T16:00:00Z"))
    );
    let prices = [10_000, 10_000];
    let minute_before = at("2026-10-24T15:59:00Z");
    let minute_after = at("2026-10-24T16:01:00Z");
    assert_eq!(
        cancellation_fee(&terms, &prices, arrival, minute_before, &berlin),
        0
    );
    assert_eq!(
        cancellation_fee(&terms, &prices, arrival, minute_after, &berlin),
        10_000
    );
    // The arrival day's own cut-off is after the change: 18:00 CET is 17:00 UTC.
    let same_day = Terms::default();
    assert_eq!(
        free_until(&same_day, arrival, &berlin),
        Some(at("2026-10-27T17:00:00Z"))
    );
}

#[test]
fn a_cut_off_in_the_hour_the_clocks_skip_falls_after_it() {
    // New York springs forward on 2027-03-14: 02:30 does not exist; it becomes 03:30 EDT.
    let ny = zone("America/New_York");
    let terms = Terms {
        free_until_time: "02:30".into(),
        ..Terms::default()
    };
    assert_eq!(
        free_until(&terms, date(2027, 3, 14), &ny),
        Some(at("2027-03-14T07:30:00Z"))
    );
}

#[test]
fn non_refundable_costs_everything_at_once_and_says_so() {
    let terms = Terms {
        refundable: false,
        ..Terms::default()
    };
    let prices = [9_500, 9_500];
    let utc = zone("UTC");
    assert_eq!(free_until(&terms, date(2027, 1, 10), &utc), None);
    assert_eq!(
        cancellation_fee(
            &terms,
            &prices,
            date(2027, 1, 10),
            at("2026-01-01T00:00:00Z"),
            &utc
        ),
        19_000
    );
    let now = at("2026-01-01T00:00:00Z");
    let words = stay_terms(&terms, &prices, date(2027, 1, 10), &utc, now, "EUR").words;
    assert!(words.starts_with("Non-refundable"), "{words}");
}

#[test]
fn terms_in_words_name_the_deadline_and_the_fee() {
    let t = stay_terms(
        &Terms::default(),
        &[9_500, 9_500],
        date(2027, 1, 10),
        &zone("Europe/Vienna"),
        at("2027-01-01T00:00:00Z"),
        "EUR",
    );
    assert_eq!(t.free_until.as_deref(), Some("2027-01-10T17:00:00Z"));
    assert_eq!(t.free_until_local.as_deref(), Some("2027-01-10T18:00"));
    assert!(t.words.contains("18:00 on 2027-01-10"), "{}", t.words);
    assert!(t.words.contains("first night"), "{}", t.words);
    assert_eq!((t.fee, t.no_show_fee), (9_500, 9_500));
}

#[test]
fn bad_plans_and_terms_are_refused_with_a_reason() {
    let plan = RatePlanInput {
        room_type_id: 1,
        name: "  Non-refundable ".into(),
        derived_percent: Some(-10),
        derived_amount: None,
        visible: true,
        refundable: Some(false),
        terms: None,
        includes: Vec::new(),
    };
    let ok = check_plan(plan.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ok.name, "Non-refundable");
    assert_eq!(ok.terms.map(|t| t.refundable), Some(false));
    assert!(
        check_plan(RatePlanInput {
            derived_amount: Some(100),
            ..plan.clone()
        })
        .is_err()
    );
    assert!(
        check_plan(RatePlanInput {
            terms: Some(Terms {
                free_until_time: "25:00".into(),
                ..Terms::default()
            }),
            ..plan.clone()
        })
        .is_err()
    );
    assert!(
        check_plan(RatePlanInput {
            terms: Some(Terms {
                fee: FeeRule::Percent { percent: 0 },
                ..Terms::default()
            }),
            ..plan.clone()
        })
        .is_err()
    );
    let breakfast = hotel_shared::rates::IncludedItem {
        extra_id: 1,
        tax_rate_id: None,
    };
    assert!(
        check_plan(RatePlanInput {
            includes: vec![breakfast.clone(), breakfast],
            ..plan
        })
        .is_err()
    );
}

#[test]
fn prices_round_trip_as_stored_text() {
    let prices = vec![9_500, 12_000, 0];
    assert_eq!(parse_prices(&prices_text(&prices)), Some(prices));
    assert_eq!(parse_prices(""), Some(Vec::new()));
    assert_eq!(parse_prices("1,x"), None);
}

#[test]
fn once_the_deadline_has_passed_the_terms_say_what_cancelling_costs_now() {
    let vienna = zone("Europe/Vienna");
    let prices = [9_500, 9_500];
    let arrival = date(2027, 1, 10);
    let before = stay_terms(
        &Terms::default(),
        &prices,
        arrival,
        &vienna,
        at("2027-01-10T16:59:00Z"),
        "EUR",
    );
    assert_eq!(before.free_until.as_deref(), Some("2027-01-10T17:00:00Z"));
    let after = stay_terms(
        &Terms::default(),
        &prices,
        arrival,
        &vienna,
        at("2027-01-10T17:01:00Z"),
        "EUR",
    );
    assert_eq!(after.free_until, None);
    assert_eq!(after.fee, 9_500);
    assert!(
        after.words.starts_with("Free cancellation has ended"),
        "{}",
        after.words
    );
}
