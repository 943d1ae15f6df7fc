//! BG/BB, the beta-geometric/beta-Bernoulli model of Fader, Hardie and Shang (2010),
//! "Customer-base analysis in a discrete-time noncontractual setting", Marketing Science 29(6),
//! 1086-1108 (FHS 2010): discrete transaction opportunities, such as yearly donation drives.
//!
//! A customer's history is (x, t_x, n): after the first transaction (opportunity 0), x
//! transactions in the n opportunities 1..n, the last at opportunity t_x (t_x = 0 when x = 0),
//! so that x <= t_x <= n, all whole numbers. While alive, a customer transacts at each
//! opportunity with probability p ~ Beta(alpha, beta) (heterogeneous across customers), and at
//! the start of each opportunity becomes inactive for good with probability
//! theta ~ Beta(gamma, delta).
//!
//! The data are the rows of a [`crate::summary::rft::BgNbdSummary`] with T = n: the fit and every
//! predictor check that t_x and n are whole and x <= t_x ([`validate_customer`]).
//!
//! - [`fit`] / [`log_likelihood`]: maximum likelihood (FHS 2010 eq. 5), [`likelihood`].
//! - [`p_alive`], [`p_alive_at`], [`expected_purchases`], [`expected_purchases_new`],
//!   [`prob_purchases`], [`dert`]: the predictions of FHS 2010 section 4, [`predict`].
//! - [`simulate`]: customers drawn from the model, [`mod@simulate`].

pub mod likelihood;
pub mod predict;
pub mod simulate;

use serde::{Deserialize, Serialize};

use crate::error::{CrmError, CrmResult};

pub use likelihood::{fit, log_likelihood, MAX_FIT_STEPS};
pub use predict::{dert, expected_purchases, expected_purchases_new, p_alive, p_alive_at, prob_purchases};
pub use simulate::{simulate, BgBbCustomer};

/// BG/BB parameters (FHS 2010 section 2): p ~ Beta(alpha, beta) the transaction probability at
/// each opportunity while alive, theta ~ Beta(gamma, delta) the dropout probability at the start
/// of each opportunity.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BgBbParams {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub delta: f64,
}

impl BgBbParams {
    /// From (alpha, beta, gamma, delta), the order of [`fit`]'s `MleFit::params`.
    pub fn from_array(p: [f64; 4]) -> Self {
        BgBbParams { alpha: p[0], beta: p[1], gamma: p[2], delta: p[3] }
    }
    /// (alpha, beta, gamma, delta).
    pub fn to_array(self) -> [f64; 4] {
        [self.alpha, self.beta, self.gamma, self.delta]
    }
}

/// All parameters finite and > 0 (22023 otherwise, naming the parameter).
pub fn validate_params(p: &BgBbParams) -> CrmResult<()> {
    for (name, v) in [("alpha", p.alpha), ("beta", p.beta), ("gamma", p.gamma), ("delta", p.delta)] {
        if !(v.is_finite() && v > 0.0) {
            return Err(CrmError::invalid(format!("BG/BB parameter {name} must be a finite positive number"))
                .with_detail(format!("got {name} = {v}")));
        }
    }
    Ok(())
}

/// Most transaction opportunities n (and future opportunities) a customer may have: every
/// likelihood and prediction takes O(n - t_x) steps at most.
pub const MAX_OPPORTUNITIES: u64 = 10_000_000;

/// Checks one customer's (x, t_x, n) as floats (the columns of a [`crate::summary::rft::BgNbdSummary`]
/// with T = n): each a whole number, 0 <= x <= t_x <= n <= [`MAX_OPPORTUNITIES`], t_x = 0 when
/// x = 0. Err (22023) saying which condition fails, with the values. Returns them as integers.
pub fn validate_customer(x: f64, t_x: f64, n: f64) -> CrmResult<(u64, u64, u64)> {
    let whole = |v: f64| v.is_finite() && v >= 0.0 && v == v.trunc() && v <= MAX_OPPORTUNITIES as f64;
    let values = || format!("got frequency {x}, recency {t_x}, periods {n}");
    let hint = "BG/BB counts transaction opportunities: x transactions in the n opportunities after the first, the last at opportunity t_x";
    if !(whole(x) && whole(t_x) && whole(n)) {
        return Err(CrmError::invalid(format!(
            "BG/BB frequency, recency and periods must be whole numbers of transaction opportunities between 0 and {MAX_OPPORTUNITIES}"
        ))
        .with_detail(values())
        .with_hint(hint));
    }
    if !(x <= t_x && t_x <= n) {
        return Err(CrmError::invalid("BG/BB needs frequency <= recency <= periods").with_detail(values()).with_hint(hint));
    }
    if x == 0.0 && t_x != 0.0 {
        return Err(CrmError::invalid("BG/BB recency must be 0 for a customer without repeat transactions").with_detail(values()));
    }
    Ok((x as u64, t_x as u64, n as u64))
}
