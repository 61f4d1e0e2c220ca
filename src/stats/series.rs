//! Monthly series without keeping every path: moments per chunk or block of paths,
//! combined in path order, and quantiles exact from stored values up to `EXACT_UP_TO` paths, from
//! fixed-bin histograms above.
//!
//! Histogram counts are integers, so merging them in any order gives the same result and
//! the numbers do not depend on threads. A bin whose values are all equal remembers that
//! value, so atoms (a month with payroll and nothing else) come out exactly. The bin range of each series is set by the first
//! `EXACT_UP_TO` paths, widened by a tenth on each side; values outside it fall into two
//! tail bins bounded by the exact minimum and maximum. Within a bin, values are taken as
//! evenly spread, so a quantile's error is at most one bin width (range / `BINS`) and in
//! practice far smaller.

use super::Summary;

/// Paths whose monthly values are kept, giving exact quantiles for runs up to this size.
pub const EXACT_UP_TO: usize = 4096;
/// Bins per series histogram.
pub const BINS: usize = 2048;

/// Count, mean and sum of squared deviations (Welford or two passes over a block; Chan et
/// al. to combine).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Moments {
    pub n: f64,
    pub mean: f64,
    pub m2: f64,
}

impl Moments {
    pub fn push(&mut self, x: f64) {
        self.n += 1.0;
        let d = x - self.mean;
        self.mean += d / self.n;
        self.m2 += d * (x - self.mean);
    }

    /// Moments of each series of a block, series `s` being `cols[s * stride..][..len]`.
    pub fn of_block(cols: &[f64], stride: usize, len: usize) -> Vec<Moments> {
        struct Each(Vec<Moments>);
        impl SideBySide for Each {
            fn take<const K: usize>(&mut self, _: usize, cols: [&[f64]; K]) {
                self.0.extend(Moments::of_side_by_side(cols));
            }
        }
        let mut each = Each(Vec::with_capacity(cols.len() / stride.max(1)));
        side_by_side(cols, stride, len, &mut each);
        each.0
    }

    /// Moments of the finite values of `K` series, in two passes (mean, then squared
    /// deviations from it). Each series' sums are taken in its own order, so the result
    /// is that of taking the series one at a time, but the processor works on the `K`
    /// chains of additions together.
    // The i-th value of every series is taken before the next (the point of it).
    #[allow(clippy::needless_range_loop)]
    fn of_side_by_side<const K: usize>(cols: [&[f64]; K]) -> [Moments; K] {
        let len = cols.iter().map(|c| c.len()).min().unwrap_or(0);
        let (mut n, mut sum) = ([0usize; K], [0.0; K]);
        for i in 0..len {
            for k in 0..K {
                let x = cols[k][i];
                if x.is_finite() {
                    n[k] += 1;
                    sum[k] += x;
                }
            }
        }
        let mean: [f64; K] = std::array::from_fn(|k| sum[k] / n[k] as f64);
        let mut m2 = [0.0; K];
        for i in 0..len {
            for k in 0..K {
                let x = cols[k][i];
                if x.is_finite() {
                    m2[k] += (x - mean[k]) * (x - mean[k]);
                }
            }
        }
        std::array::from_fn(|k| {
            if n[k] == 0 {
                Moments::default()
            } else {
                Moments {
                    n: n[k] as f64,
                    mean: mean[k],
                    m2: m2[k],
                }
            }
        })
    }

    pub fn merge(&mut self, o: &Moments) {
        if o.n == 0.0 {
            return;
        }
        if self.n == 0.0 {
            *self = *o;
            return;
        }
        let n = self.n + o.n;
        let d = o.mean - self.mean;
        self.mean += d * o.n / n;
        self.m2 += o.m2 + d * d * self.n * o.n / n;
        self.n = n;
    }

    /// Standard error of the mean.
    pub fn se(&self) -> f64 {
        if self.n > 1.0 {
            (self.m2 / (self.n - 1.0)).sqrt() / self.n.sqrt()
        } else {
            f64::NAN
        }
    }
}

/// One histogram per series, with fixed edges.
#[derive(Clone, Debug)]
pub struct Histograms {
    lo: Vec<f64>,
    width: Vec<f64>,
    /// `[series][BINS + 2]`: bin 0 below the range, bin BINS + 1 above it.
    counts: Vec<u32>,
    /// Per bin: the value every entry of the bin has, or NaN once two differ. Atoms (a
    /// payroll with no other cost, a whole headcount) are thus reported exactly.
    same: Vec<f64>,
    /// Per bin, one bit: set once two entries differ, so a bin known to be mixed is
    /// counted without reading `same` (which keeps the hot data small enough for cache).
    mixed: Vec<u64>,
    min: Vec<f64>,
    max: Vec<f64>,
}

/// Words of `mixed` per series.
const WORDS: usize = (BINS + 2).div_ceil(64);

/// Series taken side by side when a block is added or its moments taken: enough
/// independent chains of additions and minima to keep the processor busy.
const SIDE_BY_SIDE: usize = 4;

/// What takes the series of a block a few at a time: `take(s, cols)` gets series
/// `s..s + K`, `cols[k]` being series `s + k`.
trait SideBySide {
    fn take<const K: usize>(&mut self, s: usize, cols: [&[f64]; K]);
}

/// Gives `into` the series of a block, series `s` being `cols[s * stride..][..len]`:
/// `SIDE_BY_SIDE` series at a time, then the rest one at a time.
fn side_by_side(cols: &[f64], stride: usize, len: usize, into: &mut impl SideBySide) {
    let n = cols.len() / stride.max(1);
    let col = |s: usize| &cols[s * stride..][..len];
    let whole = n / SIDE_BY_SIDE * SIDE_BY_SIDE;
    for s in (0..whole).step_by(SIDE_BY_SIDE) {
        into.take(s, std::array::from_fn::<_, SIDE_BY_SIDE, _>(|k| col(s + k)));
    }
    for s in whole..n {
        into.take(s, [col(s)]);
    }
}

/// The bin of finite `x` with these edges: 0 below the range, `BINS + 1` above it.
fn bin_of(x: f64, lo: f64, width: f64) -> usize {
    let pos = (x - lo) / width;
    if pos < 0.0 {
        0
    } else if pos >= BINS as f64 {
        BINS + 1
    } else {
        pos as usize + 1
    }
}

/// One series' histogram bins, borrowed from a set.
struct Bins<'a> {
    counts: &'a mut [u32],
    same: &'a mut [f64],
    mixed: &'a mut [u64],
}

impl Bins<'_> {
    /// Counts one entry of `x` in bin `bin`.
    fn count(&mut self, bin: usize, x: f64) {
        let bit = 1u64 << (bin % 64);
        if self.counts[bin] == 0 {
            self.same[bin] = x;
        } else if self.mixed[bin / 64] & bit == 0 && self.same[bin] != x {
            self.same[bin] = f64::NAN;
            self.mixed[bin / 64] |= bit;
        }
        self.counts[bin] += 1;
    }
}

impl Histograms {
    /// Edges from the pilot values, given as `[path][series]`.
    pub fn from_pilot(pilot: &[f64], n_series: usize) -> Histograms {
        let mut lo = vec![f64::INFINITY; n_series];
        let mut hi = vec![f64::NEG_INFINITY; n_series];
        for row in pilot.chunks(n_series) {
            for (s, x) in row.iter().enumerate() {
                if x.is_finite() {
                    lo[s] = lo[s].min(*x);
                    hi[s] = hi[s].max(*x);
                }
            }
        }
        let mut width = vec![0.0; n_series];
        for s in 0..n_series {
            if !lo[s].is_finite() {
                (lo[s], hi[s]) = (0.0, 1.0);
            }
            let span = (hi[s] - lo[s]).max(lo[s].abs() * 1e-9).max(1e-12);
            lo[s] -= 0.1 * span;
            width[s] = 1.2 * span / BINS as f64;
        }
        Histograms {
            lo,
            width,
            counts: vec![0; n_series * (BINS + 2)],
            same: vec![f64::NAN; n_series * (BINS + 2)],
            mixed: vec![0; n_series * WORDS],
            min: vec![f64::INFINITY; n_series],
            max: vec![f64::NEG_INFINITY; n_series],
        }
    }

    /// Width of one bin of series `s`: the most a quantile can be off.
    pub fn bin_width(&self, s: usize) -> f64 {
        self.width[s]
    }

    /// An empty histogram set with the same edges.
    pub fn empty_like(&self) -> Histograms {
        Histograms {
            lo: self.lo.clone(),
            width: self.width.clone(),
            counts: vec![0; self.counts.len()],
            same: vec![f64::NAN; self.same.len()],
            mixed: vec![0; self.mixed.len()],
            min: vec![f64::INFINITY; self.min.len()],
            max: vec![f64::NEG_INFINITY; self.max.len()],
        }
    }

    /// Adds many paths' values, `[path][series]`: 512 paths at a time are turned into one
    /// column per series, and each column is added while its histogram is in cache.
    pub fn add_rows(&mut self, rows: &[f64]) {
        const PATHS: usize = 512;
        let n_series = self.lo.len().max(1);
        let mut cols = vec![0.0; n_series * PATHS];
        for block in rows.chunks(n_series * PATHS) {
            let len = block.len() / n_series;
            for (i, row) in block.chunks_exact(n_series).enumerate() {
                for (col, x) in cols.chunks_exact_mut(PATHS).zip(row) {
                    col[i] = *x;
                }
            }
            self.add_block(&cols, PATHS, len);
        }
    }

    /// Adds a block of values by series, series `s` being `cols[s * stride..][..len]`.
    pub fn add_block(&mut self, cols: &[f64], stride: usize, len: usize) {
        side_by_side(cols, stride, len, self);
    }
}

impl SideBySide for Histograms {
    /// Adds the values of series `s..s + K`, `cols[k]` to series `s + k`. Each series'
    /// values are counted in their own order, so the counts are those of adding the
    /// series one after the other; the processor works on the `K` series together.
    #[allow(clippy::needless_range_loop)]
    fn take<const K: usize>(&mut self, s: usize, cols: [&[f64]; K]) {
        let len = cols.iter().map(|c| c.len()).min().unwrap_or(0);
        let lo: [f64; K] = std::array::from_fn(|k| self.lo[s + k]);
        let width: [f64; K] = std::array::from_fn(|k| self.width[s + k]);
        let mut counts = self.counts[s * (BINS + 2)..].chunks_exact_mut(BINS + 2);
        let mut same = self.same[s * (BINS + 2)..].chunks_exact_mut(BINS + 2);
        let mut mixed = self.mixed[s * WORDS..].chunks_exact_mut(WORDS);
        let mut bins: [Bins; K] = std::array::from_fn(|_| Bins {
            counts: counts.next().expect("series in range"),
            same: same.next().expect("series in range"),
            mixed: mixed.next().expect("series in range"),
        });
        // First each value's bin (a loop of arithmetic alone), then the counts.
        let mut index = vec![0u32; K * len];
        for k in 0..K {
            let (mut min, mut max) = (self.min[s + k], self.max[s + k]);
            for (b, &x) in index[k * len..][..len].iter_mut().zip(cols[k]) {
                *b = if x.is_finite() {
                    min = min.min(x);
                    max = max.max(x);
                    bin_of(x, lo[k], width[k]) as u32
                } else {
                    u32::MAX
                };
            }
            self.min[s + k] = min;
            self.max[s + k] = max;
        }
        for i in 0..len {
            for k in 0..K {
                let b = index[k * len + i];
                if b != u32::MAX {
                    bins[k].count(b as usize, cols[k][i]);
                }
            }
        }
    }
}

impl Histograms {
    /// Adds another set's counts: exact, so the order of merging does not matter.
    pub fn merge(&mut self, o: &Histograms) {
        for i in 0..self.counts.len() {
            if o.counts[i] == 0 {
                continue;
            }
            let (word, bit) = (
                i / (BINS + 2) * WORDS + i % (BINS + 2) / 64,
                1u64 << (i % (BINS + 2) % 64),
            );
            if self.counts[i] == 0 {
                self.same[i] = o.same[i];
                self.mixed[word] |= o.mixed[word] & bit;
            } else if (self.mixed[word] | o.mixed[word]) & bit != 0 || self.same[i] != o.same[i] {
                self.same[i] = f64::NAN;
                self.mixed[word] |= bit;
            }
            self.counts[i] += o.counts[i];
        }
        for s in 0..self.min.len() {
            self.min[s] = self.min[s].min(o.min[s]);
            self.max[s] = self.max[s].max(o.max[s]);
        }
    }

    /// Edges `[from, to)` of bin `b` of series `s` (tails bounded by the exact extremes).
    fn bin_edges(&self, s: usize, b: usize) -> (f64, f64) {
        let lo = self.lo[s];
        let w = self.width[s];
        match b {
            0 => (self.min[s], lo),
            b if b == BINS + 1 => (lo + w * BINS as f64, self.max[s]),
            b => (lo + w * (b - 1) as f64, lo + w * b as f64),
        }
    }

    /// The value of 0-based rank `k` among the counted values, spreading each bin evenly.
    fn order_stat(&self, s: usize, k: u64) -> f64 {
        let counts = &self.counts[s * (BINS + 2)..(s + 1) * (BINS + 2)];
        let mut seen = 0u64;
        for (b, &c) in counts.iter().enumerate() {
            let c = c as u64;
            if k < seen + c {
                let same = self.same[s * (BINS + 2) + b];
                if !same.is_nan() {
                    return same;
                }
                let (from, to) = self.bin_edges(s, b);
                let (from, to) = (from.max(self.min[s]), to.min(self.max[s]));
                let frac = ((k - seen) as f64 + 0.5) / c as f64;
                return from + frac * (to - from).max(0.0);
            }
            seen += c;
        }
        self.max[s]
    }

    /// Type 7 quantile of series `s` from the histogram.
    pub fn quantile(&self, s: usize, p: f64) -> f64 {
        let n: u64 = self.counts[s * (BINS + 2)..(s + 1) * (BINS + 2)]
            .iter()
            .map(|c| *c as u64)
            .sum();
        if n == 0 {
            return f64::NAN;
        }
        let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
        let k = h.floor() as u64;
        let a = self.order_stat(s, k);
        let b = if k + 1 < n {
            self.order_stat(s, k + 1)
        } else {
            a
        };
        a + (h - k as f64) * (b - a)
    }
}

/// Everything kept of the monthly series of a run.
#[derive(Clone, Debug)]
pub struct SeriesStats {
    pub n_series: usize,
    /// Moments per series, combined over chunks in chunk order.
    pub moments: Vec<Moments>,
    /// Values of the first `EXACT_UP_TO` paths, `[path][series]`.
    pub pilot: Vec<f64>,
    /// Histograms of every path, when the run has more than `EXACT_UP_TO` paths.
    pub histograms: Option<Histograms>,
}

impl SeriesStats {
    /// Mean, its standard error and quantiles of series `s`.
    pub fn stat(&self, s: usize) -> Summary {
        let m = &self.moments[s];
        let q: [f64; 5] = match &self.histograms {
            Some(h) => super::QUANTILES.map(|p| h.quantile(s, p)),
            None => {
                let mut v: Vec<f64> = self
                    .pilot
                    .chunks(self.n_series)
                    .map(|row| row[s])
                    .filter(|x| x.is_finite())
                    .collect();
                super::quantiles(&mut v, &super::QUANTILES)
            }
        };
        Summary {
            n: m.n as usize,
            mean: m.mean,
            se: m.se(),
            p5: q[0],
            p25: q[1],
            p50: q[2],
            p75: q[3],
            p95: q[4],
        }
    }
}

/// Moments of a block of rows `[path][series]`, in path order.
pub fn block_moments(rows: &[f64], n_series: usize) -> Vec<Moments> {
    let mut m = vec![Moments::default(); n_series];
    for row in rows.chunks(n_series) {
        for (s, x) in row.iter().enumerate() {
            if x.is_finite() {
                m[s].push(*x);
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_moments_equal_one_pass() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| ((i * 7919) % 1000) as f64 * 1e6)
            .collect();
        let mut whole = Moments::default();
        xs.iter().for_each(|x| whole.push(*x));
        let mut parts = Moments::default();
        for c in xs.chunks(37) {
            let mut m = Moments::default();
            c.iter().for_each(|x| m.push(*x));
            parts.merge(&m);
        }
        assert!((whole.mean - parts.mean).abs() / whole.mean < 1e-12);
        assert!((whole.m2 - parts.m2).abs() / whole.m2 < 1e-9);
    }

    #[test]
    fn histogram_quantiles_are_within_a_bin_of_exact() {
        // A skewed sample: squares of a uniform grid.
        let xs: Vec<f64> = (0..100_000u64)
            .map(|i| ((i * 104_729) % 100_000) as f64 / 1e5)
            .map(|u| u * u * 1e6)
            .collect();
        let mut h = Histograms::from_pilot(&xs[..4096], 1);
        for x in &xs {
            h.add_rows(&[*x]);
        }
        let mut sorted = xs.clone();
        sorted.sort_by(f64::total_cmp);
        let width = h.width[0];
        for p in super::super::QUANTILES {
            let exact = super::super::quantile_sorted(&sorted, p);
            let got = h.quantile(0, p);
            assert!(
                (got - exact).abs() <= width,
                "p {p}: {got} vs {exact}, bin width {width}"
            );
        }
    }

    #[test]
    fn merging_histograms_in_any_order_gives_the_same_counts() {
        let xs: Vec<f64> = (0..5000).map(|i| (i as f64).sin() * 100.0).collect();
        let base = Histograms::from_pilot(&xs[..100], 1);
        let (mut a, mut b, mut c) = (base.empty_like(), base.empty_like(), base.empty_like());
        xs[..2500].iter().for_each(|x| a.add_rows(&[*x]));
        xs[2500..].iter().for_each(|x| b.add_rows(&[*x]));
        c.merge(&b);
        c.merge(&a);
        a.merge(&b);
        assert_eq!(a.counts, c.counts);
        assert_eq!(a.quantile(0, 0.05).to_bits(), c.quantile(0, 0.05).to_bits());
    }
    #[test]
    fn series_side_by_side_count_as_one_at_a_time() {
        // Seven series (four side by side, then three alone) of 300 values each, with
        // runs of one value, atoms, values outside the pilot's range and NaNs.
        let (n_series, len, stride) = (7, 300, 304);
        let mut cols = vec![0.0; n_series * stride];
        for s in 0..n_series {
            for i in 0..len {
                let u = ((i * 7919 + s * 104_729) % 1000) as f64;
                cols[s * stride + i] = match (s, i % 11) {
                    (_, 0) => f64::NAN,
                    (1, _) => 120.0,
                    (2, r) if r < 6 => 95.0,
                    (3, _) => u * 1e6 - 4e8,
                    _ => u.sqrt() * (s + 1) as f64,
                };
            }
        }
        let pilot: Vec<f64> = (0..len / 2)
            .flat_map(|i| (0..n_series).map(move |s| (s, i)))
            .map(|(s, i)| cols[s * stride + i])
            .collect();
        let base = Histograms::from_pilot(&pilot, n_series);
        let (mut together, mut alone) = (base.empty_like(), base.empty_like());
        together.add_block(&cols, stride, len);
        for s in 0..n_series {
            alone.take(s, [&cols[s * stride..][..len]]);
        }
        assert_eq!(format!("{together:?}"), format!("{alone:?}"));
        let moments = Moments::of_block(&cols, stride, len);
        for s in 0..n_series {
            let [one] = Moments::of_side_by_side([&cols[s * stride..][..len]]);
            assert_eq!(
                format!("{:?}", moments[s]),
                format!("{one:?}"),
                "series {s}"
            );
        }
        // Against the one-pass moments, which take the values another way.
        let mut pushed = Moments::default();
        cols[3 * stride..][..len]
            .iter()
            .filter(|x| x.is_finite())
            .for_each(|x| pushed.push(*x));
        assert_eq!(moments[3].n, pushed.n);
        assert!((moments[3].mean - pushed.mean).abs() <= 1e-9 * pushed.mean.abs());
    }
}
