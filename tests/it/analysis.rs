//! Analyst tools: overrides, sweeps, sensitivity, break-even, convergence, the key reference.

use crate::support::*;
use tokensim::analysis::{self, Search, Target, Vary};
use tokensim::engine;
use tokensim::scenario::{self, Overrides};

fn flatten(prefix: &str, v: &toml::Value, out: &mut std::collections::BTreeMap<String, String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                flatten(&format!("{prefix}{k}."), x, out);
            }
        }
        other => {
            out.insert(prefix.trim_end_matches('.').to_string(), other.to_string());
        }
    }
}

fn dumped(sets: &[&str]) -> std::collections::BTreeMap<String, String> {
    let mut args = vec!["run", "scenarios/reference.toml", "--dump-scenario"];
    for s in sets {
        args.extend(["--set", s]);
    }
    let o = tokensim(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: toml::Value = toml::from_str(&String::from_utf8(o.stdout).unwrap()).unwrap();
    let mut out = Default::default();
    flatten("", &v, &mut out);
    out
}

#[test]
fn overrides_change_exactly_the_named_key() {
    let base = dumped(&[]);
    let set = dumped(&[
        "world.subsidy.m_api=2.5",
        "strategies.replacement.layoffs[0].fraction={ pert = [0.2, 0.4, 0.6] }",
    ]);
    let keys: std::collections::BTreeSet<&String> = base.keys().chain(set.keys()).collect();
    let differ: Vec<&&String> = keys
        .iter()
        .filter(|k| base.get(**k) != set.get(**k))
        .collect();
    assert!(!differ.is_empty());
    for k in &differ {
        assert!(
            k.starts_with("world.subsidy.m_api") || k.starts_with("strategies.replacement.layoffs"),
            "{k} changed"
        );
    }
    assert_eq!(set["world.subsidy.m_api"], "2.5");
    assert_eq!(base["world.subsidy.m_api.pert"], "[1.0, 1.5, 3.0]");
}

#[test]
fn a_wrong_override_key_gets_the_nearest_valid_keys_and_exit_2() {
    let o = tokensim(&[
        "validate",
        "scenarios/reference.toml",
        "--set",
        "world.subsidy.m_ap=2",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("did you mean `m_api`?") && err.contains("from --set world.subsidy.m_ap=2"),
        "{err}"
    );
    let tmp = tempdir("set-json");
    let out = tmp.join("r");
    assert!(run_reference(
        &[
            "--paths",
            "50",
            "--no-charts",
            "--quiet",
            "--set",
            "world.subsidy.m_api=2"
        ],
        &out
    )
    .status
    .success());
    let run: serde_json::Value = serde_json::from_slice(&read(&out.join("run.json"))).unwrap();
    assert_eq!(run["overrides"][0], "world.subsidy.m_api=2");
}

#[test]
fn a_mistyped_strategy_in_an_override_is_refused_not_added() {
    let o = tokensim(&[
        "validate",
        "scenarios/reference.toml",
        "--set",
        "strategies.levrage.routing=0.9",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no strategy named `levrage` (did you mean `leverage`?)"),
        "{err}"
    );
}

#[test]
fn an_override_that_cannot_be_made_does_not_hide_the_files_own_problems() {
    let text = std::fs::read_to_string(root().join("scenarios/reference.toml")).unwrap();
    let text = format!("{text}\nbogus_key = 1\n");
    let line = text.lines().count();
    let ov = Overrides {
        sets: vec![
            ("strategies.replacement.layoffs[3].month".into(), "5".into()),
            ("strategies.replacment.routing".into(), "0.2".into()),
            ("world.subsidy.m_api".into(), "-1".into()),
        ],
        ..Overrides::default()
    };
    let Err(scenario::ScenarioError::Invalid { problems, .. }) =
        scenario::parse(&text, "bad.toml", &ov)
    else {
        panic!("the scenario is refused");
    };
    let found: Vec<(&str, Option<usize>)> =
        problems.iter().map(|p| (p.key.as_str(), p.line)).collect();
    assert_eq!(
        found,
        [
            ("strategies.replacement_governed.bogus_key", Some(line)),
            ("world.subsidy.m_api", None),
            ("strategies.replacment.routing", None),
            ("strategies.replacement.layoffs[3].month", None),
        ],
        "{problems:#?}"
    );
    assert!(problems[3]
        .message
        .contains("the list has 1 item, no item [3]"));
}

#[test]
fn a_sweep_point_equals_a_plain_run_with_that_value_set() {
    let text = std::fs::read_to_string(root().join("scenarios/reference.toml")).unwrap();
    let ov = Overrides {
        paths: Some(300),
        ..Overrides::default()
    };
    let vary = [Vary::parse("world.demand.elasticity=0.8:1.6:3").unwrap()];
    let points = analysis::sweep(&text, "reference.toml", &ov, &vary, &|_| {}).unwrap();
    assert_eq!(points.len(), 3);
    assert_eq!(
        points[1].values[0], 1.2,
        "grid points land on exact decimals"
    );
    let value = analysis::value_text(points[1].values[0]);
    let plain_ov = Overrides {
        paths: Some(300),
        sets: vec![("world.demand.elasticity".into(), value)],
        ..Overrides::default()
    };
    let sc = scenario::parse(&text, "reference.toml", &plain_ov).unwrap();
    let plain = engine::run(&sc).summarize(sc.headline());
    let mid = &points[1].summaries;
    for (a, b) in mid.strategies.iter().zip(&plain.strategies) {
        assert_eq!(a.metric(Metric::Npv), b.metric(Metric::Npv));
        assert_eq!(a.p_best, b.p_best);
    }
    // Common random numbers: the elasticity moves token spend and nothing moves the status quo.
    assert_eq!(
        points[0].summaries.strategies[0].metric(Metric::Npv),
        points[2].summaries.strategies[0].metric(Metric::Npv)
    );
    assert_ne!(
        points[0].summaries.strategies[2].metric(Metric::Tokens),
        points[2].summaries.strategies[2].metric(Metric::Tokens)
    );
}

/// A scenario whose only uncertain parameters are named here; every other default
/// distribution is pinned at its mode.
fn pinned(extra: &str) -> String {
    pinned_world(3000, &[], extra)
}

#[test]
fn a_driving_parameter_ranks_first_and_one_without_effect_ranks_last() {
    // a and b differ only in a's flat seat price, which is uncertain; a's loop budget is
    // uncertain too but no strategy runs agents, so it cannot matter.
    let text = pinned(
        "[strategies.a]\nassist = { kind = \"flat\", seat_price = { uniform = [0, 2000] } }\nloop_budget = { uniform = [100, 900] }\n[strategies.b]\nassist = { kind = \"flat\", seat_price = 1000 }\n",
    );
    let sc = parse(&text);
    let r = engine::run(&sc);
    let y = analysis::headline_difference(&sc, &r);
    let ranked = analysis::sensitivity(&sc, &y);
    let keys: Vec<&str> = ranked.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        keys.first(),
        Some(&"strategies.a.assist.seat_price"),
        "{ranked:#?}"
    );
    assert_eq!(
        keys.last(),
        Some(&"strategies.a.loop_budget"),
        "{ranked:#?}"
    );
    let top = &ranked[0];
    assert!(
        top.spearman < -0.99 && top.variance_share > 0.95,
        "{top:#?}"
    );
    assert!(ranked.last().unwrap().variance_share < 0.02);
}

#[test]
fn break_even_recovers_a_value_known_by_construction() {
    // a and b are the same but for a's flat seat price: even exactly at b's price, 100.
    let text = pinned("[strategies.a]\nassist = { kind = \"flat\", seat_price = 50 }\n[strategies.b]\nassist = { kind = \"flat\", seat_price = 100 }\n")
        .replace("paths = 3000", "paths = 200");
    // Every run reports its paths, and there are no more runs than the search allows.
    let search_in = |range: (f64, f64), tolerance: f64| {
        let search = Search {
            key: "strategies.a.assist.seat_price".into(),
            target: Target::PWin(0.5),
            range,
            tolerance,
        };
        let paths = std::sync::atomic::AtomicU64::new(0);
        let count = |n| {
            paths.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        };
        let r =
            analysis::break_even(&text, "t.toml", &Overrides::default(), &search, &count).unwrap();
        assert_eq!(paths.into_inner(), 200 * r.probes.len() as u64);
        let runs = r.probes.len() as u64;
        assert!(runs <= search.runs_at_most(), "{runs}");
        r
    };
    let r = search_in((0.0, 1000.0), 1e-5);
    let v = r.value.expect("a crossing in range");
    assert!((v - 100.0).abs() < 0.05, "{v} {r:#?}");
    // Out of range: not reached, said as such.
    let r = search_in((200.0, 1000.0), 1e-3);
    assert_eq!(r.value, None);
    assert_eq!(r.probes.len(), 2);
}

#[test]
fn convergence_stops_at_the_documented_rule_and_matches_a_fixed_run() {
    let dir = tempdir("converge");
    let file = dir.join("even.toml");
    std::fs::write(
        &file,
        pinned("[strategies.a]\nassist = { kind = \"flat\", seat_price = { uniform = [50, 150] } }\n[strategies.b]\nassist = { kind = \"flat\", seat_price = 100 }\n"),
    )
    .unwrap();
    let out = dir.join("out");
    let o = tokensim(&[
        "run",
        file.to_str().unwrap(),
        "--target-se",
        "0.008",
        "--no-charts",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let run: serde_json::Value = serde_json::from_slice(&read(&out.join("run.json"))).unwrap();
    let rounds = run["details"]["convergence"]["rounds"]
        .as_array()
        .unwrap()
        .clone();
    let paths: Vec<u64> = rounds
        .iter()
        .map(|r| r["paths"].as_u64().unwrap())
        .collect();
    let ses: Vec<f64> = rounds.iter().map(|r| r["se"].as_f64().unwrap()).collect();
    // The rule: start at 1,000; grow to n (se / target)^2 rounded up to 1,000s, at least doubling.
    assert_eq!(paths[0], 1000);
    for w in 0..paths.len() - 1 {
        assert_eq!(
            Some(paths[w + 1]),
            analysis::next_paths(paths[w], ses[w], 0.008, 1000, 1_000_000)
        );
    }
    assert!(*ses.last().unwrap() <= 0.008 && ses[..ses.len() - 1].iter().all(|s| *s > 0.008));
    assert_eq!(run["details"]["convergence"]["reached"], true);
    // The same paths give the same numbers as a fixed --paths run of that size.
    let fixed = dir.join("fixed");
    let n = paths.last().unwrap().to_string();
    let o = tokensim(&[
        "run",
        file.to_str().unwrap(),
        "--paths",
        &n,
        "--no-charts",
        "--quiet",
        "--out",
        fixed.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(read(&out.join("summary.csv")) == read(&fixed.join("summary.csv")));
}

#[test]
fn the_parameter_reference_is_generated_from_the_validator_table() {
    let o = tokensim(&["params", "--markdown"]);
    assert!(o.status.success());
    let printed = String::from_utf8(o.stdout).unwrap();
    for p in tokensim::model::params::PARAMS {
        assert!(printed.contains(&format!("`{}`", p.key)), "{}", p.key);
    }
    let path = root().join("docs/parameters.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &printed).unwrap();
    }
    assert!(
        String::from_utf8(read(&path)).unwrap() == printed,
        "docs/parameters.md is stale: run UPDATE_DOCS=1 cargo test --test it parameter_reference"
    );
}

#[test]
fn params_filters_by_prefix_in_lines_that_fit_a_terminal() {
    let o = tokensim(&["params", "strategies.replacement.assist"]);
    assert!(o.status.success());
    let printed = String::from_utf8(o.stdout).unwrap();
    assert!(printed.contains("strategies.*.assist.cap  Cap on AI spend per engineer"));
    assert!(!printed.contains("world."), "{printed}");
    let all = String::from_utf8(tokensim(&["params"]).stdout).unwrap();
    assert!(all.lines().all(|l| l.chars().count() <= 80));
    assert!(all.contains("world.demand.growth  Yearly growth in token use"));
    let none = tokensim(&["params", "world.nothing"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no scenario key starts with"));
}

#[test]
fn sweep_sensitivity_and_breakeven_write_their_files() {
    let dir = tempdir("analyst-cli");
    let sweep = dir.join("sweep");
    let o = tokensim(&[
        "sweep",
        "scenarios/reference.toml",
        "--vary",
        "world.demand.elasticity=0.8:1.6:3",
        "--vary",
        "world.demand.growth=1.5:3:2",
        "--paths",
        "200",
        "--quiet",
        "--out",
        sweep.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in [
        "sweep.csv",
        "sweep.json",
        "sweep.png",
        "sweep.svg",
        "run.json",
    ] {
        assert!(sweep.join(f).exists(), "{f}");
    }
    let csv = String::from_utf8(read(&sweep.join("sweep.csv"))).unwrap();
    assert_eq!(
        csv.lines()
            .filter(|l| l.contains(",headline,p_win,"))
            .count(),
        6
    );
    let sens = dir.join("sens");
    let o = tokensim(&[
        "sensitivity",
        "scenarios/reference.toml",
        "--paths",
        "500",
        "--quiet",
        "--out",
        sens.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    for f in ["sensitivity.csv", "tornado.png", "tornado.svg"] {
        assert!(sens.join(f).exists(), "{f}");
    }
    let be = dir.join("be");
    let o = tokensim(&[
        "breakeven",
        "scenarios/reference.toml",
        "--param",
        "world.demand.growth",
        "--paths",
        "200",
        "--out",
        be.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("not reached"));
    let o = tokensim(&[
        "breakeven",
        "scenarios/reference.toml",
        "--param",
        "world.demand.growht",
        "--paths",
        "200",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `world.demand.growth`?"));
}
