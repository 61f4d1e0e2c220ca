//! `results.xlsx`: the run's tables as sheets, and native Excel charts (the fan, the NPV
//! distribution, the cost breakdown) drawn from a data sheet, so an analyst can restyle
//! them in a corporate template.
//!
//! It writes the same tables as the CSV files and the same figures as the charts; it
//! computes nothing of its own.

use super::charts::{strategy_colour, Figure, PART_COLOURS};
use super::{Cell, Table};
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLine, ChartSolidFill, ChartType, DocProperties, ExcelDateTime, Format,
    Workbook, Worksheet, XlsxError,
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

/// Writes a table with a bold header from row 0; returns the number of data rows.
fn write_table(ws: &mut Worksheet, t: &Table) -> Result<u32, XlsxError> {
    let bold = Format::new().set_bold();
    for (c, h) in t.header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell {
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                Cell::Num(x) if x.is_finite() => {
                    ws.write_number(r, c, *x)?;
                }
                Cell::Num(_) => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(t.rows.len() as u32)
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

/// Builds the workbook. `names` are the strategies in order; `figures` the run's charts.
pub fn workbook(
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
    for (name, table) in [
        ("summary", summary),
        ("monthly", monthly),
        ("pairwise", pairwise),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        write_table(ws, table)?;
    }

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

    let sheet = wb.add_worksheet();
    sheet.set_name("charts")?;
    for (i, chart) in charts.iter_mut().enumerate() {
        chart.set_width(960).set_height(540);
        sheet.insert_chart(i as u32 * 30, 0, chart)?;
    }
    wb.save_to_buffer()
}
