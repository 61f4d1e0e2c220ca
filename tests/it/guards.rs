//! Extreme but valid parameters: no NaN, no infinity, no overflow, and undefined
//! figures reported as undefined.

use crate::support::*;
use tokensim::engine;

#[test]
fn extreme_but_valid_parameters_give_finite_results() {
    // Elasticity 5 against prices falling a thousandfold a year, shocks of 100x, 240
    // months, a million engineers, and a strategy that lays everyone off.
    let text = r#"
[run]
paths = 60
horizon = 240
headline = ["all_gone", "leverage"]

[org]
engineers = 1000000

[world.demand]
elasticity = 5
growth = 1000

[world.subsidy]
m_api = 100
m_seat = 100
hazard = 0.5

[world.prices]
g_frontier = 0.001
g_commodity = 0.000001
sigma = 2

[strategies.status_quo]

[strategies.flat]
assist = { kind = "flat" }

[strategies.all_gone]
layoffs = [{ month = 1, fraction = 1.0, seniority_weight = 100 }]
agents = { seats = "replace_laid_off" }
assist = { kind = "metered" }

[strategies.leverage]
assist = { kind = "metered", cap = 1500 }
agents = { seats = 250000, cap = 6000 }
routing = 1
caching = 1
"#;
    let sc = parse(text);
    let r = engine::run(&sc);
    check_finals_defined(&r, "extreme scenario");
    let s = r.summarize(sc.headline());
    // With no one left there is no output, so cost per WU is undefined, not a number.
    let gone = s
        .strategies
        .iter()
        .find(|st| st.name == "all_gone")
        .unwrap();
    assert_eq!(gone.metric(Metric::Output).p95, 0.0);
    assert_eq!(gone.metric(Metric::CostPerWu).n, 0);
    assert_eq!(gone.metric(Metric::HeadcountEnd).p95, 0.0);
    for st in &s.strategies {
        for (_, m) in st.metrics().filter(|(_, m)| m.n > 0) {
            assert!(m.mean.is_finite() && m.p5 <= m.p50 && m.p50 <= m.p95);
        }
        let k = st.metric(Metric::KnowledgeEnd);
        assert!(k.p5 >= 0.0 && k.p95 <= 1.0);
        // Headcount stays a whole number in Monte Carlo.
        assert!(r
            .column(
                s.strategies.iter().position(|x| x.name == st.name).unwrap(),
                Metric::HeadcountEnd
            )
            .iter()
            .all(|h| h.fract() == 0.0 && *h >= 0.0));
    }
    // Written out, the undefined figure is an empty cell.
    let csv = String::from_utf8(tokensim::report::summary_table(&s).to_csv()).unwrap();
    let row = csv
        .lines()
        .find(|l| l.starts_with("all_gone,cost_per_wu,"))
        .unwrap();
    assert_eq!(row, "all_gone,cost_per_wu,0,,,,,,,");
}

#[test]
fn a_run_too_large_for_the_machine_is_refused_before_any_work() {
    let tmp = tempdir("huge");
    let out = tmp.join("out");
    let o = run_reference(&["--paths", "100000000", "--horizon", "240"], &out);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("GiB") && err.contains("--allow-large"),
        "{err}"
    );
    assert!(!out.exists());
    // The estimate is of the right size: peak resident memory measured with
    // `/usr/bin/time -v` on 2 threads was 373 MB at 200,000 paths and 855 MB at 1,000,000.
    let mut sc = load("scenarios/reference.toml");
    for (paths, measured) in [(200_000, 373e6), (1_000_000, 855e6)] {
        sc.run.paths = paths;
        let est = engine::estimate(&sc, 2);
        assert!(
            est.bytes > 0.8 * measured && est.bytes < 1.5 * measured,
            "{paths}: {}",
            est.bytes
        );
    }
}

#[test]
fn the_estimate_covers_a_run_with_many_monthly_series() {
    // 5,000 paths over 240 months (9,600 monthly series): peak resident memory measured
    // with `/usr/bin/time -v` on 2 threads was 848 MB.
    let mut sc = load("scenarios/reference.toml");
    sc.run.paths = 5000;
    sc.run.horizon = 240;
    let est = engine::estimate(&sc, 2);
    assert!(
        est.bytes > 848e6 && est.bytes < 1.5 * 848e6,
        "{}",
        est.bytes
    );
}
