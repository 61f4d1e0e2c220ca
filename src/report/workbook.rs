//! `results.xlsx`: the run's tables as sheets, and native Excel charts (the fan, the NPV
//! distribution, the cost breakdown) drawn from a data sheet, so an analyst can restyle
//! them in a corporate template.
//!
//! It writes the same tables as the CSV files and the same figures as the charts, with
//! each number in its format (currency, percentage, count), columns as wide as their
//! contents, frozen and filtered headers, and the page set up to print: tables one page
//! wide, each chart on a page of its own. Two sheets describe the run for a reader of the
//! workbook alone: `inputs` (every parameter of the organisation and the world: label,
//! value or distribution, unit, source) and `strategies` (every lever of each strategy).
//! It computes nothing of its own.

use super::charts::{strategy_colour, Figure, PART_COLOURS};
use super::{Cell, Table};
use crate::model::{params, Param, Scenario};
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLine, ChartSolidFill, ChartType, DocProperties, ExcelDateTime, Format,
    FormatAlign, Workbook, Worksheet, XlsxError,
};

/// Adds the series in column `col` of `chart_data` (name in row 0, `rows` values below),
/// against the categories in column `categories`.
fn add_series(chart: &mut Chart, col: u16, categories: u16, rows: u32, mut format: ChartFormat) {
    chart
        .add_series()
        .set_name(("chart_data", 0, col))
        .set_categories(("chart_data", 1, categories, rows, categories))
        .set_values(("chart_data", 1, col, rows, col))
        .set_format(&mut format);
}

/// A line in a strategy's colour.
fn line(colour: u32) -> ChartFormat {
    ChartFormat::new()
        .set_line(ChartLine::new().set_color(colour).set_width(2.5))
        .clone()
}

/// How a number reads in the workbook.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Money,
    Percent,
    Whole,
    Number,
}

impl Kind {
    fn format(self) -> Format {
        Format::new().set_num_format(match self {
            Kind::Money => "\"$\"#,##0;-\"$\"#,##0",
            Kind::Percent => "0.0%",
            Kind::Whole => "#,##0",
            Kind::Number => "#,##0.00",
        })
    }

    /// Characters the format gives `x`, to size a column.
    fn width(self, x: f64) -> usize {
        let digits = format!("{:.0}", x.abs()).len();
        match self {
            Kind::Money => digits + (digits - 1) / 3 + 2,
            Kind::Percent => format!("{:.1}", x * 100.0).len() + 2,
            Kind::Whole => digits + (digits - 1) / 3 + 1,
            Kind::Number => digits + (digits - 1) / 3 + 4,
        }
    }
}

/// The kind of a metric or monthly series, by its key.
fn metric_kind(key: &str) -> Kind {
    const MONEY: [&str; 18] = [
        "npv",
        "value",
        "total_cost",
        "payroll",
        "severance",
        "hiring",
        "tokens",
        "seats",
        "incident_cost",
        "loops",
        "cost_per_wu",
        "spend_per_wu",
        "expected_regret",
        "npv_cvar5",
        "cum_cost",
        "cum_net_value",
        "token_spend",
        "token_spend_per_fte",
    ];
    const SHARES: [&str; 8] = [
        "p_best",
        "cache_hit_rate",
        "retry_rate",
        "review_missed_share",
        "rehire_fired",
        "knowledge_end",
        "knowledge",
        "uplift_clamped",
    ];
    if MONEY.contains(&key) {
        Kind::Money
    } else if SHARES.contains(&key) {
        Kind::Percent
    } else {
        Kind::Number
    }
}

/// The kind of a cell, from its column's header and the row's metric (`None` for tables
/// without one).
fn cell_kind(header: &str, row_metric: Option<Kind>) -> Kind {
    match header {
        "n" | "month" | "point" | "rank" | "probe" | "paths" => Kind::Whole,
        h if h.starts_with("p_") || h.starts_with("share") || h == "density" => Kind::Percent,
        h if h.starts_with("diff_")
            || h.contains("cost")
            || h.contains("npv")
            || h == "loss"
            || h.starts_with("part_") =>
        {
            Kind::Money
        }
        "mean" | "p5" | "p25" | "p50" | "p75" | "p95" => row_metric.unwrap_or(Kind::Number),
        // A table without metrics has standard errors of proportions (pairwise).
        "se" => row_metric.unwrap_or(Kind::Percent),
        _ => Kind::Number,
    }
}

/// Writes a table with a bold header from row 0, each number in its kind's format,
/// columns sized to their contents, the header frozen and filtered, and the sheet set to
/// print one page wide with the header on every page; returns the number of data rows.
fn write_table(ws: &mut Worksheet, t: &Table) -> Result<u32, XlsxError> {
    write_table_wrapped(ws, t, usize::MAX)
}

/// `write_table`, with text longer than `wrap` characters wrapped in a column that wide
/// (the words of `inputs` and `strategies`).
fn write_table_wrapped(ws: &mut Worksheet, t: &Table, wrap: usize) -> Result<u32, XlsxError> {
    let bold = Format::new().set_bold();
    let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let formats = [Kind::Money, Kind::Percent, Kind::Whole, Kind::Number].map(|k| (k, k.format()));
    let format_of = |k: Kind| &formats.iter().find(|(f, _)| *f == k).expect("every kind").1;
    let metric_col = t
        .header
        .iter()
        .position(|h| *h == "metric" || *h == "series");
    let mut widths: Vec<usize> = t.header.iter().map(|h| h.len() + 3).collect();
    for (c, h) in t.header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let row_metric = metric_col.map(|c| metric_kind(&row[c].text()));
        // A row of wrapped text gets the height of its longest cell's lines.
        let lines = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => s.chars().count().div_ceil(wrap.max(1)),
                Cell::Num(_) => 1,
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(r as u32 + 1, 15.0 * lines as f64)?;
        }
        for (c, cell) in row.iter().enumerate() {
            let (r, col) = (r as u32 + 1, c as u16);
            match cell {
                Cell::Text(s) if s.chars().count() > wrap => {
                    ws.write_string_with_format(r, col, s, &wrapped)?;
                    widths[c] = widths[c].max(wrap);
                }
                Cell::Text(s) => {
                    ws.write_string(r, col, s)?;
                    widths[c] = widths[c].max(s.chars().count() + 1);
                }
                Cell::Num(x) if x.is_finite() => {
                    let kind = cell_kind(t.header[c], row_metric);
                    ws.write_number_with_format(r, col, *x, format_of(kind))?;
                    widths[c] = widths[c].max(kind.width(*x) + 1);
                }
                Cell::Num(_) => {}
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).min(60) as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let last_col = t.header.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, t.rows.len() as u32, last_col)?;
    ws.set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(0, 0)?;
    Ok(t.rows.len() as u32)
}

/// The unit and source the registry gives a key, or blanks.
fn unit_and_source(key: &str) -> (String, String) {
    params::spec(key)
        .map(|s| (s.unit.to_string(), s.source.to_string()))
        .unwrap_or_default()
}

/// The `inputs` table: every parameter of the organisation and the world, with its label,
/// value or distribution, unit and source.
pub(crate) fn inputs_table(sc: &Scenario) -> Table {
    let mut t = Table::new(&[
        "input",
        "value or distribution",
        "unit",
        "uncertain",
        "source",
        "key",
    ]);
    let mut rows: Vec<(String, &Param)> = sc.org.fields();
    rows.extend(sc.world.fields());
    for (key, p) in rows {
        let (unit, source) = unit_and_source(&key);
        t.push(vec![
            params::label(&key).unwrap_or_else(|| key.clone()).into(),
            p.dist.describe().into(),
            unit.into(),
            (if p.dist.is_fixed() { "no" } else { "yes" }).into(),
            source.into(),
            key.into(),
        ]);
    }
    t
}

/// The `strategies` table: every lever of every strategy, with its label, value or
/// distribution, unit and source.
pub(crate) fn strategies_table(sc: &Scenario) -> Table {
    let mut t = Table::new(&[
        "strategy",
        "lever",
        "value or distribution",
        "unit",
        "source",
        "key",
    ]);
    for s in &sc.strategies {
        t.push(vec![
            s.name.as_str().into(),
            "AI assistance for engineers".into(),
            s.assist.kind().into(),
            "".into(),
            "scenario's choice".into(),
            format!("strategies.{}.assist", s.name).into(),
        ]);
        for (k, p) in s.params() {
            let key = format!("strategies.{}.{k}", s.name);
            let (unit, source) = unit_and_source(&key);
            let label = params::spec(&key)
                .map(|sp| sp.label.to_string())
                .unwrap_or_else(|| k.clone());
            t.push(vec![
                s.name.as_str().into(),
                label.into(),
                p.dist.describe().into(),
                unit.into(),
                source.into(),
                key.into(),
            ]);
        }
    }
    t
}

/// The rows of a figure's data whose first column is `strategy`, in order.
fn rows_of<'a>(t: &'a Table, strategy: &str) -> Vec<&'a Vec<Cell>> {
    t.rows
        .iter()
        .filter(|r| matches!(&r[0], Cell::Text(s) if s == strategy))
        .collect()
}

fn num(c: &Cell) -> f64 {
    match c {
        Cell::Num(x) => *x,
        Cell::Text(_) => f64::NAN,
    }
}

/// The `charts` sheet: each chart on a page of its own (a break before each, the pages
/// fitted to them), landscape.
fn add_chart_sheet(wb: &mut Workbook, charts: &mut [Chart]) -> Result<(), XlsxError> {
    let sheet = wb.add_worksheet();
    sheet.set_name("charts")?;
    // Each chart on a page of its own: a break before each, the page fitted to it.
    let rows_per_chart = 30;
    for (i, chart) in charts.iter_mut().enumerate() {
        chart.set_width(960).set_height(540);
        sheet.insert_chart(i as u32 * rows_per_chart, 0, chart)?;
    }
    let n = charts.len() as u32;
    let breaks: Vec<u32> = (1..n).map(|i| i * rows_per_chart).collect();
    // Fitted to one page wide (the chart and its legend), 30 rows high: with a break
    // every 30 rows each chart prints whole on a page.
    sheet
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_page_breaks(&breaks)?;
    sheet.set_print_area(0, 0, (n * rows_per_chart).max(1) - 1, 15)?;
    Ok(())
}

/// The sheets of tables: `summary`, `monthly` and `pairwise` as the CSV files, then
/// `inputs` and `strategies`.
fn add_table_sheets(
    wb: &mut Workbook,
    sc: &Scenario,
    [summary, monthly, pairwise]: [&Table; 3],
) -> Result<(), XlsxError> {
    for (name, table) in [
        ("summary", summary),
        ("monthly", monthly),
        ("pairwise", pairwise),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        write_table(ws, table)?;
    }
    for (name, table) in [
        ("inputs", inputs_table(sc)),
        ("strategies", strategies_table(sc)),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        write_table_wrapped(ws, &table, 48)?;
    }

    Ok(())
}

/// Builds the workbook of `sc`'s run. `names` are the strategies in order; `figures` the
/// run's charts.
pub fn workbook(
    sc: &Scenario,
    names: &[String],
    summary: &Table,
    monthly: &Table,
    pairwise: &Table,
    figures: &[Figure],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation date instead of the clock, so the same run gives the same bytes.
    let created = ExcelDateTime::from_ymd(2026, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("tokensim"),
    );
    add_table_sheets(&mut wb, sc, [summary, monthly, pairwise])?;

    // One data sheet for the native charts: each block a small table the charts point at.
    let bold = Format::new().set_bold();
    let data = wb.add_worksheet();
    data.set_name("chart_data")?;
    let mut charts = Vec::new();
    let find = |n: &str| figures.iter().find(|f| f.name == n);

    // Fan: months down, the median of each strategy across.
    if let Some(f) = find("net_value_fan") {
        let first = rows_of(&f.data, &names[0]);
        let months = first.len() as u32;
        data.write_string_with_format(0, 0, "month", &bold)?;
        for (m, r) in first.iter().enumerate() {
            data.write_number(m as u32 + 1, 0, num(&r[1]))?;
        }
        let mut chart = Chart::new(ChartType::Line);
        for (i, name) in names.iter().enumerate() {
            let col = i as u16 + 1;
            data.write_string_with_format(0, col, format!("{name} median"), &bold)?;
            for (m, r) in rows_of(&f.data, name).iter().enumerate() {
                data.write_number(m as u32 + 1, col, num(&r[4]))?;
            }
            add_series(
                &mut chart,
                col,
                0,
                months,
                line(strategy_colour(name, i).hex()),
            );
        }
        chart.title().set_name(&f.title);
        chart.x_axis().set_name("Month");
        chart
            .y_axis()
            .set_name("Cumulative net value ($, median future)")
            .set_num_format("$#,##0,,\"M\"");
        charts.push(chart);
    }

    // NPV distribution: bin centres down, each strategy's density across.
    let base = names.len() as u16 + 2;
    if let Some(f) = find("npv_distribution") {
        let first = rows_of(&f.data, &names[0]);
        let bins = first.len() as u32;
        data.write_string_with_format(0, base, "npv_bin_centre", &bold)?;
        for (b, r) in first.iter().enumerate() {
            data.write_number(b as u32 + 1, base, num(&r[1]))?;
        }
        let mut chart = Chart::new(ChartType::Line);
        for (i, name) in names.iter().enumerate() {
            let col = base + i as u16 + 1;
            data.write_string_with_format(0, col, name.as_str(), &bold)?;
            for (b, r) in rows_of(&f.data, name).iter().enumerate() {
                data.write_number(b as u32 + 1, col, num(&r[3]))?;
            }
            add_series(
                &mut chart,
                col,
                base,
                bins,
                line(strategy_colour(name, i).hex()),
            );
        }
        chart.title().set_name(&f.title);
        chart
            .x_axis()
            .set_name("NPV over the horizon ($)")
            .set_num_format("$#,##0,,\"M\"");
        chart
            .y_axis()
            .set_name("Share of futures")
            .set_num_format("0.0%");
        charts.push(chart);
    }

    // Cost breakdown: strategies down, parts across, stacked.
    let base = base + names.len() as u16 + 2;
    if let Some(f) = find("cost_breakdown") {
        data.write_string_with_format(0, base, "strategy", &bold)?;
        for (i, name) in names.iter().enumerate() {
            data.write_string(i as u32 + 1, base, name)?;
        }
        let parts: Vec<String> = rows_of(&f.data, &names[0])
            .iter()
            .map(|r| r[1].text())
            .collect();
        let mut chart = Chart::new(ChartType::ColumnStacked);
        for (p, part) in parts.iter().enumerate() {
            let col = base + p as u16 + 1;
            data.write_string_with_format(0, col, part.as_str(), &bold)?;
            for (i, name) in names.iter().enumerate() {
                if let Some(r) = rows_of(&f.data, name).get(p) {
                    data.write_number(i as u32 + 1, col, num(&r[2]))?;
                }
            }
            add_series(
                &mut chart,
                col,
                base,
                names.len() as u32,
                ChartFormat::new()
                    .set_solid_fill(
                        ChartSolidFill::new().set_color(PART_COLOURS[p % PART_COLOURS.len()].hex()),
                    )
                    .clone(),
            );
        }
        chart.title().set_name(&f.title);
        chart
            .y_axis()
            .set_name("Mean cost over the horizon ($)")
            .set_num_format("$#,##0,,\"M\"");
        charts.push(chart);
    }

    data.set_landscape().set_print_fit_to_pages(1, 0);
    add_chart_sheet(&mut wb, &mut charts)?;
    wb.save_to_buffer()
}
