//! Charts, report and workbook: every bundled scenario produces them, the SVGs parse and
//! carry the computed headline numbers, the workbook has its sheets and native charts.

use crate::support::*;
use std::io::Read;
use std::path::Path;
use tokensim::report::{money, percent};

const CHARTS: [&str; 8] = [
    "net_value_fan",
    "npv_distribution",
    "paired_difference",
    "token_spend",
    "incident_loss_exceedance",
    "knowledge",
    "headcount_output",
    "cost_breakdown",
];

/// All text of an SVG file, checking that it parses as XML.
#[track_caller]
fn svg_text(path: &Path) -> Vec<String> {
    let text = String::from_utf8(read(path)).unwrap();
    let doc =
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Width and height from a PNG header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h)
}

/// Names of the files inside the workbook, and its workbook.xml.
fn xlsx_entries(path: &Path) -> (Vec<String>, String) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(String::from).collect();
    let mut workbook = String::new();
    zip.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut workbook)
        .unwrap();
    (names, workbook)
}

#[test]
fn every_bundled_scenario_produces_charts_report_and_workbook() {
    let dir = tempdir("all-outputs");
    // Every bundled scenario and every calibration case.
    let mut files = vec![];
    for dir in ["scenarios", "scenarios/calibration"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                files.push(p);
            }
        }
    }
    files.sort();
    for scenario in files {
        let stem = scenario.file_stem().unwrap().to_str().unwrap().to_string();
        // A calibration case may share its stem with a bundled scenario: one folder each.
        let folder = scenario.parent().unwrap().file_name().unwrap();
        let out = dir.join(folder).join(&stem);
        run_into(&scenario, "300", &out, &stem);
        let sc = load(scenario.strip_prefix(root()).unwrap().to_str().unwrap());
        for chart in CHARTS {
            // A scenario with one strategy has no pair to compare.
            if chart == "paired_difference" && sc.strategies.len() < 2 {
                assert!(!out.join("charts/paired_difference.svg").exists());
                continue;
            }
            for ext in ["png", "svg", "csv", "json"] {
                assert!(
                    out.join(format!("charts/{chart}.{ext}")).exists(),
                    "{stem}: {chart}.{ext}"
                );
            }
            assert_eq!(
                png_size(&read(&out.join(format!("charts/{chart}.png")))),
                (1920, 1080),
                "{stem} {chart}"
            );
            let text = svg_text(&out.join(format!("charts/{chart}.svg")));
            assert!(
                text.iter().any(|t| t.contains(&stem)),
                "{stem}: {chart} footer names the scenario"
            );
        }
        let html = String::from_utf8(read(&out.join("report.html"))).unwrap();
        let md = String::from_utf8(read(&out.join("report.md"))).unwrap();
        check_board_text(&stem, &sc, &out, &md);
        assert!(out.join("deck.pptx").exists(), "{stem}: deck.pptx");
        // The board reads each strategy by its label, the name with spaces unless the
        // scenario gives one.
        for s in &sc.strategies {
            assert!(
                html.contains(&s.display()) && md.contains(&s.display()),
                "{stem}: report names {}",
                s.display()
            );
        }
        let (entries, workbook) = xlsx_entries(&out.join("results.xlsx"));
        for sheet in ["summary", "monthly", "pairwise", "chart_data", "charts"] {
            assert!(
                workbook.contains(&format!("name=\"{sheet}\"")),
                "{stem}: sheet {sheet}"
            );
        }
        let n_charts = entries
            .iter()
            .filter(|e| e.starts_with("xl/charts/chart"))
            .count();
        assert_eq!(n_charts, 3, "{stem}: native charts {entries:?}");
    }
}

/// The words a board reads (chart titles, the executive summary and the strategies)
/// name no code key, and the summary's numbers are those of the CSVs behind them.
#[track_caller]
fn check_board_text(stem: &str, sc: &tokensim::model::Scenario, out: &Path, md: &str) {
    let mut keys: Vec<String> = sc.params().into_iter().map(|(k, _)| k).collect();
    keys.extend(
        tokensim::model::params::PARAMS
            .iter()
            .map(|p| p.key.to_string()),
    );
    keys.extend(
        tokensim::metrics::Metric::ALL
            .iter()
            .map(|m| m.key().to_string())
            .filter(|k| k.contains('_')),
    );
    // Strategy names with an underscore are identifiers: the board reads their labels.
    keys.extend(
        sc.strategies
            .iter()
            .map(|s| s.name.clone())
            .filter(|n| n.contains('_')),
    );
    let a = md.find("## Executive summary").unwrap();
    let b = md.find("## The fixed inputs").unwrap();
    let mut texts = vec![md[a..b].to_string()];
    let analyses = ["waterfall", "discover", "voi", "tornado"];
    for chart in CHARTS.iter().chain(&analyses) {
        if let Ok(bytes) = std::fs::read(out.join(format!("charts/{chart}.json"))) {
            let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            texts.push(json["title"].as_str().unwrap().to_string());
        }
    }
    for text in &texts {
        for k in &keys {
            assert!(
                !text.contains(k.as_str()),
                "{stem}: code key {k} in {text:?}"
            );
        }
    }
    // The answer's mean difference is pairwise.csv's, as money is written everywhere.
    let Some((ia, ib)) = sc.headline() else {
        return;
    };
    let (na, nb) = (&sc.strategies[ia].name, &sc.strategies[ib].name);
    let csv = String::from_utf8(read(&out.join("pairwise.csv"))).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row: Vec<&str> = csv
        .lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| r[0] == na.as_str() && r[1] == nb.as_str())
        .unwrap();
    let mean: f64 = row[col("diff_mean")].parse().unwrap();
    let p5: f64 = row[col("diff_p5")].parse().unwrap();
    let answer = md[a..b]
        .lines()
        .find(|l| l.starts_with("**The answer.**"))
        .unwrap();
    assert!(
        answer.contains(&tokensim::report::money(mean.abs())),
        "{stem}: {answer} against diff_mean {mean}"
    );
    let downside = md[a..b]
        .lines()
        .find(|l| l.starts_with("**The downside.**"))
        .unwrap();
    assert!(
        downside.contains(&tokensim::report::money(p5.abs())),
        "{stem}: {downside} against diff_p5 {p5}"
    );
}

#[test]
fn charts_state_the_computed_findings_in_slide_sized_type() {
    let tmp = tempdir("findings");
    let out = tmp.join("reference");
    let o = run_reference(&["--paths", "2000", "--quiet"], &out);
    assert!(o.status.success());
    let mut sc = load("scenarios/reference.toml");
    sc.run.paths = 2000;
    let s = tokensim::engine::run(&sc).summarize(sc.headline());
    let pair = s.headline_pair().unwrap();

    let diff = svg_text(&out.join("charts/paired_difference.svg")).join("\n");
    assert!(
        diff.contains(&money(pair.diff.mean.abs())),
        "mean difference missing from\n{diff}"
    );
    assert!(
        diff.contains(&format!("wins in {}", percent(pair.a_beats_b.p))),
        "P(win) missing from\n{diff}"
    );
    let best = s
        .strategies
        .iter()
        .max_by(|a, b| a.p_best.p.total_cmp(&b.p_best.p))
        .unwrap();
    let npv = svg_text(&out.join("charts/npv_distribution.svg")).join("\n");
    assert!(
        npv.contains(&format!(
            "{} (best in {})",
            best.name,
            percent(best.p_best.p)
        )),
        "{npv}"
    );

    // Type sizes: plotters writes font-size in pixels at 1920x1080.
    for chart in CHARTS {
        let text = String::from_utf8(read(&out.join(format!("charts/{chart}.svg")))).unwrap();
        let sizes: Vec<f64> = text
            .split("font-size=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
            .collect();
        assert!(sizes[0] >= 40.0, "{chart}: title {} px", sizes[0]);
        assert!(
            sizes.iter().all(|s| *s >= 24.0),
            "{chart}: smallest text {:?} px",
            sizes.iter().cloned().fold(f64::INFINITY, f64::min)
        );
        assert!(text.contains("SHA-256"), "{chart}: footer");
    }
    // The data behind a chart is the chart's: its CSV has the same rows as its JSON.
    let csv = String::from_utf8(read(&out.join("charts/cost_breakdown.csv"))).unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&read(&out.join("charts/cost_breakdown.json"))).unwrap();
    assert_eq!(
        csv.lines().count() - 1,
        json["data"].as_array().unwrap().len()
    );
}

#[test]
fn the_report_is_self_contained() {
    let tmp = tempdir("report");
    let out = tmp.join("reference");
    assert!(run_reference(&["--paths", "300", "--quiet"], &out)
        .status
        .success());
    let html = String::from_utf8(read(&out.join("report.html"))).unwrap();
    assert!(!html.contains("<script"));
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("<link")
    );
    // Every chart inline: the run's eight, the waterfall, the value of information and
    // the tornado (300 futures hold too few wins for discovery's scatter).
    let charts = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().unwrap() == "svg")
        .count();
    assert_eq!(charts, 11);
    assert_eq!(html.matches("<svg").count(), charts, "every chart inline");
    for stem in ["waterfall", "voi", "tornado"] {
        assert!(out.join(format!("charts/{stem}.png")).exists(), "{stem}");
    }
    assert!(html.contains("The uncertain assumptions"));
    // Code keys only in the appendix, for analysts.
    let appendix = html.find("Appendix: keys for analysts").unwrap();
    assert!(html[appendix..].contains("<code>world.demand.elasticity</code>"));
    assert!(!html[..appendix].contains("world.demand.elasticity"));
    // The sections in the order a board reads them.
    let order = [
        "Executive summary",
        "The question",
        "The answer",
        "Why",
        "What would have to be true for the other answer",
        "What to learn first",
        "The downside",
        "The strategies compared",
        "The fixed inputs",
        "The spreadsheet against the simulation",
        "Key numbers",
        "<h2>Charts",
        "The uncertain assumptions",
        "Method and trust",
        "Appendix: keys for analysts",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|h| html.find(h).unwrap_or_else(|| panic!("no {h}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{order:?} at {at:?}");
    // The run's own analyses fill the executive summary: the reason from the attribution,
    // what would have to be true from discovery, what to learn first from the value of
    // information.
    assert!(html.contains("measured on the first"), "no attribution");
    assert!(
        html.contains("before deciding is worth up to"),
        "no value of information"
    );
    assert!(!html.contains("Run `tokensim"), "an empty slot");
    let md = String::from_utf8(read(&out.join("report.md"))).unwrap();
    assert_eq!(md.matches("](charts/").count(), charts);
}

#[test]
fn no_charts_skips_charts_report_and_workbook() {
    let tmp = tempdir("no-charts");
    let out = tmp.join("reference");
    assert!(
        run_reference(&["--paths", "300", "--no-charts", "--quiet"], &out)
            .status
            .success()
    );
    assert!(out.join("summary.csv").exists());
    for f in ["charts", "report.html", "report.md", "results.xlsx"] {
        assert!(!out.join(f).exists(), "{f} should be skipped");
    }
}

#[test]
fn the_report_gives_the_registry_source_only_for_values_left_at_the_default() {
    let tmp = tempdir("report-sources");
    let out = tmp.join("microsoft_2026");
    let o = tokensim(&[
        "run",
        "scenarios/microsoft_2026.toml",
        "--paths",
        "40",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = String::from_utf8(read(&out.join("report.md"))).unwrap();
    let row = |key: &str| {
        let label = tokensim::model::params::label(key).unwrap();
        md.lines()
            .find(|l| l.starts_with(&format!("| {label} |")))
            .unwrap_or_else(|| panic!("no row for {label}:\n{md}"))
            .to_string()
    };
    // The scenario sets metered spend to uniform [500, 2000]: the default's source
    // (Anthropic's $150 to $250) does not describe it.
    let set = row("strategies.metered.assist.spend");
    assert!(set.contains("this scenario's value"), "{set}");
    assert!(!set.contains("Anthropic"), "{set}");
    // A key the scenario leaves at its default keeps the registry's source.
    let default = row("world.demand.elasticity");
    assert!(default.contains("OpenRouter"), "{default}");
    assert!(!default.contains("this scenario's value"), "{default}");
    let html = String::from_utf8(read(&out.join("report.html"))).unwrap();
    assert!(html.contains("this scenario's value"));
}
