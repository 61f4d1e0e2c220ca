//! `tokensim attribute`: why one strategy beats another, the pair's mean NPV difference
//! split among lever groups (`analysis::attribute`), written and printed.

use super::{claim, load, progress_bar, tick, usage, write, Common, Failure};
use clap::Args;
use tokensim::{analysis, report};

#[derive(Debug, Args)]
pub(super) struct AttributeArgs {
    #[command(flatten)]
    common: Common,
    /// The pair, CHALLENGER,INCUMBENT (default: the scenario's headline pair).
    #[arg(long, value_name = "CHALLENGER,INCUMBENT")]
    pair: Option<String>,
    /// Skip the chart.
    #[arg(long)]
    no_charts: bool,
}

/// Runs `attribute`; `elapsed()` reads the seconds since the command started.
pub(super) fn attribute(a: AttributeArgs, elapsed: &dyn Fn() -> f64) -> Result<(), Failure> {
    let l = load(&a.common)?;
    let at = |e: String| usage(format!("{}: {e}", l.file));
    let (challenger, incumbent) =
        analysis::attribute::pair(&l.sc, a.pair.as_deref()).map_err(at)?;
    let groups = analysis::attribute::groups_of_pair(&l.sc, challenger, incumbent).map_err(at)?;
    // 2^g runs of one strategy each.
    let runs = (1usize << groups.len()).div_ceil(l.sc.strategies.len());
    l.check_size(l.sc.run.paths, runs, a.common.allow_large)?;
    let mut options: Vec<String> = Vec::new();
    options.extend(a.pair.as_ref().map(|p| format!("--pair={p}")));
    options.extend(a.no_charts.then(|| "--no-charts".to_string()));
    let claim = claim(&a.common, "-attribute", "attribute", &options)?;
    let out = claim.out().to_path_buf();
    let bar = progress_bar(&a.common, (1u64 << groups.len()) * l.sc.run.paths);
    let result = l
        .pool
        .install(|| analysis::attribute(&l.sc, challenger, incumbent, &tick(&bar)))
        .map_err(at)?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let seconds = elapsed();
    let mut info = l.info(l.sc.run.paths, false, true, seconds);
    info.details = Some(report::attribution_json(&result));
    let footer = l.footer();
    let mut files = l
        .pool
        .install(|| report::attribution_files(&result, &footer, !a.no_charts))
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot write the attribution: {e}")))?;
    files.push(("run.json".into(), report::run_json(&info)));
    write(claim, &files)?;
    if !a.common.quiet {
        println!(
            "{}: {} against {}, {} lever groups, {} hybrids of {} paths in {seconds:.2} s",
            l.stem,
            result.challenger,
            result.incumbent,
            groups.len(),
            1usize << groups.len(),
            l.sc.run.paths
        );
        print!("{}", report::attribution_console(&result));
        println!("{}", report::attribution_sentence(&result));
        println!("Wrote {}", out.display());
    }
    Ok(())
}
