//! Customer lifetime value as the course and the `lifetimes` library compute it (domain.md
//! section 6): discounted monthly increments of expected purchases times expected spend.

use crate::bgnbd::{expected_purchases, BgNbdParams};
use crate::error::{CrmError, CrmResult};
use crate::gamma_gamma::{expected_spend, GammaGammaParams};
use crate::units::TimeUnit;

/// `sum_{k=1..months} E[spend] (E[X(k f)] - E[X((k-1) f)]) / (1 + discount)^k` with f = time units
/// per month of `unit` (weeks 4.345, days 30, hours 720) and E[X(h)] the BG/NBD conditional
/// expectation of purchases in (T, T + h]. x is the number of REPEAT purchases (BG/NBD and
/// Gamma-Gamma convention), t_x and T are in `unit`, m is the mean spend per repeat purchase and
/// E[spend] is the Gamma-Gamma conditional expectation for (x, m). `discount` is the monthly rate.
#[allow(clippy::too_many_arguments)]
pub fn clv(
    bg: &BgNbdParams,
    gg: &GammaGammaParams,
    x: f64,
    t_x: f64,
    t: f64,
    m: f64,
    months: u32,
    discount: f64,
    unit: TimeUnit,
) -> CrmResult<f64> {
    if !(discount.is_finite() && discount >= 0.0) {
        return Err(CrmError::invalid("discount rate must be a finite non-negative number")
            .with_detail(format!("got {discount}"))
            .with_hint("the rate is monthly, e.g. 0.01 for 1% per month"));
    }
    let spend = expected_spend(gg, x, m)?;
    let per_month = unit.per_month();
    let mut previous = 0.0;
    let mut total = 0.0;
    for k in 1..=months {
        let cumulative = expected_purchases(bg, x, t_x, t, k as f64 * per_month)?;
        total += spend * (cumulative - previous) / (1.0 + discount).powi(k as i32);
        previous = cumulative;
    }
    if total.is_finite() {
        Ok(total)
    } else {
        Err(CrmError::out_of_range("customer lifetime value overflows").with_detail(format!("x = {x}, m = {m}")))
    }
}
