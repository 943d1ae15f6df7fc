//! Intervals of the SQL layer's per-customer predictions: expected purchases of any purchase
//! model, and the CLV of a purchase model with the Gamma-Gamma spend model.

use super::{block_diagonal, bootstrap_interval, check_draws, delta_interval, Interval};
use crate::clv::discounted_purchases;
use crate::error::{CrmError, CrmResult};
use crate::models::gamma_gamma::{self, GammaGammaParams};
use crate::models::PurchaseModel;

/// How a prediction interval is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntervalMethod {
    /// [`delta_interval`]: fast (2 evaluations per parameter), symmetric on the log scale.
    Delta,
    /// [`bootstrap_interval`] with so many draws from a ChaCha8 stream seeded with `seed`.
    Bootstrap { draws: u32, seed: u64 },
}

impl IntervalMethod {
    /// `delta` or `bootstrap` (case-insensitive); `draws` (10 to 1,000,000) and `seed` (>= 0)
    /// are checked for the bootstrap and ignored by the delta method. Err (22023) otherwise.
    pub fn parse(name: &str, draws: i32, seed: i64) -> CrmResult<IntervalMethod> {
        match name.trim().to_ascii_lowercase().as_str() {
            "delta" => Ok(IntervalMethod::Delta),
            "bootstrap" => {
                let draws = u32::try_from(draws).map_err(|_| {
                    CrmError::invalid(format!("draws must be between {} and {}, got {draws}", super::MIN_DRAWS, super::MAX_DRAWS))
                })?;
                check_draws(draws)?;
                let seed =
                    u64::try_from(seed).map_err(|_| CrmError::invalid(format!("seed must be a non-negative integer, got {seed}")))?;
                Ok(IntervalMethod::Bootstrap { draws, seed })
            }
            _ => Err(CrmError::invalid(format!("unknown interval method \"{name}\"")).with_hint("use delta or bootstrap")),
        }
    }

    /// The interval of f at `estimates` with `covariance` by this method; `check_interrupt` is
    /// passed to the bootstrap.
    pub fn interval(
        &self,
        estimates: &[f64],
        covariance: &[Vec<f64>],
        level: f64,
        check_interrupt: &mut dyn FnMut(),
        f: impl FnMut(&[f64]) -> CrmResult<f64>,
    ) -> CrmResult<Interval> {
        match *self {
            IntervalMethod::Delta => delta_interval(estimates, covariance, level, f),
            IntervalMethod::Bootstrap { draws, seed } => bootstrap_interval(estimates, covariance, level, draws, seed, check_interrupt, f),
        }
    }
}

/// The interval of [`PurchaseModel::expected_purchases`]`(x, t_x, t, horizon)` under the
/// uncertainty of the model's estimates, `covariance` being theirs in the order of
/// [`PurchaseModel::parameters`]. Errors: those of the method ([`delta_interval`],
/// [`bootstrap_interval`]) and of the prediction at the estimates (invalid customer data).
#[allow(clippy::too_many_arguments)]
pub fn expected_purchases_interval<M: PurchaseModel>(
    model: &M,
    covariance: &[Vec<f64>],
    x: f64,
    t_x: f64,
    t: f64,
    horizon: f64,
    level: f64,
    method: IntervalMethod,
    check_interrupt: &mut dyn FnMut(),
) -> CrmResult<Interval> {
    method.interval(&model.parameters(), covariance, level, check_interrupt, |p| {
        M::with_parameters(p)?.expected_purchases(x, t_x, t, horizon)
    })
}

/// The interval of a CLV, E[spend | x, m] (Gamma-Gamma, [`gamma_gamma::expected_spend`]) times
/// the discounted expected purchases of `months` periods of `step` time units at the `discount`
/// rate per period ([`discounted_purchases`]), under the uncertainty of both fits' estimates.
/// The two models are fitted independently, so the covariance of the 4 + 3 parameters (the
/// purchase model's in [`PurchaseModel::parameters`] order, then p, q, v) is
/// [`block_diagonal`]`(model_cov, gg_cov)`. Errors: those of the method and of the CLV at the
/// estimates.
#[allow(clippy::too_many_arguments)]
pub fn clv_interval<M: PurchaseModel>(
    model: &M,
    model_cov: &[Vec<f64>],
    gg: &GammaGammaParams,
    gg_cov: &[Vec<f64>],
    x: f64,
    t_x: f64,
    t: f64,
    monetary: f64,
    step: f64,
    months: u32,
    discount: f64,
    level: f64,
    method: IntervalMethod,
    check_interrupt: &mut dyn FnMut(),
) -> CrmResult<Interval> {
    let k = model.parameters().len();
    check_square(&format!("the {} model", M::NAME), model_cov, k)?;
    check_square("the Gamma-Gamma model", gg_cov, 3)?;
    let estimates: Vec<f64> = model.parameters().into_iter().chain(gg.to_vec()).collect();
    let covariance = block_diagonal(model_cov, gg_cov);
    method.interval(&estimates, &covariance, level, check_interrupt, |p| {
        let (m, g) = (M::with_parameters(&p[..k])?, GammaGammaParams::from_slice(&p[k..])?);
        Ok(gamma_gamma::expected_spend(&g, x, monetary)? * discounted_purchases(&m, x, t_x, t, step, months, discount)?)
    })
}

/// Err (22023) unless `m` is n x n; `what` names the model.
fn check_square(what: &str, m: &[Vec<f64>], n: usize) -> CrmResult<()> {
    let shape = || CrmError::invalid(format!("covariance matrix of {what} must be {n} x {n}"));
    if m.len() != n {
        return Err(shape().with_detail(format!("got {} rows", m.len())));
    }
    if let Some((i, row)) = m.iter().enumerate().find(|(_, row)| row.len() != n) {
        return Err(shape().with_detail(format!("row {i} has {} entries", row.len())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::intervals::covariance_rows;
    use crate::models::bgnbd::{self, BgNbdParams};
    use crate::models::fit_options::FitOptions;
    use crate::summary::rft::BgNbdSummary;

    const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/cdnow/cdnow_customers_summary_with_transactions.csv");

    /// The BG/NBD and Gamma-Gamma fits of the CDNOW sample (2,357 customers, weeks; columns
    /// ID, x, t_x, T, zbar), as in tests/bgnbd_cdnow.rs and tests/gamma_gamma_cdnow.rs.
    fn cdnow() -> (BgNbdParams, Vec<Vec<f64>>, GammaGammaParams, Vec<Vec<f64>>) {
        let text = std::fs::read_to_string(FILE).expect("CDNOW summary file");
        let (mut s, mut g) = (BgNbdSummary::default(), gamma_gamma::GammaGammaSummary::default());
        for line in text.lines().skip(1) {
            let f: Vec<f64> = line.trim().split(',').map(|v| v.parse().unwrap()).collect();
            s.add(f[1], f[2], f[3]).unwrap();
            g.add(f[1], f[4]).unwrap();
        }
        let fit = bgnbd::fit(&s, &FitOptions::default(), &mut || {}).unwrap();
        let gf = gamma_gamma::fit(&g, &FitOptions::default(), &mut || {}).unwrap();
        (fit.params, covariance_rows(&fit.covariance.unwrap()), gf.params, covariance_rows(&gf.covariance.unwrap()))
    }

    #[test]
    fn delta_and_bootstrap_agree_for_cdnow_expected_purchases() {
        let (bg, cov, _, _) = cdnow();
        for (got, want) in bg.parameters().iter().zip([0.242594, 4.413594, 0.792919, 2.425873]) {
            assert!((got / want - 1.0).abs() < 1e-4, "{got} vs {want}");
        }
        let (x, t_x, t, h) = (2.0, 30.43, 38.86, 39.0);
        let delta = expected_purchases_interval(&bg, &cov, x, t_x, t, h, 0.9, IntervalMethod::Delta, &mut || {}).unwrap();
        let boot = IntervalMethod::Bootstrap { draws: 10_000, seed: 42 };
        let mut calls = 0;
        let b = expected_purchases_interval(&bg, &cov, x, t_x, t, h, 0.9, boot, &mut || calls += 1).unwrap();
        eprintln!("CDNOW x = 2, t_x = 30.43, T = 38.86, 39 weeks: delta {delta:?}, bootstrap {b:?}");
        assert_eq!(calls, 10);
        // FHL 2005: 1.226 expected purchases.
        assert!((delta.estimate - 1.226).abs() < 1e-3, "{delta:?}");
        assert_eq!(delta.estimate, b.estimate);
        assert!(delta.low < delta.estimate && delta.estimate < delta.high);
        for (d, bs) in [(delta.low, b.low), (delta.high, b.high)] {
            assert!((d / bs - 1.0).abs() < 0.03, "delta {d} vs bootstrap {bs}");
        }
        // The same seed gives the same bounds, another seed others.
        assert_eq!(expected_purchases_interval(&bg, &cov, x, t_x, t, h, 0.9, boot, &mut || {}).unwrap(), b);
        let other = IntervalMethod::Bootstrap { draws: 10_000, seed: 43 };
        assert_ne!(expected_purchases_interval(&bg, &cov, x, t_x, t, h, 0.9, other, &mut || {}).unwrap(), b);
    }

    #[test]
    fn clv_intervals_combine_both_models() {
        let (bg, cov, gg, gg_cov) = cdnow();
        let (x, t_x, t, m) = (2.0, 30.43, 38.86, 35.0);
        let step = 52.0 / 12.0;
        let delta = clv_interval(&bg, &cov, &gg, &gg_cov, x, t_x, t, m, step, 12, 0.01, 0.9, IntervalMethod::Delta, &mut || {}).unwrap();
        let want = gamma_gamma::expected_spend(&gg, x, m).unwrap() * discounted_purchases(&bg, x, t_x, t, step, 12, 0.01).unwrap();
        assert!((delta.estimate - want).abs() < 1e-12 * want);
        let boot = IntervalMethod::Bootstrap { draws: 2_000, seed: 1 };
        let b = clv_interval(&bg, &cov, &gg, &gg_cov, x, t_x, t, m, step, 12, 0.01, 0.9, boot, &mut || {}).unwrap();
        eprintln!("CDNOW CLV (12 months, 1%): delta {delta:?}, bootstrap {b:?}");
        for (d, bs) in [(delta.low, b.low), (delta.high, b.high)] {
            assert!((d / bs - 1.0).abs() < 0.05, "delta {d} vs bootstrap {bs}");
        }
        // The CLV's interval is wider than the purchases' alone (the spend adds uncertainty).
        let zero = vec![vec![0.0; 3]; 3];
        let purchases_only =
            clv_interval(&bg, &cov, &gg, &zero, x, t_x, t, m, step, 12, 0.01, 0.9, IntervalMethod::Delta, &mut || {}).unwrap();
        assert!(purchases_only.high < delta.high && purchases_only.low > delta.low);
        let e =
            clv_interval(&bg, &cov[..3], &gg, &gg_cov, x, t_x, t, m, step, 12, 0.01, 0.9, IntervalMethod::Delta, &mut || {}).unwrap_err();
        assert_eq!(e.message, "covariance matrix of the bgnbd model must be 4 x 4");
        let short: Vec<Vec<f64>> = gg_cov.iter().map(|r| r[..2].to_vec()).collect();
        let e = clv_interval(&bg, &cov, &gg, &short, x, t_x, t, m, step, 12, 0.01, 0.9, IntervalMethod::Delta, &mut || {}).unwrap_err();
        assert_eq!(
            (e.message.as_str(), e.detail.as_deref()),
            ("covariance matrix of the Gamma-Gamma model must be 3 x 3", Some("row 0 has 2 entries"))
        );
    }

    #[test]
    fn methods_parse_and_customer_errors_pass_through() {
        assert_eq!(IntervalMethod::parse("delta", 0, -1).unwrap(), IntervalMethod::Delta);
        assert_eq!(IntervalMethod::parse(" Bootstrap ", 1000, 7).unwrap(), IntervalMethod::Bootstrap { draws: 1000, seed: 7 });
        for (name, draws, seed) in
            [("wald", 1000, 1), ("bootstrap", 5, 1), ("bootstrap", -5, 1), ("bootstrap", 2_000_000, 1), ("bootstrap", 1000, -1)]
        {
            let e = IntervalMethod::parse(name, draws, seed).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidParameter, "{name} {draws} {seed}");
        }
        let bg = BgNbdParams { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 };
        let cov: Vec<Vec<f64>> = (0..4).map(|i| (0..4).map(|j| if i == j { 0.01 } else { 0.0 }).collect()).collect();
        let e = expected_purchases_interval(&bg, &cov, 1.5, 1.0, 2.0, 1.0, 0.9, IntervalMethod::Delta, &mut || {}).unwrap_err();
        assert!(e.message.starts_with("frequency must be a non-negative integer"), "{}", e.message);
        let e = expected_purchases_interval(&bg, &cov[..2], 1.0, 1.0, 2.0, 1.0, 0.9, IntervalMethod::Delta, &mut || {}).unwrap_err();
        assert_eq!(e.message, "covariance matrix must be 4 x 4 for 4 parameter estimates");
    }
}
