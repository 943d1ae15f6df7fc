//! The Gamma-Gamma fit: the `lifetimes` objective over the log-likelihood of
//! [`super::likelihood`], minimised first on a coarse copy of a large summary (ln m on a grid)
//! and then on all rows.

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::math::optim::{
    covariance_from_ll_hessian, fit_by_levels, natural, penalised_hessian, penalised_value_grad, LastEvaluation, Objective, SecondOrder,
};
use crate::models::fit_options::{check_fit_frequency, FitOptions};

use super::likelihood::FitData;
use super::summary::GammaGammaSummary;
use super::{validate_params, GammaGammaParams};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaFit {
    pub params: GammaGammaParams,
    /// Plain (unpenalised) sum log-likelihood at `params`.
    pub log_likelihood: f64,
    pub std_errors: Option<[f64; 3]>,
    /// Inverse Hessian of the negative sum log-likelihood in (p, q, v); None if not positive definite.
    pub covariance: Option<[[f64; 3]; 3]>,
    pub iterations: u64,
    pub converged: bool,
    pub customers: u64,
    pub skipped: u64,
}

/// -(mean LL) + c (p^2 + q^2 + v^2) on log-parameters, as in `lifetimes`.
struct PenalisedObjective<'a> {
    data: &'a FitData,
    penalizer: f64,
    /// The last second-order evaluation (see [`LastEvaluation::at_estimate`]).
    last: LastEvaluation<3>,
}

impl<'a> PenalisedObjective<'a> {
    fn new(data: &'a FitData, penalizer: f64) -> Self {
        PenalisedObjective { data, penalizer, last: LastEvaluation::default() }
    }
}

impl Objective for PenalisedObjective<'_> {
    fn value_grad(&self, theta: &[f64], grad: &mut [f64], check_interrupt: &mut dyn FnMut()) -> f64 {
        let Some(p) = natural::<3>(theta) else { return f64::INFINITY };
        let mut g = [0.0; 3];
        let ll = self.data.ll_grad(&GammaGammaParams { p: p[0], q: p[1], v: p[2] }, &mut g, check_interrupt);
        penalised_value_grad(&p, ll, &g, self.data.total_weight, self.penalizer, grad)
    }
}

impl SecondOrder<3> for PenalisedObjective<'_> {
    fn value_grad_hess(&self, theta: &[f64; 3], grad: &mut [f64; 3], hess: &mut [[f64; 3]; 3], check_interrupt: &mut dyn FnMut()) -> f64 {
        let Some(p) = natural::<3>(theta) else { return f64::INFINITY };
        let (mut g, mut h) = ([0.0; 3], [[0.0; 3]; 3]);
        let ll = self.data.eval::<true>(&GammaGammaParams { p: p[0], q: p[1], v: p[2] }, &mut g, &mut h, check_interrupt);
        self.last.record(p, ll, g, h);
        *hess = penalised_hessian(&p, &g, &h, self.data.total_weight, self.penalizer);
        penalised_value_grad(&p, ll, &g, self.data.total_weight, self.penalizer, grad)
    }
}

/// Summaries with more distinct rows than this are first fitted on a coarse copy (see [`fit`]).
const COARSE_ABOVE: usize = 20_000;
/// Grid of the coarse copy: ln m rounded to multiples of 1 / COARSE_GRID. With 1M simulated
/// CDNOW-like customers (continuous spend, 388k distinct rows) 1/64 leaves 6k rows and a coarse
/// optimum about 3e-5 from the full one in log-parameters (1/16: 2k rows, 6e-4 away), from
/// where Newton needs two steps.
const COARSE_GRID: f64 = 64.0;

/// The rows (ascending) with ln m rounded to the coarse grid, the rows of one x and grid cell
/// merged. Within an x the rows are in ascending m, so a cell is a run of rows below the cell's
/// upper bound: one ln and two exp per cell, not per row.
fn coarse_rows(rows: &[(f64, f64, u64)], countdown: &mut Countdown) -> Vec<(f64, f64, u64)> {
    let mut out: Vec<(f64, f64, u64)> = Vec::new();
    let mut upper = 0.0;
    for &(x, m, c) in rows {
        countdown.tick();
        match out.last_mut() {
            Some(last) if last.0 == x && m < upper => last.2 = last.2.saturating_add(c),
            _ => {
                let k = (m.ln() * COARSE_GRID).round();
                upper = ((k + 0.5) / COARSE_GRID).exp();
                out.push((x, (k / COARSE_GRID).exp(), c));
            }
        }
    }
    out
}

/// Maximum-likelihood (or `lifetimes`-style penalised: -(mean LL) + c (p^2 + q^2 + v^2)) fit on
/// log-parameters, starting where `lifetimes` starts (every log-parameter 0.1): L-BFGS, on a
/// coarse copy of the rows (ln m on a grid of 1/64) when there are many distinct rows, then
/// Newton steps with the analytic Hessian on all rows (falling back to L-BFGS on all rows if
/// Newton declines). Standard errors come from the analytic Hessian at the estimate. Errors:
/// no usable customer (22023); a frequency above [`crate::models::fit_options::MAX_FIT_FREQUENCY`], frequency
/// times monetary value out of range, a non-finite result (22003). `converged` is false when
/// the optimiser stopped at a point whose gradient is not small or never left the start.
pub fn fit(summary: &GammaGammaSummary, opts: &FitOptions, check_interrupt: &mut dyn FnMut()) -> CrmResult<GammaGammaFit> {
    opts.validate()?;
    if summary.distinct() == 0 {
        return Err(CrmError::invalid("cannot fit Gamma-Gamma: no customer with repeat purchases and positive spend")
            .with_detail(format!("{} customers skipped (frequency 0 or monetary value 0)", summary.skipped())));
    }
    // Passes over all rows before the optimiser's: cancel checks every 2^15 rows.
    let countdown = &mut Countdown::new(&mut *check_interrupt);
    let rows: Vec<(f64, f64, u64)> =
        summary.rows.sorted_slice().iter().inspect(|_| countdown.tick()).map(|&((x, m), c)| (x as f64, f64::from_bits(m), c)).collect();
    // Rows are in ascending x: the last has the largest.
    check_fit_frequency("Gamma-Gamma", rows.last().map_or(0, |r| r.0 as u64))?;
    if let Some(&(x, m, _)) = rows.iter().inspect(|_| countdown.tick()).find(|r| !(r.0 * r.1).is_finite()) {
        return Err(CrmError::out_of_range("frequency times monetary value is out of range for double precision")
            .with_detail(format!("frequency {x}, monetary value {m:e}"))
            .with_hint("monetary value is the mean spend per repeat purchase; check its unit"));
    }
    let data = FitData::new(&rows, countdown);
    let objective = PenalisedObjective::new(&data, opts.penalizer);
    let coarse = (rows.len() > COARSE_ABOVE).then(|| FitData::new(&coarse_rows(&rows, countdown), countdown));
    let coarse = coarse.as_ref().map(|data| PenalisedObjective::new(data, opts.penalizer));
    let levels: Vec<&PenalisedObjective> = coarse.iter().chain([&objective]).collect();
    let m = fit_by_levels(&levels, 0.0, opts.max_iter, check_interrupt)?;
    let params = GammaGammaParams { p: m.theta[0].exp(), q: m.theta[1].exp(), v: m.theta[2].exp() };
    validate_params(&params).map_err(|_| {
        CrmError::out_of_range("Gamma-Gamma fit did not reach finite parameters")
            .with_detail(format!("p = {}, q = {}, v = {}", params.p, params.q, params.v))
            .with_hint("try a small penalizer such as 0.01; check that monetary values are mean spend per repeat purchase")
    })?;
    let (log_likelihood, h) = objective.last.at_estimate(&[params.p, params.q, params.v], || {
        let (mut g, mut h) = ([0.0; 3], [[0.0; 3]; 3]);
        (data.eval::<true>(&params, &mut g, &mut h, check_interrupt), h)
    });
    if !log_likelihood.is_finite() {
        return Err(CrmError::out_of_range("Gamma-Gamma fit ended at a non-finite log-likelihood"));
    }
    let cov = h.iter().flatten().all(|v| v.is_finite()).then(|| covariance_from_ll_hessian(&h)).flatten();
    Ok(GammaGammaFit {
        params,
        log_likelihood,
        std_errors: cov.map(|c| c.1),
        covariance: cov.map(|c| c.0),
        iterations: m.iterations,
        converged: m.converged,
        customers: summary.customers(),
        skipped: summary.skipped(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::optim::{minimize, newton_polish, numeric_hessian};

    /// Simulated customers with the CDNOW parameters: (summary, rows in ascending order).
    fn simulated(customers: u64) -> (GammaGammaSummary, Vec<(f64, f64, u64)>) {
        let bg = crate::models::bgnbd::BgNbdParams { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
        let gg = GammaGammaParams { p: 6.25, q: 3.74, v: 15.44 };
        let mut s = GammaGammaSummary::default();
        for c in crate::models::bgnbd::simulate(customers, &bg, Some(&gg), 78.0, 7, &mut || {}).unwrap() {
            s.add(c.frequency as f64, c.monetary).unwrap();
        }
        let rows = s.sorted_rows();
        (s, rows)
    }

    fn assert_close<const N: usize>(got: &[[f64; N]; N], want: &[[f64; N]; N], tol: f64) {
        for i in 0..N {
            for j in 0..N {
                assert!((got[i][j] - want[i][j]).abs() <= tol * want[i][j].abs(), "[{i}][{j}]: {got:?} vs {want:?}");
            }
        }
    }

    #[test]
    fn analytic_hessian_matches_numeric_hessian_of_the_gradient() {
        let data = FitData::new(&simulated(2000).1, &mut Countdown::new(&mut || {}));
        for (p, q, v) in [(6.25, 3.74, 15.44), (0.5, 1.2, 2.0), (20.0, 0.3, 100.0), (1.5, 8.0, 0.7)] {
            let par = GammaGammaParams { p, q, v };
            let (mut g, mut h) = ([0.0; 3], [[0.0; 3]; 3]);
            let ll = data.eval::<true>(&par, &mut g, &mut h, &mut || {});
            let mut g0 = [0.0; 3];
            assert_eq!(ll, data.ll_grad(&par, &mut g0, &mut || {}));
            assert_eq!(g, g0);
            let numeric = numeric_hessian(
                &mut |a: &[f64; 3]| {
                    let mut g = [0.0; 3];
                    data.ll_grad(&GammaGammaParams { p: a[0], q: a[1], v: a[2] }, &mut g, &mut || {});
                    Some(g)
                },
                &[p, q, v],
            )
            .unwrap();
            assert_close(&h, &numeric, 1e-6);
            // The penalised objective on log-parameters: chain rule and penalty.
            let objective = PenalisedObjective::new(&data, 0.01);
            let theta = [p.ln(), q.ln(), v.ln()];
            let (mut gt, mut ht, mut gt0) = ([0.0; 3], [[0.0; 3]; 3], [0.0; 3]);
            let f = objective.value_grad_hess(&theta, &mut gt, &mut ht, &mut || {});
            assert_eq!((f, gt), (objective.value_grad(&theta, &mut gt0, &mut || {}), gt0));
            let numeric = numeric_hessian(
                &mut |t: &[f64; 3]| {
                    let mut g = [0.0; 3];
                    objective.value_grad(t, &mut g, &mut || {});
                    Some(g)
                },
                &theta,
            )
            .unwrap();
            assert_close(&ht, &numeric, 1e-6);
        }
    }

    #[test]
    fn coarse_start_gives_the_full_data_optimum() {
        let (s, rows) = simulated(80_000);
        assert!(rows.len() > COARSE_ABOVE);
        let coarse = coarse_rows(&rows, &mut Countdown::new(&mut || {}));
        assert!(coarse.len() < rows.len() / 4, "{} coarse rows", coarse.len());
        assert!(coarse.windows(2).all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
        assert_eq!(coarse.iter().map(|r| r.2).sum::<u64>(), rows.iter().map(|r| r.2).sum::<u64>());
        let fit = fit(&s, &FitOptions::default(), &mut || {}).unwrap();
        assert!(fit.converged);
        // Reference: L-BFGS and Newton on all rows, no coarse copy.
        let data = FitData::new(&rows, &mut Countdown::new(&mut || {}));
        let objective = PenalisedObjective::new(&data, 0.0);
        let lbfgs = minimize(&objective, &[0.1; 3], 1000, crate::math::optim::FULL_GRADIENT, &mut || {}).unwrap();
        let full = newton_polish(&objective, lbfgs.theta.try_into().unwrap(), 50, &mut || {}).unwrap();
        for (got, want) in [fit.params.p, fit.params.q, fit.params.v].into_iter().zip(full.theta.map(f64::exp)) {
            assert!((got / want - 1.0).abs() < 1e-9, "{:?} vs {want}", fit.params);
        }
    }

    #[test]
    fn passes_over_all_rows_check_for_interrupts() {
        let (s, rows) = simulated(400_000);
        let n = rows.len();
        assert!(n > 2 * 65_536, "{n} rows");
        let at_least = n / 65_536;
        let calls = std::cell::Cell::new(0usize);
        let mut check = || calls.set(calls.get() + 1);
        let mut counted = |what: &str, f: &mut dyn FnMut(&mut dyn FnMut())| {
            calls.set(0);
            f(&mut check);
            assert!(calls.get() >= at_least, "{what}: {} calls for {n} rows", calls.get());
        };
        counted("evaluation form", &mut |c| drop(FitData::new(&rows, &mut Countdown::new(c))));
        counted("coarse copy", &mut |c| drop(coarse_rows(&rows, &mut Countdown::new(c))));
        let data = FitData::new(&rows, &mut Countdown::new(&mut || {}));
        let par = GammaGammaParams { p: 6.0, q: 3.7, v: 15.0 };
        counted("gradient pass", &mut |c| assert!(data.ll_grad(&par, &mut [0.0; 3], c).is_finite()));
        counted("Hessian pass", &mut |c| assert!(data.eval::<true>(&par, &mut [0.0; 3], &mut [[0.0; 3]; 3], c).is_finite()));
        calls.set(0);
        let f = fit(&s, &FitOptions::default(), &mut || calls.set(calls.get() + 1)).unwrap();
        assert!(f.converged);
        // rows read, evaluation form, coarse copy, and at least one full-data pass of Newton
        assert!(calls.get() >= 4 * at_least + f.iterations as usize, "fit: {} calls", calls.get());
    }
}
