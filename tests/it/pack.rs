//! The board pack's charts and workbook as a reader meets them: SVG text laid out with
//! the bundled face's widths (no title wider than its page), title numbers that are the
//! numbers in the CSV files behind them, and a workbook whose cells carry currency and
//! percentage formats, with its `inputs` and `strategies` sheets and print set-up.

use crate::support::*;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use tokensim::report::charts::{text_width, SIZE};
use tokensim::report::{money, percent};

/// Chart width and the page margin the titles are wrapped to.
const MARGIN: f64 = 48.0;

/// Each `<text>` of an SVG: its attributes and its text.
fn svg_texts(path: &Path) -> Vec<(HashMap<String, String>, String)> {
    let text = String::from_utf8(read(path)).unwrap();
    let doc =
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let attrs = n
                .attributes()
                .map(|a| (a.name().to_string(), a.value().to_string()))
                .collect();
            (attrs, n.text().unwrap_or("").trim().to_string())
        })
        .collect()
}

/// The title of a chart: its bold lines at the top, joined.
fn title(path: &Path) -> String {
    svg_texts(path)
        .into_iter()
        .filter(|(a, _)| {
            a.get("font-weight").map(String::as_str) == Some("bold")
                && a["y"].parse::<f64>().unwrap() < 150.0
        })
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rows of a CSV file as maps from header to field.
fn csv_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn num(row: &HashMap<String, String>, col: &str) -> f64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?}", row[col]))
}

#[test]
fn every_svg_title_of_every_bundled_scenario_fits_its_width_in_the_bundled_face() {
    let dir = tempdir("titles-fit");
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let out = dir.join(&stem);
        run_into(&path, "200", &out, &stem);
        for chart in std::fs::read_dir(out.join("charts")).unwrap() {
            let chart = chart.unwrap().path();
            if chart.extension().and_then(|e| e.to_str()) != Some("svg") {
                continue;
            }
            for (a, text) in svg_texts(&chart) {
                if text.is_empty() {
                    continue;
                }
                let bold = a.get("font-weight").map(String::as_str) == Some("bold");
                let length: f64 = a
                    .get("textLength")
                    .unwrap_or_else(|| panic!("{}: {text} has no textLength", chart.display()))
                    .parse()
                    .unwrap();
                let y: f64 = a["y"].parse().unwrap();
                if !(bold && y < 150.0) {
                    continue;
                }
                // A title line: 44 px bold, as wide as the bundled face makes it, inside
                // the page's margins.
                let measured = text_width(&text, 44.0, true);
                assert!(
                    (length - measured).abs() < 0.11,
                    "{}: textLength {length} against {measured} for {text}",
                    chart.display()
                );
                let x: f64 = a["x"].parse().unwrap();
                assert!(
                    x + length <= SIZE.0 as f64 - MARGIN + 0.5,
                    "{}: title line of {length} px at {x} overflows: {text}",
                    chart.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 8 * 8, "{checked} title lines");
}

#[test]
fn chart_titles_state_the_numbers_of_the_csvs_behind_them() {
    let tmp = tempdir("title-numbers");
    let out = tmp.join("reference");
    assert!(run_reference(&["--paths", "1000", "--quiet"], &out)
        .status
        .success());
    let summary = csv_rows(&out.join("summary.csv"));
    let stat = |strategy: &str, metric: &str, col: &str| {
        let row = summary
            .iter()
            .find(|r| r["strategy"] == strategy && r["metric"] == metric)
            .unwrap_or_else(|| panic!("{strategy} {metric}"));
        num(row, col)
    };
    let charts = out.join("charts");

    // The fan leads with the headline pair's mean NPV, the statistic of the key numbers.
    let fan = title(&charts.join("net_value_fan.svg"));
    for s in ["leverage", "replacement_governed"] {
        let npv = money(stat(s, "npv", "mean"));
        assert!(fan.contains(&npv), "{fan} lacks {s}'s mean NPV {npv}");
    }
    assert!(fan.contains("mean NPV"), "{fan}");

    // The cost chart's total is the mean total cost, and its bars (the parts' means)
    // add up to it.
    let cost = title(&charts.join("cost_breakdown.svg"));
    let parts = csv_rows(&charts.join("cost_breakdown.csv"));
    let dearest = [
        "status_quo",
        "flat_seats",
        "leverage",
        "tokenmaxxing",
        "replacement",
    ]
    .into_iter()
    .max_by(|a, b| stat(a, "total_cost", "mean").total_cmp(&stat(b, "total_cost", "mean")))
    .unwrap();
    let mean = stat(dearest, "total_cost", "mean");
    let bar: f64 = parts
        .iter()
        .filter(|r| r["strategy"] == dearest)
        .map(|r| num(r, "mean_cost"))
        .sum();
    assert!((bar - mean).abs() <= 1e-6 * mean, "{bar} against {mean}");
    assert!(cost.contains(&money(bar)), "{cost} lacks {}", money(bar));
    assert!(cost.contains("mean total cost"), "{cost}");

    // The paired difference states the mean difference of pairwise.csv.
    let pair = csv_rows(&out.join("pairwise.csv"))
        .into_iter()
        .find(|r| r["a"] == "replacement_governed" && r["b"] == "leverage")
        .unwrap();
    let diff = title(&charts.join("paired_difference.svg"));
    let amount = money(num(&pair, "diff_mean").abs());
    assert!(diff.contains(&amount), "{diff} lacks {amount}");

    // Token spend and knowledge state the last month's medians of their own CSVs.
    let last = |file: &str, strategy: &str| {
        let rows = csv_rows(&charts.join(file));
        let row = rows
            .iter()
            .filter(|r| r["strategy"] == strategy)
            .max_by(|a, b| num(a, "month").total_cmp(&num(b, "month")))
            .unwrap();
        num(row, "p50")
    };
    let spend = title(&charts.join("token_spend.svg"));
    for s in ["replacement", "leverage"] {
        let v = money(last("token_spend.csv", s));
        assert!(spend.contains(&v), "{spend} lacks {s}'s {v}");
    }
    let know = title(&charts.join("knowledge.svg"));
    // The charts' data names strategies as their legends do, by label.
    let v = percent(last("knowledge.csv", "replacement governed"));
    assert!(know.contains(&v), "{know} lacks {v}");

    // The distribution's title gives the leader's P(best) as summary.csv has it.
    let dist = title(&charts.join("npv_distribution.svg"));
    let best = [
        "status_quo",
        "flat_seats",
        "leverage",
        "tokenmaxxing",
        "replacement",
        "replacement_governed",
    ]
    .into_iter()
    .max_by(|a, b| stat(a, "p_best", "mean").total_cmp(&stat(b, "p_best", "mean")))
    .unwrap();
    let p = percent(stat(best, "p_best", "mean"));
    assert!(
        dist.contains(&format!("in {p} of futures")),
        "{dist} lacks {p}"
    );
}

/// The text of an entry of the workbook.
fn xlsx_entry(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_workbook_formats_money_and_shares_and_describes_inputs_and_strategies() {
    let tmp = tempdir("workbook-formats");
    let out = tmp.join("reference");
    assert!(run_reference(&["--paths", "200", "--quiet"], &out)
        .status
        .success());
    let xlsx = out.join("results.xlsx");
    let workbook = xlsx_entry(&xlsx, "xl/workbook.xml");
    let doc = roxmltree::Document::parse(&workbook).unwrap();
    let sheets: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("sheet"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert_eq!(
        sheets,
        [
            "summary",
            "monthly",
            "pairwise",
            "inputs",
            "strategies",
            "chart_data",
            "charts"
        ]
    );

    // Number formats by style index.
    let styles = xlsx_entry(&xlsx, "xl/styles.xml");
    let doc = roxmltree::Document::parse(&styles).unwrap();
    let codes: HashMap<String, String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("numFmt"))
        .map(|n| {
            (
                n.attribute("numFmtId").unwrap().to_string(),
                n.attribute("formatCode").unwrap().to_string(),
            )
        })
        .collect();
    let xfs: Vec<String> = doc
        .descendants()
        .find(|n| n.has_tag_name("cellXfs"))
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name("xf"))
        .map(|n| {
            let id = n.attribute("numFmtId").unwrap_or("0");
            codes
                .get(id)
                .cloned()
                .unwrap_or_else(|| format!("builtin {id}"))
        })
        .collect();
    let format_of = |sheet: &str, cell: &str| {
        let xml = xlsx_entry(&xlsx, sheet);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let c = doc
            .descendants()
            .find(|n| n.has_tag_name("c") && n.attribute("r") == Some(cell))
            .unwrap_or_else(|| panic!("{sheet} {cell}"));
        let s: usize = c.attribute("s").unwrap_or("0").parse().unwrap();
        xfs[s].clone()
    };
    // summary row 2 is status_quo's NPV: mean (D) in dollars, n (C) a count.
    assert_eq!(
        format_of("xl/worksheets/sheet1.xml", "D2"),
        "\"$\"#,##0;-\"$\"#,##0"
    );
    assert_eq!(format_of("xl/worksheets/sheet1.xml", "C2"), "#,##0");
    // pairwise: P(A beats B) (C) as a percentage, the median difference (G) in dollars.
    assert_eq!(format_of("xl/worksheets/sheet3.xml", "C2"), "0.0%");
    assert_eq!(
        format_of("xl/worksheets/sheet3.xml", "G2"),
        "\"$\"#,##0;-\"$\"#,##0"
    );

    // Frozen, filtered headers and columns sized to their contents.
    let summary = xlsx_entry(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(summary.contains("state=\"frozen\""), "frozen header");
    assert!(summary.contains("<autoFilter"), "filtered header");
    assert!(summary.contains("customWidth=\"1\""), "column widths");
    assert!(
        summary.contains("fitToWidth") || summary.contains("fitToPage"),
        "fit to page"
    );

    // Inputs: a board label, a distribution in words, a unit and a source per row.
    let strings = xlsx_entry(&xlsx, "xl/sharedStrings.xml");
    let sc = load("scenarios/reference.toml");
    for (key, p) in sc.world.fields().into_iter().take(5) {
        let label = tokensim::model::params::label(&key).unwrap();
        let label = label
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(strings.contains(&label), "inputs lacks {label}");
        let described = p.dist.describe().replace('&', "&amp;");
        assert!(strings.contains(&described), "inputs lacks {described}");
    }
    assert!(strings.contains("value or distribution"));

    // Each chart prints on a page of its own.
    let charts = xlsx_entry(&xlsx, "xl/worksheets/sheet7.xml");
    assert!(
        charts.contains("<rowBreaks count=\"2\""),
        "page breaks between charts"
    );
    assert!(
        charts.contains("fitToPage=\"1\"") && charts.contains("fitToHeight=\"0\""),
        "charts fitted to one page wide, a chart to a page"
    );
}

fn voi(inputs: &[(&str, f64)], group: f64) -> tokensim::analysis::Voi {
    use tokensim::analysis::{Voi, Worth};
    Voi {
        best: 0,
        evpi: Worth {
            value: 500_000.0,
            se: 10_000.0,
        },
        inputs: inputs
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    "capability",
                    Worth {
                        value: *v,
                        se: 20_000.0,
                    },
                )
            })
            .collect(),
        groups: vec![(
            "capability",
            inputs.iter().map(|(k, _)| k.to_string()).collect(),
            Worth {
                value: group,
                se: 20_000.0,
            },
        )],
    }
}

#[test]
fn the_value_of_information_never_shows_a_worth_at_or_below_zero() {
    let names = vec!["a".to_string(), "b".to_string()];
    let judgment = "world.production.judgment_share";
    let growth = "world.demand.growth";
    let footer = tokensim::report::charts::Footer {
        scenario: "t".into(),
        seed: 1,
        paths: 1,
        version: "t".into(),
        sha256: "00000000".into(),
    };
    // An estimate below zero is noise around nothing: left out of the bars.
    let v = voi(&[(judgment, 120_000.0), (growth, -50_000.0)], -200_000.0);
    let fig = tokensim::report::voi_figure(&v, &names).unwrap();
    assert_eq!(
        fig.title,
        "Knowing share of work that is judgment first is worth up to $120K"
    );
    let svg = tokensim::report::charts::render_svg(&fig, &footer).unwrap();
    assert!(svg.contains("Share of work that is judgment"));
    assert!(
        !svg.contains("Yearly growth in token use"),
        "a negative worth drawn"
    );
    assert!(
        !svg.contains("All capability inputs"),
        "a negative group drawn"
    );
    // Nothing above zero: no chart, and the sentence says no input is worth learning.
    let none = voi(&[(judgment, 0.0), (growth, -50_000.0)], -200_000.0);
    assert!(tokensim::report::voi_figure(&none, &names).is_none());
    let sentence = tokensim::report::voi_sentence(&none);
    assert!(
        sentence.starts_with("No single uncertain input is worth learning")
            && sentence.contains("$500K"),
        "{sentence}"
    );
}

#[test]
fn the_packs_attribution_is_scaled_to_the_whole_runs_mean_difference() {
    let mut sc = load("scenarios/reference.toml");
    sc.run.paths = 3_000;
    let r = tokensim::engine::run(&sc);
    let d = tokensim::analysis::decide(&sc, &r);
    let a = d.attribution.unwrap();
    assert_eq!(a.measured_on, Some(2_000));
    assert_eq!(a.paths, 3_000);
    // The waterfall starts and ends at the run's means and its steps add up to them.
    let y = tokensim::analysis::headline_difference(&sc, &r);
    let mean = tokensim::analysis::average(&y);
    assert!((a.difference.0 - mean).abs() <= 1e-9 * mean.abs());
    let sum: f64 = a.contributions.iter().map(|c| c.mean).sum();
    assert!(
        (sum - mean).abs() <= 1e-9 * mean.abs(),
        "{sum} against {mean}"
    );
    assert!((a.challenger_mean.0 - a.incumbent_mean.0 - mean).abs() <= 1e-6 * mean.abs());
    // The sentence takes no group's label as the subject of a verb.
    let s = tokensim::report::findings(
        &tokensim::analysis::Decision {
            attribution: Some(a),
            pair: sc.headline(),
            ..Default::default()
        },
        &sc,
    );
    let why = s.reason.unwrap();
    assert!(why.contains(" comes from headcount"), "{why}");
    assert!(
        why.ends_with("scaled to the mean over all 3,000)."),
        "{why}"
    );
}
