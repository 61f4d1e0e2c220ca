//! `tokensim discover`: one run, then PRIM over its futures for where the challenger wins
//! (or the target holds), the box in a sentence, its files and chart.

use super::{claim, load, progress_bar, stopwatch, tick, usage, write, Common, Failure};
use tokensim::analysis::{self, Finding, Goal};
use tokensim::model::Scenario;
use tokensim::{engine, report, scenario};

#[derive(Debug, clap::Args)]
pub(super) struct DiscoverArgs {
    #[command(flatten)]
    common: Common,
    /// The pair: CHALLENGER,INCUMBENT (default: the scenario's headline pair).
    #[arg(long, value_name = "CHALLENGER,INCUMBENT")]
    pair: Option<String>,
    /// The futures to describe, by the pair's NPV difference (challenger minus
    /// incumbent): wins (above 0), npv_diff>X or npv_diff<X, X in dollars (-20e6).
    #[arg(long, default_value = "wins", value_parser = Goal::parse)]
    target: Goal,
    /// Search only these uncertain inputs, by key, comma-separated (default: every
    /// uncertain input of the world, the organisation and the pair's levers).
    #[arg(long, value_delimiter = ',', value_name = "KEY,...")]
    inputs: Vec<String>,
    /// Skip the chart.
    #[arg(long)]
    no_charts: bool,
}

/// The pair `text` names (`CHALLENGER,INCUMBENT`), or the headline pair.
pub(super) fn resolve_pair(
    sc: &Scenario,
    file: &str,
    text: Option<&str>,
) -> Result<(usize, usize), Failure> {
    let names: Vec<&str> = sc.strategies.iter().map(|s| s.name.as_str()).collect();
    let Some(text) = text else {
        return sc.headline().ok_or_else(|| {
            usage(format!(
                "{file}: no headline pair; give --pair CHALLENGER,INCUMBENT"
            ))
        });
    };
    let find = |n: &str| {
        names.iter().position(|x| *x == n).ok_or_else(|| {
            usage(format!(
                "--pair {text}: {file} has no strategy `{n}`{}; it has {}",
                scenario::hint(n, &names),
                names.join(", ")
            ))
        })
    };
    match text.split(',').map(str::trim).collect::<Vec<_>>()[..] {
        [a, b] if a != b => Ok((find(a)?, find(b)?)),
        _ => Err(usage(format!(
            "--pair {text}: expected two different strategies, CHALLENGER,INCUMBENT"
        ))),
    }
}

pub(super) fn discover(a: DiscoverArgs) -> Result<(), Failure> {
    let l = load(&a.common)?;
    let (ia, ib) = resolve_pair(&l.sc, &l.file, a.pair.as_deref())?;
    let (na, nb) = (
        l.sc.strategies[ia].name.clone(),
        l.sc.strategies[ib].name.clone(),
    );
    let (la, lb) = (l.sc.strategies[ia].display(), l.sc.strategies[ib].display());
    // Every named input must be one of the scenario's uncertain inputs.
    let uncertain: Vec<String> = engine::inputs::uncertain_inputs(&l.sc)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    for key in &a.inputs {
        if !uncertain.contains(key) {
            let all: Vec<&str> = uncertain.iter().map(String::as_str).collect();
            return Err(usage(format!(
                "--inputs {key}: not an uncertain input of {}{} (uncertain inputs: {})",
                l.file,
                scenario::hint(key, &all),
                all.join(", ")
            )));
        }
    }
    let mut options = vec![
        format!("--target={:?}", a.target),
        format!("--inputs={}", a.inputs.join(",")),
    ];
    options.extend(a.pair.as_ref().map(|p| format!("--pair={p}")));
    options.extend(a.no_charts.then(|| "--no-charts".to_string()));
    let claim = claim(&a.common, "-discover", "discover", &options)?;
    let elapsed = stopwatch();
    let bar = progress_bar(&a.common, l.sc.run.paths);
    let (f, d) = l.pool.install(|| {
        let r = engine::run_with(&l.sc, &tick(&bar));
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        let f = analysis::read_futures(&l.sc, &r, |k| {
            analysis::of_pair(k, &[&na, &nb])
                && (a.inputs.is_empty() || a.inputs.iter().any(|x| x == k))
        });
        let d = analysis::discover(&f, (ia, ib), a.target);
        (f, d)
    });
    let d = d.map_err(|e| {
        usage(format!(
            "{}: {e} ({}); choose another --target",
            l.file,
            report::goal_phrase(a.target, &na, &nb)
        ))
    })?;
    let seconds = elapsed();
    let info = l.info(l.sc.run.paths, false, true, seconds);
    let footer = l.footer();
    let mut files = l
        .pool
        .install(|| report::discover_files(&f, &d, [(&na, &nb), (&la, &lb)], &footer, !a.no_charts))
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot write the discovery: {e}")))?;
    files.push(("run.json".into(), report::run_json(&info)));
    let out = claim.out().to_path_buf();
    write(claim, &files)?;
    if !a.common.quiet {
        println!(
            "{}: {} futures, {} inputs, in {seconds:.2} s; {} of {} futures meet the target",
            l.stem,
            l.sc.run.paths,
            f.keys.len(),
            d.n_target,
            d.n_paths
        );
        println!("{}", report::discover_sentence(&d, &la, &lb));
        if matches!(d.finding, Finding::Found { .. }) {
            print!("{}", report::discover_console(&f, &d));
        }
        println!("Wrote {}", out.display());
    }
    Ok(())
}
