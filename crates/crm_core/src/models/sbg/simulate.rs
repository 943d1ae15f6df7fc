//! Customers drawn from the sBG process (FH 2007), for examples and parameter recovery tests.
//! Per customer, in this order from one ChaCha8 stream seeded with `seed` (the output is a
//! function of the arguments alone): theta ~ Beta(alpha, beta), then one uniform u in (0, 1]
//! and the churn period T = 1 + floor(ln u / ln(1 - theta)) (geometric: P(T > t) = (1-theta)^t).
//! A customer with T > `periods` is reported active (censored) after `periods` periods.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution};

use super::{validate_params, SbgParams, SurvivalSummary};
use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::models::simulation::MAX_CUSTOMERS;

/// One simulated customer: churned in period `duration` (`churned`), or still active after
/// `duration` = the observation's periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SbgCustomer {
    pub id: u64,
    pub duration: u64,
    pub churned: bool,
}

impl SbgCustomer {
    /// The summary of simulated customers.
    pub fn summary(customers: &[SbgCustomer]) -> SurvivalSummary {
        let mut s = SurvivalSummary::default();
        for c in customers {
            s.add(c.duration, c.churned, 1).expect("a simulated churn is in period 1 or later");
        }
        s
    }
}

/// `customers` customers (ids 1..=customers) of one cohort observed for `periods` periods,
/// drawn as the module describes. `check_interrupt` is called every
/// [`crate::interrupt::CHECK_EVERY`] customers. Err (22023): invalid parameters or more than
/// [`MAX_CUSTOMERS`] customers.
pub fn simulate(
    customers: u64,
    params: &SbgParams,
    periods: u64,
    seed: u64,
    check_interrupt: &mut dyn FnMut(),
) -> CrmResult<Vec<SbgCustomer>> {
    validate_params(params)?;
    if customers > MAX_CUSTOMERS {
        return Err(CrmError::invalid("too many customers to simulate").with_detail(format!("got {customers}, at most {MAX_CUSTOMERS}")));
    }
    let theta_dist = Beta::new(params.alpha, params.beta)
        .map_err(|e| CrmError::invalid("invalid parameters for the simulation").with_detail(e.to_string()))?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut countdown = Countdown::new(check_interrupt);
    let mut out = Vec::with_capacity(customers as usize);
    for id in 1..=customers {
        countdown.tick();
        let theta: f64 = theta_dist.sample(&mut rng);
        let u = 1.0 - rng.random::<f64>();
        // ln u <= 0 over ln(1 - theta) < 0; theta = 0 (never churns) gives +inf, theta = 1 gives 0.
        let survived = if theta > 0.0 { u.ln() / (-theta).ln_1p() } else { f64::INFINITY };
        let c = if survived < periods as f64 {
            SbgCustomer { id, duration: 1 + survived as u64, churned: true }
        } else {
            SbgCustomer { id, duration: periods, churned: false }
        };
        out.push(c);
    }
    Ok(out)
}
