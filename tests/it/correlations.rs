//! Correlated inputs (issue 18, MODEL.md v1.1 item 6): the Gaussian copula gives each
//! declared pair its rank correlation, leaves every marginal its distribution, and a bad
//! declaration is refused with its keys and line.

use crate::support::*;
use statrs::distribution::{Beta, ContinuousCDF, LogNormal, Triangular};
use tokensim::analysis::spearman;
use tokensim::engine::inputs::draw_input;
use tokensim::model::{Param, Scenario};

const PATHS: u64 = 100_000;

/// Two correlated pairs and a third member linked to both, over three forms: pert (the
/// tabulated inverse), lognormal and triangular (closed forms).
const CORRELATED: &str = r#"
[world.capability]
doubling_months = { pert = [3, 5, 7] }
task_hours = { triangular = [1, 4, 16] }
kappa = { pert = [0.05, 0.2, 0.5] }

[world.prices]
g_frontier = { pert = [0.33, 0.85, 1.35] }

[world.incidents]
downtime_cost_per_minute = { lognormal = [3000, 9000] }

[world.knowledge]
gamma = { pert = [0.3, 1, 1.5] }

[[correlations]]
keys = ["world.capability.doubling_months", "world.prices.g_frontier"]
rank = 0.6

[[correlations]]
keys = ["world.incidents.downtime_cost_per_minute", "world.knowledge.gamma"]
rank = -0.4

[[correlations]]
keys = ["world.capability.task_hours", "world.capability.kappa"]
rank = 0.3

[strategies.s]
"#;

fn param<'a>(sc: &'a Scenario, key: &str) -> &'a Param {
    sc.params()
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, p)| p)
        .unwrap_or_else(|| panic!("no key {key}"))
}

fn draws(sc: &Scenario, key: &str) -> Vec<f64> {
    let p = param(sc, key);
    (0..PATHS).map(|k| draw_input(sc, p, k)).collect()
}

#[test]
fn each_pair_has_its_rank_correlation_within_3_standard_errors() {
    let sc = parse(CORRELATED);
    let pairs = [
        (
            "world.capability.doubling_months",
            "world.prices.g_frontier",
            0.6,
        ),
        (
            "world.incidents.downtime_cost_per_minute",
            "world.knowledge.gamma",
            -0.4,
        ),
        ("world.capability.task_hours", "world.capability.kappa", 0.3),
        // Not declared: independent.
        (
            "world.capability.doubling_months",
            "world.knowledge.gamma",
            0.0,
        ),
    ];
    for (a, b, target) in pairs {
        let r = spearman(&draws(&sc, a), &draws(&sc, b));
        // Fisher z of a Spearman correlation: variance (1 + r^2 / 2) / (n - 3)
        // (Bonett and Wright 2000).
        let se = ((1.0 + target * target / 2.0) / (PATHS as f64 - 3.0)).sqrt();
        let z = (f64::atanh(r) - f64::atanh(target)) / se;
        assert!(
            z.abs() < 3.0,
            "{a} ~ {b}: {r} against {target} ({z:.2} s.e.)"
        );
    }
}

/// A distribution function.
type Cdf = Box<dyn Fn(f64) -> f64>;

/// The largest gap between the empirical CDF of `x` and `cdf`.
fn ks(mut x: Vec<f64>, cdf: impl Fn(f64) -> f64) -> f64 {
    x.sort_by(f64::total_cmp);
    let n = x.len() as f64;
    x.iter()
        .enumerate()
        .map(|(i, v)| {
            let f = cdf(*v);
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max)
}

#[test]
fn every_marginal_keeps_its_distribution() {
    let sc = parse(CORRELATED);
    // Kolmogorov-Smirnov at the 0.1% level: 1.949 / sqrt(n).
    let critical = 1.949 / (PATHS as f64).sqrt();
    let pert = |min: f64, mode: f64, max: f64| {
        let w = max - min;
        let b = Beta::new(1.0 + 4.0 * (mode - min) / w, 1.0 + 4.0 * (max - mode) / w).unwrap();
        move |x: f64| b.cdf(((x - min) / w).clamp(0.0, 1.0))
    };
    let sigma = (9000f64 / 3000.0).ln() / 1.644_853_626_951_472_2;
    let lognormal = LogNormal::new(3000f64.ln(), sigma).unwrap();
    let triangular = Triangular::new(1.0, 16.0, 4.0).unwrap();
    let checks: [(&str, Cdf); 6] = [
        (
            "world.capability.doubling_months",
            Box::new(pert(3.0, 5.0, 7.0)),
        ),
        ("world.prices.g_frontier", Box::new(pert(0.33, 0.85, 1.35))),
        ("world.knowledge.gamma", Box::new(pert(0.3, 1.0, 1.5))),
        ("world.capability.kappa", Box::new(pert(0.05, 0.2, 0.5))),
        (
            "world.incidents.downtime_cost_per_minute",
            Box::new(move |x| lognormal.cdf(x)),
        ),
        (
            "world.capability.task_hours",
            Box::new(move |x| triangular.cdf(x)),
        ),
    ];
    for (key, cdf) in checks {
        let d = ks(draws(&sc, key), cdf);
        assert!(d < critical, "{key}: KS distance {d} above {critical}");
    }
}

#[test]
fn a_path_draws_the_same_in_any_run() {
    let sc = parse(CORRELATED);
    let p = param(&sc, "world.prices.g_frontier");
    let mut bigger = sc.clone();
    bigger.run.paths = 50_000;
    assert_eq!(draw_input(&sc, p, 12_345), draw_input(&bigger, p, 12_345));
    // And differs from its draw without the copula: the correlation is really applied.
    let plain = parse(&format!(
        "{}[strategies.s]\n",
        &CORRELATED[..CORRELATED.find("[[correlations]]").unwrap()]
    ));
    let q = param(&plain, "world.prices.g_frontier");
    let moved = (0..100)
        .filter(|k| draw_input(&sc, p, *k) != draw_input(&plain, q, *k))
        .count();
    assert_eq!(moved, 100);
}

#[track_caller]
fn refused(correlations: &str, wants: &[&str]) {
    let text = CORRELATED.replace("[[correlations]]", "[[old]]");
    let text =
        text[..text.find("[[old]]").unwrap()].to_string() + correlations + "\n[strategies.s]\n";
    let err = tokensim::scenario::parse(&text, "c.toml", &Default::default())
        .unwrap_err()
        .to_string();
    for w in wants {
        assert!(err.contains(w), "{w} missing from\n{err}");
    }
}

#[test]
fn bad_correlations_are_refused_naming_keys_and_lines() {
    refused(
        "[[correlations]]\nkeys = [\"world.capability.kappa\", \"world.knowledge.gamma\"]\nrank = 1.5\n",
        &["correlations[0].rank", "must be in [-1, 1]", "c.toml:"],
    );
    refused(
        "[[correlations]]\nkeys = [\"world.capability.kappa\", \"world.capability.h50\"]\nrank = 0.5\n",
        &["correlations[0].keys", "`world.capability.h50` is not uncertain"],
    );
    refused(
        "[[correlations]]\nkeys = [\"world.capability.kappa\", \"world.capability.kapa\"]\nrank = 0.5\n",
        &["`world.capability.kapa` is not a key"],
    );
    // a ~ b and b ~ c strongly, a ~ c strongly the other way: no such inputs exist.
    refused(
        "[[correlations]]\nkeys = [\"world.capability.kappa\", \"world.knowledge.gamma\"]\nrank = 0.9\n\
         [[correlations]]\nkeys = [\"world.knowledge.gamma\", \"world.prices.g_frontier\"]\nrank = 0.9\n\
         [[correlations]]\nkeys = [\"world.capability.kappa\", \"world.prices.g_frontier\"]\nrank = -0.9\n",
        &[
            "not positive definite",
            "world.capability.kappa",
            "world.knowledge.gamma",
            "world.prices.g_frontier",
            "c.toml:",
        ],
    );
}

#[test]
fn dump_scenario_prints_the_correlations_and_reads_back_the_same_scenario() {
    let sc = parse(CORRELATED);
    let dumped = tokensim::scenario::dump(&sc);
    assert_eq!(dumped.matches("[[correlations]]").count(), 3, "{dumped}");
    assert_eq!(parse(&dumped), sc);
}
