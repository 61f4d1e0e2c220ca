//! PRIM, the patient rule induction method (Friedman and Fisher 1999), as scenario
//! discovery uses it (Bryant and Lempert 2010; the EMA Workbench): boxes, each a range on
//! some inputs, that hold many of the futures of interest and few others.
//!
//! - Peeling: from the box of every future, remove the `PEEL_ALPHA` (5%) of the box's
//!   futures with the lowest or highest value of one input, whichever removal leaves
//!   the densest box; repeat until the box is pure or holds under `MASS_MIN` (5%) of
//!   the futures. Each box on the way is a step of the trajectory.
//! - Pasting: a box grows back, 5% at a time along one restricted side, while that does
//!   not lower its density.
//! - Significance: for each restricted input, the one-sided binomial test of the EMA
//!   Workbench: with the restriction removed the box holds `t` futures, `h` of them
//!   hits; the p-value is the chance of at least the box's hits among its futures if
//!   each were a hit with probability `h / t`.
//!
//! Densities are compared exactly, as fractions of counts, so ties break the same way
//! everywhere: the larger box, then the lower input index, then the lower side first.
//! Pure arithmetic on its arguments: no I/O, no clock, no randomness.

use statrs::distribution::{Binomial, DiscreteCDF};

/// Share of the box's futures one peel removes.
pub const PEEL_ALPHA: f64 = 0.05;
/// Share of the box's futures one paste adds.
pub const PASTE_ALPHA: f64 = 0.05;
/// Peeling stops before the box would hold fewer than this share of all futures.
pub const MASS_MIN: f64 = 0.05;

/// A box: on each input an inclusive range, infinite where the input is not restricted.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
}

impl Limits {
    fn everything(d: usize) -> Limits {
        Limits {
            lo: vec![f64::NEG_INFINITY; d],
            hi: vec![f64::INFINITY; d],
        }
    }

    /// The inputs the box restricts, in index order.
    pub fn restricted(&self) -> Vec<usize> {
        (0..self.lo.len())
            .filter(|&j| self.lo[j].is_finite() || self.hi[j].is_finite())
            .collect()
    }

    fn holds(&self, x: &[Vec<f64>], i: usize, except: Option<usize>) -> bool {
        (0..self.lo.len())
            .all(|j| Some(j) == except || (x[j][i] >= self.lo[j] && x[j][i] <= self.hi[j]))
    }

    fn without(&self, j: usize) -> Limits {
        let mut l = self.clone();
        l.lo[j] = f64::NEG_INFINITY;
        l.hi[j] = f64::INFINITY;
        l
    }
}

/// A box and what it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimBox {
    pub limits: Limits,
    /// Futures in the box, and those of them in the target.
    pub n: usize,
    pub hits: usize,
    /// Share of all target futures that are in the box.
    pub coverage: f64,
    /// Share of the box's futures in the target.
    pub density: f64,
}

impl PrimBox {
    fn new(limits: Limits, n: usize, hits: usize, total_hits: usize) -> PrimBox {
        PrimBox {
            limits,
            n,
            hits,
            coverage: hits as f64 / total_hits.max(1) as f64,
            density: hits as f64 / n.max(1) as f64,
        }
    }
}

/// The input data of PRIM: `x[input][future]`, `y[future]`, each input's futures sorted.
pub struct Data<'a> {
    x: &'a [Vec<f64>],
    y: &'a [bool],
    order: Vec<Vec<usize>>,
    total_hits: usize,
}

impl<'a> Data<'a> {
    pub fn new(x: &'a [Vec<f64>], y: &'a [bool]) -> Data<'a> {
        let order = x
            .iter()
            .map(|col| {
                let mut o: Vec<usize> = (0..y.len()).collect();
                o.sort_by(|a, b| col[*a].total_cmp(&col[*b]).then(a.cmp(b)));
                o
            })
            .collect();
        Data {
            x,
            y,
            order,
            total_hits: y.iter().filter(|h| **h).count(),
        }
    }

    /// Counts the futures in `limits` and its hits.
    pub fn measure(&self, limits: Limits) -> PrimBox {
        let (mut n, mut hits) = (0, 0);
        for i in 0..self.y.len() {
            if limits.holds(self.x, i, None) {
                n += 1;
                hits += usize::from(self.y[i]);
            }
        }
        PrimBox::new(limits, n, hits, self.total_hits)
    }

    /// The peeling trajectory, from the box of every future to the last box peeled.
    pub fn peel(&self) -> Vec<PrimBox> {
        let n_all = self.y.len();
        let d = self.x.len();
        let mut inside = vec![true; n_all];
        let mut cur = self.measure(Limits::everything(d));
        let mut out = vec![cur.clone()];
        let floor = (MASS_MIN * n_all as f64).ceil() as usize;
        while cur.hits < cur.n {
            let k = ((PEEL_ALPHA * cur.n as f64) as usize).max(1);
            // (removed, removed hits, input, upper side, new bound)
            let mut best: Option<(usize, usize, usize, bool, f64)> = None;
            for j in 0..d {
                for upper in [false, true] {
                    let Some((gone, gone_hits, bound)) = self.peel_one(&inside, j, upper, k) else {
                        continue;
                    };
                    if cur.n - gone < floor.max(1) {
                        continue;
                    }
                    let better = match best {
                        None => true,
                        Some((bg, bh, ..)) => {
                            // density (hits - gh) / (n - g) against the best's, exactly.
                            let a = (cur.hits - gone_hits) as u128 * (cur.n - bg) as u128;
                            let b = (cur.hits - bh) as u128 * (cur.n - gone) as u128;
                            a > b || (a == b && gone < bg)
                        }
                    };
                    if better {
                        best = Some((gone, gone_hits, j, upper, bound));
                    }
                }
            }
            let Some((gone, gone_hits, j, upper, bound)) = best else {
                break;
            };
            let mut limits = cur.limits.clone();
            if upper {
                limits.hi[j] = bound;
            } else {
                limits.lo[j] = bound;
            }
            for (i, keep) in inside.iter_mut().enumerate() {
                *keep = *keep && self.x[j][i] >= limits.lo[j] && self.x[j][i] <= limits.hi[j];
            }
            cur = PrimBox::new(limits, cur.n - gone, cur.hits - gone_hits, self.total_hits);
            out.push(cur.clone());
        }
        out
    }

    /// One candidate peel of input `j`: the in-box futures below (above) the value of
    /// the `k`-th lowest (highest) in-box future are removed; ties with it stay. Returns
    /// how many go, their hits and the new bound (the kept extreme), or `None` if none go.
    fn peel_one(
        &self,
        inside: &[bool],
        j: usize,
        upper: bool,
        k: usize,
    ) -> Option<(usize, usize, f64)> {
        let col = &self.x[j];
        let walk = |f: &mut dyn FnMut(usize) -> bool| {
            if upper {
                self.order[j].iter().rev().all(|&i| f(i))
            } else {
                self.order[j].iter().all(|&i| f(i))
            }
        };
        // The value of the k-th in-box future from that end (0-based k).
        let mut seen = 0;
        let mut at = None;
        walk(&mut |i| {
            if inside[i] {
                if seen == k {
                    at = Some(col[i]);
                    return false;
                }
                seen += 1;
            }
            true
        });
        let at = at?;
        let (mut gone, mut gone_hits) = (0, 0);
        walk(&mut |i| {
            let beyond = if upper { col[i] > at } else { col[i] < at };
            if !beyond {
                return false;
            }
            if inside[i] {
                gone += 1;
                gone_hits += usize::from(self.y[i]);
            }
            true
        });
        (gone > 0).then_some((gone, gone_hits, at))
    }

    /// Grows `b` back along its restricted sides, `PASTE_ALPHA` of its futures at a time,
    /// the paste that gives the densest box first, while the density does not fall.
    pub fn paste(&self, b: &PrimBox) -> PrimBox {
        let mut cur = b.clone();
        loop {
            let k = ((PASTE_ALPHA * cur.n as f64) as usize).max(1);
            let mut best: Option<PrimBox> = None;
            for j in cur.limits.restricted() {
                for upper in [false, true] {
                    let bound = if upper {
                        cur.limits.hi[j]
                    } else {
                        cur.limits.lo[j]
                    };
                    if !bound.is_finite() {
                        continue;
                    }
                    let Some(c) = self.paste_one(&cur, j, upper, k) else {
                        continue;
                    };
                    let denser = |a: &PrimBox, b: &PrimBox| {
                        let l = a.hits as u128 * b.n as u128;
                        let r = b.hits as u128 * a.n as u128;
                        l > r || (l == r && a.n > b.n)
                    };
                    if (c.hits as u128 * cur.n as u128 >= cur.hits as u128 * c.n as u128)
                        && best.as_ref().is_none_or(|b| denser(&c, b))
                    {
                        best = Some(c);
                    }
                }
            }
            match best {
                Some(c) => cur = c,
                None => return cur,
            }
        }
    }

    /// One candidate paste on input `j`: the next `k` futures beyond the bound that meet
    /// the box's other limits are added, with every tie of the last one.
    fn paste_one(&self, cur: &PrimBox, j: usize, upper: bool, k: usize) -> Option<PrimBox> {
        let col = &self.x[j];
        let l = &cur.limits;
        let outside = |v: f64| if upper { v > l.hi[j] } else { v < l.lo[j] };
        let (mut added, mut added_hits, mut last) = (0, 0, None);
        let mut any_beyond = false;
        // Outward from the bound: up the order for the upper side, down it for the lower.
        let walk: Box<dyn Iterator<Item = &usize>> = if upper {
            Box::new(self.order[j].iter())
        } else {
            Box::new(self.order[j].iter().rev())
        };
        for &i in walk {
            if !outside(col[i]) {
                continue;
            }
            if let Some(v) = last {
                if col[i] != v && added >= k {
                    any_beyond = true;
                    break;
                }
            }
            if l.holds(self.x, i, Some(j)) {
                added += 1;
                added_hits += usize::from(self.y[i]);
                last = Some(col[i]);
            }
        }
        let v = last?;
        let mut limits = l.clone();
        match (upper, any_beyond) {
            (true, true) => limits.hi[j] = v,
            (true, false) => limits.hi[j] = f64::INFINITY,
            (false, true) => limits.lo[j] = v,
            (false, false) => limits.lo[j] = f64::NEG_INFINITY,
        }
        Some(PrimBox::new(
            limits,
            cur.n + added,
            cur.hits + added_hits,
            self.total_hits,
        ))
    }

    /// The one-sided binomial p-value of each restricted input of `b` (see the module).
    pub fn p_values(&self, b: &PrimBox) -> Vec<(usize, f64)> {
        b.limits
            .restricted()
            .into_iter()
            .map(|j| {
                let wider = self.measure(b.limits.without(j));
                let p = wider.hits as f64 / wider.n.max(1) as f64;
                (j, binomial_at_least(b.hits as u64, b.n as u64, p))
            })
            .collect()
    }

    /// `b` with its least significant restriction removed while any p-value is above
    /// `level`, and the p-values of what is left.
    pub fn drop_insignificant(&self, b: &PrimBox, level: f64) -> (PrimBox, Vec<(usize, f64)>) {
        let mut cur = b.clone();
        loop {
            let ps = self.p_values(&cur);
            let worst = ps
                .iter()
                .copied()
                .filter(|(_, p)| *p > level)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            match worst {
                Some((j, _)) => cur = self.measure(cur.limits.without(j)),
                None => return (cur, ps),
            }
        }
    }
}

/// P(X >= h) for X binomial with `n` trials of chance `p`.
pub fn binomial_at_least(h: u64, n: u64, p: f64) -> f64 {
    if h == 0 {
        return 1.0;
    }
    match Binomial::new(p.clamp(0.0, 1.0), n) {
        Ok(b) => b.sf(h - 1),
        Err(_) => f64::NAN,
    }
}

/// The box of the trajectory to describe: among boxes restricting at most
/// `max_restricted` inputs and holding at least `min_coverage` of the target futures, the
/// densest (ties: the larger coverage, then the earlier step). The first box (every
/// future) always qualifies.
pub fn choose(trajectory: &[PrimBox], max_restricted: usize, min_coverage: f64) -> usize {
    let mut best = 0;
    for (i, b) in trajectory.iter().enumerate() {
        if b.limits.restricted().len() > max_restricted || b.coverage < min_coverage {
            continue;
        }
        let c = &trajectory[best];
        let l = b.hits as u128 * c.n as u128;
        let r = c.hits as u128 * b.n as u128;
        if l > r || (l == r && b.hits > c.hits) {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic spread of `n` values in [0, 1): the fractional parts of k times the
    /// golden ratio, shifted per column.
    fn spread(n: usize, shift: f64) -> Vec<f64> {
        (0..n)
            .map(|k| ((k as f64 + shift) * 0.618_033_988_749_895).fract())
            .collect()
    }

    #[test]
    fn peeling_finds_a_corner_and_ignores_an_input_with_no_effect() {
        let n = 4000;
        let x = [spread(n, 0.0), spread(n, 1234.5)];
        // Hits exactly where input 0 is below 0.3; input 1 is noise.
        let mut y: Vec<bool> = x[0].iter().map(|v| *v < 0.3).collect();
        y.reverse();
        let x = vec![x[0].iter().rev().copied().collect(), x[1].clone()];
        let data = Data::new(&x, &y);
        let t = data.peel();
        assert_eq!(t[0].n, n);
        assert!((t[0].coverage - 1.0).abs() < 1e-12);
        let last = t.last().unwrap();
        assert_eq!(last.density, 1.0);
        let pick = choose(&t, 3, 0.5);
        let b = data.paste(&t[pick]);
        let (b, ps) = data.drop_insignificant(&b, 0.05);
        assert_eq!(b.limits.restricted(), vec![0], "{b:?}");
        assert!(ps[0].1 < 1e-6);
        assert_eq!(b.density, 1.0);
        // The edge is within one paste (5% of the box, 0.015 of the input) below 0.3.
        assert!(b.limits.hi[0] < 0.3 && b.limits.hi[0] > 0.3 * 0.95, "{b:?}");
        assert!(b.coverage > 0.95, "{b:?}");
    }

    #[test]
    fn the_binomial_tail_is_exact_on_small_cases() {
        // P(X >= 2), X ~ B(3, 0.5) = 4/8.
        assert!((binomial_at_least(2, 3, 0.5) - 0.5).abs() < 1e-12);
        assert_eq!(binomial_at_least(0, 3, 0.2), 1.0);
        assert!((binomial_at_least(3, 3, 0.1) - 0.001).abs() < 1e-12);
    }

    #[test]
    fn the_chosen_box_respects_coverage_and_the_number_of_inputs() {
        let b = |restricted: usize, n: usize, hits: usize| {
            let mut l = Limits::everything(4);
            for j in 0..restricted {
                l.hi[j] = 1.0;
            }
            PrimBox::new(l, n, hits, 100)
        };
        let t = vec![b(0, 1000, 100), b(1, 500, 90), b(2, 200, 60), b(4, 100, 90)];
        // 60 of 200 is denser than 90 of 500 but covers only 60%: still allowed at 0.5.
        assert_eq!(choose(&t, 3, 0.5), 2);
        assert_eq!(choose(&t, 3, 0.7), 1);
        assert_eq!(choose(&t, 1, 0.5), 1);
    }
}
