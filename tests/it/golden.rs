//! Golden results: a small fixed-seed run of every bundled scenario, whose summary is
//! committed under tests/golden/. Any change to the numbers shows up here as a diff to
//! review; regenerate on purpose with `UPDATE_GOLDEN=1 cargo test --test it golden`.

use crate::support::*;
use serde_json::Value;
use tokensim::engine;
use tokensim::report::{self, RunInfo};

/// Every float rounded to 10 significant digits, so the comparison is about the model,
/// not the last bit of floating point.
fn rounded(v: Value) -> Value {
    match v {
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap();
            let r: f64 = format!("{x:.9e}").parse().unwrap();
            serde_json::json!(r)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(rounded).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, rounded(v))).collect()),
        other => other,
    }
}

/// Where two JSON values first differ, for the failure message.
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => {
                        if let Some(d) = first_difference(v, w, &format!("{at}.{k}")) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{at}.{k}: missing from the golden file")),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{at}.{k}: only in the golden file"))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, &format!("{at}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{at}: now {a}, golden {b}")),
    }
}

#[test]
fn every_bundled_scenario_matches_its_golden_summary() {
    // Every scenario at the top of scenarios/ (the library, reference first) and in
    // scenarios/calibration/.
    let toml_files = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .map(|n| format!("{dir}/{n}"))
            .collect();
        v.sort();
        v
    };
    let mut files = vec!["scenarios/reference.toml".to_string()];
    files.extend(
        toml_files("scenarios")
            .into_iter()
            .filter(|f| f != "scenarios/reference.toml"),
    );
    files.extend(toml_files("scenarios/calibration"));
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for rel in files {
        let mut sc = load(&rel);
        sc.run.paths = 200;
        let s = engine::run(&sc).summarize(sc.headline());
        let info = RunInfo::monte_carlo(&rel, sc.run.seed, 200, sc.run.horizon);
        let got = rounded(serde_json::from_slice(&report::summary_json(&s, &info)).unwrap());
        let name = rel
            .trim_start_matches("scenarios/")
            .replace('/', "_")
            .replace(".toml", ".summary.json");
        let path = root().join("tests/golden").join(&name);
        if update {
            std::fs::write(&path, report::pretty(&got)).unwrap();
            continue;
        }
        let want: Value = serde_json::from_slice(&read(&path)).unwrap_or(Value::Null);
        if let Some(d) = first_difference(&got, &want, "") {
            stale.push(format!("{name} {d}"));
        }
    }
    assert!(
        stale.is_empty(),
        "results changed for {stale:?}: review, then UPDATE_GOLDEN=1 cargo test --test it golden"
    );
}
