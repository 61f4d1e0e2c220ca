//! The command line end to end, as a user runs it.

use crate::support::*;
use sha2::{Digest, Sha256};
use tokensim::engine;
use tokensim::scenario::{self, Overrides};

#[test]
fn run_on_the_reference_scenario_prints_the_table_and_writes_every_file() {
    let tmp = tempdir("reference");
    let out = tmp.join("reference");
    let o = run_reference(&["--paths", "400"], &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    for name in [
        "status_quo",
        "flat_seats",
        "leverage",
        "tokenmaxxing",
        "replacement",
        "Headline: replacement beats leverage",
    ] {
        assert!(stdout.contains(name), "{name} missing from\n{stdout}");
    }
    let lines = |f: &str| {
        String::from_utf8(read(&out.join(f)))
            .unwrap()
            .lines()
            .count()
    };
    assert_eq!(lines("summary.csv"), 1 + 5 * (Metric::COUNT + 3));
    assert_eq!(lines("monthly.csv"), 1 + 5 * 36 * Series::COUNT);
    assert_eq!(lines("pairwise.csv"), 1 + 5 * 4);
    let summary: serde_json::Value =
        serde_json::from_slice(&read(&out.join("summary.json"))).unwrap();
    assert_eq!(summary["paths"], 400);
    assert_eq!(summary["headline"]["a"], "replacement");
    let run: serde_json::Value = serde_json::from_slice(&read(&out.join("run.json"))).unwrap();
    let sha: String = Sha256::digest(read(&root().join("scenarios/reference.toml")))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(run["scenario_sha256"], sha);
    assert_eq!(run["seed"], 2026);
    assert_eq!(run["horizon"], 36);
    assert_eq!(run["paths"], 400);
    assert!(run["elapsed_seconds"].as_f64().unwrap() >= 0.0);
    assert!(run["version"].is_string());

    // The CSV agrees with the library on the same paths.
    let mut sc = load("scenarios/reference.toml");
    sc.run.paths = 400;
    let s = engine::run(&sc).summarize(sc.headline());
    let npv_median = s.strategies[0].metric(Metric::Npv).p50;
    let csv = String::from_utf8(read(&out.join("summary.csv"))).unwrap();
    let row = csv
        .lines()
        .find(|l| l.starts_with("status_quo,npv,"))
        .unwrap();
    assert_eq!(row.split(',').nth(7).unwrap(), format!("{npv_median}"));
}

#[test]
fn validate_prints_one_line_and_exits_0() {
    let o = tokensim(&["validate", "scenarios/reference.toml"]);
    assert_eq!(o.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.contains("valid; 5 strategies"), "{stdout}");
}

#[test]
fn dump_scenario_round_trips_to_the_same_scenario() {
    let o = tokensim(&["run", "scenarios/reference.toml", "--dump-scenario"]);
    assert!(o.status.success());
    let dumped = String::from_utf8(o.stdout).unwrap();
    assert!(dumped.contains("[strategies.replacement]"));
    assert!(dumped.contains("downtime_cost_per_minute"));
    let again = scenario::parse(&dumped, "dump.toml", &Overrides::default())
        .unwrap_or_else(|e| panic!("{e}\n{dumped}"));
    assert_eq!(again, load("scenarios/reference.toml"));
}

#[test]
fn point_alone_replaces_the_monte_carlo_run_and_with_paths_sits_beside_it() {
    let dir = tempdir("point");
    let alone = dir.join("alone");
    let o = run_reference(&["--point"], &alone);
    assert!(o.status.success());
    assert!(alone.join("point.csv").exists() && !alone.join("summary.csv").exists());
    assert!(String::from_utf8_lossy(&o.stdout).contains("Point mode"));
    let both = dir.join("both");
    let o = run_reference(&["--point", "--paths", "200"], &both);
    assert!(o.status.success());
    assert!(both.join("point.csv").exists() && both.join("summary.csv").exists());
    assert!(String::from_utf8_lossy(&o.stdout).contains("point NPV"));
}

#[test]
fn a_run_refuses_to_replace_a_folder_it_did_not_write() {
    let dir = tempdir("foreign");
    std::fs::write(dir.join("keep.txt"), "not ours").unwrap();
    let o = run_reference(&["--paths", "20"], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no tokensim run wrote"));
    assert_eq!(
        std::fs::read_to_string(dir.join("keep.txt")).unwrap(),
        "not ours"
    );
    // Its own output it replaces whole.
    let out = dir.join("ours");
    for _ in 0..2 {
        let o = run_reference(&["--paths", "20"], &out);
        assert!(o.status.success());
    }
}

#[test]
fn every_bundled_scenario_validates_and_runs_with_finite_ordered_results() {
    let mut files = Vec::new();
    for dir in ["scenarios", "scenarios/calibration"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                files.push(p);
            }
        }
    }
    assert!(files.len() >= 7);
    for p in files {
        let text = std::fs::read_to_string(&p).unwrap();
        let mut sc = scenario::parse(&text, &p.display().to_string(), &Overrides::default())
            .unwrap_or_else(|e| panic!("{e}"));
        sc.run.paths = 64;
        let r = engine::run(&sc);
        check_finals_defined(&r, &p.display().to_string());
        let s = r.summarize(sc.headline());
        for st in &s.strategies {
            for (_, m) in st.metrics() {
                if m.n > 0 {
                    assert!(
                        m.p5 <= m.p25 && m.p25 <= m.p50 && m.p50 <= m.p75 && m.p75 <= m.p95,
                        "{}",
                        p.display()
                    );
                }
            }
            assert!(st.metric(Metric::TotalCost).p5 >= 0.0);
            let k = st.metric(Metric::KnowledgeEnd);
            assert!(k.p5 >= 0.0 && k.p95 <= 1.0);
        }
    }
}
