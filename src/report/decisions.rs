//! What scenario discovery and value of information leave behind: `discover.csv` (the
//! peeling trajectory), `discover_inputs.csv` (every input's significance and the box),
//! `discover.json`, the scatter of the two most important inputs with the box; `voi.csv`,
//! `voi.json` and the bars of each input's worth; and the sentences a board reads, built
//! from the registry's labels, never from keys.
//!
//! It formats what `analysis` computed; it computes none of its own.

use super::charts::{self, Footer, Rgb};
use super::{cap, count, money, percent, pretty, Cell, OutputFile, Table};
use crate::analysis::{Condition, Discovery, Finding, Futures, Goal, Voi, MAX_RESTRICTED};
use crate::model::params;

/// Futures drawn in the scatter: the first this many paths (path k is the same in any
/// run that has it).
pub const SCATTER_PATHS: usize = 4000;

/// What a board reads for an input: its label, lower-cased to sit inside a sentence
/// ("months for agent capability to double"), or the key if the registry has none.
pub fn input_label(key: &str) -> String {
    params::label(key).unwrap_or_else(|| key.to_string())
}

fn in_sentence(label: &str) -> String {
    let mut c = label.chars();
    match (c.next(), c.next()) {
        (Some(f), Some(s)) if !s.is_uppercase() => {
            f.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

/// A label with its unit, for an axis: "Months for agent capability to double (months)";
/// a unit longer than 24 characters is left to the registry (`tokensim params`).
pub fn axis_label(key: &str) -> String {
    match params::spec(key) {
        Some(s) if s.unit.len() <= 24 => format!("{} ({})", input_label(key), s.unit),
        _ => input_label(key),
    }
}

/// Three significant digits, trailing zeros dropped.
fn short(v: f64) -> String {
    if v.abs() >= 1000.0 {
        return count(v);
    }
    if v == 0.0 {
        return "0".into();
    }
    let digits = (2 - v.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A value of an input with its unit where the unit reads as one ("3.6 months", "$40 per
/// minute"); a descriptive unit ("annual price factor") is left out of the sentence.
fn with_unit(key: &str, v: f64) -> String {
    let unit = params::spec(key).map_or("", |s| s.unit);
    match unit {
        "engineers" => format!("{} {unit}", short(v)),
        u if u.starts_with("$ ") => format!("{} {}", compact_value(key, v), &u[2..]),
        _ => compact_value(key, v),
    }
}

/// An input's value as short as a chart's bar end takes it: money with its `$`, months
/// and hours with their unit, anything else as a plain number ("$5,666", "8.8 months").
pub fn compact_value(key: &str, v: f64) -> String {
    let unit = params::spec(key).map_or("", |s| s.unit);
    match unit {
        "months" | "hours" => format!("{} {unit}", short(v)),
        u if u.starts_with("$ ") => format!("${}", short(v)),
        _ => short(v),
    }
}

/// "months for agent capability to double is below 3.6 months".
pub fn condition_phrase(c: &Condition) -> String {
    let what = in_sentence(&input_label(&c.key));
    match (c.lo, c.hi) {
        (Some(lo), Some(hi)) => format!(
            "{what} is between {} and {}",
            short(lo),
            with_unit(&c.key, hi)
        ),
        (Some(lo), None) => format!("{what} is at least {}", with_unit(&c.key, lo)),
        (None, Some(hi)) => format!("{what} is at most {}", with_unit(&c.key, hi)),
        (None, None) => format!("{what} is anything"),
    }
}

/// What the target says, as the subject of a sentence.
pub fn goal_phrase(goal: Goal, a: &str, b: &str) -> String {
    cap(&goal_clause(goal, a, b))
}

/// What the target says, as a clause inside a sentence.
fn goal_clause(goal: Goal, a: &str, b: &str) -> String {
    match goal {
        Goal::Wins => format!("{a} beats {b} on NPV"),
        Goal::Above(x) => format!("the NPV of {a} minus {b} is above {}", money(x)),
        Goal::Below(x) => format!("the NPV of {a} minus {b} is below {}", money(x)),
    }
}

/// The finding in one sentence a board can read.
pub fn discover_sentence(d: &Discovery, a: &str, b: &str) -> String {
    let goal = goal_phrase(d.goal, a, b);
    let rate = d.n_target as f64 / d.n_paths.max(1) as f64;
    match &d.finding {
        Finding::Everywhere => format!("{goal} in every one of the {} futures: there is nothing to tell apart.", count(d.n_paths as f64)),
        Finding::TooFew { needed_paths } => format!(
            "{goal} in only {} of {} futures ({}), too few to describe (at least {} are needed); about {} paths would give enough at this rate.",
            count(d.n_target as f64),
            count(d.n_paths as f64),
            percent(rate),
            crate::analysis::MIN_TARGET,
            count(*needed_paths as f64)
        ),
        Finding::Found { found, conditions, .. } if conditions.is_empty() => format!(
            "{goal} in {} of the futures; no box of at most {MAX_RESTRICTED} input conditions holding half of them is denser than that.",
            percent(found.density)
        ),
        Finding::Found { found, conditions, .. } => {
            let parts = conditions
                .iter()
                .map(condition_phrase)
                .collect::<Vec<_>>()
                .join(" and ");
            let (holds, target) = match d.goal {
                Goal::Wins => ("it wins", format!("the futures where {a} wins")),
                _ => ("the target holds", "the futures where the target holds".into()),
            };
            // A box where the target is still the exception does not say what would
            // have to be true; it says where the exceptions gather.
            if found.density >= 0.5 {
                format!(
                    "{goal} in {} of the futures where {parts}, which hold {} of {target}; {holds} in {} of all futures.",
                    percent(found.density),
                    percent(found.coverage),
                    percent(rate)
                )
            } else {
                format!(
                    "No combination of at most {MAX_RESTRICTED} inputs makes it likely that {}: where {parts}, which hold {} of {target}, {holds} in only {} of futures, against {} of all futures.",
                    goal_clause(d.goal, a, b),
                    percent(found.coverage),
                    percent(found.density),
                    percent(rate)
                )
            }
        }
    }
}

/// `discover.csv`: every step of the peeling trajectory.
pub fn trajectory_table(f: &Futures, d: &Discovery) -> Table {
    let mut t = Table::new(&[
        "step",
        "futures",
        "target_futures",
        "coverage",
        "density",
        "mass",
        "restricted",
        "inputs",
        "chosen",
    ]);
    let chosen = match &d.finding {
        Finding::Found { chosen_step, .. } => Some(*chosen_step),
        _ => None,
    };
    for (i, b) in d.trajectory.iter().enumerate() {
        let r = b.limits.restricted();
        let keys: Vec<&str> = r.iter().map(|j| f.keys[*j].as_str()).collect();
        t.push(vec![
            i.into(),
            b.n.into(),
            b.hits.into(),
            b.coverage.into(),
            b.density.into(),
            (b.n as f64 / d.n_paths.max(1) as f64).into(),
            r.len().into(),
            keys.join(";").into(),
            (if chosen == Some(i) { "yes" } else { "" }).into(),
        ]);
    }
    t
}

/// `discover_inputs.csv`: every input's scenario significance, and the box's limits and
/// p-value where it restricts the input.
pub fn inputs_table(f: &Futures, d: &Discovery) -> Table {
    let mut t = Table::new(&[
        "key",
        "label",
        "scenario_significance",
        "box_lo",
        "box_hi",
        "p_value",
    ]);
    let conditions: &[Condition] = match &d.finding {
        Finding::Found { conditions, .. } => conditions,
        _ => &[],
    };
    for (j, key) in f.keys.iter().enumerate() {
        let c = conditions.iter().find(|c| &c.key == key);
        let num = |v: Option<f64>| Cell::Num(v.unwrap_or(f64::NAN));
        t.push(vec![
            key.as_str().into(),
            input_label(key).into(),
            d.significance[j].into(),
            num(c.and_then(|c| c.lo)),
            num(c.and_then(|c| c.hi)),
            num(c.map(|c| c.p_value)),
        ]);
    }
    t
}

/// Every file of a discovery: the two tables, `discover.json` and, unless `draw` is false
/// or there is no box, the scatter (PNG and SVG, with the points behind it). The pair is
/// given by its names (in the JSON) and its labels (in the sentence and the chart).
pub fn discover_files(
    f: &Futures,
    d: &Discovery,
    [(a, b), (la, lb)]: [(&str, &str); 2],
    footer: &Footer,
    draw: bool,
) -> Result<Vec<OutputFile>, String> {
    let trajectory = trajectory_table(f, d);
    let inputs = inputs_table(f, d);
    let sentence = discover_sentence(d, la, lb);
    let (found, conditions) = match &d.finding {
        Finding::Found {
            found, conditions, ..
        } => (Some(found), conditions.as_slice()),
        _ => (None, &[][..]),
    };
    let json = serde_json::json!({
        "challenger": a,
        "incumbent": b,
        "target": format!("{:?}", d.goal),
        "paths": d.n_paths,
        "target_futures": d.n_target,
        "sentence": sentence,
        "too_few": matches!(d.finding, Finding::TooFew { .. }),
        "needed_paths": match d.finding { Finding::TooFew { needed_paths } => Some(needed_paths), _ => None },
        "box": found.map(|b| serde_json::json!({
            "futures": b.n, "target_futures": b.hits, "coverage": b.coverage, "density": b.density,
            "conditions": conditions.iter().map(|c| serde_json::json!({
                "key": c.key, "label": input_label(&c.key), "lo": c.lo, "hi": c.hi, "p_value": c.p_value,
            })).collect::<Vec<_>>(),
        })),
        "trajectory": trajectory.to_json(),
        "inputs": inputs.to_json(),
    });
    let mut files = vec![
        ("discover.csv".to_string(), trajectory.to_csv()),
        ("discover_inputs.csv".to_string(), inputs.to_csv()),
        ("discover.json".to_string(), pretty(&json)),
    ];
    if let Some(fig) = draw.then(|| discover_figure(f, d, (la, lb))).flatten() {
        files.push(("discover_points.csv".into(), fig.data.to_csv()));
        files.push((
            "discover.svg".into(),
            charts::render_svg(&fig, footer)?.into_bytes(),
        ));
        files.push(("discover.png".into(), charts::render_png(&fig, footer)?));
    }
    Ok(files)
}

/// The discovery scatter of the futures on the box's first two inputs, with the box; none
/// when discovery found no box or there are fewer than two uncertain inputs.
pub fn discover_figure(f: &Futures, d: &Discovery, names: (&str, &str)) -> Option<charts::Figure> {
    let found = matches!(d.finding, Finding::Found { .. });
    (found && f.keys.len() >= 2)
        .then(|| scatter(f, d, names, &discover_sentence(d, names.0, names.1)))
}

fn scatter(f: &Futures, d: &Discovery, (a, b): (&str, &str), sentence: &str) -> charts::Figure {
    let [jx, jy] = d.axes;
    let shown = d.n_paths.min(SCATTER_PATHS);
    let mut data = Table::new(&["path", "x", "y", "target"]);
    let (mut hit, mut miss) = (Vec::new(), Vec::new());
    for p in 0..shown {
        let q = (f.draws[jx][p], f.draws[jy][p]);
        data.push(vec![
            p.into(),
            q.0.into(),
            q.1.into(),
            usize::from(d.target[p]).into(),
        ]);
        if d.target[p] {
            hit.push(q);
        } else {
            miss.push(q);
        }
    }
    let (found, _) = match &d.finding {
        Finding::Found {
            found, conditions, ..
        } => (found, conditions),
        _ => unreachable!("a scatter is drawn only for a box"),
    };
    let l = &found.limits;
    let rect = ((l.lo[jx], l.hi[jx]), (l.lo[jy], l.hi[jy]));
    let (yes, no) = match d.goal {
        Goal::Wins => (format!("{a} wins"), format!("{b} wins")),
        _ => (
            "target holds".to_string(),
            "target does not hold".to_string(),
        ),
    };
    let title = match d.goal {
        Goal::Wins if found.density < 0.5 => format!(
            "No region where {a} reliably wins: it wins in {} of the futures in the box, {} overall",
            percent(found.density),
            percent(d.n_target as f64 / d.n_paths.max(1) as f64)
        ),
        Goal::Wins => format!(
            "{} wins in {} of the futures in the box, {} overall",
            cap(a),
            percent(found.density),
            percent(d.n_target as f64 / d.n_paths.max(1) as f64)
        ),
        _ => format!(
            "The target holds in {} of the futures in the box, {} overall",
            percent(found.density),
            percent(d.n_target as f64 / d.n_paths.max(1) as f64)
        ),
    };
    let subtitle = format!(
        "{sentence} Each point a future (the first {} of {}); black: the box, holding {} of the futures where {}.",
        count(shown as f64),
        count(d.n_paths as f64),
        percent(found.coverage),
        if d.goal == Goal::Wins { format!("{a} wins") } else { "the target holds".into() }
    );
    charts::scatter_figure(
        "discover",
        (title, subtitle),
        data,
        (axis_label(&f.keys[jx]), axis_label(&f.keys[jy])),
        vec![
            (no, Rgb(0xAA, 0xAA, 0xAA), miss),
            (yes, charts::strategy_colour(a, 0), hit),
        ],
        Some(rect),
    )
}

/// The box and the inputs on the console.
pub fn discover_console(f: &Futures, d: &Discovery) -> String {
    let mut out = String::new();
    if let Finding::Found {
        found, conditions, ..
    } = &d.finding
    {
        out.push_str(&format!(
            "box: {} futures, {} in the target; coverage {}, density {}\n",
            count(found.n as f64),
            count(found.hits as f64),
            percent(found.coverage),
            percent(found.density)
        ));
        for c in conditions {
            out.push_str(&format!(
                "  {}  (p = {:.2e}; {})\n",
                condition_phrase(c),
                c.p_value,
                c.key
            ));
        }
    }
    let mut order: Vec<usize> = (0..f.keys.len()).collect();
    order.sort_by(|x, y| {
        d.significance[*y]
            .abs()
            .total_cmp(&d.significance[*x].abs())
            .then(x.cmp(y))
    });
    out.push_str("scenario significance (median in the target - overall median) / s.d.:\n");
    for j in order.into_iter().take(8) {
        out.push_str(&format!(
            "  {:>6.2}  {}\n",
            d.significance[j],
            input_label(&f.keys[j])
        ));
    }
    out
}

/// "Knowing X before deciding is worth up to $Y; no other uncertainty is worth more than
/// $Z."
pub fn voi_sentence(v: &Voi) -> String {
    let worth = |i: usize| v.inputs.get(i).map_or(0.0, |x| x.2.value.max(0.0));
    match v.inputs.first() {
        Some((key, ..)) if worth(1) > 0.0 => format!(
            "Knowing {} before deciding is worth up to {}; no other uncertainty is worth more than {}.",
            in_sentence(&input_label(key)),
            money(worth(0)),
            money(worth(1))
        ),
        Some((key, ..)) if worth(0) > 0.0 => format!(
            "Knowing {} before deciding is worth up to {}; no other single uncertainty is worth anything measurable on these futures.",
            in_sentence(&input_label(key)),
            money(worth(0)),
        ),
        Some(_) => format!(
            "No single uncertain input is worth learning before deciding on these futures: knowing one would not change the choice; knowing everything at once is worth up to {}.",
            money(v.evpi.value.max(0.0))
        ),
        None => "No input is uncertain: there is nothing to learn before deciding.".into(),
    }
}

/// `voi.csv`: EVPI, then every group and every input with its EVPPI and standard error.
pub fn voi_table(v: &Voi) -> Table {
    let mut t = Table::new(&["kind", "key", "label", "group", "value", "se"]);
    t.push(vec![
        "evpi".into(),
        "".into(),
        "every uncertainty".into(),
        "".into(),
        v.evpi.value.into(),
        v.evpi.se.into(),
    ]);
    for (g, keys, w) in &v.groups {
        t.push(vec![
            "group".into(),
            keys.join(";").into(),
            (*g).into(),
            (*g).into(),
            w.value.into(),
            w.se.into(),
        ]);
    }
    for (key, g, w) in &v.inputs {
        t.push(vec![
            "input".into(),
            key.as_str().into(),
            input_label(key).into(),
            (*g).into(),
            w.value.into(),
            w.se.into(),
        ]);
    }
    t
}

/// The value-of-information files: `voi.csv`, `voi.json` and unless `draw` is false the
/// bars of the most valuable inputs; `voi.json` names the strategy chosen now by its name,
/// the chart by its label.
pub fn voi_files(
    v: &Voi,
    [names, labels]: [&[String]; 2],
    footer: &Footer,
    draw: bool,
) -> Result<Vec<OutputFile>, String> {
    let table = voi_table(v);
    let json = serde_json::json!({
        "chosen_now": names.get(v.best),
        "evpi": {"value": v.evpi.value, "se": v.evpi.se},
        "sentence": voi_sentence(v),
        "groups": crate::analysis::GROUPS.iter().map(|(g, p)| serde_json::json!({"group": g, "prefixes": p})).collect::<Vec<_>>(),
        "rows": table.to_json(),
    });
    let mut files = vec![
        ("voi.csv".to_string(), table.to_csv()),
        ("voi.json".to_string(), pretty(&json)),
    ];
    if let Some(fig) = draw.then(|| voi_figure(v, labels)).flatten() {
        files.push((
            "voi.svg".into(),
            charts::render_svg(&fig, footer)?.into_bytes(),
        ));
        files.push(("voi.png".into(), charts::render_png(&fig, footer)?));
    }
    Ok(files)
}

/// The bars of the most valuable groups and inputs to learn, with knowing everything as a
/// line; none without an uncertain input.
pub fn voi_figure(v: &Voi, names: &[String]) -> Option<charts::Figure> {
    if v.inputs.is_empty() {
        return None;
    }
    let table = voi_table(v);
    // Groups, then inputs, that knowing would be worth something: an estimate at or below
    // zero is noise around a worth of nothing (the true worth is never negative).
    let worth = |w: &crate::analysis::Worth| w.value > 0.0;
    let groups = v
        .groups
        .iter()
        .filter(|g| worth(&g.2))
        .map(|(g, _, w)| (format!("All {g} inputs"), w.value, w.se));
    let inputs = v
        .inputs
        .iter()
        .filter(|x| worth(&x.2))
        .map(|(k, _, w)| (input_label(k), w.value, w.se));
    let rows: Vec<(String, f64, f64)> = groups.chain(inputs).take(14).collect();
    let chosen = names.get(v.best).map_or("", String::as_str);
    let title = match v.inputs.first().filter(|x| worth(&x.2)) {
        Some((key, _, w)) => format!(
            "Knowing {} first is worth up to {}",
            in_sentence(&input_label(key)),
            money(w.value)
        ),
        None if rows.is_empty() => return None,
        None => format!(
            "No single input is worth learning first; knowing everything is worth up to {}",
            money(v.evpi.value.max(0.0))
        ),
    };
    let fig = charts::bars_figure(
        "voi",
        (
            title,
            format!("Expected value of knowing a group of inputs, or one input, before choosing among {} strategies (now: {chosen}), cross-fitted on odd and even futures; whiskers: two standard errors. Left out: inputs whose estimated worth is zero or below, which knowing would not change the choice or which is noise around nothing ({} of {} shown).", names.len(), rows.len(), v.inputs.len() + v.groups.len()),
        ),
        table,
        rows,
        "Expected gain in NPV from knowing the input first".into(),
        Some((v.evpi.value, format!("knowing everything: {}", money(v.evpi.value)))),
    );
    Some(fig)
}

/// Value of information on the console: EVPI, the groups, the top inputs.
pub fn voi_console(v: &Voi, names: &[String]) -> String {
    let mut out = format!(
        "Value of information (chosen now: {}): knowing every future is worth {} (s.e. {})\n",
        names.get(v.best).map_or("", String::as_str),
        money(v.evpi.value),
        money(v.evpi.se)
    );
    out.push_str("  worth  s.e.  group or input\n");
    for (g, _, w) in &v.groups {
        out.push_str(&format!(
            "  {:>8}  {:>8}  all {g} inputs\n",
            money(w.value),
            money(w.se)
        ));
    }
    for (k, _, w) in v.inputs.iter().take(10) {
        out.push_str(&format!(
            "  {:>8}  {:>8}  {}\n",
            money(w.value),
            money(w.se),
            input_label(k)
        ));
    }
    out
}

/// The executive summary's sentences from the analyses run on a run (`analysis::decide`):
/// the reason from the attribution, what would have to be true from discovery, what to
/// learn first from the value of information; a part that did not run stays empty.
pub fn findings(d: &crate::analysis::Decision, sc: &crate::model::Scenario) -> super::Findings {
    let names = d
        .pair
        .map(|(a, b)| (sc.strategies[a].display(), sc.strategies[b].display()));
    let names = names.as_ref().map(|(a, b)| (a.as_str(), b.as_str()));
    let attribution = d.attribution.as_ref();
    super::Findings {
        reason: attribution.map(|a| {
            let on = match a.measured_on {
                Some(m) => format!(
                    "the split measured on the first {} futures and scaled to the mean over all {}",
                    count(m as f64),
                    count(a.paths as f64)
                ),
                None => format!("measured on the first {} futures", count(a.paths as f64)),
            };
            format!(
                "{} ({on})",
                super::attribution_sentence(a).trim_end_matches('.')
            ) + "."
        }),
        must_be_true: d
            .discovery
            .as_ref()
            .zip(names)
            .map(|(x, (a, b))| discover_sentence(x, a, b)),
        learn_first: d.voi.as_ref().map(voi_sentence),
        figures: findings_figures(d, sc, names),
    }
}

/// The charts of the analyses behind the executive summary, in the order it quotes them.
fn findings_figures(
    d: &crate::analysis::Decision,
    sc: &crate::model::Scenario,
    names: Option<(&str, &str)>,
) -> Vec<charts::Figure> {
    let all: Vec<String> = sc.strategies.iter().map(|s| s.display()).collect();
    let waterfall = d.attribution.as_ref().map(super::attribution_figure);
    let scatter = (d.discovery.as_ref().zip(d.futures.as_ref()).zip(names))
        .and_then(|((x, f), n)| discover_figure(f, x, n));
    let voi = d.voi.as_ref().and_then(|v| voi_figure(v, &all));
    [waterfall, scatter, voi].into_iter().flatten().collect()
}
