//! The Gamma-Gamma expected spend per transaction (Fader and Hardie 2013; docs/references.md
//! section 5).

use crate::error::{CrmError, CrmResult};

use super::{validate_customer, validate_params, GammaGammaParams};

/// Expected mean spend per transaction: (v + x m) p / (p x + q - 1); for x = 0 the population
/// mean p v / (q - 1). Err when the denominator is not positive (q <= 1 for the population mean,
/// p x + q <= 1 otherwise): the expected spend is infinite there, never a negative value.
pub fn expected_spend(p: &GammaGammaParams, x: f64, m: f64) -> CrmResult<f64> {
    validate_params(p)?;
    expected_spend_valid_params(p, x, m)
}

/// [`expected_spend`] for parameters already validated (per-row scoring validates them once).
#[inline]
pub(crate) fn expected_spend_valid_params(p: &GammaGammaParams, x: f64, m: f64) -> CrmResult<f64> {
    validate_customer(x, m)?;
    let (num, den) = if x == 0.0 { (p.p * p.v, p.q - 1.0) } else { ((p.v + x * m) * p.p, p.p * x + p.q - 1.0) };
    if den <= 0.0 {
        return Err(CrmError::out_of_range("expected spend is infinite for these Gamma-Gamma parameters")
            .with_detail(format!("p x + q - 1 = {den} with p = {}, q = {}, x = {x}", p.p, p.q))
            .with_hint("the population mean spend exists only for q > 1; refit with more data or a penalizer"));
    }
    let v = num / den;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(CrmError::out_of_range("expected spend overflows").with_detail(format!("x = {x}, m = {m}")))
    }
}
