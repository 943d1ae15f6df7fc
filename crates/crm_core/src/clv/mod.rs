//! Customer lifetime value as the course and the `lifetimes` library compute it
//! (docs/references.md section 6): discounted monthly increments of expected purchases times
//! expected spend.
//!
//! Here: the definition for BG/NBD with Gamma-Gamma ([`clv`]), for any purchase model
//! ([`discounted_purchases`], the purchases part), and the bounds of a horizon. [`scorer`]: the
//! same numbers for many customers under one model, with per-frequency Chebyshev tables of the
//! expensive part (what the SQL layer scores tables with). The CLV builds on the models; the
//! models know nothing of it.

pub mod scorer;

use crate::error::{CrmError, CrmResult};
use crate::models::bgnbd::BgNbdParams;
use crate::models::gamma_gamma::GammaGammaParams;
use crate::models::PurchaseModel;
use crate::summary::units::TimeUnit;

use scorer::ClvScorer;

/// `sum_{k=1..months} E[spend] (E[X(k f)] - E[X((k-1) f)]) / (1 + discount)^k` with f = time units
/// per month of `unit` (weeks 4.345, days 30, hours 720) and E[X(h)] the BG/NBD conditional
/// expectation of purchases in (T, T + h]. x is the number of REPEAT purchases (BG/NBD and
/// Gamma-Gamma convention), t_x and T are in `unit`, m is the mean spend per repeat purchase and
/// E[spend] is the Gamma-Gamma conditional expectation for (x, m). `discount` is the monthly rate.
/// `months` is at most [`MAX_PERIODS`] (22023 otherwise).
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
    ClvScorer::new(*bg, *gg, months, discount, unit)?.clv(x, t_x, t, m)
}

/// Most periods (months of a CLV) a [`PurchasesScorer`](scorer::PurchasesScorer) or
/// [`ClvScorer`] takes: 100 years of months. A customer scored exactly costs a series per period,
/// each longer the longer the horizon, and a table costs up to 256 such scores: the work grows
/// with the square of the periods (a million months would run for minutes without a chance to
/// cancel), while a horizon beyond a century says nothing about a customer's value.
pub const MAX_PERIODS: u32 = 1200;

/// The error (22023) for more than [`MAX_PERIODS`] periods; `what` names them ("months").
fn check_periods(what: &str, periods: u32) -> CrmResult<()> {
    if periods <= MAX_PERIODS {
        return Ok(());
    }
    Err(CrmError::invalid(format!("{what} must be at most {MAX_PERIODS}, got {periods}")).with_hint(format!(
        "{MAX_PERIODS} {what} are 100 years of months; a CLV over a longer horizon is dominated by the discount and the drop-out"
    )))
}

/// Checks the periods of a discounted sum: at most [`MAX_PERIODS`] periods of `step` time units
/// (finite, >= 0) at a `discount` rate per period (finite, >= 0); errors 22023.
pub(crate) fn check_horizon(step: f64, periods: u32, discount: f64) -> CrmResult<()> {
    check_periods("periods", periods)?;
    if !(step.is_finite() && step >= 0.0) {
        return Err(CrmError::invalid("prediction horizon must be a finite non-negative number").with_detail(format!("got {step}")));
    }
    if !(discount.is_finite() && discount >= 0.0) {
        return Err(CrmError::invalid("discount rate must be a finite non-negative number")
            .with_detail(format!("got {discount}"))
            .with_hint("the rate is monthly, e.g. 0.01 for 1% per month"));
    }
    Ok(())
}

/// `sum_{k=1..periods} (E(k step) - E((k-1) step)) / (1 + discount)^k` of a cumulative
/// expectation E with E(0) = 0: the discounted expected purchases of each period.
pub(crate) fn discounted_increments(
    step: f64,
    periods: u32,
    discount: f64,
    mut cumulative: impl FnMut(f64) -> CrmResult<f64>,
) -> CrmResult<f64> {
    let (mut previous, mut total, mut factor) = (0.0, 0.0, 1.0);
    for k in 1..=periods {
        factor /= 1.0 + discount;
        let current = cumulative(k as f64 * step)?;
        total += (current - previous) * factor;
        previous = current;
    }
    Ok(total)
}

/// `sum_{k=1..periods} (E[X(k step)] - E[X((k-1) step)]) / (1 + discount)^k` with E[X(h)] the
/// conditional expected purchases in (T, T + h]: the purchases part of a CLV with monthly
/// `step`. `periods` at most [`MAX_PERIODS`]; `discount` finite and >= 0.
pub fn discounted_purchases<M: PurchaseModel>(
    model: &M,
    x: f64,
    t_x: f64,
    t: f64,
    step: f64,
    periods: u32,
    discount: f64,
) -> CrmResult<f64> {
    check_horizon(step, periods, discount)?;
    discounted_increments(step, periods, discount, |h| model.expected_purchases(x, t_x, t, h))
}
