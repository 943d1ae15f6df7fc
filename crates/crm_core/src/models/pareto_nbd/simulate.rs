//! Simulated Pareto/NBD customers, for parameter-recovery tests and examples. The conventions
//! of [`crate::models::bgnbd::simulate`](mod@crate::models::bgnbd::simulate): per customer, in this
//! order from one ChaCha8 stream seeded with `seed`:
//! 1. T ~ Uniform(0, t_max] (T = t_max (1 - u)).
//! 2. lambda ~ Gamma(shape r, rate alpha), mu ~ Gamma(shape s, rate beta), lifetime ~ Exponential(mu).
//! 3. The first purchase at time 0, repeat purchases at Exponential(lambda) gaps while alive and
//!    up to T: frequency = their number, recency = the time of the last (0 if none). Monetary 0.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, Gamma};

use super::{validate_params, ParetoNbdParams};
use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::models::simulation::{check_simulation, sampler_error, SimCustomer, MAX_PURCHASES};

/// `n` customers (ids 1..=n) drawn as the module describes; `check_interrupt` every
/// [`crate::interrupt::CHECK_EVERY`] customers. Errors (22023): invalid parameters, `n` above
/// [`crate::models::simulation::MAX_CUSTOMERS`], `t_max` not finite and positive, more than
/// [`MAX_PURCHASES`] repeat purchases (expected, n r / alpha t_max, or drawn).
pub fn simulate(n: u64, p: &ParetoNbdParams, t_max: f64, seed: u64, check_interrupt: &mut dyn FnMut()) -> CrmResult<Vec<SimCustomer>> {
    validate_params(p)?;
    check_simulation(n, p.r, p.alpha, t_max)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rate_dist = Gamma::new(p.r, 1.0 / p.alpha).map_err(sampler_error)?;
    let drop_dist = Gamma::new(p.s, 1.0 / p.beta).map_err(sampler_error)?;
    let mut out = Vec::with_capacity(n as usize);
    let mut purchases = 0.0;
    let mut countdown = Countdown::new(check_interrupt);
    for id in 1..=n {
        countdown.tick();
        let t = t_max * (1.0 - rng.random::<f64>());
        let lambda: f64 = rate_dist.sample(&mut rng);
        let mu: f64 = drop_dist.sample(&mut rng);
        // Exp(1) / mu: an infinite lifetime when mu underflows to 0.
        let death = Exp::new(1.0).map_err(sampler_error)?.sample(&mut rng) / mu;
        let end = t.min(death);
        let (mut x, mut t_x) = (0u64, 0.0);
        if lambda > 0.0 && lambda.is_finite() {
            let gap = Exp::new(lambda).map_err(sampler_error)?;
            let mut now = 0.0;
            loop {
                now += gap.sample(&mut rng);
                if now > end {
                    break;
                }
                x += 1;
                t_x = now;
                if purchases + x as f64 > MAX_PURCHASES {
                    return Err(
                        CrmError::invalid("simulation generated too many purchases").with_detail(format!("more than {MAX_PURCHASES:e}"))
                    );
                }
            }
        }
        purchases += x as f64;
        out.push(SimCustomer { id, frequency: x, recency: t_x, t, monetary: 0.0 });
    }
    Ok(out)
}
