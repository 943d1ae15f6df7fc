//! MBG/NBD predictions (Batislam, Denizel and Filiztekin 2007, appendix; the conditional
//! expectation as corrected by Wagner and Hoppe 2008), evaluated through the BG/NBD routines of
//! [`crate::models::bgnbd`] with b + 1 in place of b (module docs of [`super`]).

use crate::error::{CrmError, CrmResult};
use crate::models::bgnbd;
use crate::models::bgnbd::predict::expected_while_alive;
use crate::models::validate_horizon;
use crate::summary::rft::validate_customer;

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
/// e^(-lambda p h) into (1 + p s)^-(r+x). That is `bgnbd::predict::expected_while_alive` of BG/NBD with
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::special::hyp2f1;

    fn close(got: f64, want: f64, rel: f64) -> bool {
        (got - want).abs() <= rel * want.abs()
    }

    #[test]
    fn the_bgnbd_routines_at_b_plus_one_give_the_mbgnbd_closed_forms() {
        // Wagner and Hoppe's conditional expectation and Batislam et al.'s (A4), evaluated
        // directly with 2F1 (a != 1), against the mapped BG/NBD evaluation.
        for p in [
            MbgNbdParams { r: 0.5248, alpha: 6.183, a: 0.8914, b: 1.614 },
            MbgNbdParams { r: 0.3, alpha: 5.0, a: 2.5, b: 4.0 },
            MbgNbdParams { r: 2.0, alpha: 0.7, a: 0.2, b: 0.05 },
        ] {
            let MbgNbdParams { r, alpha, a, b } = p;
            for (x, tx, t) in [(0.0, 0.0, 0.0), (0.0, 0.0, 38.86), (2.0, 30.43, 38.86), (7.0, 5.0, 10.0)] {
                for h in [0.5, 39.0, 200.0] {
                    let z = h / (alpha + t + h);
                    let f = hyp2f1(r + x, b + x + 1.0, a + b + x, z).unwrap();
                    let while_alive = (a + b + x) / (a - 1.0) * (1.0 - ((alpha + t) / (alpha + t + h)).powf(r + x) * f);
                    let alive = 1.0 / (1.0 + a / (b + x) * ((alpha + t) / (alpha + tx)).powf(r + x));
                    let got = expected_purchases(&p, x, tx, t, h).unwrap();
                    assert!(close(got, alive * while_alive, 1e-11), "{p:?} x={x} T={t} h={h}: {got} vs {}", alive * while_alive);
                    assert!(close(p_alive(&p, x, tx, t).unwrap(), alive, 1e-14));
                }
            }
            for h in [0.5, 39.0, 200.0] {
                let f = hyp2f1(r, b + 1.0, a + b, h / (alpha + h)).unwrap();
                let closed = b / (a - 1.0) * (1.0 - (alpha / (alpha + h)).powf(r) * f);
                assert!(close(expected_purchases_new(&p, h).unwrap(), closed, 1e-11), "{p:?} h={h}");
            }
        }
    }

    #[test]
    fn finite_and_continuous_at_a_equal_to_one() {
        let at = |a: f64| {
            let p = MbgNbdParams { r: 1.3, alpha: 10.0, a, b: 3.0 };
            (expected_purchases(&p, 7.0, 5.0, 10.0, 39.0).unwrap(), expected_purchases_new(&p, 39.0).unwrap())
        };
        let (below, exact, above) = (at(1.0 - 1e-7), at(1.0), at(1.0 + 1e-7));
        for (lo, mid, hi) in [(below.0, exact.0, above.0), (below.1, exact.1, above.1)] {
            assert!(mid.is_finite() && close(lo, mid, 1e-6) && close(hi, mid, 1e-6), "{lo} {mid} {hi}");
        }
    }

    #[test]
    fn one_time_buyers_are_not_surely_alive() {
        let p = MbgNbdParams { r: 0.5248, alpha: 6.183, a: 0.8914, b: 1.614 };
        // At T = 0 only the draw at time 0 has happened: P(alive) = E[1 - p] = b / (a + b).
        assert!(close(p_alive(&p, 0.0, 0.0, 0.0).unwrap(), p.b / (p.a + p.b), 1e-15));
        let mut last = 1.0;
        for t in [0.0, 1.0, 10.0, 100.0, 1e4] {
            let v = p_alive(&p, 0.0, 0.0, t).unwrap();
            assert!(v < last && v > 0.0, "T = {t}: {v}");
            last = v;
        }
        // P(X = 0) of a new customer includes the dropout at time 0.
        assert!(prob_purchases(&p, 0, 1e-9).unwrap() > 1.0 - 1e-9);
        assert!(close(prob_purchases(&p, 0, 1e-300).unwrap(), 1.0, 1e-15));
        assert_eq!(prob_purchases(&p, 3, 0.0).unwrap(), 0.0);
    }

    #[test]
    fn invalid_input_is_an_error_naming_it() {
        let p = MbgNbdParams { r: 0.5248, alpha: 6.183, a: 0.8914, b: 1.614 };
        let e = p_alive(&MbgNbdParams { b: 0.0, ..p }, 1.0, 1.0, 2.0).unwrap_err();
        assert_eq!((e.message.as_str(), e.detail.as_deref()), ("MBG/NBD parameter b must be a finite positive number", Some("got b = 0")));
        assert!(expected_purchases(&p, 2.5, 1.0, 2.0, 1.0).unwrap_err().detail.unwrap().contains("2.5"));
        assert!(expected_purchases(&p, 2.0, 3.0, 2.0, 1.0).unwrap_err().message.contains("recency"));
        assert!(expected_purchases(&p, 2.0, 1.0, 2.0, f64::NAN).unwrap_err().message.contains("horizon"));
        assert!(expected_purchases_new(&p, -1.0).unwrap_err().message.contains("horizon"));
        assert!(prob_purchases(&p, 1, f64::INFINITY).unwrap_err().message.contains("horizon"));
        assert!(prob_purchases(&MbgNbdParams { r: f64::NAN, ..p }, 1, 1.0).is_err());
    }
}
