//! The sBG log-likelihood (FH 2007 eq. 4 and its generalisation to any mix of churned and
//! censored customers) and the fit:
//! LL = sum over churns in period t of ln P(T = t) + sum over active after t of ln S(t), with
//! ln S(t) = ln B(alpha, beta+t) - ln B(alpha, beta) and
//! ln P(T = t) = ln alpha - ln(alpha+beta+t-1) + ln S(t-1).

use super::{validate_params, SbgParams, SurvivalSummary};
use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::math::special::{digamma, ln_beta_ratio};
use crate::models::fit_options::FitOptions;
use crate::models::mle::{self, Likelihood, MleFit};

/// The summary's rows as read by an evaluation: (duration, churned, weight).
struct FitData {
    rows: Vec<(f64, bool, f64)>,
    weight: f64,
}

/// ln S(t) and its gradient (alpha, beta) at t >= 0, given psi(alpha+beta) and psi(beta).
fn ln_survival_grad(a: f64, b: f64, t: f64, psi_ab: f64, psi_b: f64) -> (f64, [f64; 2]) {
    if t == 0.0 {
        return (0.0, [0.0; 2]);
    }
    let psi_abt = digamma(a + b + t);
    (ln_beta_ratio(a, b, t), [psi_ab - psi_abt, digamma(b + t) - psi_b + psi_ab - psi_abt])
}

impl Likelihood<2> for FitData {
    fn ll_grad(&self, p: &[f64; 2], grad: &mut [f64; 2], check_interrupt: &mut dyn FnMut()) -> f64 {
        let [a, b] = *p;
        if validate_params(&SbgParams { alpha: a, beta: b }).is_err() {
            return f64::NAN;
        }
        let (psi_ab, psi_b) = (digamma(a + b), digamma(b));
        let mut countdown = Countdown::new(check_interrupt);
        let (mut ll, mut g) = (0.0, [0.0; 2]);
        for &(t, churned, w) in &self.rows {
            countdown.tick();
            if churned {
                let (ln_s, ds) = ln_survival_grad(a, b, t - 1.0, psi_ab, psi_b);
                let inv = 1.0 / (a + b + t - 1.0);
                ll += w * (a.ln() - (a + b + t - 1.0).ln() + ln_s);
                g[0] += w * (1.0 / a - inv + ds[0]);
                g[1] += w * (-inv + ds[1]);
            } else {
                let (ln_s, ds) = ln_survival_grad(a, b, t, psi_ab, psi_b);
                ll += w * ln_s;
                g[0] += w * ds[0];
                g[1] += w * ds[1];
            }
        }
        *grad = g;
        ll
    }
    fn weight(&self) -> f64 {
        self.weight
    }
}

impl FitData {
    fn new(summary: &SurvivalSummary) -> Self {
        let rows: Vec<(f64, bool, f64)> = summary.rows().into_iter().map(|(t, churned, c)| (t as f64, churned, c as f64)).collect();
        let weight = rows.iter().map(|r| r.2).sum();
        FitData { rows, weight }
    }
}

/// The log-likelihood of a summary at `p`. Err (22023) for invalid parameters; (22003) when not
/// finite.
pub fn log_likelihood(p: &SbgParams, summary: &SurvivalSummary) -> CrmResult<f64> {
    validate_params(p)?;
    let ll = FitData::new(summary).ll_grad(&p.to_array(), &mut [0.0; 2], &mut || {});
    if ll.is_finite() {
        Ok(ll)
    } else {
        Err(CrmError::out_of_range("sBG log-likelihood is not finite").with_detail(format!("{p:?}")))
    }
}

/// Maximum-likelihood (or penalised: -(mean LL) + penalizer * (alpha² + beta²), as `lifetimes`
/// penalises its models) fit over the summary's distinct rows with [`mle::fit`] and the
/// analytic gradient, from alpha = beta = e^0.1. Params in the order (alpha, beta). Err
/// (22023): invalid options or an empty summary; (22003) no finite optimum (for example no
/// churn at all: the estimate runs off to alpha = 0).
pub fn fit(summary: &SurvivalSummary, opts: &FitOptions, check_interrupt: &mut dyn FnMut()) -> CrmResult<MleFit<2>> {
    opts.validate()?;
    let data = FitData::new(summary);
    let start = [crate::math::optim::START.exp(); 2];
    mle::fit("sBG", &data, start, opts.penalizer, opts.max_iter, check_interrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analytic_gradient_matches_finite_differences() {
        let mut s = SurvivalSummary::from_survivors(&[1000, 631, 468, 382, 326, 289, 262, 241]).unwrap();
        s.merge(&SurvivalSummary::from_survivors(&[400, 300, 250]).unwrap());
        let data = FitData::new(&s);
        for p in [[0.704, 1.182], [0.05, 30.0], [12.0, 0.3]] {
            let mut g = [0.0; 2];
            data.ll_grad(&p, &mut g, &mut || {});
            for i in 0..2 {
                let h = 1e-6 * p[i];
                let (mut up, mut down) = (p, p);
                up[i] += h;
                down[i] -= h;
                let numeric = (data.ll_grad(&up, &mut [0.0; 2], &mut || {}) - data.ll_grad(&down, &mut [0.0; 2], &mut || {})) / (2.0 * h);
                assert!((numeric - g[i]).abs() <= 1e-6 * g[i].abs().max(1.0), "{p:?} gradient {i}: {numeric} vs {}", g[i]);
            }
        }
    }
}
