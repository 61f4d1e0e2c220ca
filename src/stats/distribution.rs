//! Distributions of per-path values as the charts show them: the finite values sorted,
//! paired differences path by path, counts, densities and shares over equal bins, the span
//! of chosen quantiles over several samples, exceedance curves on a log grid, and the
//! share of paths falling in each month.
//!
//! Pure functions of the values they are given: no I/O, no randomness, and each count or
//! sum taken in the order of the values, so the results do not depend on threads. They know
//! nothing of charts or the engine; the report calls them and formats what they return.

use super::quantile_sorted;

/// The finite values of `values`, ascending.
pub fn sort_finite(mut values: Vec<f64>) -> Vec<f64> {
    values.retain(|x| x.is_finite());
    values.sort_by(f64::total_cmp);
    values
}

/// `a - b` path by path, over the paths both have.
pub fn subtract_paths(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(a, b)| a - b).collect()
}

/// How many finite values fall in each of a run of equal bins.
#[derive(Clone, Debug, PartialEq)]
pub struct BinCounts {
    /// Values in each bin, from the lowest; values outside every bin are left out.
    pub counts: Vec<f64>,
    /// Width of a bin.
    pub width: f64,
    /// Finite values, inside the bins or not.
    pub n: f64,
}

/// Counts of the finite `values` in `bins` equal bins from `lo` to `hi`; a value on a
/// boundary goes to the bin above it, and `hi` itself to none.
pub fn count_bins(values: &[f64], lo: f64, hi: f64, bins: usize) -> BinCounts {
    let w = (hi - lo) / bins as f64;
    let mut counts = vec![0.0; bins];
    let mut n = 0.0;
    for v in values.iter().filter(|v| v.is_finite()) {
        n += 1.0;
        let b = ((v - lo) / w).floor();
        if b >= 0.0 && (b as usize) < bins {
            counts[b as usize] += 1.0;
        }
    }
    BinCounts {
        counts,
        width: w,
        n,
    }
}

/// One bin of a density outline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DensityBin {
    /// Middle of the bin.
    pub centre: f64,
    /// Share of the finite values in the bin over the bin's width.
    pub density: f64,
    /// Share of the finite values in the bin (`density` times the width).
    pub share: f64,
}

/// Density outline of the finite `values` over `bins` equal bins from `lo` to `hi`: each
/// bin's share of all finite values (those outside the bins count in the total) over its
/// width.
pub fn estimate_density(values: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<DensityBin> {
    let BinCounts {
        counts,
        width: w,
        n,
    } = count_bins(values, lo, hi, bins);
    let n = n.max(1.0);
    counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let density = c / (n * w);
            DensityBin {
                centre: lo + (i as f64 + 0.5) * w,
                density,
                share: density * w,
            }
        })
        .collect()
}

/// Share of the finite `values` in each of `bins` equal bins from `lo` to `hi`, as
/// `(from, to, share)`.
pub fn share_by_bin(values: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<(f64, f64, f64)> {
    let BinCounts {
        counts,
        width: w,
        n,
    } = count_bins(values, lo, hi, bins);
    let n = n.max(1.0);
    counts
        .iter()
        .enumerate()
        .map(|(i, c)| (lo + i as f64 * w, lo + (i + 1) as f64 * w, c / n))
        .collect()
}

/// The lowest `p_lo` quantile and the highest `p_hi` quantile over several sorted
/// samples (type 7): a range that holds the body of every one. Infinite with no samples.
pub fn span_quantiles(sorted: &[Vec<f64>], p_lo: f64, p_hi: f64) -> (f64, f64) {
    let lo = sorted
        .iter()
        .map(|c| quantile_sorted(c, p_lo))
        .fold(f64::INFINITY, f64::min);
    let hi = sorted
        .iter()
        .map(|c| quantile_sorted(c, p_hi))
        .fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

/// The least positive value and the largest value (at least zero) over several sorted
/// samples; the least is infinite when no value is positive.
pub fn span_positive(sorted: &[Vec<f64>]) -> (f64, f64) {
    let lo = sorted
        .iter()
        .filter_map(|c| c.iter().find(|x| **x > 0.0).copied())
        .fold(f64::INFINITY, f64::min);
    let hi = sorted
        .iter()
        .filter_map(|c| c.last().copied())
        .fold(0.0, f64::max);
    (lo, hi)
}

/// The chance of exceeding each of `steps + 1` amounts spaced evenly on a log scale from
/// `lo` to `hi` (both positive), as `(amount, share of sorted values above it)`.
pub fn trace_exceedance(sorted: &[f64], lo: f64, hi: f64, steps: usize) -> Vec<(f64, f64)> {
    let n = sorted.len().max(1) as f64;
    (0..=steps)
        .map(|k| {
            let x = lo * (hi / lo).powf(k as f64 / steps as f64);
            let above = sorted.len() - sorted.partition_point(|v| *v <= x);
            (x, above as f64 / n)
        })
        .collect()
}

/// Shares of paths by the month something happened on each (from 1, NaN where it did
/// not), over months 1 to `horizon`.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthShares {
    /// Share of all paths in each month, month 1 first.
    pub shares: Vec<f64>,
    /// Share of all paths within the horizon: the sum of `shares`.
    pub within: f64,
}

/// The share of `months` (one per path) equal to each month from 1 to `horizon`; NaN and
/// months outside the horizon count in the total only.
pub fn share_by_month(months: &[f64], horizon: usize) -> MonthShares {
    let mut shares = vec![0.0; horizon];
    for m in months {
        if m.is_finite() && *m >= 1.0 && (*m as usize) <= horizon {
            shares[*m as usize - 1] += 1.0 / months.len() as f64;
        }
    }
    let within = shares.iter().sum();
    MonthShares { shares, within }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_drops_undefined_values() {
        assert_eq!(
            sort_finite(vec![3.0, f64::NAN, -1.0, f64::INFINITY, 2.0]),
            vec![-1.0, 2.0, 3.0]
        );
    }

    #[test]
    fn paired_differences_are_path_by_path() {
        assert_eq!(
            subtract_paths(&[5.0, 1.0, 2.0], &[1.0, 1.0, 4.0]),
            vec![4.0, 0.0, -2.0]
        );
    }

    #[test]
    fn bins_count_values_inside_and_the_total_counts_every_finite_value() {
        let b = count_bins(&[0.0, 0.5, 1.0, 3.9, 4.0, -0.1, f64::NAN], 0.0, 4.0, 4);
        assert_eq!(b.counts, vec![2.0, 1.0, 0.0, 1.0]);
        assert_eq!(b.width, 1.0);
        assert_eq!(b.n, 6.0);
    }

    #[test]
    fn a_density_integrates_to_the_share_inside_its_range() {
        let v: Vec<f64> = (0..1000).map(|i| i as f64 / 100.0).collect();
        let d = estimate_density(&v, 0.0, 5.0, 10);
        assert_eq!(d.len(), 10);
        assert_eq!(d[0].centre, 0.25);
        let inside: f64 = d.iter().map(|b| b.share).sum();
        assert!((inside - 0.5).abs() < 1e-12, "{inside}");
        for b in &d {
            assert!((b.density * 0.5 - b.share).abs() < 1e-15);
        }
        // No values: zero everywhere, not NaN.
        assert!(estimate_density(&[], 0.0, 1.0, 3)
            .iter()
            .all(|b| b.density == 0.0));
    }

    #[test]
    fn bin_shares_carry_their_edges() {
        let s = share_by_bin(&[-1.0, -0.5, 0.5, 0.75], -1.0, 1.0, 2);
        assert_eq!(s, vec![(-1.0, 0.0, 0.5), (0.0, 1.0, 0.5)]);
    }

    #[test]
    fn quantile_span_covers_every_sample() {
        let a: Vec<f64> = (0..=100).map(f64::from).collect();
        let b: Vec<f64> = (50..=250).map(f64::from).collect();
        assert_eq!(span_quantiles(&[a, b], 0.01, 0.99), (1.0, 248.0));
        assert_eq!(
            span_quantiles(&[], 0.01, 0.99),
            (f64::INFINITY, f64::NEG_INFINITY)
        );
    }

    #[test]
    fn positive_span_skips_zeros() {
        let s = span_positive(&[vec![0.0, 0.0, 5.0, 9.0], vec![0.0, 2.0, 3.0]]);
        assert_eq!(s, (2.0, 9.0));
        assert_eq!(span_positive(&[vec![0.0]]), (f64::INFINITY, 0.0));
    }

    #[test]
    fn exceedance_falls_from_the_share_above_the_least_to_none_above_the_most() {
        let v = [0.0, 1.0, 10.0, 100.0];
        let e = trace_exceedance(&v, 1.0, 100.0, 2);
        assert_eq!(e.len(), 3);
        assert_eq!(e[0], (1.0, 0.5));
        assert!((e[1].0 - 10.0).abs() < 1e-12);
        assert_eq!(e[2], (100.0, 0.0));
    }

    #[test]
    fn month_shares_leave_out_months_beyond_the_horizon() {
        let s = share_by_month(&[1.0, 3.0, f64::NAN, 3.0, 9.0], 4);
        assert_eq!(s.shares, vec![0.2, 0.0, 0.4, 0.0]);
        assert!((s.within - 0.6).abs() < 1e-15);
    }
}
