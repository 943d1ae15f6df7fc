//! Pareto/NBD predictions for one customer (x, t_x, T) or a new customer, each through the
//! likelihood bracket of [`super::likelihood`] and the memorylessness of the model: given
//! (x, t_x, T) and alive at T, lambda ~ Gamma(r + x, alpha + T) and mu ~ Gamma(s, beta + T),
//! independent, and the future is that of a new customer with those parameters (FH05 section 5,
//! FH028). Every function validates the parameters, the customer and the horizon, and returns a
//! finite number or an error: 22023 for bad input, 22003 for a value that cannot be computed or
//! does not fit in a double.

use super::integral::ln_integral;
use super::likelihood::{ln_dead_odds, log_add};
use super::tricomi::ln_hyperu_a1;
use super::{validate_params, ParetoNbdParams};
use crate::error::{CrmError, CrmResult};
use crate::math::special::{exprel, ln_gamma};
use crate::models::validate_horizon;
use crate::summary::rft::validate_customer;

/// ln rho, the odds of having died by T (see [`ln_dead_odds`]): P(alive at T | x, t_x, T) =
/// 1 / (1 + rho) (FH05 eq. (36)-(37): 1 / (1 + s/(r+s+x) (alpha+T)^(r+x) (beta+T)^s A0)), after
/// validating the parameters and the customer.
fn ln_odds(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64) -> CrmResult<f64> {
    validate_params(p)?;
    validate_customer(x, t_x, t)?;
    ln_dead_odds(p, x, t_x, t).ok_or_else(|| {
        CrmError::out_of_range("Pareto/NBD likelihood cannot be computed for this customer")
            .with_detail(format!("r = {}, alpha = {}, s = {}, beta = {}, x = {x}, t_x = {t_x}, T = {t}", p.r, p.alpha, p.s, p.beta))
            .with_hint("parameters this extreme usually come from a degenerate fit; refit with a small penalizer")
    })
}

/// ln P(alive at T | x, t_x, T) = -ln(1 + rho).
fn ln_p_alive(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64) -> CrmResult<f64> {
    Ok(-log_add(0.0, ln_odds(p, x, t_x, t)?))
}

/// e^v, or the error (22003) naming `what` when it overflows.
fn finite_exp(v: f64, what: &str, p: &ParetoNbdParams) -> CrmResult<f64> {
    let e = v.exp();
    if e.is_finite() && !v.is_nan() {
        Ok(e)
    } else {
        Err(CrmError::out_of_range(format!("{what} is out of range for double precision"))
            .with_detail(format!("ln value {v:e}; r = {}, alpha = {}, s = {}, beta = {}", p.r, p.alpha, p.s, p.beta)))
    }
}

/// P(alive at T | x, t_x, T) (FH05 eq. (36)-(37)).
pub fn p_alive(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64) -> CrmResult<f64> {
    Ok(ln_p_alive(p, x, t_x, t)?.exp())
}

/// ln((e^y - 1) / y), also for large y.
fn ln_exprel(y: f64) -> f64 {
    if y > 1.0 {
        y + (-(-y).exp()).ln_1p() - y.ln()
    } else {
        exprel(y).ln()
    }
}

/// ln E[X(h)] of a new customer (FH05 eq. (27)): r beta / (alpha (s-1)) [1 - (beta/(beta+h))^(s-1)]
/// = (r / alpha) beta L exprel(-(s-1) L), L = ln(1 + h/beta) (finite through s = 1, where it is
/// (r/alpha) beta L). h > 0.
fn ln_expected_new(r: f64, alpha: f64, s: f64, beta: f64, h: f64) -> f64 {
    let l = (h / beta).ln_1p();
    r.ln() - alpha.ln() + beta.ln() + l.ln() + ln_exprel(-(s - 1.0) * l)
}

/// E[X(horizon)] of a new customer (FH05 eq. (27)).
pub fn expected_purchases_new(p: &ParetoNbdParams, horizon: f64) -> CrmResult<f64> {
    validate_params(p)?;
    validate_horizon(horizon)?;
    if horizon == 0.0 {
        return Ok(0.0);
    }
    finite_exp(ln_expected_new(p.r, p.alpha, p.s, p.beta, horizon), "expected purchases", p)
}

/// E[X(T, T + horizon) | x, t_x, T] (FH05 eq. (41)): P(alive) times the new-customer
/// expectation with parameters (r + x, alpha + T, s, beta + T).
pub fn expected_purchases(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64, horizon: f64) -> CrmResult<f64> {
    validate_horizon(horizon)?;
    let ln_alive = ln_p_alive(p, x, t_x, t)?;
    if horizon == 0.0 {
        return Ok(0.0);
    }
    finite_exp(ln_alive + ln_expected_new(p.r + x, p.alpha + t, p.s, p.beta + t, horizon), "expected purchases", p)
}

/// ln P(X(h) = n) of a new customer with parameters (r, alpha, s, beta), h > 0 (FH06 eq. (8),
/// from its derivation): alive at h, NB(n) (beta/(beta+h))^s with NB the negative binomial
/// Γ(r+n)/(Γ(r) n!) (alpha/(alpha+h))^r (h/(alpha+h))^n; or dead at tau < h after n purchases,
/// s alpha^r beta^s Γ(r+n)/(Γ(r) n!) J with
/// J = ∫_0^h tau^n (alpha+tau)^-(r+n) (beta+tau)^-(s+1) dtau.
/// FH06 writes J with 2F1 functions and a finite sum of alternating sign; here J is a quadrature
/// in sigma = ln tau, where the integrand tau^(n+1) (alpha+tau)^-(r+n) (beta+tau)^-(s+1) is
/// log-concave, so that the two terms add without cancellation.
fn ln_prob_new(r: f64, alpha: f64, s: f64, beta: f64, n: u64, h: f64) -> Option<f64> {
    let nf = n as f64;
    let ln_coef = ln_gamma(r + nf) - ln_gamma(r) - ln_gamma(nf + 1.0);
    let ln_alive = ln_coef - r * (h / alpha).ln_1p() - if n == 0 { 0.0 } else { nf * (alpha / h).ln_1p() } - s * (h / beta).ln_1p();
    // psi relative to sigma = ln h (delta = sigma - ln h <= 0, tau = h e^delta), with
    // ln((c + tau) / (c + h)) as ln1p(h expm1(delta) / (c + h)) near tau = h and as a difference
    // of logarithms below h/2 (where the ln1p form would cancel).
    let ln_ratio = |c: f64, d: f64| {
        if d > -std::f64::consts::LN_2 {
            (h * d.exp_m1() / (c + h)).ln_1p()
        } else {
            (c + h * d.exp()).ln() - (c + h).ln()
        }
    };
    let psi = |d: f64| (nf + 1.0) * d - (r + nf) * ln_ratio(alpha, d) - (s + 1.0) * ln_ratio(beta, d);
    // Below the point where the asymptote (n+1) delta + K of psi is -60, psi is below -60 too
    // (psi lies under its asymptote) while its maximum is at least psi(0) = 0.
    let k = (r + nf) * (h / alpha).ln_1p() + (s + 1.0) * (h / beta).ln_1p();
    let lo = -(60.0 + k) / (nf + 1.0) - 1.0;
    let (ln_int, _) = ln_integral(psi, |_| [], lo, 0.0)?;
    let ln_j = (nf + 1.0) * h.ln() - (r + nf) * (alpha + h).ln() - (s + 1.0) * (beta + h).ln() + ln_int;
    let ln_dead = s.ln() + r * alpha.ln() + s * beta.ln() + ln_coef + ln_j;
    let (hi, lo) = if ln_alive >= ln_dead { (ln_alive, ln_dead) } else { (ln_dead, ln_alive) };
    let v = (hi + (lo - hi).exp().ln_1p()).min(0.0);
    (!v.is_nan()).then_some(v)
}

fn prob_error(p: &ParetoNbdParams, n: u64, horizon: f64) -> CrmError {
    CrmError::out_of_range("purchase count probability cannot be computed")
        .with_detail(format!("n = {n}, horizon = {horizon}, r = {}, alpha = {}, s = {}, beta = {}", p.r, p.alpha, p.s, p.beta))
}

/// P(X(horizon) = n) for a new customer (FH06).
pub fn prob_purchases(p: &ParetoNbdParams, n: u64, horizon: f64) -> CrmResult<f64> {
    validate_params(p)?;
    validate_horizon(horizon)?;
    if horizon == 0.0 {
        return Ok(if n == 0 { 1.0 } else { 0.0 });
    }
    Ok(ln_prob_new(p.r, p.alpha, p.s, p.beta, n, horizon).ok_or_else(|| prob_error(p, n, horizon))?.exp())
}

/// P(X(T, T + horizon) = n | x, t_x, T) (FH028 eq. (16)): [n = 0] (1 - P(alive)) + P(alive) times
/// the new-customer probability with parameters (r + x, alpha + T, s, beta + T). `lifetimes`:
/// `conditional_probability_of_n_purchases_up_to_time`.
pub fn conditional_prob_purchases(p: &ParetoNbdParams, n: u64, x: f64, t_x: f64, t: f64, horizon: f64) -> CrmResult<f64> {
    validate_horizon(horizon)?;
    let ln_rho = ln_odds(p, x, t_x, t)?;
    let ln_alive = -log_add(0.0, ln_rho);
    let dead = if n == 0 { (ln_rho + ln_alive).exp() } else { 0.0 };
    if horizon == 0.0 {
        return Ok(if n == 0 { 1.0 } else { 0.0 });
    }
    let ln_new = ln_prob_new(p.r + x, p.alpha + t, p.s, p.beta + t, n, horizon).ok_or_else(|| prob_error(p, n, horizon))?;
    Ok((dead + (ln_alive + ln_new).exp()).clamp(0.0, 1.0))
}

/// Discounted expected residual transactions at continuous discount rate `delta` per time unit
/// (FHL05 appendix, eq. (A2)): E[∫_T^∞ e^(-delta (tau - T)) dX(tau) | x, t_x, T] =
/// alpha^r beta^s delta^(s-1) Γ(r+x+1) Ψ(s, s; delta (beta+T)) / (Γ(r) (alpha+T)^(r+x+1) L),
/// here P(alive) (r+x)/(alpha+T) (beta+T) U(1, 2-s, delta (beta+T)) (E[lambda] and
/// E[1 / (delta + mu)] given alive; Ψ = U by Kummer's transformation, see [`super::tricomi`]).
/// Errors (22023) for delta not finite and > 0.
pub fn dert(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64, delta: f64) -> CrmResult<f64> {
    if !(delta.is_finite() && delta > 0.0) {
        return Err(CrmError::invalid("discount rate delta must be a finite positive number").with_detail(format!("got {delta}")));
    }
    let ln_alive = ln_p_alive(p, x, t_x, t)?;
    let ln_u = ln_hyperu_a1(2.0 - p.s, delta * (p.beta + t)).map_err(|e| {
        CrmError::out_of_range("discounted expected residual transactions cannot be computed").with_detail(format!(
            "{}; delta (beta + T) = {:e}, s = {}",
            e.message,
            delta * (p.beta + t),
            p.s
        ))
    })?;
    let v = ln_alive + (p.r + x).ln() - (p.alpha + t).ln() + (p.beta + t).ln() + ln_u;
    finite_exp(v, "discounted expected residual transactions", p)
}
