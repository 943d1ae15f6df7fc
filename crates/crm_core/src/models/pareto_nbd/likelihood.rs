//! The Pareto/NBD likelihood (FH05 eqs. (18)-(20)), its gradient, and the maximum-likelihood fit.
//!
//! FH05 eq. (18) is L = C [h(T) + s ∫_{t_x}^T (alpha+y)^-(r+x) (beta+y)^-(s+1) dy] with
//! C = Γ(r+x) alpha^r beta^s / Γ(r) and h(y) = (alpha+y)^-(r+x) (beta+y)^-s: the integral is
//! over the time of death y (FH05 eq. (9): mu e^-mu y with mu ~ Gamma(s, beta) and
//! lambda^x e^-lambda y with lambda ~ Gamma(r, alpha)). FH05 eqs. (19)-(20) write it as
//! s/(r+s+x) [A0(t_x) - A0(T)] with A0 a 2F1 over (alpha+y)^(r+s+x) (alpha >= beta) or over
//! (beta+y)^(r+s+x) (alpha < beta). With G(y) = ∫_y^∞ of the integrand,
//! Euler's transformation 2F1(a, b; c; z) = (1-z)^(c-a-b) 2F1(c-a, c-b; c; z) (Abramowitz and
//! Stegun 15.3.3) turns both branches into series of positive terms with ratio below z:
//! - alpha >= beta: z = (alpha-beta)/(alpha+y), s G(y) = q(y) h(y) with
//!   q = s/(r+s+x) 2F1(1, r+x; r+s+x+1; z);
//! - alpha < beta: z = (beta-alpha)/(beta+y), q = s/(r+s+x) (1-z) 2F1(1, s+1; r+s+x+1; z).
//!
//! At alpha = beta both give z = 0 and q = s/(r+s+x): the function is analytic across the two
//! branches, and so is what is computed here. Since (alpha+y)^-(r+x) decreases, s G(y) <= h(y):
//! 0 < q <= 1, and
//!
//! L = C [h(T) (1 - q(T)) + h(t_x) q(t_x)],
//!
//! a sum of two non-negative terms, each computed in logarithms (no cancellation beyond the
//! absolute error of 1 - q(T), which is at most that of h(T) <= L / C). In the alpha < beta
//! branch with 1 - z small (beta far above alpha + y: almost no dropout, the NBD limit s -> 0,
//! beta -> inf) q comes from the z -> 1 - z transformation instead ([`ln_q_near_one`]), a series
//! in 1 - z plus a closed-form term, unless its poles at integer r + x cancel too much. When the series would
//! need too many terms (z near 1 with a slowly decaying series: s or r + x small), the integral
//! is computed by quadrature instead ([`super::integral`]), in the variable ln(min(alpha, beta) + y)
//! where the integrand is log-concave. The gradient comes from term-by-term derivatives of the
//! series in its parameters and argument, or from moments of the same quadrature.

// Small dense arrays read best with explicit indices.
#![allow(clippy::needless_range_loop)]

use super::integral::ln_integral;
use super::{validate_params, ParetoNbdParams};
use crate::error::{CrmError, CrmResult};
use crate::interrupt::Countdown;
use crate::math::special::{digamma, ln_gamma};
use crate::models::fit_options::{check_fit_frequency, FitOptions};
use crate::models::mle::{self, Likelihood, MleFit};
use crate::summary::rft::{validate_customer, BgNbdSummary};

/// Most terms of one 2F1(1, k; c; z) series before the quadrature takes over.
const MAX_TERMS: usize = 4000;

/// 2F1(1, k; c; z) = sum_n (k)_n / (c)_n z^n (0 <= z < 1, c > k > 0: positive terms with
/// ratio (k+n)/(c+n) z < z) and its partial derivatives, term by term: d/dk of a term is the
/// term times sum_{j<n} 1/(k+j), d/dc minus the term times sum_{j<n} 1/(c+j), d/dz n / z times it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hyp1 {
    pub value: f64,
    pub d_k: f64,
    pub d_c: f64,
    pub d_z: f64,
}

/// [`Hyp1`] by its series, None after [`MAX_TERMS`] terms. Stops when the geometric bound of
/// the rest (ratio at most z) is below 1e-17 of the sum and, for the z derivative, below 1e-16.
pub(crate) fn hyp2f1_one(k: f64, c: f64, z: f64) -> Option<Hyp1> {
    let (mut t, mut sum) = (1.0f64, 1.0f64);
    let (mut psi_k, mut psi_c, mut s_k, mut s_c, mut s_z) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let one_minus = 1.0 - z;
    for n in 0..MAX_TERMS {
        let nf = n as f64;
        // u = term n+1 without its last factor z: the z derivative's term is (n+1) u.
        let u = t * ((k + nf) / (c + nf));
        psi_k += 1.0 / (k + nf);
        psi_c += 1.0 / (c + nf);
        t = u * z;
        s_z += (nf + 1.0) * u;
        sum += t;
        s_k += t * psi_k;
        s_c += t * psi_c;
        if t == 0.0 {
            return Some(Hyp1 { value: sum, d_k: s_k, d_c: -s_c, d_z: s_z });
        }
        let rest = t * z / one_minus;
        if rest <= 1e-17 * sum && t * (nf + 2.0 + 1.0 / one_minus) / one_minus <= 1e-16 * s_z {
            return Some(Hyp1 { value: sum, d_k: s_k, d_c: -s_c, d_z: s_z });
        }
    }
    None
}

/// Largest 1 - z = (alpha+y)/(beta+y) of the alpha < beta branch where [`ln_q_near_one`] is
/// tried before the series in z.
const NEAR_ONE_EPS: f64 = 0.05;
/// Most terms of the series in 1 - z of [`ln_q_near_one`].
const NEAR_ONE_TERMS: usize = 400;
/// Least |A + B| / max(|A|, |B|) accepted in [`ln_q_near_one`] (at most 4 bits lost).
const NEAR_ONE_CANCEL: f64 = 1.0 / 16.0;

/// ln q and its gradient in (r, alpha, s, beta) for alpha < beta with eps = 1 - z = u / v small,
/// u = alpha + y, v = beta + y, k1 = r + x: by Abramowitz and Stegun 15.3.6 (z -> 1 - z) with
/// c - a - b = k1 - 1, where the second series is F(k1+s, k1; k1; eps) = (1-eps)^-(k1+s),
///
/// q = s [A + B], A = eps / (k1-1) F(1, s+1; 2-k1; eps),
/// B = Γ(k1+s) Γ(1-k1) / Γ(s+1) eps^k1 (1-eps)^-(k1+s),
///
/// a series converging like eps^n instead of z^n n^-k1 (the series in z needs of order
/// 1 / eps terms). A and B have poles at integer k1 that cancel in the sum: None (the caller
/// falls back to the series in z or the quadrature) when k1 is an integer, the series in eps is
/// too long, or the sum has lost more than 4 bits to cancellation.
fn ln_q_near_one(k1: f64, s: f64, eps: f64, u: f64, v: f64) -> Option<(f64, [f64; 4])> {
    let km1 = k1 - 1.0;
    // sin(pi k1) and cot(pi k1) from the reduced argument (period 1 up to a sign, period 1).
    let n_int = k1.round();
    let f = k1 - n_int;
    if km1 == 0.0 || f == 0.0 || !(eps > 0.0) {
        return None;
    }
    let sin_f = (std::f64::consts::PI * f).sin();
    let sign_sin = if (n_int as i64) % 2 == 0 { sin_f.signum() } else { -sin_f.signum() };
    let cot = (std::f64::consts::PI * f).cos() / sin_f;
    // F1 = sum_n t_n, t_n = (s+1)_n / (2-k1)_n eps^n, with sum n t_n and the parameter derivatives
    // sum t_n sum_{j<n} 1/(s+1+j) (d/ds) and sum t_n sum_{j<n} 1/(2-k1+j) (d/dk1).
    let c1 = 2.0 - k1;
    let (mut t, mut f1, mut f_n, mut f_s, mut f_k) = (1.0f64, 1.0f64, 0.0f64, 0.0f64, 0.0f64);
    let (mut h_s, mut h_k) = (0.0f64, 0.0f64);
    let mut done = false;
    for n in 0..NEAR_ONE_TERMS {
        let nf = n as f64;
        let den = c1 + nf;
        if den == 0.0 {
            return None;
        }
        h_s += 1.0 / (s + 1.0 + nf);
        h_k += 1.0 / den;
        t *= (s + 1.0 + nf) / den * eps;
        let m = nf + 1.0;
        f1 += t;
        f_n += m * t;
        f_s += t * h_s;
        f_k += t * h_k;
        // Past the poles the ratio of the next terms is at most rho (decreasing in n).
        let next = c1 + m;
        if next > 0.0 {
            let rho = eps * (s + 1.0 + m) / next;
            if rho < 0.5 {
                // The rest of F1, of sum n t_n and of the derivative sums, relative to F1.
                let bound = t.abs() * (m + 2.0) * (h_s.abs() + h_k.abs() + 1.0) * rho / (1.0 - rho);
                if bound <= 1e-17 * f1.abs() {
                    done = true;
                    break;
                }
            }
        }
    }
    if !done || !(f1 != 0.0) {
        return None;
    }
    let ln_eps = eps.ln();
    let l1m = (-eps).ln_1p();
    // ln |A| without F1's magnitude, ln |B|.
    let ln_wa = ln_eps - km1.abs().ln();
    let ln_a = ln_wa + f1.abs().ln();
    let ln_b =
        ln_gamma(k1 + s) + std::f64::consts::PI.ln() - sin_f.abs().ln() - ln_gamma(k1) - ln_gamma(s + 1.0) + k1 * ln_eps - (k1 + s) * l1m;
    let top = ln_a.max(ln_b);
    if !top.is_finite() {
        return None;
    }
    let wa = km1.signum() * (ln_wa - top).exp();
    let b = sign_sin * (ln_b - top).exp();
    let a = wa * f1;
    let val = a + b;
    if !(val > NEAR_ONE_CANCEL * a.abs().max(b.abs())) {
        return None;
    }
    // psi(1 - k1) = psi(k1) + pi cot(pi k1).
    let psi_ks = digamma(k1 + s);
    let psi_1mk = digamma(k1) + std::f64::consts::PI * cot;
    let a_k = wa * (f_k - f1 / km1);
    let a_s = wa * f_s;
    let a_e = wa * (f1 + f_n) / eps;
    let b_k = b * (psi_ks - psi_1mk + ln_eps - l1m);
    let b_s = b * (psi_ks - digamma(s + 1.0) - l1m);
    let b_e = b * (k1 / eps + (k1 + s) / (1.0 - eps));
    let d_e = (a_e + b_e) / val;
    let grad = [(a_k + b_k) / val, d_e / v, 1.0 / s + (a_s + b_s) / val, -d_e * u / (v * v)];
    let ln_q = s.ln() + top + val.ln();
    (ln_q.is_finite() && grad.iter().all(|g| g.is_finite())).then_some((ln_q, grad))
}

/// One end y of the bracket: ln h(y), ln q(y) and their gradients in (r, alpha, s, beta).
#[derive(Clone, Copy, Debug)]
struct Tail {
    ln_h: f64,
    ln_q: f64,
    d_ln_h: [f64; 4],
    d_ln_q: [f64; 4],
}

/// ln h(y) = -(r+x) ln(alpha+y) - s ln(beta+y) and its gradient.
fn ln_h(p: &ParetoNbdParams, x: f64, y: f64) -> (f64, [f64; 4]) {
    let (u, v) = (p.alpha + y, p.beta + y);
    let k1 = p.r + x;
    let (lu, lv) = (u.ln(), v.ln());
    (-k1 * lu - p.s * lv, [-lu, -k1 / u, -lv, -p.s / v])
}

/// [`Tail`] at y by the series of the module doc; None when the series is too long.
fn tail(p: &ParetoNbdParams, x: f64, y: f64) -> Option<Tail> {
    let ParetoNbdParams { r, alpha, s, beta } = *p;
    let (u, v) = (alpha + y, beta + y);
    let k1 = r + x;
    let pp = r + s + x;
    let (ln_h, d_ln_h) = ln_h(p, x, y);
    // d ln q = d ln R + d ln(s / (r+s+x)).
    if alpha < beta {
        let eps = u / v;
        if eps <= NEAR_ONE_EPS {
            if let Some((ln_q, d_ln_q)) = ln_q_near_one(k1, s, eps, u, v) {
                return Some(Tail { ln_h, ln_q: ln_q.min(0.0), d_ln_h, d_ln_q });
            }
        }
    }
    let mut d = [-1.0 / pp, 0.0, 1.0 / s - 1.0 / pp, 0.0];
    let ln_r = if alpha >= beta {
        let z = (alpha - beta) / u;
        let h = hyp2f1_one(k1, pp + 1.0, z)?;
        let dz = h.d_z / h.value;
        d[0] += (h.d_k + h.d_c) / h.value;
        d[2] += h.d_c / h.value;
        d[1] += dz * v / (u * u);
        d[3] -= dz / u;
        h.value.ln()
    } else {
        let z = (beta - alpha) / v;
        let h = hyp2f1_one(s + 1.0, pp + 1.0, z)?;
        // R = (1 - z) 2F1, 1 - z = u / v.
        let dz = h.d_z / h.value - v / u;
        d[0] += h.d_c / h.value;
        d[2] += (h.d_k + h.d_c) / h.value;
        d[3] += dz * u / (v * v);
        d[1] -= dz / v;
        (u / v).ln() + h.value.ln()
    };
    let ln_q = (s.ln() - pp.ln() + ln_r).min(0.0);
    Some(Tail { ln_h, ln_q, d_ln_h, d_ln_q: d })
}

/// The bracket M = h(T) + s ∫_{t_x}^T ... of one customer: ln M and d ln M / d(r, alpha, s,
/// beta). The likelihood is C M (P(alive) = h(T) / M comes from [`ln_dead_odds`]).
#[derive(Clone, Copy, Debug)]
struct Bracket {
    ln_m: f64,
    pub grad: [f64; 4],
}

/// ln(e^a + e^b) with -inf handled.
pub(crate) fn log_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if lo == f64::NEG_INFINITY {
        return hi;
    }
    hi + (lo - hi).exp().ln_1p()
}

/// The bracket for a valid customer and valid parameters, from the tail at t_x when the caller
/// has it (`tail_tx`: Some(None) = its series was too long). None when neither the series nor
/// the quadrature gives it.
fn bracket_with(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64, tail_tx: Option<Option<Tail>>) -> Option<Bracket> {
    if t_x == t {
        let (ln_h_t, grad) = ln_h(p, x, t);
        return Some(Bracket { ln_m: ln_h_t, grad });
    }
    let tail_tx = tail_tx.unwrap_or_else(|| tail(p, x, t_x));
    let (Some(tx), Some(tt)) = (tail_tx, tail(p, x, t)) else {
        return bracket_by_quadrature(p, x, t_x, t);
    };
    // M = h(T) (1 - q(T)) + h(t_x) q(t_x).
    let ln_a = tt.ln_h + (-tt.ln_q.exp()).ln_1p();
    let ln_b = tx.ln_h + tx.ln_q;
    let ln_m = log_add(ln_a, ln_b);
    let (wa, wq, wb) = ((ln_a - ln_m).exp(), (tt.ln_h + tt.ln_q - ln_m).exp(), (ln_b - ln_m).exp());
    let mut grad = [0.0; 4];
    for i in 0..4 {
        grad[i] = wa * tt.d_ln_h[i] - wq * tt.d_ln_q[i] + wb * (tx.d_ln_h[i] + tx.d_ln_q[i]);
    }
    Some(Bracket { ln_m, grad })
}

/// The bracket by quadrature of ∫_{t_x}^T (alpha+y)^-(r+x) (beta+y)^-(s+1) dy in
/// sigma = ln(m + y), m = min(alpha, beta): the integrand times dy/dsigma is
/// e^sigma (alpha+y)^-(r+x) (beta+y)^-(s+1), log-concave in sigma (one of the two factors is
/// e^-c sigma, the other's logarithm -c ln(e^sigma + d) is concave). Written relative to
/// y = t_x with ln1p/expm1; moments E[ln u], E[ln v], E[1/u], E[1/v] give the gradient.
fn bracket_by_quadrature(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64) -> Option<Bracket> {
    let ParetoNbdParams { r, alpha, s, beta } = *p;
    let k1 = r + x;
    let (u0, v0) = (alpha + t_x, beta + t_x);
    let (ln_int, e) = death_integral(p, x, t_x, t)?;
    let ln_i = -k1 * u0.ln() - (s + 1.0) * v0.ln() + (alpha.min(beta) + t_x).ln() + ln_int;
    let (ln_h_t, d_h) = ln_h(p, x, t);
    let ln_si = s.ln() + ln_i;
    let ln_m = log_add(ln_h_t, ln_si);
    let (wh, wi) = ((ln_h_t - ln_m).exp(), (ln_si - ln_m).exp());
    let d_i = [-e[0], -k1 * e[2], 1.0 / s - e[1], -(s + 1.0) * e[3]];
    let mut grad = [0.0; 4];
    for i in 0..4 {
        grad[i] = wh * d_h[i] + wi * d_i[i];
    }
    Some(Bracket { ln_m, grad })
}

/// The quadrature of [`bracket_by_quadrature`]: ln of the integral relative to its integrand at
/// y = t_x (that is, ln I - ln[(m + t_x) (alpha+t_x)^-(r+x) (beta+t_x)^-(s+1)]) and the moments
/// E[ln(alpha+y)], E[ln(beta+y)], E[1/(alpha+y)], E[1/(beta+y)].
fn death_integral(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64) -> Option<(f64, [f64; 4])> {
    let ParetoNbdParams { r, alpha, s, beta } = *p;
    let k1 = r + x;
    let m = alpha.min(beta);
    let (u0, v0) = (alpha + t_x, beta + t_x);
    let lo = (m + t_x).ln();
    let hi = (m + t).ln();
    // y - t_x = (m + t_x) expm1(sigma - lo).
    let dy = |sig: f64| (m + t_x) * (sig - lo).exp_m1();
    let psi = |sig: f64| {
        let d = dy(sig);
        (sig - lo) - k1 * (d / u0).ln_1p() - (s + 1.0) * (d / v0).ln_1p()
    };
    let moments = |sig: f64| {
        let d = dy(sig);
        let (u, v) = (u0 + d, v0 + d);
        [u0.ln() + (d / u0).ln_1p(), v0.ln() + (d / v0).ln_1p(), 1.0 / u, 1.0 / v]
    };
    ln_integral(psi, moments, lo, hi)
}

/// ln rho, rho = M / h(T) - 1 = s ∫_{t_x}^T ... / h(T): the odds of having died by T, so that
/// P(alive) = 1 / (1 + rho) and 1 - P(alive) = rho / (1 + rho) keep their relative precision
/// (-inf when t_x = T). From the series, rho = q(t_x) h(t_x)/h(T) - q(T), with
/// ln h(t_x) - ln h(T) = (r+x) ln1p((T-t_x)/(alpha+t_x)) + s ln1p((T-t_x)/(beta+t_x)), when the
/// subtraction loses at most one bit; otherwise (t_x near T) by quadrature. For a validated
/// customer and parameters; None where neither works.
pub(crate) fn ln_dead_odds(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64) -> Option<f64> {
    if t_x == t {
        return Some(f64::NEG_INFINITY);
    }
    let ParetoNbdParams { r, alpha, s, beta } = *p;
    let (u0, v0) = (alpha + t_x, beta + t_x);
    let gap = t - t_x;
    let d = (r + x) * (gap / u0).ln_1p() + s * (gap / v0).ln_1p();
    if let (Some(tx), Some(tt)) = (tail(p, x, t_x), tail(p, x, t)) {
        let (a, b) = (tx.ln_q + d, tt.ln_q);
        if b < a - std::f64::consts::LN_2 {
            return Some(a + (-(b - a).exp()).ln_1p());
        }
    }
    let (ln_int, _) = death_integral(p, x, t_x, t)?;
    // ln(s I) - ln h(T) = ln s + d - ln(beta+t_x) + ln(m+t_x) + ln_int.
    let v = s.ln() + d + ((alpha.min(beta) + t_x) / v0).ln() + ln_int;
    (!v.is_nan()).then_some(v)
}

/// ln C = ln Γ(r+x) - ln Γ(r) + r ln alpha + s ln beta (FH05 eq. (18)) and its gradient.
fn ln_c(p: &ParetoNbdParams, x: f64, lg_r: f64, dg_r: f64) -> (f64, [f64; 4]) {
    let (la, lb) = (p.alpha.ln(), p.beta.ln());
    let v = ln_gamma(p.r + x) - lg_r + p.r * la + p.s * lb;
    (v, [digamma(p.r + x) - dg_r + la, p.r / p.alpha, lb, p.s / p.beta])
}

/// Log-likelihood of one customer (FH05 eq. (18)); -inf (never NaN) for invalid parameters or
/// data, or where it cannot be computed.
pub fn log_likelihood(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64) -> f64 {
    if validate_params(p).is_err() || validate_customer(x, t_x, t).is_err() {
        return f64::NEG_INFINITY;
    }
    let lg_r = ln_gamma(p.r);
    match bracket_with(p, x, t_x, t, None) {
        Some(b) => {
            let v = ln_c(p, x, lg_r, 0.0).0 + b.ln_m;
            if v.is_nan() {
                f64::NEG_INFINITY
            } else {
                v
            }
        }
        None => f64::NEG_INFINITY,
    }
}

/// The summary's distinct rows (x, t_x, T, count), in key order (x, then t_x), with the time
/// scale of the fit.
struct FitData {
    rows: Vec<(f64, f64, f64, f64)>,
    weight: f64,
    /// 1 / max T: the optimiser's parameters are alpha * scale and beta * scale (time scaled to
    /// max T = 1, as `lifetimes` does).
    scale: f64,
}

impl Likelihood<4> for FitData {
    /// The sum log-likelihood in the data's unit at (r, alpha / scale, s, beta / scale), its
    /// gradient in the scaled parameters.
    fn ll_grad(&self, q: &[f64; 4], grad: &mut [f64; 4], check_interrupt: &mut dyn FnMut()) -> f64 {
        let p = ParetoNbdParams { r: q[0], alpha: q[1] / self.scale, s: q[2], beta: q[3] / self.scale };
        if validate_params(&p).is_err() {
            return f64::NAN;
        }
        let mut countdown = Countdown::new(check_interrupt);
        let (lg_r, dg_r) = (ln_gamma(p.r), digamma(p.r));
        let mut ll = 0.0;
        let mut g = [0.0; 4];
        // Per x: ln C; per (x, t_x): the tail at t_x (rows come sorted by x, then t_x).
        let mut cur_x = f64::NAN;
        let mut c = (0.0, [0.0; 4]);
        let mut cur_tx = f64::NAN;
        let mut tail_tx = None;
        for &(x, t_x, t, w) in &self.rows {
            countdown.tick();
            if x != cur_x {
                cur_x = x;
                c = ln_c(&p, x, lg_r, dg_r);
                cur_tx = f64::NAN;
            }
            if t_x != cur_tx && t_x != t {
                cur_tx = t_x;
                tail_tx = tail(&p, x, t_x);
            }
            let given = if t_x == cur_tx { Some(tail_tx) } else { None };
            let Some(b) = bracket_with(&p, x, t_x, t, given) else { return f64::NAN };
            ll += w * (c.0 + b.ln_m);
            for i in 0..4 {
                g[i] += w * (c.1[i] + b.grad[i]);
            }
        }
        g[1] /= self.scale;
        g[3] /= self.scale;
        *grad = g;
        ll
    }

    fn weight(&self) -> f64 {
        self.weight
    }
}

/// Maximum-likelihood (or penalised) fit of the Pareto/NBD model by [`crate::models::mle`], over
/// the summary's distinct rows. As `lifetimes`' ParetoNBDFitter: time scaled by 1 / max T, the
/// start (1, 1, 1, 1) in scaled time (the centre of its random start), the penalty
/// `penalizer * (r^2 + alpha_s^2 + s^2 + beta_s^2)` on the scaled parameters. The objective is
/// minus the MEAN log-likelihood per customer plus that penalty, as for BG/NBD here and in
/// `lifetimes`' BetaGeoFitter; `lifetimes`' ParetoNBDFitter divides the summed log-likelihood by
/// the mean row weight instead (the number of rows times the mean), so its penalizer c matches
/// ours at c / (number of its rows). Returns params as [r, alpha, s, beta] in the data's time
/// unit with their standard errors and covariance; `log_likelihood` is the sum in the data's
/// unit. Errors: invalid options, no customers, every T = 0 (22023), a frequency above
/// [`crate::models::fit_options::MAX_FIT_FREQUENCY`] or a non-finite result (22003).
pub fn fit(summary: &BgNbdSummary, opts: &FitOptions, check_interrupt: &mut dyn FnMut()) -> CrmResult<MleFit<4>> {
    opts.validate()?;
    let raw = summary.rows();
    if raw.is_empty() {
        return Err(CrmError::invalid("cannot fit Pareto/NBD on zero customers"));
    }
    check_fit_frequency("Pareto/NBD", raw.iter().map(|r| r.0).max().unwrap_or(0))?;
    let mut countdown = Countdown::new(&mut *check_interrupt);
    let mut max_t = 0.0f64;
    let mut weight = 0.0;
    let rows: Vec<(f64, f64, f64, f64)> = raw
        .iter()
        .map(|&(x, tx, t, c)| {
            countdown.tick();
            max_t = max_t.max(t);
            weight += c as f64;
            (x as f64, tx, t, c as f64)
        })
        .collect();
    if !(max_t > 0.0) {
        return Err(CrmError::invalid("cannot fit Pareto/NBD: every customer has T = 0")
            .with_hint("T is the time since the first purchase; the data carry no information yet"));
    }
    let scale = 1.0 / max_t;
    let data = FitData { rows, weight, scale };
    let mut f = mle::fit("Pareto/NBD", &data, [1.0; 4], opts.penalizer, opts.max_iter, check_interrupt)?;
    // Back to the data's unit: alpha = alpha_s / scale, beta = beta_s / scale.
    let unit = [1.0, 1.0 / scale, 1.0, 1.0 / scale];
    for i in 0..4 {
        f.params[i] *= unit[i];
    }
    if let Some(se) = f.std_errors.as_mut() {
        for i in 0..4 {
            se[i] *= unit[i];
        }
    }
    if let Some(cov) = f.covariance.as_mut() {
        for i in 0..4 {
            for j in 0..4 {
                cov[i][j] *= unit[i] * unit[j];
            }
        }
    }
    let p = ParetoNbdParams { r: f.params[0], alpha: f.params[1], s: f.params[2], beta: f.params[3] };
    validate_params(&p).map_err(|_| {
        CrmError::out_of_range("Pareto/NBD fit did not reach finite parameters")
            .with_detail(format!("r = {}, alpha = {}, s = {}, beta = {}", p.r, p.alpha, p.s, p.beta))
            .with_hint("try a small penalizer such as 0.001, or check the time unit of recency and T")
    })?;
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: ParetoNbdParams = ParetoNbdParams { r: 0.5533, alpha: 10.5776, s: 0.6062, beta: 11.6680 };

    #[test]
    fn series_matches_ln_hyp2f1_and_its_derivatives_match_differences() {
        for &(k, c, z) in &[(0.3, 1.7, 0.0), (0.3, 1.7, 0.4), (5.0, 6.2, 0.9), (1.6, 1e4, 0.99), (1e3, 1e3 + 0.7, 0.5)] {
            let h = hyp2f1_one(k, c, z).unwrap();
            let (sign, ln) = crate::math::special::ln_hyp2f1(1.0, k, c, z).unwrap();
            assert!(sign == 1.0 && (h.value.ln() - ln).abs() < 1e-13, "{k} {c} {z}: {} vs {}", h.value, ln.exp());
            let f = |k: f64, c: f64, z: f64| hyp2f1_one(k, c, z).unwrap().value;
            let e = 1e-6;
            let num = [
                (f(k * (1.0 + e), c, z) - f(k * (1.0 - e), c, z)) / (2.0 * e * k),
                (f(k, c * (1.0 + e), z) - f(k, c * (1.0 - e), z)) / (2.0 * e * c),
                (f(k, c, z + e) - f(k, c, (z - e).max(0.0))) / (z + e - (z - e).max(0.0)),
            ];
            for (got, want) in [h.d_k, h.d_c, h.d_z].into_iter().zip(num) {
                assert!((got - want).abs() <= 1e-6 * want.abs().max(1e-3), "{k} {c} {z}: {got} vs {want}");
            }
        }
        assert!(hyp2f1_one(0.6, 1.6, 1.0 - 1e-9).is_none());
    }

    #[test]
    fn near_one_transformation_matches_the_quadrature() {
        // alpha << beta: 1 - z = (alpha+y)/(beta+y) small, where the series in z is too long.
        let mut checked = 0;
        for &(r, alpha, s, beta) in
            &[(2.9476, 78.79, 5.25e-5, 4.12e6), (0.5533, 10.0, 0.6, 1e4), (0.3, 1.0, 2.0, 500.0), (1.93, 5.0, 1e-3, 1e5)]
        {
            let p = ParetoNbdParams { r, alpha, s, beta };
            for &(x, tx) in &[(0.0, 0.0), (1.0, 3.0), (3.0, 20.0), (7.0, 37.0), (30.0, 100.0)] {
                let (u, v) = (alpha + tx, beta + tx);
                let Some((ln_q, g)) = ln_q_near_one(r + x, s, u / v, u, v) else { continue };
                // q(t_x) = s G(t_x) / h(t_x) with G the integral from t_x to infinity: compare
                // against the quadrature of the bracket from t_x to a far end (the rest is tiny).
                let far = 1e18;
                let (li, e) = death_integral(&p, x, tx, far).unwrap();
                let (ln_h0, _) = ln_h(&p, x, tx);
                let k1 = r + x;
                let ln_i = -k1 * u.ln() - (s + 1.0) * v.ln() + (alpha + tx).ln() + li;
                let want = s.ln() + ln_i - ln_h0;
                assert!((ln_q - want).abs() < 1e-11, "{p:?} {x} {tx}: {ln_q} vs {want}");
                // Gradient: d ln q = d ln(s I) - d ln h.
                let (_, dh) = ln_h(&p, x, tx);
                let di = [-e[0], -k1 * e[2], 1.0 / s - e[1], -(s + 1.0) * e[3]];
                for i in 0..4 {
                    let w = di[i] - dh[i];
                    assert!((g[i] - w).abs() <= 1e-8 * w.abs().max(1e-12), "{p:?} {x} {tx} [{i}]: {} vs {w}", g[i]);
                }
                checked += 1;
            }
        }
        assert!(checked >= 15, "{checked}");
    }

    fn grad_of(p: &ParetoNbdParams, x: f64, tx: f64, t: f64) -> [f64; 4] {
        let b = bracket_with(p, x, tx, t, None).unwrap();
        let c = ln_c(p, x, ln_gamma(p.r), digamma(p.r));
        std::array::from_fn(|i| c.1[i] + b.grad[i])
    }

    #[test]
    fn gradient_matches_differences_in_both_branches_and_by_quadrature() {
        let ps = [P, ParetoNbdParams { alpha: 20.0, ..P }, ParetoNbdParams { beta: 30.0, ..P }, ParetoNbdParams { beta: P.alpha, ..P }];
        for p in ps {
            for &(x, tx, t) in &[(0.0, 0.0, 38.0), (3.0, 20.0, 38.0), (10.0, 37.0, 38.0), (2.0, 5.0, 5.0), (1.0, 0.5, 1e3)] {
                let g = grad_of(&p, x, tx, t);
                let v = |q: [f64; 4]| log_likelihood(&ParetoNbdParams { r: q[0], alpha: q[1], s: q[2], beta: q[3] }, x, tx, t);
                let base = [p.r, p.alpha, p.s, p.beta];
                for i in 0..4 {
                    let h = 1e-6 * base[i];
                    let (mut up, mut dn) = (base, base);
                    up[i] += h;
                    dn[i] -= h;
                    let num = (v(up) - v(dn)) / (2.0 * h);
                    assert!((num - g[i]).abs() <= 1e-6 * num.abs().max(1e-2), "{p:?} {x} {tx} {t} [{i}]: {} vs {num}", g[i]);
                }
                // The quadrature gives the same bracket and gradient.
                if tx < t {
                    let (a, b) = (bracket_with(&p, x, tx, t, None).unwrap(), bracket_by_quadrature(&p, x, tx, t).unwrap());
                    assert!((a.ln_m - b.ln_m).abs() < 1e-12 * a.ln_m.abs().max(1.0), "{p:?} {x} {tx} {t}: {} vs {}", a.ln_m, b.ln_m);
                    for i in 0..4 {
                        assert!((a.grad[i] - b.grad[i]).abs() < 1e-9 * a.grad[i].abs().max(1e-3), "{p:?}: {:?} vs {:?}", a.grad, b.grad);
                    }
                }
            }
        }
    }
}
