//! Customers drawn from the BG/BB process (FHS 2010 section 2), for examples and parameter
//! recovery tests. Per customer, in this order from one ChaCha8 stream seeded with `seed` (the
//! output is a function of the arguments alone): p ~ Beta(alpha, beta), theta ~ Beta(gamma,
//! delta); then for each opportunity t = 1..periods, while alive: one uniform draw, below theta
//! the customer becomes inactive for good; otherwise a second uniform draw, below p a
//! transaction at t.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution};

use super::{validate_params, BgBbParams, MAX_OPPORTUNITIES};
use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::models::simulation::MAX_CUSTOMERS;

/// One simulated customer: `frequency` transactions in opportunities 1..=`periods`, the last at
/// `recency` (0 when none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BgBbCustomer {
    pub id: u64,
    pub frequency: u64,
    pub recency: u64,
    pub periods: u64,
}

/// Most opportunities (customers times periods) one call simulates.
pub const MAX_SIMULATED_OPPORTUNITIES: u64 = 2_000_000_000;

/// `customers` customers (ids 1..=customers), each observed over `periods` opportunities, drawn
/// as the module describes. `check_interrupt` is called every
/// [`crate::interrupt::CHECK_EVERY`] customers. Err (22023): invalid parameters, more than
/// [`MAX_CUSTOMERS`] customers, periods above [`MAX_OPPORTUNITIES`], or more than
/// [`MAX_SIMULATED_OPPORTUNITIES`] in all.
pub fn simulate(
    customers: u64,
    params: &BgBbParams,
    periods: u64,
    seed: u64,
    check_interrupt: &mut dyn FnMut(),
) -> CrmResult<Vec<BgBbCustomer>> {
    validate_params(params)?;
    if customers > MAX_CUSTOMERS {
        return Err(CrmError::invalid("too many customers to simulate").with_detail(format!("got {customers}, at most {MAX_CUSTOMERS}")));
    }
    if periods > MAX_OPPORTUNITIES || customers.saturating_mul(periods) > MAX_SIMULATED_OPPORTUNITIES {
        return Err(CrmError::invalid("BG/BB simulation has too many transaction opportunities").with_detail(format!(
            "{customers} customers times {periods} periods, at most {MAX_SIMULATED_OPPORTUNITIES} in all and {MAX_OPPORTUNITIES} periods"
        )));
    }
    let sampler =
        |a: f64, b: f64| Beta::new(a, b).map_err(|e| CrmError::invalid("invalid parameters for the simulation").with_detail(e.to_string()));
    let (p_dist, theta_dist) = (sampler(params.alpha, params.beta)?, sampler(params.gamma, params.delta)?);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut countdown = Countdown::new(check_interrupt);
    let mut out = Vec::with_capacity(customers as usize);
    for id in 1..=customers {
        countdown.tick();
        let p: f64 = p_dist.sample(&mut rng);
        let theta: f64 = theta_dist.sample(&mut rng);
        let (mut frequency, mut recency) = (0, 0);
        for t in 1..=periods {
            if rng.random::<f64>() < theta {
                break;
            }
            if rng.random::<f64>() < p {
                frequency += 1;
                recency = t;
            }
        }
        out.push(BgBbCustomer { id, frequency, recency, periods });
    }
    Ok(out)
}
