//! Benchmarks, one group per stage, throughput in path-month-strategies.
//!
//! `cargo bench` runs them all; `cargo bench -- engine` one group. Groups: `parse`,
//! `path` (one world draw, one path of each strategy), `floor` (the random draws alone),
//! `engine` (a sequential loop beside the parallel engine on 1 and 2 threads), `stats`,
//! `report` (every output file, charts included, and the analyses of a run's executive
//! summary), `decide` (scenario discovery and value of information on 100,000 paths) and
//! `correlated` (a 100,000-path run with two correlated pairs of inputs against none).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use tokensim::engine::rng;
use tokensim::engine::{self, schedule, Levers, Mode, PathWorld};
use tokensim::metrics::{MetricRow, Series};
use tokensim::model::Scenario;
use tokensim::report::{self, RunInfo};
use tokensim::scenario::{self, Overrides};

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
    g.bench_function("world_draw", |b| {
        b.iter(|| PathWorld::draw(black_box(&sc), mode))
    });
    // One strategy on one path alone, and on a group of `LANES` paths as the engine runs
    // it (throughput per path-month either way).
    let modes: Vec<Mode> = (7..7 + schedule::LANES as u64)
        .map(|path| Mode::MonteCarlo { seed: 1, path })
        .collect();
    let worlds: Vec<PathWorld> = modes.iter().map(|m| PathWorld::draw(&sc, *m)).collect();
    for st in &sc.strategies {
        let levers: Vec<Levers> = modes
            .iter()
            .map(|m| {
                let mut l = Levers::default();
                l.fill(st, m);
                l
            })
            .collect();
        let lanes = schedule::Lane::group(&worlds, &levers, &modes);
        let mut scratch = schedule::Scratch::default();
        let mut finals = vec![MetricRow::default(); schedule::LANES];
        let mut monthly = vec![0.0; schedule::LANES * months as usize * Series::COUNT];
        for group in [1, schedule::LANES] {
            g.throughput(Throughput::Elements(months * group as u64));
            let id = BenchmarkId::new(format!("strategy_x{group}"), &st.name);
            g.bench_function(id, |b| {
                b.iter(|| {
                    schedule::simulate(
                        black_box(&lanes[..group]),
                        &mut scratch,
                        schedule::Out {
                            finals: &mut finals,
                            finals_stride: 1,
                            monthly: &mut monthly,
                            monthly_stride: months as usize * Series::COUNT,
                            series_stride: 1,
                        },
                    )
                })
            });
        }
    }
    g.finish();
}

/// The draws a path-month cannot do without, as a floor: a fresh xoshiro256++ stream
/// per path, then per month four uniforms (counts) and one lognormal size.
fn draw_floor(c: &mut Criterion) {
    use rand::Rng;
    let (_, sc) = reference();
    let months = sc.run.horizon as u64;
    let mut g = c.benchmark_group("floor");
    g.throughput(Throughput::Elements(months));
    g.bench_function("draws_per_path_month", |b| {
        let mut path = 0u64;
        b.iter(|| {
            path += 1;
            let mut r = rng::stream(1, path, 7);
            let mut acc = 0.0;
            for _ in 0..months {
                for _ in 0..4 {
                    acc += r.random::<f64>();
                }
                let z: f64 = r.sample(rand_distr::StandardNormal);
                acc += (8.0 + 1.7 * z).exp();
            }
            black_box(acc)
        })
    });
    g.finish();
}

fn whole_engine(c: &mut Criterion) {
    let (_, mut sc) = reference();
    sc.run.paths = 4_000;
    let elements = sc.run.paths * sc.run.horizon as u64 * sc.strategies.len() as u64;
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    g.throughput(Throughput::Elements(elements));
    // The baseline: a plain loop over paths and strategies, no threads and no statistics.
    g.bench_function("sequential", |b| {
        let months = sc.run.horizon as usize;
        let mut levers: [Levers; schedule::LANES] = Default::default();
        let mut scratch = schedule::Scratch::default();
        let mut finals = vec![MetricRow::default(); schedule::LANES];
        let mut monthly = vec![0.0; schedule::LANES * months * Series::COUNT];
        b.iter(|| {
            for first in (0..sc.run.paths).step_by(schedule::LANES) {
                let modes: Vec<Mode> = (first..(first + schedule::LANES as u64).min(sc.run.paths))
                    .map(|path| Mode::MonteCarlo { seed: 1, path })
                    .collect();
                let worlds: Vec<PathWorld> =
                    modes.iter().map(|m| PathWorld::draw(&sc, *m)).collect();
                for st in &sc.strategies {
                    for (lev, mode) in levers.iter_mut().zip(&modes) {
                        lev.fill(st, mode);
                    }
                    let lanes = schedule::Lane::group(&worlds, &levers, &modes);
                    schedule::simulate(
                        &lanes,
                        &mut scratch,
                        schedule::Out {
                            finals: &mut finals,
                            finals_stride: 1,
                            monthly: &mut monthly,
                            monthly_stride: months * Series::COUNT,
                            series_stride: 1,
                        },
                    );
                }
            }
            black_box(finals[0])
        })
    });
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
    let mut g = c.benchmark_group("stats");
    g.sample_size(10);
    for paths in [4_000, 100_000] {
        sc.run.paths = paths;
        let result = engine::run(&sc);
        let elements = sc.run.paths * sc.run.horizon as u64 * sc.strategies.len() as u64;
        g.throughput(Throughput::Elements(elements));
        g.bench_function(BenchmarkId::new("summarize_run", paths), |b| {
            b.iter(|| black_box(&result).summarize(sc.headline()))
        });
    }
    g.finish();
}

/// Every output file of a 10,000-path run, with and without the pack (charts, report,
/// deck and workbook, with the charts of the analyses `run` makes for its executive
/// summary), and those analyses themselves (`analysis::decide`).
fn outputs(c: &mut Criterion) {
    let (_, mut sc) = reference();
    sc.run.paths = 10_000;
    let result = engine::run(&sc);
    let summaries = (result).summarize(sc.headline());
    let info = RunInfo::monte_carlo("reference.toml", sc.run.seed, sc.run.paths, sc.run.horizon);
    let findings = report::findings(&tokensim::analysis::decide(&sc, &result), &sc);
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    for charts in [false, true] {
        let name = if charts { "with_charts" } else { "tables_only" };
        g.bench_function(name, |b| {
            b.iter(|| {
                report::run_files(
                    &sc,
                    "reference",
                    &result,
                    &summaries,
                    &info,
                    charts,
                    &findings,
                )
                .unwrap()
            })
        });
    }
    g.bench_function("decide", |b| {
        b.iter(|| tokensim::analysis::decide(&sc, &result))
    });
    g.finish();
}

/// Scenario discovery and value of information on a 100,000-path run of the reference
/// scenario (the run itself not counted), each with reading the futures' inputs, on the
/// default thread pool.
fn decide(c: &mut Criterion) {
    use tokensim::analysis::{self, Goal};
    let (_, mut sc) = reference();
    sc.run.paths = 100_000;
    let result = engine::run(&sc);
    let pair = sc.headline().unwrap();
    let names = [
        sc.strategies[pair.0].name.as_str(),
        sc.strategies[pair.1].name.as_str(),
    ];
    let mut g = c.benchmark_group("decide");
    g.sample_size(10);
    g.throughput(Throughput::Elements(sc.run.paths));
    g.bench_function("discover/100000", |b| {
        b.iter(|| {
            let f = analysis::read_futures(&sc, &result, |k| analysis::of_pair(k, &names));
            analysis::discover(&f, pair, Goal::Wins).unwrap()
        })
    });
    g.bench_function("voi/100000", |b| {
        b.iter(|| {
            let f = analysis::read_futures(&sc, &result, |_| true);
            analysis::value_of_information(&f)
        })
    });
    g.finish();
}

/// What correlated inputs cost: the reference scenario at 100,000 paths with two
/// correlated pairs of uncertain inputs, against the same run without them.
fn correlated(c: &mut Criterion) {
    let (text, _) = reference();
    let pairs = "\n[[correlations]]\nkeys = [\"world.capability.doubling_months\", \"world.prices.g_frontier\"]\nrank = 0.5\n\n[[correlations]]\nkeys = [\"world.incidents.downtime_cost_per_minute\", \"world.knowledge.gamma\"]\nrank = 0.3\n";
    let mut g = c.benchmark_group("correlated");
    g.sample_size(10);
    g.throughput(Throughput::Elements(100_000 * 36 * 6));
    for (name, text) in [("none", text.clone()), ("two_pairs", text + pairs)] {
        let mut sc = scenario::parse(&text, "reference.toml", &Overrides::default()).unwrap();
        sc.run.paths = 100_000;
        g.bench_function(name, |b| b.iter(|| engine::run(&sc)));
    }
    g.finish();
}

criterion_group!(
    benches,
    parse,
    one_path,
    draw_floor,
    whole_engine,
    statistics,
    outputs,
    decide,
    correlated
);
criterion_main!(benches);
