//! Intervals for fitted parameters and for per-customer predictions under parameter
//! uncertainty.
//!
//! A fit gives estimates θ̂ (all positive) and, when the Hessian of the log-likelihood is
//! negative definite, their covariance Σ (the inverse of minus that Hessian, in the natural
//! parameters). Everything here works on the log-parameters u = ln θ, the scale on which the
//! fits optimise: by the delta method for ln, Cov(û) = Σ_u = D Σ D with D = diag(1/θ̂).
//! Log scale because the parameters are positive: an interval built there never reaches 0 or
//! below, and the likelihood of shape parameters (r, a, b, s, ...) is much closer to quadratic
//! in ln θ than in θ (their estimates are right-skewed), so the intervals cover better.
//!
//! - [`parameter_interval`]: the Wald interval of one parameter, exp(ln θ̂ ± z se/θ̂).
//! - [`delta_interval`]: the delta method for any prediction f(θ), with the gradient in u by
//!   central differences.
//! - [`bootstrap_interval`]: a parametric bootstrap, u ~ N(ln θ̂, Σ_u) and the quantiles of
//!   f(exp u); [`parameter_draws`] and [`interval_from_draws`] split it for callers that draw
//!   once per model and score many customers, with the same result.
//! - [`expected_purchases_interval`] and [`clv_interval`]: the two predictions of the SQL layer,
//!   with a method chosen by [`IntervalMethod`].
//! - [`coverage`]: the simulation study that checks the parameter intervals' coverage.
//!
//! These are intervals for the *expected* value given a customer's history, reflecting only
//! the uncertainty of the estimates, not prediction intervals for the purchases a customer will
//! make (those would add the randomness of the purchase process itself).
//!
//! A folder of its own, not part of [`crate::clv`]: the intervals are for the parameters and
//! any prediction of any model, the CLV is one of them. The inverse normal distribution function
//! they need is a numerical tool, [`crate::math::normal`].

// Small dense matrices read best with explicit indices.
#![allow(clippy::needless_range_loop)]

mod bootstrap;
pub mod coverage;
mod delta;
mod predictions;

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, CrmResult};
use crate::math::normal::normal_quantile;

pub use bootstrap::{bootstrap_interval, check_draws, interval_from_draws, parameter_draws, quantile_interval, MAX_DRAWS, MIN_DRAWS};
pub use delta::{delta_interval, DELTA_STEP};
pub use predictions::{clv_interval, expected_purchases_interval, IntervalMethod};

/// An interval around an estimate: `low <= high`, and for the delta method and parameter
/// intervals also `low <= estimate <= high`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub estimate: f64,
    pub high: f64,
}

/// Checks a confidence level: finite and strictly between 0 and 1; Err (22023) otherwise.
pub fn check_level(level: f64) -> CrmResult<()> {
    if level.is_finite() && level > 0.0 && level < 1.0 {
        return Ok(());
    }
    Err(CrmError::invalid(format!("level must be between 0 and 1 (exclusive), got {level}"))
        .with_hint("the level is a probability: 0.9 gives a 90% interval"))
}

/// z = Φ⁻¹((1 + level) / 2) of a valid level: the half-width of a two-sided interval in
/// standard deviations (1.6449 for 90%, 1.9600 for 95%).
pub(crate) fn z_of(level: f64) -> f64 {
    normal_quantile((1.0 + level) / 2.0)
}

/// The Wald interval of a positive parameter on the log scale: exp(ln θ ± z se/θ) with
/// z = Φ⁻¹((1 + level)/2), se/θ being the standard error of ln θ (delta method). See the module
/// documentation for why the log scale: the interval stays above 0 and, since the estimates of
/// shape parameters are right-skewed, it covers the true value more nearly as often as stated
/// than θ ± z se does. Errors (22023): an invalid level, an estimate that is not finite and
/// positive, a standard error that is not finite and non-negative; (22003) an interval that
/// overflows (se/θ in the hundreds).
pub fn parameter_interval(estimate: f64, std_error: f64, level: f64) -> CrmResult<(f64, f64)> {
    check_level(level)?;
    if !(estimate.is_finite() && estimate > 0.0) {
        return Err(CrmError::invalid("parameter estimate must be a finite positive number").with_detail(format!("got {estimate}")));
    }
    if !(std_error.is_finite() && std_error >= 0.0) {
        return Err(CrmError::invalid("standard error must be a finite non-negative number").with_detail(format!("got {std_error}")));
    }
    let i = log_scale_interval(estimate, std_error, z_of(level))?;
    Ok((i.low, i.high))
}

/// The interval estimate · exp(±z sd/|estimate|) of an estimate with standard deviation `sd`:
/// the normal interval of ln |estimate| (keeps the sign, and a positive prediction positive);
/// (0, 0, 0) for an estimate of 0. Err (22003) when a bound is not finite.
pub(crate) fn log_scale_interval(estimate: f64, sd: f64, z: f64) -> CrmResult<Interval> {
    if estimate == 0.0 {
        return Ok(Interval { low: 0.0, estimate, high: 0.0 });
    }
    let w = z * sd / estimate.abs();
    let (a, b) = (estimate * (-w).exp(), estimate * w.exp());
    let i = Interval { low: a.min(b), estimate, high: a.max(b) };
    if i.low.is_finite() && i.high.is_finite() {
        Ok(i)
    } else {
        Err(CrmError::out_of_range("interval is out of range for double precision")
            .with_detail(format!("estimate {estimate:e}, standard deviation {sd:e}"))
            .with_hint("the standard error is hundreds of times the estimate: the data say almost nothing about it"))
    }
}

/// The block-diagonal matrix [[a, 0], [0, b]]: the covariance of the estimates of two
/// independently fitted models (a purchase model and the Gamma-Gamma spend model, for a CLV)
/// with their parameters concatenated in that order. Each block is taken as square of its
/// number of rows (check the shapes first: longer rows are cut, shorter ones padded with 0).
pub fn block_diagonal(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = a.len() + b.len();
    let mut m = vec![vec![0.0; n]; n];
    for (i, row) in a.iter().enumerate() {
        for (j, &v) in row.iter().enumerate().take(a.len()) {
            m[i][j] = v;
        }
    }
    for (i, row) in b.iter().enumerate() {
        for (j, &v) in row.iter().enumerate().take(b.len()) {
            m[a.len() + i][a.len() + j] = v;
        }
    }
    m
}

/// A fit's covariance matrix (`[[f64; N]; N]`, as in `BgNbdFit` and `MleFit`) as rows.
pub fn covariance_rows<const N: usize>(c: &[[f64; N]; N]) -> Vec<Vec<f64>> {
    c.iter().map(|row| row.to_vec()).collect()
}

/// Relative tolerance of the symmetry check: |Σ_ij - Σ_ji| <= SYMMETRY_TOLERANCE √(Σ_ii Σ_jj).
/// Loose enough for a matrix written out to 7 significant digits.
const SYMMETRY_TOLERANCE: f64 = 1e-6;

/// Checks estimates (finite, positive) and their covariance (square of their size, finite
/// entries, non-negative variances, symmetric to [`SYMMETRY_TOLERANCE`]) and returns the
/// covariance of the log-parameters, Σ_u = D Σ D with D = diag(1/θ), symmetrised. Errors 22023.
pub(crate) fn log_covariance(estimates: &[f64], covariance: &[Vec<f64>]) -> CrmResult<Vec<Vec<f64>>> {
    let n = estimates.len();
    if n == 0 {
        return Err(CrmError::invalid("an interval needs at least one parameter estimate"));
    }
    if let Some((i, v)) = estimates.iter().enumerate().find(|(_, v)| !(v.is_finite() && **v > 0.0)) {
        return Err(CrmError::invalid("parameter estimates must be finite positive numbers").with_detail(format!("estimate {i} is {v}")));
    }
    let shape = || CrmError::invalid(format!("covariance matrix must be {n} x {n} for {n} parameter estimates"));
    if covariance.len() != n {
        return Err(shape().with_detail(format!("got {} rows", covariance.len())));
    }
    if let Some((i, row)) = covariance.iter().enumerate().find(|(_, row)| row.len() != n) {
        return Err(shape().with_detail(format!("row {i} has {} entries", row.len())));
    }
    for i in 0..n {
        for j in 0..n {
            let v = covariance[i][j];
            if !v.is_finite() {
                return Err(CrmError::invalid("covariance matrix entries must be finite").with_detail(format!("entry [{i}][{j}] is {v}")));
            }
        }
        if covariance[i][i] < 0.0 {
            return Err(CrmError::invalid("covariance matrix has a negative variance")
                .with_detail(format!("entry [{i}][{i}] is {}", covariance[i][i])));
        }
    }
    let mut u = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            let (a, b) = (covariance[i][j], covariance[j][i]);
            if (a - b).abs() > SYMMETRY_TOLERANCE * (covariance[i][i] * covariance[j][j]).sqrt() {
                return Err(CrmError::invalid("covariance matrix must be symmetric")
                    .with_detail(format!("entry [{i}][{j}] is {a} but [{j}][{i}] is {b}")));
            }
            u[i][j] = 0.5 * (a + b) / (estimates[i] * estimates[j]);
        }
    }
    Ok(u)
}

/// `v` when finite, else Err (22003).
pub(crate) fn finite_prediction(v: f64) -> CrmResult<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(CrmError::out_of_range("prediction is not finite").with_detail(format!("got {v}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn levels_are_checked() {
        for level in [0.5, 0.9, 0.95, 1e-9, 1.0 - 1e-12] {
            assert!(check_level(level).is_ok(), "{level}");
        }
        for level in [0.0, 1.0, 1.5, -0.1, f64::NAN, f64::INFINITY] {
            let e = check_level(level).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidParameter);
            assert!(e.message.starts_with("level must be between 0 and 1 (exclusive), got"), "{}", e.message);
            assert!(e.hint.is_some());
        }
        assert_eq!(check_level(1.5).unwrap_err().message, "level must be between 0 and 1 (exclusive), got 1.5");
    }

    #[test]
    fn parameter_intervals_are_log_scale_wald_intervals() {
        let (lo, hi) = parameter_interval(2.0, 0.5, 0.95).unwrap();
        let z = 1.959963984540054;
        assert!((lo - 2.0 * (-z * 0.25f64).exp()).abs() < 1e-14);
        assert!((hi - 2.0 * (z * 0.25f64).exp()).abs() < 1e-14);
        // Symmetric on the log scale, never below 0, even for a standard error above the estimate.
        assert!((lo * hi - 4.0).abs() < 1e-13);
        let (lo, hi) = parameter_interval(0.1, 1.0, 0.9).unwrap();
        assert!(lo > 0.0 && hi > 1.0);
        assert_eq!(parameter_interval(3.0, 0.0, 0.9).unwrap(), (3.0, 3.0));
        assert_eq!(parameter_interval(0.0, 1.0, 0.9).unwrap_err().kind, ErrorKind::InvalidParameter);
        assert_eq!(parameter_interval(1.0, -1.0, 0.9).unwrap_err().kind, ErrorKind::InvalidParameter);
        assert_eq!(parameter_interval(1.0, f64::NAN, 0.9).unwrap_err().kind, ErrorKind::InvalidParameter);
        assert_eq!(parameter_interval(1.0, 0.1, 1.0).unwrap_err().kind, ErrorKind::InvalidParameter);
        assert_eq!(parameter_interval(1.0, 1e3, 0.9).unwrap_err().kind, ErrorKind::OutOfRange);
    }

    #[test]
    fn block_diagonal_places_both_blocks() {
        let a = vec![vec![1.0, 2.0], vec![2.0, 5.0]];
        let b = vec![vec![7.0]];
        assert_eq!(block_diagonal(&a, &b), vec![vec![1.0, 2.0, 0.0], vec![2.0, 5.0, 0.0], vec![0.0, 0.0, 7.0]]);
        assert_eq!(block_diagonal(&[], &b), b);
        assert_eq!(covariance_rows(&[[1.0, 2.0], [3.0, 4.0]]), vec![vec![1.0, 2.0], vec![3.0, 4.0]]);
    }

    #[test]
    fn covariances_are_validated() {
        let est = [1.0, 2.0];
        let good = vec![vec![0.04, 0.01], vec![0.01, 0.09]];
        let u = log_covariance(&est, &good).unwrap();
        assert!((u[0][1] - 0.005).abs() < 1e-15 && (u[1][1] - 0.0225).abs() < 1e-15);
        let bad: [(Vec<Vec<f64>>, &str); 5] = [
            (vec![vec![0.04, 0.01]], "covariance matrix must be 2 x 2 for 2 parameter estimates"),
            (vec![vec![0.04, 0.01], vec![0.01]], "covariance matrix must be 2 x 2 for 2 parameter estimates"),
            (vec![vec![0.04, 0.01], vec![0.02, 0.09]], "covariance matrix must be symmetric"),
            (vec![vec![-0.04, 0.0], vec![0.0, 0.09]], "covariance matrix has a negative variance"),
            (vec![vec![0.04, f64::NAN], vec![0.01, 0.09]], "covariance matrix entries must be finite"),
        ];
        for (cov, message) in bad {
            let e = log_covariance(&est, &cov).unwrap_err();
            assert_eq!((e.kind, e.message.as_str()), (ErrorKind::InvalidParameter, message), "{cov:?}");
        }
        assert!(log_covariance(&[1.0, 0.0], &good).is_err());
        assert!(log_covariance(&[], &[]).is_err());
        // Rounded to 7 digits is still symmetric enough.
        assert!(log_covariance(&est, &[vec![0.04, 0.0100000], vec![0.0100000004, 0.09]]).is_ok());
    }
}
