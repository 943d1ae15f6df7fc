//! MBG/NBD: the modified beta-geometric/NBD model of Batislam, Denizel and Filiztekin (2007),
//! "Empirical validation and comparison of models for customer base analysis", International
//! Journal of Research in Marketing 24 (3), 201-209, with the conditional expectation corrected
//! by Wagner and Hoppe (2008), "Erratum on the MBG/NBD model", IJRM 25 (3), 225-226. It is
//! `lifetimes`' `ModifiedBetaGeoFitter`.
//!
//! The model (Batislam et al. section 2.2): while alive a customer buys as a Poisson process of
//! rate lambda ~ Gamma(shape r, rate alpha); right after the first purchase (time 0) and after
//! every repeat purchase the customer drops out with probability p ~ Beta(a, b). Unlike BG/NBD
//! (Fader, Hardie and Lee 2005), where dropout can only follow a repeat purchase, a customer
//! without repeat purchases may already be gone: P(alive) < 1 for x = 0.
//!
//! Data: (x, t_x, T) per customer as in BG/NBD, in one time unit, gathered in a
//! [`BgNbdSummary`](crate::summary::rft::BgNbdSummary) (x = repeat purchases, t_x = age at the last one,
//! T = age). Files: [`likelihood`] (per-customer log-likelihood and the fit), [`predict`]
//! (P(alive), expectations, purchase-count probabilities) and [`simulate()`] (the generative
//! process).
//!
//! Two facts tie the predictions to BG/NBD's, whose evaluation ([`crate::models::bgnbd`]) they reuse:
//! - Alive at T after x repeat purchases means x + 1 dropout draws survived (at time 0 and
//!   after each purchase), so p | alive ~ Beta(a, b + x + 1), against Beta(a, b + x) in BG/NBD;
//!   lambda | data ~ Gamma(r + x, alpha + T) in both. From T on both models are the same process
//!   (dropout after each purchase). Hence the MBG/NBD expectation while alive is the BG/NBD one
//!   with b + 1 in place of b (see [`predict::expected_purchases`]).
//! - A new customer is gone at time 0 with probability E(p) = a/(a+b); otherwise p ~ Beta(a, b+1)
//!   and from then on the customer follows BG/NBD. So X(t) is 0 with probability a/(a+b) and
//!   otherwise X(t) of a BG/NBD customer with parameters (r, alpha, a, b + 1)
//!   (see [`predict::expected_purchases_new`] and [`predict::prob_purchases`]).

pub mod likelihood;
pub mod predict;
pub mod simulate;

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, CrmResult};
use crate::models::bgnbd::BgNbdParams;

pub use likelihood::{fit, log_likelihood};
pub use predict::{expected_purchases, expected_purchases_new, p_alive, prob_purchases};
pub use simulate::simulate;

/// MBG/NBD parameters (Batislam et al. 2007): lambda ~ Gamma(shape r, rate alpha), alpha in the
/// data's time unit; dropout probability p ~ Beta(a, b).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MbgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// All parameters finite and > 0.
pub fn validate_params(p: &MbgNbdParams) -> CrmResult<()> {
    for (name, v) in [("r", p.r), ("alpha", p.alpha), ("a", p.a), ("b", p.b)] {
        if !(v.is_finite() && v > 0.0) {
            return Err(CrmError::invalid(format!("MBG/NBD parameter {name} must be a finite positive number"))
                .with_detail(format!("got {name} = {v}")));
        }
    }
    Ok(())
}

impl MbgNbdParams {
    /// The BG/NBD parameters whose predictions from T on are this model's for an alive customer
    /// (and, for a new customer, once the dropout draw at time 0 is survived): b + 1 in place of
    /// b (module docs). Valid whenever these are: b + 1 of a finite b is finite (it rounds to
    /// b itself from 2^53 on).
    pub(crate) fn survivor_bgnbd(&self) -> BgNbdParams {
        BgNbdParams { r: self.r, alpha: self.alpha, a: self.a, b: self.b + 1.0 }
    }
}

impl crate::models::PurchaseModel for MbgNbdParams {
    const NAME: &'static str = "mbgnbd";
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
        let [r, alpha, a, b] = crate::models::parameter_array::<4>("MBG/NBD", Self::PARAMETER_NAMES, values)?;
        let p = MbgNbdParams { r, alpha, a, b };
        validate_params(&p)?;
        Ok(p)
    }
}
