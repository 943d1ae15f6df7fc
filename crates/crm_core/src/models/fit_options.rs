//! What every fit shares: its options ([`FitOptions`]: the `lifetimes` penalizer and the
//! iteration budget) and the largest frequency a fit takes ([`MAX_FIT_FREQUENCY`]).

use crate::error::{CrmError, CrmResult};

/// Most repeat purchases (frequency) of a customer that the BG/NBD and Gamma-Gamma fits take.
/// Beyond it the log-likelihood's terms (log-gamma functions of about x ln x) are so large
/// that their rounding swamps the differences the fit needs: at 1e12 the optimiser cannot
/// leave its start. Predictions take any frequency.
pub const MAX_FIT_FREQUENCY: u64 = 1_000_000_000;

/// The error (22003) of a fit given a frequency above [`MAX_FIT_FREQUENCY`].
pub(crate) fn check_fit_frequency(model: &str, max_x: u64) -> CrmResult<()> {
    if max_x <= MAX_FIT_FREQUENCY {
        return Ok(());
    }
    Err(CrmError::out_of_range(format!("frequency must be at most {MAX_FIT_FREQUENCY} repeat purchases to fit {model}, got {max_x}"))
        .with_detail("the log-likelihood cannot be evaluated precisely enough for such counts")
        .with_hint("frequency is the number of repeat purchases (purchase periods - 1), not an amount"))
}

/// Options of the BG/NBD and Gamma-Gamma fits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FitOptions {
    /// L2 penalty c of the `lifetimes` library: the objective is -(mean log-likelihood) +
    /// c * sum(params^2), BG/NBD alpha taken in time scaled by 1/max(T). 0 = maximum likelihood.
    pub penalizer: f64,
    /// Maximum number of optimiser iterations (over all restarts).
    pub max_iter: u64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions { penalizer: 0.0, max_iter: 1000 }
    }
}

impl FitOptions {
    pub fn validate(&self) -> CrmResult<()> {
        if !(self.penalizer.is_finite() && self.penalizer >= 0.0) {
            return Err(CrmError::invalid("penalizer must be a finite non-negative number").with_detail(format!("got {}", self.penalizer)));
        }
        if self.max_iter == 0 {
            return Err(CrmError::invalid("max_iter must be at least 1"));
        }
        Ok(())
    }
}
