//! Limits that hold: the size estimate counts every output at its size and refuses
//! before any work, threads are bounded, memory the machine cannot give is a clean exit
//! 1, and an oversized scenario file is refused before it is parsed.

use crate::support::*;
use std::time::{Duration, Instant};
use tokensim::{engine, report};

/// A scenario of `n` strategies, each a copy of the status quo.
fn many_strategies(n: usize) -> String {
    let mut text = String::from("[run]\npaths = 300\n");
    for i in 0..n {
        text.push_str(&format!("\n[strategies.s{i}]\n"));
    }
    text
}

#[test]
fn the_estimate_counts_outputs_that_grow_with_the_square_of_the_strategies() {
    // Peak resident memory measured with `/usr/bin/time -v` on 2 threads, 300 paths, 36
    // months, every output: 1,000 strategies took 6.35 GiB (the estimate was 0.68 GiB);
    // the figures below were measured on this build.
    for (strategies, measured) in MEASURED {
        let sc = parse(&many_strategies(strategies));
        let bytes = engine::estimate(&sc, 2).bytes + report::output_bytes(strategies, 36);
        assert!(
            bytes > 0.8 * measured && bytes < 1.6 * measured,
            "{strategies} strategies: estimate {bytes:.3e}, measured {measured:.3e}"
        );
    }
}

/// (strategies, peak resident bytes) at 300 paths, 36 months, 2 threads, every output.
const MEASURED: [(usize, f64); 3] = [(3, 60e6), (100, 200e6), (300, 1.0e9)];

#[test]
fn a_sweep_grid_too_large_is_refused_before_any_work() {
    let dir = tempdir("big-sweep");
    let started = Instant::now();
    let o = tokensim(&[
        "sweep",
        "scenarios/reference.toml",
        "--paths",
        "10",
        "--vary",
        "world.subsidy.m_api=1:3:1000",
        "--vary",
        "world.demand.elasticity=0.6:1.8:1000",
        "--out",
        dir.join("o").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("1000000 runs") && err.contains("--allow-large"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(!dir.join("o").exists());
}

#[test]
fn threads_are_bounded_by_the_cores() {
    let cores = std::thread::available_parallelism().unwrap().get();
    let too_many = (4 * cores + 1).to_string();
    let o = tokensim(&[
        "run",
        "scenarios/reference.toml",
        "--threads",
        &too_many,
        "--dump-scenario",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("more than 4 per core") && err.contains(&format!("at most {}", 4 * cores)),
        "{err}"
    );
    let most = (4 * cores).to_string();
    let o = tokensim(&[
        "run",
        "scenarios/reference.toml",
        "--threads",
        &most,
        "--dump-scenario",
    ]);
    assert!(o.status.success());
}

#[test]
fn memory_the_machine_cannot_give_is_a_clean_exit_1() {
    let dir = tempdir("no-memory");
    let file = dir.join("huge.toml");
    std::fs::write(&file, many_strategies(2000)).unwrap();
    let o = tokensim(&[
        "run",
        file.to_str().unwrap(),
        "--paths",
        "100000000",
        "--horizon",
        "240",
        "--allow-large",
        "--out",
        dir.join("o").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot give") && !err.contains("panicked"),
        "{err}"
    );
    assert!(!dir.join("o").exists());
}

#[test]
fn a_scenario_file_over_1_mib_is_refused_before_parsing() {
    let dir = tempdir("big-file");
    let file = dir.join("big.toml");
    let mut text = String::from("[strategies.a]\n");
    while text.len() <= 1 << 20 {
        text.push_str("# a comment line to make the file large\n");
    }
    std::fs::write(&file, &text).unwrap();
    let o = tokensim(&["validate", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("over 1 MiB"));
    // Just under the limit is read.
    std::fs::write(&file, &text[..1 << 20]).unwrap();
    let o = tokensim(&["validate", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
