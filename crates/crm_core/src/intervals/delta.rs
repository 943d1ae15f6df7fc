//! The delta method: Var f(θ̂) ≈ gᵀ Σ_u g with g the gradient of f in the log-parameters
//! u = ln θ, by central differences.

use super::{check_level, finite_prediction, log_covariance, log_scale_interval, z_of, Interval};
use crate::error::{CrmError, CrmResult};

/// The step h in each log-parameter of the central differences (f evaluated at θ_i e^±h, a
/// relative change of 0.01%). The error of a central difference is about h² f'''/6 from the
/// truncation plus ε_f |f| / h from the evaluation of f, whose relative accuracy ε_f is about
/// 1e-12 for the series behind the predictions (rather than the 1e-16 of a double): h = 1e-4
/// balances the two at about 1e-8 of the gradient, far below what matters for an interval.
pub const DELTA_STEP: f64 = 1e-4;

/// The delta-method interval of a prediction f(θ) at the estimates θ̂ with covariance Σ
/// (natural scale, as the fits report it). The gradient g of f in u = ln θ comes from central
/// differences with step [`DELTA_STEP`] (2 evaluations per parameter with a non-zero variance),
/// Σ_u = D Σ D with D = diag(1/θ̂), and sd = √(gᵀ Σ_u g). The interval is then that of a
/// normal ln f: f(θ̂) exp(±z sd / f(θ̂)) with z = Φ⁻¹((1 + level)/2), which keeps a positive
/// prediction positive (and is the same as [`super::parameter_interval`] for f(θ) = θ_i); an
/// estimate of exactly 0 gives (0, 0, 0), a negative one the mirror image of the positive case.
///
/// Errors (22023): an invalid level; estimates that are not finite and positive; a covariance
/// that is not square of their size, not symmetric (to a relative 1e-6), with a non-finite
/// entry or a negative variance, or so far from positive semi-definite that gᵀ Σ_u g < 0; the
/// errors of f (at θ̂ and at the shifted points). (22003): a prediction, gradient or bound that
/// is not finite.
pub fn delta_interval(
    estimates: &[f64],
    covariance: &[Vec<f64>],
    level: f64,
    mut f: impl FnMut(&[f64]) -> CrmResult<f64>,
) -> CrmResult<Interval> {
    check_level(level)?;
    let cov_u = log_covariance(estimates, covariance)?;
    let estimate = finite_prediction(f(estimates)?)?;
    let n = estimates.len();
    let mut gradient = vec![0.0; n];
    let mut theta = estimates.to_vec();
    let (up, down) = (DELTA_STEP.exp(), (-DELTA_STEP).exp());
    for i in 0..n {
        if cov_u[i][i] == 0.0 {
            continue;
        }
        theta[i] = estimates[i] * up;
        let above = finite_prediction(f(&theta)?)?;
        theta[i] = estimates[i] * down;
        let below = finite_prediction(f(&theta)?)?;
        theta[i] = estimates[i];
        gradient[i] = (above - below) / (2.0 * DELTA_STEP);
        if !gradient[i].is_finite() {
            return Err(CrmError::out_of_range("gradient of the prediction is not finite")
                .with_detail(format!("parameter {i}: f = {above:e} and {below:e} either side of the estimate")));
        }
    }
    let (mut variance, mut scale) = (0.0, 0.0);
    for i in 0..n {
        for j in 0..n {
            variance += gradient[i] * cov_u[i][j] * gradient[j];
            scale += (gradient[i] * cov_u[i][j] * gradient[j]).abs();
        }
    }
    // Rounding can leave a semi-definite matrix's quadratic form slightly below 0.
    if variance < 0.0 {
        if variance < -1e-9 * scale {
            return Err(CrmError::invalid("covariance matrix is not positive semi-definite")
                .with_detail(format!("the delta method's variance came out as {variance:e}"))
                .with_hint("pass the covariance matrix of a fit whose standard errors exist"));
        }
        variance = 0.0;
    }
    if !variance.is_finite() {
        return Err(CrmError::out_of_range("variance of the prediction is not finite"));
    }
    log_scale_interval(estimate, variance.sqrt(), z_of(level))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::intervals::parameter_interval;

    #[test]
    fn identity_gives_the_parameter_interval() {
        let est = [0.242594, 4.413594, 0.792919, 2.425873];
        let se: [f64; 4] = [0.012557, 0.378221, 0.185719, 0.705345];
        let mut cov = vec![vec![0.0; 4]; 4];
        for i in 0..4 {
            for j in 0..4 {
                cov[i][j] = se[i] * se[j] * if i == j { 1.0 } else { 0.3 };
            }
        }
        for i in 0..4 {
            for level in [0.5, 0.9, 0.95, 0.999] {
                let d = delta_interval(&est, &cov, level, |p| Ok(p[i])).unwrap();
                let (lo, hi) = parameter_interval(est[i], se[i], level).unwrap();
                assert_eq!(d.estimate, est[i]);
                // The central difference of e^u has relative error h²/6 = 1.7e-9, in the bounds
                // z se/θ times that.
                let tol = 2e-9 * (1.0 + se[i] / est[i] * 3.3);
                assert!((d.low - lo).abs() <= tol * lo && (d.high - hi).abs() <= tol * hi, "{i} {level}: {d:?} vs {lo} {hi}");
            }
        }
    }

    #[test]
    fn products_of_parameters_add_log_variances() {
        // f = θ0 θ1: ln f = u0 + u1, Var = Σu00 + Σu11 + 2 Σu01, exactly linear in u.
        let est = [2.0, 5.0];
        let cov = vec![vec![0.04, 0.02], vec![0.02, 0.25]];
        let d = delta_interval(&est, &cov, 0.9, |p| Ok(p[0] * p[1])).unwrap();
        let var_ln: f64 = 0.04 / 4.0 + 0.25 / 25.0 + 2.0 * 0.02 / 10.0;
        // The delta method for f itself gives sd = f · sd(ln f) (to the step's error).
        let z = 1.6448536269514722;
        let want = 10.0 * (z * var_ln.sqrt()).exp();
        assert!((d.high - want).abs() < 1e-7 * want, "{d:?} vs {want}");
        // Zero prediction and a parameter without variance.
        assert_eq!(delta_interval(&est, &cov, 0.9, |_| Ok(0.0)).unwrap(), Interval { low: 0.0, estimate: 0.0, high: 0.0 });
        let fixed = vec![vec![0.04, 0.0], vec![0.0, 0.0]];
        let d = delta_interval(&est, &fixed, 0.9, |p| Ok(p[1])).unwrap();
        assert_eq!((d.low, d.high), (5.0, 5.0));
        // A negative prediction keeps its sign.
        let d = delta_interval(&est, &cov, 0.9, |p| Ok(-p[0])).unwrap();
        assert!(d.low < -2.0 && d.high > -2.0 && d.high < 0.0, "{d:?}");
    }

    #[test]
    fn errors() {
        let est = [2.0, 5.0];
        let cov = vec![vec![0.04, 0.02], vec![0.02, 0.25]];
        let kind = |r: CrmResult<Interval>| r.unwrap_err().kind;
        assert_eq!(kind(delta_interval(&est, &cov, 1.5, |p| Ok(p[0]))), ErrorKind::InvalidParameter);
        assert_eq!(kind(delta_interval(&est, &cov[..1], 0.9, |p| Ok(p[0]))), ErrorKind::InvalidParameter);
        assert_eq!(kind(delta_interval(&est, &[vec![0.04, 0.02], vec![0.03, 0.25]], 0.9, |p| Ok(p[0]))), ErrorKind::InvalidParameter);
        assert_eq!(kind(delta_interval(&est, &[vec![0.04, 0.0], vec![0.0, -0.25]], 0.9, |p| Ok(p[0]))), ErrorKind::InvalidParameter);
        // Indefinite: correlation 2.
        let e = delta_interval(&est, &[vec![0.04, 0.2], vec![0.2, 0.25]], 0.9, |p| Ok(p[0] / p[1])).unwrap_err();
        assert_eq!(e.message, "covariance matrix is not positive semi-definite");
        assert_eq!(kind(delta_interval(&est, &cov, 0.9, |_| Ok(f64::INFINITY))), ErrorKind::OutOfRange);
        assert_eq!(kind(delta_interval(&est, &cov, 0.9, |p| Ok(if p[0] == 2.0 { 1.0 } else { f64::NAN }))), ErrorKind::OutOfRange);
        let e = delta_interval(&est, &cov, 0.9, |_| Err(CrmError::invalid("bad customer"))).unwrap_err();
        assert_eq!(e.message, "bad customer");
    }
}
