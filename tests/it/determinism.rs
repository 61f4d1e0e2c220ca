//! Same scenario and seed, same bytes: on 1 or 2 threads, and path k whatever the run's size.

use crate::support::*;
use tokensim::engine;

#[test]
fn one_and_two_threads_write_identical_files() {
    let dir = tempdir("threads");
    let (a, b) = (dir.join("one"), dir.join("two"));
    for (threads, out) in [("1", &a), ("2", &b)] {
        // Above the 4,096 paths whose series are kept, so histograms are compared too.
        let o = run_reference(&["--paths", "5000", "--threads", threads, "--quiet"], out);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    for f in [
        "summary.csv",
        "summary.json",
        "monthly.csv",
        "pairwise.csv",
        "charts/net_value_fan.svg",
        "charts/net_value_fan.png",
        "charts/npv_distribution.csv",
        "charts/incident_loss_exceedance.json",
        "report.html",
        "report.md",
        "deck.pptx",
        "results.xlsx",
    ] {
        assert!(
            read(&a.join(f)) == read(&b.join(f)),
            "{f} differs between 1 and 2 threads"
        );
    }
    let strip = |p: &std::path::Path| {
        String::from_utf8(read(&p.join("run.json")))
            .unwrap()
            .lines()
            .filter(|l| {
                !l.contains("elapsed_seconds")
                    && !l.contains("render_seconds")
                    && !l.contains("engine_seconds")
                    && !l.contains("stats_seconds")
                    && !l.contains("\"threads\"")
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&a), strip(&b));
}

#[test]
fn path_k_does_not_depend_on_how_many_paths_the_run_has_nor_which_share_its_lanes() {
    let mut sc = load("scenarios/reference.toml");
    sc.run.paths = 130;
    let small = engine::run(&sc);
    sc.run.paths = 1000;
    let large = engine::run(&sc);
    // Paths are simulated in groups of `LANES` from the first of a range: starting at
    // 101 puts every path of the window beside other paths than in the full run.
    let window = engine::run_range(&sc, 101, 29);
    let n_f = small.all_finals().len() / small.n_paths;
    let n_m = small.series.n_series;
    let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(
        bits(&small.all_finals()),
        bits(&large.all_finals()[..130 * n_f])
    );
    assert_eq!(
        bits(&small.series.pilot),
        bits(&large.series.pilot[..130 * n_m])
    );
    assert_eq!(
        bits(&window.all_finals()),
        bits(&small.all_finals()[101 * n_f..130 * n_f])
    );
    assert_eq!(
        bits(&window.series.pilot),
        bits(&small.series.pilot[101 * n_m..130 * n_m])
    );
}

#[test]
fn a_different_seed_gives_different_futures() {
    let mut sc = load("scenarios/reference.toml");
    sc.run.paths = 50;
    let a = engine::run(&sc);
    sc.run.seed += 1;
    let b = engine::run(&sc);
    assert_ne!(a.all_finals(), b.all_finals());
}

#[test]
fn monthly_statistics_above_the_exact_limit_do_not_depend_on_threads() {
    // Enough paths beyond the exact limit for several blocks, and an odd thread count.
    let mut sc = load("scenarios/reference.toml");
    sc.run.paths = (tokensim::stats::series::EXACT_UP_TO + 5000) as u64;
    sc.run.horizon = 12;
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let a = one.install(|| engine::run(&sc).summarize(None));
    let b = two.install(|| engine::run(&sc).summarize(None));
    assert!(a
        .monthly
        .iter()
        .zip(&b.monthly)
        .all(|(x, y)| format!("{x:?}") == format!("{y:?}")));
}

#[test]
fn histogram_monthly_quantiles_stay_well_inside_their_monte_carlo_error() {
    use tokensim::stats::{quantile_sorted, series::EXACT_UP_TO, QUANTILES};
    let mut sc = load("scenarios/reference.toml");
    let n = 10_000;
    sc.run.paths = n as u64;
    let r = engine::run(&sc);
    let binned = r.summarize(None);
    // Exact values from runs small enough to keep every series, on the same paths.
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < n {
        let len = EXACT_UP_TO.min(n - start);
        pieces.push(engine::run_range(&sc, start as u64, len as u64));
        start += len;
    }
    let n_series = pieces[0].series.n_series;
    let hist = r
        .series
        .histograms
        .as_ref()
        .expect("a run above the exact limit bins its series");
    let mut worst: f64 = 0.0;
    for s in 0..n_series {
        let mut v: Vec<f64> = pieces
            .iter()
            .flat_map(|r| r.series.pilot.chunks(n_series).map(move |row| row[s]))
            .collect();
        v.sort_by(f64::total_cmp);
        let got = &binned.monthly[s];
        for (p, q) in QUANTILES
            .iter()
            .zip([got.p5, got.p25, got.p50, got.p75, got.p95])
        {
            let exact = quantile_sorted(&v, *p);
            // Monte Carlo error of the quantile: half the spread of its one-sigma rank band.
            let d = (p * (1.0 - p) / n as f64).sqrt();
            let band = 0.5
                * (quantile_sorted(&v, (p + d).min(1.0)) - quantile_sorted(&v, (p - d).max(0.0)));
            let err = (q - exact).abs();
            assert!(
                err <= hist.bin_width(s) + 1e-9 * exact.abs(),
                "series {s} p {p}: {q} vs {exact}"
            );
            // Where the distribution is continuous at the quantile, compare with its error.
            if band > 10.0 * hist.bin_width(s) {
                worst = worst.max(err / band);
            }
        }
    }
    assert!(
        worst < 0.25,
        "worst histogram error is {worst:.3} of the Monte Carlo error"
    );
    eprintln!("worst histogram quantile error: {worst:.4} of the Monte Carlo error");
}

#[test]
fn progress_is_reported_per_chunk_and_changes_nothing() {
    let mut sc = load("scenarios/reference.toml");
    sc.run.paths = 6000;
    sc.run.horizon = 6;
    let calls = std::sync::atomic::AtomicU64::new(0);
    let done = std::sync::atomic::AtomicU64::new(0);
    let with = engine::run_with(&sc, &|n| {
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    });
    let without = engine::run(&sc);
    assert_eq!(done.into_inner(), 6000);
    // 6,000 paths are 12 chunks of 512 (the last one short): one call each, not one per path.
    let calls = calls.into_inner();
    assert_eq!(calls, 12);
    let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&with.all_finals()), bits(&without.all_finals()));
}
