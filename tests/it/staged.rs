//! Staged decisions and the rehire rule (issue 18, MODEL.md v1.1 items 4 and 5): gates on
//! the trailing figures the organisation can see, never the future; the rehire rule on
//! trailing means from the month after the first layoff; and the library scenario
//! `staged_replacement`, whose finding holds at a fixed seed.

use crate::support::*;
use tokensim::engine;
use tokensim::stats;

/// A quiet world, 200 engineers, no AI: output is the staff's capacity, so a cut shows in
/// output at once and headcount moves only by layoffs and rehires.
fn quiet(strategy: &str, horizon: u32) -> String {
    format!("[run]\nhorizon = {horizon}\n{QUIET_WORLD}[strategies.s]\n{strategy}")
}

#[test]
fn a_gate_holds_or_stops_its_layoff_on_the_trailing_output() {
    // A 20% cut at month 3 leaves output below 90% of the start in months 3 to 5, so the
    // month-6 stage gated at 90% does not happen; gated at 50% it does.
    for (at_least, headcount_end, fired) in [(0.9, 160.0, 1.0), (0.5, 120.0, 2.0)] {
        let sc = parse(&quiet(
            &format!(
                "layoffs = [{{ month = 3, fraction = 0.2 }}, {{ month = 6, fraction = 0.25, gate = {{ output_at_least = {at_least} }} }}]\n"
            ),
            12,
        ));
        let r = engine::run_point(&sc);
        assert_eq!(
            point_month(&r, &sc, "s", 12, Series::Headcount),
            headcount_end
        );
        assert_eq!(r.final_value(0, 0, Metric::LayoffsFired), fired);
        let s = r.summarize(None);
        let stages: Vec<f64> = s.strategies[0].stages.iter().map(|p| p.p).collect();
        assert_eq!(stages, vec![1.0, fired - 1.0], "gate at {at_least}");
    }
}

#[test]
fn no_gate_reads_its_own_month_or_later() {
    // Two cuts in month 3: the gated one reads months 1 and 2, before either cut, so it
    // holds although the first cut drops output in month 3 itself.
    let sc = parse(&quiet(
        "layoffs = [{ month = 3, fraction = 0.2 }, { month = 3, fraction = 0.2, gate = { output_at_least = 0.99 } }]\n",
        6,
    ));
    let r = engine::run_point(&sc);
    assert!((point_month(&r, &sc, "s", 3, Series::Headcount) - 128.0).abs() < 1e-9);
    // A gate on know-how: the cut at month 3 costs know-how, so a stage asking for K of at
    // least 0.999 at month 5 does not happen.
    let sc = parse(&quiet(
        "layoffs = [{ month = 3, fraction = 0.2 }, { month = 5, fraction = 0.2, gate = { knowledge_at_least = 0.999 } }]\n",
        6,
    ));
    let r = engine::run_point(&sc);
    assert_eq!(point_month(&r, &sc, "s", 6, Series::Headcount), 160.0);
}

#[test]
fn the_rehire_rule_looks_from_the_month_after_the_first_layoff_and_hires_after_ceil_lag() {
    // Output below 100% of the start always triggers; with a cut at month 4 the rule may
    // first fire at month 5, and a lag of 2.2 brings the hires in month 5 + 3 = 8.
    let sc = parse(&quiet(
        "layoffs = [{ month = 4, fraction = 0.25 }]\nrehire = { output_below = 1.0, target = 0.9, lag = 2.2 }\n",
        12,
    ));
    let r = engine::run_point(&sc);
    let hc = |m| point_month(&r, &sc, "s", m, Series::Headcount);
    assert_eq!((hc(3), hc(4), hc(7)), (200.0, 150.0, 150.0));
    assert_eq!((hc(8), hc(12)), (180.0, 180.0));
    assert_eq!(r.final_value(0, 0, Metric::RehireFired), 1.0);
    // Paid when they arrive: 30 hires at the hiring cost, in month 8 only.
    let hiring = r.final_value(0, 0, Metric::Hiring);
    let per_hire = 0.25 * 180_000.0;
    assert!((hiring - 30.0 * per_hire).abs() < 1e-6, "{hiring}");
    // No layoff, no rehire, whatever the trigger says.
    let sc = parse(&quiet(
        "rehire = { output_below = 2.0, target = 1.2, lag = 1 }\n",
        12,
    ));
    assert_eq!(point_value(&sc, "s", Metric::RehireFired), 0.0);
    assert_eq!(point_value(&sc, "s", Metric::HeadcountEnd), 200.0);
}

#[test]
fn the_rehire_trigger_reads_the_three_month_mean_of_output() {
    // A 35% cut at month 2, and the know-how it takes: output falls to about 60% of the
    // start. This month's output is below 70% from month 2 on, but the
    // three-month mean first is in month 4 (month 3: (100 + 60 + 60) / 3 = 73%), so with
    // a lag of 1 the hires arrive in month 5, not month 3 or 4.
    let sc = parse(&quiet(
        "layoffs = [{ month = 2, fraction = 0.35 }]\nrehire = { output_below = 0.7, target = 1.0, lag = 1 }\n",
        8,
    ));
    let out = engine::run_point(&sc);
    let share = |m| point_month(&out, &sc, "s", m, Series::Output) / 200.0;
    assert!(share(2) < 0.7 && (1.0 + share(2) + share(3)) / 3.0 > 0.7);
    let r = engine::run_point(&sc);
    let hc = |m| point_month(&r, &sc, "s", m, Series::Headcount);
    assert_eq!((hc(4), hc(5)), (130.0, 200.0));
}

#[test]
fn staged_replacement_beats_one_cut_but_not_leverage() {
    // The finding docs/scenarios.md reports, at the file's seed on 2,000 paths: cutting in
    // gated stages beats one cut of the same size in most futures, and leverage beats both.
    let mut sc = load("scenarios/staged_replacement.toml");
    sc.run.paths = 2_000;
    let r = engine::run(&sc);
    let s = r.summarize(sc.headline());
    let pair = |a: &str, b: &str| {
        s.pairs
            .iter()
            .find(|p| p.a == a && p.b == b)
            .unwrap()
            .a_beats_b
    };
    let staged_wins = pair("staged", "replacement");
    assert!(
        staged_wins.p - 0.5 > 5.0 * staged_wins.se,
        "{staged_wins:?}"
    );
    let leverage_wins = pair("leverage", "staged");
    assert!(
        leverage_wins.p - 0.5 > 5.0 * leverage_wins.se,
        "{leverage_wins:?}"
    );
    // The later stages are gated: they happen on some futures, not all.
    let staged = &s.strategies[strategy(&sc, "staged")];
    assert_eq!(staged.stages[0].p, 1.0);
    for stage in &staged.stages[1..] {
        assert!(
            stage.p > 5.0 * stage.se && 1.0 - stage.p > 5.0 * stage.se,
            "{stage:?}"
        );
    }
    let replacement = &s.strategies[strategy(&sc, "replacement")];
    assert_eq!(replacement.stages.len(), 1);
    // layoffs_fired counts the stages that happened.
    let mean = stats::summarize(&r.column(strategy(&sc, "staged"), Metric::LayoffsFired)).mean;
    let by_stage: f64 = staged.stages.iter().map(|p| p.p).sum();
    assert!((mean - by_stage).abs() < 1e-12, "{mean} vs {by_stage}");
}

#[test]
fn a_gate_is_validated_with_its_key_and_line() {
    let bad = quiet(
        "layoffs = [{ month = 3, fraction = 0.2 }, { month = 6, fraction = 0.2, gate = { output_at_least = -1 } }]\n",
        12,
    );
    let err = tokensim::scenario::parse(&bad, "t.toml", &Default::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("strategies.s.layoffs[1].gate.output_at_least"),
        "{err}"
    );
    assert!(err.contains("t.toml:"), "{err}");
    let empty = quiet("layoffs = [{ month = 6, fraction = 0.2, gate = {} }]\n", 12);
    let err = tokensim::scenario::parse(&empty, "t.toml", &Default::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("strategies.s.layoffs[0].gate"), "{err}");
    assert!(err.contains("needs output_at_least"), "{err}");
    let typo = quiet(
        "layoffs = [{ month = 6, fraction = 0.2, gate = { output_atleast = 0.9 } }]\n",
        12,
    );
    let err = tokensim::scenario::parse(&typo, "t.toml", &Default::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("output_atleast"), "{err}");
}
