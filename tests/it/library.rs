//! The scenario library (issue 7): each published case reproduces the figures it was built
//! from in point mode (startup_20, an illustrative case, reproduces its own stated
//! arithmetic), each header lists exactly the overrides its point test uses, each shows its
//! finding in a short fixed-seed Monte Carlo run, and the bundle behind `tokensim list` and
//! `tokensim init` matches `scenarios/`.

use crate::support::*;
use std::collections::BTreeSet;
use tokensim::engine::{self, RunResult};
use tokensim::library;
use tokensim::model::dist::Z95;
use tokensim::model::Scenario;
use tokensim::scenario::{self, Overrides};
use tokensim::stats;

/// Overrides that switch off everything but the published arithmetic: no attrition or
/// codified context, flat prices with no noise, no subsidy end, fixed usage, no incidents,
/// no agent harm and no runaway loops. The same keys as `QUIET_WORLD`, as `--set` pairs.
const QUIET: [(&str, &str); 13] = [
    ("org.attrition", "0"),
    ("org.codified_context", "0"),
    ("world.prices.g_frontier", "1"),
    ("world.prices.g_commodity", "1"),
    ("world.prices.sigma", "0"),
    ("world.subsidy.hazard", "0"),
    ("world.demand.elasticity", "0"),
    ("world.demand.growth", "1"),
    ("world.demand.noise", "0"),
    ("world.demand.script_share", "0"),
    ("world.incidents.base_rate", "0"),
    ("world.incidents.p_harm", "0"),
    ("world.incidents.p_loop", "0"),
];

/// The spreadsheet's world in replacement_thesis.toml's header.
const SPREADSHEET: [(&str, &str); 12] = [
    ("world.production.substitution", "1000"),
    ("world.subsidy.hazard", "0"),
    ("world.capability.kappa", "1"),
    ("world.knowledge.agent_floor", "1"),
    ("world.demand.elasticity", "0"),
    ("world.demand.growth", "1"),
    ("world.knowledge.single_holder", "0"),
    ("world.knowledge.pair_holders", "0"),
    ("world.knowledge.many_holders", "0"),
    ("world.incidents.ai_risk", "0"),
    ("world.incidents.unreviewed_risk", "0"),
    ("world.production.review_per_wu", "0"),
];

fn text(rel: &str) -> String {
    String::from_utf8(read(&root().join(rel))).unwrap()
}

/// A library scenario with `--set` overrides and, if given, another horizon.
#[track_caller]
fn load_with(rel: &str, sets: &[(&str, &str)], horizon: Option<u32>) -> Scenario {
    let ov = Overrides {
        horizon,
        sets: sets
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Overrides::default()
    };
    scenario::parse(&text(rel), rel, &ov).unwrap_or_else(|e| panic!("{e}"))
}

/// The quiet overrides followed by `extra` (a later `--set` of the same key wins).
fn quiet_and<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    QUIET.iter().chain(extra).copied().collect()
}

/// Every `--set KEY=VALUE` pair and `--horizon N` in a scenario's header comments.
fn header_overrides(rel: &str) -> (BTreeSet<(String, String)>, BTreeSet<u32>) {
    let text = text(rel);
    let (mut sets, mut horizons) = (BTreeSet::new(), BTreeSet::new());
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        let words: Vec<&str> = line.split_whitespace().collect();
        for w in words.windows(2) {
            match w[0] {
                "--set" => {
                    let (k, v) = w[1].split_once('=').expect("--set KEY=VALUE");
                    sets.insert((k.to_string(), v.to_string()));
                }
                "--horizon" => {
                    horizons.insert(w[1].parse().expect("--horizon N"));
                }
                _ => {}
            }
        }
    }
    (sets, horizons)
}

/// Asserts that a scenario's header lists exactly the overrides (and any other horizon)
/// its tests load it with, so that a reader can rerun each check from the header.
#[track_caller]
fn check_header(rel: &str, loads: &[&[(&str, &str)]], horizons: &[u32]) {
    let used: BTreeSet<(String, String)> = loads
        .iter()
        .flat_map(|l| l.iter())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let (sets, hs) = header_overrides(rel);
    assert_eq!(
        sets, used,
        "{rel}: the header's --set overrides differ from the tests'"
    );
    assert_eq!(hs, horizons.iter().copied().collect(), "{rel}: --horizon");
}

/// A 200-path run at the scenario's seed, as the golden test makes.
fn short_run(sc: &mut Scenario) -> RunResult {
    sc.run.paths = 200;
    engine::run(sc)
}

/// Mean and standard error of the per-path difference `a - b` of a result.
fn paired(r: &RunResult, sc: &Scenario, a: &str, b: &str, metric: Metric) -> (f64, f64) {
    let x = r.column(strategy(sc, a), metric);
    let y = r.column(strategy(sc, b), metric);
    let d: Vec<f64> = x.iter().zip(&y).map(|(x, y)| x - y).collect();
    let s = stats::summarize(&d);
    (s.mean, s.se)
}

/// Asserts an estimate is above `level` by more than five standard errors.
#[track_caller]
fn check_above(estimate: f64, se: f64, level: f64) {
    assert!(se > 0.0 && se.is_finite(), "standard error {se}");
    assert!(
        estimate - level > 5.0 * se,
        "{estimate} is not above {level} by 5 standard errors (se {se})"
    );
}

/// Cost of one month from the cumulative cost series.
fn point_cost(r: &RunResult, sc: &Scenario, name: &str, month: usize) -> f64 {
    let before = if month > 1 {
        point_month(r, sc, name, month - 1, Series::CumCost)
    } else {
        0.0
    };
    point_month(r, sc, name, month, Series::CumCost) - before
}

// ---------------------------------------------------------------------------------------
// microsoft_2026

const MICROSOFT: &str = "scenarios/microsoft_2026.toml";

#[test]
fn microsoft_2026_metered_at_500_and_2000_costs_13_and_51_times_the_39_flat_seat() {
    let mut loads = Vec::new();
    for (spend, total, times) in [("500", 50_000_000.0, 13.0), ("2000", 200_000_000.0, 51.0)] {
        let sets = quiet_and(&[("strategies.metered.assist.spend", spend)]);
        let sc = load_with(MICROSOFT, &sets, Some(1));
        loads.push(sets);
        let r = engine::run_point(&sc);
        let metered = point_month(&r, &sc, "metered", 1, Series::TokenSpend);
        let flat = point_month(&r, &sc, "flat_seats", 1, Series::TokenSpend);
        check_cents(metered, total);
        check_cents(flat, 3_900_000.0);
        assert_eq!((metered / flat).round(), times, "at ${spend}");
    }
    let loads: Vec<&[(&str, &str)]> = loads.iter().map(|l| l.as_slice()).collect();
    check_header(MICROSOFT, &loads, &[1]);
}

#[test]
fn microsoft_2026_flat_seats_cost_less_than_metered_and_give_up_output() {
    let mut sc = load(MICROSOFT);
    let r = short_run(&mut sc);
    let (cost, se) = paired(&r, &sc, "metered", "flat_seats", Metric::TotalCost);
    check_above(cost, se, 0.0);
    let (output, se) = paired(&r, &sc, "metered", "flat_seats", Metric::Output);
    check_above(output, se, 0.0);
}

// ---------------------------------------------------------------------------------------
// uber_2026

const UBER: &str = "scenarios/uber_2026.toml";
/// 95% of 5,000 engineers at the $1,500 cap.
const UBER_CAP_LEVEL: f64 = 0.95 * 5000.0 * 1500.0;

#[test]
fn uber_2026_spend_rises_with_adoption_to_9_5m_then_the_june_cap_holds_it_at_7_125m() {
    let sc = load_with(UBER, &QUIET, None);
    let r = engine::run_point(&sc);
    let spend = |name, month| point_month(&r, &sc, name, month, Series::TokenSpend);
    check_cents(spend("capped_from_june", 1), 3_200_000.0);
    check_cents(spend("capped_from_june", 4), 9_500_000.0);
    for month in 5..=sc.run.horizon as usize {
        check_cents(spend("capped_from_june", month), 7_125_000.0);
        check_cents(spend("uncapped", month), 9_500_000.0);
    }
    assert_eq!(format!("{:.1}", spend("capped_from_june", 5) / 1e6), "7.1");
    check_header(UBER, &[&QUIET], &[]);
}

#[test]
fn uber_2026_ai_writes_69_percent_of_execution_at_95_percent_adoption() {
    let sc = load_with(UBER, &QUIET, None);
    let r = engine::run_point(&sc);
    // Read the execution X back from output through the CES at the point values
    // (judgment share 0.4, substitution 0.25), with judgment at j * N0 and no know-how
    // lost: (O / N0)^rho = j + (1 - j) x^rho, x = X / ((1 - j) N0).
    let (j, rho, n0) = (0.4, 1.0 - 1.0 / 0.25, 5000.0);
    let output = point_month(&r, &sc, "uncapped", 4, Series::Output);
    let x = (((output / n0).powf(rho) - j) / (1.0 - j)).powf(1.0 / rho);
    let ai_share = 1.0 - 1.0 / x;
    // The article's 70% needs an uplift of 0.341, above 95% of the CES bound (0.339):
    // model 1.1 holds it there, and AI writes 69% (issue 18, amendment 2).
    assert_eq!((ai_share * 100.0).round(), 69.0, "{ai_share}");
    assert_eq!(point_value(&sc, "uncapped", Metric::UpliftClamped), 1.0);
}

#[test]
fn uber_2026_spend_is_over_the_cap_level_before_month_5_and_held_at_it_after() {
    let mut sc = load(UBER);
    let r = short_run(&mut sc);
    let s = r.summarize(None);
    let june = strategy(&sc, "capped_from_june");
    let spend = Series::TokenSpend;
    let m4 = s.month(june, 3, spend);
    check_above(m4.mean, m4.se, UBER_CAP_LEVEL);
    // The median is checked to the cent: exact because monthly quantiles come from the
    // stored values up to EXACT_UP_TO paths (from histograms above), so the short run must
    // stay in that regime.
    assert!(
        r.n_paths <= stats::series::EXACT_UP_TO,
        "{} paths: monthly quantiles are no longer exact",
        r.n_paths
    );
    for month in 4..sc.run.horizon as usize {
        // The cap limits every path; it binds on most, so the median is the cap level.
        for path in 0..r.n_paths {
            let x = r.monthly_value(path, june, month, spend);
            assert!(x <= UBER_CAP_LEVEL * (1.0 + 1e-12), "path {path}: {x}");
        }
        check_cents(s.month(june, month, spend).p50, UBER_CAP_LEVEL);
    }
}

// ---------------------------------------------------------------------------------------
// fintech_roi

const FINTECH: &str = "scenarios/fintech_roi.toml";

#[test]
fn fintech_roi_32_percent_is_57600_a_year_and_returns_24_9_6_and_3_2_times() {
    let mut loads: Vec<Vec<(String, String)>> = Vec::new();
    for (name, spend, roi) in [
        ("metered", "200", 24.0),
        ("metered", "500", 9.6),
        ("heavy", "1500", 3.2),
        ("heavy_capped", "1500", 3.2),
    ] {
        let key = format!("strategies.{name}.assist.spend");
        let cap_key = format!("strategies.{name}.assist.cap");
        let mut sets = quiet_and(&[("org.discount_rate", "0"), (key.as_str(), spend)]);
        if name == "heavy_capped" {
            sets.push((cap_key.as_str(), spend));
        }
        let sc = load_with(FINTECH, &sets, Some(12));
        let owned: Vec<(String, String)> = sets
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        loads.push(owned);
        let engineers = 500.0;
        let base = point_value(&sc, "no_ai", Metric::Value);
        let extra = (point_value(&sc, name, Metric::Value) - base) / engineers;
        check_cents(extra, 57_600.0);
        let tokens = point_value(&sc, name, Metric::Tokens) / engineers;
        check_cents(tokens, 12.0 * spend.parse::<f64>().unwrap());
        assert!((extra / tokens - roi).abs() < 1e-9, "{name} at ${spend}");
    }
    let pairs: Vec<Vec<(&str, &str)>> = loads
        .iter()
        .map(|l| l.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect())
        .collect();
    let loads: Vec<&[(&str, &str)]> = pairs.iter().map(|l| l.as_slice()).collect();
    check_header(FINTECH, &loads, &[12]);
}

#[test]
fn fintech_roi_heavy_uncapped_use_buys_no_more_output_for_more_money() {
    let mut sc = load(FINTECH);
    let r = short_run(&mut sc);
    let (output, se) = paired(&r, &sc, "metered", "no_ai", Metric::Output);
    check_above(output, se, 0.0);
    // The same usage at a higher price: equal output, lower NPV; a cap takes some back.
    let (output, _) = paired(&r, &sc, "heavy", "metered", Metric::Output);
    assert!(output.abs() < 1e-6, "{output}");
    let (npv, se) = paired(&r, &sc, "metered", "heavy", Metric::Npv);
    check_above(npv, se, 0.0);
    let (npv, se) = paired(&r, &sc, "heavy_capped", "heavy", Metric::Npv);
    check_above(npv, se, 0.0);
}

// ---------------------------------------------------------------------------------------
// replacement_thesis

const THESIS: &str = "scenarios/replacement_thesis.toml";

#[test]
fn replacement_thesis_spreadsheet_saves_856000_a_month_after_3_6m_of_severance() {
    let sets: Vec<_> = QUIET.iter().chain(&SPREADSHEET).copied().collect();
    let sc = load_with(THESIS, &sets, None);
    let r = engine::run_point(&sc);
    check_cents(
        point_value(&sc, "replacement", Metric::Severance),
        80.0 * 3.0 * 15_000.0,
    );
    let kept = point_cost(&r, &sc, "status_quo", 4);
    let replaced = point_cost(&r, &sc, "replacement", 4);
    check_cents(kept, 200.0 * 15_000.0);
    check_cents(replaced, 120.0 * 15_000.0 + 80.0 * 4_000.0 + 120.0 * 200.0);
    check_cents(kept - replaced, 856_000.0);
    // The same overrides, and the spreadsheet's world for the Monte Carlo test below.
    check_header(THESIS, &[&sets], &[]);
}

#[test]
fn replacement_thesis_beats_the_status_quo_more_often_in_the_spreadsheet_world() {
    let p_win = |sets: &[(&str, &str)]| {
        let mut sc = load_with(THESIS, sets, None);
        let r = short_run(&mut sc);
        let s = r.summarize(sc.headline());
        let pair = s.headline_pair().expect("headline pair").a_beats_b;
        (pair.p, pair.se)
    };
    let (evidence, se_e) = p_win(&[]);
    let (sheet, se_s) = p_win(&SPREADSHEET);
    let se = (se_e * se_e + se_s * se_s).sqrt();
    check_above(sheet - evidence, se, 0.0);
}

// ---------------------------------------------------------------------------------------
// tokenmaxxing

const TOKENMAXXING: &str = "scenarios/tokenmaxxing.toml";

#[test]
fn tokenmaxxing_engineer_spends_250000_a_year_of_which_the_loop_is_240000() {
    let sc = load_with(TOKENMAXXING, &QUIET, Some(12));
    let engineers = 200.0;
    check_cents(
        point_value(&sc, "tokenmaxxing", Metric::Tokens) / engineers,
        250_000.0,
    );
    let sets = quiet_and(&[("strategies.tokenmaxxing.assist.spend", "0")]);
    let sc = load_with(TOKENMAXXING, &sets, Some(12));
    check_cents(
        point_value(&sc, "tokenmaxxing", Metric::Tokens) / engineers,
        240_000.0,
    );
    check_header(TOKENMAXXING, &[&QUIET, &sets], &[12]);
}

#[test]
fn tokenmaxxing_loses_to_the_same_agents_governed() {
    let mut sc = load(TOKENMAXXING);
    let r = short_run(&mut sc);
    let (npv, se) = paired(&r, &sc, "governed", "tokenmaxxing", Metric::Npv);
    check_above(npv, se, 0.0);
}

// ---------------------------------------------------------------------------------------
// startup_20

const STARTUP: &str = "scenarios/startup_20.toml";

#[test]
fn startup_20_costs_300000_a_month_and_downtime_at_200_a_minute() {
    // An illustrative case: this checks the scenario's own stated arithmetic (payroll, and
    // expected incident cost at its judgement of $200 a minute), not a published figure.
    // Incidents on at their defaults; everything else quiet.
    let sets: Vec<_> = QUIET
        .iter()
        .filter(|(k, _)| *k != "world.incidents.base_rate")
        .copied()
        .collect();
    // Three months, so that the month-3 layoff stays within the horizon; month 1 is checked.
    let sc = load_with(STARTUP, &sets, Some(3));
    let r = engine::run_point(&sc);
    let sigma = 10f64.ln() / Z95; // lognormal with median 30 and p95 300 minutes
    let mean_minutes = (30f64.ln() + sigma * sigma / 2.0).exp();
    let incidents = 0.5 * 20.0 / 200.0; // base rate per 200 engineers, scaled to 20
    check_cents(
        point_cost(&r, &sc, "status_quo", 1),
        300_000.0 + incidents * mean_minutes * 200.0,
    );
    check_header(STARTUP, &[&sets], &[3]);
}

#[test]
fn startup_20_keeping_all_twenty_beats_cutting_eight() {
    let mut sc = load(STARTUP);
    let r = short_run(&mut sc);
    let (npv, se) = paired(&r, &sc, "leverage", "replacement", Metric::Npv);
    check_above(npv, se, 0.0);
}

// ---------------------------------------------------------------------------------------
// hybrid_routing

const ROUTING: &str = "scenarios/hybrid_routing.toml";

#[test]
fn hybrid_routing_60_percent_cuts_4000_to_1750_a_month() {
    let sc = load_with(ROUTING, &QUIET, None);
    let r = engine::run_point(&sc);
    let spend = |name| point_month(&r, &sc, name, 1, Series::TokenSpend);
    check_cents(spend("all_frontier"), 4_000.0);
    check_cents(spend("routed_60"), 1_750.0);
    assert_eq!(
        ((1.0 - spend("routed_60") / spend("all_frontier")) * 100.0).round(),
        56.0
    );
    // Caching half the input (80% of tokens) at a tenth of the price: 1,750 x 0.64.
    check_cents(spend("routed_cached"), 1_120.0);
    check_header(ROUTING, &[&QUIET], &[]);
}

#[test]
fn hybrid_routing_spends_less_in_month_1_and_buys_more_output_over_the_horizon() {
    let mut sc = load(ROUTING);
    let r = short_run(&mut sc);
    let s = r.summarize(None);
    let spend = Series::TokenSpend;
    let frontier = s.month(strategy(&sc, "all_frontier"), 0, spend);
    let routed = s.month(strategy(&sc, "routed_60"), 0, spend);
    let se = (frontier.se * frontier.se + routed.se * routed.se).sqrt();
    check_above(frontier.mean - routed.mean, se, 0.0);
    let (output, se) = paired(&r, &sc, "routed_60", "all_frontier", Metric::Output);
    check_above(output, se, 0.0);
}

// ---------------------------------------------------------------------------------------
// The bundle: `tokensim list` and `tokensim init`

#[test]
fn the_bundle_is_exactly_the_top_level_scenarios_byte_for_byte() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension().is_some_and(|x| x == "toml"))
                .then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    on_disk.sort();
    let mut bundled: Vec<String> = library::names().iter().map(|n| n.to_string()).collect();
    bundled.sort();
    assert_eq!(bundled, on_disk);
    for e in &library::SCENARIOS {
        assert_eq!(
            e.text,
            text(&format!("scenarios/{}.toml", e.name)),
            "{}",
            e.name
        );
    }
}

#[test]
fn every_bundled_scenario_validates_and_states_its_question_on_line_1() {
    for e in &library::SCENARIOS {
        let q = e
            .question()
            .unwrap_or_else(|| panic!("{}: line 1 must be `# {}: <question>`", e.name, e.name));
        assert!(q.ends_with('?'), "{}: {q}", e.name);
        scenario::parse(e.text, e.name, &Overrides::default())
            .unwrap_or_else(|err| panic!("{}: {err}", e.name));
    }
}

#[test]
fn list_prints_every_bundled_scenario_with_its_question() {
    let o = tokensim(&["list"]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), library::SCENARIOS.len(), "{out}");
    for (line, e) in lines.iter().zip(&library::SCENARIOS) {
        assert!(line.starts_with(e.name), "{line}");
        assert!(line.ends_with(e.question().unwrap()), "{line}");
    }
}

#[test]
fn init_writes_identical_bytes_and_refuses_to_overwrite() {
    let dir = tempdir("library-init");
    let file = dir.join("mine.toml");
    let f = file.to_str().unwrap();
    let o = tokensim(&["init", "uber_2026", f]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read(&file), read(&root().join("scenarios/uber_2026.toml")));
    // A second init must leave the edited file alone.
    std::fs::write(&file, "# edited\n").unwrap();
    let o = tokensim(&["init", "fintech_roi", f]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(read(&file), b"# edited\n");
    // Without FILE it writes NAME.toml in the current folder.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tokensim"))
        .args(["init", "startup_20"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(
        read(&dir.join("startup_20.toml")),
        read(&root().join("scenarios/startup_20.toml"))
    );
}

#[test]
fn init_suggests_the_nearest_name_for_a_typo_and_exits_2() {
    let o = tokensim(&["init", "uber_2062", "/nonexistent/never-written.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did you mean `uber_2026`?"), "{err}");
    let o = tokensim(&["init", "zzzzzzzzzz"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("tokensim list"), "{err}");
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn init_into_a_directory_writes_name_toml_there_and_still_refuses_to_overwrite() {
    let dir = tempdir("library-init-dir");
    let d = dir.to_str().unwrap();
    let o = tokensim(&["init", "uber_2026", d]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = dir.join("uber_2026.toml");
    assert_eq!(read(&file), read(&root().join("scenarios/uber_2026.toml")));
    std::fs::write(&file, "# edited\n").unwrap();
    let o = tokensim(&["init", "uber_2026", d]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("uber_2026.toml: already exists"), "{err}");
    assert_eq!(read(&file), b"# edited\n");
}

#[test]
fn init_accepts_any_letter_case_and_a_trailing_toml() {
    let dir = tempdir("library-init-case");
    for (i, typed) in ["UBER_2026", "uber_2026.toml", "Uber_2026.TOML"]
        .iter()
        .enumerate()
    {
        let file = dir.join(format!("copy{i}.toml"));
        let o = tokensim(&["init", typed, file.to_str().unwrap()]);
        assert!(
            o.status.success(),
            "{typed}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(read(&file), read(&root().join("scenarios/uber_2026.toml")));
    }
    // Without FILE the copy takes the bundled name, not the letters typed.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tokensim"))
        .args(["init", "FINTECH_ROI.toml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("fintech") || n.starts_with("FINTECH"))
        .collect();
    assert_eq!(names, ["fintech_roi.toml"]);
}

#[test]
fn init_quotes_a_path_with_spaces_in_its_message() {
    let tmp = tempdir("library-init-quote");
    let dir = tmp.join("board pack");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("our case.toml");
    let f = file.to_str().unwrap();
    let o = tokensim(&["init", "uber_2026", f]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        out.trim_end(),
        format!("Wrote '{f}': edit it, then `tokensim run '{f}'`")
    );
    // A path a shell leaves alone is printed as it is.
    let plain = dir.parent().unwrap().join("plain.toml");
    let p = plain.to_str().unwrap();
    let o = tokensim(&["init", "uber_2026", p]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        out.trim_end(),
        format!("Wrote {p}: edit it, then `tokensim run {p}`")
    );
}
