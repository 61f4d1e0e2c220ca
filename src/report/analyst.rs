//! What the analyst commands leave behind: `sweep.csv` and its chart, `sensitivity.csv`
//! and its tornado, the break-even result, and their console lines.
//!
//! It formats results `analysis` computed; it computes none of its own.

use super::charts::{self, Footer};
use super::{cap, money, percent, pretty, Cell, OutputFile, Table};
use crate::analysis::{
    BreakEven, Convergence, Probe, Round, Sensitivity, SweepPoint, Target, Vary,
};
use crate::model::Scenario;

/// What a board reads for a parameter key: its label with its unit, or the key itself.
fn axis_label(key: &str) -> String {
    match (
        crate::model::params::label(key),
        crate::model::params::spec(key),
    ) {
        (Some(label), Some(spec)) if !spec.unit.is_empty() => format!("{label} ({})", spec.unit),
        (Some(label), _) => label,
        _ => key.to_string(),
    }
}

/// `axis_label` of a key if it fits `max_px` pixels of an axis title (28 px type), else
/// its label alone, shortened with an ellipsis if even that is too wide.
fn fit_axis_label(key: &str, max_px: f64) -> String {
    let full = axis_label(key);
    if charts::text_width(&full, 28.0, false) <= max_px {
        return full;
    }
    shorten(&param_label(key), 28.0, max_px)
}

/// A parameter's label alone, or its key.
fn param_label(key: &str) -> String {
    crate::model::params::label(key).unwrap_or_else(|| key.to_string())
}

/// A parameter's label inside a sentence: its first letter in lower case.
fn param_words(key: &str) -> String {
    let label = param_label(key);
    let mut c = label.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => label,
    }
}

/// "replacement minus leverage", the quantity sensitivity ranks.
pub fn headline_label(sc: &Scenario) -> String {
    match sc.headline() {
        Some((a, b)) => format!(
            "NPV of {} minus {}",
            sc.strategies[a].display(),
            sc.strategies[b].display()
        ),
        None => format!("NPV of {}", sc.strategies[0].display()),
    }
}

/// The headline pair's P(win), its s.e. and median NPV difference at a sweep point.
fn headline(p: &SweepPoint) -> (f64, f64, f64) {
    match p.summaries.headline_pair() {
        Some(h) => (h.a_beats_b.p, h.a_beats_b.se, h.diff.p50),
        None => (f64::NAN, f64::NAN, f64::NAN),
    }
}

/// `sweep.csv`: per point, the rows of `summary.csv` (every metric of every strategy, with
/// P(best), expected regret and CVaR), then the headline pair's P(win) and median
/// difference, each row led by the point and its values.
pub fn sweep_table(vary: &[Vary], points: &[SweepPoint]) -> Table {
    let mut header: Vec<&'static str> = vec!["point"];
    let keys: [&'static str; 2] = ["value_1", "value_2"];
    header.extend(keys.iter().take(vary.len()));
    let summary_header = super::summary_table(&points[0].summaries).header;
    header.extend(summary_header.iter().copied());
    let mut t = Table::new(&header);
    for (i, p) in points.iter().enumerate() {
        let lead: Vec<Cell> = std::iter::once(i.into())
            .chain(p.values.iter().map(|v| Cell::Num(*v)))
            .collect();
        for row in super::summary_table(&p.summaries).rows {
            t.push(lead.iter().cloned().chain(row).collect());
        }
        if let Some(h) = p.summaries.headline_pair() {
            let blank = || vec![Cell::Num(f64::NAN); 5];
            let n = p.summaries.n_paths;
            let mut r = lead.clone();
            r.extend([
                "headline".into(),
                "p_win".into(),
                n.into(),
                h.a_beats_b.p.into(),
                h.a_beats_b.se.into(),
            ]);
            r.extend(blank());
            t.push(r);
            let mut r = lead.clone();
            r.extend([
                "headline".into(),
                "median_diff".into(),
                n.into(),
                h.diff.p50.into(),
                Cell::Num(f64::NAN),
            ]);
            r.extend(blank());
            t.push(r);
        }
    }
    t
}

/// The sweep's files: `sweep.csv`, `sweep.json`, and unless `draw` is false its chart.
pub fn sweep_files(
    vary: &[Vary],
    points: &[SweepPoint],
    footer: &Footer,
    draw: bool,
) -> Result<Vec<OutputFile>, String> {
    let table = sweep_table(vary, points);
    let keys: Vec<&str> = vary.iter().map(|v| v.key.as_str()).collect();
    let mut files = vec![
        ("sweep.csv".to_string(), table.to_csv()),
        (
            "sweep.json".to_string(),
            pretty(&serde_json::json!({"vary": keys, "rows": table.to_json()})),
        ),
    ];
    if draw && !points.is_empty() && points[0].summaries.headline.is_some() {
        let fig = sweep_figure(vary, points);
        files.push((
            "sweep.svg".into(),
            charts::render_svg(&fig, footer)?.into_bytes(),
        ));
        files.push(("sweep.png".into(), charts::render_png(&fig, footer)?));
    }
    Ok(files)
}

fn pair_names(p: &SweepPoint) -> (String, String) {
    p.summaries
        .headline_pair()
        .map(|h| (h.a.clone(), h.b.clone()))
        .unwrap_or_default()
}

fn sweep_figure(vary: &[Vary], points: &[SweepPoint]) -> charts::Figure {
    let (a, b) = pair_names(&points[0]);
    let mut data = Table::new(&["value_1", "value_2", "p_win", "se", "median_diff"]);
    for p in points {
        let (pw, se, md) = headline(p);
        data.push(vec![
            p.values[0].into(),
            p.values.get(1).copied().unwrap_or(f64::NAN).into(),
            pw.into(),
            se.into(),
            md.into(),
        ]);
    }
    if vary.len() == 1 {
        let pts: Vec<(f64, f64)> = points
            .iter()
            .map(|p| (p.values[0], headline(p).0))
            .collect();
        let band: Vec<(f64, f64, f64)> = points
            .iter()
            .map(|p| {
                let (pw, se, _) = headline(p);
                (
                    p.values[0],
                    (pw - 2.0 * se).max(0.0),
                    (pw + 2.0 * se).min(1.0),
                )
            })
            .collect();
        // The smallest and largest chance over the whole grid, not just its ends.
        let (lo, hi) = pts
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                (a.min(p.1), b.max(p.1))
            });
        let crossing = pts
            .windows(2)
            .find(|w| (w[0].1 - 0.5) * (w[1].1 - 0.5) <= 0.0 && w[0].1 != w[1].1);
        let title = match crossing {
            Some(w) => {
                let x = w[0].0 + (0.5 - w[0].1) * (w[1].0 - w[0].0) / (w[1].1 - w[0].1);
                format!(
                    "{a} and {b} are even near {} = {}",
                    param_words(&vary[0].key),
                    short(x)
                )
            }
            None => format!(
                "{} wins in {} to {} of futures across {} = {} to {}",
                cap(&a),
                percent(lo.min(hi)),
                percent(lo.max(hi)),
                param_words(&vary[0].key),
                short(vary[0].lo),
                short(vary[0].hi)
            ),
        };
        charts::xy_figure(
            "sweep",
            title,
            format!("Chance that {a} beats {b} on NPV at each value, on the same futures; shaded: two standard errors."),
            data,
            (
                fit_axis_label(&vary[0].key, 1500.0),
                format!("P({a} beats {b})"),
            ),
            true,
            vec![(a.clone(), pts)],
            band,
            Some((0.5, "even".into())),
        )
    } else {
        let (xs, ys) = (vary[0].values(), vary[1].values());
        let z: Vec<Vec<f64>> = (0..xs.len())
            .map(|i| {
                (0..ys.len())
                    .map(|j| headline(&points[i * ys.len() + j]).0)
                    .collect()
            })
            .collect();
        let wins = points.iter().filter(|p| headline(p).0 > 0.5).count();
        let best = points.iter().map(|p| headline(p).0).fold(0.0, f64::max);
        let title = if wins == 0 {
            format!(
                "{} stays ahead at all {} grid points; {a} wins at most {} of futures",
                cap(&b),
                points.len(),
                percent(best)
            )
        } else {
            format!(
                "{} wins in most futures at {wins} of {} grid points",
                cap(&a),
                points.len()
            )
        };
        let z_all = || z.iter().flatten();
        let shown = [
            (z_all().any(|v| *v > 0.5), format!("orange: {a} ahead")),
            (z_all().any(|v| *v < 0.5), format!("blue: {b} ahead")),
            (
                z_all().any(|v| *v > 0.5) && z_all().any(|v| *v < 0.5),
                "black line: even (50%)".to_string(),
            ),
        ];
        let key: Vec<String> = shown
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, text)| text)
            .collect();
        charts::heat_figure(
            "sweep",
            title,
            format!(
                "Each cell: the share of futures in which {a} beats {b} on NPV at that grid point, on the same futures. {}. Columns: {}; rows: {}.",
                cap(&key.join("; ")),
                axis_label(&vary[0].key),
                axis_label(&vary[1].key)
            ),
            data,
            (
                fit_axis_label(&vary[0].key, 1500.0),
                fit_axis_label(&vary[1].key, 640.0),
            ),
            (xs, ys),
            z,
        )
    }
}

/// `text` if it fits `max_px` pixels at `px` pixels to the em, else cut with an ellipsis.
fn shorten(text: &str, px: f64, max_px: f64) -> String {
    let fits = |t: &str| charts::text_width(t, px, false) <= max_px;
    if fits(text) {
        return text.to_string();
    }
    let mut cut: String = text.to_string();
    while cut.chars().count() > 4 && !fits(&format!("{}…", cut.trim_end())) {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}

fn short(x: f64) -> String {
    if x.abs() >= 1000.0 {
        format!("{x:.0}")
    } else {
        format!("{:.3}", x)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// The sweep's console table: per point, the headline P(win) and median difference.
pub fn sweep_console(vary: &[Vary], points: &[SweepPoint]) -> String {
    let mut out = String::new();
    let keys: Vec<&str> = vary.iter().map(|v| v.key.as_str()).collect();
    out.push_str(&format!(
        "{}  P(win)  s.e.  median difference\n",
        keys.join("  ")
    ));
    for p in points {
        let (pw, se, md) = headline(p);
        let vals: Vec<String> = p.values.iter().map(|v| short(*v)).collect();
        out.push_str(&format!(
            "{}  {}  {:.3}  {}\n",
            vals.join("  "),
            percent(pw),
            se,
            money(md)
        ));
    }
    out
}

/// `sensitivity.csv`: every uncertain parameter, ranked.
pub fn sensitivity_table(ranked: &[Sensitivity]) -> Table {
    let mut t = Table::new(&[
        "rank",
        "key",
        "p10",
        "p90",
        "mean_at_p10_or_below",
        "mean_at_p90_or_above",
        "swing",
        "spearman",
        "variance_share",
    ]);
    for (i, s) in ranked.iter().enumerate() {
        t.push(vec![
            (i + 1).into(),
            s.key.as_str().into(),
            s.p10.into(),
            s.p90.into(),
            s.low_mean.into(),
            s.high_mean.into(),
            s.swing.into(),
            s.spearman.into(),
            s.variance_share.into(),
        ]);
    }
    t
}

/// The sensitivity files: `sensitivity.csv` and unless `draw` is false the tornado.
pub fn sensitivity_files(
    ranked: &[Sensitivity],
    label: &str,
    mean: f64,
    footer: &Footer,
    draw: bool,
) -> Result<Vec<OutputFile>, String> {
    let mut files = vec![(
        "sensitivity.csv".to_string(),
        sensitivity_table(ranked).to_csv(),
    )];
    if let Some(fig) = draw.then(|| tornado(ranked, label, mean)).flatten() {
        files.push((
            "tornado.svg".into(),
            charts::render_svg(&fig, footer)?.into_bytes(),
        ));
        files.push(("tornado.png".into(), charts::render_png(&fig, footer)?));
    }
    Ok(files)
}

/// The tornado of the twelve inputs that swing `label` most, centred on its mean; none
/// without an uncertain input.
pub fn tornado(ranked: &[Sensitivity], label: &str, mean: f64) -> Option<charts::Figure> {
    if ranked.is_empty() {
        return None;
    }
    let table = sensitivity_table(ranked);
    let top: Vec<&Sensitivity> = ranked.iter().take(12).collect();
    let first = top[0];
    let rows = top
        .iter()
        .map(|s| charts::TornadoRow {
            label: shorten(&param_label(&s.key), 24.0, 800.0),
            at_low: s.low_mean,
            at_high: s.high_mean,
            low_input: super::compact_value(&s.key, s.p10),
            high_input: super::compact_value(&s.key, s.p90),
        })
        .collect();
    let fig = charts::tornado_figure(
        "tornado",
        format!(
            "{} moves the mean NPV difference most: {} between its lowest and highest tenth",
            param_label(&first.key),
            money(first.swing.abs())
        ),
        format!(
            "Mean {label} over the tenth of futures with each input's lowest draws (light bar, input value at its end) and the tenth with its highest (dark); line: the mean over all futures, {}. Top {} of {}.",
            money(mean),
            top.len(),
            ranked.len()
        ),
        table,
        rows,
        mean,
        format!("Mean {label}"),
    );
    Some(fig)
}

/// The ranking on the console.
pub fn sensitivity_console(ranked: &[Sensitivity]) -> String {
    let mut out = String::from("rank  swing (P10 -> P90)  Spearman  variance share  parameter\n");
    for (i, s) in ranked.iter().enumerate() {
        out.push_str(&format!(
            "{:>4}  {:>18}  {:>8.3}  {:>14}  {}\n",
            i + 1,
            money(s.swing),
            s.spearman,
            percent(s.variance_share),
            s.key
        ));
    }
    out
}

fn target_text(t: Target) -> String {
    match t {
        Target::PWin(p) => format!("p_win = {p}"),
        Target::MedianDiff(d) => format!("median_diff = {d}"),
    }
}

/// `breakeven.csv`: every probe of the search.
pub fn break_even_table(r: &BreakEven) -> Table {
    let mut t = Table::new(&["probe", "value", "gap_to_target", "se"]);
    for (i, Probe { value, gap, se }) in r.probes.iter().enumerate() {
        t.push(vec![
            (i + 1).into(),
            (*value).into(),
            (*gap).into(),
            (*se).into(),
        ]);
    }
    t
}

/// The break-even chart: the headline pair's statistic at every probe, against the
/// parameter, with two standard errors around it, the target, and the value found.
pub fn break_even_files(
    r: &BreakEven,
    footer: &Footer,
    draw: bool,
) -> Result<Vec<OutputFile>, String> {
    if !draw || r.probes.is_empty() {
        return Ok(vec![]);
    }
    let (aim, percent_axis, what) = match r.target {
        Target::PWin(p) => (p, true, "Chance the challenger wins"),
        Target::MedianDiff(d) => (d, false, "Median NPV difference"),
    };
    let mut probes = r.probes.clone();
    probes.sort_by(|a, b| a.value.total_cmp(&b.value));
    let points: Vec<(f64, f64)> = probes.iter().map(|p| (p.value, aim + p.gap)).collect();
    let band = probes
        .iter()
        .map(|p| (p.value, aim + p.gap - 2.0 * p.se, aim + p.gap + 2.0 * p.se))
        .collect();
    let show = |v: f64| if percent_axis { percent(v) } else { money(v) };
    let name = param_words(&r.key);
    let title = match r.value {
        Some(v) => format!("The headline pair is even at {name} = {}", short(v)),
        None => format!(
            "{what} does not reach {} over the range of {} searched",
            show(aim),
            param_words(&r.key)
        ),
    };
    let mut fig = charts::xy_figure(
        "breakeven",
        title,
        format!(
            "{what} of the headline pair at each value probed (points), with two standard errors (shaded); line: the target, {}.",
            show(aim)
        ),
        break_even_table(r),
        (fit_axis_label(&r.key, 1500.0), what.to_string()),
        percent_axis,
        vec![("probes".to_string(), points)],
        band,
        Some((aim, format!("target {}", show(aim)))),
    );
    if let Some(v) = r.value {
        fig = fig.with_x_mark(v, format!("even at {}", short(v)));
    }
    Ok(vec![
        (
            "breakeven.svg".into(),
            charts::render_svg(&fig, footer)?.into_bytes(),
        ),
        ("breakeven.png".into(), charts::render_png(&fig, footer)?),
    ])
}

/// The break-even result as JSON.
pub fn break_even_json(r: &BreakEven, range: (f64, f64)) -> serde_json::Value {
    serde_json::json!({
        "param": r.key,
        "target": target_text(r.target),
        "range": [range.0, range.1],
        "value": r.value,
        "interval": r.interval.map(|(a, b)| [a, b]),
        "reached": r.value.is_some(),
        "probes": r.probes.len(),
    })
}

/// The break-even result in one sentence.
pub fn break_even_sentence(r: &BreakEven, range: (f64, f64)) -> String {
    match (r.value, r.interval) {
        (Some(v), Some((a, b))) => format!(
            "{}: the headline pair is even ({}) at {} (Monte Carlo interval {} to {}).",
            r.key,
            target_text(r.target),
            short(v),
            short(a),
            short(b)
        ),
        _ => {
            let ends: Vec<String> = r
                .probes
                .iter()
                .map(|p| format!("{} at {}", short(p.gap), short(p.value)))
                .collect();
            format!(
                "{}: {} is not reached in [{}, {}] (distance from the target: {}).",
                r.key,
                target_text(r.target),
                short(range.0),
                short(range.1),
                ends.join(", ")
            )
        }
    }
}

/// What `run.json` records of a sweep: each parameter's grid.
pub fn sweep_json(vary: &[Vary]) -> serde_json::Value {
    serde_json::json!({
        "sweep": vary.iter().map(|v| serde_json::json!({"key": v.key, "lo": v.lo, "hi": v.hi, "steps": v.steps})).collect::<Vec<_>>(),
    })
}

/// What `run.json` records of a `--target-se` run: the rule, each round's paths and
/// standard error, and whether the target was reached.
pub fn convergence_json(rule: &Convergence, rounds: &[Round]) -> serde_json::Value {
    serde_json::json!({
        "convergence": {
            "target_se": rule.target_se,
            "max_paths": rule.max_paths,
            "reached": rule.reached(rounds),
            "rounds": rounds.iter().map(|r| serde_json::json!({"paths": r.paths, "se": r.se})).collect::<Vec<_>>(),
        }
    })
}
