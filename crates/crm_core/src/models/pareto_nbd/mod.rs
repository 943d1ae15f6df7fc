//! Pareto/NBD model (Schmittlein, Morrison and Colombo 1987): while alive a customer buys as a
//! Poisson process of rate lambda ~ Gamma(r, alpha) and stays alive for an Exponential(mu)
//! lifetime, mu ~ Gamma(s, beta), independent of lambda. Data per customer (x, t_x, T) as for
//! BG/NBD ([`crate::summary::rft::BgNbdSummary`]): x repeat purchases, the last at age t_x, age T, in
//! one time unit (alpha and beta are in that unit).
//!
//! References, cited as below:
//! - FH05: Fader and Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related
//!   Expressions" (brucehardie.com/notes/009).
//! - FH06: Fader and Hardie (2006), "Deriving an Expression for P(X(t) = x) under the Pareto/NBD
//!   Model" (notes/012).
//! - FH028: Fader, Hardie and Shang, "Deriving the Conditional PMF of the Pareto/NBD Model" (notes/028).
//! - FHL05: Fader, Hardie and Lee (2005), "RFM and CLV: Using Iso-value Curves for Customer Base
//!   Analysis", JMR 42(4), appendix (DERT).
//!
//! Every expression is evaluated through one quantity, the likelihood bracket of FH05 eq. (18)
//! written as an integral over the time of death (see [`likelihood`]), and the conditional
//! results through the memorylessness of the model: given (x, t_x, T) and alive at T, a customer
//! is a new Pareto/NBD customer with parameters (r + x, alpha + T, s, beta + T) (FH05 section 5,
//! FH028 eq. (16)).

mod integral;
pub mod likelihood;
pub mod predict;
pub mod simulate;
mod tricomi;

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, CrmResult};

pub use likelihood::{fit, log_likelihood};
pub use predict::{conditional_prob_purchases, dert, expected_purchases, expected_purchases_new, p_alive, prob_purchases};
pub use simulate::simulate;
pub use tricomi::{hyperu_a1, ln_hyperu_a1};

/// Pareto/NBD parameters: purchase rate lambda ~ Gamma(shape r, rate alpha), dropout rate
/// mu ~ Gamma(shape s, rate beta); alpha and beta in the data's time unit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
}

/// All parameters finite and > 0.
pub fn validate_params(p: &ParetoNbdParams) -> CrmResult<()> {
    for (name, v) in [("r", p.r), ("alpha", p.alpha), ("s", p.s), ("beta", p.beta)] {
        if !(v.is_finite() && v > 0.0) {
            return Err(CrmError::invalid(format!("Pareto/NBD parameter {name} must be a finite positive number"))
                .with_detail(format!("got {name} = {v}")));
        }
    }
    Ok(())
}

impl crate::models::PurchaseModel for ParetoNbdParams {
    const NAME: &'static str = "pareto_nbd";
    const PARAMETER_NAMES: &'static [&'static str] = &["r", "alpha", "s", "beta"];
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
        vec![self.r, self.alpha, self.s, self.beta]
    }
    fn with_parameters(values: &[f64]) -> CrmResult<Self> {
        let [r, alpha, s, beta] = crate::models::parameter_array::<4>("Pareto/NBD", Self::PARAMETER_NAMES, values)?;
        let p = ParetoNbdParams { r, alpha, s, beta };
        validate_params(&p)?;
        Ok(p)
    }
}
