//! A deterministic mutation fuzzer over scenario text, bounded so it runs in `cargo test`
//! (`FUZZ_CASES` sets the number of inputs, 1,500 by default). Parse and validate must
//! never panic; any scenario that validates must run with every output finite (or
//! undefined where the figure has no meaning) and NPV below 1e100 in size, quantiles
//! ordered, costs non-negative, knowledge and probabilities in [0, 1], and headcount a
//! whole number.

use crate::support::*;
use rand::{Rng, RngCore};
use tokensim::engine;
use tokensim::scenario::{self, Overrides};

const VALUES: [&str; 16] = [
    "-1",
    "0",
    "1e308",
    "1e-300",
    "3.5",
    "1000000000",
    "241",
    "-0.0",
    "nan",
    "inf",
    "\"x\"",
    "true",
    "{ pert = [3, 2, 1] }",
    "{ uniform = [0, 1e12] }",
    "{ ci90 = [0.001, 1000] }",
    "[1, 2]",
];

fn mutate(text: &str, rng: &mut impl RngCore) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    if lines.is_empty() {
        return format!(
            "[org]\nengineers = {}",
            VALUES[rng.random_range(0..VALUES.len())]
        );
    }
    let n = lines.len();
    match rng.random_range(0..7) {
        0 => {
            lines.remove(rng.random_range(0..n));
        }
        1 => {
            let l = lines[rng.random_range(0..n)].clone();
            lines.insert(rng.random_range(0..n), l);
        }
        2 | 3 => {
            // Replace the value of a random `key = value` line.
            let i = rng.random_range(0..n);
            if let Some((k, _)) = lines[i].split_once('=') {
                lines[i] = format!("{k}= {}", VALUES[rng.random_range(0..VALUES.len())]);
            }
        }
        4 => {
            let j = rng.random_range(0..n);
            lines.swap(rng.random_range(0..n), j);
        }
        5 => {
            let joined = lines.join("\n");
            let cut = rng.random_range(0..joined.len().max(1));
            let cut = (0..=cut)
                .rev()
                .find(|c| joined.is_char_boundary(*c))
                .unwrap_or(0);
            return joined[..cut].to_string();
        }
        _ => {
            let i = rng.random_range(0..n);
            let junk =
                ["[", "]", "{", "=", "\"", "#", "strategies.x", "\u{e9}"][rng.random_range(0..8)];
            let at = rng.random_range(0..=lines[i].len());
            let at = (0..=at)
                .rev()
                .find(|c| lines[i].is_char_boundary(*c))
                .unwrap_or(0);
            lines[i].insert_str(at, junk);
        }
    }
    lines.join("\n")
}

#[track_caller]
fn check_run(text: &str) {
    let Ok(mut sc) = scenario::parse(text, "fuzz.toml", &Overrides::default()) else {
        return;
    };
    sc.run.paths = 6;
    sc.run.horizon = sc.run.horizon.min(24);
    for s in &mut sc.strategies {
        for l in &mut s.layoffs {
            l.month.hi = l.month.hi.min(24.0);
        }
    }
    let r = engine::run(&sc);
    check_finals_defined(&r, text);
    let costs = [
        Metric::TotalCost,
        Metric::Payroll,
        Metric::Severance,
        Metric::Hiring,
        Metric::Tokens,
        Metric::Seats,
        Metric::IncidentCost,
        Metric::Loops,
    ];
    for p in 0..r.n_paths {
        for s in 0..r.n_strategies() {
            for c in costs {
                assert!(r.final_value(p, s, c) >= 0.0, "{} < 0\n{text}", c.key());
            }
            // Far beyond what the ranges allow over 24 months (about 1e43), far below
            // where double precision loses the sums: a figure here is an overflow's start.
            let npv = r.final_value(p, s, Metric::Npv);
            assert!(npv.abs() < 1e100, "NPV {npv:e}\n{text}");
            let k = r.final_value(p, s, Metric::KnowledgeEnd);
            assert!((0.0..=1.0).contains(&k), "knowledge {k}\n{text}");
            let h = r.final_value(p, s, Metric::HeadcountEnd);
            assert!(h >= 0.0 && h.fract() == 0.0, "headcount {h}\n{text}");
        }
    }
    let s = r.summarize(sc.headline());
    for st in &s.strategies {
        assert!((0.0..=1.0).contains(&st.p_best.p));
        for (_, m) in st.metrics().filter(|(_, m)| m.n > 0) {
            assert!(
                m.p5 <= m.p25 && m.p25 <= m.p50 && m.p50 <= m.p75 && m.p75 <= m.p95,
                "quantiles out of order\n{text}"
            );
        }
    }
}

/// What one fuzz case came to.
enum Outcome {
    Refused,
    Ran,
    Failed(String),
}

fn fuzz_case(case: u64, seeds: &[String]) -> Outcome {
    // Each case draws from its own stream, so the cases are the same on any thread count.
    let mut rng = tokensim::engine::rng::stream(20261122, case, 0xF022);
    let mut text = seeds[case as usize % seeds.len()].clone();
    for _ in 0..rng.random_range(1..4) {
        text = mutate(&text, &mut rng);
    }
    let checked = std::panic::catch_unwind(|| {
        let valid = scenario::parse(&text, "fuzz.toml", &Overrides::default()).is_ok();
        if valid {
            check_run(&text);
        }
        valid
    });
    match checked {
        Ok(true) => Outcome::Ran,
        Ok(false) => Outcome::Refused,
        Err(e) => {
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Outcome::Failed(format!("case {case}: {why}\n--- input ---\n{text}"))
        }
    }
}

#[test]
fn mutated_scenarios_never_panic_and_valid_ones_run_cleanly() {
    use rayon::prelude::*;
    let cases: u64 = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let seeds = [
        std::fs::read_to_string(root().join("scenarios/reference.toml")).unwrap(),
        std::fs::read_to_string(root().join("scenarios/calibration/fintech_roi.toml")).unwrap(),
    ];
    let started = std::time::Instant::now();
    let (ran, refused, mut failed) = (0..cases)
        .into_par_iter()
        .map(|case| match fuzz_case(case, &seeds) {
            Outcome::Ran => (1u64, 0u64, Vec::new()),
            Outcome::Refused => (0, 1, Vec::new()),
            Outcome::Failed(f) => (0, 0, vec![(case, f)]),
        })
        .reduce(
            || (0, 0, Vec::new()),
            |mut a, b| {
                a.2.extend(b.2);
                (a.0 + b.0, a.1 + b.1, a.2)
            },
        );
    failed.sort_by_key(|(case, _)| *case);
    eprintln!(
        "fuzz: {cases} inputs in {:.0} s: {ran} valid and run, {refused} refused, {} failed",
        started.elapsed().as_secs_f64(),
        failed.len()
    );
    let shown: Vec<&str> = failed.iter().take(5).map(|(_, f)| f.as_str()).collect();
    assert!(
        failed.is_empty(),
        "{} failures, the first:\n{}",
        failed.len(),
        shown.join("\n\n")
    );
    assert!(
        ran > cases / 10 && refused > cases / 10,
        "the mutations should produce both: {ran} valid, {refused} refused"
    );
}
