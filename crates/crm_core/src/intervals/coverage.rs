//! A simulation study of the parameter intervals: data sets simulated from a purchase model
//! with known parameters (the CDNOW estimates, weeks, customers acquired uniformly over
//! [`T_MAX`] weeks as the simulators do), each fitted, and the share of the
//! [`parameter_interval`]s (from the fit's standard errors) that contain the true parameter,
//! and of the [`delta_interval`]s of one prediction (the expected purchases of
//! [`PREDICTION_CUSTOMER`]) that contain the true model's value. For a level of 0.9 both
//! should be close to 90%. Used by the tests and by `examples/interval_coverage.rs`.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{check_level, covariance_rows, delta_interval, parameter_interval};
use crate::error::CrmResult;
use crate::models::bgnbd::{self, BgNbdParams};
use crate::models::fit_options::FitOptions;
use crate::models::mbgnbd::{self, MbgNbdParams};
use crate::models::pareto_nbd::{self, ParetoNbdParams};
use crate::models::simulation::SimCustomer;
use crate::models::PurchaseModel;
use crate::summary::rft::BgNbdSummary;

/// The observation period of the simulated customers, in weeks (CDNOW's 78).
pub const T_MAX: f64 = 78.0;

/// The customer (x, t_x, T, horizon) whose expected purchases in the next `horizon` weeks are
/// the prediction of the study: CDNOW's first customer, 39 weeks ahead (FHL 2005).
pub const PREDICTION_CUSTOMER: (f64, f64, f64, f64) = (2.0, 30.43, 38.86, 39.0);

/// A fit's estimates, standard errors and covariance.
type Fitted = ([f64; 4], [f64; 4], [[f64; 4]; 4]);

/// The models of the study.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoverageModel {
    BgNbd,
    ParetoNbd,
    MbgNbd,
}

impl CoverageModel {
    pub const ALL: [CoverageModel; 3] = [CoverageModel::BgNbd, CoverageModel::ParetoNbd, CoverageModel::MbgNbd];

    /// The model's name as the papers write it.
    pub fn name(self) -> &'static str {
        match self {
            CoverageModel::BgNbd => "BG/NBD",
            CoverageModel::ParetoNbd => "Pareto/NBD",
            CoverageModel::MbgNbd => "MBG/NBD",
        }
    }

    /// [`PurchaseModel::PARAMETER_NAMES`] of the model.
    pub fn parameter_names(self) -> &'static [&'static str] {
        match self {
            CoverageModel::BgNbd => BgNbdParams::PARAMETER_NAMES,
            CoverageModel::ParetoNbd => ParetoNbdParams::PARAMETER_NAMES,
            CoverageModel::MbgNbd => MbgNbdParams::PARAMETER_NAMES,
        }
    }

    /// The parameters the data are simulated with, those of the recovery tests: the CDNOW
    /// estimates of Fader, Hardie and Lee (2005) for BG/NBD, and those of `lifetimes` on
    /// CDNOW for Pareto/NBD and MBG/NBD (weeks).
    pub fn true_parameters(self) -> [f64; 4] {
        match self {
            CoverageModel::BgNbd => [0.242593, 4.413532, 0.792886, 2.425752],
            CoverageModel::ParetoNbd => [0.5533, 10.5776, 0.6062, 11.6680],
            CoverageModel::MbgNbd => [0.5248, 6.183, 0.8914, 1.614],
        }
    }

    /// The expected purchases of [`PREDICTION_CUSTOMER`] under the model with `params`.
    pub fn prediction(self, params: &[f64]) -> CrmResult<f64> {
        fn of<M: PurchaseModel>(params: &[f64]) -> CrmResult<f64> {
            let (x, t_x, t, horizon) = PREDICTION_CUSTOMER;
            M::with_parameters(params)?.expected_purchases(x, t_x, t, horizon)
        }
        match self {
            CoverageModel::BgNbd => of::<BgNbdParams>(params),
            CoverageModel::ParetoNbd => of::<ParetoNbdParams>(params),
            CoverageModel::MbgNbd => of::<MbgNbdParams>(params),
        }
    }

    /// Simulates `customers` customers with `seed` and fits the model: the estimates, their
    /// standard errors and covariance, or None when the fit fails or has no standard errors.
    fn simulate_and_fit(self, customers: u64, seed: u64, check_interrupt: &mut dyn FnMut()) -> CrmResult<Option<Fitted>> {
        let [a, b, c, d] = self.true_parameters();
        let opts = FitOptions::default();
        let data = match self {
            CoverageModel::BgNbd => {
                crate::models::bgnbd::simulate(customers, &BgNbdParams { r: a, alpha: b, a: c, b: d }, None, T_MAX, seed, check_interrupt)?
            }
            CoverageModel::ParetoNbd => {
                pareto_nbd::simulate(customers, &ParetoNbdParams { r: a, alpha: b, s: c, beta: d }, T_MAX, seed, check_interrupt)?
            }
            CoverageModel::MbgNbd => {
                mbgnbd::simulate(customers, &MbgNbdParams { r: a, alpha: b, a: c, b: d }, T_MAX, seed, check_interrupt)?
            }
        };
        let summary = summarise(&data)?;
        let fitted = match self {
            CoverageModel::BgNbd => bgnbd::fit(&summary, &opts, check_interrupt).map(|f| {
                let p = f.params;
                f.std_errors.zip(f.covariance).map(|(se, cov)| ([p.r, p.alpha, p.a, p.b], se, cov))
            }),
            CoverageModel::ParetoNbd => pareto_nbd::fit(&summary, &opts, check_interrupt)
                .map(|f| f.std_errors.zip(f.covariance).map(|(se, cov)| (f.params, se, cov))),
            CoverageModel::MbgNbd => {
                mbgnbd::fit(&summary, &opts, check_interrupt).map(|f| f.std_errors.zip(f.covariance).map(|(se, cov)| (f.params, se, cov)))
            }
        };
        Ok(fitted.ok().flatten())
    }
}

fn summarise(data: &[SimCustomer]) -> CrmResult<BgNbdSummary> {
    let mut s = BgNbdSummary::default();
    for c in data {
        s.add(c.frequency as f64, c.recency, c.t)?;
    }
    s.compact();
    Ok(s)
}

/// What a study found.
#[derive(Clone, Debug, PartialEq)]
pub struct Coverage {
    pub model: CoverageModel,
    pub level: f64,
    pub datasets: u32,
    pub customers: u64,
    /// Data sets whose fit gave standard errors (the others count nowhere).
    pub fitted: u32,
    /// Per parameter, the fitted data sets whose interval contains the true value.
    pub covered: [u32; 4],
    /// The fitted data sets whose delta-method interval of the prediction
    /// ([`CoverageModel::prediction`]) contains its value under the true parameters (an
    /// interval that cannot be computed counts as not covering).
    pub prediction_covered: u32,
}

impl Coverage {
    /// The share of the fitted data sets whose interval of parameter `i` covers its true value.
    pub fn rate(&self, i: usize) -> f64 {
        f64::from(self.covered[i]) / f64::from(self.fitted)
    }

    /// The share of the fitted data sets whose prediction interval covers the true value.
    pub fn prediction_rate(&self) -> f64 {
        f64::from(self.prediction_covered) / f64::from(self.fitted)
    }
}

/// Simulates `datasets` data sets of `customers` customers from `model` with its
/// [`CoverageModel::true_parameters`] (data set k seeded with the k-th u64 of a ChaCha8 stream
/// seeded with `seed`), fits each, and counts the `level` [`parameter_interval`]s that cover
/// the true parameters and the delta-method intervals of [`CoverageModel::prediction`] that
/// cover its true value. Errors: an invalid level (22023) and those of the simulation and of
/// the true prediction.
pub fn parameter_coverage(
    model: CoverageModel,
    datasets: u32,
    customers: u64,
    seed: u64,
    level: f64,
    check_interrupt: &mut dyn FnMut(),
) -> CrmResult<Coverage> {
    check_level(level)?;
    let truth = model.true_parameters();
    let true_prediction = model.prediction(&truth)?;
    let mut seeds = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Coverage { model, level, datasets, customers, fitted: 0, covered: [0; 4], prediction_covered: 0 };
    for _ in 0..datasets {
        let Some((estimates, std_errors, cov)) = model.simulate_and_fit(customers, seeds.random(), check_interrupt)? else { continue };
        out.fitted += 1;
        for i in 0..4 {
            let (low, high) = parameter_interval(estimates[i], std_errors[i], level)?;
            if low <= truth[i] && truth[i] <= high {
                out.covered[i] += 1;
            }
        }
        if let Ok(p) = delta_interval(&estimates, &covariance_rows(&cov), level, |theta| model.prediction(theta)) {
            if p.low <= true_prediction && true_prediction <= p.high {
                out.prediction_covered += 1;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn study(model: CoverageModel, datasets: u32, customers: u64, band: (f64, f64)) {
        let started = std::time::Instant::now();
        let c = parameter_coverage(model, datasets, customers, 20240601, 0.9, &mut || {}).unwrap();
        let rates: Vec<String> = (0..4).map(|i| format!("{} {:.3}", model.parameter_names()[i], c.rate(i))).collect();
        eprintln!(
            "{} {datasets} x {customers}: {} fitted, 90% coverage {}, expected purchases (delta) {:.3}, {:.1?}",
            model.name(),
            c.fitted,
            rates.join(", "),
            c.prediction_rate(),
            started.elapsed()
        );
        assert_eq!(c.fitted, datasets);
        for (i, name) in model.parameter_names().iter().enumerate() {
            let r = c.rate(i);
            assert!(band.0 <= r && r <= band.1, "{} {name}: coverage {r}", model.name());
        }
        let r = c.prediction_rate();
        assert!(band.0 <= r && r <= band.1, "{} expected purchases: coverage {r}", model.name());
    }

    #[test]
    fn bgnbd_intervals_cover_small_study() {
        study(CoverageModel::BgNbd, 30, 2_000, (0.7, 1.0));
    }

    /// The acceptance test: 200 data sets of 10,000 customers, 85%-95% for every parameter.
    /// A few seconds in release builds; ignored in debug builds (run with --include-ignored).
    #[test]
    #[cfg_attr(debug_assertions, ignore)]
    fn bgnbd_intervals_cover() {
        study(CoverageModel::BgNbd, 200, 10_000, (0.85, 0.95));
    }

    #[test]
    #[cfg_attr(debug_assertions, ignore)]
    fn mbgnbd_intervals_cover() {
        study(CoverageModel::MbgNbd, 200, 10_000, (0.85, 0.95));
    }

    /// Pareto/NBD fits are slower: 200 data sets of 5,000 customers.
    #[test]
    #[ignore]
    fn pareto_nbd_intervals_cover() {
        study(CoverageModel::ParetoNbd, 200, 5_000, (0.85, 0.95));
    }
}
