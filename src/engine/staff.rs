//! Staff (docs/model.md 4.1, and the rehire rule of 4.7): layoffs, attrition, backfill,
//! hires ramping up, agent seats that replace engineers laid off, and the rehire rule
//! with its trigger.
//!
//! Headcount only: the know-how that leaves with people is `knowledge`'s, and the
//! chance of a leaver comes from the path's streams (`chance`).

use super::chance::Chance;
use super::levers::LayoffDraw;
use super::state::{Fixed, Month, Record};
use crate::metrics::MAX_LAYOFFS;
use std::collections::VecDeque;

/// Engineers hired in one month.
#[derive(Clone, Copy, Debug)]
struct Cohort {
    count: f64,
    hired: u32,
}

/// Engineers by hire month, oldest first: everyone fully ramped (the engineers of the
/// start among them) in one pool, the others by the month they were hired.
#[derive(Default)]
pub(super) struct Staff {
    ramped: f64,
    ramping: VecDeque<Cohort>,
}

impl Staff {
    pub fn reset(&mut self, n0: f64) {
        self.ramped = n0;
        self.ramping.clear();
    }

    pub fn headcount(&self) -> f64 {
        self.ramped + self.ramping.iter().map(|c| c.count).sum::<f64>()
    }

    fn hire(&mut self, count: f64, month: u32) {
        self.ramping.push_back(Cohort {
            count,
            hired: month,
        });
    }

    /// Removes `n` engineers, newest hires first (a layoff).
    fn remove_newest(&mut self, n: f64) {
        let n = self.remove_ramping(n, true);
        self.ramped -= self.ramped.min(n);
    }

    /// Removes `n` engineers, longest-serving first (attrition).
    fn remove_oldest(&mut self, n: f64) {
        let take = self.ramped.min(n);
        self.ramped -= take;
        self.remove_ramping(n - take, false);
    }

    /// Removes up to `n` engineers from the cohorts still ramping, the newest or the
    /// oldest cohort first. Returns how many of `n` were left.
    fn remove_ramping(&mut self, mut n: f64, newest: bool) -> f64 {
        while n > 0.0 {
            let end = if newest {
                self.ramping.back_mut()
            } else {
                self.ramping.front_mut()
            };
            let Some(c) = end else {
                break;
            };
            let take = c.count.min(n);
            c.count -= take;
            n -= take;
            if c.count <= 0.0 {
                if newest {
                    self.ramping.pop_back();
                } else {
                    self.ramping.pop_front();
                }
            }
        }
        n
    }

    /// Engineers in month `t` weighted by how far they have ramped, from 25% on arrival
    /// to 100% after `ramp` months. Cohorts that have finished join the pool.
    fn effective(&mut self, t: u32, ramp: f64) -> f64 {
        while let Some(c) = self.ramping.front() {
            if ramp <= 0.0 || f64::from(t - c.hired) / ramp >= 1.0 {
                self.ramped += c.count;
                self.ramping.pop_front();
            } else {
                break;
            }
        }
        self.ramped
            + self
                .ramping
                .iter()
                .map(|c| c.count * (0.25 + 0.75 * (f64::from(t - c.hired) / ramp)))
                .sum::<f64>()
    }
}

/// Engineers cut by one layoff, out of the headcount before it.
pub(super) struct Cut {
    pub n_cut: f64,
    pub headcount: f64,
}

/// Lays off `fraction` of the staff, newest hires first, and pays their severance now.
/// Returns the cut, or `None` where no one is cut.
pub(super) fn lay_off(
    f: &Fixed,
    staff: &mut Staff,
    record: &mut Record,
    m: &mut Month,
    fraction: f64,
) -> Option<Cut> {
    let hc = staff.headcount();
    let n_cut = f.round(fraction * hc).min(hc);
    if hc <= 0.0 || n_cut <= 0.0 {
        return None;
    }
    staff.remove_newest(n_cut);
    record.cut_so_far += n_cut;
    m.severance += n_cut * f.lev.severance_months * f.monthly_cost;
    Some(Cut {
        n_cut,
        headcount: hc,
    })
}

/// Whether a layoff's gate holds at its month, on the trailing 3-month means seen so far
/// (months before this one only: no gate reads the future). A layoff without a gate
/// always happens.
pub(super) fn gate_holds(f: &Fixed, record: &Record, layoff: &LayoffDraw) -> bool {
    layoff
        .gate
        .is_none_or(|g| g.holds(record.seen.means(), f.n0))
}

/// Notes that layoff `i` happens in month `t`: its stage fired, and the first layoff's
/// month, from which the rehire rule looks.
pub(super) fn record_layoff(record: &mut Record, i: usize, t: u32) {
    if i < MAX_LAYOFFS {
        record.layoffs_fired |= 1 << i;
    }
    record.first_layoff.get_or_insert(t);
}

/// Attrition: leavers drawn among the staff, longest-serving first, each replaced at once
/// by a new hire where the strategy backfills. Returns the leavers, or `None` where no one
/// leaves.
pub(super) fn lose_to_attrition(
    f: &Fixed,
    staff: &mut Staff,
    chance: &mut Chance,
    m: &mut Month,
    t: u32,
) -> Option<Cut> {
    let hc = staff.headcount();
    let leavers = chance.leavers(hc, f.world.org.attrition).min(hc);
    if !(hc > 0.0 && leavers > 0.0) {
        return None;
    }
    staff.remove_oldest(leavers);
    if f.lev.backfill_attrition {
        staff.hire(leavers, t);
        m.hiring += leavers * f.hire_cost;
    }
    Some(Cut {
        n_cut: leavers,
        headcount: hc,
    })
}

/// The rehire rule's hires, in the month they arrive: back up to the target headcount.
pub(super) fn hire_back(f: &Fixed, staff: &mut Staff, record: &Record, m: &mut Month, t: u32) {
    if record.rehire_at != Some(t) {
        return;
    }
    if let Some(r) = &f.lev.rehire {
        let hc = staff.headcount();
        let n_new = f.round(r.target * f.n0 - hc).max(0.0);
        if n_new > 0.0 {
            staff.hire(n_new, t);
            m.hiring += n_new * f.hire_cost;
        }
    }
}

/// This month's headcount, its ramped equivalent, and the agent seats (a fixed number,
/// or one per engineer laid off so far).
pub(super) fn count_staff(f: &Fixed, staff: &mut Staff, record: &Record, m: &mut Month, t: u32) {
    m.headcount = staff.headcount();
    m.staff = staff.effective(t, f.world.org.ramp_months);
    m.agents = f.lev.agent_seats.unwrap_or(record.cut_so_far).max(0.0);
}

/// The rehire rule's trigger (docs/model.md 4.7), after month `t`'s figures are seen:
/// from the month after the strategy's first layoff, the trailing 3-month mean of
/// incident cost above its threshold, or of output below its share of the start. It
/// fires once; the hires arrive `ceil(lag)` months later, at least one.
pub(super) fn watch_rehire_trigger(f: &Fixed, record: &mut Record, t: u32) {
    let (Some(r), false, Some(first)) = (&f.lev.rehire, record.rehire_fired, record.first_layoff)
    else {
        return;
    };
    if t <= first {
        return;
    }
    let Some((cost, output, _)) = record.seen.means() else {
        return;
    };
    if cost > r.incident_cost_above || output < r.output_below * f.n0 {
        record.rehire_fired = true;
        record.rehire_at = Some(t + r.lag.ceil().max(1.0) as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layoffs_take_the_newest_and_attrition_the_oldest() {
        let mut s = Staff::default();
        s.reset(10.0);
        s.hire(2.0, 3);
        s.remove_newest(3.0);
        assert_eq!((s.ramped, s.ramping.len()), (9.0, 0));
        let mut s = Staff::default();
        s.reset(2.0);
        s.hire(2.0, 3);
        s.remove_oldest(3.0);
        assert_eq!(s.headcount(), 1.0);
        assert_eq!(s.ramping.back().unwrap().hired, 3);
        // Hired in month 3 with a 4-month ramp: 25% + 75% x 2/4 in month 5, full in 7.
        assert_eq!(s.effective(5, 4.0), 0.625);
        assert_eq!(s.effective(7, 4.0), 1.0);
        assert!(s.ramping.is_empty());
    }
}
