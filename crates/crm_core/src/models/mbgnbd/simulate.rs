//! Simulated customers from the MBG/NBD generative process (Batislam, Denizel and Filiztekin
//! 2007, section 2.2), for parameter-recovery tests and examples. Per customer, in this order
//! from one ChaCha8 stream seeded with `seed` (the output is a function of the arguments alone,
//! as in [`crate::models::bgnbd::simulate`](mod@crate::models::bgnbd::simulate)):
//! 1. T ~ Uniform(0, t_max] (T = t_max (1 - u)).
//! 2. lambda ~ Gamma(shape r, rate alpha), p ~ Beta(a, b).
//! 3. The first purchase is at time 0, and right after it the customer drops out with
//!    probability p (one uniform draw). While alive, repeat purchases follow with
//!    Exponential(lambda) gaps; a purchase after T is not observed (and ends the draws); after
//!    each observed repeat purchase the customer drops out with probability p. frequency =
//!    observed repeat purchases, recency = time of the last one (0 if none), monetary = 0.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution, Exp, Gamma};

use crate::error::CrmResult;
use crate::interrupt::Countdown;
use crate::models::simulation::{check_simulation, count_purchases, sampler_error, SimCustomer};

use super::{validate_params, MbgNbdParams};

/// `n` customers (ids 1..=n) drawn as the module describes. `check_interrupt` is called every
/// [`crate::interrupt::CHECK_EVERY`] customers. Errors (22023): invalid parameters, `n` above
/// [`crate::models::simulation::MAX_CUSTOMERS`], `t_max` not finite and positive, more than
/// [`crate::models::simulation::MAX_PURCHASES`] repeat purchases (expected, n r / alpha t_max, or
/// drawn).
pub fn simulate(n: u64, params: &MbgNbdParams, t_max: f64, seed: u64, check_interrupt: &mut dyn FnMut()) -> CrmResult<Vec<SimCustomer>> {
    validate_params(params)?;
    check_simulation(n, params.r, params.alpha, t_max)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rate_dist = Gamma::new(params.r, 1.0 / params.alpha).map_err(sampler_error)?;
    let drop_dist = Beta::new(params.a, params.b).map_err(sampler_error)?;
    let mut out = Vec::with_capacity(n as usize);
    let mut purchases = 0.0;
    let mut countdown = Countdown::new(check_interrupt);
    for id in 1..=n {
        countdown.tick();
        let t = t_max * (1.0 - rng.random::<f64>());
        let lambda: f64 = rate_dist.sample(&mut rng);
        let p: f64 = drop_dist.sample(&mut rng);
        let (mut x, mut t_x) = (0u64, 0.0);
        let alive_after_first = rng.random::<f64>() >= p;
        if alive_after_first && lambda > 0.0 && lambda.is_finite() {
            let gap = Exp::new(lambda).map_err(sampler_error)?;
            let mut now = 0.0;
            loop {
                now += gap.sample(&mut rng);
                if now > t {
                    break;
                }
                x += 1;
                t_x = now;
                if rng.random::<f64>() < p {
                    break;
                }
            }
        }
        count_purchases(&mut purchases, x)?;
        out.push(SimCustomer { id, frequency: x, recency: t_x, t, monetary: 0.0 });
    }
    Ok(out)
}
