//! Same scenario and seed, same bytes: on 1 or 2 threads, and path k whatever the run's size.

use crate::support::*;
use tokensim::engine;

#[test]
fn one_and_two_threads_write_identical_files() {
    let dir = tempdir("threads");
    let (a, b) = (dir.join("one"), dir.join("two"));
    for (threads, out) in [("1", &a), ("2", &b)] {
        let o = tokensim(&[
            "run",
            "scenarios/reference.toml",
            "--paths",
            "700",
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    for f in ["summary.csv", "summary.json", "monthly.csv", "pairwise.csv"] {
        assert!(
            read(&a.join(f)) == read(&b.join(f)),
            "{f} differs between 1 and 2 threads"
        );
    }
    let strip = |p: &std::path::Path| {
        String::from_utf8(read(&p.join("run.json")))
            .unwrap()
            .lines()
            .filter(|l| !l.contains("elapsed_seconds") && !l.contains("\"threads\""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&a), strip(&b));
}

#[test]
fn path_k_does_not_depend_on_how_many_paths_the_run_has() {
    let mut sc = load("scenarios/reference.toml");
    sc.run.paths = 130;
    let small = engine::run(&sc);
    sc.run.paths = 1000;
    let large = engine::run(&sc);
    let window = engine::run_range(&sc, 100, 30);
    let n_f = small.finals.len() / small.n_paths;
    let n_m = small.monthly.len() / small.n_paths;
    let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&small.finals), bits(&large.finals[..130 * n_f]));
    assert_eq!(bits(&small.monthly), bits(&large.monthly[..130 * n_m]));
    assert_eq!(
        bits(&window.finals),
        bits(&small.finals[100 * n_f..130 * n_f])
    );
}

#[test]
fn a_different_seed_gives_different_futures() {
    let mut sc = load("scenarios/reference.toml");
    sc.run.paths = 50;
    let a = engine::run(&sc);
    sc.run.seed += 1;
    let b = engine::run(&sc);
    assert_ne!(a.finals, b.finals);
}
