//! BG/BB predictions (FHS 2010 section 4), each from the posterior given (x, t_x, n): the
//! customer is alive at n with probability P(alive) = A / L (A the first term of eq. 5), and
//! then p ~ Beta(alpha+x, beta+n-x) and theta ~ Beta(gamma, delta+n). The closed forms of the
//! paper follow from these with the singular factor delta/(gamma-1) of eqs. 7 and 13 kept
//! inside [`beta_survival_sum`], which is finite at gamma = 1.

use super::likelihood::ln_alive_and_likelihood;
use super::{validate_customer, validate_params, BgBbParams, MAX_OPPORTUNITIES};
use crate::error::{CrmError, CrmResult};
use crate::math::special::{beta_survival_sum, ln_beta_ratio, ln_gamma, ln_hyp2f1, ln_poch};

/// A computed value, or Err (22003) naming the quantity when it is not finite.
fn finite(what: &str, v: f64, p: &BgBbParams) -> CrmResult<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(CrmError::out_of_range(format!("BG/BB {what} is not finite")).with_detail(format!("{p:?}")))
    }
}

/// ln P(alive at n | x, t_x, n) for validated input.
fn ln_p_alive(p: &BgBbParams, x: u64, t_x: u64, n: u64) -> f64 {
    let (ln_a, ln_l) = ln_alive_and_likelihood(p, x, t_x, n);
    (ln_a - ln_l).min(0.0)
}

/// P(alive at opportunity n | x, t_x, n) = A / L (FHS 2010 eq. 11 is the probability of being
/// alive at n + 1: [`p_alive_at`] with future 1). Err (22023) for invalid parameters or customer
/// ([`validate_customer`]).
pub fn p_alive(p: &BgBbParams, x: f64, t_x: f64, n: f64) -> CrmResult<f64> {
    p_alive_at(p, x, t_x, n, 0)
}

/// P(alive at opportunity n + future | x, t_x, n) = P(alive at n) B(gamma, delta+n+future) /
/// B(gamma, delta+n) (FHS 2010 eq. 11 for future = 1; `lifetimes`'
/// `conditional_probability_alive(m_periods_in_future)`).
pub fn p_alive_at(p: &BgBbParams, x: f64, t_x: f64, n: f64, future: u64) -> CrmResult<f64> {
    validate_params(p)?;
    let (x, t_x, n) = validate_customer(x, t_x, n)?;
    let ln = ln_p_alive(p, x, t_x, n) + ln_beta_ratio(p.gamma, p.delta + n as f64, future as f64);
    finite("probability alive", ln.exp(), p)
}

/// ln of P(alive at n) E[p | alive at n] = A/L (alpha+x)/(alpha+beta+n): the factor shared by
/// the expected transactions and DERT.
fn ln_alive_rate(p: &BgBbParams, x: u64, t_x: u64, n: u64) -> f64 {
    ln_p_alive(p, x, t_x, n) + ((p.alpha + x as f64) / (p.alpha + p.beta + n as f64)).ln()
}

/// E[transactions in opportunities n+1 .. n+periods | x, t_x, n] (FHS 2010 eq. 13):
/// P(alive at n) (alpha+x)/(alpha+beta+n) sum_{k=1..periods} B(gamma, delta+n+k)/B(gamma, delta+n).
/// Err (22023) for invalid input; (22003) when the sum cannot be computed
/// ([`beta_survival_sum`]).
pub fn expected_purchases(p: &BgBbParams, x: f64, t_x: f64, n: f64, periods: u64) -> CrmResult<f64> {
    validate_params(p)?;
    let (x, t_x, n) = validate_customer(x, t_x, n)?;
    let survived = beta_survival_sum(p.gamma, p.delta + n as f64, periods)?;
    finite("expected transactions", ln_alive_rate(p, x, t_x, n).exp() * survived, p)
}

/// E[X(n)], the expected transactions of a new customer in its first n opportunities (FHS 2010
/// eq. 7): alpha/(alpha+beta) sum_{k=1..n} B(gamma, delta+k)/B(gamma, delta).
pub fn expected_purchases_new(p: &BgBbParams, n: u64) -> CrmResult<f64> {
    validate_params(p)?;
    let survived = beta_survival_sum(p.gamma, p.delta, n)?;
    finite("expected transactions", p.alpha / (p.alpha + p.beta) * survived, p)
}

/// P(X(n) = x), the probability that a new customer makes x transactions in its first n
/// opportunities (FHS 2010 eq. 8):
/// C(n,x) B(alpha+x, beta+n-x)/B(alpha,beta) B(gamma, delta+n)/B(gamma,delta) plus
/// sum_{i=x}^{n-1} C(i,x) B(alpha+x, beta+i-x)/B(alpha,beta) B(gamma+1, delta+i)/B(gamma,delta),
/// the sum by the ratio of consecutive terms, (i+1)/(i+1-x) (beta+i-x)/(alpha+beta+i)
/// (delta+i)/(gamma+delta+1+i), rescaled as it grows. 0 for x > n. Err (22023) for invalid
/// parameters or n above [`MAX_OPPORTUNITIES`].
pub fn prob_purchases(p: &BgBbParams, x: u64, n: u64) -> CrmResult<f64> {
    validate_params(p)?;
    if n > MAX_OPPORTUNITIES {
        return Err(CrmError::invalid(format!("BG/BB periods must be at most {MAX_OPPORTUNITIES} transaction opportunities"))
            .with_detail(format!("got {n}")));
    }
    if x > n {
        return Ok(0.0);
    }
    let BgBbParams { alpha: a, beta: b, gamma: g, delta: d } = *p;
    let (xf, nf) = (x as f64, n as f64);
    let ln_choose = |i: f64| ln_poch(i - xf + 1.0, xf) - ln_gamma(xf + 1.0);
    let ln_p_part = |m: f64| ln_poch(a, xf) + ln_poch(b, m - xf) - ln_poch(a + b, m);
    let alive = (ln_choose(nf) + ln_p_part(nf) + ln_beta_ratio(g, d, nf)).exp();
    // sum relative to e^ln_ref, starting with the term i = x (C(x, x) = 1).
    let mut ln_ref = ln_p_part(xf) + (g / (g + d)).ln() + ln_poch(d, xf) - ln_poch(g + d + 1.0, xf);
    let (mut term, mut sum) = (1.0f64, 0.0f64);
    for i in x..n {
        sum += term;
        let fi = i as f64;
        term *= (fi + 1.0) / (fi + 1.0 - xf) * (b + fi - xf) / (a + b + fi) * (d + fi) / (g + d + 1.0 + fi);
        if term > 1e200 {
            ln_ref += term.ln();
            sum /= term;
            term = 1.0;
        }
    }
    let v = alive + if sum > 0.0 { (ln_ref + sum.ln()).exp() } else { 0.0 };
    finite("purchase count probability", v, p).map(|v| v.clamp(0.0, 1.0))
}

/// DERT, the discounted expected residual transactions (FHS 2010 eq. 14) with a discount rate
/// `discount` > 0 per opportunity: sum_{k>=1} E[transaction at n+k] / (1+discount)^k =
/// P(alive at n) (alpha+x)/(alpha+beta+n) (delta+n)/(gamma+delta+n) z 2F1(1, delta+n+1;
/// gamma+delta+n+1; z), z = 1/(1+discount). Err (22023) for invalid input or a discount that is
/// not finite and > 0; (22003) when 2F1 cannot be evaluated (a discount so small, about 1e-6,
/// that its series needs more than 10^7 terms).
pub fn dert(p: &BgBbParams, x: f64, t_x: f64, n: f64, discount: f64) -> CrmResult<f64> {
    validate_params(p)?;
    let (x, t_x, n) = validate_customer(x, t_x, n)?;
    if !(discount.is_finite() && discount > 0.0) {
        return Err(CrmError::invalid("BG/BB discount rate must be a finite positive number").with_detail(format!("got {discount}")));
    }
    let (g, e) = (p.gamma, p.delta + n as f64);
    let z = 1.0 / (1.0 + discount);
    let (_, ln_f) = ln_hyp2f1(1.0, e + 1.0, g + e + 1.0, z)
        .map_err(|err| CrmError::out_of_range("BG/BB DERT cannot be computed for this discount rate").with_detail(err.to_string()))?;
    let ln = ln_alive_rate(p, x, t_x, n) + (e / (g + e)).ln() + z.ln() + ln_f;
    finite("DERT", ln.exp(), p)
}

/// BG/BB as a purchase model over (x, t_x, T = n) with whole-number horizons (the opportunities
/// ahead); a fractional horizon is an error (22023).
impl crate::models::PurchaseModel for BgBbParams {
    const NAME: &'static str = "bgbb";
    const PARAMETER_NAMES: &'static [&'static str] = &["alpha", "beta", "gamma", "delta"];
    fn p_alive(&self, x: f64, t_x: f64, t: f64) -> CrmResult<f64> {
        p_alive(self, x, t_x, t)
    }
    fn expected_purchases(&self, x: f64, t_x: f64, t: f64, horizon: f64) -> CrmResult<f64> {
        expected_purchases(self, x, t_x, t, whole_horizon(horizon)?)
    }
    fn expected_purchases_new(&self, horizon: f64) -> CrmResult<f64> {
        expected_purchases_new(self, whole_horizon(horizon)?)
    }
    fn prob_purchases(&self, n: u64, horizon: f64) -> CrmResult<f64> {
        prob_purchases(self, n, whole_horizon(horizon)?)
    }
    fn parameters(&self) -> Vec<f64> {
        vec![self.alpha, self.beta, self.gamma, self.delta]
    }
    fn with_parameters(values: &[f64]) -> CrmResult<Self> {
        let [alpha, beta, gamma, delta] = crate::models::parameter_array::<4>("BG/BB", Self::PARAMETER_NAMES, values)?;
        let p = BgBbParams { alpha, beta, gamma, delta };
        validate_params(&p)?;
        Ok(p)
    }
}

fn whole_horizon(h: f64) -> CrmResult<u64> {
    if h.is_finite() && h >= 0.0 && h == h.trunc() && h <= u64::MAX as f64 {
        Ok(h as u64)
    } else {
        Err(CrmError::invalid("BG/BB horizon must be a whole number of transaction opportunities").with_detail(format!("got {h}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: BgBbParams = BgBbParams { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 };

    #[test]
    fn purchase_count_probabilities_sum_to_one_and_give_the_mean() {
        for n in [0u64, 1, 6, 40] {
            let probs: Vec<f64> = (0..=n).map(|x| prob_purchases(&P, x, n).unwrap()).collect();
            let total: f64 = probs.iter().sum();
            assert!((total - 1.0).abs() < 1e-13, "n = {n}: {total}");
            let mean: f64 = probs.iter().enumerate().map(|(x, p)| x as f64 * p).sum();
            let want = expected_purchases_new(&P, n).unwrap();
            assert!((mean - want).abs() <= 1e-12 * want.max(1.0), "n = {n}: {mean} vs {want}");
        }
        assert_eq!(prob_purchases(&P, 7, 6).unwrap(), 0.0);
    }

    #[test]
    fn dert_is_the_discounted_sum_of_expected_transactions() {
        let (x, tx, n, r) = (3.0, 5.0, 6.0, 0.1);
        let mut want = 0.0;
        let mut previous = 0.0;
        for k in 1..=2000u64 {
            let cumulative = expected_purchases(&P, x, tx, n, k).unwrap();
            want += (cumulative - previous) / (1.0f64 + r).powi(k as i32);
            previous = cumulative;
        }
        let got = dert(&P, x, tx, n, r).unwrap();
        assert!((got - want).abs() <= 1e-10 * want, "{got} vs {want}");
        assert!(dert(&P, x, tx, n, 0.0).is_err());
    }

    #[test]
    fn fractional_horizons_and_periods_are_rejected() {
        use crate::models::PurchaseModel;
        assert!(P.expected_purchases(1.0, 1.0, 6.0, 2.5).is_err());
        assert_eq!(P.expected_purchases(1.0, 1.0, 6.0, 2.0).unwrap(), expected_purchases(&P, 1.0, 1.0, 6.0, 2).unwrap());
        let e = p_alive(&P, 1.0, 1.5, 6.0).unwrap_err();
        assert!(e.message.contains("whole numbers"), "{}", e.message);
    }
}
