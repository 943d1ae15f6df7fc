//! Maximum-likelihood fit of an N-parameter model over weighted rows, for the models without a
//! hand-tuned fit (BG/NBD has its own, with coarse copies and an analytic Hessian): L-BFGS on
//! log-parameters from a start the model gives (the `lifetimes` objective: minus the mean
//! log-likelihood plus an optional L2 penalty), then the Hessian at the estimate by central
//! differences of the model's analytic gradient, its inverse the covariance.

// Small dense matrices read best with explicit indices.
#![allow(clippy::needless_range_loop)]

use crate::error::{CrmError, CrmResult};
use crate::math::optim::{covariance_from_ll_hessian, minimize, natural, numeric_hessian, penalised_value_grad, Objective, FULL_GRADIENT};

/// A model's log-likelihood over its data, in natural (positive) parameters.
pub trait Likelihood<const N: usize> {
    /// The weighted sum of the rows' log-likelihoods at `p`, its gradient in p written to `grad`.
    /// A non-finite value (never a panic) where it is undefined. Calls `check_interrupt` every
    /// [`crate::interrupt::CHECK_EVERY`] rows or so.
    fn ll_grad(&self, p: &[f64; N], grad: &mut [f64; N], check_interrupt: &mut dyn FnMut()) -> f64;
    /// The sum of the rows' weights (customers): the objective is the mean.
    fn weight(&self) -> f64;
}

/// What a fit found.
#[derive(Clone, Debug, PartialEq)]
pub struct MleFit<const N: usize> {
    /// The estimate, in natural parameters.
    pub params: [f64; N],
    /// The plain (unpenalised) sum log-likelihood at `params`.
    pub log_likelihood: f64,
    /// Square roots of the covariance diagonal.
    pub std_errors: Option<[f64; N]>,
    /// Inverse of the Hessian of minus the log-likelihood; None when it is not positive definite
    /// (a parameter at a boundary, a flat direction).
    pub covariance: Option<[[f64; N]; N]>,
    pub iterations: u64,
    /// Whether the optimiser stopped at a small gradient and left its start.
    pub converged: bool,
}

struct Penalised<'a, const N: usize, L: Likelihood<N>> {
    likelihood: &'a L,
    penalizer: f64,
}

impl<const N: usize, L: Likelihood<N>> Objective for Penalised<'_, N, L> {
    fn value_grad(&self, theta: &[f64], grad: &mut [f64], check_interrupt: &mut dyn FnMut()) -> f64 {
        let Some(p) = natural::<N>(theta) else { return f64::INFINITY };
        let mut g = [0.0; N];
        let ll = self.likelihood.ll_grad(&p, &mut g, check_interrupt);
        if !ll.is_finite() || g.iter().any(|v| !v.is_finite()) {
            return f64::INFINITY;
        }
        penalised_value_grad(&p, ll, &g, self.likelihood.weight(), self.penalizer, grad)
    }
}

/// Fits `likelihood` from `start` (natural parameters, all > 0) with an L2 `penalizer` (>= 0;
/// 0 = maximum likelihood) and at most `max_iter` iterations. `model` names the model in errors
/// ("Pareto/NBD"). Err (22003) when the estimate or its log-likelihood is not finite.
pub fn fit<const N: usize, L: Likelihood<N>>(
    model: &str,
    likelihood: &L,
    start: [f64; N],
    penalizer: f64,
    max_iter: u64,
    check_interrupt: &mut dyn FnMut(),
) -> CrmResult<MleFit<N>> {
    if !(likelihood.weight() > 0.0) {
        return Err(CrmError::invalid(format!("cannot fit {model} on zero customers")));
    }
    let objective = Penalised { likelihood, penalizer };
    let theta0: Vec<f64> = start.iter().map(|v| v.ln()).collect();
    let m = minimize(&objective, &theta0, max_iter, FULL_GRADIENT, check_interrupt)?;
    let params = natural::<N>(&m.theta).ok_or_else(|| {
        CrmError::out_of_range(format!("{model} fit did not reach finite parameters"))
            .with_detail(format!("log-parameters {:?}", m.theta))
            .with_hint("try a small penalizer such as 0.001, or check the time unit of the data")
    })?;
    let mut g = [0.0; N];
    let log_likelihood = likelihood.ll_grad(&params, &mut g, check_interrupt);
    if !log_likelihood.is_finite() {
        return Err(CrmError::out_of_range(format!("{model} fit ended at a non-finite log-likelihood"))
            .with_hint("try a small penalizer such as 0.001"));
    }
    let mut grad = |p: &[f64; N]| {
        let mut g = [0.0; N];
        let ll = likelihood.ll_grad(p, &mut g, &mut *check_interrupt);
        (ll.is_finite() && g.iter().all(|v| v.is_finite())).then_some(g)
    };
    let cov = numeric_hessian(&mut grad, &params).and_then(|h| covariance_from_ll_hessian(&h));
    let left_start = m.theta.iter().zip(&theta0).any(|(a, b)| (a - b).abs() > 1e-12);
    Ok(MleFit {
        params,
        log_likelihood,
        std_errors: cov.map(|c| c.1),
        covariance: cov.map(|c| c.0),
        iterations: m.iterations,
        converged: m.converged && left_start,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two independent samples of n exponential draws with rate lambda summing to s:
    /// ll = n ln lambda - lambda s per sample, MLE n / s, standard error lambda / sqrt(n).
    struct TwoExponentials {
        n: [f64; 2],
        s: [f64; 2],
    }

    impl Likelihood<2> for TwoExponentials {
        fn ll_grad(&self, p: &[f64; 2], grad: &mut [f64; 2], _: &mut dyn FnMut()) -> f64 {
            let mut ll = 0.0;
            for i in 0..2 {
                ll += self.n[i] * p[i].ln() - p[i] * self.s[i];
                grad[i] = self.n[i] / p[i] - self.s[i];
            }
            ll
        }
        fn weight(&self) -> f64 {
            self.n[0]
        }
    }

    #[test]
    fn finds_the_closed_form_estimate_and_standard_errors() {
        let l = TwoExponentials { n: [400.0, 400.0], s: [80.0, 2000.0] };
        let f = fit("test", &l, [1.0, 1.0], 0.0, 1000, &mut || {}).unwrap();
        let want = [5.0, 0.2];
        for i in 0..2 {
            assert!((f.params[i] - want[i]).abs() <= 1e-6 * want[i], "{:?}", f.params);
            let se = f.std_errors.unwrap()[i];
            assert!((se - want[i] / 20.0).abs() <= 1e-5 * se, "{se}");
        }
        assert!(f.converged);
        let ll: f64 = (0..2).map(|i| 400.0 * want[i].ln() - 400.0).sum();
        assert!((f.log_likelihood - ll).abs() <= 1e-9 * ll.abs());
    }

    #[test]
    fn a_penalty_shrinks_and_no_customers_is_an_error() {
        let l = TwoExponentials { n: [400.0, 400.0], s: [80.0, 2000.0] };
        let f = fit("test", &l, [1.0, 1.0], 0.1, 1000, &mut || {}).unwrap();
        assert!(f.params[0] < 5.0);
        let empty = TwoExponentials { n: [0.0, 0.0], s: [0.0, 0.0] };
        assert_eq!(fit("test", &empty, [1.0, 1.0], 0.0, 10, &mut || {}).unwrap_err().message, "cannot fit test on zero customers");
    }
}
