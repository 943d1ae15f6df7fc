//! BG/NBD predictions (FHL 2005; docs/references.md section 4): P(alive), the conditional and
//! a new customer's expected purchases, and P(X(t) = n). The expectation while alive
//! (`expected_while_alive`) and the per-x constants of P(alive) are crate-internal building
//! blocks: MBG/NBD's predictions and the CLV scorers evaluate through them.

use crate::error::{CrmError, CrmResult};
use crate::math::special::{exprel, ln_beta, ln_gamma, sum_series, MAX_SERIES_TERMS};
use crate::models::validate_horizon;
use crate::summary::rft::validate_customer;

use super::{validate_params, BgNbdParams};

/// P(alive at T | x, t_x, T) = 1 / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)).
pub fn p_alive(p: &BgNbdParams, x: f64, t_x: f64, t: f64) -> CrmResult<f64> {
    validate_params(p)?;
    p_alive_valid_params(p, x, t_x, t)
}

/// [`p_alive`] for parameters already validated (per-row scoring validates them once).
pub(crate) fn p_alive_valid_params(p: &BgNbdParams, x: f64, t_x: f64, t: f64) -> CrmResult<f64> {
    validate_customer(x, t_x, t)?;
    Ok(p_alive_given(&AliveConstants::new(p, x), p.alpha, t_x, t))
}

/// The parts of P(alive) that depend on x only: for x > 0, ln(a / (b + x - 1)) and r + x.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AliveConstants {
    /// None for x = 0 (always alive at T).
    odds: Option<(f64, f64)>,
}

impl AliveConstants {
    pub(crate) fn new(p: &BgNbdParams, x: f64) -> Self {
        AliveConstants { odds: (x > 0.0).then(|| (p.a.ln() - (p.b + (x - 1.0)).ln(), p.r + x)) }
    }
}

/// P(alive at T) from x's constants, for a validated customer.
#[inline]
pub(crate) fn p_alive_given(c: &AliveConstants, alpha: f64, t_x: f64, t: f64) -> f64 {
    match c.odds {
        None => 1.0,
        Some((ln_ratio, k)) => 1.0 / (1.0 + (ln_ratio + k * ((t - t_x) / (alpha + t_x)).ln_1p()).exp()),
    }
}

/// E[purchases in (T, T + h] | alive at T] for a customer with x repeat purchases and age T:
/// E_p[(1 - (1 + p s)^-k) / p] with p ~ Beta(a, b + x), k = r + x and s = h / (alpha + T). It is
/// finite for every a > 0; the usual (a+b+x-1)/(a-1) [1 - ... 2F1] form is its continuation,
/// singular at a = 1. With c = a+b+x-1, z = s/(1+s) and L = ln(1+s), three exact rearrangements
/// with the factor 1/(a-1) removed analytically are tried in turn, each kept only if its own
/// rounding-error estimate is small:
/// 1. s <= 1/2: the alternating series k s 3F2(k+1, a, 1; c+1, 2; -s).
/// 2. Euler form: c L exprel((1-a) L) - (1+s)^(1-a) S, S = sum_{n>=1} (A)_n (a)_{n-1} z^n /
///    ((c+1)_{n-1} n!), A = a+b-r-1 (good unless r is large compared with x + a + b).
/// 3. The Beta mixture [`mixture_form`], all terms positive, valid for every a, b > 0 (also
///    a + b + x - 1 <= 0, where the closed form's 2F1 has c <= 0), at a cost of about k s +
///    40 (1 + s) terms.
pub(crate) fn expected_while_alive(p: &BgNbdParams, x: f64, t: f64, horizon: f64) -> CrmResult<f64> {
    if horizon == 0.0 {
        return Ok(0.0);
    }
    let BgNbdParams { r, alpha, a, b } = *p;
    let k = r + x;
    let s = horizon / (alpha + t);
    // c + 1 = a + b + x is kept as such: c + 1 computed from c loses digits when a + b + x ~ 0.
    let c1 = a + b + x;
    let c = c1 - 1.0;
    // The series below converge like (s/(1+s))^n: about 40 (1 + s) terms, k s more for the mixture.
    let budget = MAX_SERIES_TERMS as f64;
    if 40.0 * (1.0 + s) > budget {
        return Err(too_long(s, k, alpha, t));
    }
    if s <= 0.5 {
        let series = sum_series(|m| -(k + 1.0 + m) * (a + m) / ((c1 + m) * (m + 2.0)) * s, s, 1e-16, MAX_SERIES_TERMS);
        if let Ok(sr) = series {
            if sr.cancellation() < 1e3 && sr.sum > 0.0 {
                return Ok(k * s * sr.sum * sr.ln_scale.exp());
            }
        }
    }
    let euler = euler_form(a, b, r, c1, s);
    if let Some((v, err)) = euler {
        if err < 1e-10 {
            return Ok(v);
        }
    }
    if k * s + 40.0 * (1.0 + s) < budget {
        if let Some(v) = mixture_form(a, c1, k, s) {
            return Ok(v);
        }
    }
    match euler {
        Some((v, err)) if err < 1e-6 => Ok(v),
        _ if k * s + 40.0 * (1.0 + s) >= budget => Err(too_long(s, k, alpha, t)),
        _ => Err(CrmError::out_of_range("expected purchases cannot be computed to 6 digits: every series lost them to rounding")
            .with_detail(format!("horizon / (alpha + T) = {s:e}, x = {x}, r = {r}, a = {a}, b = {b}, a + b + x - 1 = {c:e}"))
            .with_hint("parameters this extreme usually come from a degenerate fit; refit with a small penalizer")),
    }
}

/// The error of a horizon too long for the series of [`expected_while_alive`]: says how long is too long.
fn too_long(s: f64, k: f64, alpha: f64, t: f64) -> CrmError {
    let limit = MAX_SERIES_TERMS as f64 / (40.0 + k);
    CrmError::out_of_range(format!(
        "expected purchases cannot be computed: horizon / (alpha + T) = {s:.3e} needs more than {MAX_SERIES_TERMS} series terms (the limit is about {limit:.1e})"
    ))
    .with_detail(format!("alpha = {alpha}, T = {t}, r + x = {k}"))
    .with_hint("the horizon is far longer than the data's time scale; check that horizon, recency and T are in the model's time unit")
}

/// Representation 2 of [`expected_while_alive`]: (value, estimated relative rounding error).
fn euler_form(a: f64, b: f64, r: f64, c1: f64, s: f64) -> Option<(f64, f64)> {
    let c = c1 - 1.0;
    let l = s.ln_1p();
    let z = s / (1.0 + s);
    let big_a = a + b - r - 1.0;
    let (sum, cancel) = if big_a == 0.0 {
        (0.0, 1.0)
    } else {
        let sr = sum_series(|m| (big_a + 1.0 + m) * (a + m) / ((c1 + m) * (m + 2.0)) * z, z, 1e-16, MAX_SERIES_TERMS).ok()?;
        (big_a * z * sr.sum * sr.ln_scale.exp(), sr.cancellation())
    };
    let first = c * l * exprel((1.0 - a) * l);
    let second = ((1.0 - a) * l).exp() * sum;
    let value = first - second;
    if !(value.is_finite() && value > 0.0) {
        return None;
    }
    let err = 1e-15 * (first.abs() + second.abs() * cancel) / value;
    Some((value, err))
}

/// Representation 3 of [`expected_while_alive`]: the Beta mixture
/// (1-z)^k sum_{n>=1} (k)_n z^n / n! D_n, D_n = sum_{j<n} E[(1-p)^j], E[(1-p)^j] =
/// prod_{i<j} (b'+i)/(a+b'+i) with b' = b + x and c1 = a + b'. It follows from
/// 1 - (1+ps)^-k = (1-z)^k sum_n (k)_n z^n/n! (1 - (1-p)^n) and (1 - (1-p)^n)/p = sum_{j<n} (1-p)^j.
/// Every term is positive, for every a, b > 0 (no division by a - 1, nothing about a + b + x - 1).
/// None if it does not converge within the term budget.
fn mixture_form(a: f64, c1: f64, k: f64, s: f64) -> Option<f64> {
    let z = s / (1.0 + s);
    let b1 = c1 - a;
    // u_n = (k)_n z^n / n! relative to e^ln_scale; m_j = E[(1-p)^j]; d = D_n.
    let (mut u, mut m, mut d, mut sum) = (1.0f64, 1.0f64, 0.0f64, 0.0f64);
    let mut ln_scale = -k * s.ln_1p();
    let mut n = 0.0f64;
    loop {
        d += m;
        m *= (b1 + n) / (c1 + n);
        let ratio = (k + n) / (n + 1.0) * z;
        u *= ratio;
        n += 1.0;
        let term = u * d;
        sum += term;
        if u > 1e200 {
            u /= 1e200;
            sum /= 1e200;
            ln_scale += 1e200f64.ln();
        }
        if !sum.is_finite() || n > MAX_SERIES_TERMS as f64 {
            return None;
        }
        // Later terms shrink at least by q = ratio (1 + 1/n) each (D_{n+1} <= D_n (1 + 1/n)).
        let q = ratio * (1.0 + 1.0 / n);
        if q < 1.0 && term * q / (1.0 - q) <= 1e-17 * sum {
            break;
        }
    }
    let v = sum * ln_scale.exp();
    (v.is_finite() && v > 0.0).then_some(v)
}

/// Conditional expected number of purchases in (T, T + horizon] (docs/references.md section 4).
pub fn expected_purchases(p: &BgNbdParams, x: f64, t_x: f64, t: f64, horizon: f64) -> CrmResult<f64> {
    validate_horizon(horizon)?;
    let alive = p_alive(p, x, t_x, t)?;
    Ok(alive * expected_while_alive(p, x, t, horizon)?)
}

/// Expected purchases of a new customer in (0, horizon]:
/// (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))], evaluated as above.
pub fn expected_purchases_new(p: &BgNbdParams, horizon: f64) -> CrmResult<f64> {
    validate_params(p)?;
    validate_horizon(horizon)?;
    expected_while_alive(p, 0.0, 0.0, horizon)
}

/// P(X(horizon) = n) for a new customer (FHL 2005 eq. 8):
/// B(a,b+n)/B(a,b) NB(n) + [n>0] B(a+1,b+n-1)/B(a,b) P(NB >= n), with NB the negative binomial
/// count of purchases with rate ~ Gamma(r, alpha) over the horizon.
pub fn prob_purchases(p: &BgNbdParams, n: u64, horizon: f64) -> CrmResult<f64> {
    validate_params(p)?;
    validate_horizon(horizon)?;
    if horizon == 0.0 {
        return Ok(if n == 0 { 1.0 } else { 0.0 });
    }
    let BgNbdParams { r, alpha, a, b } = *p;
    let nf = n as f64;
    let ln_p0 = -(horizon / alpha).ln_1p(); // ln(alpha / (alpha + h))
    let q = horizon / (alpha + horizon);
    let ln_q = -(alpha / horizon).ln_1p();
    let ln_nb = |j: f64| ln_gamma(r + j) - ln_gamma(r) - ln_gamma(j + 1.0) + r * ln_p0 + j * ln_q;
    let first = (ln_beta(a, b + nf) - ln_beta(a, b) + ln_nb(nf)).exp();
    if n == 0 {
        return Ok(first.clamp(0.0, 1.0));
    }
    // P(NB >= n): one minus the head when the head is at most 1/2, otherwise the tail series.
    // The head's first term P(NB = 0) = (alpha/(alpha+h))^r must not underflow (r = 1e4 and
    // h = alpha: 2^-10000), or the head would be taken as 0 and the tail as 1.
    let mean = r * q / (1.0 - q).max(f64::MIN_POSITIVE);
    let mut tail = None;
    if nf <= mean.max(1.0) && n <= 100_000 && r * ln_p0 > -700.0 {
        let mut head = 0.0;
        let mut term = (r * ln_p0).exp();
        for j in 0..n {
            head += term;
            term *= (r + j as f64) / (j as f64 + 1.0) * q;
        }
        if head <= 0.5 {
            tail = Some(1.0 - head);
        }
    }
    let tail = match tail {
        Some(t) => t,
        None if 40.0 * (1.0 + horizon / alpha) + nf > MAX_SERIES_TERMS as f64 => {
            return Err(CrmError::out_of_range("purchase count probability cannot be computed for this horizon")
                .with_detail(format!("horizon / alpha = {:e}", horizon / alpha))
                .with_hint("the horizon is extremely long relative to alpha; check the time unit"));
        }
        None => {
            let sr = sum_series(|m| (r + nf + m) / (nf + m + 1.0) * q, q, 1e-16, MAX_SERIES_TERMS).map_err(|_| {
                CrmError::out_of_range("purchase count probability cannot be computed for this horizon")
                    .with_detail(format!("horizon / alpha = {:e}", horizon / alpha))
                    .with_hint("the horizon is extremely long relative to alpha; check the time unit")
            })?;
            (ln_nb(nf) + sr.ln_abs()).exp()
        }
    };
    let second = (ln_beta(a + 1.0, b + nf - 1.0) - ln_beta(a, b)).exp() * tail;
    let v = first + second;
    if v.is_finite() {
        Ok(v.clamp(0.0, 1.0))
    } else {
        Err(CrmError::out_of_range("purchase count probability is not finite").with_detail(format!("n = {n}, horizon = {horizon}")))
    }
}
