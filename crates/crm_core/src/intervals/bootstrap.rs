//! The parametric bootstrap: parameters drawn from the estimates' approximate sampling
//! distribution, u = ln θ ~ N(ln θ̂, Σ_u), and the empirical quantiles of the prediction over
//! the draws.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::{check_level, finite_prediction, log_covariance, Interval};
use crate::error::{CrmError, CrmResult};
use crate::rfm::quantile::quantile_numpy;

/// Fewest and most draws of a bootstrap.
pub const MIN_DRAWS: u32 = 10;
pub const MAX_DRAWS: u32 = 1_000_000;

/// Draws between two calls of the interrupt callback.
const CHECK_DRAWS: usize = 1000;

/// Checks a number of bootstrap draws: [`MIN_DRAWS`] to [`MAX_DRAWS`]; Err (22023) otherwise.
pub fn check_draws(draws: u32) -> CrmResult<()> {
    if (MIN_DRAWS..=MAX_DRAWS).contains(&draws) {
        return Ok(());
    }
    Err(CrmError::invalid(format!("draws must be between {MIN_DRAWS} and {MAX_DRAWS}, got {draws}"))
        .with_hint("1,000 draws give 90% bounds to about 2% of their width, 10,000 to under 1%"))
}

/// The lower Cholesky factor L (L Lᵀ = a) of a symmetric matrix, or None when it is not
/// positive definite (a pivot not > 0).
fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s = a[i][j] - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>();
            if i == j {
                if !(s > 0.0 && s.is_finite()) {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    Some(l)
}

/// `draws` parameter vectors θ = exp(u), u ~ N(ln θ̂, Σ_u) with Σ_u = D Σ D, D = diag(1/θ̂)
/// (`covariance` Σ in natural parameters, as the fits report it): u = ln θ̂ + L z with L the
/// Cholesky factor of Σ_u and z standard normal, one ChaCha8 stream seeded with `seed` drawing
/// the components of z in parameter order, draw after draw. So the result is a function of
/// the arguments alone, and the first k draws of a longer run are those of a shorter one.
///
/// Errors (22023): `draws` outside [`MIN_DRAWS`]..=[`MAX_DRAWS`], the estimates and covariance
/// checks of [`super::delta_interval`], and a covariance that is not positive definite.
pub fn parameter_draws(estimates: &[f64], covariance: &[Vec<f64>], draws: u32, seed: u64) -> CrmResult<Vec<Vec<f64>>> {
    check_draws(draws)?;
    let cov_u = log_covariance(estimates, covariance)?;
    let l = cholesky(&cov_u).ok_or_else(|| {
        CrmError::invalid("covariance matrix is not positive definite")
            .with_detail("the parametric bootstrap draws parameters from a normal distribution with this covariance")
            .with_hint("use a fit whose standard errors exist, or the delta method (it accepts a semi-definite matrix)")
    })?;
    let n = estimates.len();
    let mean: Vec<f64> = estimates.iter().map(|v| v.ln()).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut z = vec![0.0; n];
    let mut out = Vec::with_capacity(draws as usize);
    for _ in 0..draws {
        for zi in z.iter_mut() {
            *zi = StandardNormal.sample(&mut rng);
        }
        out.push((0..n).map(|i| (mean[i] + (0..=i).map(|j| l[i][j] * z[j]).sum::<f64>()).exp()).collect());
    }
    Ok(out)
}

/// The interval of `estimate` by the empirical quantiles of `values` (sorted in place) at
/// (1 - level)/2 and (1 + level)/2, linearly interpolated (type 7, numpy's default method,
/// [`quantile_numpy`]). `level` as [`super::check_level`] accepts it and finite `values`;
/// NaN bounds for no values (or values too far apart to interpolate between).
pub fn quantile_interval(values: &mut [f64], estimate: f64, level: f64) -> Interval {
    values.sort_by(f64::total_cmp);
    let q = |p: f64| quantile_numpy(values, p).unwrap_or(f64::NAN);
    Interval { low: q((1.0 - level) / 2.0), estimate, high: q((1.0 + level) / 2.0) }
}

/// The bootstrap interval of f over parameter draws (from [`parameter_draws`]): estimate
/// f(θ̂), bounds the [`quantile_interval`] of f over the draws. Draws for which f fails (an
/// error or a non-finite value, such as parameters the model rejects) are skipped; when more
/// than half fail, the first failure is the error. `check_interrupt` is called every 1,000
/// draws. Errors: an invalid level (22023), those of f at θ̂, a non-finite bound (22003).
pub fn interval_from_draws(
    estimates: &[f64],
    draws: &[Vec<f64>],
    level: f64,
    check_interrupt: &mut dyn FnMut(),
    mut f: impl FnMut(&[f64]) -> CrmResult<f64>,
) -> CrmResult<Interval> {
    check_level(level)?;
    let estimate = finite_prediction(f(estimates)?)?;
    let mut values = Vec::with_capacity(draws.len());
    let (mut failed, mut first_error) = (0usize, None);
    for (k, theta) in draws.iter().enumerate() {
        if k % CHECK_DRAWS == 0 {
            check_interrupt();
        }
        match f(theta).and_then(finite_prediction) {
            Ok(v) => values.push(v),
            Err(e) => {
                failed += 1;
                first_error.get_or_insert(e);
            }
        }
    }
    if let Some(e) = first_error {
        if 2 * failed > draws.len() {
            return Err(e);
        }
    }
    let i = quantile_interval(&mut values, estimate, level);
    if i.low.is_finite() && i.high.is_finite() {
        Ok(i)
    } else {
        Err(CrmError::out_of_range("bootstrap interval is out of range for double precision").with_detail(format!(
            "{} of {} draws evaluated",
            values.len(),
            draws.len()
        )))
    }
}

/// The parametric-bootstrap interval of a prediction f(θ): [`parameter_draws`] (`draws`
/// parameter vectors from N(ln θ̂, Σ_u), seeded with `seed`) then [`interval_from_draws`]. The
/// bounds are the (1 ± level)/2 quantiles of f over the draws, the estimate f(θ̂). Deterministic
/// for a seed. Errors: those of the two functions.
pub fn bootstrap_interval(
    estimates: &[f64],
    covariance: &[Vec<f64>],
    level: f64,
    draws: u32,
    seed: u64,
    check_interrupt: &mut dyn FnMut(),
    f: impl FnMut(&[f64]) -> CrmResult<f64>,
) -> CrmResult<Interval> {
    check_level(level)?;
    let sample = parameter_draws(estimates, covariance, draws, seed)?;
    interval_from_draws(estimates, &sample, level, check_interrupt, f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const EST: [f64; 2] = [2.0, 5.0];

    fn cov() -> Vec<Vec<f64>> {
        vec![vec![0.04, 0.02], vec![0.02, 0.25]]
    }

    #[test]
    fn draws_have_the_log_normal_moments() {
        let d = parameter_draws(&EST, &cov(), 200_000, 1).unwrap();
        let n = d.len() as f64;
        let logs: Vec<[f64; 2]> = d.iter().map(|t| [t[0].ln(), t[1].ln()]).collect();
        let mean = |i: usize| logs.iter().map(|l| l[i]).sum::<f64>() / n;
        let (m0, m1) = (mean(0), mean(1));
        let c = |i: usize, j: usize, mi: f64, mj: f64| logs.iter().map(|l| (l[i] - mi) * (l[j] - mj)).sum::<f64>() / n;
        // Σ_u = [[0.01, 0.002], [0.002, 0.01]]; standard errors of the moments about 2e-4 and 3e-5.
        assert!((m0 - 2f64.ln()).abs() < 1e-3 && (m1 - 5f64.ln()).abs() < 1e-3, "{m0} {m1}");
        assert!((c(0, 0, m0, m0) - 0.01).abs() < 2e-4 && (c(1, 1, m1, m1) - 0.01).abs() < 2e-4);
        assert!((c(0, 1, m0, m1) - 0.002).abs() < 2e-4, "{}", c(0, 1, m0, m1));
        // A prefix of a longer run.
        assert_eq!(parameter_draws(&EST, &cov(), 10, 1).unwrap()[..], d[..10]);
    }

    #[test]
    fn quantiles_are_numpys() {
        // numpy.quantile(np.arange(1, 11), [0.05, 0.95]) = [1.45, 9.55]
        let mut v: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        let i = quantile_interval(&mut v, 5.0, 0.9);
        assert!((i.low - 1.45).abs() < 1e-14 && (i.high - 9.55).abs() < 1e-14, "{i:?}");
        assert!(quantile_interval(&mut [], 1.0, 0.9).low.is_nan());
    }

    #[test]
    fn bootstrap_is_deterministic_and_skips_failures() {
        let f = |p: &[f64]| Ok(p[0] * p[1]);
        let a = bootstrap_interval(&EST, &cov(), 0.9, 5000, 7, &mut || {}, f).unwrap();
        let b = bootstrap_interval(&EST, &cov(), 0.9, 5000, 7, &mut || {}, f).unwrap();
        let c = bootstrap_interval(&EST, &cov(), 0.9, 5000, 8, &mut || {}, f).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.estimate, 10.0);
        // ln f ~ N(ln 10, 0.024): 90% bounds 10 exp(±1.645 · 0.1549).
        let sd = 0.024f64.sqrt();
        assert!((a.low / (10.0 * (-1.6448536 * sd).exp()) - 1.0).abs() < 0.02, "{a:?}");
        assert!((a.high / (10.0 * (1.6448536 * sd).exp()) - 1.0).abs() < 0.02, "{a:?}");
        // Splitting into draws and evaluation gives the same.
        let draws = parameter_draws(&EST, &cov(), 5000, 7).unwrap();
        assert_eq!(interval_from_draws(&EST, &draws, 0.9, &mut || {}, f).unwrap(), a);
        // Failures below half are skipped; above half the first is the error.
        let mut calls = 0;
        let some = bootstrap_interval(&EST, &cov(), 0.9, 5000, 7, &mut || calls += 1, |p| {
            if p[0] > 2.2 {
                Err(CrmError::out_of_range("too large"))
            } else {
                Ok(p[0])
            }
        })
        .unwrap();
        assert_eq!(calls, 5);
        assert!(some.high <= 2.2);
        // About 80% of the draws are more than 0.05 from the estimate 2 (sd of ln θ0 is 0.1).
        let most = bootstrap_interval(&EST, &cov(), 0.9, 5000, 7, &mut || {}, |p| {
            if (p[0] - 2.0).abs() > 0.05 {
                Err(CrmError::out_of_range(format!("far off: {}", p[0])))
            } else {
                Ok(p[0])
            }
        });
        let first = draws.iter().find(|p| (p[0] - 2.0).abs() > 0.05).unwrap()[0];
        assert_eq!(most.unwrap_err().message, format!("far off: {first}"));
    }

    #[test]
    fn errors() {
        let f = |p: &[f64]| Ok(p[0]);
        let kind = |r: CrmResult<Interval>| r.unwrap_err().kind;
        assert_eq!(kind(bootstrap_interval(&EST, &cov(), 0.0, 100, 1, &mut || {}, f)), ErrorKind::InvalidParameter);
        for draws in [0, 9, 1_000_001] {
            let e = bootstrap_interval(&EST, &cov(), 0.9, draws, 1, &mut || {}, f).unwrap_err();
            assert_eq!(e.message, format!("draws must be between 10 and 1000000, got {draws}"));
        }
        let singular = vec![vec![0.04, 0.0], vec![0.0, 0.0]];
        let e = bootstrap_interval(&EST, &singular, 0.9, 100, 1, &mut || {}, f).unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (ErrorKind::InvalidParameter, "covariance matrix is not positive definite"));
        assert!(e.hint.is_some());
        assert_eq!(kind(bootstrap_interval(&EST, &cov()[..1], 0.9, 100, 1, &mut || {}, f)), ErrorKind::InvalidParameter);
    }
}
