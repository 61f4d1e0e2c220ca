//! What `attribute` leaves behind: `attribution.csv` and `attribution.json`, the waterfall
//! from the incumbent's mean NPV to the challenger's, the sentence a board reads and the
//! console table. Formats what `analysis::attribute` computed; computes nothing.

use super::charts::{self, Footer};
use super::{cap, money, pretty, Cell, OutputFile, Table};
use crate::analysis::{Attribution, Contribution};
use serde_json::json;

/// The contributions largest first (by size, then in the order of the groups).
fn ordered(a: &Attribution) -> Vec<&Contribution> {
    let mut v: Vec<&Contribution> = a.contributions.iter().collect();
    v.sort_by(|x, y| {
        y.mean
            .abs()
            .total_cmp(&x.mean.abs())
            .then(x.group.cmp(&y.group))
    });
    v
}

/// `attribution.csv`: the waterfall's steps: the incumbent's mean NPV, each group's
/// contribution largest first with its levers, standard error and the running total,
/// then the challenger's mean NPV.
pub fn attribution_table(a: &Attribution) -> Table {
    let mut t = Table::new(&[
        "step",
        "label",
        "levers",
        "amount",
        "standard_error",
        "running_total",
    ]);
    let (im, ise) = a.incumbent_mean;
    t.push(vec![
        a.incumbent.as_str().into(),
        format!("Mean NPV of {}", a.incumbent).into(),
        "".into(),
        im.into(),
        ise.into(),
        im.into(),
    ]);
    let mut level = im;
    for c in ordered(a) {
        level += c.mean;
        t.push(vec![
            c.group.key().into(),
            c.group.label().into(),
            c.group.fields().join(" ").into(),
            c.mean.into(),
            c.se.into(),
            level.into(),
        ]);
    }
    let (cm, cse) = a.challenger_mean;
    t.push(vec![
        a.challenger.as_str().into(),
        format!("Mean NPV of {}", a.challenger).into(),
        Cell::from(""),
        cm.into(),
        cse.into(),
        cm.into(),
    ]);
    t
}

/// `attribution.json`: the pair, the difference, every contribution with its levers, and
/// every hybrid's mean NPV.
pub fn attribution_json(a: &Attribution) -> serde_json::Value {
    let pair = |(m, se): (f64, f64)| json!({ "mean": m, "standard_error": se });
    json!({
        "challenger": a.challenger,
        "incumbent": a.incumbent,
        "paths": a.paths,
        "incumbent_mean_npv": pair(a.incumbent_mean),
        "challenger_mean_npv": pair(a.challenger_mean),
        "difference": pair(a.difference),
        "contributions": ordered(a).iter().map(|c| json!({
            "group": c.group.key(),
            "label": c.group.label(),
            "levers": c.group.fields(),
            "mean": c.mean,
            "standard_error": c.se,
        })).collect::<Vec<_>>(),
        "hybrids": a.hybrids.iter().map(|h| json!({
            "from_challenger": h.groups.iter().map(|g| g.key()).collect::<Vec<_>>(),
            "mean_npv": h.mean,
        })).collect::<Vec<_>>(),
        "sentence": attribution_sentence(a),
    })
}

/// A group's label inside a sentence.
fn lower(label: &str) -> String {
    let mut c = label.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

/// `a, b and c`.
fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "Of the $84.0M by which leverage beats replacement on average, $65.0M (s.e. $1.0M)
/// comes from token governance and $19.0M (s.e. $0.4M) from headcount; in the other
/// direction, $2.0M (s.e. $0.1M) comes from agent seats." No verb takes a group's label
/// as its subject, so plural labels read as well as singular ones.
pub fn attribution_sentence(a: &Attribution) -> String {
    let d = a.difference.0;
    if d == 0.0 {
        return format!(
            "{} and {} have the same mean NPV over these futures.",
            a.labels.0, a.labels.1
        );
    }
    let (winner, loser) = if d < 0.0 {
        (&a.labels.1, &a.labels.0)
    } else {
        (&a.labels.0, &a.labels.1)
    };
    let part = |c: &Contribution| {
        format!(
            "{} (s.e. {}) from {}",
            money(c.mean.abs()),
            money(c.se),
            lower(c.group.label())
        )
    };
    let order = ordered(a);
    let with: Vec<String> = order
        .iter()
        .filter(|c| c.mean * d > 0.0)
        .map(|c| part(c))
        .collect();
    let against: Vec<&&Contribution> = order.iter().filter(|c| c.mean * d < 0.0).collect();
    if let [only] = order[..] {
        if only.mean * d > 0.0 {
            return format!(
                "All of the {} by which {winner} beats {loser} on average comes from {} (s.e. {}).",
                money(d.abs()),
                lower(only.group.label()),
                money(only.se)
            );
        }
    }
    let mut s = format!(
        "Of the {} by which {winner} beats {loser} on average, ",
        money(d.abs())
    );
    s.push_str(&join_and(&with).replacen(" from ", " comes from ", 1));
    if !against.is_empty() {
        let parts: Vec<String> = against.iter().map(|c| part(c)).collect();
        s.push_str(&format!(
            "; in the other direction, {}",
            join_and(&parts).replacen(" from ", " comes from ", 1)
        ));
    }
    s.push('.');
    s
}

/// The console lines of `attribute`: the pair's means, each group's contribution largest
/// first with its standard error and levers.
pub fn attribution_console(a: &Attribution) -> String {
    let mut out = String::new();
    let line = |label: &str, amount: f64, se: f64, levers: &str| {
        format!(
            "  {label:<26} {:>10}  s.e. {:>8}  {levers}\n",
            money(amount),
            money(se)
        )
    };
    out.push_str(&line(
        &format!("Mean NPV of {}", a.incumbent),
        a.incumbent_mean.0,
        a.incumbent_mean.1,
        "",
    ));
    for c in ordered(a) {
        out.push_str(&line(
            c.group.label(),
            c.mean,
            c.se,
            &c.group.fields().join(", "),
        ));
    }
    out.push_str(&line(
        &format!("Mean NPV of {}", a.challenger),
        a.challenger_mean.0,
        a.challenger_mean.1,
        "",
    ));
    out
}

/// Every file of `attribute`: the table, the JSON and, when `draw`, the waterfall.
pub fn attribution_files(
    a: &Attribution,
    footer: &Footer,
    draw: bool,
) -> Result<Vec<OutputFile>, String> {
    let table = attribution_table(a);
    let mut files = vec![
        ("attribution.csv".to_string(), table.to_csv()),
        ("attribution.json".to_string(), pretty(&attribution_json(a))),
    ];
    if draw {
        let fig = waterfall(a, table);
        files.push((
            "waterfall.svg".into(),
            charts::render_svg(&fig, footer)?.into_bytes(),
        ));
        files.push(("waterfall.png".into(), charts::render_png(&fig, footer)?));
    }
    Ok(files)
}

/// The attribution's waterfall, as `run` draws it among its charts.
pub fn attribution_figure(a: &Attribution) -> charts::Figure {
    waterfall(a, attribution_table(a))
}

/// The waterfall from the incumbent's mean NPV to the challenger's, its title naming the
/// group that accounts for most of the difference.
fn waterfall(a: &Attribution, table: Table) -> charts::Figure {
    let order = ordered(a);
    let d = a.difference.0;
    let (winner, loser) = if d < 0.0 {
        (&a.labels.1, &a.labels.0)
    } else {
        (&a.labels.0, &a.labels.1)
    };
    let beats = format!(
        "{} beats {loser} by {} on average",
        cap(winner),
        money(d.abs())
    );
    let title = match order[..] {
        [only] if only.mean * d > 0.0 => {
            format!("{beats}, all of it from {}", lower(only.group.label()))
        }
        [top, ..] if top.mean * d > 0.0 && top.mean.abs() > d.abs() => format!(
            "{beats}: {} from {} alone, of which the other levers take back {}",
            money(top.mean.abs()),
            lower(top.group.label()),
            money(top.mean.abs() - d.abs())
        ),
        [top, ..] if top.mean * d > 0.0 => format!(
            "{beats}, {} of it from {}",
            money(top.mean.abs()),
            lower(top.group.label())
        ),
        _ => beats,
    };
    let measured = match a.measured_on {
        Some(m) => format!(
            " The split was measured on the first {} futures and scaled to the mean difference over all {}.",
            super::count(m as f64),
            super::count(a.paths as f64)
        ),
        None => String::new(),
    };
    let subtitle = format!(
        "Mean NPV over {} futures, from {}'s to {}'s: each bar is a lever group's Shapley contribution, its effect of switching the group from {} to {} averaged over every order of switching the groups, on the same futures.{measured}",
        super::count(a.paths as f64),
        a.labels.1,
        a.labels.0,
        a.labels.1,
        a.labels.0
    );
    charts::waterfall_figure(
        ("waterfall", title, subtitle),
        table,
        (a.labels.1.clone(), a.incumbent_mean.0),
        order
            .iter()
            .map(|c| (c.group.label().to_string(), c.mean, c.se))
            .collect(),
        (a.labels.0.clone(), a.challenger_mean.0),
        "Mean NPV over the horizon".into(),
    )
}
