//! Benchmarks, one group per stage, throughput in path-month-strategies.
//!
//! `cargo bench` runs them all; `cargo bench -- engine` one group.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use tokensim::engine::{self, path, Levers, Mode, PathWorld, FINAL_METRICS, MONTHLY_METRICS};
use tokensim::model::Scenario;
use tokensim::scenario::{self, Overrides};
use tokensim::stats;

fn reference() -> (String, Scenario) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/reference.toml"
    ))
    .unwrap();
    let sc = scenario::parse(&text, "reference.toml", &Overrides::default()).unwrap();
    (text, sc)
}

fn parse(c: &mut Criterion) {
    let (text, _) = reference();
    c.bench_function("parse/reference", |b| {
        b.iter(|| {
            scenario::parse(black_box(&text), "reference.toml", &Overrides::default()).unwrap()
        })
    });
}

fn one_path(c: &mut Criterion) {
    let (_, sc) = reference();
    let months = sc.run.horizon as u64;
    let mut g = c.benchmark_group("path");
    g.throughput(Throughput::Elements(months));
    let mode = Mode::MonteCarlo { seed: 1, path: 7 };
    let world = PathWorld::draw(&sc, mode);
    g.bench_function("world_draw", |b| {
        b.iter(|| PathWorld::draw(black_box(&sc), mode))
    });
    for (i, st) in sc.strategies.iter().enumerate() {
        let mut levers = Levers::default();
        levers.fill(st, &mode);
        let mut scratch = path::Scratch::default();
        let mut finals = vec![0.0; FINAL_METRICS.len()];
        let mut monthly = vec![0.0; months as usize * MONTHLY_METRICS.len()];
        g.bench_with_input(
            BenchmarkId::new("strategy", &sc.strategies[i].name),
            st,
            |b, st| {
                b.iter(|| {
                    path::simulate(
                        &world,
                        st,
                        &levers,
                        &mode,
                        &mut scratch,
                        &mut finals,
                        &mut monthly,
                    )
                })
            },
        );
    }
    g.finish();
}

fn whole_engine(c: &mut Criterion) {
    let (_, mut sc) = reference();
    sc.run.paths = 4_000;
    let elements = sc.run.paths * sc.run.horizon as u64 * sc.strategies.len() as u64;
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    g.throughput(Throughput::Elements(elements));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        g.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter(|| pool.install(|| engine::run(black_box(&sc))))
        });
    }
    g.finish();
}

fn statistics(c: &mut Criterion) {
    let (_, mut sc) = reference();
    sc.run.paths = 4_000;
    let result = engine::run(&sc);
    let elements = sc.run.paths * sc.run.horizon as u64 * sc.strategies.len() as u64;
    let mut g = c.benchmark_group("stats");
    g.sample_size(10);
    g.throughput(Throughput::Elements(elements));
    g.bench_function("summarize_run", |b| {
        b.iter(|| stats::summarize_run(black_box(&result), sc.headline()))
    });
    g.finish();
}

criterion_group!(benches, parse, one_path, whole_engine, statistics);
criterion_main!(benches);
