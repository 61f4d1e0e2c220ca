//! MODEL.md section 8: each published figure reproduced in point mode, to the cent.

use crate::support::*;
use tokensim::engine;

#[test]
fn fintech_32_percent_is_57600_a_year_and_returns_24_9_6_and_3_2_times() {
    let sc = load("scenarios/calibration/fintech_roi.toml");
    let engineers = 500.0;
    let base_value = point_value(&sc, "status_quo", Metric::Value);
    for (name, monthly, roi) in [
        ("metered_200", 200.0, 24.0),
        ("metered_500", 500.0, 9.6),
        ("metered_1500", 1500.0, 3.2),
    ] {
        let extra_per_engineer = (point_value(&sc, name, Metric::Value) - base_value) / engineers;
        check_cents(extra_per_engineer, 57_600.0);
        let tokens_per_engineer = point_value(&sc, name, Metric::Tokens) / engineers;
        check_cents(tokens_per_engineer, 12.0 * monthly);
        assert!(
            (extra_per_engineer / tokens_per_engineer - roi).abs() < 1e-9,
            "{name}"
        );
    }
}

#[test]
fn routing_60_percent_cuts_4000_to_1750_a_month() {
    let sc = load("scenarios/calibration/hybrid_routing.toml");
    let r = engine::run_point(&sc);
    check_cents(
        point_month(&r, &sc, "all_frontier", 1, Series::TokenSpend),
        4_000.0,
    );
    check_cents(
        point_month(&r, &sc, "routed_60", 1, Series::TokenSpend),
        1_750.0,
    );
    let cut = 1.0
        - point_month(&r, &sc, "routed_60", 12, Series::TokenSpend)
            / point_month(&r, &sc, "all_frontier", 12, Series::TokenSpend);
    assert_eq!((cut * 100.0).round(), 56.0);
}

#[test]
fn unbounded_agent_loop_at_20000_a_month_is_240000_a_year() {
    let sc = load("scenarios/calibration/agent_loop.toml");
    check_cents(
        point_value(&sc, "unbounded_agent", Metric::Tokens),
        240_000.0,
    );
}

#[test]
fn ten_times_cheaper_called_100_times_as_often_spends_10_times() {
    let sc = load("scenarios/calibration/jevons_elasticity.toml");
    let r = engine::run_point(&sc);
    let base = point_month(&r, &sc, "frontier", 1, Series::TokenSpend);
    let cheap = point_month(&r, &sc, "ten_times_cheaper", 1, Series::TokenSpend);
    check_cents(base, 1_000.0);
    check_cents(cheap, 10_000.0);
    // Volume is spend over the price of a task: 100 times as many calls.
    let volume_ratio = (cheap / 0.1) / (base / 1.0);
    assert!((volume_ratio - 100.0).abs() < 1e-9, "{volume_ratio}");
}

#[test]
fn uber_4750_engineers_under_a_1500_cap_spend_at_most_7_125m_a_month() {
    let sc = load("scenarios/calibration/uber_cap.toml");
    let r = engine::run_point(&sc);
    let spend = point_month(&r, &sc, "capped", 1, Series::TokenSpend);
    check_cents(spend, 7_125_000.0);
    assert_eq!(format!("{:.1}", spend / 1e6), "7.1");
}

#[test]
fn microsoft_flat_seat_is_13_to_51_times_cheaper() {
    let sc = load("scenarios/calibration/microsoft_flat.toml");
    let r = engine::run_point(&sc);
    let per = |name| point_month(&r, &sc, name, 1, Series::TokenSpend) / 100_000.0;
    check_cents(per("metered_500"), 500.0);
    check_cents(per("metered_2000"), 2_000.0);
    check_cents(per("flat_39"), 39.0);
    assert_eq!((per("metered_500") / per("flat_39")).round(), 13.0);
    assert_eq!((per("metered_2000") / per("flat_39")).round(), 51.0);
}
