//! The progress bar on stderr and the engine's progress callback that feeds it.

use super::Common;
use std::io::IsTerminal;

/// A progress bar over `paths` simulated futures, drawn on stderr, when the options ask
/// for one (or, by default, when stderr is a terminal and the command is not quiet).
pub(super) fn progress_bar(common: &Common, paths: u64) -> Option<indicatif::ProgressBar> {
    progress_bar_with(
        common,
        paths,
        "{bar:40} {human_pos}/{human_len} paths  {elapsed} elapsed, about {eta} left",
    )
}

/// `progress_bar` for a search whose runs stop once it has found its answer: the end of
/// the bar is the most paths it may take, and no time left is promised.
pub(super) fn search_bar(common: &Common, paths_at_most: u64) -> Option<indicatif::ProgressBar> {
    progress_bar_with(
        common,
        paths_at_most,
        "{bar:40} {human_pos} paths of at most {human_len}  {elapsed} elapsed",
    )
}

fn progress_bar_with(
    common: &Common,
    paths: u64,
    template: &str,
) -> Option<indicatif::ProgressBar> {
    let show = common.progress
        || (!common.no_progress && !common.quiet && std::io::stderr().is_terminal());
    if !show {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(paths),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// The engine's progress callback for an optional bar.
pub(super) fn tick(bar: &Option<indicatif::ProgressBar>) -> impl Fn(u64) + Sync + '_ {
    move |done| {
        if let Some(bar) = bar {
            bar.inc(done);
        }
    }
}
