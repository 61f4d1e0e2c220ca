//! What the board pack says, once, before it is written as `report.html`, `report.md`
//! and `deck.pptx`: the executive summary, the strategies, the fixed inputs, the
//! spreadsheet against the simulation, the key numbers, the charts, the uncertain
//! assumptions, and how far the numbers can be trusted.
//!
//! Money is summarised by the **mean** across futures everywhere in the pack (with its
//! standard error), because means add up: the cost lines add to the total cost, and the
//! attribution and the tornado split the mean difference. Spread is P5 to P95.

use super::charts::Figure;
use super::story::{self, chance, Findings};
use super::{cap, count, money, percent, RunInfo};
use crate::analysis::Sensitivity;
use crate::engine::RunResult;
use crate::metrics::Metric;
use crate::model::{params, Scenario};
use crate::stats::{PairSummary, Summaries};

/// Everything the pack is written from.
pub struct Content<'a> {
    pub sc: &'a Scenario,
    pub name: &'a str,
    pub summaries: &'a Summaries,
    pub figures: &'a [Figure],
    pub info: &'a RunInfo,
    /// The uncertain parameters ranked by their swing of the headline difference.
    pub ranked: &'a [Sensitivity],
    /// The one-future spreadsheet: every input at its most likely value, chance at its
    /// expectation (`engine::run_point`).
    pub point: &'a RunResult,
    /// Mean of the headline difference over its worst 5% of futures (CVaR 5%).
    pub diff_cvar5: Option<f64>,
    pub findings: &'a Findings,
}

/// A table of text: its header and rows.
#[derive(Clone, Debug, Default)]
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Grid {
    fn new(header: &[&str]) -> Grid {
        Grid {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: vec![],
        }
    }
}

/// What the pack says, section by section.
pub struct Doc {
    pub title: String,
    pub meta: String,
    /// The executive summary: (what the line is, the line).
    pub summary: Vec<(&'static str, String)>,
    /// Per strategy, its name and what it does in plain words.
    pub strategies: Vec<(String, String)>,
    pub fixed: Grid,
    pub spreadsheet: Grid,
    pub spreadsheet_notes: Vec<String>,
    /// Which statistic the pack uses, and why.
    pub statistic: String,
    pub key_numbers: Grid,
    pub costs: Grid,
    pub risks: Grid,
    /// (title, subtitle, file stem) of each chart.
    pub charts: Vec<(String, String, &'static str)>,
    pub assumptions_intro: String,
    /// Per uncertain parameter: label, range, unit, source.
    pub assumptions: Grid,
    pub trust: Vec<String>,
    /// Labels with the code key analysts find them under.
    pub appendix: Grid,
}

/// The headline pair, or `None` when the scenario has none.
fn pair<'a>(c: &Content<'a>) -> Option<&'a PairSummary> {
    c.summaries.headline_pair()
}

/// The question the scenario answers: the bundled scenario's own, else the headline's.
fn question(c: &Content) -> String {
    if let Some(q) = crate::library::find(c.name).and_then(|e| e.question()) {
        return q.to_string();
    }
    match pair(c) {
        Some(p) => format!(
            "Does {} come out ahead of {} over {} months?",
            p.a, p.b, c.summaries.horizon
        ),
        None => format!(
            "Which strategy comes out ahead over {} months?",
            c.summaries.horizon
        ),
    }
}

/// The answer in one sentence: the mean difference and its
/// standard error, and the chance of coming out ahead with its own.
fn answer(c: &Content) -> String {
    let s = c.summaries;
    let Some(p) = pair(c) else {
        let best = s.strategies.iter().max_by(|a, b| {
            a.metric(Metric::Npv)
                .mean
                .total_cmp(&b.metric(Metric::Npv).mean)
        });
        return best
            .map(|b| {
                format!(
                    "{} has the highest mean NPV, {} (± {} s.e.), and the highest NPV in {} of futures.",
                    cap(&b.name),
                    money(b.metric(Metric::Npv).mean),
                    money(b.metric(Metric::Npv).se),
                    chance(b.p_best.p)
                )
            })
            .unwrap_or_default();
    };
    let d = &p.diff;
    let (more, amount) = if d.mean < 0.0 {
        ("less", -d.mean)
    } else {
        ("more", d.mean)
    };
    // "but" where the chance of coming out ahead points the other way from the mean.
    let join = if (d.mean > 0.0) == (p.a_beats_b.p > 0.5) {
        "and"
    } else {
        "but"
    };
    format!(
        "Over {} months {} is worth {} {more} than {} on average (mean NPV difference, ± {} s.e.), {join} comes out ahead in {} of simulated futures (± {} points).",
        s.horizon,
        p.a,
        money(amount),
        p.b,
        money(d.se),
        chance(p.a_beats_b.p),
        points(p.a_beats_b.se)
    )
}

/// A standard error of a chance in percentage points: `0.9`, or `<0.1`.
fn points(se: f64) -> String {
    if se > 0.0 && se < 0.0005 {
        "<0.1".into()
    } else {
        format!("{:.1}", se * 100.0)
    }
}

/// The downside of the headline pair: the P5 of the difference and the mean of its
/// worst 5% (CVaR 5%).
fn downside(c: &Content) -> String {
    let Some(p) = pair(c) else {
        return String::new();
    };
    let d = &p.diff;
    let words = |x: f64| {
        if x < 0.0 {
            format!("{} behind {}", money(-x), p.b)
        } else {
            format!("{} ahead of {}", money(x), p.b)
        }
    };
    let cvar = c
        .diff_cvar5
        .map(|v| format!("; averaged over that worst 5%, {} (CVaR 5%)", words(v)))
        .unwrap_or_default();
    format!(
        "In the worst 1 in 20 futures {} ends {} or worse (P5 of the difference){cvar}. In the best 1 in 20 it ends {} or better (P95).",
        p.a,
        words(d.p5),
        words(d.p95)
    )
}

/// The input that moves the headline difference most, as a sentence.
fn top_input(c: &Content) -> Option<String> {
    let r = c.ranked.first()?;
    Some(format!(
        "The uncertain input that moves the difference most is {}: the mean difference moves by {} between the tenth of futures with its lowest draws and the tenth with its highest.",
        label(&r.key).to_lowercase_first(),
        money(r.swing.abs())
    ))
}

trait LowerFirst {
    fn to_lowercase_first(&self) -> String;
}

impl LowerFirst for String {
    /// "Price elasticity" -> "price elasticity", but "AI spend" stays.
    fn to_lowercase_first(&self) -> String {
        let mut ch = self.chars();
        match (ch.next(), ch.next()) {
            (Some(a), Some(b)) if b.is_lowercase() => {
                a.to_lowercase().collect::<String>() + &self[a.len_utf8()..]
            }
            _ => self.clone(),
        }
    }
}

/// A key's label, or the key itself when the registry has none (never for a scenario's
/// own keys).
fn label(key: &str) -> String {
    params::label(key).unwrap_or_else(|| key.to_string())
}

fn executive_summary(c: &Content) -> Vec<(&'static str, String)> {
    let f = c.findings;
    let mut why = f.reason_or_hint();
    if f.reason.is_none() {
        if let Some(t) = top_input(c) {
            why = format!("{t} {why}");
        }
    }
    let mut out = vec![
        ("The question", question(c)),
        ("The answer", answer(c)),
        ("Why", why),
        (
            "What would have to be true for the other answer",
            f.must_be_true_or_hint(),
        ),
        ("What to learn first", f.learn_first_or_hint()),
    ];
    let down = downside(c);
    if !down.is_empty() {
        out.push(("The downside", down));
    }
    let stages = stages(c);
    if !stages.is_empty() {
        out.push(("Staged cuts", stages.join(" ")));
    }
    out
}

/// One sentence per strategy whose layoffs carry a gate: how often each stage happened.
fn stages(c: &Content) -> Vec<String> {
    let mut lines = Vec::new();
    for (strategy, st) in c.sc.strategies.iter().zip(&c.summaries.strategies) {
        if strategy.layoffs.iter().all(|l| l.gate.is_none()) {
            continue;
        }
        let stages: Vec<String> = strategy
            .layoffs
            .iter()
            .zip(&st.stages)
            .map(|(l, rate)| {
                format!(
                    "the {} cut in month {}{} in {} of futures",
                    percent(l.fraction.point()),
                    l.month.point().round(),
                    if l.gate.is_some() { " (gated)" } else { "" },
                    chance(rate.p)
                )
            })
            .collect();
        lines.push(format!("{} made {}.", cap(&st.name), stages.join(", ")));
    }
    lines
}

/// The spreadsheet (the point run) against the simulation, per strategy and for the
/// headline difference, with the notes that explain the gap.
fn spreadsheet(c: &Content) -> (Grid, Vec<String>) {
    let s = c.summaries;
    let mut g = Grid::new(&[
        "Strategy",
        "Spreadsheet NPV (one future)",
        "Simulation NPV, mean ± s.e.",
        "Simulation NPV, P5 to P95",
        "Where the spreadsheet falls",
    ]);
    let place = |x: f64, p5: f64, p95: f64| {
        if x < p5 {
            "below 95% of futures"
        } else if x > p95 {
            "above 95% of futures"
        } else {
            "within the middle 90%"
        }
    };
    for (i, st) in s.strategies.iter().enumerate() {
        let npv = st.metric(Metric::Npv);
        let x = c.point.final_value(0, i, Metric::Npv);
        g.rows.push(vec![
            st.name.clone(),
            money(x),
            format!("{} ± {}", money(npv.mean), money(npv.se)),
            format!("{} to {}", money(npv.p5), money(npv.p95)),
            place(x, npv.p5, npv.p95).into(),
        ]);
    }
    let mut notes = vec![format!(
        "The spreadsheet is one future: every uncertain input at its most likely value and every chance event (incidents, runaway loops, the end of price subsidies) at its average rate. The simulation draws {} futures from the inputs' ranges and runs every strategy on each.",
        count(s.n_paths as f64)
    )];
    if let (Some(p), Some((a, b))) = (pair(c), s.headline) {
        let x = c.point.final_value(0, a, Metric::Npv) - c.point.final_value(0, b, Metric::Npv);
        g.rows.push(vec![
            format!("{} minus {}", p.a, p.b),
            money(x),
            format!("{} ± {}", money(p.diff.mean), money(p.diff.se)),
            format!("{} to {}", money(p.diff.p5), money(p.diff.p95)),
            place(x, p.diff.p5, p.diff.p95).into(),
        ]);
        let verdict = if (x > 0.0) != (p.diff.mean > 0.0) {
            "The two disagree on the answer."
        } else {
            "The two agree on the sign, not on the size."
        };
        notes.push(format!(
            "The spreadsheet puts {} {} {} {}; the simulation's mean puts it {} {}. {verdict}",
            p.a,
            money(x.abs()),
            if x < 0.0 { "behind" } else { "ahead of" },
            p.b,
            money(p.diff.mean.abs()),
            if p.diff.mean < 0.0 { "behind" } else { "ahead" },
        ));
    }
    notes.push(
        "Two things make the gap. Many inputs lean to one side of their most likely value (a rise in prices after subsidies end can be tenfold, a fall only small), so the average future is not the most likely one. And the costs that decide the result, such as incidents, lost know-how, rehiring and destroyed data, grow faster than the inputs that drive them and come in rare, large lumps that a single most-likely future never contains."
            .into(),
    );
    (g, notes)
}

/// The key numbers: per strategy, the mean of each quantity over the horizon.
fn key_numbers(s: &Summaries) -> Grid {
    let mut g = Grid::new(&[
        "Strategy",
        "NPV, mean ± s.e.",
        "NPV, P5 to P95",
        "Total cost, mean",
        "Output (WU), mean",
        "Incidents, mean",
        "Know-how kept, mean",
        "Best in (± s.e.)",
    ]);
    for st in &s.strategies {
        let npv = st.metric(Metric::Npv);
        g.rows.push(vec![
            st.name.clone(),
            format!("{} ± {}", money(npv.mean), money(npv.se)),
            format!("{} to {}", money(npv.p5), money(npv.p95)),
            money(st.metric(Metric::TotalCost).mean),
            count(st.metric(Metric::Output).mean),
            format!("{:.1}", st.metric(Metric::Incidents).mean),
            story::share((st.metric(Metric::KnowledgeEnd).mean * 100.0).round() / 100.0),
            format!("{} ± {:.1}", chance(st.p_best.p), st.p_best.se * 100.0),
        ]);
    }
    g
}

/// Where the money goes: the mean of each cost line over the horizon.
fn costs(s: &Summaries) -> Grid {
    // The parts as the cost chart names them, then their total.
    let lines: Vec<(Metric, &str)> = super::charts::COST_PARTS
        .into_iter()
        .chain([(Metric::TotalCost, "Total cost")])
        .collect();
    let mut header = vec!["Strategy (means)"];
    header.extend(lines.iter().map(|(_, l)| *l));
    let mut g = Grid::new(&header);
    for st in &s.strategies {
        let mut row = vec![st.name.clone()];
        row.extend(lines.iter().map(|(m, _)| money(st.metric(*m).mean)));
        g.rows.push(row);
    }
    g
}

/// The risks a board asks about: incidents, destroyed data, the tail of incident
/// losses, know-how and the rehire rule.
fn risks(s: &Summaries) -> Grid {
    let mut g = Grid::new(&[
        "Strategy",
        "Incidents, mean",
        "Destructive incidents, mean",
        "Incident losses, mean",
        "Incident losses, 1 in 20 above",
        "Know-how kept, mean",
        "Rehiring triggered in",
    ]);
    for st in &s.strategies {
        let loss = st.metric(Metric::IncidentCost);
        g.rows.push(vec![
            st.name.clone(),
            format!("{:.1}", st.metric(Metric::Incidents).mean),
            format!("{:.2}", st.metric(Metric::Destructive).mean),
            money(loss.mean),
            money(loss.p95),
            story::share((st.metric(Metric::KnowledgeEnd).mean * 100.0).round() / 100.0),
            chance(st.metric(Metric::RehireFired).mean),
        ]);
    }
    g
}

/// The uncertain assumptions: the five that move the headline most first, with their
/// swing, then the rest in the model's order; each with its label, range, unit and
/// source.
fn assumptions(c: &Content) -> (String, Grid) {
    let uncertain: Vec<(String, &crate::model::Param)> =
        c.sc.params()
            .into_iter()
            .filter(|(_, p)| !p.dist.is_fixed())
            .collect();
    let mut g = Grid::new(&["Assumption", "Range", "Unit", "Source"]);
    let row = |key: &str, p: &crate::model::Param, extra: String| {
        let spec = params::spec(key);
        let set_here = spec.is_some_and(|s| s.default.to_dist().as_ref() != Some(&p.dist));
        let source = match spec {
            Some(_) if set_here => "this scenario's value (see the scenario file)".to_string(),
            Some(s) => s.source.to_string(),
            None => String::new(),
        };
        vec![
            label(key),
            format!("{}{extra}", story::value(key, p)),
            spec.map(|s| s.unit.to_string()).unwrap_or_default(),
            source,
        ]
    };
    let top: Vec<&Sensitivity> = c.ranked.iter().take(5).collect();
    for r in &top {
        if let Some((k, p)) = uncertain.iter().find(|(k, _)| *k == r.key) {
            let extra = format!(
                "; moves the mean difference by {} from its lowest tenth of draws to its highest",
                money(r.swing.abs())
            );
            g.rows.push(row(k, p, extra));
        }
    }
    for (k, p) in &uncertain {
        if !top.iter().any(|r| &r.key == k) {
            g.rows.push(row(k, p, String::new()));
        }
    }
    let intro = if uncertain.is_empty() {
        "The scenario has no uncertain inputs; every value is fixed in the scenario file.".into()
    } else {
        format!(
            "Each uncertain input is drawn once per future. The first {} move the headline difference most, ranked by how far its mean moves between the tenth of futures with the lowest draws of the input and the tenth with the highest (`tokensim sensitivity` gives the full ranking and its tornado chart); the rest follow in the model's order.",
            top.len()
        )
    };
    (intro, g)
}

/// What the numbers rest on: futures, random seed and horizon, the statistic, standard
/// errors, the quantile estimator, and how to reproduce the run.
fn trust(s: &Summaries, info: &RunInfo, sha: &str) -> Vec<String> {
    vec![
        format!(
            "Every figure rests on {} simulated futures over {} months; every strategy is run on the same futures, so differences between strategies are measured future by future.",
            count(s.n_paths as f64),
            s.horizon
        ),
        format!(
            "Standard errors of the mean NPV: {}.",
            s.strategies
                .iter()
                .map(|st| format!("{} {}", st.name, money(st.metric(Metric::Npv).se)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "Quantiles (P5 to P95) use the estimator of Excel's PERCENTILE.INC (type 7). Charts of monthly series show medians and the middle 50% and 90% of futures.".into(),
        "The model, its mechanisms and every default with its source are in docs/model.md; judgement marks a default the project chose where no study gives one.".into(),
        format!(
            "Reproduce: tokensim {} run {} --seed {} --paths {} (random seed {}; scenario SHA-256 {}).",
            info.version, info.scenario_file, info.seed, s.n_paths, info.seed, sha
        ),
    ]
}

/// The appendix: each label of the pack with the key an analyst finds it under in the
/// scenario file and the CSVs.
fn appendix(c: &Content) -> Grid {
    let mut g = Grid::new(&["Label", "Key in the scenario file"]);
    for (k, p) in c.sc.params() {
        if !p.dist.is_fixed() || k.starts_with("org.") {
            g.rows.push(vec![label(&k), format!("`{k}`")]);
        }
    }
    g
}

/// Builds what the pack says.
pub fn build(c: &Content) -> Doc {
    let (name, s, info) = (c.name, c.summaries, c.info);
    let sha = &info.scenario_sha256[..info.scenario_sha256.len().min(8)];
    let (spreadsheet, spreadsheet_notes) = spreadsheet(c);
    let (assumptions_intro, assumptions) = assumptions(c);
    let mut fixed = Grid::new(&["Input", "Value", "Source"]);
    fixed.rows = story::fixed_inputs(c.sc)
        .into_iter()
        .map(|r| r.to_vec())
        .collect();
    Doc {
        title: format!("Cut engineers and buy tokens, or give engineers AI? Scenario {name}"),
        meta: format!(
            "{} simulated futures · {} months · random seed {} · tokensim {} · scenario SHA-256 {}",
            count(s.n_paths as f64),
            s.horizon,
            info.seed,
            info.version,
            sha
        ),
        summary: executive_summary(c),
        strategies: c
            .sc
            .strategies
            .iter()
            .map(|st| (st.display(), story::describe_strategy(st)))
            .collect(),
        fixed,
        spreadsheet,
        spreadsheet_notes,
        statistic: "Money is the mean across futures, ± its standard error, in every table and sentence of this report: means add up (the cost lines add to the total), and the attribution and the tornado split the mean difference. P5 to P95 give the spread: 90% of futures fall between them.".into(),
        key_numbers: key_numbers(s),
        costs: costs(s),
        risks: risks(s),
        charts: c
            .figures
            .iter()
            .map(|f| (f.title.clone(), f.subtitle.clone(), f.name))
            .collect(),
        assumptions_intro,
        assumptions,
        trust: trust(s, info, sha),
        appendix: appendix(c),
    }
}
