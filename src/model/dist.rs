//! Distributions a scenario may give any numeric parameter (docs/model.md 2).
//!
//! A `Dist` is built only through [`Dist::new`]-style constructors that check their
//! arguments, so the engine never meets an invalid one. This module does no I/O and owns
//! no generator: callers pass the generator in.

use rand::Rng;
use rand_distr::{Beta, Distribution, Pert, StandardNormal};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// z of the 95th percentile of the standard normal.
pub const Z95: f64 = 1.644_853_626_951_472_2;

/// The most a 95th percentile may exceed its median by in the per-event costs and
/// durations of incidents and loops (docs/model.md 4.6): validation refuses more, and a
/// draw of uncertain medians and percentiles is held to it, so no draw overflows.
pub const MAX_P95_RATIO: f64 = 1e4;

/// A validated distribution. Lognormals are stored by `mu` and `sigma` of the log but
/// remember how they were written, so a dumped scenario reads as its author wrote it.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    Fixed(f64),
    Uniform {
        lo: f64,
        hi: f64,
    },
    Pert {
        min: f64,
        mode: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    /// Written as `lognormal = [median, p95]`.
    LogNormal {
        median: f64,
        p95: f64,
    },
    /// Written as `ci90 = [p5, p95]`: the lognormal through both points.
    Ci90 {
        p5: f64,
        p95: f64,
    },
    Beta {
        a: f64,
        b: f64,
    },
    Choice {
        values: Vec<f64>,
        weights: Vec<f64>,
    },
}

/// Why a distribution's arguments were refused.
pub type DistError = String;

fn finite(xs: &[f64]) -> Result<(), DistError> {
    if xs.iter().all(|x| x.is_finite()) {
        Ok(())
    } else {
        Err("every argument must be a finite number".into())
    }
}

impl Dist {
    /// Builds a distribution from its form name and arguments, checking them.
    pub fn from_form(form: &str, args: &[f64], weights: Option<&[f64]>) -> Result<Dist, DistError> {
        finite(args)?;
        let want = |n: usize| -> Result<(), DistError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(format!("`{form}` takes {n} numbers, got {}", args.len()))
            }
        };
        if weights.is_some() && form != "choice" {
            return Err("`weights` goes only with `choice`".into());
        }
        match form {
            "fixed" => {
                want(1)?;
                Ok(Dist::Fixed(args[0]))
            }
            "uniform" => {
                want(2)?;
                if args[0] > args[1] {
                    return Err(format!(
                        "uniform [lo, hi] needs lo <= hi, got [{}, {}]",
                        echo(args[0]),
                        echo(args[1])
                    ));
                }
                Ok(Dist::Uniform {
                    lo: args[0],
                    hi: args[1],
                })
            }
            "pert" | "triangular" => {
                want(3)?;
                let (min, mode, max) = (args[0], args[1], args[2]);
                if !(min <= mode && mode <= max) {
                    return Err(format!(
                        "{form} [min, mode, max] needs min <= mode <= max, got [{}, {}, {}]",
                        echo(min),
                        echo(mode),
                        echo(max)
                    ));
                }
                if form == "pert" {
                    Ok(Dist::Pert { min, mode, max })
                } else {
                    Ok(Dist::Triangular { min, mode, max })
                }
            }
            "normal" => {
                want(2)?;
                if args[1] <= 0.0 {
                    return Err(format!(
                        "normal [mean, sd] needs sd > 0, got {}",
                        echo(args[1])
                    ));
                }
                Ok(Dist::Normal {
                    mean: args[0],
                    sd: args[1],
                })
            }
            "lognormal" => {
                want(2)?;
                let (median, p95) = (args[0], args[1]);
                if !(median > 0.0 && p95 > median) {
                    return Err(format!(
                        "lognormal [median, p95] needs 0 < median < p95, got [{}, {}]",
                        echo(median),
                        echo(p95)
                    ));
                }
                Ok(Dist::LogNormal { median, p95 })
            }
            "ci90" => {
                want(2)?;
                let (p5, p95) = (args[0], args[1]);
                if !(p5 > 0.0 && p95 > p5) {
                    return Err(format!(
                        "ci90 [p5, p95] needs 0 < p5 < p95, got [{}, {}]",
                        echo(p5),
                        echo(p95)
                    ));
                }
                Ok(Dist::Ci90 { p5, p95 })
            }
            "beta" => {
                want(2)?;
                if !(args[0] > 0.0 && args[1] > 0.0) {
                    return Err(format!(
                        "beta [a, b] needs a > 0 and b > 0, got [{}, {}]",
                        echo(args[0]),
                        echo(args[1])
                    ));
                }
                Ok(Dist::Beta {
                    a: args[0],
                    b: args[1],
                })
            }
            "choice" => {
                if args.is_empty() {
                    return Err("choice needs at least one value".into());
                }
                let weights = match weights {
                    Some(w) => {
                        finite(w)?;
                        if w.len() != args.len() {
                            return Err(format!(
                                "choice has {} values but {} weights",
                                args.len(),
                                w.len()
                            ));
                        }
                        if w.iter().any(|x| *x < 0.0) || w.iter().sum::<f64>() <= 0.0 {
                            return Err("choice weights must be >= 0 with a positive sum".into());
                        }
                        w.to_vec()
                    }
                    None => vec![1.0; args.len()],
                };
                Ok(Dist::Choice {
                    values: args.to_vec(),
                    weights,
                })
            }
            other => Err(format!(
                "unknown distribution form `{other}`; expected one of {}",
                FORMS.join(", ")
            )),
        }
    }

    /// `(mu, sigma)` of the log for the two lognormal forms.
    pub fn log_params(&self) -> Option<(f64, f64)> {
        match *self {
            Dist::LogNormal { median, p95 } => {
                let mu = median.ln();
                Some((mu, (p95.ln() - mu) / Z95))
            }
            Dist::Ci90 { p5, p95 } => {
                let mu = 0.5 * (p5.ln() + p95.ln());
                Some((mu, (p95.ln() - p5.ln()) / (2.0 * Z95)))
            }
            _ => None,
        }
    }

    /// True when the distribution has a single value.
    pub fn is_fixed(&self) -> bool {
        match self {
            Dist::Fixed(_) => true,
            Dist::Uniform { lo, hi } => lo == hi,
            Dist::Pert { min, max, .. } | Dist::Triangular { min, max, .. } => min == max,
            Dist::Choice { values, .. } => values.iter().all(|v| *v == values[0]),
            _ => false,
        }
    }

    /// Smallest and largest value a draw can take (infinite for unbounded forms).
    pub fn support(&self) -> (f64, f64) {
        match self {
            Dist::Fixed(x) => (*x, *x),
            Dist::Uniform { lo, hi } => (*lo, *hi),
            Dist::Pert { min, max, .. } | Dist::Triangular { min, max, .. } => (*min, *max),
            Dist::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Dist::LogNormal { .. } | Dist::Ci90 { .. } => (0.0, f64::INFINITY),
            Dist::Beta { .. } => (0.0, 1.0),
            Dist::Choice { values, .. } => (
                values.iter().cloned().fold(f64::INFINITY, f64::min),
                values.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
            ),
        }
    }

    /// The value point mode uses: the mode, or the median where the form has no single
    /// mode or was written by its median (uniform, lognormal, ci90, beta with a or b <= 1).
    pub fn point(&self) -> f64 {
        match self {
            Dist::Fixed(x) => *x,
            Dist::Uniform { lo, hi } => 0.5 * (lo + hi),
            Dist::Pert { mode, .. } | Dist::Triangular { mode, .. } => *mode,
            Dist::Normal { mean, .. } => *mean,
            Dist::LogNormal { median, .. } => *median,
            Dist::Ci90 { .. } => self
                .log_params()
                .map(|(mu, _)| mu.exp())
                .unwrap_or(f64::NAN),
            Dist::Beta { a, b } => {
                if *a > 1.0 && *b > 1.0 {
                    (a - 1.0) / (a + b - 2.0)
                } else {
                    use statrs::distribution::ContinuousCDF;
                    statrs::distribution::Beta::new(*a, *b)
                        .map(|d| d.inverse_cdf(0.5))
                        .unwrap_or(a / (a + b))
                }
            }
            Dist::Choice { values, weights } => {
                let mut best = 0;
                for (i, w) in weights.iter().enumerate() {
                    if *w > weights[best] {
                        best = i;
                    }
                }
                values[best]
            }
        }
    }

    /// The value at probability `u` of the distribution (its inverse CDF), for the
    /// correlated inputs' copula (`model::copula`). Beta shapes (pert, beta) use statrs'
    /// numerical inverse here; the copula tabulates them once instead.
    pub fn inverse_cdf(&self, u: f64) -> f64 {
        use statrs::distribution::ContinuousCDF;
        let u = u.clamp(0.0, 1.0);
        let std_normal = |u: f64| {
            statrs::distribution::Normal::new(0.0, 1.0)
                .map(|n| n.inverse_cdf(u))
                .unwrap_or(f64::NAN)
        };
        match self {
            Dist::Fixed(x) => *x,
            Dist::Uniform { lo, hi } => lo + (hi - lo) * u,
            Dist::Pert { min, mode, max } => {
                if min == max {
                    return *min;
                }
                let w = max - min;
                let (a, b) = (1.0 + 4.0 * (mode - min) / w, 1.0 + 4.0 * (max - mode) / w);
                statrs::distribution::Beta::new(a, b)
                    .map(|d| min + w * d.inverse_cdf(u))
                    .unwrap_or(*mode)
            }
            Dist::Triangular { min, mode, max } => {
                if min == max {
                    return *min;
                }
                let cut = (mode - min) / (max - min);
                if u < cut {
                    min + (u * (max - min) * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * (max - min) * (max - mode)).sqrt()
                }
            }
            Dist::Normal { mean, sd } => mean + sd * std_normal(u),
            Dist::LogNormal { .. } | Dist::Ci90 { .. } => {
                let (mu, sigma) = self.log_params().unwrap_or((0.0, 0.0));
                (mu + sigma * std_normal(u)).exp()
            }
            Dist::Beta { a, b } => statrs::distribution::Beta::new(*a, *b)
                .map(|d| d.inverse_cdf(u))
                .unwrap_or(0.5),
            Dist::Choice { values, weights } => {
                let total: f64 = weights.iter().sum();
                let mut left = u * total;
                for (v, w) in values.iter().zip(weights) {
                    if left < *w {
                        return *v;
                    }
                    left -= w;
                }
                values[values.len() - 1]
            }
        }
    }

    /// Draws one value. Forms that need a rejection sampler (pert, beta) use rand_distr.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Fixed(x) => *x,
            Dist::Uniform { lo, hi } => lo + (hi - lo) * rng.random::<f64>(),
            Dist::Pert { min, mode, max } => {
                if min == max {
                    *min
                } else {
                    Pert::new(*min, *max)
                        .with_mode(*mode)
                        .map(|d| d.sample(rng))
                        .unwrap_or(*mode)
                }
            }
            Dist::Triangular { min, mode, max } => {
                if min == max {
                    return *min;
                }
                let u: f64 = rng.random();
                let cut = (mode - min) / (max - min);
                if u < cut {
                    min + (u * (max - min) * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * (max - min) * (max - mode)).sqrt()
                }
            }
            Dist::Normal { mean, sd } => {
                let z: f64 = rng.sample(StandardNormal);
                mean + sd * z
            }
            Dist::LogNormal { .. } | Dist::Ci90 { .. } => {
                let (mu, sigma) = self.log_params().unwrap_or((0.0, 0.0));
                let z: f64 = rng.sample(StandardNormal);
                (mu + sigma * z).exp()
            }
            Dist::Beta { a, b } => Beta::new(*a, *b).map(|d| d.sample(rng)).unwrap_or(0.5),
            Dist::Choice { values, weights } => {
                let total: f64 = weights.iter().sum();
                let mut u = rng.random::<f64>() * total;
                for (v, w) in values.iter().zip(weights) {
                    if u < *w {
                        return *v;
                    }
                    u -= w;
                }
                values[values.len() - 1]
            }
        }
    }
}

/// A number as a message echoes it: as written for everyday sizes, in exponent form when
/// huge or tiny (`1e308`, not 309 digits).
pub fn echo(x: f64) -> String {
    if x != 0.0 && x.is_finite() && (x.abs() >= 1e15 || x.abs() < 1e-6) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// A number as docs and reports write it: `1e6`, `5e-4`, `0.0625`, `180000`.
pub fn short_number(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e6 || x.abs() < 1e-3) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

impl Dist {
    /// The distribution in words a board member can read: "0.6 to 1.8, most likely 1.1".
    pub fn describe(&self) -> String {
        let n = short_number;
        match self {
            Dist::Fixed(x) => n(*x),
            Dist::Uniform { lo, hi } => format!("anywhere from {} to {}", n(*lo), n(*hi)),
            Dist::Pert { min, mode, max } | Dist::Triangular { min, mode, max } => {
                format!("{} to {}, most likely {}", n(*min), n(*max), n(*mode))
            }
            Dist::Normal { mean, sd } => format!("around {} (s.d. {})", n(*mean), n(*sd)),
            Dist::LogNormal { median, p95 } => {
                format!("median {}, 1 in 20 above {}", n(*median), n(*p95))
            }
            Dist::Ci90 { p5, p95 } => format!("90% between {} and {}", n(*p5), n(*p95)),
            Dist::Beta { a, b } => format!("beta({}, {})", n(*a), n(*b)),
            Dist::Choice { values, .. } => {
                format!(
                    "one of {}",
                    values.iter().map(|v| n(*v)).collect::<Vec<_>>().join(", ")
                )
            }
        }
    }
}

/// The distribution forms a scenario may use, in the order the docs list them.
pub const FORMS: [&str; 9] = [
    "fixed",
    "uniform",
    "pert",
    "triangular",
    "normal",
    "lognormal",
    "ci90",
    "beta",
    "choice",
];

impl Serialize for Dist {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let pair = |s: S, k: &str, v: &[f64]| {
            let mut m = s.serialize_map(Some(1))?;
            m.serialize_entry(k, v)?;
            m.end()
        };
        match self {
            Dist::Fixed(x) => s.serialize_f64(*x),
            Dist::Uniform { lo, hi } => pair(s, "uniform", &[*lo, *hi]),
            Dist::Pert { min, mode, max } => pair(s, "pert", &[*min, *mode, *max]),
            Dist::Triangular { min, mode, max } => pair(s, "triangular", &[*min, *mode, *max]),
            Dist::Normal { mean, sd } => pair(s, "normal", &[*mean, *sd]),
            Dist::LogNormal { median, p95 } => pair(s, "lognormal", &[*median, *p95]),
            Dist::Ci90 { p5, p95 } => pair(s, "ci90", &[*p5, *p95]),
            Dist::Beta { a, b } => pair(s, "beta", &[*a, *b]),
            Dist::Choice { values, weights } => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("choice", values)?;
                m.serialize_entry("weights", weights)?;
                m.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn ci90_passes_through_its_two_points() {
        let d = Dist::from_form("ci90", &[3.0, 10.0], None).unwrap();
        let (mu, sigma) = d.log_params().unwrap();
        assert!(((mu - Z95 * sigma).exp() - 3.0).abs() < 1e-12);
        assert!(((mu + Z95 * sigma).exp() - 10.0).abs() < 1e-12);
    }

    #[test]
    fn forms_reject_bad_arguments() {
        assert!(Dist::from_form("pert", &[3.0, 2.0, 4.0], None).is_err());
        assert!(Dist::from_form("normal", &[0.0, 0.0], None).is_err());
        assert!(Dist::from_form("lognormal", &[5.0, 4.0], None).is_err());
        assert!(Dist::from_form("ci90", &[-1.0, 4.0], None).is_err());
        assert!(Dist::from_form("beta", &[0.0, 1.0], None).is_err());
        assert!(Dist::from_form("choice", &[1.0, 2.0], Some(&[1.0])).is_err());
        assert!(Dist::from_form("uniform", &[1.0, f64::NAN], None).is_err());
        assert!(Dist::from_form("gamma", &[1.0], None).is_err());
    }

    #[test]
    fn draws_stay_inside_bounded_support() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let d = Dist::from_form("triangular", &[1.0, 2.0, 5.0], None).unwrap();
        for _ in 0..10_000 {
            let x = d.sample(&mut rng);
            assert!((1.0..=5.0).contains(&x));
        }
    }

    #[test]
    fn triangular_mean_within_five_standard_errors() {
        let (a, c, b) = (1.0, 2.0, 6.0);
        let d = Dist::from_form("triangular", &[a, c, b], None).unwrap();
        let mean = (a + b + c) / 3.0;
        let var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
        let n = 200_000;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let got: f64 = (0..n).map(|_| d.sample(&mut rng)).sum::<f64>() / n as f64;
        assert!(
            (got - mean).abs() < 5.0 * (var / n as f64).sqrt(),
            "{got} vs {mean}"
        );
    }

    #[test]
    fn point_is_mode_or_median() {
        assert_eq!(
            Dist::from_form("pert", &[1.0, 2.0, 9.0], None)
                .unwrap()
                .point(),
            2.0
        );
        assert_eq!(
            Dist::from_form("uniform", &[1.0, 3.0], None)
                .unwrap()
                .point(),
            2.0
        );
        let ci = Dist::from_form("ci90", &[1.0, 100.0], None).unwrap();
        assert!((ci.point() - 10.0).abs() < 1e-12);
        let ch = Dist::from_form("choice", &[1.0, 5.0], Some(&[1.0, 3.0])).unwrap();
        assert_eq!(ch.point(), 5.0);
    }
}
