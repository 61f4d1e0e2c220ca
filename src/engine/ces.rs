//! The normalised CES of judgment and execution, and the execution an assisted engineer
//! adds for a given uplift (docs/model.md 4.5). Pure functions of numbers, shared by the
//! world draw (the uplift factor is fixed per path) and production.
//!
//! Arithmetic only: no state of a path, no draws.

/// Solves `(1 + a)^rho = ((1 + u)^rho - j) / (1 - j)` for `a`, the execution an assisted
/// engineer adds per unit of capacity so that output is `1 + u` times (docs/model.md 3 and 4.5).
/// Where `rho < 0` the uplift is held continuously at 95% of the largest value the CES
/// allows, `u_c = min(u, 0.95 * bound)` with `bound = j^(1/rho) - 1`, and the second
/// value says whether `u` was above `0.95 * bound` (the diagnostic).
pub fn assist_factor(u: f64, j: f64, rho: f64) -> (f64, bool) {
    if rho.abs() < 1e-9 {
        return ((1.0 + u).max(0.0).powf(1.0 / (1.0 - j)) - 1.0, false);
    }
    let mut u = u;
    let mut clamped = false;
    if rho < 0.0 {
        let held = 0.95 * (j.powf(1.0 / rho) - 1.0);
        if u > held {
            u = held;
            clamped = true;
        }
    }
    let inner = ((1.0 + u).max(0.0).powf(rho) - j) / (1.0 - j);
    if inner <= 0.0 {
        // Only reachable with rho > 0 and a large negative uplift: the most the CES can
        // take away is all of an engineer's execution, so the uplift is clamped there.
        return (-1.0, true);
    }
    (inner.powf(1.0 / rho) - 1.0, clamped)
}

/// The normalised CES of judgment `jm` and execution `x` (docs/model.md 3 and 4.5).
///
/// Where both factors are positive and `rho` is not 0 it is computed as
/// `n0 a (j + (1 - j) (b/a)^rho)^(1/rho)`, two logarithms and two exponentials instead of
/// three powers, in the steps `ces_ratio`, `ces_inner` and `ces_from_inner`, which the
/// engine also takes for several paths at once.
pub fn ces(jm: f64, x: f64, j: f64, rho: f64, n0: f64) -> f64 {
    if let Some((a, ratio)) = ces_ratio(jm, x, j, rho, n0) {
        let inner = ces_inner(j, rho, ratio.ln());
        if inner.is_finite() && inner > 0.0 {
            return ces_from_inner(a, n0, rho, inner.ln());
        }
    }
    if n0 <= 0.0 {
        return 0.0;
    }
    let a = (jm / (j * n0)).max(0.0);
    let b = (x / ((1.0 - j) * n0)).max(0.0);
    if rho.abs() < 1e-9 {
        return n0 * a.powf(j) * b.powf(1.0 - j);
    }
    if rho < 0.0 && (a <= 0.0 || b <= 0.0) {
        return 0.0;
    }
    n0 * (j * a.powf(rho) + (1.0 - j) * b.powf(rho)).powf(1.0 / rho)
}

/// First step of `ces`: `(a, b / a)`, judgment and execution per unit of their shares of
/// `n0`, where the two-logarithm form applies (`n0` above 0, `rho` not 0, both positive).
pub fn ces_ratio(jm: f64, x: f64, j: f64, rho: f64, n0: f64) -> Option<(f64, f64)> {
    if n0 <= 0.0 || rho.abs() < 1e-9 {
        return None;
    }
    let a = (jm / (j * n0)).max(0.0);
    let b = (x / ((1.0 - j) * n0)).max(0.0);
    (a > 0.0 && b > 0.0).then(|| (a, b / a))
}

/// Second step of `ces`: `j + (1 - j) (b/a)^rho` from `ln(b/a)`.
pub fn ces_inner(j: f64, rho: f64, ln_ratio: f64) -> f64 {
    j + (1.0 - j) * (rho * ln_ratio).exp()
}

/// Last step of `ces`: `n0 a inner^(1/rho)` from `ln(inner)`.
pub fn ces_from_inner(a: f64, n0: f64, rho: f64, ln_inner: f64) -> f64 {
    n0 * a * (ln_inner / rho).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ces_without_ai_gives_effective_staff() {
        for rho in [-3.0, -0.5, 0.0, 0.5] {
            let o = ces(0.4 * 150.0, 0.6 * 150.0, 0.4, rho, 200.0);
            assert!((o - 150.0).abs() < 1e-9, "rho {rho}: {o}");
        }
    }

    #[test]
    fn assist_factor_gives_the_uplift() {
        for (u, j, rho) in [
            (0.32, 0.4, -3.0),
            (0.2, 0.3, -0.5),
            (-0.1, 0.4, -3.0),
            (0.3, 0.4, 0.0),
            (0.3, 0.4, 0.5),
        ] {
            let (a, clamped) = assist_factor(u, j, rho);
            assert!(!clamped);
            let o = ces(j * 100.0, (1.0 - j) * 100.0 * (1.0 + a), j, rho, 100.0);
            assert!((o - 100.0 * (1.0 + u)).abs() < 1e-9, "u {u} rho {rho}: {o}");
        }
    }

    #[test]
    fn assist_factor_clamps_beyond_the_ces_bound() {
        // sigma = 0.25, j = 0.6: output can rise at most 0.6^(-1/3) - 1 = 18.6%.
        let (a, clamped) = assist_factor(0.5, 0.6, -3.0);
        assert!(clamped && a.is_finite());
    }

    #[test]
    fn assist_factor_is_continuous_and_never_falls_through_the_bound() {
        // Issue 18 (MODEL.md v1.1 amendment 2): between 0.95 bound and the bound, version 1
        // let `u` through and output jumped, then fell back at the bound.
        let (j, rho): (f64, f64) = (0.6, -3.0);
        let bound = j.powf(1.0 / rho) - 1.0;
        let mut last = f64::NEG_INFINITY;
        for i in 0..=400 {
            let u = bound * (0.8 + 0.4 * f64::from(i) / 400.0);
            let (a, clamped) = assist_factor(u, j, rho);
            let o = ces(j * 100.0, (1.0 - j) * 100.0 * (1.0 + a), j, rho, 100.0);
            assert!(o >= last - 1e-9, "u {u}: output {o} below {last}");
            assert_eq!(clamped, u > 0.95 * bound, "u {u}");
            last = o;
        }
        assert!((last - 100.0 * (1.0 + 0.95 * bound)).abs() < 1e-6);
    }
}
