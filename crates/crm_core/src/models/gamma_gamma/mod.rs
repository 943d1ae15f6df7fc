//! Gamma-Gamma model of spend per transaction (Fader and Hardie 2013), docs/references.md
//! section 5. Fitted on customers with x > 0 repeat purchases and mean repeat spend m > 0.
//!
//! Files, as in the other model folders: [`summary`] (the model's own combinable summary of
//! distinct (x, m) rows, `crm_spend_summary` in SQL), [`likelihood`] (the summed log-likelihood
//! with its analytic gradient and Hessian), [`fit`](mod@fit) (the penalised objective, a coarse
//! copy of large summaries, the fit) and [`predict`] (the expected spend). The parameters and
//! the check of one customer's (x, m) are here.

pub mod fit;
pub mod likelihood;
pub mod predict;
pub mod summary;

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, CrmResult};
use crate::summary::rft::{is_repeat_count, repeat_count_error};

pub use fit::{fit, GammaGammaFit};
pub use predict::expected_spend;
pub use summary::GammaGammaSummary;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    pub p: f64,
    pub q: f64,
    pub v: f64,
}

pub fn validate_params(p: &GammaGammaParams) -> CrmResult<()> {
    for (name, v) in [("p", p.p), ("q", p.q), ("v", p.v)] {
        if !(v.is_finite() && v > 0.0) {
            return Err(CrmError::invalid(format!("Gamma-Gamma parameter {name} must be a finite positive number"))
                .with_detail(format!("got {name} = {v}")));
        }
    }
    Ok(())
}

impl GammaGammaParams {
    /// The names of the parameters, in the order of [`GammaGammaParams::to_vec`].
    pub const PARAMETER_NAMES: &'static [&'static str] = &["p", "q", "v"];

    /// (p, q, v): the order of the fit's estimates, standard errors and covariance.
    pub fn to_vec(&self) -> Vec<f64> {
        vec![self.p, self.q, self.v]
    }

    /// From (p, q, v), checked by [`validate_params`]; Err (22023) for a wrong number of
    /// values or an invalid parameter.
    pub fn from_slice(values: &[f64]) -> CrmResult<Self> {
        let [p, q, v] = crate::models::parameter_array::<3>("Gamma-Gamma", Self::PARAMETER_NAMES, values)?;
        let params = GammaGammaParams { p, q, v };
        validate_params(&params)?;
        Ok(params)
    }
}

#[inline]
fn validate_customer(x: f64, m: f64) -> CrmResult<()> {
    // Valid rows pass one test (NaN fails every comparison); the rest find their message below.
    if is_repeat_count(x) && (0.0..f64::INFINITY).contains(&m) {
        Ok(())
    } else {
        customer_error(x, m).map_or(Ok(()), Err)
    }
}

#[cold]
#[inline(never)]
fn customer_error(x: f64, m: f64) -> Option<CrmError> {
    if !is_repeat_count(x) {
        return Some(repeat_count_error(x));
    }
    if !m.is_finite() {
        return Some(CrmError::invalid("monetary value must be finite").with_detail(format!("got {m}")));
    }
    if m < 0.0 {
        return Some(
            CrmError::invalid("monetary value must not be negative")
                .with_detail(format!("got {m}"))
                .with_hint("returns and refunds belong in the transaction data, not in the mean spend"),
        );
    }
    None
}
