//! The month step's scheduler: one strategy on a few paths at once, month by month, each
//! mechanism called in the model's order (docs/model.md 4): staff (4.1) with the know-how
//! that leaves with people (4.2), renewal of know-how (4.2), prices (4.3), token demand
//! (4.4), production (4.5), failures and incidents (4.6), money and the rehire rule (4.7).
//!
//! Each step reads only this month's earlier steps or last month's state. Each step is
//! taken for every path of the group (`LANES`) before the next, so the processor overlaps
//! the paths' chains of logarithms and exponentials; a path's numbers are the same
//! whichever paths share its group. The arithmetic of each mechanism is in its own
//! file; nothing here computes a quantity of the model, allocates per month or touches
//! I/O.

use super::levers::Levers;
use super::staff::Staff;
pub use super::state::LANES;
use super::state::{Carry, Fixed, Month};
use super::world::{Mode, PathWorld};
use super::{demand, incidents, knowledge, money, production, staff};
use crate::metrics::{MetricRow, Series, SeriesRow};

/// One path given to `simulate`: its world, its draw of the strategy's levers, and how
/// chance is resolved on it.
#[derive(Clone, Copy)]
pub struct Lane<'a> {
    pub world: &'a PathWorld,
    pub levers: &'a Levers,
    pub mode: Mode,
}

impl<'a> Lane<'a> {
    /// The lanes of paths with these worlds, levers and modes, in order.
    pub fn group(worlds: &'a [PathWorld], levers: &'a [Levers], modes: &[Mode]) -> Vec<Lane<'a>> {
        worlds
            .iter()
            .zip(levers)
            .zip(modes)
            .map(|((world, levers), mode)| Lane {
                world,
                levers,
                mode: *mode,
            })
            .collect()
    }
}

/// Memory one thread reuses across paths.
#[derive(Default)]
pub struct Scratch {
    staff: [Staff; LANES],
}

/// Where `simulate` writes: lane `l`'s results at `l * finals_stride` of `finals`, and
/// its `horizon * Series::COUNT` monthly values (month-major), value `j` at
/// `l * monthly_stride + j * series_stride` of `monthly`. A series stride of 1 writes
/// each path's series as one row; a lane stride of 1 writes each series as a column of
/// paths, as the engine's blocks keep them.
pub struct Out<'a> {
    pub finals: &'a mut [MetricRow],
    pub finals_stride: usize,
    pub monthly: &'a mut [f64],
    pub monthly_stride: usize,
    pub series_stride: usize,
}

/// Simulates one strategy, whose levers each lane carries, on up to `LANES` paths at
/// once, writing to `out`. Each path's numbers are exactly those it gives on its own.
pub fn simulate(lanes: &[Lane], scratch: &mut Scratch, out: Out) {
    let n = lanes.len();
    assert!((1..=LANES).contains(&n), "1 to {LANES} paths at a time");
    let fixed: [Fixed; LANES] = std::array::from_fn(|l| {
        let lane = &lanes[l.min(n - 1)];
        Fixed::new(lane.world, lane.levers, lane.mode)
    });
    let mut carry: [Carry; LANES] =
        std::array::from_fn(|l| Carry::new(&fixed[l], &lanes[l.min(n - 1)].mode));
    let mut months = [Month::default(); LANES];
    let horizon = lanes[0].world.p_frontier.len();
    debug_assert!(lanes.iter().all(|l| l.world.p_frontier.len() == horizon));
    for (staff, f) in scratch.staff.iter_mut().zip(&fixed) {
        staff.reset(f.n0);
    }
    let (fixed, carry, months) = (&fixed[..n], &mut carry[..n], &mut months[..n]);
    for t in 1..=(horizon as u32) {
        for l in 0..n {
            months[l] = Month::default();
            change_staff(
                &fixed[l],
                &mut carry[l],
                &mut scratch.staff[l],
                &mut months[l],
                t,
            );
            knowledge::renew_knowledge(&fixed[l], &mut carry[l].know, &months[l]);
            demand::price_tasks(&fixed[l], carry[l].know.c, &mut months[l], t);
        }
        demand::adjust_usage_of_lanes(fixed, carry, months, t);
        for l in 0..n {
            demand::buy_tokens(&fixed[l], carry[l].ln_q, &mut months[l], t);
        }
        for l in 0..n {
            demand::gain_from_tokens(&fixed[l], &mut months[l]);
        }
        for l in 0..n {
            let c = &carry[l];
            production::produce(&fixed[l], &c.know, c.incident_time, &mut months[l], t);
        }
        production::combine_output(fixed, months);
        knowledge::multiply_incidents(fixed, carry, months);
        for l in 0..n {
            incidents::rate_incidents(&fixed[l], &mut months[l]);
        }
        incidents::count_incidents(carry, months);
        for l in 0..n {
            let (f, c, m) = (&fixed[l], &mut carry[l], &months[l]);
            let losses = incidents::size_incidents(f, c, m, t);
            knowledge::remember_agent_work(&mut c.know, m);
            let mut row = SeriesRow::default();
            money::book_month(f, c, m, &losses, t, &mut row);
            let k = c.know.k;
            c.record.seen.push(t, losses.incident_cost, m.output, k);
            staff::watch_rehire_trigger(f, &mut c.record, t);
            let first =
                l * out.monthly_stride + (t as usize - 1) * Series::COUNT * out.series_stride;
            for (j, x) in row.0.into_iter().enumerate() {
                out.monthly[first + j * out.series_stride] = x;
            }
        }
    }
    for l in 0..n {
        let headcount_end = scratch.staff[l].headcount();
        money::record_results(
            &fixed[l],
            &carry[l],
            headcount_end,
            &mut out.finals[l * out.finals_stride],
        );
    }
}

/// This month's layoffs, attrition and backfill, and the rehire rule's arrivals, with the
/// know-how that leaves with people; then the headcount and agent seats.
fn change_staff(f: &Fixed, c: &mut Carry, st: &mut Staff, m: &mut Month, t: u32) {
    let kn = &f.world.w.knowledge;
    for (i, l) in f.lev.layoffs.iter().enumerate() {
        if l.month != t || !staff::gate_holds(f, &c.record, l) {
            continue;
        }
        staff::record_layoff(&mut c.record, i, t);
        if let Some(cut) = staff::lay_off(f, st, &mut c.record, m, l.fraction) {
            knowledge::lose_to_layoff(kn, &mut c.know, cut.n_cut, cut.headcount, l.seniority);
        }
    }
    if let Some(left) = staff::lose_to_attrition(f, st, &mut c.chance, m, t) {
        knowledge::lose_to_attrition(kn, &mut c.know, left.n_cut, left.headcount);
    }
    staff::hire_back(f, st, &c.record, m, t);
    staff::count_staff(f, st, &c.record, m, t);
}
