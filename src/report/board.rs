//! The board report: one page of content, written as `report.html` (self-contained:
//! inline SVG charts, inline style, no script, no network) and as `report.md` for people
//! who paste into documents.
//!
//! The content is built once (`pack::build`), then rendered twice; it restates figures
//! the statistics already hold and computes none of its own.

use super::pack::{Content, Doc, Grid};

/// Text for HTML, with `command` spans as code.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in esc(s).split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<code>{part}</code>"));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Text for HTML or XML: the characters markup would read escaped.
pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\
h1{font-size:1.9em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}\
.meta{color:#666}.finding{font-size:1.3em;font-weight:bold}\
table{border-collapse:collapse;width:100%;margin:1em 0}th,td{padding:.35em .6em;border-bottom:1px solid #e4e4e4;text-align:right}\
th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}td.w{text-align:left}\
dl.summary dt{font-weight:bold;margin-top:.6em}dl.summary dd{margin:0 0 0 0}.answer{font-size:1.25em;font-weight:bold}code{font-size:.9em}figure{margin:1.5em 0}figure svg{width:100%;height:auto;border:1px solid #eee}figcaption{color:#555}";

/// The sections after the executive summary, in the order of the report: (heading,
/// paragraphs before, tables, paragraphs after).
type Section<'a> = (&'static str, Vec<&'a str>, Vec<&'a Grid>, Vec<&'a str>);

fn sections(d: &Doc) -> (Vec<Section<'_>>, Vec<Section<'_>>) {
    let before = vec![
        (
            "The spreadsheet against the simulation",
            vec![],
            vec![&d.spreadsheet],
            d.spreadsheet_notes.iter().map(|s| s.as_str()).collect(),
        ),
        (
            "Key numbers",
            vec![d.statistic.as_str()],
            vec![&d.key_numbers, &d.costs, &d.risks],
            vec!["\"Best in\": share of futures in which the strategy has the highest NPV, ± its standard error in points. Know-how kept: share of the organisation's know-how left at the end of the horizon."],
        ),
    ];
    let after = vec![
        (
            "The uncertain assumptions",
            vec![d.assumptions_intro.as_str()],
            vec![&d.assumptions],
            vec![],
        ),
        (
            "Method and trust",
            d.trust.iter().map(|s| s.as_str()).collect(),
            vec![],
            vec![],
        ),
        (
            "Appendix: keys for analysts",
            vec!["Each label of this report with the key of the scenario file and the analyst files (CSV, JSON, workbook) that holds it."],
            vec![&d.appendix],
            vec![],
        ),
    ];
    (before, after)
}

fn html_table(g: &Grid) -> String {
    let mut h = String::from("<table>\n<tr>");
    for c in &g.header {
        h.push_str(&format!("<th>{}</th>", esc(c)));
    }
    h.push_str("</tr>\n");
    for r in &g.rows {
        h.push_str("<tr>");
        for c in r {
            // Figures right-aligned, words left.
            let numeric = c.starts_with(|ch: char| ch.is_ascii_digit() || "$-<>".contains(ch));
            let class = if numeric { "" } else { " class=\"w\"" };
            h.push_str(&format!("<td{class}>{}</td>", inline(c)));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
    h
}

fn html_section(h: &mut String, (title, before, tables, after): &Section) {
    h.push_str(&format!("<h2>{}</h2>\n", esc(title)));
    for p in before {
        h.push_str(&format!("<p>{}</p>\n", inline(p)));
    }
    for t in tables {
        h.push_str(&html_table(t));
    }
    for p in after {
        h.push_str(&format!("<p>{}</p>\n", esc(p)));
    }
}

/// `report.html`: `svgs` are the figures' SVG texts, in the order of the figures.
pub fn report_html(c: &Content, svgs: &[String]) -> String {
    let d = super::pack::build(c);
    let mut h = String::new();
    h.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&d.title)
    ));
    h.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"meta\">{}</p>\n<h2>Executive summary</h2>\n<dl class=\"summary\">\n",
        esc(&d.title),
        esc(&d.meta)
    ));
    for (what, line) in &d.summary {
        let class = if *what == "The answer" {
            " class=\"answer\""
        } else {
            ""
        };
        h.push_str(&format!(
            "<dt>{}</dt><dd{class}>{}</dd>\n",
            esc(what),
            esc(line)
        ));
    }
    h.push_str("</dl>\n<h2>The strategies compared</h2>\n<ul>\n");
    for (name, words) in &d.strategies {
        h.push_str(&format!("<li><b>{}</b> {}</li>\n", esc(name), esc(words)));
    }
    h.push_str("</ul>\n<h2>The fixed inputs</h2>\n<p>The same in every future.</p>\n");
    h.push_str(&html_table(&d.fixed));
    let (before, after) = sections(&d);
    for s in &before {
        html_section(&mut h, s);
    }
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
    for s in &after {
        html_section(&mut h, s);
    }
    h.push_str("</body>\n</html>\n");
    h
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn md_table(g: &Grid) -> String {
    let mut m = format!("| {} |\n", g.header.join(" | "));
    m.push_str(&format!("|{}\n", "---|".repeat(g.header.len())));
    for r in &g.rows {
        m.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    m.push('\n');
    m
}

fn md_section(m: &mut String, (title, before, tables, after): &Section) {
    m.push_str(&format!("## {title}\n\n"));
    for p in before {
        m.push_str(&format!("{p}\n\n"));
    }
    for t in tables {
        m.push_str(&md_table(t));
    }
    for p in after {
        m.push_str(&format!("{p}\n\n"));
    }
}

/// The executive summary as Markdown, as the README quotes it.
pub fn summary_md(d: &Doc) -> String {
    let mut m = String::new();
    for (what, line) in &d.summary {
        m.push_str(&format!("**{what}.** {line}\n\n"));
    }
    m
}

/// `report.md`: the same content, with the charts as links to their PNG files.
pub fn report_md(c: &Content) -> String {
    let d = super::pack::build(c);
    let mut m = format!("# {}\n\n{}\n\n## Executive summary\n\n", d.title, d.meta);
    m.push_str(&summary_md(&d));
    m.push_str("## The strategies compared\n\n");
    for (name, words) in &d.strategies {
        m.push_str(&format!("- **{name}** {words}\n"));
    }
    m.push_str("\n## The fixed inputs\n\nThe same in every future.\n\n");
    m.push_str(&md_table(&d.fixed));
    let (before, after) = sections(&d);
    for s in &before {
        md_section(&mut m, s);
    }
    m.push_str("## Charts\n\n");
    for (title, subtitle, file) in &d.charts {
        m.push_str(&format!(
            "![{title}](charts/{file}.png)\n\n*{title}.* {subtitle}\n\n"
        ));
    }
    for s in &after {
        md_section(&mut m, s);
    }
    m
}
