//! Benchmarks of the analyses that run the engine many times: `analysis` times the
//! attribution of the reference's headline pair (6 lever groups, 64 hybrids) on a reduced
//! number of paths, on 1 and 2 threads, and the per-path export of a run.
//!
//! `cargo bench --bench analysis`. Throughput is in path-month-strategies.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use tokensim::analysis::{self, Paths};
use tokensim::engine;
use tokensim::model::Scenario;
use tokensim::report;
use tokensim::scenario::{self, Overrides};

fn reference(paths: u64) -> Scenario {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/reference.toml"
    ))
    .unwrap();
    let mut sc = scenario::parse(&text, "reference.toml", &Overrides::default()).unwrap();
    sc.run.paths = paths;
    sc
}

fn analyses(c: &mut Criterion) {
    let sc = reference(1_000);
    let (ch, inc) = sc.headline().unwrap();
    let mut g = c.benchmark_group("analysis");
    g.sample_size(10);
    g.throughput(Throughput::Elements(
        64 * sc.run.paths * sc.run.horizon as u64,
    ));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        g.bench_function(
            format!("attribute_6_groups_1000_paths/{threads}_threads"),
            |b| b.iter(|| pool.install(|| analysis::attribute(black_box(&sc), ch, inc, &|_| {}))),
        );
    }
    let sc = reference(10_000);
    let run = engine::run(&sc);
    g.throughput(Throughput::Elements(sc.run.paths));
    g.bench_function("paths_csv_10000_paths", |b| {
        b.iter(|| report::paths_csv(&Paths::of(black_box(&sc), &run)))
    });
    g.finish();
}

criterion_group!(benches, analyses);
criterion_main!(benches);
