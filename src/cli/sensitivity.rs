//! `tokensim sensitivity`: one run, then each uncertain parameter's swing of the headline
//! difference and what knowing each before deciding is worth (value of information).

use super::{claim, load, progress_bar, stopwatch, tick, write, Common, Failure};
use tokensim::{analysis, engine, report};

#[derive(Debug, clap::Args)]
pub(super) struct SensitivityArgs {
    #[command(flatten)]
    common: Common,
    /// Skip the chart.
    #[arg(long)]
    no_charts: bool,
}

pub(super) fn sensitivity(a: SensitivityArgs) -> Result<(), Failure> {
    let l = load(&a.common)?;
    let options: Vec<String> = a
        .no_charts
        .then(|| "--no-charts".to_string())
        .into_iter()
        .collect();
    let claim = claim(&a.common, "-sensitivity", "sensitivity", &options)?;
    let elapsed = stopwatch();
    let bar = progress_bar(&a.common, l.sc.run.paths);
    let (ranked, label, mean, voi) = l.pool.install(|| {
        let r = engine::run_with(&l.sc, &tick(&bar));
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        let y = analysis::headline_difference(&l.sc, &r);
        let mean = analysis::average(&y);
        let voi = analysis::value_of_information(&analysis::read_futures(&l.sc, &r, |_| true));
        (
            analysis::sensitivity(&l.sc, &y),
            report::headline_label(&l.sc),
            mean,
            voi,
        )
    });
    let elapsed = elapsed();
    let info = l.info(l.sc.run.paths, false, true, elapsed);
    let footer = l.footer();
    let mut files = report::sensitivity_files(&ranked, &label, mean, &footer, !a.no_charts)
        .map_err(|e| Failure::Runtime(anyhow::anyhow!("cannot write the sensitivity: {e}")))?;
    let names: Vec<String> = l.sc.strategies.iter().map(|s| s.name.clone()).collect();
    let labels: Vec<String> = l.sc.strategies.iter().map(|s| s.display()).collect();
    files.extend(
        report::voi_files(&voi, [&names, &labels], &footer, !a.no_charts).map_err(|e| {
            Failure::Runtime(anyhow::anyhow!(
                "cannot write the value of information: {e}"
            ))
        })?,
    );
    files.push(("run.json".into(), report::run_json(&info)));
    let out = claim.out().to_path_buf();
    write(claim, &files)?;
    if !a.common.quiet {
        println!(
            "{}: {} uncertain parameters over {} paths in {elapsed:.2} s; {label}",
            l.stem,
            ranked.len(),
            l.sc.run.paths
        );
        print!("{}", report::sensitivity_console(&ranked));
        print!("{}", report::voi_console(&voi, &names));
        println!("{}", report::voi_sentence(&voi));
        println!("Wrote {}", out.display());
    }
    Ok(())
}
