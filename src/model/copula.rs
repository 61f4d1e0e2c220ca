//! Correlated inputs (docs/model.md 2): a Gaussian copula over uncertain parameters that
//! the scenario declares rank-correlated. A rank correlation `r` becomes the normal
//! correlation `2 sin(pi r / 6)`; the matrix of those is factored (Cholesky) once, here,
//! and refused where it is not positive definite. On a path, independent standard normals
//! (one per member, drawn by the engine) become correlated normals through the factor,
//! uniforms through the normal CDF, and each member's value through the inverse CDF of
//! its own distribution (`Dist::inverse_cdf`), so each marginal is unchanged.
//!
//! Numbers only: no generator, no I/O.

use super::dist::Dist;
use std::sync::Arc;

/// The correlated parameters of a scenario, with the factor of their normal correlation.
#[derive(Clone, Debug, PartialEq)]
pub struct Copula {
    /// The members' keys, in the order of the matrix.
    pub keys: Vec<String>,
    /// The stream id each member's independent normal is drawn from.
    pub streams: Vec<u64>,
    /// Lower-triangular Cholesky factor of the normal correlation, row-major `n x n`.
    factor: Vec<f64>,
    /// Each member's inverse CDF.
    inverse: Vec<Inverse>,
}

/// A member of a copula, as a parameter carries it.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub copula: Arc<Copula>,
    pub index: usize,
}

/// Why a matrix of rank correlations was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum CopulaError {
    /// The matrix is not positive definite; the pivot of this member is not above 0.
    NotPositiveDefinite { at: usize },
}

impl Copula {
    /// Builds the copula of members `(key, stream, dist)` with rank correlations `ranks`
    /// (`(i, j, r)`, `i != j`, every `r` in [-1, 1]; pairs not given are 0).
    pub fn new(
        members: Vec<(String, u64, Dist)>,
        ranks: &[(usize, usize, f64)],
    ) -> Result<Copula, CopulaError> {
        let n = members.len();
        let mut c = vec![0.0; n * n];
        for i in 0..n {
            c[i * n + i] = 1.0;
        }
        for &(i, j, r) in ranks {
            let rho = 2.0 * (std::f64::consts::PI * r / 6.0).sin();
            c[i * n + j] = rho;
            c[j * n + i] = rho;
        }
        let factor = cholesky(&c, n).map_err(|at| CopulaError::NotPositiveDefinite { at })?;
        let (mut keys, mut streams, mut inverse) = (Vec::new(), Vec::new(), Vec::new());
        for (key, stream, dist) in members {
            keys.push(key);
            streams.push(stream);
            inverse.push(Inverse::of(&dist));
        }
        Ok(Copula {
            keys,
            streams,
            factor,
            inverse,
        })
    }

    /// Members.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Member `i`'s value from the first `i + 1` independent standard normals of a path.
    pub fn value(&self, i: usize, normals: &[f64]) -> f64 {
        let n = self.len();
        let z: f64 = (0..=i).map(|j| self.factor[i * n + j] * normals[j]).sum();
        self.inverse[i].at(normal_cdf(z))
    }
}

/// The Cholesky factor of the symmetric `n x n` matrix `a`, or the first member whose
/// pivot is not positive.
fn cholesky(a: &[f64], n: usize) -> Result<Vec<f64>, usize> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            if i == j {
                let d = a[i * n + i] - s;
                if d <= 1e-10 {
                    return Err(i);
                }
                l[i * n + i] = d.sqrt();
            } else {
                l[i * n + j] = (a[i * n + j] - s) / l[j * n + j];
            }
        }
    }
    Ok(l)
}

/// The standard normal CDF.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-z / std::f64::consts::SQRT_2)
}

/// Points in the tabulated CDF of a beta-shaped member.
const TABLE: usize = 8192;

/// An inverse CDF: closed form where the form has one; for the beta shapes (PERT and
/// beta) the CDF tabulated at `TABLE + 1` points crowded toward both ends and inverted
/// by interpolation, accurate to about 2e-4 in probability.
#[derive(Clone, Debug, PartialEq)]
enum Inverse {
    Exact(Dist),
    Table {
        lo: f64,
        hi: f64,
        x: Vec<f64>,
        cdf: Vec<f64>,
    },
}

impl Inverse {
    fn of(dist: &Dist) -> Inverse {
        let (a, b, lo, hi) = match *dist {
            Dist::Pert { min, mode, max } if max > min => {
                let w = max - min;
                (
                    1.0 + 4.0 * (mode - min) / w,
                    1.0 + 4.0 * (max - mode) / w,
                    min,
                    max,
                )
            }
            Dist::Beta { a, b } => (a, b, 0.0, 1.0),
            _ => return Inverse::Exact(dist.clone()),
        };
        let Ok(beta) = statrs::distribution::Beta::new(a, b) else {
            return Inverse::Exact(dist.clone());
        };
        use statrs::distribution::ContinuousCDF;
        let x: Vec<f64> = (0..=TABLE)
            .map(|i| 0.5 * (1.0 - (std::f64::consts::PI * i as f64 / TABLE as f64).cos()))
            .collect();
        let cdf = x.iter().map(|x| beta.cdf(*x)).collect();
        Inverse::Table { lo, hi, x, cdf }
    }

    fn at(&self, u: f64) -> f64 {
        match self {
            Inverse::Exact(d) => d.inverse_cdf(u),
            Inverse::Table { lo, hi, x, cdf } => {
                let k = cdf.partition_point(|c| *c <= u).clamp(1, TABLE);
                let (c0, c1) = (cdf[k - 1], cdf[k]);
                let t = if c1 > c0 { (u - c0) / (c1 - c0) } else { 0.0 };
                let y = x[k - 1] + t.clamp(0.0, 1.0) * (x[k] - x[k - 1]);
                lo + (hi - lo) * y
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matrix_that_is_not_positive_definite_is_refused() {
        let d = Dist::Uniform { lo: 0.0, hi: 1.0 };
        let m = |k: &str| (k.to_string(), 0, d.clone());
        // a~b and b~c strongly, a~c strongly negative: no such three variables.
        let err = Copula::new(
            vec![m("a"), m("b"), m("c")],
            &[(0, 1, 0.9), (1, 2, 0.9), (0, 2, -0.9)],
        );
        assert_eq!(err, Err(CopulaError::NotPositiveDefinite { at: 2 }));
        assert!(Copula::new(vec![m("a"), m("b")], &[(0, 1, 0.5)]).is_ok());
    }

    #[test]
    fn the_tabulated_pert_inverse_matches_its_cdf() {
        let d = Dist::Pert {
            min: 3.0,
            mode: 5.0,
            max: 7.0,
        };
        let inv = Inverse::of(&d);
        // PERT [3, 5, 7] is a beta(3, 3) on [3, 7]: symmetric about 5.
        assert!((inv.at(0.5) - 5.0).abs() < 1e-3);
        assert!((inv.at(0.1) + inv.at(0.9) - 10.0).abs() < 1e-3);
        assert_eq!(inv.at(0.0), 3.0);
        assert_eq!(inv.at(1.0), 7.0);
    }
}
