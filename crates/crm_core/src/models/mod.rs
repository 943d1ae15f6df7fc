//! The model family beyond BG/NBD and Gamma-Gamma, one folder per model, and what they share:
//! [`mle`] (a maximum-likelihood fit over weighted rows) and [`PurchaseModel`] (what the CLV and
//! the model-agnostic SQL layer ask of a purchase model).

pub mod bgbb;
pub mod mbgnbd;
pub mod mle;
pub mod pareto_nbd;
pub mod sbg;

use crate::error::CrmResult;

/// A non-contractual purchase model over (x, t_x, T): x repeat purchases, the last at age t_x,
/// age T, in the model's time unit. The CLV ([`discounted_purchases`]) and the SQL layer's generic
/// predictors need only this.
pub trait PurchaseModel {
    /// Short lower-case name, as in SQL (`bgnbd`, `pareto_nbd`, `mbgnbd`).
    const NAME: &'static str;
    /// P(alive at T | x, t_x, T).
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> CrmResult<f64>;
    /// E[purchases in (T, T + horizon] | x, t_x, T].
    fn expected_purchases(&self, x: f64, t_x: f64, t: f64, horizon: f64) -> CrmResult<f64>;
    /// E[purchases in (0, horizon]] of a new customer.
    fn expected_purchases_new(&self, horizon: f64) -> CrmResult<f64>;
    /// P(X(horizon) = n): a new customer's probability of exactly n purchases in (0, horizon].
    fn prob_purchases(&self, n: u64, horizon: f64) -> CrmResult<f64>;
}

/// `sum_{k=1..periods} (E[X(k step)] - E[X((k-1) step)]) / (1 + discount)^k` with E[X(h)] the
/// conditional expected purchases in (T, T + h]: the purchases part of a CLV with monthly
/// `step`. `periods` at most [`crate::clv::MAX_PERIODS`]; `discount` finite and >= 0.
pub fn discounted_purchases<M: PurchaseModel>(
    model: &M,
    x: f64,
    t_x: f64,
    t: f64,
    step: f64,
    periods: u32,
    discount: f64,
) -> CrmResult<f64> {
    crate::clv::check_horizon(step, periods, discount)?;
    crate::clv::discounted_increments(step, periods, discount, |h| model.expected_purchases(x, t_x, t, h))
}
