//! MBG/NBD predictions (Batislam, Denizel and Filiztekin 2007, appendix; the conditional
//! expectation as corrected by Wagner and Hoppe 2008), evaluated through the BG/NBD routines of
//! [`crate::bgnbd`] with b + 1 in place of b (module docs of [`super`]).

use crate::bgnbd::{self, expected_while_alive, validate_customer, validate_horizon};
use crate::error::{CrmError, CrmResult};

use super::{validate_params, MbgNbdParams};

/// P(alive at T | x, t_x, T) = 1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)) (Batislam et al.
/// 2007, appendix eq. (A5)), for every x >= 0: a customer without repeat purchases may have
/// dropped out at time 0 (b/(a+b) at T = 0). Evaluated from the log-odds
/// ln(a/(b+x)) + (r+x) ln1p((T - t_x)/(alpha + t_x)), as e^-L/(1 + e^-L) for positive odds L so
/// that a tiny probability keeps its digits down to the subnormal range.
pub fn p_alive(p: &MbgNbdParams, x: f64, t_x: f64, t: f64) -> CrmResult<f64> {
    validate_params(p)?;
    validate_customer(x, t_x, t)?;
    let MbgNbdParams { r, alpha, a, b } = *p;
    let ln_odds = a.ln() - (b + x).ln() + (r + x) * ((t - t_x) / (alpha + t_x)).ln_1p();
    let v = if ln_odds > 0.0 {
        let e = (-ln_odds).exp();
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + ln_odds.exp())
    };
    if v.is_nan() {
        return Err(CrmError::out_of_range("probability alive cannot be computed for these parameters")
            .with_detail(format!("x = {x}, t_x = {t_x}, T = {t}, r = {r}, alpha = {alpha}, a = {a}, b = {b}")));
    }
    Ok(v)
}

/// E[purchases in (T, T + horizon] | x, t_x, T] (Wagner and Hoppe 2008, the corrected eq. (A6)):
/// P(alive) (a+b+x)/(a-1) [1 - ((alpha+T)/(alpha+T+h))^(r+x) 2F1(r+x, b+x+1; a+b+x; h/(alpha+T+h))].
///
/// The factor after P(alive) is E[purchases | alive at T] = E[(1 - (1 + p s)^-(r+x)) / p] with
/// s = h/(alpha+T) and p ~ Beta(a, b+x+1), the dropout probability given x + 1 survived draws:
/// given lambda and p, an alive customer buys (1 - e^(-lambda p h))/p times in expectation over
/// the geometric number of purchases left, and lambda | data ~ Gamma(r+x, alpha+T) turns
/// e^(-lambda p h) into (1 + p s)^-(r+x). That is [`bgnbd::expected_while_alive`] of BG/NBD with
/// b + 1 in place of b, whose p ~ Beta(a, b+x) becomes Beta(a, b+1+x); the closed forms agree
/// too, BG/NBD's (a+b'+x-1)/(a-1) [1 - ... 2F1(r+x, b'+x; a+b'+x-1; .)] being the above at
/// b' = b + 1. That routine is finite and accurate for every a > 0, a = 1 included where the
/// closed form's (a+b+x)/(a-1) is singular (series, Euler and Beta-mixture forms).
pub fn expected_purchases(p: &MbgNbdParams, x: f64, t_x: f64, t: f64, horizon: f64) -> CrmResult<f64> {
    validate_horizon(horizon)?;
    let alive = p_alive(p, x, t_x, t)?;
    Ok(alive * expected_while_alive(&p.survivor_bgnbd(), x, t, horizon)?)
}

/// Expected purchases of a new customer in (0, horizon] (Batislam et al. 2007, eq. (A4)):
/// b/(a-1) [1 - (alpha/(alpha+h))^r 2F1(r, b+1; a+b; h/(alpha+h))]. A new customer survives the
/// draw at time 0 with probability b/(a+b) and is then a BG/NBD customer with p ~ Beta(a, b+1):
/// the value is b/(a+b) times BG/NBD's expectation at b + 1 ((a+b)/(a-1) [1 - ... 2F1(r, b+1;
/// a+b; .)]), evaluated as in [`expected_purchases`], finite at a = 1.
pub fn expected_purchases_new(p: &MbgNbdParams, horizon: f64) -> CrmResult<f64> {
    validate_params(p)?;
    validate_horizon(horizon)?;
    Ok(survival_at_zero(p) * expected_while_alive(&p.survivor_bgnbd(), 0.0, 0.0, horizon)?)
}

/// b / (a + b) = E[1 - p]: the probability of surviving the dropout draw at time 0.
fn survival_at_zero(p: &MbgNbdParams) -> f64 {
    // b / (a + b) written as 1 / (1 + a/b) stays finite when a + b overflows.
    1.0 / (1.0 + p.a / p.b)
}

/// P(X(horizon) = n) for a new customer, `lifetimes`' `probability_of_n_purchases_up_to_time`
/// (Batislam et al. 2007, eq. (A2)):
/// B(a, b+n+1)/B(a, b) NB(n) + B(a+1, b+n)/B(a, b) P(NB >= n), NB(n) = Γ(r+n)/(Γ(r) n!)
/// (alpha/(alpha+h))^r (h/(alpha+h))^n the count of a Poisson process with rate ~ Gamma(r, alpha)
/// (alive through n purchases and x + 1 draws, or dropped out right after the n-th; n = 0
/// includes dropping out at time 0). Equivalently a/(a+b) [n = 0] + b/(a+b) P_BG(X = n) with
/// P_BG the BG/NBD probability at b + 1 ([`bgnbd::prob_purchases`], FHL 2005 eq. (8)):
/// B(a, b+1+n)/B(a, b+1) = (a+b)/b B(a, b+n+1)/B(a, b) and likewise for B(a+1, b+n).
pub fn prob_purchases(p: &MbgNbdParams, n: u64, horizon: f64) -> CrmResult<f64> {
    validate_params(p)?;
    let survived = bgnbd::prob_purchases(&p.survivor_bgnbd(), n, horizon)?;
    let gone = if n == 0 { 1.0 / (1.0 + p.b / p.a) } else { 0.0 };
    Ok((gone + survival_at_zero(p) * survived).clamp(0.0, 1.0))
}
