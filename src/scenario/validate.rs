//! Validation: the raw schema checked and turned into `model::Scenario`, every problem
//! collected with its key, line and column before it gives up. This file holds the run
//! settings, the world's checks across keys and the headline pair; one strategy is
//! validated in `strategy`, and both build through `context::Ctx`.
//!
//! It must not parse text, read files, run the model or print.

use super::context::Ctx;
use super::correlations::correlate;
use super::problem::Problem;
use super::raw::{RawParam, RawScenario};
use super::strategy::validate_strategy;
use super::suggest::hint;
use super::Overrides;
use crate::model::dist::{echo, MAX_P95_RATIO};
use crate::model::params::{Org, Param, World};
use crate::model::{
    RunSettings, Scenario, Strategy, DEFAULT_HORIZON, DEFAULT_PATHS, DEFAULT_SEED, MAX_HORIZON,
    MAX_PATHS, MAX_SEED,
};
use std::ops::Range;

/// Validates the raw schema into the model, reporting every problem at once.
pub fn validate(raw: &RawScenario, text: &str, ov: &Overrides) -> Result<Scenario, Vec<Problem>> {
    let mut cx = Ctx {
        text,
        problems: Vec::new(),
    };
    let mut run = validate_run(&mut cx, raw, ov);

    let mut org: Org<Param> = raw.org.map(|k, v| cx.param(&format!("org.{k}"), v));
    let mut world: World<Param> = raw
        .world
        .map(|pre, k, v| cx.param(&format!("{pre}.{k}"), v));
    check_world(&mut cx, &world, raw);
    correlate(&mut cx, &raw.correlations, &mut org, &mut world);

    if raw.strategies.is_empty() {
        cx.problem(
            "strategies",
            None,
            "a scenario needs at least one strategy, e.g. [strategies.status_quo]".into(),
        );
    }
    check_names(&mut cx, raw.strategies.keys());
    check_labels(&mut cx, raw);
    let mut strategies = Vec::with_capacity(raw.strategies.len());
    for (name, rs) in &raw.strategies {
        strategies.push(validate_strategy(&mut cx, name, rs, run.horizon));
    }
    run.headline = validate_headline(&mut cx, raw, &strategies);

    if !cx.problems.is_empty() {
        return Err(cx.problems);
    }
    let correlations = raw
        .correlations
        .iter()
        .map(|c| {
            let c = &c.get_ref().0;
            let keys = c.keys.get_ref();
            crate::model::Correlation {
                keys: [keys[0].clone(), keys[1].clone()],
                rank: *c.rank.get_ref(),
            }
        })
        .collect();
    Ok(Scenario {
        run,
        org,
        world,
        strategies,
        correlations,
    })
}

/// Strategy names are identifiers: ASCII letters, digits, `_` and `-`, not starting with
/// `-` (so no name is read as a formula by a spreadsheet, or needs quoting in `--set`),
/// and unique ignoring letter case.
fn check_names<'a>(cx: &mut Ctx, names: impl Iterator<Item = &'a String>) {
    let mut seen: Vec<&str> = Vec::new();
    for name in names {
        let key = format!("strategies.{name}");
        if !is_identifier(name) {
            cx.problem(
                &key,
                None,
                format!("a strategy name is ASCII letters, digits, `_` and `-`, not starting with `-`, such as `leverage_capped`; got `{}`", name.escape_debug()),
            );
        } else if let Some(first) = seen.iter().find(|s| s.eq_ignore_ascii_case(name)) {
            cx.problem(
                &key,
                None,
                format!("`{name}` and `{first}` differ only in letter case; give every strategy a name of its own"),
            );
        }
        seen.push(name);
    }
}

/// The most characters of a strategy's label: it goes into chart titles and legends.
const MAX_LABEL: usize = 40;

/// Strategy labels as a board reads them (a given `label`, else the name with spaces):
/// printable, at most `MAX_LABEL` characters, and no two alike ignoring letter case.
fn check_labels(cx: &mut Ctx, raw: &RawScenario) {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for (name, rs) in &raw.strategies {
        let key = format!("strategies.{name}.label");
        let span = rs.label.as_ref().map(|l| l.span());
        let given = rs.label.as_ref().map(|l| l.get_ref().trim());
        if let Some(l) = given {
            if l.is_empty() || l.chars().count() > MAX_LABEL || l.chars().any(char::is_control) {
                cx.problem(
                    &key,
                    span.clone(),
                    format!("a label is 1 to {MAX_LABEL} printable characters, such as \"replacement with governance\"; got \"{}\"", l.escape_debug()),
                );
                continue;
            }
        }
        let shown = crate::model::display_name(name, given);
        if let Some((_, first)) = seen
            .iter()
            .find(|(s, _)| s.to_lowercase() == shown.to_lowercase())
        {
            cx.problem(
                &key,
                span,
                format!("`{name}` and `{first}` would both read \"{shown}\" in the board pack; give one a `label` of its own"),
            );
        }
        seen.push((shown, name));
    }
}

/// `[A-Za-z0-9_][A-Za-z0-9_-]*`.
pub(super) fn is_identifier(name: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut chars = name.chars();
    chars.next().is_some_and(ok) && chars.all(|c| ok(c) || c == '-')
}

/// Paths, seed and horizon: the file's, unless the command line gives them. The headline
/// pair is left to `validate_headline`, which needs the strategies.
fn validate_run(cx: &mut Ctx, raw: &RawScenario, ov: &Overrides) -> RunSettings {
    // The file's own values are checked even where the command line replaces them: a
    // scenario that says `paths = 0` is broken whatever --paths says.
    let file_paths = cx.int(
        "run.paths",
        &raw.run.paths,
        DEFAULT_PATHS as i64,
        1,
        MAX_PATHS as i64,
    ) as u64;
    let file_seed = cx.int(
        "run.seed",
        &raw.run.seed,
        DEFAULT_SEED as i64,
        0,
        MAX_SEED as i64,
    ) as u64;
    let file_horizon = cx.int(
        "run.horizon",
        &raw.run.horizon,
        DEFAULT_HORIZON as i64,
        1,
        MAX_HORIZON as i64,
    ) as u32;
    let paths = match ov.paths {
        Some(p) if p >= 1 => p,
        Some(_) => {
            cx.problem("run.paths", None, "--paths must be at least 1".into());
            1
        }
        None => file_paths,
    };
    let seed = ov.seed.unwrap_or(file_seed);
    let horizon = match ov.horizon {
        Some(h) if (1..=MAX_HORIZON).contains(&h) => h,
        Some(h) => {
            cx.problem(
                "run.horizon",
                None,
                format!("--horizon must be in [1, {MAX_HORIZON}] months, got {h}"),
            );
            DEFAULT_HORIZON
        }
        None => file_horizon,
    };
    RunSettings {
        paths,
        seed,
        horizon,
        headline: None,
    }
}

/// `run.headline`: two different strategies of the file, challenger first.
fn validate_headline(
    cx: &mut Ctx,
    raw: &RawScenario,
    strategies: &[Strategy],
) -> Option<[String; 2]> {
    raw.run.headline.as_ref().and_then(|h| {
        let names = h.get_ref();
        if names.len() != 2 {
            cx.problem(
                "run.headline",
                Some(h.span()),
                format!("needs two strategy names, got {}", names.len()),
            );
            return None;
        }
        let known: Vec<&str> = strategies.iter().map(|s| s.name.as_str()).collect();
        for n in names {
            if !known.contains(&n.as_str()) {
                let hint = hint(n, &known);
                cx.problem(
                    "run.headline",
                    Some(h.span()),
                    format!("no strategy named `{n}`{hint}"),
                );
            }
        }
        if names[0] == names[1] {
            cx.problem(
                "run.headline",
                Some(h.span()),
                "needs two different strategies".into(),
            );
        }
        Some([names[0].clone(), names[1].clone()])
    })
}

fn span_of(raw: &RawParam) -> Option<Range<usize>> {
    raw.as_ref().map(|r| r.span())
}

/// Checks that need more than one key.
fn check_world(cx: &mut Ctx, w: &World<Param>, raw: &RawScenario) {
    let k = &w.knowledge;
    let shares = [&k.single_holder, &k.pair_holders, &k.many_holders];
    // Shares may add up to less than 1 (the rest is held too widely for a layoff to lose
    // it; all three at 0 switch the layoff loss off), never to more, on any draw.
    let most: f64 = shares.iter().map(|p| p.dist.support().1.min(p.hi)).sum();
    if most > 1.0 + 1e-9 {
        cx.problem(
            "world.knowledge.single_holder",
            span_of(&raw.world.knowledge.single_holder),
            format!("single_holder + pair_holders + many_holders must add up to at most 1, and can reach {most}"),
        );
    }
    let inc = &w.incidents;
    let raw_inc = &raw.world.incidents;
    let refused: Vec<String> = cx.problems.iter().map(|p| p.key.clone()).collect();
    for (med, p95, name, span) in [
        (
            &inc.loop_median,
            &inc.loop_p95,
            "loop",
            span_of(&raw_inc.loop_p95),
        ),
        (
            &inc.duration_median,
            &inc.duration_p95,
            "duration",
            span_of(&raw_inc.duration_p95),
        ),
        (
            &inc.destructive_median,
            &inc.destructive_p95,
            "destructive",
            span_of(&raw_inc.destructive_p95),
        ),
    ] {
        let already = |k: &str| {
            refused
                .iter()
                .any(|r| r == &format!("world.incidents.{name}_{k}"))
        };
        if already("median") || already("p95") {
            continue;
        }
        if p95.point() < med.point() || med.point() <= 0.0 && p95.point() > 0.0 {
            cx.problem(
                &format!("world.incidents.{name}_p95"),
                span,
                format!(
                    "{name}_p95 must be at least {name}_median, which must be above 0 ({} and {})",
                    p95.point(),
                    med.point()
                ),
            );
        } else if p95.point() > MAX_P95_RATIO * med.point() {
            cx.problem(
                &format!("world.incidents.{name}_p95"),
                span,
                format!(
                    "{name}_p95 may be at most 10,000 times {name}_median ({} and {})",
                    echo(p95.point()),
                    echo(med.point())
                ),
            );
        }
    }
}
