//! The board report: one page of content, written as `report.html` (self-contained:
//! inline SVG charts, inline style, no script, no network) and as `report.md` for people
//! who paste into documents.
//!
//! The content is built once, then rendered twice; it restates figures the statistics
//! already hold and computes none of its own.

use super::charts::Figure;
use super::{cap, count, money, percent, RunInfo};
use crate::analysis::Sensitivity;
use crate::metrics::Metric;
use crate::model::Scenario;
use crate::stats::Summaries;

/// Everything the report is written from.
pub struct Content<'a> {
    pub sc: &'a Scenario,
    pub name: &'a str,
    pub summaries: &'a Summaries,
    pub figures: &'a [Figure],
    pub info: &'a RunInfo,
    /// The uncertain parameters ranked by their swing of the headline difference.
    pub ranked: &'a [Sensitivity],
}

/// What the report says, before it is written as HTML or Markdown.
struct Doc {
    title: String,
    meta: String,
    finding: Vec<String>,
    key_header: Vec<&'static str>,
    key_rows: Vec<Vec<String>>,
    charts: Vec<(String, String, &'static str)>,
    assumptions_intro: String,
    assumptions: Vec<[String; 3]>,
    trust: Vec<String>,
}

/// The headline sentences: the headline pair's median difference and chance of winning,
/// its spread, and the strategy most often best.
fn write_finding(s: &Summaries) -> Vec<String> {
    let mut finding = Vec::new();
    if let Some(p) = s.headline_pair() {
        let verb = if p.diff.p50 < 0.0 { "loses" } else { "gains" };
        finding.push(format!(
            "{} {} {} against {} in the median future; it comes out ahead in {} of futures (standard error {:.1} points).",
            cap(&p.a),
            verb,
            money(p.diff.p50.abs()),
            p.b,
            percent(p.a_beats_b.p),
            p.a_beats_b.se * 100.0
        ));
        finding.push(format!(
            "On the same futures the difference ranges from {} to {} (P5 to P95).",
            money(p.diff.p5),
            money(p.diff.p95)
        ));
    }
    if let Some(best) = s
        .strategies
        .iter()
        .max_by(|a, b| a.p_best.p.total_cmp(&b.p_best.p))
    {
        finding.push(format!(
            "{} has the highest NPV of all {} strategies in {} of futures.",
            cap(&best.name),
            s.strategies.len(),
            percent(best.p_best.p)
        ));
    }
    finding
}

/// One line per strategy whose layoffs carry a gate: how often each stage happened.
fn write_stages(c: &Content) -> Vec<String> {
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
                    percent(rate.p)
                )
            })
            .collect();
        lines.push(format!("{} made {}.", cap(&st.name), stages.join(", ")));
    }
    lines
}

/// The key numbers table: its header, and a row per strategy.
fn tabulate_key_numbers(s: &Summaries) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let key_header = vec![
        "Strategy",
        "NPV, median",
        "NPV, P5 to P95",
        "Total cost, median",
        "Output (WU), median",
        "Incidents, median",
        "Know-how kept",
        "Best in",
    ];
    let key_rows = s
        .strategies
        .iter()
        .map(|st| {
            let npv = st.metric(Metric::Npv);
            vec![
                st.name.clone(),
                money(npv.p50),
                format!("{} to {}", money(npv.p5), money(npv.p95)),
                money(st.metric(Metric::TotalCost).p50),
                count(st.metric(Metric::Output).p50),
                count(st.metric(Metric::Incidents).p50),
                percent(st.metric(Metric::KnowledgeEnd).p50),
                format!("{} ± {:.1}", percent(st.p_best.p), st.p_best.se * 100.0),
            ]
        })
        .collect();
    (key_header, key_rows)
}

/// The assumptions section: its introduction, and per uncertain parameter its key, its
/// range (with its swing for the five that move the headline difference most, which come
/// first) and its unit and source.
fn describe_assumptions(c: &Content) -> (String, Vec<[String; 3]>) {
    let uncertain: Vec<(String, &crate::model::Param)> =
        c.sc.params()
            .into_iter()
            .filter(|(_, p)| !p.dist.is_fixed())
            .collect();
    let describe = |key: &str| {
        let range = uncertain
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, p)| p.dist.describe())
            .unwrap_or_default();
        let spec = crate::model::params::spec(key);
        // The registry's source speaks for its default only: a value the scenario sets
        // differently is the scenario's, and its file says where it comes from.
        let set_here = uncertain
            .iter()
            .find(|(k, _)| k == key)
            .zip(spec)
            .is_some_and(|((_, p), s)| s.default.to_dist().as_ref() != Some(&p.dist));
        (
            range,
            spec.map(|s| {
                if set_here {
                    format!("{} (this scenario's value; see the scenario file)", s.unit)
                } else {
                    format!("{} ({})", s.unit, s.source)
                }
            })
            .unwrap_or_default(),
        )
    };
    // The five that move the headline difference most come first, with their swing.
    let top: Vec<&Sensitivity> = c.ranked.iter().take(5).collect();
    let mut assumptions: Vec<[String; 3]> = top
        .iter()
        .map(|r| {
            let (range, unit) = describe(&r.key);
            [
                r.key.clone(),
                format!(
                    "{range}; moves the difference by {} from its lowest tenth of draws to its highest",
                    money(r.swing)
                ),
                unit,
            ]
        })
        .collect();
    assumptions.extend(
        uncertain
            .iter()
            .filter(|(k, _)| !top.iter().any(|r| &r.key == k))
            .map(|(k, _)| {
                let (range, unit) = describe(k);
                [k.clone(), range, unit]
            }),
    );
    let intro = if top.is_empty() {
        "The scenario has no uncertain parameters; every value is fixed in the scenario file."
            .into()
    } else {
        format!(
            "The scenario's uncertain parameters, each drawn once per future. The first {} move the headline difference most, ranked by how far its mean moves between the tenth of futures with the lowest draws of the parameter and the tenth with the highest (tokensim sensitivity gives the full ranking); the rest follow in the order of the model.",
            top.len()
        )
    };
    (intro, assumptions)
}

/// What the numbers rest on: futures, seed and horizon, standard errors, the quantile
/// estimator, and how to reproduce the run.
fn write_trust(s: &Summaries, info: &RunInfo, sha: &str) -> Vec<String> {
    let mut trust = vec![format!(
        "Every figure rests on {} simulated futures from seed {} over {} months; every strategy is run on the same futures, so differences between strategies are measured future by future.",
        count(s.n_paths as f64),
        info.seed,
        s.horizon
    )];
    trust.push(format!(
        "Standard errors of the mean NPV: {}.",
        s.strategies
            .iter()
            .map(|st| format!("{} {}", st.name, money(st.metric(Metric::Npv).se)))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    trust.push(
        "Quantiles (P5 to P95) use the estimator of Excel's PERCENTILE.INC (type 7). Charts show medians and the middle 50% and 90% of futures."
            .into(),
    );
    trust.push(format!(
        "Reproduce: tokensim {} run {} --seed {} --paths {} (scenario SHA-256 {}).",
        info.version, info.scenario_file, info.seed, s.n_paths, sha
    ));
    trust
}

/// Builds what the report says, section by section.
fn build_doc(c: &Content) -> Doc {
    let (name, s, info) = (c.name, c.summaries, c.info);
    let sha = &info.scenario_sha256[..info.scenario_sha256.len().min(8)];
    let (key_header, key_rows) = tabulate_key_numbers(s);
    let (assumptions_intro, assumptions) = describe_assumptions(c);
    Doc {
        title: format!("Cut engineers and buy tokens, or give engineers AI? Scenario {name}"),
        meta: format!(
            "{} simulated futures · seed {} · {} months · tokensim {} · scenario SHA-256 {}",
            count(s.n_paths as f64),
            info.seed,
            s.horizon,
            info.version,
            sha
        ),
        finding: [write_finding(s), write_stages(c)].concat(),
        key_header,
        key_rows,
        charts: c
            .figures
            .iter()
            .map(|f| (f.title.clone(), f.subtitle.clone(), f.name))
            .collect(),
        assumptions_intro,
        assumptions,
        trust: write_trust(s, info, sha),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\
h1{font-size:1.9em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}\
.meta{color:#666}.finding{font-size:1.3em;font-weight:bold}\
table{border-collapse:collapse;width:100%;margin:1em 0}th,td{padding:.35em .6em;border-bottom:1px solid #e4e4e4;text-align:right}\
th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}\
figure{margin:1.5em 0}figure svg{width:100%;height:auto;border:1px solid #eee}figcaption{color:#555}";

/// `report.html`: `svgs` are the figures' SVG texts, in the order of `figures`.
pub fn report_html(c: &Content, svgs: &[String]) -> String {
    let d = build_doc(c);
    let mut h = String::new();
    h.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&d.title)
    ));
    h.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"meta\">{}</p>\n",
        esc(&d.title),
        esc(&d.meta)
    ));
    h.push_str("<h2>The finding</h2>\n");
    for (i, f) in d.finding.iter().enumerate() {
        let class = if i == 0 { " class=\"finding\"" } else { "" };
        h.push_str(&format!("<p{class}>{}</p>\n", esc(f)));
    }
    h.push_str("<h2>Key numbers</h2>\n<table>\n<tr>");
    for c in &d.key_header {
        h.push_str(&format!("<th>{}</th>", esc(c)));
    }
    h.push_str("</tr>\n");
    for r in &d.key_rows {
        h.push_str("<tr>");
        for c in r {
            h.push_str(&format!("<td>{}</td>", esc(c)));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n<p>Over the horizon; medians across futures. \"Best in\": share of futures in which the strategy has the highest NPV, ± its standard error in points.</p>\n");
    h.push_str("<h2>Charts</h2>\n");
    for ((title, subtitle, _), svg) in d.charts.iter().zip(svgs) {
        let body = svg.trim_start_matches(|c| c != '<');
        h.push_str(&format!(
            "<figure>\n{}\n<figcaption>{}. {}</figcaption>\n</figure>\n",
            body.trim(),
            esc(title),
            esc(subtitle)
        ));
    }
    h.push_str("<h2>The assumptions that move the result</h2>\n");
    h.push_str(&format!(
        "<p>{}</p>\n<table>\n<tr><th>Parameter</th><th>Range</th><th>Unit and source</th></tr>\n",
        esc(&d.assumptions_intro)
    ));
    for [k, r, u] in &d.assumptions {
        h.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
            esc(k),
            esc(r),
            esc(u)
        ));
    }
    h.push_str("</table>\n<h2>How much these numbers rest on</h2>\n");
    for t in &d.trust {
        h.push_str(&format!("<p>{}</p>\n", esc(t)));
    }
    h.push_str("</body>\n</html>\n");
    h
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// `report.md`: the same content, with the charts as links to their PNG files.
pub fn report_md(c: &Content) -> String {
    let d = build_doc(c);
    let mut m = format!("# {}\n\n{}\n\n## The finding\n\n", d.title, d.meta);
    for (i, f) in d.finding.iter().enumerate() {
        if i == 0 {
            m.push_str(&format!("**{f}**\n\n"));
        } else {
            m.push_str(&format!("{f}\n\n"));
        }
    }
    m.push_str("## Key numbers\n\n");
    m.push_str(&format!("| {} |\n", d.key_header.join(" | ")));
    m.push_str(&format!("|{}\n", "---|".repeat(d.key_header.len())));
    for r in &d.key_rows {
        m.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    m.push_str("\nOver the horizon; medians across futures. \"Best in\": share of futures in which the strategy has the highest NPV, ± its standard error in points.\n\n## Charts\n\n");
    for (title, subtitle, file) in &d.charts {
        m.push_str(&format!(
            "![{title}](charts/{file}.png)\n\n*{title}.* {subtitle}\n\n"
        ));
    }
    m.push_str(&format!("## The assumptions that move the result\n\n{}\n\n| Parameter | Range | Unit and source |\n|---|---|---|\n", d.assumptions_intro));
    for [k, r, u] in &d.assumptions {
        m.push_str(&format!("| `{}` | {} | {} |\n", k, md_cell(r), md_cell(u)));
    }
    m.push_str("\n## How much these numbers rest on\n\n");
    for t in &d.trust {
        m.push_str(&format!("{t}\n\n"));
    }
    m
}
