//! A deterministic mutation fuzzer over scenario text, bounded so it runs in `cargo test`
//! (`FUZZ_CASES` sets the number of inputs, 1,500 by default). Parse and validate must
//! never panic; any scenario that validates must run with every output finite (or
//! undefined where the figure has no meaning), quantiles ordered, costs non-negative,
//! knowledge and probabilities in [0, 1], and headcount a whole number.

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

#[test]
fn mutated_scenarios_never_panic_and_valid_ones_run_cleanly() {
    let cases: usize = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let seeds = [
        std::fs::read_to_string(root().join("scenarios/reference.toml")).unwrap(),
        std::fs::read_to_string(root().join("scenarios/calibration/fintech_roi.toml")).unwrap(),
    ];
    let mut rng = tokensim::engine::rng::stream(20261122, 0, 0xF022);
    let (mut valid, mut invalid) = (0, 0);
    for case in 0..cases {
        let mut text = seeds[case % seeds.len()].clone();
        for _ in 0..rng.random_range(1..4) {
            text = mutate(&text, &mut rng);
        }
        let outcome = std::panic::catch_unwind(|| {
            scenario::parse(&text, "fuzz.toml", &Overrides::default()).is_ok()
        });
        match outcome {
            Ok(true) => {
                valid += 1;
                check_run(&text);
            }
            Ok(false) => invalid += 1,
            Err(_) => panic!("parse panicked on case {case}:\n{text}"),
        }
    }
    eprintln!("fuzz: {cases} inputs, {valid} valid and run, {invalid} refused, no panic");
    assert!(
        valid > cases / 10 && invalid > cases / 10,
        "the mutations should produce both: {valid} valid, {invalid} refused"
    );
}
