//! Draws by inversion: one uniform per count, so strategies whose rates differ still
//! stay in step on their streams (a count never shifts the draws of later months).

use rand::Rng;
use rand_distr::StandardNormal;
use statrs::function::erf::erfc_inv;

/// Inverse of the standard normal CDF.
pub fn inv_norm(u: f64) -> f64 {
    let u = u.clamp(1e-300, 1.0 - 1e-16);
    -std::f64::consts::SQRT_2 * erfc_inv(2.0 * u)
}

/// A uniform in (0, 1).
pub fn open01<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    loop {
        let u: f64 = rng.random();
        if u > 0.0 {
            return u;
        }
    }
}

/// Poisson count with mean `lambda` from one uniform: exact inversion up to a mean of
/// 200, a continuity-corrected normal above it.
pub fn poisson_inv(u: f64, lambda: f64) -> f64 {
    poisson_inv_kept(u, lambda, &mut (f64::NAN, f64::NAN))
}

/// `poisson_inv`, with `kept` the last `(lambda, e^-lambda)` it needed: a mean that does
/// not change from month to month (loops of a fixed number of agents) takes its
/// exponential once.
pub fn poisson_inv_kept(u: f64, lambda: f64, kept: &mut (f64, f64)) -> f64 {
    if lambda.is_nan() || lambda <= 0.0 {
        return 0.0;
    }
    if lambda > 200.0 {
        return (lambda + lambda.sqrt() * inv_norm(u) + 0.5)
            .floor()
            .max(0.0);
    }
    // P(N = 0) = e^-lambda >= 1 - lambda, so a uniform safely below 1 - lambda is a zero
    // count without computing the exponential; the result is the same. Only for small
    // means, where the test nearly always passes and the processor predicts it.
    if lambda < 0.05 && u < (1.0 - lambda) * (1.0 - 1e-12) {
        return 0.0;
    }
    // The first terms of the CDF are summed without a branch (the count is how many of
    // them lie below u, the CDF rising), so a count whose size the processor cannot
    // guess does not stall it; larger counts go on term by term. The terms and sums are
    // the same as term by term throughout.
    if kept.0 != lambda {
        *kept = (lambda, (-lambda).exp());
    }
    let mut p = kept.1;
    let mut cdf = p;
    let mut k = f64::from(u8::from(u > cdf));
    for i in 1..=FIRST_TERMS {
        p *= lambda / f64::from(i);
        cdf += p;
        k += f64::from(u8::from(u > cdf));
    }
    if k <= f64::from(FIRST_TERMS) {
        return k;
    }
    // u lies above the first terms: from the last of them, as term by term.
    k = f64::from(FIRST_TERMS);
    while u > cdf && p > 0.0 {
        k += 1.0;
        p *= lambda / k;
        cdf += p;
    }
    k
}

/// Terms of a count's CDF summed without a branch before going on term by term.
const FIRST_TERMS: u8 = 3;

/// Binomial count of `n` trials with chance `p` from one uniform: exact inversion while
/// the variance is at most 100, a continuity-corrected normal above it.
pub fn binomial_inv(u: f64, n: f64, p: f64) -> f64 {
    binomial_inv_kept(u, n, p, &mut (f64::NAN, f64::NAN, f64::NAN))
}

/// The chance of no success that `binomial_inv` starts its inversion from, `(1 - p)^n`
/// (only where it inverts exactly: `n` whole and above 0, `0 < p <= 0.5`, variance at
/// most 100; NaN elsewhere).
pub fn binomial_zero(n: f64, p: f64) -> f64 {
    let n = n.max(0.0).round();
    if n == 0.0 || p <= 0.0 || p > 0.5 || n * p * (1.0 - p) > 100.0 {
        return f64::NAN;
    }
    (n * (1.0 - p).ln()).exp()
}

/// `binomial_inv`, with `kept` the last `(n, p, binomial_zero(n, p))` it needed: as for
/// `poisson_inv_kept`, a headcount and chance that do not change from month to month take
/// their power once.
pub fn binomial_inv_kept(u: f64, n: f64, p: f64, kept: &mut (f64, f64, f64)) -> f64 {
    let n = n.max(0.0).round();
    if n == 0.0 || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return n;
    }
    if p > 0.5 {
        return n - binomial_inv(1.0 - u, n, 1.0 - p);
    }
    let var = n * p * (1.0 - p);
    if var > 100.0 {
        return (n * p + var.sqrt() * inv_norm(u) + 0.5)
            .floor()
            .clamp(0.0, n);
    }
    let ratio = p / (1.0 - p);
    // As for `poisson_inv`: the first terms without a branch. Term j counts when the
    // search would step past j: u above the CDF at j, j below n, and no term up to j
    // having vanished.
    if (kept.0, kept.1) != (n, p) {
        *kept = (n, p, binomial_zero(n, p));
    }
    let mut pk = kept.2;
    let mut cdf = pk;
    let mut k = f64::from(u8::from(u > cdf));
    let mut alive = true;
    for j in 1..=FIRST_TERMS {
        let j = f64::from(j);
        pk *= (n - (j - 1.0)) / j * ratio;
        cdf += pk;
        alive &= pk > 0.0 && j < n;
        k += f64::from(u8::from(alive && u > cdf));
    }
    if k <= f64::from(FIRST_TERMS) {
        return k;
    }
    // u lies above the first terms: from the last of them, as term by term.
    k = f64::from(FIRST_TERMS);
    while u > cdf && k < n {
        pk *= (n - k) / (k + 1.0) * ratio;
        k += 1.0;
        cdf += pk;
        if pk <= 0.0 {
            break;
        }
    }
    k
}

/// A lognormal draw with log-mean `mu` and log-s.d. `sigma`.
pub fn lognormal<R: Rng + ?Sized>(rng: &mut R, mu: f64, sigma: f64) -> f64 {
    let z: f64 = rng.sample(StandardNormal);
    (mu + sigma * z).exp()
}

/// `(mu, sigma)` of the lognormal with this median and 95th percentile, the 95th
/// percentile held to at most `model::dist::MAX_P95_RATIO` times the median.
pub fn log_params(median: f64, p95: f64) -> (f64, f64) {
    if median <= 0.0 {
        return (f64::NEG_INFINITY, 0.0);
    }
    let mu = median.ln();
    let ratio = (p95 / median).clamp(1.0, crate::model::dist::MAX_P95_RATIO);
    (mu, ratio.ln() / crate::model::dist::Z95)
}

/// Mean of a lognormal.
pub fn lognormal_mean(mu: f64, sigma: f64) -> f64 {
    (mu + 0.5 * sigma * sigma).exp()
}

/// `E[min(X, b)]` for a lognormal X: the expected cost of a loop under a kill switch.
pub fn capped_lognormal_mean(mu: f64, sigma: f64, cap: f64) -> f64 {
    if !cap.is_finite() {
        return lognormal_mean(mu, sigma);
    }
    if cap <= 0.0 {
        return 0.0;
    }
    if sigma == 0.0 {
        return mu.exp().min(cap);
    }
    let phi = |x: f64| 0.5 * statrs::function::erf::erfc(-x / std::f64::consts::SQRT_2);
    let lc = cap.ln();
    lognormal_mean(mu, sigma) * phi((lc - mu - sigma * sigma) / sigma)
        + cap * (1.0 - phi((lc - mu) / sigma))
}

/// `(E[min(X, b)], Var[min(X, b)])` for a lognormal X: the moments of a capped size.
pub fn capped_lognormal_moments(mu: f64, sigma: f64, cap: f64) -> (f64, f64) {
    let mean = capped_lognormal_mean(mu, sigma, cap);
    let phi = |x: f64| 0.5 * statrs::function::erf::erfc(-x / std::f64::consts::SQRT_2);
    let second = if sigma == 0.0 {
        mu.exp().min(cap).powi(2)
    } else if cap.is_finite() {
        let lc = cap.ln();
        (2.0 * mu + 2.0 * sigma * sigma).exp() * phi((lc - mu - 2.0 * sigma * sigma) / sigma)
            + cap * cap * (1.0 - phi((lc - mu) / sigma))
    } else {
        (2.0 * mu + 2.0 * sigma * sigma).exp()
    };
    (mean, (second - mean * mean).max(0.0))
}

/// Above this many events a month, the sum of their sizes is drawn from its normal
/// approximation (central limit) instead of one draw per event.
pub const SUM_BY_EVENTS: f64 = 1000.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_inversion_matches_its_cdf() {
        // P(N <= 1) for mean 2 is 3 e^-2 = 0.40601; just below and above it.
        assert_eq!(poisson_inv(0.406, 2.0), 1.0);
        assert_eq!(poisson_inv(0.407, 2.0), 2.0);
        assert_eq!(poisson_inv(0.5, 0.0), 0.0);
    }

    #[test]
    fn poisson_inversion_equals_the_term_by_term_search() {
        let by_terms = |u: f64, lambda: f64| {
            let (mut k, mut p) = (0.0, (-lambda).exp());
            let mut cdf = p;
            while u > cdf && p > 0.0 {
                k += 1.0;
                p *= lambda / k;
                cdf += p;
            }
            k
        };
        let mut z = 7u64;
        let mut kept = (f64::NAN, f64::NAN);
        for lambda in [1e-9, 0.01, 0.049, 0.05, 0.3, 1.0, 2.5, 7.0, 30.0, 150.0] {
            for _ in 0..20_000 {
                z = super::super::rng::splitmix64(z);
                let u = ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
                assert_eq!(
                    poisson_inv(u, lambda),
                    by_terms(u, lambda),
                    "u {u} mean {lambda}"
                );
                assert_eq!(
                    poisson_inv_kept(u, lambda, &mut kept),
                    by_terms(u, lambda),
                    "u {u} mean {lambda}, kept"
                );
            }
        }
    }

    #[test]
    fn binomial_inversion_equals_the_term_by_term_search() {
        let by_terms = |u: f64, n: f64, p: f64| {
            let n = n.round();
            let ratio = p / (1.0 - p);
            let (mut k, mut pk) = (0.0, binomial_zero(n, p));
            let mut cdf = pk;
            while u > cdf && k < n {
                pk *= (n - k) / (k + 1.0) * ratio;
                k += 1.0;
                cdf += pk;
                if pk <= 0.0 {
                    break;
                }
            }
            k
        };
        let mut z = 11u64;
        let mut kept = (f64::NAN, f64::NAN, f64::NAN);
        for (n, p) in [
            (1.0, 0.3),
            (1.0, 0.1),
            (2.0, 0.5),
            (2.0, 0.29),
            (3.0, 0.175),
            (3.0, 0.45),
            (4.0, 0.4),
            (12.0, 1e-300),
            (40.0, 0.0125),
            (100.0, 0.01),
            (250.0, 0.2),
            (1000.0, 0.05),
        ] {
            // The largest uniforms too: at n 2, p 0.29 and n 3, p 0.175 the rounded CDF
            // of every count stays below them.
            for i in 0..20_000u64 {
                z = super::super::rng::splitmix64(z);
                let u = if i < 64 {
                    1.0 - (i + 1) as f64 * f64::EPSILON / 2.0
                } else {
                    ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64
                };
                assert_eq!(
                    binomial_inv(u, n, p),
                    by_terms(u, n, p),
                    "u {u} n {n} p {p}"
                );
                assert_eq!(
                    binomial_inv_kept(u, n, p, &mut kept),
                    by_terms(u, n, p),
                    "u {u} n {n} p {p}, kept"
                );
            }
        }
    }

    #[test]
    fn binomial_inversion_is_bounded_and_symmetric() {
        assert_eq!(
            binomial_inv(0.999_999, 10.0, 0.3),
            10.0_f64.min(binomial_inv(0.999_999, 10.0, 0.3))
        );
        assert_eq!(binomial_inv(0.5, 10.0, 1.0), 10.0);
        let big = binomial_inv(0.5, 1e7, 0.01);
        assert!((big - 1e5).abs() <= 1.0, "{big}");
    }

    #[test]
    fn capped_mean_lies_between_zero_and_the_cap_and_the_mean() {
        let (mu, s) = log_params(3000.0, 47000.0);
        let m = capped_lognormal_mean(mu, s, 500.0);
        assert!(m > 0.0 && m < 500.0);
        let full = capped_lognormal_mean(mu, s, f64::INFINITY);
        assert!((full - lognormal_mean(mu, s)).abs() < 1e-9);
        assert!(capped_lognormal_mean(mu, s, 1e12) <= full);
        assert!((capped_lognormal_mean(mu, s, 1e12) - full).abs() / full < 1e-6);
    }

    #[test]
    fn capped_moments_match_their_definition() {
        let (mu, s) = log_params(30.0, 300.0);
        let (m, v) = capped_lognormal_moments(mu, s, f64::INFINITY);
        assert!((m - lognormal_mean(mu, s)).abs() < 1e-9);
        assert!((v - (s * s).exp_m1() * m * m).abs() / v < 1e-9);
        let (m, v) = capped_lognormal_moments(mu, s, 0.0001);
        assert!(m <= 0.0001 && v < 1e-8);
    }

    #[test]
    fn inverse_normal_is_accurate() {
        assert!((inv_norm(0.975) - 1.959_963_984_540_054).abs() < 1e-9);
        assert!(inv_norm(0.5).abs() < 1e-12);
    }
}
