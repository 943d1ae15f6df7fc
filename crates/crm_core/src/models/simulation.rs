//! What the purchase models' simulations share: the simulated customer ([`SimCustomer`]), the
//! limits of one call and the checks made before and while drawing. Each model's generative
//! process is its folder's `simulate`.

use crate::error::{CrmError, CrmResult};

#[derive(Clone, Debug, PartialEq)]
pub struct SimCustomer {
    pub id: u64,
    pub frequency: u64,
    pub recency: f64,
    pub t: f64,
    pub monetary: f64,
}

/// Most customers one call simulates.
pub const MAX_CUSTOMERS: u64 = 100_000_000;
/// Most repeat purchases one call simulates (guards against absurd rates).
pub const MAX_PURCHASES: f64 = 1e9;

pub(crate) fn sampler_error(e: impl std::fmt::Display) -> CrmError {
    CrmError::invalid("invalid parameters for the simulation").with_detail(e.to_string())
}

/// The checks a purchase-model simulation makes before drawing (22023): at most
/// [`MAX_CUSTOMERS`] customers, `t_max` finite and positive, and about n r / alpha t_max repeat
/// purchases expected (the purchase rate's mean r / alpha) at most [`MAX_PURCHASES`].
pub(crate) fn check_simulation(n: u64, r: f64, alpha: f64, t_max: f64) -> CrmResult<()> {
    if n > MAX_CUSTOMERS {
        return Err(CrmError::invalid("too many customers to simulate").with_detail(format!("got {n}, at most {MAX_CUSTOMERS}")));
    }
    if !(t_max.is_finite() && t_max > 0.0) {
        return Err(CrmError::invalid("t_max must be a finite positive number").with_detail(format!("got {t_max}")));
    }
    let expected = n as f64 * r / alpha * t_max;
    if expected > MAX_PURCHASES {
        return Err(CrmError::invalid("simulation would generate too many purchases")
            .with_detail(format!("about {expected:e} repeat purchases (n r / alpha t_max)"))
            .with_hint("lower n or t_max, or check the time unit of alpha"));
    }
    Ok(())
}

/// Adds a customer's x drawn repeat purchases to the running `total`; 22023 beyond [`MAX_PURCHASES`].
pub(crate) fn count_purchases(total: &mut f64, x: u64) -> CrmResult<()> {
    *total += x as f64;
    if *total > MAX_PURCHASES {
        return Err(CrmError::invalid("simulation generated too many purchases").with_detail(format!("more than {MAX_PURCHASES:e}")));
    }
    Ok(())
}
