//! Monte Carlo results against closed forms at a fixed seed, within five standard errors.

use crate::support::*;
use tokensim::engine;
use tokensim::stats::summarize;

#[test]
fn incident_cost_with_only_incidents_on_matches_its_expectation() {
    let horizon = 24.0;
    let rate = 2.0;
    let per_minute = 1_000.0;
    let world = QUIET_WORLD.replace(
        "base_rate = 0\n",
        &format!("base_rate = {rate}\nresponders = 0\ndowntime_cost_per_minute = {per_minute}\n"),
    );
    let text =
        format!("[run]\npaths = 20000\nhorizon = 24\nseed = 7\n{world}[strategies.status_quo]\n");
    let sc = parse(&text);
    let r = engine::run(&sc);
    // Lognormal minutes with median 30 and p95 300: mean = 30 exp(sigma^2 / 2).
    let sigma = (300.0f64 / 30.0).ln() / 1.644_853_626_951_472_2;
    let mean_minutes = 30.0 * (0.5 * sigma * sigma).exp();
    let cost = summarize(&r.column(0, Metric::IncidentCost));
    check_within_5se(
        cost.mean,
        cost.se,
        horizon * rate * mean_minutes * per_minute,
    );
    let count = summarize(&r.column(0, Metric::Incidents));
    check_within_5se(count.mean, count.se, horizon * rate);
}

#[test]
fn spend_under_a_known_price_shock_matches_its_expectation() {
    let (sigma_p, spend0): (f64, f64) = (0.05, 1_000.0);
    let world = QUIET_WORLD
        .replace("sigma = 0\n", &format!("sigma = {sigma_p}\n"))
        .replace(
            "hazard = 0\n",
            "hazard = 0\nmonth = 6\nramp_months = 1\nm_api = 2\n",
        )
        .replace("attrition = 0\n", "attrition = 0\nengineers = 1\n");
    let text = format!(
        "[run]\npaths = 20000\nhorizon = 12\nseed = 11\n{world}[strategies.metered]\nassist = {{ kind = \"metered\", spend = {spend0} }}\n"
    );
    let sc = parse(&text);
    let r = engine::run(&sc);
    // E[P_t] = exp(t sigma^2 / 2) for a driftless log walk; the multiplier is 2 from month 6.
    let exact: f64 = (1..=12)
        .map(|t| {
            let m = if t >= 6 { 2.0 } else { 1.0 };
            spend0 * m * (t as f64 * sigma_p * sigma_p / 2.0).exp()
        })
        .sum();
    let tokens = summarize(&r.column(0, Metric::Tokens));
    check_within_5se(tokens.mean, tokens.se, exact);
    // Every path has its shock at month 6.
    assert!(r.shock_month.iter().all(|m| *m == 6.0));
}

#[test]
fn jevons_spend_at_equilibrium_matches_the_elasticity() {
    let (eps, price, noise, spend0): (f64, f64, f64, f64) = (1.5, 0.2, 0.1, 1_000.0);
    let text = QUIET_WORLD
        .replace(
            "elasticity = 0\n",
            &format!("elasticity = {eps}\nadjustment = 1\n"),
        )
        .replace("noise = 0\n", &format!("noise = {noise}\n"))
        .replace(
            "sigma = 0\n",
            &format!("sigma = 0\ncommodity_price = {price}\n"),
        )
        .replace("attrition = 0\n", "attrition = 0\nengineers = 1\n");
    let text = format!(
        "[run]\npaths = 20000\nhorizon = 6\nseed = 13\n{text}[strategies.routed]\nassist = {{ kind = \"metered\", spend = {spend0} }}\nrouting = 1\n"
    );
    let sc = parse(&text);
    let r = engine::run(&sc);
    // With full adjustment ln Q = -eps ln(price) + noise z, so E[spend] = spend0 price^(1 - eps) e^(noise^2 / 2).
    let exact = spend0 * price.powf(1.0 - eps) * (0.5 * noise * noise).exp();
    let s = r.summarize(None);
    let last = s.month(0, 5, Series::TokenSpend);
    check_within_5se(last.mean, last.se, exact);
    // Above 1, a cheaper task raises total spend.
    assert!(exact > spend0);
}

#[test]
fn a_strategy_and_its_identical_copy_differ_by_exactly_zero_on_every_path() {
    let text = std::fs::read_to_string(root().join("scenarios/reference.toml")).unwrap();
    let start = text.find("[strategies.leverage]").unwrap();
    let end = text.find("[strategies.tokenmaxxing]").unwrap();
    let copy = text[start..end].replace("[strategies.leverage]", "[strategies.leverage_copy]");
    let text = text.replace("paths = 10000", "paths = 300") + "\n" + &copy;
    let sc = parse(&text);
    let r = engine::run(&sc);
    let (a, b) = (strategy(&sc, "leverage"), strategy(&sc, "leverage_copy"));
    for p in 0..r.n_paths {
        for m in Metric::ALL {
            let (x, y) = (r.final_value(p, a, m), r.final_value(p, b, m));
            assert!(
                x == y || (x.is_nan() && y.is_nan()),
                "path {p} metric {m:?}: {x} vs {y}"
            );
        }
    }
    let s = r.summarize(None);
    let pair = s
        .pairs
        .iter()
        .find(|p| p.a == "leverage" && p.b == "leverage_copy")
        .unwrap();
    assert_eq!(pair.tie, 1.0);
    assert_eq!(pair.a_beats_b.p, 0.0);
}

#[test]
fn the_uplift_clamp_is_reported_for_the_seat_kind_that_hit_it() {
    // sigma = 0.25, j = 0.6: output can rise at most 18.6%. A metered uplift of 30% is
    // clamped; a flat seat's half of it (15%) is not.
    let world = QUIET_WORLD.replace(
        "script_share = 0\n",
        "script_share = 0\n[world.production]\nuplift = 0.3\njudgment_share = 0.6\nsubstitution = 0.25\n",
    );
    let text = format!(
        "[run]\nhorizon = 3\n{world}[strategies.metered]\nassist = {{ kind = \"metered\" }}\n[strategies.flat]\nassist = {{ kind = \"flat\" }}\n[strategies.none]\n"
    );
    let sc = parse(&text);
    assert_eq!(point_value(&sc, "metered", Metric::UpliftClamped), 1.0);
    assert_eq!(point_value(&sc, "flat", Metric::UpliftClamped), 0.0);
    assert_eq!(point_value(&sc, "none", Metric::UpliftClamped), 0.0);
}

#[test]
fn point_output_never_falls_as_the_uplift_rises_through_the_ces_bound() {
    // Issue 18 (MODEL.md v1.1, amendment 2): the clamp is continuous. sigma = 0.25 and
    // j = 0.6 put the bound at 0.6^(-1/3) - 1 = 18.6%; output must rise with the uplift
    // up to 95% of it and stay there, flagged only above it.
    let bound = 0.6f64.powf(-1.0 / 3.0) - 1.0;
    let mut last = f64::NEG_INFINITY;
    for i in 0..=40 {
        let u = bound * (0.85 + 0.3 * f64::from(i) / 40.0);
        let world = QUIET_WORLD.replace(
            "script_share = 0\n",
            &format!("script_share = 0\n[world.production]\nuplift = {u}\njudgment_share = 0.6\nsubstitution = 0.25\n"),
        );
        let sc = parse(&format!(
            "[run]\nhorizon = 3\n{world}[strategies.metered]\nassist = {{ kind = \"metered\" }}\n"
        ));
        let output = point_value(&sc, "metered", Metric::Output);
        assert!(
            output >= last - 1e-9,
            "uplift {u}: output {output} below {last}"
        );
        let clamped = point_value(&sc, "metered", Metric::UpliftClamped);
        assert_eq!(clamped == 1.0, u > 0.95 * bound, "uplift {u}");
        last = output;
    }
}

#[test]
fn a_layoff_month_may_be_a_distribution_drawn_per_path() {
    let text = format!(
        "[run]\npaths = 300\nhorizon = 12\n{QUIET_WORLD}[strategies.cut]\nlayoffs = [{{ month = {{ uniform = [2, 6] }}, fraction = 0.25 }}]\n"
    );
    let sc = parse(&text);
    let r = engine::run(&sc);
    let headcount = Series::Headcount;
    let mut months = std::collections::BTreeSet::new();
    for p in 0..r.n_paths {
        let first_cut = (0..12)
            .find(|m| r.monthly_value(p, 0, *m, headcount) < 200.0)
            .expect("a cut")
            + 1;
        assert_eq!(r.monthly_value(p, 0, first_cut - 1, headcount), 150.0);
        months.insert(first_cut);
    }
    assert_eq!(months.into_iter().collect::<Vec<_>>(), vec![2, 3, 4, 5, 6]);
    let bad = text.replace("uniform = [2, 6]", "uniform = [2, 40]");
    let err = tokensim::scenario::parse(&bad, "t.toml", &Default::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("layoffs[0].month: must be in [1, 12] (the horizon)"),
        "{err}"
    );
}

#[test]
fn adoption_scales_seats_along_its_curve_and_a_late_cap_starts_on_its_month() {
    // 1,000 engineers; seats rise from 32% in month 1 to 95% in month 5.
    let world = QUIET_WORLD.replace("[org]\n", "[org]\nengineers = 1000\n");
    let text = format!(
        "[run]\nhorizon = 8\n{world}\
         [strategies.flat]\nassist = {{ kind = \"flat\", seat_price = 39 }}\n\
         adoption = {{ start = 0.32, target = 0.95, months = 4 }}\n\
         [strategies.s_flat]\nassist = {{ kind = \"flat\", seat_price = 39 }}\n\
         adoption = {{ start = 0.32, target = 0.95, months = 4, curve = \"s_curve\" }}\n\
         [strategies.capped_late]\nassist = {{ kind = \"metered\", spend = 2000, cap = 1500, cap_from = 5 }}\n\
         adoption = {{ start = 0.32, target = 0.95, months = 4 }}\n\
         [strategies.none]\n"
    );
    let sc = parse(&text);
    let r = engine::run_point(&sc);
    let spend = |s: &str, t: usize| point_month(&r, &sc, s, t, Series::TokenSpend);
    let linear = [0.32, 0.4775, 0.635, 0.7925, 0.95, 0.95];
    for (t, share) in linear.iter().enumerate() {
        check_cents(spend("flat", t + 1), 1000.0 * share * 39.0);
    }
    // The s-curve x^2 (3 - 2x) at a quarter of the way: 0.15625 of the rise.
    check_cents(spend("s_flat", 2), 1000.0 * (0.32 + 0.63 * 0.15625) * 39.0);
    check_cents(spend("s_flat", 3), 1000.0 * 0.635 * 39.0);
    // Uncapped $2,000 a seat until month 4, held at $1,500 from month 5.
    check_cents(spend("capped_late", 4), 1000.0 * 0.7925 * 2000.0);
    check_cents(spend("capped_late", 5), 1000.0 * 0.95 * 1500.0);
    // Output rises with the share of engineers who have seats.
    let out = |s: &str, t: usize| point_month(&r, &sc, s, t, Series::Output);
    assert!(out("flat", 1) > out("none", 1));
    assert!(out("flat", 5) > out("flat", 1));
    assert_eq!(out("flat", 5), out("flat", 6));
}
