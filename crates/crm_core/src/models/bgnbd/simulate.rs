//! Simulated customers from the BG/NBD (and optionally Gamma-Gamma) generative process, for
//! examples, parameter-recovery tests and `crm_bgnbd_simulate`.
//!
//! Per customer, in this order from one ChaCha8 stream seeded with `seed` (so the output is a
//! function of the arguments alone):
//! 1. T ~ Uniform(0, t_max] (customers acquired uniformly over the period; T = t_max (1 - u)).
//! 2. lambda ~ Gamma(shape r, rate alpha), p ~ Beta(a, b).
//! 3. The first purchase is at time 0. Repeat purchases follow with Exponential(lambda) gaps;
//!    a purchase after T is not observed. After each repeat purchase the customer drops out
//!    with probability p. frequency = observed repeat purchases, recency = time of the last one
//!    (0 if none).
//! 4. With Gamma-Gamma parameters: nu ~ Gamma(shape q, rate v) per customer, each repeat
//!    purchase spends z ~ Gamma(shape p, rate nu), monetary = mean of those z; 0 when
//!    frequency = 0 or no Gamma-Gamma parameters are given (then no spend draws are made).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution, Exp, Gamma};

use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::models::gamma_gamma::{self, GammaGammaParams};
use crate::models::simulation::{check_simulation, count_purchases, sampler_error, SimCustomer};

use super::{validate_params, BgNbdParams};

/// `n` customers (ids 1..=n) drawn as the module describes. `check_interrupt` is called every
/// [`crate::interrupt::CHECK_EVERY`] customers. Errors (22023): invalid parameters, `n` above
/// [`MAX_CUSTOMERS`](crate::models::simulation::MAX_CUSTOMERS), `t_max` not finite and positive, more than
/// [`MAX_PURCHASES`](crate::models::simulation::MAX_PURCHASES) repeat
/// purchases (expected or drawn); (22003) a simulated spend out of range of double precision
/// (Gamma-Gamma parameters that make the spend rate underflow, such as q near 0), so that every
/// number returned is finite.
pub fn simulate(
    n: u64,
    bg: &BgNbdParams,
    gg: Option<&GammaGammaParams>,
    t_max: f64,
    seed: u64,
    check_interrupt: &mut dyn FnMut(),
) -> CrmResult<Vec<SimCustomer>> {
    validate_params(bg)?;
    if let Some(g) = gg {
        gamma_gamma::validate_params(g)?;
    }
    check_simulation(n, bg.r, bg.alpha, t_max)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rate_dist = Gamma::new(bg.r, 1.0 / bg.alpha).map_err(sampler_error)?;
    let drop_dist = Beta::new(bg.a, bg.b).map_err(sampler_error)?;
    let nu_dist = match gg {
        Some(g) => Some(Gamma::new(g.q, 1.0 / g.v).map_err(sampler_error)?),
        None => None,
    };
    let mut out = Vec::with_capacity(n as usize);
    let mut purchases = 0.0;
    let mut countdown = Countdown::new(check_interrupt);
    for id in 1..=n {
        countdown.tick();
        let t = t_max * (1.0 - rng.random::<f64>());
        let lambda: f64 = rate_dist.sample(&mut rng);
        let p: f64 = drop_dist.sample(&mut rng);
        let (mut x, mut t_x) = (0u64, 0.0);
        if lambda > 0.0 && lambda.is_finite() {
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
        let mut monetary = 0.0;
        if let (Some(g), Some(nu_dist), true) = (gg, &nu_dist, x > 0) {
            let nu: f64 = nu_dist.sample(&mut rng);
            let spend = Gamma::new(g.p, 1.0 / nu.max(f64::MIN_POSITIVE)).map_err(sampler_error)?;
            let total: f64 = (0..x).map(|_| spend.sample(&mut rng)).sum();
            monetary = total / x as f64;
            if !monetary.is_finite() {
                return Err(CrmError::out_of_range("simulated spend is out of range for double precision")
                    .with_detail(format!(
                        "customer {id}: {x} purchases, spend rate nu = {nu:e}, Gamma-Gamma p = {}, q = {}, v = {}",
                        g.p, g.q, g.v
                    ))
                    .with_hint("q and v set the spend rate nu ~ Gamma(q, v); values that let nu underflow to 0 make the spend infinite"));
            }
        }
        out.push(SimCustomer { id, frequency: x, recency: t_x, t, monetary });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    const BG: BgNbdParams = BgNbdParams { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 };
    const GG: GammaGammaParams = GammaGammaParams { p: 6.25, q: 3.74, v: 15.44 };

    #[test]
    fn many_customers_check_for_interrupts() {
        let mut calls = 0usize;
        let cs = simulate(200_000, &BG, Some(&GG), 52.0, 3, &mut || calls += 1).unwrap();
        assert_eq!(cs.len(), 200_000);
        assert!(calls >= 200_000 / 65_536, "{calls} calls");
    }

    #[test]
    fn every_number_is_finite_or_an_error() {
        let e = simulate(10, &BG, Some(&GammaGammaParams { q: 1e-300, ..GG }), 52.0, 1, &mut || {}).unwrap_err();
        assert_eq!(e.kind, ErrorKind::OutOfRange);
        assert_eq!(e.message, "simulated spend is out of range for double precision");
        let e = simulate(10, &BG, None, 1e300, 1, &mut || {}).unwrap_err();
        assert_eq!(e.message, "simulation would generate too many purchases");
        let huge = [1e-300, 1e-30, 1.0, 1e30, 1e300];
        for &r in &huge {
            for &alpha in &huge {
                for &q in &huge {
                    for &t_max in &[1e-300, 52.0, 1e300, f64::MAX] {
                        let bg = BgNbdParams { r, alpha, ..BG };
                        let gg = GammaGammaParams { q, v: alpha, ..GG };
                        if let Ok(cs) = simulate(10, &bg, Some(&gg), t_max, 1, &mut || {}) {
                            for c in cs {
                                assert!(c.recency.is_finite() && c.t.is_finite() && c.monetary.is_finite(), "{bg:?} {gg:?} {t_max}: {c:?}");
                                assert!(c.recency <= c.t && c.monetary >= 0.0);
                            }
                        }
                    }
                }
            }
        }
    }
}
