//! sBG, the shifted-beta-geometric model of contractual retention: Fader and Hardie (2007),
//! "How to project customer retention", Journal of Interactive Marketing 21(1), 76-90 (FH
//! 2007), with the residual value of Fader and Hardie (2010), "Customer-base valuation in a
//! contractual setting: the perils of ignoring heterogeneity", Marketing Science 29(1), 85-93
//! (FH 2010).
//!
//! Customers are acquired at time 0 and renew (or not) at the end of each period. A customer
//! churns at the end of each period with probability theta, constant over time for that
//! customer and theta ~ Beta(alpha, beta) across customers, so the period T of the churn has
//! (FH 2007 eqs. 1-3)
//! P(T = t) = B(alpha+1, beta+t-1) / B(alpha, beta), t = 1, 2, ...,
//! S(t) = P(T > t) = B(alpha, beta+t) / B(alpha, beta), S(0) = 1,
//! and the retention rate r(t) = S(t)/S(t-1) = (beta+t-1)/(alpha+beta+t-1) rises with t as the
//! customers most prone to churn leave first.
//!
//! - [`SurvivalSummary`]: churn periods and censored (still active) durations with counts,
//!   combinable across cohorts, [`summary`].
//! - [`fit`], [`log_likelihood`]: maximum likelihood, [`likelihood`].
//! - [`retention_rate`], [`survival`], [`churn_probability`], [`derl`], [`cohort_clv`]:
//!   [`predict`].
//! - [`simulate`]: customers drawn from the model, [`mod@simulate`].

pub mod likelihood;
pub mod predict;
pub mod simulate;
pub mod summary;

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, CrmResult};

pub use likelihood::{fit, log_likelihood};
pub use predict::{churn_probability, cohort_clv, derl, retention_rate, survival};
pub use simulate::{simulate, SbgCustomer};
pub use summary::SurvivalSummary;

/// sBG parameters: the churn probability per period theta ~ Beta(alpha, beta) (FH 2007).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SbgParams {
    pub alpha: f64,
    pub beta: f64,
}

impl SbgParams {
    /// From (alpha, beta), the order of [`fit`]'s `MleFit::params`.
    pub fn from_array(p: [f64; 2]) -> Self {
        SbgParams { alpha: p[0], beta: p[1] }
    }
    /// (alpha, beta).
    pub fn to_array(self) -> [f64; 2] {
        [self.alpha, self.beta]
    }
}

/// Both parameters finite and > 0 (22023 otherwise, naming the parameter).
pub fn validate_params(p: &SbgParams) -> CrmResult<()> {
    for (name, v) in [("alpha", p.alpha), ("beta", p.beta)] {
        if !(v.is_finite() && v > 0.0) {
            return Err(CrmError::invalid(format!("sBG parameter {name} must be a finite positive number"))
                .with_detail(format!("got {name} = {v}")));
        }
    }
    Ok(())
}
