//! BG/NBD model (Fader, Hardie and Lee 2005): maximum-likelihood fit and predictions over the
//! (x, t_x, T) rows of a [`BgNbdSummary`](crate::summary::rft::BgNbdSummary). See
//! docs/references.md section 4.
//!
//! x = number of REPEAT purchases, t_x = time of the last repeat purchase since the first purchase,
//! T = time since the first purchase, all in one time unit chosen by the caller.
//!
//! Files, as in the other model folders: [`likelihood`] (of one customer, and of a summary
//! with its analytic gradient and Hessian), [`fit`](mod@fit) (the penalised objective, coarse
//! copies of large summaries, the fit), [`predict`] (P(alive), expected purchases, purchase-count
//! probabilities) and [`simulate`](mod@simulate) (the generative process, optionally with
//! Gamma-Gamma spend). What other models share with BG/NBD lives outside this folder: the
//! (x, t_x, T) summary and the customer checks in [`crate::summary::rft`], the fit options in
//! [`crate::models::fit_options`], the simulated customer and the simulations' limits in
//! [`crate::models::simulation`].

pub mod fit;
pub mod likelihood;
pub mod predict;
pub mod simulate;

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, CrmResult};

pub use fit::{fit, BgNbdFit};
pub use likelihood::log_likelihood;
pub use predict::{expected_purchases, expected_purchases_new, p_alive, prob_purchases};
pub use simulate::simulate;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// All parameters finite and > 0.
pub fn validate_params(p: &BgNbdParams) -> CrmResult<()> {
    for (name, v) in [("r", p.r), ("alpha", p.alpha), ("a", p.a), ("b", p.b)] {
        if !(v.is_finite() && v > 0.0) {
            return Err(CrmError::invalid(format!("BG/NBD parameter {name} must be a finite positive number"))
                .with_detail(format!("got {name} = {v}")));
        }
    }
    Ok(())
}

impl crate::models::PurchaseModel for BgNbdParams {
    const NAME: &'static str = "bgnbd";
    const PARAMETER_NAMES: &'static [&'static str] = &["r", "alpha", "a", "b"];
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> CrmResult<f64> {
        p_alive(self, x, t_x, t)
    }
    fn expected_purchases(&self, x: f64, t_x: f64, t: f64, horizon: f64) -> CrmResult<f64> {
        expected_purchases(self, x, t_x, t, horizon)
    }
    fn expected_purchases_new(&self, horizon: f64) -> CrmResult<f64> {
        expected_purchases_new(self, horizon)
    }
    fn prob_purchases(&self, n: u64, horizon: f64) -> CrmResult<f64> {
        prob_purchases(self, n, horizon)
    }
    fn parameters(&self) -> Vec<f64> {
        vec![self.r, self.alpha, self.a, self.b]
    }
    fn with_parameters(values: &[f64]) -> CrmResult<Self> {
        let [r, alpha, a, b] = crate::models::parameter_array::<4>("BG/NBD", Self::PARAMETER_NAMES, values)?;
        let p = BgNbdParams { r, alpha, a, b };
        validate_params(&p)?;
        Ok(p)
    }
}
