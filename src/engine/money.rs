//! Money and value (docs/model.md 4.7): this month's costs (payroll of everyone on staff,
//! severance, hiring, metered tokens, flat seats, incidents, runaway loops), the value of
//! output, the totals over the horizon and the NPV, this month's row of the monthly
//! series, and a path's results over the horizon.
//!
//! Booking only: every amount comes from the mechanisms that cause it.

use super::incidents::Losses;
use super::levers::Seat;
use super::state::{Carry, Fixed, Month};
use crate::metrics::{ratio, spend_per_wu, Metric, MetricRow, Series, SeriesRow};

/// Books this month's costs and value into the totals and writes this month's row of
/// the monthly series.
pub(super) fn book_month(
    f: &Fixed,
    s: &mut Carry,
    m: &Month,
    losses: &Losses,
    t: u32,
    row: &mut SeriesRow,
) {
    let ti = (t - 1) as usize;
    let (incident_cost, loop_cost) = (losses.incident_cost, losses.loop_cost);
    let payroll = m.headcount * f.monthly_cost;
    let cost = payroll + m.severance + m.hiring + m.tokens + m.seats + incident_cost + loop_cost;
    let value = m.output * f.value_per_wu;
    let t_ = &mut s.totals;
    t_.npv += (value - cost) * f.world.discount[ti];
    t_.value += value;
    t_.cost += cost;
    t_.payroll += payroll;
    t_.severance += m.severance;
    t_.hiring += m.hiring;
    t_.tokens += m.tokens;
    t_.seats += m.seats;
    t_.incident_cost += incident_cost;
    t_.loops += loop_cost;
    t_.output += m.output;
    t_.incidents += losses.incidents;
    t_.destructive += losses.destructive;
    t_.agent_tasks += m.tasks;
    t_.agent_attempts += m.attempts;
    t_.ai_work += m.x_assist.max(0.0) + m.planned;
    t_.ai_missed += (m.x_assist.max(0.0) + m.planned) * m.miss;
    t_.review_demand += m.review_demand;
    t_.review_available += m.review_available;

    row[Series::CumCost] = t_.cost;
    row[Series::CumNetValue] = t_.value - t_.cost;
    row[Series::Output] = m.output;
    row[Series::Headcount] = m.headcount;
    row[Series::Knowledge] = s.know.k;
    row[Series::TokenSpend] = m.tokens + m.seats + loop_cost;
    row[Series::Incidents] = losses.incidents;
    let fte = m.headcount + m.agents;
    row[Series::SpendPerFte] = if fte > 0.0 {
        (m.tokens + m.seats + loop_cost) / fte
    } else {
        0.0
    };
}

/// The path's results over the horizon.
pub(super) fn record_results(f: &Fixed, s: &Carry, headcount_end: f64, finals: &mut MetricRow) {
    let (t_, world) = (&s.totals, f.world);
    finals[Metric::Npv] = t_.npv;
    finals[Metric::Value] = t_.value;
    finals[Metric::TotalCost] = t_.cost;
    finals[Metric::Payroll] = t_.payroll;
    finals[Metric::Severance] = t_.severance;
    finals[Metric::Hiring] = t_.hiring;
    finals[Metric::Tokens] = t_.tokens;
    finals[Metric::Seats] = t_.seats;
    finals[Metric::IncidentCost] = t_.incident_cost;
    finals[Metric::Loops] = t_.loops;
    finals[Metric::Output] = t_.output;
    finals[Metric::CostPerWu] = ratio(t_.cost, t_.output);
    finals[Metric::Incidents] = t_.incidents;
    finals[Metric::Destructive] = t_.destructive;
    finals[Metric::KnowledgeEnd] = s.know.k;
    finals[Metric::HeadcountEnd] = headcount_end;
    finals[Metric::RehireFired] = if s.record.rehire_fired { 1.0 } else { 0.0 };
    // The bits of the layoffs that happened; `Finals` reads the metric as their count.
    finals[Metric::LayoffsFired] = s.record.layoffs_fired as f64;
    finals[Metric::SpendPerWu] = spend_per_wu(t_.tokens, t_.seats, t_.loops, t_.output);
    finals[Metric::RetryRate] = ratio(t_.agent_attempts - t_.agent_tasks, t_.agent_tasks);
    finals[Metric::CacheHitRate] = if t_.tokens > 0.0 {
        f.lev.caching
    } else {
        f64::NAN
    };
    finals[Metric::ReviewMissed] = ratio(t_.ai_missed, t_.ai_work);
    finals[Metric::ReviewBurden] = ratio(t_.review_demand, t_.review_available);
    finals[Metric::UpliftClamped] = match f.lev.assist {
        Seat::None => 0.0,
        Seat::Flat { .. } => f64::from(u8::from(world.flat_clamped)),
        Seat::Metered { .. } => f64::from(u8::from(world.metered_clamped)),
    };
}
