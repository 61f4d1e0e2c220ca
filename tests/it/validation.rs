//! Broken scenarios: every problem named with file, line, column and key, exit code 2,
//! and nothing written.

use crate::support::*;
use tokensim::scenario::{self, Overrides, Problem};

fn problems(text: &str) -> Vec<Problem> {
    match scenario::parse(text, "broken.toml", &Overrides::default()) {
        Ok(_) => panic!("scenario should be invalid:\n{text}"),
        Err(e) => e.problems().to_vec(),
    }
}

#[track_caller]
fn check_one(text: &str, key: &str, line: usize, needle: &str) {
    let ps = problems(text);
    let hit = ps
        .iter()
        .find(|p| p.key == key && p.message.contains(needle));
    let p = hit.unwrap_or_else(|| panic!("no problem at {key} with {needle:?}; got {ps:#?}"));
    assert_eq!(p.line, Some(line), "{p:#?}");
    assert!(p.column.is_some());
}

const OK: &str = "[strategies.status_quo]\n";

#[test]
fn an_unknown_key_is_named_with_a_suggestion() {
    check_one(
        "[strategies.leverage]\nrouitng = 0.4\n",
        "strategies.leverage.rouitng",
        2,
        "unknown field `rouitng`",
    );
    let ps = problems("[strategies.leverage]\nrouitng = 0.4\n");
    assert!(ps[0].message.contains("did you mean `routing`?"), "{ps:#?}");
}

#[test]
fn a_wrong_type_is_named() {
    check_one(
        &format!("[org]\nengineers = \"many\"\n{OK}"),
        "org.engineers",
        2,
        "a number or a distribution",
    );
}

#[test]
fn an_unknown_distribution_form_gets_a_suggestion() {
    check_one(
        &format!("[org]\nattrition = {{ perty = [0, 0.01, 0.02] }}\n{OK}"),
        "org.attrition",
        2,
        "did you mean `pert`?",
    );
}

#[test]
fn out_of_range_values_say_what_is_allowed() {
    check_one(
        &format!("[org]\nattrition = 1.5\n{OK}"),
        "org.attrition",
        2,
        "must be in [0, 1]",
    );
    check_one(
        &format!("[org]\nloaded_cost = -5\n{OK}"),
        "org.loaded_cost",
        2,
        "must be in [0,",
    );
}

#[test]
fn a_pert_with_min_above_max_is_refused() {
    check_one(
        &format!("[world.demand]\nelasticity = {{ pert = [5, 2, 4] }}\n{OK}"),
        "world.demand.elasticity",
        2,
        "min <= mode <= max",
    );
}

#[test]
fn a_layoff_after_the_horizon_and_a_fraction_above_one_are_refused() {
    let text =
        "[run]\nhorizon = 24\n[strategies.cut]\nlayoffs = [{ month = 30, fraction = 1.4 }]\n";
    check_one(
        text,
        "strategies.cut.layoffs[0].month",
        4,
        "must be in [1, 24] (the horizon); got 30",
    );
    check_one(
        text,
        "strategies.cut.layoffs[0].fraction",
        4,
        "must be in [0, 1]",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = "[org]\nattrition = 1.5\n[strategies.a]\nrouting = 2\ncaching = -1\n[strategies.b]\nrehire = { target = 0.9 }\n";
    let ps = problems(text);
    let keys: Vec<&str> = ps.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "org.attrition",
            "strategies.a.routing",
            "strategies.a.caching",
            "strategies.b.rehire"
        ],
        "{ps:#?}"
    );
}

#[test]
fn unknown_keys_wrong_types_and_ranges_are_reported_together_in_file_order() {
    let text = "[org]\nengineers = \"x\"\nattrition = 3\n[strategies.a]\nrouitng = 3\nlayoffs = [{ month = 3, fraction = 0.4, senority = 1 }]\nassist = { kind = \"metred\" }\nbackfill_attrition = 3\n[strategies.b]\nguardrails = 2\n";
    let ps = problems(text);
    let got: Vec<(usize, &str)> = ps
        .iter()
        .map(|p| (p.line.unwrap(), p.key.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (2, "org.engineers"),
            (3, "org.attrition"),
            (5, "strategies.a.rouitng"),
            (6, "strategies.a.layoffs[0].senority"),
            (7, "strategies.a.assist.kind"),
            (8, "strategies.a.backfill_attrition"),
            (10, "strategies.b.guardrails"),
        ],
        "{ps:#?}"
    );
    assert!(ps[3].message.contains("did you mean `seniority_weight`?"));
    assert!(ps[4].message.contains("did you mean `metered`?"));
}

#[test]
fn inconsistent_combinations_are_refused() {
    check_one(
        "[run]\nheadline = [\"replacment\", \"b\"]\n[strategies.replacement]\n[strategies.b]\n",
        "run.headline",
        2,
        "did you mean `replacement`?",
    );
    check_one(
        "[strategies.a]\nassist = { kind = \"flat\", spend = 100 }\n",
        "strategies.a.assist.spend",
        2,
        "applies only to kind = \"metered\"",
    );
    check_one(
        "[world.knowledge]\nsingle_holder = 0.5\n[strategies.a]\n",
        "world.knowledge.single_holder",
        2,
        "must add up to at most 1",
    );
    check_one(
        "[world.knowledge]\nsingle_holder = { pert = [0.3, 0.4, 0.5] }\n[strategies.a]\n",
        "world.knowledge.single_holder",
        2,
        "can reach 1.1",
    );
    let ps = problems("[strategies.a]\nagents = { seats = \"replace_laid_off\" }\n");
    assert!(
        ps[0].message.contains("needs at least one layoff"),
        "{ps:#?}"
    );
}

#[test]
fn a_scenario_with_no_strategy_is_refused() {
    let ps = problems("[run]\npaths = 10\n");
    assert_eq!(ps[0].key, "strategies");
}

#[test]
fn the_cli_exits_2_names_the_file_and_line_and_writes_nothing() {
    let dir = tempdir("invalid");
    let file = dir.join("broken.toml");
    std::fs::write(
        &file,
        "[org]\nattrition = 1.5\n[strategies.a]\nrouting = 2\n",
    )
    .unwrap();
    let out = dir.join("out");
    let o = tokensim(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("broken.toml:2:13: org.attrition: must be in [0, 1]"),
        "{err}"
    );
    assert!(
        err.contains("broken.toml:4:11: strategies.a.routing"),
        "{err}"
    );
    assert!(err.contains("2 problems"), "{err}");
    assert!(!out.exists());
    let o = tokensim(&["validate", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn non_utf8_bytes_and_missing_files_exit_2() {
    let dir = tempdir("bytes");
    let file = dir.join("latin1.toml");
    std::fs::write(&file, b"[org]\nengineers = 200 # \xe9quipe\n").unwrap();
    let o = tokensim(&["validate", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("latin1.toml:2:"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = tokensim(&["validate", dir.join("nope.toml").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let o = tokensim(&["validate", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is a folder"));
}

#[test]
fn bad_usage_exits_2() {
    let o = tokensim(&["run", "scenarios/reference.toml", "--paths", "many"]);
    assert_eq!(o.status.code(), Some(2));
    let o = tokensim(&["run", "scenarios/reference.toml", "--horizon", "10000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--horizon must be in [1, 240]"));
}

#[test]
fn adoption_and_late_caps_are_checked() {
    check_one(
        "[strategies.a]\nadoption = { start = 0.3, curve = \"scurve\" }\n",
        "strategies.a.adoption.curve",
        2,
        "did you mean `s_curve`?",
    );
    check_one(
        "[strategies.a]\nadoption = { start = 1.3 }\n",
        "strategies.a.adoption.start",
        2,
        "must be in [0, 1]",
    );
    check_one(
        "[strategies.a]\nassist = { kind = \"metered\", cap_from = 3 }\n",
        "strategies.a.assist.cap_from",
        2,
        "needs a cap to start",
    );
    check_one(
        "[run]\nhorizon = 12\n[strategies.a]\nagents = { seats = 2, cap = 10, cap_from = 13 }\n",
        "strategies.a.agents.cap_from",
        4,
        "the horizon",
    );
}

#[test]
fn a_cost_tail_too_wide_to_compute_is_refused_and_held_on_draws() {
    // A median of 1e-300 under a 95th percentile of 47,000 once gave NPVs near -1e300.
    check_one(
        "[world.incidents]\nloop_median = 1e-300\nloop_p95 = 47000\n[strategies.a]\n",
        "world.incidents.loop_p95",
        3,
        "at most 10,000 times loop_median (47000 and 1e-300)",
    );
    // Uncertain medians are held to the ratio on every draw: the tail stays finite.
    let (mu, sigma) = tokensim::engine::draw::log_params(1e-300, 1e12);
    assert_eq!(mu, 1e-300f64.ln());
    assert!((sigma - 1e4f64.ln() / tokensim::model::dist::Z95).abs() < 1e-12);
    let p = scenario::parse(
        "[world.incidents]\nloop_median = { uniform = [1, 2] }\nloop_p95 = { uniform = [1e4, 2e4] }\n[strategies.a]\n",
        "ok.toml",
        &Overrides::default(),
    );
    assert!(p.is_ok());
}

#[test]
fn a_label_names_a_strategy_for_the_board_and_is_checked() {
    let sc = scenario::parse(
        "[strategies.no_ai]\nlabel = \"no AI\"\n[strategies.replacement_governed]\n",
        "ok.toml",
        &Overrides::default(),
    )
    .unwrap();
    assert_eq!(sc.strategies[0].display(), "no AI");
    assert_eq!(sc.strategies[1].display(), "replacement governed");
    check_one(
        "[strategies.a]\nlabel = \"\"\n",
        "strategies.a.label",
        2,
        "a label is 1 to 40 printable characters",
    );
    check_one(
        "[strategies.a_b]\n[strategies.c]\nlabel = \"A B\"\n",
        "strategies.c.label",
        3,
        "`c` and `a_b` would both read \"A B\" in the board pack",
    );
}
