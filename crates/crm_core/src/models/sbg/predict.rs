//! sBG predictions (FH 2007 eqs. 1-3 and FH 2010), each in log space: ln S(t) as two
//! [`crate::math::special::ln_poch`] terms, the discounted sums as one Gauss hypergeometric 2F1 by
//! its log ([`ln_hyp2f1`]).

use super::{validate_params, SbgParams};
use crate::error::{CrmError, CrmResult};
use crate::math::special::{ln_beta_ratio, ln_hyp2f1};

fn finite(what: &str, v: f64, p: &SbgParams) -> CrmResult<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(CrmError::out_of_range(format!("sBG {what} is not finite")).with_detail(format!("{p:?}")))
    }
}

fn period_at_least_one(what: &str, t: u64) -> CrmResult<()> {
    if t == 0 {
        return Err(CrmError::invalid(format!("sBG {what} is defined for periods 1, 2, ...")).with_detail("got period 0"));
    }
    Ok(())
}

/// The retention rate of period t >= 1, r(t) = S(t)/S(t-1) = (beta+t-1)/(alpha+beta+t-1)
/// (FH 2007 eq. 5): the share of the customers active after t-1 periods that renew at the end
/// of period t. Err (22023) for t = 0 or invalid parameters.
pub fn retention_rate(p: &SbgParams, t: u64) -> CrmResult<f64> {
    validate_params(p)?;
    period_at_least_one("retention rate", t)?;
    let t = t as f64;
    finite("retention rate", (p.beta + t - 1.0) / (p.alpha + p.beta + t - 1.0), p)
}

/// S(t) = P(T > t) = B(alpha, beta+t)/B(alpha, beta) (FH 2007 eq. 3), the share of a cohort still
/// active after t periods; S(0) = 1.
pub fn survival(p: &SbgParams, t: u64) -> CrmResult<f64> {
    validate_params(p)?;
    finite("survival", ln_beta_ratio(p.alpha, p.beta, t as f64).exp(), p)
}

/// P(T = t) = B(alpha+1, beta+t-1)/B(alpha, beta) = alpha/(alpha+beta+t-1) S(t-1) (FH 2007 eq. 2),
/// the probability of churning in period t >= 1. Err (22023) for t = 0.
pub fn churn_probability(p: &SbgParams, t: u64) -> CrmResult<f64> {
    validate_params(p)?;
    period_at_least_one("churn probability", t)?;
    let t = t as f64;
    let ln = (p.alpha / (p.alpha + p.beta + t - 1.0)).ln() + ln_beta_ratio(p.alpha, p.beta, t - 1.0);
    finite("churn probability", ln.exp(), p)
}

/// z = 1/(1+discount) for a finite discount rate > 0, Err (22023) otherwise.
fn discount_factor(discount: f64) -> CrmResult<f64> {
    if !(discount.is_finite() && discount > 0.0) {
        return Err(CrmError::invalid("sBG discount rate must be a finite positive number").with_detail(format!("got {discount}")));
    }
    Ok(1.0 / (1.0 + discount))
}

/// ln sum_{j>=0} z^j S(k+j)/S(k) = ln 2F1(1, beta+k; alpha+beta+k; z) (the ratio of consecutive
/// terms is z (beta+k+j)/(alpha+beta+k+j)).
fn ln_discounted_survival(p: &SbgParams, k: f64, z: f64) -> CrmResult<f64> {
    let (_, ln) = ln_hyp2f1(1.0, p.beta + k, p.alpha + p.beta + k, z).map_err(|e| {
        CrmError::out_of_range("sBG discounted lifetime cannot be computed for this discount rate")
            .with_detail(e.to_string())
            .with_hint("a discount rate below about 1e-6 per period needs more series terms than allowed")
    })?;
    Ok(ln)
}

/// DERL, the discounted expected residual lifetime of a customer who has made `renewals_made`
/// = n renewals (active in period n + 1), evaluated just before the next renewal decision
/// (FH 2010 eq. 6, there with n - 1 renewals): sum_{t>n} S(t)/S(n) / (1+d)^(t-n-1) =
/// (beta+n)/(alpha+beta+n) 2F1(1, beta+n+1; alpha+beta+n+1; 1/(1+d)), in periods (the next
/// payment undiscounted). Multiply by the margin per period for the customer's residual value.
/// Err (22023) for invalid parameters or a discount rate that is not finite and > 0; (22003)
/// when 2F1 cannot be evaluated.
pub fn derl(p: &SbgParams, discount: f64, renewals_made: u64) -> CrmResult<f64> {
    validate_params(p)?;
    let z = discount_factor(discount)?;
    let n = renewals_made as f64;
    let ln = ((p.beta + n) / (p.alpha + p.beta + n)).ln() + ln_discounted_survival(p, n + 1.0, z)?;
    finite("DERL", ln.exp(), p)
}

/// The expected discounted value of a cohort's remaining payments per customer originally
/// acquired, with `periods_already` = k periods completed:
/// margin_per_period sum_{t>=k} S(t) / (1+d)^(t-k) = margin S(k) 2F1(1, beta+k; alpha+beta+k; 1/(1+d)),
/// where at each time t the customers still active (T > t) pay `margin_per_period` for period
/// t + 1, the payment at time k undiscounted. At k = 0 it is the expected lifetime value of a
/// newly acquired customer, m 2F1(1, beta; alpha+beta; 1/(1+d)) (FH 2010, E(CLV)); for k >= 1
/// it equals margin S(k-1) [`derl`](k-1). Multiply by the cohort's original size for the
/// cohort's value. Err (22023) for invalid parameters, a margin that is not finite, a discount
/// rate that is not finite and > 0; (22003) when 2F1 cannot be evaluated.
pub fn cohort_clv(p: &SbgParams, margin_per_period: f64, discount: f64, periods_already: u64) -> CrmResult<f64> {
    validate_params(p)?;
    if !margin_per_period.is_finite() {
        return Err(CrmError::invalid("sBG margin per period must be a finite number").with_detail(format!("got {margin_per_period}")));
    }
    let z = discount_factor(discount)?;
    let k = periods_already as f64;
    let ln = ln_beta_ratio(p.alpha, p.beta, k) + ln_discounted_survival(p, k, z)?;
    finite("cohort value", margin_per_period * ln.exp(), p)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: SbgParams = SbgParams { alpha: 0.704, beta: 1.182 };

    #[test]
    fn survival_churn_and_retention_agree() {
        let mut s = 1.0;
        for t in 1..200u64 {
            let churn = churn_probability(&P, t).unwrap();
            let next = survival(&P, t).unwrap();
            // ln S(t) is a difference of two terms of about t ln t: a few ulps of those
            assert!((s - churn - next).abs() <= 1e-12 * s, "t = {t}: {}", s - churn - next);
            assert!((next / s - retention_rate(&P, t).unwrap()).abs() <= 1e-12, "t = {t}: {}", next / s - retention_rate(&P, t).unwrap());
            s = next;
        }
        assert_eq!(survival(&P, 0).unwrap(), 1.0);
        assert!(retention_rate(&P, 0).is_err() && churn_probability(&P, 0).is_err());
    }

    #[test]
    fn discounted_values_are_the_discounted_sums() {
        let d = 0.1;
        let sum_from = |k: u64| -> f64 { (k..4000).map(|t| survival(&P, t).unwrap() / (1.0f64 + d).powi((t - k) as i32)).sum() };
        for n in [0u64, 1, 4, 30] {
            let want = sum_from(n + 1) / survival(&P, n).unwrap();
            let got = derl(&P, d, n).unwrap();
            assert!((got - want).abs() <= 1e-10 * want, "n = {n}: {got} vs {want}");
            let clv = cohort_clv(&P, 2.5, d, n).unwrap();
            assert!((clv - 2.5 * sum_from(n)).abs() <= 1e-10 * clv, "k = {n}");
            if n > 0 {
                let via_derl = 2.5 * survival(&P, n - 1).unwrap() * derl(&P, d, n - 1).unwrap();
                assert!((clv - via_derl).abs() <= 1e-12 * clv);
            }
        }
        assert!(derl(&P, 0.0, 1).is_err() && cohort_clv(&P, f64::NAN, 0.1, 0).is_err());
    }
}
