//! Attribution of a pair's difference to lever groups, and the per-path export: the
//! contributions add up to the difference, a single differing group takes all of it,
//! the result does not depend on threads, and `paths.csv` reproduces `summary.csv`.

use crate::support::*;
use tokensim::analysis::{self, attribute, paths::PATH_METRICS, LeverGroup};
use tokensim::engine::{self, inputs};
use tokensim::metrics::Metric;
use tokensim::model::{Param, Scenario};
use tokensim::report;

fn reference(paths: u64) -> Scenario {
    let mut sc = load("scenarios/reference.toml");
    sc.run.paths = paths;
    sc
}

/// `|a - b|` within `rel` of `b`'s size.
#[track_caller]
fn close(a: f64, b: f64, rel: f64) {
    assert!(
        (a - b).abs() <= rel * b.abs().max(1.0),
        "{a} vs {b}: {:e} apart",
        a - b
    );
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn contributions_add_up_to_the_difference_and_the_ends_are_the_pair_itself() {
    // Replacement as the spreadsheet pitches it against leverage: they differ in every
    // lever group.
    let sc = reference(300);
    let (c, i) = attribute::pair(&sc, Some("replacement,leverage")).unwrap();
    let a = analysis::attribute(&sc, c, i, &|_| {}).unwrap();
    assert_eq!(a.contributions.len(), 6, "{:?}", a.contributions);
    assert_eq!(a.hybrids.len(), 64);
    let total: f64 = a.contributions.iter().map(|x| x.mean).sum();
    close(total, a.difference.0, 1e-9);
    close(
        a.challenger_mean.0 - a.incumbent_mean.0,
        a.difference.0,
        1e-9,
    );
    // The hybrid with every group is the challenger, with none the incumbent: the same
    // numbers as the pair in the scenario's own run.
    let r = engine::run(&sc);
    close(a.challenger_mean.0, mean(&r.column(c, Metric::Npv)), 1e-12);
    close(a.incumbent_mean.0, mean(&r.column(i, Metric::Npv)), 1e-12);
    for x in &a.contributions {
        assert!(x.se > 0.0 && x.se.is_finite(), "{x:?}");
    }
}

/// The reference with a copy of leverage that differs from it in routing and guardrails.
fn with_variant(routing: bool) -> (Scenario, usize, usize) {
    let mut sc = reference(400);
    let lev = strategy(&sc, "leverage");
    let mut s = sc.strategies[lev].clone();
    s.name = "variant".into();
    s.guardrails = Param::fixed(0.8);
    if routing {
        s.routing = Param::fixed(0.0);
    }
    sc.strategies.push(s);
    let v = sc.strategies.len() - 1;
    (sc, v, lev)
}

#[test]
fn a_pair_that_differs_in_one_group_gives_it_all_of_the_difference() {
    let (sc, v, lev) = with_variant(false);
    let a = analysis::attribute(&sc, v, lev, &|_| {}).unwrap();
    assert_eq!(a.contributions.len(), 1);
    assert_eq!(a.contributions[0].group, LeverGroup::Safety);
    assert!(a.difference.0.abs() > 0.0);
    close(a.contributions[0].mean, a.difference.0, 1e-12);
    close(a.contributions[0].se, a.difference.1, 1e-9);
}

#[test]
fn two_groups_split_the_difference_by_their_average_marginal_effect() {
    let (sc, v, lev) = with_variant(true);
    let a = analysis::attribute(&sc, v, lev, &|_| {}).unwrap();
    let groups: Vec<LeverGroup> = a.contributions.iter().map(|c| c.group).collect();
    assert_eq!(groups, [LeverGroup::TokenGovernance, LeverGroup::Safety]);
    let h: Vec<f64> = a.hybrids.iter().map(|h| h.mean).collect();
    assert_eq!(a.hybrids[1].groups, [LeverGroup::TokenGovernance]);
    let governance = 0.5 * ((h[1] - h[0]) + (h[3] - h[2]));
    let safety = 0.5 * ((h[2] - h[0]) + (h[3] - h[1]));
    close(a.contributions[0].mean, governance, 1e-9);
    close(a.contributions[1].mean, safety, 1e-9);
}

#[test]
fn attribution_gives_the_same_bytes_on_one_and_two_threads() {
    let sc = reference(300);
    let (c, i) = sc.headline().unwrap();
    let footer = report::charts::Footer {
        scenario: "reference".into(),
        seed: sc.run.seed,
        paths: 300,
        version: "test".into(),
        sha256: "0".repeat(64),
    };
    let files = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let a = analysis::attribute(&sc, c, i, &|_| {}).unwrap();
            (
                a.clone(),
                report::attribution_files(&a, &footer, true).unwrap(),
            )
        })
    };
    let (one, two) = (files(1), files(2));
    assert_eq!(one.0, two.0);
    assert_eq!(one.1.len(), 4);
    for (a, b) in one.1.iter().zip(&two.1) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs between 1 and 2 threads", a.0);
    }
}

#[test]
fn a_pair_with_no_differing_lever_or_an_unknown_name_is_refused() {
    let mut sc = reference(10);
    let lev = strategy(&sc, "leverage");
    let mut twin = sc.strategies[lev].clone();
    twin.name = "twin".into();
    sc.strategies.push(twin);
    let err = attribute::groups_of_pair(&sc, sc.strategies.len() - 1, lev).unwrap_err();
    assert!(err.contains("differ in no lever"), "{err}");
    let err = attribute::pair(&sc, Some("replacment,leverage")).unwrap_err();
    assert!(err.contains("did you mean `replacement`"), "{err}");
    assert!(attribute::pair(&sc, Some("leverage")).is_err());
    assert!(attribute::pair(&sc, Some("leverage,leverage")).is_err());
    assert_eq!(attribute::pair(&sc, None), Ok(sc.headline().unwrap()));
}

#[test]
fn the_attribute_command_writes_its_files_and_refuses_bad_pairs_with_exit_2() {
    let tmp = tempdir("attribute");
    let out = tmp.join("attribute");
    let o = tokensim(&[
        "attribute",
        "scenarios/reference.toml",
        "--pair",
        "replacement,leverage",
        "--paths",
        "200",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("by which leverage beats replacement on average"),
        "{stdout}"
    );
    for f in [
        "attribution.csv",
        "attribution.json",
        "waterfall.svg",
        "run.json",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let png = read(&out.join("waterfall.png"));
    let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((size(16), size(20)), (1920, 1080));
    let csv = String::from_utf8(read(&out.join("attribution.csv"))).unwrap();
    assert_eq!(csv.lines().count(), 1 + 6 + 2, "{csv}");

    let o = tokensim(&[
        "attribute",
        "scenarios/reference.toml",
        "--pair",
        "replacment,leverage",
        "--paths",
        "10",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("scenarios/reference.toml") && err.contains("did you mean `replacement`"),
        "{err}"
    );
    let text = std::fs::read_to_string(root().join("scenarios/reference.toml")).unwrap();
    let twin = tmp.join("twin.toml");
    std::fs::write(
        &twin,
        format!("{text}\n[strategies.twin]\nassist = {{ kind = \"flat\", seat_price = 39 }}\n"),
    )
    .unwrap();
    let o = tokensim(&[
        "attribute",
        twin.to_str().unwrap(),
        "--pair",
        "twin,flat_seats",
        "--paths",
        "10",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("twin and flat_seats differ in no lever"),
        "{err}"
    );
}

#[test]
fn paths_csv_reproduces_the_means_of_summary_csv_and_the_engines_draws() {
    let tmp = tempdir("paths");
    let out = tmp.join("paths");
    let o = run_reference(&["--paths", "500", "--no-charts", "--export-paths"], &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = read(&out.join("paths.csv"));
    let mut paths = csv::Reader::from_reader(&bytes[..]);
    let header: Vec<String> = paths.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = paths.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 500);
    let col = |name: &str| {
        let j = header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"));
        rows.iter()
            .map(|r| r[j].parse::<f64>().unwrap_or(f64::NAN))
            .collect::<Vec<f64>>()
    };
    let bytes = read(&out.join("summary.csv"));
    let mut summary = csv::Reader::from_reader(&bytes[..]);
    let mut checked = 0;
    for r in summary.records() {
        let r = r.unwrap();
        let Some(m) = Metric::from_key(&r[1]) else {
            continue;
        };
        if !PATH_METRICS.contains(&m) {
            continue;
        }
        let want: f64 = r[3].parse().unwrap();
        // Results kept in single precision are written, here and there, to the digits
        // they have.
        let rounding = if m.is_narrow() { 1e-6 } else { 1e-9 };
        close(mean(&col(&format!("{}.{}", &r[0], &r[1]))), want, rounding);
        checked += 1;
    }
    let strategies = reference(10).strategies.len();
    assert_eq!(checked, strategies * PATH_METRICS.len());
    // Inputs are the engine's draws, path by path.
    let sc = reference(500);
    let all = inputs::distinct(inputs::uncertain_inputs(&sc));
    assert_eq!(
        header.len(),
        2 + all.len() + strategies * PATH_METRICS.len()
    );
    for (key, p) in all {
        let got = col(&key);
        for k in [0usize, 17, 499] {
            assert_eq!(
                got[k],
                inputs::draw_input(&sc, p, k as u64),
                "{key} on path {k}"
            );
        }
    }
    let path = col("path");
    assert_eq!((path[0], path[499]), (0.0, 499.0));
}
